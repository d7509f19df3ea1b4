/**
 * The 32-byte data frame header, identical in a term buffer and on the wire (Java:
 * `HeaderFlyweight` / `DataHeaderFlyweight`). Little-endian.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+-+-+-+-+-+-+-+-+-------------------------------+
 *  |   Version     |B|E|S|R|       |              Type             |  4
 *  +---------------+-+-+-+-+-+-+-+-+-------------------------------+
 *  |R|                       Term Offset                           |  8
 *  +-+-------------------------------------------------------------+
 *  |                         Session ID                            | 12
 *  +---------------------------------------------------------------+
 *  |                         Stream ID                             | 16
 *  +---------------------------------------------------------------+
 *  |                          Term ID                              | 20
 *  +---------------------------------------------------------------+
 *  |                       Reserved Value                          | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                           Data                               ... 32
 * ```
 *
 * Flags: B = begin fragment 0x80, E = end fragment 0x40, S = end of stream 0x20, R = revoked 0x10.
 * The frame length is header + payload, unaligned; 0 = not yet written, negative = being written.
 */

import { IllegalStateError } from '../../codecs/runtime/aeron-error.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/** Offset in a frame of the int32 frame length (0). Java: `HeaderFlyweight.FRAME_LENGTH_FIELD_OFFSET`. */
export const FRAME_LENGTH_FIELD_OFFSET = 0;
/** Offset in a frame of the uint8 version (4). Java: `HeaderFlyweight.VERSION_FIELD_OFFSET`. */
export const VERSION_FIELD_OFFSET = 4;
/** Offset in a frame of the uint8 flags (5). Java: `HeaderFlyweight.FLAGS_FIELD_OFFSET`. */
export const FLAGS_FIELD_OFFSET = 5;
/**
 * Offset in a frame of the uint16 frame type, one of the `HDR_TYPE_*` values (6). Java:
 * `HeaderFlyweight.TYPE_FIELD_OFFSET`.
 */
export const TYPE_FIELD_OFFSET = 6;
/**
 * Length in bytes of the header every frame type starts with (length, version, flags, type: 8). Java:
 * `HeaderFlyweight.MIN_HEADER_LENGTH`.
 */
export const MIN_HEADER_LENGTH = 8;
/**
 * Offset in a data frame of the int32 term offset, the frame's own offset in its term (8). Java:
 * `DataHeaderFlyweight.TERM_OFFSET_FIELD_OFFSET`.
 */
export const TERM_OFFSET_FIELD_OFFSET = 8;
/** Offset in a data frame of the int32 session id (12). Java: `DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET`. */
export const SESSION_ID_FIELD_OFFSET = 12;
/** Offset in a data frame of the int32 stream id (16). Java: `DataHeaderFlyweight.STREAM_ID_FIELD_OFFSET`. */
export const STREAM_ID_FIELD_OFFSET = 16;
/** Offset in a data frame of the int32 term id (20). Java: `DataHeaderFlyweight.TERM_ID_FIELD_OFFSET`. */
export const TERM_ID_FIELD_OFFSET = 20;
/**
 * Offset in a data frame of the int64 reserved value, free for the application (24). Java:
 * `DataHeaderFlyweight.RESERVED_VALUE_OFFSET`.
 */
export const RESERVED_VALUE_OFFSET = 24;
/** Length in bytes of a data frame header (32). Java: `DataHeaderFlyweight.HEADER_LENGTH`. */
export const HEADER_LENGTH = 32;
/** Offset in a data frame of the payload, right after the header (32). Java: `DataHeaderFlyweight.DATA_OFFSET`. */
export const DATA_OFFSET = HEADER_LENGTH;

/** Protocol version written in the version field (0). Java: `HeaderFlyweight.CURRENT_VERSION`. */
export const CURRENT_VERSION = 0;

