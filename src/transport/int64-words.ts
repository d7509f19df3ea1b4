/**
 * An int64 in shared memory as two int32 words, read and written without BigInt (which allocates per value).
 *
 * ```
 *  words[lowIndex]      low word   bits 0..31  (unsigned part: `low >>> 0`)
 *  words[lowIndex + 1]  high word  bits 32..63 (signed)       value = high × 2^32 + (low >>> 0)
 * ```
 *
 * Little-endian, so the low word comes first. A `number` holds the value exactly while |value| ≤ 2^53; beyond
 * that it rounds (Java's `Long.MAX_VALUE` reads as 2^63).
 *
 * A consistent read of a word another process writes as one 64-bit store is `high, low, high` with acquire
 * loads, repeated until both high reads agree ({@link Int64Halves.loadVolatile}). It returns a value the word
 * really held unless the high word goes A → B → A between the two reads (an ABA over 2^32 steps), which the
 * values Aeron keeps this way (positions, counters, raw tails, ids, timestamps) never do.
 */

/**
 * 2^32: the weight of the high word. Not exported: V8 folds a module's own non-exported constants into the code of
 * the functions it inlines, but loads an exported (or imported) one from its module cell on every use.
 */
const TWO_POW_32 = 4294967296;

/** The int64 with these words, as a number (exact while |value| ≤ 2^53). */
export function int64(highWord: number, lowWord: number): number {
  return highWord * TWO_POW_32 + (lowWord >>> 0);
}

/** The high (signed) word of an integer `value`: `floor(value / 2^32)`. */
export function highWord(value: number): number {
  return Math.floor(value / TWO_POW_32);
}

/** The low word of an integer `value`, as a signed int32 (ToInt32 keeps exactly the low 32 bits). */
export function lowWord(value: number): number {
  return value | 0;
}

/**
 * The two words of one int64, loaded consistently (high, low, high) into a reused object: for values read as a pair
 * (a raw tail's term id and offset) and, through {@link getInt64Volatile}, as a number. Allocation free.
 */
export class Int64Halves {
  /** The high word (signed) of the last load. */
  high = 0;
  /** The low word (signed int32; `low >>> 0` for its unsigned value) of the last load. */
  low = 0;

  /**
   * Acquire loads of the int64 whose low word is `words[lowIndex]`, high first and again after the low, repeated
   * until both high reads agree (see the module comment). Returns `this`.
   */
  loadVolatile(words: Int32Array, lowIndex: number): this {
    let high = Atomics.load(words, lowIndex + 1);
    for (;;) {
      const low = Atomics.load(words, lowIndex);
      const highAgain = Atomics.load(words, lowIndex + 1);
      if (highAgain === high) {
        this.high = high;
        this.low = low;
        return this;
      }
      high = highAgain;
    }
  }
}

/** One set of halves for the number-valued reads (JS runs one thread per isolate; nothing else holds it). */
const halves = new Int64Halves();

/** Acquire load of the int64 whose low word is `words[lowIndex]`, as a number (see the module comment). */
export function getInt64Volatile(words: Int32Array, lowIndex: number): number {
  halves.loadVolatile(words, lowIndex);
  return int64(halves.high, halves.low);
}

/** Plain load of the int64 whose low word is `words[lowIndex]`, as a number (for the value's only writer). */
export function getInt64Plain(words: Int32Array, lowIndex: number): number {
  return int64(words[lowIndex + 1]!, words[lowIndex]!);
}
