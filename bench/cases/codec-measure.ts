/**
 * Measurement functions run inside a fresh TS child process (bench/lib/ts-child.ts) for the codec cases.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Sample } from '../lib/bench-case.ts';
import { BATCH, type CodecVariant, CodecWorkload, messagesPerIteration } from './codec-workload.ts';

export interface ThroughputArgs {
  readonly variant: CodecVariant;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** Messages encoded+decoded per second, after `warmupMs` of warm-up (same shape as CodecBench.java's main). */
export function measureCodecThroughput(args: ThroughputArgs): Sample {
  const workload = new CodecWorkload();
  workload.batch(args.variant, 0);
  let iteration = BATCH;
  const warmupEnd = performance.now() + args.warmupMs;
  while (performance.now() < warmupEnd) {
    workload.batch(args.variant, iteration);
    iteration += BATCH;
  }
  let batches = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now: number;
  do {
    workload.batch(args.variant, iteration);
    iteration += BATCH;
    batches++;
    now = performance.now();
  } while (now - start < args.measureMs);
  const elapsedMs = now - start;
  const cpu = process.cpuUsage(cpuStart);
  // Process CPU time (every thread), as CodecBench's cpuNs: steadier than wall time on a shared machine.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const messages = batches * BATCH * messagesPerIteration(args.variant);
  return {
    value: (messages * 1000) / elapsedMs,
    detail: { messages, elapsedMs, cpuMs, messagesPerCpuSecond: (messages * 1000) / cpuMs, sink: workload.sink[0]! },
  };
}

export interface AllocArgs {
  readonly variant: CodecVariant;
  /** Messages measured (after warm-up). */
  readonly messages: number;
  /** Warm-up passes over the same measuring loop, each of `messages`, before the measured one. */
  readonly warmupPasses: number;
}

const CHUNK_ITERATIONS = BATCH;

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

interface Chunks {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly delta: Float64Array;
}

/** Runs `chunks.start.length` batches, recording each one's time window and heap growth. */
function runChunks(workload: CodecWorkload, variant: CodecVariant, firstIteration: number, chunks: Chunks): void {
  let iteration = firstIteration;
  for (let c = 0; c < chunks.start.length; c++) {
    chunks.start[c] = performance.now();
    const before = usedHeap();
    workload.batch(variant, iteration);
    const after = usedHeap();
    chunks.end[c] = performance.now();
    chunks.delta[c] = after - before;
    iteration += CHUNK_ITERATIONS;
  }
}

/**
 * Heap bytes allocated per message after warm-up. The run is cut into chunks of one batch (1000
 * iterations); a chunk's growth of `used_heap_size` is its allocation. Chunks that overlap a GC (timed by a
 * `gc` PerformanceObserver: the events --trace-gc prints) are left out, since the heap shrank inside them.
 * The cost of the bookkeeping (reading the statistics, two timestamps) is measured on empty chunks and
 * subtracted. Warm-up runs the very same loop `warmupPasses` times: TurboFan needs a few million
 * messages before the fixed-field path stops allocating (before that it boxes doubles, ~8 B/msg).
 */
export async function measureCodecAlloc(args: AllocArgs): Promise<Sample> {
  const workload = new CodecWorkload();
  const perIteration = messagesPerIteration(args.variant);
  const count = Math.ceil(args.messages / perIteration / CHUNK_ITERATIONS);
  const chunks: Chunks = {
    start: new Float64Array(count),
    end: new Float64Array(count),
    delta: new Float64Array(count),
  };
  let iteration = 0;
  for (let pass = 0; pass < args.warmupPasses; pass++) {
    runChunks(workload, args.variant, iteration, chunks);
    iteration += count * CHUNK_ITERATIONS;
  }

  (globalThis as { gc?: () => void }).gc?.();
  let overhead = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 100; i++) {
    const before = usedHeap();
    const after = usedHeap();
    overhead = Math.min(overhead, after - before);
  }

  const gcWindows: Array<readonly [number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcWindows.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });

  const measureStart = performance.now();
  const heapStart = usedHeap();
  runChunks(workload, args.variant, iteration, chunks);
  const heapEnd = usedHeap();
  const measureEnd = performance.now();
  await new Promise((r) => setTimeout(r, 100)); // let the observer deliver the GC entries
  observer.disconnect();

  let allocated = 0;
  let counted = 0;
  for (let c = 0; c < count; c++) {
    const t0 = chunks.start[c]!;
    const t1 = chunks.end[c]!;
    if (gcWindows.some(([g0, g1]) => g0 <= t1 && g1 >= t0)) continue;
    allocated += Math.max(0, chunks.delta[c]! - overhead);
    counted++;
  }
  const gcCount = gcWindows.filter(([g0]) => g0 >= measureStart && g0 <= measureEnd).length;
  const countedMessages = counted * CHUNK_ITERATIONS * perIteration;
  return {
    value: countedMessages === 0 ? Number.NaN : allocated / countedMessages,
    detail: {
      variant: args.variant,
      messages: count * CHUNK_ITERATIONS * perIteration,
      countedMessages,
      gcCount,
      heapGrowthBytes: heapEnd - heapStart,
      statsOverheadBytes: overhead,
      sink: workload.sink[0]!,
    },
  };
}
