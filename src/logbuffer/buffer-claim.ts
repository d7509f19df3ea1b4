/**
 * A reusable claim on one frame in a term, filled by `tryClaim` (Java: `BufferClaim`). The header is
 * already written with a negative length; the application writes `length` payload bytes at `offset`
 * in `buffer`, then calls `commit()` (release-store the positive length) or `abort()` (turn the frame
 * into padding, then release-store the length). Re-wrapped per claim: no allocation.
 */

import { IllegalStateError } from '../../codecs/runtime/aeron-error.ts';
import {
  DATA_OFFSET,
  FLAGS_FIELD_OFFSET,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  putReservedValue,
  TYPE_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';
import { copyWholeArrayAsWords, frameLengthOrdered } from './term-words.ts';

/**
 * A claim on one frame of a term, filled by `Publication.tryClaim`: write the payload into `buffer` at `offset`,
 * then `commit()` or `abort()`. Java: `BufferClaim`.
 *
 * Every accessor throws `IllegalStateError` (`ILLEGAL_STATE`) before the first successful `tryClaim`.
 */
export class BufferClaim {
  #termBuffer: LogBufferMemory | null = null;
  /** The term's Int32 words when the frame's length word lies in them (always, for a claim of a log), else null. */
  #termWords: Int32Array | null = null;
  #frameOffset = 0;
  #frameLength = 0;

  /**
   * Points the claim at a frame of `frameLength` bytes (header included) at `frameOffset`. Java: `BufferClaim.wrap`.
   */
  wrap(termBuffer: LogBufferMemory, frameOffset: number, frameLength: number): void {
    this.#termBuffer = termBuffer;
    this.#frameOffset = frameOffset;
    this.#frameLength = frameLength;
    this.#termWords =
      frameOffset >= 0 && (frameOffset & 3) === 0 && frameOffset + 4 <= termBuffer.capacity
        ? termBuffer.int32View
        : null;
  }

  /**
   * The buffer the claim is over, or `IllegalStateError` before it is set. A private method, not a private getter: on
   * Node 20 a `get #x()` call is not inlined and costs several ns per call (a fragment handler calls this per field).
   */
  #wrapped(): LogBufferMemory {
    if (this.#termBuffer === null) throw new IllegalStateError('BufferClaim is not wrapped');
    return this.#termBuffer;
  }

  /** The term buffer to write the payload into. Java: `BufferClaim.buffer`. */
  get buffer(): LogBufferMemory {
    return this.#wrapped();
  }
  /** Offset of the payload in `buffer`. Java: `BufferClaim.offset`. */
  get offset(): number {
    return this.#frameOffset + DATA_OFFSET;
  }
  /** Payload length in bytes (the length claimed). Java: `BufferClaim.length`. */
  get length(): number {
    return this.#frameLength - HEADER_LENGTH;
  }

  /**
   * Copies `length` bytes of `src[srcOffset..]` into the payload at `payloadOffset`. Returns `this`. A whole array of
   * up to 64 bytes (a multiple of 4, at a 4-aligned payload offset) goes as int32 words (`copyWholeArrayAsWords`, as
   * `offer` copies it), anything else through the buffer's `putBytes` (its checks and errors). Java:
   * `BufferClaim.putBytes` (which always writes at payload offset 0).
   */
  putBytes(payloadOffset: number, src: Uint8Array, srcOffset: number, length: number): this {
    const words = this.#termWords;
    const dst = this.#frameOffset + DATA_OFFSET + payloadOffset;
    if (
      words === null ||
      srcOffset !== 0 ||
      length !== src.length ||
      payloadOffset < 0 ||
      (payloadOffset & ~3) !== payloadOffset ||
      dst + length > words.length << 2 ||
      !copyWholeArrayAsWords(words, dst, src)
    ) {
      this.#wrapped().putBytes(dst, src, srcOffset, length);
    }
    return this;
  }

  /** Flags of the claimed frame as an unsigned byte. Java: `BufferClaim.flags`. */
  flags(): number {
    return this.#wrapped().getInt8(this.#frameOffset + FLAGS_FIELD_OFFSET) & 0xff;
  }
  /** Writes the flags byte of the claimed frame; returns `this`. Java: `BufferClaim.flags(byte)`. */
  setFlags(flags: number): this {
    this.#wrapped().putInt8(this.#frameOffset + FLAGS_FIELD_OFFSET, flags);
    return this;
  }
  /** Frame type of the claimed frame as an unsigned 16-bit value. Java: `BufferClaim.headerType`. */
  headerType(): number {
    return this.#wrapped().getInt16(this.#frameOffset + TYPE_FIELD_OFFSET) & 0xffff;
  }
  /** Writes the frame type of the claimed frame; returns `this`. Java: `BufferClaim.headerType(int)`. */
  setHeaderType(type: number): this {
    this.#wrapped().putInt16(this.#frameOffset + TYPE_FIELD_OFFSET, type);
    return this;
  }
  /**
   * Writes the frame's int64 reserved value (a `number` is exact while it is a safe integer; a `bigint` is written as a
   * signed int64). Returns `this`. Java: `BufferClaim.reservedValue(long)`.
   */
  setReservedValue(value: number | bigint): this {
    putReservedValue(this.#wrapped(), this.#frameOffset, value);
    return this;
  }

  /**
   * Publishes the frame: release store of the positive frame length, on the term's words (`frameLengthOrdered`, the
   * appenders' own store) when it has them. Java: `BufferClaim.commit`.
   */
  commit(): void {
    const words = this.#termWords;
    if (words !== null) frameLengthOrdered(words, this.#frameOffset, this.#frameLength);
    else this.#wrapped().putInt32Ordered(this.#frameOffset, this.#frameLength);
  }

  /**
   * Abandons the claim: the frame becomes padding that readers skip (its position is still used). Java:
   * `BufferClaim.abort`.
   */
  abort(): void {
    const mem = this.#wrapped();
    mem.putInt16(this.#frameOffset + TYPE_FIELD_OFFSET, HDR_TYPE_PAD);
    mem.putInt32Ordered(this.#frameOffset, this.#frameLength);
  }
}
