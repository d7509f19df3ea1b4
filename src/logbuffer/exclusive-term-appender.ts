/**
 * Appends frames to a log with a single producer: the exclusive-publication algorithm of Java's
 * `ExclusivePublication` (which has no separate appender). The appender keeps termId, termOffset, the active partition and the term's
 * begin position locally (initialised from the active raw tail), so no atomic RMW is needed.
 *
 * Per append it release-stores the new tail BEFORE writing the frame (as Java's
 * `putLongRelease(tail, packTail(termId, resultingOffset))`). Within a term the high word (term id)
 * never changes, so the 64-bit store reduces to a release store of the low word: a 64-bit reader in
 * another process still sees an untorn value. At the end of a term it writes a padding frame for the
 * remainder ("tripped"), then rotates: stores (nextTermId, 0) into the next partition's tail (two plain
 * 32-bit stores) and release-stores the active term count — readers pick the new partition only after
 * seeing that count, so they never see the half-written tail. A trip is reported as
 * `APPEND_ADMIN_ACTION` (retry) or `APPEND_MAX_POSITION_EXCEEDED`.
 *
 * Also `appendPadding` (a padding frame of a given payload length) and `appendBlock` (offerBlock:
 * copy pre-formatted frames whose first header must match this stream's next frame).
 *
 * The tail, headers and frame lengths are written on the log's Int32 words (`term-words.ts`): release stores
 * (`putInt32Release`, `src/transport/memory-ordering.ts`) where Java has them, in Java's order, plain stores for
 * plain fields.
 */

