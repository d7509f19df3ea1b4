/**
 * `JavaRandom`: the 48-bit linear congruential generator of `java.util.Random`, bit for bit, so a seeded loss
 * generator here drops exactly the frames Java's `RandomLossGenerator` drops with the same seed.
 *
 * ```
 *  seed₀ = (seed ^ 0x5DEECE66D) mod 2^48
 *  seedₙ₊₁ = (seedₙ × 0x5DEECE66D + 0xB) mod 2^48      next(bits) = seedₙ₊₁ >>> (48 − bits)
 *  nextDouble = (next(26) × 2^27 + next(27)) × 2^−53
 * ```
 *
 * The 48-bit state is kept as two 24-bit halves in numbers, so every product stays below 2^53 and a draw
 * allocates nothing (no BigInt on the per-frame path).
 */

const MULTIPLIER = 0x5deece66dn;
const MASK_48 = (1n << 48n) - 1n;
/** Bits 24..34 of the multiplier (0x5DE). */
const MULTIPLIER_HIGH = 0x5de;
/** Bits 0..23 of the multiplier (0xECE66D). */
const MULTIPLIER_LOW = 0xece66d;
const TWO_POW_24 = 16777216;
const TWO_POW_27 = 134217728;
const TWO_POW_MINUS_53 = 2 ** -53;

/** `java.util.Random` with a given seed; see the module comment. */
export class JavaRandom {
  #high = 0;
  #low = 0;

  /** @param seed Java `long` seed (a safe integer or a bigint, taken modulo 2^64). */
  constructor(seed: number | bigint) {
    this.setSeed(seed);
  }

  /** Resets the state as `new Random(seed)` / `setSeed(seed)` does. */
  setSeed(seed: number | bigint): void {
    const scrambled = (BigInt.asIntN(64, BigInt(seed)) ^ MULTIPLIER) & MASK_48;
    this.#high = Number(scrambled >> 24n);
    this.#low = Number(scrambled & 0xffffffn);
  }

  /** Advances the state and returns its top `bits` bits (1-32), as Java's `next(bits)` (signed when bits = 32). */
  next(bits: number): number {
    const low = this.#low;
    const high = this.#high;
    const p0 = low * MULTIPLIER_LOW + 0xb;
    const p1 = low * MULTIPLIER_HIGH + high * MULTIPLIER_LOW;
    const newLow = p0 % TWO_POW_24;
    const newHigh = (Math.floor(p0 / TWO_POW_24) + p1) % TWO_POW_24;
    this.#low = newLow;
    this.#high = newHigh;
    // The top `bits` bits of high·2^24 + low.
    const value = Math.floor((newHigh * TWO_POW_24 + newLow) / 2 ** (48 - bits));
    return bits === 32 ? value | 0 : value;
  }

  /**
   * A double in [0, 1) as Java's `nextDouble()`. A double returned from a call V8 does not inline is boxed (16
   * bytes): per-frame decisions use {@link JavaRandom.nextDoubleIndex}, which returns a small integer.
   */
  nextDouble(): number {
    return (this.next(26) * TWO_POW_27 + this.next(27)) * TWO_POW_MINUS_53;
  }

  /**
   * Draws `u = nextDouble()` and returns the index of the first of `limits` (ascending) with `u <= limit`, or
   * `limits.length` when there is none. Allocates nothing whether inlined or not.
   */
  nextDoubleIndex(limits: Float64Array): number {
    const u = (this.next(26) * TWO_POW_27 + this.next(27)) * TWO_POW_MINUS_53;
    const count = limits.length;
    for (let i = 0; i < count; i++) if (u <= limits[i]!) return i;
    return count;
  }

  /** An int as Java's `nextInt()`. */
  nextInt(): number {
    return this.next(32);
  }
}
