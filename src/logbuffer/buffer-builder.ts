/**
 * Accumulates the fragments of one message (Java: `BufferBuilder`): a growable heap buffer for the
 * payload plus a captured copy of the first fragment's header. Grows by doubling (minimum 4096) and is
 * reused across messages, so steady-state reassembly allocates nothing.
 *
 * `completeHeader` yields a Header over the captured copy, with frame length = 32 + total payload,
 * flags = first | last fragment flags (so B|E), and `fragmentedFrameLength` set from the payload and
 * the first fragment's payload size, so `position()` is the position after the last fragment.
 */

import { IllegalStateError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { FLAGS_FIELD_OFFSET, FRAME_LENGTH_FIELD_OFFSET, HEADER_LENGTH } from './data-header-flyweight.ts';
import { Header } from './header.ts';
import { HeapBuffer } from './heap-buffer.ts';
import { computeFragmentedFrameLength } from './log-buffer-descriptor.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

const NULL_VALUE = -1;
/** Largest capacity in bytes (Integer.MAX_VALUE − 8). Java: `BufferBuilder.MAX_CAPACITY`. */
export const BUFFER_BUILDER_MAX_CAPACITY = 0x7fffffff - 8;
/**
 * Smallest capacity in bytes the builder grows to, and shrinks back to on `compact` (4096). Java:
 * `BufferBuilder.INIT_MIN_CAPACITY`.
 */
export const BUFFER_BUILDER_INIT_MIN_CAPACITY = 4096;

/**
 * Reassembly buffer of the fragment assemblers: the payload of one message so far, plus a copy of its first
 * fragment's header. Java: `BufferBuilder` (heap only; grows by doubling where Java grows by half).
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor when `initialCapacity` is outside 0 ..
 * `BUFFER_BUILDER_MAX_CAPACITY` (2^31 − 9).
 */
export class BufferBuilder {
  /**
   * The accumulated payload is `buffer[0 .. limit)`. The same object for the builder's life; its backing bytes are
   * replaced when it grows or is compacted. Java: `BufferBuilder.buffer`.
   */
  readonly buffer: HeapBuffer;
  readonly #headerBuffer = new HeapBuffer(HEADER_LENGTH);
  readonly #completeHeader = new Header(0, 0);
  #limit = 0;
  #firstFrameLength = 0;
  /** Expected term offset of the next fragment, or −1. */
  nextTermOffset = NULL_VALUE;

  constructor(initialCapacity = 0) {
    if (initialCapacity < 0 || initialCapacity > BUFFER_BUILDER_MAX_CAPACITY) {
      throw new InvalidArgumentError(
        `initialCapacity outside range 0 - ${BUFFER_BUILDER_MAX_CAPACITY}: ${initialCapacity}`,
      );
    }
    this.buffer = new HeapBuffer(initialCapacity);
    this.#completeHeader.offset = 0;
    this.#completeHeader.buffer = this.#headerBuffer;
  }

  /** Bytes the buffer holds before it has to grow. Java: `BufferBuilder.capacity`. */
  get capacity(): number {
    return this.buffer.capacity;
  }
  /** Bytes accumulated. Java: `BufferBuilder.limit`. */
  get limit(): number {
    return this.#limit;
  }
  /**
   * Truncates back to `limit` (used to undo an append on ABORT). Java: `BufferBuilder.limit(int)`.
   *
   * @throws InvalidArgumentError `INVALID_ARGUMENT` unless 0 ≤ `limit` ≤ `capacity`.
   */
  setLimit(limit: number): void {
    if (limit < 0 || limit > this.buffer.capacity) {
      throw new InvalidArgumentError(`limit outside range: capacity=${this.buffer.capacity} limit=${limit}`);
    }
    this.#limit = limit;
  }

  /**
   * Starts a new message: limit 0, no expected next term offset, no captured context; keeps the capacity. Returns
   * `this`. Java: `BufferBuilder.reset`.
   */
  reset(): this {
    this.#limit = 0;
    this.nextTermOffset = NULL_VALUE;
    this.#completeHeader.context = null;
    this.#completeHeader.fragmentedFrameLength = NULL_VALUE;
    return this;
  }

  /** Shrinks the buffer to max(4096, limit) if it is larger. Returns `this`. Java: `BufferBuilder.compact`. */
  compact(): this {
    const newCapacity = Math.max(BUFFER_BUILDER_INIT_MIN_CAPACITY, this.#limit);
    if (newCapacity < this.buffer.capacity) this.buffer.resize(newCapacity, this.#limit);
    return this;
  }

  /**
   * Appends `src[srcOffset .. srcOffset + length)`, growing the buffer (doubling, from at least 4096) when needed.
   * Returns `this`. Java: `BufferBuilder.append`.
   *
   * @throws InvalidArgumentError `INVALID_ARGUMENT` when the range is not inside `src` (checked before growing), or
   * the message would exceed `BUFFER_BUILDER_MAX_CAPACITY` (2^31 − 9).
   */
  append(src: ReadableBuffer, srcOffset: number, length: number): this {
    // Checked before growing: a corrupt frame length must not make the builder allocate up to 2 GiB first.
    if (srcOffset < 0 || length < 0 || srcOffset + length > src.capacity) {
      throw new InvalidArgumentError(
        `fragment outside source: offset=${srcOffset} length=${length} capacity=${src.capacity}`,
      );
    }
    this.#ensureCapacity(length);
    this.buffer.putFrom(this.#limit, src, srcOffset, length);
    this.#limit += length;
    return this;
  }

  /**
   * Captures the first fragment's header (copy of its 32 bytes). Returns `this`. Java: `BufferBuilder.captureHeader`.
   *
   * @throws IllegalStateError `ILLEGAL_STATE` when `header` is not over a buffer.
   */
  captureHeader(header: Header): this {
    const completeHeader = this.#completeHeader;
    completeHeader.initialTermId = header.initialTermId;
    completeHeader.positionBitsToShift = header.positionBitsToShift;
    this.#firstFrameLength = header.frameLength();
    const source = header.buffer;
    if (source === null) throw new IllegalStateError('Header has no buffer');
    this.#headerBuffer.putFrom(0, source, header.offset, HEADER_LENGTH);
    return this;
  }

  /**
   * The Header for the complete message, given the last fragment's header: frame length 32 + payload, flags of the
   * first and last fragments (B|E). Reused: valid until the next call. Java: `BufferBuilder.completeHeader`.
   */
  completeHeader(header: Header): Header {
    const completeHeader = this.#completeHeader;
    completeHeader.context = header.context;
    completeHeader.fragmentedFrameLength = computeFragmentedFrameLength(
      this.#limit,
      this.#firstFrameLength - HEADER_LENGTH,
    );
    this.#headerBuffer.putInt32(FRAME_LENGTH_FIELD_OFFSET, HEADER_LENGTH + this.#limit);
    this.#headerBuffer.putInt8(FLAGS_FIELD_OFFSET, this.#headerBuffer.getInt8(FLAGS_FIELD_OFFSET) | header.flags());
    return completeHeader;
  }

  #ensureCapacity(additionalLength: number): void {
    const required = this.#limit + additionalLength;
    const capacity = this.buffer.capacity;
    if (required > capacity) {
      if (required > BUFFER_BUILDER_MAX_CAPACITY) {
        throw new InvalidArgumentError(
          `insufficient capacity: maxCapacity=${BUFFER_BUILDER_MAX_CAPACITY} limit=${this.#limit} additionalLength=${additionalLength}`,
        );
      }
      let newCapacity = Math.max(capacity, BUFFER_BUILDER_INIT_MIN_CAPACITY);
      while (newCapacity < required) newCapacity = Math.min(newCapacity * 2, BUFFER_BUILDER_MAX_CAPACITY);
      this.buffer.resize(newCapacity, this.#limit);
    }
  }
}
