/**
 * Drives generated SBE flyweights generically from their `SCHEMA` metadata, for the fuzzer: encode a
 * value record (to build a corpus of valid messages) and read EVERY field of a decoder back (fixed fields,
 * `*BigInt` and `*Raw` variants, groups, var data by value, by copy and by skip). Reflection over method
 * names is confined to this file.
 */
import fc from 'fast-check';
import { CodecError, type FieldMeta } from '../../codecs/runtime/index.ts';

type Fn = (...args: unknown[]) => unknown;
export type Values = Record<string, unknown>;

export function call(target: unknown, method: string, ...args: unknown[]): unknown {
  const fn = (target as Record<string, Fn>)[method];
  if (typeof fn !== 'function') throw new Error(`flyweight has no method ${method}`);
  return fn.apply(target, args);
}

function hasMethod(target: unknown, method: string): boolean {
  return typeof (target as Record<string, unknown>)[method] === 'function';
}

function is64(t: string): boolean {
  return t === 'int64' || t === 'uint64';
}

const INT_RANGES: Record<string, readonly [number, number]> = {
  char: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
};

function scalarArb(primitiveType: string): fc.Arbitrary<unknown> {
  if (primitiveType === 'int64') return fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
  if (primitiveType === 'uint64') return fc.bigInt(0n, 2n ** 64n - 1n);
  if (primitiveType === 'float') return fc.float({ noNaN: true });
  if (primitiveType === 'double') return fc.double({ noNaN: true });
  const range = INT_RANGES[primitiveType];
  if (range === undefined) throw new Error(`unknown primitive ${primitiveType}`);
  return fc.integer({ min: range[0], max: range[1] });
}

const asciiChar = fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c));

function fieldArb(f: FieldMeta): fc.Arbitrary<unknown> | null {
  switch (f.kind) {
    case 'primitive':
      return scalarArb(f.primitiveType);
    case 'array':
      return fc.array(scalarArb(f.primitiveType), { minLength: f.length, maxLength: f.length });
    case 'charArray':
      return fc.string({ unit: asciiChar, maxLength: f.length });
    case 'constant':
      return null;
    case 'enum':
      return fc.constantFrom(...f.values);
    case 'set':
      return fc.array(fc.boolean(), { minLength: f.choices.length, maxLength: f.choices.length });
    case 'composite':
      return valuesArb(f.composite.fields);
    case 'data':
      if (f.characterEncoding === null) return fc.uint8Array({ maxLength: 48 });
      return fc.string({ unit: asciiChar, maxLength: 64 });
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

/** Writes `values` through an encoder flyweight. */
export function encodeFields(flyweight: unknown, fields: readonly FieldMeta[], values: Values): void {
  for (const f of fields) {
    const v = values[f.name];
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
        encodeFields(call(flyweight, f.name), f.composite.fields, v as Values);
        break;
      case 'group': {
        const elements = v as Values[];
        const group = call(flyweight, `${f.name}Count`, elements.length);
        for (const e of elements) encodeFields(call(group, 'next'), f.fields, e);
        break;
      }
      case 'constant':
        break;
    }
  }
}

/** Runs `read`, swallowing only CodecError (fixed fields do not move the limit, so reading may go on). */
function tolerant(read: () => void): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
}

const scratch = new Uint8Array(256);

/**
 * Reads every field of a decoder flyweight. Fixed fields are read independently (a CodecError from one,
 * e.g. an unknown enum value, does not stop the others); groups and var data move the limit, so a
 * CodecError there propagates. `mode` picks how var data is consumed (value / length+copy / skip).
 */
export function readAllFields(flyweight: unknown, fields: readonly FieldMeta[], mode: number): void {
  for (const f of fields) {
    switch (f.kind) {
      case 'primitive':
        tolerant(() => call(flyweight, f.name));
        if (is64(f.primitiveType)) tolerant(() => call(flyweight, `${f.name}BigInt`));
        break;
      case 'array':
        for (let i = -1; i <= f.length; i++) {
          tolerant(() => call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name, i));
        }
        break;
      case 'charArray':
        tolerant(() => call(flyweight, f.name));
        break;
      case 'enum':
        tolerant(() => call(flyweight, f.name));
        tolerant(() => call(flyweight, `${f.name}Raw`));
        break;
      case 'set':
        tolerant(() => {
          const set = call(flyweight, f.name);
          if (set !== null) for (const c of f.choices) call(set, c);
        });
        break;
      case 'composite':
        tolerant(() => {
          const c = call(flyweight, f.name);
          if (c !== null) readAllFields(c, f.composite.fields, mode);
        });
        break;
      case 'constant':
        if (hasMethod(flyweight, f.name)) call(flyweight, f.name);
        break;
      case 'group': {
        const group = call(flyweight, f.name);
        // Bounded by the uint16 count; `next()` past the end must throw BAD_INDEX, never loop.
        let guard = 0;
        while (call(group, 'hasNext') === true) {
          if (++guard > 70_000) throw new Error(`group ${f.name} never ends`);
          readAllFields(call(group, 'next'), f.fields, mode);
        }
        break;
      }
      case 'data': {
        const cap = f.name.charAt(0).toUpperCase() + f.name.slice(1);
        const pick = mode % 3;
        if (pick === 0) {
          call(flyweight, f.name);
        } else if (pick === 1) {
          call(flyweight, `${f.name}Length`);
          call(flyweight, `get${cap}`, scratch, 0, scratch.length);
        } else {
          call(flyweight, `skip${cap}`);
        }
        break;
      }
    }
  }
}
