/**
 * One HTTP(S) download of a model pack file into memory, checked as it arrives: the status, the
 * announced length, never more bytes than the largest accepted file, a deadline for the whole
 * file and a stall timeout (no bytes for a while, headers included), then size and sha256
 * against the accepted files. Model files are a few MB, so memory is the simplest atomic buffer:
 * nothing reaches the disk until it is known to be right.
 *
 * Requests go through undici's EnvHttpProxyAgent, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY are
 * honoured as other command-line tools do.
 */
import { createHash } from 'node:crypto';
import { EnvHttpProxyAgent, fetch } from 'undici';
import type { PinnedFile } from './manifest.js';

/** Limits of one download. */
export interface DownloadLimits {
  /** Longest time for the whole file, connection included. */
  readonly timeoutMs: number;
  /** Longest time without a byte (before the headers, or between two chunks). */
  readonly stallTimeoutMs: number;
}

/** A download that failed; `reason` says how, `remedy` what the operator can do. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly reason: string,
    readonly remedy: string,
    readonly details: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

const RETRY = 'Run the command again: files already fetched are kept and skipped.';
const WRONG_FILE =
  'The source holds a different file: check that it serves the pinned upstream commit (or an unmodified model pack), then run the command again.';

let agent: EnvHttpProxyAgent | undefined;
// One agent per process (its connection pool), created on first use so importing is free.
function proxyAwareAgent(): EnvHttpProxyAgent {
  agent ??= new EnvHttpProxyAgent();
  return agent;
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() rejects with a bare "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is the cause.
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? ` (${String(cause.code)})` : '';
  return cause ? `${error.message}: ${cause.message}${code}` : error.message;
}

/** Checks received bytes against the accepted files and returns the one they are. */
export function matchAccepted(bytes: Uint8Array, accepted: readonly PinnedFile[]): PinnedFile {
  if (!accepted.some((a) => a.sizeBytes === bytes.byteLength)) {
    const sizes = accepted.map((a) => a.sizeBytes).join(' or ');
    throw new DownloadError(`received ${bytes.byteLength} bytes, expected ${sizes} (truncated or a different file)`, RETRY, {
      actualSizeBytes: bytes.byteLength,
      expectedSizeBytes: accepted[0].sizeBytes,
    });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const match = accepted.find((a) => a.sha256 === sha256 && a.sizeBytes === bytes.byteLength);
  if (!match) {
    throw new DownloadError(`sha256 is ${sha256}, expected ${accepted.map((a) => a.sha256).join(' or ')}`, WRONG_FILE, {
      actualSha256: sha256,
      expectedSha256: accepted[0].sha256,
    });
  }
  return match;
}

/**
 * Downloads `url` and returns its bytes once they are one of the `accepted` files. Throws a
 * {@link DownloadError} for an HTTP error, a wrong length or digest, a timeout or a stall.
 *
 * @example
 * const bytes = await download(url, [{ sha256, sizeBytes }], { timeoutMs: 120_000, stallTimeoutMs: 20_000 }, (n) => {});
 */
export async function download(
  url: string,
  accepted: readonly PinnedFile[],
  limits: DownloadLimits,
  onBytes: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new DownloadError(`timed out after ${limits.timeoutMs} ms`, `${RETRY} A slow link may need a larger --timeout-ms.`)),
    limits.timeoutMs,
  );
  let stall: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(stall);
    stall = setTimeout(
      () =>
        controller.abort(
          new DownloadError(`no data for ${limits.stallTimeoutMs} ms (the server stalled)`, `${RETRY} A slow link may need a larger --stall-timeout-ms.`),
        ),
      limits.stallTimeoutMs,
    );
  };
  const maxBytes = Math.max(...accepted.map((a) => a.sizeBytes));
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    armStallTimer();
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow', dispatcher: proxyAwareAgent() });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const remedy =
        response.status === 404 ? 'Check the URL: a mirror must serve <owner>/<repo>/<commit>/<path> as https://raw.githubusercontent.com does.' : RETRY;
      throw new DownloadError(`HTTP ${response.status} ${response.statusText}`.trim(), remedy, { status: response.status });
    }
    // With a content-encoding, Content-Length counts compressed bytes, not the file's.
    const length = response.headers.get('content-length');
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (length !== null && !encoded && !accepted.some((a) => a.sizeBytes === Number(length))) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError(`the server announces ${length} bytes, expected ${accepted.map((a) => a.sizeBytes).join(' or ')}`, WRONG_FILE, {
        actualSizeBytes: Number(length),
        expectedSizeBytes: accepted[0].sizeBytes,
      });
    }
    if (!response.body) throw new DownloadError('the response has no body', RETRY);
    // Leaving the loop early (throw) cancels the body, which aborts the download.
    for await (const chunk of response.body) {
      armStallTimer();
      received += chunk.byteLength;
      if (received > maxBytes) throw new DownloadError(`received more than the expected ${maxBytes} bytes`, WRONG_FILE, { expectedSizeBytes: maxBytes });
      chunks.push(chunk);
      onBytes(received);
    }
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof DownloadError) throw controller.signal.reason;
    if (error instanceof DownloadError) throw error;
    if (received > 0) {
      const expected = accepted.map((a) => a.sizeBytes).join(' or ');
      throw new DownloadError(`the connection broke after ${received} of ${expected} bytes (truncated): ${describeCause(error)}`, RETRY, {}, { cause: error });
    }
    throw new DownloadError(
      describeCause(error),
      `Check the network (and HTTPS_PROXY if you need a proxy), or install offline with --mirror <url> or --from <dir|url>.`,
      {},
      { cause: error },
    );
  } finally {
    clearTimeout(deadline);
    clearTimeout(stall);
  }
  const bytes = Buffer.concat(chunks, received);
  matchAccepted(bytes, accepted);
  return bytes;
}
