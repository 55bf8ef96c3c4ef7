/**
 * Model pack handling against the real pack in `../shared/models` (or FACELIVE_SHARED_MODELS):
 * models directory resolution, verification, fetching from a directory and from a local HTTP
 * server that misbehaves on purpose, and the `models` CLI commands. Writes only to os.tmpdir().
 */
import assert from 'node:assert/strict';
import { copyFile, chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerModelsCommand } from '../../src/cli/models-command.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { MODEL_MANIFEST, findModel } from '../../src/models/manifest.js';
import { fetchPack, type FetchProgressEvent } from '../../src/models/fetch-pack.js';
import { resolveModelsDir } from '../../src/models/models-dir.js';
import { listPackFiles } from '../../src/models/pack-files.js';
import { sha256File, verifyModelFile, verifyPack } from '../../src/models/verify-pack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedModels = process.env.FACELIVE_SHARED_MODELS ?? path.resolve(repoRoot, '../shared/models');
const PACK_FILES = listPackFiles();
const YUNET = findModel('detector/yunet-s@2023.1');
// Fourth in fetch order, so fail-fast tests also show that files fetched before it remain.
const VICTIM = findModel('pad/minifasnet-v2-s2.7@1.0');

let scratch: string;
let counter = 0;

/** A fresh, empty directory under the suite's scratch directory. */
async function freshDir(label: string): Promise<string> {
  const dir = path.join(scratch, `${label}-${++counter}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Copies the pack's files (not its docs or samples) into `dest`, writable so tests can damage them. */
async function copyPack(dest: string): Promise<void> {
  await mkdir(path.join(dest, 'licenses'), { recursive: true });
  for (const { file } of PACK_FILES) {
    const target = path.join(dest, file);
    await copyFile(path.join(sharedModels, file), target);
    await chmod(target, 0o644); // the shared pack is read-only and copyFile keeps the mode
  }
}

async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[bytes.length >> 1] ^= 0xff;
  await writeFile(file, bytes);
}

/** Entries of `dir` and `dir/licenses`, for checking that no temp or refused file is left behind. */
async function listing(dir: string): Promise<string[]> {
  const top = await readdir(dir);
  const licences = top.includes('licenses') ? (await readdir(path.join(dir, 'licenses'))).map((f) => `licenses/${f}`) : [];
  return [...top, ...licences].sort();
}

function assertNoLeftovers(names: string[]): void {
  assert.deepEqual(
    names.filter((n) => path.basename(n).startsWith('.')),
    [],
    'no temporary file may remain',
  );
}

type Behaviour = 'flip' | 'truncate-chunked' | 'too-long-chunked' | 'short-content-length' | 'not-found' | 'stall';

interface PackServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:1234/pack`. */
  readonly base: string;
  /** Pack-relative paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the shared pack under `/pack/`, misbehaving for the files `behaviour` names. */
async function startPackServer(behaviour: (file: string) => Behaviour | undefined = () => undefined): Promise<PackServer> {
  const known = new Set(PACK_FILES.map((f) => f.file));
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const file = pathname.startsWith('/pack/') ? decodeURIComponent(pathname.slice('/pack/'.length)) : '';
      requests.push(file);
      const mode = behaviour(file);
      if (!known.has(file) || mode === 'not-found') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const bytes = await readFile(path.join(sharedModels, file));
      const half = bytes.subarray(0, bytes.length >> 1);
      switch (mode) {
        case 'flip': {
          const copy = Buffer.from(bytes);
          copy[copy.length >> 1] ^= 0xff;
          res.writeHead(200, { 'content-length': copy.length }).end(copy);
          return;
        }
        case 'truncate-chunked': // no Content-Length, so only the final size check can notice
          res.writeHead(200).end(half);
          return;
        case 'too-long-chunked':
          res.writeHead(200);
          res.write(bytes);
          res.end(Buffer.alloc(1 << 20));
          return;
        case 'short-content-length':
          res.writeHead(200, { 'content-length': half.length }).end(half);
          return;
        case 'stall':
          res.writeHead(200, { 'content-length': bytes.length });
          res.write(half); // and never finish
          return;
        default:
          res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/pack`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `fn` and returns the FaceliveError it must reject with. */
async function rejection(fn: () => Promise<unknown>): Promise<FaceliveError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof FaceliveError, `expected a FaceliveError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'facelive-model-pack-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('resolveModelsDir', () => {
  const cwd = path.resolve(os.tmpdir(), 'facelive-cwd');

  test('flag beats FACELIVE_MODELS_DIR beats ./models, each resolved against cwd', () => {
    const env = { FACELIVE_MODELS_DIR: 'from-env' };
    assert.equal(resolveModelsDir({ flag: 'from-flag', env, cwd }), path.join(cwd, 'from-flag'));
    assert.equal(resolveModelsDir({ env, cwd }), path.join(cwd, 'from-env'));
    assert.equal(resolveModelsDir({ env: {}, cwd }), path.join(cwd, 'models'));
    assert.equal(resolveModelsDir({ flag: '/abs/models', env, cwd }), path.resolve('/abs/models'));
  });

  test('an empty variable counts as unset; an empty flag is refused', () => {
    assert.equal(resolveModelsDir({ env: { FACELIVE_MODELS_DIR: '' }, cwd }), path.join(cwd, 'models'));
    assert.throws(() => resolveModelsDir({ flag: '', env: {}, cwd }), { code: 'INVALID_ARGUMENT' });
  });
});

describe('verifyPack and verifyModelFile', () => {
  test('the real pack verifies, models and licences alike', async () => {
    const report = await verifyPack(sharedModels);
    assert.equal(report.ok, true);
    assert.equal(report.files.length, MODEL_MANIFEST.length + 6);
    assert.deepEqual(
      report.files.filter((f) => f.status !== 'ok'),
      [],
    );
    const yunet = report.files.find((f) => f.file === YUNET.file);
    assert.equal(yunet?.kind, 'model');
    assert.equal(yunet?.id, YUNET.id);
    assert.equal(yunet?.actualSha256, YUNET.sha256);
    assert.ok(report.files.some((f) => f.kind === 'licence' && f.file === 'licenses/YOLOX.LICENSE'));
  });

  test('sha256File streams the same digest the manifest states', async () => {
    assert.equal(await sha256File(path.join(sharedModels, YUNET.file)), YUNET.sha256);
  });

  test('a missing, a corrupted and a truncated file are all reported', async () => {
    const dir = await freshDir('damaged');
    await copyPack(dir);
    await rm(path.join(dir, YUNET.file));
    await flipByte(path.join(dir, VICTIM.file));
    await writeFile(path.join(dir, 'licenses/HyperFAS.LICENSE'), 'short');

    const report = await verifyPack(dir);
    assert.equal(report.ok, false);
    const bad = report.files.filter((f) => f.status !== 'ok');
    assert.deepEqual(
      bad.map((f) => [f.file, f.kind, f.status]),
      [
        [YUNET.file, 'model', 'missing'],
        [VICTIM.file, 'model', 'checksum-mismatch'],
        ['licenses/HyperFAS.LICENSE', 'licence', 'size-mismatch'],
      ],
    );
    assert.equal(bad[1].sha256, VICTIM.sha256);
    assert.notEqual(bad[1].actualSha256, VICTIM.sha256);
    assert.equal(bad[2].actualSizeBytes, 5);
    assert.equal(bad[2].actualSha256, undefined, 'a file of the wrong size is not hashed');

    const missing = await rejection(() => verifyModelFile(dir, YUNET));
    assert.equal(missing.code, 'MODEL_FILE_MISSING');
    assert.deepEqual(missing.params, { modelId: YUNET.id, file: YUNET.file, modelsDir: dir });
    const corrupt = await rejection(() => verifyModelFile(dir, VICTIM));
    assert.equal(corrupt.code, 'MODEL_CHECKSUM_MISMATCH');
    assert.equal(corrupt.params.expected, `${VICTIM.sha256} (facelive-conversion) or ${VICTIM.alternateBuilds?.[0].sha256} (pytorch-export)`);
    assert.match(corrupt.message, new RegExp(VICTIM.file.replaceAll('.', '\\.')));
  });

  test('optional models: absent ones are not-installed (fine), an installed one needs its licence', async () => {
    const dir = await freshDir('optional');
    const required = MODEL_MANIFEST.filter((m) => [YUNET.id, VICTIM.id].includes(m.id));
    const hyperfas = findModel('pad/hyperfas-mbv050-224@1.0');
    const optional = MODEL_MANIFEST.filter((m) => !required.includes(m));
    await fetchPack({ from: sharedModels, modelsDir: dir, entries: required });
    const fine = await verifyPack(dir, { required, optional });
    assert.equal(fine.ok, true);
    assert.equal(fine.files.find((f) => f.id === hyperfas.id)?.status, 'not-installed');
    assert.equal(fine.files.find((f) => f.id === VICTIM.id)?.build, 'pytorch-export');
    await copyFile(path.join(sharedModels, hyperfas.file), path.join(dir, hyperfas.file));
    const unlicensed = await verifyPack(dir, { required, optional });
    assert.equal(unlicensed.ok, false);
    assert.deepEqual(
      unlicensed.files.filter((f) => f.status !== 'ok' && f.status !== 'not-installed').map((f) => [f.file, f.status]),
      [['licenses/HyperFAS.LICENSE', 'missing']],
    );
    assert.equal(unlicensed.files.find((f) => f.id === hyperfas.id)?.status, 'ok');
  });

  test('verifyModelFile returns the absolute path of a good file and refuses a wrong size', async () => {
    assert.equal(await verifyModelFile(sharedModels, YUNET), path.join(sharedModels, YUNET.file));
    const dir = await freshDir('short-model');
    await writeFile(path.join(dir, YUNET.file), Buffer.alloc(10));
    const error = await rejection(() => verifyModelFile(dir, YUNET));
    assert.equal(error.code, 'MODEL_CHECKSUM_MISMATCH');
    assert.equal(error.params.actualSizeBytes, 10);
    assert.equal(error.params.expectedSizeBytes, YUNET.sizeBytes);
  });
});

describe('fetchPack from a directory', () => {
  test('copies the whole pack into a new directory, then skips everything', async () => {
    const target = path.join(await freshDir('from-dir'), 'nested', 'models');
    const events: FetchProgressEvent['type'][] = [];
    const first = await fetchPack({ from: sharedModels, modelsDir: target, onProgress: (e) => events.push(e.type) });
    assert.equal(first.fetchedCount, PACK_FILES.length);
    assert.equal(first.presentCount, 0);
    assert.equal(events.filter((t) => t === 'done').length, PACK_FILES.length);
    assert.equal((await verifyPack(target)).ok, true);
    assertNoLeftovers(await listing(target));

    const second = await fetchPack({ from: sharedModels, modelsDir: target });
    assert.equal(second.fetchedCount, 0);
    assert.ok(second.files.every((f) => f.status === 'present'));
  });

  test('refuses a corrupted source file and leaves nothing of it behind', async () => {
    const source = await freshDir('bad-source');
    await copyPack(source);
    await flipByte(path.join(source, VICTIM.file));
    const target = await freshDir('bad-source-target');
    const error = await rejection(() => fetchPack({ from: source, modelsDir: target }));
    assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
    assert.equal(error.params.file, VICTIM.file);
    assert.match(error.message, /sha256 is [0-9a-f]{64}, expected/);
    const names = await listing(target);
    assertNoLeftovers(names);
    assert.ok(!names.includes(VICTIM.file));
    assert.ok(names.includes(YUNET.file), 'files fetched before the failure remain');
  });

  test('refuses what is not a directory or an http(s) URL', async () => {
    const target = await freshDir('bad-from');
    const missing = await rejection(() => fetchPack({ from: path.join(target, 'nope'), modelsDir: target }));
    assert.equal(missing.code, 'INVALID_ARGUMENT');
    const ftp = await rejection(() => fetchPack({ from: 'ftp://example.org/pack/', modelsDir: target }));
    assert.equal(ftp.code, 'INVALID_ARGUMENT');
    assert.match(ftp.message, /ftp:/);
    const secret = await rejection(() => fetchPack({ from: 'https://user:s3cret@example.org/pack/', modelsDir: target }));
    assert.equal(secret.code, 'INVALID_ARGUMENT');
    assert.ok(!secret.message.includes('s3cret'), 'credentials never reach messages');
  });
});

describe('fetchPack over HTTP', () => {
  let good: PackServer;
  before(async () => {
    good = await startPackServer();
  });
  after(async () => {
    await good.close();
  });

  for (const trailingSlash of [false, true]) {
    test(`downloads the whole pack (base URL ${trailingSlash ? 'with' : 'without'} trailing slash)`, async () => {
      const target = await freshDir('http');
      const from = trailingSlash ? `${good.base}/` : good.base;
      const report = await fetchPack({ from, modelsDir: target });
      assert.equal(report.fetchedCount, PACK_FILES.length);
      assert.equal(report.source, `${good.base}/`);
      assert.equal((await verifyPack(target)).ok, true);
      assertNoLeftovers(await listing(target));
      assert.ok(good.requests.includes('licenses/libfacedetection.train.LICENSE'));
    });
  }

  test('skips a file already present and correct, replaces one present but corrupt', async () => {
    const target = await freshDir('http-present');
    await copyFile(path.join(sharedModels, YUNET.file), path.join(target, YUNET.file));
    await chmod(path.join(target, YUNET.file), 0o644);
    await copyFile(path.join(sharedModels, VICTIM.file), path.join(target, VICTIM.file));
    await chmod(path.join(target, VICTIM.file), 0o644);
    await flipByte(path.join(target, VICTIM.file));
    good.requests.length = 0;

    const report = await fetchPack({ from: good.base, modelsDir: target });
    assert.equal(report.files.find((f) => f.file.file === YUNET.file)?.status, 'present');
    assert.equal(report.files.find((f) => f.file.file === VICTIM.file)?.status, 'fetched');
    assert.equal(report.presentCount, 1);
    assert.ok(!good.requests.includes(YUNET.file), 'a present file is not downloaded');
    assert.equal((await verifyPack(target)).ok, true);
  });

  const refusals: { behaviour: Behaviour; reason: RegExp }[] = [
    { behaviour: 'flip', reason: /sha256 is [0-9a-f]{64}, expected/ },
    { behaviour: 'truncate-chunked', reason: /truncated/ },
    { behaviour: 'too-long-chunked', reason: /more than the expected/ },
    { behaviour: 'short-content-length', reason: /announces/ },
    { behaviour: 'not-found', reason: /HTTP 404/ },
  ];
  for (const { behaviour, reason } of refusals) {
    test(`refuses a file served ${behaviour}, names it, leaves no temp or partial file`, async () => {
      const server = await startPackServer((file) => (file === VICTIM.file ? behaviour : undefined));
      try {
        const target = await freshDir(`http-${behaviour}`);
        const error = await rejection(() => fetchPack({ from: server.base, modelsDir: target }));
        assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
        assert.equal(error.params.file, VICTIM.file);
        assert.ok(error.message.includes(VICTIM.file), error.message);
        assert.match(error.message, reason);
        if (behaviour === 'not-found') assert.equal(error.params.status, 404);
        const names = await listing(target);
        assertNoLeftovers(names);
        assert.ok(!names.includes(VICTIM.file));
        assert.ok(names.includes(YUNET.file));
        assert.equal(await sha256File(path.join(target, YUNET.file)), YUNET.sha256);
      } finally {
        await server.close();
      }
    });
  }

  test('gives up on a download that stalls for stallTimeoutMs', async () => {
    const server = await startPackServer((file) => (file === YUNET.file ? 'stall' : undefined));
    try {
      const target = await freshDir('http-stall-gap');
      const error = await rejection(() => fetchPack({ from: server.base, modelsDir: target, stallTimeoutMs: 300 }));
      assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
      assert.match(error.message, /no data for 300 ms \(the server stalled\)\. Run the command again/);
      assertNoLeftovers(await listing(target));
    } finally {
      await server.close();
    }
  });

  test('gives up on a stalled download after timeoutMs', async () => {
    const server = await startPackServer((file) => (file === YUNET.file ? 'stall' : undefined));
    try {
      const target = await freshDir('http-stall');
      const started = Date.now();
      const error = await rejection(() => fetchPack({ from: server.base, modelsDir: target, timeoutMs: 300 }));
      assert.ok(Date.now() - started < 5_000);
      assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
      assert.equal(error.params.file, YUNET.file);
      assert.match(error.message, /timed out after 300 ms/);
      assertNoLeftovers(await listing(target));
    } finally {
      await server.close();
    }
  });

  test('reports a refused connection as MODEL_PACK_FETCH_FAILED', async () => {
    const server = await startPackServer();
    const base = server.base;
    await server.close();
    const target = await freshDir('http-refused');
    const error = await rejection(() => fetchPack({ from: base, modelsDir: target }));
    assert.equal(error.code, 'MODEL_PACK_FETCH_FAILED');
    assert.equal(error.params.file, PACK_FILES[0].file);
    assertNoLeftovers(await listing(target));
  });
});

describe('facelive models (CLI)', () => {
  /** Runs the CLI in-process; restores process.exitCode so the test runner is unaffected. */
  async function runCli(args: string[], options: { globalModelsDir?: boolean } = {}) {
    let stdout = '';
    let stderr = '';
    const sink = (append: (s: string) => void) =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          append(chunk.toString());
          callback();
        },
      });
    const program = new Command('facelive').exitOverride().configureOutput({
      writeOut: (s) => void (stdout += s),
      writeErr: (s) => void (stderr += s),
    });
    // As src/cli/main.ts may do: a program-wide --models-dir.
    if (options.globalModelsDir) program.option('--models-dir <dir>', 'models directory');
    registerModelsCommand(program, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
    const previous = process.exitCode;
    process.exitCode = undefined;
    try {
      await program.parseAsync(['node', 'facelive', ...args]);
      return { stdout, stderr, exitCode: process.exitCode };
    } finally {
      process.exitCode = previous;
    }
  }

  test('verify passes on the real pack with one line per file', async () => {
    const { stdout, stderr, exitCode } = await runCli(['models', 'verify', '--models-dir', sharedModels]);
    assert.equal(exitCode, undefined);
    assert.equal(stderr, '');
    assert.ok(stdout.includes('ok  yunet_s_dynamic.onnx  detector/yunet-s@2023.1\n'), stdout);
    assert.ok(stdout.includes('ok  licenses/YOLOX.LICENSE\n'), stdout);
    assert.match(stdout, /All 14 files are ok/);
  });

  test('verify on a damaged pack exits 1 and names the files, wherever --models-dir is given', async () => {
    const dir = await freshDir('cli-damaged');
    await copyPack(dir);
    await flipByte(path.join(dir, VICTIM.file));
    await rm(path.join(dir, YUNET.file));
    for (const [args, globalModelsDir] of [
      [['models', 'verify', '--models-dir', dir], false],
      [['models', 'verify', '--models-dir', dir], true],
      [['--models-dir', dir, 'models', 'verify'], true],
    ] as const) {
      const { stdout, exitCode } = await runCli([...args], { globalModelsDir });
      assert.equal(exitCode, 1, args.join(' '));
      assert.ok(stdout.includes(`checksum-mismatch  ${VICTIM.file}  ${VICTIM.id}  (sha256 `), stdout);
      assert.ok(stdout.includes(`missing  ${YUNET.file}  ${YUNET.id}\n`), stdout);
      assert.match(stdout, /2 of 14 files are not ok .*\(1 missing, 1 checksum-mismatch\)/);
    }
    const json = await runCli(['models', 'verify', '--json', '--models-dir', dir]);
    assert.equal(json.exitCode, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; files: { file: string; status: string }[] };
    assert.equal(report.ok, false);
    assert.equal(report.files.find((f) => f.file === VICTIM.file)?.status, 'checksum-mismatch');
  });

  test('fetch copies the default set or --all of a pack, and a refused file exits 1 with error CODE on stderr', async () => {
    const target = await freshDir('cli-fetch');
    const defaults = await runCli(['models', 'fetch', '--from', sharedModels, '--models-dir', target]);
    assert.equal(defaults.exitCode, undefined, defaults.stderr);
    assert.ok(defaults.stdout.includes(`fetched  ${YUNET.file}  ${YUNET.id}  (upstream)\n`), defaults.stdout);
    assert.ok(defaults.stdout.includes(`fetched  ${VICTIM.file}  ${VICTIM.id}  (pytorch-export)\n`), defaults.stdout);
    assert.match(defaults.stdout, /Fetched 5 files \(0 already present\)/);
    const ok = await runCli(['models', 'fetch', '--all', '--from', sharedModels, '--models-dir', target]);
    assert.equal(ok.exitCode, undefined);
    assert.match(ok.stdout, /Fetched 9 files \(5 already present\)/);

    const server = await startPackServer((file) => (file === VICTIM.file ? 'flip' : undefined));
    try {
      const badTarget = await freshDir('cli-fetch-bad');
      const bad = await runCli(['models', 'fetch', '--from', server.base, '--models-dir', badTarget]);
      assert.equal(bad.exitCode, 1);
      assert.match(bad.stderr, new RegExp(`^error MODEL_PACK_FETCH_FAILED: Fetching ${VICTIM.file.replaceAll('.', '\\.')} from `, 'm'));
      assert.ok(bad.stdout.includes(`fetched  ${YUNET.file}`), 'files done before the failure are listed');
    } finally {
      await server.close();
    }
  });

  test('fetch refuses --from with --mirror, an unknown --model, and a pack-only model from upstream', async () => {
    const target = await freshDir('cli-fetch-refusals');
    const both = await runCli(['models', 'fetch', '--from', sharedModels, '--mirror', 'http://127.0.0.1:9', '--models-dir', target]);
    assert.equal(both.exitCode, 1);
    assert.match(both.stderr, /^error INVALID_ARGUMENT: Invalid --from \/ --mirror: expected one of them, received both/);
    const unknown = await runCli(['models', 'fetch', '--model', 'pad/nope@1', '--models-dir', target]);
    assert.equal(unknown.exitCode, 1);
    assert.match(unknown.stderr, /^error CONFIG_INVALID: .*unknown model id "pad\/nope@1"/);
    const packOnly = await runCli(['models', 'fetch', '--model', 'pad/hyperfas-mbv050-224@1.0', '--mirror', 'http://127.0.0.1:9', '--models-dir', target]);
    assert.equal(packOnly.exitCode, 1);
    assert.match(packOnly.stderr, /others need --from <dir\|url>.*received pad\/hyperfas-mbv050-224@1\.0/);
    assert.deepEqual(await readdir(target), [], 'nothing is written when the request is refused');
  });

  test('fetch --help names the default set, the upstream models and the pack-only ones', async () => {
    let help = '';
    const program = new Command('facelive').exitOverride().configureOutput({ writeOut: (s) => void (help += s) });
    registerModelsCommand(program, { stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr: new Writable({ write: (_c, _e, cb) => cb() }) });
    await assert.rejects(
      program.parseAsync(['node', 'facelive', 'models', 'fetch', '--help']),
      (error: unknown) => error instanceof CommanderError && error.code === 'commander.helpDisplayed',
    );
    assert.match(help, /\* detector\/yunet-s@2023\.1/);
    assert.match(help, /\* pad\/minifasnet-v2-s2\.7@1\.0 +minifasnet_v2_scale2\.7_80x80\.onnx \(converted from 2\.7_80x80_MiniFASNetV2\.pth\)/);
    assert.match(help, / pad\/celeba-minifasv2se-128@98\.20/);
    assert.match(help, /only from a model pack \(--from <dir\|url>\):\n( {2}.*\n){4}/);
    assert.match(help, /--mirror <url>/);
  });
});
