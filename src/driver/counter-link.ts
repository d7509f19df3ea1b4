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

  constructor(counter: AtomicCounter, registrationId: number, client: AeronClient) {
    this.#counter = counter;
    this.registrationId = registrationId;
    this.#client = client;
  }

  /** The counter's id. */
  get counterId(): number {
    return this.#counter.id;
  }

  onTimeEvent(_timeNs: number, _timeMs: number, conductor: ResourceConductor): void {
    if (!this.#reachedEndOfLife && this.#client.hasTimedOut) {
      this.#reachedEndOfLife = true;
      conductor.unavailableCounter(this.registrationId, this.#counter.id);
    }
  }

  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  close(): void {
    this.#counter.close();
  }
}
