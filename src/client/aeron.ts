/**
 * The Aeron client (Java: `Aeron`): `Aeron.connect(options)` finds the media driver through its
 * `cnc.dat`, then every publication, subscription and counter is created through the client conductor.
 *
 * ## Connecting (Java's `Context.connectToDriver` / `CommonContext.awaitCncFileCreation`)
 *
 * Within one deadline of `driverTimeoutMs` (default 10 s):
 * 1. wait (16 ms polls) for `<aeronDir>/cnc.dat` to exist with at least its 128-byte header;
 * 2. map it and wait (1 ms polls) for a non-zero version word; check it (major 0, minor >= 2:
 *    `CncVersionError`; garbage: `CncFormatError`);
 * 3. wait until the file is as long as its regions say (the driver may still be sizing it);
 * 4. wait for a non-zero driver heartbeat on the to-driver ring; a heartbeat older than `driverTimeoutMs`
 *    means a dead driver's file: unmap, wait 100 ms and start over.
 * A deadline miss is `DriverTimeoutError`. Nothing here blocks the event loop. `options.signal` aborts the
 * wait at once (`AeronAbortedError`), unmapping what was mapped and clearing the timers.
 *
 * Then the client id is taken from the ring's correlation counter and the conductor starts its duty cycle
 * (see `client-conductor.ts`). `close()` (or `using` / `await using`) releases everything.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import {
  AtomicBuffer,
  CNC_FILE,
  CNC_METADATA_LENGTH,
  type CounterMetadataVisitor,
  type CountersReader,
  checkCncVersion,
  cncRegions,
  cncRequiredLength,
  ManyToOneRingBuffer,
  MappedFile,
  MappedFileError,
  readCncHeader,
  readCncVersion,
  validateCnc,
} from '../transport/index.ts';
import { type AbortableOptions, sleepUnlessAborted, throwIfAborted } from './abort.ts';
import {
  type AeronContext,
  type AeronOptions,
  type AvailableCounterHandler,
  resolveAeronContext,
  type UnavailableCounterHandler,
} from './aeron-context.ts';
import { ClientConductor, type ConnectedCnc } from './client-conductor.ts';
import type { ConcurrentPublication } from './concurrent-publication.ts';
import type { AvailableImageHandler, UnavailableImageHandler } from './conductor-contract.ts';
import type { Counter } from './counter.ts';
import { DriverTimeoutError } from './errors.ts';
import type { ExclusivePublication } from './exclusive-publication.ts';
import type { Subscription } from './subscription.ts';

const IDLE_SLEEP_DEFAULT_MS = 16;
const AWAITING_IDLE_SLEEP_MS = 1;
const DEAD_DRIVER_RETRY_MS = 100;
const CONNECT = 'Aeron.connect';

/** Options of `Aeron.addSubscription`: the image handlers (Java's names) and an abort signal. */
export interface AddSubscriptionOptions extends AbortableOptions {
  /** Called when an image joins; `null` for none. Default: the context's `onAvailableImage`. */
  readonly availableImageHandler?: AvailableImageHandler | null | undefined;
  /** Called when an image leaves; `null` for none. Default: the context's `onUnavailableImage`. */
  readonly unavailableImageHandler?: UnavailableImageHandler | null | undefined;
}

/** True for an options object (not a handler, `null` or `undefined`) in a position that takes either. */
function isOptions(value: unknown): value is AddSubscriptionOptions {
  return typeof value === 'object' && value !== null;
}

/**
 * The Aeron client: a connection to one media driver, through which publications, subscriptions and counters are added.
 * Create it with {@link Aeron.connect}; close it with `close()` (or `using` / `await using`), which closes everything
 * it created. Java: `Aeron`.
 *
 * ```ts
 * await using aeron = await Aeron.connect({ aeronDir: '/dev/shm/aeron-me' });
 * const publication = await aeron.addExclusivePublication('aeron:ipc', 10);
 * ```
 */
export class Aeron implements Disposable, AsyncDisposable {
  /** The options it was connected with, every default applied. Java: `Aeron.context`. */
  readonly context: AeronContext;
  readonly #conductor: ClientConductor;

  private constructor(context: AeronContext, conductor: ClientConductor) {
    this.context = context;
    this.#conductor = conductor;
  }

