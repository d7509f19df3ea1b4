/**
 * A counter a client added with ADD_COUNTER (Aeron 1.51.0 `CounterLink`): it lives until the client removes
 * it (REMOVE_COUNTER) or the client goes away, when the driver broadcasts ON_UNAVAILABLE_COUNTER and frees it.
 *
 * ```
 *  counter: the client's type id, key and label; registrationId = the ADD_COUNTER correlation id,
 *           ownerId = the client id
 * ```
 */

import type { AtomicCounter } from '../transport/atomic-counter.ts';
import type { AeronClient } from './aeron-client.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';

/** One client-added counter. */
export class CounterLink implements DriverManagedResource {
  /** The ADD_COUNTER correlation id, which is the counter's registration id. */
  readonly registrationId: number;
  readonly #counter: AtomicCounter;
  readonly #client: AeronClient;
  #reachedEndOfLife = false;

  /**
   * @param counter the allocated counter (freed on `close`).
   * @param registrationId the ADD_COUNTER correlation id.
   * @param client the client that added it; the link ends with that client.
   */
  constructor(counter: AtomicCounter, registrationId: number, client: AeronClient) {
    this.#counter = counter;
    this.registrationId = registrationId;
    this.#client = client;
  }

  /** The counter's id. */
  get counterId(): number {
    return this.#counter.id;
  }

  /** Java `CounterLink.onTimeEvent`: once its client has timed out or closed, ON_UNAVAILABLE_COUNTER and end of life. */
  onTimeEvent(_timeNs: number, _timeMs: number, conductor: ResourceConductor): void {
    if (!this.#reachedEndOfLife && this.#client.hasTimedOut) {
      this.#reachedEndOfLife = true;
      conductor.unavailableCounter(this.registrationId, this.#counter.id);
    }
  }

  /** True once its client went away; the conductor then closes and drops it. */
  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  /** Frees the counter. */
  close(): void {
    this.#counter.close();
  }
}
