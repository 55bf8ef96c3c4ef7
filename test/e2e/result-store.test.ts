/**
 * The result store, the same cases against embedded SQLite and a real PostgreSQL server
 * (FACELIVE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test; each run uses its
 * own schema and drops it). Restart survival, purge with tombstones, and a real crash: a child
 * process saving in a loop is SIGKILLed, and the store must hold only whole submissions.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openResultStore, type StoreSettings } from '../../src/store/open-store.js';
import type { NewSubmission, ResultStore } from '../../src/store/result-store.js';
import { SqliteResultStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../helpers/paths.js';

const POSTGRES_URL = process.env.FACELIVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOUR = 3_600_000;

function submission(now: Date, overrides: Partial<NewSubmission> = {}): NewSubmission {
  return {
    id: randomUUID(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 24 * HOUR),
    result: { score: 87, decision: 'live', nested: { faces: [1, 2] } },
    images: [
      { role: 'far', format: 'jpeg', bytes: new Uint8Array([1, 2, 3, 4]) },
      { role: 'near', format: 'png', bytes: new Uint8Array([9, 8, 7]) },
    ],
    ...overrides,
  };
}

/** Kills a child that saves in a loop, mid-write, and returns once it is dead. */
async function crashWhileSaving(args: string[]): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/helpers/store-crash-child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`crash child exited early with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 400));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

interface Backend {
  name: string;
  settings: StoreSettings;
  crashArgs: string[];
  /** Submissions and their image counts, read past the store interface. */
  imageCounts(): Promise<number[]>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'facelive-store-'));
  return {
    name: 'SQLite',
    settings: { dataDir },
    crashArgs: ['sqlite', dataDir],
    imageCounts: async () => {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(path.join(dataDir, 'facelive.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT (SELECT count(*) FROM images i WHERE i.submission_id = s.id) AS n FROM submissions s').all() as { n: number }[]).map(
          (r) => r.n,
        );
      } finally {
        db.close();
      }
    },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function postgresBackend(): Backend {
  const schema = `facelive_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const run = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    settings: { dataDir: '', postgresUrl: POSTGRES_URL, postgresSchema: schema },
    crashArgs: ['postgres', POSTGRES_URL, schema],
    imageCounts: () =>
      run(async (client) =>
        (await client.query(`SELECT (SELECT count(*)::int FROM ${schema}.images i WHERE i.submission_id = s.id) AS n FROM ${schema}.submissions s`)).rows.map(
          (r) => r.n,
        ),
      ),
    cleanup: () => run(async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
}

for (const makeBackend of [sqliteBackend, postgresBackend]) {
  const backend = makeBackend();
  describe(`result store on ${backend.name}`, () => {
    let store: ResultStore;
    const open = async () => (store = await openResultStore(backend.settings));
    after(async () => {
      await store?.close();
      await backend.cleanup();
    });

    test('save and look up: result, images, tokens', async () => {
      await open();
      const now = new Date();
      const saved = submission(now);
      await store.save(saved);
      const found = await store.lookup(saved.id, now);
      assert.equal(found.status, 'found');
      if (found.status !== 'found') return;
      assert.deepEqual(found.submission.result, saved.result);
      assert.equal(found.submission.createdAt.getTime(), now.getTime());
      assert.deepEqual(
        found.submission.images.map((i) => [i.role, i.format]),
        [
          ['far', 'jpeg'],
          ['near', 'png'],
        ],
      );
      const far = await store.imageByToken(found.submission.images[0].token, now);
      assert.deepEqual(far && [...far.bytes], [1, 2, 3, 4]);
      assert.equal(found.submission.images[0].token.length, 43, '256-bit base64url token');
      assert.equal(await store.imageByToken('not-a-token', now), undefined);
    });

    test('unknown ids, expiry before and after the purge, tombstones', async () => {
      const now = new Date();
      const old = submission(new Date(now.getTime() - 25 * HOUR), { expiresAt: new Date(now.getTime() - HOUR) });
      const fresh = submission(now);
      await store.save(old);
      await store.save(fresh);
      assert.equal((await store.lookup(randomUUID(), now)).status, 'unknown');
      assert.equal((await store.lookup(old.id, now)).status, 'expired', 'expired even before the purge');
      const freshLookup = await store.lookup(fresh.id, now);
      assert.equal(freshLookup.status, 'found');
      const token = freshLookup.status === 'found' ? freshLookup.submission.images[0].token : '';

      const report = await store.purge(now, new Date(now.getTime() - 30 * 24 * HOUR));
      assert.ok(report.purged >= 1);
      assert.equal((await store.lookup(old.id, now)).status, 'expired', 'a purged id is still known (tombstone)');
      assert.equal((await store.lookup(fresh.id, now)).status, 'found');
      assert.ok(await store.imageByToken(token, now));
      assert.equal(await store.imageByToken(token, new Date(now.getTime() + 25 * HOUR)), undefined, 'image URLs stop at expiry');

      const later = new Date(now.getTime() + 40 * 24 * HOUR);
      const final = await store.purge(later, new Date(later.getTime() - 1));
      assert.ok(final.tombstonesRemoved >= 1);
      assert.equal((await store.lookup(old.id, later)).status, 'unknown', 'tombstones go after their own retention');
    });

    test('submissions survive a restart', async () => {
      const now = new Date();
      const saved = submission(now);
      await store.save(saved);
      await store.close();
      await open();
      const found = await store.lookup(saved.id, now);
      assert.equal(found.status, 'found');
      if (found.status === 'found') assert.ok(await store.imageByToken(found.submission.images[1].token, now));
    });

    test('a duplicate id is refused and leaves the first intact', async () => {
      const now = new Date();
      const saved = submission(now);
      await store.save(saved);
      await assert.rejects(store.save({ ...saved, result: { other: true } }), { code: 'STORE_UNAVAILABLE' });
      const found = await store.lookup(saved.id, now);
      assert.deepEqual(found.status === 'found' && found.submission.result, saved.result);
    });

    test('a crash mid-write leaves only whole submissions', async () => {
      await store.close();
      await crashWhileSaving(backend.crashArgs);
      await open();
      const counts = await backend.imageCounts();
      assert.ok(counts.length > 3, `the child saved ${counts.length} submissions before it was killed`);
      assert.ok(
        counts.every((n) => n === 2 || n === 0),
        `every submission has both images (or none once purged): ${counts.join(',')}`,
      );
      assert.ok(counts.filter((n) => n === 2).length >= 3);
      if (backend.name === 'SQLite') {
        // Files written before the kill but never committed are swept once past the grace period.
        const sweeper = new SqliteResultStore({ dataDir: backend.settings.dataDir, orphanGraceMs: 0 });
        await sweeper.purge(new Date(), new Date(0));
        const files = readdirSync(path.join(backend.settings.dataDir, 'images'));
        const referenced = (await backend.imageCounts()).reduce((a, b) => a + b, 0);
        assert.equal(files.length, referenced, 'no orphan or temporary files remain');
        await sweeper.close();
      }
    });
  });
}
