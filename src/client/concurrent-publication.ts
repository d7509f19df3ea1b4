/**
 * A publication that several producers (threads of other processes, or other clients sharing the same
 * registration) may offer to at once (Java: `ConcurrentPublication`). Each offer:
 *
 * 1. returns CLOSED if closed (never touching the possibly unmapped log);
 * 2. reads the active term count, that partition's tail offset (`tailTermOffsetVolatile`: term id, offset,
 *    term id) and the publication limit (acquire); a tail in another term than the count names means a rotation
 *    is in progress → ADMIN_ACTION;
 * 3. if position < limit, appends with the log layer's `TermAppender` (atomic add on the tail; a message that
 *    does not fit trips the term, pads it, rotates the log and answers ADMIN_ACTION);
 * 4. otherwise answers MAX_POSITION_EXCEEDED, BACK_PRESSURED or NOT_CONNECTED.
 *
 * Nothing is allocated per offer.
 */
import type { BufferClaim, ReservedValueSupplier } from '../logbuffer/index.ts';
import {
  computePosition,
  indexByTermCount,
  int32ViewOf,
  LOG_ACTIVE_TERM_COUNT_OFFSET,
  rawTailTermOffset,
  readRawTailVolatile,
  TermAppender,
  tailTermOffsetVolatile,
  termPosition,
} from '../logbuffer/index.ts';
import { Int64Halves } from '../transport/int64-words.ts';
import { getInt32Acquire } from '../transport/memory-ordering.ts';
import { ADMIN_ACTION, CLOSED, Publication, type PublicationParams } from './publication.ts';

/** Word of the active term count in the log metadata's Int32 words. */
const ACTIVE_TERM_COUNT_WORD = LOG_ACTIVE_TERM_COUNT_OFFSET >> 2;

/**
 * A publication that may be shared: every `Aeron.addPublication` of the same channel and stream in one driver shares
 * one session and log, and any number of producers may offer at once (see the module comment). Made by
 * `Aeron.addPublication`. Java: `ConcurrentPublication`.
 */
export class ConcurrentPublication extends Publication {
  readonly #appender: TermAppender;
  /** The active partition's raw tail as the last offer (or `position()`) read it. */
  readonly #rawTail = new Int64Halves();
  /** The log metadata's Int32 words. */
  readonly #metaWords: Int32Array;

