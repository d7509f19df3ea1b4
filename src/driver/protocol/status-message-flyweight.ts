/**
 * STATUS MESSAGE (SM) frame: a receiver tells the sender how far it has consumed and how much window it grants,
 * optionally with its group tag (Java: `io.aeron.protocol.StatusMessageFlyweight`). Little-endian, 36 bytes, or
 * 44 with a group tag: the tag's presence is told by the frame length, not by a flag.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+-+-+-----------+-------------------------------+
 *  |   Version     |S|E|   Flags   |          Type (=0x03)         |  4
 *  +---------------+-+-+-----------+-------------------------------+
 *  |                         Session ID                            |  8
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 12
 *  +---------------------------------------------------------------+
 *  |                  Consumption Term ID                          | 16
 *  +---------------------------------------------------------------+
 *  |R|                Consumption Term Offset                      | 20
 *  +-+-------------------------------------------------------------+
 *  |                      Receiver Window                          | 24
 *  +---------------------------------------------------------------+
 *  |                        Receiver ID                            | 28
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Group Tag (optional, frame length 44)            | 36
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * ```
 *
 * Flags: S = send setup 0x80 (the receiver asks for a SETUP), E = end of stream 0x40 (the receiver is going away).
 * The receiver id and the group tag are int64s at offsets that are not 8-aligned; the word accessors read and write
 * them as two int32s (low word first) without allocating.
 */

import { IllegalStateError } from '../../../codecs/runtime/aeron-error.ts';
import { flagsToChars, HeaderFlyweight, int64BigInt } from './header-flyweight.ts';

/** Length of a status message without a group tag (36). Java: `StatusMessageFlyweight.HEADER_LENGTH`. */
export const STATUS_MESSAGE_HEADER_LENGTH = 36;
/** Length of a status message carrying a group tag (44). */
export const STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH = 44;
/** SM flag: the receiver asks the sender for a SETUP (0x80). Java: `StatusMessageFlyweight.SEND_SETUP_FLAG`. */
export const SEND_SETUP_FLAG = 0x80;
/** SM flag: the receiver is at end of stream, going away (0x40). Java: `StatusMessageFlyweight.END_OF_STREAM_FLAG`. */
export const END_OF_STREAM_FLAG = 0x40;

/** Offset of the int32 session id in a status message (8). */
export const SM_SESSION_ID_FIELD_OFFSET = 8;
/** Offset of the int32 stream id in a status message (12). */
export const SM_STREAM_ID_FIELD_OFFSET = 12;
/** Offset of the int32 consumption term id in a status message (16). */
export const SM_CONSUMPTION_TERM_ID_FIELD_OFFSET = 16;
/** Offset of the int32 consumption term offset in a status message (20). */
export const SM_CONSUMPTION_TERM_OFFSET_FIELD_OFFSET = 20;
/** Offset of the int32 receiver window length in a status message (24). */
export const SM_RECEIVER_WINDOW_FIELD_OFFSET = 24;
/** Offset of the int64 receiver id in a status message (28). */
export const SM_RECEIVER_ID_FIELD_OFFSET = 28;
/**
 * Offset of the application specific feedback, i.e. the int64 group tag, in a status message (36). Java:
 * `StatusMessageFlyweight.groupTagFieldOffset()`.
 */
export const SM_GROUP_TAG_FIELD_OFFSET = 36;

