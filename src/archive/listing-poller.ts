/**
 * The poller behind Java's `RecordingDescriptorPoller` and `RecordingSubscriptionDescriptorPoller`:
 * collects the descriptors answering one listing request. The listing is complete when the remaining count
 * reaches 0 or the archive sends the listing's end code (RECORDING_UNKNOWN / SUBSCRIPTION_UNKNOWN) for the
 * request's correlation id. An ERROR for the request completes the dispatch with `error()` set (Java throws);
 * ERRORs for other requests go to the error handler. Signals of this session are passed to the signal consumer
 * on the way.
 *
 * A descriptor with a 64-bit value a number cannot hold exactly completes the dispatch with that
 * `ArchiveValueRangeError` as `error()` (the message is consumed; nothing is rounded); such a signal goes to the
 * error handler instead of the signal consumer. `cancel()` ends the dispatch from inside a consumer: the rest of
 * the poll delivers nothing more. `poll()` from inside a consumer throws `ArchiveReentrantCallError`.
 */
import {
  ControlResponseCode,
  ControlResponseDecoder,
  MessageHeaderDecoder,
  RecordingSignalEventDecoder,
} from '../../codecs/generated/archive/index.ts';
import { ArchiveError, ArchiveReentrantCallError, ArchiveValueRangeError } from './archive-error.ts';
import { ControlledAction, type ControlSubscription } from './control-transport.ts';
import { type RecordingSignalConsumer, recordingSignalEventOf } from './recording-signal.ts';

const SCHEMA_ID = ControlResponseDecoder.SCHEMA_ID;
const HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

/** What a listing needs of a generated descriptor decoder. */
export interface ListedDecoder {
  /** Wraps a message body. */
  wrap(buffer: Uint8Array, offset: number, actingBlockLength: number, actingVersion: number): this;
  /** The control session the item belongs to. */
  controlSessionId(): number;
  /** The listing request's correlation id. */
  correlationId(): number;
}

/** One kind of listing: the descriptor message, the response code that ends it, and the typed item. */
export interface ListingKind<D extends ListedDecoder, T> {
  /** The (reused) decoder of the item message. */
  readonly decoder: D;
  /** The item message's template id. */
  readonly templateId: number;
  /** The ControlResponseCode that ends the listing (RECORDING_UNKNOWN / SUBSCRIPTION_UNKNOWN). */
  readonly endCode: number;
  /** Reads the item out of the wrapped decoder; may throw `ArchiveValueRangeError`. */
  readonly toItem: (decoder: D) => T;
}

/** The shared listing poller (see the module comment); subclassed per listing kind. */
export class ListingPoller<D extends ListedDecoder, T> {
  readonly #headerDecoder = new MessageHeaderDecoder();
  readonly #controlResponseDecoder = new ControlResponseDecoder();
  readonly #signalDecoder = new RecordingSignalEventDecoder();
  readonly #handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.#onMessage(buffer, offset, length);

  #correlationId = -1;
  #remaining = 0;
  #isDispatchComplete = false;
  #error: ArchiveError | null = null;
  #consumer: (item: T) => void = () => {};
  #polling = false;

  readonly #errorHandler: ((error: unknown) => void) | null;
  readonly #signalConsumer: RecordingSignalConsumer | null;
  readonly #kind: ListingKind<D, T>;
  readonly #fragmentLimit: number;

  /**
   * @param subscription the control response subscription the listing arrives on.
   * @param controlSessionId the session whose items and signals this poller takes (others are skipped).
   * @param errorHandler receives ERRORs for other requests of the session, and signals a number cannot hold.
   * @param signalConsumer receives the session's recording signals met on the way.
   * @param kind which listing: decoder, template id, end code, item reader.
   * @param fragmentLimit messages per poll (Java's is 10).
   */
  constructor(
    readonly subscription: ControlSubscription,
    readonly controlSessionId: number,
    errorHandler: ((error: unknown) => void) | null,
    signalConsumer: RecordingSignalConsumer | null,
    kind: ListingKind<D, T>,
    fragmentLimit = 10,
  ) {
    this.#errorHandler = errorHandler;
    this.#signalConsumer = signalConsumer;
    this.#kind = kind;
    this.#fragmentLimit = fragmentLimit;
  }

