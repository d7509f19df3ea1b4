/**
 * What Java's `ControlResponsePoller` and `RecordingSignalPoller` share, in one place: poll a control response
 * stream for the next ControlResponse (1), RecordingSignalEvent (24) and, where taken, Challenge (59), one message
 * per completed poll; other templates (descriptors, Ping 106) are skipped. After `isPollComplete()` the fields
 * describe that message until the next `poll()`. The two pollers differ only in what they take:
 *
 * ```
 *  ControlResponsePoller   every control session; Challenge too
 *  RecordingSignalPoller   one control session (others skipped); no Challenge
 * ```
 *
 * The 64-bit fields returned as `number` (`relevantId`, and a signal's `recordingId`, `subscriptionId`,
 * `position`) are exact or refused: their getter throws `ArchiveValueRangeError` when the value sent is not exactly
 * representable (the message is consumed all the same). `relevantIdBigInt()` is always exact.
 */
import {
  ChallengeDecoder,
  ControlResponseCode,
  ControlResponseDecoder,
  MessageHeaderDecoder,
  RecordingSignalEventDecoder,
} from '../../codecs/generated/archive/index.ts';
import { ArchiveError, type ArchiveValueRangeError } from './archive-error.ts';
import { ControlledAction, type ControlSubscription } from './control-transport.ts';
import { exactInt64, inexactInt64 } from './exact-int64.ts';

/** Fragments per poll (the default fragment limit of Java's `ControlResponsePoller` and `RecordingSignalPoller`). */
export const FRAGMENT_LIMIT = 10;
const NULL_VALUE = -1;
const SCHEMA_ID = ControlResponseDecoder.SCHEMA_ID;
const HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

/** Which messages a {@link ControlMessagePoller} takes (see the module comment). */
export interface ControlMessageFilter {
  /** The control session whose messages are taken, or null for every session. */
  readonly controlSessionId: number | null;
  /** Whether a Challenge completes a poll (else it is skipped). */
  readonly takesChallenge: boolean;
}

/**
 * The poller both `ControlResponsePoller` and `RecordingSignalPoller` are (see the module comment). Dispatches
 * nothing: the caller reads the fields.
 */
export abstract class ControlMessagePoller {
  /** The control response subscription polled. */
  readonly subscription: ControlSubscription;
  readonly #headerDecoder = new MessageHeaderDecoder();
  readonly #controlResponseDecoder = new ControlResponseDecoder();
  readonly #challengeDecoder = new ChallengeDecoder();
  readonly #signalDecoder = new RecordingSignalEventDecoder();
  readonly #handler = (buffer: Uint8Array, offset: number, _length: number): ControlledAction =>
    this.#onMessage(buffer, offset);
  readonly #readRelevantIdBigInt = (): bigint => this.#relevantIdBigInt;
  readonly #fragmentLimit: number;
  readonly #filter: ControlMessageFilter;

  #templateId = NULL_VALUE;
  #controlSessionId = NULL_VALUE;
  #correlationId = NULL_VALUE;
  #relevantId = NULL_VALUE;
  #relevantIdBigInt = -1n;
  #code: number = ControlResponseCode.NULL_VAL;
  #version = 0;
  #errorMessage = '';
  #recordingId = NULL_VALUE;
  #subscriptionId = NULL_VALUE;
  #position = NULL_VALUE;
  #signal: number = NULL_VALUE;
  #encodedChallenge: Uint8Array | null = null;
  #isPollComplete = false;
  /** A signal field that a number cannot hold exactly, thrown by its getter. */
  #signalRangeError: ArchiveValueRangeError | null = null;

  /**
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll.
   * @param filter which messages complete a poll.
   */
  constructor(subscription: ControlSubscription, fragmentLimit: number, filter: ControlMessageFilter) {
    this.subscription = subscription;
    this.#fragmentLimit = fragmentLimit;
    this.#filter = filter;
  }

