import { boundedStore } from './bounded-store.js';
import { PostgresResultStore } from './postgres-store.js';
import type { ResultStore } from './result-store.js';
import { SqliteResultStore } from './sqlite-store.js';

/** Which store to open: PostgreSQL when a connection URL is given, else embedded SQLite; and its deadlines. */
export interface StoreSettings {
  /** Directory of the embedded store (database and image files). */
  readonly dataDir: string;
  /** `postgres://…`; when set, the shared PostgreSQL store is used instead of SQLite. */
  readonly postgresUrl?: string;
  /** PostgreSQL schema for the tables. */
  readonly postgresSchema?: string;
  /** Deadlines of PostgreSQL connecting, waiting for a pooled connection and each statement, ms. */
  readonly postgresConnectTimeoutMs?: number;
  readonly postgresAcquireTimeoutMs?: number;
  readonly postgresQueryTimeoutMs?: number;
  /** Deadline of every store operation as a whole, ms. */
  readonly operationTimeoutMs?: number;
}

/**
 * Opens the configured result store, every operation bounded by `operationTimeoutMs` (10 s by
 * default). Opening fails with STORE_UNAVAILABLE naming the cause (no such database, connection
 * refused, no answer in time, …) within the connect and statement deadlines.
 *
 * @example
 * const store = await openResultStore({ dataDir: './data' });
 */
export async function openResultStore(settings: StoreSettings): Promise<ResultStore> {
  const store = settings.postgresUrl
    ? await PostgresResultStore.open({
        connectionString: settings.postgresUrl,
        schema: settings.postgresSchema,
        timeouts: { connectMs: settings.postgresConnectTimeoutMs, acquireMs: settings.postgresAcquireTimeoutMs, queryMs: settings.postgresQueryTimeoutMs },
      })
    : new SqliteResultStore({ dataDir: settings.dataDir });
  return boundedStore(store, settings.operationTimeoutMs ?? 10_000);
}
