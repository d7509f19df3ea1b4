/**
 * How a publishing write and an acquire load are emitted: the one place that decides whether a release store is a
 * plain typed-array store or an `Atomics.store`, and whether an acquire load is a plain load or an `Atomics.load`.
 *
 * A publishing write makes earlier writes visible to another process: the frame length that makes a frame
 * readable, a term tail, a counter or position a reader polls. It must be a release store (Java's
 * `putIntRelease`/`putLongRelease`): no earlier write may become visible after it.
 *
 * ## The argument for plain stores on x86-64
 *
 * - x86-TSO: the hardware never reorders a store with an earlier store (Intel SDM vol. 3 §8.2.2, "writes are not
 *   reordered with other writes"), so a store that is last in program order is seen last by every other core.
 * - V8 emits typed-array element stores in program order: TurboFan keeps every typed-array store on the effect
 *   chain (it may drop a redundant load, never move a store across another store), and the interpreter and
 *   baseline code store as they execute.
 * - The litmus test (`test/transport/memory-ordering-litmus.test.ts`) holds us to both: writer processes append
 *   frames of random sizes with checksummed payloads into a mapped term and a reader process checks that every
 *   frame whose positive length it sees is complete, with the fast path and with `Atomics` forced.
 *
 * V8 does not inline `Atomics` (each call is a builtin call, and against a reader on the other core it costs
 * 70–190 ns per frame: bench/README.md), which is why the plain store is worth its argument. On every other
 * architecture (arm64 reorders stores) the publishing writes go through `Atomics.store`. Set the environment
 * variable `AERON_TS_MEMORY_ORDERING=atomics` before the library loads to use `Atomics` everywhere (the litmus
 * test does, and so can anyone who doubts the argument on their machine). Read-modify-writes (tail reservation,
 * get-and-add) are always `Atomics`.
 *
 * ## Acquire loads: plain on x86-64, with two conditions on the caller
 *
 * An acquire load (Java's `getIntAcquire`/`getIntVolatile`) must not be reordered with any later load or store.
 * x86-TSO gives every plain load that: loads are not reordered with other loads, nor stores with older loads
 * (Intel SDM vol. 3 §8.2.2); V8 keeps a typed-array load on the effect chain, before every later store and load
 * in program order. So on x86-64 {@link getInt32Acquire} is a plain load, as the release store is a plain store.
 *
 * What a plain load does not have is freshness: an optimising compiler may keep a value it loaded and use it again
 * instead of loading once more, as long as nothing it cannot see through runs in between (a retry loop that writes
 * nothing, inlined whole, could spin on its first value for ever). An `Atomics` call is a builtin call V8 treats as
 * writing anything: no load value is carried across it. Hence two conditions on every use of
 * {@link getInt32Acquire}:
 *
 * 1. a value from an earlier instant must be as good to the algorithm as a fresh one: it already tolerates the
 *    reading thread being descheduled right after the load (Java's own race), so an older value can only do what a
 *    read at that earlier instant would have done;
 * 2. every path that retries or waits on the value passes an `Atomics` call before it loads again, so a loop
 *    cannot spin on a kept value: a rejection decides again on `Atomics.load`s, or the operation makes an `Atomics`
 *    call after the load anyway.
 *
 * The uses: the publication limit read (`Publication.publicationLimitFor`: the plain value only accepts, a
 * rejection re-reads through `Atomics`; the litmus test's writers read their limit in its form, in both modes), the
 * active term count a concurrent offer reads before its `Atomics` tail loads, and the tail's term id the concurrent
 * appender reads before and after its `Atomics.add` (the add's locked instruction orders the loads around it; the
 * algorithm already takes a term id read at any time before the add). Every other acquire load stays `Atomics.load` until someone shows it meets both.
 *
 * ## 64-bit release stores without BigInt
 *
 * A Java reader loads a 64-bit value with ONE 8-byte load, so the value must be written with one 8-byte store:
 * two 32-bit stores are not atomic as a pair (between them the reader sees a torn value, e.g. the new low word
 * beside the old high word when a position crosses a multiple of 2^32). `Atomics.store` on a `BigInt64Array` is
 * one store but allocates a BigInt per value. {@link putInt64Release} instead stores the value's bit pattern as a
 * float64: an aligned `Float64Array` element store is one 8-byte store (`movsd` in optimised code; the builtins
 * and the runtime store the 8 bytes at once too), and an aligned 8-byte store is single-copy atomic on x86-64
 * (Intel SDM vol. 3 §8.1.1). For an integer 0 ≤ v < 2^53 the double whose bits are v is exactly v × 2^-1074
 * (a subnormal for v < 2^52, exponent field 1 above), never a NaN, so no NaN canonicalisation can change the bits
 * and the multiplication is exact (the product is representable). Anything else (−1, other negatives, ≥ 2^53,
 * or on an architecture without plain release stores) goes through `Atomics.store` on the `BigInt64Array`.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

/** Environment variable that forces `Atomics` for every publishing store when set to `atomics`. */
export const MEMORY_ORDERING_ENV = 'AERON_TS_MEMORY_ORDERING';

