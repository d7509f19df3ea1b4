/**
 * Agrona `AtomicCounter`: a handle on one counter's 64-bit value in the counters values region, for the
 * writer side (the media driver's system counters, client heartbeats, client counters).
 *
 * ```
 *  values region: | ... | value record of counterId (128 bytes): +0 int64 value | ... |
 *                          ^ counterOffset(counterId)
 * ```
 *
 * `get` is a volatile read and allocates nothing; `set`, `increment` and `proposeMax` write the whole 64-bit
 * word atomically (release or atomic add) and allocate a small BigInt each (see `AtomicBuffer`): use them per
 * event, not per message. `close` frees the counter in its manager, once.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { counterOffset } from './counters-descriptor.ts';
import type { CountersManager } from './counters-manager.ts';

/** One counter's value; see the module comment. */
export class AtomicCounter {
  /** The counter id. */
  readonly id: number;
  readonly #values: AtomicBuffer;
  readonly #offset: number;
  readonly #manager: CountersManager | null;
  #closed = false;

  /**
   * @param valuesBuffer the counters values region.
   * @param counterId the counter.
   * @param manager the manager that frees it on `close` (null: `close` only marks it closed).
   */
  constructor(valuesBuffer: AtomicBuffer, counterId: number, manager: CountersManager | null = null) {
    this.id = counterId;
    this.#values = valuesBuffer;
    this.#offset = counterOffset(counterId);
    this.#manager = manager;
    valuesBuffer.boundsCheck(this.#offset, 8);
  }

  /** True once `close` has run. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Volatile read of the value. */
  get(): number {
    return this.#values.getInt64Volatile(this.#offset);
  }

  /** Release store of the value. */
  set(value: number): void {
    this.#values.putInt64Ordered(this.#offset, value);
  }

  /** Atomic add of 1; returns the previous value. */
  increment(): number {
    return this.#values.getAndAddInt64(this.#offset, 1);
  }

  /** Atomic add; returns the previous value. */
  getAndAdd(delta: number): number {
    return this.#values.getAndAddInt64(this.#offset, delta);
  }

  /** Stores `value` if it is above the current value (single writer); true when it did. */
  proposeMax(value: number): boolean {
    if (value > this.#values.getInt64Volatile(this.#offset)) {
      this.#values.putInt64Ordered(this.#offset, value);
      return true;
    }
    return false;
  }

  /** Frees the counter in its manager. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#manager?.free(this.id);
  }
}
