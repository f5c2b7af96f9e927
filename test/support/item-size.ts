/**
 * The size of an item as DynamoDB counts it (its "item sizes and formats" page): each attribute's name in
 * UTF-8 plus its value; a string its UTF-8 bytes, a number 1 byte per two significant digits plus 1, a
 * boolean or null 1; a list or map 3 bytes plus its elements, each with 1 byte more (and, in a map, its
 * name). Undefined attributes are not stored (the document client drops them).
 */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item))
    if (value !== undefined) size += utf8(name) + valueSize(value);
  return size;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function valueSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/e.*$/, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element: unknown) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, element] of Object.entries(value))
      if (element !== undefined) size += 1 + utf8(name) + valueSize(element);
    return size;
  }
  throw new TypeError(`not a DynamoDB value: ${typeof value}`);
}
