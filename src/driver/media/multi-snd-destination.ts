/**
 * The destinations of a multi-destination-cast (MDC) send channel endpoint (Aeron 1.51.0 `MultiSndDestination`,
 * `ManualSndMultiDestination`, `DynamicSndMultiDestination` in `SendChannelEndpoint.java`): every datagram the
 * endpoint sends goes to each destination, starting one further round the list each time (round robin), and the
 * shortest send is the result.
 *
 * ```
 *  control-mode=manual   destinations from ADD_DESTINATION (endpoint URI -> address, the command's correlation id
 *                        as registration id), removed by REMOVE_DESTINATION (address) or REMOVE_DESTINATION_BY_ID;
 *                        a status message from one refreshes it and fixes its receiver id; one silent for
 *                        DESTINATION_TIMEOUT_NS has its `endpoint` text re-resolved by the conductor (at most once per
 *                        DESTINATION_TIMEOUT_NS; checkForReResolution), and a changed address replaces its own
 *                        (updateDestination)
 *  control-mode=dynamic  a status message from an unknown (receiver id, source port) adds its source address;
 *                        a destination silent for DESTINATION_TIMEOUT_NS (5 s) is skipped and dropped on the next send
 * ```
 *
 * Sending allocates nothing (the destination list is an array replaced only when it changes: control path).
 * Receiver ids are kept as two int32 words, as the status message flyweight reads them.
 */
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../../transport/atomic-counter.ts';
import type { StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import type { SocketAddress } from './socket-address.ts';

/** A destination silent this long is dropped (dynamic) or re-resolved (manual). Java `DESTINATION_TIMEOUT`. */
export const DESTINATION_TIMEOUT_NS = 5_000_000_000;

/** Java `Aeron.NULL_VALUE`: the registration id of a dynamic destination. */
const NULL_VALUE = -1;

/**
 * Where a name due for re-resolution goes (the conductor; Java `DriverConductorProxy.reResolveEndpoint`): resolve
 * `endpoint` again and, when it now names another address than `address`, hand the new one to the sender.
 */
export interface ReResolveEndpointProxy<E> {
  /**
   * @param endpoint the `endpoint` text (`host:port`) to resolve again.
   * @param channelEndpoint the send channel endpoint it belongs to.
   * @param address its current address (null: none to compare with).
   */
  reResolveEndpoint(endpoint: string, channelEndpoint: E, address: SocketAddress | null): void;
}

/** Sends one datagram to one address (the endpoint's `sendTo`, with its fault injection). */
export interface DestinationSender {
  /** Returns the bytes sent (0 when it would block). */
  sendTo(buffer: AtomicBuffer, offset: number, length: number, address: SocketAddress): number;
}

/** A manual destination's address from ADD/REMOVE_DESTINATION: resolved, or Java's unresolved `host:port`. */
export interface SendDestinationAddress {
  /** Where datagrams go; for an unresolved host a placeholder `0.0.0.0:port` that is never sent to. */
  readonly address: SocketAddress;
  /** The host the resolver did not know (Java `InetSocketAddress.isUnresolved`), or null when resolved. */
  readonly unresolvedHost: string | null;
}

/** One destination (Java `Destination`). */
export class SndDestination {
  /** Last status message from it (or when added), ns. */
  timeOfLastActivityNs: number;
  /** Receiver id, high word (valid once a status message came, or from the start when dynamic). */
  receiverIdHigh: number;
  /** Receiver id, low word. */
  receiverIdLow: number;
  /** Whether the receiver id words hold a receiver's id. */
  isReceiverIdValid: boolean;
  /** Where datagrams go (replaced when its `endpoint` re-resolves to another address). */
  address: SocketAddress;
  /**
   * The host of an unresolved destination (Java: an unresolved `InetSocketAddress`): nothing is sent to it and no
   * status message matches it by address until a re-resolution gives it an address; null once resolved.
   */
  unresolvedHost: string | null = null;
  /** ADD_DESTINATION's correlation id, -1 for a dynamic destination. */
  readonly registrationId: number;
  /** The `endpoint` of its URI (manual), or null. */
  readonly endpoint: string | null;

  constructor(
    nowNs: number,
    address: SocketAddress,
    registrationId: number,
    endpoint: string | null,
    receiverIdHigh: number,
    receiverIdLow: number,
    isReceiverIdValid: boolean,
  ) {
    this.timeOfLastActivityNs = nowNs;
    this.address = address;
    this.registrationId = registrationId;
    this.endpoint = endpoint;
    this.receiverIdHigh = receiverIdHigh;
    this.receiverIdLow = receiverIdLow;
    this.isReceiverIdValid = isReceiverIdValid;
  }

  /** Java `isMatch`: same receiver id (once known), else same address. */
  isMatch(receiverIdHigh: number, receiverIdLow: number, address: SocketAddress): boolean {
    if (this.isReceiverIdValid && this.receiverIdHigh === receiverIdHigh && this.receiverIdLow === receiverIdLow) {
      return true;
    }
    return this.unresolvedHost === null && this.address.equals(address);
  }

  /** Java `address.equals(other)` of two InetSocketAddresses: the same address, or the same unresolved host and port. */
  isAt(target: SendDestinationAddress): boolean {
    if (this.unresolvedHost === null || target.unresolvedHost === null) {
      return this.unresolvedHost === target.unresolvedHost && this.address.equals(target.address);
    }
    return (
      this.unresolvedHost.toLowerCase() === target.unresolvedHost.toLowerCase() &&
      this.address.port() === target.address.port()
    );
  }
}

/** The destinations of one MDC endpoint; see the module comment. */
export class MultiSndDestination {
  /** True for `control-mode=dynamic`, false for `manual`. */
  readonly isDynamic: boolean;
  /** The current destinations (replaced, never mutated in place, when one is added or removed). */
  destinations: readonly SndDestination[] = [];
  readonly #nanoClock: () => number;
  #roundRobinIndex = 0;
  #destinationsCounter: AtomicCounter | null = null;

  /**
   * @param isDynamic `control-mode=dynamic` (else manual).
   * @param nanoClock the sender's clock (ns).
   */
  constructor(isDynamic: boolean, nanoClock: () => number) {
    this.isDynamic = isDynamic;
    this.#nanoClock = nanoClock;
  }

  /** The mdc-destinations counter kept equal to the destination count, or null. */
  set destinationsCounter(counter: AtomicCounter | null) {
    this.#destinationsCounter = counter;
    counter?.set(this.destinations.length);
  }

  /** A status message from `address` (Java `onStatusMessage` of each kind; module comment). */
  onStatusMessage(msg: StatusMessageFlyweight, address: SocketAddress): void {
    const high = msg.receiverIdHigh();
    const low = msg.receiverIdLow();
    const nowNs = this.#nanoClock();
    const destinations = this.destinations;
    if (this.isDynamic) {
      const port = address.port();
      for (let i = 0; i < destinations.length; i++) {
        const destination = destinations[i]!;
        if (
          destination.receiverIdHigh === high &&
          destination.receiverIdLow === low &&
          destination.address.port() === port
        ) {
          destination.timeOfLastActivityNs = nowNs;
          return;
        }
      }
      this.#replace([...destinations, new SndDestination(nowNs, address.clone(), NULL_VALUE, null, high, low, true)]);
      return;
    }
    for (let i = 0; i < destinations.length; i++) {
      const destination = destinations[i]!;
      if (destination.isMatch(high, low, address)) {
        if (!destination.isReceiverIdValid) {
          destination.receiverIdHigh = high;
          destination.receiverIdLow = low;
          destination.isReceiverIdValid = true;
        }
        destination.timeOfLastActivityNs = nowNs;
        return;
      }
    }
  }

  /**
   * Sends the datagram to every (live) destination, round robin from one further each call; returns `length`, or
   * the shortest send when one fell short. Dynamic: silent destinations are skipped, then dropped.
   */
  send(sender: DestinationSender, buffer: AtomicBuffer, offset: number, length: number): number {
    const destinations = this.destinations;
    const count = destinations.length;
    const nowNs = this.isDynamic ? this.#nanoClock() : 0;
    let startingIndex = this.#roundRobinIndex++;
    if (startingIndex >= count) {
      this.#roundRobinIndex = 1;
      startingIndex = 0;
    }
    let result = length;
    let inactive = 0;
    for (let n = 0; n < count; n++) {
      let i = startingIndex + n;
      if (i >= count) i -= count;
      const destination = destinations[i]!;
      if (this.isDynamic && destination.timeOfLastActivityNs + DESTINATION_TIMEOUT_NS - nowNs < 0) {
        inactive++;
        continue;
      }
      if (destination.unresolvedHost !== null) continue; // Java: counted as sent, nothing leaves
      const sent = sender.sendTo(buffer, offset, length, destination.address);
      if (sent < length) result = sent;
    }
    if (inactive > 0) {
      this.#replace(destinations.filter((d) => d.timeOfLastActivityNs + DESTINATION_TIMEOUT_NS - nowNs >= 0));
    }
    return result;
  }

  /**
   * ADD_DESTINATION (manual): `target` from the URI's `endpoint` (resolved, or unresolved until a re-resolution
   * finds it), `registrationId` the command's correlation id.
   */
  addDestination(endpoint: string | null, target: SendDestinationAddress, registrationId: number): void {
    const destination = new SndDestination(
      this.#nanoClock(),
      target.address.clone(),
      registrationId,
      endpoint,
      0,
      0,
      false,
    );
    destination.unresolvedHost = target.unresolvedHost;
    this.#replace([...this.destinations, destination]);
  }

  /** REMOVE_DESTINATION (manual): the first destination at `target` (Java: equal InetSocketAddresses). */
  removeDestination(target: SendDestinationAddress): void {
    const index = this.destinations.findIndex((d) => d.isAt(target));
    if (index >= 0) this.#replace(this.destinations.filter((_, i) => i !== index));
    else this.#destinationsCounter?.set(this.destinations.length);
  }

  /** REMOVE_DESTINATION_BY_ID (manual). */
  removeDestinationById(registrationId: number): void {
    const index = this.destinations.findIndex((d) => d.registrationId === registrationId);
    if (index >= 0) this.#replace(this.destinations.filter((_, i) => i !== index));
    else this.#destinationsCounter?.set(this.destinations.length);
  }

  /**
   * Manual: each destination silent for DESTINATION_TIMEOUT_NS (no status message since it was added, or since it
   * was last re-resolved) has its `endpoint` re-resolved through `proxy` (Java
   * `ManualSndMultiDestination.checkForReResolution`). Allocates nothing when none is due.
   */
  checkForReResolution<E>(channelEndpoint: E, nowNs: number, proxy: ReResolveEndpointProxy<E>): void {
    if (this.isDynamic) return;
    const destinations = this.destinations;
    for (let i = 0; i < destinations.length; i++) {
      const destination = destinations[i]!;
      if (destination.timeOfLastActivityNs + DESTINATION_TIMEOUT_NS - nowNs < 0) {
        destination.timeOfLastActivityNs = nowNs;
        if (destination.endpoint !== null) {
          proxy.reResolveEndpoint(destination.endpoint, channelEndpoint, destination.address);
        }
      }
    }
  }

  /** Every manual destination added with `endpoint` now sends to `newAddress` (Java `updateDestination`). */
  updateDestination(endpoint: string, newAddress: SocketAddress): void {
    if (this.isDynamic) return;
    for (const destination of this.destinations) {
      if (destination.endpoint === endpoint) {
        destination.address = newAddress.clone();
        destination.unresolvedHost = null;
      }
    }
  }

  /** The registration id of the destination an error frame came from (Java `findRegistrationId`), else -1. */
  findRegistrationId(receiverIdHigh: number, receiverIdLow: number, address: SocketAddress): number {
    if (this.isDynamic) return NULL_VALUE;
    for (const destination of this.destinations) {
      if (destination.isMatch(receiverIdHigh, receiverIdLow, address)) return destination.registrationId;
    }
    return NULL_VALUE;
  }

  #replace(destinations: readonly SndDestination[]): void {
    this.destinations = destinations;
    this.#destinationsCounter?.set(destinations.length);
  }
}
