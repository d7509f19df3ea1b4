/**
 * Heap growth of a synchronous run with no garbage collection inside it: the one way the allocation tests measure
 * a hot path (`process.memoryUsage().heapUsed` before and after, V8's `gc` performance entries to tell whether a
 * collection ran meanwhile, in which case the figure says nothing).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Watches V8's collections while it is open; {@link HeapGrowthMeter.measure} runs one measured run. */
export class HeapGrowthMeter implements Disposable {
  #gcs: number[] = [];
  readonly #observer: PerformanceObserver;

  constructor() {
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.#gcs.push(entry.startTime);
    });
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  /** Heap growth in bytes over `run`, or null when a garbage collection ran during it. */
  async measure(run: () => void): Promise<number | null> {
    await yieldToLoop();
    this.#gcs = [];
    const start = performance.now();
    const before = process.memoryUsage().heapUsed;
    run();
    const after = process.memoryUsage().heapUsed;
    const end = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10)); // the gc entries arrive asynchronously
    return this.#gcs.some((t) => t >= start && t <= end) ? null : after - before;
  }

  /** Stops watching. */
  [Symbol.dispose](): void {
    this.#observer.disconnect();
  }
}
