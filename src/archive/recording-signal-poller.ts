/**
 * Java `RecordingSignalPoller`: polls a control response stream for the ControlResponses and
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
  readonly #headerDecoder = new MessageHeaderDecoder();
  readonly #controlResponseDecoder = new ControlResponseDecoder();
  readonly #signalDecoder = new RecordingSignalEventDecoder();
  readonly #handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.#onMessage(buffer, offset, length);

  #templateId = NULL_VALUE;
  #correlationId = NULL_VALUE;
  #relevantId = NULL_VALUE;
  #relevantIdBigInt = -1n;
  #code: number = ControlResponseCode.NULL_VAL;
  #version = 0;
  #errorMessage = '';
  #recordingId = NULL_VALUE;
  #recordingSubscriptionId = NULL_VALUE;
  #recordingPosition = NULL_VALUE;
  #signal = NULL_VALUE;
  #isPollComplete = false;
  #signalRangeError: ArchiveValueRangeError | null = null;
  readonly #readRelevantIdBigInt = (): bigint => this.#relevantIdBigInt;

  readonly #fragmentLimit: number;

  /**
   * @param controlSessionId the session whose responses and signals are read (others are skipped).
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(
    readonly controlSessionId: number,
    readonly subscription: ControlSubscription,
    fragmentLimit = 10,
  ) {
    this.#fragmentLimit = fragmentLimit;
  }

  /** Polls for the session's next ControlResponse or signal; returns the messages consumed. */
  poll(): number {
    if (this.#isPollComplete) {
      this.#isPollComplete = false;
      this.#templateId = NULL_VALUE;
      this.#correlationId = NULL_VALUE;
      this.#relevantId = NULL_VALUE;
      this.#relevantIdBigInt = -1n;
      this.#signalRangeError = null;
      this.#code = ControlResponseCode.NULL_VAL;
      this.#version = 0;
      this.#errorMessage = '';
      this.#recordingId = NULL_VALUE;
      this.#recordingSubscriptionId = NULL_VALUE;
      this.#recordingPosition = NULL_VALUE;
      this.#signal = NULL_VALUE;
    }
    return this.subscription.controlledPoll(this.#handler, this.#fragmentLimit);
  }

  /** True when the last `poll()` read a message of the session (its fields are set until the next poll). */
  isPollComplete(): boolean {
    return this.#isPollComplete;
  }
  /** Template id of the message read (1 ControlResponse, 24 RecordingSignalEvent). */
  templateId(): number {
    return this.#templateId;
  }
  /** Correlation id of the message read. */
  correlationId(): number {
    return this.#correlationId;
  }
  /** Throws `ArchiveValueRangeError` when the value is not exact as a number (see {@link relevantIdBigInt}). */
  relevantId(): number {
    return exactInt64(this.#relevantId, this.#readRelevantIdBigInt, 'relevantId');
  }
  /** The relevant id exactly (a replay session id, a replay token). Control path: allocates a BigInt. */
  relevantIdBigInt(): bigint {
    return this.#relevantIdBigInt;
  }
  /** Raw ControlResponseCode of a ControlResponse. */
  code(): number {
    return this.#code;
  }
  /** Archive protocol version of a ControlResponse. */
  version(): number {
    return this.#version;
  }
  /** Error text of an ERROR ControlResponse, else ''. */
  errorMessage(): string {
    return this.#errorMessage;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingId(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#recordingId;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingSubscriptionId(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#recordingSubscriptionId;
  }
  /** Throws `ArchiveValueRangeError` when a signal field is not exact as a number. */
  recordingPosition(): number {
    if (this.#signalRangeError !== null) throw this.#signalRangeError;
    return this.#recordingPosition;
  }
  /** Raw RecordingSignal value of a signal. */
  recordingSignal(): number {
    return this.#signal;
  }

  #onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
    if (this.#isPollComplete) return ControlledAction.ABORT;
    const header = this.#headerDecoder.wrap(buffer, offset);
    if (header.schemaId() !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${header.schemaId()}`);
    }
    const templateId = header.templateId();
    const body = offset + HEADER_LENGTH;
    if (templateId === ControlResponseDecoder.TEMPLATE_ID) {
      const d = this.#controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId) {
        this.#templateId = templateId;
        this.#correlationId = d.correlationId();
        this.#relevantId = d.relevantId();
        this.#relevantIdBigInt = d.relevantIdBigInt();
        this.#code = d.codeRaw();
        this.#version = d.version();
        this.#errorMessage = d.errorMessage();
        this.#isPollComplete = true;
        return ControlledAction.BREAK;
      }
    } else if (templateId === RecordingSignalEventDecoder.TEMPLATE_ID) {
      const d = this.#signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
      if (d.controlSessionId() === this.controlSessionId) {
        this.#templateId = templateId;
        this.#correlationId = d.correlationId();
        this.#recordingId = d.recordingId();
        this.#recordingSubscriptionId = d.subscriptionId();
        this.#recordingPosition = d.position();
        this.#signal = d.signalRaw();
        this.#signalRangeError =
          inexactInt64(this.#recordingId, () => d.recordingIdBigInt(), 'recordingId of a recording signal') ??
          inexactInt64(
            this.#recordingSubscriptionId,
            () => d.subscriptionIdBigInt(),
            'subscriptionId of a recording signal',
          ) ??
          inexactInt64(this.#recordingPosition, () => d.positionBigInt(), 'position of a recording signal');
        this.#isPollComplete = true;
        return ControlledAction.BREAK;
      }
    }
    return ControlledAction.CONTINUE;
  }
}
