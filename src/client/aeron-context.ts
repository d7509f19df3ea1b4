/**
 * Options of `Aeron.connect` and their defaults, as Java's `Aeron.Context` / `CommonContext`.
 *
 * | option                     | default                                   | Java property                         |
 * |----------------------------|-------------------------------------------|---------------------------------------|
 * | `aeronDir`                 | `AERON_DIR` env, else `/dev/shm/aeron-<user>` (tmpdir when no /dev/shm) | `aeron.dir` |
 * | `driverTimeoutMs`          | `AERON_DRIVER_TIMEOUT` env, else 10 000   | `aeron.driver.timeout`                |
 * | `keepAliveIntervalMs`      | 500                                       | (Configuration.KEEPALIVE_INTERVAL_NS) |
 * | `idleSleepDurationMs`      | 16 (0..1000)                              | `aeron.client.idle.sleep.duration`    |
 * | `awaitingIdleSleepMs`      | 1 (duty cycle period while commands wait) | (AWAITING_IDLE_SLEEP_MS)              |
 * | `resourceLingerDurationMs` | 3 000                                     | `aeron.client.resource.linger.duration` |
 * | `clientName`               | `AERON_CLIENT_NAME` env, else '' (<= 100) | `aeron.client.name`                   |
 * | `useConductorAgentInvoker` | false                                     | (invoker mode: the app calls doWork)  |
 * | `preTouchMappedMemory`     | `AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY` env (`true`), else false | `aeron.pre.touch.mapped.memory` |
 *
 * The inter-service timeout is not an option: as in Java it is the driver's client liveness timeout, read
 * from the CnC header at connect. `signal` aborts `Aeron.connect` and is not kept in the context.
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { ErrorHandler } from '../logbuffer/index.ts';
import { defaultAeronDir } from '../transport/aeron-directory.ts';
import type { CountersReader } from '../transport/index.ts';
import type {
  AvailableImageHandler,
  PublicationErrorFrameHandler,
  UnavailableImageHandler,
} from './conductor-contract.ts';

/** Default `driverTimeoutMs` (10 s). Java: `CommonContext.DEFAULT_DRIVER_TIMEOUT_MS`. */
export const DEFAULT_DRIVER_TIMEOUT_MS = 10_000;
/** Default `keepAliveIntervalMs` (500 ms). Java: `Aeron.Configuration.KEEPALIVE_INTERVAL_NS`. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 500;
/** Default `idleSleepDurationMs` (16 ms). Java: `Aeron.Configuration.IDLE_SLEEP_DEFAULT_MS`. */
export const DEFAULT_IDLE_SLEEP_DURATION_MS = 16;
/** Default `awaitingIdleSleepMs` (1 ms). Java: `Aeron.Configuration.AWAITING_IDLE_SLEEP_MS`. */
export const DEFAULT_AWAITING_IDLE_SLEEP_MS = 1;
/** Default `resourceLingerDurationMs` (3 s). Java: `Aeron.Configuration.RESOURCE_LINGER_DURATION_DEFAULT_NS`. */
export const DEFAULT_RESOURCE_LINGER_DURATION_MS = 3_000;
/** Linger of the log buffers of a publication or subscription the application closed (Java: 1 s). */
export const EXPLICIT_CLOSE_LINGER_MS = 1_000;
/** Longest `clientName` accepted, in characters (100). Java: `Aeron.Configuration.MAX_CLIENT_NAME_LENGTH`. */
export const MAX_CLIENT_NAME_LENGTH = 100;

/**
 * Called with the counters reader, a counter's registration id and its id when a counter becomes available. Java:
 * `AvailableCounterHandler.onAvailableCounter`.
 */
export type AvailableCounterHandler = (
  countersReader: CountersReader,
  registrationId: number,
  counterId: number,
) => void;
/**
 * Called with the counters reader, a counter's registration id and its id when a counter goes away. Java:
 * `UnavailableCounterHandler.onUnavailableCounter`.
 */
