/**
 * Feedback delay generators (Aeron 1.51.0 `FeedbackDelayGenerator`, `StaticDelayGenerator`,
 * `OptimalMulticastDelayGenerator`): how long a receiver waits before sending a NAK for a gap, and how long a
 * sender waits before (and lingers after) a retransmit.
 *
 * ```
 *  use                                     generator                          default (configuration.ts)
 *  NAK, unicast                            Static(nakDelay, nakDelay x ratio)  1 us, retry ratio 100
 *  NAK, multicast / MDC                    OptimalMulticast(maxBackoff, group) 10 ms max backoff, group of 10
 *  NAK, channel `nak-delay=<d>`            Static(d, max(d, 1 us) x ratio)
 *  NAK, `reliable=false`                   ZERO_DELAY_GENERATOR
 *  retransmit delay (sender)               Static(0)                           aeron.retransmit.unicast.delay 0
 *  retransmit linger (sender)              Static(10 ms)                       aeron.retransmit.unicast.linger 10 ms
 * ```
 *
 * The optimal multicast delay is RFC 5401's random backoff (section 3.2, "Optimal Multicast Feedback"):
 *
 * ```
 *  lambda = ln(groupSize) + 1
 *  x      = U(0, lambda / maxBackoff) + lambda / (maxBackoff (e^lambda - 1))
 *  delay  = (maxBackoff / lambda) ln(x (e^lambda - 1) maxBackoff / lambda)      in [0, maxBackoff]
 * ```
 *
 * The three constants are computed once; a delay costs one random draw and one logarithm and allocates nothing.
 * The uniform source is injectable (a function returning [0, 1), `Math.random` by default) so tests are
 * deterministic.
 */

/**
 * Smallest unicast NAK delay a retry delay is computed from (Java `NAK_UNICAST_DELAY_MIN_VALUE_NS`, 1 us): a channel's
 * `nak-delay=<d>` gives `Static(d, max(d, this) x aeron.nak.unicast.retry.delay.ratio)`. The other defaults of the
 * table above are in `configuration.ts`.
 */
export const NAK_UNICAST_DELAY_MIN_VALUE_NS = 1_000;

/** A uniform random source: each call returns a number in [0, 1) (the contract of `Math.random`). */
export type UniformRandom = () => number;

/** Feedback delay generator (Java `FeedbackDelayGenerator`): delays in nanoseconds. */
export interface FeedbackDelayGenerator {
  /** A delay for an initial request, in nanoseconds. */
  generateDelayNs(): number;
  /** A delay for a retried request, in nanoseconds (Java's default: `generateDelayNs()`). */
  retryDelayNs(): number;
}

/** Constant delays (Java `StaticDelayGenerator`): one for an initial request, one for a retry. */
export class StaticDelayGenerator implements FeedbackDelayGenerator {
  /** The generator with zero delays (Java `ZERO_DELAY_GENERATOR`): unreliable streams, immediate retransmits. */
  static readonly ZERO_DELAY_GENERATOR: StaticDelayGenerator = new StaticDelayGenerator(0);

  readonly #delayNs: number;
  readonly #retryDelayNs: number;

  /**
   * @param delayNs delay of an initial request (ns).
   * @param retryDelayNs delay of a retry (ns); `delayNs` when left out.
   */
  constructor(delayNs: number, retryDelayNs: number = delayNs) {
    this.#delayNs = delayNs;
    this.#retryDelayNs = retryDelayNs;
  }

  /** The initial delay (ns). */
  generateDelayNs(): number {
    return this.#delayNs;
  }

  /** The retry delay (ns). */
  retryDelayNs(): number {
    return this.#retryDelayNs;
  }

  /** As Java's `toString`. */
  toString(): string {
    return `StaticDelayGenerator{delayInNs=${this.#delayNs}, retryDelayNs=${this.#retryDelayNs}}`;
  }
}

/**
 * Randomised delays in [0, maxBackoff] after RFC 5401's optimal multicast feedback (Java
 * `OptimalMulticastDelayGenerator`); see the module comment. A retry draws a new delay as an initial request does.
 */
export class OptimalMulticastDelayGenerator implements FeedbackDelayGenerator {
  readonly #randMax: number;
  readonly #baseX: number;
  readonly #constantT: number;
  readonly #factorT: number;
  readonly #random: UniformRandom;

  /**
   * @param maxBackoffT the upper bound of the delay (ns for `generateDelayNs`).
   * @param groupSize the estimated number of receivers.
   * @param random uniform [0, 1) source (Java: `ThreadLocalRandom`); inject a seeded one for repeatable delays.
   */
  constructor(maxBackoffT: number, groupSize: number, random: UniformRandom = Math.random) {
    const lambda = Math.log(groupSize) + 1;
    const expLambdaMinusOne = Math.exp(lambda) - 1;
    this.#randMax = lambda / maxBackoffT;
    this.#baseX = lambda / (maxBackoffT * expLambdaMinusOne);
    this.#constantT = maxBackoffT / lambda;
    this.#factorT = expLambdaMinusOne * (maxBackoffT / lambda);
    this.#random = random;
  }

  /** A new delay truncated to whole nanoseconds (Java's `(long)` cast). */
  generateDelayNs(): number {
    return Math.trunc(this.generateNewOptimalDelay());
  }

  /** A new delay, drawn as `generateDelayNs` draws (Java's interface default). */
  retryDelayNs(): number {
    return this.generateDelayNs();
  }

  /** A new delay in the units of `maxBackoffT`, not truncated (Java `generateNewOptimalDelay`). */
  generateNewOptimalDelay(): number {
    const x = this.#random() * this.#randMax + this.#baseX;
    return this.#constantT * Math.log(x * this.#factorT);
  }

  /** As Java's `toString`. */
  toString(): string {
    return (
      `OptimalMulticastDelayGenerator{randMax=${this.#randMax}, baseX=${this.#baseX}, ` +
      `constantT=${this.#constantT}, factorT=${this.#factorT}}`
    );
  }
}
