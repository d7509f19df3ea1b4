/**
 * Property tests over EVERY generated message, driven generically by each folder's `SCHEMA` metadata:
 * round trip, decoding arbitrary bytes (only CodecError may escape), older acting versions reading newer
 * fields as null, and larger acting block lengths being skipped. numRuns stays small here; a fuzz run can
 * raise it with FC_NUM_RUNS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as archive from '../../codecs/generated/archive/index.ts';
import * as archiveMark from '../../codecs/generated/archive-mark/index.ts';
import * as kitchenSink from '../../codecs/generated/kitchen-sink/index.ts';
import * as kitchenSinkBigEndian from '../../codecs/generated/kitchen-sink-big-endian/index.ts';
import { CodecError, type FieldMeta, type MessageMeta, type SchemaMeta } from '../../codecs/runtime/index.ts';
import { call, encodeFields, is64, type Values, valuesArb } from '../support/sbe-arbitraries.ts';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const SCHEMAS: readonly SchemaMeta[] = [
  archive.SCHEMA,
  archiveMark.SCHEMA,
  kitchenSink.SCHEMA,
  kitchenSinkBigEndian.SCHEMA,
];

/** Reads every field back; fields newer than `version` come back as what the decoder gives. */
function decodeBlock(flyweight: unknown, fields: readonly FieldMeta[]): Values {
  const out: Values = {};
  for (const f of fields) {
    switch (f.kind) {
      case 'primitive':
        out[f.name] = call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name);
        break;
      case 'array':
        out[f.name] = Array.from({ length: f.length }, (_, i) =>
          call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name, i),
        );
        break;
      case 'charArray':
      case 'enum':
      case 'data':
        out[f.name] = call(flyweight, f.name);
        break;
      case 'set': {
        const set = call(flyweight, f.name);
        out[f.name] = set === null ? null : f.choices.map((c) => call(set, c));
        break;
      }
      case 'composite': {
        const c = call(flyweight, f.name);
        out[f.name] = c === null ? null : decodeBlock(c, f.composite.fields);
        break;
      }
      case 'group': {
        const group = call(flyweight, f.name);
        const elements: Values[] = [];
        while (call(group, 'hasNext')) elements.push(decodeBlock(call(group, 'next'), f.fields));
        out[f.name] = elements;
        break;
      }
      case 'constant':
        break;
    }
  }
  return out;
}

/** What a decoder returns for values written by an encoder (floats through float32). */
function expected(fields: readonly FieldMeta[], values: Values): Values {
  const out: Values = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'primitive' && f.primitiveType === 'float') out[f.name] = Math.fround(v as number);
    else if (f.kind === 'array' && f.primitiveType === 'float') out[f.name] = (v as number[]).map(Math.fround);
    else if (f.kind === 'composite') out[f.name] = expected(f.composite.fields, v as Values);
    else if (f.kind === 'group') out[f.name] = (v as Values[]).map((e) => expected(f.fields, e));
    else if (f.kind !== 'constant') out[f.name] = v;
  }
  return out;
}

/** Fields newer than `version` must read as null (groups empty, var data empty); older ones as written. */
function checkVersioned(fields: readonly FieldMeta[], got: Values, want: Values, version: number): void {
  for (const f of fields) {
    if (f.kind === 'constant') continue;
    const value = got[f.name];
    if (f.sinceVersion > version) {
      if (f.kind === 'primitive') {
        const isNull = is64(f.primitiveType) ? Number(value as bigint) === f.nullValue : Object.is(value, f.nullValue);
        expect(isNull, `${f.name} = ${String(value)}`).toBe(true);
      } else if (f.kind === 'enum') expect(value).toBe(f.nullValue);
      else if (f.kind === 'data') expect(value).toEqual(f.characterEncoding === null ? new Uint8Array(0) : '');
      else if (f.kind === 'group') expect(value).toEqual([]);
      else if (f.kind === 'set' || f.kind === 'composite') expect(value).toBeNull();
      else if (f.kind === 'charArray') expect(value).toBe('');
    } else if (f.kind === 'group') {
      const elements = value as Values[];
      const wanted = want[f.name] as Values[];
      expect(elements).toHaveLength(wanted.length);
      for (let i = 0; i < elements.length; i++) checkVersioned(f.fields, elements[i]!, wanted[i]!, version);
    } else {
      expect(value, f.name).toEqual(want[f.name]);
    }
  }
}

