/**
 * The `labels.csv` of an evaluation folder (the format of ../shared/datasets/pad-dev): columns
 * `file`, `label` (`live` | `spoof` | `noface`) and `attack` are required, `source_repo` is used
 * when present, any other column is ignored. Every row is checked before any image is analysed;
 * all problems found are reported together, each with its line number.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { parseCsv } from './csv.js';

/** The three labels of a row. */
export type Label = 'live' | 'spoof' | 'noface';

const LABELS: readonly Label[] = ['live', 'spoof', 'noface'];
const REQUIRED_COLUMNS = ['file', 'label', 'attack'] as const;
/** Attack types are identifiers: `print`, `replay`, `mask`, `cutout`, `unknown`, … */
const ATTACK_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** The attack value of live and noface rows (an empty cell means the same). */
export const NO_ATTACK = 'none';
/** Problems listed in the error message; the rest are counted. */
const MAX_LISTED_PROBLEMS = 10;

/** One validated row. */
export interface LabelledImage {
  /** Line of labels.csv the row starts on (the header is line 1). */
  readonly line: number;
  /** Path relative to the folder, as written in the file. */
  readonly file: string;
  readonly label: Label;
  /** PAI species for spoof rows; `none` otherwise. */
  readonly attack: string;
  /** `source_repo`, or null when the column is absent or the cell empty. */
  readonly source: string | null;
}

/** A validated labels file. */
export interface LabelsFile {
  readonly dir: string;
  readonly path: string;
  readonly sha256: string;
  readonly images: readonly LabelledImage[];
}

/** The name of the labels file inside an evaluation folder. */
export const LABELS_FILE_NAME = 'labels.csv';

function invalid(file: string, reason: string): FaceliveError {
  return new FaceliveError('LABELS_INVALID', { file, reason });
}

async function isRegularFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}

/**
 * Reads and validates `<dir>/labels.csv`: the header must have the required columns; every row
 * needs as many cells as the header, a known label, an attack type that fits the label (`none`
 * or empty for live and noface rows, a type other than `none` for spoof rows) and a file inside
 * the folder that exists and is listed once. Any problem is LABELS_INVALID naming the lines.
 *
 * @example
 * const labels = await readLabels('../shared/datasets/pad-dev');
 * labels.images.length; // 563
 */
export async function readLabels(dir: string): Promise<LabelsFile> {
  const root = path.resolve(dir);
  const file = path.join(root, LABELS_FILE_NAME);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new FaceliveError('LABELS_INVALID', { file, reason: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }, { cause: error });
  }
  const parsed = parseCsv(bytes.toString('utf8'));
  if (!parsed.ok) throw invalid(file, `line ${parsed.line}: ${parsed.reason}`);
  const [header, ...rows] = parsed.records;
  if (!header) throw invalid(file, 'it is empty; expected a header line with the columns file,label,attack');
  const columns = header.fields.map((c) => c.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw invalid(file, `line ${header.line}: the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; found ${columns.join(',')}`);
  }
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated) throw invalid(file, `line ${header.line}: column ${repeated} appears twice`);
  if (rows.length === 0) throw invalid(file, 'it has a header but no rows');

  const index = Object.fromEntries(columns.map((c, i) => [c, i]));
  const problems: string[] = [];
  const images: LabelledImage[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of rows) {
    if (fields.length !== columns.length) {
      problems.push(`line ${line}: expected ${columns.length} fields as in the header, found ${fields.length}`);
      continue;
    }
    const cell = (name: string) => (index[name] === undefined ? '' : fields[index[name]].trim());
    const name = cell('file');
    const label = cell('label');
    let attack = cell('attack');
    const rowProblems: string[] = [];
    if (!(LABELS as readonly string[]).includes(label)) {
      rowProblems.push(`unknown label ${JSON.stringify(label)}, expected live, spoof or noface`);
    } else if (label === 'spoof') {
      if (attack === '' || attack === NO_ATTACK)
        rowProblems.push(`a spoof row needs an attack type (e.g. print, replay, mask, unknown), found ${JSON.stringify(attack)}`);
    } else if (attack === '') {
      attack = NO_ATTACK;
    } else if (attack !== NO_ATTACK) {
      rowProblems.push(`a ${label} row must have attack none, found ${JSON.stringify(attack)}`);
    }
    if (attack !== '' && !ATTACK_PATTERN.test(attack)) rowProblems.push(`attack ${JSON.stringify(attack)} is not an identifier (letters, digits, _ . -)`);
    const resolved = path.resolve(root, name);
    const relative = path.relative(root, resolved);
    if (name === '') rowProblems.push('the file cell is empty');
    else if (path.isAbsolute(name) || relative.startsWith('..') || path.isAbsolute(relative))
      rowProblems.push(`file ${JSON.stringify(name)} is outside the folder`);
    else if (firstLineOf.has(relative)) rowProblems.push(`file ${JSON.stringify(name)} is already listed on line ${firstLineOf.get(relative)}`);
    else firstLineOf.set(relative, line);
    if (rowProblems.length > 0) {
      problems.push(...rowProblems.map((p) => `line ${line}: ${p}`));
      continue;
    }
    const source = cell('source_repo');
    images.push({ line, file: name, label: label as Label, attack, source: source === '' ? null : source });
  }
  const present = await Promise.all(images.map((image) => isRegularFile(path.resolve(root, image.file))));
  images.forEach((image, i) => {
    if (!present[i]) problems.push(`line ${image.line}: file ${JSON.stringify(image.file)} does not exist or is not a regular file`);
  });
  if (problems.length > 0) {
    problems.sort((a, b) => Number(a.split(/[ :]/)[1]) - Number(b.split(/[ :]/)[1]));
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
    const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more problems` : '';
    throw invalid(file, `${problems.length} problem${problems.length > 1 ? 's' : ''}: ${listed}${more}`);
  }
  return { dir: root, path: file, sha256: createHash('sha256').update(bytes).digest('hex'), images };
}
