/**
 * A loopback HTTP server over a folder laid out as `<owner>/<repo>/<commit>/<path>`, answering
 * as https://raw.githubusercontent.com does: `GET /<owner>/<repo>/<commit>/<path>` returns the
 * file with its length, anything else 404. Serving `../shared/models/upstream/` makes the whole
 * `models fetch` default path testable without internet (`--mirror <url>`). Tests can make it
 * misbehave for chosen paths.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** How the mirror answers a path instead of serving it faithfully. */
export type Misbehaviour =
  /** The file with one byte in the middle inverted (same length). */
  | 'flip'
  /** Announces the full length, sends half, then drops the connection. */
  | 'truncate'
  | 'not-found'
  /** Announces the full length, sends half, then nothing, keeping the connection open. */
  | 'stall';

/** A running mirror. */
export interface UpstreamMirror {
  /** `http://127.0.0.1:<port>`: what `--mirror` takes. */
  readonly url: string;
  /** Paths requested (decoded, without the leading slash), in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface UpstreamMirrorOptions {
  /** Folder served (e.g. `../shared/models/upstream`). */
  readonly root: string;
  /** Per requested path (`owner/repo/commit/path`): how to misbehave, or undefined to serve it. */
  readonly misbehave?: (requestPath: string) => Misbehaviour | undefined;
}

async function readWhole(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts a mirror on 127.0.0.1 and a free port.
 *
 * @example
 * const mirror = await startUpstreamMirror({ root: path.join(SHARED_DIR, 'models/upstream') });
 * // facelive models fetch --mirror ${mirror.url}
 */
export async function startUpstreamMirror(options: UpstreamMirrorOptions): Promise<UpstreamMirror> {
  const root = path.resolve(options.root);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const requestPath = decodeURIComponent(new URL(req.url ?? '/', 'http://mirror').pathname).replace(/^\/+/, '');
      requests.push(requestPath);
      const file = path.resolve(root, requestPath);
      const info = file.startsWith(root + path.sep) && req.method === 'GET' ? await stat(file).catch(() => undefined) : undefined;
      const mode = options.misbehave?.(requestPath);
      if (!info?.isFile() || mode === 'not-found') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404: Not Found');
        return;
      }
      const headers = { 'content-type': 'application/octet-stream', 'content-length': info.size };
      if (mode === undefined) {
        res.writeHead(200, headers);
        createReadStream(file).pipe(res);
        return;
      }
      const bytes = await readWhole(file);
      switch (mode) {
        case 'flip':
          bytes[bytes.length >> 1] ^= 0xff;
          res.writeHead(200, headers).end(bytes);
          return;
        case 'truncate':
          res.writeHead(200, headers);
          res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
          return;
        case 'stall':
          res.writeHead(200, headers);
          res.write(bytes.subarray(0, bytes.length >> 1));
          return;
      }
    })().catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
