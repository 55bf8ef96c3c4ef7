/**
 * A strict RFC 4180 CSV reader: comma separators, CRLF or LF line ends, fields optionally in
 * double quotes (which may hold commas, line breaks and doubled quotes `""`). Anything else —
 * a quote inside an unquoted field, text after a closing quote, an unterminated quote — is a
 * syntax error naming the line, never a silently shifted column.
 */

/** One record with the (1-based) line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** The records, or the first syntax error. */
export type CsvParse = { readonly ok: true; readonly records: readonly CsvRecord[] } | { readonly ok: false; readonly line: number; readonly reason: string };

/**
 * Parses CSV text. A UTF-8 byte-order mark is dropped; blank lines are skipped.
 *
 * @example
 * parseCsv('file,licence\na.jpg,"MIT, see ""NOTICE"""\n');
 * // { ok: true, records: [{ line: 1, fields: ['file', 'licence'] }, { line: 2, fields: ['a.jpg', 'MIT, see "NOTICE"'] }] }
 */
export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = '';
      if (input[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= input.length) return { ok: false, line: quoteLine, reason: 'a quoted field is never closed' };
          const c = input[i];
          if (c === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && input[i + 1] === '\n')) {
          return { ok: false, line, reason: `unexpected ${JSON.stringify(next)} after the closing quote of field ${fields.length + 1}` };
        }
      } else {
        while (i < input.length && input[i] !== ',' && input[i] !== '\n' && !(input[i] === '\r' && input[i + 1] === '\n')) {
          if (input[i] === '"') return { ok: false, line, reason: `a quote inside unquoted field ${fields.length + 1}` };
          field += input[i++];
        }
      }
      fields.push(field);
      if (input[i] === ',') {
        i++;
      } else {
        // End of line or of input.
        if (input[i] === '\r') i++;
        if (input[i] === '\n') {
          i++;
          line++;
        }
        endOfRecord = true;
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields });
  }
  return { ok: true, records };
}
