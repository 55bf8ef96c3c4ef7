/**
 * The tables of docs/errors.md, generated from the catalogue and every dialect's error mapping
 * (`DIALECTS`): one row per HTTP code with its answer on each surface, and the codes only the
 * command line raises. `test/unit/generated-docs.test.ts` keeps the document current.
 */
import { ERROR_CATALOGUE, ERROR_CODES, HTTP_ERROR_CODES, isHttpErrorCode } from '../errors/catalogue.js';
import type { Dialect } from './dialect.js';
import { DIALECTS } from './dialects.js';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  return `${[header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n')}\n`;
}

/** Every HTTP code with its message and its answer on every surface, in catalogue order. */
export function renderErrorTable(dialects: readonly Dialect[] = DIALECTS): string {
  return table([
    ['code', 'message', ...dialects.map((dialect) => dialect.errors.heading)],
    ...HTTP_ERROR_CODES.map((code) => [
      `\`${code}\``,
      escapeCell(ERROR_CATALOGUE[code].message),
      ...dialects.map((dialect) => `\`${dialect.errors.describe(code)}\``),
    ]),
  ]);
}

/** The codes only the command line raises (no surface maps them; a server answers INTERNAL_ERROR should one escape). */
export function renderCliErrorTable(): string {
  return table([
    ['code', 'message'],
    ...ERROR_CODES.filter((code) => !isHttpErrorCode(code)).map((code) => [`\`${code}\``, escapeCell(ERROR_CATALOGUE[code].message)]),
  ]);
}
