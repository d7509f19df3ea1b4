/**
 * The driver conductor (Aeron 1.51.0 `DriverConductor`): the duty cycle that owns clients and their
 * resources, applies client commands and keeps the driver's liveness visible.
 *
 * ```
 *  doWork():  trackTime      cycle time -> CONDUCTOR_MAX_CYCLE_TIME / _THRESHOLD_EXCEEDED
 *             processTimers  every timerIntervalNs:
 *                              to-driver consumer heartbeat := now (epoch ms, release)
 *                              each client, then each counter link: onTimeEvent -> end of life? close
 *                              blocked to-driver commands? (head still for a client liveness timeout
 *                                while the tail is ahead) -> unblock, UNBLOCKED_COMMANDS += 1
 *             receive        at most one client command from the to-driver ring (ClientCommandAdapter)
 *  onClose(): to-driver consumer heartbeat := -1 (clients read it as "driver shut down")
 * ```
 *
 * A client becomes known on its first command that adds a resource (`getOrAddClient`): the conductor
 * allocates its heartbeat counter and broadcasts ON_COUNTER_READY with the client id as correlation id, which
 * Java and TypeScript clients wait for before they write their heartbeat into it.
 *
 * Nothing here allocates in an idle duty cycle or per well-formed command other than what the command
 * creates (a counter, a link) and the BigInts of 64-bit release stores in shared memory.
 */
import { DRIVER_HEARTBEAT_TYPE_ID } from '../transport/aeron-counters.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { AeronClient } from './aeron-client.ts';
import { ClientCommandAdapter, type ClientCommandHandler } from './client-command-adapter.ts';
import type { ClientProxy } from './client-proxy.ts';
import { ERROR_CODE_UNKNOWN_COUNTER } from './command/control-protocol.ts';
import { CLIENT_HEARTBEAT_NAME } from './configuration.ts';
import { CounterLink } from './counter-link.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import { DutyCycleTracker } from './duty-cycle-tracker.ts';
import type { SystemCounters } from './system-counters.ts';
import { unblockToDriverCommands } from './to-driver-commands-unblocker.ts';

/** What the conductor works with. */
export interface DriverConductorContext {
  /** The to-driver ring buffer of `cnc.dat`; the conductor is its only consumer. */
  readonly toDriverCommands: ManyToOneRingBuffer;
  /** Broadcasts the responses on the to-clients buffer. */
  readonly clientProxy: ClientProxy;
  /** The counters of `cnc.dat` (heartbeat counters and client counters are allocated here). */
  readonly countersManager: CountersManager;
  /** The allocated system counters. */
  readonly systemCounters: SystemCounters;
  /** Records an error (the distinct error log). */
  readonly errorHandler: (error: unknown) => void;
  /** Epoch milliseconds (Java `EpochClock`): heartbeats and liveness. */
  readonly epochClock: () => number;
  /** Monotonic nanoseconds (Java `NanoClock`): timers and cycle times. */
  readonly nanoClock: () => number;
  /** How often the timers run (ns; Java `timerIntervalNs`). */
  readonly timerIntervalNs: number;
  /** How stale a client heartbeat may get, also how long a blocked to-driver command may stay (ns). */
  readonly clientLivenessTimeoutNs: number;
  /** A duty cycle longer than this (ns) counts in CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED. */
  readonly conductorCycleThresholdNs: number;
}

/** The conductor agent; see the module comment. Call `onStart` once, then `doWork` repeatedly. */
export class DriverConductor implements ClientCommandHandler, ResourceConductor {
  readonly #ctx: DriverConductorContext;
  readonly #toDriverCommands: ManyToOneRingBuffer;
  readonly #clientProxy: ClientProxy;
  readonly #countersManager: CountersManager;
  readonly #commandAdapter: ClientCommandAdapter;
  readonly #dutyCycleTracker: DutyCycleTracker;
  readonly #unblockedCommands: AtomicCounter;
  readonly #clients: AeronClient[] = [];
  readonly #counterLinks: CounterLink[] = [];
  #nowMs = 0;
  #timerCheckDeadlineNs = 0;
  #lastCommandConsumerPosition = 0;
  #timeOfLastToDriverPositionChangeNs = 0;

