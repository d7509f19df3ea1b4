/**
 * Fuzz targets shared by `npm run fuzz` (fuzz.ts) and the short run in `npm test` (fuzz.test.ts).
 *
 * A target is a fast-check arbitrary of inputs plus `execute(input)`. `execute` may throw only the typed
 * error its layer promises (`allowed`); anything else (TypeError, RangeError, a plain Error, a wrong
 * invariant) is a failure reported with the fast-check seed and path. Hangs are caught outside, by the
 * worker watchdog in `runner.ts`.
 *
 * - `archive:<Message>` / `archive-mark:<Message>`: every generated SBE decoder (driven from `SCHEMA`), over
 *   random bytes and mutated valid encodings, with random offsets, acting block lengths and versions, via the
 *   message header or a raw `wrap`; every field is read (incl. `*BigInt`, `*Raw`, var data three ways) and
 *   `toString`, `toJSON` (+ `JSON.stringify`) and `sbeDecodedLength` are called. Only `CodecError` may escape.
 * - `transport:*`: the transport-level readers, fed garbage and mutated valid structures:
 *   the to-clients broadcast receiver (copying), the counters reader, the distinct error log reader, the loss
 *   report reader, `validateCnc` + every region reader of a validated CnC, and the to-driver ring buffer
 *   reader. Only `TransportError` (and its subclasses) may escape.
 * - `client:image-poll`: torn and garbage frames through the real `Image` poll loops (with a `FragmentAssembler`)
 *   and the driver's term scanners. A poll routes handler and read errors to the image's error handler and must
 *   itself never throw; `blockPoll` and the scanners may throw only `TransportError` (out-of-bounds reads). In
 *   image-poll-target.ts.
 * - `client:<Flyweight>` / `client:driver-events-adapter`: every driver response flyweight the client reads
 *   from the to-clients broadcast, and the `DriverEventsAdapter` dispatch as a whole with a checking stub
 *   conductor. Only `TransportError` may escape. In driver-response-targets.ts.
 */
import fc from 'fast-check';
import * as archive from '../../codecs/generated/archive/index.ts';
import * as archiveMark from '../../codecs/generated/archive-mark/index.ts';
import type { MessageMeta, SchemaMeta } from '../../codecs/runtime/index.ts';
import {
  AtomicBuffer,
  BROADCAST_LATEST_COUNTER_OFFSET,
  BROADCAST_TAIL_COUNTER_OFFSET,
  BROADCAST_TAIL_INTENT_COUNTER_OFFSET,
  BROADCAST_TRAILER_LENGTH,
  BroadcastReceiver,
  BroadcastTransmitter,
  CNC_METADATA_LENGTH,
  CNC_VERSION,
  CopyBroadcastReceiver,
  CountersReader,
  cncFilePageSize,
  cncRegions,
  composeSemanticVersion,
  hasErrors,
  LABEL_OFFSET,
  ManyToOneRingBuffer,
  METADATA_LENGTH,
  type MessageHandler,
  RING_HEAD_POSITION_OFFSET,
  RING_TRAILER_LENGTH,
  readErrorLog,
  readLossReport,
  validateCnc,
  writeCncHeader,
} from '../../src/transport/index.ts';
import { driverResponseTargets } from './driver-response-targets.ts';
import { type AnyFuzzTarget, type FuzzTarget, isCodecError, isTransportError } from './fuzz-target.ts';
import { imagePollTarget } from './image-poll-target.ts';
import { fillSeeded, mutate, mutationsArb } from './mutate.ts';
import { encodeFields, readAllFields, valuesArb } from './sbe-walk.ts';

export type { AnyFuzzTarget, FuzzLayer, FuzzTarget } from './fuzz-target.ts';

/** A signed 64-bit value that is usually plausible (small) and sometimes extreme. */
const int64Arb: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -256, max: 1 << 16 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(-1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 53n + 1n, 2n ** 31n) },
  { weight: 1, arbitrary: fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n) },
);

// ---- SBE decoders ------------------------------------------------------------------------------------------

interface SbeInput {
  readonly bytes: Uint8Array;
  readonly pad: number;
  readonly useHeader: boolean;
  readonly blockLength: number;
  readonly version: number;
  readonly readMode: number;
}

const HEADER_LENGTH = 8;

