/**
 * Positions kept in the counters of `cnc.dat` (Agrona `UnsafeBufferPosition` / `ReadablePosition`): a 64-bit
 * value at `counterId × 128` in the counters values buffer, read and written as two Int32 words of that buffer
 * (`int64-words.ts`). The client (a publication's limit, an image's subscriber position) and the media driver
 * (publisher limit and position, subscriber positions) use this one class.
 *
 * ```
 *  values buffer: | counter 0 (128 B) | counter 1 | ... | counter id: +0 int64 value (low word, high word) | ... |
 *  getVolatile:   acquire loads high, low, high (a torn pair is read again); no BigInt
 *  setRelease:    high word unchanged -> one release store of the low word (single writer: the whole value is
 *                 published untorn); else one 8-byte release store (AtomicBuffer.putInt64Release)
 *  close:         frees the counter through its CountersManager (the driver's positions); without one, nothing
 * ```
 *
 * Nothing here allocates per call: the driver's duty cycle and the client's offers and polls call these for
 * every publication and image. `setRelease` relies on the single-writer rule of positions: the driver writes
 * publisher limits and positions and initialises a subscriber position before the image reaches the client,
 * which from then on is its only writer.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { counterOffset } from './counters-descriptor.ts';
import type { CountersManager } from './counters-manager.ts';
import { getInt64Plain, getInt64Volatile, highWord, lowWord } from './int64-words.ts';
import { putInt32Release } from './memory-ordering.ts';
import { AtomicBufferError } from './transport-error.ts';

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
 * A counter-backed position; `setRelease` assumes a single writer (see the module comment).
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
  readonly #countersManager: CountersManager | null;
  #closed = false;

  /**
   * @param valuesBuffer the CnC counters values buffer.
   * @param counterId the counter holding the position.
   * @param countersManager the manager that allocated the counter, which `close` frees it through; null (the
   * client's positions): `close` only marks the position closed.
   */
  constructor(valuesBuffer: AtomicBuffer, counterId: number, countersManager: CountersManager | null = null) {
    const offset = counterOffset(counterId);
    valuesBuffer.boundsCheck(offset, 8);
    this.id = counterId;
    this.#buffer = valuesBuffer;
    this.#offset = offset;
    this.#words = counterValueWords(valuesBuffer);
    this.#lowWord = offset >> 2;
    this.#countersManager = countersManager;
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#closed;
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

  /** Frees the counter through its `CountersManager`, if it has one. Idempotent. Java: `UnsafeBufferPosition.close`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#countersManager?.free(this.id);
  }
}