/** Flag of the first fragment of a message (0x80). Java: `DataHeaderFlyweight.BEGIN_FLAG`. */
export const BEGIN_FLAG = 0x80;
/** Flag of the last fragment of a message (0x40). Java: `DataHeaderFlyweight.END_FLAG`. */
export const END_FLAG = 0x40;
/** Flags of an unfragmented message: begin and end (0xc0). Java: `DataHeaderFlyweight.BEGIN_AND_END_FLAGS`. */
export const BEGIN_AND_END_FLAGS = 0xc0;
/** End-of-stream flag (0x20). Java: `DataHeaderFlyweight.EOS_FLAG`. */
export const EOS_FLAG = 0x20;
/** Begin, end and end-of-stream flags (0xe0). Java: `DataHeaderFlyweight.BEGIN_END_AND_EOS_FLAGS`. */
export const BEGIN_END_AND_EOS_FLAGS = 0xe0;
/** Flag of a revoked publication's frame (0x10). Java: `DataHeaderFlyweight.REVOKED_FLAG`. */
export const REVOKED_FLAG = 0x10;
/** Begin, end, end-of-stream and revoked flags (0xf0). Java: `DataHeaderFlyweight.BEGIN_END_EOS_AND_REVOKED_FLAGS`. */
export const BEGIN_END_EOS_AND_REVOKED_FLAGS = 0xf0;

/** Frame type of padding (0x00): fills the end of a term. Java: `HeaderFlyweight.HDR_TYPE_PAD`. */
export const HDR_TYPE_PAD = 0x00;
/** Frame type of a data frame (0x01). Java: `HeaderFlyweight.HDR_TYPE_DATA`. */
export const HDR_TYPE_DATA = 0x01;
/** Frame type of a NAK, a receiver's request for a retransmit (0x02). Java: `HeaderFlyweight.HDR_TYPE_NAK`. */
export const HDR_TYPE_NAK = 0x02;
/** Frame type of a status message, a receiver's flow-control feedback (0x03). Java: `HeaderFlyweight.HDR_TYPE_SM`. */
export const HDR_TYPE_SM = 0x03;
/** Frame type of an error frame (0x04). Java: `HeaderFlyweight.HDR_TYPE_ERR`. */
export const HDR_TYPE_ERR = 0x04;
/**
 * Frame type of a setup frame, which a sender sends to start a stream (0x05). Java: `HeaderFlyweight.HDR_TYPE_SETUP`.
 */
export const HDR_TYPE_SETUP = 0x05;
/** Frame type of an RTT measurement (0x06). Java: `HeaderFlyweight.HDR_TYPE_RTTM`. */
export const HDR_TYPE_RTTM = 0x06;
/** Frame type of a name resolution frame (0x07). Java: `HeaderFlyweight.HDR_TYPE_RES`. */
export const HDR_TYPE_RES = 0x07;
/** Frame type of ATS data (0x08). Java: `HeaderFlyweight.HDR_TYPE_ATS_DATA`. */
export const HDR_TYPE_ATS_DATA = 0x08;
/** Frame type of an ATS status message (0x09). Java: `HeaderFlyweight.HDR_TYPE_ATS_SM`. */
export const HDR_TYPE_ATS_SM = 0x09;
/** Frame type of an ATS setup (0x0a). Java: `HeaderFlyweight.HDR_TYPE_ATS_SETUP`. */
export const HDR_TYPE_ATS_SETUP = 0x0a;
/** Frame type of a response setup (0x0b). Java: `HeaderFlyweight.HDR_TYPE_RSP_SETUP`. */
export const HDR_TYPE_RSP_SETUP = 0x0b;
/** Frame type of an extension frame (0xffff). Java: `HeaderFlyweight.HDR_TYPE_EXT`. */
export const HDR_TYPE_EXT = 0xffff;

/** Default reserved value written by publishers (0). Java: `DataHeaderFlyweight.DEFAULT_RESERVE_VALUE`. */
export const DEFAULT_RESERVE_VALUE = 0;

/** Names of the frame types, by value (`HDR_TYPE_PAD` … `HDR_TYPE_RSP_SETUP`). */
const FRAME_TYPE_NAMES: readonly string[] = [
  'PAD',
  'DATA',
  'NAK',
  'SM',
  'ERR',
  'SETUP',
  'RTTM',
  'RES',
  'ATS_DATA',
  'ATS_SM',
  'ATS_SETUP',
  'RSP_SETUP',
];

