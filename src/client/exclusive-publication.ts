/**
 * A publication with a single producer (Java: `ExclusivePublication`): the tail is kept locally by the log
 * layer's `ExclusiveTermAppender` (term id, term offset, active partition, term begin position), so offers
 * need no atomic read-modify-write and `position()` is a plain sum.
 *
 * Beyond `Publication`: `offerBlock` (pre-formatted frames), `appendPadding`, `revoke`/`revokeOnClose`,
 * `termId`/`termOffset`. Nothing is allocated per offer; `offerVectors` copies the vectors into one reused
 * scratch array first (grown on demand, then reused), because the exclusive appender has no gather write.
 *
 * Only one producer may use an exclusive publication at a time: it is not safe to share between workers.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { BufferClaim, ReservedValueSupplier } from '../logbuffer/index.ts';
import { ExclusiveTermAppender } from '../logbuffer/index.ts';
import { CLOSED, Publication, type PublicationParams } from './publication.ts';

/**
 * A publication of its own session with one producer, made by `Aeron.addExclusivePublication` (see the module comment).
 * Not safe to share between workers. Java: `ExclusivePublication`.
 */
export class ExclusivePublication extends Publication {
  readonly #appender: ExclusiveTermAppender;
  #scratch: Uint8Array = new Uint8Array(0);

  constructor(params: PublicationParams) {
    super(params);
    this.#appender = new ExclusiveTermAppender({
      termBuffers: this.termBuffers,
      metadata: this.metadata,
      headerWriter: this.headerWriter,
      initialTermId: this.initialTermId,
      maxPayloadLength: this.maxPayloadLength,
    });
  }

  /** Current term id of the producer. */
  get termId(): number {
    return this.#appender.termId;
  }

  /** Offset of the next frame in the current term. */
  get termOffset(): number {
    return this.#appender.termOffset;
  }

  /**
   * The producer's stream position (of the next message), from the local tail (a plain sum); `CLOSED` once closed.
   * Java: `ExclusivePublication.position`.
   */
  override position(): number {
    return this.closed ? CLOSED : this.#appender.position();
  }

  /**
   * Bytes the producer may still write before back pressure: publication limit − position; `CLOSED` once closed. Java:
   * `ExclusivePublication.availableWindow`.
   */
  override availableWindow(): number {
    if (this.closed) return CLOSED;
    return this.publicationLimit.getVolatile() - this.#appender.position();
  }

  /** Marks the publication to be revoked (REMOVE_PUBLICATION with revoke) when it is closed. */
  setRevokeOnClose(): void {
    this.revokeOnClose = true;
  }

  /**
   * Closes the publication and tells the driver to revoke it: subscribers see the stream end at the
   * current position instead of draining what they have not yet consumed.
   */
  revoke(): void {
    if (!this.closed) {
      this.revokeOnClose = true;
      this.close();
    }
  }

  /**
   * As `Publication.offer`; the tail is local, so an offer needs no atomic read-modify-write. Java:
   * `ExclusivePublication.offer`.
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
    const appender = this.#appender;
    const position = appender.position();
    const limit = this.publicationLimitFor(position);
    if (position >= limit) return this.backPressureStatus(position, length);
    // One frame, no reserved value, arguments plainly in range (a subset of what the checks below accept): the
    // short path V8 inlines whole. Anything else goes through the checks and `append` as before.
    if (
      reservedValueSupplier === null &&
      length >= 0 &&
      length <= this.maxPayloadLength &&
      (length | 0) === length &&
      offset >= 0 &&
      offset + length <= buffer.length
    ) {
      return appender.appendFrame(buffer, offset, length);
    }
    return this.#offerChecked(buffer, offset, length, reservedValueSupplier);
  }

  /** `offer` past the limit check for the arguments the short path does not take: checks, then `append`. */
  #offerChecked(
    buffer: Uint8Array,
    offset: number,
    length: number,
    reservedValueSupplier: ReservedValueSupplier | null,
  ): number {
    Publication.checkOfferRange(buffer, offset, length);
    if (length <= this.maxPayloadLength) this.checkPositiveLength(length);
    else this.checkMaxMessageLength(length);
    return this.#appender.append(buffer, offset, length, reservedValueSupplier);
  }

  /**
   * As `Publication.offerVectors`. Java: `ExclusivePublication.offer(DirectBufferVector[])`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when the total exceeds `maxMessageLength`.
   */
  override offerVectors(
    vectors: readonly Uint8Array[],
    reservedValueSupplier: ReservedValueSupplier | null = null,
  ): number {
    const length = Publication.vectorsLength(vectors);
    if (this.closed) return CLOSED;
    const position = this.#appender.position();
    const limit = this.publicationLimitFor(position);
    if (position >= limit) return this.backPressureStatus(position, length);
    this.checkMaxMessageLength(length);
    let scratch = this.#scratch;
    if (scratch.length < length) {
      scratch = new Uint8Array(Math.max(length, scratch.length * 2));
      this.#scratch = scratch;
    }
    let at = 0;
    for (let i = 0; i < vectors.length; i++) {
      const vector = vectors[i]!;
      scratch.set(vector, at);
      at += vector.length;
    }
    return this.#appender.append(scratch, 0, length, reservedValueSupplier);
  }

  /**
   * As `Publication.tryClaim`. Java: `ExclusivePublication.tryClaim`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when `length` exceeds `maxPayloadLength`.
   * @throws InvalidArgumentError `INVALID_ARGUMENT` for a negative or non-integer `length`.
   */
  override tryClaim(length: number, bufferClaim: BufferClaim): number {
    // The checks inline for a plainly valid length (as offer's short path); anything else throws there.
    if (!(length >= 0 && length <= this.maxPayloadLength && (length | 0) === length)) this.checkPayloadLength(length);
    if (this.closed) return CLOSED;
    const position = this.#appender.position();
    const limit = this.publicationLimitFor(position);
    if (position >= limit) return this.backPressureStatus(position, length);
    return this.#appender.claim(length, bufferClaim);
  }

  /**
   * Appends a padding frame with `length` bytes of (unwritten) payload, e.g. to skip a region of the stream.
   * Returns the new position or a sentinel.
   */
  appendPadding(length: number): number {
    if (length > this.maxFramedLength) {
      throw new InvalidArgumentError(`padding exceeds maxFramedLength of ${this.maxFramedLength}, length=${length}`);
    }
    if (this.closed) return CLOSED;
    const position = this.#appender.position();
    const limit = this.publicationLimitFor(position);
    if (position >= limit) return this.backPressureStatus(position, length);
    this.checkPositiveLength(length);
    return this.#appender.appendPadding(length);
  }

  /**
   * Appends a block of complete, pre-formatted frames (`buffer[offset, offset + length)`). The first frame's
   * header must carry this stream's next term offset, session id, stream id, term id and type DATA, and the
   * block must fit in the rest of the term: otherwise `InvalidBlockError`. Returns the new position or a
   * sentinel.
   */
  offerBlock(buffer: Uint8Array, offset: number, length: number): number {
    if (this.closed) return CLOSED;
    const position = this.#appender.position();
    const limit = this.publicationLimitFor(position);
    if (position >= limit) return this.backPressureStatus(position, length);
    Publication.checkOfferRange(buffer, offset, length);
    return this.#appender.appendBlock(buffer, offset, length);
  }
}
