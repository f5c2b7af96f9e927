import { describe, expect, it } from 'vitest';
import {
  ACTION_LINK_TTL_MS,
  type ActionClaims,
  actionLinkMaker,
  signAction,
  verifyAction,
} from '../../functions/domain/action-link.js';
import { TEST_LINK_KEY } from '../support/fakes.js';

const NOW = new Date('2025-03-03T09:00:00.000Z');
const claims: ActionClaims = {
  id: 'link-id-0123456789abcdef',
  reference: 'AP-2345-6789',
  official: 'a-jansen',
  action: 'contact-made',
  lang: 'nl',
  expiresAt: new Date(NOW.getTime() + ACTION_LINK_TTL_MS).toISOString(),
};
const otherKey = new Uint8Array(32).fill(7);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('action links: sign and verify', () => {
  it('accepts a link it signed, with its claims', () => {
    const token = signAction(claims, TEST_LINK_KEY);

    const result = verifyAction(token, TEST_LINK_KEY, NOW);

    expect(result).toEqual({ ok: true, claims });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a link whose claims were changed (another official, another action) as a bad signature', () => {
    const [, signature] = signAction(claims, TEST_LINK_KEY).split('.');
    const forged = `${b64({ ...claims, action: 'resolve' })}.${signature}`;
    const otherOfficial = `${b64({ ...claims, official: 'r-bos' })}.${signature}`;

    expect(verifyAction(forged, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAction(otherOfficial, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a link whose signature was changed or cut short', () => {
    const token = signAction(claims, TEST_LINK_KEY);
    const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;

    expect(verifyAction(flipped, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAction(token.slice(0, -5), TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a link signed with another key', () => {
    const token = signAction(claims, otherKey);

    expect(verifyAction(token, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a link from the moment it expires, and accepts it just before', () => {
    const token = signAction(claims, TEST_LINK_KEY);
    const expiry = Date.parse(claims.expiresAt);

    expect(verifyAction(token, TEST_LINK_KEY, new Date(expiry - 1)).ok).toBe(true);
    expect(verifyAction(token, TEST_LINK_KEY, new Date(expiry))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another spelling of the same signature bytes (the unused bits of its last character)', () => {
    // Prepare: the 32-byte signature is 43 base64url characters; the last one carries 4 bits and 2 unused.
    const token = signAction(claims, TEST_LINK_KEY);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const sameBytes = alphabet[last ^ 1] ?? '';
    const respelled = `${token.slice(0, -1)}${sameBytes}`;
    expect(Buffer.from(respelled.split('.')[1] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[1] ?? '', 'base64url'),
    );

    // Act, Assess
    expect(verifyAction(respelled, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAction(token, TEST_LINK_KEY, NOW).ok).toBe(true);
  });

  it('calls malformed what is not a link at all, or signed claims it does not know', () => {
    const signedNonsense = (() => {
      // A payload with our signature but not our claims: only a key holder could make it; still refused.
      const payload = b64({ hello: 'world' });
      const [, sig] = signAction(claims, TEST_LINK_KEY).split('.');
      return { payload, sig };
    })();

    for (const token of ['', 'abc', 'a.b.c', 'no dots here', '!!!.???', `${'a'.repeat(2000)}.b`])
      expect(verifyAction(token, TEST_LINK_KEY, NOW), token.slice(0, 20)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    expect(verifyAction(`${signedNonsense.payload}.${signedNonsense.sig}`, TEST_LINK_KEY, NOW)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('refuses to sign or verify with a key shorter than 32 bytes', () => {
    expect(() => signAction(claims, new Uint8Array(16))).toThrow(/32 bytes/);
    expect(() => verifyAction('a.b', new Uint8Array(31), NOW)).toThrow(/32 bytes/);
  });

  it('makes links to /actions/<token> under the base URL, each with its own id, valid for 30 days', () => {
    const make = actionLinkMaker({
      key: TEST_LINK_KEY,
      baseUrl: 'https://api.example/',
      clock: () => NOW,
      randomBytes: (size) => new Uint8Array(size).map(() => Math.floor(Math.random() * 256)),
    });
    const input = { reference: 'AP-2345-6789', official: 'a-jansen', lang: 'en', action: 'resolve' } as const;

    const [first, second] = [make(input), make(input)];

    expect(first).toMatch(/^https:\/\/api\.example\/actions\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const verify = (url: string) => verifyAction(url.split('/').pop() ?? '', TEST_LINK_KEY, NOW);
    const [a, b] = [verify(first), verify(second)];
    if (!a.ok || !b.ok) throw new Error('links do not verify');
    expect(a.claims).toMatchObject({
      ...input,
      expiresAt: new Date(NOW.getTime() + ACTION_LINK_TTL_MS).toISOString(),
    });
    expect(a.claims.id).not.toBe(b.claims.id);
  });
});
