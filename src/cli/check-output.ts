import type { LivenessResult } from '../engine/types.js';

/** One line of `facelive check --json`: the engine result flattened for scripts. */
export interface CheckRecord {
  readonly file: string;
  readonly score: number | null;
  readonly liveProbability: number | null;
  readonly decision: LivenessResult['decision'] | null;
  readonly retryReasons?: readonly string[];
  readonly faces: LivenessResult['faces'] | null;
  readonly quality: LivenessResult['quality'] | null;
  readonly models?: LivenessResult['models'];
  readonly modelIds?: LivenessResult['modelIds'];
  readonly timings?: LivenessResult['timings'];
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** Record for an analysed image. */
export function resultRecord(file: string, result: LivenessResult): CheckRecord {
  return {
    file,
    score: result.score,
    liveProbability: result.liveProbability,
    decision: result.decision,
    retryReasons: result.retryReasons,
    faces: result.faces,
    quality: result.quality,
    models: result.models,
    modelIds: result.modelIds,
    timings: result.timings,
    error: null,
  };
}

/** Record for an image that failed. */
export function errorRecord(file: string, error: { code: string; message: string }): CheckRecord {
  return { file, score: null, liveProbability: null, decision: null, faces: null, quality: null, error };
}

function qualityNotes(record: CheckRecord): string {
  if (record.error) return `${record.error.code}: ${record.error.message}`;
  const q = record.quality;
  if (!q) return '';
  const flags = (['insufficientContext', 'monochrome', 'faceCutOff', 'dark', 'overexposed', 'blurry', 'poseExtreme'] as const).filter((f) => q[f]);
  return [q.faceCount > 1 ? `${q.faceCount} faces` : '', ...flags].filter(Boolean).join(', ');
}

/** The readable table of `facelive check`: one row per image, columns aligned. */
export function formatTable(records: readonly CheckRecord[]): string {
  const header = ['FILE', 'DECISION', 'SCORE', 'LIVE P', 'FACE PX', 'NOTES'];
  const rows = records.map((r) => [
    r.file,
    r.decision ?? 'error',
    r.score === null ? '-' : String(r.score),
    r.liveProbability === null ? '-' : r.liveProbability.toFixed(4),
    r.quality ? String(r.quality.faceSizePx) : '-',
    qualityNotes(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
