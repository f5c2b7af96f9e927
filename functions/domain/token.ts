import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from './reference.js';

/** A status token: 192 random bits, URL-safe. Only its hash is stored. */
export const newToken = (randomBytes: RandomBytes): string =>
  Buffer.from(randomBytes(24)).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time check of a presented token against the stored hash. */
export function tokenMatches(token: string | undefined, storedHash: string): boolean {
  if (token === undefined || token.length === 0 || token.length > 100) return false;
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
