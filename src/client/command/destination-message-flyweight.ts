/**
 * ADD_DESTINATION (0x07), REMOVE_DESTINATION (0x08), ADD_RCV_DESTINATION (0x0C), REMOVE_RCV_DESTINATION
 * (0x0D) (Aeron 1.51.0 `DestinationMessageFlyweight`), and REMOVE_DESTINATION_BY_ID (0x11)
 * (`DestinationByIdMessageFlyweight`).
 *
 * ```
 *  by channel:  0 client | 8 correlation | 16 registrationCorrelationId i64 | 24 channel len | 28 channel ...
 *               length = 28 + channel length
 *  by id:       0 client | 8 correlation | 16 resourceRegistrationId i64   | 24 destinationRegistrationId i64
 *               length = 32
 * ```
 * The registration id is the publication's (MDC) or subscription's (MDS).
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

export const DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
export const DESTINATION_CHANNEL_OFFSET = 24;
export const DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET = 16;
export const DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET = 24;
export const DESTINATION_BY_ID_MESSAGE_LENGTH = 32;

export class DestinationMessageFlyweight extends CorrelatedMessageFlyweight {
  static computeLength(channelLength: number): number {
    return DESTINATION_CHANNEL_OFFSET + 4 + channelLength;
  }

  registrationCorrelationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET);
  }

  setRegistrationCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET, id);
    return this;
  }

  channel(): string {
    return this.buffer.getStringAscii(this.offset + DESTINATION_CHANNEL_OFFSET);
  }

  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + DESTINATION_CHANNEL_OFFSET, channel);
    return this;
  }

  length(): number {
    return DESTINATION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + DESTINATION_CHANNEL_OFFSET);
  }
}

export class DestinationByIdMessageFlyweight extends CorrelatedMessageFlyweight {
  resourceRegistrationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET);
  }

  setResourceRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  destinationRegistrationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET);
  }

  setDestinationRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET, id);
    return this;
  }
}
