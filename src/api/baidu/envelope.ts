/**
 * The envelope of every faceverify answer: `{error_code, error_msg, log_id, timestamp, cached,
 * result}`, plus facelive's `request_id` (the `x-request-id` of the answer; the SDK passes unknown
 * fields through). Baidu's `log_id` is a uint64 that loses precision in JavaScript; facelive's is
 * derived from the request id and stays below 2^53, so the same request has the same log_id in
 * the answer and in the server log.
 */
import { createHash } from 'node:crypto';

/** The envelope around `result`. */
export interface BaiduEnvelope<Result> {
  readonly error_code: number;
  readonly error_msg: string;
  readonly log_id: number;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly cached: 0;
  readonly result: Result | null;
  readonly request_id: string;
}

/**
 * A 52-bit integer of the request id (a safe integer in every JSON parser).
 *
 * @example
 * logIdOf('0b6c1f5e-…'); // 3098472718251
 */
export function logIdOf(requestId: string): number {
  return Number.parseInt(createHash('sha256').update(requestId).digest('hex').slice(0, 13), 16);
}

/** The envelope for `requestId` at `nowMs`. */
export function baiduEnvelope<Result>(requestId: string, nowMs: number, errorCode: number, errorMsg: string, result: Result | null): BaiduEnvelope<Result> {
  return {
    error_code: errorCode,
    error_msg: errorMsg,
    log_id: logIdOf(requestId),
    timestamp: Math.floor(nowMs / 1000),
    cached: 0,
    result,
    request_id: requestId,
  };
}
