/**
 * Fitting text into a terminal: paths shortened from the left (the file name is what a person
 * scans for) and notes wrapped at word boundaries.
 */

/** Terminal width used when stdout is not a terminal and COLUMNS is not set. */
export const DEFAULT_COLUMNS = 100;
/** Narrowest layout attempted; narrower terminals get this width and let the terminal wrap. */
export const MIN_COLUMNS = 40;

/**
 * The width to lay text out for: the terminal's, else `COLUMNS`, else {@link DEFAULT_COLUMNS};
 * never below {@link MIN_COLUMNS}.
 */
export function outputColumns(stream: { readonly isTTY?: boolean; readonly columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.COLUMNS);
  const columns = stream.isTTY && stream.columns ? stream.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_COLUMNS;
  return Math.max(MIN_COLUMNS, columns);
}

/**
 * A path of at most `width` characters: unchanged when it fits, else its tail after `…`, cut at a
 * `/` when that keeps the whole file name.
 *
 * @example
 * shortenPath('../shared/datasets/pad-dev/images/nuaa/live/a.jpg', 20); // '…/nuaa/live/a.jpg'
 */
export function shortenPath(file: string, width: number): string {
  if (file.length <= width) return file;
  const tail = file.slice(file.length - (width - 1));
  const slash = tail.indexOf('/');
  const name = file.slice(file.lastIndexOf('/') + 1);
  return slash >= 0 && tail.length - slash > name.length ? `…${tail.slice(slash)}` : `…${tail}`;
}

/**
 * `text` broken into lines of at most `width` characters at spaces; a word longer than a line is
 * cut.
 *
 * @example
 * wrapText('Step back so your head and shoulders are in the frame.', 20);
 * // ['Step back so your', 'head and shoulders', 'are in the frame.']
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
