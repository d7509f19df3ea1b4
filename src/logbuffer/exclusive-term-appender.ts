/**
 * Appends frames to a log with a single producer: the exclusive-publication algorithm of Aeron 1.51.0
 * `ExclusivePublication`. The appender keeps termId, termOffset, the active partition and the term's
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
 * Fast path: when the log's buffers expose Int32 views (term-words.ts), a single-frame `append` writes the
 * tail, header and payload through the words in one function (the same `Atomics` stores in the same
 * order, plain stores for plain fields): ~6 `Atomics` calls per message dominate its cost on Node.
 */

import { AeronError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
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
  activeTermCount,
  computeFragmentedFrameLength,
  computeMaxPossiblePosition,
  computeTermBeginPosition,
  indexByTermCount,
  initialiseTailWithTermId,
  nextPartitionIndex,
  PARTITION_COUNT,
  setActiveTermCountOrdered,
  tailCounterOffset,
} from './log-buffer-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';
import type { TermAppenderOptions } from './term-appender.ts';
import { copyPayload, fastPathViews } from './term-words.ts';

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

const TRIPPED = -1;

function readInt32LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24) | 0;
}

/**
 * The single-producer appender behind `ExclusivePublication`: keeps the tail locally and release-stores it before
 * each frame (see the module comment). Appends return the new position, or `APPEND_ADMIN_ACTION` /
 * `APPEND_MAX_POSITION_EXCEEDED`. Not safe to share between producers. Java: the append methods of
 * `ExclusivePublication` (1.51.0 has no separate `ExclusiveTermAppender`).
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor unless there are exactly 3 term buffers.
 */
