import type { FetchProgressEvent } from '../models/fetch-pack.js';

/** Where fetch progress goes: stderr, rewritten in place on a terminal. */
export interface ProgressStream {
  readonly stream: NodeJS.WritableStream;
  readonly isTTY: boolean;
}

/** Terminal updates at most this often per file. */
const REDRAW_INTERVAL_MS = 100;

const bytes = (n: number): string => n.toLocaleString('en-US');

/**
 * Prints `models fetch` progress on stderr: a line when a file starts (with its URL or path),
 * the bytes received so far (redrawn in place on a terminal), and the total and conversion time
 * when it is installed. Files already present print nothing here.
 *
 * @example
 * await fetchPack({ modelsDir, onProgress: fetchProgressPrinter({ stream: process.stderr, isTTY: true }) });
 */
export function fetchProgressPrinter(out: ProgressStream): (event: FetchProgressEvent) => void {
  let lastDraw = 0;
  let drawn = false;
  let received = 0;
  const clearLine = (): void => {
    if (drawn) out.stream.write('\r\x1b[K');
    drawn = false;
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        received = 0;
        out.stream.write(`fetching ${event.file.file} from ${event.source}\n`);
        return;
      case 'bytes': {
        received = event.receivedBytes;
        const now = Date.now();
        if (!out.isTTY || now - lastDraw < REDRAW_INTERVAL_MS) return;
        lastDraw = now;
        const of = event.expectedBytes === undefined ? '' : ` / ${bytes(event.expectedBytes)}`;
        out.stream.write(`\r\x1b[K  ${bytes(event.receivedBytes)}${of} bytes`);
        drawn = true;
        return;
      }
      case 'convert':
        clearLine();
        out.stream.write(`  converting ${event.file.file} (${event.file.upstream?.converter})\n`);
        return;
      case 'done': {
        clearLine();
        const { result } = event;
        if (result.status !== 'fetched') return;
        const installed = result.convertMs === undefined ? '' : `, converted in ${Math.round(result.convertMs)} ms to ${bytes(result.file.sizeBytes)} bytes`;
        out.stream.write(`  received ${bytes(received)} bytes${installed}; installed ${result.file.file} (${result.build})\n`);
        return;
      }
    }
  };
}
