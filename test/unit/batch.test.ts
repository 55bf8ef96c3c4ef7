/**
 * The pure parts of bulk scoring: list files, job identity, which failures are retried, progress
 * and ETA, CSV quoting. The queue, workers and store are exercised in test/e2e/batch.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { expandBatchSource, parseInputList } from '../../src/batch/batch-inputs.js';
import { checkBatchId, itemIdOf, jobIdOf, jobsOf, newBatchId } from '../../src/batch/batch-job.js';
import { isTransient } from '../../src/batch/transient-errors.js';
import { csvHeader, csvLine } from '../../src/cli/batch-export.js';
import { formatDuration, rateOf } from '../../src/cli/batch-progress.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import type { BatchProgress } from '../../src/store/batch-results.js';

describe('batch inputs', () => {
  test('a list file: paths relative to the list, URLs as given, comments and blanks skipped', () => {
    const inputs = parseInputList('# backlog\n\na.jpg\r\n  /abs/b.png  \nhttps://img.example.com/c.jpg\nftp://x/y.jpg\n', '/srv/list');
    assert.deepEqual(inputs, [
      { kind: 'file', input: '/srv/list/a.jpg' },
      { kind: 'file', input: '/abs/b.png' },
      { kind: 'url', input: 'https://img.example.com/c.jpg' },
      { kind: 'url', input: 'ftp://x/y.jpg' },
    ]);
  });

  test('a directory is walked for images; a list repeats nothing; a missing source is INVALID_ARGUMENT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facelive-batch-'));
    writeFileSync(path.join(dir, 'b.jpg'), 'x');
    writeFileSync(path.join(dir, 'a.png'), 'y');
    writeFileSync(path.join(dir, 'notes.txt'), 'z');
    assert.deepEqual(
      (await expandBatchSource(dir)).map((i) => path.basename(i.input)),
      ['a.png', 'b.jpg'],
    );
    writeFileSync(path.join(dir, 'list.txt'), 'b.jpg\nb.jpg\n./b.jpg\n');
    assert.equal((await expandBatchSource(path.join(dir, 'list.txt'))).length, 1);
    await assert.rejects(expandBatchSource(path.join(dir, 'missing')), (error: FaceliveError) => error.code === 'INVALID_ARGUMENT');
  });
});

describe('batch job identity', () => {
  test('the item id changes with the content and the input; the job id joins it to the batch', async () => {
    const file = { kind: 'file', input: '/a.jpg' } as const;
    assert.notEqual(itemIdOf(file, 'aa'), itemIdOf(file, 'bb'));
    assert.notEqual(itemIdOf(file, 'aa'), itemIdOf({ kind: 'file', input: '/b.jpg' }, 'aa'));
    assert.equal(itemIdOf(file, 'aa'), itemIdOf(file, 'aa'));
    assert.equal(jobIdOf({ batchId: 'b1', itemId: 'x' }), 'b1.x');
    const dir = mkdtempSync(path.join(tmpdir(), 'facelive-batch-'));
    writeFileSync(path.join(dir, 'a.jpg'), 'one');
    const [before] = await jobsOf('b1', [{ kind: 'file', input: path.join(dir, 'a.jpg') }]);
    writeFileSync(path.join(dir, 'a.jpg'), 'two');
    const [after] = await jobsOf('b1', [{ kind: 'file', input: path.join(dir, 'a.jpg') }]);
    assert.notEqual(before.itemId, after.itemId, 'a file whose bytes changed is a new item');
  });

  test('batch ids: generated ones are valid, others are checked', () => {
    assert.equal(checkBatchId(newBatchId()).length > 10, true);
    assert.throws(
      () => checkBatchId('a:b'),
      (error: FaceliveError) => error.code === 'INVALID_ARGUMENT',
    );
    assert.throws(
      () => checkBatchId(''),
      (error: FaceliveError) => error.code === 'INVALID_ARGUMENT',
    );
  });
});

describe('which failures are retried', () => {
  test('outages retry; bad images and refused URLs are results', () => {
    assert.equal(isTransient(new FaceliveError('STORE_UNAVAILABLE', { reason: 'down' })), true);
    assert.equal(isTransient(new FaceliveError('URL_TIMEOUT', { timeoutMs: 1, phase: 'connecting' })), true);
    assert.equal(isTransient(new FaceliveError('URL_HTTP_STATUS', { status: 503 })), true);
    assert.equal(isTransient(new FaceliveError('URL_HTTP_STATUS', { status: 404 })), false);
    assert.equal(isTransient(new FaceliveError('URL_ADDRESS_REFUSED', { host: 'x', range: 'loopback' })), false);
    assert.equal(isTransient(new FaceliveError('FACE_NOT_FOUND')), false);
    assert.equal(isTransient(new FaceliveError('IMAGE_DECODE_FAILED', { format: 'jpeg', reason: 'truncated' })), false);
    const fileError = (errno: string) =>
      new FaceliveError(
        'INVALID_ARGUMENT',
        { field: 'file', expected: 'a readable image file', received: errno },
        { cause: Object.assign(new Error(errno), { code: errno }) },
      );
    assert.equal(isTransient(fileError('ENOENT')), false);
    assert.equal(isTransient(fileError('EIO')), true);
  });
});

describe('batch progress', () => {
  const progress = (done: number, seconds: number): BatchProgress => ({
    batchId: 'b',
    createdAt: new Date(0),
    total: 1001,
    done,
    live: 0,
    spoof: 0,
    retry: 0,
    errors: 0,
    firstFinishedAt: new Date(10_000),
    lastFinishedAt: new Date(10_000 + seconds * 1000),
  });

  test('rate between the first and last result, ETA at that rate', () => {
    assert.deepEqual(rateOf(progress(101, 10)), { imagesPerSecond: 10, etaSeconds: 90 });
    assert.deepEqual(rateOf(progress(1, 0)), {});
    assert.equal(rateOf(progress(1001, 100)).etaSeconds, 0);
    assert.equal(formatDuration(90), '1m30s');
    assert.equal(formatDuration(3725), '1h02m');
    assert.equal(formatDuration(undefined), '?');
  });
});

describe('batch export', () => {
  test('CSV quotes commas, quotes and line breaks', () => {
    const line = csvLine({
      batchId: 'b',
      itemId: 'i',
      input: '/srv/a,"b".jpg',
      contentSha256: null,
      decision: null,
      score: null,
      liveProbability: null,
      errorCode: 'IMAGE_DECODE_FAILED',
      errorMessage: 'The jpeg image could not be decoded: bad\nmarker.',
      record: {},
      attempts: 1,
      worker: 'h:1',
      finishedAt: new Date(0),
    });
    assert.equal(line, '"/srv/a,""b"".jpg",,,,IMAGE_DECODE_FAILED,"The jpeg image could not be decoded: bad\nmarker.",,1,h:1,1970-01-01T00:00:00.000Z\r\n');
    assert.equal(csvHeader().split(',').length, line.split(',').length - 1);
  });
});
