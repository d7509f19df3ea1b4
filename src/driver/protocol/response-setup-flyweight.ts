/**
 * RESPONSE SETUP (RSP_SETUP) frame: the subscriber of a response channel tells the publisher which session its
 * responses go to (Java: `io.aeron.protocol.ResponseSetupFlyweight`). Little-endian, 20 bytes.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+---------------+-------------------------------+
 *  |   Version     |     Flags     |          Type (=0x0B)         |  4
 *  +---------------+---------------+-------------------------------+
 *  |                         Session ID                            |  8
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 12
 *  +---------------------------------------------------------------+
 *  |                    Response Session ID                        | 16
 *  +---------------------------------------------------------------+
 * ```
 */

import { HeaderFlyweight } from './header-flyweight.ts';

/** Length of a response setup frame (20). Java: `ResponseSetupFlyweight.HEADER_LENGTH`. */
export const RESPONSE_SETUP_HEADER_LENGTH = 20;
/** Offset of the int32 session id in a response setup frame (8). */
export const RSP_SETUP_SESSION_ID_FIELD_OFFSET = 8;
/** Offset of the int32 stream id in a response setup frame (12). */
export const RSP_SETUP_STREAM_ID_FIELD_OFFSET = 12;
/** Offset of the int32 response session id in a response setup frame (16). */
export const RSP_SETUP_RESPONSE_SESSION_ID_FIELD_OFFSET = 16;

/** Flyweight over a response setup frame (layout in the module comment). Java: `ResponseSetupFlyweight`. */
export class ResponseSetupFlyweight extends HeaderFlyweight {
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(RSP_SETUP_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(RSP_SETUP_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(RSP_SETUP_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(RSP_SETUP_STREAM_ID_FIELD_OFFSET, value);
  }
  /** Session id the responses are to use. Java: `responseSessionId()`. */
  responseSessionId(): number {
    return this.int32At(RSP_SETUP_RESPONSE_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the response session id; returns `this`. Java: `responseSessionId(int)`. */
  setResponseSessionId(value: number): this {
    return this.putInt32At(RSP_SETUP_RESPONSE_SESSION_ID_FIELD_OFFSET, value);
  }
}
