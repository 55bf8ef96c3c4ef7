/**
 * Request bytes in flight, bounded before a body is read. A body being received is held in memory
 * until it is complete, so unfinished uploads are memory a client pins for as long as it likes:
 * 200 unfinished 6 MB uploads held about 1.1 GB (issue 13). On arrival, a request with a body
 * reserves its declared `Content-Length` (the route's body limit when it declares none: chunked)
 * against a global budget and one per client address, and gives it back when its response is
 * done or its client goes away. A declared length above the route's body limit is refused at
 * once with 413, a request beyond a budget with SERVER_IN_FLIGHT_LIMITED (503) or
 * CLIENT_IN_FLIGHT_LIMITED (429), each in the dialect's envelope and without reading the body.
 */
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
 * Registers the hook at the root (before any route), so it sees every request to every route.
 *
 * @example
 * registerInFlightLimits(app, { ...config.server.inFlight, bodyLimitBytes: config.server.bodyLimitBytes });
 */
export function registerInFlightLimits(app: FastifyInstance, limits: InFlightLimits): InFlightBytes {
  let totalBytes = 0;
  const byAddress = new Map<string, number>();
  const reserve = (request: FastifyRequest): (() => void) | undefined => {
    const { hasBody, bytes } = declaredLength(request);
    if (!hasBody) return undefined;
    const limit = request.routeOptions.bodyLimit ?? limits.bodyLimitBytes;
    // Refused on the header alone: nothing of an oversized body is ever buffered.
    if (bytes !== undefined && bytes > limit) throw new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: limit });
    const size = bytes ?? limit;
    const address = request.ip;
    const ofAddress = byAddress.get(address) ?? 0;
    if (limits.maxBytesPerClient > 0 && ofAddress + size > limits.maxBytesPerClient) {
      throw new FaceliveError('CLIENT_IN_FLIGHT_LIMITED', { maxBytes: limits.maxBytesPerClient });
    }
    if (limits.maxBytes > 0 && totalBytes + size > limits.maxBytes) throw new FaceliveError('SERVER_IN_FLIGHT_LIMITED', { maxBytes: limits.maxBytes });
    totalBytes += size;
    byAddress.set(address, ofAddress + size);
    return () => {
      totalBytes -= size;
      const left = (byAddress.get(address) ?? size) - size;
      if (left > 0) byAddress.set(address, left);
      else byAddress.delete(address);
    };
  };
  app.addHook('onRequest', async (request, reply) => {
    const release = reserve(request);
    if (!release) return;
    let held = true;
    // A response's 'close' fires once it is finished, and also when the client goes away first.
    reply.raw.once('close', () => {
      if (held) release();
      held = false;
    });
  });
  return {
    get totalBytes() {
      return totalBytes;
    },
    bytesOf: (address) => byAddress.get(address) ?? 0,
  };
}
