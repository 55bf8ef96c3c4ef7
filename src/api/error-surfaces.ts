/**
 * Every API surface's error mapping in one list, for the coverage test and the generated table
 * in docs/errors.md. A new dialect adds its row here (and its `Record<ErrorCode, …>` in its folder).
 */
import { ACCUAUTH_ERRORS, ACCUAUTH_HTTP_STATUS } from './accuauth/errors.js';
import { ACEDATA_ERRORS } from './acedata/errors.js';
import { ADVANCE_ERRORS } from './advance/errors.js';
import { NATIVE_STATUS } from './native/errors.js';
import { TENCENT_ERRORS } from './tencent/errors.js';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../errors/catalogue.js';

/** One surface: its name and how a code reads there (for the table). */
export interface ErrorSurface {
  readonly name: string;
  /** The mapping object itself (the coverage test checks it has every code). */
  readonly mapping: Readonly<Record<ErrorCode, unknown>>;
  describe(code: ErrorCode): string;
}

/** The surfaces in table order: native first, then each dialect. */
export const ERROR_SURFACES: readonly ErrorSurface[] = [
  { name: 'native (HTTP status)', mapping: NATIVE_STATUS, describe: (code) => String(NATIVE_STATUS[code]) },
  { name: 'Tencent Cloud (HTTP 200)', mapping: TENCENT_ERRORS, describe: (code) => TENCENT_ERRORS[code] },
  { name: 'Ace Data Cloud', mapping: ACEDATA_ERRORS, describe: (code) => `${ACEDATA_ERRORS[code].status} ${ACEDATA_ERRORS[code].code}` },
  { name: 'AccuAuth', mapping: ACCUAUTH_ERRORS, describe: (code) => `${ACCUAUTH_HTTP_STATUS[ACCUAUTH_ERRORS[code]]} ${ACCUAUTH_ERRORS[code]}` },
  { name: 'ADVANCE.AI (HTTP 200)', mapping: ADVANCE_ERRORS, describe: (code) => ADVANCE_ERRORS[code] },
];

/** The Markdown table of docs/errors.md: every catalogue code on every surface. */
export function renderErrorTable(): string {
  const header = ['code', 'message', ...ERROR_SURFACES.map((s) => s.name)];
  const rows = ERROR_CODES.map((code) => [
    `\`${code}\``,
    ERROR_CATALOGUE[code].message.replace(/\|/g, '\\|'),
    ...ERROR_SURFACES.map((surface) => `\`${surface.describe(code)}\``),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n') + '\n';
}
