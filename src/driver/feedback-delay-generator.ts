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
 *
 * `FeedbackDelayGenerators` holds the driver's four generators as `MediaDriver.Context.conclude` builds them, and
 * `resolveNakDelayGenerator` picks an image's NAK delay generator as `DriverConductor.resolveDelayGenerator` does.
 */
import {
  NAK_MAX_BACKOFF_DEFAULT_NS,
  NAK_MULTICAST_GROUP_SIZE_DEFAULT,
  NAK_UNICAST_DELAY_DEFAULT_NS,
  NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT,
  RETRANSMIT_UNICAST_DELAY_DEFAULT_NS,
  RETRANSMIT_UNICAST_LINGER_DEFAULT_NS,
} from './configuration.ts';

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

/** The driver's feedback delay generators (Java `MediaDriver.Context`'s four generators and the retry ratio). */
export interface FeedbackDelayGenerators {
  /** NAK delay of unicast images: `Static(nakUnicastDelay, nakUnicastDelay x ratio)`. */
  readonly unicastFeedbackDelayGenerator: FeedbackDelayGenerator;
  /** NAK delay of multicast and MDC images: `OptimalMulticast(maxBackoff, groupSize)`. */
  readonly multicastFeedbackDelayGenerator: FeedbackDelayGenerator;
  /** Sender delay before a retransmit (`aeron.retransmit.unicast.delay`). */
  readonly retransmitUnicastDelayGenerator: FeedbackDelayGenerator;
  /** Sender linger after a retransmit (`aeron.retransmit.unicast.linger`). */
  readonly retransmitUnicastLingerGenerator: FeedbackDelayGenerator;
  /** `aeron.nak.unicast.retry.delay.ratio`: a channel's `nak-delay` retry delay is this many delays. */
  readonly nakUnicastRetryDelayRatio: number;
}

/** The settings the generators are built from, all optional (Java's defaults). */
export interface FeedbackDelaySettings {
  /** `aeron.nak.unicast.delay` (ns). */
  readonly nakUnicastDelayNs?: number;
  /** `aeron.nak.unicast.retry.delay.ratio`. */
  readonly nakUnicastRetryDelayRatio?: number;
  /** `aeron.nak.multicast.max.backoff` (ns). */
  readonly nakMulticastMaxBackoffNs?: number;
  /** `aeron.nak.multicast.group.size`. */
  readonly nakMulticastGroupSize?: number;
  /** `aeron.retransmit.unicast.delay` (ns). */
  readonly retransmitUnicastDelayNs?: number;
  /** `aeron.retransmit.unicast.linger` (ns). */
  readonly retransmitUnicastLingerNs?: number;
  /** The multicast generator's uniform source (`Math.random` by default). */
  readonly random?: UniformRandom;
}

/**
 * The generators as Java's `MediaDriver.Context.conclude` builds them from the settings.
 *
 * @param settings the NAK and retransmit settings; Java's defaults for those left out.
 */
export function newFeedbackDelayGenerators(settings: FeedbackDelaySettings = {}): FeedbackDelayGenerators {
  const nakUnicastDelayNs = settings.nakUnicastDelayNs ?? NAK_UNICAST_DELAY_DEFAULT_NS;
  const ratio = settings.nakUnicastRetryDelayRatio ?? NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT;
  return {
    unicastFeedbackDelayGenerator: new StaticDelayGenerator(nakUnicastDelayNs, nakUnicastDelayNs * ratio),
    multicastFeedbackDelayGenerator: new OptimalMulticastDelayGenerator(
      settings.nakMulticastMaxBackoffNs ?? NAK_MAX_BACKOFF_DEFAULT_NS,
      settings.nakMulticastGroupSize ?? NAK_MULTICAST_GROUP_SIZE_DEFAULT,
      settings.random,
    ),
    retransmitUnicastDelayGenerator: new StaticDelayGenerator(
      settings.retransmitUnicastDelayNs ?? RETRANSMIT_UNICAST_DELAY_DEFAULT_NS,
    ),
    retransmitUnicastLingerGenerator: new StaticDelayGenerator(
      settings.retransmitUnicastLingerNs ?? RETRANSMIT_UNICAST_LINGER_DEFAULT_NS,
    ),
    nakUnicastRetryDelayRatio: ratio,
  };
}

/**
 * An image's NAK delay generator (Java `DriverConductor.resolveDelayGenerator`): none for an unreliable
 * subscription, the multicast one for group semantics, the channel's `nak-delay` (retry: `max(d, 1 us) x ratio`),
 * else the unicast one. A channel's `nak-delay` makes a new generator (control path).
 *
 * @param generators the driver's generators.
 * @param nakDelayNs the subscription channel's `nak-delay` (`UdpChannel.nakDelayNs`), null when not set.
 * @param isMulticastSemantics the image's group semantics (Java `DriverConductor.isMulticastSemantics(channel, group,
 *   setupFlags)`: the subscription's `group=`, else the SETUP's group flag, else a multicast channel).
 * @param isReliable the subscription's `reliable` (true by default).
 */
export function resolveNakDelayGenerator(
  generators: FeedbackDelayGenerators,
  nakDelayNs: number | null,
  isMulticastSemantics: boolean,
  isReliable: boolean,
): FeedbackDelayGenerator {
  if (!isReliable) return StaticDelayGenerator.ZERO_DELAY_GENERATOR;
  if (isMulticastSemantics) return generators.multicastFeedbackDelayGenerator;
  if (nakDelayNs !== null) {
    const retryDelayNs = Math.max(nakDelayNs, NAK_UNICAST_DELAY_MIN_VALUE_NS) * generators.nakUnicastRetryDelayRatio;
    return new StaticDelayGenerator(nakDelayNs, retryDelayNs);
  }
  return generators.unicastFeedbackDelayGenerator;
}
