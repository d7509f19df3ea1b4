/**
 * The run's output: a table on the terminal and `bench/results/latest.json`:
 *
 * ```
 * { "machine": {...}, "aeron": "1.51.0", "mediaDriver": "java" | "c" | "ts", "mode": "full" | "quick",
 *   "startedAt": ISO time, "cases": [ { "name", "metric", "unit", "ts", "java", "ratio", "higherIsBetter",
 *                "tsSpread", "javaSpread", "reps", "tsSamples", "javaSamples", "detail",
 *                "percentiles"?, "plot"? } ] }
 * ```
 * `ts`/`java` are medians over the repetitions, `ratio` is ts / java (null without a Java side),
 * `*Spread` is (max - min) / median of that side's repetitions. `detail.ts`/`detail.java` are the last
 * repetition's details, `detail.tsReps`/`detail.javaReps` every repetition's. `mediaDriver` is the driver the
 * data-path and archive cases start (`AERON_TEST_DRIVER`, default `java`; `bench/lib/bench-driver.ts`).
 *
 * Latency cases (details with `p<N>` keys) also get `percentiles` = the distribution `[{ percentile, us }]` of
 * each side's median repetition, and `plot` = the file name of their TS-vs-Java percentile PNG
 * (`<case>-percentiles.png`, next to the JSON file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MachineInfo } from './machine.ts';
import { type PercentilePoint, percentilePoints, writePercentilePlot } from './percentile-plot.ts';

export interface CaseResult {
  readonly name: string;
  readonly description: string;
  readonly metric: string;
  readonly unit: string;
  readonly ts: number;
  readonly java: number | null;
  readonly ratio: number | null;
  readonly higherIsBetter: boolean;
  readonly tsSpread: number;
  readonly javaSpread: number | null;
  readonly reps: number;
  readonly tsSamples: readonly number[];
  readonly javaSamples: readonly number[] | null;
  /** Details of the last TS and Java samples (message counts, GC counts, checks) and of every repetition. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** Latency cases: the distribution of each side's median repetition. */
  readonly percentiles?: { readonly ts: readonly PercentilePoint[]; readonly java: readonly PercentilePoint[] | null };
  /** Latency cases: file name of the percentile plot, in the JSON file's directory. */
  readonly plot?: string;
}

export interface Report {
  readonly machine: MachineInfo;
  readonly aeron: string;
  /** The media driver implementation the cases' driver was (`AERON_TEST_DRIVER`: java, c or ts). */
  readonly mediaDriver: string;
  readonly mode: 'full' | 'quick';
  readonly startedAt: string;
  readonly cases: readonly CaseResult[];
}

export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** A number in a short human form: 12.3M, 456k, 0.00. */
export function formatValue(value: number | null): string {
  if (value === null) return '-';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(2);
}

function pct(spread: number | null): string {
  return spread === null ? '-' : `±${((spread * 100) / 2).toFixed(1)}%`;
}

/** Markdown table (it reads fine on a terminal too). */
export function formatTable(cases: readonly CaseResult[]): string {
  const rows: string[][] = [['case', 'unit', 'TS', 'TS ±', 'Java', 'Java ±', 'TS/Java', 'better', 'reps']];
  for (const c of cases) {
    rows.push([
      c.name,
      c.unit,
      formatValue(c.ts),
      pct(c.tsSpread),
      formatValue(c.java),
      pct(c.javaSpread),
      c.ratio === null ? '-' : c.ratio.toFixed(3),
      c.higherIsBetter ? 'higher' : 'lower',
      String(c.reps),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const separator = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), separator, ...rows.slice(1).map(line)].join('\n');
}

type Details = ReadonlyArray<Readonly<Record<string, unknown>>>;

function detailsOf(result: CaseResult, key: 'tsReps' | 'javaReps'): Details {
  const value = result.detail[key];
  return Array.isArray(value) ? (value as Details) : [];
}

/** Index of the repetition whose value is the median (the lower middle one for an even count). */
export function medianIndex(samples: readonly number[]): number {
  const order = samples.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[(order.length - 1) >> 1]?.[1] ?? 0;
}

/**
 * For a latency case (repetition details with `p<N>` keys): writes `<dir>/<case>-percentiles.png` and returns
 * the result with `percentiles` and `plot`; any other case comes back unchanged.
 */
export function withPercentilePlot(result: CaseResult, dir: string, note?: string): CaseResult {
  const tsReps = detailsOf(result, 'tsReps').map(percentilePoints);
  const javaReps = detailsOf(result, 'javaReps').map(percentilePoints);
  const tsMain = tsReps[medianIndex(result.tsSamples)] ?? [];
  if (tsMain.length < 2) return result;
  const javaMain = result.javaSamples === null ? null : (javaReps[medianIndex(result.javaSamples)] ?? null);
  const plot = `${result.name}-percentiles.png`;
  mkdirSync(dir, { recursive: true });
  writePercentilePlot(join(dir, plot), {
    title: `${result.name}: round trip by percentile, aeron-ts vs Java`,
    ts: { label: 'TS (aeron-ts)', main: tsMain, reps: tsReps },
    java: javaMain === null ? null : { label: 'Java (aeron-all client)', main: javaMain, reps: javaReps },
    ...(note === undefined ? {} : { note }),
  });
  return { ...result, percentiles: { ts: tsMain, java: javaMain }, plot };
}
