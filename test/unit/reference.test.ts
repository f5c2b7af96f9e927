import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newReference, parseReference, REFERENCE_ALPHABET } from '../../functions/domain/reference.js';
import { byteChunks } from '../support/cases.js';

const CONFUSABLE = ['0', 'O', '1', 'I', 'L', 'U'];

describe('newReference', () => {
  it('has the form AP-XXXX-XXXX with characters of the alphabet only', () => {
    const format = new RegExp(`^AP-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

    const references = Array.from({ length: 500 }, () => newReference(randomBytes));

    for (const reference of references) expect(reference).toMatch(format);
  });

  it('never uses a character that looks or sounds like another', () => {
    const references = Array.from({ length: 500 }, () => newReference(randomBytes));

    const used = new Set(references.flatMap((r) => [...r.slice(3).replace('-', '')]));

    for (const c of CONFUSABLE) {
      expect(REFERENCE_ALPHABET).not.toContain(c);
      expect(used.has(c)).toBe(false);
    }
    expect(REFERENCE_ALPHABET).toHaveLength(30);
  });

  it('maps each byte below 240 onto the alphabet', () => {
    const bytes = byteChunks([0, 1, 2, 3, 29, 30, 59, 239]);

    const reference = newReference(bytes);

    expect(reference).toBe('AP-2345-Z2ZZ');
  });

  it('skips the bytes 240 to 255 so that every character is equally likely', () => {
    const skipped = Array.from({ length: 16 }, (_, i) => 240 + i);
    const bytes = byteChunks(skipped, [29, 28, 27, 26, 25, 24, 23, 22]);

    const reference = newReference(bytes);

    expect(reference).toBe('AP-ZYXW-VTSR');
    expect(bytes.sizes).toHaveLength(2);
  });

  it('generates different references from different random bytes', () => {
    const references = new Set(Array.from({ length: 1000 }, () => newReference(randomBytes)));

    expect(references.size).toBe(1000);
  });
});

describe('parseReference', () => {
  it.each([
    ['AP-7KX4-M9QD', 'AP-7KX4-M9QD'],
    ['ap 7kx4m9qd', 'AP-7KX4-M9QD'],
    ['ap7kx4m9qd', 'AP-7KX4-M9QD'],
    [' ap-7kx4 - m9qd ', 'AP-7KX4-M9QD'],
  ])('normalises %j to %s', (input, expected) => {
    const reference = parseReference(input);

    expect(reference).toBe(expected);
  });

  it.each([
    ['too short', 'AP-7KX4-M9Q'],
    ['too long', 'AP-7KX4-M9QDX'],
    ['empty', ''],
    ['with a zero', 'AP-7KX4-M9Q0'],
    ['with an O', 'AP-7KX4-M9QO'],
    ['with an I', 'AP-7KX4-M9QI'],
    ['with an L', 'AP-7KX4-M9QL'],
    ['with a U', 'AP-7KX4-M9QU'],
    ['with a symbol', 'AP-7KX4-M9Q$'],
    ['with another prefix', 'XP-7KX4-M9QD'],
  ])('rejects a reference %s', (_, input) => {
    const reference = parseReference(input);

    expect(reference).toBeUndefined();
  });

  it('reads back every reference it generates', () => {
    const reference = newReference(randomBytes);

    const parsed = parseReference(reference.toLowerCase());

    expect(parsed).toBe(reference);
  });
});
