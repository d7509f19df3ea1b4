/**
 * One publisher's stream as seen by one subscription (Java: `Image`): the mapped log of that session plus
 * this subscriber's position counter. Polls read frames from the term holding the subscriber position, up to
 * the end of that term, hand non-padding fragments to the handler with one reused `Header`, and then
 * publish the new subscriber position once (ordered 64-bit store).
 *
 * ```
 *  subscriber position p ──► partition indexByPosition(p), term offset p & (termLength − 1)
 *  term: |..consumed..|frame|frame|pad|frame|  0 (not yet written) ...
 *                     ^ offset        ^ frames with length ≤ 0 stop the poll
 * ```
 *
 * Handler exceptions go to the image's error handler; the position still moves past the fragment that threw
 * (as Java's `TermReader.read`) and the poll stops there. A poll on a closed image returns 0; the loops
 * re-check the closed flag after every fragment, so a handler that closes the subscription stops its own poll.
 * A poll (any form, or `controlledPeek` / `setPosition`) from inside a handler of a poll of the same
 * subscription throws `ReentrantPollError` before it reads anything (`poll-guard.ts`): the outer poll has not
 * published its position yet, so the nested one would deliver the same fragments again. After close, `position`,
 * `isEndOfStream`,
 * `endOfStreamPosition` and `isPublicationRevoked` answer from a snapshot taken at close (the log may be
 * unmapped by then).
 *
 * Nothing is allocated per fragment or per poll (the position store allocates only when the position's
 * high 32 bits change, once per 4 GiB).
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { ControlledFragmentHandler, ErrorHandler, FragmentHandler } from '../logbuffer/index.ts';
import {
  alignFrameLength,
  ControlledAction,
  END_FRAG_FLAG,
  FRAME_ALIGNMENT,
  frameLengthVolatile,
  HEADER_LENGTH,
  Header,
  hasReachedEndOfStream,
  indexByPosition,
  int32ViewOf,
  isPaddingFrameInWords,
  activeTransportCount as metadataActiveTransportCount,
  endOfStreamPosition as metadataEndOfStreamPosition,
  initialTermId as metadataInitialTermId,
  isPublicationRevoked as metadataIsPublicationRevoked,
  mtuLength,
  positionBitsToShift,
  scanTermBlock,
  TERM_ID_FIELD_OFFSET,
} from '../logbuffer/index.ts';
import { type AtomicBuffer, type CountersReader, LONG_MAX_VALUE } from '../transport/index.ts';
import type { AbortableOptions } from './abort.ts';
import type { LogBuffers } from './log-buffers.ts';
import { type PollGuard, pollGuardOf, reentrantPollError } from './poll-guard.ts';
import { UnsafeBufferPosition } from './position.ts';

/** Called (by the conductor) after an image joined a subscription. */
export type AvailableImageHandler = (image: Image) => void;
/** Called (by the conductor) after an image left a subscription (it is closed by then). */
export type UnavailableImageHandler = (image: Image) => void;

/**
 * The subscription an image belongs to: a `Subscription`, named here by its identity, its close and what an image
 * needs of it, so that this module does not import the subscription's (which imports this one).
 */
export interface ImageSubscription {
  /** The correlation id of ADD_SUBSCRIPTION. */
  readonly registrationId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Channel URI as given to the add. */
  readonly channel: string;
  /** Whether the subscription is closed. */
  readonly isClosed: boolean;
  /** Closes the subscription (and with it every image). */
  close(): void;
  /** The client conductor. */
  readonly conductor: {
    /** The CnC counters: subscriber positions live in its `valuesBuffer`. */
    readonly countersReader: CountersReader;
  };
  /** Image.reject: REJECT_IMAGE through the conductor (spies can not reject). */
  rejectImage(imageCorrelationId: number, position: number, reason: string, options?: AbortableOptions): Promise<void>;
}

/** Constructor parameters of `Image`. */
export interface ImageParams {
  /** The subscription the image belongs to. */
  readonly subscription: ImageSubscription;
  /** Session id of the image's publication. */
  readonly sessionId: number;
  /** Counter id of this image's subscriber position (the driver has set it to the join position). */
  readonly subscriberPositionCounterId: number;
  /** The mapped log of the image (already ref-counted by the conductor). */
  readonly logBuffers: LogBuffers;
  /** Receives exceptions thrown by fragment/block handlers during polls (the context's subscriber error handler). */
  readonly errorHandler: ErrorHandler;
  /** Where the stream comes from (`host:port`, or `aeron:ipc`). */
  readonly sourceIdentity: string;
  /** The image's correlation id (ON_AVAILABLE_IMAGE +0). */
  readonly correlationId: number;
}