  /**
   * Connects to the media driver (see the module comment). Rejects with `DriverTimeoutError` or a CnC error,
   * or with `AeronAbortedError` when `options.signal` aborts first (nothing is left mapped or scheduled).
   */
  static async connect(options: AeronOptions = {}): Promise<Aeron> {
    throwIfAborted(options.signal, CONNECT);
    const context = resolveAeronContext(options);
    const cnc = await connectToDriver(context, options.signal);
    try {
      throwIfAborted(options.signal, CONNECT);
      const interServiceTimeoutNs = cnc.header.clientLivenessTimeoutNs;
      if (interServiceTimeoutNs <= context.keepAliveIntervalMs * 1_000_000) {
        throw new InvalidArgumentError(
          `interServiceTimeoutNs=${interServiceTimeoutNs} <= keepAliveIntervalNs=${context.keepAliveIntervalMs * 1_000_000}`,
        );
      }
      const conductor = new ClientConductor(context, cnc);
      conductor.start();
      return new Aeron(context, conductor);
    } catch (e) {
      cnc.file.close();
      throw e;
    }
  }

  /** This client's id (from the driver's correlation counter). */
  get clientId(): number {
    return this.#conductor.clientId;
  }

  /**
   * Whether the client is closed (or closing): by `close()`, or by itself after a fatal error (driver timeout, client
   * timeout, …). Java: `Aeron.isClosed`.
   */
  get isClosed(): boolean {
    return this.#conductor.isClosed;
  }

  /** The driver's counters (read all, find by type/key/registration id). */
  get countersReader(): CountersReader {
    return this.#conductor.countersReader;
  }

  /** Control protocol version the driver announced (0 when the driver announces none). */
  get controlProtocolVersion(): number {
    return this.#conductor.controlProtocolVersion;
  }

  /** The driver's client liveness timeout (ns), which is also this client's inter-service timeout. */
  get interServiceTimeoutNs(): number {
    return this.#conductor.interServiceTimeoutNs;
  }

  /** One conductor duty cycle (invoker mode; harmless otherwise). Returns the work count. */
  doWork(): number {
    return this.#conductor.doWork();
  }

  /** A new id from the driver's correlation counter, unique across all clients of the driver. */
  nextCorrelationId(): number {
    return this.#conductor.nextCorrelationId();
  }

  /**
   * A session id not in use for `streamId` (asks the driver when it supports it).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`).
   */
  nextSessionId(streamId: number, options?: AbortableOptions): Promise<number> {
    return this.#conductor.nextSessionId(streamId, options);
  }

  /**
   * Adds a publication (ADD_PUBLICATION), shared with every other `addPublication` of the same channel and
   * stream in the driver. Resolves when the driver has it ready; rejects with `RegistrationError` when the
   * driver refuses it, `DriverTimeoutError` without an answer in time.
   *
   * @param options `signal` aborts the wait: the Promise rejects with `AeronAbortedError` and the publication,
   *   if the driver still creates it, is removed again (REMOVE_PUBLICATION).
   */
  addPublication(channel: string, streamId: number, options?: AbortableOptions): Promise<ConcurrentPublication> {
    return this.#conductor.addPublication(channel, streamId, options);
  }

  /**
   * Adds an exclusive publication (ADD_EXCLUSIVE_PUBLICATION): a session of its own, one writer.
   *
   * @param options as `addPublication`.
   */
  addExclusivePublication(
    channel: string,
    streamId: number,
    options?: AbortableOptions,
  ): Promise<ExclusivePublication> {
    return this.#conductor.addExclusivePublication(channel, streamId, options);
  }

  /**
   * Sends ADD_PUBLICATION and returns its registration id; poll `getPublication(id)`. Java:
   * `Aeron.asyncAddPublication`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  asyncAddPublication(channel: string, streamId: number): number {
    return this.#conductor.asyncAddPublication(channel, streamId);
  }

  /**
   * Sends ADD_EXCLUSIVE_PUBLICATION and returns its registration id; poll `getExclusivePublication(id)`. Java:
   * `Aeron.asyncAddExclusivePublication`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  asyncAddExclusivePublication(channel: string, streamId: number): number {
    return this.#conductor.asyncAddExclusivePublication(channel, streamId);
  }

  /**
   * The publication once ready, null until then; throws the `RegistrationError` if the driver refused it (once),
   * `AeronClosedError` (`CLOSED`) when the client is closed. Java: `Aeron.getPublication`.
   */
  getPublication(registrationId: number): ConcurrentPublication | null {
    return this.#conductor.getPublication(registrationId);
  }

  /**
   * The exclusive publication once ready, null until then; throws the `RegistrationError` if the driver refused it
   * (once), `AeronClosedError` (`CLOSED`) when the client is closed. Java: `Aeron.getExclusivePublication`.
   */
  getExclusivePublication(registrationId: number): ExclusivePublication | null {
    return this.#conductor.getExclusivePublication(registrationId);
  }

