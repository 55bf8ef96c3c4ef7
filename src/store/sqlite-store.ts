import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ImageFormat } from '../engine/types.js';
import { FaceliveError } from '../errors/catalogue.js';
import { sweepPartFiles, writeFileAtomically } from './atomic-file.js';
import { newImageToken } from './image-token.js';
import type { ImageRole, Lookup, NewSubmission, PurgeReport, ResultStore, StoredImage } from './result-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS submissions (
  id          TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  purged_at   INTEGER,
  result_json TEXT
);
CREATE INDEX IF NOT EXISTS submissions_live_expiry ON submissions (expires_at) WHERE purged_at IS NULL;
CREATE TABLE IF NOT EXISTS images (
  submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  role          TEXT NOT NULL,
  format        TEXT NOT NULL,
  token         TEXT NOT NULL UNIQUE,
  file          TEXT NOT NULL,
  PRIMARY KEY (submission_id, role)
);`;

/** Where an embedded store keeps its database and image files. */
export interface SqliteStoreOptions {
  readonly dataDir: string;
  /** Image files with no committed row older than this are crash leftovers; purge removes them. */
  readonly orphanGraceMs?: number;
}

interface SubmissionRow {
  id: string;
  created_at: number;
  expires_at: number;
  purged_at: number | null;
  result_json: string | null;
}

interface ImageRow {
  submission_id: string;
  role: ImageRole;
  format: ImageFormat;
  token: string;
  file: string;
}

/**
 * The embedded store: SQLite (better-sqlite3, WAL) in `<dataDir>/facelive.sqlite`, images as
 * files in `<dataDir>/images/`. Image files are written (temp file, then rename) before the rows
 * are inserted in one transaction, so a crash leaves at most orphan files, never a row without
 * its images; `purge` removes the orphans. A failed write removes its temp file; temp files of a
 * killed process are swept when the store opens.
 */
export class SqliteResultStore implements ResultStore {
  private readonly db: Database.Database;
  private readonly imageDir: string;
  private readonly orphanGraceMs: number;
  /** Temporary files of interrupted writes removed when the store opened. */
  readonly partFilesSwept: number;

  constructor(options: SqliteStoreOptions) {
    this.imageDir = path.join(options.dataDir, 'images');
    this.orphanGraceMs = options.orphanGraceMs ?? 60 * 60 * 1000;
    try {
      mkdirSync(this.imageDir, { recursive: true });
      this.partFilesSwept = sweepPartFiles(this.imageDir);
      this.db = new Database(path.join(options.dataDir, 'facelive.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = FULL');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new FaceliveError('STORE_UNAVAILABLE', { reason: `cannot open the SQLite store in ${options.dataDir}` }, { cause: error });
    }
  }

  async save(submission: NewSubmission): Promise<void> {
    const written: { role: ImageRole; format: ImageFormat; token: string; file: string }[] = [];
    try {
      for (const image of submission.images) {
        const token = newImageToken();
        const file = `${submission.id}.${image.role}.${token.slice(0, 8)}`;
        await writeFileAtomically(this.imageDir, file, image.bytes);
        written.push({ role: image.role, format: image.format, token, file });
      }
      const insert = this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO submissions (id, created_at, expires_at, result_json) VALUES (?, ?, ?, ?)')
          .run(submission.id, submission.createdAt.getTime(), submission.expiresAt.getTime(), JSON.stringify(submission.result));
        const addImage = this.db.prepare('INSERT INTO images (submission_id, role, format, token, file) VALUES (?, ?, ?, ?, ?)');
        for (const image of written) addImage.run(submission.id, image.role, image.format, image.token, image.file);
      });
      insert();
    } catch (error) {
      await Promise.all(written.map((image) => rm(path.join(this.imageDir, image.file), { force: true })));
      throw new FaceliveError('STORE_UNAVAILABLE', { reason: 'the submission could not be stored' }, { cause: error });
    }
  }

  async lookup(id: string, now: Date): Promise<Lookup> {
    const row = this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as SubmissionRow | undefined;
    if (!row) return { status: 'unknown' };
    if (row.purged_at !== null || row.expires_at <= now.getTime() || row.result_json === null) return { status: 'expired' };
    const images = this.db.prepare('SELECT role, format, token FROM images WHERE submission_id = ? ORDER BY role').all(id) as ImageRow[];
    return {
      status: 'found',
      submission: {
        id: row.id,
        createdAt: new Date(row.created_at),
        expiresAt: new Date(row.expires_at),
        result: JSON.parse(row.result_json),
        images: images.map(({ role, format, token }) => ({ role, format, token })),
      },
    };
  }

  async imageByToken(token: string, now: Date): Promise<StoredImage | undefined> {
    const row = this.db
      .prepare(
        `SELECT i.role, i.format, i.token, i.file FROM images i JOIN submissions s ON s.id = i.submission_id
         WHERE i.token = ? AND s.purged_at IS NULL AND s.expires_at > ?`,
      )
      .get(token, now.getTime()) as ImageRow | undefined;
    if (!row) return undefined;
    const bytes = await readFile(path.join(this.imageDir, row.file)).catch(() => undefined);
    return bytes && { role: row.role, format: row.format, token: row.token, bytes };
  }

  async purge(now: Date, tombstonesBefore: Date): Promise<PurgeReport> {
    const expire = this.db.transaction(() => {
      const files = this.db
        .prepare(
          `SELECT i.file FROM images i JOIN submissions s ON s.id = i.submission_id
           WHERE s.purged_at IS NULL AND s.expires_at <= ?`,
        )
        .all(now.getTime()) as { file: string }[];
      this.db.prepare('DELETE FROM images WHERE submission_id IN (SELECT id FROM submissions WHERE purged_at IS NULL AND expires_at <= ?)').run(now.getTime());
      const purged = this.db
        .prepare('UPDATE submissions SET purged_at = ?, result_json = NULL WHERE purged_at IS NULL AND expires_at <= ?')
        .run(now.getTime(), now.getTime()).changes;
      const tombstonesRemoved = this.db
        .prepare('DELETE FROM submissions WHERE purged_at IS NOT NULL AND purged_at < ?')
        .run(tombstonesBefore.getTime()).changes;
      return { files: files.map((f) => f.file), purged, tombstonesRemoved };
    });
    const { files, purged, tombstonesRemoved } = expire();
    // Rows are gone first: a crash here leaves files without rows, which the orphan sweep removes.
    await Promise.all(files.map((file) => rm(path.join(this.imageDir, file), { force: true })));
    await this.removeOrphanFiles(now);
    return { purged, tombstonesRemoved };
  }

  /** Image files (and temp files) that no row references, once older than the grace period. */
  private async removeOrphanFiles(now: Date): Promise<void> {
    const referenced = new Set((this.db.prepare('SELECT file FROM images').all() as { file: string }[]).map((r) => r.file));
    for (const name of await readdir(this.imageDir)) {
      if (referenced.has(name)) continue;
      const full = path.join(this.imageDir, name);
      const info = await stat(full).catch(() => undefined);
      if (info && now.getTime() - info.mtimeMs > this.orphanGraceMs) await rm(full, { force: true });
    }
  }

  /** A probe file can be written in the image directory (a full or read-only disk fails here) and the database takes its write lock. */
  async checkWritable(): Promise<void> {
    const probe = path.join(this.imageDir, `.writable-${randomBytes(4).toString('hex')}.part`);
    try {
      await writeFile(probe, randomBytes(512), { flag: 'wx' });
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
    } catch (error) {
      throw new FaceliveError('STORE_UNAVAILABLE', { reason: `the SQLite store in ${path.dirname(this.imageDir)} cannot write` }, { cause: error });
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
