/**
 * ADD_DESTINATION (0x07), REMOVE_DESTINATION (0x08), ADD_RCV_DESTINATION (0x0C), REMOVE_RCV_DESTINATION
 * (0x0D) (Java: `DestinationMessageFlyweight`), and REMOVE_DESTINATION_BY_ID (0x11)
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

/**
 * By channel: offset of the int64 registration id of the publication or subscription (16). Java:
 * `DestinationMessageFlyweight.REGISTRATION_CORRELATION_ID_OFFSET` (private).
 */
export const DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
/**
 * By channel: offset of the int32 channel length, the ASCII channel after it (24). Java:
 * `DestinationMessageFlyweight.CHANNEL_OFFSET` (private).
 */
export const DESTINATION_CHANNEL_OFFSET = 24;
/**
 * By id: offset of the int64 registration id of the publication or subscription (16). Java:
 * `DestinationByIdMessageFlyweight.RESOURCE_REGISTRATION_ID_OFFSET` (private).
 */
export const DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET = 16;
/**
 * By id: offset of the int64 registration id of the destination (24). Java:
 * `DestinationByIdMessageFlyweight.DESTINATION_REGISTRATION_ID_OFFSET` (private).
 */
export const DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET = 24;
/** Length of REMOVE_DESTINATION_BY_ID (32). Java: `DestinationByIdMessageFlyweight.MESSAGE_LENGTH`. */
export const DESTINATION_BY_ID_MESSAGE_LENGTH = 32;

/**
 * ADD_DESTINATION, REMOVE_DESTINATION, ADD_RCV_DESTINATION, REMOVE_RCV_DESTINATION: a destination channel for a
 * publication or subscription. Java: `DestinationMessageFlyweight`.
 */
export class DestinationMessageFlyweight extends CorrelatedMessageFlyweight {
  /** Encoded length for a channel of `channelLength` ASCII bytes (28 + length). */
  static computeLength(channelLength: number): number {
    return DESTINATION_CHANNEL_OFFSET + 4 + channelLength;
  }

  /**
   * Registration id of the publication or subscription the destination belongs to. Java:
   * `DestinationMessageFlyweight.registrationCorrelationId`.
   */
  registrationCorrelationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET);
  }

  /**
   * Writes the registration id; returns `this`. Java: `DestinationMessageFlyweight.registrationCorrelationId(long)`.
   */
  setRegistrationCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_REGISTRATION_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** The destination channel (ASCII). Java: `DestinationMessageFlyweight.channel`. */
  channel(): string {
    return this.buffer.getStringAscii(this.offset + DESTINATION_CHANNEL_OFFSET);
  }

  /**
   * Writes the channel (length-prefixed ASCII); returns `this`. Java: `DestinationMessageFlyweight.channel(String)`.
   */
  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + DESTINATION_CHANNEL_OFFSET, channel);
    return this;
  }

  /** Encoded length, from the channel length written. Java: `DestinationMessageFlyweight.length`. */
  length(): number {
    return DESTINATION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + DESTINATION_CHANNEL_OFFSET);
  }
}

/** REMOVE_DESTINATION_BY_ID: a destination named by its registration id. Java: `DestinationByIdMessageFlyweight`. */
export class DestinationByIdMessageFlyweight extends CorrelatedMessageFlyweight {
  /**
   * Registration id of the publication or subscription. Java: `DestinationByIdMessageFlyweight.resourceRegistrationId`.
   */
  resourceRegistrationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET);
  }

  /**
   * Writes the resource registration id; returns `this`. Java:
   * `DestinationByIdMessageFlyweight.resourceRegistrationId(long)`.
   */
  setResourceRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_BY_ID_RESOURCE_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  /**
   * Registration id of the destination (from its ADD_DESTINATION). Java:
   * `DestinationByIdMessageFlyweight.destinationRegistrationId`.
   */
  destinationRegistrationId(): number {
    return this.buffer.getInt64(this.offset + DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET);
  }

  /**
   * Writes the destination registration id; returns `this`. Java:
   * `DestinationByIdMessageFlyweight.destinationRegistrationId(long)`.
   */
  setDestinationRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + DESTINATION_BY_ID_DESTINATION_REGISTRATION_ID_OFFSET, id);
    return this;
  }
}
