/**
 * `facelive serve` as a child process (the CLI from source, port 0, one worker, the test model
 * pack) with a config file and environment of the test's choosing; its JSON log lines are parsed
 * as they arrive, so a test can wait for "ready", signal it and time its exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODELS_DIR, REPO_ROOT } from './paths.js';

/** Picks a log line. */
export type LineMatch = (line: Record<string, unknown>) => boolean;

/** A running `facelive serve`. */
export interface ServeChild {
  readonly child: ChildProcess;
  /** Log lines so far (parsed JSON; other stdout lines are skipped). */
  lines(): Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the first log line whose `msg` is `match` (or that `match` accepts); rejects if the process exits first. */
  waitFor(match: string | LineMatch): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (null after a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `facelive serve --port 0 --workers 1` with `config` written to a temporary config file.
 *
 * @example
 * const server = startServeChild({ store: { postgresUrl } }, { FACELIVE_ADVANCE_ACCESS_KEY: 'k' });
 * await server.waitFor('ready');
 */
export function startServeChild(config: object, env: NodeJS.ProcessEnv = {}): ServeChild {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-serve-'));
  const configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--workers', '1', '--models-dir', MODELS_DIR, '--config', configFile],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const parsed: Record<string, unknown>[] = [];
  const waiters: { matches: LineMatch; resolve: (line: Record<string, unknown>) => void }[] = [];
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const text of lines) {
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        parsed.push(line);
        for (const waiter of waiters.filter((w) => w.matches(line))) waiter.resolve(line);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  return {
    child,
    lines: () => parsed,
    stderr: () => stderr,
    exited,
    waitFor: (match) => {
      const matches: LineMatch = typeof match === 'string' ? (line) => line.msg === match : match;
      const seen = parsed.find(matches);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiters.push({ matches, resolve })),
        exited.then((code) => Promise.reject(new Error(`facelive serve exited (${code}) before the line awaited (${String(match)}): ${stderr}`))),
      ]);
    },
  };
}
