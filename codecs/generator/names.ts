/** Naming and literal helpers shared by the emitters. */

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A string literal the way Biome writes it: single quotes unless that needs more escapes. */
export function str(value: string): string {
  const json = JSON.stringify(value);
  const inner = json.slice(1, -1);
  if (value.includes("'") && !value.includes('"')) return json;
  return `'${inner.replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

const TWO_POW_53 = 2n ** 53n;

/** A TS expression for an exact schema value (bigint) or float; large powers of two as `2 ** k`. */
export function numberExpr(value: bigint | number): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'Number.NaN';
    if (value === Number.MAX_VALUE) return 'Number.MAX_VALUE';
    if (value === -Number.MAX_VALUE) return '-Number.MAX_VALUE';
    return String(value).replace('e+', 'e');
  }
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  if (magnitude <= TWO_POW_53) return value.toString();
  // Not exact as a double: name the double it rounds to, when that is a power of two.
  const rounded = BigInt(Number(magnitude));
  let k = 0;
  while (2n ** BigInt(k) < rounded) k++;
  if (2n ** BigInt(k) === rounded) return negative ? `-(2 ** ${k})` : `2 ** ${k}`;
  return `Number(${str(value.toString())})`;
}

export function bigintExpr(value: bigint | number): string {
  return `${BigInt(value).toString()}n`;
}

/** Identifiers the flyweights use themselves; a schema field may not take these names. */
export const RESERVED = new Set([
  'wrap',
  'wrapAndApplyHeader',
  'encodedLength',
  'limit',
  'setLimit',
  'offset',
  'buffer',
  'actingBlockLength',
  'actingVersion',
  'sbeRewind',
  'sbeSkip',
  'sbeDecodedLength',
  'toString',
  'toJSON',
  'next',
  'hasNext',
  'count',
  'index',
  'constructor',
  'clear',
  'raw',
  'isEmpty',
]);
