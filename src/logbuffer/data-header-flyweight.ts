/**
 * The 32-byte data frame header, identical in a term buffer and on the wire (Aeron 1.51.0
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
import type { LogBufferMemory, ReadableBuffer } from './log-buffer-memory.ts';
import { getInt64AsBigInt, getInt64AsNumber } from './log-buffer-memory.ts';

export const FRAME_LENGTH_FIELD_OFFSET = 0;
export const VERSION_FIELD_OFFSET = 4;
export const FLAGS_FIELD_OFFSET = 5;
export const TYPE_FIELD_OFFSET = 6;
/** Generic header (length, version, flags, type). */
export const MIN_HEADER_LENGTH = 8;
export const TERM_OFFSET_FIELD_OFFSET = 8;
export const SESSION_ID_FIELD_OFFSET = 12;
export const STREAM_ID_FIELD_OFFSET = 16;
export const TERM_ID_FIELD_OFFSET = 20;
export const RESERVED_VALUE_OFFSET = 24;
export const HEADER_LENGTH = 32;
export const DATA_OFFSET = HEADER_LENGTH;

export const CURRENT_VERSION = 0;

export const BEGIN_FLAG = 0x80;
export const END_FLAG = 0x40;
export const BEGIN_AND_END_FLAGS = 0xc0;
export const EOS_FLAG = 0x20;
export const BEGIN_END_AND_EOS_FLAGS = 0xe0;
export const REVOKED_FLAG = 0x10;
export const BEGIN_END_EOS_AND_REVOKED_FLAGS = 0xf0;

export const HDR_TYPE_PAD = 0x00;
export const HDR_TYPE_DATA = 0x01;
export const HDR_TYPE_NAK = 0x02;
export const HDR_TYPE_SM = 0x03;
export const HDR_TYPE_ERR = 0x04;
export const HDR_TYPE_SETUP = 0x05;
export const HDR_TYPE_RTTM = 0x06;
export const HDR_TYPE_RES = 0x07;
export const HDR_TYPE_ATS_DATA = 0x08;
export const HDR_TYPE_ATS_SM = 0x09;
export const HDR_TYPE_ATS_SETUP = 0x0a;
export const HDR_TYPE_RSP_SETUP = 0x0b;
export const HDR_TYPE_EXT = 0xffff;

/** Default reserved value written by publishers (0). */
export const DEFAULT_RESERVE_VALUE = 0;

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

/** True for a heartbeat: a data header alone whose frame length is 0. */
export function isHeartbeat(packet: ReadableBuffer, offset: number, length: number): boolean {
  return length === HEADER_LENGTH && packet.getInt32(offset) === 0;
}

/**
 * A reusable flyweight over one data header inside a buffer. `wrap` re-points it without allocating.
 */
export class DataHeaderFlyweight {
  private buffer: LogBufferMemory | null = null;
  private offset = 0;

  wrap(buffer: LogBufferMemory, offset: number): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  private get mem(): LogBufferMemory {
    if (this.buffer === null) throw new IllegalStateError('DataHeaderFlyweight not wrapped');
    return this.buffer;
  }

  frameLength(): number {
    return this.mem.getInt32(this.offset + FRAME_LENGTH_FIELD_OFFSET);
  }
  setFrameLength(value: number): this {
    this.mem.putInt32(this.offset + FRAME_LENGTH_FIELD_OFFSET, value);
    return this;
  }
  version(): number {
    return this.mem.getInt8(this.offset + VERSION_FIELD_OFFSET) & 0xff;
  }
  setVersion(value: number): this {
    this.mem.putInt8(this.offset + VERSION_FIELD_OFFSET, value);
    return this;
  }
  /** Flags as an unsigned byte. */
  flags(): number {
    return this.mem.getInt8(this.offset + FLAGS_FIELD_OFFSET) & 0xff;
  }
  setFlags(value: number): this {
    this.mem.putInt8(this.offset + FLAGS_FIELD_OFFSET, value);
    return this;
  }
  /** Header type as an unsigned 16-bit value. */
  headerType(): number {
    return this.mem.getInt16(this.offset + TYPE_FIELD_OFFSET) & 0xffff;
  }
  setHeaderType(value: number): this {
    this.mem.putInt16(this.offset + TYPE_FIELD_OFFSET, value);
    return this;
  }
  termOffset(): number {
    return this.mem.getInt32(this.offset + TERM_OFFSET_FIELD_OFFSET);
  }
  setTermOffset(value: number): this {
    this.mem.putInt32(this.offset + TERM_OFFSET_FIELD_OFFSET, value);
    return this;
  }
  sessionId(): number {
    return this.mem.getInt32(this.offset + SESSION_ID_FIELD_OFFSET);
  }
  setSessionId(value: number): this {
    this.mem.putInt32(this.offset + SESSION_ID_FIELD_OFFSET, value);
    return this;
  }
  streamId(): number {
    return this.mem.getInt32(this.offset + STREAM_ID_FIELD_OFFSET);
  }
  setStreamId(value: number): this {
    this.mem.putInt32(this.offset + STREAM_ID_FIELD_OFFSET, value);
    return this;
  }
  termId(): number {
    return this.mem.getInt32(this.offset + TERM_ID_FIELD_OFFSET);
  }
  setTermId(value: number): this {
    this.mem.putInt32(this.offset + TERM_ID_FIELD_OFFSET, value);
    return this;
  }
  /** Reserved value as a `number`; exact when |value| ≤ 2^53. */
  reservedValue(): number {
    return getInt64AsNumber(this.mem, this.offset + RESERVED_VALUE_OFFSET);
  }
  /** Reserved value as a `bigint` (allocates). */
  reservedValueBigInt(): bigint {
    return getInt64AsBigInt(this.mem, this.offset + RESERVED_VALUE_OFFSET);
  }
  dataOffset(): number {
    return this.offset + DATA_OFFSET;
  }
}
