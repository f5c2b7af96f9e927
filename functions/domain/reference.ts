/**
 * Case references a person can read aloud and type: `AP-7KX4-M9QD`. The alphabet leaves out
 * 0/O, 1/I/L and U, so no two characters look or sound alike. 8 characters of 30 give ~39 bits:
 * enough to avoid collisions at municipal volumes (a collision is retried by the store), but a
 * reference alone is not a secret: the status page also needs the token from `statusUrl`.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'AP';
const LENGTH = 8;
const PATTERN = new RegExp(`^${PREFIX}-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

/** Random bytes source, e.g. `crypto.randomBytes`. */
export type RandomBytes = (size: number) => Uint8Array;

export function newReference(randomBytes: RandomBytes): string {
  const chars: string[] = [];
  // Rejection sampling: bytes >= 240 (8 x 30) are dropped so that every character is equally likely.
  const limit = 256 - (256 % REFERENCE_ALPHABET.length);
  while (chars.length < LENGTH) {
    for (const byte of randomBytes(LENGTH * 2)) {
      if (byte < limit && chars.length < LENGTH)
        chars.push(REFERENCE_ALPHABET.charAt(byte % REFERENCE_ALPHABET.length));
    }
  }
  return `${PREFIX}-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** Accepts what a person types (any case, spaces, missing dashes); undefined when it cannot be a reference. */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== PREFIX.length + LENGTH) return undefined;
  const formatted = `${compact.slice(0, 2)}-${compact.slice(2, 6)}-${compact.slice(6)}`;
  return PATTERN.test(formatted) ? formatted : undefined;
}
