/**
 * The client conductor (Java: `ClientConductor`): the client's duty cycle. It sends commands through
 * the `DriverProxy`, turns the driver's responses into publications, subscriptions, images and counters,
 * keeps this client alive in the driver's eyes, watches the driver's liveness, and lingers released log
 * buffers before unmapping them.
 *
 * ## Duty cycle on the Node event loop
 *
 * ```
 *  doWork() ── every idleSleepDurationMs (16) ──┬─ checkTimeouts (at most once per idle period)
 *    (timer, or the application in invoker mode) │    ├─ service interval > interServiceTimeout → CONDUCTOR_SERVICE_TIMEOUT
 *                                                │    ├─ every keepAliveIntervalMs (500): driver heartbeat age
 *                                                │    │    > driverTimeout → DRIVER_TIMEOUT; write own heartbeat counter
 *                                                │    └─ unmap lingering log buffers past their deadline
 *                                                ├─ reject commands past their deadline (driverTimeoutMs) → DRIVER_TIMEOUT
 *                                                └─ receive driver responses (bounded per cycle)
 * ```
 * The timer never blocks: each duty cycle is a bounded amount of work, then `setTimeout` again
 * (`awaitingIdleSleepMs`, 1 ms, while commands await responses). In invoker mode there is no timer except
 * while a Promise command awaits its response (Java's `awaitResponse` services the conductor on the calling
 * thread likewise); keepalives then depend on the application calling `doWork()`.
 *
 * Fatal conditions (driver timeout, client timeout, service interval exceeded, lapped broadcast, heartbeat
 * counter gone) go to the error handler, then the client closes itself. After a service interval breach
 * the pending driver events are read first, so a client timeout the driver already announced is reported as
 * `ClientTimeoutError` rather than `ConductorServiceTimeoutError` (Java reports the latter).
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { BroadcastReceiver } from '../transport/broadcast-receiver.ts';
import { CONTROL_PROTOCOL_SEMANTIC_VERSION } from '../transport/control-protocol-events.ts';
import {
  type CncHeader,
  type CncRegions,
  CopyBroadcastReceiver,
  CountersReader,
  counterOffset,
  DRIVER_HEARTBEAT_TYPE_ID,
  DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
  DRIVER_SYSTEM_COUNTER_TYPE_ID,
  KEY_OFFSET,
  LABEL_OFFSET,
  MAX_LABEL_LENGTH,
  type ManyToOneRingBuffer,
  type MappedFile,
  METADATA_LENGTH,
  RECORD_ALLOCATED,
  RECORD_UNUSED,
  TYPE_ID_OFFSET,
} from '../transport/index.ts';
import { type AbortableOptions, abortedError } from './abort.ts';
import type { AeronContext, AvailableCounterHandler, UnavailableCounterHandler } from './aeron-context.ts';
import { EXPLICIT_CLOSE_LINGER_MS } from './aeron-context.ts';
import type { PublicationErrorFrameFlyweight } from './command/publication-error-frame-flyweight.ts';
import { ConcurrentPublication } from './concurrent-publication.ts';
import type {
  AvailableImageHandler,
  ClientConductorContract,
  PublicationErrorFrame,
  UnavailableImageHandler,
} from './conductor-contract.ts';
import { Counter, type CounterOwner } from './counter.ts';
import { DriverEventsAdapter, type DriverEventsListener, type PublicationReady } from './driver-events-adapter.ts';
import { DriverProxy } from './driver-proxy.ts';
import { ErrorCode } from './error-codes.ts';
import {
  AeronClosedError,
  type AeronError,
  ClientTimeoutError,
  ConductorServiceTimeoutError,
  DriverEventsInvalidError,
  DriverTimeoutError,
  RegistrationError,
  toAeronError,
  UnknownAeronError,
} from './errors.ts';
import { ExclusivePublication } from './exclusive-publication.ts';
import { Image } from './image.ts';
import { LogBuffers } from './log-buffers.ts';
import type { Publication } from './publication.ts';
import { Subscription } from './subscription.ts';

const NULL_VALUE = -1;
const NS_PER_MS = 1_000_000;
/** Driver responses read per duty cycle at most (keeps one cycle short). */
const MAX_EVENTS_PER_DUTY_CYCLE = 256;
/** Driver system counter of the control protocol version. */
const SYSTEM_COUNTER_ID_CONTROL_PROTOCOL_VERSION = 43;
/** `ChannelEndpointStatus`. */
const CHANNEL_STATUS_INITIALIZING = 0;
const CHANNEL_STATUS_ACTIVE = 1;
/** Version info appended to the heartbeat counter's label (Java: `version=<v> commit=<sha>`). */
const CLIENT_VERSION_INFO = 'version=0.1.0 commit=aeron-ts';

/** The mapped, validated CnC file a conductor runs on (owned by the conductor from then on). */
export interface ConnectedCnc {
  /** The mapped `cnc.dat`; the conductor unmaps it on close. */
  readonly file: MappedFile;
  /** Its header (versions, region lengths, client liveness timeout). */
  readonly header: CncHeader;
  /** Views of its regions (to-driver ring, to-clients broadcast, counters, error log). */
  readonly regions: CncRegions;
  /** The to-driver ring buffer commands are written to. */
  readonly toDriver: ManyToOneRingBuffer;
}

type PendingKind =
  | 'publication'
  | 'exclusive-publication'
  | 'subscription'
  | 'counter'
  | 'static-counter'
  | 'operation'
  | 'session-id'
  | 'ignore';

/**
 * What to release when an awaited command is aborted before its answer: called with the command's correlation
 * id (e.g. send REMOVE_PUBLICATION for an ADD_PUBLICATION that may still succeed).
 */
type ReleaseOnAbort = (correlationId: number) => void;

/** A command awaiting the driver's response. `resolve` is null for the poll-able async forms. */
interface PendingCommand {
  readonly kind: PendingKind;
  readonly deadlineNs: number;
  readonly channel: string;
  readonly streamId: number;
  readonly availableImageHandler: AvailableImageHandler | null;
  readonly unavailableImageHandler: UnavailableImageHandler | null;
  resolve: ((value: unknown) => void) | null;
  reject: ((error: AeronError) => void) | null;
}

type Resource = Publication | Subscription | Counter;

/**
 * The client's duty cycle and its bookkeeping of commands, publications, subscriptions, images and counters (see the
 * module comment); what `Aeron` delegates to. Commands never block: the Promise forms resolve from a later duty cycle.
 * Java: `ClientConductor`.
 */
export class ClientConductor implements ClientConductorContract, DriverEventsListener, CounterOwner {
  /** Reader of the driver's counters (publication limits, subscriber positions, heartbeats, …). */
  readonly countersReader: CountersReader;
  /** This client's id, taken from the to-driver ring's correlation counter at construction. */
  readonly clientId: number;
  /** The resolved options. */
  readonly context: AeronContext;
  /** Control protocol version the driver announces (system counter 43), 0 if it does not. */
  readonly controlProtocolVersion: number;
  /**
   * The driver's client liveness timeout (ns, from the CnC header): a duty cycle gap longer than this is fatal
   * (`CONDUCTOR_SERVICE_TIMEOUT`).
   */
  readonly interServiceTimeoutNs: number;

