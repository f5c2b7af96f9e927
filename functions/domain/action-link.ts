import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { RandomBytes } from './reference.js';

/**
 * Signed links in officials' e-mails: `base64url(JSON claims) + '.' + base64url(HMAC-SHA256)`, the HMAC
 * taken over the encoded claims exactly as they appear in the link. An action link names the case, the
 * official it was sent to, the action and when it expires, and carries a random id so its use is recorded
 * once. Opening a link (GET) only shows what it would do; only a POST changes the case. The link to an
 * official's "Mijn zaken" page (in their digest) is signed the same way, with claims of its own, and so is
 * the enterprise's link to the satisfaction form (in the e-mail after its case was resolved).
 */

/**
 * What an official can do through a link; `join` is a department's, in its daily digest ("Wij denken mee").
 */
export const actionSchema = z.enum(['contact-made', 'resolve', 'pause', 'resume', 'hand-over', 'join']);
export type Action = z.infer<typeof actionSchema>;

/** How long a link works after it was sent. */
export const ACTION_LINK_TTL_MS = 30 * 24 * 60 * 60_000;
/** The shortest key accepted (HMAC-SHA256: 256 bits). */
export const MIN_KEY_BYTES = 32;

export const actionClaimsSchema = z.strictObject({
  /** Random id of this link: its use is recorded on the case, so it works once. */
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  reference: z.string().min(1).max(40),
  /**
   * The official the link was sent to: it only works while they are the case's contact. For `join`, the
   * department whose digest carried it.
   */
  official: z.string().min(1).max(100),
  action: actionSchema,
  /** The official's language, for the pages the link opens (also when it has expired). */
  lang: z.enum(['nl', 'en']),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type ActionClaims = z.infer<typeof actionClaimsSchema>;

/** Why a token was not accepted. */
export type TokenProblem = 'malformed' | 'signature' | 'expired';

export type VerifyResult =
  | { readonly ok: true; readonly claims: ActionClaims }
  | { readonly ok: false; readonly reason: TokenProblem };

/** A link id: 128 random bits, URL-safe. */
export const newLinkId = (randomBytes: RandomBytes): string =>
  Buffer.from(randomBytes(16)).toString('base64url');

const mac = (payload: string, key: Uint8Array) => createHmac('sha256', key).update(payload, 'ascii').digest();

function checkKey(key: Uint8Array) {
  if (key.byteLength < MIN_KEY_BYTES)
    throw new Error(`an action link key needs at least ${MIN_KEY_BYTES} bytes`);
}

/** What every signed link's claims hold: when it stops working. */
type Expiring = { readonly expiresAt: string };

/** The token of claims that `schema` accepts: the encoded claims and their HMAC. */
function signClaims<T extends Expiring>(schema: z.ZodType<T>, claims: T, key: Uint8Array): string {
  checkKey(key);
  const payload = Buffer.from(JSON.stringify(schema.parse(claims)), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

/** The token of a link (the last path segment of its URL). */
export const signAction = (claims: ActionClaims, key: Uint8Array): string =>
  signClaims(actionClaimsSchema, claims, key);

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Far longer than any link we sign: a longer token is not even looked at. */
const MAX_TOKEN_LENGTH = 1024;

/** Checks a token: well-formed, signed with `key` (compared in constant time), not expired at `now`. */
export const verifyAction = (token: string, key: Uint8Array, now: Date): VerifyResult =>
  verifyClaims(actionClaimsSchema, token, key, now);

/**
 * Checks a token of claims that `schema` accepts. The kinds of claims have disjoint required fields and
 * strict schemas, so a token signed as one kind is malformed as another.
 */
function verifyClaims<T extends Expiring>(
  schema: z.ZodType<T>,
  token: string,
  key: Uint8Array,
  now: Date,
): { readonly ok: true; readonly claims: T } | { readonly ok: false; readonly reason: TokenProblem } {
  checkKey(key);
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  const [payload, signature] = parts;
  if (parts.length !== 2 || payload === undefined || signature === undefined)
    return { ok: false, reason: 'malformed' };
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const presented = Buffer.from(signature, 'base64url');
  const expected = mac(payload, key);
  // Only the one canonical spelling: the last character of a base64 signature carries unused bits, so
  // another spelling of the same bytes would be a changed link that still verifies.
  if (
    presented.toString('base64url') !== signature ||
    presented.length !== expected.length ||
    !timingSafeEqual(presented, expected)
  )
    return { ok: false, reason: 'signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = schema.safeParse(json);
  if (!claims.success) return { ok: false, reason: 'malformed' };
  if (Date.parse(claims.data.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims.data };
}

/** Makes the URL of an action link for a case's contact. */
export type ActionLinkMaker = (input: {
  readonly reference: string;
  readonly official: string;
  readonly lang: 'nl' | 'en';
  readonly action: Action;
}) => string;

/** Links to `<baseUrl>/actions/<token>`, valid for 30 days from `clock()`. */
export function actionLinkMaker(options: {
  readonly key: Uint8Array;
  readonly baseUrl: string;
  readonly clock: () => Date;
  readonly randomBytes: RandomBytes;
}): ActionLinkMaker {
  const base = options.baseUrl.replace(/\/+$/, '');
  return (input) => {
    const token = signAction(
      {
        id: newLinkId(options.randomBytes),
        reference: input.reference,
        official: input.official,
        action: input.action,
        lang: input.lang,
        expiresAt: new Date(options.clock().getTime() + ACTION_LINK_TTL_MS).toISOString(),
      },
      options.key,
    );
    return `${base}/actions/${token}`;
  };
}

/**
 * An official's read-only "Mijn zaken / My cases" page, linked from their digest: it names the official and
 * works until the next digest (which carries a new link). It shows, and changes nothing.
 */
export const myCasesClaimsSchema = z.strictObject({
  page: z.literal('my-cases'),
  official: z.string().min(1).max(100),
  lang: z.enum(['nl', 'en']),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type MyCasesClaims = z.infer<typeof myCasesClaimsSchema>;

export const signMyCases = (claims: MyCasesClaims, key: Uint8Array): string =>
  signClaims(myCasesClaimsSchema, claims, key);

export const verifyMyCases = (token: string, key: Uint8Array, now: Date) =>
  verifyClaims(myCasesClaimsSchema, token, key, now);

/** Makes the URL of an official's "Mijn zaken" page, valid until `expiresAt`. */
export type MyCasesLinkMaker = (input: {
  readonly official: string;
  readonly lang: 'nl' | 'en';
  readonly expiresAt: Date;
}) => string;

/** Links to `<baseUrl>/my-cases/<token>`. */
export function myCasesLinkMaker(options: {
  readonly key: Uint8Array;
  readonly baseUrl: string;
}): MyCasesLinkMaker {
  const base = options.baseUrl.replace(/\/+$/, '');
  return (input) =>
    `${base}/my-cases/${signMyCases(
      {
        page: 'my-cases',
        official: input.official,
        lang: input.lang,
        expiresAt: input.expiresAt.toISOString(),
      },
      options.key,
    )}`;
}

/** How long the enterprise's link to the satisfaction form works after it was sent. */
export const SATISFACTION_LINK_TTL_MS = 30 * 24 * 60 * 60_000;

/**
 * The enterprise's link to the one-question satisfaction form, in the e-mail it gets after its case was
 * resolved: it names the case (`case`, not `reference`, so an action link's claims never read as these) and
 * the enterprise's language, and works 30 days. It carries no link id: the case takes one answer, whichever
 * copy of the link brings it.
 */
export const satisfactionClaimsSchema = z.strictObject({
  survey: z.literal('satisfaction'),
  case: z.string().min(1).max(40),
  lang: z.enum(['nl', 'en']),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type SatisfactionClaims = z.infer<typeof satisfactionClaimsSchema>;

export const signSatisfaction = (claims: SatisfactionClaims, key: Uint8Array): string =>
  signClaims(satisfactionClaimsSchema, claims, key);

export const verifySatisfaction = (token: string, key: Uint8Array, now: Date) =>
  verifyClaims(satisfactionClaimsSchema, token, key, now);

/** Makes the URL of a case's satisfaction form for its enterprise. */
export type SatisfactionLinkMaker = (input: {
  readonly reference: string;
  readonly lang: 'nl' | 'en';
}) => string;

/** Links to `<baseUrl>/satisfaction/<token>`, valid for 30 days from `clock()`. */
export function satisfactionLinkMaker(options: {
  readonly key: Uint8Array;
  readonly baseUrl: string;
  readonly clock: () => Date;
}): SatisfactionLinkMaker {
  const base = options.baseUrl.replace(/\/+$/, '');
  return (input) =>
    `${base}/satisfaction/${signSatisfaction(
      {
        survey: 'satisfaction',
        case: input.reference,
        lang: input.lang,
        expiresAt: new Date(options.clock().getTime() + SATISFACTION_LINK_TTL_MS).toISOString(),
      },
      options.key,
    )}`;
}
