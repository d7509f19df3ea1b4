/**
 * Positions kept in the media driver's counters (Java: Agrona's `UnsafeBufferPosition` / `ReadablePosition`):
 * a 64-bit value at `counterId × 128` in the CnC counters values buffer, accessed as two Int32 words of the values
 * buffer (`src/transport/int64-words.ts`).
 *
 * ```
 *  values buffer: | counter 0 (128 B) | counter 1 | ... | counter id: +0 int64 value | ... |
 * ```
 *
 * - A publication reads its publication limit (written by the driver) once per offer (through the same words,
 *   `Publication.publicationLimitFor`).
 * - An image reads its subscriber position with `get()` (this client is the only writer) and writes it once
 *   per poll with `setRelease()`.
 *
 * `setRelease` allocates nothing: when the new value has the same high 32 bits as the stored one, a release
 * store of the low word alone publishes the whole, untorn 64-bit value (allocation free on every architecture);
 * when the high word changes (every 4 GiB of stream) it stores all 64 bits at once (`putInt64Release`). This
 * relies on the single-writer rule of subscriber positions (the driver only initialises them before the image is
 * handed to the client). Release stores go through `src/transport/memory-ordering.ts`.
 */
import { type AtomicBuffer, AtomicBufferError, counterOffset } from '../transport/index.ts';
import { getInt64Plain, getInt64Volatile, highWord, lowWord } from '../transport/int64-words.ts';
import { putInt32Release } from '../transport/memory-ordering.ts';

/** A position that can be read (e.g. a publication limit). */
export interface ReadablePosition {
  /** Counter id. */
  readonly id: number;
  /** Acquire load of the value (exact up to 2^53). */
  getVolatile(): number;
}

/**
 * The Int32 words of a counters values buffer (a counter's value is 8-byte aligned in them).
 *
 * @throws AtomicBufferError `MISALIGNED` when the buffer has no Int32 view.
 */
export function counterValueWords(valuesBuffer: AtomicBuffer): Int32Array {
  const words = valuesBuffer.int32View;
  if (words === null) throw new AtomicBufferError('MISALIGNED', 'counters values buffer is not 4-byte aligned');
  return words;
}

/**
 * A counter-backed position; `setRelease` assumes a single writer (see the module comment). Reads and writes
 * go straight to the values buffer's Int32 words (a counter is 128-byte aligned, so its value is 8-byte
 * aligned).
 *
 * @throws AtomicBufferError `OUT_OF_BOUNDS` from the constructor when the counter is outside the values buffer,
 * `MISALIGNED` when the buffer has no Int32 view.
 */
export class UnsafeBufferPosition implements ReadablePosition {
  /** Counter id of the position. Java: `UnsafeBufferPosition.id`. */
  readonly id: number;
  readonly #buffer: AtomicBuffer;
  readonly #offset: number;
  /** The values buffer's words and the index of the value's low word. */
  readonly #words: Int32Array;
  readonly #lowWord: number;

  /** @param valuesBuffer the CnC counters values buffer. */
  constructor(valuesBuffer: AtomicBuffer, counterId: number) {
    const offset = counterOffset(counterId);
    valuesBuffer.boundsCheck(offset, 8);
    this.id = counterId;
    this.#buffer = valuesBuffer;
    this.#offset = offset;
    this.#words = counterValueWords(valuesBuffer);
    this.#lowWord = offset >> 2;
  }

  /** Plain read (for the single writer). Java: `UnsafeBufferPosition.get`. */
  get(): number {
    return getInt64Plain(this.#words, this.#lowWord);
  }

  /** Acquire load of the value (high, low, high words; exact up to 2^53). Java: `UnsafeBufferPosition.getVolatile`. */
  getVolatile(): number {
    return getInt64Volatile(this.#words, this.#lowWord);
  }

  /**
   * Release store of a safe, non-negative integer position: while the high word is unchanged, one release store of
   * the low word publishes the whole untorn value (single writer); otherwise the 64-bit store. Java:
   * `UnsafeBufferPosition.setRelease`.
   */
  setRelease(value: number): void {
    const words = this.#words;
    if (words[this.#lowWord + 1] === highWord(value)) putInt32Release(words, this.#lowWord, lowWord(value));
    else this.#buffer.putInt64Release(this.#offset, value);
  }
}