/** Receives a block of whole frames (headers included) from `blockPoll`. */
export type BlockHandler = (
  buffer: AtomicBuffer,
  offset: number,
  length: number,
  sessionId: number,
  termId: number,
) => void;

/**
 * Receives a block of whole frames from `rawPoll`, with where it lies in the log file (for zero-copy
 * transfer from the file: `fileOffset` is the byte offset of `termOffset` within `logFileName`).
 */
export type RawBlockHandler = (
  logFileName: string,
  fileOffset: number,
  termBuffer: AtomicBuffer,
  termOffset: number,
  length: number,
  sessionId: number,
  termId: number,
) => void;

const ABORT = ControlledAction.ABORT;
const BREAK = ControlledAction.BREAK;
const COMMIT = ControlledAction.COMMIT;

/**
 * One publisher's stream as seen by one subscription (see the module comment): poll it, or poll the subscription, which
 * polls every image. Made by the client when the driver announces the image; handed to the subscription's
 * available-image handler. Java: `Image`.
 */
export class Image {
  /** The subscription the image belongs to (a `Subscription`, see {@link ImageSubscription}). Java: `Image.subscription`. */
  readonly subscription: ImageSubscription;
  /** Session id of the publication the image is of. Java: `Image.sessionId`. */
  readonly sessionId: number;
  /** Correlation id of the image, given by the driver (unique per image). Java: `Image.correlationId`. */
  readonly correlationId: number;
  /** Where the subscriber joined the stream. */
  readonly joinPosition: number;
  /** Initial term id of the stream. Java: `Image.initialTermId`. */
  readonly initialTermId: number;
  /** Term length in bytes. Java: `Image.termBufferLength`. */
  readonly termBufferLength: number;
  /** log2 of the term length. Java: `Image.positionBitsToShift`. */
  readonly positionBitsToShift: number;
  /** MTU of the stream (max frame length). */
  readonly mtuLength: number;
  /** Source identity (address of the publisher, or `aeron:ipc`). */
  readonly sourceIdentity: string;

  readonly #termLengthMask: number;
  readonly #termBuffers: readonly AtomicBuffer[];
  readonly #metadata: AtomicBuffer;
  readonly #logBuffers: LogBuffers;
  readonly #subscriberPosition: UnsafeBufferPosition;
  readonly #header: Header;
  readonly #errorHandler: ErrorHandler;
  /** The subscription's guard against polls from inside a poll's handler (see `poll-guard.ts`). */
  readonly #pollGuard: PollGuard;
  /** Int32 words of each term, by partition index (`term-words.ts`). */
  readonly #termWords: readonly Int32Array[];
  #closed = false;
  #finalPosition = 0;
  #eosPosition = LONG_MAX_VALUE;
  #isEos = false;
  #isRevoked = false;

