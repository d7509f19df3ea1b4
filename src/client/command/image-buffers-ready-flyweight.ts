/**
 * ON_AVAILABLE_IMAGE (0x0F02) (Java: `ImageBuffersReadyFlyweight`).
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
import { align } from '../../transport/bit-util.ts';
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 correlation id of the image (0). Java: `ImageBuffersReadyFlyweight.CORRELATION_ID_OFFSET`
 * (private).
 */
export const IMAGE_READY_CORRELATION_ID_OFFSET = 0;
/** Offset of the int32 session id (8). Java: `ImageBuffersReadyFlyweight.SESSION_ID_OFFSET` (private). */
export const IMAGE_READY_SESSION_ID_OFFSET = 8;
/** Offset of the int32 stream id (12). Java: `ImageBuffersReadyFlyweight.STREAM_ID_FIELD_OFFSET` (private). */
export const IMAGE_READY_STREAM_ID_OFFSET = 12;
/**
 * Offset of the int64 registration id of the subscription (16). Java:
 * `ImageBuffersReadyFlyweight.SUBSCRIPTION_REGISTRATION_ID_OFFSET` (private).
 */
export const IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 16;
/**
 * Offset of the int32 counter id of the subscriber position (24). Java:
 * `ImageBuffersReadyFlyweight.SUBSCRIBER_POSITION_ID_OFFSET` (private).
 */
export const IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET = 24;
/**
 * Offset of the int32 log file name length, the ASCII name after it (28). Java:
 * `ImageBuffersReadyFlyweight.LOG_FILE_NAME_OFFSET` (private).
 */
export const IMAGE_READY_LOG_FILE_OFFSET = 28;

/**
 * ON_AVAILABLE_IMAGE: a new image of a subscription, with its log file and subscriber position counter. Java:
 * `ImageBuffersReadyFlyweight`.
 */
export class ImageBuffersReadyFlyweight extends Flyweight {
  /** Correlation id of the image (its registration id). Java: `ImageBuffersReadyFlyweight.correlationId`. */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_READY_CORRELATION_ID_OFFSET);
  }

  /** Writes the image correlation id; returns `this`. Java: `ImageBuffersReadyFlyweight.correlationId(long)`. */
  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_READY_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** Session id of the image's publication. Java: `ImageBuffersReadyFlyweight.sessionId`. */
  sessionId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_SESSION_ID_OFFSET);
  }

  /** Writes the session id; returns `this`. Java: `ImageBuffersReadyFlyweight.sessionId(int)`. */
  setSessionId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_SESSION_ID_OFFSET, id);
    return this;
  }

  /** Stream id. Java: `ImageBuffersReadyFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `ImageBuffersReadyFlyweight.streamId(int)`. */
  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_STREAM_ID_OFFSET, id);
    return this;
  }

  /**
   * Registration id of the subscription the image is for. Java:
   * `ImageBuffersReadyFlyweight.subscriptionRegistrationId`.
   */
  subscriptionRegistrationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET);
  }

  /**
   * Writes the subscription registration id; returns `this`. Java:
   * `ImageBuffersReadyFlyweight.subscriptionRegistrationId(long)`.
   */
  setSubscriptionRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_READY_SUBSCRIPTION_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  /** Counter id of this subscriber's position in the image. Java: `ImageBuffersReadyFlyweight.subscriberPositionId`. */
  subscriberPositionId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET);
  }

  /**
   * Writes the subscriber position counter id; returns `this`. Java:
   * `ImageBuffersReadyFlyweight.subscriberPositionId(int)`.
   */
  setSubscriberPositionId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_READY_SUBSCRIBER_POSITION_ID_OFFSET, id);
    return this;
  }

  /** Path of the image's log buffer file. Java: `ImageBuffersReadyFlyweight.logFileName`. */
  logFileName(): string {
    return this.buffer.getStringAscii(this.offset + IMAGE_READY_LOG_FILE_OFFSET);
  }

  /**
   * Writes the log file name (length-prefixed ASCII); write it before the source identity. Returns `this`. Java:
   * `ImageBuffersReadyFlyweight.logFileName(String)`.
   */
  setLogFileName(name: string): this {
    this.buffer.putStringAscii(this.offset + IMAGE_READY_LOG_FILE_OFFSET, name);
    return this;
  }

  /** Offset of the source identity length field, relative to the message start. */
  sourceIdentityOffset(): number {
    return IMAGE_READY_LOG_FILE_OFFSET + 4 + align(this.buffer.getInt32(this.offset + IMAGE_READY_LOG_FILE_OFFSET), 4);
  }

  /**
   * Where the stream comes from (e.g. `127.0.0.1:40123`, or `aeron:ipc`). Java:
   * `ImageBuffersReadyFlyweight.sourceIdentity`.
   */
  sourceIdentity(): string {
    return this.buffer.getStringAscii(this.offset + this.sourceIdentityOffset());
  }

  /**
   * Writes the source identity (length-prefixed ASCII) after the log file name; returns `this`. Java:
   * `ImageBuffersReadyFlyweight.sourceIdentity(String)`.
   */
  setSourceIdentity(value: string): this {
    this.buffer.putStringAscii(this.offset + this.sourceIdentityOffset(), value);
    return this;
  }

  /** Encoded length, up to the end of the source identity. Java: `ImageBuffersReadyFlyweight.length`. */
  length(): number {
    const offset = this.sourceIdentityOffset();
    return offset + 4 + this.buffer.getInt32(this.offset + offset);
  }
}
