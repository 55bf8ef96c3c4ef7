/**
 * The identity of a batch job. A job's id is the batch id plus the image's item id, which
 * hashes the input with its content (sha256 of the file, read at submit): submitting the same
 * list again adds nothing BullMQ still holds, and the result row is unique on the same pair, so a
 * redelivered job never writes a second result.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FaceliveError } from '../errors/catalogue.js';
import type { BatchInput } from './batch-inputs.js';

/** What a job carries through Redis: ids and where the image is, never its bytes. */
export interface BatchJobData extends BatchInput {
  readonly batchId: string;
  readonly itemId: string;
}

/** Batch ids: safe in Redis keys, job ids, file names and SQL values. */
export const BATCH_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Refuses a batch id that does not match {@link BATCH_ID_PATTERN}. */
export function checkBatchId(batchId: string): string {
  if (!BATCH_ID_PATTERN.test(batchId)) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'batchId', expected: 'letters, digits, _ or -, at most 64', received: JSON.stringify(batchId) });
  }
  return batchId;
}

/** A new batch id: UTC time to the second plus 6 random hex digits (sortable, unique enough). */
export function newBatchId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${stamp}-${createHash('sha256').update(`${now.getTime()}${Math.random()}`).digest('hex').slice(0, 6)}`;
}

/** sha256 of a file, streamed; undefined when it cannot be read (the worker reports why). */
export async function fileSha256(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/** sha256 of bytes, hex. */
export function bytesSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The item id of an input: sha256 over kind, input and content hash (a URL's content is unknown
 * until a worker fetches it, so a URL is identified by itself).
 */
export function itemIdOf(input: BatchInput, contentSha256: string | undefined): string {
  return createHash('sha256')
    .update(`${input.kind}\n${input.input}\n${contentSha256 ?? ''}`)
    .digest('hex')
    .slice(0, 40);
}

/** BullMQ job id of an item (BullMQ forbids `:` in custom ids). */
export function jobIdOf(data: Pick<BatchJobData, 'batchId' | 'itemId'>): string {
  return `${data.batchId}.${data.itemId}`;
}

/** The jobs of a batch, hashing file contents a few at a time. */
export async function jobsOf(batchId: string, inputs: readonly BatchInput[], parallel = 8): Promise<BatchJobData[]> {
  const jobs: BatchJobData[] = new Array(inputs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      const input = inputs[index];
      const content = input.kind === 'file' ? await fileSha256(input.input) : undefined;
      jobs[index] = { batchId, itemId: itemIdOf(input, content), kind: input.kind, input: input.input };
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return jobs;
}