  constructor(params: ImageParams) {
    const logBuffers = params.logBuffers;
    this.subscription = params.subscription;
    this.sessionId = params.sessionId;
    this.correlationId = params.correlationId;
    this.sourceIdentity = params.sourceIdentity;
    this.#errorHandler = params.errorHandler;
    this.#pollGuard = pollGuardOf(params.subscription);
    this.#logBuffers = logBuffers;
    this.#termBuffers = logBuffers.termBuffers;
    this.#metadata = logBuffers.metaDataBuffer;
    this.termBufferLength = logBuffers.termLength;
    this.#termLengthMask = logBuffers.termLength - 1;
    this.positionBitsToShift = positionBitsToShift(logBuffers.termLength);
    this.initialTermId = metadataInitialTermId(this.#metadata);
    this.mtuLength = mtuLength(this.#metadata);
    this.#subscriberPosition = new UnsafeBufferPosition(
      params.subscription.conductor.countersReader.valuesBuffer,
      params.subscriberPositionCounterId,
    );
    this.joinPosition = this.#subscriberPosition.get();
    this.#header = new Header(this.initialTermId, this.positionBitsToShift, this);
    this.#termWords = this.#termBuffers.map(int32ViewOf);
  }

  /** Counter id of the subscriber position. */
  get subscriberPositionId(): number {
    return this.#subscriberPosition.id;
  }

  /**
   * Whether the image is closed: it went away, or its subscription or client closed. A closed image's polls return 0.
   * Java: `Image.isClosed`.
   */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** The mapped log (for the conductor, which lingers and closes it). */
  get logBuffers(): LogBuffers {
    return this.#logBuffers;
  }

  /** The subscriber position (the final one once closed). */
  get position(): number {
    return this.#closed ? this.#finalPosition : this.#subscriberPosition.get();
  }

  /**
   * Moves the subscriber position within the current term, or to the end of it (frame aligned); use with
   * `controlledPeek` or to skip data. Ignored once closed.
   */
  setPosition(newPosition: number): void {
    if (this.#closed) return;
    if (this.#pollGuard.active) throw this.#reentrant('Image.setPosition');
    this.#validatePosition(newPosition);
    this.#subscriberPosition.setRelease(newPosition);
  }

  /** True when the publisher ended the stream and this subscriber consumed it all. */
  get isEndOfStream(): boolean {
    if (this.#closed) return this.#isEos;
    return hasReachedEndOfStream(this.#metadata, this.#subscriberPosition.get());
  }

  /** End-of-stream position (≈ 2^63, i.e. `LONG_MAX_VALUE`, while the stream is live). */
  get endOfStreamPosition(): number {
    return this.#closed ? this.#eosPosition : metadataEndOfStreamPosition(this.#metadata);
  }

  /** Number of transports (e.g. MDS destinations) the image is active on; 0 once closed. */
  get activeTransportCount(): number {
    return this.#closed ? 0 : metadataActiveTransportCount(this.#metadata);
  }

  /** Whether the publisher revoked the stream. */
  get isPublicationRevoked(): boolean {
    return this.#closed ? this.#isRevoked : metadataIsPublicationRevoked(this.#metadata);
  }

  /** Path of the mapped log file. */
  get logFileName(): string {
    return this.#logBuffers.path;
  }

  /**
   * Polls up to `fragmentLimit` fragments; returns the number delivered.
   *
   * @throws ReentrantPollError when called from inside a handler of a poll of this image or of its
   *   subscription (nothing is read then, and the outer poll goes on). So do all the other poll forms,
   *   `controlledPeek` and `setPosition`.
   */
  poll(handler: FragmentHandler, fragmentLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.poll');
    const position = this.#subscriberPosition.get();
    return this.#pollTerm(handler, position, this.termBufferLength, fragmentLimit);
  }

  /** Like `poll` but never consumes at or beyond `limitPosition`. */
  boundedPoll(handler: FragmentHandler, limitPosition: number, fragmentLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.boundedPoll');
    const position = this.#subscriberPosition.get();
    if (position >= limitPosition) return 0;
    const offset = position & this.#termLengthMask;
    const limitOffset = Math.min(this.termBufferLength, limitPosition - position + offset);
    return this.#pollTerm(handler, position, limitOffset, fragmentLimit);
  }

  /**
   * Reads frames from the term holding `initialPosition` (as Java's `TermReader.read`): per frame an acquire load of
   * the length (≤ 0 stops), the type word, the handler for non-padding frames; the subscriber position is published
   * once at the end.
   *
   * Kept apart from `#controlledPollTerm`, as in Java's `Image`: `poll` routed through the controlled loop (a
   * handler returning CONTINUE) measured 5-29 % slower per fragment (interleaved A/B, 5 reps of 600 cycles of 2048
   * 32-byte messages over an `IpcFixture`, median 796 against 980 ns on a loaded 2-core machine, issue 14). The
   * word loop is the only one: the accessor loop went (bench/README.md, "Measurements behind choices").
   */
  #pollTerm(handler: FragmentHandler, initialPosition: number, limitOffset: number, fragmentLimit: number): number {
    const initialOffset = initialPosition & this.#termLengthMask;
    const index = this.#activeIndex(initialPosition);
    const termBuffer = this.#termBuffers[index]!;
    const words = this.#termWords[index]!;
    const header = this.#header;
    header.buffer = termBuffer;
    let fragmentsRead = 0;
    let offset = initialOffset;
    const guard = this.#pollGuard;
    guard.active = true;
    try {
      while (fragmentsRead < fragmentLimit && offset < limitOffset && !this.#closed) {
        const frameLength = frameLengthVolatile(words, offset);
        if (frameLength <= 0) break;
        const frameOffset = offset;
        offset += alignFrameLength(frameLength);
        if (!isPaddingFrameInWords(words, frameOffset)) {
          ++fragmentsRead;
          header.offset = frameOffset;
          handler(termBuffer, frameOffset + HEADER_LENGTH, frameLength - HEADER_LENGTH, header);
        }
      }
    } catch (error) {
      this.#errorHandler(error);
    } finally {
      guard.active = false;
      const newPosition = initialPosition + (offset - initialOffset);
      if (newPosition > initialPosition && !this.#closed) this.#subscriberPosition.setRelease(newPosition);
    }
    return fragmentsRead;
  }

  /**
   * Polls with a handler that steers consumption (`ControlledAction`): ABORT leaves the fragment for the next
   * poll and stops, BREAK consumes it and stops, COMMIT consumes it and publishes the position at once,
   * CONTINUE consumes it and goes on. Returns the number of fragments consumed.
   */
  controlledPoll(handler: ControlledFragmentHandler, fragmentLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.controlledPoll');
    const position = this.#subscriberPosition.get();
    return this.#controlledPollTerm(handler, position, this.termBufferLength, fragmentLimit);
  }

  /** Like `controlledPoll` but never consumes at or beyond `limitPosition`. */
  boundedControlledPoll(handler: ControlledFragmentHandler, limitPosition: number, fragmentLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.boundedControlledPoll');
    const position = this.#subscriberPosition.get();
    if (position >= limitPosition) return 0;
    const offset = position & this.#termLengthMask;
    const limitOffset = Math.min(this.termBufferLength, limitPosition - position + offset);
    return this.#controlledPollTerm(handler, position, limitOffset, fragmentLimit);
  }

  /**
   * `#pollTerm` with the handler's `ControlledAction` (as Java's `Image.controlledPoll`): COMMIT publishes
   * the position at once, ABORT rewinds over the fragment; otherwise the position is published once at the end.
   */
  #controlledPollTerm(
    handler: ControlledFragmentHandler,
    startPosition: number,
    limitOffset: number,
    fragmentLimit: number,
  ): number {
    let initialPosition = startPosition;
    let initialOffset = initialPosition & this.#termLengthMask;
    const index = this.#activeIndex(initialPosition);
    const termBuffer = this.#termBuffers[index]!;
    const words = this.#termWords[index]!;
    const header = this.#header;
    header.buffer = termBuffer;
    let fragmentsRead = 0;
    let offset = initialOffset;
    const guard = this.#pollGuard;
    guard.active = true;
    try {
      while (fragmentsRead < fragmentLimit && offset < limitOffset && !this.#closed) {
        const length = frameLengthVolatile(words, offset);
        if (length <= 0) break;
        const frameOffset = offset;
        const alignedLength = alignFrameLength(length);
        offset += alignedLength;
        if (isPaddingFrameInWords(words, frameOffset)) continue;
        ++fragmentsRead;
        header.offset = frameOffset;
        const action = handler(termBuffer, frameOffset + HEADER_LENGTH, length - HEADER_LENGTH, header);
        if (action === ABORT) {
          --fragmentsRead;
          offset -= alignedLength;
          break;
        }
        if (action === BREAK) break;
        if (action === COMMIT) {
          initialPosition += offset - initialOffset;
          initialOffset = offset;
          if (!this.#closed) this.#subscriberPosition.setRelease(initialPosition);
        }
      }
    } catch (error) {
      this.#errorHandler(error);
    } finally {
      guard.active = false;
      const resultingPosition = initialPosition + (offset - initialOffset);
      if (resultingPosition > initialPosition && !this.#closed) this.#subscriberPosition.setRelease(resultingPosition);
    }
    return fragmentsRead;
  }

  /**
   * Reads fragments from `initialPosition` (frame aligned, within the current term) up to `limitPosition`
   * without moving the subscriber position. Returns the position after the last complete message delivered
   * and not aborted (the caller may then `setPosition` to it).
   */
  controlledPeek(initialPosition: number, handler: ControlledFragmentHandler, limitPosition: number): number {
    if (this.#closed) return initialPosition;
    if (this.#pollGuard.active) throw this.#reentrant('Image.controlledPeek');
    this.#validatePosition(initialPosition);
    if (initialPosition >= limitPosition) return initialPosition;
    let initialOffset = initialPosition & this.#termLengthMask;
    let offset = initialOffset;
    let position = initialPosition;
    const index = this.#activeIndex(initialPosition);
    const termBuffer = this.#termBuffers[index]!;
    const words = this.#termWords[index]!;
    const header = this.#header;
    const limitOffset = Math.min(this.termBufferLength, limitPosition - initialPosition + offset);
    header.buffer = termBuffer;
    let resultingPosition = initialPosition;
    const guard = this.#pollGuard;
    guard.active = true;
    try {
      while (offset < limitOffset && !this.#closed) {
        const length = frameLengthVolatile(words, offset);
        if (length <= 0) break;
        const frameOffset = offset;
        offset += alignFrameLength(length);
        if (isPaddingFrameInWords(words, frameOffset)) {
          position += offset - initialOffset;
          initialOffset = offset;
          resultingPosition = position;
          continue;
        }
        header.offset = frameOffset;
        const action = handler(termBuffer, frameOffset + HEADER_LENGTH, length - HEADER_LENGTH, header);
        if (action === ABORT) break;
        position += offset - initialOffset;
        initialOffset = offset;
        if ((header.flags() & END_FRAG_FLAG) === END_FRAG_FLAG) resultingPosition = position;
        if (action === BREAK) break;
      }
    } catch (error) {
      this.#errorHandler(error);
    } finally {
      guard.active = false;
    }
    return resultingPosition;
  }

  /**
   * Hands the next block of whole frames (≤ `blockLengthLimit` bytes, within the current term; a padding
   * frame at the start is consumed on its own) to `handler` and consumes it. Returns the bytes consumed.
   */
  blockPoll(handler: BlockHandler, blockLengthLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.blockPoll');
    const position = this.#subscriberPosition.get();
    const offset = position & this.#termLengthMask;
    const limitOffset = Math.min(offset + blockLengthLimit, this.termBufferLength);
    const index = this.#activeIndex(position);
    const termBuffer = this.#termBuffers[index]!;
    const resultingOffset = scanTermBlock(termBuffer, offset, limitOffset);
    const length = resultingOffset - offset;
    if (resultingOffset > offset) {
      const guard = this.#pollGuard;
      guard.active = true;
      try {
        const termId = termBuffer.getInt32(offset + TERM_ID_FIELD_OFFSET);
        handler(termBuffer, offset, length, this.sessionId, termId);
      } catch (error) {
        this.#errorHandler(error);
      } finally {
        guard.active = false;
        if (!this.#closed) this.#subscriberPosition.setRelease(position + length);
      }
    }
    return length;
  }

  /** Like `blockPoll`, also telling the handler where the block lies in the log file. */
  rawPoll(handler: RawBlockHandler, blockLengthLimit: number): number {
    if (this.#closed) return 0;
    if (this.#pollGuard.active) throw this.#reentrant('Image.rawPoll');
    const position = this.#subscriberPosition.get();
    const offset = position & this.#termLengthMask;
    const activeIndex = this.#activeIndex(position);
    const termBuffer = this.#termBuffers[activeIndex]!;
    const capacity = termBuffer.capacity;
    const limitOffset = Math.min(offset + blockLengthLimit, capacity);
    const resultingOffset = scanTermBlock(termBuffer, offset, limitOffset);
    const length = resultingOffset - offset;
    if (resultingOffset > offset) {
      const guard = this.#pollGuard;
      guard.active = true;
      try {
        const fileOffset = capacity * activeIndex + offset;
        const termId = termBuffer.getInt32(offset + TERM_ID_FIELD_OFFSET);
        handler(this.#logBuffers.path, fileOffset, termBuffer, offset, length, this.sessionId, termId);
      } catch (error) {
        this.#errorHandler(error);
      } finally {
        guard.active = false;
        if (!this.#closed) this.#subscriberPosition.setRelease(position + length);
      }
    }
    return length;
  }

  /**
   * Asks the driver to reject this image (REJECT_IMAGE) at the current position.
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still carries out the rejection.
   */
  reject(reason: string, options?: AbortableOptions): Promise<void> {
    return this.subscription.rejectImage(this.correlationId, this.position, reason, options);
  }

  /** Conductor/subscription only: snapshots the final state and stops all polling. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#finalPosition = this.#subscriberPosition.getVolatile();
    this.#eosPosition = metadataEndOfStreamPosition(this.#metadata);
    this.#isEos = this.#finalPosition >= this.#eosPosition;
    this.#isRevoked = metadataIsPublicationRevoked(this.#metadata);
    this.#closed = true;
  }

  #reentrant(what: string): Error {
    return reentrantPollError(what, this.subscription.registrationId, this.subscription.streamId);
  }

  /** Partition of the term holding `position`. */
  #activeIndex(position: number): number {
    return indexByPosition(position, this.positionBitsToShift);
  }

  #validatePosition(position: number): void {
    const currentPosition = this.#subscriberPosition.get();
    const limitPosition = currentPosition - (currentPosition & this.#termLengthMask) + this.#termLengthMask + 1;
    if (position < currentPosition || position > limitPosition) {
      throw new InvalidArgumentError(`${position} position out of range: ${currentPosition}-${limitPosition}`);
    }
    if (position % FRAME_ALIGNMENT !== 0) {
      throw new InvalidArgumentError(`${position} position not aligned to FRAME_ALIGNMENT`);
    }
  }
}
