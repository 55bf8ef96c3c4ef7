/**
 * A frozen PostgreSQL without freezing the shared one: a TCP proxy on 127.0.0.1 (port 0) in front
 * of the test server. `freeze()` behaves as SIGSTOP does for clients: connections are still
 * accepted (by the kernel, as a stopped postmaster's are) and bytes are still taken, but nothing
 * is answered; `thaw()` delivers everything held back, as SIGCONT would. `close()` also ends
 * every proxied connection.
 */
import net from 'node:net';

/** Where the real test PostgreSQL listens. */
export const TEST_POSTGRES_URL = process.env.FACELIVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A running proxy. */
export interface PostgresProxy {
  /** TEST_POSTGRES_URL with the proxy's host and port (and `database` when given). */
  url(database?: string): string;
  readonly port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** One direction of a proxied connection: holds chunks while frozen. */
function forward(from: net.Socket, to: net.Socket, isFrozen: () => boolean, held: Buffer[]): void {
  from.on('data', (chunk: Buffer) => {
    if (isFrozen()) held.push(chunk);
    else to.write(chunk);
  });
}

/**
 * Starts a proxy to TEST_POSTGRES_URL's host and port; `frozen` starts it frozen (a black hole for
 * start-up tests).
 *
 * @example
 * const proxy = await startPostgresProxy();
 * proxy.freeze();
 */
export async function startPostgresProxy(options: { frozen?: boolean } = {}): Promise<PostgresProxy> {
  const target = new URL(TEST_POSTGRES_URL);
  let frozen = options.frozen ?? false;
  const flushes = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port) || 5432, target.hostname);
    sockets.add(client).add(upstream);
    const toServer: Buffer[] = [];
    const toClient: Buffer[] = [];
    forward(client, upstream, () => frozen, toServer);
    forward(upstream, client, () => frozen, toClient);
    const flush = () => {
      for (const chunk of toServer.splice(0)) upstream.write(chunk);
      for (const chunk of toClient.splice(0)) client.write(chunk);
    };
    flushes.add(flush);
    const end = () => {
      flushes.delete(flush);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url(database) {
      const url = new URL(TEST_POSTGRES_URL);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      if (database !== undefined) url.pathname = `/${database}`;
      return url.toString();
    },
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const flush of flushes) flush();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
