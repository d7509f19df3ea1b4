/**
 * The codec cases' loop (`codec-workload.ts`) through the generated flat path (`encodeX` / `decodeX` into reused
 * values objects) instead of the flyweights: same messages, same field values, same offsets, every decoded value
 * summed into `sink`. Variants `string` (as codec-roundtrip: var data as strings both ways) and `fixed` (as
 * codec-alloc's loop). `sameBytesAsFlyweights()` checks the buffer against the flyweight workload's after one batch.
 *
 * Run one measurement (the A/B pair to interleave with `measureCodecThroughput`):
 *
 * ```
 * node --import tsx harness/ts-child-main.ts "$PWD/bench/cases/codec-flat-workload.ts" measureCodecFlatThroughput \
 *   '{"variant":"string","warmupMs":1000,"measureMs":3000}'
 * ```
 */
import { archive } from '../../codecs/index.ts';
import type { Sample } from '../lib/bench-case.ts';
import { BATCH, CodecWorkload, messagesPerIteration } from './codec-workload.ts';

/** The variants the flat path runs (`bytes` needs the flyweights' getX/putX into caller arrays). */
export type FlatVariant = 'string' | 'fixed';

const REPLAY_CHANNEL = 'aeron:udp?endpoint=localhost:20121|mtu=8192|term-length=65536';
const STRIPPED_CHANNEL = 'aeron:udp?endpoint=localhost:20121';
const ORIGINAL_CHANNEL = 'aeron:udp?endpoint=localhost:20121|alias=bench|term-length=65536';
const SOURCE_IDENTITY = '127.0.0.1:45678';

const REPLAY_OFFSET = 0;
const DESCRIPTOR_OFFSET = 256;
const RESPONSE_OFFSET = 640;
const STOP_REPLAY_OFFSET = 768;
const LONG_MAX = 2 ** 63;

/** One flat workload: buffer, values objects to encode from and to decode into, allocated once. */
export class CodecFlatWorkload {
  readonly buffer = new Uint8Array(1024);
  /** Running sum of every decoded value. */
  readonly sink = new Float64Array(1);

  private readonly replayOut = archive.createReplayRequestValues();
  private readonly replayIn = archive.createReplayRequestValues();
  private readonly descriptorOut = archive.createRecordingDescriptorValues();
  private readonly descriptorIn = archive.createRecordingDescriptorValues();
  private readonly responseOut = archive.createControlResponseValues();
  private readonly responseIn = archive.createControlResponseValues();
  private readonly stopOut = archive.createStopReplayRequestValues();
  private readonly stopIn = archive.createStopReplayRequestValues();

  constructor() {
    const r = this.replayOut;
    r.controlSessionId = 1_000_001;
    r.recordingId = 42;
    r.position = 2 ** 33;
    r.length = LONG_MAX;
    r.replayStreamId = 101;
    r.fileIoMaxLength = 1 << 20;
    r.replayToken = -1;
    r.replayChannel = REPLAY_CHANNEL;
    const d = this.descriptorOut;
    d.controlSessionId = 1_000_001;
    d.recordingId = 42;
    d.startTimestamp = 1_700_000_000_000;
    d.stopTimestamp = 1_700_000_360_000;
    d.startPosition = 0;
    d.stopPosition = 123_456_789;
    d.initialTermId = -17;
    d.segmentFileLength = 1 << 27;
    d.termBufferLength = 1 << 16;
    d.mtuLength = 8192;
    d.sessionId = -559038737;
    d.streamId = 1001;
    d.strippedChannel = STRIPPED_CHANNEL;
    d.originalChannel = ORIGINAL_CHANNEL;
    d.sourceIdentity = SOURCE_IDENTITY;
    const c = this.responseOut;
    c.controlSessionId = 1_000_001;
    c.relevantId = 42;
    c.code = archive.ControlResponseCode.OK;
    c.version = 13;
    c.errorMessage = '';
    const s = this.stopOut;
    s.controlSessionId = 1_000_001;
    s.replaySessionId = 0x12_3456_789a;
  }

  /** Runs `BATCH` iterations starting at iteration number `first`. */
  batch(variant: FlatVariant, first: number): void {
    if (variant === 'string') for (let i = first, end = first + BATCH; i < end; i++) this.roundTripStrings(i);
    else for (let i = first, end = first + BATCH; i < end; i++) this.roundTripFixed(i);
  }

  /** Whether one batch leaves the same bytes as the flyweight workload's batch (the two do the same work). */
  sameBytesAsFlyweights(variant: FlatVariant): boolean {
    const flyweights = new CodecWorkload();
    flyweights.batch(variant, 0);
    this.batch(variant, 0);
    return Buffer.from(this.buffer).equals(Buffer.from(flyweights.buffer));
  }

