import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The size of a DynamoDB item as DynamoDB counts it for capacity units and its 400 KB limit (pure): per
 * attribute the UTF-8 bytes of its name plus the size of its value. Strings and binaries count their bytes;
 * a number about one byte per two significant digits plus one; a boolean or null one byte; a map or list
 * three bytes plus one per element and the size of its elements (a map's also count their names); a set the
 * sum of its members. The bench reads the pipeline's item sizes with it and writes the floor's items to
 * match; the call counter records the size of every item a function puts.
 */
export function itemBytes(item: Readonly<Record<string, AttributeValue>>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += utf8(name) + valueBytes(value);
  return bytes;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's bytes: its significant digits, two to a byte, plus one. */
export function numberBytes(number: string): number {
  const digits = number
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueBytes(v), 0);
  return 0;
}
