import pg from 'pg';
import type { ImageFormat } from '../engine/types.js';
import { FaceliveError } from '../errors/catalogue.js';
import { newImageToken } from './image-token.js';
import type { ImageRole, Lookup, NewSubmission, PurgeReport, ResultStore, StoredImage } from './result-store.js';

/** Connection and placement of a PostgreSQL store. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Schema holding the tables (created if missing); lets several deployments share a database. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

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

function unavailable(reason: string, error: unknown): FaceliveError {
  return new FaceliveError('STORE_UNAVAILABLE', { reason }, { cause: error });
}

/**
 * The shared store for several facelive instances: results as JSONB, images as bytea, both
 * written in one transaction. Open it with {@link openPostgresStore}, which creates the schema.
 */
export class PostgresResultStore implements ResultStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** Connects, creates the schema and tables if needed, and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresResultStore> {
    const schema = options.schema ?? 'facelive';
    if (!IDENTIFIER.test(schema)) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `store schema "${schema}" must be a lower-case SQL identifier` });
    }
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
    // An idle client's network error must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    try {
      await pool.query(schemaSql(schema));
    } catch (error) {
      await pool.end();
      throw unavailable('cannot connect to PostgreSQL or create the store schema', error);
    }
    return new PostgresResultStore(pool, schema);
  }

  async save(submission: NewSubmission): Promise<void> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable('cannot connect to PostgreSQL', error);
    });
    try {
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
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable('the submission could not be stored', error);
    } finally {
      client.release();
    }
  }

  async lookup(id: string, now: Date): Promise<Lookup> {
    const rows = await this.query<{ created_at: Date; expires_at: Date; purged_at: Date | null; result: unknown }>(
      `SELECT created_at, expires_at, purged_at, result FROM ${this.schema}.submissions WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return { status: 'unknown' };
    if (row.purged_at !== null || row.expires_at.getTime() <= now.getTime() || row.result === null) return { status: 'expired' };
    const images = await this.query<{ role: ImageRole; format: ImageFormat; token: string }>(
      `SELECT role, format, token FROM ${this.schema}.images WHERE submission_id = $1 ORDER BY role`,
      [id],
    );
    return { status: 'found', submission: { id, createdAt: row.created_at, expiresAt: row.expires_at, result: row.result, images } };
  }

  async imageByToken(token: string, now: Date): Promise<StoredImage | undefined> {
    const rows = await this.query<{ role: ImageRole; format: ImageFormat; bytes: Buffer }>(
      `SELECT i.role, i.format, i.bytes FROM ${this.schema}.images i JOIN ${this.schema}.submissions s ON s.id = i.submission_id
       WHERE i.token = $1 AND s.purged_at IS NULL AND s.expires_at > $2`,
      [token, now],
    );
    const row = rows[0];
    return row && { role: row.role, format: row.format, token, bytes: row.bytes };
  }

  async purge(now: Date, tombstonesBefore: Date): Promise<PurgeReport> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable('cannot connect to PostgreSQL', error);
    });
    try {
      await client.query('BEGIN');
      await client.query(
        `DELETE FROM ${this.schema}.images WHERE submission_id IN
           (SELECT id FROM ${this.schema}.submissions WHERE purged_at IS NULL AND expires_at <= $1)`,
        [now],
      );
      const purged = await client.query(
        `UPDATE ${this.schema}.submissions SET purged_at = $1, result = NULL WHERE purged_at IS NULL AND expires_at <= $1`,
        [now],
      );
      const removed = await client.query(`DELETE FROM ${this.schema}.submissions WHERE purged_at IS NOT NULL AND purged_at < $1`, [tombstonesBefore]);
      await client.query('COMMIT');
      return { purged: purged.rowCount ?? 0, tombstonesRemoved: removed.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable('the purge failed', error);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, values)).rows;
    } catch (error) {
      throw unavailable('a store query failed', error);
    }
  }
}
