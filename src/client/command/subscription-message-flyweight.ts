/**
 * ADD_SUBSCRIPTION (0x04) (Aeron 1.51.0 `SubscriptionMessageFlyweight`).
 *
 * ```
 *  0        8             16                          24        28            32
 *  | client | correlation | registrationCorrelationId | streamId | channel len | channel ...
 * ```
 * Clients send registrationCorrelationId = -1. Length = 32 + channel length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

export const SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
export const SUBSCRIPTION_STREAM_ID_OFFSET = 24;
export const SUBSCRIPTION_CHANNEL_OFFSET = 28;

export class SubscriptionMessageFlyweight extends CorrelatedMessageFlyweight {
  static computeLength(channelLength: number): number {
    return SUBSCRIPTION_CHANNEL_OFFSET + 4 + channelLength;
  }

  registrationCorrelationId(): number {
    return this.buffer.getInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET);
  }

  setRegistrationCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET, id);
    return this;
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET);
  }

  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET, streamId);
    return this;
  }

  channel(): string {
    return this.buffer.getStringAscii(this.offset + SUBSCRIPTION_CHANNEL_OFFSET);
  }

  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + SUBSCRIPTION_CHANNEL_OFFSET, channel);
    return this;
  }

  length(): number {
    return SUBSCRIPTION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + SUBSCRIPTION_CHANNEL_OFFSET);
  }
}
