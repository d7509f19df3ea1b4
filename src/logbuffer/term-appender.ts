/**
 * Appends frames to a log shared by many producers (threads or processes): the concurrent-publication
 * algorithm of Aeron 1.51.0 `ConcurrentPublication` (append*, claim, handleEndOfLog).
 *
 * Each append reserves space with a single fetch-and-add on the partition's raw tail, writes the
 * header(s) with a negative length (`HeaderWriter`), copies the payload, optionally sets the reserved
 * value, and publishes each frame with a release store of its positive length. A message longer than
 * `maxPayloadLength` is split into contiguous fragments reserved together (B on the first, E on the
 * last). If the reservation runs past the end of the term the term is "tripped": a padding frame fills
 * the remainder (only by the producer whose reservation straddles the end), the log is rotated
 * cooperatively (`rotateLog`) and `APPEND_ADMIN_ACTION` is returned so the caller retries.
 *
 * ## The 64-bit tail without BigInt
 *
 * The raw tail is `termId << 32 | termOffset` (little-endian: offset in the low word at +0, term id in
 * the high word at +4). Java does `getAndAddLong(tail, alignedLength)`. A BigInt `Atomics.add` would
 * allocate per message, so this appender does a 32-bit `Atomics.add` on the LOW word only. That is
 * equivalent to the 64-bit add as long as the low word never carries into the high word:
 *
 * - The low word is reset to 0 whenever a partition starts a new term (rotation CAS to (next, 0)).
 * - Every producer adds at most one reservation per offer, and a producer whose reservation trips the
 *   term completes the rotation itself (`rotateLog`) before it returns, so after the trip only offers
 *   already in flight can still add to that tail. Hence low ≤ termLength + P × maxReservation where P
 *   is the number of concurrently in-flight offers and maxReservation ≤ the fragmented length of a
 *   16 MiB message (≈ 16.4 MiB at the default MTU; < 32 MiB for any MTU ≥ 64).
 * - With termLength ≤ 1 GiB a carry needs P ≥ (2^32 − 2^30) / 2^25 = 96 offers of maximal messages
 *   stalled at once between their tail read and their add, on one tripped term. Java has the same
 *   bound (its carry would corrupt the term id instead), so this choice is no weaker than Aeron's own.
 *
 * The term id of the reservation must match the low word the add hit. The high word changes only when
 * the partition is re-used three terms later (rotation CAS, which also zeroes the low word), so the
 * appender reads the high word before (h1) and after (h2) the add: if h1 == h2 the add hit term h1.
 * If they differ, the rotation happened around the add: a previous term is only rotated away after its
 * low word reached ≥ termLength (producer trip or driver unblock), so an old low value < termLength
 * means the add hit the new term h2; otherwise the reservation is an overshoot of a tripped term and
 * nothing is written (the term id only feeds the no-op `rotateLog` and the position check).
 *
 * No allocation per message: results are numbers (`append-result.ts`), the claim object is reused.
 * Positions are `(termId − initialTermId) × termLength + offset` (computePosition's `2 ** shift` is a `pow`
 * call that cost more than the rest of an offer). Fast path: with Int32 views of the log (term-words.ts),
 * `appendUnfragmented` does the same `Atomics` accesses in the same order directly on the words.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { ReservedValueSupplier } from './append-result.ts';
import { APPEND_ADMIN_ACTION, APPEND_MAX_POSITION_EXCEEDED, applyReservedValue } from './append-result.ts';
import type { BufferClaim } from './buffer-claim.ts';
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import {
  align,
  BEGIN_FRAG_FLAG,
  END_FRAG_FLAG,
  FRAME_ALIGNMENT,
  frameLengthOrdered,
  PADDING_FRAME_TYPE,
  setFrameFlags,
  setFrameType,
} from './frame-descriptor.ts';
import type { HeaderWriter } from './header-writer.ts';
import {
  computeFragmentedFrameLength,
  computeMaxPossiblePosition,
  PARTITION_COUNT,
  rotateLog,
  tailCounterOffset,
} from './log-buffer-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';
import { copyPayload, fastPathViews } from './term-words.ts';

/** What an appender ({@link TermAppender} or `ExclusiveTermAppender`) writes to. */
export interface TermAppenderOptions {
  /** The three term buffers, by partition index. */
  readonly termBuffers: readonly LogBufferMemory[];
  /** The log metadata block. */
  readonly metadata: LogBufferMemory;
  /** Writes each frame's header (the publication's default header). */
  readonly headerWriter: HeaderWriter;
  /** Initial term id of the stream, for positions. */
  readonly initialTermId: number;
  /** MTU − 32. */
  readonly maxPayloadLength: number;
}

