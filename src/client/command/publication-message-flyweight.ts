/**
 * ADD_PUBLICATION (0x01) and ADD_EXCLUSIVE_PUBLICATION (0x03) (Aeron 1.51.0 `PublicationMessageFlyweight`).
 *
 * ```
 *  0        8             16        20             24
 *  | client | correlation | streamId | channel len | channel (ASCII, no terminator) ...
 * ```
 * Length = 24 + channel length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

export const PUBLICATION_STREAM_ID_OFFSET = 16;
export const PUBLICATION_CHANNEL_OFFSET = 20;

export class PublicationMessageFlyweight extends CorrelatedMessageFlyweight {
  static computeLength(channelLength: number): number {
    return PUBLICATION_CHANNEL_OFFSET + 4 + channelLength;
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET);
  }

  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET, streamId);
    return this;
  }

  channel(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_CHANNEL_OFFSET);
  }

  setChannel(channel: string): this {
    this.buffer.putStringAscii(this.offset + PUBLICATION_CHANNEL_OFFSET, channel);
    return this;
  }

  length(): number {
    return PUBLICATION_CHANNEL_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_CHANNEL_OFFSET);
  }
}
