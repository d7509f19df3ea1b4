/**
 * The 8-byte header every Aeron frame on the wire starts with, and the base of the driver's frame flyweights
 * (Java: `io.aeron.protocol.HeaderFlyweight`). Little-endian.
 *
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |R|                       Frame Length                          |  0
 *  +---------------+---------------+-------------------------------+
 *  |   Version     |     Flags     |             Type              |  4
 *  +---------------+---------------+-------------------------------+
 *  |                  Depends on Type                             ...  8
 * ```
 *
 * The field offsets, `MIN_HEADER_LENGTH`, `CURRENT_VERSION` and the `HDR_TYPE_*` values are those of
 * `src/logbuffer/data-header-flyweight.ts` (one definition for the term buffers and the wire).
 */

import {
  FLAGS_FIELD_OFFSET,
  FRAME_LENGTH_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from '../../logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../transport/atomic-buffer.ts';

/** The buffer a flyweight reads before its first `wrap`: capacity 0, so every access throws `OUT_OF_BOUNDS`. */
const UNWRAPPED = new AtomicBuffer(new ArrayBuffer(0));

/**
 * Two's-complement int64 from its words, as a `bigint` (allocates: control paths only). `high` is the signed
 * high word, `low` the low word (either sign).
 */
export function int64BigInt(high: number, low: number): bigint {
  return (BigInt(high) << 32n) | BigInt(low >>> 0);
}

/** The signed high word of an int64 given as a `bigint` (taken modulo 2^64). */
export function bigIntHighWord(value: bigint): number {
  return Number(BigInt.asIntN(32, BigInt.asIntN(64, value) >> 32n));
}

/** The low word, as a signed int32, of an int64 given as a `bigint` (taken modulo 2^64). */
export function bigIntLowWord(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/**
 * A reusable flyweight over one frame in an `AtomicBuffer`: `wrap` re-points it without allocating, and every
 * accessor is a plain little-endian access at the wrapped offset plus the field's offset. The frame flyweights of
 * `src/driver/protocol` extend it. Java: `HeaderFlyweight`.
 *
 * Before the first `wrap` every accessor throws `AtomicBufferError` (`OUT_OF_BOUNDS`).
 */
export class HeaderFlyweight {
  /** The buffer the frame is in (an empty buffer until `wrap`). */
  protected frameBuffer: AtomicBuffer = UNWRAPPED;
  /** Offset of the frame in {@link HeaderFlyweight.frameBuffer}. */
  protected frameOffset = 0;

  /** Points the flyweight at the frame at `offset` in `buffer`; returns `this`. Java: `UnsafeBuffer.wrap`. */
  wrap(buffer: AtomicBuffer, offset: number): this {
    this.frameBuffer = buffer;
    this.frameOffset = offset;
    return this;
  }

  /** The buffer last wrapped (for sending the frame: `socket.sendTo(fw.buffer(), fw.offset(), length, to)`). */
  buffer(): AtomicBuffer {
    return this.frameBuffer;
  }

  /** The offset of the frame in {@link HeaderFlyweight.buffer}. */
  offset(): number {
    return this.frameOffset;
  }

  /** Frame length in bytes, header included. Java: `HeaderFlyweight.frameLength`. */
  frameLength(): number {
    return this.frameBuffer.getInt32(this.frameOffset + FRAME_LENGTH_FIELD_OFFSET);
  }

  /** Writes the frame length; returns `this`. Java: `HeaderFlyweight.frameLength(int)`. */
  setFrameLength(value: number): this {
    this.frameBuffer.putInt32(this.frameOffset + FRAME_LENGTH_FIELD_OFFSET, value);
    return this;
  }

  /** Protocol version as an unsigned byte. Java: `HeaderFlyweight.version`. */
  version(): number {
    return this.frameBuffer.getUint8(this.frameOffset + VERSION_FIELD_OFFSET);
  }

  /** Writes the version byte; returns `this`. Java: `HeaderFlyweight.version(short)`. */
  setVersion(value: number): this {
    this.frameBuffer.putInt8(this.frameOffset + VERSION_FIELD_OFFSET, value);
    return this;
  }

  /** Flags as an unsigned byte (their meaning depends on the frame type). Java: `HeaderFlyweight.flags`. */
  flags(): number {
    return this.frameBuffer.getUint8(this.frameOffset + FLAGS_FIELD_OFFSET);
  }

  /** Writes the flags byte; returns `this`. Java: `HeaderFlyweight.flags(short)`. */
  setFlags(value: number): this {
    this.frameBuffer.putInt8(this.frameOffset + FLAGS_FIELD_OFFSET, value);
    return this;
  }

  /** Frame type as an unsigned 16-bit value (`HDR_TYPE_*`). Java: `HeaderFlyweight.headerType`. */
  headerType(): number {
    return this.frameBuffer.getUint16(this.frameOffset + TYPE_FIELD_OFFSET);
  }

  /** Writes the frame type (`HDR_TYPE_*`); returns `this`. Java: `HeaderFlyweight.headerType(int)`. */
  setHeaderType(value: number): this {
    this.frameBuffer.putInt16(this.frameOffset + TYPE_FIELD_OFFSET, value);
    return this;
  }

  /** The int32 at `fieldOffset` in the frame. */
  protected int32At(fieldOffset: number): number {
    return this.frameBuffer.getInt32(this.frameOffset + fieldOffset);
  }

  /** Writes the int32 at `fieldOffset` in the frame; returns `this`. */
  protected putInt32At(fieldOffset: number, value: number): this {
    this.frameBuffer.putInt32(this.frameOffset + fieldOffset, value);
    return this;
  }

  /** The int64 at `fieldOffset` as a number (exact while |value| ≤ 2^53; any alignment, no allocation). */
  protected int64At(fieldOffset: number): number {
    return this.frameBuffer.getInt64(this.frameOffset + fieldOffset);
  }

  /** The int64 at `fieldOffset` as a `bigint` (exact; allocates). */
  protected int64BigIntAt(fieldOffset: number): bigint {
    return this.frameBuffer.getInt64BigInt(this.frameOffset + fieldOffset);
  }

  /** Writes the int64 at `fieldOffset` from a safe-integer `number` or a `bigint` (modulo 2^64); returns `this`. */
  protected putInt64At(fieldOffset: number, value: number | bigint): this {
    if (typeof value === 'number') this.frameBuffer.putInt64(this.frameOffset + fieldOffset, value);
    else this.frameBuffer.putInt64BigInt(this.frameOffset + fieldOffset, value);
    return this;
  }

  /** Writes the int64 at `fieldOffset` from its two words (low word first on the wire); returns `this`. */
  protected putInt64WordsAt(fieldOffset: number, high: number, low: number): this {
    const index = this.frameOffset + fieldOffset;
    this.frameBuffer.putInt32(index, low);
    this.frameBuffer.putInt32(index + 4, high);
    return this;
  }
}

/** Frame flag characters as Java's `HeaderFlyweight.flagsToChars`: eight '0'/'1', most significant bit first. */
export function flagsToChars(flags: number): string {
  let chars = '';
  for (let bit = 7; bit >= 0; bit--) chars += (flags >>> bit) & 1 ? '1' : '0';
  return chars;
}
