import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, for reading the dev set and writing bench/results/. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What every benchmark report records about the run, so figures can be compared. */
export interface BenchEnvironment {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
}

/** The machine, Node version and commit of this run. */
export function benchEnvironment(): BenchEnvironment {
  let commit = 'unknown';
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? '+dirty' : '');
  } catch {
    // Not a git checkout (for example a published package): the report says so.
  }
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
  };
}

/** A TCP port free on 127.0.0.1 right now, for a server the benchmark starts as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `npm start`'s allocator settings (package.json, deploy/Dockerfile): what production runs with. */
export const NPM_START_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** The built CLI, which the server benchmarks run as production does (`npm run build` first). */
export const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

/** Resident memory of a process (every thread included), MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** A `facelive serve` child of a benchmark, ready, with what /readyz says of its pool. */
export interface BenchServer {
  readonly url: string;
  readonly readiness: { readonly workers: number; readonly maxQueue: number };
  stop(): Promise<void>;
}

/**
 * Starts the built `facelive serve` on a free loopback port with `config` (written to a temporary
 * file) and `npm start`'s allocator settings, and waits until /readyz answers 200.
 *
 * @example
 * const server = await startBuiltServer({ server: { native: { apiKeys: [{ key }] } } }, ['--workers', '2']);
 */
export async function startBuiltServer(config: unknown, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<BenchServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-bench-'));
  const file = path.join(dir, 'facelive.json');
  writeFileSync(file, JSON.stringify(config));
  const port = await freePort();
  const args = [BUILT_CLI, 'serve', '--port', String(port), '--config', file, ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...NPM_START_ENV, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`facelive serve exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const readiness = (await (await fetch(`${url}/readyz`)).json()) as BenchServer['readiness'];
  return {
    url,
    readiness,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