function sbeTarget(prefix: string, schema: SchemaMeta, m: MessageMeta): FuzzTarget<SbeInput> {
  // A corpus of valid encodings (header + body), fixed by seed so a failure replays.
  const corpus: Uint8Array[] = [];
  const scratch = new Uint8Array(64 * 1024);
  const headerEncoder = new archive.MessageHeaderEncoder();
  for (const values of fc.sample(valuesArb(m.fields), { numRuns: 24, seed: m.templateId * 7919 + 1 })) {
    scratch.fill(0);
    headerEncoder
      .wrap(scratch, 0)
      .blockLength(m.blockLength)
      .templateId(m.templateId)
      .schemaId(schema.id)
      .version(schema.version);
    const encoder = new m.Encoder() as { wrap(b: Uint8Array, o: number): unknown; encodedLength(): number };
    encoder.wrap(scratch, HEADER_LENGTH);
    encodeFields(encoder, m.fields, values);
    corpus.push(scratch.slice(0, HEADER_LENGTH + encoder.encodedLength()));
  }
  const header = new archive.MessageHeaderDecoder();
  const decoder = new m.Decoder() as {
    wrap(b: Uint8Array, o: number, bl: number, v: number): unknown;
    wrapAndApplyHeader(b: Uint8Array, o: number, h: archive.MessageHeaderDecoder): unknown;
    toString(): string;
    toJSON(): unknown;
    sbeDecodedLength(): number;
    encodedLength(): number;
    sbeRewind(): unknown;
  };
  return {
    name: `${prefix}:${m.name}`,
    layer: 'archive-codec',
    allowedName: 'CodecError',
    allowed: isCodecError,
    observed: new Map(),
    arbitrary: () =>
      fc.record({
        bytes: fc.oneof(
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 160 }) },
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.nat(corpus.length - 1), mutationsArb)
              .map(([i, mutations]) => mutate(corpus[i] as Uint8Array, mutations)),
          },
          { weight: 1, arbitrary: fc.nat(corpus.length - 1).map((i) => corpus[i] as Uint8Array) },
        ),
        pad: fc.integer({ min: -2, max: 9 }),
        useHeader: fc.boolean(),
        blockLength: fc.oneof(
          fc.constant(m.blockLength),
          fc.integer({ min: -2, max: 300 }),
          fc.constantFrom(0xffff, 0x7fffffff, -0x80000000),
        ),
        version: fc.oneof(fc.constant(schema.version), fc.integer({ min: 0, max: 20 }), fc.constantFrom(0xffff, -1)),
        readMode: fc.nat(5),
      }),
    execute(input) {
      const start = Math.max(0, input.pad);
      const buffer = new Uint8Array(start + input.bytes.length);
      buffer.set(input.bytes, start);
      const offset = input.pad;
      if (input.useHeader) {
        header.wrap(buffer, offset);
        header.blockLength();
        header.templateId();
        header.schemaId();
        header.version();
        header.toString();
        JSON.stringify(header.toJSON());
        decoder.wrapAndApplyHeader(buffer, offset, header);
      } else {
        decoder.wrap(buffer, offset + HEADER_LENGTH, input.blockLength, input.version);
      }
      readAllFields(decoder, m.fields, input.readMode);
      decoder.encodedLength();
      decoder.sbeRewind();
      if (typeof decoder.toString() !== 'string') throw new Error('toString did not return a string');
      JSON.stringify(decoder.toJSON());
      decoder.sbeDecodedLength();
    },
  };
}

// ---- transport ---------------------------------------------------------------------------------------------

interface BroadcastInput {
  readonly capLog2: number;
  readonly fillSeed: number;
  readonly records: readonly (readonly [number, number])[];
  readonly mutations: readonly import('./mutate.ts').Mutation[] | null;
  readonly trailer: readonly [bigint, bigint, bigint] | null;
  readonly receives: number;
}

