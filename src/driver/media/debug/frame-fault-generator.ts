/**
 * `FrameFaultGenerator`: seeded per-datagram fault decisions for the test-only fault injection of the channel
 * endpoints: drop, duplicate, or delay (send or deliver after the next datagram, i.e. reorder). An aeron-ts
 * extension of Java's `RandomLossGenerator` (the Java driver only drops).
 *
 * ```
 *  u = nextDouble()  (java.util.Random(seed), one draw per datagram of the chosen frame types)
 *  u <= dropRate (and dropRate > 0)              DROP
 *  u <= dropRate + duplicateRate                  DUPLICATE   (the datagram goes out / is handled twice)
 *  u <= dropRate + duplicateRate + delayRate      DELAY       (held, released after the next datagram)
 *  otherwise                                      NONE
 * ```
 *
 * With duplicate and delay rates 0 it drops exactly the datagrams Java's `RandomLossGenerator(dropRate, seed)`
 * drops. It is also a `LossGenerator` (`shouldDropFrame` = the decision is DROP), for endpoints that only drop; an
 * endpoint calls one of the two per datagram, never both.
 */
import type { AtomicBuffer } from '../../../transport/atomic-buffer.ts';
import { MediaDriverError } from '../../driver-error.ts';
import { type FrameAddress, frameTypeOf, type LossGenerator } from '../loss-generator.ts';
import { JavaRandom } from './java-random.ts';

/** Decision: handle the datagram normally. */
export const FRAME_FAULT_NONE = 0;
/** Decision: drop the datagram. */
export const FRAME_FAULT_DROP = 1;
/** Decision: handle (send or deliver) the datagram twice. */
export const FRAME_FAULT_DUPLICATE = 2;
/** Decision: hold the datagram and handle it after the next one (a reorder). */
export const FRAME_FAULT_DELAY = 3;

/** One of the `FRAME_FAULT_*` decisions. */
export type FrameFault =
  | typeof FRAME_FAULT_NONE
  | typeof FRAME_FAULT_DROP
  | typeof FRAME_FAULT_DUPLICATE
  | typeof FRAME_FAULT_DELAY;

/** Rates (each 0-1, summing to at most 1), seed and frame types of a {@link FrameFaultGenerator}. */
export interface FrameFaultOptions {
  /** Fraction of datagrams dropped (default 0). */
  readonly dropRate?: number;
  /** Fraction duplicated (default 0). */
  readonly duplicateRate?: number;
  /** Fraction delayed past the next datagram (default 0). */
  readonly delayRate?: number;
  /** Java `long` seed; -1 (default) for a random one. */
  readonly seed?: number | bigint;
  /** The `HDR_TYPE_*` values faults apply to (others: NONE, without a draw); null or absent = every datagram. */
  readonly frameTypes?: readonly number[] | null;
}

/** Seeded drop/duplicate/delay decisions per datagram; see the module comment. */
export class FrameFaultGenerator implements LossGenerator {
  /** Fraction of datagrams dropped. */
  readonly dropRate: number;
  /** Fraction duplicated. */
  readonly duplicateRate: number;
  /** Fraction delayed. */
  readonly delayRate: number;
  /** Upper limits of u for DROP (-1 when the drop rate is 0), DUPLICATE and DELAY. */
  readonly #limits: Float64Array;
  readonly #random: JavaRandom;
  readonly #types: Uint8Array | null;

  /**
   * @param options rates, seed and frame types.
   * @throws MediaDriverError INVALID_CONFIGURATION for a rate outside 0-1 or rates summing above 1.
   */
  constructor(options: FrameFaultOptions) {
    this.dropRate = options.dropRate ?? 0;
    this.duplicateRate = options.duplicateRate ?? 0;
    this.delayRate = options.delayRate ?? 0;
    for (const rate of [this.dropRate, this.duplicateRate, this.delayRate]) {
      if (!(rate >= 0 && rate <= 1))
        throw new MediaDriverError('INVALID_CONFIGURATION', `fault rate ${rate} not in 0-1`);
    }
    const duplicateLimit = this.dropRate + this.duplicateRate;
    const delayLimit = duplicateLimit + this.delayRate;
    if (delayLimit > 1 + 1e-12) {
      throw new MediaDriverError('INVALID_CONFIGURATION', `fault rates sum to ${delayLimit}, above 1`);
    }
    this.#limits = Float64Array.of(this.dropRate > 0 ? this.dropRate : -1, duplicateLimit, delayLimit);
    const seed = options.seed ?? -1;
    this.#random = new JavaRandom(seed === -1 || seed === -1n ? process.hrtime.bigint() : seed);
    if (options.frameTypes === null || options.frameTypes === undefined) {
      this.#types = null;
    } else {
      this.#types = new Uint8Array(0x10000);
      for (const type of options.frameTypes) this.#types[type & 0xffff] = 1;
    }
  }

  /** The decision for one datagram (`FRAME_FAULT_*`); one random draw when its type is among the chosen ones. */
  decide(_address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): FrameFault {
    const types = this.#types;
    if (types !== null) {
      const type = frameTypeOf(buffer, offset, length);
      if (type < 0 || types[type] !== 1) return FRAME_FAULT_NONE;
    }
    switch (this.#random.nextDoubleIndex(this.#limits)) {
      case 0:
        return FRAME_FAULT_DROP;
      case 1:
        return FRAME_FAULT_DUPLICATE;
      case 2:
        return FRAME_FAULT_DELAY;
      default:
        return FRAME_FAULT_NONE;
    }
  }

  /** True when {@link decide} says DROP. See `LossGenerator.shouldDropFrame`. */
  shouldDropFrame(address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): boolean {
    return this.decide(address, buffer, offset, length) === FRAME_FAULT_DROP;
  }
}
