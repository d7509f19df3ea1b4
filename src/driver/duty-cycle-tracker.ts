/**
 * Measures the time between duty cycles (Aeron 1.51.0 `DutyCycleTracker` / `DutyCycleStallTracker`): the
 * longest cycle goes to a max-cycle-time counter and every cycle longer than the threshold bumps a
 * threshold-exceeded counter.
 *
 * ```
 *  doWork(nowNs):  cycleNs = nowNs - lastNs; lastNs = nowNs
 *                  maxCycleTime.proposeMax(cycleNs); cycleNs > thresholdNs -> exceeded += 1
 * ```
 *
 * On the event loop a "cycle" includes whatever else ran between two duty cycles (timers, I/O callbacks, a
 * blocked loop): the counters show how late the conductor was, which is the point. Allocates only when a
 * counter is written (a new maximum, an exceeded threshold).
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';

/** Reports each duty cycle's length to two counters. */
export class DutyCycleTracker {
  readonly #maxCycleTime: AtomicCounter;
  readonly #thresholdExceeded: AtomicCounter;
  readonly #cycleTimeThresholdNs: number;
  #maxCycleTimeNs = 0;
  #timeOfLastUpdateNs = 0;

  /**
   * @param maxCycleTime counter of the longest cycle (ns).
   * @param thresholdExceeded counter of cycles longer than the threshold.
   * @param cycleTimeThresholdNs the threshold.
   */
  constructor(maxCycleTime: AtomicCounter, thresholdExceeded: AtomicCounter, cycleTimeThresholdNs: number) {
    this.#maxCycleTime = maxCycleTime;
    this.#thresholdExceeded = thresholdExceeded;
    this.#cycleTimeThresholdNs = cycleTimeThresholdNs;
  }

  /** Starts measuring from `nowNs` without reporting. */
  update(nowNs: number): void {
    this.#timeOfLastUpdateNs = nowNs;
  }

  /** Reports the cycle that ends at `nowNs` and starts the next. */
  measureAndUpdate(nowNs: number): void {
    const cycleTimeNs = nowNs - this.#timeOfLastUpdateNs;
    this.#timeOfLastUpdateNs = nowNs;
    if (cycleTimeNs > this.#maxCycleTimeNs) {
      this.#maxCycleTimeNs = cycleTimeNs;
      this.#maxCycleTime.set(cycleTimeNs);
    }
    if (cycleTimeNs > this.#cycleTimeThresholdNs) this.#thresholdExceeded.increment();
  }
}