/**
 * The multi-producer appender behind `ConcurrentPublication`: reserves space with an atomic add on the tail (see the
 * module comment). Each append takes the active `partitionIndex` and returns the new position, or
 * `APPEND_ADMIN_ACTION` / `APPEND_MAX_POSITION_EXCEEDED`. Java: the append methods of `ConcurrentPublication` (1.51.0
 * has no separate `TermAppender`).
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor unless there are exactly 3 term buffers.
 */
export class TermAppender {
  private readonly termBuffers: readonly LogBufferMemory[];
  private readonly metadata: LogBufferMemory;
  private readonly headerWriter: HeaderWriter;
  private readonly initialTermId: number;
  private readonly maxPayloadLength: number;
  private readonly termLength: number;
  private readonly maxPossiblePosition: number;
  // Reservation outcome, set by reserve(): avoids returning an object.
  private reservedTermId = 0;
  private reservedOffset = 0;
  // Gather cursor for appendGather (no allocation).
  private vectorIndex = 0;
  private vectorOffset = 0;
  /** Fast path (every buffer has an `int32View`, see term-words.ts): term words by partition, else null. */
  private readonly termWords: readonly Int32Array[] | null;
  private readonly termBytes: readonly Uint8Array[] | null;
  private readonly metaWords: Int32Array | null;

  constructor(options: TermAppenderOptions) {
    if (options.termBuffers.length !== PARTITION_COUNT) {
      throw new InvalidArgumentError(`expected ${PARTITION_COUNT} term buffers, got ${options.termBuffers.length}`);
    }
    this.termBuffers = options.termBuffers;
    this.metadata = options.metadata;
    this.headerWriter = options.headerWriter;
    this.initialTermId = options.initialTermId;
    this.maxPayloadLength = options.maxPayloadLength;
    this.termLength = options.termBuffers[0]!.capacity;
    this.maxPossiblePosition = computeMaxPossiblePosition(this.termLength);
    const views = fastPathViews(this.termBuffers, this.metadata, this.termLength);
    this.termWords = views === null ? null : views.termWords;
    this.termBytes = views === null ? null : views.termBytes;
    this.metaWords = views === null ? null : views.metaWords;
  }

  /**
   * Reserves `length` bytes in partition `partitionIndex`'s current term. Sets `reservedTermId` and
   * `reservedOffset` (the usable offset, clamped to termLength). Returns the resulting offset.
   */
  private reserve(partitionIndex: number, length: number): number {
    const metadata = this.metadata;
    const tailOffset = tailCounterOffset(partitionIndex);
    const termLength = this.termLength;
    const termIdBefore = metadata.getInt32Volatile(tailOffset + 4);
    const rawOffset = metadata.getAndAddInt32(tailOffset, length) >>> 0;
    const termIdAfter = metadata.getInt32Volatile(tailOffset + 4);
    this.reservedTermId = termIdBefore === termIdAfter || rawOffset >= termLength ? termIdBefore : termIdAfter;
    const termOffset = rawOffset < termLength ? rawOffset : termLength;
    this.reservedOffset = termOffset;
    return termOffset + length;
  }

  /** Appends `length` bytes of `src[srcOffset..]`, fragmenting when longer than maxPayloadLength. */
  append(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    return length <= this.maxPayloadLength
      ? this.appendUnfragmented(partitionIndex, src, srcOffset, length, reservedValueSupplier)
      : this.appendFragmented(partitionIndex, src, srcOffset, length, reservedValueSupplier);
  }