export class ExclusiveTermAppender {
  private readonly termBuffers: readonly LogBufferMemory[];
  private readonly metadata: LogBufferMemory;
  private readonly headerWriter: HeaderWriter;
  private readonly initialTermId: number;
  private readonly maxPayloadLength: number;
  private readonly termLength: number;
  private readonly positionBitsToShift: number;
  private readonly maxPossiblePosition: number;
  private termIdValue: number;
  private termOffsetValue: number;
  private partitionIndex: number;
  private termBeginPosition: number;
  /** Fast path (every buffer has an `int32View`): the term words by partition, else null. */
  private readonly termWords: readonly Int32Array[] | null;
  /** Byte views over the same memory as `termWords` (for payload tails and long copies). */
  private readonly termBytes: readonly Uint8Array[] | null;
  private readonly metaWords: Int32Array | null;
  /** Word index of the active partition's raw tail (low word) in `metaWords`. */
  private tailWordIndex: number;

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
    this.positionBitsToShift = 31 - Math.clz32(this.termLength);
    this.maxPossiblePosition = computeMaxPossiblePosition(this.termLength);
    const index = indexByTermCount(activeTermCount(this.metadata));
    const tail = tailCounterOffset(index);
    this.partitionIndex = index;
    this.termIdValue = this.metadata.getInt32Volatile(tail + 4);
    this.termOffsetValue = this.metadata.getInt32Volatile(tail);
    this.termBeginPosition = computeTermBeginPosition(this.termIdValue, this.positionBitsToShift, this.initialTermId);
    this.tailWordIndex = tail >> 2;
    const views = fastPathViews(this.termBuffers, this.metadata, this.termLength);
    this.termWords = views === null ? null : views.termWords;
    this.termBytes = views === null ? null : views.termBytes;
    this.metaWords = views === null ? null : views.metaWords;
  }

  /** Current term id. */
  get termId(): number {
    return this.termIdValue;
  }
  /** Offset of the next frame in the current term (may exceed termLength before the rotation). */
  get termOffset(): number {
    return this.termOffsetValue;
  }
  /** Partition index (0..2) of the current term. */
  get activePartitionIndex(): number {
    return this.partitionIndex;
  }
  /** Position of the next frame: termBeginPosition + termOffset. */
  position(): number {
    return this.termBeginPosition + this.termOffsetValue;
  }

  /**
   * Appends `length` bytes of `src[srcOffset..]`, fragmenting when longer than maxPayloadLength. Returns the
   * new position, or `APPEND_ADMIN_ACTION` / `APPEND_MAX_POSITION_EXCEEDED`.
   *
   * A single-frame message on the fast path (word views, see term-words.ts) is written here in one function,
   * in Java's order: release the tail, release `-length` with the version/flags/type word before it, plain
   * header fields, payload, reserved value, release of the positive length last.
   */
  append(
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const metaWords = this.metaWords;
    if (length > this.maxPayloadLength) {
      return this.newPosition(this.appendFragmented(src, srcOffset, length, reservedValueSupplier));
    }
    if (metaWords === null) {
      return this.newPosition(this.appendUnfragmentedSlow(src, srcOffset, length, reservedValueSupplier));
    }
    const frameLength = length + HEADER_LENGTH;
    const termOffset = this.termOffsetValue;
    const resultingOffset = termOffset + ((frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1));
    Atomics.store(metaWords, this.tailWordIndex, resultingOffset);
    if (resultingOffset > this.termLength) return this.newPosition(this.handleEndOfLog());
    const index = this.partitionIndex;
    const words = this.termWords![index]!;
    const w = termOffset >> 2;
    const headerWriter = this.headerWriter;
    words[w + 1] = headerWriter.versionFlagsType;
    Atomics.store(words, w, -frameLength);
    words[w + 2] = termOffset;
    words[w + 3] = headerWriter.sessionId;
    words[w + 4] = headerWriter.streamId;
    words[w + 5] = this.termIdValue;
    copyPayload(words, this.termBytes![index]!, termOffset + HEADER_LENGTH, src, srcOffset, length);
    if (reservedValueSupplier !== null) {
      applyReservedValue(reservedValueSupplier, this.termBuffers[index]!, termOffset, frameLength);
    }
    Atomics.store(words, w, frameLength);
    this.termOffsetValue = resultingOffset;
    return this.termBeginPosition + resultingOffset;
  }

  /**
   * Appends a padding frame with `length` bytes of (unwritten) payload. Returns the new position or a result code.
   *
   * @throws InvalidBlockError `PADDING_TOO_LONG` when `length` exceeds the framed length of the largest message
   * (termLength / 8).
   */
  appendPadding(length: number): number {
    const maxFramedLength = computeFragmentedFrameLength(this.termLength >> 3, this.maxPayloadLength);
    if (length > maxFramedLength) {
      throw new InvalidBlockError(
        'PADDING_TOO_LONG',
        `padding exceeds maxFramedLength of ${maxFramedLength}, length=${length}`,
      );
    }
    const frameLength = length + HEADER_LENGTH;
    const resultingOffset = this.reserve(align(frameLength, FRAME_ALIGNMENT));
    if (resultingOffset > this.termLength) return this.newPosition(this.handleEndOfLog());
    const termBuffer = this.termBuffers[this.partitionIndex]!;
    const termOffset = this.termOffsetValue;
    this.headerWriter.write(termBuffer, termOffset, frameLength, this.termIdValue);
    setFrameType(termBuffer, termOffset, PADDING_FRAME_TYPE);
    frameLengthOrdered(termBuffer, termOffset, frameLength);
    return this.newPosition(resultingOffset);
  }

  /**
   * Claims one frame of `length` payload bytes (≤ maxPayloadLength); fill and commit/abort it through
   * `bufferClaim`.
   */
  claim(length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const resultingOffset = this.reserve(align(frameLength, FRAME_ALIGNMENT));
    if (resultingOffset > this.termLength) return this.newPosition(this.handleEndOfLog());
    const termBuffer = this.termBuffers[this.partitionIndex]!;
    const termWords = this.termWords;
    if (termWords !== null) {
      this.headerWriter.writeWords(
        termWords[this.partitionIndex]!,
        this.termOffsetValue,
        frameLength,
        this.termIdValue,
      );
    } else {
      this.headerWriter.write(termBuffer, this.termOffsetValue, frameLength, this.termIdValue);
    }
    bufferClaim.wrap(termBuffer, this.termOffsetValue, frameLength);
    return this.newPosition(resultingOffset);
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
    if (this.termOffsetValue >= this.termLength) this.rotateTerm();
    const remaining = this.termLength - this.termOffsetValue;
    if (length > remaining) {
      throw new InvalidBlockError(
        'BLOCK_TOO_LONG',
        `invalid block length ${length}, remaining space in term is ${remaining}`,
      );
    }
    this.checkFirstFrame(src, srcOffset);
    const termOffset = this.termOffsetValue;
    const resultingOffset = termOffset + length;
    this.metadata.putInt32Ordered(tailCounterOffset(this.partitionIndex), resultingOffset);
    const termBuffer = this.termBuffers[this.partitionIndex]!;
    termBuffer.putBytes(termOffset + VERSION_FIELD_OFFSET, src, srcOffset + VERSION_FIELD_OFFSET, length - 4);
    frameLengthOrdered(termBuffer, termOffset, readInt32LE(src, srcOffset));
    return this.newPosition(resultingOffset);
  }

  private checkFirstFrame(src: Uint8Array, offset: number): void {
    const blockTermOffset = readInt32LE(src, offset + TERM_OFFSET_FIELD_OFFSET);
    const blockSessionId = readInt32LE(src, offset + SESSION_ID_FIELD_OFFSET);
    const blockStreamId = readInt32LE(src, offset + STREAM_ID_FIELD_OFFSET);
    const blockTermId = readInt32LE(src, offset + TERM_ID_FIELD_OFFSET);
    const blockFrameType = src[offset + TYPE_FIELD_OFFSET]! | (src[offset + TYPE_FIELD_OFFSET + 1]! << 8);
    if (
      blockTermOffset !== this.termOffsetValue ||
      blockSessionId !== this.headerWriter.sessionId ||
      blockStreamId !== this.headerWriter.streamId ||
      blockTermId !== this.termIdValue ||
      blockFrameType !== HDR_TYPE_DATA
    ) {
      throw new InvalidBlockError(
        'BLOCK_MALFORMED',
        `improperly formatted block: termOffset=${blockTermOffset} (expected=${this.termOffsetValue}),` +
          ` sessionId=${blockSessionId} (expected=${this.headerWriter.sessionId}),` +
          ` streamId=${blockStreamId} (expected=${this.headerWriter.streamId}),` +
          ` termId=${blockTermId} (expected=${this.termIdValue}),` +
          ` frameType=${blockFrameType} (expected=${HDR_TYPE_DATA})`,
      );
    }
  }

  /** Release-stores the tail (termId unchanged, so the low word only) and returns the resulting offset. */
  private reserve(length: number): number {
    const resultingOffset = this.termOffsetValue + length;
    this.metadata.putInt32Ordered(tailCounterOffset(this.partitionIndex), resultingOffset);
    return resultingOffset;
  }

  private appendUnfragmentedSlow(
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    const frameLength = length + HEADER_LENGTH;
    const resultingOffset = this.reserve(align(frameLength, FRAME_ALIGNMENT));
    if (resultingOffset > this.termLength) return this.handleEndOfLog();
    const termBuffer = this.termBuffers[this.partitionIndex]!;
    const termOffset = this.termOffsetValue;
    this.headerWriter.write(termBuffer, termOffset, frameLength, this.termIdValue);
    termBuffer.putBytes(termOffset + HEADER_LENGTH, src, srcOffset, length);
    if (reservedValueSupplier !== null) applyReservedValue(reservedValueSupplier, termBuffer, termOffset, frameLength);
    frameLengthOrdered(termBuffer, termOffset, frameLength);
    return resultingOffset;
  }

  private appendFragmented(
    src: Uint8Array,
    srcOffset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    const maxPayloadLength = this.maxPayloadLength;
    const resultingOffset = this.reserve(computeFragmentedFrameLength(length, maxPayloadLength));
    if (resultingOffset > this.termLength) return this.handleEndOfLog();
    const termBuffer = this.termBuffers[this.partitionIndex]!;
    const termId = this.termIdValue;
    let frameOffset = this.termOffsetValue;
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
    return resultingOffset;
  }

  private handleEndOfLog(): number {
    const termLength = this.termLength;
    const termOffset = this.termOffsetValue;
    if (termOffset < termLength) {
      const termBuffer = this.termBuffers[this.partitionIndex]!;
      const paddingLength = termLength - termOffset;
      this.headerWriter.write(termBuffer, termOffset, paddingLength, this.termIdValue);
      setFrameType(termBuffer, termOffset, PADDING_FRAME_TYPE);
      frameLengthOrdered(termBuffer, termOffset, paddingLength);
    }
    return TRIPPED;
  }

  private newPosition(resultingOffset: number): number {
    if (resultingOffset > 0) {
      this.termOffsetValue = resultingOffset;
      return this.termBeginPosition + resultingOffset;
    }
    if (this.termBeginPosition + this.termLength >= this.maxPossiblePosition) {
      return APPEND_MAX_POSITION_EXCEEDED;
    }
    this.rotateTerm();
    return APPEND_ADMIN_ACTION;
  }

  private rotateTerm(): void {
    const nextIndex = nextPartitionIndex(this.partitionIndex);
    const nextTermId = (this.termIdValue + 1) | 0;
    this.partitionIndex = nextIndex;
    this.termOffsetValue = 0;
    this.termIdValue = nextTermId;
    this.termBeginPosition += this.termLength;
    this.tailWordIndex = tailCounterOffset(nextIndex) >> 2;
    initialiseTailWithTermId(this.metadata, nextIndex, nextTermId);
    setActiveTermCountOrdered(this.metadata, (nextTermId - this.initialTermId) | 0);
  }
}