function broadcastTarget(): FuzzTarget<BroadcastInput> {
  return {
    name: 'transport:broadcast-receiver',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () =>
      fc.record({
        capLog2: fc.integer({ min: 6, max: 12 }),
        fillSeed: fc.integer(),
        records: fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.nat(512)), { maxLength: 40 }),
        mutations: fc.option(mutationsArb),
        trailer: fc.option(fc.tuple(int64Arb, int64Arb, int64Arb)),
        receives: fc.integer({ min: 1, max: 48 }),
      }),
    execute(input) {
      const capacity = 2 ** input.capLog2;
      const garbage = input.records.length === 0;
      let bytes = new Uint8Array(capacity + BROADCAST_TRAILER_LENGTH);
      const buffer = new AtomicBuffer(bytes.buffer);
      if (garbage) {
        fillSeeded(bytes, input.fillSeed);
      } else {
        const tx = new BroadcastTransmitter(buffer);
        const payload = new Uint8Array(tx.maxMsgLength);
        fillSeeded(payload, input.fillSeed);
        for (const [type, length] of input.records) tx.transmit(type, payload, 0, length % (tx.maxMsgLength + 1));
      }
      if (input.mutations !== null) {
        const mutated = mutate(bytes, input.mutations);
        bytes = new Uint8Array(bytes.length);
        bytes.set(mutated.subarray(0, bytes.length));
      }
      const target = new AtomicBuffer(bytes.buffer);
      if (input.trailer !== null) {
        target.putInt64BigInt(capacity + BROADCAST_TAIL_INTENT_COUNTER_OFFSET, input.trailer[0]);
        target.putInt64BigInt(capacity + BROADCAST_TAIL_COUNTER_OFFSET, input.trailer[1]);
        target.putInt64BigInt(capacity + BROADCAST_LATEST_COUNTER_OFFSET, input.trailer[2]);
      }
      const receiver = new CopyBroadcastReceiver(new BroadcastReceiver(target));
      let checksum = 0;
      const handler: MessageHandler = (msgTypeId, b, index, length) => {
        const view = b.bytes.subarray(index, index + length);
        if (view.length !== length) throw new Error(`handler got length ${length} but only ${view.length} bytes`);
        checksum = (checksum + msgTypeId + length) | 0;
      };
      for (let i = 0; i < input.receives; i++) receiver.receive(handler);
    },
  };
}

interface CountersInput {
  readonly records: number;
  readonly metaExtra: number;
  readonly counters: number;
  readonly valuesExtra: number;
  readonly fillSeed: number;
  readonly states: readonly number[];
  readonly labelLengths: readonly number[];
  readonly ids: readonly number[];
  readonly registrationId: number;
}

function countersTarget(): FuzzTarget<CountersInput> {
  return {
    name: 'transport:counters-reader',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () =>
      fc.record({
        records: fc.integer({ min: 0, max: 6 }),
        metaExtra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 })),
        counters: fc.integer({ min: 0, max: 8 }),
        valuesExtra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
        fillSeed: fc.integer(),
        states: fc.array(fc.oneof(fc.constantFrom(0, 1, -1), fc.integer()), { maxLength: 8 }),
        labelLengths: fc.array(fc.oneof(fc.integer({ min: -2, max: 400 }), fc.constantFrom(0x7fffffff, -0x80000000)), {
          maxLength: 8,
        }),
        ids: fc.array(
          fc.oneof(fc.integer({ min: -2, max: 10 }), fc.constantFrom(2 ** 31, -(2 ** 31), 0.5, Number.NaN)),
          { maxLength: 6 },
        ),
        registrationId: fc.integer({ min: -2, max: 100 }),
      }),
    execute(input) {
      const metadata = new AtomicBuffer(new ArrayBuffer(input.records * METADATA_LENGTH + input.metaExtra));
      const values = new AtomicBuffer(new ArrayBuffer(input.counters * 128 + input.valuesExtra));
      fillSeeded(metadata.bytes, input.fillSeed);
      fillSeeded(values.bytes, input.fillSeed ^ 0x5a5a5a5a);
      for (let i = 0; i < input.records; i++) {
        const state = input.states[i];
        if (state !== undefined) metadata.putInt32(i * METADATA_LENGTH, state);
        const label = input.labelLengths[i];
        if (label !== undefined) metadata.putInt32(i * METADATA_LENGTH + LABEL_OFFSET, label);
      }
      const reader = new CountersReader(metadata, values);
      reader.forEach((_id, _type, key, label) => {
        key.getInt64(0);
        if (typeof label !== 'string') throw new Error('label is not a string');
      });
      reader.findByRegistrationId(input.registrationId);
      reader.findByTypeIdAndRegistrationId(input.registrationId & 15, input.registrationId);
      for (const id of input.ids) {
        for (const read of [
          () => reader.getCounterValue(id),
          () => reader.getCounterRegistrationId(id),
          () => reader.getCounterOwnerId(id),
          () => reader.getCounterReferenceId(id),
          () => reader.getCounterState(id),
          () => reader.getCounterTypeId(id),
          () => reader.getFreeForReuseDeadline(id),
          () => reader.getCounterLabel(id),
          () => reader.getCounterKey(id),
        ]) {
          try {
            read();
          } catch (e) {
            if (!isTransportError(e)) throw e;
          }
        }
      }
    },
  };
}

