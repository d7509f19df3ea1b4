/**
 * Helpers of the sender-side protocol logic tests (flow control, retransmit handler): recording fakes of the
 * collaborators and the heap-growth check of an allocation-free path.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { RetransmitLengthLimit, RetransmitSender } from '../../../src/driver/retransmit-handler.ts';

/** One resend seen by a `RecordingRetransmitSender`. */
export interface Resend {
  termId: number;
  termOffset: number;
  length: number;
}

/** A RetransmitSender that records its calls in order. */
export class RecordingRetransmitSender implements RetransmitSender {
  readonly resends: Resend[] = [];

  resend(termId: number, termOffset: number, length: number): void {
    this.resends.push({ termId, termOffset, length });
  }
}

/** A counter that counts its increments. */
export class CountingCounter {
  value = 0;

  increment(): number {
    return this.value++;
  }
}

/** Flow control that returns the NAK's length unchanged, or `clampTo` when set. */
export class FakeRetransmitLimit implements RetransmitLengthLimit {
  clampTo: number | null = null;
  readonly calls: number[][] = [];

  maxRetransmissionLength(termOffset: number, resendLength: number, termBufferLength: number, mtuLength: number) {
    this.calls.push([termOffset, resendLength, termBufferLength, mtuLength]);
    return this.clampTo ?? resendLength;
  }
}

/**
 * Heap growth in bytes over a synchronous `run` with no garbage collection inside it: the least of up to five runs
 * without one, after three warm-up runs (null if every run collected). The least, because a run may also hold
 * V8's optimised code for the path (counted in the heap); a path that allocated per call would grow in every run.
 */
export async function heapGrowthOf(run: () => void): Promise<number | null> {
  let gcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    for (let i = 0; i < 3; i++) run();
    let least: number | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      await yieldToLoop();
      gcs = [];
      const start = performance.now();
      const before = process.memoryUsage().heapUsed;
      run();
      const after = process.memoryUsage().heapUsed;
      const end = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (!gcs.some((t) => t >= start && t <= end)) least = Math.min(least ?? Number.POSITIVE_INFINITY, after - before);
    }
    return least;
  } finally {
    observer.disconnect();
  }
}
