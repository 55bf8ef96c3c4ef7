/**
 * HTTP/1.1 by hand over a TCP socket, for what a client library will not send: headers larger
 * than the server's limit, invalid header names, pipelined requests, uploads cut off mid-body.
 */
import net from 'node:net';
import type { ProbeRequest } from './dialect-probe.js';

/** One parsed response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The bytes of a request: request line, headers (Host and Content-Length added when absent), body. */
export function requestBytes(request: ProbeRequest, extraHeaders: Readonly<Record<string, string>> = {}): Buffer {
  const body = request.payload === undefined ? Buffer.alloc(0) : Buffer.from(request.payload);
  const headers: Record<string, string> = { host: '127.0.0.1', ...request.headers, ...extraHeaders };
  if (body.length > 0 || request.method === 'POST') headers['content-length'] = String(body.length);
  const head = [`${request.method} ${request.url} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}

/** A connection that collects everything the server sends until it closes the socket. */
export interface RawConnection {
  write(data: Buffer | string): void;
  /** Resolves with all bytes received once the server (or `end`) closed the connection. */
  readonly closed: Promise<Buffer>;
  /** Closes our side abruptly (an aborted upload). */
  destroy(): void;
}

/** Opens a connection to 127.0.0.1:`port`. */
export async function connect(port: number): Promise<RawConnection> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<Buffer>((resolve) => {
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(Buffer.concat(chunks)));
  });
  return { write: (data) => socket.write(data), closed, destroy: () => socket.destroy() };
}

/** Sends `data` and returns what the server answered before closing. */
export async function exchange(port: number, data: Buffer | string): Promise<RawResponse[]> {
  const connection = await connect(port);
  connection.write(data);
  return parseResponses(await connection.closed);
}

/** Splits the bytes of one or more responses (Content-Length framed, as facelive answers). */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', offset);
    if (end < 0) throw new Error(`an incomplete response: ${bytes.subarray(offset, offset + 200).toString('latin1')}`);
    const [statusLine, ...lines] = bytes.subarray(offset, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    const body = bytes.subarray(end + 4, end + 4 + length).toString('utf8');
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    offset = end + 4 + length;
  }
  return responses;
}