interface LogInput {
  readonly length: number;
  readonly fillSeed: number;
  readonly lengths: readonly number[];
  readonly mutations: readonly import('./mutate.ts').Mutation[] | null;
  readonly since: number;
}

const logInputArb = (maxLength: number): fc.Arbitrary<LogInput> =>
  fc.record({
    length: fc.oneof(
      fc.integer({ min: 0, max: maxLength }).map((n) => n & ~7),
      fc.integer({ min: 0, max: maxLength }),
    ),
    fillSeed: fc.integer(),
    lengths: fc.array(fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom(0x7fffffff, -0x80000000)), {
      maxLength: 6,
    }),
    mutations: fc.option(mutationsArb),
    since: fc.oneof(fc.constant(0), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER)),
  });

function logBytes(input: LogInput, stride: (length: number) => number, lengthWidth: 32 | 64): AtomicBuffer {
  let bytes = new Uint8Array(input.length);
  fillSeeded(bytes, input.fillSeed);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const length of input.lengths) {
    if (offset + 8 > bytes.length) break;
    if (lengthWidth === 32) view.setInt32(offset, length, true);
    else view.setBigInt64(offset, BigInt(length), true);
    offset += Math.max(8, stride(length));
  }
  if (input.mutations !== null) {
    const mutated = mutate(bytes, input.mutations);
    bytes = new Uint8Array(bytes.length);
    bytes.set(mutated.subarray(0, bytes.length));
  }
  return new AtomicBuffer(bytes.buffer);
}

function errorLogTarget(): FuzzTarget<LogInput> {
  return {
    name: 'transport:error-log-reader',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () => logInputArb(2048),
    execute(input) {
      const buffer = logBytes(input, (l) => (l + 7) & ~7, 32);
      hasErrors(buffer);
      readErrorLog(
        buffer,
        (o) => {
          if (typeof o.encodedException !== 'string') throw new Error('not a string');
        },
        input.since,
      );
    },
  };
}

function lossReportTarget(): FuzzTarget<LogInput> {
  return {
    name: 'transport:loss-report-reader',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () => logInputArb(2048),
    execute(input) {
      const buffer = logBytes(input, () => 64, 64);
      readLossReport(buffer, (e) => {
        if (typeof e.channel !== 'string' || typeof e.source !== 'string') throw new Error('not a string');
      });
    },
  };
}

interface CncInput {
  readonly version: number;
  readonly lengths: readonly [number, number, number, number, number];
  readonly extra: number;
  readonly fillSeed: number;
  readonly pageSize: number;
  readonly receives: number;
}

const VALID_REGION_LENGTHS = [
  [256 + RING_TRAILER_LENGTH, 512 + RING_TRAILER_LENGTH],
  [256 + BROADCAST_TRAILER_LENGTH, 512 + BROADCAST_TRAILER_LENGTH],
  [METADATA_LENGTH * 2, METADATA_LENGTH * 4],
  [128 * 2, 128 * 4],
  [256, 1024],
] as const;

function regionLengthArb(i: number): fc.Arbitrary<number> {
  const valid = VALID_REGION_LENGTHS[i] as readonly number[];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.integer({ min: -16, max: 4096 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 8, -8, 0x7ffffff8, -0x80000000, 0x7fffffff) },
  );
}

