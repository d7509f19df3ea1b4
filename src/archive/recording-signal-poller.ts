/**
 * Java `RecordingSignalPoller` (1.51.0): polls a control response stream for the ControlResponses and
 * RecordingSignalEvents of one control session, one message per completed poll. For applications that poll a
 * session's response stream themselves; `AeronArchive` dispatches signals on its own.
 *
 * The 64-bit fields returned as `number` are exact or refused: `relevantId()` and the signal getters throw
 * `ArchiveValueRangeError` when the value sent is not exactly representable (the message is consumed all the
 * same); `relevantIdBigInt()` is always exact (a replay session id answering a ReplayRequest needs it).
 */
import {
  ControlResponseCode,
  ControlResponseDecoder,
  MessageHeaderDecoder,
  RecordingSignalEventDecoder,
} from '../../codecs/generated/archive/index.ts';
import { ArchiveError, type ArchiveValueRangeError } from './archive-error.ts';
import { ControlledAction, type ControlSubscription } from './control-transport.ts';
import { exactInt64, inexactInt64 } from './exact-int64.ts';

const NULL_VALUE = -1;
const SCHEMA_ID = ControlResponseDecoder.SCHEMA_ID;
const HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

/** Java `RecordingSignalPoller` (see the module comment). Dispatches nothing: the caller reads the fields. */
export class RecordingSignalPoller {
  private readonly headerDecoder = new MessageHeaderDecoder();
  private readonly controlResponseDecoder = new ControlResponseDecoder();
  private readonly signalDecoder = new RecordingSignalEventDecoder();
  private readonly handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.onMessage(buffer, offset, length);

  private _templateId = NULL_VALUE;
  private _correlationId = NULL_VALUE;
  private _relevantId = NULL_VALUE;
  private _relevantIdBigInt = -1n;
  private _code: number = ControlResponseCode.NULL_VAL;
  private _version = 0;
  private _errorMessage = '';
  private _recordingId = NULL_VALUE;
  private _recordingSubscriptionId = NULL_VALUE;
  private _recordingPosition = NULL_VALUE;
  private _signal = NULL_VALUE;
  private _isPollComplete = false;
  private _signalRangeError: ArchiveValueRangeError | null = null;
  private readonly readRelevantIdBigInt = (): bigint => this._relevantIdBigInt;

  /**
   * @param controlSessionId the session whose responses and signals are read (others are skipped).
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(
    readonly controlSessionId: number,
    readonly subscription: ControlSubscription,
    private readonly fragmentLimit = 10,
  ) {}

  /** Polls for the session's next ControlResponse or signal; returns the messages consumed. */
  poll(): number {
    if (this._isPollComplete) {
      this._isPollComplete = false;
      this._templateId = NULL_VALUE;
      this._correlationId = NULL_VALUE;
      this._relevantId = NULL_VALUE;
      this._relevantIdBigInt = -1n;
      this._signalRangeError = null;
      this._code = ControlResponseCode.NULL_VAL;
      this._version = 0;
      this._errorMessage = '';
      this._recordingId = NULL_VALUE;
      this._recordingSubscriptionId = NULL_VALUE;
      this._recordingPosition = NULL_VALUE;
      this._signal = NULL_VALUE;
    }
    return this.subscription.controlledPoll(this.handler, this.fragmentLimit);
  }

  /** True when the last `poll()` read a message of the session (its fields are set until the next poll). */
  isPollComplete(): boolean {
    return this._isPollComplete;
  }
  /** Template id of the message read (1 ControlResponse, 24 RecordingSignalEvent). */
  templateId(): number {
    return this._templateId;
  }
  /** Correlation id of the message read. */
  correlationId(): number {
    return this._correlationId;
  }
  /** Throws `ArchiveValueRangeError` when the value is not exact as a number (see {@link relevantIdBigInt}). */
  relevantId(): number {
    return exactInt64(this._relevantId, this.readRelevantIdBigInt, 'relevantId');
  }
  /** The relevant id exactly (a replay session id, a replay token). Control path: allocates a BigInt. */
  relevantIdBigInt(): bigint {
    return this._relevantIdBigInt;
  }
  /** Raw ControlResponseCode of a ControlResponse. */
  code(): number {
    return this._code;
  }
  /** Archive protocol version of a ControlResponse. */
  version(): number {
    return this._version;
  }
  /** Error text of an ERROR ControlResponse, else ''. */
  errorMessage(): string {
    return this._errorMessage;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingId(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._recordingId;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingSubscriptionId(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._recordingSubscriptionId;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingPosition(): number {
    if (this._signalRangeError !== null) throw this._signalRangeError;
    return this._recordingPosition;
  }
  /** Raw RecordingSignal value of a signal. */
  recordingSignal(): number {
    return this._signal;
  }

  private onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
    if (this._isPollComplete) return ControlledAction.ABORT;
    const header = this.headerDecoder.wrap(buffer, offset);
    if (header.schemaId() !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${header.schemaId()}`);
    }
    const templateId = header.templateId();
    const body = offset + HEADER_LENGTH;
    if (templateId === ControlResponseDecoder.TEMPLATE_ID) {
      const d = this.controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId) {
        this._templateId = templateId;
        this._correlationId = d.correlationId();
        this._relevantId = d.relevantId();
        this._relevantIdBigInt = d.relevantIdBigInt();
        this._code = d.codeRaw();
        this._version = d.version();
        this._errorMessage = d.errorMessage();
        this._isPollComplete = true;
        return ControlledAction.BREAK;
      }
    } else if (templateId === RecordingSignalEventDecoder.TEMPLATE_ID) {
      const d = this.signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId) {
        this._templateId = templateId;
        this._correlationId = d.correlationId();
        this._recordingId = d.recordingId();
        this._recordingSubscriptionId = d.subscriptionId();
        this._recordingPosition = d.position();
        this._signal = d.signalRaw();
        this._signalRangeError =
          inexactInt64(this._recordingId, () => d.recordingIdBigInt(), 'recordingId of a recording signal') ??
          inexactInt64(
            this._recordingSubscriptionId,
            () => d.subscriptionIdBigInt(),
            'subscriptionId of a recording signal',
          ) ??
          inexactInt64(this._recordingPosition, () => d.positionBigInt(), 'position of a recording signal');
        this._isPollComplete = true;
        return ControlledAction.BREAK;
      }
    }
    return ControlledAction.CONTINUE;
  }
}