  readonly #cnc: ConnectedCnc;
  readonly #driverProxy: DriverProxy;
  readonly #adapter: DriverEventsAdapter;
  readonly #inFlight = new Set<number>();
  readonly #pending = new Map<number, PendingCommand>();
  readonly #resources = new Map<number, Resource>();
  readonly #asyncErrors = new Map<number, AeronError>();
  readonly #logBuffersById = new Map<number, LogBuffers>();
  readonly #lingering: LogBuffers[] = [];
  readonly #availableCounterHandlers = new Map<number, AvailableCounterHandler>();
  readonly #unavailableCounterHandlers = new Map<number, UnavailableCounterHandler>();
  readonly #closeHandlers = new Map<number, () => void>();
  readonly #nowNs: () => number;
  readonly #epochMs: () => number;
  readonly #idleSleepNs: number;
  readonly #keepAliveIntervalNs: number;
  readonly #driverTimeoutNs: number;

  #timeOfLastKeepAliveNs: number;
  #timeOfLastServiceNs: number;
  #heartbeatCounterId = NULL_VALUE;
  #awaitedCount = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerDelayMs = 0;
  #isClosed = false;
  /** True from the start of `close()`: callbacks run during it see the client closed and cannot re-enter it. */
  #isClosing = false;
  /** The fatal error the client is terminating with, for the commands `close()` rejects (see `#terminate`). */
  #terminationCause: AeronError | null = null;
  #isInDutyCycle = false;

  constructor(context: AeronContext, cnc: ConnectedCnc) {
    this.context = context;
    this.#cnc = cnc;
    this.#nowNs = context.clocks.nanoTime;
    this.#epochMs = context.clocks.epochMs;
    this.#idleSleepNs = context.idleSleepDurationMs * NS_PER_MS;
    this.#keepAliveIntervalNs = context.keepAliveIntervalMs * NS_PER_MS;
    this.#driverTimeoutNs = context.driverTimeoutMs * NS_PER_MS;
    this.interServiceTimeoutNs = cnc.header.clientLivenessTimeoutNs;
    this.countersReader = new CountersReader(cnc.regions.countersMetadata, cnc.regions.countersValues);
    this.clientId = cnc.toDriver.nextCorrelationId();
    this.#driverProxy = new DriverProxy(cnc.toDriver, this.clientId);
    const receiver = new CopyBroadcastReceiver(new BroadcastReceiver(cnc.regions.toClients));
    this.#adapter = new DriverEventsAdapter(this.clientId, receiver, this, this.#inFlight);
    this.controlProtocolVersion = this.#readControlProtocolVersion();

    if (context.onAvailableCounter !== null) {
      this.#availableCounterHandlers.set(this.nextCorrelationId(), context.onAvailableCounter);
    }
    if (context.onUnavailableCounter !== null) {
      this.#unavailableCounterHandlers.set(this.nextCorrelationId(), context.onUnavailableCounter);
    }
    if (context.onClose !== null) this.#closeHandlers.set(this.nextCorrelationId(), context.onClose);

    const nowNs = this.#nowNs();
    this.#timeOfLastKeepAliveNs = nowNs;
    this.#timeOfLastServiceNs = nowNs;
  }

  /** Starts the duty-cycle timer (not in invoker mode). */
  start(): void {
    if (!this.context.useConductorAgentInvoker) this.#schedule(this.context.idleSleepDurationMs);
  }

  /** Whether the conductor is closed or closing. */
  get isClosed(): boolean {
    return this.#isClosed || this.#isClosing;
  }

  /** The Aeron directory's to-driver ring (for tools; commands go through the conductor). */
  get driverProxy(): DriverProxy {
    return this.#driverProxy;
  }

  /** A new id from the driver's shared correlation counter (unique across clients). */
  nextCorrelationId(): number {
    return this.#cnc.toDriver.nextCorrelationId();
  }

  /** Epoch ms of the driver's last heartbeat. */
  driverHeartbeatMs(): number {
    return this.#driverProxy.timeOfLastDriverKeepaliveMs();
  }

  /** Counter id of this client's heartbeat counter once found, else -1. */
  get heartbeatCounterId(): number {
    return this.#heartbeatCounterId;
  }

  // ---- duty cycle ----------------------------------------------------------------------------------------

  /** One duty cycle. Returns the amount of work done. Errors go to the error handler; never throws. */
  doWork(): number {
    if (this.#isClosed || this.#isClosing || this.#isInDutyCycle) return 0;
    this.#isInDutyCycle = true;
    try {
      return this.#service();
    } catch (e) {
      const error = toAeronError(e);
      if (this.#adapter.isInvalid) {
        // Java `ClientConductor.service`: terminate, then AeronException("Driver events adapter is
        // invalid", cause) to the error handler; the cause is "unable to keep up with broadcast" when lapped.
        this.#terminate(
          new DriverEventsInvalidError(`Driver events adapter is invalid: ${errorMessage(e)}`, { cause: e }),
        );
      } else {
        this.#handleError(error);
      }
      return 0;
    } finally {
      this.#isInDutyCycle = false;
    }
  }

  #service(): number {
    const nowNs = this.#nowNs();
    let workCount = 0;
    if (this.#timeOfLastServiceNs + this.#idleSleepNs - nowNs < 0) {
      const intervalNs = nowNs - this.#timeOfLastServiceNs;
      if (intervalNs > this.interServiceTimeoutNs) {
        this.#receiveEvents(); // a client timeout already announced by the driver is the better diagnosis
        if (this.#isClosed) return 1;
        this.#terminate(
          new ConductorServiceTimeoutError(
            `service interval exceeded: timeout=${this.interServiceTimeoutNs / NS_PER_MS}ms, interval=${Math.round(intervalNs / NS_PER_MS)}ms`,
          ),
        );
        return 1;
      }
      this.#timeOfLastServiceNs = nowNs;
      workCount += this.#checkLiveness(nowNs);
      if (this.#isClosed) return workCount;
      workCount += this.#checkLingeringResources(nowNs);
    }
    if (this.#pending.size > 0) workCount += this.#checkCommandDeadlines(nowNs);
    workCount += this.#receiveEvents();
    return workCount;
  }

  #receiveEvents(): number {
    let count = 0;
    while (count < MAX_EVENTS_PER_DUTY_CYCLE && !this.#isClosed && this.#adapter.receive() > 0) count++;
    return count;
  }

  #onTimer = (): void => {
    this.#timer = undefined;
    this.doWork();
    if (this.#isClosed) return;
    if (!this.context.useConductorAgentInvoker) {
      this.#schedule(
        this.#awaitedCount > 0 || this.#pending.size > 0
          ? this.context.awaitingIdleSleepMs
          : this.context.idleSleepDurationMs,
      );
    } else if (this.#awaitedCount > 0) {
      this.#schedule(this.context.awaitingIdleSleepMs);
    }
  };