function cncTarget(): FuzzTarget<CncInput> {
  return {
    name: 'transport:cnc',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () =>
      fc.record({
        version: fc.oneof(
          { weight: 6, arbitrary: fc.constant(CNC_VERSION) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              0,
              composeSemanticVersion(1, 2, 0),
              composeSemanticVersion(0, 1, 9),
              composeSemanticVersion(0, 3, 0),
              0x00ff0000,
              -1,
            ),
          },
          { weight: 1, arbitrary: fc.integer() },
        ),
        lengths: fc.tuple(
          regionLengthArb(0),
          regionLengthArb(1),
          regionLengthArb(2),
          regionLengthArb(3),
          regionLengthArb(4),
        ),
        extra: fc.oneof(fc.constant(0), fc.integer({ min: -256, max: 256 })),
        fillSeed: fc.integer(),
        pageSize: fc.oneof(fc.constantFrom(0, 4096), fc.integer()),
        receives: fc.integer({ min: 0, max: 8 }),
      }),
    execute(input) {
      const sum = input.lengths.reduce((a, b) => a + Math.max(0, b), CNC_METADATA_LENGTH);
      const fileLength = Math.max(0, Math.min(16 * 1024, sum + input.extra));
      const bytes = new Uint8Array(fileLength);
      fillSeeded(bytes, input.fillSeed);
      const cnc = new AtomicBuffer(bytes.buffer);
      if (fileLength >= CNC_METADATA_LENGTH) {
        const [toDriver, toClients, countersMeta, countersValues, errorLog] = input.lengths;
        writeCncHeader(
          cnc,
          {
            toDriverBufferLength: toDriver,
            toClientsBufferLength: toClients,
            countersMetadataBufferLength: countersMeta,
            countersValuesBufferLength: countersValues,
            errorLogBufferLength: errorLog,
            clientLivenessTimeoutNs: 10_000_000_000,
            startTimestampMs: 1,
            pid: 1,
            filePageSize: input.pageSize,
          },
          input.version,
        );
      }
      const header = validateCnc(cnc);
      cncFilePageSize(header);
      const regions = cncRegions(cnc, header);
      const ring = new ManyToOneRingBuffer(regions.toDriver);
      ring.consumerHeartbeatTime();
      ring.consumerPosition();
      ring.producerPosition();
      const receiver = new CopyBroadcastReceiver(new BroadcastReceiver(regions.toClients));
      for (let i = 0; i < input.receives; i++) receiver.receive(() => {});
      new CountersReader(regions.countersMetadata, regions.countersValues).forEach(() => {});
      readErrorLog(regions.errorLog, () => {});
    },
  };
}

interface RingInput {
  readonly capLog2: number;
  readonly fillSeed: number;
  readonly head: bigint | null;
  readonly limit: number;
}

function ringTarget(): FuzzTarget<RingInput> {
  return {
    name: 'transport:ring-buffer-reader',
    layer: 'transport',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed: new Map(),
    arbitrary: () =>
      fc.record({
        capLog2: fc.integer({ min: 4, max: 12 }),
        fillSeed: fc.integer(),
        head: fc.option(int64Arb),
        limit: fc.integer({ min: 1, max: 64 }),
      }),
    execute(input) {
      const capacity = 2 ** input.capLog2;
      const buffer = new AtomicBuffer(new ArrayBuffer(capacity + RING_TRAILER_LENGTH));
      fillSeeded(buffer.bytes, input.fillSeed, 0, capacity);
      if (input.head !== null) buffer.putInt64BigInt(capacity + RING_HEAD_POSITION_OFFSET, input.head);
      const ring = new ManyToOneRingBuffer(buffer);
      ring.read((_type, b, index, length) => {
        b.boundsCheck(index, length);
      }, input.limit);
      ring.size();
    },
  };
}

// ---- registry ----------------------------------------------------------------------------------------------

let cached: readonly AnyFuzzTarget[] | undefined;

/** Every target, archive decoders first. Built once per process (the corpora are generated here). */
export function allTargets(): readonly AnyFuzzTarget[] {
  if (cached !== undefined) return cached;
  const targets: AnyFuzzTarget[] = [];
  for (const m of archive.SCHEMA.messages) targets.push(sbeTarget('archive', archive.SCHEMA, m));
  for (const m of archiveMark.SCHEMA.messages) targets.push(sbeTarget('archive-mark', archiveMark.SCHEMA, m));
  targets.push(
    broadcastTarget(),
    countersTarget(),
    errorLogTarget(),
    lossReportTarget(),
    cncTarget(),
    ringTarget(),
    imagePollTarget(),
    ...driverResponseTargets(),
  );
  cached = targets;
  return targets;
}

export function findTarget(name: string): AnyFuzzTarget {
  const target = allTargets().find((t) => t.name === name);
  if (target === undefined) throw new Error(`unknown fuzz target ${name}`);
  return target;
}

export function targetNames(): readonly string[] {
  return allTargets().map((t) => t.name);
}
