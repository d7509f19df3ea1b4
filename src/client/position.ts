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

/**
 * A counter-backed position; `setRelease` assumes a single writer (see the module comment). Reads and writes
 * go straight to the values buffer's Int32 words (a counter is 128-byte aligned, so its value is 8-byte
 * aligned): plain reads index the words, the acquire read is `Atomics.load` high, low, high (as
 * `AtomicBuffer.getInt64Volatile`), the release store `Atomics.store` of the low word.
 */
export class UnsafeBufferPosition implements ReadablePosition {
  /** Counter id of the position. Java: `UnsafeBufferPosition.id`. */
  readonly id: number;
  readonly #buffer: AtomicBuffer;
  readonly #offset: number;
  /** The values buffer's words (null without an int32 view: accessor path) and the value's low word index. */
  readonly #words: Int32Array | null;
  readonly #lo: number;

  /** @param valuesBuffer the CnC counters values buffer. */
  constructor(valuesBuffer: AtomicBuffer, counterId: number) {
    const offset = counterOffset(counterId);
    valuesBuffer.boundsCheck(offset, 8);
    this.id = counterId;
    this.#buffer = valuesBuffer;
    this.#offset = offset;
    this.#words = (offset & 7) === 0 ? valuesBuffer.int32View : null;
    this.#lo = offset >> 2;
  }

  /** Plain read (for the single writer). */
  get(): number {
    const words = this.#words;
    if (words === null) return this.#buffer.getInt64(this.#offset);
    const lo = this.#lo;
    return words[lo + 1]! * TWO_POW_32 + (words[lo]! >>> 0);
  }

  /** Acquire load of the value (hi-lo-hi on the words; exact up to 2^53). Java: `UnsafeBufferPosition.getVolatile`. */
  getVolatile(): number {
    const words = this.#words;
    if (words === null) return this.#buffer.getInt64Volatile(this.#offset);
    const lo = this.#lo;
    let hi = Atomics.load(words, lo + 1);
    for (;;) {
      const low = Atomics.load(words, lo);
      const hiAgain = Atomics.load(words, lo + 1);
      if (hiAgain === hi) return hi * TWO_POW_32 + (low >>> 0);
      hi = hiAgain;
    }
  }

  /** Release store of a safe, non-negative integer position. */
  setRelease(value: number): void {
    const words = this.#words;
    const hi = Math.floor(value / TWO_POW_32);
    if (words !== null && words[this.#lo + 1] === hi) {
      Atomics.store(words, this.#lo, (value - hi * TWO_POW_32) | 0);
    } else if (words === null && this.#buffer.getInt32(this.#offset + 4) === hi) {
      this.#buffer.putInt32Ordered(this.#offset, (value - hi * TWO_POW_32) | 0);
    } else {
      this.#buffer.putInt64Ordered(this.#offset, value);
    }
  }
}
