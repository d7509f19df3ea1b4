/**
 * Appends frames to a log shared by many producers (threads or processes): the concurrent-publication
 * algorithm of Java's `ConcurrentPublication` (append*, claim, handleEndOfLog), which has no separate appender.
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
 * No allocation per message: results are numbers (`append-result.ts`), the claim object is reused. The
 * tail, the headers and the frame lengths are accessed on the log's Int32 words (`term-words.ts`): the tail's add
 * and the acquire loads through `Atomics`, except the term id reads around the add (`getInt32Acquire`, plain on
 * x86-64: see `#reserve`), release stores through `putInt32Release` (`memory-ordering.ts`).
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { getInt32Acquire } from '../transport/memory-ordering.ts';
import type { ReservedValueSupplier } from './append-result.ts';
import { APPEND_ADMIN_ACTION, APPEND_MAX_POSITION_EXCEEDED, applyReservedValue } from './append-result.ts';
import type { BufferClaim } from './buffer-claim.ts';
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import { alignFrameLength, BEGIN_FRAG_FLAG, END_FRAG_FLAG, setFrameFlags } from './frame-descriptor.ts';
import {
  computeFragmentedFrameLength,
  computeMaxPossiblePosition,
  computeTermCount,
  PARTITION_COUNT,
  rotateLog,
  tailCounterOffset,
} from './log-buffer-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';
import type { HeaderWriter } from './term-words.ts';
import { copyPayload, copyWholeArray, frameLengthOrdered, logViews } from './term-words.ts';

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

/** The word of a raw tail holding the term id, after the low word (the term offset): `int64-words.ts`. */
const TAIL_TERM_ID_WORD = 1;

/**
 * Position of `termOffset` in the term `termCount` terms after the initial one: `termCount × termLength + termOffset`
 * (`computePosition` with the term length instead of its shift). The offer paths use it: a multiply by the term
 * length they hold measured faster per offer than `computePosition`'s read of its table of powers of two
 * (bench/README.md, "offer path").
 */
export function termPosition(termCount: number, termLength: number, termOffset: number): number {
  return termCount * termLength + termOffset;
}

/**
 * The usable term offset (clamped to `termLength`) of partition `partitionIndex`'s raw tail when the tail is in term
 * `termId`, else −1 (a rotation is in flight: the caller answers `ADMIN_ACTION` and is retried). Term id, offset,
 * term id again with acquire loads, as the two-halves read of `int64-words.ts`; knowing the term id it expects, it
 * needs no retry loop and returns one number (nothing stored), so a publication's offer inlines it whole.
 * Java: the `rawTailVolatile` + `termId(rawTail)` check + `termOffset(rawTail, termLength)` of
 * `ConcurrentPublication.offer`.
 */
export function tailTermOffsetVolatile(
  metaWords: Int32Array,
  partitionIndex: number,
  termId: number,
  termLength: number,
): number {
  const tailWord = tailCounterOffset(partitionIndex) >> 2;
  if (Atomics.load(metaWords, tailWord + TAIL_TERM_ID_WORD) !== termId) return -1;
  const rawOffset = Atomics.load(metaWords, tailWord) >>> 0;
  if (Atomics.load(metaWords, tailWord + TAIL_TERM_ID_WORD) !== termId) return -1;
  return rawOffset < termLength ? rawOffset : termLength;
}

/**
 * The multi-producer appender behind `ConcurrentPublication`: reserves space with an atomic add on the tail (see the
 * module comment). Each append takes the active `partitionIndex` and returns the new position, or
 * `APPEND_ADMIN_ACTION` / `APPEND_MAX_POSITION_EXCEEDED`. Java: the append methods of `ConcurrentPublication`.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor unless there are exactly 3 term buffers, each
 * buffer with an `int32View` covering it.
 */
export class TermAppender {
  readonly #termBuffers: readonly LogBufferMemory[];
  readonly #metadata: LogBufferMemory;
  readonly #headerWriter: HeaderWriter;
  readonly #initialTermId: number;
  readonly #maxPayloadLength: number;
  readonly #termLength: number;
  readonly #maxPossiblePosition: number;
  /** Int32 words and bytes of each term, by partition index, and of the metadata (`term-words.ts`). */
  readonly #termWords: readonly Int32Array[];
  readonly #termBytes: readonly Uint8Array[];
  readonly #metaWords: Int32Array;
  /** Term id of the last reservation, set by `#reserve` (no object returned per offer). */
  #reservedTermId = 0;
  /** Gather cursor of `appendGather` (no allocation). */
  #vectorIndex = 0;
  #vectorOffset = 0;

