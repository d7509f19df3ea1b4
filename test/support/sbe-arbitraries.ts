/**
 * fast-check generators of SBE field values, and the encoder walk that writes them, driven generically by a
 * generated folder's `SCHEMA` metadata. Shared by the codec property tests (test/codecs/properties.test.ts)
 * and the fuzzer's corpora of valid messages (test/fuzz/sbe-walk.ts), so both draw from the same values.
 *
 * Values per field kind (one `Values` record per block, keyed by field name; constants have no value):
 * - primitive: the full range of the type (int64/uint64 as BigInt, float/double without NaN);
 * - array: exactly `length` elements; charArray: ASCII (1..127) up to `length` characters;
 * - enum: one of the declared values; set: one boolean per choice; composite: a nested record;
 * - group: 0..3 elements;
 * - var data: raw bytes up to 48; text up to 64 ASCII characters; UTF-8 text is either that or up to 12
 *   graphemes (multi-byte, combining sequences), so both ASCII-only and multi-byte encodings are covered.
 * Reflection over generated method names (`call`) is confined to this file and the two walkers using it.
 */
import fc from 'fast-check';
import type { FieldMeta } from '../../codecs/runtime/index.ts';

type Fn = (...args: unknown[]) => unknown;
export type Values = Record<string, unknown>;

/** Calls `target[method](...args)`; throws when the flyweight has no such method. */
export function call(target: unknown, method: string, ...args: unknown[]): unknown {
  const fn = (target as Record<string, Fn>)[method];
  if (typeof fn !== 'function') throw new Error(`flyweight has no method ${method}`);
  return fn.apply(target, args);
}

export function is64(primitiveType: string): boolean {
  return primitiveType === 'int64' || primitiveType === 'uint64';
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  char: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
};

/** Any value of an SBE primitive type. */
export function scalarArb(primitiveType: string): fc.Arbitrary<unknown> {
  if (primitiveType === 'int64') return fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
  if (primitiveType === 'uint64') return fc.bigInt(0n, 2n ** 64n - 1n);
  if (primitiveType === 'float') return fc.float({ noNaN: true });
  if (primitiveType === 'double') return fc.double({ noNaN: true });
  const range = INT_RANGES[primitiveType];
  if (range === undefined) throw new Error(`unknown primitive ${primitiveType}`);
  return fc.integer({ min: range[0], max: range[1] });
}

/** One ASCII character, NUL excluded (a NUL ends a fixed-length char array). */
export const asciiCharArb: fc.Arbitrary<string> = fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c));

export function asciiStringArb(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: asciiCharArb, maxLength });
}

export const MAX_RAW_DATA_LENGTH = 48;
export const MAX_ASCII_DATA_LENGTH = 64;
export const MAX_UTF8_DATA_GRAPHEMES = 12;

/** Values of one field; null for a constant (nothing to encode). */
export function fieldArb(f: FieldMeta): fc.Arbitrary<unknown> | null {
  switch (f.kind) {
    case 'primitive':
      return scalarArb(f.primitiveType);
    case 'array':
      return fc.array(scalarArb(f.primitiveType), { minLength: f.length, maxLength: f.length });
    case 'charArray':
      return asciiStringArb(f.length);
    case 'constant':
      return null;
    case 'enum':
      return fc.constantFrom(...f.values);
    case 'set':
      return fc.array(fc.boolean(), { minLength: f.choices.length, maxLength: f.choices.length });
    case 'composite':
      return valuesArb(f.composite.fields);
    case 'data':
      if (f.characterEncoding === null) return fc.uint8Array({ maxLength: MAX_RAW_DATA_LENGTH });
      if (f.characterEncoding === 'UTF-8') {
        return fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: MAX_UTF8_DATA_GRAPHEMES }),
          asciiStringArb(MAX_ASCII_DATA_LENGTH),
        );
      }
      return asciiStringArb(MAX_ASCII_DATA_LENGTH);
    case 'group':
      return fc.array(valuesArb(f.fields), { maxLength: 3 });
  }
}

/** Values for every field of a block (what an encoder accepts). */
export function valuesArb(fields: readonly FieldMeta[]): fc.Arbitrary<Values> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    const arb = fieldArb(f);
    if (arb !== null) record[f.name] = arb;
  }
  return fc.record(record) as fc.Arbitrary<Values>;
}

/**
 * Writes `values` through an encoder flyweight. Groups and var data newer than `version` are left out, as
 * an older sender would (default: everything is written).
 */
export function encodeFields(
  flyweight: unknown,
  fields: readonly FieldMeta[],
  values: Values,
  version = Number.POSITIVE_INFINITY,
): void {
  for (const f of fields) {
    const v = values[f.name];
    if ((f.kind === 'group' || f.kind === 'data') && f.sinceVersion > version) continue;
    switch (f.kind) {
      case 'primitive':
        call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name, v);
        break;
      case 'array':
        (v as unknown[]).forEach((e, i) => {
          call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name, i, e);
        });
        break;
      case 'charArray':
      case 'enum':
      case 'data':
        call(flyweight, f.name, v);
        break;
      case 'set': {
        const set = call(flyweight, f.name);
        call(set, 'clear');
        f.choices.forEach((c, i) => {
          call(set, c, (v as boolean[])[i]);
        });
        break;
      }
      case 'composite':
        encodeFields(call(flyweight, f.name), f.composite.fields, v as Values, version);
        break;
      case 'group': {
        const elements = v as Values[];
        const group = call(flyweight, `${f.name}Count`, elements.length);
        for (const e of elements) encodeFields(call(group, 'next'), f.fields, e, version);
        break;
      }
      case 'constant':
        break;
    }
  }
}