export type UnavailableCounterHandler = (
  countersReader: CountersReader,
  registrationId: number,
  counterId: number,
) => void;

/** Time sources (injectable for tests). `nanoTime` is monotonic; `epochMs` is wall clock. */
export interface AeronClocks {
  /** Monotonic time in nanoseconds (as a double: exact enough for timeouts). Java: `NanoClock.nanoTime`. */
  readonly nanoTime: () => number;
  /** Wall-clock time in ms since the epoch (the keepalive timestamps). Java: `EpochClock.time`. */
  readonly epochMs: () => number;
}

/** Options of `Aeron.connect`; every one optional, defaults in the module table. Java: `Aeron.Context`. */
export interface AeronOptions {
  /** The media driver's directory. */
  readonly aeronDir?: string;
  /** Deadline for finding the driver at connect, for every command response, and driver liveness. */
  readonly driverTimeoutMs?: number;
  /** How often the client writes its heartbeat timestamp, in ms (default 500, ≥ 1). */
  readonly keepAliveIntervalMs?: number;
  /** Duty cycle period of the conductor timer when nothing is waiting. */
  readonly idleSleepDurationMs?: number;
  /** Duty cycle period while a command awaits its response. */
  readonly awaitingIdleSleepMs?: number;
  /** How long released log buffers stay mapped before being unmapped. */
  readonly resourceLingerDurationMs?: number;
  /**
   * Name the driver shows for this client (≤ 100 characters; default `AERON_CLIENT_NAME`, else empty). Java:
   * `Aeron.Context.clientName`.
   */
  readonly clientName?: string;
  /** Invoker mode: no timer; the application calls `aeron.doWork()` (commands still service while awaited). */
  readonly useConductorAgentInvoker?: boolean;
  /**
   * Fault every page of each log buffer into this process when it is mapped (Java's
   * `preTouchMappedMemory`), so the data path takes no first-touch page faults, at the cost of a slower
   * add (a 64 MiB IPC term: three terms of page touches). Default false.
   */
  readonly preTouchMappedMemory?: boolean;
  /** Let the Node process exit while the client is idle (the duty-cycle timer is `unref`ed). Default false. */
  readonly unrefTimer?: boolean;
  /** Receives asynchronous errors (driver/client timeouts, callback errors). Default: print to stderr. */
  readonly errorHandler?: ErrorHandler;
  /** Receives errors thrown by fragment handlers during polls. Default: `errorHandler`. */
  readonly subscriberErrorHandler?: ErrorHandler;
  /** Called for every new publication this client adds (channel, stream id, session id, registration id). */
  readonly onNewPublication?: NewPublicationHandler;
  /** Called for every new exclusive publication, with the same arguments as `onNewPublication`. */
  readonly onNewExclusivePublication?: NewPublicationHandler;
  /** Called for every new subscription this client adds (channel, stream id, registration id). */
  readonly onNewSubscription?: NewSubscriptionHandler;
  /** Default image handlers of subscriptions added without their own. */
  readonly onAvailableImage?: AvailableImageHandler;
  /**
   * Default unavailable-image handler of subscriptions added without their own. Java:
   * `Aeron.Context.unavailableImageHandler`.
   */
  readonly onUnavailableImage?: UnavailableImageHandler;
  /**
   * Called for every counter the driver makes available (any client's). Java: `Aeron.Context.availableCounterHandler`.
   */
  readonly onAvailableCounter?: AvailableCounterHandler;
  /** Called for every counter the driver removes. Java: `Aeron.Context.unavailableCounterHandler`. */
  readonly onUnavailableCounter?: UnavailableCounterHandler;
  /** Called once when the client closes (also when it terminates itself). */
  readonly onClose?: () => void;
  /**
   * Receives the error frames a receiver sent for one of this client's publications (e.g. after
   * `Image.reject`). Java's name is `publicationErrorFrameHandler`, also accepted; give one of the two.
   */
  readonly onPublicationError?: PublicationErrorFrameHandler;
  /** Java's name of `onPublicationError` (`Aeron.Context.publicationErrorFrameHandler`). */
  readonly publicationErrorFrameHandler?: PublicationErrorFrameHandler;
  /** Time sources (default `SYSTEM_CLOCKS`: `performance.now()` and `Date.now()`); for tests. */
  readonly clocks?: AeronClocks;
  /** Environment to resolve `AERON_*` variables from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Aborts `Aeron.connect`: it rejects with `AeronAbortedError` (`cause` = `signal.reason`) at once, unmapping
   * what it mapped and clearing its timers. Only the connect: an abort after it resolved does nothing.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Called when this client adds a publication: its channel, stream id, session id and registration id (the add's
 * correlation id). Java's `Aeron.Context` has no such handler.
 */
export type NewPublicationHandler = (
  channel: string,
  streamId: number,
  sessionId: number,
  registrationId: number,
) => void;
/**
 * Called when this client adds a subscription: its channel, stream id and registration id (Java's
 * `Aeron.Context` has no such handler).
 */
export type NewSubscriptionHandler = (channel: string, streamId: number, registrationId: number) => void;

/** Options with every default applied: what `Aeron.context` returns. Java: a concluded `Aeron.Context`. */
export interface AeronContext {
  /** The media driver's directory. */
  readonly aeronDir: string;
  /** Whether log buffers are pre-touched when mapped. */
  readonly preTouchMappedMemory: boolean;
  /** Driver timeout in ms. */
  readonly driverTimeoutMs: number;
  /** Heartbeat interval in ms. */
  readonly keepAliveIntervalMs: number;
  /** Duty cycle period in ms when nothing is waiting. */
  readonly idleSleepDurationMs: number;
  /** Duty cycle period in ms while a command awaits its response. */
  readonly awaitingIdleSleepMs: number;
  /** How long released log buffers stay mapped, in ms. */
  readonly resourceLingerDurationMs: number;
  /** The client name (possibly empty). */
  readonly clientName: string;
  /** Invoker mode: the application drives the conductor with `doWork()`. */
  readonly useConductorAgentInvoker: boolean;
  /** Whether the duty-cycle timer is `unref`ed. */
  readonly unrefTimer: boolean;
  /** Receives asynchronous errors. */
  readonly errorHandler: ErrorHandler;
  /** Receives errors thrown by fragment handlers. */
  readonly subscriberErrorHandler: ErrorHandler;
  /** See `AeronOptions.onNewPublication`; null when not given. */
  readonly onNewPublication: NewPublicationHandler | null;
  /** See `AeronOptions.onNewExclusivePublication`; null when not given. */
  readonly onNewExclusivePublication: NewPublicationHandler | null;
  /** See `AeronOptions.onNewSubscription`; null when not given. */
  readonly onNewSubscription: NewSubscriptionHandler | null;
  /** See `AeronOptions.onAvailableImage`; null when not given. */
  readonly onAvailableImage: AvailableImageHandler | null;
  /** See `AeronOptions.onUnavailableImage`; null when not given. */
  readonly onUnavailableImage: UnavailableImageHandler | null;
  /** See `AeronOptions.onAvailableCounter`; null when not given. */
  readonly onAvailableCounter: AvailableCounterHandler | null;
  /** See `AeronOptions.onUnavailableCounter`; null when not given. */
  readonly onUnavailableCounter: UnavailableCounterHandler | null;
  /** See `AeronOptions.onClose`; null when not given. */
  readonly onClose: (() => void) | null;
  /** `onPublicationError` or `publicationErrorFrameHandler`, whichever was given; null when neither. */
  readonly onPublicationError: PublicationErrorFrameHandler | null;
  /** Time sources. */
  readonly clocks: AeronClocks;
}

/** Process clocks: `performance.now()`-based monotonic ns (double precision, fine for timeouts) and `Date.now()`. */
export const SYSTEM_CLOCKS: AeronClocks = {
  nanoTime: () => Math.round(performance.now() * 1_000_000),
  epochMs: () => Date.now(),
};

/** Prints an error to stderr: the default error handler, as Java's `printStackTrace`. */
export function defaultErrorHandler(error: unknown): void {
  console.error(error);
}

export { defaultAeronDir };

/** The Aeron dir: the option, else `AERON_DIR`, else `defaultAeronDir()`. */
export function resolveAeronDir(
  aeronDir: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (aeronDir !== undefined && aeronDir !== '') return aeronDir;
  const fromEnv = env.AERON_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return defaultAeronDir(env);
}

function positive(name: string, value: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be in [${min}, ${max}]: ${value}`);
  }
  return value;
}

function envNumber(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${name} is not a number: ${raw}`);
  return value;
}

