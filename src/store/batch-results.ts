/**
 * Results of bulk scoring in PostgreSQL: one `batches` row per batch (its size, for progress)
 * and one `batch_results` row per image, unique on (batch, item). A job that runs twice (a worker
 * killed after writing but before acknowledging, a resubmitted batch) finds its row taken and
 * writes nothing, so every image ends with exactly one result whatever the queue redelivers.
 */
import pg from 'pg';
import { FaceliveError } from '../errors/catalogue.js';

/** What the queue records per image: the `facelive check --json` record and its key fields. */
export interface BatchResult {
  readonly batchId: string;
  readonly itemId: string;
  /** The path or URL as submitted. */
  readonly input: string;
  /** sha256 of the bytes analysed; null when they could not be read. */
  readonly contentSha256: string | null;
  readonly decision: string | null;
  readonly score: number | null;
  readonly liveProbability: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** The whole `facelive check --json` record of the image (its `file` is the input). */
  readonly record: unknown;
  /** Tries it took (1 unless a transient failure was retried). */
  readonly attempts: number;
  /** `host:pid` of the worker process that wrote it. */
  readonly worker: string;
  readonly finishedAt: Date;
}

/** Counts of a batch for `facelive batch status`. */
export interface BatchProgress {
  readonly batchId: string;
  readonly createdAt: Date;
  /** Images submitted. */
  readonly total: number;
  /** Images with a result (an analysis or an error). */
  readonly done: number;
  readonly live: number;
  readonly spoof: number;
  readonly retry: number;
  readonly errors: number;
  readonly firstFinishedAt: Date | null;
  readonly lastFinishedAt: Date | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Serialises schema creation across processes starting together (CREATE … IF NOT EXISTS races). */
const SCHEMA_LOCK_KEY = 0x66_6c_62_72; // "flbr"

function schemaSql(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.batches (
  id          TEXT PRIMARY KEY,
  created_at  TIMESTAMPTZ NOT NULL,
  total       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.batch_results (
  batch_id          TEXT NOT NULL REFERENCES ${schema}.batches (id) ON DELETE CASCADE,
  item_id           TEXT NOT NULL,
  input             TEXT NOT NULL,
  content_sha256    TEXT,
  decision          TEXT,
  score             DOUBLE PRECISION,
  live_probability  DOUBLE PRECISION,
  error_code        TEXT,
  error_message     TEXT,
  record            JSONB NOT NULL,
  attempts          INTEGER NOT NULL,
  worker            TEXT NOT NULL,
  finished_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (batch_id, item_id)
);
CREATE INDEX IF NOT EXISTS batch_results_export ON ${schema}.batch_results (batch_id, input, item_id);`;
}

function unavailable(reason: string, error: unknown): FaceliveError {
  return new FaceliveError('STORE_UNAVAILABLE', { reason }, { cause: error });
}

interface ResultRow {
  batch_id: string;
  item_id: string;
  input: string;
  content_sha256: string | null;
  decision: string | null;
  score: number | null;
  live_probability: number | null;
  error_code: string | null;
  error_message: string | null;
  record: unknown;
  attempts: number;
  worker: string;
  finished_at: Date;
}

function fromRow(row: ResultRow): BatchResult {
  return {
    batchId: row.batch_id,
    itemId: row.item_id,
    input: row.input,
    contentSha256: row.content_sha256,
    decision: row.decision,
    score: row.score,
    liveProbability: row.live_probability,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    record: row.record,
    attempts: row.attempts,
    worker: row.worker,
    finishedAt: row.finished_at,
  };
}

/**
 * The batch tables of one PostgreSQL schema. Open with {@link BatchResultStore.open}.
 *
 * @example
 * const store = await BatchResultStore.open({ connectionString: config.store.postgresUrl, schema: config.store.postgresSchema });
 * await store.saveResult(result); // false when the image already had its result
 */
export class BatchResultStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** Connects and creates the schema and tables if needed. */
  static async open(options: { readonly connectionString: string; readonly schema: string; readonly maxConnections?: number }): Promise<BatchResultStore> {
    if (!IDENTIFIER.test(options.schema)) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `store schema "${options.schema}" must be a lower-case SQL identifier` });
    }
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
    // An idle client's network error must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
        await client.query(schemaSql(options.schema));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw unavailable('cannot connect to PostgreSQL or create the batch tables', error);
    }
    return new BatchResultStore(pool, options.schema);
  }

  /** Records a batch and its size; resubmitting the same id updates the size to the new list's. */
  async saveBatch(batchId: string, total: number, createdAt: Date): Promise<void> {
    await this.query(`INSERT INTO ${this.schema}.batches (id, created_at, total) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total`, [
      batchId,
      createdAt,
      total,
    ]);
  }

  /** Whether the image already has its result (a redelivered job skips the analysis). */
  async hasResult(batchId: string, itemId: string): Promise<boolean> {
    const rows = await this.query(`SELECT 1 FROM ${this.schema}.batch_results WHERE batch_id = $1 AND item_id = $2`, [batchId, itemId]);
    return rows.length > 0;
  }

  /** Writes the image's result unless it has one; true when this call wrote it. */
  async saveResult(result: BatchResult): Promise<boolean> {
    const rows = await this.query(
      `INSERT INTO ${this.schema}.batch_results
         (batch_id, item_id, input, content_sha256, decision, score, live_probability, error_code, error_message, record, attempts, worker, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (batch_id, item_id) DO NOTHING RETURNING 1`,
      [
        result.batchId,
        result.itemId,
        result.input,
        result.contentSha256,
        result.decision,
        result.score,
        result.liveProbability,
        result.errorCode,
        result.errorMessage,
        JSON.stringify(result.record),
        result.attempts,
        result.worker,
        result.finishedAt,
      ],
    );
    return rows.length > 0;
  }

  /** The batch's counts; BATCH_NOT_FOUND when it was never submitted. */
  async progress(batchId: string): Promise<BatchProgress> {
    const rows = await this.query<{
      created_at: Date;
      total: number;
      done: string;
      live: string;
      spoof: string;
      retry: string;
      errors: string;
      first_finished_at: Date | null;
      last_finished_at: Date | null;
    }>(
      `SELECT b.created_at, b.total,
              count(r.item_id) AS done,
              count(*) FILTER (WHERE r.decision = 'live') AS live,
              count(*) FILTER (WHERE r.decision = 'spoof') AS spoof,
              count(*) FILTER (WHERE r.decision = 'retry') AS retry,
              count(*) FILTER (WHERE r.error_code IS NOT NULL) AS errors,
              min(r.finished_at) AS first_finished_at,
              max(r.finished_at) AS last_finished_at
         FROM ${this.schema}.batches b LEFT JOIN ${this.schema}.batch_results r ON r.batch_id = b.id
        WHERE b.id = $1
        GROUP BY b.id`,
      [batchId],
    );
    const row = rows[0];
    if (!row) throw new FaceliveError('BATCH_NOT_FOUND', { batchId });
    return {
      batchId,
      createdAt: row.created_at,
      total: row.total,
      done: Number(row.done),
      live: Number(row.live),
      spoof: Number(row.spoof),
      retry: Number(row.retry),
      errors: Number(row.errors),
      firstFinishedAt: row.first_finished_at,
      lastFinishedAt: row.last_finished_at,
    };
  }

  /**
   * Every result of a batch, ordered by input, a page at a time (keyset pagination), so an
   * export of millions of rows never holds them all in memory.
   */
  async *results(batchId: string, pageSize = 1_000): AsyncGenerator<BatchResult> {
    await this.progress(batchId);
    let after: { input: string; itemId: string } | undefined;
    for (;;) {
      const rows = await this.query<ResultRow>(
        `SELECT * FROM ${this.schema}.batch_results
          WHERE batch_id = $1 ${after ? 'AND (input, item_id) > ($3, $4)' : ''}
          ORDER BY input, item_id LIMIT $2`,
        after ? [batchId, pageSize, after.input, after.itemId] : [batchId, pageSize],
      );
      for (const row of rows) yield fromRow(row);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { input: last.input, itemId: last.item_id };
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, values)).rows;
    } catch (error) {
      throw unavailable('a batch store query failed', error);
    }
  }
}
