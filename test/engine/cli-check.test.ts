/**
 * `facelive check` as a user runs it: a subprocess over real files, stdin and folders, checking
 * JSON lines, the table, exit codes, and that a missing model pack is a start-up error.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CheckRecord } from '../../src/cli/check-output.js';
import { testEngine } from '../helpers/engine.js';
import { MODELS_DIR, REPO_ROOT, SAMPLES_DIR } from '../helpers/paths.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], stdin?: Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FACELIVE_MODELS_DIR: MODELS_DIR },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const jsonLines = (text: string): CheckRecord[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('facelive check', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'facelive-cli-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('--json on a folder: one line per image, in order, with the engine scores', async () => {
    const run = await runCli(['check', SAMPLES_DIR, '--json', '--workers', '2']);
    assert.equal(run.code, 0, run.stderr);
    const records = jsonLines(run.stdout);
    assert.deepEqual(
      records.map((r) => path.basename(r.file)),
      ['image_F1.jpg', 'image_F2.jpg', 'image_T1.jpg'],
    );
    const engine = await testEngine();
    try {
      for (const record of records) {
        for (const key of ['file', 'score', 'liveProbability', 'decision', 'faces', 'quality', 'error'] as const) {
          assert.ok(key in record, `missing ${key}`);
        }
        const direct = await engine.analyse(readFileSync(record.file));
        assert.equal(record.score, direct.score, 'CLI and engine give the same score');
        assert.equal(record.liveProbability, direct.liveProbability);
        assert.equal(record.error, null);
      }
    } finally {
      await engine.close();
    }
    assert.deepEqual(
      records.map((r) => r.decision),
      ['spoof', 'spoof', 'live'],
    );
  });

  test('a failed image is an error record and a non-zero exit; the rest are still checked', async () => {
    const bogus = path.join(scratch, 'not-an-image.jpg');
    writeFileSync(bogus, 'hello, I am text\n');
    const run = await runCli(['check', path.join(SAMPLES_DIR, 'image_T1.jpg'), bogus, path.join(scratch, 'missing.png'), '--json']);
    assert.equal(run.code, 1);
    const [good, text, missing] = jsonLines(run.stdout);
    assert.equal(good.decision, 'live');
    assert.deepEqual(text.error?.code, 'IMAGE_FORMAT_UNSUPPORTED');
    assert.equal(text.score, null);
    assert.equal(missing.error?.code, 'INVALID_ARGUMENT');
    assert.match(run.stderr, /2 of 3 images could not be checked/);
  });

  test('reads the image from stdin with -', async () => {
    const run = await runCli(['check', '-', '--json'], readFileSync(path.join(SAMPLES_DIR, 'image_F2.jpg')));
    assert.equal(run.code, 0, run.stderr);
    const [record] = jsonLines(run.stdout);
    assert.equal(record.file, '-');
    assert.equal(record.decision, 'spoof');
  });

  test('the default table and --threshold', async () => {
    // A short path, so the layout does not depend on where the checkout lives.
    const photo = path.join(scratch, 'image_F1.jpg');
    copyFileSync(path.join(SAMPLES_DIR, 'image_F1.jpg'), photo);
    const run = await runCli(['check', photo, '--threshold', '0']);
    assert.equal(run.code, 0, run.stderr);
    const [header, row] = run.stdout.trim().split('\n');
    assert.match(header, /^FILE\s+DECISION\s+SCORE\s+LIVE P\s+FACE PX\s+NOTES$/);
    assert.match(row, /image_F1\.jpg\s+live\s+\d+/, 'every score is at or above threshold 0');
  });

  test('a missing model pack is a start-up error naming the file, with no scores', async () => {
    const run = await runCli(['check', path.join(SAMPLES_DIR, 'image_T1.jpg'), '--json', '--models-dir', scratch]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /MODEL_FILE_MISSING: Model detector\/yunet-s@2023\.1 is missing: yunet_s_dynamic\.onnx/);
  });
});
