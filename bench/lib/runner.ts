/**
 * Runs cases: setup, then `reps` repetitions per side, alternating which side goes first
 * (TS, Java | Java, TS | TS, Java ...) so drift on a shared machine lands on both sides equally, then
 * teardown. Sides never run at the same time.
 */
import type { BenchCase, BenchOptions, Sample } from './bench-case.ts';
import type { CaseResult } from './report.ts';
import { summarize } from './stats.ts';

export interface RunSettings {
  readonly quick: boolean;
  /** Overrides every case's repetition count. */
  readonly reps?: number;
  /** Overrides every case's warm-up and measure windows (smoke tests: tiny runs). */
  readonly timing?: { readonly warmupMs: number; readonly measureMs: number };
  /** Called with one line of progress. */
  readonly log: (line: string) => void;
}

const DEFAULT_TIMING = {
  full: { warmupMs: 5_000, measureMs: 5_000 },
  quick: { warmupMs: 1_500, measureMs: 1_500 },
} as const;

const DEFAULT_REPS = { full: 5, quick: 2 } as const;

export async function runCase(benchCase: BenchCase, settings: RunSettings): Promise<CaseResult> {
  const mode = settings.quick ? 'quick' : 'full';
  const timing = settings.timing ?? (benchCase.timing ?? DEFAULT_TIMING)[mode];
  const reps = settings.reps ?? (benchCase.reps ?? DEFAULT_REPS)[mode];
  const base = { quick: settings.quick, warmupMs: timing.warmupMs, measureMs: timing.measureMs };

  const tsSamples: number[] = [];
  const javaSamples: number[] = [];
  const tsDetails: Array<NonNullable<Sample['detail']>> = [];
  const javaDetails: Array<NonNullable<Sample['detail']>> = [];

  await benchCase.setup?.(base);
  try {
    for (let rep = 0; rep < reps; rep++) {
      const options: BenchOptions = { ...base, rep };
      const sides: Array<'ts' | 'java'> = rep % 2 === 0 ? ['ts', 'java'] : ['java', 'ts'];
      for (const side of sides) {
        if (side === 'ts') {
          const sample = await benchCase.runTs(options);
          tsSamples.push(sample.value);
          tsDetails.push(sample.detail ?? {});
          settings.log(
            `  ${benchCase.name} rep ${rep + 1}/${reps} ts   ${sample.value.toPrecision(4)} ${benchCase.unit}`,
          );
        } else if (benchCase.runJava !== null) {
          const sample = await benchCase.runJava(options);
          javaSamples.push(sample.value);
          javaDetails.push(sample.detail ?? {});
          settings.log(
            `  ${benchCase.name} rep ${rep + 1}/${reps} java ${sample.value.toPrecision(4)} ${benchCase.unit}`,
          );
        }
      }
    }
  } finally {
    await benchCase.teardown?.();
  }

  const ts = summarize(tsSamples);
  const java = javaSamples.length > 0 ? summarize(javaSamples) : null;
  return {
    name: benchCase.name,
    description: benchCase.description,
    metric: benchCase.metric,
    unit: benchCase.unit,
    ts: ts.median,
    java: java?.median ?? null,
    ratio: java === null || java.median === 0 ? null : ts.median / java.median,
    higherIsBetter: benchCase.higherIsBetter,
    tsSpread: ts.spread,
    javaSpread: java?.spread ?? null,
    reps,
    tsSamples: ts.samples,
    javaSamples: java?.samples ?? null,
    detail: {
      ts: tsDetails.at(-1) ?? {},
      java: javaDetails.at(-1) ?? null,
      warmupMs: timing.warmupMs,
      measureMs: timing.measureMs,
      tsReps: tsDetails,
      javaReps: javaDetails.length > 0 ? javaDetails : null,
    },
  };
}
