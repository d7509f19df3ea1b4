/**
 * The TypeScript half of the codec cases: the same loop as `bench/java/CodecBench.java`, with our generated
 * archive codecs. Keep the two in step: same messages, same field values, same offsets, same field reads.
 *
 * ```
 * buffer (1024 bytes, zeroed once)
 *   0   ReplayRequest        header + 56 byte block + replayChannel
 *   256 RecordingDescriptor  header + 80 byte block + strippedChannel, originalChannel, sourceIdentity
 *   640 ControlResponse      header + 32 byte block + errorMessage (empty)
 *   768 StopReplayRequest    header + 24 byte block           (fixed variant only)
 * ```
 *
 * Variants (one iteration = every message of the variant encoded, then decoded reading every field):
 * - `string`: var data written from strings and decoded into new strings (allocates on both sides);
 * - `bytes`: var data put from prebuilt byte arrays and copied out into one reused scratch array;
 * - `fixed`: StopReplayRequest + ControlResponse (empty error message), fixed fields only.
 *
 * Every decoded value is summed into `sink` so no read can be optimised away. Each round trip adds into
 * the typed-array slot itself rather than returning its sum: a double returned from a call V8 does not
 * inline is boxed (a 16-byte heap number per call), which Java's `long` return does not pay.
 */
import { archive } from '../../codecs/index.ts';

export type CodecVariant = 'string' | 'bytes' | 'fixed';

export const CODEC_VARIANTS: readonly CodecVariant[] = ['string', 'bytes', 'fixed'];

/** Messages encoded and decoded per iteration. */
export function messagesPerIteration(variant: CodecVariant): number {
  return variant === 'fixed' ? 2 : 3;
}

export const BATCH = 1000;

const REPLAY_CHANNEL = 'aeron:udp?endpoint=localhost:20121|mtu=8192|term-length=65536';
const STRIPPED_CHANNEL = 'aeron:udp?endpoint=localhost:20121';
const ORIGINAL_CHANNEL = 'aeron:udp?endpoint=localhost:20121|alias=bench|term-length=65536';
const SOURCE_IDENTITY = '127.0.0.1:45678';

const REPLAY_OFFSET = 0;
const DESCRIPTOR_OFFSET = 256;
const RESPONSE_OFFSET = 640;
const STOP_REPLAY_OFFSET = 768;
const BUFFER_LENGTH = 1024;
const HEADER_LENGTH = archive.MessageHeaderDecoder.ENCODED_LENGTH;
const LONG_MAX = 2 ** 63; // the encoder saturates it to Long.MAX_VALUE

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** One workload instance: its buffer, flyweights and scratch space, allocated once. */
export class CodecWorkload {
  readonly buffer = new Uint8Array(BUFFER_LENGTH);
  /** Running sum of every decoded value (a typed array slot: no boxed number per store). */
  readonly sink = new Float64Array(1);

  private readonly headerEncoder = new archive.MessageHeaderEncoder();
  private readonly headerDecoder = new archive.MessageHeaderDecoder();
  private readonly replayEncoder = new archive.ReplayRequestEncoder();
  private readonly replayDecoder = new archive.ReplayRequestDecoder();
  private readonly descriptorEncoder = new archive.RecordingDescriptorEncoder();
  private readonly descriptorDecoder = new archive.RecordingDescriptorDecoder();
  private readonly responseEncoder = new archive.ControlResponseEncoder();
  private readonly responseDecoder = new archive.ControlResponseDecoder();
  private readonly stopEncoder = new archive.StopReplayRequestEncoder();
  private readonly stopDecoder = new archive.StopReplayRequestDecoder();

  private readonly replayChannelBytes = ascii(REPLAY_CHANNEL);
  private readonly strippedChannelBytes = ascii(STRIPPED_CHANNEL);
  private readonly originalChannelBytes = ascii(ORIGINAL_CHANNEL);
  private readonly sourceIdentityBytes = ascii(SOURCE_IDENTITY);
  private readonly scratch = new Uint8Array(256);

