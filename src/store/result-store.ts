/**
 * The result store: each liveness submission's result, its images and timestamps, behind one
 * interface with two implementations: embedded SQLite (one instance, images as files) and
 * PostgreSQL (several instances, images as bytea). Both keep a tombstone for purged submissions
 * so that "purged" and "never existed" stay distinguishable.
 */
import type { ImageFormat } from '../engine/types.js';

/** Which photo of a submission: a single image, or the far/near pair of a capture flow. */
export type ImageRole = 'single' | 'far' | 'near';

/** An image as submitted, with its decoded format. */
export interface SubmittedImage {
  readonly role: ImageRole;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
}

/** A stored image as served back: its bytes, format, and the unguessable token of its URL. */
export interface StoredImage extends SubmittedImage {
  readonly token: string;
}

/** What a submission stores. `result` is any JSON value the caller wants back later. */
export interface NewSubmission {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly result: unknown;
  readonly images: readonly SubmittedImage[];
}

/** A stored, unexpired submission. */
export interface StoredSubmission {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly result: unknown;
  /** Roles and URL tokens of its images (bytes are read separately). */
  readonly images: readonly { readonly role: ImageRole; readonly format: ImageFormat; readonly token: string }[];
}

/** The three answers a lookup can give. */
export type Lookup =
  | { readonly status: 'found'; readonly submission: StoredSubmission }
  /** Past retention: purged, or expired and waiting for the next purge. */
  | { readonly status: 'expired' }
  | { readonly status: 'unknown' };

/** What a purge removed. */
export interface PurgeReport {
  /** Submissions whose result and images were removed (a tombstone remains). */
  readonly purged: number;
  /** Tombstones older than the tombstone retention, removed for good. */
  readonly tombstonesRemoved: number;
}

/** Storage for submissions. Every method is safe to call concurrently. */
export interface ResultStore {
  /** Stores a submission atomically: after a crash, either all of it is there or none. */
  save(submission: NewSubmission): Promise<void>;
  /** Finds a submission; expired ones answer `expired` even before the purge has run. */
  lookup(id: string, now: Date): Promise<Lookup>;
  /** The image behind a URL token, while its submission is unexpired. */
  imageByToken(token: string, now: Date): Promise<StoredImage | undefined>;
  /** Removes results and images past `expiresAt`, and tombstones older than `tombstonesBefore`. */
  purge(now: Date, tombstonesBefore: Date): Promise<PurgeReport>;
  /** Resolves when the store can take a submission now; throws STORE_UNAVAILABLE with the cause otherwise (`/readyz`). */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