function envBoolean(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`${name} must be true or false: ${raw}`);
}

/** `onPublicationError` or Java's `publicationErrorFrameHandler`: one of them, or the same function twice. */
function publicationErrorFrameHandler(options: AeronOptions): PublicationErrorFrameHandler | null {
  const ours = options.onPublicationError;
  const javas = options.publicationErrorFrameHandler;
  if (ours !== undefined && javas !== undefined && ours !== javas) {
    throw new InvalidArgumentError(
      'onPublicationError and publicationErrorFrameHandler are the same option: give one of them',
    );
  }
  return ours ?? javas ?? null;
}

/**
 * Applies the defaults and validates. Java: `Aeron.Context.conclude`.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` for a value out of range (a timeout or interval outside its bounds,
 * a client name longer than 100), an `AERON_*` variable that does not parse, or two different publication error
 * frame handlers.
 */
export function resolveAeronContext(options: AeronOptions = {}): AeronContext {
  const env = options.env ?? process.env;
  const clientName = options.clientName ?? env.AERON_CLIENT_NAME ?? '';
  if (clientName.length > MAX_CLIENT_NAME_LENGTH) {
    throw new InvalidArgumentError(`clientName length must <= ${MAX_CLIENT_NAME_LENGTH}`);
  }
  const errorHandler = options.errorHandler ?? defaultErrorHandler;
  return {
    aeronDir: resolveAeronDir(options.aeronDir, env),
    preTouchMappedMemory:
      options.preTouchMappedMemory ?? envBoolean(env, 'AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY') ?? false,
    driverTimeoutMs: positive(
      'driverTimeoutMs',
      options.driverTimeoutMs ?? envNumber(env, 'AERON_DRIVER_TIMEOUT') ?? DEFAULT_DRIVER_TIMEOUT_MS,
    ),
    keepAliveIntervalMs: positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS),
    idleSleepDurationMs: positive(
      'idleSleepDurationMs',
      options.idleSleepDurationMs ?? DEFAULT_IDLE_SLEEP_DURATION_MS,
      0,
      1000,
    ),
    awaitingIdleSleepMs: positive(
      'awaitingIdleSleepMs',
      options.awaitingIdleSleepMs ?? DEFAULT_AWAITING_IDLE_SLEEP_MS,
      0,
      1000,
    ),
    resourceLingerDurationMs: positive(
      'resourceLingerDurationMs',
      options.resourceLingerDurationMs ?? DEFAULT_RESOURCE_LINGER_DURATION_MS,
      0,
    ),
    clientName,
    useConductorAgentInvoker: options.useConductorAgentInvoker ?? false,
    unrefTimer: options.unrefTimer ?? false,
    errorHandler,
    subscriberErrorHandler: options.subscriberErrorHandler ?? errorHandler,
    onNewPublication: options.onNewPublication ?? null,
    onNewExclusivePublication: options.onNewExclusivePublication ?? null,
    onNewSubscription: options.onNewSubscription ?? null,
    onAvailableImage: options.onAvailableImage ?? null,
    onUnavailableImage: options.onUnavailableImage ?? null,
    onAvailableCounter: options.onAvailableCounter ?? null,
    onUnavailableCounter: options.onUnavailableCounter ?? null,
    onClose: options.onClose ?? null,
    onPublicationError: publicationErrorFrameHandler(options),
    clocks: options.clocks ?? SYSTEM_CLOCKS,
  };
}