const BUFFER_SIZE = 64 * 1024;

function encodeMessage(m: MessageMeta, values: Values, buffer: Uint8Array, offset = 0, version = Infinity): number {
  const encoder = new m.Encoder();
  call(encoder, 'wrap', buffer, offset);
  encodeFields(encoder, m.fields, values, version);
  return call(encoder, 'encodedLength') as number;
}

function decodeMessage(m: MessageMeta, buffer: Uint8Array, offset: number, blockLength: number, version: number) {
  const decoder = new m.Decoder();
  call(decoder, 'wrap', buffer, offset, blockLength, version);
  return { decoder, values: decodeBlock(decoder, m.fields) };
}

const messages = SCHEMAS.flatMap((s) => s.messages.map((m) => ({ schema: s, m })));

describe('generated codecs: every message', () => {
  it('covers all 50 archive messages', () => {
    expect(archive.SCHEMA.messages).toHaveLength(50);
  });

  describe.each(messages.map(({ schema, m }) => [`${schema.package}.${m.name}`, schema, m] as const))(
    '%s',
    (_name, schema, m) => {
      const arb = valuesArb(m.fields);

      it('round-trips every field (encode -> decode), with the decoded length equal to the encoded one', () => {
        const buffer = new Uint8Array(BUFFER_SIZE);
        fc.assert(
          fc.property(arb, fc.integer({ min: 0, max: 64 }), (values, offset) => {
            const length = encodeMessage(m, values, buffer, offset);
            const { decoder, values: decoded } = decodeMessage(m, buffer, offset, m.blockLength, schema.version);
            expect(decoded).toEqual(expected(m.fields, values));
            expect(call(decoder, 'sbeDecodedLength')).toBe(length);
            expect(typeof call(decoder, 'toString')).toBe('string');
            expect(JSON.parse(JSON.stringify(call(decoder, 'toJSON')))).toBeTypeOf('object');
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it('reads fields newer than an older acting version as null, without moving the limit', () => {
        const buffer = new Uint8Array(BUFFER_SIZE);
        fc.assert(
          fc.property(arb, fc.integer({ min: 0, max: schema.version }), (values, version) => {
            encodeMessage(m, values, buffer, 0, version);
            const { values: decoded } = decodeMessage(m, buffer, 0, m.blockLength, version);
            checkVersioned(m.fields, decoded, expected(m.fields, values), version);
          }),
          { numRuns: Math.max(20, NUM_RUNS / 4) },
        );
      });

      it('skips a larger acting block length written by a newer peer', () => {
        const buffer = new Uint8Array(BUFFER_SIZE);
        fc.assert(
          fc.property(arb, fc.uint8Array({ minLength: 1, maxLength: 64 }), (values, extra) => {
            const length = encodeMessage(m, values, buffer);
            const widened = new Uint8Array(length + extra.length);
            widened.set(buffer.subarray(0, m.blockLength), 0);
            widened.set(extra, m.blockLength);
            widened.set(buffer.subarray(m.blockLength, length), m.blockLength + extra.length);
            const { decoder, values: decoded } = decodeMessage(
              m,
              widened,
              0,
              m.blockLength + extra.length,
              schema.version,
            );
            expect(decoded).toEqual(expected(m.fields, values));
            expect(call(decoder, 'sbeDecodedLength')).toBe(widened.length);
          }),
          { numRuns: Math.max(20, NUM_RUNS / 4) },
        );
      });

      it('decoding arbitrary or mutated bytes yields values or a CodecError, nothing else', () => {
        const valid = new Uint8Array(BUFFER_SIZE);
        const input = fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .tuple(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
            .map(([values, flips, cut]) => {
              const length = encodeMessage(m, values, valid);
              const bytes = valid.slice(0, length);
              for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
              return bytes.subarray(0, length === 0 ? 0 : cut % (length + 1));
            }),
        );
        fc.assert(
          fc.property(
            input,
            fc.integer({ min: -2, max: 400 }),
            fc.integer({ min: 0, max: 20 }),
            fc.integer({ min: -1, max: 16 }),
            (bytes, blockLength, version, offset) => {
              try {
                const { decoder } = decodeMessage(m, bytes, offset, blockLength, version);
                call(decoder, 'toString');
                call(decoder, 'toJSON');
                call(decoder, 'sbeDecodedLength');
              } catch (e) {
                if (!(e instanceof CodecError)) throw e;
              }
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });
    },
  );
});
