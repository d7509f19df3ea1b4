/**
 * Feedback delay generators (src/driver/feedback-delay-generator.ts): the static delays, and the optimal
 * multicast delay of Aeron 1.51.0's OptimalMulticastDelayGeneratorTest (never above the max backoff), its
 * bounds at the ends of the uniform draw, its formula against RFC 5401's, and the defaults of Java's
 * Configuration.
 */
import { describe, expect, it } from 'vitest';
import {
  NAK_MAX_BACKOFF_DEFAULT_NS,
  NAK_MULTICAST_GROUP_SIZE_DEFAULT,
  NAK_UNICAST_DELAY_DEFAULT_NS,
  NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT,
  RETRANSMIT_UNICAST_DELAY_DEFAULT_NS,
  RETRANSMIT_UNICAST_LINGER_DEFAULT_NS,
} from '../../src/driver/configuration.ts';
import {
  NAK_UNICAST_DELAY_MIN_VALUE_NS,
  newFeedbackDelayGenerators,
  OptimalMulticastDelayGenerator,
  resolveNakDelayGenerator,
  StaticDelayGenerator,
} from '../../src/driver/feedback-delay-generator.ts';

const MAX_BACKOFF_NS = 60_000_000;
const GROUP_SIZE = 10;

/** A repeatable uniform [0, 1) source (a 32-bit xorshift). */
function seeded(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** RFC 5401's RandomBackoff written out as the RFC gives it. */
function rfcRandomBackoff(maxBackoffT: number, groupSize: number, uniform: number): number {
  const lambda = Math.log(groupSize) + 1;
  const x = uniform * (lambda / maxBackoffT) + lambda / (maxBackoffT * (Math.exp(lambda) - 1));
  return (maxBackoffT / lambda) * Math.log(x * (Math.exp(lambda) - 1) * (maxBackoffT / lambda));
}

describe('StaticDelayGenerator', () => {
  it('returns its delay, and its retry delay (the delay when none is given)', () => {
    const generator = new StaticDelayGenerator(1_000, 100_000);
    expect(generator.generateDelayNs()).toBe(1_000);
    expect(generator.retryDelayNs()).toBe(100_000);
    expect(new StaticDelayGenerator(7).retryDelayNs()).toBe(7);
    expect(String(generator)).toBe('StaticDelayGenerator{delayInNs=1000, retryDelayNs=100000}');
  });

  it('has a shared zero-delay generator', () => {
    expect(StaticDelayGenerator.ZERO_DELAY_GENERATOR.generateDelayNs()).toBe(0);
    expect(StaticDelayGenerator.ZERO_DELAY_GENERATOR.retryDelayNs()).toBe(0);
  });
});

describe('OptimalMulticastDelayGenerator', () => {
  it('never exceeds the max backoff nor goes below zero (100,000 draws)', () => {
    const generator = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, seeded(42));
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 100_000; i++) {
      const delay = generator.generateNewOptimalDelay();
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    expect(max).toBeLessThanOrEqual(MAX_BACKOFF_NS);
    expect(min).toBeGreaterThanOrEqual(0);
    // The draws spread over the interval, weighted towards its end (few receivers answer early).
    expect(max).toBeGreaterThan(MAX_BACKOFF_NS * 0.99);
    expect(min).toBeLessThan(MAX_BACKOFF_NS * 0.1);
  });

  it('maps a uniform draw of 0 to a delay of 0 and a draw near 1 to the max backoff', () => {
    const zero = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, () => 0);
    expect(zero.generateNewOptimalDelay()).toBeCloseTo(0, 6); // ln(1) up to rounding of the constants
    expect(zero.generateDelayNs() === 0).toBe(true);
    const nearOne = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, () => 1 - 2 ** -53);
    expect(nearOne.generateNewOptimalDelay()).toBeCloseTo(MAX_BACKOFF_NS, -1);
  });

  it('computes RFC 5401 RandomBackoff for the same uniform draw, truncated to whole ns', () => {
    for (const u of [0.001, 0.25, 0.5, 0.75, 0.999]) {
      const generator = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, () => u);
      const expected = rfcRandomBackoff(MAX_BACKOFF_NS, GROUP_SIZE, u);
      expect(generator.generateNewOptimalDelay()).toBeCloseTo(expected, 3);
      expect(generator.generateDelayNs()).toBe(Math.trunc(generator.generateNewOptimalDelay()));
      expect(Number.isInteger(generator.retryDelayNs())).toBe(true);
    }
  });

  it('repeats its delays for the same seed', () => {
    const a = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, seeded(7));
    const b = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, seeded(7));
    for (let i = 0; i < 100; i++) expect(a.generateDelayNs()).toBe(b.generateDelayNs());
  });

  it('draws a new delay for a retry', () => {
    let calls = 0;
    const generator = new OptimalMulticastDelayGenerator(MAX_BACKOFF_NS, GROUP_SIZE, () => {
      calls++;
      return 0.5;
    });
    generator.retryDelayNs();
    expect(calls).toBe(1);
    expect(String(generator)).toMatch(/^OptimalMulticastDelayGenerator\{randMax=.*, factorT=.*\}$/);
  });
});