  /** Runs `BATCH` iterations starting at iteration number `first`. */
  batch(variant: CodecVariant, first: number): void {
    if (variant === 'string') this.batchStrings(first);
    else if (variant === 'bytes') this.batchBytes(first);
    else this.batchFixed(first);
  }

  /** Lower-case hex of the whole buffer (compared with the Java side's `firstHex`). */
  hex(): string {
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength).toString('hex');
  }

  private batchStrings(first: number): void {
    for (let i = first, end = first + BATCH; i < end; i++) this.roundTripStrings(i);
  }

  private batchBytes(first: number): void {
    for (let i = first, end = first + BATCH; i < end; i++) this.roundTripBytes(i);
  }

  private batchFixed(first: number): void {
    for (let i = first, end = first + BATCH; i < end; i++) this.roundTripFixed(i);
  }

  private encodeReplayFixed(i: number): void {
    this.replayEncoder
      .wrapAndApplyHeader(this.buffer, REPLAY_OFFSET, this.headerEncoder)
      .controlSessionId(1_000_001)
      .correlationId(i)
      .recordingId(42)
      .position(2 ** 33)
      .length(LONG_MAX)
      .replayStreamId(101)
      .fileIoMaxLength(1 << 20)
      .replayToken(-1);
  }

  private encodeDescriptorFixed(i: number): void {
    this.descriptorEncoder
      .wrapAndApplyHeader(this.buffer, DESCRIPTOR_OFFSET, this.headerEncoder)
      .controlSessionId(1_000_001)
      .correlationId(i)
      .recordingId(42)
      .startTimestamp(1_700_000_000_000)
      .stopTimestamp(1_700_000_360_000)
      .startPosition(0)
      .stopPosition(123_456_789)
      .initialTermId(-17)
      .segmentFileLength(1 << 27)
      .termBufferLength(1 << 16)
      .mtuLength(8192)
      .sessionId(-559038737)
      .streamId(1001);
  }

  private encodeResponse(i: number): void {
    this.responseEncoder
      .wrapAndApplyHeader(this.buffer, RESPONSE_OFFSET, this.headerEncoder)
      .controlSessionId(1_000_001)
      .correlationId(i)
      .relevantId(42)
      .code(archive.ControlResponseCode.OK)
      .version(13)
      .errorMessage('');
  }

  private checkTemplate(expected: number): void {
    const h = this.headerDecoder;
    if (h.templateId() !== expected || h.schemaId() !== archive.ReplayRequestDecoder.SCHEMA_ID) {
      throw new Error(`unexpected template ${h.templateId()}`);
    }
  }

  /** Adds every fixed field into `sink` (a returned double would be boxed if V8 does not inline this). */
  private decodeReplayFixed(): void {
    const h = this.headerDecoder.wrap(this.buffer, REPLAY_OFFSET);
    this.checkTemplate(archive.ReplayRequestDecoder.TEMPLATE_ID);
    const d = this.replayDecoder.wrap(this.buffer, REPLAY_OFFSET + HEADER_LENGTH, h.blockLength(), h.version());
    this.sink[0]! +=
      d.controlSessionId() +
      d.correlationId() +
      d.recordingId() +
      d.position() +
      d.length() +
      d.replayStreamId() +
      d.fileIoMaxLength() +
      d.replayToken();
  }

  /** Adds every fixed field into `sink` (a returned double would be boxed if V8 does not inline this). */
  private decodeDescriptorFixed(): void {
    const h = this.headerDecoder.wrap(this.buffer, DESCRIPTOR_OFFSET);
    this.checkTemplate(archive.RecordingDescriptorDecoder.TEMPLATE_ID);
    const d = this.descriptorDecoder.wrap(this.buffer, DESCRIPTOR_OFFSET + HEADER_LENGTH, h.blockLength(), h.version());
    this.sink[0]! +=
      d.controlSessionId() +
      d.correlationId() +
      d.recordingId() +
      d.startTimestamp() +
      d.stopTimestamp() +
      d.startPosition() +
      d.stopPosition() +
      d.initialTermId() +
      d.segmentFileLength() +
      d.termBufferLength() +
      d.mtuLength() +
      d.sessionId() +
      d.streamId();
  }

  /** Adds every fixed field into `sink` (a returned double would be boxed if V8 does not inline this). */
  private decodeResponseFixed(): void {
    const h = this.headerDecoder.wrap(this.buffer, RESPONSE_OFFSET);
    this.checkTemplate(archive.ControlResponseDecoder.TEMPLATE_ID);
    const r = this.responseDecoder.wrap(this.buffer, RESPONSE_OFFSET + HEADER_LENGTH, h.blockLength(), h.version());
    this.sink[0]! += r.controlSessionId() + r.correlationId() + r.relevantId() + r.code() + r.version();
  }

  private roundTripStrings(i: number): void {
    this.encodeReplayFixed(i);
    this.replayEncoder.replayChannel(REPLAY_CHANNEL);
    this.encodeDescriptorFixed(i);
    this.descriptorEncoder
      .strippedChannel(STRIPPED_CHANNEL)
      .originalChannel(ORIGINAL_CHANNEL)
      .sourceIdentity(SOURCE_IDENTITY);
    this.encodeResponse(i);

    this.decodeReplayFixed();
    let s = stringSum(this.replayDecoder.replayChannel());
    this.decodeDescriptorFixed();
    const d = this.descriptorDecoder;
    s += stringSum(d.strippedChannel());
    s += stringSum(d.originalChannel());
    s += stringSum(d.sourceIdentity());
    this.decodeResponseFixed();
    s += stringSum(this.responseDecoder.errorMessage());
    this.sink[0]! += s;
  }

  private roundTripBytes(i: number): void {
    this.encodeReplayFixed(i);
    this.replayEncoder.putReplayChannel(this.replayChannelBytes, 0, this.replayChannelBytes.length);
    this.encodeDescriptorFixed(i);
    this.descriptorEncoder
      .putStrippedChannel(this.strippedChannelBytes, 0, this.strippedChannelBytes.length)
      .putOriginalChannel(this.originalChannelBytes, 0, this.originalChannelBytes.length)
      .putSourceIdentity(this.sourceIdentityBytes, 0, this.sourceIdentityBytes.length);
    this.encodeResponse(i);

    const dst = this.scratch;
    this.decodeReplayFixed();
    let s = this.bytesSum(this.replayDecoder.getReplayChannel(dst, 0, dst.length));
    this.decodeDescriptorFixed();
    const d = this.descriptorDecoder;
    s += this.bytesSum(d.getStrippedChannel(dst, 0, dst.length));
    s += this.bytesSum(d.getOriginalChannel(dst, 0, dst.length));
    s += this.bytesSum(d.getSourceIdentity(dst, 0, dst.length));
    this.decodeResponseFixed();
    s += this.bytesSum(this.responseDecoder.getErrorMessage(dst, 0, dst.length));
    this.sink[0]! += s;
  }

  private roundTripFixed(i: number): void {
    this.stopEncoder
      .wrapAndApplyHeader(this.buffer, STOP_REPLAY_OFFSET, this.headerEncoder)
      .controlSessionId(1_000_001)
      .correlationId(i)
      .replaySessionId(0x12_3456_789a);
    this.encodeResponse(i);

    const h = this.headerDecoder.wrap(this.buffer, STOP_REPLAY_OFFSET);
    this.checkTemplate(archive.StopReplayRequestDecoder.TEMPLATE_ID);
    const d = this.stopDecoder.wrap(this.buffer, STOP_REPLAY_OFFSET + HEADER_LENGTH, h.blockLength(), h.version());
    let s = d.controlSessionId() + d.correlationId() + d.replaySessionId();
    this.decodeResponseFixed();
    s += this.responseDecoder.errorMessageLength();
    this.sink[0]! += s;
  }

  private bytesSum(length: number): number {
    return length === 0 ? 0 : length + this.scratch[length - 1]!;
  }
}

function stringSum(s: string): number {
  const length = s.length;
  return length === 0 ? 0 : length + s.charCodeAt(length - 1);
}
