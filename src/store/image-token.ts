import { randomBytes } from 'node:crypto';

/** An unguessable URL token for a stored image: 256 random bits, base64url. */
export function newImageToken(): string {
  return randomBytes(32).toString('base64url');
}