  /** Starts a listing: the request's correlation id, how many items at most, and who receives them. */
  reset(correlationId: number, count: number, consumer: (item: T) => void): void {
    this.#correlationId = correlationId;
    this.#remaining = count;
    this.#consumer = consumer;
    this.#isDispatchComplete = false;
    this.#error = null;
  }

  /**
   * Polls for the listing's messages; returns the messages consumed.
   *
   * @throws ArchiveReentrantCallError when called from a consumer of this poll.
   */
  poll(): number {
    if (this.#polling) throw new ArchiveReentrantCallError(`${this.constructor.name}.poll`);
    if (this.#isDispatchComplete) this.#isDispatchComplete = false;
    this.#polling = true;
    try {
      return this.subscription.controlledPoll(this.#handler, this.#fragmentLimit);
    } finally {
      this.#polling = false;
    }
  }

  /** True once the listing ended (count reached, end code, ERROR, or `cancel()`). */
  isDispatchComplete(): boolean {
    return this.#isDispatchComplete;
  }
  /** Descriptors still expected before the requested count is reached. */
  remaining(): number {
    return this.#remaining;
  }
  /** The archive's ERROR for this listing, if that is how it ended. */
  error(): ArchiveError | null {
    return this.#error;
  }

  /** Ends the dispatch now (its request was settled by other means, e.g. a close from a consumer). */
  cancel(): void {
    this.#isDispatchComplete = true;
    this.#consumer = () => {};
  }

  #onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
    if (this.#isDispatchComplete) return ControlledAction.ABORT;
    const header = this.#headerDecoder.wrap(buffer, offset);
    if (header.schemaId() !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${header.schemaId()}`);
    }
    const body = offset + HEADER_LENGTH;
    const templateId = header.templateId();
    if (templateId === ControlResponseDecoder.TEMPLATE_ID) {
      const d = this.#controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() !== this.controlSessionId) return ControlledAction.CONTINUE;
      const code = d.codeRaw();
      const responseCorrelationId = d.correlationId();
      if (code === this.#kind.endCode && responseCorrelationId === this.#correlationId) {
        this.#isDispatchComplete = true;
        return ControlledAction.BREAK;
      }
      if (code === ControlResponseCode.ERROR) {
        const error = new ArchiveError(
          `response for correlationId=${this.#correlationId}, error: ${d.errorMessage()}`,
          {
            errorCode: d.relevantId(),
            correlationId: responseCorrelationId,
          },
        );
        if (responseCorrelationId === this.#correlationId) {
          this.#error = error;
          this.#isDispatchComplete = true;
          return ControlledAction.BREAK;
        }
        this.#errorHandler?.(error);
        if (this.#isDispatchComplete) return ControlledAction.BREAK;
      }
    } else if (templateId === this.#kind.templateId) {
      const d = this.#kind.decoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId && d.correlationId() === this.#correlationId) {
        let item: T;
        try {
          item = this.#kind.toItem(d);
        } catch (error) {
          if (!(error instanceof ArchiveValueRangeError)) throw error;
          this.#error = error;
          this.#isDispatchComplete = true;
          return ControlledAction.BREAK;
        }
        this.#consumer(item);
        if (this.#isDispatchComplete) return ControlledAction.BREAK;
        if (--this.#remaining === 0) {
          this.#isDispatchComplete = true;
          return ControlledAction.BREAK;
        }
      }
    } else if (templateId === RecordingSignalEventDecoder.TEMPLATE_ID) {
      const d = this.#signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId) {
        let event: ReturnType<typeof recordingSignalEventOf>;
        try {
          event = recordingSignalEventOf(d);
        } catch (error) {
          if (!(error instanceof ArchiveValueRangeError)) throw error;
          this.#errorHandler?.(error);
          return this.#isDispatchComplete ? ControlledAction.BREAK : ControlledAction.CONTINUE;
        }
        this.#signalConsumer?.(event);
        if (this.#isDispatchComplete) return ControlledAction.BREAK;
      }
    }
    return ControlledAction.CONTINUE;
  }
}
