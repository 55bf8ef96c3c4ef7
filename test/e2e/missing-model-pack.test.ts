/**
 * With no model pack, the tests fail fast and say why instead of hanging: `npm test`'s pre-check
 * stops with its message, and an HTTP suite run on an empty models directory ends (its fixture
 * closes the servers it had started) with MODEL_FILE_MISSING, well before a deadline. Each runs
 * in a child process with FACELIVE_MODELS_DIR pointing at an empty directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';

/** Far above the few seconds these take on a loaded machine, far below "hangs forever". */
const DEADLINE_MS = 90_000;

interface Run {
  code: number | null;
  output: string;
  ms: number;
  timedOut: boolean;
}

function runNode(args: string[], modelsDir: string): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT the child's test runner reports as a top-level run, not to this one.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, env: { ...env, FACELIVE_MODELS_DIR: modelsDir } });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started, timedOut });
    });
  });
}

describe('a missing model pack', () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'facelive-no-models-'));
  after(() => rmSync(empty, { recursive: true, force: true }));

  test("npm test's pre-check stops with what is missing and where", async (t) => {
    const run = await runNode(['test/helpers/require-model-pack.ts'], empty);
    t.diagnostic(`pre-check ended in ${run.ms} ms`);
    assert.equal(run.timedOut, false);
    assert.equal(run.code, 1, run.output);
    assert.ok(run.output.startsWith(`npm test: the model pack or shared test material is missing or wrong (models directory ${empty}):\n`), run.output);
    assert.match(run.output, /^ {2}yunet_s_dynamic\.onnx: missing$/m);
    assert.match(run.output, /^ {2}hyperfas_mobilenet050_224\.onnx: missing$/m);
    assert.match(run.output, /Point FACELIVE_MODELS_DIR at a complete pack/);
  });

  test('an HTTP suite fails with MODEL_FILE_MISSING instead of hanging', async (t) => {
    const run = await runNode(['--test', 'test/http/acedata.test.ts'], empty);
    t.diagnostic(`the suite ended in ${run.ms} ms`);
    assert.equal(run.timedOut, false, `still running after ${DEADLINE_MS} ms`);
    assert.equal(run.code, 1);
    assert.match(run.output, /code: 'MODEL_FILE_MISSING'/);
    assert.match(run.output, /Model detector\/yunet-s@2023\.1 is missing: yunet_s_dynamic\.onnx not found in the models directory/);
  });
});
