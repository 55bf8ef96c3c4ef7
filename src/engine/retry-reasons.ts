/**
 * The one table of retry reasons: every code a `retry` verdict can carry, with the short hint a
 * person taking the photo can act on. Surfaces show `hint` as it is; codes are stable.
 */
import type { RetryReasonCode } from './types.js';

/** What a retry reason tells the person taking the photo. */
export interface RetryReason {
  /** One sentence: what to change in the next photo. */
  readonly hint: string;
  /** Why the engine asks for it (documentation). */
  readonly why: string;
}

/** Every retry reason, by code. */
export const RETRY_REASONS = {
  insufficientContext: {
    hint: 'Step back so your head and shoulders are in the frame, with some space around them.',
    why: 'The face fills the photo: less than quality.minContextFraction of the PAD models’ context window lies inside the image.',
  },
  monochrome: {
    hint: 'Use a colour photo.',
    why: 'The image has no colour (face chroma below quality.monochromeBelow); the PAD models rely on colour.',
  },
  multipleFaces: {
    hint: 'Only one person in the photo: no other face, photo or screen in view.',
    why: 'Another face scored below the threshold while the primary face scored live (decision.secondaryFaceVerdict = retry).',
  },
} as const satisfies Record<RetryReasonCode, RetryReason>;

/** Every retry reason code, in table order. */
export const RETRY_REASON_CODES = Object.keys(RETRY_REASONS) as RetryReasonCode[];

/**
 * The hints for a list of codes, in the same order.
 *
 * @example
 * retryHintsFor(['monochrome']); // ['Use a colour photo.']
 */
export function retryHintsFor(codes: readonly RetryReasonCode[]): string[] {
  return codes.map((code) => RETRY_REASONS[code].hint);
}
