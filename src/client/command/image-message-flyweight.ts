/**
 * ON_UNAVAILABLE_IMAGE (0x0F05) (Aeron 1.51.0 `ImageMessageFlyweight`).
 *
 * ```
 *  0 correlationId i64 (the image's) | 8 subscriptionRegistrationId i64 | 16 streamId i32
 *  | 20 channel len i32 | 24 channel ASCII ...                   length = 24 + n
 * ```
 */
import { Flyweight } from './flyweight.ts';

export const IMAGE_MESSAGE_CORRELATION_ID_OFFSET = 0;
export const IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 8;
export const IMAGE_MESSAGE_STREAM_ID_OFFSET = 16;
export const IMAGE_MESSAGE_CHANNEL_OFFSET = 20;

export class ImageMessageFlyweight extends Flyweight {
  correlationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_MESSAGE_CORRELATION_ID_OFFSET);
  }

  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_MESSAGE_CORRELATION_ID_OFFSET, id);
    return this;
  }

  subscriptionRegistrationId(): number {
    return this.buffer.getInt64(this.offset + IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET);
  }

  setSubscriptionRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + IMAGE_MESSAGE_STREAM_ID_OFFSET);
  }

  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + IMAGE_MESSAGE_STREAM_ID_OFFSET, id);
    return this;
  }

  channel(): string {
    return this.buffer.getStringAscii(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET);
  }

  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET, channel);
    return this;
  }

  length(): number {
    return IMAGE_MESSAGE_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + IMAGE_MESSAGE_CHANNEL_OFFSET);
  }
}