describe("the delay generators' defaults (configuration.ts)", () => {
  it('are those of Aeron 1.51.0 Configuration', () => {
    expect(NAK_UNICAST_DELAY_DEFAULT_NS).toBe(1_000);
    expect(NAK_UNICAST_DELAY_MIN_VALUE_NS).toBe(1_000);
    expect(NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT).toBe(100);
    expect(NAK_MAX_BACKOFF_DEFAULT_NS).toBe(10_000_000);
    expect(NAK_MULTICAST_GROUP_SIZE_DEFAULT).toBe(10);
    expect(RETRANSMIT_UNICAST_DELAY_DEFAULT_NS).toBe(0);
    expect(RETRANSMIT_UNICAST_LINGER_DEFAULT_NS).toBe(10_000_000);
  });
});

describe('newFeedbackDelayGenerators and resolveNakDelayGenerator', () => {
  it("builds the driver's generators as MediaDriver.Context.conclude does", () => {
    const defaults = newFeedbackDelayGenerators({ random: () => 0.5 });
    expect(defaults.unicastFeedbackDelayGenerator.generateDelayNs()).toBe(1_000);
    expect(defaults.unicastFeedbackDelayGenerator.retryDelayNs()).toBe(100_000);
    expect(defaults.retransmitUnicastDelayGenerator.generateDelayNs()).toBe(0);
    expect(defaults.retransmitUnicastLingerGenerator.generateDelayNs()).toBe(10_000_000);
    const multicast = defaults.multicastFeedbackDelayGenerator.generateDelayNs();
    expect(multicast).toBe(Math.trunc(rfcRandomBackoff(NAK_MAX_BACKOFF_DEFAULT_NS, 10, 0.5)));

    const custom = newFeedbackDelayGenerators({
      nakUnicastDelayNs: 60_000,
      nakUnicastRetryDelayRatio: 3,
      nakMulticastMaxBackoffNs: 1_000_000,
      nakMulticastGroupSize: 2,
      retransmitUnicastDelayNs: 5,
      retransmitUnicastLingerNs: 7,
      random: () => 0.25,
    });
    expect(custom.unicastFeedbackDelayGenerator.retryDelayNs()).toBe(180_000);
    expect(custom.multicastFeedbackDelayGenerator.generateDelayNs()).toBe(
      Math.trunc(rfcRandomBackoff(1_000_000, 2, 0.25)),
    );
    expect(custom.retransmitUnicastDelayGenerator.generateDelayNs()).toBe(5);
    expect(custom.retransmitUnicastLingerGenerator.generateDelayNs()).toBe(7);
  });

  it("picks an image's NAK delay generator as DriverConductor.resolveDelayGenerator does", () => {
    const generators = newFeedbackDelayGenerators();
    expect(resolveNakDelayGenerator(generators, 5_000, true, false)).toBe(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    expect(resolveNakDelayGenerator(generators, 5_000, true, true)).toBe(generators.multicastFeedbackDelayGenerator);
    expect(resolveNakDelayGenerator(generators, null, false, true)).toBe(generators.unicastFeedbackDelayGenerator);
    const fromChannel = resolveNakDelayGenerator(generators, 5_000, false, true);
    expect([fromChannel.generateDelayNs(), fromChannel.retryDelayNs()]).toEqual([5_000, 500_000]);
    const belowMin = resolveNakDelayGenerator(generators, 10, false, true);
    expect([belowMin.generateDelayNs(), belowMin.retryDelayNs()]).toEqual([10, 100_000]);
  });
});
