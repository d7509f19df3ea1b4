/**
 * A publication that several producers (threads of other processes, or other clients sharing the same
 * registration) may offer to at once (1.51.0 `ConcurrentPublication`). Each offer:
 *
 * 1. returns CLOSED if closed (never touching the possibly unmapped log);
 * 2. reads the publication limit once (acquire), the active term count and that partition's raw tail
 *    (hi-lo-hi, reused `RawTail`); a term count that does not match the tail's term id means a rotation is
 *    in progress → ADMIN_ACTION;
 * 3. if position < limit, appends with the log layer's `TermAppender` (atomic add on the tail; a message that
 *    does not fit trips the term, pads it, rotates the log and answers ADMIN_ACTION);
 * 4. otherwise answers MAX_POSITION_EXCEEDED, BACK_PRESSURED or NOT_CONNECTED.
 *
 * Nothing is allocated per offer.
 */
import type { BufferClaim, ReservedValueSupplier } from '../logbuffer/index.ts';
import {
  activeTermCount,
  computePosition,
  indexByTermCount,
  LOG_ACTIVE_TERM_COUNT_OFFSET,
  RawTail,
  TermAppender,
  tailCounterOffset,
} from '../logbuffer/index.ts';
import { ADMIN_ACTION, CLOSED, Publication, type PublicationParams } from './publication.ts';

const ACTIVE_TERM_COUNT_WORD = LOG_ACTIVE_TERM_COUNT_OFFSET >> 2;

/**
 * A publication that may be shared: every `Aeron.addPublication` of the same channel and stream in one driver shares
 * one session and log, and any number of producers may offer at once (see the module comment). Made by
 * `Aeron.addPublication`. Java: `ConcurrentPublication`.
 */
export class ConcurrentPublication extends Publication {
  readonly #appender: TermAppender;
  readonly #rawTail = new RawTail();
  /** The log metadata's int32 words (null: accessor path). */
  readonly #metaWords: Int32Array | null;

  constructor(params: PublicationParams) {
    super(params);
    this.#appender = new TermAppender({
      termBuffers: this.termBuffers,
      metadata: this.metadata,
      headerWriter: this.headerWriter,
      initialTermId: this.initialTermId,
      maxPayloadLength: this.maxPayloadLength,
    });
    this.#metaWords = this.metadata.int32View;
  }

  /**
   * The producer's stream position (of the next message), from the active partition's raw tail (hi-lo-hi read);
   * `CLOSED` once closed. Java: `ConcurrentPublication.position`.
   */
  override position(): number {
    if (this.closed) return CLOSED;
    const rawTail = this.#rawTail.read(this.metadata, indexByTermCount(activeTermCount(this.metadata)));
    return computePosition(
      rawTail.termId,
      rawTail.termOffset(this.termBufferLength),
      this.positionBitsToShift,
      this.initialTermId,
    );
  }

  /**
   * Bytes the producer may still write before back pressure: publication limit − position; `CLOSED` once closed. Java:
   * `ConcurrentPublication.availableWindow`.
   */
  override availableWindow(): number {
    if (this.closed) return CLOSED;
    return this.positionLimitValue.getVolatile() - this.position();
  }

  /**
   * Reads the limit and the active tail. Returns the partition index to append to (≥ 0), or a sentinel
   * (ADMIN_ACTION, or a back-pressure status for `length`).
   */
  #prepare(length: number): number {
    const metadata = this.metadata;
    const words = this.#metaWords;
    let termCount: number;
    let index: number;
    let termId: number;
    let termOffset: number;
    if (words !== null) {
      // Same acquire loads as activeTermCount + RawTail.read, on the metadata words directly.
      termCount = Atomics.load(words, ACTIVE_TERM_COUNT_WORD);
      index = indexByTermCount(termCount);
      const tailWord = tailCounterOffset(index) >> 2;
      let hi = Atomics.load(words, tailWord + 1);
      for (;;) {
        const lo = Atomics.load(words, tailWord);
        const hiAgain = Atomics.load(words, tailWord + 1);
        if (hiAgain === hi) {
          const rawOffset = lo >>> 0;
          termOffset = rawOffset < this.termBufferLength ? rawOffset : this.termBufferLength;
          break;
        }
        hi = hiAgain;
      }
      termId = hi;
    } else {
      termCount = activeTermCount(metadata);
      index = indexByTermCount(termCount);
      const rawTail = this.#rawTail.read(metadata, index);
      termId = rawTail.termId;
      termOffset = rawTail.termOffset(this.termBufferLength);
    }
    if (termCount !== ((termId - this.initialTermId) | 0)) return ADMIN_ACTION;
    // computePosition without its `2 ** shift` (a pow call per offer): the term length is that power of two
    const position = ((termId - this.initialTermId) | 0) * this.termBufferLength + termOffset;
    // Java reads the limit before the tail; read after it, the limit is no older, and it decides the same.
    return position < this.limitNear(position) ? index : this.backPressureStatus(position, length);
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
    this.checkPayloadLength(length);
    if (this.closed) return CLOSED;
    const index = this.#prepare(length);
    if (index < 0) return index;
    return this.#appender.claim(index, length, bufferClaim);
  }
}
