/**
 * A resource the conductor checks on every timer tick and frees at the end of its life (Aeron 1.51.0
 * `DriverManagedResource`): clients, counter links, and later publications, subscriptions and images.
 *
 * ```
 *  every timerIntervalNs:  resource.onTimeEvent(nowNs, nowMs, conductor)
 *                          hasReachedEndOfLife()? -> close(), removed from the conductor's list, free()
 * ```
 */

/** What a resource may ask of the conductor when its time comes. */
export interface ResourceConductor {
  /** Broadcast ON_CLIENT_TIMEOUT for `clientId`. */
  clientTimeout(clientId: number): void;
  /** Broadcast ON_UNAVAILABLE_COUNTER for counter `counterId` of `registrationId`. */
  unavailableCounter(registrationId: number, counterId: number): void;
}

/** A resource managed by the conductor's timer. */
export interface DriverManagedResource {
  /** Checks timeouts; may mark the resource at end of life. */
  onTimeEvent(timeNs: number, timeMs: number, conductor: ResourceConductor): void;
  /** True once the resource should be closed and dropped. */
  hasReachedEndOfLife(): boolean;
  /** Frees what the resource holds (counters, mappings). */
  close(): void;
  /** Releases what outlives `close` (a log file), after it (Java `free`); false to be retried. Optional. */
  free?(): boolean;
}