/** Name of a frame type (`DATA`, `PAD`, … `EXT`), or its value in hex (`0x00ff`) when Aeron defines none. */
export function frameTypeName(type: number): string {
  if (type === HDR_TYPE_EXT) return 'EXT';
  return FRAME_TYPE_NAMES[type] ?? `0x${type.toString(16).padStart(4, '0')}`;
}

/**
 * Writes the int64 reserved value of the frame at `frameOffset` (a `number` must be a safe integer; a `bigint` is
 * written as a signed int64). Java: `DataHeaderFlyweight.reservedValue(long)` on a frame.
 */
export function putReservedValue(buffer: LogBufferMemory, frameOffset: number, value: number | bigint): void {
  if (typeof value === 'number') buffer.putInt64(frameOffset + RESERVED_VALUE_OFFSET, value);
  else buffer.putInt64BigInt(frameOffset + RESERVED_VALUE_OFFSET, value);
}

/**
 * Builds the default data header publishers copy into each frame (the driver stores the same bytes at
 * `LOG_DEFAULT_FRAME_HEADER_OFFSET`): version 0, flags B|E, type DATA, term offset 0, reserved value 0.
 */
export function createDefaultHeader(sessionId: number, streamId: number, termId: number): Uint8Array {
  const bytes = new Uint8Array(HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setInt8(VERSION_FIELD_OFFSET, CURRENT_VERSION);
  view.setUint8(FLAGS_FIELD_OFFSET, BEGIN_AND_END_FLAGS);
  view.setUint16(TYPE_FIELD_OFFSET, HDR_TYPE_DATA, true);
  view.setInt32(SESSION_ID_FIELD_OFFSET, sessionId, true);
  view.setInt32(STREAM_ID_FIELD_OFFSET, streamId, true);
  view.setInt32(TERM_ID_FIELD_OFFSET, termId, true);
  return bytes;
}

/**
 * A reusable flyweight over one data header inside a buffer. `wrap` re-points it without allocating; every accessor
 * is a plain (non-atomic) access at `offset` + the field's offset. Java: `DataHeaderFlyweight`.
 *
 * Every accessor throws `IllegalStateError` (`ILLEGAL_STATE`) before the first `wrap`.
 */
export class DataHeaderFlyweight {
  #buffer: LogBufferMemory | null = null;
  #offset = 0;

  /**
   * Points the flyweight at the header at `offset` in `buffer`; returns `this`. Java: the `UnsafeBuffer.wrap` every
   * flyweight inherits.
   */
  wrap(buffer: LogBufferMemory, offset: number): this {
    this.#buffer = buffer;
    this.#offset = offset;
    return this;
  }

  /**
   * The buffer the flyweight is over, or `IllegalStateError` before it is set. A private method, not a private getter: on
   * Node 20 a `get #x()` call is not inlined and costs several ns per call (a fragment handler calls this per field).
   */
  #wrapped(): LogBufferMemory {
    if (this.#buffer === null) throw new IllegalStateError('DataHeaderFlyweight not wrapped');
    return this.#buffer;
  }

  /**
   * Frame length: header + payload, unaligned (0 = not yet written, negative = being written). Java:
   * `HeaderFlyweight.frameLength`.
   */
  frameLength(): number {
    return this.#wrapped().getInt32(this.#offset + FRAME_LENGTH_FIELD_OFFSET);
  }
  /**
   * Writes the frame length (plain store: publishing a frame takes `frameLengthOrdered`). Returns `this`. Java:
   * `HeaderFlyweight.frameLength(int)`.
   */
  setFrameLength(value: number): this {
    this.#wrapped().putInt32(this.#offset + FRAME_LENGTH_FIELD_OFFSET, value);
    return this;
  }
  /** Version as an unsigned byte. Java: `HeaderFlyweight.version`. */
  version(): number {
    return this.#wrapped().getInt8(this.#offset + VERSION_FIELD_OFFSET) & 0xff;
  }
  /** Writes the version byte; returns `this`. Java: `HeaderFlyweight.version(short)`. */
  setVersion(value: number): this {
    this.#wrapped().putInt8(this.#offset + VERSION_FIELD_OFFSET, value);
    return this;
  }
  /** Flags as an unsigned byte. Java: `HeaderFlyweight.flags`. */
  flags(): number {
    return this.#wrapped().getInt8(this.#offset + FLAGS_FIELD_OFFSET) & 0xff;
  }
  /** Writes the flags byte (`BEGIN_FLAG`, …); returns `this`. Java: `HeaderFlyweight.flags(short)`. */
  setFlags(value: number): this {
    this.#wrapped().putInt8(this.#offset + FLAGS_FIELD_OFFSET, value);
    return this;
  }
  /** Frame type as an unsigned 16-bit value (`HDR_TYPE_*`). Java: `HeaderFlyweight.headerType`. */
  headerType(): number {
    return this.#wrapped().getInt16(this.#offset + TYPE_FIELD_OFFSET) & 0xffff;
  }
  /** Writes the frame type (`HDR_TYPE_*`); returns `this`. Java: `HeaderFlyweight.headerType(int)`. */
  setHeaderType(value: number): this {
    this.#wrapped().putInt16(this.#offset + TYPE_FIELD_OFFSET, value);
    return this;
  }
  /** Term offset: where the frame starts in its term. Java: `DataHeaderFlyweight.termOffset`. */
  termOffset(): number {
    return this.#wrapped().getInt32(this.#offset + TERM_OFFSET_FIELD_OFFSET);
  }
  /** Writes the term offset; returns `this`. Java: `DataHeaderFlyweight.termOffset(int)`. */
  setTermOffset(value: number): this {
    this.#wrapped().putInt32(this.#offset + TERM_OFFSET_FIELD_OFFSET, value);
    return this;
  }
  /** Session id of the stream. Java: `DataHeaderFlyweight.sessionId`. */
  sessionId(): number {
    return this.#wrapped().getInt32(this.#offset + SESSION_ID_FIELD_OFFSET);
  }
  /** Writes the session id; returns `this`. Java: `DataHeaderFlyweight.sessionId(int)`. */
  setSessionId(value: number): this {
    this.#wrapped().putInt32(this.#offset + SESSION_ID_FIELD_OFFSET, value);
    return this;
  }
  /** Stream id. Java: `DataHeaderFlyweight.streamId`. */
  streamId(): number {
    return this.#wrapped().getInt32(this.#offset + STREAM_ID_FIELD_OFFSET);
  }
  /** Writes the stream id; returns `this`. Java: `DataHeaderFlyweight.streamId(int)`. */
  setStreamId(value: number): this {
    this.#wrapped().putInt32(this.#offset + STREAM_ID_FIELD_OFFSET, value);
    return this;
  }
  /** Term id of the term the frame is in. Java: `DataHeaderFlyweight.termId`. */
  termId(): number {
    return this.#wrapped().getInt32(this.#offset + TERM_ID_FIELD_OFFSET);
  }
  /** Writes the term id; returns `this`. Java: `DataHeaderFlyweight.termId(int)`. */
  setTermId(value: number): this {
    this.#wrapped().putInt32(this.#offset + TERM_ID_FIELD_OFFSET, value);
    return this;
  }
  /** Reserved value as a `number`; exact when |value| ≤ 2^53. Java: `DataHeaderFlyweight.reservedValue`. */
  reservedValue(): number {
    return this.#wrapped().getInt64(this.#offset + RESERVED_VALUE_OFFSET);
  }
  /** Reserved value as a `bigint` (allocates). */
  reservedValueBigInt(): bigint {
    return this.#wrapped().getInt64BigInt(this.#offset + RESERVED_VALUE_OFFSET);
  }
  /** Offset in the buffer of the payload (`offset` + 32). Java: `DataHeaderFlyweight.dataOffset`. */
  dataOffset(): number {
    return this.#offset + DATA_OFFSET;
  }
}
