/**
 * What concurrent and exclusive publications share (Java: `Publication`): identity, the mapped log, the
 * publication-limit position, the sentinel results, connection/channel status and close.
 *
 * ## Offer results
 *
 * Every offer/claim returns a `number`: the new stream position (> 0) on success, or one of the Java
 * sentinels below. Nothing is allocated to report a result.
 *
 * | value | name | meaning |
 * |---|---|---|
 * | −1 | `NOT_CONNECTED` | no subscriber is connected (position limit reached and the log is not connected) |
 * | −2 | `BACK_PRESSURED` | position limit reached while connected: retry later |
 * | −3 | `ADMIN_ACTION` | the term rotated or the offer raced a rotation: retry at once |
 * | −4 | `CLOSED` | the publication (or its client) is closed |
 * | −5 | `MAX_POSITION_EXCEEDED` | the stream reached termLength × 2^31 |
 *
 * ## Closed publications
 *
 * `internalClose()` (the conductor's, on `close()` or client close) sets a flag that every data-path method
 * checks first, so a closed publication answers `CLOSED` and never touches the log, which the conductor
 * may have lingered and unmapped already (a stale view would read zeros).
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { BufferClaim, ReservedValueSupplier } from '../logbuffer/index.ts';
import {
  alignFrameLength,
  computeFragmentedFrameLength,
  computeMaxMessageLength,
  computeMaxPossiblePosition,
  defaultFrameHeader,
  HEADER_LENGTH,
  HeaderWriter,
  initialTermId as metadataInitialTermId,
  isConnected as metadataIsConnected,
  mtuLength,
  positionBitsToShift,
} from '../logbuffer/index.ts';
import { type AtomicBuffer, type CountersReader, counterOffset } from '../transport/index.ts';
import { getInt64Volatile, highWord, int64 } from '../transport/int64-words.ts';
import { getInt32Acquire } from '../transport/memory-ordering.ts';
import type { AbortableOptions } from './abort.ts';
import { AeronClosedError, MessageTooLongError } from './errors.ts';
import type { LogBuffers } from './log-buffers.ts';
import { counterValueWords, UnsafeBufferPosition } from './position.ts';

/** What a publication needs from the client conductor (part of `ClientConductorContract`). */
export interface PublicationConductor {
  /** The CnC counters: publication limits live in its `valuesBuffer`. */
  readonly countersReader: CountersReader;
  /** Publication.close(): REMOVE_PUBLICATION, `publication.internalClose()`, release its log buffers. */
  releasePublication(publication: Publication): void;
  /**
   * Value of a channel status indicator counter (ChannelEndpointStatus: 0 INITIALIZING, −1 ERRORED, 1 ACTIVE, 2
   * CLOSING).
   */
  channelStatus(channelStatusId: number): number;
  /** Bound local socket addresses (`host:port`) of an ACTIVE channel, from its local-socket-address counters. */
  localSocketAddresses(channelStatusId: number): string[];
  /** ADD_DESTINATION for a (multi-destination) publication; resolves on the driver's OK. */
  addDestination(publicationRegistrationId: number, endpointChannel: string, options?: AbortableOptions): Promise<void>;
  /** REMOVE_DESTINATION by channel. */
  removeDestination(
    publicationRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void>;
  /** REMOVE_DESTINATION_BY_ID. */
  removeDestinationById(
    publicationRegistrationId: number,
    destinationRegistrationId: number,
    options?: AbortableOptions,
  ): Promise<void>;
}

/** Constructor parameters of `ConcurrentPublication` and `ExclusivePublication`. */
export interface PublicationParams {
  /** The conductor the publication closes through. */
  readonly conductor: PublicationConductor;
  /** Channel URI as given to the add. */
  readonly channel: string;
  /** Stream id. */
  readonly streamId: number;
  /** Session id the driver assigned. */
  readonly sessionId: number;
  /** Counter id of the publication limit (the position the publication may not reach). */
  readonly positionLimitCounterId: number;
  /** Counter id of the channel status indicator, or −1 (NO_ID_ALLOCATED, e.g. IPC). */
  readonly channelStatusId: number;
  /** The mapped `.logbuffer` (already ref-counted by the conductor). */
  readonly logBuffers: LogBuffers;
  /** The driver's registration id of the publication (ready response +8). */
  readonly originalRegistrationId: number;
  /** The correlation id of this client's ADD_PUBLICATION (ready response +0). */
  readonly registrationId: number;
}

/** The publication is not connected to a subscriber (-1). Java: `Publication.NOT_CONNECTED`. */
export const NOT_CONNECTED = -1;
/** The offer failed due to back pressure from the subscribers (-2). Java: `Publication.BACK_PRESSURED`. */
export const BACK_PRESSURED = -2;
/** The offer failed due to an administration action (term rotation); retry (-3). Java: `Publication.ADMIN_ACTION`. */
export const ADMIN_ACTION = -3;
/** The publication has been closed (-4). Java: `Publication.CLOSED`. */
export const CLOSED = -4;
/** The offer would exceed the maximum position of the stream (-5). Java: `Publication.MAX_POSITION_EXCEEDED`. */
export const MAX_POSITION_EXCEEDED = -5;

/** `ChannelEndpointStatus.NO_ID_ALLOCATED`: what `channelStatus()` returns once closed. */
export const CHANNEL_STATUS_NO_ID_ALLOCATED = -1;

/** Name of a sentinel (`NONE` for a position ≥ 0), as Java's `Publication.errorString`. */
export function publicationErrorString(result: number): string {
  switch (result) {
    case NOT_CONNECTED:
      return 'NOT_CONNECTED';
    case BACK_PRESSURED:
      return 'BACK_PRESSURED';
    case ADMIN_ACTION:
      return 'ADMIN_ACTION';
    case CLOSED:
      return 'CLOSED';
    case MAX_POSITION_EXCEEDED:
      return 'MAX_POSITION_EXCEEDED';
    default:
      return result >= 0 ? 'NONE' : 'UNKNOWN';
  }
}

/**
 * A publication: offers messages to one stream (see the module comment for the results). Made by `Aeron.addPublication`
 * ({@link ConcurrentPublication}) or `Aeron.addExclusivePublication` (`ExclusivePublication`). Close it with `close()`
 * (or `using`). Java: `Publication`.
 */
export abstract class Publication implements Disposable {
  /** Channel URI as given to the add. Java: `Publication.channel`. */
  readonly channel: string;
  /** Stream id. Java: `Publication.streamId`. */
  readonly streamId: number;
  /** Session id of this publication's stream. Java: `Publication.sessionId`. */
  readonly sessionId: number;
  /** Initial term id of the stream (from the log metadata). Java: `Publication.initialTermId`. */
  readonly initialTermId: number;
  /** Term length in bytes. Java: `Publication.termBufferLength`. */
  readonly termBufferLength: number;
  /** log2 of the term length. Java: `Publication.positionBitsToShift`. */
  readonly positionBitsToShift: number;
  /** termLength × 2^31. */
  readonly maxPossiblePosition: number;
  /** Longest message an offer accepts: min(termLength / 8, 16 MiB). */
  readonly maxMessageLength: number;
  /** Longest payload of a single frame: MTU − 32. Longer messages are fragmented. */
  readonly maxPayloadLength: number;
  /** The correlation id of this client's ADD_PUBLICATION. */
  readonly registrationId: number;
  /** The driver's registration id of the publication (shared by every client adding the same one). */
  readonly originalRegistrationId: number;
  /** Counter id of the channel status indicator (−1 when none, e.g. IPC). */
  readonly channelStatusId: number;
  /** Sent with REMOVE_PUBLICATION on close (see `ExclusivePublication.revoke`). */
  revokeOnClose = false;