  /**
   * Adds a subscription (ADD_SUBSCRIPTION). Resolves when the driver has it ready; images then join and leave
   * through the image handlers. Rejects as `addPublication`.
   *
   * @param options the image handlers (omitted: the context's `onAvailableImage` / `onUnavailableImage`;
   *   `null`: none) and `signal`, which aborts the wait: the Promise rejects with `AeronAbortedError` and the
   *   subscription, if the driver still creates it, is removed again (REMOVE_SUBSCRIPTION).
   */
  addSubscription(channel: string, streamId: number, options?: AddSubscriptionOptions): Promise<Subscription>;
  /**
   * Adds a subscription with its image handlers given in place (Java's form).
   *
   * @param availableImageHandler omitted: the context's `onAvailableImage`; `null`: none.
   * @param unavailableImageHandler omitted: the context's `onUnavailableImage`; `null`: none.
   * @param options `signal`, as in the other form.
   */
  addSubscription(
    channel: string,
    streamId: number,
    availableImageHandler?: AvailableImageHandler | null,
    unavailableImageHandler?: UnavailableImageHandler | null,
    options?: AbortableOptions,
  ): Promise<Subscription>;
  addSubscription(
    channel: string,
    streamId: number,
    handlerOrOptions?: AvailableImageHandler | AddSubscriptionOptions | null,
    unavailableImageHandler?: UnavailableImageHandler | null,
    options?: AbortableOptions,
  ): Promise<Subscription> {
    const resolved = isOptions(handlerOrOptions)
      ? handlerOrOptions
      : { availableImageHandler: handlerOrOptions, unavailableImageHandler, signal: options?.signal };
    return this.#conductor.addSubscription(
      channel,
      streamId,
      resolved.availableImageHandler === undefined ? this.context.onAvailableImage : resolved.availableImageHandler,
      resolved.unavailableImageHandler === undefined
        ? this.context.onUnavailableImage
        : resolved.unavailableImageHandler,
      resolved,
    );
  }

  /**
   * Sends ADD_SUBSCRIPTION and returns its registration id; poll `getSubscription(id)`. Handlers as `addSubscription`
   * (omitted: the context's; `null`: none). Java: `Aeron.asyncAddSubscription`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  asyncAddSubscription(
    channel: string,
    streamId: number,
    availableImageHandler?: AvailableImageHandler | null,
    unavailableImageHandler?: UnavailableImageHandler | null,
  ): number {
    return this.#conductor.asyncAddSubscription(
      channel,
      streamId,
      availableImageHandler === undefined ? this.context.onAvailableImage : availableImageHandler,
      unavailableImageHandler === undefined ? this.context.onUnavailableImage : unavailableImageHandler,
    );
  }

  /**
   * The subscription once ready, null until then; throws the `RegistrationError` if the driver refused it (once),
   * `AeronClosedError` (`CLOSED`) when the client is closed. Java: `Aeron.getSubscription`.
   */
  getSubscription(registrationId: number): Subscription | null {
    return this.#conductor.getSubscription(registrationId);
  }

  /**
   * REMOVE_PUBLICATION by registration id; resolves on the driver's OK, `RegistrationError` if unknown.
   *
   * @param revoke revoke the publication (its subscribers see it end at once), as `Publication.revoke`.
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still removes the publication.
   */
  removePublication(registrationId: number, revoke = false, options?: AbortableOptions): Promise<void> {
    return this.#conductor.removePublication(registrationId, revoke, options);
  }

  /**
   * REMOVE_SUBSCRIPTION by registration id (see `removePublication`).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still removes the subscription.
   */
  removeSubscription(registrationId: number, options?: AbortableOptions): Promise<void> {
    return this.#conductor.removeSubscription(registrationId, options);
  }

  /**
   * Allocates a counter in the driver (label ASCII <= 380 chars, key <= 112 bytes), owned by this client.
   *
   * @param options `signal` aborts the wait: the Promise rejects with `AeronAbortedError` and the counter, if
   *   the driver still allocates it, is removed again (REMOVE_COUNTER).
   */
  addCounter(typeId: number, label: string, key?: Uint8Array, options?: AbortableOptions): Promise<Counter>;
  /** `addCounter` without a key, with options. */
  addCounter(typeId: number, label: string, options: AbortableOptions): Promise<Counter>;
  addCounter(
    typeId: number,
    label: string,
    keyOrOptions?: Uint8Array | AbortableOptions,
    options?: AbortableOptions,
  ): Promise<Counter> {
    return keyOrOptions instanceof Uint8Array || keyOrOptions === undefined
      ? this.#conductor.addCounter(typeId, label, keyOrOptions, options)
      : this.#conductor.addCounter(typeId, label, undefined, keyOrOptions);
  }

  /**
   * Sends ADD_COUNTER and returns its registration id; poll `getCounter(id)`. Java: `Aeron.asyncAddCounter`.
   *
   * @throws InvalidArgumentError `INVALID_ARGUMENT` for a label over 380 characters or a key over 112 bytes.
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  asyncAddCounter(typeId: number, label: string, key?: Uint8Array): number {
    return this.#conductor.asyncAddCounter(typeId, label, key);
  }

  /**
   * The counter once ready, null until then; throws the `RegistrationError` if the driver refused it (once),
   * `AeronClosedError` (`CLOSED`) when the client is closed. Java: `Aeron.getCounter`.
   */
  getCounter(registrationId: number): Counter | null {
    return this.#conductor.getCounter(registrationId);
  }

  /**
   * A counter keyed by (typeId, registrationId) that outlives this client (ADD_STATIC_COUNTER).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); a static counter the driver still
   *   allocates stays (it belongs to no client).
   */
  addStaticCounter(
    typeId: number,
    label: string,
    registrationId: number,
    key?: Uint8Array,
    options?: AbortableOptions,
  ): Promise<Counter> {
    return this.#conductor.addStaticCounter(typeId, label, registrationId, key, options);
  }

  /**
   * REMOVE_COUNTER by registration id (see `removePublication`).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still removes the counter.
   */
  removeCounter(registrationId: number, options?: AbortableOptions): Promise<void> {
    return this.#conductor.removeCounter(registrationId, options);
  }

  /** Whether an async command is still awaiting its response. */
  isCommandActive(correlationId: number): boolean {
    return this.#conductor.isCommandActive(correlationId);
  }

  /**
   * Whether any command (Promise or async form) still awaits the driver's response. Java: `Aeron.hasActiveCommands`.
   */
  hasActiveCommands(): boolean {
    return this.#conductor.hasActiveCommands();
  }

  /**
   * Adds a handler called for every counter that becomes available; returns its registration id (for
   * `removeAvailableCounterHandler`). Java: `Aeron.addAvailableCounterHandler`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  addAvailableCounterHandler(handler: AvailableCounterHandler): number {
    return this.#conductor.addAvailableCounterHandler(handler);
  }

  /**
   * Removes an available-counter handler by registration id or by the function itself; returns whether one was removed.
   * Java: `Aeron.removeAvailableCounterHandler`.
   */
  removeAvailableCounterHandler(idOrHandler: number | AvailableCounterHandler): boolean {
    return this.#conductor.removeAvailableCounterHandler(idOrHandler);
  }

  /**
   * Adds a handler called for every counter that goes away; returns its registration id. Java:
   * `Aeron.addUnavailableCounterHandler`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  addUnavailableCounterHandler(handler: UnavailableCounterHandler): number {
    return this.#conductor.addUnavailableCounterHandler(handler);
  }

  /**
   * Removes an unavailable-counter handler by registration id or by the function itself; returns whether one was
   * removed. Java: `Aeron.removeUnavailableCounterHandler`.
   */
  removeUnavailableCounterHandler(idOrHandler: number | UnavailableCounterHandler): boolean {
    return this.#conductor.removeUnavailableCounterHandler(idOrHandler);
  }

  /**
   * Adds a handler called once when the client closes (also when it closes itself after a fatal error); returns its
   * registration id. Java: `Aeron.addCloseHandler`.
   *
   * @throws AeronClosedError `CLOSED` when the client is closed.
   */
  addCloseHandler(handler: () => void): number {
    return this.#conductor.addCloseHandler(handler);
  }

  /**
   * Removes a close handler by registration id or by the function itself; returns whether one was removed. Java:
   * `Aeron.removeCloseHandler`.
   */
  removeCloseHandler(idOrHandler: number | (() => void)): boolean {
    return this.#conductor.removeCloseHandler(idOrHandler);
  }

  /** Visits every allocated counter (id, type id, 112-byte key window, label). */
  forEachCounter(visitor: CounterMetadataVisitor): void {
    this.#conductor.countersReader.forEach(visitor);
  }

  /** Ids of the allocated counters of `typeId` whose key satisfies `keyMatches` (all of the type if omitted). */
  findCounters(typeId: number, keyMatches?: (key: AtomicBuffer) => boolean): number[] {
    const ids: number[] = [];
    this.#conductor.countersReader.forEach((counterId, counterTypeId, key) => {
      if (counterTypeId === typeId && (keyMatches === undefined || keyMatches(key))) ids.push(counterId);
    });
    return ids;
  }

  /** Id of the allocated counter with this type and registration id, or -1. */
  findCounterByTypeIdAndRegistrationId(typeId: number, registrationId: number): number {
    return this.#conductor.countersReader.findByTypeIdAndRegistrationId(typeId, registrationId);
  }

  /** Asks the driver to terminate (TERMINATE_DRIVER); the driver's validator decides (default: deny). */
  requestDriverTermination(token?: Uint8Array): boolean {
    return this.#conductor.driverProxy.terminateDriver(token);
  }

  /** Closes the client and everything it created. Idempotent; later offers return CLOSED. */
  close(): void {
    this.#conductor.close();
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/**
 * Java's `connectToDriver`, asynchronously (see the module comment). The caller owns the returned mapping.
 * `signal` aborts every wait at once (`AeronAbortedError`); a mapping made so far is closed.
 */
export async function connectToDriver(context: AeronContext, signal?: AbortSignal): Promise<ConnectedCnc> {
  const { driverTimeoutMs } = context;
  const now = context.clocks.epochMs;
  const deadlineMs = now() + driverTimeoutMs;
  const cncPath = join(context.aeronDir, CNC_FILE);

  for (;;) {
    const file = await awaitCncFile(cncPath, now, deadlineMs, signal);
    let keep = false;
    try {
      const buffer = new AtomicBuffer(file.buffer);
      let version = readCncVersion(buffer);
      while (version === 0) {
        if (now() > deadlineMs) throw new DriverTimeoutError(`CnC file is created but not initialised: ${cncPath}`);
        await sleepUnlessAborted(AWAITING_IDLE_SLEEP_MS, signal, CONNECT);
        version = readCncVersion(buffer);
      }
      checkCncVersion(version);
      if (cncRequiredLength(readCncHeader(buffer)) > file.length) {
        // The driver is still sizing the file, or this mapping predates it: map again.
        if (now() > deadlineMs) throw new DriverTimeoutError(`CnC file is not fully populated: ${cncPath}`);
        await sleepUnlessAborted(AWAITING_IDLE_SLEEP_MS, signal, CONNECT);
        continue;
      }
      const header = validateCnc(buffer);
      const regions = cncRegions(buffer, header);
      const toDriver = new ManyToOneRingBuffer(regions.toDriver);
      while (toDriver.consumerHeartbeatTime() === 0) {
        if (now() > deadlineMs) throw new DriverTimeoutError('no driver heartbeat detected');
        await sleepUnlessAborted(AWAITING_IDLE_SLEEP_MS, signal, CONNECT);
      }
      const timeMs = now();
      if (toDriver.consumerHeartbeatTime() < timeMs - driverTimeoutMs) {
        if (timeMs > deadlineMs) throw new DriverTimeoutError('no driver heartbeat detected');
        await sleepUnlessAborted(DEAD_DRIVER_RETRY_MS, signal, CONNECT);
        continue;
      }
      keep = true;
      return { file, header, regions, toDriver };
    } finally {
      if (!keep) file.close();
    }
  }
}

/** Waits for `cnc.dat` to exist with its header, then maps it. */
async function awaitCncFile(
  cncPath: string,
  now: () => number,
  deadlineMs: number,
  signal: AbortSignal | undefined,
): Promise<MappedFile> {
  for (;;) {
    throwIfAborted(signal, CONNECT);
    if (existsSync(cncPath)) {
      let size = 0;
      try {
        size = statSync(cncPath).size;
      } catch {
        size = 0;
      }
      if (size >= CNC_METADATA_LENGTH) {
        try {
          return MappedFile.open(cncPath, { expectedMinLength: CNC_METADATA_LENGTH });
        } catch (e) {
          const retry =
            e instanceof MappedFileError &&
            (e.code === 'NOT_FOUND' || e.code === 'PERMISSION_DENIED' || e.code === 'TOO_SHORT');
          if (!retry) throw e;
        }
      }
    }
    if (now() > deadlineMs) throw new DriverTimeoutError(`CnC file not created: ${cncPath}`);
    await sleepUnlessAborted(IDLE_SLEEP_DEFAULT_MS, signal, CONNECT);
  }
}
