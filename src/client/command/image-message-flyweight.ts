/**
 * ON_UNAVAILABLE_IMAGE (0x0F05) (Java: `ImageMessageFlyweight`).
 *
 * ```
 *  0 correlationId i64 (the image's) | 8 subscriptionRegistrationId i64 | 16 streamId i32
 *  | 20 channel len i32 | 24 channel ASCII ...                   length = 24 + n
 * ```
 */
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 correlation id of the image (0). Java: `ImageMessageFlyweight.CORRELATION_ID_OFFSET` (private).
 */
export const IMAGE_MESSAGE_CORRELATION_ID_OFFSET = 0;
/**
 * Offset of the int64 registration id of the subscription (8). Java:
 * `ImageMessageFlyweight.SUBSCRIPTION_REGISTRATION_ID_OFFSET` (private).
 */
export const IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 8;
/** Offset of the int32 stream id (16). Java: `ImageMessageFlyweight.STREAM_ID_FIELD_OFFSET` (private). */
export const IMAGE_MESSAGE_STREAM_ID_OFFSET = 16;
/**
 * Offset of the int32 channel length, the ASCII channel after it (20). Java: `ImageMessageFlyweight.CHANNEL_OFFSET`
 * (private).
 */
export const IMAGE_MESSAGE_CHANNEL_OFFSET = 20;

/** ON_UNAVAILABLE_IMAGE: an image of a subscription went away. Java: `ImageMessageFlyweight`. */
export class ImageMessageFlyweight extends Flyweight {
  /** Correlation id of the image. Java: `ImageMessageFlyweight.correlationId`. */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_MESSAGE_CORRELATION_ID_OFFSET);
  }

  /** Writes the image correlation id; returns `this`. Java: `ImageMessageFlyweight.correlationId(long)`. */
  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_MESSAGE_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** Registration id of the subscription. Java: `ImageMessageFlyweight.subscriptionRegistrationId`. */
  subscriptionRegistrationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET);
  }

  /**
   * Writes the subscription registration id; returns `this`. Java:
   * `ImageMessageFlyweight.subscriptionRegistrationId(long)`.
   */
  setSubscriptionRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  /** Stream id. Java: `ImageMessageFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_MESSAGE_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `ImageMessageFlyweight.streamId(int)`. */
  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_MESSAGE_STREAM_ID_OFFSET, id);
    return this;
  }

  /** Channel of the subscription. Java: `ImageMessageFlyweight.channel`. */
  channel(): string {
    return this.buffer.getStringAscii(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET);
  }

  /** Writes the channel (length-prefixed ASCII); returns `this`. Java: `ImageMessageFlyweight.channel(String)`. */
  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET, channel);
    return this;
  }

  /** Encoded length (24 + channel length). Java: `ImageMessageFlyweight.length`. */
  length(): number {
    return IMAGE_MESSAGE_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET);
  }
}
