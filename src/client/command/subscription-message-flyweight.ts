/**
 * ADD_SUBSCRIPTION (0x04) (Java: `SubscriptionMessageFlyweight`).
 *
 * ```
 *  0        8             16                          24        28            32
 *  | client | correlation | registrationCorrelationId | streamId | channel len | channel ...
 * ```
 * Clients send registrationCorrelationId = -1. Length = 32 + channel length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/**
 * Offset of the int64 registration correlation id (-1 from clients) (16). Java:
 * `SubscriptionMessageFlyweight.REGISTRATION_CORRELATION_ID_OFFSET` (private).
 */
export const SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
/** Offset of the int32 stream id (24). Java: `SubscriptionMessageFlyweight.STREAM_ID_OFFSET` (private). */
export const SUBSCRIPTION_STREAM_ID_OFFSET = 24;
/**
 * Offset of the int32 channel length, the ASCII channel after it (28). Java:
 * `SubscriptionMessageFlyweight.CHANNEL_OFFSET` (private).
 */
export const SUBSCRIPTION_CHANNEL_OFFSET = 28;

/** ADD_SUBSCRIPTION: a channel and stream to subscribe to. Java: `SubscriptionMessageFlyweight`. */
export class SubscriptionMessageFlyweight extends CorrelatedMessageFlyweight {
  /** Encoded length for a channel of `channelLength` ASCII bytes (32 + length). */
  static computeLength(channelLength: number): number {
    return SUBSCRIPTION_CHANNEL_OFFSET + 4 + channelLength;
  }

  /** Registration correlation id (clients send -1). Java: `SubscriptionMessageFlyweight.registrationCorrelationId`. */
  registrationCorrelationId(): number {
    return this.buffer.getInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET);
  }

  /**
   * Writes the registration correlation id; returns `this`. Java:
   * `SubscriptionMessageFlyweight.registrationCorrelationId(long)`.
   */
  setRegistrationCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** Stream id. Java: `SubscriptionMessageFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `SubscriptionMessageFlyweight.streamId(int)`. */
  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET, streamId);
    return this;
  }

  /** The channel URI (ASCII). Java: `SubscriptionMessageFlyweight.channel`. */
  channel(): string {
    return this.buffer.getStringAscii(this.offset + SUBSCRIPTION_CHANNEL_OFFSET);
  }

  /**
   * Writes the channel (length-prefixed ASCII); returns `this`. Java: `SubscriptionMessageFlyweight.channel(String)`.
   */
  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + SUBSCRIPTION_CHANNEL_OFFSET, channel);
    return this;
  }

  /** Encoded length, from the channel length written. Java: `SubscriptionMessageFlyweight.length`. */
  length(): number {
    return SUBSCRIPTION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + SUBSCRIPTION_CHANNEL_OFFSET);
  }
}
