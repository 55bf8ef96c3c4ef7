import type { LivenessResult } from '../engine/types.js';
import { shortenPath, wrapText } from './text-layout.js';

/** One line of `facelive check --json`: the engine result flattened for scripts. */
export interface CheckRecord {
  readonly file: string;
  readonly score: number | null;
  readonly liveProbability: number | null;
  readonly decision: LivenessResult['decision'] | null;
  readonly retryReasons?: LivenessResult['retryReasons'];
  readonly retryHints?: LivenessResult['retryHints'];
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
    retryHints: result.retryHints,
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

/** Quality flags worth a note; the retry reasons are told by their hints instead. */
const NOTED_FLAGS = ['faceCutOff', 'dark', 'overexposed', 'blurry', 'poseExtreme'] as const;

function notesOf(record: CheckRecord): string {
  if (record.error) return `${record.error.code}: ${record.error.message}`;
  const q = record.quality;
  const faces = record.faces ?? [];
  const judged = faces.filter((f) => f.liveness !== null);
  const attacks = judged.slice(1).filter((f) => f.liveness?.decision === 'spoof').length;
  const parts = [
    faces.length > 1 ? `${faces.length} faces (${judged.length} judged${attacks > 0 ? `, ${attacks} other judged spoof` : ''})` : '',
    ...(q ? NOTED_FLAGS.filter((flag) => q[flag]) : []),
    ...(record.retryHints ?? []),
  ];
  return parts.filter(Boolean).join('; ');
}

const HEADER = ['FILE', 'DECISION', 'SCORE', 'LIVE P', 'FACE PX', 'NOTES'];
const GAP = '  ';
/** Below this, notes go on their own lines under the row rather than in a column. */
const MIN_NOTES_COLUMN = 24;
/** Whole paths are shown when the notes still get this many columns beside them (or all they need). */
const COMFORTABLE_NOTES_COLUMN = 40;
/** Otherwise the file column takes at most this share of the width left by the fixed columns. */
const FILE_SHARE = 0.5;

/**
 * The readable table of `facelive check`, laid out for `columns` characters: one row per image,
 * paths shortened from the left, notes wrapped (in their column, or under the row when the
 * terminal is narrow), then one line of counts per decision.
 *
 * @example
 * io.stdout.write(formatTable(records, outputColumns(process.stdout)));
 */
export function formatTable(records: readonly CheckRecord[], columns: number): string {
  const cells = records.map((r) => [
    r.decision ?? 'error',
    r.score === null ? '-' : String(r.score),
    r.liveProbability === null ? '-' : r.liveProbability.toFixed(4),
    r.quality ? String(r.quality.faceSizePx) : '-',
  ]);
  const fixed = [1, 2, 3, 4].map((i) => Math.max(HEADER[i].length, ...cells.map((row) => row[i - 1].length)));
  const fixedWidth = fixed.reduce((sum, w) => sum + w + GAP.length, 0) + GAP.length;
  const longestFile = Math.max(HEADER[0].length, ...records.map((r) => r.file.length));
  const longestName = Math.max(...records.map((r) => r.file.length - r.file.lastIndexOf('/') - 1));
  const available = columns - fixedWidth;
  // Whole file names if possible, the rest of the path as room allows; when that leaves the
  // notes too narrow a column, they go under the row and the path gets the whole width.
  const notes = records.map(notesOf);
  const notesWanted = Math.min(COMFORTABLE_NOTES_COLUMN, Math.max(HEADER[5].length, ...notes.map((n) => n.length)));
  let fileWidth = available - longestFile >= notesWanted ? longestFile : Math.min(longestFile, Math.max(longestName + 2, Math.floor(available * FILE_SHARE)));
  const notesInColumn = available - fileWidth >= MIN_NOTES_COLUMN;
  if (!notesInColumn) fileWidth = Math.max(HEADER[0].length, Math.min(longestFile, available));
  const notesWidth = available - fileWidth;
  const indent = ' '.repeat(columns - notesWidth);
  const line = (file: string, fixedCells: readonly string[], notes: string) =>
    [file.padEnd(fileWidth), ...fixedCells.map((c, i) => c.padEnd(fixed[i])), notes].join(GAP).trimEnd();

  const out = [line(HEADER[0], HEADER.slice(1, 5), notesInColumn ? HEADER[5] : '')];
  records.forEach((record, i) => {
    const file = shortenPath(record.file, fileWidth);
    if (notesInColumn) {
      const [first, ...rest] = notes[i] ? wrapText(notes[i], notesWidth) : [''];
      out.push(line(file, cells[i], first), ...rest.map((more) => `${indent}${more}`));
    } else {
      out.push(line(file, cells[i], ''), ...(notes[i] ? wrapText(notes[i], columns - 4).map((more) => `    ${more}`) : []));
    }
  });
  out.push('', ...wrapText(decisionCounts(records), columns));
  return `${out.join('\n')}\n`;
}

/**
 * `3 images: 1 live, 1 spoof, 0 retry, 1 error`.
 *
 * @example
 * decisionCounts(records);
 */
export function decisionCounts(records: readonly CheckRecord[]): string {
  const count = (decision: CheckRecord['decision']) => records.filter((r) => r.decision === decision).length;
  const total = `${records.length} image${records.length === 1 ? '' : 's'}`;
  return `${total}: ${count('live')} live, ${count('spoof')} spoof, ${count('retry')} retry, ${count(null)} error`;
}
