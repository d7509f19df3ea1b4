/**
 * ADD_PUBLICATION (0x01) and ADD_EXCLUSIVE_PUBLICATION (0x03) (Java: `PublicationMessageFlyweight`).
 *
 * ```
 *  0        8             16        20             24
 *  | client | correlation | streamId | channel len | channel (ASCII, no terminator) ...
 * ```
 * Length = 24 + channel length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/** Offset of the int32 stream id (16). Java: `PublicationMessageFlyweight.STREAM_ID_FIELD_OFFSET` (private). */
export const PUBLICATION_STREAM_ID_OFFSET = 16;
/**
 * Offset of the int32 channel length, the ASCII channel after it (20). Java:
 * `PublicationMessageFlyweight.CHANNEL_OFFSET` (private).
 */
export const PUBLICATION_CHANNEL_OFFSET = 20;

/**
 * ADD_PUBLICATION and ADD_EXCLUSIVE_PUBLICATION: a channel and stream to publish on. Java:
 * `PublicationMessageFlyweight`.
 */
export class PublicationMessageFlyweight extends CorrelatedMessageFlyweight {
  /** Encoded length for a channel of `channelLength` ASCII bytes (24 + length). */
  static computeLength(channelLength: number): number {
    return PUBLICATION_CHANNEL_OFFSET + 4 + channelLength;
  }

  /** Stream id. Java: `PublicationMessageFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `PublicationMessageFlyweight.streamId(int)`. */
  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET, streamId);
    return this;
  }

  /** The channel URI (ASCII). Java: `PublicationMessageFlyweight.channel`. */
  channel(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_CHANNEL_OFFSET);
  }

  /**
   * Writes the channel (length-prefixed ASCII); returns `this`. Java: `PublicationMessageFlyweight.channel(String)`.
   */
  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + PUBLICATION_CHANNEL_OFFSET, channel);
    return this;
  }

  /** Encoded length, from the channel length written. Java: `PublicationMessageFlyweight.length`. */
  length(): number {
    return PUBLICATION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_CHANNEL_OFFSET);
  }
}