  constructor(options: TermAppenderOptions) {
    if (options.termBuffers.length !== PARTITION_COUNT) {
      throw new InvalidArgumentError(`expected ${PARTITION_COUNT} term buffers, got ${options.termBuffers.length}`);
    }
    this.#termBuffers = options.termBuffers;
    this.#metadata = options.metadata;
    this.#headerWriter = options.headerWriter;
    this.#initialTermId = options.initialTermId;
    this.#maxPayloadLength = options.maxPayloadLength;
    this.#termLength = options.termBuffers[0]!.capacity;
    this.#maxPossiblePosition = computeMaxPossiblePosition(this.#termLength);
    const views = logViews(this.#termBuffers, this.#metadata);
    this.#termWords = views.termWords;
    this.#termBytes = views.termBytes;
    this.#metaWords = views.metaWords;
  }

  /**
   * Reserves `length` bytes in partition `partitionIndex`'s current term: an atomic add on the tail's low word
   * between two acquire loads of its term id (see the module comment). Sets `#reservedTermId`; returns the usable
   * offset of the reservation (clamped to termLength). One number out and one field written: the offer path stays
   * within V8's inlining budget (bench/README.md, "offer path").
   */
  #reserve(partitionIndex: number, length: number): number {
    const metaWords = this.#metaWords;
    const termLength = this.#termLength;
    const tailWord = tailCounterOffset(partitionIndex) >> 2;
    // Both term id reads are `getInt32Acquire` (plain on x86-64; `memory-ordering.ts`): the add between them is a
    // builtin call (no load value carried across it) and a locked instruction (no load moves across it). The one
    // before may be from any earlier instant, which the reasoning above already allows (a producer descheduled
    // between that read and the add); the one after is a fresh read.
    const termIdBefore = getInt32Acquire(metaWords, tailWord + TAIL_TERM_ID_WORD);
    const rawOffset = Atomics.add(metaWords, tailWord, length) >>> 0;
    const termIdAfter = getInt32Acquire(metaWords, tailWord + TAIL_TERM_ID_WORD);
    this.#reservedTermId = termIdBefore === termIdAfter || rawOffset >= termLength ? termIdBefore : termIdAfter;
    return rawOffset < termLength ? rawOffset : termLength;
  }

  /** Appends `length` bytes of `src[srcOffset..]`, fragmenting when longer than maxPayloadLength. */
  append(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    return length <= this.#maxPayloadLength
      ? this.appendUnfragmented(partitionIndex, src, srcOffset, length, reservedValueSupplier)
      : this.appendFragmented(partitionIndex, src, srcOffset, length, reservedValueSupplier);
  }

