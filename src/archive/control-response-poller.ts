/**
 * Polls the control response stream for the next ControlResponse (1), Challenge (59) or RecordingSignalEvent (24),
 * one message per completed poll, as Java's `ControlResponsePoller`. Other templates (descriptors,
 * Ping 106) are skipped. After `isPollComplete()` the fields describe that message until the next `poll()`.
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

/** Fragments per poll (Java `ControlResponsePoller`'s default fragment limit). */
export const FRAGMENT_LIMIT = 10;
const NULL_VALUE = -1;
const SCHEMA_ID = ControlResponseDecoder.SCHEMA_ID;
const HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

/** Java `ControlResponsePoller` (see the module comment). Dispatches nothing: the caller reads the fields. */
export class ControlResponsePoller {
  readonly #headerDecoder = new MessageHeaderDecoder();
  readonly #controlResponseDecoder = new ControlResponseDecoder();
  readonly #challengeDecoder = new ChallengeDecoder();
  readonly #signalDecoder = new RecordingSignalEventDecoder();
  readonly #handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.#onMessage(buffer, offset, length);

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
  readonly #readRelevantIdBigInt = (): bigint => this.#relevantIdBigInt;

  readonly #fragmentLimit: number;

  /**
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(
    readonly subscription: ControlSubscription,
    fragmentLimit: number = FRAGMENT_LIMIT,
  ) {
    this.#fragmentLimit = fragmentLimit;
  }

  /** Polls for the next message; returns the messages consumed (skipped ones included). */
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

  /** True when the last `poll()` read a whole ControlResponse, Challenge or signal (fields set until the next). */
  isPollComplete(): boolean {
    return this.#isPollComplete;
  }
  /** Template id of the message read (1 ControlResponse, 59 Challenge, 24 RecordingSignalEvent). */
  templateId(): number {
    return this.#templateId;
  }
  /** Control session id of the message read. */
  controlSessionId(): number {
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
   * The relevant id exactly, for values that may exceed 2^53 (the replay token is a random 64-bit value).
   * Control path only: allocates a BigInt per ControlResponse.
   */
  relevantIdBigInt(): bigint {
    return this.#relevantIdBigInt;
  }
  /** Raw ControlResponseCode; NULL_VAL for a challenge. */
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

  #onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
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
        this.#templateId = templateId;
        this.#controlSessionId = d.controlSessionId();
        this.#correlationId = d.correlationId();
        this.#relevantId = d.relevantId();
        this.#relevantIdBigInt = d.relevantIdBigInt();
        this.#code = d.codeRaw();
        this.#version = d.version();
        this.#errorMessage = d.errorMessage();
        this.#isPollComplete = true;
        return ControlledAction.BREAK;
      }
      case ChallengeDecoder.TEMPLATE_ID: {
        const d = this.#challengeDecoder.wrap(buffer, body, header.blockLength(), header.version());
        this.#templateId = templateId;
        this.#controlSessionId = d.controlSessionId();
        this.#correlationId = d.correlationId();
        this.#relevantId = NULL_VALUE;
        this.#relevantIdBigInt = -1n;
        this.#code = ControlResponseCode.NULL_VAL;
        this.#version = d.version();
        this.#errorMessage = '';
        this.#encodedChallenge = d.encodedChallenge();
        this.#isPollComplete = true;
        return ControlledAction.BREAK;
      }
      case RecordingSignalEventDecoder.TEMPLATE_ID: {
        const d = this.#signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
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
        this.#isPollComplete = true;
        return ControlledAction.BREAK;
      }
      default:
        return ControlledAction.CONTINUE;
    }
  }
}
