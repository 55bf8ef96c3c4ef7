/**
 * The sockets of a connection pool, so that closing the pool can be bounded: a graceful close
 * sends PostgreSQL its Terminate message and waits for the server to hang up, which a frozen
 * server never does, and an open socket keeps the process alive. Whatever is still open after
 * the grace period is destroyed.
 */
import net from 'node:net';

/** Sockets created through {@link SocketSet.create}, forgotten once closed. */
export class SocketSet {
  private readonly open = new Set<net.Socket>();

  /** A new, unconnected TCP socket that the set tracks (pg's `stream` factory). */
  create(): net.Socket {
    const socket = new net.Socket();
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  }

  /** Sockets not yet closed. */
  get size(): number {
    return this.open.size;
  }

  /**
   * Waits up to `graceMs` for every socket to close, then destroys the rest.
   *
   * @example
   * await pool.end();
   * await sockets.closeAll(1000);
   */
  async closeAll(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.open.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}
