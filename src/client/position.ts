/**
 * Positions kept in the media driver's counters (1.51.0 Agrona `UnsafeBufferPosition` /
 * `ReadablePosition`): a 64-bit value at `counterId × 128` in the CnC counters values buffer.
 *
 * ```
 *  values buffer: | counter 0 (128 B) | counter 1 | ... | counter id: +0 int64 value | ... |
 * ```
 *
 * - A publication reads its publication limit (written by the driver) with `getVolatile()` once per offer.
 * - An image reads its subscriber position with `get()` (this client is the only writer) and writes it once
 *   per poll with `setRelease()`.
 *
 * `setRelease` allocates nothing in the common case: when the new value has the same high 32 bits as the
 * stored one, a release store of the low word alone publishes the whole, untorn 64-bit value. Only when the
 * high word changes (every 4 GiB of stream) does it fall back to the BigInt-based 64-bit store. This relies
 * on the single-writer rule of subscriber positions (the driver only initialises them before the image is
 * handed to the client).
 */
import type { AtomicBuffer } from '../transport/index.ts';
import { counterOffset } from '../transport/index.ts';

const TWO_POW_32 = 4294967296;

/** A position that can be read (e.g. a publication limit). */
export interface ReadablePosition {
  /** Counter id. */
  readonly id: number;
  /** Acquire load of the value (exact up to 2^53). */
  getVolatile(): number;
}

/** A counter-backed position; `setRelease` assumes a single writer (see the module comment). */
export class UnsafeBufferPosition implements ReadablePosition {
  readonly id: number;
  readonly #buffer: AtomicBuffer;
  readonly #offset: number;

  /** @param valuesBuffer the CnC counters values buffer. */
  constructor(valuesBuffer: AtomicBuffer, counterId: number) {
    const offset = counterOffset(counterId);
    valuesBuffer.boundsCheck(offset, 8);
    this.id = counterId;
    this.#buffer = valuesBuffer;
    this.#offset = offset;
  }

  /** Plain read (for the single writer). */
  get(): number {
    return this.#buffer.getInt64(this.#offset);
  }

  getVolatile(): number {
    return this.#buffer.getInt64Volatile(this.#offset);
  }

  /** Release store of a safe, non-negative integer position. */
  setRelease(value: number): void {
    const buffer = this.#buffer;
    const offset = this.#offset;
    const hi = Math.floor(value / TWO_POW_32);
    if (buffer.getInt32(offset + 4) === hi) {
      buffer.putInt32Ordered(offset, (value - hi * TWO_POW_32) | 0);
    } else {
      buffer.putInt64Ordered(offset, value);
    }
  }
}
