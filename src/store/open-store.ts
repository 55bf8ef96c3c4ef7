import { PostgresResultStore } from './postgres-store.js';
import type { ResultStore } from './result-store.js';
import { SqliteResultStore } from './sqlite-store.js';

/** Which store to open: PostgreSQL when a connection URL is given, else embedded SQLite. */
export interface StoreSettings {
  /** Directory of the embedded store (database and image files). */
  readonly dataDir: string;
  /** `postgres://…`; when set, the shared PostgreSQL store is used instead of SQLite. */
  readonly postgresUrl?: string;
  /** PostgreSQL schema for the tables. */
  readonly postgresSchema?: string;
}

/**
 * Opens the configured result store.
 *
 * @example
 * const store = await openResultStore({ dataDir: './data' });
 */
export async function openResultStore(settings: StoreSettings): Promise<ResultStore> {
  if (settings.postgresUrl) {
    return PostgresResultStore.open({ connectionString: settings.postgresUrl, schema: settings.postgresSchema });
  }
  return new SqliteResultStore({ dataDir: settings.dataDir });
}
