/**
 * Round-trip statistics, computed the same way on both sides (DataPathBench.java mirrors it).
 *
 * Each side keeps its raw samples (nanoseconds, in a preallocated array: nothing is recorded, allocated or
 * timed inside the timed loop), then records them all into an HdrHistogram with 3 significant digits
 * (hdr-histogram-js here, the HdrHistogram shaded into aeron-all on the Java side) and reads the
 * percentiles of `PERCENTILE_KEYS`, the max and the mean from it, in microseconds. The exact nearest-rank
 * values of the raw samples (`sorted[ceil(p/100 * n) - 1]`) ride along as `rankP50`, `rankP99`,
 * `rankP99.9`, `rankMax` (RTT_RANK_KEYS), a cross-check: the two agree to the histogram's resolution (0.1 %).
 */
import * as hdr from 'hdr-histogram-js';

/** Percentiles reported (as `p<key>`), a finer ladder than the headline p50/p90/p99/p99.9/p99.99 for the plot. */
export const PERCENTILE_KEYS: readonly string[] = ['50', '75', '90', '95', '99', '99.5', '99.9', '99.95', '99.99'];

/** Raw nearest-rank cross-check keys. */
export const RTT_RANK_KEYS: readonly string[] = ['rankP50', 'rankP99', 'rankP99.9', 'rankMax'];

/** `p50`, `p99.9`, ... (µs) from the histogram, `max`, `mean`, and the `rank*` cross-check. */
export type RttStats = Readonly<Record<string, number>> & { readonly p99: number };

export function nearestRank(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const us = (ns: number): number => Math.round(ns) / 1000;

/** Summarises RTT samples in nanoseconds (sorted in place) into microseconds. */
export function percentiles(samplesNs: Float64Array): RttStats {
  samplesNs.sort();
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
  try {
    for (let i = 0; i < samplesNs.length; i++) histogram.recordValue(Math.max(1, Math.round(samplesNs[i]!)));
    const stats: Record<string, number> = {};
    for (const key of PERCENTILE_KEYS) stats[`p${key}`] = us(histogram.getValueAtPercentile(Number(key)));
    stats.max = us(histogram.maxValue);
    stats.mean = us(histogram.mean);
    stats.rankP50 = us(nearestRank(samplesNs, 50));
    stats.rankP99 = us(nearestRank(samplesNs, 99));
    stats['rankP99.9'] = us(nearestRank(samplesNs, 99.9));
    stats.rankMax = us(samplesNs[samplesNs.length - 1]!);
    return stats as RttStats;
  } finally {
    histogram.destroy();
  }
}
