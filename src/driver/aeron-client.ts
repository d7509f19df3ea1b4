/**
 * The driver's record of one connected client (Aeron 1.51.0 `io.aeron.driver.AeronClient`), created when the
 * conductor first sees a client id in a command that adds a resource.
 *
 * ```
 *  heartbeat counter: type 11, key +0 int64 clientId, label "client-heartbeat: id=<clientId>",
 *                     registrationId = ownerId = clientId, value = epoch ms of the client's last keepalive
 *                     (written by the client itself; by the driver on CLIENT_KEEPALIVE; 0 on CLIENT_CLOSE)
 *  timer tick: nowMs > heartbeat + clientLivenessTimeoutMs  ->  end of life:
 *                unless closed by command: CLIENT_TIMEOUTS += 1, ON_CLIENT_TIMEOUT(clientId)
 *                then ON_UNAVAILABLE_COUNTER(clientId, heartbeat counter id); the counter is freed
 * ```
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';

/** One client known to the driver. */
export class AeronClient implements DriverManagedResource {
  /** The client's id (its first correlation id from the to-driver ring). */
  readonly clientId: number;
  readonly #clientLivenessTimeoutMs: number;
  readonly #clientTimeouts: AtomicCounter;
  readonly #heartbeat: AtomicCounter;
  #reachedEndOfLife = false;
  #closedByCommand = false;

  /**
   * @param clientId the client's id.
   * @param clientLivenessTimeoutNs how stale its heartbeat may get.
   * @param clientTimeouts the CLIENT_TIMEOUTS system counter.
   * @param heartbeat the client's heartbeat counter (freed on `close`).
   */
  constructor(
    clientId: number,
    clientLivenessTimeoutNs: number,
    clientTimeouts: AtomicCounter,
    heartbeat: AtomicCounter,
  ) {
    this.clientId = clientId;
    this.#clientLivenessTimeoutMs = Math.max(1, Math.floor(clientLivenessTimeoutNs / 1_000_000));
    this.#clientTimeouts = clientTimeouts;
    this.#heartbeat = heartbeat;
  }

  /** The heartbeat counter's id. */
  get heartbeatCounterId(): number {
    return this.#heartbeat.id;
  }

  /** True once the client timed out or closed (its resources go with it). */
  get hasTimedOut(): boolean {
    return this.#reachedEndOfLife;
  }

  /**
   * Java `AeronClient.onTimeEvent`: once the heartbeat is older than the liveness timeout, the client reaches end
   * of life: a timeout (CLIENT_TIMEOUTS + 1, ON_CLIENT_TIMEOUT) unless it closed by command, then
   * ON_UNAVAILABLE_COUNTER for its heartbeat counter.
   */
  onTimeEvent(_timeNs: number, timeMs: number, conductor: ResourceConductor): void {
    if (this.#reachedEndOfLife) return;
    if (timeMs > this.#heartbeat.get() + this.#clientLivenessTimeoutMs) {
      this.#reachedEndOfLife = true;
      if (!this.#closedByCommand) {
        this.#clientTimeouts.increment();
        conductor.clientTimeout(this.clientId);
      }
      conductor.unavailableCounter(this.clientId, this.#heartbeat.id);
    }
  }

  /** True once timed out or closed; the conductor then closes and drops it. */
  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  /** CLIENT_KEEPALIVE: stamps the heartbeat. */
  timeOfLastKeepaliveMs(nowMs: number): void {
    this.#heartbeat.set(nowMs);
  }

  /** CLIENT_CLOSE: the client is reaped at the next timer tick without counting as a timeout. */
  onClosedByCommand(): void {
    this.#closedByCommand = true;
    this.#heartbeat.set(0);
  }

  /** Frees the heartbeat counter. */
  close(): void {
    this.#heartbeat.close();
  }
}
