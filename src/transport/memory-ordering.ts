/**
 * How a publishing write is emitted: the one place that decides whether a release store is a plain typed-array
 * store or an `Atomics.store`.
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
 * get-and-add) and acquire loads are always `Atomics`: this module decides only stores. A plain load would be an
 * acquire load on x86-64 too, but V8 may hoist a plain load out of a loop that writes nothing (an offer retried
 * on back pressure, inlined into the caller's loop, would never see the publication limit move); an `Atomics.load`
 * it never moves.
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
 * Whether a plain typed-array store is a release store in this process: x86-64 and not forced off through
 * {@link MEMORY_ORDERING_ENV} (see the module comment).
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
