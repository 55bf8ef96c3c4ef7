import { execFileSync } from 'node:child_process';
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
