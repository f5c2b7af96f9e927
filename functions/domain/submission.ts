import { createHash } from 'node:crypto';
import type { CaseRequest } from '../../events/case-request.js';
import { newReference } from './reference.js';

/** A second submission of the same KvK number and description within this window is the same case. */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60_000;

/** At most this many status links per case (each replayed submission adds one). */
export const MAX_STATUS_TOKENS = 20;
/**
 * At most this many status links per case in all: the replays' (`MAX_STATUS_TOKENS`) and one made for each
 * question e-mail (a question e-mail sent again makes another).
 */
export const MAX_STATUS_LINKS = 60;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Case, white space and diacritics do not make a description different. */
const normalise = (text: string) =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** What makes two submissions "the same request": the enterprise and what it asks. */
export const fingerprintOf = (request: CaseRequest): string =>
  sha256(`${request.organisation.kvkNumber}\n${normalise(request.description)}`);

/** The whole request, for telling a replay (same body) from a reused idempotency key (other body). */
export function requestHashOf(request: CaseRequest): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return sha256(JSON.stringify(sorted(request)));
}

/**
 * The reference of a submission that carries an Idempotency-Key: derived from the key, so the same key
 * always names the same case without a lookup. Keys are the client's secret (the page makes a random one
 * per form); a reference alone opens nothing.
 */
export function referenceFromKey(key: string): string {
  let counter = 0;
  return newReference((size) => {
    const bytes = createHash('sha256').update(`idempotency:${counter++}:${key}`, 'utf8').digest();
    return bytes.subarray(0, Math.min(size, bytes.length));
  });
}

/** Idempotency keys we accept: printable ASCII, 8 to 128 characters (a UUID fits). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{8,128}$/;