  /**
   * Appends one frame; `length` must be ≤ maxPayloadLength. Java order: reserve, header with −length (release),
   * payload, reserved value, release of the positive length.
   */
  appendUnfragmented(
    partitionIndex: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = alignFrameLength(frameLength);
    const termOffset = this.#reserve(partitionIndex, alignedLength);
    const termId = this.#reservedTermId;
    const resultingOffset = termOffset + alignedLength;
    const position = termPosition(computeTermCount(termId, this.#initialTermId), this.#termLength, resultingOffset);
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog(partitionIndex, termId, termOffset, position);
    const words = this.#termWords[partitionIndex]!;
    this.#headerWriter.write(words, termOffset, frameLength, termId);
    copyPayload(words, this.#termBytes[partitionIndex]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    if (reservedValueSupplier !== null) {
      applyReservedValue(reservedValueSupplier, this.#termBuffers[partitionIndex]!, termOffset, frameLength);
    }
    frameLengthOrdered(words, termOffset, frameLength);
    return position;
  }

  /**
   * `appendUnfragmented` without a reserved value, the range checked by the caller: the offer hot path, kept small
   * (bytecode) so that V8 inlines the whole chain into `offer` and its caller. A whole source array is copied by
   * `copyWholeArray` (words up to 64 B, else one `set`), a part through `copyPayload`. Same stores in the same order.
   */
  appendFrame(partitionIndex: number, src: Uint8Array, srcOffset: number, length: number): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = alignFrameLength(frameLength);
    const termOffset = this.#reserve(partitionIndex, alignedLength);
    const termId = this.#reservedTermId;
    const resultingOffset = termOffset + alignedLength;
    const position = termPosition(computeTermCount(termId, this.#initialTermId), this.#termLength, resultingOffset);
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog(partitionIndex, termId, termOffset, position);
    const words = this.#termWords[partitionIndex]!;
    this.#headerWriter.write(words, termOffset, frameLength, termId);
    if (srcOffset === 0 && length === src.length) {
      copyWholeArray(words, this.#termBytes[partitionIndex]!, termOffset + HEADER_LENGTH, src);
    } else copyPayload(words, this.#termBytes[partitionIndex]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    frameLengthOrdered(words, termOffset, frameLength);
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
    const maxPayloadLength = this.#maxPayloadLength;
    const framedLength = computeFragmentedFrameLength(length, maxPayloadLength);
    const termOffset = this.#reserve(partitionIndex, framedLength);
    const termId = this.#reservedTermId;
    const resultingOffset = termOffset + framedLength;
    const position = termPosition(computeTermCount(termId, this.#initialTermId), this.#termLength, resultingOffset);
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog(partitionIndex, termId, termOffset, position);
    const termBuffer = this.#termBuffers[partitionIndex]!;
    const words = this.#termWords[partitionIndex]!;
    let frameOffset = termOffset;
    let flags = BEGIN_FRAG_FLAG;
    let remaining = length;
    do {
      const bytesToWrite = remaining < maxPayloadLength ? remaining : maxPayloadLength;
      const frameLength = bytesToWrite + HEADER_LENGTH;
      this.#headerWriter.write(words, frameOffset, frameLength, termId);
      termBuffer.putBytes(frameOffset + HEADER_LENGTH, src, srcOffset + (length - remaining), bytesToWrite);
      if (remaining <= maxPayloadLength) flags |= END_FRAG_FLAG;
      setFrameFlags(termBuffer, frameOffset, flags);
      if (reservedValueSupplier !== null) {
        applyReservedValue(reservedValueSupplier, termBuffer, frameOffset, frameLength);
      }
      frameLengthOrdered(words, frameOffset, frameLength);
      flags = 0;
      frameOffset += alignFrameLength(frameLength);
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
    const maxPayloadLength = this.#maxPayloadLength;
    const fragmented = length > maxPayloadLength;
    const framedLength = fragmented
      ? computeFragmentedFrameLength(length, maxPayloadLength)
      : alignFrameLength(length + HEADER_LENGTH);
    const termOffset = this.#reserve(partitionIndex, framedLength);
    const termId = this.#reservedTermId;
    const resultingOffset = termOffset + framedLength;
    const position = termPosition(computeTermCount(termId, this.#initialTermId), this.#termLength, resultingOffset);
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog(partitionIndex, termId, termOffset, position);
    const termBuffer = this.#termBuffers[partitionIndex]!;
    const words = this.#termWords[partitionIndex]!;
    this.#vectorIndex = 0;
    this.#vectorOffset = 0;
    let frameOffset = termOffset;
    let flags = fragmented ? BEGIN_FRAG_FLAG : 0;
    let remaining = length;
    do {
      const bytesToWrite = remaining < maxPayloadLength ? remaining : maxPayloadLength;
      const frameLength = bytesToWrite + HEADER_LENGTH;
      this.#headerWriter.write(words, frameOffset, frameLength, termId);
      this.#copyFromVectors(termBuffer, frameOffset + HEADER_LENGTH, vectors, bytesToWrite);
      if (fragmented) {
        if (remaining <= maxPayloadLength) flags |= END_FRAG_FLAG;
        setFrameFlags(termBuffer, frameOffset, flags);
      }
      if (reservedValueSupplier !== null) {
        applyReservedValue(reservedValueSupplier, termBuffer, frameOffset, frameLength);
      }
      frameLengthOrdered(words, frameOffset, frameLength);
      flags = 0;
      frameOffset += alignFrameLength(frameLength);
      remaining -= bytesToWrite;
    } while (remaining > 0);
    return position;
  }

  #copyFromVectors(termBuffer: LogBufferMemory, dst: number, vectors: readonly Uint8Array[], count: number): void {
    let written = 0;
    while (written < count) {
      const vector = vectors[this.#vectorIndex]!;
      const available = vector.length - this.#vectorOffset;
      const n = available < count - written ? available : count - written;
      if (n > 0) termBuffer.putBytes(dst + written, vector, this.#vectorOffset, n);
      written += n;
      this.#vectorOffset += n;
      if (this.#vectorOffset >= vector.length) {
        this.#vectorIndex++;
        this.#vectorOffset = 0;
      }
    }
  }

  /**
   * Claims one frame of `length` payload bytes (≤ maxPayloadLength) for the caller to fill, then
   * `commit()`/`abort()` through `bufferClaim`. Returns the position after the frame or a result code.
   */
  claim(partitionIndex: number, length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = alignFrameLength(frameLength);
    const termOffset = this.#reserve(partitionIndex, alignedLength);
    const termId = this.#reservedTermId;
    const resultingOffset = termOffset + alignedLength;
    const position = termPosition(computeTermCount(termId, this.#initialTermId), this.#termLength, resultingOffset);
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog(partitionIndex, termId, termOffset, position);
    this.#headerWriter.write(this.#termWords[partitionIndex]!, termOffset, frameLength, termId);
    bufferClaim.wrap(this.#termBuffers[partitionIndex]!, termOffset, frameLength);
    return position;
  }

  /**
   * The reservation ran past the end of the term: pad the rest of it (the producer whose reservation straddles the
   * end), then rotate the log unless the stream is at its largest position. Java:
   * `ConcurrentPublication.handleEndOfLog`.
   */
  #handleEndOfLog(partitionIndex: number, termId: number, termOffset: number, position: number): number {
    const termLength = this.#termLength;
    if (termOffset < termLength) {
      this.#headerWriter.writePaddingFrame(
        this.#termWords[partitionIndex]!,
        termOffset,
        termLength - termOffset,
        termId,
      );
    }
    if (position >= this.#maxPossiblePosition) return APPEND_MAX_POSITION_EXCEEDED;
    rotateLog(this.#metadata, computeTermCount(termId, this.#initialTermId), termId);
    return APPEND_ADMIN_ACTION;
  }
}
