/**
 * Request bytes in flight, bounded while a body is read. A body being received is held in memory
 * until it is complete, so unfinished uploads are memory a client pins for as long as it likes:
 * 200 unfinished 6 MB uploads held about 1.1 GB (issue 13). Every request body counts against a
 * global budget and one per client address until its response is done or its client goes away.
 *
 * - A request that declares a `Content-Length` reserves it on arrival: a length above the route's
 *   body limit is refused at once with 413, one beyond a budget with SERVER_IN_FLIGHT_LIMITED
 *   (503) or CLIENT_IN_FLIGHT_LIMITED (429), each in the dialect's envelope and without reading
 *   the body.
 * - A chunked request (no `Content-Length`: the Alibaba SDK always sends its form so) reserves its
 *   bytes as they arrive. Reserving the whole body limit up front would let one client send one
 *   chunked camera photo at a time (48 MiB of 64 MiB). When the next chunk would exceed a budget,
 *   the body stream fails with the same error, which the dialect's error handler answers; the
 *   connection is closed after that answer, so the rest of the body is not read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';

/** The budgets; 0 turns one off. */
export interface InFlightLimits {
  /** Bytes in flight over all clients. */
  readonly maxBytes: number;
  /** Bytes in flight per client address. */
  readonly maxBytesPerClient: number;
  /** The server's body limit (routes may set a smaller one). */
  readonly bodyLimitBytes: number;
}

/** What is reserved now, for tests and metrics. */
export interface InFlightBytes {
  readonly totalBytes: number;
  bytesOf(address: string): number;
}

/** The bytes one request holds, given back once when its response closes. */
interface Reservation {
  /** Reserves `bytes` more, or returns the error that refuses them (nothing reserved then). */
  take(bytes: number): FaceliveError | undefined;
  release(): void;
}

/** The body size a request announces: its Content-Length, or undefined without a body or with a chunked one. */
function declaredLength(request: FastifyRequest): { readonly hasBody: boolean; readonly bytes: number | undefined } {
  const header = request.headers['content-length'];
  if (header !== undefined) {
    const bytes = Number(header);
    return { hasBody: bytes > 0, bytes: Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined };
  }
  return { hasBody: request.headers['transfer-encoding'] !== undefined, bytes: undefined };
}

/**
 * The counting stream a chunked body is read through: each chunk is reserved before it is passed
 * on, and the stream fails with the budget's error instead of passing one that does not fit. It
 * draws from the request only once its own reader starts: a body nobody reads (a content type
 * refused unread) stays with Node, which discards it after the answer and keeps the connection.
 */
class BudgetedBody extends Transform {
  private connected = false;

  constructor(
    private readonly source: Readable,
    private readonly reservation: Reservation,
    private readonly onRefused: () => void,
  ) {
    super();
  }

  override _read(size: number): void {
    if (!this.connected) {
      this.connected = true;
      // pipe() forwards no error: a client that goes away mid-body must still end the parser's read.
      this.source.once('error', (error) => this.destroy(error));
      this.source.pipe(this);
    }
    super._read(size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const refused = this.reservation.take(chunk.length);
    if (refused) {
      this.source.unpipe(this);
      this.onRefused();
      callback(refused);
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Counts a chunked multipart body where it is read: @fastify/multipart pipes `request.raw` into
 * its parser itself and ignores the stream preParsing returns. The count starts when the request
 * starts flowing, so it sees every chunk the parser reads and never starts the flow itself; a
 * refusal is raised on the request, which the multipart parser turns into the failure of the
 * file being read.
 */
function countAsRead(raw: IncomingMessage, reservation: Reservation, onRefused: () => void): void {
  const onData = (chunk: Buffer) => {
    const refused = reservation.take(chunk.length);
    if (!refused) return;
    raw.removeListener('data', onData);
    onRefused();
    raw.unpipe();
    // Without a listener an 'error' event would throw; with none, nobody is reading the body.
    if (raw.listenerCount('error') > 0) raw.emit('error', refused);
  };
  raw.once('resume', () => raw.on('data', onData));
}

/** No reuse of a connection whose request body was abandoned half-way: its rest is never read. */
function closeAfterAnswer(response: ServerResponse): () => void {
  return () => {
    if (!response.headersSent) response.shouldKeepAlive = false;
  };
}

/**
 * Registers the hooks at the root (before any route), so they see every request to every route.
 *
 * @example
 * registerInFlightLimits(app, { ...config.server.inFlight, bodyLimitBytes: config.server.bodyLimitBytes });
 */
export function registerInFlightLimits(app: FastifyInstance, limits: InFlightLimits): InFlightBytes {
  let totalBytes = 0;
  const byAddress = new Map<string, number>();
  const chunked = new WeakMap<FastifyRequest, Reservation>();

  const reservationFor = (address: string): Reservation => {
    let held = 0;
    let released = false;
    return {
      take: (bytes) => {
        if (released) return undefined;
        const ofAddress = byAddress.get(address) ?? 0;
        if (limits.maxBytesPerClient > 0 && ofAddress + bytes > limits.maxBytesPerClient) {
          return new FaceliveError('CLIENT_IN_FLIGHT_LIMITED', { maxBytes: limits.maxBytesPerClient });
        }
        if (limits.maxBytes > 0 && totalBytes + bytes > limits.maxBytes) return new FaceliveError('SERVER_IN_FLIGHT_LIMITED', { maxBytes: limits.maxBytes });
        held += bytes;
        totalBytes += bytes;
        byAddress.set(address, ofAddress + bytes);
        return undefined;
      },
      release: () => {
        if (released) return;
        released = true;
        totalBytes -= held;
        const left = (byAddress.get(address) ?? held) - held;
        if (left > 0) byAddress.set(address, left);
        else byAddress.delete(address);
      },
    };
  };

  app.addHook('onRequest', async (request, reply) => {
    const { hasBody, bytes } = declaredLength(request);
    if (!hasBody) return;
    const limit = request.routeOptions.bodyLimit ?? limits.bodyLimitBytes;
    // Refused on the header alone: nothing of an oversized body is ever buffered.
    if (bytes !== undefined && bytes > limit) throw new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: limit });
    const reservation = reservationFor(request.ip);
    if (bytes !== undefined) {
      const refused = reservation.take(bytes);
      if (refused) throw refused;
    } else {
      chunked.set(request, reservation);
    }
    // A response's 'close' fires once it is finished, and also when the client goes away first.
    reply.raw.once('close', reservation.release);
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    const reservation = chunked.get(request);
    if (!reservation) return payload;
    const onRefused = closeAfterAnswer(reply.raw);
    if (request.headers['content-type']?.toLowerCase().startsWith('multipart/')) {
      countAsRead(request.raw, reservation, onRefused);
      return payload;
    }
    return new BudgetedBody(payload, reservation, onRefused);
  });

  return {
    get totalBytes() {
      return totalBytes;
    },
    bytesOf: (address) => byAddress.get(address) ?? 0,
  };
}
