import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashToken, newToken, tokenMatches } from '../../functions/domain/token.js';

describe('status token', () => {
  it('is 192 random bits written URL-safe', () => {
    const token = newToken(randomBytes);

    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('matches the hash it was stored as', () => {
    const token = newToken(randomBytes);

    const matches = tokenMatches(token, hashToken(token));

    expect(matches).toBe(true);
  });

  it.each([
    ['a different token', 'some-other-token'],
    ['an empty token', ''],
    ['no token', undefined],
    ['an over-long token', 'x'.repeat(101)],
  ])('does not match %s', (_, presented) => {
    const stored = hashToken('the-real-token');

    const matches = tokenMatches(presented, stored);

    expect(matches).toBe(false);
  });

  it('does not match the stored hash presented as the token', () => {
    const stored = hashToken('the-real-token');

    const matches = tokenMatches(stored, stored);

    expect(matches).toBe(false);
  });

  it('stores a SHA-256 hash, not the token', () => {
    const hash = hashToken('the-real-token');

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('the-real-token');
  });
});
