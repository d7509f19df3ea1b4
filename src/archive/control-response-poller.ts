/**
 * Polls the control response stream for the next ControlResponse (1), Challenge (59) or RecordingSignalEvent (24),
 * one message per completed poll, as Java's `ControlResponsePoller` (1.51.0). Other templates (descriptors,
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
  private readonly headerDecoder = new MessageHeaderDecoder();
  private readonly controlResponseDecoder = new ControlResponseDecoder();
  private readonly challengeDecoder = new ChallengeDecoder();
  private readonly signalDecoder = new RecordingSignalEventDecoder();
  private readonly handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.onMessage(buffer, offset, length);

  private _templateId = NULL_VALUE;
  private _controlSessionId = NULL_VALUE;
  private _correlationId = NULL_VALUE;
  private _relevantId = NULL_VALUE;
  private _relevantIdBigInt = -1n;
  private _code: number = ControlResponseCode.NULL_VAL;
  private _version = 0;
  private _errorMessage = '';
  private _recordingId = NULL_VALUE;
  private _subscriptionId = NULL_VALUE;
  private _position = NULL_VALUE;
  private _signal: number = NULL_VALUE;
  private _encodedChallenge: Uint8Array | null = null;
  private _isPollComplete = false;
  /** A signal field that a number cannot hold exactly, thrown by its getter. */
  private _signalRangeError: ArchiveValueRangeError | null = null;
  private readonly readRelevantIdBigInt = (): bigint => this._relevantIdBigInt;

  /**
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(
    readonly subscription: ControlSubscription,
    private readonly fragmentLimit: number = FRAGMENT_LIMIT,
  ) {}

  /** Polls for the next message; returns the messages consumed (skipped ones included). */
  poll(): number {
    if (this._isPollComplete) {
      this._templateId = NULL_VALUE;
      this._controlSessionId = NULL_VALUE;
      this._correlationId = NULL_VALUE;
      this._relevantId = NULL_VALUE;
      this._relevantIdBigInt = -1n;
      this._code = ControlResponseCode.NULL_VAL;
      this._version = 0;
      this._errorMessage = '';
      this._recordingId = NULL_VALUE;
      this._subscriptionId = NULL_VALUE;
      this._position = NULL_VALUE;
      this._signal = NULL_VALUE;
      this._encodedChallenge = null;
      this._signalRangeError = null;
      this._isPollComplete = false;
    }
    return this.subscription.controlledPoll(this.handler, this.fragmentLimit);
  }

  /** True when the last `poll()` read a whole ControlResponse, Challenge or signal (fields set until the next). */
  isPollComplete(): boolean {
    return this._isPollComplete;
  }
  /** Template id of the message read (1 ControlResponse, 59 Challenge, 24 RecordingSignalEvent). */
  templateId(): number {
    return this._templateId;
  }
  /** Control session id of the message read. */
  controlSessionId(): number {
    return this._controlSessionId;
  }
  /** Correlation id of the message read. */
  correlationId(): number {
    return this._correlationId;
  }
  /**
   * ControlResponse result value, or the archive error code for ERROR. Throws `ArchiveValueRangeError` when the
   * value is not exactly representable as a number (use {@link relevantIdBigInt} for 64-bit ids).
   */
  relevantId(): number {
    return exactInt64(this._relevantId, this.readRelevantIdBigInt, 'relevantId');
  }

  /**
   * The relevant id exactly, for values that may exceed 2^53 (the replay token is a random 64-bit value).
   * Control path only: allocates a BigInt per ControlResponse.
   */
  relevantIdBigInt(): bigint {
    return this._relevantIdBigInt;
  }
  /** Raw ControlResponseCode; NULL_VAL for a challenge. */
  code(): number {
    return this._code;
  }
  /** Archive protocol semantic version from a ControlResponse or Challenge (0 when absent). */
  version(): number {
    return this._version;
  }
  /** Error text of an ERROR ControlResponse, else ''. */
  errorMessage(): string {
    return this._errorMessage;
  }
  /** A signal's recording id; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingId(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._recordingId;
  }
  /** A signal's subscription id; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  subscriptionId(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._subscriptionId;
  }
  /** A signal's position; throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  position(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._position;
  }
  /** Raw RecordingSignal value of a signal message. */
  recordingSignal(): number {
    return this._signal;
  }
  /** True when the message read was a Challenge. */
  wasChallenged(): boolean {
    return this._encodedChallenge !== null;
  }
  /** The Challenge's bytes, or null. */
  encodedChallenge(): Uint8Array | null {
    return this._encodedChallenge;
  }
  /** True when the message read was a RecordingSignalEvent. */
  isSignal(): boolean {
    return this._templateId === RecordingSignalEventDecoder.TEMPLATE_ID;
  }

  private onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
    if (this._isPollComplete) return ControlledAction.ABORT;
    const header = this.headerDecoder.wrap(buffer, offset);
    const schemaId = header.schemaId();
    if (schemaId !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${schemaId}`);
    }
    const templateId = header.templateId();
    const body = offset + HEADER_LENGTH;
    switch (templateId) {
      case ControlResponseDecoder.TEMPLATE_ID: {
        const d = this.controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
        this._templateId = templateId;
        this._controlSessionId = d.controlSessionId();
        this._correlationId = d.correlationId();
        this._relevantId = d.relevantId();
        this._relevantIdBigInt = d.relevantIdBigInt();
        this._code = d.codeRaw();
        this._version = d.version();
        this._errorMessage = d.errorMessage();
        this._isPollComplete = true;
        return ControlledAction.BREAK;
      }
      case ChallengeDecoder.TEMPLATE_ID: {
        const d = this.challengeDecoder.wrap(buffer, body, header.blockLength(), header.version());
        this._templateId = templateId;
        this._controlSessionId = d.controlSessionId();
        this._correlationId = d.correlationId();
        this._relevantId = NULL_VALUE;
        this._relevantIdBigInt = -1n;
        this._code = ControlResponseCode.NULL_VAL;
        this._version = d.version();
        this._errorMessage = '';
        this._encodedChallenge = d.encodedChallenge();
        this._isPollComplete = true;
        return ControlledAction.BREAK;
      }
      case RecordingSignalEventDecoder.TEMPLATE_ID: {
        const d = this.signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
        this._templateId = templateId;
        this._controlSessionId = d.controlSessionId();
        this._correlationId = d.correlationId();
        this._recordingId = d.recordingId();
        this._subscriptionId = d.subscriptionId();
        this._position = d.position();
        this._signal = d.signalRaw();
        this._signalRangeError =
          inexactInt64(this._recordingId, () => d.recordingIdBigInt(), 'recordingId of a recording signal') ??
          inexactInt64(this._subscriptionId, () => d.subscriptionIdBigInt(), 'subscriptionId of a recording signal') ??
          inexactInt64(this._position, () => d.positionBigInt(), 'position of a recording signal');
        this._isPollComplete = true;
        return ControlledAction.BREAK;
      }
      default:
        return ControlledAction.CONTINUE;
    }
  }
}
