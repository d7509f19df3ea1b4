/**
 * A position counter the driver writes and reads on its duty cycle (Agrona `UnsafeBufferPosition`): a
 * publisher limit, a publisher position, a subscriber position.
 *
 * ```
 *  values region: value record of counterId (128 bytes): +0 int64 value
 *  getVolatile: two acquire word loads (high, low, high), no BigInt
 *  setRelease:  one 8-byte release store (AtomicBuffer.putInt64Release), no BigInt for 0 <= value < 2^53
 * ```
 *
 * Nothing here allocates per call: the conductor calls these every duty cycle for every publication.
 */
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { counterOffset } from '../transport/counters-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';

/** One position counter; `close` frees it. */
export class UnsafeBufferPosition {
  /** The counter id. */
  readonly id: number;
  readonly #values: AtomicBuffer;
  readonly #offset: number;
  readonly #manager: CountersManager;
  #closed = false;

  /**
   * @param manager the counters manager that allocated counter `counterId` (frees it on `close`).
   * @param counterId the counter.
   */
  constructor(manager: CountersManager, counterId: number) {
    this.id = counterId;
    this.#manager = manager;
    this.#values = manager.valuesBuffer;
    this.#offset = counterOffset(counterId);
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Acquire load of the value. */
  getVolatile(): number {
    return this.#values.getInt64Volatile(this.#offset);
  }

  /** Plain load of the value (for its only writer). */
  get(): number {
    return this.#values.getInt64(this.#offset);
  }

  /** Release store of the value. */
  setRelease(value: number): void {
    this.#values.putInt64Release(this.#offset, value);
  }

  /** Frees the counter. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#manager.free(this.id);
  }
}