/** Flyweight over a status message (layout in the module comment). Java: `StatusMessageFlyweight`. */
export class StatusMessageFlyweight extends HeaderFlyweight {
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(SM_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(SM_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(SM_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(SM_STREAM_ID_FIELD_OFFSET, value);
  }
  /** Term id the receiver has consumed up to. Java: `consumptionTermId()`. */
  consumptionTermId(): number {
    return this.int32At(SM_CONSUMPTION_TERM_ID_FIELD_OFFSET);
  }
  /** Writes the consumption term id; returns `this`. Java: `consumptionTermId(int)`. */
  setConsumptionTermId(value: number): this {
    return this.putInt32At(SM_CONSUMPTION_TERM_ID_FIELD_OFFSET, value);
  }
  /** Offset in that term the receiver has consumed up to. Java: `consumptionTermOffset()`. */
  consumptionTermOffset(): number {
    return this.int32At(SM_CONSUMPTION_TERM_OFFSET_FIELD_OFFSET);
  }
  /** Writes the consumption term offset; returns `this`. Java: `consumptionTermOffset(int)`. */
  setConsumptionTermOffset(value: number): this {
    return this.putInt32At(SM_CONSUMPTION_TERM_OFFSET_FIELD_OFFSET, value);
  }
  /** Bytes the receiver grants beyond its consumption position. Java: `receiverWindowLength()`. */
  receiverWindowLength(): number {
    return this.int32At(SM_RECEIVER_WINDOW_FIELD_OFFSET);
  }
  /** Writes the receiver window length; returns `this`. Java: `receiverWindowLength(int)`. */
  setReceiverWindowLength(value: number): this {
    return this.putInt32At(SM_RECEIVER_WINDOW_FIELD_OFFSET, value);
  }

  /** High (signed) word of the receiver id, bits 32..63 (hot path, no allocation). */
  receiverIdHigh(): number {
    return this.int32At(SM_RECEIVER_ID_FIELD_OFFSET + 4);
  }
  /** Low word of the receiver id, bits 0..31, as a signed int32 (hot path, no allocation). */
  receiverIdLow(): number {
    return this.int32At(SM_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id from its words; returns `this` (hot path, no allocation). */
  setReceiverIdWords(high: number, low: number): this {
    return this.putInt64WordsAt(SM_RECEIVER_ID_FIELD_OFFSET, high, low);
  }
  /** Receiver id, exact (allocates: control paths). Java: `receiverId()`. */
  receiverId(): bigint {
    return this.int64BigIntAt(SM_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id (modulo 2^64); returns `this`. Java: `receiverId(long)`. */
  setReceiverId(value: bigint): this {
    return this.putInt64At(SM_RECEIVER_ID_FIELD_OFFSET, value);
  }

  /** Length of the application specific feedback: frame length − 36. Java: `asfLength()`. */
  asfLength(): number {
    return this.frameLength() - STATUS_MESSAGE_HEADER_LENGTH;
  }

  /**
   * True when the frame carries a group tag (frame length > 36). Throws `IllegalStateError` when it carries more
   * feedback than a tag, with Java's message (Java's `groupTag()` throws `AeronException`).
   */
  hasGroupTag(): boolean {
    const frameLength = this.frameLength();
    if (frameLength <= STATUS_MESSAGE_HEADER_LENGTH) return false;
    if (frameLength > STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH) {
      throw new IllegalStateError(
        `SM has longer application specific feedback (${frameLength - STATUS_MESSAGE_HEADER_LENGTH}) than gtag`,
      );
    }
    return true;
  }
  /** High (signed) word of the group tag, 0 when the frame has none (see {@link hasGroupTag} for the throw). */
  groupTagHigh(): number {
    return this.hasGroupTag() ? this.int32At(SM_GROUP_TAG_FIELD_OFFSET + 4) : 0;
  }
  /** Low word of the group tag as a signed int32, 0 when the frame has none (see {@link hasGroupTag}). */
  groupTagLow(): number {
    return this.hasGroupTag() ? this.int32At(SM_GROUP_TAG_FIELD_OFFSET) : 0;
  }
  /** Group tag, exact, 0n when the frame has none (allocates). Java: `groupTag()`. */
  groupTag(): bigint {
    return this.hasGroupTag() ? int64BigInt(this.groupTagHigh(), this.groupTagLow()) : 0n;
  }
  /**
   * Sets a group tag from its words and the frame length to 44; returns `this` (hot path, no allocation). Java:
   * `groupTag(Long)` with a value.
   */
  setGroupTagWords(high: number, low: number): this {
    this.setFrameLength(STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH);
    return this.putInt64WordsAt(SM_GROUP_TAG_FIELD_OFFSET, high, low);
  }
  /** Drops the group tag: frame length 36; returns `this`. Java: `groupTag(null)`. */
  clearGroupTag(): this {
    return this.setFrameLength(STATUS_MESSAGE_HEADER_LENGTH);
  }
  /**
   * Sets the group tag (frame length 44) or, for `null`, drops it (frame length 36); returns `this`. Java:
   * `groupTag(Long)`.
   */
  setGroupTag(value: bigint | null): this {
    if (value === null) return this.clearGroupTag();
    this.setFrameLength(STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH);
    return this.putInt64At(SM_GROUP_TAG_FIELD_OFFSET, value);
  }

  /** The frame as Java's `StatusMessageFlyweight.toString` prints it (`STATUS{frame-length=36 …}`). Allocates. */
  override toString(): string {
    return (
      `STATUS{frame-length=${this.frameLength()} version=${this.version()} flags=${flagsToChars(this.flags())}` +
      ` type=${this.headerType()} session-id=${this.sessionId()} stream-id=${this.streamId()}` +
      ` consumption-term-id=${this.consumptionTermId()} consumption-term-offset=${this.consumptionTermOffset()}` +
      ` receiver-window-length=${this.receiverWindowLength()}}`
    );
  }
}
