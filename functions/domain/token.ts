import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from './reference.js';

/** A status token: 192 random bits, URL-safe. Only its hash is stored. */
export const newToken = (randomBytes: RandomBytes): string =>
  Buffer.from(randomBytes(24)).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time check of a presented token against the stored hashes (each is compared). */
export function tokenMatches(token: string | undefined, storedHashes: string | readonly string[]): boolean {
  if (token === undefined || token.length === 0 || token.length > 100) return false;
  const presented = Buffer.from(hashToken(token), 'hex');
  let match = false;
  for (const storedHash of typeof storedHashes === 'string' ? [storedHashes] : storedHashes) {
    const stored = Buffer.from(storedHash, 'hex');
    if (presented.length === stored.length && timingSafeEqual(presented, stored)) match = true;
  }
  return match;
}

/** The path of a case's status page for a token (the enterprise's link, on the public API's host). */
export const statusPathOf = (reference: string, token: string): string =>
  `/cases/${reference}?token=${token}`;
