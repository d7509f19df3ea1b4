/**
 * Runs one fuzz target in the current thread with fast-check: `runs` inputs from `seed` (or replays `path`).
 * `progress[0]` is bumped before every input (a watchdog in another thread reads it to detect hangs and to
 * name the input that hung: fast-check path = progress - 1 for a run before any shrinking).
 */
import fc from 'fast-check';
import type { AnyFuzzTarget } from './targets.ts';

export interface TargetRunOptions {
  readonly runs: number;
  readonly seed: number;
  /** Replay a fast-check path (from a failure report) instead of a fresh run. */
  readonly path?: string | undefined;
  readonly progress?: Int32Array | undefined;
}

export interface TargetRunResult {
  readonly name: string;
  readonly runs: number;
  readonly ms: number;
  readonly seed: number;
  /** Typed (allowed) errors seen, and inputs that decoded without error. */
  readonly allowedErrors: number;
  readonly clean: number;
  readonly observed: Record<string, number>;
  readonly failure: null | {
    readonly kind: 'exception' | 'hang' | 'crash';
    readonly message: string;
    readonly seed: number;
    readonly path: string;
    readonly counterexample: string;
  };
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}\n${e.stack ?? ''}`;
  return String(e);
}

export function runTarget(target: AnyFuzzTarget, options: TargetRunOptions): TargetRunResult {
  const started = performance.now();
  let allowedErrors = 0;
  let clean = 0;
  let executed = 0;
  const progress = options.progress;
  target.observed.clear();
  const property = fc.property(target.arbitrary(), (input: unknown) => {
    if (progress !== undefined) Atomics.add(progress, 0, 1);
    executed++;
    try {
      target.execute(input);
      clean++;
    } catch (e) {
      if (!target.allowed(e)) throw e;
      allowedErrors++;
    }
  });
  const details = fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const observed: Record<string, number> = {};
  for (const [k, v] of target.observed) observed[k] = v;
  return {
    name: target.name,
    runs: Math.min(executed, details.numRuns + (details.failed ? 1 : 0)),
    ms: performance.now() - started,
    seed: options.seed,
    allowedErrors,
    clean,
    observed,
    failure: details.failed
      ? {
          kind: 'exception',
          message: describeError(details.errorInstance),
          seed: details.seed,
          path: details.counterexamplePath ?? '',
          counterexample: fc.stringify(details.counterexample?.[0]).slice(0, 2000),
        }
      : null,
  };
}