  #schedule(delayMs: number): void {
    if (this.#isClosed || this.#isClosing) return;
    if (this.#timer !== undefined) {
      if (this.#timerDelayMs <= delayMs) return;
      clearTimeout(this.#timer);
    }
    this.#timerDelayMs = delayMs;
    this.#timer = setTimeout(this.#onTimer, delayMs);
    if (this.context.unrefTimer) this.#timer.unref();
  }

  #checkLiveness(nowNs: number): number {
    if (this.#timeOfLastKeepAliveNs + this.#keepAliveIntervalNs - nowNs >= 0) return 0;
    const nowMs = this.#epochMs();
    const lastKeepAliveMs = this.#driverProxy.timeOfLastDriverKeepaliveMs();
    if (nowMs > lastKeepAliveMs + this.context.driverTimeoutMs) {
      this.#terminate(
        new DriverTimeoutError(
          lastKeepAliveMs === NULL_VALUE
            ? `MediaDriver (${this.context.aeronDir}) has been shutdown`
            : `MediaDriver (${this.context.aeronDir}) keepalive: age=${nowMs - lastKeepAliveMs}ms > timeout=${this.context.driverTimeoutMs}ms`,
        ),
      );
      return 1;
    }
    const values = this.countersReader.valuesBuffer;
    if (this.#heartbeatCounterId === NULL_VALUE) {
      const counterId = this.#findHeartbeatCounter();
      if (counterId !== NULL_VALUE) {
        this.#heartbeatCounterId = counterId;
        values.putInt64Ordered(counterOffset(counterId), nowMs);
        this.#appendToHeartbeatLabel(counterId, ` name=${this.context.clientName} ${CLIENT_VERSION_INFO}`);
        this.#timeOfLastKeepAliveNs = nowNs;
      }
    } else {
      const counterId = this.#heartbeatCounterId;
      if (!this.#isHeartbeatCounterActive(counterId)) {
        this.#terminate(new ClientTimeoutError(`unexpected close of heartbeat timestamp counter: ${counterId}`));
        return 1;
      }
      values.putInt64Ordered(counterOffset(counterId), nowMs);
      this.#timeOfLastKeepAliveNs = nowNs;
    }
    return 1;
  }

  #findHeartbeatCounter(): number {
    const metadata = this.countersReader.metadataBuffer;
    const maxId = this.countersReader.maxCounterId;
    for (let counterId = 0; counterId <= maxId; counterId++) {
      const offset = counterId * METADATA_LENGTH;
      if (offset + METADATA_LENGTH > metadata.capacity) break;
      const state = metadata.getInt32Volatile(offset);
      if (state === RECORD_ALLOCATED) {
        if (
          metadata.getInt32(offset + TYPE_ID_OFFSET) === DRIVER_HEARTBEAT_TYPE_ID &&
          metadata.getInt64(offset + KEY_OFFSET) === this.clientId
        ) {
          return counterId;
        }
      } else if (state === RECORD_UNUSED) {
        break;
      }
    }
    return NULL_VALUE;
  }