import { AeronError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { readInt32LE } from '../transport/byte-copy.ts';
import { Int64Halves } from '../transport/int64-words.ts';
import { putInt32Release } from '../transport/memory-ordering.ts';
import type { ReservedValueSupplier } from './append-result.ts';
import { APPEND_ADMIN_ACTION, APPEND_MAX_POSITION_EXCEEDED, applyReservedValue } from './append-result.ts';
import type { BufferClaim } from './buffer-claim.ts';
import {
  HDR_TYPE_DATA,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import { alignFrameLength, BEGIN_FRAG_FLAG, END_FRAG_FLAG, setFrameFlags } from './frame-descriptor.ts';
import {
  activeTermCount,
  computeFragmentedFrameLength,
  computeMaxPossiblePosition,
  computeTermBeginPosition,
  computeTermCount,
  indexByTermCount,
  initialiseTailWithTermId,
  nextPartitionIndex,
  PARTITION_COUNT,
  readRawTailVolatile,
  setActiveTermCountOrdered,
  tailCounterOffset,
} from './log-buffer-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';
import type { TermAppenderOptions } from './term-appender.ts';
import type { HeaderWriter } from './term-words.ts';
import { copyPayload, copyWholeArray, frameLengthOrdered, logViews } from './term-words.ts';

/** Stable code of `InvalidBlockError`. */
export type InvalidBlockErrorCode = 'BLOCK_TOO_LONG' | 'BLOCK_MALFORMED' | 'PADDING_TOO_LONG';

/** A block given to `offerBlock` (or padding to `appendPadding`) that is not a run of whole, valid frames. */
export class InvalidBlockError extends AeronError {
  /**
   * `BLOCK_TOO_LONG` (the block does not fit in the rest of the term), `BLOCK_MALFORMED` (its first header is not
   * this stream's next frame) or `PADDING_TOO_LONG` (padding longer than the largest framed message).
   */
  declare readonly code: InvalidBlockErrorCode;
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: InvalidBlockErrorCode, message: string) {
    super(code, message);
  }
}

/** What `#handleEndOfLog` returns: the term was tripped (padded), no position. */
const TRIPPED = -1;

/**
 * The single-producer appender behind `ExclusivePublication`: keeps the tail locally and release-stores it before
 * each frame (see the module comment). Appends return the new position, or `APPEND_ADMIN_ACTION` /
 * `APPEND_MAX_POSITION_EXCEEDED`. Not safe to share between producers. Java: the append methods of
 * `ExclusivePublication`.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor unless there are exactly 3 term buffers, each
 * buffer with an `int32View` covering it.
 */
export class ExclusiveTermAppender {
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
  #termId: number;
  #termOffset: number;
  #partitionIndex: number;
  #termBeginPosition: number;
  /** Word index of the active partition's raw tail (its low word, the term offset) in the metadata words. */
  #tailWord: number;

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
    const index = indexByTermCount(activeTermCount(this.#metadata));
    const tail = readRawTailVolatile(this.#metaWords, index, new Int64Halves());
    this.#partitionIndex = index;
    this.#termId = tail.high;
    this.#termOffset = tail.low;
    const positionBitsToShift = 31 - Math.clz32(this.#termLength);
    this.#termBeginPosition = computeTermBeginPosition(this.#termId, positionBitsToShift, this.#initialTermId);
    this.#tailWord = tailCounterOffset(index) >> 2;
  }

  /** Current term id. */
  get termId(): number {
    return this.#termId;
  }
  /** Offset of the next frame in the current term (may exceed termLength before the rotation). */
  get termOffset(): number {
    return this.#termOffset;
  }
  /** Partition index (0..2) of the current term. */
  get activePartitionIndex(): number {
    return this.#partitionIndex;
  }
  /** Position of the next frame: termBeginPosition + termOffset. */
  position(): number {
    return this.#termBeginPosition + this.#termOffset;
  }

  /**
   * Appends `length` bytes of `src[srcOffset..]`, fragmenting when longer than maxPayloadLength. Returns the
   * new position, or `APPEND_ADMIN_ACTION` / `APPEND_MAX_POSITION_EXCEEDED`. Java order for a single frame:
   * release the tail, header with −length (release), payload, reserved value, release of the positive length.
   */
  append(
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    if (length > this.#maxPayloadLength) {
      return this.#newPosition(this.#appendFragmented(src, srcOffset, length, reservedValueSupplier));
    }
    if (reservedValueSupplier === null) return this.appendFrame(src, srcOffset, length);
    const frameLength = length + HEADER_LENGTH;
    const termOffset = this.#termOffset;
    const resultingOffset = this.#reserve(alignFrameLength(frameLength));
    if (resultingOffset > this.#termLength) return this.#newPosition(this.#handleEndOfLog());
    const index = this.#partitionIndex;
    const words = this.#termWords[index]!;
    this.#headerWriter.write(words, termOffset, frameLength, this.#termId);
    copyPayload(words, this.#termBytes[index]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    applyReservedValue(reservedValueSupplier, this.#termBuffers[index]!, termOffset, frameLength);
    frameLengthOrdered(words, termOffset, frameLength);
    return this.#newPosition(resultingOffset);
  }

  /**
   * `append` of one unfragmented frame without a reserved value: `length` ≤ maxPayloadLength, the range checked by
   * the caller. The offer hot path: kept small enough (bytecode) for V8 to inline the whole chain into `offer`, and
   * into the caller's loop; a whole source array is copied by `copyWholeArray` (words up to 64 B, else one `set`), a
   * part through `copyPayload`. Same stores in the same order as `append`.
   */
  appendFrame(src: Uint8Array, srcOffset: number, length: number): number {
    const frameLength = length + HEADER_LENGTH;
    const termOffset = this.#termOffset;
    const resultingOffset = this.#reserve(alignFrameLength(frameLength));
    if (resultingOffset > this.#termLength) return this.#trip();
    const index = this.#partitionIndex;
    const words = this.#termWords[index]!;
    this.#headerWriter.write(words, termOffset, frameLength, this.#termId);
    if (srcOffset === 0 && length === src.length) {
      copyWholeArray(words, this.#termBytes[index]!, termOffset + HEADER_LENGTH, src);
    } else copyPayload(words, this.#termBytes[index]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    frameLengthOrdered(words, termOffset, frameLength);
    this.#termOffset = resultingOffset;
    return this.#termBeginPosition + resultingOffset;
  }

  /** The end of the term was reached: pad, rotate and report (`#handleEndOfLog` then `#newPosition`), off the hot path. */
  #trip(): number {
    return this.#newPosition(this.#handleEndOfLog());
  }

  /**
   * Appends a padding frame with `length` bytes of (unwritten) payload. Returns the new position or a result code.
   *
   * @throws InvalidBlockError `PADDING_TOO_LONG` when `length` exceeds the framed length of the largest message
   * (termLength / 8).
   */
  appendPadding(length: number): number {
    const maxFramedLength = computeFragmentedFrameLength(this.#termLength >> 3, this.#maxPayloadLength);
    if (length > maxFramedLength) {
      throw new InvalidBlockError(
        'PADDING_TOO_LONG',
        `padding exceeds maxFramedLength of ${maxFramedLength}, length=${length}`,
      );
    }
    const frameLength = length + HEADER_LENGTH;
    const termOffset = this.#termOffset;
    const resultingOffset = this.#reserve(alignFrameLength(frameLength));
    if (resultingOffset > this.#termLength) return this.#newPosition(this.#handleEndOfLog());
    this.#headerWriter.writePaddingFrame(this.#termWords[this.#partitionIndex]!, termOffset, frameLength, this.#termId);
    return this.#newPosition(resultingOffset);
  }

  /**
   * Claims one frame of `length` payload bytes (≤ maxPayloadLength); fill and commit/abort it through
   * `bufferClaim`. The tryClaim hot path, shaped as `appendFrame`: the trip off the path, the new position written
   * out instead of `#newPosition`'s branches.
   */
  claim(length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const termOffset = this.#termOffset;
    const resultingOffset = this.#reserve(alignFrameLength(frameLength));
    if (resultingOffset > this.#termLength) return this.#trip();
    const index = this.#partitionIndex;
    this.#headerWriter.write(this.#termWords[index]!, termOffset, frameLength, this.#termId);
    bufferClaim.wrap(this.#termBuffers[index]!, termOffset, frameLength);
    this.#termOffset = resultingOffset;
    return this.#termBeginPosition + resultingOffset;
  }

  /**
   * offerBlock: copies `length` bytes of pre-formatted frames. The first frame's header must carry
   * this stream's next term offset, session id, stream id, term id and type DATA, and the block must
   * fit in the rest of the term. Rotates first if the term is already full. The frames' lengths must be
   * final; the first frame's length is release-stored last, publishing the whole block.
   *
   * @throws InvalidBlockError `BLOCK_TOO_LONG` when the block does not fit in the rest of the term,
   * `BLOCK_MALFORMED` when the first header does not match.
   */
  appendBlock(src: Uint8Array, srcOffset: number, length: number): number {
    if (this.#termOffset >= this.#termLength) this.#rotateTerm();
    const remaining = this.#termLength - this.#termOffset;
    if (length > remaining) {
      throw new InvalidBlockError(
        'BLOCK_TOO_LONG',
        `invalid block length ${length}, remaining space in term is ${remaining}`,
      );
    }
    this.#checkFirstFrame(src, srcOffset);
    const termOffset = this.#termOffset;
    const resultingOffset = this.#reserve(length);
    const index = this.#partitionIndex;
    this.#termBuffers[index]!.putBytes(
      termOffset + VERSION_FIELD_OFFSET,
      src,
      srcOffset + VERSION_FIELD_OFFSET,
      length - VERSION_FIELD_OFFSET,
    );
    frameLengthOrdered(this.#termWords[index]!, termOffset, readInt32LE(src, srcOffset));
    return this.#newPosition(resultingOffset);
  }

  #checkFirstFrame(src: Uint8Array, offset: number): void {
    const blockTermOffset = readInt32LE(src, offset + TERM_OFFSET_FIELD_OFFSET);
    const blockSessionId = readInt32LE(src, offset + SESSION_ID_FIELD_OFFSET);
    const blockStreamId = readInt32LE(src, offset + STREAM_ID_FIELD_OFFSET);
    const blockTermId = readInt32LE(src, offset + TERM_ID_FIELD_OFFSET);
    const blockFrameType = src[offset + TYPE_FIELD_OFFSET]! | (src[offset + TYPE_FIELD_OFFSET + 1]! << 8);
    const headerWriter = this.#headerWriter;
    if (
      blockTermOffset !== this.#termOffset ||
      blockSessionId !== headerWriter.sessionId ||
      blockStreamId !== headerWriter.streamId ||
      blockTermId !== this.#termId ||
      blockFrameType !== HDR_TYPE_DATA
    ) {
      throw new InvalidBlockError(
        'BLOCK_MALFORMED',
        `improperly formatted block: termOffset=${blockTermOffset} (expected=${this.#termOffset}),` +
          ` sessionId=${blockSessionId} (expected=${headerWriter.sessionId}),` +
          ` streamId=${blockStreamId} (expected=${headerWriter.streamId}),` +
          ` termId=${blockTermId} (expected=${this.#termId}),` +
          ` frameType=${blockFrameType} (expected=${HDR_TYPE_DATA})`,
      );
    }
  }

  /**
   * Release-stores the tail moved on by `length` and returns the resulting offset. Within a term the term id (high
   * word) does not change, so Java's 64-bit release store of the tail is a release store of its low word.
   */
  #reserve(length: number): number {
    const resultingOffset = this.#termOffset + length;
    putInt32Release(this.#metaWords, this.#tailWord, resultingOffset);
    return resultingOffset;
  }

  #appendFragmented(
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    const maxPayloadLength = this.#maxPayloadLength;
    let frameOffset = this.#termOffset;
    const resultingOffset = this.#reserve(computeFragmentedFrameLength(length, maxPayloadLength));
    if (resultingOffset > this.#termLength) return this.#handleEndOfLog();
    const termBuffer = this.#termBuffers[this.#partitionIndex]!;
    const words = this.#termWords[this.#partitionIndex]!;
    const termId = this.#termId;
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
    return resultingOffset;
  }

  /** The term is full: pad the rest of it (if any) and report the trip. Java: `ExclusivePublication.handleEndOfLog`. */
  #handleEndOfLog(): number {
    const termLength = this.#termLength;
    const termOffset = this.#termOffset;
    if (termOffset < termLength) {
      const words = this.#termWords[this.#partitionIndex]!;
      this.#headerWriter.writePaddingFrame(words, termOffset, termLength - termOffset, this.#termId);
    }
    return TRIPPED;
  }

  /** The position after `resultingOffset`, or after a trip: rotate and `APPEND_ADMIN_ACTION`, or the max position. */
  #newPosition(resultingOffset: number): number {
    if (resultingOffset > 0) {
      this.#termOffset = resultingOffset;
      return this.#termBeginPosition + resultingOffset;
    }
    if (this.#termBeginPosition + this.#termLength >= this.#maxPossiblePosition) {
      return APPEND_MAX_POSITION_EXCEEDED;
    }
    this.#rotateTerm();
    return APPEND_ADMIN_ACTION;
  }

  #rotateTerm(): void {
    const nextIndex = nextPartitionIndex(this.#partitionIndex);
    const nextTermId = (this.#termId + 1) | 0;
    this.#partitionIndex = nextIndex;
    this.#termOffset = 0;
    this.#termId = nextTermId;
    this.#termBeginPosition += this.#termLength;
    this.#tailWord = tailCounterOffset(nextIndex) >> 2;
    initialiseTailWithTermId(this.#metadata, nextIndex, nextTermId);
    setActiveTermCountOrdered(this.#metadata, computeTermCount(nextTermId, this.#initialTermId));
  }
}
