/**
 * Agrona's `BackoffIdleStrategy` for a duty cycle that owns its thread (a `worker_threads` worker), with the
 * media driver's parameters (Aeron 1.51.0 `Configuration.IDLE_MAX_SPINS` 10, `IDLE_MAX_YIELDS` 20,
 * `IDLE_MIN_PARK_NS` 1 µs, `IDLE_MAX_PARK_NS` 1 ms; Agrona 2.4.1 `BackoffIdleStrategy.idle`).
 *
 * ```
 *  idle(workCount > 0)  reset: back to spinning
 *  idle(0)              NOT_IDLE -> SPINNING (maxSpins busy turns)
 *                                -> YIELDING (maxYields sched_yield(2), as Java's Thread.yield: the core goes
 *                                             to another runnable thread, if any)
 *                                -> PARKING  (Atomics.wait up to parkPeriod, doubling from minPark to maxPark)
 * ```
 *
 * The park waits on a word of a `SharedArrayBuffer` while it holds `expected`: whoever changes the word and
 * calls `Atomics.notify` (the launching thread stopping the driver) wakes the duty cycle at once.
 * `Atomics.wait` is refused on a browser main thread and allowed in Node workers. Nothing is allocated.
 *
 * The yield is libc's `sched_yield` through koffi (Linux, macOS). `Atomics.wait` with a 0 timeout, used before,
 * never enters the kernel (V8 returns "timed-out" at once: 100,000 calls made no system call, ~0.5 µs each), so
 * the yield phase was a spin that kept the core from a preempted thread. Where libc cannot be loaded, that spin
 * stays the fallback.
 */
import koffi from 'koffi';

/** `Configuration.IDLE_MAX_SPINS`. */
export const IDLE_MAX_SPINS = 10;
/** `Configuration.IDLE_MAX_YIELDS`. */
export const IDLE_MAX_YIELDS = 20;
/** `Configuration.IDLE_MIN_PARK_NS`: 1 µs. */
export const IDLE_MIN_PARK_NS = 1_000;
/** `Configuration.IDLE_MAX_PARK_NS`: 1 ms. */
export const IDLE_MAX_PARK_NS = 1_000_000;

const NOT_IDLE = 0;

/** libc's `sched_yield`, bound once per thread on first use; null where it cannot be bound. */
type SchedYield = () => number;
let schedYield: SchedYield | null | undefined;

function bindSchedYield(): SchedYield | null {
  if (schedYield !== undefined) return schedYield;
  schedYield = null;
  const library = process.platform === 'linux' ? 'libc.so.6' : process.platform === 'darwin' ? 'libc.dylib' : undefined;
  if (library !== undefined) {
    try {
      schedYield = koffi.load(library).func('int sched_yield(void)') as SchedYield;
    } catch {
      schedYield = null;
    }
  }
  return schedYield;
}
const SPINNING = 1;
const YIELDING = 2;
const PARKING = 3;

/** Parameters of a backoff; every field defaults to the driver's value above. */
export interface BackoffParameters {
  /** Busy turns before yielding. */
  readonly maxSpins?: number;
  /** Zero-timeout waits before parking. */
  readonly maxYields?: number;
  /** First park (ns). */
  readonly minParkPeriodNs?: number;
  /** Longest park (ns). */
  readonly maxParkPeriodNs?: number;
}

/** See the module comment. */
export class BackoffIdleStrategy {
  readonly #word: Int32Array;
  readonly #index: number;
  readonly #expected: number;
  readonly #maxSpins: number;
  readonly #maxYields: number;
  readonly #minParkPeriodNs: number;
  readonly #maxParkPeriodNs: number;
  readonly #yield: SchedYield | null;
  #state = NOT_IDLE;
  #spins = 0;
  #yields = 0;
  #parkPeriodNs: number;

  /**
   * @param word the `SharedArrayBuffer`-backed word a park waits on.
   * @param index its index in `word`.
   * @param expected the value while parking is wanted (a change wakes the park).
   * @param parameters backoff parameters (defaults: the driver's).
   */
  constructor(word: Int32Array, index: number, expected: number, parameters: BackoffParameters = {}) {
    this.#word = word;
    this.#index = index;
    this.#expected = expected;
    this.#maxSpins = parameters.maxSpins ?? IDLE_MAX_SPINS;
    this.#maxYields = parameters.maxYields ?? IDLE_MAX_YIELDS;
    this.#minParkPeriodNs = parameters.minParkPeriodNs ?? IDLE_MIN_PARK_NS;
    this.#maxParkPeriodNs = parameters.maxParkPeriodNs ?? IDLE_MAX_PARK_NS;
    this.#parkPeriodNs = this.#minParkPeriodNs;
    this.#yield = bindSchedYield();
  }

  /** After a duty cycle: resets on work, otherwise backs off one step. */
  idle(workCount: number): void {
    if (workCount > 0) {
      this.reset();
      return;
    }
    switch (this.#state) {
      case NOT_IDLE:
        this.#state = SPINNING;
        this.#spins++;
        break;
      case SPINNING:
        if (++this.#spins > this.#maxSpins) {
          this.#state = YIELDING;
          this.#yields = 0;
        }
        break;
      case YIELDING:
        if (++this.#yields > this.#maxYields) {
          this.#state = PARKING;
          this.#parkPeriodNs = this.#minParkPeriodNs;
        } else if (this.#yield !== null) {
          this.#yield();
        } else {
          Atomics.wait(this.#word, this.#index, this.#expected, 0);
        }
        break;
      default:
        Atomics.wait(this.#word, this.#index, this.#expected, this.#parkPeriodNs / 1_000_000);
        this.#parkPeriodNs = Math.min(this.#parkPeriodNs * 2, this.#maxParkPeriodNs);
        break;
    }
  }

  /** Back to the not-idle state. */
  reset(): void {
    this.#spins = 0;
    this.#yields = 0;
    this.#parkPeriodNs = this.#minParkPeriodNs;
    this.#state = NOT_IDLE;
  }
}
