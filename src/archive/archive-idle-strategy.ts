/**
 * How the archive client paces its servicing loop while a call awaits its answer: Java's
 * `AeronArchive.Context.idleStrategy()` mapped onto the event loop.
 *
 * Java blocks the calling thread in `pollForResponse`/`pollForDescriptors`/`AsyncConnect` loops and calls
 * `idleStrategy.reset()` before each wait and `idleStrategy.idle(...)` after polls that found nothing.
 * Here nothing blocks: each poll is one tick on the event loop, and `idle(workCount)` answers how long to wait
 * before the next tick:
 *
 * ```
 *   reset() ─▶ tick: poll ─▶ answered? ─▶ resolve
 *                 ▲            │ no
 *                 │            ▼
 *                 └── wait idle(workCount) ms   (0 = setImmediate: let other I/O run, then poll again;
 *                                                >0 = setTimeout, which Node rounds up to ≥ 1 ms)
 * ```
 *
 * Java's default is `BackoffIdleStrategy(10 spins, 20 yields, park 1 µs … 1 ms)`; {@link ArchiveIdleStrategies.backoff}
 * with no arguments is the same state machine on the event loop: its spin and yield phases (32 idle calls) become
 * immediate re-polls (a thread cannot spin on the event loop), then parks become timers doubling from `minParkMs`
 * to `maxParkMs`. As in Java's `idle(workCount)`, a poll that did work (`workCount > 0`) answers 0 (the backoff
 * also resets).
 *
 * The strategy paces calls in flight only; an idle session (no call pending) is serviced every
 * `idleServiceIntervalMs` regardless.
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

/** Consulted by the archive client's servicing loop while a call awaits its answer. */
export interface ArchiveIdleStrategy {
  /**
   * Called after a poll; `workCount` is the number of messages (fragments) it consumed, 0 when nothing arrived.
   * Returns the delay in ms before the next poll: 0 for `setImmediate`, > 0 for a timer.
   */
  idle(workCount: number): number;
  /** Called when a wait starts (a call begins waiting, a connect step changes). */
  reset(): void;
}

/** Options of {@link ArchiveIdleStrategies.backoff}; defaults are Java's `BackoffIdleStrategy` defaults. */
export interface BackoffOptions {
  /** Idle calls answered 0 before yielding (Java: busy spins). Default 10. */
  readonly maxSpins?: number;
  /** Further idle calls answered 0 before parking (Java: `Thread.yield`). Default 20. */
  readonly maxYields?: number;
  /** First park in ms, doubled on each idle call up to `maxParkMs`. Default 0.001 (1 µs: a 1 ms timer). */
  readonly minParkMs?: number;
  /** Longest park in ms. Default 1. */
  readonly maxParkMs?: number;
}

/** Java `BackoffIdleStrategy` states. */
const NOT_IDLE = 0;
const SPINNING = 1;
const YIELDING = 2;
const PARKING = 3;

/** Java `BackoffIdleStrategy.idle()` on the event loop: spin and yield as immediate re-polls, then doubling timers. */
export class BackoffArchiveIdleStrategy implements ArchiveIdleStrategy {
  /** Idle calls answered 0 in the spin phase (Java `maxSpins`). */
  readonly maxSpins: number;
  /** Idle calls answered 0 in the yield phase, after the spins (Java `maxYields`). */
  readonly maxYields: number;
  /** First park delay in ms (Java `minParkPeriodNs`, in ms). */
  readonly minParkMs: number;
  /** Longest park delay in ms; parks double up to it (Java `maxParkPeriodNs`, in ms). */
  readonly maxParkMs: number;
  #state = NOT_IDLE;
  #spins = 0;
  #yields = 0;
  #parkMs: number;

  /**
   * Throws `InvalidArgumentError` (INVALID_ARGUMENT) for an option that is negative or not finite, or a
   * `maxParkMs` below `minParkMs`.
   */
  constructor(options: BackoffOptions = {}) {
    this.maxSpins = nonNegative(options.maxSpins ?? 10, 'maxSpins');
    this.maxYields = nonNegative(options.maxYields ?? 20, 'maxYields');
    this.minParkMs = nonNegative(options.minParkMs ?? 0.001, 'minParkMs');
    this.maxParkMs = nonNegative(options.maxParkMs ?? 1, 'maxParkMs');
    if (this.maxParkMs < this.minParkMs) {
      throw new InvalidArgumentError(`maxParkMs=${this.maxParkMs} < minParkMs=${this.minParkMs}`);
    }
    this.#parkMs = this.minParkMs;
  }

  /**
   * Java `BackoffIdleStrategy.idle(workCount)`: 0 after a poll that did work (and the backoff resets); otherwise 0
   * through the spin and yield phases, then the current park (ms), doubled for the next call up to `maxParkMs`.
   */
  idle(workCount: number): number {
    if (workCount > 0) {
      this.reset();
      return 0;
    }
    switch (this.#state) {
      case NOT_IDLE:
        this.#state = SPINNING;
        this.#spins++;
        return 0;
      case SPINNING:
        if (++this.#spins > this.maxSpins) {
          this.#state = YIELDING;
          this.#yields = 0;
        }
        return 0;
      case YIELDING:
        if (++this.#yields > this.maxYields) {
          this.#state = PARKING;
          this.#parkMs = this.minParkMs;
        }
        return 0;
      default: {
        const park = this.#parkMs;
        this.#parkMs = Math.min(this.#parkMs * 2, this.maxParkMs);
        return park;
      }
    }
  }

  /** Java `BackoffIdleStrategy.reset()`: back to not idle; the next idle call starts spinning again. */
  reset(): void {
    this.#state = NOT_IDLE;
    this.#spins = 0;
    this.#yields = 0;
    this.#parkMs = this.minParkMs;
  }
}

/** The same delay after every poll that found nothing (Java `YieldingIdleStrategy` / `SleepingMillisIdleStrategy`). */
class FixedArchiveIdleStrategy implements ArchiveIdleStrategy {
  constructor(readonly delayMs: number) {}

  idle(workCount: number): number {
    return workCount > 0 ? 0 : this.delayMs;
  }

  reset(): void {}
}

/** Ready-made strategies. */
export const ArchiveIdleStrategies = {
  /** Re-poll on the next event-loop turn (`setImmediate`) every time: lowest latency, busiest. */
  yielding(): ArchiveIdleStrategy {
    return new FixedArchiveIdleStrategy(0);
  },
  /** Re-poll after `ms` (> 0) every time nothing arrived (Java `SleepingMillisIdleStrategy`). */
  sleeping(ms: number): ArchiveIdleStrategy {
    if (!(ms > 0) || !Number.isFinite(ms))
      throw new InvalidArgumentError(`sleeping idle strategy needs ms > 0, got ${ms}`);
    return new FixedArchiveIdleStrategy(ms);
  },
  /** Java's default `BackoffIdleStrategy` (10 spins, 20 yields, 1 µs … 1 ms parks) unless options say otherwise. */
  backoff(options: BackoffOptions = {}): ArchiveIdleStrategy {
    return new BackoffArchiveIdleStrategy(options);
  },
} as const;

/**
 * Runs `callback` after an idle strategy's answer: a timer of `delayMs` when > 0, else the next event-loop turn
 * (`setImmediate`). Returns a canceller.
 */
export function idleAfter(delayMs: number, callback: () => void): () => void {
  if (delayMs > 0) {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  }
  const immediate = setImmediate(callback);
  return () => clearImmediate(immediate);
}

function nonNegative(value: number, name: string): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new InvalidArgumentError(`${name} must be a finite number >= 0: ${value}`);
  return value;
}
