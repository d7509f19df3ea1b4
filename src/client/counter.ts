/**
 * A counter this client allocated in the media driver (ADD_COUNTER / ADD_STATIC_COUNTER), or a handle on one
 * (Java: `Counter`): the 64-bit value at `counterId × 128` in the CnC counters values buffer.
 *
 * `get()` is an acquire load and `set()` a release store; `increment`/`getAndAdd` are atomic fetch-and-adds
 * (they allocate a small BigInt internally: fine for application counters, not for per-message hot paths).
 * `close()` removes a client-owned counter (REMOVE_COUNTER); static counters outlive the client and are only
 * marked closed. After close the value stays readable until the client closes.
 */
import type { AtomicBuffer, CountersReader } from '../transport/index.ts';
import { counterOffset } from '../transport/index.ts';

/** What a counter needs from the client conductor. */
export interface CounterOwner {
  /** Closes the counter and, for a client-owned one, removes it from the driver (REMOVE_COUNTER). */
  releaseCounter(counter: Counter): void;
}

/**
 * A counter in the driver's counters file (see the module comment): made by `Aeron.addCounter` or
 * `Aeron.addStaticCounter`; close it with `close()` (or `using`). Java: `Counter`.
 */
export class Counter implements Disposable {
  /** Counter id (index in the counters buffers). */
  readonly id: number;
  /** The counter's registration id (ADD_COUNTER: its correlation id; static: the one given). */
  readonly registrationId: number;
  /** Correlation id of the command that produced this handle. */
  readonly correlationId: number;
  /** True for ADD_COUNTER counters (removed on close), false for static counters. */
  readonly clientOwned: boolean;
  readonly #owner: CounterOwner;
  readonly #countersReader: CountersReader;
  readonly #values: AtomicBuffer;
  readonly #offset: number;
  #closed = false;

  constructor(
    owner: CounterOwner,
    countersReader: CountersReader,
    counterId: number,
    registrationId: number,
    correlationId: number,
    clientOwned: boolean,
  ) {
    this.#owner = owner;
    this.#countersReader = countersReader;
    this.#values = countersReader.valuesBuffer;
    this.#offset = counterOffset(counterId);
    this.#values.boundsCheck(this.#offset, 8);
    this.id = counterId;
    this.registrationId = registrationId;
    this.correlationId = correlationId;
    this.clientOwned = clientOwned;
  }

  /** Acquire load of the value. */
  get(): number {
    return this.#values.getInt64Volatile(this.#offset);
  }

  /** Plain load of the value. */
  getPlain(): number {
    return this.#values.getInt64(this.#offset);
  }

  /** Release store of the value. */
  set(value: number): void {
    this.#values.putInt64Ordered(this.#offset, value);
  }

  /** Atomic increment; returns the value before. */
  increment(): number {
    return this.#values.getAndAddInt64(this.#offset, 1);
  }

  /** Atomic add; returns the value before. */
  getAndAdd(delta: number): number {
    return this.#values.getAndAddInt64(this.#offset, delta);
  }

  /** The counter's label, read from the counters metadata. Java: `Counter.label`. */
  label(): string {
    return this.#countersReader.getCounterLabel(this.id);
  }

  /** Whether `close()` ran (or the client closed). Java: `Counter.isClosed`. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Removes the counter (client-owned) or just closes the handle (static). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#owner.releaseCounter(this);
    this.#closed = true;
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Conductor only. */
  internalClose(): void {
    this.#closed = true;
  }
}
