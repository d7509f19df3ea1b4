/**
 * Percentiles of raw round-trip samples, computed the same way on both sides (DataPathBench.java mirrors
 * it): sort ascending, the p-th percentile is the nearest-rank sample `sorted[ceil(p/100 * n) - 1]`.
 * Values in microseconds.
 */
export const PERCENTILES: readonly number[] = [50, 90, 99, 99.9, 99.99];

export interface RttStats {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly 'p99.9': number;
  readonly 'p99.99': number;
  readonly max: number;
  readonly mean: number;
}

export function nearestRank(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Summarises RTT samples in nanoseconds (sorted in place) into microseconds. */
export function percentiles(samplesNs: Float64Array): RttStats {
  samplesNs.sort();
  let sum = 0;
  for (let i = 0; i < samplesNs.length; i++) sum += samplesNs[i]!;
  const us = (ns: number): number => Math.round(ns) / 1000;
  return {
    p50: us(nearestRank(samplesNs, 50)),
    p90: us(nearestRank(samplesNs, 90)),
    p99: us(nearestRank(samplesNs, 99)),
    'p99.9': us(nearestRank(samplesNs, 99.9)),
    'p99.99': us(nearestRank(samplesNs, 99.99)),
    max: us(samplesNs[samplesNs.length - 1]!),
    mean: us(sum / samplesNs.length),
  };
}
