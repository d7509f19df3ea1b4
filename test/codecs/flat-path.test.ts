/**
 * The flat path (`encodeX` / `decodeX` / `createXValues`) of EVERY generated message, held against the flyweights
 * (whose bytes the golden tests hold against SBE's Java; the flat path's own golden checks are there too):
 *
 * - `decodeX` reads what the flyweights wrote at any acting version: fields the sender's version has as the
 *   flyweights read them, newer ones as their null values (what `createXValues()` starts with), and returns the
 *   length the flyweight decoder measures;
 * - `encodeX` then `decodeX` gives the same values back, and the same bytes as the flyweights wrote;
 * - arbitrary or mutated bytes give values or a CodecError, nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as archive from '../../codecs/generated/archive/index.ts';
import * as archiveMark from '../../codecs/generated/archive-mark/index.ts';
import * as kitchenSink from '../../codecs/generated/kitchen-sink/index.ts';
import * as kitchenSinkBigEndian from '../../codecs/generated/kitchen-sink-big-endian/index.ts';
import { CodecError, type FieldMeta, type MessageMeta, type SchemaMeta } from '../../codecs/runtime/index.ts';
import { call, encodeFields, is64, type Values, valuesArb } from '../support/sbe-arbitraries.ts';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 100);
const MODULES: ReadonlyArray<Readonly<Record<string, unknown>> & { SCHEMA: SchemaMeta }> = [
  archive,
  archiveMark,
  kitchenSink,
  kitchenSinkBigEndian,
];

function fn(mod: Readonly<Record<string, unknown>>, name: string): (...args: unknown[]) => unknown {
  const f = mod[name];
  if (typeof f !== 'function') throw new Error(`no function ${name}`);
  return (...args) => Reflect.apply(f, undefined, args) as unknown;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Writes header + body with the flyweights, as a sender on `version` would; returns the message length. */
function writeWithFlyweights(
  mod: Readonly<Record<string, unknown>>,
  schema: SchemaMeta,
  m: MessageMeta,
  values: Values,
  buffer: Uint8Array,
  offset: number,
  version: number,
): number {
  const header = Reflect.construct(mod.MessageHeaderEncoder as new () => object, []);
  call(header, 'wrap', buffer, offset);
  call(header, 'blockLength', m.blockLength);
  call(header, 'templateId', m.templateId);
  call(header, 'schemaId', schema.id);
  call(header, 'version', version);
  const encoder = new m.Encoder();
  call(encoder, 'wrap', buffer, offset + 8);
  encodeFields(encoder, m.fields, values, version);
  return 8 + (call(encoder, 'encodedLength') as number);
}

/** Compares flat values with what the flyweight decoder reads, field by field (`fresh`: the null values). */
function compare(
  flyweight: unknown,
  fields: readonly FieldMeta[],
  flat: Values,
  fresh: Values,
  version: number,
  path: string,
  typePath: string,
  mod: Readonly<Record<string, unknown>>,
): void {
  for (const f of fields) {
    if (f.kind === 'constant') continue;
    const where = `${path}.${f.name}`;
    const got = flat[f.name];
    if (f.sinceVersion > version) {
      expect(got, where).toEqual(fresh[f.name]);
      if (f.kind === 'group') call(flyweight, f.name); // the flyweight reads an empty group, as flat does
      continue;
    }
    switch (f.kind) {
      case 'primitive': {
        const v = call(flyweight, f.name);
        expect(Object.is(got, v), `${where}: flat ${String(got)}, flyweight ${String(v)}`).toBe(true);
        if (is64(f.primitiveType)) {
          expect(got, where).toBe(Number(call(flyweight, `${f.name}BigInt`) as bigint));
        }
        break;
      }
      case 'array':
        expect(got, where).toEqual(Array.from({ length: f.length }, (_, i) => call(flyweight, f.name, i)));
        break;
      case 'charArray':
      case 'enum':
      case 'data':
        expect(got, where).toEqual(call(flyweight, f.name));
        break;
      case 'set':
        expect(typeof got, where).toBe('number');
        expect(got, where).toBe(call(call(flyweight, f.name), 'raw'));
        break;
      case 'composite':
        compare(
          call(flyweight, f.name),
          f.composite.fields,
          got as Values,
          fresh[f.name] as Values,
          version,
          where,
          typePath,
          mod,
        );
        break;
      case 'group': {
        const group = call(flyweight, f.name);
        const elements = got as Values[];
        expect(elements.length, where).toBe(call(group, 'count'));
        const inner = `${typePath}${pascal(f.name)}`;
        const create = fn(mod, `create${inner}Values`);
        elements.forEach((e, i) => {
          call(group, 'next');
          compare(group, f.fields, e, create() as Values, version, `${where}[${i}]`, inner, mod);
        });
        break;
      }
    }
  }
}