  constructor(ctx: DriverConductorContext) {
    this.#ctx = ctx;
    this.#toDriverCommands = ctx.toDriverCommands;
    this.#clientProxy = ctx.clientProxy;
    this.#countersManager = ctx.countersManager;
    const counters = ctx.systemCounters;
    this.#unblockedCommands = counters.get('UNBLOCKED_COMMANDS');
    this.#dutyCycleTracker = new DutyCycleTracker(
      counters.get('CONDUCTOR_MAX_CYCLE_TIME'),
      counters.get('CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED'),
      ctx.conductorCycleThresholdNs,
    );
    this.#commandAdapter = new ClientCommandAdapter(
      ctx.toDriverCommands,
      ctx.clientProxy,
      this,
      counters.get('ERRORS'),
      ctx.errorHandler,
    );
  }

  /** Number of clients the driver knows. */
  get clientCount(): number {
    return this.#clients.length;
  }

  /** Starts the clocks: the first timer tick comes one interval from now. */
  onStart(): void {
    const nowNs = this.#ctx.nanoClock();
    this.#nowMs = this.#ctx.epochClock();
    this.#dutyCycleTracker.update(nowNs);
    this.#timerCheckDeadlineNs = nowNs + this.#ctx.timerIntervalNs;
    this.#timeOfLastToDriverPositionChangeNs = nowNs;
    this.#lastCommandConsumerPosition = this.#toDriverCommands.consumerPosition();
  }

  /** One duty cycle; returns the amount of work done (0 = idle). */
  doWork(): number {
    const nowNs = this.#ctx.nanoClock();
    this.#nowMs = this.#ctx.epochClock();
    this.#dutyCycleTracker.measureAndUpdate(nowNs);
    let workCount = this.#processTimers(nowNs);
    workCount += this.#commandAdapter.receive();
    return workCount;
  }

  /** Marks the driver as shut down for clients (heartbeat -1). */
  onClose(): void {
    this.#toDriverCommands.setConsumerHeartbeatTime(-1);
  }

  // ---- client commands --------------------------------------------------------------------------------------

  /** Stamps the client's heartbeat with now; ignored for a client the driver does not know. */
  onClientKeepalive(clientId: number): void {
    const client = this.#findClient(clientId);
    if (client !== null) client.timeOfLastKeepaliveMs(this.#nowMs);
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
    const client = this.#getOrAddClient(clientId);
    const manager = this.#countersManager;
    const counterId = manager.allocateFromBuffers(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
    );
    manager.setCounterRegistrationId(counterId, correlationId);
    manager.setCounterOwnerId(counterId, clientId);
    this.#counterLinks.push(
      new CounterLink(new AtomicCounter(manager.valuesBuffer, counterId, manager), correlationId, client),
    );
    this.#clientProxy.onCounterReady(correlationId, counterId);
  }

  /**
   * Frees a client-added counter: ON_OPERATION_SUCCESS for `correlationId`, then ON_UNAVAILABLE_COUNTER. Throws
   * `ControlProtocolError` (UNKNOWN_COUNTER) when no counter has that registration id.
   */
  onRemoveCounter(registrationId: number, correlationId: number): void {
    const links = this.#counterLinks;
    let index = links.length - 1;
    while (index >= 0 && links[index]!.registrationId !== registrationId) index--;
    if (index < 0) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_COUNTER, `unknown counter: ${registrationId}`);
    }
    const link = links[index]!;
    fastUnorderedRemove(links, index);
    this.#clientProxy.operationSucceeded(correlationId);
    this.#clientProxy.onUnavailableCounter(registrationId, link.counterId);
    link.close();
  }

  /** Marks the client closed by command: it is reaped at the next timer tick without counting as a timeout. */
  onClientClose(clientId: number): void {
    this.#findClient(clientId)?.onClosedByCommand();
  }

  // ---- resource callbacks -------------------------------------------------------------------------------------

  /** Broadcasts ON_CLIENT_TIMEOUT for `clientId`. */
  clientTimeout(clientId: number): void {
    this.#clientProxy.onClientTimeout(clientId);
  }

  /** Broadcasts ON_UNAVAILABLE_COUNTER for counter `counterId` of `registrationId`. */
  unavailableCounter(registrationId: number, counterId: number): void {
    this.#clientProxy.onUnavailableCounter(registrationId, counterId);
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  #processTimers(nowNs: number): number {
    if (this.#timerCheckDeadlineNs - nowNs >= 0) return 0;
    this.#timerCheckDeadlineNs = nowNs + this.#ctx.timerIntervalNs;
    const nowMs = this.#nowMs;
    this.#toDriverCommands.setConsumerHeartbeatTime(nowMs);
    this.#checkManagedResources(this.#clients, nowNs, nowMs);
    this.#checkManagedResources(this.#counterLinks, nowNs, nowMs);
    this.#checkForBlockedToDriverCommands(nowNs);
    return 1;
  }

  #checkManagedResources(resources: DriverManagedResource[], nowNs: number, nowMs: number): void {
    for (let i = resources.length - 1; i >= 0; i--) {
      const resource = resources[i]!;
      resource.onTimeEvent(nowNs, nowMs, this);
      if (resource.hasReachedEndOfLife()) {
        try {
          resource.close();
        } catch (e) {
          this.#ctx.errorHandler(e);
        }
        fastUnorderedRemove(resources, i);
      }
    }
  }

  #checkForBlockedToDriverCommands(nowNs: number): void {
    const ring = this.#toDriverCommands;
    const consumerPosition = ring.consumerPosition();
    if (consumerPosition === this.#lastCommandConsumerPosition && ring.producerPosition() > consumerPosition) {
      if (this.#timeOfLastToDriverPositionChangeNs + this.#ctx.clientLivenessTimeoutNs - nowNs < 0) {
        if (unblockToDriverCommands(ring)) this.#unblockedCommands.increment();
      }
    } else {
      this.#timeOfLastToDriverPositionChangeNs = nowNs;
      this.#lastCommandConsumerPosition = consumerPosition;
    }
  }

  #findClient(clientId: number): AeronClient | null {
    for (const client of this.#clients) {
      if (client.clientId === clientId) return client;
    }
    return null;
  }

  #getOrAddClient(clientId: number): AeronClient {
    let client = this.#findClient(clientId);
    if (client === null) {
      const manager = this.#countersManager;
      const counterId = manager.allocate(`${CLIENT_HEARTBEAT_NAME}: id=${clientId}`, DRIVER_HEARTBEAT_TYPE_ID, (key) =>
        key.putInt64(0, clientId),
      );
      const heartbeat = new AtomicCounter(manager.valuesBuffer, counterId, manager);
      heartbeat.set(this.#nowMs);
      manager.setCounterRegistrationId(counterId, clientId);
      manager.setCounterOwnerId(counterId, clientId);
      client = new AeronClient(
        clientId,
        this.#ctx.clientLivenessTimeoutNs,
        this.#ctx.systemCounters.get('CLIENT_TIMEOUTS'),
        heartbeat,
      );
      this.#clients.push(client);
      this.#clientProxy.onCounterReady(clientId, counterId);
    }
    return client;
  }
}

/** Removes element `index` by moving the last element into its place (order is not kept). */
function fastUnorderedRemove<T>(list: T[], index: number): void {
  const last = list.length - 1;
  if (index !== last) list[index] = list[last]!;
  list.pop();
}
