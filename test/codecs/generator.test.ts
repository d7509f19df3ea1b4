/**
 * The SBE generator: IR layout against the known archive layouts, kitchen-sink behaviour (enums, sets,
 * groups, var data, versions, int64 sentinels, errors), and that the committed output is what it generates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ks from '../../codecs/generated/kitchen-sink/index.ts';
import * as ksBig from '../../codecs/generated/kitchen-sink-big-endian/index.ts';
import { generateEntry } from '../../codecs/generator/generate.ts';
import { fixedEndForVersion, type Message } from '../../codecs/generator/ir.ts';
import { parseSchema } from '../../codecs/generator/parse-schema.ts';
import { SCHEMAS } from '../../codecs/generator/schemas.ts';
import { CodecError, getInt64, getUint64, setInt64, setUint64 } from '../../codecs/runtime/index.ts';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';

const archive = parseSchema(readFileSync(join(PROJECT_ROOT, 'codecs/schema/aeron-archive-codecs.xml'), 'utf8'));
const kitchen = parseSchema(readFileSync(join(PROJECT_ROOT, 'codecs/schema/kitchen-sink.xml'), 'utf8'));

function message(schema: typeof archive, name: string): Message {
  const m = schema.messages.find((x) => x.name === name);
  if (m === undefined) throw new Error(name);
  return m;
}

function layout(m: Message): Record<string, [number, number]> {
  return Object.fromEntries(m.fields.map((f) => [f.name, [f.offset, f.sinceVersion]]));
}

function codecError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('IR layout of the archive schema', () => {
  it('has schema id 101 version 13 and 50 messages', () => {
    expect([archive.id, archive.version, archive.messages.length]).toEqual([101, 13, 50]);
  });

  it('lays out ReplayRequest: block 56, fileIoMaxLength @44 v7, replayToken @48 v10', () => {
    const m = message(archive, 'ReplayRequest');
    expect(m.blockLength).toBe(56);
    expect(layout(m)).toEqual({
      controlSessionId: [0, 0],
      correlationId: [8, 0],
      recordingId: [16, 0],
      position: [24, 0],
      length: [32, 0],
      replayStreamId: [40, 0],
      fileIoMaxLength: [44, 7],
      replayToken: [48, 10],
    });
    expect(m.data.map((d) => d.name)).toEqual(['replayChannel']);
    expect([fixedEndForVersion(m.fields, 6), fixedEndForVersion(m.fields, 9)]).toEqual([44, 48]);
  });

  it('lays out BoundedReplayRequest (60), RecordingDescriptor (80), ControlResponse (32), AuthConnectRequest (16)', () => {
    const bounded = message(archive, 'BoundedReplayRequest');
    expect(bounded.blockLength).toBe(60);
    expect(layout(bounded).replayToken).toEqual([52, 10]);
    const descriptor = message(archive, 'RecordingDescriptor');
    expect(descriptor.blockLength).toBe(80);
    expect(layout(descriptor).streamId).toEqual([76, 0]);
    expect(descriptor.data.map((d) => d.name)).toEqual(['strippedChannel', 'originalChannel', 'sourceIdentity']);
    const response = message(archive, 'ControlResponse');
    expect(response.blockLength).toBe(32);
    expect(layout(response)).toMatchObject({ code: [24, 0], version: [28, 4] });
    const auth = message(archive, 'AuthConnectRequest');
    expect(auth.blockLength).toBe(16);
    expect(auth.data.map((d) => [d.name, d.characterEncoding, d.sinceVersion])).toEqual([
      ['responseChannel', 'US-ASCII', 0],
      ['encodedCredentials', null, 0],
      ['clientInfo', 'US-ASCII', 12],
    ]);
  });

  it('honours explicit offsets and blockLength attributes (CatalogHeader, kitchen-sink Heartbeat)', () => {
    const catalog = message(archive, 'CatalogHeader');
    expect(layout(catalog).reserved).toEqual([31, 0]);
    expect(catalog.blockLength).toBe(32);
    const heartbeat = message(kitchen, 'Heartbeat');
    expect(layout(heartbeat)).toEqual({ timestamp: [0, 0], sequence: [12, 0], flags: [16, 0] });
    expect(heartbeat.blockLength).toBe(24);
  });

  it('lays out the kitchen sink like the real SBE tool (AllTypes block 152, constants take no space)', () => {
    const all = message(kitchen, 'AllTypes');
    expect(all.blockLength).toBe(152);
    expect(layout(all)).toMatchObject({
      quad: [51, 0],
      optInt16: [88, 0],
      answer: [90, 0],
      venue: [90, 0],
      colour: [90, 0],
      price: [97, 0],
      placement: [106, 0],
      v1Int32: [127, 1],
      v3Qty: [148, 3],
    });
  });
});

describe('kitchen-sink codecs', () => {
  const buffer = new Uint8Array(4096);
  const header = new ks.MessageHeaderEncoder();
  const headerDecoder = new ks.MessageHeaderDecoder();

  function writeAllTypes(): ks.AllTypesEncoder {
    const e = new ks.AllTypesEncoder().wrapAndApplyHeader(buffer, 0, header);
    e.int64Field(-(2 ** 63))
      .uint64Field(2 ** 64)
      .v2Int64(2 ** 63)
      .symbol('ABC')
      .colour(ks.Colour.BLUE)
      .side(ks.Side.SELL)
      .v1Int32(11)
      .v3Colour(ks.Colour.GREEN)
      .v3Qty(5);
    e.flags().clear().guaranteed(true).retry(true);
    e.permissions().clear().admin(true).execute(true);
    e.price().mantissa(12345).exponent(-2);
    e.placement().origin().x(1).y(2);
    e.placement().extent().width(3).height(4);
    e.placement().colour(ks.Colour.RED).layer(9).flags().clear().urgent(true);
    e.v2Point().x(7).y(8);
    return e
      .asciiText('hello')
      .utf8Text('héllo ✓')
      .blob(new Uint8Array([1, 2, 3]))
      .v2Note('note');
  }

  it('round-trips enums, sets, composites, char arrays, var data and int64 sentinels', () => {
    writeAllTypes();
    const d = new ks.AllTypesDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
    expect(d.int64Field()).toBe(-(2 ** 63));
    expect(d.int64FieldBigInt()).toBe(-(2n ** 63n));
    expect(d.uint64FieldBigInt()).toBe(2n ** 64n - 1n);
    expect(d.v2Int64BigInt()).toBe(2n ** 63n - 1n);
    expect(d.symbol()).toBe('ABC');
    expect(d.colour()).toBe(ks.Colour.BLUE);
    expect(d.side()).toBe(ks.Side.SELL);
    expect([d.answer(), d.venue(), d.fixedColour()]).toEqual([42, 'XLON', ks.Colour.GREEN]);
    expect(d.flags().toJSON()).toEqual(['guaranteed', 'retry']);
    expect(d.permissions().admin()).toBe(true);
    expect(d.permissions().raw()).toBe(0x80000020);
    expect(d.price().toJSON()).toEqual({ mantissa: 12345, exponent: -2 });
    expect(d.placement().toString()).toBe(
      '(origin=(x=1|y=2)|extent=(width=3|height=4)|colour=RED|flags={urgent}|layer=9)',
    );
    expect(d.asciiText()).toBe('hello');
    expect(d.utf8Text()).toBe('héllo ✓');
    expect([...d.blob()]).toEqual([1, 2, 3]);
    expect(d.v2Note()).toBe('note');
    expect(d.toString()).toContain(
      '[AllTypes](sbeTemplateId=1|sbeSchemaId=900|sbeSchemaVersion=3|sbeBlockLength=152):',
    );
    expect(d.toString()).toContain("|asciiText='hello'|utf8Text='héllo ✓'|blob=3 bytes of raw data|v2Note='note'");
    expect(d.toJSON()).toMatchObject({ uint64Field: '18446744073709551615', colour: 'BLUE', blob: '010203' });
  });

  it('reads fields newer than the acting version as null', () => {
    writeAllTypes();
    const d = new ks.AllTypesDecoder().wrap(buffer, 8, 131, 1);
    expect(d.v1Int32()).toBe(11);
    expect(d.v2Int64()).toBe(-(2 ** 63));
    expect(d.v2Point()).toBeNull();
    expect(d.v3Colour()).toBe(ks.Colour.NULL_VAL);
    expect(d.v3Qty()).toBe(2 ** 32 - 1);
    const wide = new ks.AllTypesDecoder().wrap(buffer, 8, 152, 1);
    expect(wide.toString()).toContain('sbeSchemaVersion=1/3|sbeBlockLength=152):');
    expect(wide.toString()).toContain("|v2Point=null|v3Colour=NULL_VAL|v3Qty=4294967295|asciiText='hello'");
    const v0 = new ks.AllTypesDecoder().wrap(buffer, 8, 127, 0);
    expect(v0.v1Int32()).toBe(-(2 ** 31));
  });

  it('walks nested groups with var data, and a group newer than the acting version is empty', () => {
    const e = new ks.OrderEncoder().wrapAndApplyHeader(buffer, 0, header).orderId(1).side(ks.Side.BUY);
    const legs = e.legsCount(2);
    for (let i = 0; i < 2; i++) {
      legs
        .next()
        .legId(i)
        .ratio(i + 0.5)
        .v2Qty(i);
      legs.price().mantissa(i).exponent(1);
      const fills = legs.fillsCount(i + 1);
      for (let j = 0; j <= i; j++)
        fills
          .next()
          .fillId(j)
          .quantity(j * 10);
      legs.legNote(`leg ${i}`);
    }
    e.tagsCount(1).next().tag(5).label('tag');
    e.comment('done');
    const d = new ks.OrderDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
    const seen: string[] = [];
    for (const leg of d.legs()) {
      const fills = Array.from(leg.fills(), (f) => f.quantity()); // one flyweight: read while iterating
      seen.push(`${leg.legId()}:${leg.ratio()}:${fills.join('/')}:${leg.legNote()}`);
    }
    expect(seen).toEqual(['0:0.5:0:leg 0', '1:1.5:0/10:leg 1']);
    expect(d.tags().next().label()).toBe('tag');
    expect(d.comment()).toBe('done');
    expect(d.sbeDecodedLength()).toBe(e.encodedLength());
    expect(d.toString()).toContain(
      "legs=[(legId=0|ratio=0.5|price=(mantissa=0|exponent=1)|v2Qty=0|fills=[(fillId=0|quantity=0)]|legNote='leg 0'),",
    );
    const old = new ks.OrderDecoder().wrap(buffer, 8, ks.OrderDecoder.BLOCK_LENGTH, 1);
    const oldLegs = old.legs();
    expect(oldLegs.count()).toBe(2);
    expect(oldLegs.next().v2Qty()).toBe(2 ** 32 - 1);
    expect(old.tags().count()).toBe(0);
  });

  it('throws only CodecError with stable codes', () => {
    const d = new ks.AllTypesDecoder();
    expect(codecError(() => d.wrap(new Uint8Array(10), 0, 152, 3))).toBe('SHORT_BUFFER');
    const bytes = new Uint8Array(64);
    new ks.HeartbeatEncoder().wrapAndApplyHeader(bytes, 0, header);
    expect(codecError(() => d.wrapAndApplyHeader(bytes, 0, headerDecoder))).toBe('WRONG_TEMPLATE');
    new ks.MessageHeaderEncoder().wrap(bytes, 0).templateId(1).schemaId(901);
    expect(codecError(() => d.wrapAndApplyHeader(bytes, 0, headerDecoder))).toBe('WRONG_SCHEMA');
    writeAllTypes();
    buffer[8 + 90] = 77;
    const all = new ks.AllTypesDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
    expect(codecError(() => all.colour())).toBe('UNKNOWN_ENUM_VALUE');
    expect(all.colourRaw()).toBe(77);
    expect(codecError(() => all.quad(4))).toBe('BAD_INDEX');
    expect(codecError(() => new ks.AllTypesEncoder().wrap(buffer, 0).symbol('123456789'))).toBe('BAD_LENGTH');
    expect(codecError(() => new ks.OrderEncoder().wrap(buffer, 0).legsCount(70000))).toBe('BAD_LENGTH');
    const notice = new ks.NoticeEncoder().wrap(new Uint8Array(8), 0);
    expect(codecError(() => notice.text('longer than the buffer'))).toBe('SHORT_BUFFER');
  });
});

describe('allocation-free accessors (inline int64, copy loops, direct text decoders)', () => {
  const sources = (name: string): string =>
    readFileSync(join(PROJECT_ROOT, 'codecs/generated/archive', `${name}.ts`), 'utf8');

  it('emits int64 reads and writes inline, and var data copies without subarray', () => {
    const decoder = sources('ReplayRequestDecoder');
    const encoder = sources('ReplayRequestEncoder');
    expect(decoder).not.toMatch(/getInt64\(/);
    expect(decoder).not.toMatch(/subarray|decodeText/);
    expect(decoder).toMatch(/return decodeAscii\(this\.sbeBuffer, start, end\);/);
    expect(encoder).not.toMatch(/subarray/);
    // The runtime helper is only the slow path (saturation, wrap-around, NaN).
    expect(encoder).toMatch(/} else {\n\s+setInt64\(view, offset, value, true\);/);
  });

  const interesting = fc.oneof(
    fc.constantFrom(
      0,
      -0,
      1,
      -1,
      -0.5,
      0.5,
      2 ** 31,
      -(2 ** 31),
      2 ** 32,
      2 ** 32 - 1,
      -(2 ** 32),
      2 ** 53,
      -(2 ** 53),
      2 ** 63,
      2 ** 63 - 1024,
      -(2 ** 63),
      -(2 ** 63) - 4096,
      2 ** 64,
      2 ** 64 - 2048,
      2 ** 70,
      -(2 ** 70),
      // Fractions where a subtraction before flooring would round (lo to 2^32, or across 2^52).
      -1e-300,
      -(2 ** 52) + 0.5,
      2 ** 52 - 0.5,
      -(2 ** 31) - 0.5,
      2 ** 32 - 0.5,
      -(2 ** 32) - 0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ),
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
  );

  for (const [label, kit, le] of [
    ['little-endian', ks, true],
    // Same API, other byte order: private fields make the two class sets nominally distinct for tsc.
    ['big-endian', ksBig as unknown as typeof ks, false],
  ] as const) {
    it(`${label}: inline int64/uint64 writes give the runtime helpers' bytes, and reads their value`, () => {
      const buffer = new Uint8Array(512);
      const view = new DataView(buffer.buffer);
      const reference = new DataView(new ArrayBuffer(16));
      const header = new kit.MessageHeaderEncoder();
      const body = kit.MessageHeaderEncoder.ENCODED_LENGTH;
      const int64At = body + kit.AllTypesEncoder.int64FieldEncodingOffset();
      const uint64At = body + kit.AllTypesEncoder.uint64FieldEncodingOffset();
      const e = new kit.AllTypesEncoder();
      const d = new kit.AllTypesDecoder();
      const headerDecoder = new kit.MessageHeaderDecoder();
      fc.assert(
        fc.property(interesting, interesting, (a, b) => {
          e.wrapAndApplyHeader(buffer, 0, header).int64Field(a).uint64Field(b);
          setInt64(reference, 0, a, le);
          setUint64(reference, 8, b, le);
          expect(view.getBigInt64(int64At, le)).toBe(reference.getBigInt64(0, le));
          expect(view.getBigUint64(uint64At, le)).toBe(reference.getBigUint64(8, le));
          d.wrapAndApplyHeader(buffer, 0, headerDecoder);
          expect(d.int64Field()).toBe(getInt64(reference, 0, le));
          expect(d.uint64Field()).toBe(getUint64(reference, 8, le));
        }),
        { numRuns: 2000 },
      );
    });

    it(`${label}: var data and char arrays copy through the word loops and set() for any length`, () => {
      const buffer = new Uint8Array(4096);
      const header = new kit.MessageHeaderEncoder();
      const headerDecoder = new kit.MessageHeaderDecoder();
      const e = new kit.AllTypesEncoder();
      const d = new kit.AllTypesDecoder();
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 0, maxLength: 300 }),
          fc.uint8Array({ minLength: 0, maxLength: 300 }),
          fc.nat(7),
          fc.uint8Array({ minLength: 8, maxLength: 8 }),
          (ascii, blob, shift, symbol) => {
            const src = new Uint8Array(shift + Math.max(ascii.length, blob.length, 8));
            src.set(symbol, shift);
            e.wrapAndApplyHeader(buffer, 0, header).putSymbol(src, shift);
            src.set(ascii, shift);
            e.putAsciiText(src, shift, ascii.length);
            e.utf8Text('');
            src.set(blob, shift);
            e.putBlob(src, shift, blob.length);
            d.wrapAndApplyHeader(buffer, 0, headerDecoder);
            const dst = new Uint8Array(shift + 300).fill(0xee);
            expect(d.getSymbol(dst, shift)).toBe(8);
            expect(dst.subarray(shift, shift + 8)).toEqual(symbol);
            dst.fill(0xee);
            expect(d.getAsciiText(dst, shift, 300)).toBe(ascii.length);
            expect(dst.subarray(shift, shift + ascii.length)).toEqual(ascii);
            expect(dst[shift + ascii.length]).toBe(ascii.length + shift < dst.length ? 0xee : undefined);
            d.skipUtf8Text();
            expect(d.blob()).toEqual(blob);
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('decodes US-ASCII text from several buffers in turn (the Buffer cache follows the array)', () => {
    const header = new ks.MessageHeaderEncoder();
    const headerDecoder = new ks.MessageHeaderDecoder();
    const texts = ['short', 'a channel long enough for the latin1 slice path: aeron:udp?endpoint=x:1', ''];
    const buffers = texts.map((t, i) => {
      const b = new Uint8Array(1024);
      new ks.AllTypesEncoder().wrapAndApplyHeader(b, i * 8, header).asciiText(t);
      return b;
    });
    const d = new ks.AllTypesDecoder();
    for (let round = 0; round < 3; round++) {
      buffers.forEach((b, i) => {
        expect(d.wrapAndApplyHeader(b, i * 8, headerDecoder).asciiText()).toBe(texts[i]);
      });
    }
    const b = buffers[1]!;
    const at = d.wrapAndApplyHeader(b, 8, headerDecoder).limit() + 4;
    b[at + 20] = 0xc3;
    expect(d.wrapAndApplyHeader(b, 8, headerDecoder).asciiText()).toBe(
      `${texts[1]!.slice(0, 20)}\ufffd${texts[1]!.slice(21)}`,
    );
  });
});

describe('codegen:check', () => {
  it('generating in memory reproduces the committed files byte for byte', () => {
    for (const entry of SCHEMAS) {
      for (const [path, content] of generateEntry(PROJECT_ROOT, entry)) {
        expect(readFileSync(join(PROJECT_ROOT, path), 'utf8'), path).toBe(content);
      }
    }
  });

  it('stamps the generator version and schema, with no timestamps', () => {
    const [first] = generateEntry(PROJECT_ROOT, SCHEMAS[0]!).values();
    expect(first).toMatch(/^\/\/ @generated by aeron-ts sbe generator \d+\.\d+\.\d+ from codecs\/schema\//);
    expect(first).toContain('Schema io.aeron.archive.codecs id 101 version 13 (littleEndian)');
    expect(first).not.toMatch(/20\d\d-\d\d-\d\d/);
  });
});
