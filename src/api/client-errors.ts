/**
 * Errors Node and fastify answer before any route runs, each in the envelope of the dialect that
 * owns the request's path: requests Node's HTTP parser rejects (headers too large: 431, a
 * malformed request line or header: 400, a request not received in time: 408), written straight
 * to the socket; and URLs the router cannot decode (fastify's `frameworkErrors`). A request whose
 * body the client cut short (it closed its side before Content-Length arrived) is refused by the
 * parser after the request was routed; it is answered in the envelope of that request's dialect.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { FaceliveError } from '../errors/catalogue.js';
import { answererOf, sendDialectError } from './dialect-scope.js';
import { toHttpError } from './http-errors.js';
import { writeRequestLine } from './request-outcome.js';

/** What Node's parser reported: its code, and the bytes of the request it was reading (a Buffer). */
interface ParserError extends Error {
  readonly code?: string;
  readonly rawPacket?: unknown;
}

const REQUEST_LINE = /^([A-Z]{1,16}) (\S{1,8192}) HTTP\/1\.[01]\r?\n/;

/** Method and path of the request being parsed, when its request line arrived whole. */
function requestLineOf(raw: unknown): { method: string; url: string } | undefined {
  const match = Buffer.isBuffer(raw) ? REQUEST_LINE.exec(raw.subarray(0, 8300).toString('latin1')) : null;
  return match ? { method: match[1], url: match[2] } : undefined;
}

function errorOf(parserError: ParserError, requestTimeoutMs: number): FaceliveError {
  switch (parserError.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new FaceliveError('REQUEST_HEADERS_TOO_LARGE', { maxBytes: http.maxHeaderSize }, { cause: parserError });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new FaceliveError('REQUEST_TIMEOUT', { timeoutMs: requestTimeoutMs }, { cause: parserError });
    default:
      return new FaceliveError('REQUEST_MALFORMED', { reason: 'the HTTP request cannot be parsed' }, { cause: parserError });
  }
}

/** The request each socket is reading the body of, so that a parser error mid-body knows whose it is. */
export interface RequestsInFlight {
  /** Records `request` as the one its socket carries (call from an onRequest hook). */
  note(request: IncomingMessage): void;
  /** The request on `socket` whose body has not fully arrived, if any. */
  unfinishedOn(socket: Socket): { method: string; url: string; headers: http.IncomingHttpHeaders } | undefined;
}

/** @example const inFlight = requestsInFlight(); app.addHook('onRequest', async (request) => inFlight.note(request.raw)); */
export function requestsInFlight(): RequestsInFlight {
  const bySocket = new WeakMap<Socket, IncomingMessage>();
  return {
    note: (request) => void bySocket.set(request.socket, request),
    unfinishedOn: (socket) => {
      const request = bySocket.get(socket);
      return request && !request.complete ? { method: request.method ?? 'GET', url: request.url ?? '', headers: request.headers } : undefined;
    },
  };
}

/**
 * fastify's `clientErrorHandler`: answers a request Node's parser refused, in the envelope of the
 * dialect owning its path (the server's own envelope when the path cannot be read), with one
 * request line in the log, then closes the connection.
 *
 * @example
 * Fastify({ clientErrorHandler: answerClientErrors(logger, config.server.requestTimeoutMs, inFlight) });
 */
export function answerClientErrors(logger: Logger, requestTimeoutMs: number, inFlight?: RequestsInFlight) {
  return (parserError: ParserError, socket: Socket): void => {
    // A reset connection has nobody to answer.
    if (parserError.code === 'ECONNRESET' || socket.destroyed) return;
    // A request already routed (its body cut short, or its deadline passed) is known whole; else read its request line.
    const routed = inFlight?.unfinishedOn(socket);
    const line = routed ?? requestLineOf(parserError.rawPacket);
    const { dialect, surface } = answererOf(routed ?? { url: line?.url ?? '' });
    const error = toHttpError(errorOf(parserError, requestTimeoutMs));
    const requestId = randomUUID();
    const rendered = dialect.errors.render(error, requestId);
    const body = JSON.stringify(rendered.body);
    const headers = {
      ...rendered.headers,
      'content-type': dialect.contentType ?? 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
      connection: 'close',
    };
    const head = [
      `HTTP/1.1 ${rendered.status} ${http.STATUS_CODES[rendered.status] ?? ''}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
    else socket.destroy();
    logger.info(
      {
        reqId: requestId,
        dialect: surface,
        method: line?.method,
        route: 'unmatched',
        status: rendered.status,
        errorCode: error.code,
        parserCode: parserError.code,
      },
      'request',
    );
  };
}

/**
 * fastify's `frameworkErrors`: a URL the router cannot decode (or another routing failure) is
 * answered like any error of the dialect owning the path. No hook has run for such a request, so
 * its log line is written here.
 */
export function answerFrameworkErrors(bodyLimitBytes: number) {
  return (error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    const { dialect, surface } = answererOf(request);
    request.outcome ??= { surface };
    reply.raw.once('finish', () => writeRequestLine(request, reply));
    sendDialectError(reply, dialect, surface, error, bodyLimitBytes);
  };
}
