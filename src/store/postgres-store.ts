import pg from 'pg';
import type { ImageFormat } from '../engine/types.js';
import { FaceliveError } from '../errors/catalogue.js';
import { withDeadline } from './deadline.js';
import { newImageToken } from './image-token.js';
import { AcquireTimeoutError, describePostgresFailure, targetOf, type PostgresTarget, type PostgresTimeouts } from './postgres-failure.js';
import type { ImageRole, Lookup, NewSubmission, PurgeReport, ResultStore, StoredImage } from './result-store.js';
import { SocketSet } from './socket-set.js';

/** Connection, placement and deadlines of a PostgreSQL store. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Schema holding the tables (created if missing); lets several deployments share a database. */
  readonly schema?: string;
  readonly maxConnections?: number;
  /** Connect, pool-acquire and statement deadlines, ms (5 s each by default). */
  readonly timeouts?: Partial<PostgresTimeouts>;
  /** How long closing may wait for the server to hang up before the sockets are destroyed, ms. */
  readonly closeGraceMs?: number;
}

const DEFAULT_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, acquireMs: 5_000, queryMs: 5_000 };
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function schemaSql(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.submissions (
  id          TEXT PRIMARY KEY,
  created_at  TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  purged_at   TIMESTAMPTZ,
  result      JSONB
);
CREATE INDEX IF NOT EXISTS submissions_live_expiry ON ${schema}.submissions (expires_at) WHERE purged_at IS NULL;
CREATE TABLE IF NOT EXISTS ${schema}.images (
  submission_id TEXT NOT NULL REFERENCES ${schema}.submissions (id) ON DELETE CASCADE,
  role          TEXT NOT NULL,
  format        TEXT NOT NULL,
  token         TEXT NOT NULL UNIQUE,
  bytes         BYTEA NOT NULL,
  PRIMARY KEY (submission_id, role)
);`;
}

/** The pool's client class: every connection gets the connect deadline (pg-pool's own option would also cap the wait for a pooled connection). */
function clientWithConnectTimeout(connectMs: number): new () => pg.ClientBase {
  return class extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectMs });
    }
  } as unknown as new () => pg.ClientBase;
}

/**
 * The shared store for several facelive instances: results as JSONB, images as bytea, both
 * written in one transaction. Every step has a deadline: connecting (`connectMs`), waiting for a
 * pooled connection (`acquireMs`), each statement (`queryMs`, client-side and as
 * statement_timeout), and closing; a connection whose statement failed or timed out is dropped
 * rather than reused (the server rolls its transaction back), so a frozen server costs each
 * caller one deadline, never a hang.
 */
export class PostgresResultStore implements ResultStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly target: PostgresTarget,
    private readonly timeouts: PostgresTimeouts,
    private readonly maxConnections: number,
    private readonly sockets: SocketSet,
    private readonly closeGraceMs: number,
  ) {}

  /** Connects, creates the schema and tables if needed, and returns the store; fails with the precise cause (STORE_UNAVAILABLE). */
  static async open(options: PostgresStoreOptions): Promise<PostgresResultStore> {
    const schema = options.schema ?? 'facelive';
    if (!IDENTIFIER.test(schema)) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `store schema "${schema}" must be a lower-case SQL identifier` });
    }
    const timeouts: PostgresTimeouts = {
      connectMs: options.timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
      acquireMs: options.timeouts?.acquireMs ?? DEFAULT_TIMEOUTS.acquireMs,
      queryMs: options.timeouts?.queryMs ?? DEFAULT_TIMEOUTS.queryMs,
    };
    const maxConnections = options.maxConnections ?? 4;
    const sockets = new SocketSet();
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: maxConnections,
      Client: clientWithConnectTimeout(timeouts.connectMs),
      stream: () => sockets.create(),
      statement_timeout: timeouts.queryMs,
      query_timeout: timeouts.queryMs,
    });
    // An idle client's network error must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const store = new PostgresResultStore(pool, schema, targetOf(options.connectionString), timeouts, maxConnections, sockets, options.closeGraceMs ?? 1_000);
    try {
      await store.withClient((client) => client.query(schemaSql(schema)));
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async save(submission: NewSubmission): Promise<void> {
    await this.withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${this.schema}.submissions (id, created_at, expires_at, result) VALUES ($1, $2, $3, $4)`, [
        submission.id,
        submission.createdAt,
        submission.expiresAt,
        JSON.stringify(submission.result),
      ]);
      for (const image of submission.images) {
        await client.query(`INSERT INTO ${this.schema}.images (submission_id, role, format, token, bytes) VALUES ($1, $2, $3, $4, $5)`, [
          submission.id,
          image.role,
          image.format,
          newImageToken(),
          Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
        ]);
      }
      await client.query('COMMIT');
    });
  }

  async lookup(id: string, now: Date): Promise<Lookup> {
    return this.withClient(async (client) => {
      const { rows } = await client.query<{ created_at: Date; expires_at: Date; purged_at: Date | null; result: unknown }>(
        `SELECT created_at, expires_at, purged_at, result FROM ${this.schema}.submissions WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return { status: 'unknown' } as const;
      if (row.purged_at !== null || row.expires_at.getTime() <= now.getTime() || row.result === null) return { status: 'expired' } as const;
      const images = await client.query<{ role: ImageRole; format: ImageFormat; token: string }>(
        `SELECT role, format, token FROM ${this.schema}.images WHERE submission_id = $1 ORDER BY role`,
        [id],
      );
      return { status: 'found', submission: { id, createdAt: row.created_at, expiresAt: row.expires_at, result: row.result, images: images.rows } } as const;
    });
  }

  async imageByToken(token: string, now: Date): Promise<StoredImage | undefined> {
    const { rows } = await this.withClient((client) =>
      client.query<{ role: ImageRole; format: ImageFormat; bytes: Buffer }>(
        `SELECT i.role, i.format, i.bytes FROM ${this.schema}.images i JOIN ${this.schema}.submissions s ON s.id = i.submission_id
         WHERE i.token = $1 AND s.purged_at IS NULL AND s.expires_at > $2`,
        [token, now],
      ),
    );
    const row = rows[0];
    return row && { role: row.role, format: row.format, token, bytes: row.bytes };
  }

  async purge(now: Date, tombstonesBefore: Date): Promise<PurgeReport> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(
        `DELETE FROM ${this.schema}.images WHERE submission_id IN
           (SELECT id FROM ${this.schema}.submissions WHERE purged_at IS NULL AND expires_at <= $1)`,
        [now],
      );
      const purged = await client.query(`UPDATE ${this.schema}.submissions SET purged_at = $1, result = NULL WHERE purged_at IS NULL AND expires_at <= $1`, [
        now,
      ]);
      const removed = await client.query(`DELETE FROM ${this.schema}.submissions WHERE purged_at IS NOT NULL AND purged_at < $1`, [tombstonesBefore]);
      await client.query('COMMIT');
      return { purged: purged.rowCount ?? 0, tombstonesRemoved: removed.rowCount ?? 0 };
    });
  }

  /** The server answers, takes writes (not a standby, not read-only) and still has the store's tables. */
  async checkWritable(): Promise<void> {
    const { rows } = await this.withClient((client) =>
      client.query<{ standby: boolean; read_only: boolean; tables: boolean }>(
        `SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') = 'on' AS read_only,
                to_regclass('${this.schema}.submissions') IS NOT NULL AND to_regclass('${this.schema}.images') IS NOT NULL AS tables`,
      ),
    );
    const [state] = rows;
    if (state?.standby || state?.read_only) throw this.unavailable({ code: '25006', message: 'read-only' });
    if (!state?.tables)
      throw new FaceliveError('STORE_UNAVAILABLE', {
        reason: `the tables of schema "${this.schema}" are gone from PostgreSQL at ${this.target.host}:${this.target.port}`,
      });
  }

  /** Ends the pool; sockets the server has not closed after the grace period (a frozen server) are destroyed. */
  async close(): Promise<void> {
    await withDeadline(this.pool.end(), this.closeGraceMs, () => new Error('the pool did not end in time')).catch(() => undefined);
    await this.sockets.closeAll(this.closeGraceMs);
  }

  /**
   * Runs `work` on a pooled connection. Any failure drops the connection (it may hold an open
   * transaction or a statement a frozen server never answers) and becomes STORE_UNAVAILABLE
   * with its cause in words.
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.acquire();
    } catch (error) {
      throw this.unavailable(error);
    }
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw this.unavailable(error);
    }
  }

  /**
   * A pooled connection. A new connection is bounded by the client's connect deadline; waiting
   * for a busy pool by `acquireMs` (a connection handed over after that is returned at once).
   */
  private async acquire(): Promise<pg.PoolClient> {
    const waitsForBusyPool = this.pool.idleCount === 0 && this.pool.totalCount >= this.maxConnections;
    const pending = this.pool.connect();
    if (!waitsForBusyPool) return pending;
    const { acquireMs } = this.timeouts;
    try {
      return await withDeadline(pending, acquireMs, () => new AcquireTimeoutError(acquireMs));
    } catch (error) {
      if (error instanceof AcquireTimeoutError)
        pending.then(
          (late) => late.release(),
          () => undefined,
        );
      throw error;
    }
  }

  private unavailable(error: unknown): FaceliveError {
    return new FaceliveError('STORE_UNAVAILABLE', { reason: describePostgresFailure(error, this.target, this.timeouts) }, { cause: error });
  }
}