  #isHeartbeatCounterActive(counterId: number): boolean {
    const metadata = this.countersReader.metadataBuffer;
    const offset = counterId * METADATA_LENGTH;
    return (
      metadata.getInt32(offset + TYPE_ID_OFFSET) === DRIVER_HEARTBEAT_TYPE_ID &&
      metadata.getInt64(offset + KEY_OFFSET) === this.clientId &&
      metadata.getInt32Volatile(offset) === RECORD_ALLOCATED
    );
  }

  /** `AeronCounters.appendToLabel`: ASCII after the existing label, truncated at 380 bytes, length released last. */
  #appendToHeartbeatLabel(counterId: number, value: string): void {
    const metadata = this.countersReader.metadataBuffer;
    const offset = counterId * METADATA_LENGTH;
    if (metadata.getInt32Volatile(offset) !== RECORD_ALLOCATED) return;
    const existing = metadata.getInt32(offset + LABEL_OFFSET);
    const written = Math.max(0, Math.min(value.length, MAX_LABEL_LENGTH - existing));
    if (written > 0) {
      metadata.putStringWithoutLengthAscii(offset + LABEL_OFFSET + 4 + existing, value.slice(0, written));
      metadata.putInt32Ordered(offset + LABEL_OFFSET, existing + written);
    }
  }

  #checkLingeringResources(nowNs: number): number {
    const lingering = this.#lingering;
    let workCount = 0;
    for (let i = lingering.length - 1; i >= 0; i--) {
      const logBuffers = lingering[i]!;
      if (logBuffers.lingerDeadlineNs - nowNs < 0) {
        lingering.splice(i, 1);
        this.#closeLogBuffers(logBuffers);
        workCount++;
      }
    }
    return workCount;
  }

  #checkCommandDeadlines(nowNs: number): number {
    let workCount = 0;
    for (const [correlationId, pending] of this.#pending) {
      if (pending.deadlineNs - nowNs < 0) {
        this.#pending.delete(correlationId);
        this.#inFlight.delete(correlationId);
        const error = new DriverTimeoutError(
          `no response from MediaDriver within ${this.context.driverTimeoutMs}ms (correlationId=${correlationId})`,
        );
        this.#fail(correlationId, pending, error);
        workCount++;
      }
    }
    return workCount;
  }

  #readControlProtocolVersion(): number {
    const counters = this.countersReader;
    const id = SYSTEM_COUNTER_ID_CONTROL_PROTOCOL_VERSION;
    if (id > counters.maxCounterId) return 0;
    if (
      counters.getCounterState(id) === RECORD_ALLOCATED &&
      counters.getCounterTypeId(id) === DRIVER_SYSTEM_COUNTER_TYPE_ID &&
      counters.getCounterRegistrationId(id) === id
    ) {
      return counters.getCounterValue(id);
    }
    return 0;
  }

  // ---- commands --------------------------------------------------------------------------------------------

  /**
   * Commands never block here, so unlike Java (which throws "reentrant calls not permitted during callbacks")
   * they may be issued from inside callbacks (e.g. add a publication from an available-image handler).
   */
  #ensureActive(): void {
    if (this.#isClosed || this.#isClosing) throw new AeronClosedError();
  }

  /** Registers a command in flight. `awaited` = a Promise waits for it. */
  #track(
    correlationId: number,
    kind: PendingKind,
    channel = '',
    streamId = 0,
    availableImageHandler: AvailableImageHandler | null = null,
    unavailableImageHandler: UnavailableImageHandler | null = null,
  ): PendingCommand {
    const pending: PendingCommand = {
      kind,
      deadlineNs: this.#nowNs() + this.#driverTimeoutNs,
      channel,
      streamId,
      availableImageHandler,
      unavailableImageHandler,
      resolve: null,
      reject: null,
    };
    this.#inFlight.add(correlationId);
    this.#pending.set(correlationId, pending);
    if (!this.context.useConductorAgentInvoker) this.#schedule(this.context.awaitingIdleSleepMs);
    return pending;
  }

  /**
   * Turns a tracked command into a Promise of its result. When `signal` aborts before the answer, the command
   * stops being tracked (its answer is ignored), the Promise rejects with `AeronAbortedError` and `release`
   * undoes what the command may still do in the driver.
   */
  #await<T>(
    correlationId: number,
    pending: PendingCommand,
    what: string,
    signal: AbortSignal | undefined,
    release: ReleaseOnAbort | null,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#awaitedCount++;
      let onAbort: (() => void) | null = null;
      const settle = (): void => {
        this.#awaitedCount--;
        if (onAbort !== null) signal?.removeEventListener('abort', onAbort);
      };
      pending.resolve = (value) => {
        settle();
        resolve(value as T);
      };
      pending.reject = (error) => {
        settle();
        reject(error);
      };
      if (signal !== undefined) {
        onAbort = () => {
          if (this.#pending.get(correlationId) !== pending) return;
          this.#pending.delete(correlationId);
          this.#inFlight.delete(correlationId);
          settle();
          reject(abortedError(signal, what));
          if (release !== null && !this.isClosed) release(correlationId);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.#schedule(this.context.awaitingIdleSleepMs);
    });
  }

  /**
   * Sends a command (unless `options.signal` is already aborted) and awaits its answer (see `#await`).
   * `release` undoes an aborted command that may still succeed in the driver.
   */
  #command<T>(
    what: string,
    send: () => number,
    kind: PendingKind,
    options: AbortableOptions | undefined,
    release: ReleaseOnAbort | null = null,
    channel = '',
    streamId = 0,
    availableImageHandler: AvailableImageHandler | null = null,
    unavailableImageHandler: UnavailableImageHandler | null = null,
  ): Promise<T> {
    const signal = options?.signal;
    try {
      if (signal?.aborted === true) throw abortedError(signal, what);
      this.#ensureActive();
      const correlationId = send();
      const pending = this.#track(
        correlationId,
        kind,
        channel,
        streamId,
        availableImageHandler,
        unavailableImageHandler,
      );
      return this.#await<T>(correlationId, pending, what, signal, release);
    } catch (e) {
      return Promise.reject(toAeronError(e));
    }
  }

  /** Release of an aborted ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION: REMOVE_PUBLICATION of its registration. */
  readonly #removePublicationOnAbort: ReleaseOnAbort = (registrationId) =>
    this.#sendIgnoringResult(() => this.#driverProxy.removePublication(registrationId, false));

  /** Release of an aborted ADD_SUBSCRIPTION: REMOVE_SUBSCRIPTION of its registration. */
  readonly #removeSubscriptionOnAbort: ReleaseOnAbort = (registrationId) =>
    this.#sendIgnoringResult(() => this.#driverProxy.removeSubscription(registrationId));

  /** Release of an aborted ADD_COUNTER: REMOVE_COUNTER of its registration. */
  readonly #removeCounterOnAbort: ReleaseOnAbort = (registrationId) =>
    this.#sendIgnoringResult(() => this.#driverProxy.removeCounter(registrationId));

  /** ADD_PUBLICATION awaited (`Aeron.addPublication`); an abort removes it again (REMOVE_PUBLICATION). */
  addPublication(channel: string, streamId: number, options?: AbortableOptions): Promise<ConcurrentPublication> {
    return this.#command(
      'addPublication',
      () => this.#driverProxy.addPublication(channel, streamId),
      'publication',
      options,
      this.#removePublicationOnAbort,
      channel,
      streamId,
    );
  }

  /** ADD_EXCLUSIVE_PUBLICATION awaited; an abort removes it again (REMOVE_PUBLICATION). */
  addExclusivePublication(
    channel: string,
    streamId: number,
    options?: AbortableOptions,
  ): Promise<ExclusivePublication> {
    return this.#command(
      'addExclusivePublication',
      () => this.#driverProxy.addExclusivePublication(channel, streamId),
      'exclusive-publication',
      options,
      this.#removePublicationOnAbort,
      channel,
      streamId,
    );
  }

  /**
   * ADD_PUBLICATION without a Promise: returns the correlation id to poll with `getPublication`. Throws
   * `AeronClosedError` (`CLOSED`) when closed.
   */
  asyncAddPublication(channel: string, streamId: number): number {
    this.#ensureActive();
    const id = this.#driverProxy.addPublication(channel, streamId);
    this.#track(id, 'publication', channel, streamId);
    return id;
  }

  /**
   * ADD_EXCLUSIVE_PUBLICATION without a Promise: returns the correlation id to poll with `getExclusivePublication`.
   * Throws `AeronClosedError` (`CLOSED`) when closed.
   */
  asyncAddExclusivePublication(channel: string, streamId: number): number {
    this.#ensureActive();
    const id = this.#driverProxy.addExclusivePublication(channel, streamId);
    this.#track(id, 'exclusive-publication', channel, streamId);
    return id;
  }

  /**
   * The publication once ready, null while pending (services the conductor once first); throws the registration error
   * once, `AeronClosedError` (`CLOSED`) when closed.
   */
  getPublication(registrationId: number): ConcurrentPublication | null {
    return this.#resourceOrThrow(registrationId, ConcurrentPublication);
  }

  /** As `getPublication`, for an exclusive publication. */
  getExclusivePublication(registrationId: number): ExclusivePublication | null {
    return this.#resourceOrThrow(registrationId, ExclusivePublication);
  }

  /** ADD_SUBSCRIPTION awaited (`Aeron.addSubscription`); an abort removes it again (REMOVE_SUBSCRIPTION). */
  addSubscription(
    channel: string,
    streamId: number,
    availableImageHandler: AvailableImageHandler | null = this.context.onAvailableImage,
    unavailableImageHandler: UnavailableImageHandler | null = this.context.onUnavailableImage,
    options?: AbortableOptions,
  ): Promise<Subscription> {
    return this.#command(
      'addSubscription',
      () => this.#driverProxy.addSubscription(channel, streamId),
      'subscription',
      options,
      this.#removeSubscriptionOnAbort,
      channel,
      streamId,
      availableImageHandler,
      unavailableImageHandler,
    );
  }

  /**
   * ADD_SUBSCRIPTION without a Promise: returns the correlation id to poll with `getSubscription`. Throws
   * `AeronClosedError` (`CLOSED`) when closed.
   */
  asyncAddSubscription(
    channel: string,
    streamId: number,
    availableImageHandler: AvailableImageHandler | null = this.context.onAvailableImage,
    unavailableImageHandler: UnavailableImageHandler | null = this.context.onUnavailableImage,
  ): number {
    this.#ensureActive();
    const id = this.#driverProxy.addSubscription(channel, streamId);
    this.#track(id, 'subscription', channel, streamId, availableImageHandler, unavailableImageHandler);
    return id;
  }

  /** As `getPublication`, for a subscription. */
  getSubscription(registrationId: number): Subscription | null {
    return this.#resourceOrThrow(registrationId, Subscription);
  }

  /** ADD_COUNTER awaited (`Aeron.addCounter`); an abort removes it again (REMOVE_COUNTER). */
  addCounter(typeId: number, label: string, key?: Uint8Array, options?: AbortableOptions): Promise<Counter> {
    try {
      checkCounterArgs(label, key);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#command(
      'addCounter',
      () => this.#driverProxy.addCounter(typeId, label, key),
      'counter',
      options,
      this.#removeCounterOnAbort,
    );
  }

  /**
   * ADD_COUNTER without a Promise: returns the correlation id to poll with `getCounter`. Throws `InvalidArgumentError`
   * (`INVALID_ARGUMENT`) for a label over 380 characters or a key over 112 bytes, `AeronClosedError` (`CLOSED`) when
   * closed.
   */
  asyncAddCounter(typeId: number, label: string, key?: Uint8Array): number {
    this.#ensureActive();
    checkCounterArgs(label, key);
    const id = this.#driverProxy.addCounter(typeId, label, key);
    this.#track(id, 'counter');
    return id;
  }

  /**
   * A static counter outlives its client: an aborted one is not removed (there is nothing of this client's to remove).
   */
  addStaticCounter(
    typeId: number,
    label: string,
    registrationId: number,
    key?: Uint8Array,
    options?: AbortableOptions,
  ): Promise<Counter> {
    try {
      checkCounterArgs(label, key);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#command(
      'addStaticCounter',
      () => this.#driverProxy.addStaticCounter(typeId, label, registrationId, key),
      'static-counter',
      options,
    );
  }

  /** As `getPublication`, for a counter. */
  getCounter(registrationId: number): Counter | null {
    return this.#resourceOrThrow(registrationId, Counter);
  }

  /** True while the command is in flight (services the conductor once first, as Java). */
  isCommandActive(correlationId: number): boolean {
    if (this.#isClosed) return false;
    if (this.#pending.has(correlationId)) this.doWork();
    return this.#pending.has(correlationId);
  }

  /** Whether any command is still awaiting its response (false once closed). */
  hasActiveCommands(): boolean {
    return !this.#isClosed && this.#pending.size > 0;
  }

  /**
   * A session id not in use for `streamId`, from the driver (control protocol >= 1.0.0), else a random one
   * (Java's fallback).
   */
  nextSessionId(streamId: number, options?: AbortableOptions): Promise<number> {
    if (options?.signal?.aborted === true) return Promise.reject(abortedError(options.signal, 'nextSessionId'));
    if (this.controlProtocolVersion < CONTROL_PROTOCOL_SEMANTIC_VERSION) {
      return Promise.resolve(crypto.getRandomValues(new Int32Array(1))[0] ?? 0);
    }
    return this.#command(
      'nextSessionId',
      () => this.#driverProxy.nextAvailableSessionId(streamId),
      'session-id',
      options,
    );
  }

  /**
   * REMOVE_PUBLICATION for a registration id, whether or not this client holds it; closes the local
   * publication if it does. Resolves on the driver's OK; an unknown id → `RegistrationError`
   * (UNKNOWN_PUBLICATION).
   */
  removePublication(registrationId: number, revoke = false, options?: AbortableOptions): Promise<void> {
    if (options?.signal?.aborted === true) return Promise.reject(abortedError(options.signal, 'removePublication'));
    const resource = this.#resources.get(registrationId);
    if (
      resource !== undefined &&
      !(resource instanceof ConcurrentPublication || resource instanceof ExclusivePublication)
    ) {
      return Promise.reject(new UnknownAeronError(`registration id is not a Publication: ${registrationId}`));
    }
    if (resource !== undefined) {
      this.#resources.delete(registrationId);
      resource.internalClose();
      this.#releaseLogBuffers(resource.logBuffers, resource.originalRegistrationId, EXPLICIT_CLOSE_LINGER_MS);
    }
    this.#forgetPending(registrationId);
    return this.#command(
      'removePublication',
      () => this.#driverProxy.removePublication(registrationId, revoke || (resource?.revokeOnClose ?? false)),
      'operation',
      options,
    );
  }

  /** REMOVE_SUBSCRIPTION (see `removePublication`); an unknown id → `RegistrationError` (UNKNOWN_SUBSCRIPTION). */
  removeSubscription(registrationId: number, options?: AbortableOptions): Promise<void> {
    if (options?.signal?.aborted === true) return Promise.reject(abortedError(options.signal, 'removeSubscription'));
    const resource = this.#resources.get(registrationId);
    if (resource !== undefined && !(resource instanceof Subscription)) {
      return Promise.reject(new UnknownAeronError(`registration id is not a Subscription: ${registrationId}`));
    }
    if (resource !== undefined) {
      this.#resources.delete(registrationId);
      this.#closeImages(resource.internalClose(), resource.unavailableImageHandler, EXPLICIT_CLOSE_LINGER_MS);
    }
    this.#forgetPending(registrationId);
    return this.#command(
      'removeSubscription',
      () => this.#driverProxy.removeSubscription(registrationId),
      'operation',
      options,
    );
  }

  /** REMOVE_COUNTER (see `removePublication`); an unknown id → `RegistrationError` (UNKNOWN_COUNTER). */
  removeCounter(registrationId: number, options?: AbortableOptions): Promise<void> {
    if (options?.signal?.aborted === true) return Promise.reject(abortedError(options.signal, 'removeCounter'));
    const resource = this.#resources.get(registrationId);
    if (resource !== undefined && !(resource instanceof Counter)) {
      return Promise.reject(new UnknownAeronError(`registration id is not a Counter: ${registrationId}`));
    }
    if (resource !== undefined) {
      this.#resources.delete(registrationId);
      resource.internalClose();
    }
    this.#forgetPending(registrationId);
    return this.#command('removeCounter', () => this.#driverProxy.removeCounter(registrationId), 'operation', options);
  }

  #forgetPending(correlationId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    this.#inFlight.delete(correlationId);
    pending.reject?.(new AeronClosedError(`registration ${correlationId} was removed before it was ready`));
  }

  /**
   * ADD_DESTINATION. Aborted before the answer: REMOVE_DESTINATION_BY_ID of this command's correlation id (the
   * destination's registration id), which removes exactly this destination if it was added.
   */
  addDestination(
    publicationRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void> {
    return this.#command(
      'addDestination',
      () => this.#driverProxy.addDestination(publicationRegistrationId, endpointChannel),
      'operation',
      options,
      (destinationRegistrationId) =>
        this.#sendIgnoringResult(() =>
          this.#driverProxy.removeDestinationById(publicationRegistrationId, destinationRegistrationId),
        ),
    );
  }

  /** REMOVE_DESTINATION by channel; an abort only stops the wait. */
  removeDestination(
    publicationRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void> {
    return this.#command(
      'removeDestination',
      () => this.#driverProxy.removeDestination(publicationRegistrationId, endpointChannel),
      'operation',
      options,
    );
  }

  /** REMOVE_DESTINATION_BY_ID; an abort only stops the wait. */
  removeDestinationById(
    publicationRegistrationId: number,
    destinationRegistrationId: number,
    options?: AbortableOptions,
  ): Promise<void> {
    return this.#command(
      'removeDestinationById',
      () => this.#driverProxy.removeDestinationById(publicationRegistrationId, destinationRegistrationId),
      'operation',
      options,
    );
  }

  /**
   * ADD_RCV_DESTINATION. Aborted before the answer: the command stays tracked, and if the driver then answers
   * OK, REMOVE_RCV_DESTINATION of the same channel follows (there is no remove by id for these; removing only
   * after a success never removes a destination this call did not add).
   */
  addRcvDestination(
    subscriptionRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void> {
    return this.#command(
      'addRcvDestination',
      () => this.#driverProxy.addRcvDestination(subscriptionRegistrationId, endpointChannel),
      'operation',
      options,
      (correlationId) => {
        // Track the aborted command again, silently, to remove the destination once it was added.
        const pending = this.#track(correlationId, 'ignore');
        pending.resolve = () =>
          this.#sendIgnoringResult(() =>
            this.#driverProxy.removeRcvDestination(subscriptionRegistrationId, endpointChannel),
          );
      },
    );
  }

  /** REMOVE_RCV_DESTINATION; an abort only stops the wait. */
  removeRcvDestination(
    subscriptionRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void> {
    return this.#command(
      'removeRcvDestination',
      () => this.#driverProxy.removeRcvDestination(subscriptionRegistrationId, endpointChannel),
      'operation',
      options,
    );
  }

  /** REJECT_IMAGE (`Image.reject`); an abort only stops the wait. */
  rejectImage(imageCorrelationId: number, position: number, reason: string, options?: AbortableOptions): Promise<void> {
    return this.#command(
      'rejectImage',
      () => this.#driverProxy.rejectImage(imageCorrelationId, position, reason),
      'operation',
      options,
    );
  }

  // ---- handlers --------------------------------------------------------------------------------------------

  /**
   * Registers an available-counter handler under a new correlation id, which it returns. Throws `AeronClosedError`
   * (`CLOSED`) when closed.
   */
  addAvailableCounterHandler(handler: AvailableCounterHandler): number {
    this.#ensureActive();
    const id = this.nextCorrelationId();
    this.#availableCounterHandlers.set(id, handler);
    return id;
  }

  /** Removes an available-counter handler by id or function; returns whether one was removed. */
  removeAvailableCounterHandler(idOrHandler: number | AvailableCounterHandler): boolean {
    return removeHandler(this.#availableCounterHandlers, idOrHandler);
  }

  /**
   * Registers an unavailable-counter handler under a new correlation id, which it returns. Throws `AeronClosedError`
   * (`CLOSED`) when closed.
   */
  addUnavailableCounterHandler(handler: UnavailableCounterHandler): number {
    this.#ensureActive();
    const id = this.nextCorrelationId();
    this.#unavailableCounterHandlers.set(id, handler);
    return id;
  }

  /** Removes an unavailable-counter handler by id or function; returns whether one was removed. */
  removeUnavailableCounterHandler(idOrHandler: number | UnavailableCounterHandler): boolean {
    return removeHandler(this.#unavailableCounterHandlers, idOrHandler);
  }

  /**
   * Registers a close handler under a new correlation id, which it returns. Throws `AeronClosedError` (`CLOSED`) when
   * closed.
   */
  addCloseHandler(handler: () => void): number {
    this.#ensureActive();
    const id = this.nextCorrelationId();
    this.#closeHandlers.set(id, handler);
    return id;
  }

  /** Removes a close handler by id or function; returns whether one was removed. */
  removeCloseHandler(idOrHandler: number | (() => void)): boolean {
    return removeHandler(this.#closeHandlers, idOrHandler);
  }

  // ---- ClientConductorContract / CounterOwner --------------------------------------------------------------

  /**
   * `Publication.close()`: closes it, lingers its log buffers (1 s) and sends REMOVE_PUBLICATION (with its revoke
   * flag). See `ClientConductorContract.releasePublication`.
   */
  releasePublication(publication: Publication): void {
    if (this.#isClosed) {
      publication.internalClose();
      return;
    }
    if (publication.isClosed) return;
    publication.internalClose();
    if (this.#resources.get(publication.registrationId) === publication) {
      this.#resources.delete(publication.registrationId);
      this.#releaseLogBuffers(publication.logBuffers, publication.originalRegistrationId, EXPLICIT_CLOSE_LINGER_MS);
      this.#sendIgnoringResult(() =>
        this.#driverProxy.removePublication(publication.registrationId, publication.revokeOnClose),
      );
    }
  }

  /**
   * `Subscription.close()`: closes it and its images (unavailable-image handler per image) and sends
   * REMOVE_SUBSCRIPTION. See `ClientConductorContract.releaseSubscription`.
   */
  releaseSubscription(subscription: Subscription): void {
    if (subscription.isClosed) return;
    const images = subscription.internalClose();
    if (this.#isClosed) return;
    this.#closeImages(images, subscription.unavailableImageHandler, EXPLICIT_CLOSE_LINGER_MS);
    if (this.#resources.get(subscription.registrationId) === subscription) {
      this.#resources.delete(subscription.registrationId);
      this.#sendIgnoringResult(() => this.#driverProxy.removeSubscription(subscription.registrationId));
    }
  }

  /**
   * `Counter.close()`: closes it and, for a counter this client owns (not a static one), sends REMOVE_COUNTER. See
   * `CounterOwner.releaseCounter`.
   */
  releaseCounter(counter: Counter): void {
    counter.internalClose();
    if (this.#isClosed) return;
    if (this.#resources.get(counter.correlationId) === counter) {
      this.#resources.delete(counter.correlationId);
      if (counter.clientOwned) this.#sendIgnoringResult(() => this.#driverProxy.removeCounter(counter.registrationId));
    }
  }

  /**
   * Value of a channel status indicator: 0 (INITIALIZING) for id 0, 1 (ACTIVE) for -1 (no indicator, e.g. IPC), else
   * the counter's value. See `ClientConductorContract.channelStatus`.
   */
  channelStatus(channelStatusId: number): number {
    if (channelStatusId === 0) return CHANNEL_STATUS_INITIALIZING;
    if (channelStatusId === NULL_VALUE) return CHANNEL_STATUS_ACTIVE;
    return this.countersReader.getCounterValue(channelStatusId);
  }

  /**
   * Bound `host:port` addresses of an ACTIVE channel (empty otherwise), from the driver's local socket address counters
   * (type 14). See `ClientConductorContract.localSocketAddresses`.
   */
  localSocketAddresses(channelStatusId: number): string[] {
    if (this.#isClosed || this.channelStatus(channelStatusId) !== CHANNEL_STATUS_ACTIVE) return [];
    const addresses: string[] = [];
    const counters = this.countersReader;
    const metadata = counters.metadataBuffer;
    counters.forEach((counterId, typeId) => {
      if (typeId !== DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID) return;
      const keyIndex = counterId * METADATA_LENGTH + KEY_OFFSET;
      if (
        metadata.getInt32(keyIndex) === channelStatusId &&
        counters.getCounterValue(counterId) === CHANNEL_STATUS_ACTIVE
      ) {
        const length = metadata.getInt32(keyIndex + 4);
        if (length > 0) addresses.push(metadata.getStringWithoutLengthAscii(keyIndex + 8, length));
      }
    });
    return addresses;
  }

  #sendIgnoringResult(send: () => number): void {
    try {
      this.#track(send(), 'ignore');
    } catch (e) {
      this.#handleError(e);
    }
  }

  // ---- DriverEventsListener ------------------------------------------------------------------------------

  /**
   * ON_ERROR for a command in flight: rejects it with `RegistrationError` (`REGISTRATION`), or keeps the error for the
   * `get*` poll.
   */
  onError(correlationId: number, errorCode: number, message: string): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    this.#fail(correlationId, pending, new RegistrationError(correlationId, errorCode, message));
  }

  /**
   * ON_ERROR with CHANNEL_ENDPOINT_ERROR: a `RegistrationError` to the error handler for each publication or
   * subscription on that channel status indicator.
   */
  onChannelEndpointError(channelStatusId: number, message: string): void {
    for (const resource of this.#resources.values()) {
      if (
        (resource instanceof Subscription && resource.channelStatusId === channelStatusId) ||
        ((resource instanceof ConcurrentPublication || resource instanceof ExclusivePublication) &&
          resource.channelStatusId === channelStatusId)
      ) {
        this.#handleError(new RegistrationError(channelStatusId, ErrorCode.CHANNEL_ENDPOINT_ERROR, message));
      }
    }
  }

  /**
   * ON_PUBLICATION_READY / ON_EXCLUSIVE_PUBLICATION_READY: maps (or shares) the log buffers, creates the publication,
   * calls the new-publication handler and settles the add.
   */
  onNewPublication(ready: PublicationReady, exclusive: boolean): void {
    const pending = this.#pending.get(ready.correlationId);
    if (pending === undefined) return;
    this.#pending.delete(ready.correlationId);
    let publication: ConcurrentPublication | ExclusivePublication;
    try {
      const params = {
        conductor: this,
        channel: pending.channel,
        streamId: ready.streamId,
        sessionId: ready.sessionId,
        positionLimitCounterId: ready.publicationLimitCounterId,
        channelStatusId: ready.channelStatusIndicatorId,
        logBuffers: this.#logBuffers(ready.registrationId, ready.logFileName),
        originalRegistrationId: ready.registrationId,
        registrationId: ready.correlationId,
      };
      publication = exclusive ? new ExclusivePublication(params) : new ConcurrentPublication(params);
    } catch (e) {
      this.#fail(
        ready.correlationId,
        pending,
        new UnknownAeronError(
          `[clientId=${this.clientId}] failed to map log buffer with registrationId=${ready.registrationId}, channel=${pending.channel}: ${errorMessage(e)}`,
          { cause: e },
        ),
      );
      return;
    }
    this.#resources.set(ready.correlationId, publication);
    const handler = exclusive ? this.context.onNewExclusivePublication : this.context.onNewPublication;
    if (handler !== null) {
      this.#callback(() => handler(pending.channel, ready.streamId, ready.sessionId, ready.correlationId));
    }
    this.#settleNew(pending, publication);
  }

  /** Resolves an add with its new resource, or rejects it when a callback closed the client meanwhile. */
  #settleNew(pending: PendingCommand, resource: Resource): void {
    if (this.isClosed) pending.reject?.(this.#terminationCause ?? new AeronClosedError());
    else pending.resolve?.(resource);
  }

  /** ON_SUBSCRIPTION_READY: creates the subscription, calls the new-subscription handler and settles the add. */
  onNewSubscription(correlationId: number, channelStatusIndicatorId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    const subscription = new Subscription({
      conductor: this,
      channel: pending.channel,
      streamId: pending.streamId,
      registrationId: correlationId,
      availableImageHandler: pending.availableImageHandler,
      unavailableImageHandler: pending.unavailableImageHandler,
    });
    subscription.setChannelStatusId(channelStatusIndicatorId);
    this.#resources.set(correlationId, subscription);
    const handler = this.context.onNewSubscription;
    if (handler !== null) this.#callback(() => handler(pending.channel, pending.streamId, correlationId));
    this.#settleNew(pending, subscription);
  }

  /** ON_OPERATION_SUCCESS: resolves the command. */
  onOperationSuccess(correlationId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    pending.resolve?.(undefined);
  }

  /**
   * ON_AVAILABLE_IMAGE for one of this client's subscriptions: maps the log buffers, adds the image and calls the
   * available-image handler. A log that cannot be mapped goes to the error handler.
   */
  onAvailableImage(
    correlationId: number,
    sessionId: number,
    subscriptionRegistrationId: number,
    subscriberPositionId: number,
    logFileName: string,
    sourceIdentity: string,
  ): void {
    const subscription = this.#resources.get(subscriptionRegistrationId);
    if (!(subscription instanceof Subscription)) return;
    let image: Image;
    try {
      image = new Image({
        subscription,
        sessionId,
        subscriberPositionCounterId: subscriberPositionId,
        logBuffers: this.#logBuffers(correlationId, logFileName),
        errorHandler: this.context.subscriberErrorHandler,
        sourceIdentity,
        correlationId,
      });
    } catch (e) {
      this.#handleError(
        new UnknownAeronError(`failed to map image log buffer ${logFileName}: ${errorMessage(e)}`, { cause: e }),
      );
      return;
    }
    subscription.addImage(image);
    const handler = subscription.availableImageHandler;
    if (handler !== null) this.#callback(() => handler(image));
  }

  /**
   * ON_UNAVAILABLE_IMAGE: removes and closes the image, lingers its log buffers and calls the unavailable-image
   * handler.
   */
  onUnavailableImage(correlationId: number, subscriptionRegistrationId: number): void {
    const subscription = this.#resources.get(subscriptionRegistrationId);
    if (!(subscription instanceof Subscription)) return;
    const image = subscription.removeImage(correlationId);
    if (image === null) return;
    this.#closeImages([image], subscription.unavailableImageHandler, NULL_VALUE);
  }

  /**
   * ON_COUNTER_READY for this client's ADD_COUNTER: creates the counter and resolves the add, then calls the
   * available-counter handlers.
   */
  onNewCounter(correlationId: number, counterId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending !== undefined) {
      this.#pending.delete(correlationId);
      const counter = new Counter(this, this.countersReader, counterId, correlationId, correlationId, true);
      this.#resources.set(correlationId, counter);
      pending.resolve?.(counter);
    }
    this.onAvailableCounter(correlationId, counterId);
  }

  /**
   * Calls every available counter handler registered when the event arrived (a handler added or removed by one
   * of them takes effect from the next event; Java forbids both during callbacks).
   */
  onAvailableCounter(registrationId: number, counterId: number): void {
    for (const handler of Array.from(this.#availableCounterHandlers.values())) {
      if (this.#isClosed) return;
      this.#callback(() => handler(this.countersReader, registrationId, counterId));
    }
  }

  /** As `onAvailableCounter`, for the unavailable counter handlers. */
  onUnavailableCounter(registrationId: number, counterId: number): void {
    for (const handler of Array.from(this.#unavailableCounterHandlers.values())) {
      if (this.#isClosed) return;
      this.#callback(() => handler(this.countersReader, registrationId, counterId));
    }
  }

  /** ON_STATIC_COUNTER: creates the (not client-owned) counter and resolves the add. */
  onStaticCounter(correlationId: number, counterId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    const registrationId = this.countersReader.getCounterRegistrationId(counterId);
    const counter = new Counter(this, this.countersReader, counterId, registrationId, correlationId, false);
    this.#resources.set(correlationId, counter);
    pending.resolve?.(counter);
  }

  /** ON_CLIENT_TIMEOUT for this client: terminates it with `ClientTimeoutError` (`CLIENT_TIMEOUT`). */
  onClientTimeout(): void {
    if (!this.#isClosed) this.#terminate(new ClientTimeoutError('client timeout from driver'));
  }

  /**
   * ON_PUBLICATION_ERROR for one of this client's publications: a new `PublicationErrorFrame` to the context's
   * `onPublicationError`.
   */
  onPublicationError(frame: PublicationErrorFrameFlyweight): void {
    const handler = this.context.onPublicationError;
    if (handler === null) return;
    const registrationId = frame.registrationId();
    for (const resource of this.#resources.values()) {
      if (
        (resource instanceof ConcurrentPublication || resource instanceof ExclusivePublication) &&
        resource.originalRegistrationId === registrationId
      ) {
        const address = frame.sourceAddress();
        const report: PublicationErrorFrame = {
          registrationId,
          sessionId: frame.sessionId(),
          streamId: frame.streamId(),
          receiverId: frame.receiverId(),
          destinationRegistrationId: frame.destinationRegistrationId(),
          groupTag: frame.groupTag(),
          errorCode: frame.errorCode(),
          errorMessage: frame.errorMessage(),
          sourceAddress: address === '' ? null : `${address}:${frame.sourcePort()}`,
        };
        this.#callback(() => handler(report));
      }
    }
  }

  /** ON_NEXT_AVAILABLE_SESSION_ID: resolves `nextSessionId`. */
  onNextAvailableSessionId(correlationId: number, nextSessionId: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    pending.resolve?.(nextSessionId);
  }

  // ---- resources -------------------------------------------------------------------------------------------

  #resourceOrThrow<T extends Resource>(registrationId: number, type: abstract new (...args: never[]) => T): T | null {
    if (this.#isClosed) throw new AeronClosedError();
    if (this.#pending.has(registrationId)) this.doWork();
    const resource = this.#resources.get(registrationId);
    if (resource instanceof type) return resource;
    const error = this.#asyncErrors.get(registrationId);
    if (error !== undefined) {
      this.#asyncErrors.delete(registrationId);
      throw error;
    }
    return null;
  }

  /** Rejects a pending command (Promise form) or stores the error for the poll-able form. */
  #fail(correlationId: number, pending: PendingCommand, error: AeronError): void {
    if (pending.reject !== null) {
      pending.reject(error);
    } else if (pending.kind !== 'ignore') {
      this.#asyncErrors.set(correlationId, error);
    }
  }

  #logBuffers(registrationId: number, logFileName: string): LogBuffers {
    let logBuffers = this.#logBuffersById.get(registrationId);
    if (logBuffers === undefined) {
      logBuffers = LogBuffers.map(logFileName);
      if (this.context.preTouchMappedMemory) logBuffers.preTouch();
      this.#logBuffersById.set(registrationId, logBuffers);
    }
    logBuffers.incRef();
    return logBuffers;
  }

  /** Drops a use of a log; the last one lingers it (`lingerMs`, or the resource linger for -1). */
  #releaseLogBuffers(logBuffers: LogBuffers, registrationId: number, lingerMs: number): void {
    if (logBuffers.decRef() !== 0) return;
    if (this.#logBuffersById.get(registrationId) === logBuffers) this.#logBuffersById.delete(registrationId);
    const linger = lingerMs === NULL_VALUE ? this.context.resourceLingerDurationMs : lingerMs;
    logBuffers.lingerDeadlineNs = this.#nowNs() + linger * NS_PER_MS;
    this.#lingering.push(logBuffers);
  }

  #closeImages(images: readonly Image[], handler: UnavailableImageHandler | null, lingerMs: number): void {
    for (const image of images) this.#releaseLogBuffers(image.logBuffers, image.correlationId, lingerMs);
    if (handler !== null) {
      for (const image of images) this.#callback(() => handler(image));
    }
  }

  #closeLogBuffers(logBuffers: LogBuffers): void {
    try {
      logBuffers.close();
    } catch (e) {
      this.#handleError(e);
    }
  }

  #callback(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#handleError(e);
    }
  }

  #handleError(e: unknown): void {
    if (this.#isClosed) return;
    try {
      this.context.errorHandler(e);
    } catch {
      // an error handler that throws must not break the duty cycle
    }
  }

  // ---- close ---------------------------------------------------------------------------------------------

  /**
   * Fatal: report, then close the client. An error handler that closes the client itself (a common pattern)
   * still has the pending commands rejected with `error`.
   */
  #terminate(error: AeronError): void {
    if (this.isClosed) return;
    this.#terminationCause = error;
    this.#handleError(error);
    this.close(error);
  }

  /**
   * Closes the client: stops the timer, closes every publication, subscription (and image) and counter,
   * rejects every pending command — with the fatal `cause` when the client terminates itself (as Java hands
   * the liveness exception to the call awaiting a response), otherwise with `AeronClosedError` —, calls the close
   * handlers, unmaps every log buffer, sends CLIENT_CLOSE and unmaps the CnC file. Idempotent, and a no-op when called
   * again from a callback it runs (an unavailable counter or close handler).
   */
  close(cause?: AeronError): void {
    if (this.#isClosed || this.#isClosing) return;
    this.#isClosing = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#forceCloseResources();
    this.#isClosed = true;

    const closedError = cause ?? this.#terminationCause ?? new AeronClosedError('Aeron client is closed');
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#inFlight.clear();
    this.#asyncErrors.clear();
    for (const command of pending) command.reject?.(closedError);

    for (const handler of this.#closeHandlers.values()) {
      try {
        handler();
      } catch (e) {
        try {
          this.context.errorHandler(e);
        } catch {
          // ignore
        }
      }
    }
    this.#closeHandlers.clear();
    this.#availableCounterHandlers.clear();
    this.#unavailableCounterHandlers.clear();

    for (const logBuffers of this.#lingering) logBuffers.close();
    this.#lingering.length = 0;
    for (const logBuffers of this.#logBuffersById.values()) logBuffers.close();
    this.#logBuffersById.clear();

    try {
      this.#driverProxy.clientClose();
    } catch {
      // best effort: the driver may be gone
    }
    this.#cnc.file.close();
  }

  #forceCloseResources(): void {
    const resources = [...this.#resources.values()];
    this.#resources.clear();
    for (const resource of resources) {
      if (resource instanceof Subscription) {
        this.#closeImages(resource.internalClose(), null, NULL_VALUE);
      } else if (resource instanceof Counter) {
        resource.internalClose();
        if (resource.clientOwned) this.onUnavailableCounter(resource.registrationId, resource.id);
      } else {
        resource.internalClose();
        this.#releaseLogBuffers(resource.logBuffers, resource.originalRegistrationId, NULL_VALUE);
      }
    }
  }
}

function checkCounterArgs(label: string, key: Uint8Array | undefined): void {
  if (label.length > MAX_LABEL_LENGTH) {
    throw new InvalidArgumentError(`label length exceeds MAX_LABEL_LENGTH: ${label.length}`);
  }
  if (key !== undefined && key.length > 112) throw new InvalidArgumentError(`key length out of bounds: ${key.length}`);
}

function removeHandler<H>(handlers: Map<number, H>, idOrHandler: number | H): boolean {
  if (typeof idOrHandler === 'number') return handlers.delete(idOrHandler);
  for (const [id, handler] of handlers) {
    if (handler === idOrHandler) return handlers.delete(id);
  }
  return false;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
