/**
 * ERROR (ERR) frame: a receiver tells a publication's sender about an error, e.g. an image rejected by a
 * subscriber; the sender's client surfaces it as a publication error (Java: `io.aeron.protocol.ErrorFlyweight`,
 * since 1.47.0). Little-endian, 40 bytes + the error string.
 *
 * ```
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-------------------------------------------------------------+
 *  0 |R|                 Frame Length (varies)                       |
 *    +---------------+-------+-+-----+-------------------------------+
 *  4 |   Version     |       |G|     |         Type (=0x04)          |
 *    +---------------+-------+-+-----+-------------------------------+
 *  8 |                          Session ID                           |
 *    +---------------------------------------------------------------+
 * 12 |                           Stream ID                           |
 *    +---------------------------------------------------------------+
 * 16 |                          Receiver ID                          |
 *    |                                                               |
 *    +---------------------------------------------------------------+
 * 24 |                           Group Tag                           |
 *    |                                                               |
 *    +---------------------------------------------------------------+
 * 32 |                          Error Code                           |
 *    +---------------------------------------------------------------+
 * 36 |                     Error String Length                       |
 *    +---------------------------------------------------------------+
 * 40 |                         Error String                        ...
 *    +---------------------------------------------------------------+
 * ```
 *
 * Flags: G = has group tag 0x08 (without it the group tag field is not meaningful). The frame length is
 * 40 + the string's length. The string is ASCII; Java's driver refuses reasons longer than
 * `MAX_ERROR_MESSAGE_LENGTH` before it builds the frame.
 */

import { flagsToChars, HeaderFlyweight, int64BigInt } from './header-flyweight.ts';

/** Offset of the int32 session id in an error frame (8). Java: `ErrorFlyweight.SESSION_ID_FIELD_OFFSET`. */
export const ERR_SESSION_ID_FIELD_OFFSET = 8;
/** Offset of the int32 stream id in an error frame (12). Java: `ErrorFlyweight.STREAM_ID_FIELD_OFFSET`. */
export const ERR_STREAM_ID_FIELD_OFFSET = 12;
/** Offset of the int64 receiver id in an error frame (16). Java: `ErrorFlyweight.RECEIVER_ID_FIELD_OFFSET`. */
export const ERR_RECEIVER_ID_FIELD_OFFSET = 16;
/** Offset of the int64 group tag in an error frame (24). Java: `ErrorFlyweight.GROUP_TAG_FIELD_OFFSET`. */
export const ERR_GROUP_TAG_FIELD_OFFSET = 24;
/** Offset of the int32 error code in an error frame (32). Java: `ErrorFlyweight.ERROR_CODE_FIELD_OFFSET`. */
export const ERR_ERROR_CODE_FIELD_OFFSET = 32;
/**
 * Offset of the error string (int32 length, then ASCII bytes) in an error frame (36). Java:
 * `ErrorFlyweight.ERROR_STRING_FIELD_OFFSET`.
 */
export const ERR_ERROR_STRING_FIELD_OFFSET = 36;
/** Length of an error frame without its string's bytes (40). Java: `ErrorFlyweight.HEADER_LENGTH`. */
export const ERROR_HEADER_LENGTH = 40;
/** Longest error string an error frame carries (1023). Java: `ErrorFlyweight.MAX_ERROR_MESSAGE_LENGTH`. */
export const MAX_ERROR_MESSAGE_LENGTH = 1023;
/** Longest error frame (40 + 1023 = 1063). Java: `ErrorFlyweight.MAX_ERROR_FRAME_LENGTH`. */
export const MAX_ERROR_FRAME_LENGTH = ERROR_HEADER_LENGTH + MAX_ERROR_MESSAGE_LENGTH;
/** ERR flag: the group tag field is set (0x08). Java: `ErrorFlyweight.HAS_GROUP_ID_FLAG`. */
export const HAS_GROUP_ID_FLAG = 0x08;

