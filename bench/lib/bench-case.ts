/**
 * What a benchmark case is: a named metric measured once per repetition on the TypeScript side and,
 * when there is a counterpart, on the Java side. The runner alternates the two sides (TS, Java, Java,
 * TS, ...) so slow drift of a shared machine falls on both, and reports median and spread of each.
 *
 * A case should measure each repetition in a fresh process (`runTsChild`, `runBenchJava`) so JIT and
 * heap state never carry over from one repetition to the next, or from the runner itself.
 */

/** Per-run settings the runner hands to every case. */
export interface BenchOptions {
  /** `--quick`: short warm-up and measurement, fewer repetitions. */
  readonly quick: boolean;
  /** Warm-up before timing starts, per repetition (the JIT's budget). */
  readonly warmupMs: number;
  /** Timed window per repetition. */
  readonly measureMs: number;
  /** 0-based repetition number. */
  readonly rep: number;
}

import type { Sample } from '../../harness/sample.ts';

export type { Sample };

export interface BenchCase {
  /** Command-line name, kebab-case (`npm run bench -- <name>`). */
  readonly name: string;
  /** One line: what is measured. */
  readonly description: string;
  /** Name of the metric, e.g. `messages/s`, `bytes/message`. */
  readonly metric: string;
  /** Unit of the value, e.g. `msg/s`, `B/msg`. */
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** Repetitions per side; default 5 (full) and 2 (quick). */
  readonly reps?: { readonly full: number; readonly quick: number };
  /** Warm-up and measure windows; defaults come from the runner. */
  readonly timing?: {
    readonly full: { readonly warmupMs: number; readonly measureMs: number };
    readonly quick: { readonly warmupMs: number; readonly measureMs: number };
  };
  /** Once before the repetitions (compile Java, start a driver...). */
  setup?(options: Omit<BenchOptions, 'rep'>): Promise<void>;
  runTs(options: BenchOptions): Promise<Sample>;
  /** null when the case has no Java counterpart (the report's java and ratio are then null). */
  readonly runJava: ((options: BenchOptions) => Promise<Sample>) | null;
  /** Once after the repetitions, also after a failure. */
  teardown?(): Promise<void>;
}