const messages = MODULES.flatMap((mod) => mod.SCHEMA.messages.map((m) => ({ mod, schema: mod.SCHEMA, m })));

describe('flat encode/decode: every message', () => {
  describe.each(messages.map(({ mod, schema, m }) => [`${schema.package}.${m.name}`, mod, schema, m] as const))(
    '%s',
    (_name, mod, schema, m) => {
      const arb = valuesArb(m.fields);
      const create = fn(mod, `create${m.name}Values`);
      const encode = fn(mod, `encode${m.name}`);
      const decode = fn(mod, `decode${m.name}`);

      it('decodeX reads what the flyweights wrote at any acting version; newer fields as null', () => {
        const buffer = new Uint8Array(64 * 1024);
        const out = create() as Values; // reused across runs: groups grow and shrink in it
        fc.assert(
          fc.property(
            arb,
            fc.integer({ min: 0, max: schema.version }),
            fc.integer({ min: 0, max: 32 }),
            (values, version, offset) => {
              const length = writeWithFlyweights(mod, schema, m, values, buffer, offset, version);
              expect(decode(buffer, offset, out)).toBe(length);
              const decoder = new m.Decoder();
              call(decoder, 'wrap', buffer, offset + 8, m.blockLength, version);
              compare(decoder, m.fields, out, create() as Values, version, m.name, m.name, mod);
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });

      it('encodeX writes what decodeX read back to the same values, and the flyweights read them the same', () => {
        const source = new Uint8Array(64 * 1024);
        const target = new Uint8Array(64 * 1024);
        fc.assert(
          fc.property(arb, (values) => {
            writeWithFlyweights(mod, schema, m, values, source, 0, schema.version);
            const first = create() as Values;
            const length = decode(source, 0, first);
            target.fill(0);
            expect(encode(target, 0, first)).toBe(length);
            const second = create() as Values;
            expect(decode(target, 0, second)).toBe(length);
            expect(second).toEqual(first);
            const decoder = new m.Decoder();
            call(decoder, 'wrap', target, 8, m.blockLength, schema.version);
            compare(decoder, m.fields, second, create() as Values, schema.version, m.name, m.name, mod);
          }),
          { numRuns: Math.max(20, NUM_RUNS / 2) },
        );
      });

      it('encodeX fails with CodecError SHORT_BUFFER, never a RangeError, when the buffer is short', () => {
        const big = new Uint8Array(64 * 1024);
        fc.assert(
          fc.property(arb, fc.nat(), (values, cut) => {
            writeWithFlyweights(mod, schema, m, values, big, 0, schema.version);
            const v = create() as Values;
            const length = decode(big, 0, v) as number;
            const short = new Uint8Array(cut % length);
            expect(() => encode(short, 0, v)).toThrow(CodecError);
          }),
          { numRuns: Math.max(20, NUM_RUNS / 2) },
        );
      });

      it('decoding arbitrary or mutated bytes yields values or a CodecError, nothing else', () => {
        const valid = new Uint8Array(64 * 1024);
        const input = fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .tuple(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
            .map(([values, flips, cut]) => {
              const length = writeWithFlyweights(mod, schema, m, values, valid, 0, schema.version);
              const bytes = valid.slice(0, length);
              // Keep the template and schema ids most of the time, so the body is what gets mutated.
              for (const [at, value] of flips)
                if (at % bytes.length > 5 || at % 3 === 0) bytes[at % bytes.length] = value;
              return bytes.subarray(0, cut % (length + 1));
            }),
        );
        const out = create() as Values;
        fc.assert(
          fc.property(input, fc.integer({ min: -1, max: 16 }), (bytes, offset) => {
            try {
              decode(bytes, offset, out);
            } catch (e) {
              if (!(e instanceof CodecError)) throw e;
            }
          }),
          { numRuns: NUM_RUNS },
        );
      });
    },
  );
});