/** Flyweight over an error frame (layout in the module comment). Java: `ErrorFlyweight`. */
export class ErrorFlyweight extends HeaderFlyweight {
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(ERR_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(ERR_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(ERR_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(ERR_STREAM_ID_FIELD_OFFSET, value);
  }

  /** High (signed) word of the receiver id (no allocation). */
  receiverIdHigh(): number {
    return this.int32At(ERR_RECEIVER_ID_FIELD_OFFSET + 4);
  }
  /** Low word of the receiver id, as a signed int32 (no allocation). */
  receiverIdLow(): number {
    return this.int32At(ERR_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id from its words; returns `this` (no allocation). */
  setReceiverIdWords(high: number, low: number): this {
    return this.putInt64WordsAt(ERR_RECEIVER_ID_FIELD_OFFSET, high, low);
  }
  /** Receiver id, exact (allocates). Java: `receiverId()`. */
  receiverId(): bigint {
    return this.int64BigIntAt(ERR_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id (modulo 2^64); returns `this`. Java: `receiverId(long)`. */
  setReceiverId(value: bigint): this {
    return this.putInt64At(ERR_RECEIVER_ID_FIELD_OFFSET, value);
  }

  /** True when the has-group-tag flag (0x08) is set. Java: `hasGroupTag()`. */
  hasGroupTag(): boolean {
    return (this.flags() & HAS_GROUP_ID_FLAG) === HAS_GROUP_ID_FLAG;
  }
  /** High (signed) word of the group tag field, whatever the flag (no allocation). */
  groupTagHigh(): number {
    return this.int32At(ERR_GROUP_TAG_FIELD_OFFSET + 4);
  }
  /** Low word of the group tag field as a signed int32, whatever the flag (no allocation). */
  groupTagLow(): number {
    return this.int32At(ERR_GROUP_TAG_FIELD_OFFSET);
  }
  /** The group tag field, whatever the flag (allocates). Java: `groupTag()`. */
  groupTag(): bigint {
    return int64BigInt(this.groupTagHigh(), this.groupTagLow());
  }
  /**
   * Sets the group tag and the has-group-tag flag, or for `null` clears the flag and leaves the field; returns
   * `this`. Java: `groupTag(Long)`.
   */
  setGroupTag(value: bigint | null): this {
    if (value === null) return this.setFlags(this.flags() & ~HAS_GROUP_ID_FLAG);
    this.putInt64At(ERR_GROUP_TAG_FIELD_OFFSET, value);
    return this.setFlags(this.flags() | HAS_GROUP_ID_FLAG);
  }

  /** Aeron error code (`ErrorCode` value, e.g. IMAGE_REJECTED). Java: `errorCode()`. */
  errorCode(): number {
    return this.int32At(ERR_ERROR_CODE_FIELD_OFFSET);
  }
  /** Writes the error code; returns `this`. Java: `errorCode(int)`. */
  setErrorCode(value: number): this {
    return this.putInt32At(ERR_ERROR_CODE_FIELD_OFFSET, value);
  }
  /** Length in bytes of the error string (its int32 length prefix). */
  errorMessageLength(): number {
    return this.int32At(ERR_ERROR_STRING_FIELD_OFFSET);
  }
  /** The error string, ASCII (allocates). Java: `errorMessage()`. */
  errorMessage(): string {
    return this.frameBuffer.getStringAscii(this.frameOffset + ERR_ERROR_STRING_FIELD_OFFSET);
  }
  /**
   * Writes the error string (length-prefixed ASCII, chars above 127 as `?`) and sets the frame length to 40 + its
   * length; returns `this`. Java: `errorMessage(String)`.
   */
  setErrorMessage(value: string): this {
    const written = this.frameBuffer.putStringAscii(this.frameOffset + ERR_ERROR_STRING_FIELD_OFFSET, value);
    return this.setFrameLength(ERROR_HEADER_LENGTH + written - 4);
  }

  /**
   * The frame as Java's `ErrorFlyweight.toString` prints it (`ERROR{frame-length=… error-message=…}`). Allocates.
   */
  override toString(): string {
    return (
      `ERROR{frame-length=${this.frameLength()} version=${this.version()} flags=${flagsToChars(this.flags())}` +
      ` type=${this.headerType()} session-id=${this.sessionId()} stream-id=${this.streamId()}` +
      ` error-code=${this.errorCode()} error-message=${this.errorMessage()}}`
    );
  }
}
