/**
 * Java `RecordingSubscriptionDescriptorPoller` (1.51.0): collects the RecordingSubscriptionDescriptors (23) answering one listing request.
 * The listing is complete when `remainingSubscriptionCount` reaches 0 or the archive sends ControlResponse
 * SUBSCRIPTION_UNKNOWN for the request's correlation id. An ERROR for the request completes the dispatch with
 * `error()` set (Java throws); ERRORs for other requests go to the error handler. Signals of this session are
 * passed to the signal consumer on the way.
 */
import {
  ControlResponseCode,
  ControlResponseDecoder,
  MessageHeaderDecoder,
  RecordingSignalEventDecoder,
  RecordingSubscriptionDescriptorDecoder,
} from '../../codecs/generated/archive/index.ts';
import { ArchiveError } from './archive-error.ts';
import { ControlledAction, type ControlSubscription } from './control-transport.ts';
import {
  type RecordingSubscriptionDescriptorConsumer,
  recordingSubscriptionDescriptorOf,
} from './recording-descriptor.ts';
import { type RecordingSignalConsumer, recordingSignalEventOf } from './recording-signal.ts';

const SCHEMA_ID = ControlResponseDecoder.SCHEMA_ID;
const HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
const NO_CONSUMER: RecordingSubscriptionDescriptorConsumer = () => {};

export class RecordingSubscriptionDescriptorPoller {
  private readonly headerDecoder = new MessageHeaderDecoder();
  private readonly controlResponseDecoder = new ControlResponseDecoder();
  private readonly descriptorDecoder = new RecordingSubscriptionDescriptorDecoder();
  private readonly signalDecoder = new RecordingSignalEventDecoder();
  private readonly handler = (buffer: Uint8Array, offset: number, length: number): ControlledAction =>
    this.onMessage(buffer, offset, length);

  private correlationId = -1;
  private _remainingSubscriptionCount = 0;
  private _isDispatchComplete = false;
  private _error: ArchiveError | null = null;
  private consumer: RecordingSubscriptionDescriptorConsumer = NO_CONSUMER;

  constructor(
    readonly subscription: ControlSubscription,
    readonly controlSessionId: number,
    private readonly errorHandler: ((error: unknown) => void) | null,
    private readonly signalConsumer: RecordingSignalConsumer | null,
    private readonly fragmentLimit = 10,
  ) {}

  reset(correlationId: number, subscriptionCount: number, consumer: RecordingSubscriptionDescriptorConsumer): void {
    this.correlationId = correlationId;
    this._remainingSubscriptionCount = subscriptionCount;
    this.consumer = consumer;
    this._isDispatchComplete = false;
    this._error = null;
  }

  poll(): number {
    if (this._isDispatchComplete) this._isDispatchComplete = false;
    return this.subscription.controlledPoll(this.handler, this.fragmentLimit);
  }

  isDispatchComplete(): boolean {
    return this._isDispatchComplete;
  }
  remainingSubscriptionCount(): number {
    return this._remainingSubscriptionCount;
  }
  /** The archive's ERROR for this listing, if that is how it ended. */
  error(): ArchiveError | null {
    return this._error;
  }

  private onMessage(buffer: Uint8Array, offset: number, _length: number): ControlledAction {
    if (this._isDispatchComplete) return ControlledAction.ABORT;
    const header = this.headerDecoder.wrap(buffer, offset);
    if (header.schemaId() !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${header.schemaId()}`);
    }
    const body = offset + HEADER_LENGTH;
    switch (header.templateId()) {
      case ControlResponseDecoder.TEMPLATE_ID: {
        const d = this.controlResponseDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (d.controlSessionId() !== this.controlSessionId) break;
        const code = d.codeRaw();
        const responseCorrelationId = d.correlationId();
        if (code === ControlResponseCode.SUBSCRIPTION_UNKNOWN && responseCorrelationId === this.correlationId) {
          this._isDispatchComplete = true;
          return ControlledAction.BREAK;
        }
        if (code === ControlResponseCode.ERROR) {
          const error = new ArchiveError(
            `response for correlationId=${this.correlationId}, error: ${d.errorMessage()}`,
            { errorCode: d.relevantId(), correlationId: responseCorrelationId },
          );
          if (responseCorrelationId === this.correlationId) {
            this._error = error;
            this._isDispatchComplete = true;
            return ControlledAction.BREAK;
          }
          this.errorHandler?.(error);
        }
        break;
      }
      case RecordingSubscriptionDescriptorDecoder.TEMPLATE_ID: {
        const d = this.descriptorDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (d.controlSessionId() === this.controlSessionId && d.correlationId() === this.correlationId) {
          this.consumer(recordingSubscriptionDescriptorOf(d));
          if (--this._remainingSubscriptionCount === 0) {
            this._isDispatchComplete = true;
            return ControlledAction.BREAK;
          }
        }
        break;
      }
      case RecordingSignalEventDecoder.TEMPLATE_ID: {
        const d = this.signalDecoder.wrap(buffer, body, header.blockLength(), header.version());
        if (d.controlSessionId() === this.controlSessionId) this.signalConsumer?.(recordingSignalEventOf(d));
        break;
      }
      default:
        break;
    }
    return ControlledAction.CONTINUE;
  }
}
