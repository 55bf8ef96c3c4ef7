/**
 * `facelive models fetch` on its default path, as a user runs it, without internet: the real
 * CLI in a subprocess against a loopback mirror of ../shared/models/upstream (`--mirror`). A
 * fresh models directory ends up complete and verified (the MiniFASNet pair converted from the
 * upstream .pth files) and `facelive check` prints the README's table with it; a second run
 * skips what is there; a flipped byte, a truncated body, a 404, a stalled server and a failed
 * conversion each give a clear error naming the URL and leave no partial file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { fetchPack } from '../../src/models/fetch-pack.js';
import { findModel, type ModelEntry } from '../../src/models/manifest.js';
import { REPO_ROOT, SAMPLES_DIR, SHARED_DIR, requireDir } from '../helpers/paths.js';
import { startUpstreamMirror, type Misbehaviour, type UpstreamMirror } from '../helpers/upstream-mirror.js';

const UPSTREAM_DIR = path.join(SHARED_DIR, 'models', 'upstream');
const YUNET = findModel('detector/yunet-s@2023.1');
const V2 = findModel('pad/minifasnet-v2-s2.7@1.0');
const V1SE = findModel('pad/minifasnet-v1se-s4.0@1.0');
const CELEBA = findModel('pad/celeba-minifasv2se-128@98.20');
const DEFAULT_SET_FILES = [YUNET.file, V2.file, V1SE.file, 'licenses/Silent-Face-Anti-Spoofing.LICENSE', 'licenses/libfacedetection.train.LICENSE'];

const upstreamPath = (entry: ModelEntry): string => `${entry.source.repo}/${entry.source.commit}/${entry.source.path}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
      // No FACELIVE_MODELS_DIR: every run names its directory, as the README's commands do.
      env: { ...process.env, FACELIVE_MODELS_DIR: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Every file under `dir` (relative, `/`-separated). */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

