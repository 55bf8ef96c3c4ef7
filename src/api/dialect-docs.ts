/**
 * Reader's tables generated from `DIALECTS`, so that a new dialect documents its prefix,
 * credentials, environment variables and config keys by being listed: the surfaces table of
 * docs/http-api.md and the dialect sections of docs/configuration.md.
 * `test/unit/generated-docs.test.ts` keeps both documents current.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import type { Dialect } from './dialect.js';
import { DIALECTS, ownedPaths } from './dialects.js';

function table(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  return `${[header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** `FACELIVE_A`, or `FACELIVE_A` + `FACELIVE_B` (both or neither), optionally with "add(s) one". */
function envOf(dialect: Dialect, addsOne = false): string {
  const names = Object.values(dialect.credentials.env).map((name) => `\`${name}\``);
  const verb = addsOne ? (names.length > 1 ? ' add one' : ' adds one') : '';
  return names.length > 1 ? `${names.join(' + ')}${verb} (both or neither)` : `${names.join('')}${verb}`;
}

/** `{secretId, secretKey, name?, …}`: the fields of one credential entry, optional ones marked. */
function entryShape(dialect: Dialect): string {
  const list = dialect.config.properties[dialect.credentials.list] as TSchema & { items?: TObject };
  const item = list.items;
  if (!item?.properties) return '';
  const required = new Set(item.required ?? []);
  return `{${Object.keys(item.properties)
    .map((key) => (required.has(key) ? key : `${key}?`))
    .join(', ')}}`;
}

/** One row per dialect: name, title, route prefix, credential list in the config, environment variables. */
export function renderSurfaceTable(dialects: readonly Dialect[] = DIALECTS): string {
  return table([
    ['dialect', 'surface', 'paths', 'credentials in the config', 'environment (adds one credential)'],
    ...dialects.map((dialect) => [
      `\`${dialect.name}\``,
      dialect.title,
      ownedPaths(dialect)
        .map((path) => `\`${path}\`${path === '/' ? ' (that path only, shared by the root dialects)' : ''}`)
        .join(', '),
      `\`server.${dialect.name}.${dialect.credentials.list}\`: \`[${entryShape(dialect)}]\``,
      envOf(dialect),
    ]),
  ]);
}

interface Leaf {
  readonly key: string;
  readonly schema: TSchema;
}

/**
 * Leaves of a section with their dotted keys: objects are walked; an array is a leaf, followed by
 * the fields of its objects as `key[].field`.
 */
function leavesOf(schema: TSchema, prefix: string): Leaf[] {
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties as Record<string, TSchema>).flatMap(([key, child]) => leavesOf(child, `${prefix}.${key}`));
  }
  const items = (schema as { items?: TSchema }).items;
  if (schema.type === 'array' && items?.type === 'object' && items.properties) {
    return [{ key: prefix, schema }, ...leavesOf(items, `${prefix}[]`)];
  }
  return [{ key: prefix, schema }];
}

/** Every key of every `server.<name>` section: default, environment, meaning (from the schema's descriptions). */
export function renderDialectConfigTable(dialects: readonly Dialect[] = DIALECTS): string {
  const rows = dialects.flatMap((dialect) =>
    leavesOf(dialect.config, `server.${dialect.name}`).map(({ key, schema }) => {
      const isCredentials = key === `server.${dialect.name}.${dialect.credentials.list}`;
      return [
        `\`${key}\``,
        schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``,
        isCredentials ? envOf(dialect, true) : '',
        cell(
          `${String(schema.description ?? '')}${typeof schema.minLength === 'number' && schema.minLength > 1 ? ` At least ${schema.minLength} characters.` : ''}`,
        ),
      ];
    }),
  );
  return table([['key', 'default', 'env', 'meaning'], ...rows]);
}
