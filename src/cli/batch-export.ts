/**
 * `facelive batch export` formats: JSON lines (each the image's `facelive check --json` record
 * with the batch fields in front) and CSV (the fields a spreadsheet needs, RFC 4180 quoting).
 */
import type { BatchResult } from '../store/batch-results.js';

/** Export formats. */
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** CSV columns, in order. */
export const CSV_COLUMNS = [
  'input',
  'decision',
  'score',
  'live_probability',
  'error_code',
  'error_message',
  'content_sha256',
  'attempts',
  'worker',
  'finished_at',
] as const;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One CSV line. */
export function csvLine(result: BatchResult): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
    input: result.input,
    decision: result.decision,
    score: result.score,
    live_probability: result.liveProbability,
    error_code: result.errorCode,
    error_message: result.errorMessage,
    content_sha256: result.contentSha256,
    attempts: result.attempts,
    worker: result.worker,
    finished_at: result.finishedAt.toISOString(),
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

/** One JSON line: batch fields, then the check record. */
export function jsonLine(result: BatchResult): string {
  return `${JSON.stringify({
    batchId: result.batchId,
    itemId: result.itemId,
    input: result.input,
    contentSha256: result.contentSha256,
    attempts: result.attempts,
    worker: result.worker,
    finishedAt: result.finishedAt.toISOString(),
    ...(result.record as object),
  })}\n`;
}
