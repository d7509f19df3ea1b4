/**
 * NAK frame: a receiver asks the sender to retransmit a range of a term (Java: `io.aeron.protocol.NakFlyweight`).
 * Little-endian, 28 bytes.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+---------------+-------------------------------+
 *  |   Version     |     Flags     |          Type (=0x02)         |  4
 *  +---------------+---------------+-------------------------------+
 *  |                         Session ID                            |  8
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 12
 *  +---------------------------------------------------------------+
 *  |                          Term ID                              | 16
 *  +---------------------------------------------------------------+
 *  |                        Term Offset                            | 20
 *  +---------------------------------------------------------------+
 *  |                          Length                               | 24
 *  +---------------------------------------------------------------+
 * ```
 */

import { flagsToChars, HeaderFlyweight } from './header-flyweight.ts';

/** Length of a NAK frame (28). Java: `NakFlyweight.HEADER_LENGTH`. */
export const NAK_HEADER_LENGTH = 28;
/** Offset of the int32 session id in a NAK frame (8). */
export const NAK_SESSION_ID_FIELD_OFFSET = 8;
/** Offset of the int32 stream id in a NAK frame (12). */
export const NAK_STREAM_ID_FIELD_OFFSET = 12;
/** Offset of the int32 term id of the gap in a NAK frame (16). */
export const NAK_TERM_ID_FIELD_OFFSET = 16;
/** Offset of the int32 term offset of the gap in a NAK frame (20). */
export const NAK_TERM_OFFSET_FIELD_OFFSET = 20;
/** Offset of the int32 gap length in a NAK frame (24). */
export const NAK_LENGTH_FIELD_OFFSET = 24;

/** Flyweight over a NAK frame (layout in the module comment). Java: `NakFlyweight`. */
export class NakFlyweight extends HeaderFlyweight {
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(NAK_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(NAK_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(NAK_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(NAK_STREAM_ID_FIELD_OFFSET, value);
  }
  /** Term id of the gap. Java: `termId()`. */
  termId(): number {
    return this.int32At(NAK_TERM_ID_FIELD_OFFSET);
  }
  /** Writes the term id; returns `this`. Java: `termId(int)`. */
  setTermId(value: number): this {
    return this.putInt32At(NAK_TERM_ID_FIELD_OFFSET, value);
  }
  /** Offset in the term where the gap starts. Java: `termOffset()`. */
  termOffset(): number {
    return this.int32At(NAK_TERM_OFFSET_FIELD_OFFSET);
  }
  /** Writes the term offset; returns `this`. Java: `termOffset(int)`. */
  setTermOffset(value: number): this {
    return this.putInt32At(NAK_TERM_OFFSET_FIELD_OFFSET, value);
  }
  /** Length in bytes of the gap. Java: `length()`. */
  length(): number {
    return this.int32At(NAK_LENGTH_FIELD_OFFSET);
  }
  /** Writes the gap length; returns `this`. Java: `length(int)`. */
  setLength(value: number): this {
    return this.putInt32At(NAK_LENGTH_FIELD_OFFSET, value);
  }

  /** The frame as Java's `NakFlyweight.toString` prints it (`NAK{frame-length=28 …}`). Allocates. */
  override toString(): string {
    return (
      `NAK{frame-length=${this.frameLength()} version=${this.version()} flags=${flagsToChars(this.flags())}` +
      ` type=${this.headerType()} term-offset=${this.termOffset()} session-id=${this.sessionId()}` +
      ` stream-id=${this.streamId()} term-id=${this.termId()} length=${this.length()}}`
    );
  }
}
