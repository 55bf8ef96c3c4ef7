/**
 * Redis for the tests: the shared server on 127.0.0.1:6379 (FACELIVE_TEST_REDIS_URL; never
 * flushed, every test run writes under its own key prefix and deletes exactly those keys), and
 * private `redis-server` processes on a free port for tests that kill Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The shared Redis of development and CI machines. */
export const TEST_REDIS_URL = process.env.FACELIVE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A key prefix no other run uses. */
export function uniqueKeyPrefix(what: string): string {
  return `facelive-test:${what}:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (SCAN + DEL: other users' keys are never touched). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A `redis-server` of this test alone. */
export interface PrivateRedis {
  readonly url: string;
  /** SIGKILLs the server (an outage as abrupt as a crashed host) and waits for its exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it persists nothing). */
  restart(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(output)) {
      if (started.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await start();
  process.once('exit', () => child?.kill('SIGKILL'));
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    restart: start,
  };
}