/** The sample table of the README's quick start, with the FILE column reduced to base names. */
function readmeTable(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```\n(FILE +DECISION[^`]*)```/.exec(readme);
  assert.ok(block, 'README.md shows the check table');
  return normaliseTable(block[1]);
}

const normaliseTable = (text: string): string[] =>
  text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .replace(/^\S+/, (file) => path.basename(file))
        .replace(/\s+/g, ' ')
        .trim(),
    );

describe('facelive models fetch from upstream (loopback mirror)', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'facelive-fetch-upstream-'));
  let counter = 0;
  const freshDir = (): string => path.join(scratch, `models-${++counter}`);
  let mirror: UpstreamMirror;

  before(async () => {
    mirror = await startUpstreamMirror({ root: requireDir(UPSTREAM_DIR, 'the upstream mirror folder') });
  });
  after(async () => {
    await mirror?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A mirror that misbehaves for one upstream path; closed by the caller. */
  const misbehavingMirror = (victim: ModelEntry, mode: Misbehaviour) =>
    startUpstreamMirror({ root: UPSTREAM_DIR, misbehave: (p) => (p === upstreamPath(victim) ? mode : undefined) });

  const modelsDir = freshDir();

  test('a fresh directory gets the default set, converted and verified, and check prints the README table', async (t) => {
    const fetched = await runCli(['models', 'fetch', '--mirror', mirror.url, '--models-dir', modelsDir]);
    assert.equal(fetched.code, 0, fetched.stderr);
    t.diagnostic(`fetch of the default set (2 conversions) took ${fetched.ms} ms, CLI start-up included`);
    assert.deepEqual(listing(modelsDir), [...DEFAULT_SET_FILES].sort());
    assert.match(fetched.stdout, new RegExp(`^fetched  ${V2.file.replaceAll('.', '\\.')}  ${V2.id.replaceAll('.', '\\.')}  \\(facelive-conversion\\)$`, 'm'));
    assert.match(fetched.stdout, /^Fetched 5 files \(0 already present\) from upstream http:\/\/127\.0\.0\.1:\d+ into /m);
    // Progress on stderr: the URL of every file, the bytes received, the conversions.
    assert.ok(fetched.stderr.includes(`fetching ${V2.file} from ${mirror.url}/${upstreamPath(V2)}\n`), fetched.stderr);
    assert.match(
      fetched.stderr,
      /received 1,849,453 bytes, converted in \d+ ms to 1,741,568 bytes; installed minifasnet_v2_scale2\.7_80x80\.onnx \(facelive-conversion\)/,
    );
    assert.match(fetched.stderr, /received 237,823 bytes; installed yunet_s_dynamic\.onnx \(upstream\)/);
    for (const entry of [V2, V1SE]) {
      const sha256 = createHash('sha256')
        .update(readFileSync(path.join(modelsDir, entry.file)))
        .digest('hex');
      assert.equal(sha256, entry.sha256, `${entry.file} is facelive's pinned conversion`);
    }

    const verified = await runCli(['models', 'verify', '--models-dir', modelsDir]);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /^All 5 files are ok in /m);

    const checked = await runCli(['check', path.relative(REPO_ROOT, requireDir(SAMPLES_DIR, 'pack samples')), '--models-dir', modelsDir]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.deepEqual(normaliseTable(checked.stdout), readmeTable());
  });

  test('a second run skips correct files; --all adds CelebA and its licence from upstream', async () => {
    mirror.requests.length = 0;
    const again = await runCli(['models', 'fetch', '--all', '--mirror', mirror.url, '--models-dir', modelsDir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Fetched 2 files \(5 already present\)/m);
    assert.deepEqual(mirror.requests.sort(), [upstreamPath(CELEBA), `${CELEBA.source.repo}/${CELEBA.source.commit}/LICENSE`].sort());
    const verified = await runCli(['models', 'verify', '--models-dir', modelsDir, '--model', CELEBA.id]);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /^All 7 files are ok/m);
  });

  const refusals: { mode: Misbehaviour; victim: ModelEntry; reason: RegExp; remedy: RegExp; extra?: string[] }[] = [
    { mode: 'flip', victim: V2, reason: /failed: sha256 is [0-9a-f]{64}, expected a5eb02e1/, remedy: /holds a different file/ },
    { mode: 'truncate', victim: V1SE, reason: /failed: the connection broke after \d+ of 1856130 bytes \(truncated\)/, remedy: /Run the command again/ },
    { mode: 'not-found', victim: YUNET, reason: /failed: HTTP 404 Not Found\. Check the URL: a mirror must serve/, remedy: /owner>\/<repo>\/<commit>\/<path>/ },
    {
      mode: 'stall',
      victim: V2,
      reason: /failed: no data for 500 ms \(the server stalled\)/,
      remedy: /--stall-timeout-ms/,
      extra: ['--stall-timeout-ms', '500'],
    },
  ];
  for (const { mode, victim, reason, remedy, extra = [] } of refusals) {
    test(`${mode}: a clear error naming the URL, exit 1, no partial file`, async () => {
      const bad = await misbehavingMirror(victim, mode);
      try {
        const dir = freshDir();
        const run = await runCli(['models', 'fetch', '--mirror', bad.url, '--models-dir', dir, ...extra]);
        assert.equal(run.code, 1, run.stdout);
        const url = `${bad.url}/${upstreamPath(victim)}`;
        assert.ok(run.stderr.includes(`error MODEL_PACK_FETCH_FAILED: Fetching ${victim.file} from ${url} failed: `), run.stderr);
        assert.match(run.stderr, reason);
        assert.match(run.stderr, remedy);
        const files = listing(dir);
        assert.ok(!files.includes(victim.file), `${victim.file} must not be installed`);
        assert.deepEqual(
          files.filter((f) => path.basename(f).startsWith('.')),
          [],
          'no temporary file is left',
        );
        // Files before the victim were installed whole and stay; a rerun would skip them.
        const before = DEFAULT_SET_FILES.slice(0, DEFAULT_SET_FILES.indexOf(victim.file));
        assert.deepEqual(files, [...before].sort());
        if (mode === 'stall') assert.ok(run.ms < 15_000, `the stall was noticed after ${run.ms} ms`);
      } finally {
        await bad.close();
      }
    });
  }

  test('a conversion that fails leaves nothing behind, and leftovers of an interrupted run are removed', async () => {
    // An entry whose pinned upstream file is the LICENSE text: the download verifies, the converter refuses it.
    const licence = `${V2.source.repo}/${V2.source.commit}/LICENSE`;
    const bytes = readFileSync(path.join(UPSTREAM_DIR, licence));
    const pinned = { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
    const broken: ModelEntry = { ...V2, source: { ...V2.source, path: 'LICENSE', pinned } };
    const dir = freshDir();
    const leftover = path.join(dir, `.${V2.file}.part-0123456789ab`);
    await fetchPack({ mirror: mirror.url, modelsDir: dir, entries: [YUNET] });
    writeFileSync(leftover, 'half a file from a killed run');
    await assert.rejects(fetchPack({ mirror: mirror.url, modelsDir: dir, entries: [broken] }), (error: unknown) => {
      assert.ok(error instanceof FaceliveError);
      assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
      assert.match(error.message, /converting with minifasnet-v2-pth failed: .*wrong magic number.*please report this as a facelive bug/);
      return true;
    });
    assert.deepEqual(listing(dir), ['licenses/libfacedetection.train.LICENSE', YUNET.file]);
  });
});
