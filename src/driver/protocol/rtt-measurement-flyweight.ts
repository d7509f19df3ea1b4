/**
 * RTT MEASUREMENT (RTTM) frame: a receiver asks for, or a sender replies to, a round-trip-time measurement (Java:
 * `io.aeron.protocol.RttMeasurementFlyweight`). Little-endian, 40 bytes.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+-+-------------+-------------------------------+
 *  |   Version     |R|   Flags     |          Type (=0x06)         |  4
 *  +---------------+-+-------------+-------------------------------+
 *  |                         Session ID                            |  8
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 12
 *  +---------------------------------------------------------------+
 *  |                      Echo Timestamp (ns)                      | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Reception Delta (ns)                      | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Receiver ID                            | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * ```
 *
 * Flags: R = reply 0x80 (the frame answers a measurement request). The three int64 fields have number accessors
 * (exact while |value| ≤ 2^53, no allocation), word accessors (exact, no allocation: echo a peer's timestamp with
 * them) and, for the receiver id, a `bigint` accessor.
 */

import { flagsToChars, HeaderFlyweight } from './header-flyweight.ts';

/** Length of an RTT measurement frame (40). Java: `RttMeasurementFlyweight.HEADER_LENGTH`. */
export const RTT_MEASUREMENT_HEADER_LENGTH = 40;
/** RTTM flag: the frame is a reply (0x80). Java: `RttMeasurementFlyweight.REPLY_FLAG`. */
export const REPLY_FLAG = 0x80;

/** Offset of the int32 session id in an RTTM frame (8). */
export const RTTM_SESSION_ID_FIELD_OFFSET = 8;
/** Offset of the int32 stream id in an RTTM frame (12). */
export const RTTM_STREAM_ID_FIELD_OFFSET = 12;
/** Offset of the int64 echo timestamp in an RTTM frame (16). */
export const RTTM_ECHO_TIMESTAMP_FIELD_OFFSET = 16;
/** Offset of the int64 reception delta in an RTTM frame (24). */
export const RTTM_RECEPTION_DELTA_FIELD_OFFSET = 24;
/** Offset of the int64 receiver id in an RTTM frame (32). */
export const RTTM_RECEIVER_ID_FIELD_OFFSET = 32;

/** Flyweight over an RTT measurement frame (layout in the module comment). Java: `RttMeasurementFlyweight`. */
export class RttMeasurementFlyweight extends HeaderFlyweight {
  /** Session id of the stream. Java: `sessionId()`. */
  sessionId(): number {
    return this.int32At(RTTM_SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `sessionId(int)`. */
  setSessionId(value: number): this {
    return this.putInt32At(RTTM_SESSION_ID_FIELD_OFFSET, value);
  }
  /** Stream id. Java: `streamId()`. */
  streamId(): number {
    return this.int32At(RTTM_STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `streamId(int)`. */
  setStreamId(value: number): this {
    return this.putInt32At(RTTM_STREAM_ID_FIELD_OFFSET, value);
  }

  /** Echo timestamp in ns as a number (exact while |value| ≤ 2^53; no allocation). Java: `echoTimestampNs()`. */
  echoTimestampNs(): number {
    return this.int64At(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET);
  }
  /** Writes the echo timestamp (a safe integer); returns `this`. Java: `echoTimestampNs(long)`. */
  setEchoTimestampNs(value: number): this {
    return this.putInt64At(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET, value);
  }
  /** High (signed) word of the echo timestamp. */
  echoTimestampNsHigh(): number {
    return this.int32At(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET + 4);
  }
  /** Low word of the echo timestamp, as a signed int32. */
  echoTimestampNsLow(): number {
    return this.int32At(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET);
  }
  /** Writes the echo timestamp from its words (exact echo of a peer's value); returns `this`. */
  setEchoTimestampNsWords(high: number, low: number): this {
    return this.putInt64WordsAt(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET, high, low);
  }

  /** Reception delta in ns (exact while |value| ≤ 2^53; no allocation). Java: `receptionDelta()`. */
  receptionDelta(): number {
    return this.int64At(RTTM_RECEPTION_DELTA_FIELD_OFFSET);
  }
  /** Writes the reception delta (a safe integer); returns `this`. Java: `receptionDelta(long)`. */
  setReceptionDelta(value: number): this {
    return this.putInt64At(RTTM_RECEPTION_DELTA_FIELD_OFFSET, value);
  }

  /** High (signed) word of the receiver id (hot path, no allocation). */
  receiverIdHigh(): number {
    return this.int32At(RTTM_RECEIVER_ID_FIELD_OFFSET + 4);
  }
  /** Low word of the receiver id, as a signed int32 (hot path, no allocation). */
  receiverIdLow(): number {
    return this.int32At(RTTM_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id from its words; returns `this` (hot path, no allocation). */
  setReceiverIdWords(high: number, low: number): this {
    return this.putInt64WordsAt(RTTM_RECEIVER_ID_FIELD_OFFSET, high, low);
  }
  /** Receiver id, exact (allocates: control paths). Java: `receiverId()`. */
  receiverId(): bigint {
    return this.int64BigIntAt(RTTM_RECEIVER_ID_FIELD_OFFSET);
  }
  /** Writes the receiver id (modulo 2^64); returns `this`. Java: `receiverId(long)`. */
  setReceiverId(value: bigint): this {
    return this.putInt64At(RTTM_RECEIVER_ID_FIELD_OFFSET, value);
  }

  /** The frame as Java's `RttMeasurementFlyweight.toString` prints it (`RTTM{frame-length=40 …}`). Allocates. */
  override toString(): string {
    return (
      `RTTM{frame-length=${this.frameLength()} version=${this.version()} flags=${flagsToChars(this.flags())}` +
      ` type=${this.headerType()} session-id=${this.sessionId()} stream-id=${this.streamId()}` +
      ` echo-timestamp=${this.int64BigIntAt(RTTM_ECHO_TIMESTAMP_FIELD_OFFSET)}` +
      ` reception-delta=${this.int64BigIntAt(RTTM_RECEPTION_DELTA_FIELD_OFFSET)} receiver-id=${this.receiverId()}}`
    );
  }
}
