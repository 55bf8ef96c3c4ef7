/**
 * Fetching an image by URL for any API dialect, safely: http/https only, every host resolved and
 * checked against the {@link AddressPolicy} before connecting and again on the connected socket,
 * redirects followed by hand (each hop checked, at most `maxRedirects`), one deadline for the
 * whole fetch plus a connect timeout, and the body streamed with a byte cap. The content type is
 * ignored: the decoder decides from the bytes. Every failure is its own catalogue error.
 */
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { FaceliveError } from '../errors/catalogue.js';
import { createAddressPolicy, describeRange, type AddressPolicy } from './address-policy.js';
import { AddressRefusedError, guardedConnector, systemResolveAll, type ResolveAll } from './guarded-connector.js';

/** Limits of URL fetching (the `server.urlFetch` config section). */
export interface ImageFetchOptions {
  readonly allowCidrs: readonly string[];
  readonly connectTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

/** Fetches image bytes; one instance (and connection pool) per server. */
export interface ImageFetcher {
  /** Downloads `url`; `field` names the request field in error messages. */
  fetch(url: string, field: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'facelive-image-fetch/0.1';

type Phase = 'waiting for the response' | 'reading the body';

function parseTarget(raw: string, field: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (error) {
    throw new FaceliveError('URL_INVALID', { field, reason: 'it does not parse' }, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FaceliveError('URL_SCHEME_UNSUPPORTED', { scheme: url.protocol.replace(/:$/, '') });
  }
  if (url.username || url.password) throw new FaceliveError('URL_INVALID', { field, reason: 'user:password@ is not accepted' });
  return url;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function refused(host: string, range: string, cause?: unknown): FaceliveError {
  return new FaceliveError('URL_ADDRESS_REFUSED', { host, range: describeRange(range) }, { cause });
}

/** Resolves and checks a URL's host before any connection; the connector checks again. */
async function precheckHost(url: URL, policy: AddressPolicy, resolveAll: ResolveAll): Promise<void> {
  const host = bareHost(url);
  if (isIP(host)) {
    const verdict = policy.check(host);
    if (!verdict.allowed) throw refused(host, verdict.range);
    return;
  }
  let addresses: Awaited<ReturnType<ResolveAll>>;
  try {
    addresses = await resolveAll(host);
  } catch (error) {
    throw new FaceliveError('URL_FETCH_FAILED', { reason: `host ${host} could not be resolved` }, { cause: error });
  }
  for (const { address } of addresses) {
    const verdict = policy.check(address);
    if (!verdict.allowed) throw refused(host, verdict.range);
  }
}

function findInChain<T>(error: unknown, test: (e: unknown) => e is T): T | undefined {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    if (test(current)) return current;
  }
  return undefined;
}

function hasCode(code: string) {
  return (e: unknown): e is { code: string } => (e as { code?: unknown })?.code === code;
}

/** Drops a response body we will not read; the connection is closed rather than drained. */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

async function readCapped(body: AsyncIterable<Buffer> & Parameters<typeof discard>[0], maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      discard(body);
      throw new FaceliveError('URL_TOO_LARGE', { maxBytes });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Turns whatever undici, DNS or the guard threw into the matching catalogue error. */
function classify(error: unknown, phase: Phase, deadline: AbortSignal, options: ImageFetchOptions, host: string): FaceliveError {
  if (error instanceof FaceliveError) return error;
  const refusal = findInChain(error, (e): e is AddressRefusedError => e instanceof AddressRefusedError);
  if (refusal) return refused(host, refusal.range, error);
  if (deadline.aborted || findInChain(error, hasCode('UND_ERR_BODY_TIMEOUT')) || findInChain(error, hasCode('UND_ERR_HEADERS_TIMEOUT'))) {
    return new FaceliveError('URL_TIMEOUT', { timeoutMs: options.totalTimeoutMs, phase }, { cause: error });
  }
  if (findInChain(error, hasCode('UND_ERR_CONNECT_TIMEOUT'))) {
    return new FaceliveError('URL_TIMEOUT', { timeoutMs: options.connectTimeoutMs, phase: 'connecting' }, { cause: error });
  }
  const coded = findInChain(error, (e): e is { code: string } => typeof (e as { code?: unknown })?.code === 'string');
  const reason = coded ? `${coded.code} while ${phase}` : `error while ${phase}`;
  return new FaceliveError('URL_FETCH_FAILED', { reason }, { cause: error });
}

/**
 * Creates the fetcher. `resolveAll` is the DNS step (the system resolver by default; tests may
 * substitute one that maps names onto loopback).
 *
 * @example
 * const fetcher = createImageFetcher(config.server.urlFetch);
 * const bytes = await fetcher.fetch('https://images.example.com/selfie.jpg', 'imageUrl');
 */
export function createImageFetcher(options: ImageFetchOptions, resolveAll: ResolveAll = systemResolveAll): ImageFetcher {
  const policy = createAddressPolicy(options.allowCidrs);
  const agent = new Agent({
    connect: guardedConnector(policy, resolveAll, options.connectTimeoutMs),
    // Backstops only: the deadline signal of each fetch is the timeout that normally fires.
    headersTimeout: options.totalTimeoutMs + 1_000,
    bodyTimeout: options.totalTimeoutMs + 1_000,
    keepAliveTimeout: 4_000,
  });

  async function fetchImage(raw: string, field: string): Promise<Uint8Array> {
    let url = parseTarget(raw, field);
    const deadline = AbortSignal.timeout(options.totalTimeoutMs);
    for (let redirects = 0; ; redirects++) {
      let phase: Phase = 'waiting for the response';
      try {
        await precheckHost(url, policy, resolveAll);
        const response = await request(url, {
          dispatcher: agent,
          method: 'GET',
          signal: deadline,
          headers: { 'user-agent': USER_AGENT, accept: 'image/*' },
        });
        phase = 'reading the body';
        const { statusCode, headers, body } = response;
        if (REDIRECT_STATUSES.has(statusCode)) {
          discard(body);
          const location = headers.location;
          if (typeof location !== 'string' || location === '') {
            throw new FaceliveError('URL_FETCH_FAILED', { reason: `redirect ${statusCode} without a Location header` });
          }
          if (redirects >= options.maxRedirects) throw new FaceliveError('URL_REDIRECT_LIMIT', { maxRedirects: options.maxRedirects });
          url = parseTarget(location, field, url);
          continue;
        }
        if (statusCode < 200 || statusCode > 299) {
          discard(body);
          throw new FaceliveError('URL_HTTP_STATUS', { status: statusCode });
        }
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          discard(body);
          throw new FaceliveError('URL_TOO_LARGE', { maxBytes: options.maxBytes });
        }
        return await readCapped(body, options.maxBytes);
      } catch (error) {
        throw classify(error, phase, deadline, options, bareHost(url));
      }
    }
  }

  return {
    fetch: fetchImage,
    close: () => agent.close(),
  };
}