  /** Polls for the next message taken; returns the messages consumed (skipped ones included). */
  poll(): number {
    if (this.#isPollComplete) {
      this.#templateId = NULL_VALUE;
      this.#controlSessionId = NULL_VALUE;
      this.#correlationId = NULL_VALUE;
      this.#relevantId = NULL_VALUE;
      this.#relevantIdBigInt = -1n;
      this.#code = ControlResponseCode.NULL_VAL;
      this.#version = 0;
      this.#errorMessage = '';
      this.#recordingId = NULL_VALUE;
      this.#subscriptionId = NULL_VALUE;
      this.#position = NULL_VALUE;
      this.#signal = NULL_VALUE;
      this.#encodedChallenge = null;
      this.#signalRangeError = null;
      this.#isPollComplete = false;
    }
    return this.subscription.controlledPoll(this.#handler, this.#fragmentLimit);
  }

  /** True when the last `poll()` read a whole message it takes (fields set until the next poll). */
  isPollComplete(): boolean {
    return this.#isPollComplete;
  }
  /** Template id of the message read (1 ControlResponse, 59 Challenge, 24 RecordingSignalEvent). */
  templateId(): number {
    return this.#templateId;
  }
  /** Control session id of the message read. */
  messageControlSessionId(): number {
    return this.#controlSessionId;
  }
  /** Correlation id of the message read. */
  correlationId(): number {
    return this.#correlationId;
  }
  /**
   * ControlResponse result value, or the archive error code for ERROR. Throws `ArchiveValueRangeError` when the
   * value is not exactly representable as a number (use {@link relevantIdBigInt} for 64-bit ids).
   */
  relevantId(): number {
    return exactInt64(this.#relevantId, this.#readRelevantIdBigInt, 'relevantId');
  }
  /**
   * The relevant id exactly, for values that may exceed 2^53 (a replay session id, the random 64-bit replay
   * token). Control path only: allocates a BigInt per ControlResponse.
   */
  relevantIdBigInt(): bigint {
    return this.#relevantIdBigInt;
  }
  /** Raw ControlResponseCode; NULL_VAL for a challenge or a signal. */
  code(): number {
    return this.#code;
  }
  /** Archive protocol semantic version from a ControlResponse or Challenge (0 when absent). */
  version(): number {
    return this.#version;
  }
  /** Error text of an ERROR ControlResponse, else ''. */
  errorMessage(): string {
    return this.#errorMessage;
  }
  /** A signal's recording id; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingId(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#recordingId;
  }
  /** A signal's subscription id; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  subscriptionId(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#subscriptionId;
  }
  /** A signal's position; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  position(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#position;
  }
  /** Raw RecordingSignal value of a signal message. */
  recordingSignal(): number {
    return this.#signal;
  }
  /** True when the message read was a Challenge. */
  wasChallenged(): boolean {
    return this.#encodedChallenge !== null;
  }
  /** The Challenge's bytes, or null. */
  encodedChallenge(): Uint8Array | null {
    return this.#encodedChallenge;
  }
  /** True when the message read was a RecordingSignalEvent. */
  isSignal(): boolean {
    return this.#templateId === RecordingSignalEventDecoder.TEMPLATE_ID;
  }

  /** Whether the filter takes a message of `controlSessionId`. */
  #takes(controlSessionId: number): boolean {
    const wanted = this.#filter.controlSessionId;
    return wanted === null || wanted === controlSessionId;
  }

  #onMessage(buffer: Uint8Array, offset: number): ControlledAction {
    if (this.#isPollComplete) return ControlledAction.ABORT;
    const header = this.#headerDecoder.wrap(buffer, offset);
    const schemaId = header.schemaId();
    if (schemaId !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${schemaId}`);
    }
    const templateId = header.templateId();
    const body = offset + HEADER_LENGTH;
    switch (templateId) {
      case ControlResponseDecoder.TEMPLATE_ID: {
        const d = this.#controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (!this.#takes(d.controlSessionId())) return ControlledAction.CONTINUE;
        this.#templateId = templateId;
        this.#controlSessionId = d.controlSessionId();
        this.#correlationId = d.correlationId();
        this.#relevantId = d.relevantId();
        this.#relevantIdBigInt = d.relevantIdBigInt();
        this.#code = d.codeRaw();
        this.#version = d.version();
        this.#errorMessage = d.errorMessage();
        break;
      }
      case ChallengeDecoder.TEMPLATE_ID: {
        if (!this.#filter.takesChallenge) return ControlledAction.CONTINUE;
        const d = this.#challengeDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (!this.#takes(d.controlSessionId())) return ControlledAction.CONTINUE;
        this.#templateId = templateId;
        this.#controlSessionId = d.controlSessionId();
        this.#correlationId = d.correlationId();
        this.#version = d.version();
        this.#encodedChallenge = d.encodedChallenge();
        break;
      }
      case RecordingSignalEventDecoder.TEMPLATE_ID: {
        const d = this.#signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (!this.#takes(d.controlSessionId())) return ControlledAction.CONTINUE;
        this.#templateId = templateId;
        this.#controlSessionId = d.controlSessionId();
        this.#correlationId = d.correlationId();
        this.#recordingId = d.recordingId();
        this.#subscriptionId = d.subscriptionId();
        this.#position = d.position();
        this.#signal = d.signalRaw();
        this.#signalRangeError =
          inexactInt64(this.#recordingId, () => d.recordingIdBigInt(), 'recordingId of a recording signal') ??
          inexactInt64(this.#subscriptionId, () => d.subscriptionIdBigInt(), 'subscriptionId of a recording signal') ??
          inexactInt64(this.#position, () => d.positionBigInt(), 'position of a recording signal');
        break;
      }
      default:
        return ControlledAction.CONTINUE;
    }
    this.#isPollComplete = true;
    return ControlledAction.BREAK;
  }
}