  private roundTripStrings(i: number): void {
    const buffer = this.buffer;
    this.replayOut.correlationId = i;
    archive.encodeReplayRequest(buffer, REPLAY_OFFSET, this.replayOut);
    this.descriptorOut.correlationId = i;
    archive.encodeRecordingDescriptor(buffer, DESCRIPTOR_OFFSET, this.descriptorOut);
    this.responseOut.correlationId = i;
    archive.encodeControlResponse(buffer, RESPONSE_OFFSET, this.responseOut);

    const r = this.replayIn;
    archive.decodeReplayRequest(buffer, REPLAY_OFFSET, r);
    let s =
      r.controlSessionId +
      r.correlationId +
      r.recordingId +
      r.position +
      r.length +
      r.replayStreamId +
      r.fileIoMaxLength +
      r.replayToken +
      stringSum(r.replayChannel);
    const d = this.descriptorIn;
    archive.decodeRecordingDescriptor(buffer, DESCRIPTOR_OFFSET, d);
    s +=
      d.controlSessionId +
      d.correlationId +
      d.recordingId +
      d.startTimestamp +
      d.stopTimestamp +
      d.startPosition +
      d.stopPosition +
      d.initialTermId +
      d.segmentFileLength +
      d.termBufferLength +
      d.mtuLength +
      d.sessionId +
      d.streamId +
      stringSum(d.strippedChannel) +
      stringSum(d.originalChannel) +
      stringSum(d.sourceIdentity);
    s += this.decodeResponse();
    this.sink[0]! += s;
  }

  private decodeResponse(): number {
    const c = this.responseIn;
    archive.decodeControlResponse(this.buffer, RESPONSE_OFFSET, c);
    return c.controlSessionId + c.correlationId + c.relevantId + c.code + c.version + stringSum(c.errorMessage);
  }

  private roundTripFixed(i: number): void {
    const buffer = this.buffer;
    this.stopOut.correlationId = i;
    archive.encodeStopReplayRequest(buffer, STOP_REPLAY_OFFSET, this.stopOut);
    this.responseOut.correlationId = i;
    archive.encodeControlResponse(buffer, RESPONSE_OFFSET, this.responseOut);
    const d = this.stopIn;
    archive.decodeStopReplayRequest(buffer, STOP_REPLAY_OFFSET, d);
    this.sink[0]! += d.controlSessionId + d.correlationId + d.replaySessionId + this.decodeResponse();
  }
}

function stringSum(s: string): number {
  const length = s.length;
  return length === 0 ? 0 : length + s.charCodeAt(length - 1);
}

/** Arguments of {@link measureCodecFlatThroughput}, as `measureCodecThroughput`'s. */
export interface FlatThroughputArgs {
  readonly variant: FlatVariant;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** Messages encoded+decoded per second through the flat path (the loop of `measureCodecThroughput`). */
export function measureCodecFlatThroughput(args: FlatThroughputArgs): Sample {
  const workload = new CodecFlatWorkload();
  if (!workload.sameBytesAsFlyweights(args.variant)) throw new Error('flat path bytes differ from the flyweights');
  let iteration = BATCH;
  const warmupEnd = performance.now() + args.warmupMs;
  while (performance.now() < warmupEnd) {
    workload.batch(args.variant, iteration);
    iteration += BATCH;
  }
  let batches = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now: number;
  do {
    workload.batch(args.variant, iteration);
    iteration += BATCH;
    batches++;
    now = performance.now();
  } while (now - start < args.measureMs);
  const elapsedMs = now - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const messages = batches * BATCH * messagesPerIteration(args.variant);
  return {
    value: (messages * 1000) / elapsedMs,
    detail: { messages, elapsedMs, cpuMs, messagesPerCpuSecond: (messages * 1000) / cpuMs, sink: workload.sink[0]! },
  };
}

/** Arguments of {@link measureCodecFlatVsFlyweights}. */
export interface FlatVsFlyweightArgs {
  readonly variant: FlatVariant;
  /** Warm-up of each side before the first round. */
  readonly warmupMs: number;
  /** Rounds; each runs the flyweights then the flat path for `sliceMs` each. */
  readonly rounds: number;
  readonly sliceMs: number;
}

function slice(run: (first: number) => void, sliceMs: number, first: number): { messages: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const end = performance.now() + sliceMs;
  let batches = 0;
  do run(first + batches++ * BATCH);
  while (performance.now() < end);
  const cpu = process.cpuUsage(cpuStart);
  return { messages: batches * BATCH, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Both paths in one process, interleaved in short slices (A/B under the same load, which a shared machine
 * changes from second to second): messages per CPU second of each side per round; `value` is the median of the
 * per-round ratios flat / flyweights.
 */
export function measureCodecFlatVsFlyweights(args: FlatVsFlyweightArgs): Sample {
  const flyweights = new CodecWorkload();
  const flat = new CodecFlatWorkload();
  if (!flat.sameBytesAsFlyweights(args.variant)) throw new Error('flat path bytes differ from the flyweights');
  const perIteration = messagesPerIteration(args.variant);
  const runFly = (first: number): void => flyweights.batch(args.variant, first);
  const runFlat = (first: number): void => flat.batch(args.variant, first);
  slice(runFly, args.warmupMs, BATCH);
  slice(runFlat, args.warmupMs, BATCH);
  const fly: number[] = [];
  const flatRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < args.rounds; r++) {
    const a = slice(runFly, args.sliceMs, (r + 1) * 1e7);
    const b = slice(runFlat, args.sliceMs, (r + 1) * 1e7);
    const rateA = (a.messages * perIteration * 1000) / a.cpuMs;
    const rateB = (b.messages * perIteration * 1000) / b.cpuMs;
    fly.push(rateA);
    flatRates.push(rateB);
    ratios.push(rateB / rateA);
  }
  return {
    value: median(ratios),
    detail: {
      flyweightsPerCpuSecond: median(fly),
      flatPerCpuSecond: median(flatRates),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      sink: flyweights.sink[0]! + flat.sink[0]!,
    },
  };
}
