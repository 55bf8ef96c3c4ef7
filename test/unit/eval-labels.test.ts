/**
 * labels.csv reading for `facelive eval`: the CSV reader (quoted commas, doubled quotes, CRLF,
 * line breaks inside quotes, syntax errors with their line), the row checks (each problem names
 * its line), and that `facelive eval` on a malformed folder fails with LABELS_INVALID before
 * anything runs: the models directory does not even exist, so an engine start would have failed
 * with a model error instead, and no output file is written. Fixtures are generated here.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { buildProgram } from '../../src/cli/program.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { parseCsv } from '../../src/eval/csv.js';
import { readLabels } from '../../src/eval/labels-file.js';

const HEADER = 'file,label,attack,source_repo,licence';

function labelsError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FaceliveError, String(error));
    assert.equal(error.code, 'LABELS_INVALID');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('CSV reader', () => {
  test('quoted commas, doubled quotes, CRLF and line breaks inside quotes', () => {
    const parsed = parseCsv('\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",z\n\n3,,\n');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.records, [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', 'z'] },
      { line: 6, fields: ['3', '', ''] },
    ]);
  });

  test('syntax errors name their line', () => {
    assert.deepEqual(parseCsv('a,b\n1,"open\n2,3\n'), { ok: false, line: 2, reason: 'a quoted field is never closed' });
    assert.deepEqual(parseCsv('a,b\n1,"x"y\n'), { ok: false, line: 2, reason: 'unexpected "y" after the closing quote of field 2' });
    assert.deepEqual(parseCsv('a,b\n1,2\n3,x"y\n'), { ok: false, line: 3, reason: 'a quote inside unquoted field 2' });
  });
});

describe('labels.csv validation', () => {
  let dir: string;
  let png: Buffer;
  const folder = (name: string, csv: string): string => {
    const target = path.join(dir, name);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'labels.csv'), csv);
    return target;
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-labels-'));
    mkdirSync(path.join(dir, 'images'));
    png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 120, b: 150 } } })
      .png()
      .toBuffer();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rows = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

  test('a valid file, with a quoted licence holding a comma', async () => {
    const target = folder(
      'valid',
      rows('images/a.png,live,none,some/repo,"MIT, see NOTICE"', 'images/b.png,spoof,print,some/repo,none stated', 'images/c.png,noface,,,none stated'),
    );
    mkdirSync(path.join(target, 'images'));
    for (const name of ['a.png', 'b.png', 'c.png']) writeFileSync(path.join(target, 'images', name), png);
    const labels = await readLabels(target);
    assert.deepEqual(
      labels.images.map((i) => [i.line, i.file, i.label, i.attack, i.source]),
      [
        [2, 'images/a.png', 'live', 'none', 'some/repo'],
        [3, 'images/b.png', 'spoof', 'print', 'some/repo'],
        [4, 'images/c.png', 'noface', 'none', null],
      ],
    );
    assert.match(labels.sha256, /^[0-9a-f]{64}$/);
  });

  test('missing column', async () => {
    const target = folder('missing-column', 'file,label,source_repo\nimages/a.png,live,x\n');
    await assert.rejects(readLabels(target), labelsError(/line 1: the header lacks the column attack/));
  });

  test('unknown label, wrong attack, bad field count, outside path, duplicates: every line named', async () => {
    const target = folder(
      'many',
      rows(
        'x.png,lve,none,r,l',
        'x2.png,spoof,none,r,l',
        'x3.png,live,print,r,l',
        'x4.png,live,none,r',
        '../escape.png,live,none,r,l',
        'd.png,live,none,r,l',
        'd.png,live,none,r,l',
      ),
    );
    await assert.rejects(
      readLabels(target),
      labelsError(
        /line 2: unknown label "lve".*line 3: a spoof row needs an attack type.*line 4: a live row must have attack none.*line 5: expected 5 fields as in the header, found 4.*line 6: file "\.\.\/escape\.png" is outside the folder.*line 8: file "d\.png" is already listed on line 7/,
      ),
    );
  });

  test('missing file', async () => {
    const target = folder('missing-file', rows('absent.png,live,none,r,l'));
    await assert.rejects(readLabels(target), labelsError(/1 problem: line 2: file "absent\.png" does not exist/));
  });

  test('no labels.csv, empty file, header only, broken quoting', async () => {
    await assert.rejects(readLabels(path.join(dir, 'images')), labelsError(/cannot be read \(ENOENT\)/));
    await assert.rejects(readLabels(folder('empty', '')), labelsError(/it is empty/));
    await assert.rejects(readLabels(folder('header-only', `${HEADER}\n`)), labelsError(/no rows/));
    await assert.rejects(readLabels(folder('quote', rows('a.png,live,none,r,"unclosed'))), labelsError(/line 2: a quoted field is never closed/));
  });

  test('facelive eval on a malformed folder fails before any engine work and writes nothing', async () => {
    const target = folder('cli', rows('absent.png,live,none,r,l', 'also-absent.png,spoof,print,r,l'));
    const out = path.join(dir, 'out.json');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const program = buildProgram({ stdout, stderr, stdin: new PassThrough(), stderrIsTTY: false }).exitOverride();
    await assert.rejects(
      program.parseAsync(['node', 'facelive', 'eval', target, '--json', out, '--models-dir', path.join(dir, 'no-models')]),
      labelsError(/line 2: file "absent\.png" does not exist.*line 3: file "also-absent\.png" does not exist/),
    );
    assert.equal(existsSync(out), false);
  });
});