/**
 * Whether a plain typed-array store is a release store (and a plain load an acquire load) in this process: x86-64
 * and not forced off through {@link MEMORY_ORDERING_ENV} (see the module comment).
 */
export const PLAIN_STORE_IS_RELEASE: boolean = process.arch === 'x64' && process.env[MEMORY_ORDERING_ENV] !== 'atomics';

// Module-private copies: V8 folds a module's own constants into inlined code; imported ones are loaded per use.
const PLAIN = PLAIN_STORE_IS_RELEASE;
/** 2^-1074, the smallest subnormal: the double whose bit pattern is the integer 1. */
const BIT_PATTERN_UNIT = 5e-324;
const TWO_POW_53 = 9007199254740992;
const MINUS_ONE = -1n;
const INT64_MAX = 0x7fff_ffff_ffff_ffffn;

/**
 * Acquire load of `words[index]`: a plain load where that is an acquire load (x86-64, not forced off through
 * {@link MEMORY_ORDERING_ENV}), else `Atomics.load`. The caller must meet the two conditions of the module comment
 * (an older value is as good as a fresh one; nothing retries on the value without an `Atomics` call in between):
 * V8 may reuse a plain load's value across code that calls nothing. Java: `getIntAcquire` / `getIntVolatile`.
 */
export function getInt32Acquire(words: Int32Array, index: number): number {
  return PLAIN ? words[index]! : Atomics.load(words, index);
}

/**
 * Release store of the int32 `value` into `words[index]`: a plain store where that is a release store (x86-64),
 * else `Atomics.store`. Java: `putIntRelease` / `putIntOrdered`.
 */
export function putInt32Release(words: Int32Array, index: number, value: number): void {
  if (PLAIN) words[index] = value;
  else Atomics.store(words, index, value);
}

/**
 * Release store of the integer `value` into the 64-bit word `index` (8-byte units), never torn for a reader doing
 * one 64-bit load. `float64Words` and `int64Words` are views of the same memory at the same offset. Allocates
 * nothing for 0 ≤ value < 2^53 on x86-64 (the bit pattern as a float64, see the module comment), and nothing for
 * −1 (a constant BigInt); other values (and every value elsewhere) take one BigInt. Values ≥ 2^63 saturate to
 * `Long.MAX_VALUE`. Java: `putLongRelease` / `putLongOrdered`.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` for a value outside [0, 2^53) that is not an integer (a non-integer
 * inside it is the caller's error and is not checked: this is a hot path).
 */
export function putInt64Release(
  float64Words: Float64Array,
  int64Words: BigInt64Array,
  index: number,
  value: number,
): void {
  if (PLAIN && value >= 0 && value < TWO_POW_53) {
    // (value + 0) turns -0 into +0: −0's bit pattern would be Long.MIN_VALUE.
    float64Words[index] = (value + 0) * BIT_PATTERN_UNIT;
    return;
  }
  putInt64ReleaseSlow(int64Words, index, value);
}

function putInt64ReleaseSlow(int64Words: BigInt64Array, index: number, value: number): void {
  if (!Number.isInteger(value)) throw new InvalidArgumentError(`64-bit value must be an integer: ${value}`);
  Atomics.store(int64Words, index, value === -1 ? MINUS_ONE : value >= 2 ** 63 ? INT64_MAX : BigInt(value));
}
