/**
 * What only AccuAuth API IDs carry in their config: an expiry and a call quota. Read once when
 * the plugin registers, so an impossible date stops start-up rather than every call.
 */
import type { Static } from '@sinclair/typebox';
import { FaceliveError } from '../../errors/catalogue.js';
import type { Credential } from '../credentials.js';
import type { AccuAuthConfig } from './config.js';

/** An expiry as configured, and as epoch ms. */
export interface KeyExpiry {
  readonly text: string;
  readonly epochMs: number;
}

/** The lifetime and quota of one API ID; undefined fields: never expires, unlimited. */
export interface KeyTerms {
  readonly expiresAt?: KeyExpiry;
  readonly callQuota?: number;
}

/** An authenticated AccuAuth key. */
export interface AccuAuthKey extends KeyTerms {
  readonly principal: Credential['principal'];
  readonly apiId: string;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** Epoch ms of a config `expiresAt`: a date (00:00 UTC of that day) or a date-time with zone. */
function parseExpiry(text: string, where: string): number {
  const match = ISO_INSTANT.exec(text);
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = (match?.slice(1) ?? []).map((part) =>
    part === undefined ? undefined : Number(part),
  );
  // Date.parse would roll 2027-02-30 over to March 2: the calendar date must exist as written.
  const date = match ? new Date(Date.UTC(year!, month! - 1, day!)) : undefined;
  const valid =
    date !== undefined &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours! <= 23 &&
    offsetMinutes! <= 59;
  const epochMs = Date.parse(match?.[4] === undefined ? `${text}T00:00:00Z` : text);
  if (!valid || !Number.isFinite(epochMs)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `${where}: "${text}" is not a valid ISO 8601 date or date-time with zone` });
  }
  return epochMs;
}

/**
 * The terms of every configured API ID, in config order (a credential's `index`). Throws
 * CONFIG_INVALID naming the entry when an `expiresAt` is not a real calendar instant.
 *
 * @example
 * const terms = keyTermsOf(config.server.accuauth);
 * terms[credential.index].callQuota;
 */
export function keyTermsOf(section: Static<typeof AccuAuthConfig>): readonly KeyTerms[] {
  return section.credentials.map((entry, index) => ({
    ...(entry.expiresAt !== undefined && {
      expiresAt: { text: entry.expiresAt, epochMs: parseExpiry(entry.expiresAt, `server.accuauth.credentials[${index}].expiresAt`) },
    }),
    ...(entry.callQuota !== undefined && { callQuota: entry.callQuota }),
  }));
}
