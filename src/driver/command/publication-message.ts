/**
 * Decoders of the commands that carry a channel (Aeron 1.51.0 `PublicationMessageFlyweight`,
 * `SubscriptionMessageFlyweight`), read in place from the to-driver ring buffer: one reused instance each; only
 * the channel string is allocated (once per command).
 *
 * ```
 *  ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION       ADD_SUBSCRIPTION
 *  +0   int64 clientId                              +0   int64 clientId
 *  +8   int64 correlationId                         +8   int64 correlationId
 *  +16  int32 streamId                              +16  int64 registrationCorrelationId (-1)
 *  +20  int32 channel length                        +24  int32 streamId
 *  +24  channel (ASCII)                             +28  int32 channel length
 *                                                   +32  channel (ASCII)
 *  minimum length: the channel length field's end; the channel must fit in the record
 * ```
 */
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { ControlProtocolError } from '../driver-error.ts';
import {
  CLIENT_ID_FIELD_OFFSET,
  CORRELATION_ID_FIELD_OFFSET,
  ERROR_CODE_MALFORMED_COMMAND,
} from './control-protocol.ts';

const PUBLICATION_STREAM_ID_OFFSET = 16;
const PUBLICATION_CHANNEL_OFFSET = 20;
const SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
const SUBSCRIPTION_STREAM_ID_OFFSET = 24;
const SUBSCRIPTION_CHANNEL_OFFSET = 28;

/** Reads an ADD_PUBLICATION, ADD_EXCLUSIVE_PUBLICATION or ADD_SUBSCRIPTION command. */
export class ChannelMessageDecoder {
  #buffer: AtomicBuffer | null = null;
  #offset = 0;
  #streamIdOffset = 0;
  #channelOffset = 0;

  /** Wraps an ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION; throws `ControlProtocolError` (MALFORMED_COMMAND). */
  wrapPublication(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, PUBLICATION_STREAM_ID_OFFSET, PUBLICATION_CHANNEL_OFFSET);
  }

  /** Wraps an ADD_SUBSCRIPTION; throws `ControlProtocolError` (MALFORMED_COMMAND). */
  wrapSubscription(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, SUBSCRIPTION_STREAM_ID_OFFSET, SUBSCRIPTION_CHANNEL_OFFSET);
  }

  /** The sending client's id. */
  get clientId(): number {
    return this.#buffer!.getInt64(this.#offset + CLIENT_ID_FIELD_OFFSET);
  }

  /** The command's correlation id (the new resource's registration id). */
  get correlationId(): number {
    return this.#buffer!.getInt64(this.#offset + CORRELATION_ID_FIELD_OFFSET);
  }

  /** ADD_SUBSCRIPTION only: the registration correlation id (-1 from today's clients). */
  get registrationCorrelationId(): number {
    return this.#buffer!.getInt64(this.#offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET);
  }

  /** The stream id. */
  get streamId(): number {
    return this.#buffer!.getInt32(this.#offset + this.#streamIdOffset);
  }

  /** The channel URI (allocates the string). */
  channel(): string {
    const buffer = this.#buffer!;
    const at = this.#offset + this.#channelOffset;
    return buffer.getStringWithoutLengthAscii(at + 4, buffer.getInt32(at));
  }

  #wrap(
    buffer: AtomicBuffer,
    offset: number,
    length: number,
    msgTypeId: number,
    streamIdOffset: number,
    channelOffset: number,
  ): this {
    const minimum = channelOffset + 4;
    if (length < minimum) {
      throw new ControlProtocolError(ERROR_CODE_MALFORMED_COMMAND, `command=${msgTypeId} too short: length=${length}`);
    }
    const channelLength = buffer.getInt32(offset + channelOffset);
    if (channelLength < 0 || length - minimum < channelLength) {
      throw new ControlProtocolError(
        ERROR_CODE_MALFORMED_COMMAND,
        `command=${msgTypeId} too short for channel: length=${length}`,
      );
    }
    this.#buffer = buffer;
    this.#offset = offset;
    this.#streamIdOffset = streamIdOffset;
    this.#channelOffset = channelOffset;
    return this;
  }
}
