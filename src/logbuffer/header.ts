/**
 * The header passed with every fragment (Java: `Header`). One instance per image/subscriber is
 * re-pointed (`buffer`, `offset`) at each frame, so delivering a fragment allocates nothing. Field
 * reads go straight to the frame in the term buffer: valid only during the handler call.
 *
 * For a message reassembled from fragments, the assembler passes its own Header over a captured copy
 * of the first fragment's header, with `fragmentedFrameLength` set so `position()` lands after the last
 * fragment (as Java's `termOccupancyLength`).
 */

import { IllegalStateError } from '../../codecs/runtime/aeron-error.ts';
import {
  FLAGS_FIELD_OFFSET,
  RESERVED_VALUE_OFFSET,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import { alignFrameLength } from './frame-descriptor.ts';
import { computePosition } from './log-buffer-descriptor.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/** Aeron's NULL_VALUE. */
const NULL_VALUE = -1;

/**
 * Describes the frame of the fragment being delivered to a handler: reused, and valid only during the handler call
 * (copy what you keep). Java: `Header`.
 *
 * Every frame accessor throws `IllegalStateError` (`ILLEGAL_STATE`) while `buffer` is null.
 */
export class Header {
  /** Initial term id of the stream, for computing positions. Java: `Header.initialTermId`. */
  initialTermId: number;
  /** log2 of the term length, for computing positions. Java: `Header.positionBitsToShift`. */
  positionBitsToShift: number;
  /** Application context (e.g. the Image); not touched by the log-buffer layer. */
  context: unknown;
  /** Offset of the frame in `buffer`. */
  offset = 0;
  /** The buffer holding the frame (term buffer, or the assembler's header copy). */
  buffer: ReadableBuffer | null = null;
  /** Total reserved length of a reassembled message, or −1 for a single frame. */
  fragmentedFrameLength = NULL_VALUE;

  constructor(initialTermId: number, positionBitsToShift: number, context: unknown = null) {
    this.initialTermId = initialTermId;
    this.positionBitsToShift = positionBitsToShift;
    this.context = context;
  }

  /**
   * The buffer the header is over, or `IllegalStateError` before it is set. A private method, not a private getter: on
   * Node 20 a `get #x()` call is not inlined and costs several ns per call (a fragment handler calls this per field).
   */
  #wrapped(): ReadableBuffer {
    const buffer = this.buffer;
    if (buffer === null) throw new IllegalStateError('Header has no buffer');
    return buffer;
  }

  /**
   * Stream position just after this frame (or after the last fragment of a reassembled message). Java:
   * `Header.position`.
   */
  position(): number {
    return computePosition(this.termId(), this.nextTermOffset(), this.positionBitsToShift, this.initialTermId);
  }
  /**
   * Frame length: header + payload, unaligned (for a reassembled message, 32 + the whole payload). Java:
   * `Header.frameLength`.
   */
  frameLength(): number {
    return this.#wrapped().getInt32(this.offset);
  }
  /** Session id of the stream. Java: `Header.sessionId`. */
  sessionId(): number {
    return this.#wrapped().getInt32(this.offset + SESSION_ID_FIELD_OFFSET);
  }
  /** Stream id. Java: `Header.streamId`. */
  streamId(): number {
    return this.#wrapped().getInt32(this.offset + STREAM_ID_FIELD_OFFSET);
  }
  /** Term id of the frame's term. Java: `Header.termId`. */
  termId(): number {
    return this.#wrapped().getInt32(this.offset + TERM_ID_FIELD_OFFSET);
  }
  /** Offset of the frame in its term (for a reassembled message, the first fragment's). Java: `Header.termOffset`. */
  termOffset(): number {
    return this.#wrapped().getInt32(this.offset + TERM_OFFSET_FIELD_OFFSET);
  }
  /** alignFrameLength(termOffset + occupied length): where the next frame starts. Java: `Header.nextTermOffset`. */
  nextTermOffset(): number {
    const occupancy = this.fragmentedFrameLength === NULL_VALUE ? this.frameLength() : this.fragmentedFrameLength;
    return alignFrameLength(this.termOffset() + occupancy);
  }
  /** Frame type (unsigned 16-bit). Java: `Header.type`. */
  type(): number {
    return this.#wrapped().getInt16(this.offset + TYPE_FIELD_OFFSET) & 0xffff;
  }
  /** Flags as an unsigned byte (B 0x80, E 0x40, EOS 0x20, REVOKED 0x10). Java: `Header.flags`. */
  flags(): number {
    return this.#wrapped().getInt8(this.offset + FLAGS_FIELD_OFFSET) & 0xff;
  }
  /** Reserved value as a `number` (exact for |value| ≤ 2^53). Java: `Header.reservedValue`. */
  reservedValue(): number {
    return this.#wrapped().getInt64(this.offset + RESERVED_VALUE_OFFSET);
  }
  /** Reserved value as a signed 64-bit `bigint` (allocates). */
  reservedValueBigInt(): bigint {
    return this.#wrapped().getInt64BigInt(this.offset + RESERVED_VALUE_OFFSET);
  }
}
