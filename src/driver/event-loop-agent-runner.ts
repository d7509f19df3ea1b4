/**
 * Runs an agent's duty cycle on the Node event loop: the driver's threading mode INVOKER (Java's
 * `AgentInvoker`, here invoked by the event loop rather than by the application). The default, SHARED, runs it
 * on a worker thread instead (`shared-driver-worker.ts`); docs/driver.md has the measurements.
 *
 * ```
 *  turn:  up to BURST_CYCLES doWork() calls while they find work
 *         then: found work -> next turn on setImmediate (I/O and timers get their turn in between)
 *               idle       -> next turn on setTimeout(idleSleepMs)  (back off; Node's timer floor ~1 ms)
 *  error from doWork: handed to onError, the loop goes on (as AgentRunner does)
 * ```
 *
 * Each turn allocates the timer/immediate handle Node creates; nothing else.
 */

/** An agent with a duty cycle. */
export interface Agent {
  /** One duty cycle; the amount of work done (0 = idle). */
  doWork(): number;
}

/** Cycles run back to back in one event-loop turn while they keep finding work. */
const BURST_CYCLES = 64;

/** Runs `agent.doWork()` on the event loop until `close`. */
export class EventLoopAgentRunner {
  readonly #agent: Agent;
  readonly #onError: (error: unknown) => void;
  readonly #idleSleepMs: number;
  #running = false;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  readonly #turn = (): void => this.#runTurn();

  /**
   * @param agent the agent to run.
   * @param onError receives anything `doWork` throws.
   * @param idleSleepMs back-off when a turn found no work.
   */
  constructor(agent: Agent, onError: (error: unknown) => void, idleSleepMs = 1) {
    this.#agent = agent;
    this.#onError = onError;
    this.#idleSleepMs = idleSleepMs;
  }

  /** True between `start` and `close`. */
  get isRunning(): boolean {
    return this.#running;
  }

  /** Schedules the first turn. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#immediate = setImmediate(this.#turn);
  }

  /** Stops: no `doWork` runs after this returns. Idempotent. */
  close(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
  }

  #runTurn(): void {
    this.#timer = null;
    this.#immediate = null;
    if (!this.#running) return;
    let workCount = 0;
    for (let i = 0; i < BURST_CYCLES && this.#running; i++) {
      let work = 0;
      try {
        work = this.#agent.doWork();
      } catch (e) {
        this.#onError(e);
      }
      workCount += work;
      if (work === 0) break;
    }
    if (!this.#running) return;
    if (workCount > 0) this.#immediate = setImmediate(this.#turn);
    else this.#timer = setTimeout(this.#turn, this.#idleSleepMs);
  }
}