  protected readonly conductor: PublicationConductor;
  protected readonly termBuffers: readonly AtomicBuffer[];
  protected readonly metadata: AtomicBuffer;
  protected readonly headerWriter: HeaderWriter;
  /** The publication limit counter (the driver's). Java: `Publication.positionLimit`. */
  protected readonly publicationLimit: UnsafeBufferPosition;
  /** The counters values words and the index of the publication limit's low word in them, read once per offer. */
  readonly #limitWords: Int32Array;
  readonly #limitLowWord: number;
  /** The limit's high word at its last full (three-load) read, for `publicationLimitFor`. */
  #limitHighWordSeen = 0;
  /** computeFragmentedFrameLength(maxMessageLength, maxPayloadLength). */
  protected readonly maxFramedLength: number;
  protected closed = false;
  readonly #logBuffers: LogBuffers;

  protected constructor(params: PublicationParams) {
    const logBuffers = params.logBuffers;
    const metadata = logBuffers.metaDataBuffer;
    this.conductor = params.conductor;
    this.channel = params.channel;
    this.streamId = params.streamId;
    this.sessionId = params.sessionId;
    this.registrationId = params.registrationId;
    this.originalRegistrationId = params.originalRegistrationId;
    this.channelStatusId = params.channelStatusId;
    this.#logBuffers = logBuffers;
    this.termBuffers = logBuffers.termBuffers;
    this.metadata = metadata;
    this.termBufferLength = logBuffers.termLength;
    this.positionBitsToShift = positionBitsToShift(this.termBufferLength);
    this.maxPossiblePosition = computeMaxPossiblePosition(this.termBufferLength);
    this.maxMessageLength = computeMaxMessageLength(this.termBufferLength);
    this.maxPayloadLength = mtuLength(metadata) - HEADER_LENGTH;
    this.maxFramedLength = computeFragmentedFrameLength(this.maxMessageLength, this.maxPayloadLength);
    this.initialTermId = metadataInitialTermId(metadata);
    this.headerWriter = new HeaderWriter(defaultFrameHeader(metadata));
    const valuesBuffer = params.conductor.countersReader.valuesBuffer;
    this.publicationLimit = new UnsafeBufferPosition(valuesBuffer, params.positionLimitCounterId);
    this.#limitWords = counterValueWords(valuesBuffer);
    this.#limitLowWord = counterOffset(params.positionLimitCounterId) >> 2;
  }

