/**
 * The driver conductor's counter part (Aeron 1.51.0 `DriverConductor.onAddCounter`, `onAddStaticCounter`,
 * `onRemoveCounter`): the counters clients add to `cnc.dat`. `DriverConductor` delegates to it; its timer closes the
 * counter links of clients that went away.
 *
 * ```
 *  ADD_COUNTER          client made known; counter allocated from the command's key and label
 *                       (registration id = correlation id, owner = client id); CounterLink; ON_COUNTER_READY
 *  ADD_STATIC_COUNTER   client made known; ALLOCATED counter of (type id, registration id)?
 *                         owner -1 -> reused     an owner -> ON_ERROR GENERIC_ERROR (sent, not logged, as Java)
 *                         none     -> allocated (owner -1, no link: it outlives every client)
 *                       ON_STATIC_COUNTER with its id
 *  REMOVE_COUNTER       link removed, ON_OPERATION_SUCCESS, ON_UNAVAILABLE_COUNTER, counter freed;
 *                       unknown registration id: UNKNOWN_COUNTER
 * ```
 */
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import { NULL_COUNTER_ID } from '../transport/counters-descriptor.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import { ERROR_CODE_GENERIC_ERROR, ERROR_CODE_UNKNOWN_COUNTER } from './command/control-protocol.ts';
import { CounterLink } from './counter-link.ts';
import type { ConductorState } from './driver-conductor-state.ts';
import { NULL_VALUE } from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';

/** The counters clients add; see the module comment. */
export class CounterConductor {
  readonly #state: ConductorState;

  /** @param state what the conductor's parts share (its `counterLinks` are this part's). */
  constructor(state: ConductorState) {
    this.#state = state;
  }

  /**
   * Allocates the counter (registration id = `correlationId`, owner = `clientId`), links it to the client (made
   * known first if new) and broadcasts ON_COUNTER_READY. A full counters buffer throws `IllegalStateError`.
   */
  onAddCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    correlationId: number,
    clientId: number,
  ): void {
    const state = this.#state;
    const client = state.clients.getOrAddClient(clientId);
    const manager = state.countersManager;
    const counterId = this.#allocateCounter(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
      correlationId,
      clientId,
    );
    state.counterLinks.push(
      new CounterLink(new AtomicCounter(manager.valuesBuffer, counterId, manager), correlationId, client),
    );
    state.clientProxy.onCounterReady(correlationId, counterId);
  }

  /**
   * ADD_STATIC_COUNTER (Java `onAddStaticCounter`): the client is made known; an ALLOCATED counter of `typeId` and
   * `registrationId` without owner (owner id -1) is answered as is, one with an owner is refused with ON_ERROR
   * GENERIC_ERROR (sent directly, not logged, as Java does); otherwise a new counter (registration id =
   * `registrationId`, owner -1, linked to no client: it outlives every client). ON_STATIC_COUNTER carries its id.
   * A full counters buffer throws `IllegalStateError`.
   */
  onAddStaticCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    registrationId: number,
    correlationId: number,
    clientId: number,
  ): void {
    const state = this.#state;
    state.clients.getOrAddClient(clientId);
    const manager = state.countersManager;
    let counterId = manager.findByTypeIdAndRegistrationId(typeId, registrationId);
    if (counterId !== NULL_COUNTER_ID) {
      if (manager.getCounterOwnerId(counterId) !== NULL_VALUE) {
        state.clientProxy.onError(
          correlationId,
          ERROR_CODE_GENERIC_ERROR,
          `cannot add static counter, because a non-static counter exists (counterId=${counterId}) for ` +
            `typeId=${typeId} and registrationId=${registrationId}`,
        );
        return;
      }
    } else {
      counterId = this.#allocateCounter(
        typeId,
        keyBuffer,
        keyOffset,
        keyLength,
        labelBuffer,
        labelOffset,
        labelLength,
        registrationId,
        NULL_VALUE,
      );
    }
    state.clientProxy.onStaticCounter(correlationId, counterId);
  }

  /**
   * Frees a client-added counter: ON_OPERATION_SUCCESS for `correlationId`, then ON_UNAVAILABLE_COUNTER. Throws
   * `ControlProtocolError` (UNKNOWN_COUNTER) when no counter has that registration id.
   */
  onRemoveCounter(registrationId: number, correlationId: number): void {
    const links = this.#state.counterLinks;
    let index = links.length - 1;
    while (index >= 0 && links[index]!.registrationId !== registrationId) index--;
    if (index < 0) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_COUNTER, `unknown counter: ${registrationId}`);
    }
    const link = links[index]!;
    fastUnorderedRemove(links, index);
    this.#state.clientProxy.operationSucceeded(correlationId);
    this.#state.clientProxy.onUnavailableCounter(registrationId, link.counterId);
    link.close();
  }

  /**
   * Allocates a client's counter from the command's key and label (ADD_COUNTER, ADD_STATIC_COUNTER) with its
   * registration and owner ids; returns its id. A full counters buffer throws `IllegalStateError`.
   */
  #allocateCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    registrationId: number,
    ownerId: number,
  ): number {
    const manager = this.#state.countersManager;
    const counterId = manager.allocateFromBuffers(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
    );
    manager.setCounterRegistrationId(counterId, registrationId);
    manager.setCounterOwnerId(counterId, ownerId);
    return counterId;
  }
}
