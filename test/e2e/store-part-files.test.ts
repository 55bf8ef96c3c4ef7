/**
 * The embedded store never leaves temporary `.part` files: a write that fails for real (the
 * child runs under a file size limit, `ulimit -f`, so writing the image fails with EFBIG after
 * part of it reached the disk) removes its temporary file and stores nothing, and temporary files
 * left by a killed process are swept when the store opens.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openResultStore } from '../../src/store/open-store.js';
import { tempDataDir } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/paths.js';

function saveInChild(dataDir: string, imageBytes: number, fileSizeLimitKiB: number): { code: string | null } {
  const script = `ulimit -f ${fileSizeLimitKiB}; exec "$0" --import tsx test/helpers/store-save-child.ts "$1" "$2"`;
  const out = execFileSync('bash', ['-c', script, process.execPath, dataDir, String(imageBytes)], { cwd: REPO_ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

test('a write that fails mid-file (EFBIG) removes its temporary file and stores nothing', () => {
  const dataDir = tempDataDir();
  // Under the limit: stored, as a control.
  assert.deepEqual(saveInChild(dataDir, 100_000, 1024), { code: null });
  // Over it: the image write fails after 1 MiB.
  assert.deepEqual(saveInChild(dataDir, 3_000_000, 1024), { code: 'STORE_UNAVAILABLE' });
  const files = readdirSync(path.join(dataDir, 'images'));
  assert.equal(files.filter((name) => name.endsWith('.part')).length, 0, `no temporary file: ${files.join(', ')}`);
  assert.equal(files.length, 1, 'only the first image');
  const db = new Database(path.join(dataDir, 'facelive.sqlite'), { readonly: true });
  assert.equal((db.prepare('SELECT count(*) AS n FROM submissions').get() as { n: number }).n, 1);
  db.close();
});

test('temporary files of a killed process are swept when the store opens; image files stay', async () => {
  const dataDir = tempDataDir();
  const first = await openResultStore({ dataDir });
  await first.save({
    id: 'kept',
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
    result: {},
    images: [{ role: 'single', format: 'jpeg', bytes: new Uint8Array(10) }],
  });
  await first.close();
  const images = path.join(dataDir, 'images');
  const [kept] = readdirSync(images);
  // What a kill between writeFile and rename leaves.
  for (const name of ['.abc.single.12345678.0badf00d.part', '.def.far.87654321.deadbeef.part']) writeFileSync(path.join(images, name), 'partial');
  const reopened = await openResultStore({ dataDir });
  assert.deepEqual(readdirSync(images), [kept]);
  assert.equal((await reopened.lookup('kept', new Date())).status, 'found');
  await reopened.close();
});
