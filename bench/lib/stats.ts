/** Summary statistics over a case's repetitions. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median: the relative range of the repetitions, 0 when they all agree. */
  readonly spread: number;
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const spread = m === 0 ? (max === min ? 0 : Number.POSITIVE_INFINITY) : (max - min) / Math.abs(m);
  return { median: m, min, max, spread, samples: [...values] };
}