  /**
   * Appends one frame; `length` must be ≤ maxPayloadLength. On the fast path (word views) the reservation,
   * header, payload and publication are written here directly, in the same order and with the same
   * `Atomics` accesses as the accessor path: acquire term id, atomic add on the tail, acquire term id,
   * release `-length` (after the version/flags/type word), plain header fields, payload, release `length`.
   */
  appendUnfragmented(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const metaWords = this.metaWords;
    if (metaWords === null) {
      return this.appendUnfragmentedSlow(partitionIndex, src, srcOffset, length, reservedValueSupplier);
    }
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
    const termLength = this.termLength;
    const tailWord = tailCounterOffset(partitionIndex) >> 2;
    const termIdBefore = Atomics.load(metaWords, tailWord + 1);
    const rawOffset = Atomics.add(metaWords, tailWord, alignedLength) >>> 0;
    const termIdAfter = Atomics.load(metaWords, tailWord + 1);
    const termId = termIdBefore === termIdAfter || rawOffset >= termLength ? termIdBefore : termIdAfter;
    const termOffset = rawOffset < termLength ? rawOffset : termLength;
    const resultingOffset = termOffset + alignedLength;
    // computePosition without its `2 ** shift` (a pow call per offer): termLength is that power of two
    const position = ((termId - this.initialTermId) | 0) * termLength + resultingOffset;
    if (resultingOffset > termLength) {
      return this.handleEndOfLog(this.termBuffers[partitionIndex]!, termId, termOffset, position);
    }
    const words = this.termWords![partitionIndex]!;
    const w = termOffset >> 2;
    const headerWriter = this.headerWriter;
    words[w + 1] = headerWriter.versionFlagsType;
    Atomics.store(words, w, -frameLength);
    words[w + 2] = termOffset;
    words[w + 3] = headerWriter.sessionId;
    words[w + 4] = headerWriter.streamId;
    words[w + 5] = termId;
    copyPayload(words, this.termBytes![partitionIndex]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    if (reservedValueSupplier !== null) {
      applyReservedValue(reservedValueSupplier, this.termBuffers[partitionIndex]!, termOffset, frameLength);
    }
    Atomics.store(words, w, frameLength);
    return position;
  }

  private appendUnfragmentedSlow(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = align(frameLength, FRAME_ALIGNMENT);
    const resultingOffset = this.reserve(partitionIndex, alignedLength);
    const termId = this.reservedTermId;
    const termOffset = this.reservedOffset;
    const termBuffer = this.termBuffers[partitionIndex]!;
    const position = ((termId - this.initialTermId) | 0) * this.termLength + resultingOffset;
    if (resultingOffset > this.termLength) {
      return this.handleEndOfLog(termBuffer, termId, termOffset, position);
    }
    this.headerWriter.write(termBuffer, termOffset, frameLength, termId);
    termBuffer.putBytes(termOffset + HEADER_LENGTH, src, srcOffset, length);
    if (reservedValueSupplier !== null) applyReservedValue(reservedValueSupplier, termBuffer, termOffset, frameLength);
    frameLengthOrdered(termBuffer, termOffset, frameLength);
    return position;
  }

  /** Appends a message split into maxPayloadLength fragments, all reserved with one add. */
  appendFragmented(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const maxPayloadLength = this.maxPayloadLength;
    const framedLength = computeFragmentedFrameLength(length, maxPayloadLength);
    const resultingOffset = this.reserve(partitionIndex, framedLength);
    const termId = this.reservedTermId;
    const termOffset = this.reservedOffset;
    const termBuffer = this.termBuffers[partitionIndex]!;
    const position = ((termId - this.initialTermId) | 0) * this.termLength + resultingOffset;
    if (resultingOffset > this.termLength) {
      return this.handleEndOfLog(termBuffer, termId, termOffset, position);
    }
    let frameOffset = termOffset;
    let flags = BEGIN_FRAG_FLAG;
    let remaining = length;
    do {
      const bytesToWrite = remaining < maxPayloadLength ? remaining : maxPayloadLength;
      const frameLength = bytesToWrite + HEADER_LENGTH;
      this.headerWriter.write(termBuffer, frameOffset, frameLength, termId);
      termBuffer.putBytes(frameOffset + HEADER_LENGTH, src, srcOffset + (length - remaining), bytesToWrite);
      if (remaining <= maxPayloadLength) flags |= END_FRAG_FLAG;
      setFrameFlags(termBuffer, frameOffset, flags);
      if (reservedValueSupplier !== null)
        applyReservedValue(reservedValueSupplier, termBuffer, frameOffset, frameLength);
      frameLengthOrdered(termBuffer, frameOffset, frameLength);
      flags = 0;
      frameOffset += align(frameLength, FRAME_ALIGNMENT);
      remaining -= bytesToWrite;
    } while (remaining > 0);
    return position;
  }

  /**
   * Appends the concatenation of `vectors` (whole arrays) as one message, fragmenting if needed.
   * `length` must equal the sum of the vector lengths.
   */
  appendGather(
    partitionIndex: number,
    vectors: readonly Uint8Array[],
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const maxPayloadLength = this.maxPayloadLength;
    const fragmented = length > maxPayloadLength;
    const reservation = fragmented
      ? computeFragmentedFrameLength(length, maxPayloadLength)
      : align(length + HEADER_LENGTH, FRAME_ALIGNMENT);
    const resultingOffset = this.reserve(partitionIndex, reservation);
    const termId = this.reservedTermId;
    const termOffset = this.reservedOffset;
    const termBuffer = this.termBuffers[partitionIndex]!;
    const position = ((termId - this.initialTermId) | 0) * this.termLength + resultingOffset;
    if (resultingOffset > this.termLength) {
      return this.handleEndOfLog(termBuffer, termId, termOffset, position);
    }
    this.vectorIndex = 0;
    this.vectorOffset = 0;
    let frameOffset = termOffset;
    let flags = fragmented ? BEGIN_FRAG_FLAG : 0;
    let remaining = length;
    do {
      const bytesToWrite = remaining < maxPayloadLength ? remaining : maxPayloadLength;
      const frameLength = bytesToWrite + HEADER_LENGTH;
      this.headerWriter.write(termBuffer, frameOffset, frameLength, termId);
      this.copyFromVectors(termBuffer, frameOffset + HEADER_LENGTH, vectors, bytesToWrite);
      if (fragmented) {
        if (remaining <= maxPayloadLength) flags |= END_FRAG_FLAG;
        setFrameFlags(termBuffer, frameOffset, flags);
      }
      if (reservedValueSupplier !== null)
        applyReservedValue(reservedValueSupplier, termBuffer, frameOffset, frameLength);
      frameLengthOrdered(termBuffer, frameOffset, frameLength);
      flags = 0;
      frameOffset += align(frameLength, FRAME_ALIGNMENT);
      remaining -= bytesToWrite;
    } while (remaining > 0);
    return position;
  }

  private copyFromVectors(
    termBuffer: LogBufferMemory,
    dst: number,
    vectors: readonly Uint8Array[],
    count: number,
  ): void {
    let written = 0;
    while (written < count) {
      const vector = vectors[this.vectorIndex]!;
      const available = vector.length - this.vectorOffset;
      const n = available < count - written ? available : count - written;
      if (n > 0) termBuffer.putBytes(dst + written, vector, this.vectorOffset, n);
      written += n;
      this.vectorOffset += n;
      if (this.vectorOffset >= vector.length) {
        this.vectorIndex++;
        this.vectorOffset = 0;
      }
    }
  }

  /**
   * Claims one frame of `length` payload bytes (≤ maxPayloadLength) for the caller to fill, then
   * `commit()`/`abort()` through `bufferClaim`. Returns the position after the frame or a result code.
   */
  claim(partitionIndex: number, length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = align(frameLength, FRAME_ALIGNMENT);
    const resultingOffset = this.reserve(partitionIndex, alignedLength);
    const termId = this.reservedTermId;
    const termOffset = this.reservedOffset;
    const termBuffer = this.termBuffers[partitionIndex]!;
    const position = ((termId - this.initialTermId) | 0) * this.termLength + resultingOffset;
    if (resultingOffset > this.termLength) {
      return this.handleEndOfLog(termBuffer, termId, termOffset, position);
    }
    const termWords = this.termWords;
    if (termWords !== null) this.headerWriter.writeWords(termWords[partitionIndex]!, termOffset, frameLength, termId);
    else this.headerWriter.write(termBuffer, termOffset, frameLength, termId);
    bufferClaim.wrap(termBuffer, termOffset, frameLength);
    return position;
  }

  private handleEndOfLog(termBuffer: LogBufferMemory, termId: number, termOffset: number, position: number): number {
    const termLength = this.termLength;
    if (termOffset < termLength) {
      const paddingLength = termLength - termOffset;
      this.headerWriter.write(termBuffer, termOffset, paddingLength, termId);
      setFrameType(termBuffer, termOffset, PADDING_FRAME_TYPE);
      frameLengthOrdered(termBuffer, termOffset, paddingLength);
    }
    if (position >= this.maxPossiblePosition) {
      return APPEND_MAX_POSITION_EXCEEDED;
    }
    rotateLog(this.metadata, (termId - this.initialTermId) | 0, termId);
    return APPEND_ADMIN_ACTION;
  }
}
