/**
 * ON_AVAILABLE_IMAGE (0x0F02) (Aeron 1.51.0 `ImageBuffersReadyFlyweight`).
 *
 * ```
 *  0  correlationId i64 (the image's)
 *  8  sessionId i32
 *  12 streamId i32
 *  16 subscriptionRegistrationId i64
 *  24 subscriberPositionCounterId i32
 *  28 logFileName len i32 | 32 logFileName ASCII
 *  28 + 4 + align(n, 4): sourceIdentity len i32 | sourceIdentity ASCII
 * ```
 */
import { align, Flyweight } from './flyweight.ts';

export const IMAGE_READY_CORRELATION_ID_OFFSET = 0;
export const IMAGE_READY_SESSION_ID_OFFSET = 8;
export const IMAGE_READY_STREAM_ID_OFFSET = 12;
export const IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 16;
export const IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET = 24;
export const IMAGE_READY_LOG_FILE_OFFSET = 28;

export class ImageBuffersReadyFlyweight extends Flyweight {
  correlationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_READY_CORRELATION_ID_OFFSET);
  }

  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_READY_CORRELATION_ID_OFFSET, id);
    return this;
  }

  sessionId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_SESSION_ID_OFFSET);
  }

  setSessionId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_SESSION_ID_OFFSET, id);
    return this;
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_STREAM_ID_OFFSET);
  }

  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_STREAM_ID_OFFSET, id);
    return this;
  }

  subscriptionRegistrationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET);
  }

  setSubscriptionRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  subscriberPositionId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET);
  }

  setSubscriberPositionId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET, id);
    return this;
  }

  logFileName(): string {
    return this.buffer.getStringAscii(this.offset + IMAGE_READY_LOG_FILE_OFFSET);
  }

  setLogFileName(name: string): this {
    this.buffer.putStringAscii(this.offset + IMAGE_READY_LOG_FILE_OFFSET, name);
    return this;
  }

  /** Offset of the source identity length field, relative to the message start. */
  sourceIdentityOffset(): number {
    return IMAGE_READY_LOG_FILE_OFFSET + 4 + align(this.buffer.getInt32(this.offset + IMAGE_READY_LOG_FILE_OFFSET), 4);
  }

  sourceIdentity(): string {
    return this.buffer.getStringAscii(this.offset + this.sourceIdentityOffset());
  }

  /** Write after the log file name. */
  setSourceIdentity(value: string): this {
    this.buffer.putStringAscii(this.offset + this.sourceIdentityOffset(), value);
    return this;
  }

  length(): number {
    const offset = this.sourceIdentityOffset();
    return offset + 4 + this.buffer.getInt32(this.offset + offset);
  }
}
