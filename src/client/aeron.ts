/**
 * The Aeron client (Aeron 1.51.0 `Aeron`): `Aeron.connect(options)` finds the media driver through its
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
 * A deadline miss is `DriverTimeoutError`. Nothing here blocks the event loop.
 *
 * Then the client id is taken from the ring's correlation counter and the conductor starts its duty cycle
 * (see `client-conductor.ts`). `close()` (or `using` / `await using`) releases everything.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

export class Aeron implements Disposable, AsyncDisposable {
  readonly context: AeronContext;
  readonly #conductor: ClientConductor;

  private constructor(context: AeronContext, conductor: ClientConductor) {
    this.context = context;
    this.#conductor = conductor;
  }

  /** Connects to the media driver (see the module comment). Rejects with `DriverTimeoutError` or a CnC error. */
  static async connect(options: AeronOptions = {}): Promise<Aeron> {
    const context = resolveAeronContext(options);
    const cnc = await connectToDriver(context);
    try {
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

  get isClosed(): boolean {
    return this.#conductor.isClosed;
  }

  /** The driver's counters (read all, find by type/key/registration id). */
  get countersReader(): CountersReader {
    return this.#conductor.countersReader;
  }

  /** Control protocol version the driver announced (0 for drivers before 1.49.0). */
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

  /** A session id not in use for `streamId` (asks the driver when it supports it). */
  nextSessionId(streamId: number): Promise<number> {
    return this.#conductor.nextSessionId(streamId);
  }

  addPublication(channel: string, streamId: number): Promise<ConcurrentPublication> {
    return this.#conductor.addPublication(channel, streamId);
  }

  addExclusivePublication(channel: string, streamId: number): Promise<ExclusivePublication> {
    return this.#conductor.addExclusivePublication(channel, streamId);
  }

  /** Sends ADD_PUBLICATION and returns its registration id; poll `getPublication(id)`. */
  asyncAddPublication(channel: string, streamId: number): number {
    return this.#conductor.asyncAddPublication(channel, streamId);
  }

  asyncAddExclusivePublication(channel: string, streamId: number): number {
    return this.#conductor.asyncAddExclusivePublication(channel, streamId);
  }

  /** The publication once ready, null until then; throws the `RegistrationError` if the driver refused it. */
  getPublication(registrationId: number): ConcurrentPublication | null {
    return this.#conductor.getPublication(registrationId);
  }

  getExclusivePublication(registrationId: number): ExclusivePublication | null {
    return this.#conductor.getExclusivePublication(registrationId);
  }

  addSubscription(
    channel: string,
    streamId: number,
    availableImageHandler?: AvailableImageHandler | null,
    unavailableImageHandler?: UnavailableImageHandler | null,
  ): Promise<Subscription> {
    return this.#conductor.addSubscription(
      channel,
      streamId,
      availableImageHandler === undefined ? this.context.onAvailableImage : availableImageHandler,
      unavailableImageHandler === undefined ? this.context.onUnavailableImage : unavailableImageHandler,
    );
  }

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

  getSubscription(registrationId: number): Subscription | null {
    return this.#conductor.getSubscription(registrationId);
  }

  /** REMOVE_PUBLICATION by registration id; resolves on the driver's OK, `RegistrationError` if unknown. */
  removePublication(registrationId: number, revoke = false): Promise<void> {
    return this.#conductor.removePublication(registrationId, revoke);
  }

  removeSubscription(registrationId: number): Promise<void> {
    return this.#conductor.removeSubscription(registrationId);
  }

  /** Allocates a counter in the driver (label ASCII <= 380 chars, key <= 112 bytes), owned by this client. */
  addCounter(typeId: number, label: string, key?: Uint8Array): Promise<Counter> {
    return this.#conductor.addCounter(typeId, label, key);
  }

  asyncAddCounter(typeId: number, label: string, key?: Uint8Array): number {
    return this.#conductor.asyncAddCounter(typeId, label, key);
  }

  getCounter(registrationId: number): Counter | null {
    return this.#conductor.getCounter(registrationId);
  }

  /** A counter keyed by (typeId, registrationId) that outlives this client (ADD_STATIC_COUNTER). */
  addStaticCounter(typeId: number, label: string, registrationId: number, key?: Uint8Array): Promise<Counter> {
    return this.#conductor.addStaticCounter(typeId, label, registrationId, key);
  }

  removeCounter(registrationId: number): Promise<void> {
    return this.#conductor.removeCounter(registrationId);
  }

  /** Whether an async command is still awaiting its response. */
  isCommandActive(correlationId: number): boolean {
    return this.#conductor.isCommandActive(correlationId);
  }

  hasActiveCommands(): boolean {
    return this.#conductor.hasActiveCommands();
  }

  addAvailableCounterHandler(handler: AvailableCounterHandler): number {
    return this.#conductor.addAvailableCounterHandler(handler);
  }

  removeAvailableCounterHandler(idOrHandler: number | AvailableCounterHandler): boolean {
    return this.#conductor.removeAvailableCounterHandler(idOrHandler);
  }

  addUnavailableCounterHandler(handler: UnavailableCounterHandler): number {
    return this.#conductor.addUnavailableCounterHandler(handler);
  }

  removeUnavailableCounterHandler(idOrHandler: number | UnavailableCounterHandler): boolean {
    return this.#conductor.removeUnavailableCounterHandler(idOrHandler);
  }

  addCloseHandler(handler: () => void): number {
    return this.#conductor.addCloseHandler(handler);
  }

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

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Java's `connectToDriver`, asynchronously (see the module comment). The caller owns the returned mapping. */
export async function connectToDriver(context: AeronContext): Promise<ConnectedCnc> {
  const { driverTimeoutMs } = context;
  const now = context.clocks.epochMs;
  const deadlineMs = now() + driverTimeoutMs;
  const cncPath = join(context.aeronDir, CNC_FILE);

  for (;;) {
    const file = await awaitCncFile(cncPath, now, deadlineMs);
    let keep = false;
    try {
      const buffer = new AtomicBuffer(file.buffer);
      let version = readCncVersion(buffer);
      while (version === 0) {
        if (now() > deadlineMs) throw new DriverTimeoutError(`CnC file is created but not initialised: ${cncPath}`);
        await sleep(AWAITING_IDLE_SLEEP_MS);
        version = readCncVersion(buffer);
      }
      checkCncVersion(version);
      if (cncRequiredLength(readCncHeader(buffer)) > file.length) {
        // The driver is still sizing the file, or this mapping predates it: map again.
        if (now() > deadlineMs) throw new DriverTimeoutError(`CnC file is not fully populated: ${cncPath}`);
        await sleep(AWAITING_IDLE_SLEEP_MS);
        continue;
      }
      const header = validateCnc(buffer);
      const regions = cncRegions(buffer, header);
      const toDriver = new ManyToOneRingBuffer(regions.toDriver);
      while (toDriver.consumerHeartbeatTime() === 0) {
        if (now() > deadlineMs) throw new DriverTimeoutError('no driver heartbeat detected');
        await sleep(AWAITING_IDLE_SLEEP_MS);
      }
      const timeMs = now();
      if (toDriver.consumerHeartbeatTime() < timeMs - driverTimeoutMs) {
        if (timeMs > deadlineMs) throw new DriverTimeoutError('no driver heartbeat detected');
        await sleep(DEAD_DRIVER_RETRY_MS);
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
async function awaitCncFile(cncPath: string, now: () => number, deadlineMs: number): Promise<MappedFile> {
  for (;;) {
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
    await sleep(IDLE_SLEEP_DEFAULT_MS);
  }
}