  /**
   * The publication limit for a producer at `position` (acquire), with one load (of the low word) instead of three in
   * the common case: the high word is the one seen at the last full read. That load is `getInt32Acquire`
   * (`memory-ordering.ts`): a plain load on x86-64, `Atomics.load` elsewhere or when forced. The value is used only
   * when it lies in (position, position + termLength]; otherwise (back pressure, a 4 GiB boundary, a first read) the
   * full high, low, high read on `Atomics.load`s decides. (Read through the publication's own fields: through
   * `publicationLimit` it measured slower per offer.)
   *
   * Why an accepted value is exact: with a stale high word it is off from the true limit L by a non-zero multiple k
   * of 2^32. k < 0 would need L > position + 2^32, but the driver never sets the limit more than the term window
   * (≤ termLength / 2 ≤ 512 MiB) beyond a consumer position, which is at most `position`. k > 0 would need
   * L < position − 2^31, i.e. the limit more than 2 GiB below the producer after having been higher; the driver only
   * lowers it to a consumer, sender or producer position, none of which trails the producer by more than the term
   * window (and the initial 0 is never "after"). So every accepted value has k = 0.
   *
   * Why the plain load may be stale and still safe (the rule of `memory-ordering.ts`): the low-word value only
   * accepts. Every rejection, above all back pressure, goes through the `Atomics` read before the offer returns, so
   * an offer retried in a loop passes a builtin call each round and sees the driver move the limit. An accepted
   * value the compiler kept from an earlier load is a limit the driver published earlier: the producer writes no
   * further than that limit allowed when it was read, as a Java producer descheduled after its read would.
   */
  protected publicationLimitFor(position: number): number {
    const limit = int64(this.#limitHighWordSeen, getInt32Acquire(this.#limitWords, this.#limitLowWord));
    return limit > position && limit - position <= this.termBufferLength ? limit : this.#publicationLimitVolatile();
  }

  /** The full (high, low, high) read of the publication limit; remembers its high word for `publicationLimitFor`. */
  #publicationLimitVolatile(): number {
    const value = getInt64Volatile(this.#limitWords, this.#limitLowWord);
    this.#limitHighWordSeen = highWord(value);
    return value;
  }

  /** True when `registrationId` is the driver's original registration (this client created it first). */
  get isOriginal(): boolean {
    return this.originalRegistrationId === this.registrationId;
  }

  /**
   * Whether the publication is closed (by `close()`, `Aeron.removePublication` or the client closing). Java:
   * `Publication.isClosed`.
   */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The mapped log (for the conductor, which lingers and closes it). */
  get logBuffers(): LogBuffers {
    return this.#logBuffers;
  }

  /** Whether at least one subscriber is connected (the driver's flag in the log metadata). */
  isConnected(): boolean {
    return !this.closed && metadataIsConnected(this.metadata);
  }

  /** The current stream position of the publisher, or CLOSED. */
  abstract position(): number;

  /** Position the publication may not reach without back pressure (the driver's limit), or CLOSED. */
  positionLimit(): number {
    return this.closed ? CLOSED : this.publicationLimit.getVolatile();
  }

  /** Counter id of the publication limit. Java: `Publication.positionLimitId`. */
  get positionLimitId(): number {
    return this.publicationLimit.id;
  }

  /** positionLimit − position, or CLOSED. */
  abstract availableWindow(): number;

  /**
   * Offers `length` bytes of `buffer` from `offset` (defaults: the whole array). Returns the new position
   * or a sentinel. Longer than `maxPayloadLength` → fragmented; longer than `maxMessageLength` → MessageTooLongError.
   * `reservedValueSupplier` is called per frame before it is published (fills the 64-bit reserved value).
   * Java: `Publication.offer`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when `length` exceeds `maxMessageLength` (nothing written).
   * @throws InvalidArgumentError `INVALID_ARGUMENT` when the range is not inside `buffer` or `length` is negative.
   */
  abstract offer(
    buffer: Uint8Array,
    offset?: number,
    length?: number,
    reservedValueSupplier?: ReservedValueSupplier | null,
  ): number;

  /**
   * Offers the concatenation of `vectors` (whole arrays; use `subarray` views for parts) as one message. Returns the
   * new position or a sentinel. Java: `Publication.offer(DirectBufferVector[])`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when the total exceeds `maxMessageLength`.
   */
  abstract offerVectors(vectors: readonly Uint8Array[], reservedValueSupplier?: ReservedValueSupplier | null): number;

  /**
   * Claims a frame of `length` (≤ maxPayloadLength) payload bytes to write in place through `bufferClaim`,
   * then `commit()` or `abort()` it promptly (an uncommitted claim blocks the stream). Returns the new
   * position or a sentinel; on a sentinel the claim is not wrapped. Java: `Publication.tryClaim`.
   *
   * @throws MessageTooLongError `MESSAGE_TOO_LONG` when `length` exceeds `maxPayloadLength`.
   * @throws InvalidArgumentError `INVALID_ARGUMENT` for a negative or non-integer `length`.
   */
  abstract tryClaim(length: number, bufferClaim: BufferClaim): number;

  /** Channel status indicator value (1 ACTIVE, 0 INITIALIZING, −1 ERRORED, 2 CLOSING), or −1 once closed. */
  channelStatus(): number {
    return this.closed ? CHANNEL_STATUS_NO_ID_ALLOCATED : this.conductor.channelStatus(this.channelStatusId);
  }

  /** Bound local socket addresses (`host:port`) of an ACTIVE channel; empty otherwise. */
  localSocketAddresses(): string[] {
    if (this.closed) return [];
    return this.conductor.localSocketAddresses(this.channelStatusId);
  }

  /**
   * Adds a destination to a manual multi-destination-cast publication (ADD_DESTINATION); resolves on the
   * driver's OK.
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); a destination added after the abort is
   *   removed again (REMOVE_DESTINATION_BY_ID).
   */
  addDestination(endpointChannel: string, options?: AbortableOptions): Promise<void> {
    if (this.closed) return Promise.reject(new AeronClosedError('Publication is closed'));
    return this.conductor.addDestination(this.originalRegistrationId, endpointChannel, options);
  }

  /**
   * Removes a destination by its channel (REMOVE_DESTINATION).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still carries out the removal.
   */
  removeDestination(endpointChannel: string, options?: AbortableOptions): Promise<void> {
    if (this.closed) return Promise.reject(new AeronClosedError('Publication is closed'));
    return this.conductor.removeDestination(this.originalRegistrationId, endpointChannel, options);
  }

  /**
   * Removes a destination by the registration id of its ADD_DESTINATION (REMOVE_DESTINATION_BY_ID).
   *
   * @param options as `removeDestination`.
   */
  removeDestinationById(destinationRegistrationId: number, options?: AbortableOptions): Promise<void> {
    if (this.closed) return Promise.reject(new AeronClosedError('Publication is closed'));
    return this.conductor.removeDestinationById(this.originalRegistrationId, destinationRegistrationId, options);
  }

  /** Releases the publication (REMOVE_PUBLICATION through the conductor). Idempotent. */
  close(): void {
    if (!this.closed) this.conductor.releasePublication(this);
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Conductor only: marks the publication closed; every data-path call answers CLOSED from now on. */
  internalClose(): void {
    this.closed = true;
  }

  /** Java's `backPressureStatus`: why an offer at `currentPosition` (≥ the limit) failed. */
  protected backPressureStatus(currentPosition: number, messageLength: number): number {
    if (currentPosition + alignFrameLength(messageLength + HEADER_LENGTH) >= this.maxPossiblePosition) {
      return MAX_POSITION_EXCEEDED;
    }
    return metadataIsConnected(this.metadata) ? BACK_PRESSURED : NOT_CONNECTED;
  }

  protected checkPositiveLength(length: number): void {
    if (!(length >= 0) || !Number.isInteger(length)) throw new InvalidArgumentError(`invalid length: ${length}`);
  }

  protected checkPayloadLength(length: number): void {
    this.checkPositiveLength(length);
    if (length > this.maxPayloadLength) {
      throw new MessageTooLongError('claim', length, this.maxPayloadLength);
    }
  }

  protected checkMaxMessageLength(length: number): void {
    if (length > this.maxMessageLength) {
      throw new MessageTooLongError('message', length, this.maxMessageLength);
    }
  }

  /** Sum of the vector lengths (no allocation). */
  protected static vectorsLength(vectors: readonly Uint8Array[]): number {
    let length = 0;
    for (let i = 0; i < vectors.length; i++) length += vectors[i]!.length;
    return length;
  }

  /** Bounds check of `offer` arguments. */
  protected static checkOfferRange(buffer: Uint8Array, offset: number, length: number): void {
    if (offset < 0 || offset + length > buffer.length) {
      throw new InvalidArgumentError(
        `offer range [${offset}, ${offset + length}) outside buffer of ${buffer.length} bytes`,
      );
    }
  }
}