  constructor(params: PublicationParams) {
    super(params);
    this.#appender = new TermAppender({
      termBuffers: this.termBuffers,
      metadata: this.metadata,
      headerWriter: this.headerWriter,
      initialTermId: this.initialTermId,
      maxPayloadLength: this.maxPayloadLength,
    });
    this.#metaWords = int32ViewOf(this.metadata);
  }

  /**
   * The producer's stream position (of the next message), from the active partition's raw tail (high, low, high
   * read); `CLOSED` once closed. Java: `ConcurrentPublication.position`.
   */
  override position(): number {
    if (this.closed) return CLOSED;
    const termCount = Atomics.load(this.#metaWords, ACTIVE_TERM_COUNT_WORD);
    return this.#tailPosition(readRawTailVolatile(this.#metaWords, indexByTermCount(termCount), this.#rawTail));
  }

  /**
   * Bytes the producer may still write before back pressure: publication limit − position; `CLOSED` once closed. Java:
   * `ConcurrentPublication.availableWindow`.
   */
  override availableWindow(): number {
    if (this.closed) return CLOSED;
    return this.publicationLimit.getVolatile() - this.position();
  }

  /** Position of a raw tail: its term id and term offset (clamped to the term length). */
  #tailPosition(rawTail: Int64Halves): number {
    const termOffset = rawTailTermOffset(rawTail, this.termBufferLength);
    return computePosition(rawTail.high, termOffset, this.positionBitsToShift, this.initialTermId);
  }

  /**
   * Reads the active term count, that partition's tail offset (in the term the count names) and the limit. Returns
   * the partition index to append to (≥ 0), or a sentinel (ADMIN_ACTION while a rotation is in progress, or a
   * back-pressure status for `length`).
   */
  #prepare(length: number): number {
    // `getInt32Acquire` (plain on x86-64, `memory-ordering.ts`): a stale count names an earlier partition, whose tail
    // is past its end (or in another term), and the offer answers ADMIN_ACTION or, at the limit, a back-pressure
    // status, as Java's does when a rotation races its read; the tail loads below are `Atomics` calls, so no count is
    // kept from one offer to the next.
    const termCount = getInt32Acquire(this.#metaWords, ACTIVE_TERM_COUNT_WORD);
    const index = indexByTermCount(termCount);
    const termLength = this.termBufferLength;
    const termOffset = tailTermOffsetVolatile(this.#metaWords, index, (this.initialTermId + termCount) | 0, termLength);
    if (termOffset < 0) return ADMIN_ACTION;
    const position = termPosition(termCount, termLength, termOffset);
    // Java reads the limit before the tail; read after it, the limit is no older, and it decides the same.
    return position < this.publicationLimitFor(position) ? index : this.backPressureStatus(position, length);
  }

  /**
   * As `Publication.offer`; an atomic add on the tail reserves the space, so other producers may offer at once. Java:
   * `ConcurrentPublication.offer`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when `length` exceeds `maxMessageLength`.
   * @throws InvalidArgumentError `INVALID_ARGUMENT` when the range is not inside `buffer` or `length` is negative.
   */
  override offer(
    buffer: Uint8Array,
    offset = 0,
    length: number = buffer.length - offset,
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    if (this.closed) return CLOSED;
    const index = this.#prepare(length);
    if (index < 0) return index;
    // One frame, no reserved value, arguments plainly in range (a subset of what the checks below accept): the
    // short path V8 inlines whole. Anything else goes through the checks as before.
    if (
      reservedValueSupplier === null &&
      length >= 0 &&
      length <= this.maxPayloadLength &&
      (length | 0) === length &&
      offset >= 0 &&
      offset + length <= buffer.length
    ) {
      return this.#appender.appendFrame(index, buffer, offset, length);
    }
    return this.#offerChecked(index, buffer, offset, length, reservedValueSupplier);
  }

  /** `offer` past the limit check for the arguments the short path does not take: checks, then the appender. */
  #offerChecked(
    index: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    Publication.checkOfferRange(buffer, offset, length);
    if (length <= this.maxPayloadLength) {
      this.checkPositiveLength(length);
      return this.#appender.appendUnfragmented(index, buffer, offset, length, reservedValueSupplier);
    }
    this.checkMaxMessageLength(length);
    return this.#appender.appendFragmented(index, buffer, offset, length, reservedValueSupplier);
  }

  /**
   * As `Publication.offerVectors`. Java: `ConcurrentPublication.offer(DirectBufferVector[])`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when the total exceeds `maxMessageLength`.
   */
  override offerVectors(
    vectors: readonly Uint8Array[],
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const length = Publication.vectorsLength(vectors);
    if (this.closed) return CLOSED;
    const index = this.#prepare(length);
    if (index < 0) return index;
    this.checkMaxMessageLength(length);
    return this.#appender.appendGather(index, vectors, length, reservedValueSupplier);
  }

  /**
   * As `Publication.tryClaim`. Java: `ConcurrentPublication.tryClaim`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when `length` exceeds `maxPayloadLength`.
   * @throws InvalidArgumentError `INVALID_ARGUMENT` for a negative or non-integer `length`.
   */
  override tryClaim(length: number, bufferClaim: BufferClaim): number {
    // The checks inline for a plainly valid length (as offer's short path); anything else throws there.
    if (!(length >= 0 && length <= this.maxPayloadLength && (length | 0) === length)) this.checkPayloadLength(length);
    if (this.closed) return CLOSED;
    const index = this.#prepare(length);
    if (index < 0) return index;
    return this.#appender.claim(index, length, bufferClaim);
  }
}
