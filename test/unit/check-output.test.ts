/**
 * `facelive check`'s table for people (src/cli/check-output.ts, text-layout.ts): it fits the
 * width it is given (shortened paths, wrapped notes, notes under the row when narrow), keeps file
 * names whole when they fit, shows retry hints, and ends with counts per decision.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decisionCounts, errorRecord, formatTable, type CheckRecord } from '../../src/cli/check-output.js';
import { DEFAULT_COLUMNS, MIN_COLUMNS, outputColumns, shortenPath, wrapText } from '../../src/cli/text-layout.js';
import { RETRY_REASONS } from '../../src/engine/retry-reasons.js';
import type { QualitySignals } from '../../src/engine/types.js';

const quality = { faceSizePx: 170, faceCount: 1, blurry: false, dark: false, overexposed: false, poseExtreme: false, faceCutOff: false } as QualitySignals;

function analysed(file: string, decision: 'live' | 'spoof' | 'retry', hints: string[] = []): CheckRecord {
  return { file, score: decision === 'live' ? 88.46 : 3.25, liveProbability: 0.9919, decision, retryHints: hints, faces: [], quality, error: null };
}

const RECORDS: CheckRecord[] = [
  analysed('../shared/datasets/pad-dev/images/nuaa-imironica/live/db__ClientRaw__0001__0001_00_00_01_101.jpg', 'live'),
  analysed('../shared/models/samples/image_F2.jpg', 'spoof'),
  analysed('/home/someone/photos/selfie.jpg', 'retry', [RETRY_REASONS.insufficientContext.hint, RETRY_REASONS.monochrome.hint]),
  errorRecord('notes.txt', { code: 'IMAGE_FORMAT_UNSUPPORTED', message: 'Unsupported image format: unknown. Send JPEG, PNG, BMP or WebP.' }),
];

describe('check table', () => {
  for (const columns of [40, 60, 80, 100, 140, 200]) {
    test(`fits ${columns} columns`, () => {
      const lines = formatTable(RECORDS, columns).trimEnd().split('\n');
      for (const line of lines) assert.ok(line.length <= columns, `${line.length} > ${columns}: ${line}`);
      assert.match(lines[0], /^FILE\s+DECISION\s+SCORE\s+LIVE P\s+FACE PX/);
      const text = lines.join(' ').replace(/\s+/g, ' ');
      assert.ok(text.endsWith('4 images: 1 live, 1 spoof, 1 retry, 1 error'), 'ends with the counts per decision');
      if (columns >= 60)
        assert.ok(
          lines.some((l) => l.includes('image_F2.jpg')),
          'short names stay whole',
        );
      assert.ok(text.includes(RETRY_REASONS.insufficientContext.hint), 'the retry hint is shown (maybe wrapped)');
      assert.ok(text.includes('IMAGE_FORMAT_UNSUPPORTED'));
    });
  }

  test('wide terminals keep whole paths and notes in a column', () => {
    const lines = formatTable(RECORDS, 200).trimEnd().split('\n');
    assert.ok(lines[0].endsWith('NOTES'));
    assert.ok(lines.some((l) => l.startsWith(RECORDS[0].file)));
  });

  test('decision counts', () => {
    assert.equal(decisionCounts([]), '0 images: 0 live, 0 spoof, 0 retry, 0 error');
    assert.equal(decisionCounts(RECORDS.slice(0, 1)), '1 image: 1 live, 0 spoof, 0 retry, 0 error');
  });
});

describe('text layout', () => {
  test('paths are shortened from the left, at a slash when the file name stays whole', () => {
    assert.equal(shortenPath('a/b.jpg', 10), 'a/b.jpg');
    assert.equal(shortenPath('../shared/datasets/pad-dev/images/nuaa/live/a.jpg', 20), '…/nuaa/live/a.jpg');
    assert.equal(shortenPath('dir/a-very-long-file-name.jpg', 10), '…-name.jpg');
    for (let width = 2; width < 40; width++) assert.ok(shortenPath('../shared/datasets/pad-dev/x/y/image.jpg', width).length <= width);
  });

  test('wrapping at spaces; long words are cut', () => {
    assert.deepEqual(wrapText('Step back so your head and shoulders are in the frame.', 20), ['Step back so your', 'head and shoulders', 'are in the frame.']);
    assert.deepEqual(wrapText('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
    assert.deepEqual(wrapText('', 10), ['']);
  });

  test('the width: the terminal, else COLUMNS, else the default; never below the minimum', () => {
    assert.equal(outputColumns({ isTTY: true, columns: 132 }, {}), 132);
    assert.equal(outputColumns({ isTTY: false }, { COLUMNS: '90' }), 90);
    assert.equal(outputColumns({ isTTY: false }, {}), DEFAULT_COLUMNS);
    assert.equal(outputColumns({ isTTY: true, columns: 20 }, {}), MIN_COLUMNS);
  });
});
