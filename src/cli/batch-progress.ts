/**
 * Progress of a batch as `facelive batch status` shows it: counts, throughput measured from the
 * results' finish times, and the time left at that rate.
 */
import type { BatchProgress } from '../store/batch-results.js';

/** Throughput and time left; undefined where not yet measurable. */
export interface BatchRate {
  /** Images per second between the first and the last result. */
  readonly imagesPerSecond?: number;
  /** Seconds until every image has a result at that rate. */
  readonly etaSeconds?: number;
}

/**
 * Rate over the results so far, and the time left. Measured between the first and last result,
 * so a batch that waited in the queue before a worker started is not counted as slow.
 *
 * @example
 * rateOf({ done: 100, total: 1000, firstFinishedAt, lastFinishedAt, ... }); // { imagesPerSecond: 40, etaSeconds: 22.5 }
 */
export function rateOf(progress: BatchProgress): BatchRate {
  if (progress.done >= progress.total) return { etaSeconds: 0, imagesPerSecond: measured(progress) };
  const imagesPerSecond = measured(progress);
  if (imagesPerSecond === undefined) return {};
  return { imagesPerSecond, etaSeconds: (progress.total - progress.done) / imagesPerSecond };
}

function measured(progress: BatchProgress): number | undefined {
  if (progress.done < 2 || !progress.firstFinishedAt || !progress.lastFinishedAt) return undefined;
  const seconds = (progress.lastFinishedAt.getTime() - progress.firstFinishedAt.getTime()) / 1000;
  // n results span n-1 intervals.
  return seconds > 0 ? (progress.done - 1) / seconds : undefined;
}

/** `1h02m`, `3m05s`, `42s`; `?` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.ceil(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The one-shot status text. */
export function formatProgress(progress: BatchProgress): string {
  const { imagesPerSecond, etaSeconds } = rateOf(progress);
  const percent = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 100;
  const state = progress.done >= progress.total ? 'complete' : 'in progress';
  return [
    `batch ${progress.batchId}: ${state}, ${progress.done}/${progress.total} images (${percent}%)`,
    `  live ${progress.live}, spoof ${progress.spoof}, retry ${progress.retry}, error ${progress.errors}`,
    `  rate ${imagesPerSecond === undefined ? '?' : imagesPerSecond.toFixed(1)} images/s, ETA ${formatDuration(etaSeconds)}`,
    '',
  ].join('\n');
}

/** The machine-readable status (`--json`). */
export function progressJson(progress: BatchProgress): Record<string, unknown> {
  const { imagesPerSecond, etaSeconds } = rateOf(progress);
  return {
    batchId: progress.batchId,
    createdAt: progress.createdAt.toISOString(),
    total: progress.total,
    done: progress.done,
    complete: progress.done >= progress.total,
    decisions: { live: progress.live, spoof: progress.spoof, retry: progress.retry },
    errors: progress.errors,
    imagesPerSecond: imagesPerSecond ?? null,
    etaSeconds: etaSeconds ?? null,
  };
}
