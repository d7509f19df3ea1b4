/**
 * Runs fuzz targets on worker threads with a watchdog. Each worker bumps a shared progress counter before
 * every input; a worker whose counter stands still for `stallMs` is terminated (that works even inside an
 * infinite loop) and reported as a hang, naming the fast-check seed and path of the input it was on. A
 * worker that dies (uncaught error, out of memory) is reported as a crash. Remaining targets go to a fresh
 * worker.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerJob } from './fuzz-worker.ts';
import type { TargetRunResult } from './run-target.ts';

export interface FuzzRunOptions {
  readonly names: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly path?: string | undefined;
  readonly workers: number;
  /** A target making no progress for this long is a hang. */
  readonly stallMs: number;
  readonly onResult?: (result: TargetRunResult) => void;
}

const WORKER_URL = new URL('./fuzz-worker.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  progress: Int32Array;
  job: WorkerJob | null;
  lastProgress: number;
  lastChange: number;
  startedAt: number;
  done: boolean;
}

export function runFuzz(options: FuzzRunOptions): Promise<TargetRunResult[]> {
  const queue: WorkerJob[] = options.names.map((name) => ({
    name,
    runs: options.runs,
    seed: options.seed,
    path: options.path,
  }));
  const results: TargetRunResult[] = [];
  const slots = new Set<Slot>();

  return new Promise((resolve) => {
    const finish = (slot: Slot, result: TargetRunResult): void => {
      results.push(result);
      options.onResult?.(result);
      slot.job = null;
    };

    const failed = (slot: Slot, kind: 'hang' | 'crash', message: string): void => {
      const job = slot.job;
      if (job === null) return;
      const index = Atomics.load(slot.progress, 0) - 1;
      finish(slot, {
        name: job.name,
        runs: Math.max(0, index),
        ms: performance.now() - slot.startedAt,
        seed: job.seed,
        allowedErrors: 0,
        clean: 0,
        observed: {},
        failure: { kind, message, seed: job.seed, path: job.path ?? String(Math.max(0, index)), counterexample: '' },
      });
    };

    const next = (slot: Slot): void => {
      const job = queue.shift();
      if (job === undefined) {
        slot.done = true;
        slot.worker.postMessage(null);
        return;
      }
      slot.job = job;
      slot.startedAt = performance.now();
      slot.lastChange = slot.startedAt;
      slot.lastProgress = -1;
      slot.worker.postMessage(job);
    };

    const settleIfDone = (): void => {
      if (slots.size === 0 && queue.length === 0) {
        clearInterval(watchdog);
        resolve(results);
      }
    };

    const spawn = (): void => {
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_URL, {
        workerData: { progress: progress.buffer },
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      });
      const slot: Slot = { worker, progress, job: null, lastProgress: -1, lastChange: 0, startedAt: 0, done: false };
      slots.add(slot);
      worker.on('message', (message: TargetRunResult | 'ready') => {
        if (message === 'ready') next(slot);
        else {
          finish(slot, message);
          next(slot);
        }
      });
      worker.on('error', (e) => failed(slot, 'crash', `worker died: ${e instanceof Error ? e.stack : String(e)}`));
      worker.on('exit', () => {
        slots.delete(slot);
        if (slot.job !== null) failed(slot, 'crash', 'worker exited during the target');
        if (!slot.done && queue.length > 0) spawn();
        settleIfDone();
      });
    };

    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const slot of slots) {
        if (slot.job === null) continue;
        const p = Atomics.load(slot.progress, 0);
        if (p !== slot.lastProgress) {
          slot.lastProgress = p;
          slot.lastChange = now;
        } else if (now - slot.lastChange > options.stallMs) {
          failed(slot, 'hang', `no progress for ${options.stallMs} ms on one input`);
          void slot.worker.terminate();
        }
      }
    }, 250);

    const count = Math.max(1, Math.min(options.workers, queue.length));
    for (let i = 0; i < count; i++) spawn();
    if (queue.length === 0) settleIfDone();
  });
}

/** One line per target, for people. */
export function formatResult(r: TargetRunResult): string {
  const rate = r.ms > 0 ? Math.round((r.runs / r.ms) * 1000) : 0;
  const status = r.failure === null ? 'ok  ' : r.failure.kind.toUpperCase();
  const observed = Object.entries(r.observed)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${status} ${r.name.padEnd(52)} ${String(r.runs).padStart(9)} inputs ${(r.ms / 1000).toFixed(1).padStart(7)} s ${String(rate).padStart(7)}/s typed-errors=${r.allowedErrors}${observed === '' ? '' : ` handler-errors: ${observed}`}`;
}

/** A failure, with what it takes to reproduce it. */
export function formatFailure(r: TargetRunResult): string {
  const f = r.failure;
  if (f === null) return '';
  return [
    `FAIL ${r.name} (${f.kind})`,
    `  reproduce: npm run fuzz -- --target '${r.name}' --seed ${f.seed} --path '${f.path}'`,
    `  input: ${f.counterexample}`,
    `  ${f.message.split('\n').slice(0, 12).join('\n  ')}`,
  ].join('\n');
}
