/**
 * SETUP frame: a sender announces a stream (its term geometry and where it is) until a receiver answers with a
 * status message (Java: `io.aeron.protocol.SetupFlyweight`). Little-endian, 40 bytes.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+---------------+-------------------------------+
 *  |   Version     |S|G|  Flags    |          Type (=0x05)         |  4
 *  +---------------+---------------+-------------------------------+
 *  |R|                       Term Offset                           |  8
 *  +-+-------------------------------------------------------------+
 *  |                         Session ID                            | 12
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 16
 *  +---------------------------------------------------------------+
 *  |                     Initial Term ID                           | 20
 *  +---------------------------------------------------------------+
 *  |                      Active Term ID                           | 24
 *  +---------------------------------------------------------------+
 *  |                        Term Length                            | 28
 *  +---------------------------------------------------------------+
 *  |                        MTU Length                             | 32
 *  +---------------------------------------------------------------+
 *  |                           TTL                                 | 36
 *  +---------------------------------------------------------------+
 * ```
 *
 * Flags: S = send response setup 0x80 (the subscriber should answer with a RSP_SETUP), G = group (multicast
 * semantics) 0x40.
 */

import { flagsToChars, HeaderFlyweight } from './header-flyweight.ts';

/** Length of a SETUP frame (40). Java: `SetupFlyweight.HEADER_LENGTH`. */
export const SETUP_HEADER_LENGTH = 40;
/** SETUP flag: the subscriber should send a response setup (0x80). Java: `SetupFlyweight.SEND_RESPONSE_SETUP_FLAG`. */
export const SEND_RESPONSE_SETUP_FLAG = 0x80;
/** SETUP flag: the publication uses group (multicast) semantics (0x40). Java: `SetupFlyweight.GROUP_FLAG`. */
export const GROUP_FLAG = 0x40;

/** Offset of the int32 term offset in a SETUP frame (8). */
export const SETUP_TERM_OFFSET_FIELD_OFFSET = 8;
/** Offset of the int32 session id in a SETUP frame (12). */
export const SETUP_SESSION_ID_FIELD_OFFSET = 12;
/** Offset of the int32 stream id in a SETUP frame (16). */
export const SETUP_STREAM_ID_FIELD_OFFSET = 16;
/** Offset of the int32 initial term id in a SETUP frame (20). */
export const SETUP_INITIAL_TERM_ID_FIELD_OFFSET = 20;
/** Offset of the int32 active term id in a SETUP frame (24). */
export const SETUP_ACTIVE_TERM_ID_FIELD_OFFSET = 24;
/** Offset of the int32 term length in a SETUP frame (28). */
export const SETUP_TERM_LENGTH_FIELD_OFFSET = 28;
/** Offset of the int32 MTU length in a SETUP frame (32). */
export const SETUP_MTU_LENGTH_FIELD_OFFSET = 32;
/** Offset of the int32 multicast TTL in a SETUP frame (36). */
export const SETUP_TTL_FIELD_OFFSET = 36;

/** Flyweight over a SETUP frame (layout in the module comment). Java: `SetupFlyweight`. */
export class SetupFlyweight extends HeaderFlyweight {
  /** Offset in the active term the sender is at. Java: `termOffset()`. */
  termOffset(): number {
    return this.int32At(SETUP_TERM_OFFSET_FIELD_OFFSET);
  }
  /** Writes the term offset; returns `this`. Java: `termOffset(int)`. */
  setTermOffset(value: number): this {
    return this.putInt32At(SETUP_TERM_OFFSET_FIELD_OFFSET, value);
  }
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(SETUP_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(SETUP_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(SETUP_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(SETUP_STREAM_ID_FIELD_OFFSET, value);
  }
  /** Initial term id of the stream. Java: `initialTermId()`. */
  initialTermId(): number {
    return this.int32At(SETUP_INITIAL_TERM_ID_FIELD_OFFSET);
  }
  /** Writes the initial term id; returns `this`. Java: `initialTermId(int)`. */
  setInitialTermId(value: number): this {
    return this.putInt32At(SETUP_INITIAL_TERM_ID_FIELD_OFFSET, value);
  }
  /** Term id the sender is in. Java: `activeTermId()`. */
  activeTermId(): number {
    return this.int32At(SETUP_ACTIVE_TERM_ID_FIELD_OFFSET);
  }
  /** Writes the active term id; returns `this`. Java: `activeTermId(int)`. */
  setActiveTermId(value: number): this {
    return this.putInt32At(SETUP_ACTIVE_TERM_ID_FIELD_OFFSET, value);
  }
  /** Term length of the stream's log. Java: `termLength()`. */
  termLength(): number {
    return this.int32At(SETUP_TERM_LENGTH_FIELD_OFFSET);
  }
  /** Writes the term length; returns `this`. Java: `termLength(int)`. */
  setTermLength(value: number): this {
    return this.putInt32At(SETUP_TERM_LENGTH_FIELD_OFFSET, value);
  }
  /** MTU length of the stream. Java: `mtuLength()`. */
  mtuLength(): number {
    return this.int32At(SETUP_MTU_LENGTH_FIELD_OFFSET);
  }
  /** Writes the MTU length; returns `this`. Java: `mtuLength(int)`. */
  setMtuLength(value: number): this {
    return this.putInt32At(SETUP_MTU_LENGTH_FIELD_OFFSET, value);
  }
  /** Multicast TTL of the sender (0 for unicast). Java: `ttl()`. */
  ttl(): number {
    return this.int32At(SETUP_TTL_FIELD_OFFSET);
  }
  /** Writes the TTL; returns `this`. Java: `ttl(int)`. */
  setTtl(value: number): this {
    return this.putInt32At(SETUP_TTL_FIELD_OFFSET, value);
  }

  /** The frame as Java's `SetupFlyweight.toString` prints it (`SETUP{frame-length=40 …}`). Allocates. */
  override toString(): string {
    return (
      `SETUP{frame-length=${this.frameLength()} version=${this.version()} flags=${flagsToChars(this.flags())}` +
      ` type=${this.headerType()} term-offset=${this.termOffset()} session-id=${this.sessionId()}` +
      ` stream-id=${this.streamId()} initial-term-id=${this.initialTermId()} active-term-id=${this.activeTermId()}` +
      ` term-length=${this.termLength()} mtu-length=${this.mtuLength()} ttl=${this.ttl()}}`
    );
  }
}
