/**
 * Archive client options with Java's `AeronArchive.Configuration` defaults, and `resolveContext`, which
 * fills in the defaults and checks the options the way Java's `Context.conclude()` does.
 */
import type { Aeron } from '../client/aeron.ts';
import type { AeronOptions } from '../client/aeron-context.ts';
import { AeronControlTransport } from './aeron-transport.ts';
import { ArchiveError } from './archive-error.ts';
import { ArchiveIdleStrategies, type ArchiveIdleStrategy } from './archive-idle-strategy.ts';
import type { ControlTransportFactory } from './control-transport.ts';
import type { CredentialsSupplier } from './credentials.ts';
import type { RecordingSignalConsumer } from './recording-signal.ts';

/**
 * Java `AeronArchive.Configuration` values: the defaults {@link resolveContext} applies to
 * {@link ArchiveOptions}. Java reads most of them from system properties (named below); aeron-ts reads no
 * environment or properties: pass the option instead.
 */
export const ArchiveDefaults = {
  /** Protocol semantic version sent in AuthConnectRequest: 1.12.0 (Java `PROTOCOL_SEMANTIC_VERSION`). */
  PROTOCOL_MAJOR_VERSION: 1,
  /** Minor part of the protocol version (Java `PROTOCOL_MINOR_VERSION`). */
  PROTOCOL_MINOR_VERSION: 12,
  /** Patch part of the protocol version (Java `PROTOCOL_PATCH_VERSION`). */
  PROTOCOL_PATCH_VERSION: 0,
  /** Default `messageTimeoutMs`: 10 s (Java `MESSAGE_TIMEOUT_DEFAULT_NS`, `aeron.archive.message.timeout`). */
  MESSAGE_TIMEOUT_MS: 10_000,
  /**
   * Default `messageRetryAttempts`: 3 (Java `MESSAGE_RETRY_ATTEMPTS_DEFAULT`,
   * `aeron.archive.message.retry.attempts`).
   */
  MESSAGE_RETRY_ATTEMPTS: 3,
  /** Default `controlRequestStreamId`: 10 (Java `CONTROL_STREAM_ID_DEFAULT`, `aeron.archive.control.stream.id`). */
  CONTROL_STREAM_ID: 10,
  /**
   * The archive's IPC control channel as Java names it (Java `LOCAL_CONTROL_CHANNEL_DEFAULT`,
   * `aeron.archive.local.control.channel`); not applied by default: pass it as `controlRequestChannel` to reach
   * an archive on the same driver over IPC.
   */
  LOCAL_CONTROL_CHANNEL: 'aeron:ipc?term-length=64k',
  /** Stream id of {@link ArchiveDefaults.LOCAL_CONTROL_CHANNEL}: 10 (Java `LOCAL_CONTROL_STREAM_ID_DEFAULT`). */
  LOCAL_CONTROL_STREAM_ID: 10,
  /**
   * Default `controlResponseStreamId`: 20 (Java `CONTROL_RESPONSE_STREAM_ID_DEFAULT`,
   * `aeron.archive.control.response.stream.id`).
   */
  CONTROL_RESPONSE_STREAM_ID: 20,
  /**
   * Default `recordingEventsChannel` (Java `RECORDING_EVENTS_CHANNEL_DEFAULT`,
   * `aeron.archive.recording.events.channel`).
   */
  RECORDING_EVENTS_CHANNEL: 'aeron:udp?control-mode=dynamic|control=localhost:8030',
  /**
   * Default `recordingEventsStreamId`: 30 (Java `RECORDING_EVENTS_STREAM_ID_DEFAULT`,
   * `aeron.archive.recording.events.stream.id`).
   */
  RECORDING_EVENTS_STREAM_ID: 30,
  /**
   * Default `controlTermBufferLength`: 64 KiB (Java `CONTROL_TERM_BUFFER_LENGTH_DEFAULT`,
   * `aeron.archive.control.term.buffer.length`).
   */
  CONTROL_TERM_BUFFER_LENGTH: 64 * 1024,
  /**
   * Default `controlTermBufferSparse`: true (Java `CONTROL_TERM_BUFFER_SPARSE_DEFAULT`,
   * `aeron.archive.control.term.buffer.sparse`).
   */
  CONTROL_TERM_BUFFER_SPARSE: true,
  /** Java reads the driver's MTU default (1408). */
  CONTROL_MTU_LENGTH: 1408,
  /** Java `Aeron.Configuration.MAX_CLIENT_NAME_LENGTH`. */
  MAX_CLIENT_NAME_LENGTH: 100,
  /** How often the idle control session is serviced (polls for signals, errors and Pings). Ours, not Java's. */
  IDLE_SERVICE_INTERVAL_MS: 100,
} as const;

/** Java `AeronArchive.Configuration.PROTOCOL_SEMANTIC_VERSION` (1.12.0). */
export const PROTOCOL_SEMANTIC_VERSION =
  (ArchiveDefaults.PROTOCOL_MAJOR_VERSION << 16) |
  (ArchiveDefaults.PROTOCOL_MINOR_VERSION << 8) |
  ArchiveDefaults.PROTOCOL_PATCH_VERSION;

/** Archives at or above 1.11.0 answer ArchiveIdRequest (Java `AsyncConnect.PROTOCOL_VERSION_WITH_ARCHIVE_ID`). */
export const PROTOCOL_VERSION_WITH_ARCHIVE_ID = (1 << 16) | (11 << 8);

/** Our version info in the connect request's clientInfo (`name=<clientName> version=<v> commit=<c>`). */
export const CLIENT_VERSION_INFO = 'version=0.1.0 commit=aeron-ts';

/**
 * Receives the errors of an archive client that no pending call takes: ERROR responses to other correlation ids,
 * a throwing `recordingSignalConsumer`, a failure closing the channels (Java `AeronArchive.Context.errorHandler`,
 * an Agrona `ErrorHandler`). Without one, unmatched ERRORs queue for `pollForErrorResponse` /
 * `checkForErrorResponse`.
 */
export type ArchiveErrorHandler = (error: unknown) => void;

/**
 * What `AeronArchive.connect` and `AeronArchive.asyncConnect` take: Java's `AeronArchive.Context` setters, with
 * `Configuration`'s defaults ({@link ArchiveDefaults}). Only the two control channels are required.
 * {@link resolveContext} checks them and throws `ArchiveError` (ARCHIVE_ERROR) where Java's `conclude()` throws
 * `ConfigurationException`.
 */
export interface ArchiveOptions {
  /**
   * The Aeron client to open the control channels with (Java `Context.aeron`). It stays open when the archive
   * client closes. Needed by the operations that add publications or subscriptions (`replay`,
   * `addRecordedPublication`, response-channel replays).
   */
  readonly aeron?: Aeron;
  /**
   * Without `aeron`: `AeronArchive.connect` connects its own client to this driver directory (Java
   * `Context.aeronDirectoryName`) and closes it with the archive client.
   */
  readonly aeronDir?: string;
  /**
   * Java `Context.ownsAeronClient` (default false for a given `aeron`): when true, closing the archive client also
   * closes `aeron`. A client made from `aeronDir` is always owned (Java: the context made it).
   */
  readonly ownsAeronClient?: boolean;
  /** Further options for the client made from `aeronDir` (its `aeronDir` wins). */
  readonly aeronOptions?: AeronOptions;
  /**
   * Creates the control channels. Default: over `aeron`. Tests give an in-memory fake instead (then no
   * operation that needs a client is available unless `aeron` is given too).
   */
  readonly transport?: ControlTransportFactory;
  /** Required, as in Java (`aeron.archive.control.channel`). */
  readonly controlRequestChannel: string;
  /** Stream id of the control request channel (Java `Context.controlRequestStreamId`; default 10). */
  readonly controlRequestStreamId?: number;
  /** Required, as in Java (`aeron.archive.control.response.channel`). */
  readonly controlResponseChannel: string;
  /** Stream id of the control response channel (Java `Context.controlResponseStreamId`; default 20). */
  readonly controlResponseStreamId?: number;
  /**
   * The archive's recording events channel (Java `Context.recordingEventsChannel`; default
   * {@link ArchiveDefaults.RECORDING_EVENTS_CHANNEL}). Kept in the context for the caller: the client does not
   * subscribe to it (subscribe with `recordingEvents` or a {@link RecordingEventsAdapter}).
   */
  readonly recordingEventsChannel?: string;
  /** Stream id of the recording events channel (Java `Context.recordingEventsStreamId`; default 30). */
  readonly recordingEventsStreamId?: number;
  /** Default 10 s. Bounds the connect and every wait for a response. */
  readonly messageTimeoutMs?: number;
  /** Offer attempts per request before "failed to send" (default 3, must be > 0). */
  readonly messageRetryAttempts?: number;
  /**
   * Sent to the archive in the connect request's client info (Java `Context.clientName`,
   * `aeron.archive.client.name`; default empty); also the name of a client made from `aeronDir` (default there
   * `archive-client`). At most 100 characters (else `ArchiveError`).
   */
  readonly clientName?: string;
  /**
   * `term-length` put on both control channels when they have none (Java `Context.controlTermBufferLength`;
   * default 64 KiB).
   */
  readonly controlTermBufferLength?: number;
  /** `sparse` put on both control channels when they have none (Java `Context.controlTermBufferSparse`; default true). */
  readonly controlTermBufferSparse?: boolean;
  /**
   * `mtu` put on both control channels when they have none, in bytes (Java `Context.controlMtuLength`; default
   * 1408, the driver's MTU default).
   */
  readonly controlMtuLength?: number;
  /**
   * Credentials for the connect request and for the archive's challenges (Java `Context.credentialsSupplier`;
   * default {@link NULL_CREDENTIALS_SUPPLIER}: none).
   */
  readonly credentialsSupplier?: CredentialsSupplier;
  /** Errors not tied to a pending call (ERROR responses to other correlation ids, transport failures). */
  readonly errorHandler?: ArchiveErrorHandler;
  /** Recording signals, as they arrive. They are also available through `AeronArchive.recordingSignals()`. */
  readonly recordingSignalConsumer?: RecordingSignalConsumer;
  /** Idle service period (default 100 ms): how often a session with no call pending polls for signals and errors. */
  readonly idleServiceIntervalMs?: number;
  /**
   * Java `Context.idleStrategy()`: paces the polling while a call (or the connect) awaits its answer. After each
   * poll the client asks `idle(workCount)` for the delay before the next one (0 = `setImmediate`, > 0 = a timer
   * of that many ms) and calls `reset()` when a new wait starts. Default: `ArchiveIdleStrategies.backoff()`, Java's
   * `BackoffIdleStrategy(10, 20, 1 µs, 1 ms)` on the event loop (32 immediate re-polls, then 1 ms timers). Use
   * `ArchiveIdleStrategies.sleeping(ms)` to poll less often (less CPU, more latency) or `yielding()` for the lowest
   * latency. One strategy instance per archive client: it is stateful.
   */
  readonly idleStrategy?: ArchiveIdleStrategy;
  /** Monotonic clock in ms (default `performance.now`); tests may inject one. */
  readonly clock?: () => number;
}

/** Options with every default applied and the channels concluded as Java does. */
export interface ArchiveContext {
  /** Opens the control channels: `options.transport`, else an {@link AeronControlTransport} over `aeron`. */
  readonly transport: ControlTransportFactory;
  /** The client used for replay subscriptions and recorded publications (null with a bare transport). */
  readonly aeron: Aeron | null;
  /** Java `Context.ownsAeronClient()`: closing the archive client closes `aeron`. */
  readonly ownsAeronClient: boolean;
  /**
   * The request channel as concluded: `term-length`, `mtu` and `sparse` filled in, `session-id` pinned (unless
   * the response channel is `control-mode=response`), and, for a response channel, `response-correlation-id` set
   * by the connect once the response subscription exists (hence not readonly).
   */
  controlRequestChannel: string;
  /** Stream id of the control request channel. */
  readonly controlRequestStreamId: number;
  /** The response channel as concluded (`term-length`, `mtu`, `sparse` and `session-id` as for the request). */
  readonly controlResponseChannel: string;
  /** Stream id of the control response channel. */
  readonly controlResponseStreamId: number;
  /** The recording events channel (for the caller; the client does not subscribe to it). */
  readonly recordingEventsChannel: string;
  /** Stream id of the recording events channel. */
  readonly recordingEventsStreamId: number;
  /** How long the connect, and each wait for a response, may take (ms). */
  readonly messageTimeoutMs: number;
  /** Offer attempts per request before the call fails with "failed to send". */
  readonly messageRetryAttempts: number;
  /** The name sent in the connect request's client info (may be empty). */
  readonly clientName: string;
  /** `term-length` applied to the control channels that had none (bytes). */
  readonly controlTermBufferLength: number;
  /** `sparse` applied to the control channels that had none. */
  readonly controlTermBufferSparse: boolean;
  /** `mtu` applied to the control channels that had none (bytes). */
  readonly controlMtuLength: number;
  /** The credentials supplier, or null for none (the connect then uses {@link NULL_CREDENTIALS_SUPPLIER}). */
  readonly credentialsSupplier: CredentialsSupplier | null;
  /** Where errors no pending call takes go, or null (unmatched ERRORs then queue for `pollForErrorResponse`). */
  readonly errorHandler: ArchiveErrorHandler | null;
  /** Receives each recording signal as it arrives, or null. */
  readonly recordingSignalConsumer: RecordingSignalConsumer | null;
  /** How often an idle session polls for signals and errors (ms). */
  readonly idleServiceIntervalMs: number;
  /** Paces the polling while a call awaits its answer; stateful, one per client. */
  readonly idleStrategy: ArchiveIdleStrategy;
  /** The monotonic clock deadlines are measured with (ms). */
  readonly clock: () => number;
}

/** Java `Context.conclude()`: defaults, checks, and the term-length / mtu / sparse / session-id channel params. */
export function resolveContext(options: ArchiveOptions): ArchiveContext {
  return concludeContext(options);
}

/**
 * {@link resolveContext}, with the control transport made over `options.aeron` pinning the control channels to
 * `sessionId` (Java's `conclude()` asks the driver for it synchronously; the connect asks first, then concludes
 * again with the answer).
 */
export function concludeContext(options: ArchiveOptions, sessionId?: number): ArchiveContext {
  const transport = controlTransportOf(options, sessionId);
  if (transport === null) throw new ArchiveError('AeronArchive.Context needs an aeron client, aeronDir or transport');
  if (!options.controlRequestChannel) throw new ArchiveError('AeronArchive.Context.controlRequestChannel must be set');
  if (!options.controlResponseChannel) {
    throw new ArchiveError('AeronArchive.Context.controlResponseChannel must be set');
  }
  const clientName = options.clientName ?? '';
  if (clientName.length > ArchiveDefaults.MAX_CLIENT_NAME_LENGTH) {
    throw new ArchiveError(
      `AeronArchive.Context.clientName length must be <= ${ArchiveDefaults.MAX_CLIENT_NAME_LENGTH}`,
    );
  }
  const messageRetryAttempts = options.messageRetryAttempts ?? ArchiveDefaults.MESSAGE_RETRY_ATTEMPTS;
  if (!(messageRetryAttempts > 0)) {
    throw new ArchiveError(`AeronArchive.Context.messageRetryAttempts must be > 0, got: ${messageRetryAttempts}`);
  }
  const controlTermBufferLength = options.controlTermBufferLength ?? ArchiveDefaults.CONTROL_TERM_BUFFER_LENGTH;
  const controlTermBufferSparse = options.controlTermBufferSparse ?? ArchiveDefaults.CONTROL_TERM_BUFFER_SPARSE;
  const controlMtuLength = options.controlMtuLength ?? ArchiveDefaults.CONTROL_MTU_LENGTH;
  const controlRequestStreamId = options.controlRequestStreamId ?? ArchiveDefaults.CONTROL_STREAM_ID;

  const defaults = { termLength: controlTermBufferLength, mtu: controlMtuLength, sparse: controlTermBufferSparse };
  let request = applyDefaultParams(options.controlRequestChannel, defaults);
  let response = applyDefaultParams(options.controlResponseChannel, defaults);
  if (!isControlModeResponse(response) && transport.nextSessionId !== undefined) {
    const sessionId = String(transport.nextSessionId(controlRequestStreamId));
    request = putChannelParam(request, 'session-id', sessionId);
    response = putChannelParam(response, 'session-id', sessionId);
  }

  return {
    transport,
    aeron: options.aeron ?? null,
    ownsAeronClient: options.ownsAeronClient ?? false,
    controlRequestChannel: request,
    controlRequestStreamId,
    controlResponseChannel: response,
    controlResponseStreamId: options.controlResponseStreamId ?? ArchiveDefaults.CONTROL_RESPONSE_STREAM_ID,
    recordingEventsChannel: options.recordingEventsChannel ?? ArchiveDefaults.RECORDING_EVENTS_CHANNEL,
    recordingEventsStreamId: options.recordingEventsStreamId ?? ArchiveDefaults.RECORDING_EVENTS_STREAM_ID,
    messageTimeoutMs: options.messageTimeoutMs ?? ArchiveDefaults.MESSAGE_TIMEOUT_MS,
    messageRetryAttempts,
    clientName,
    controlTermBufferLength,
    controlTermBufferSparse,
    controlMtuLength,
    credentialsSupplier: options.credentialsSupplier ?? null,
    errorHandler: options.errorHandler ?? null,
    recordingSignalConsumer: options.recordingSignalConsumer ?? null,
    idleServiceIntervalMs: options.idleServiceIntervalMs ?? ArchiveDefaults.IDLE_SERVICE_INTERVAL_MS,
    idleStrategy: options.idleStrategy ?? ArchiveIdleStrategies.backoff(),
    clock: options.clock ?? (() => performance.now()),
  };
}

/**
 * The control transport of `options`, the one place it is made: `options.transport`, else an
 * {@link AeronControlTransport} over `options.aeron` (pinned to `sessionId` when given); null without either.
 */
function controlTransportOf(options: ArchiveOptions, sessionId: number | undefined): ControlTransportFactory | null {
  if (options.transport !== undefined) return options.transport;
  return options.aeron === undefined ? null : new AeronControlTransport(options.aeron, sessionId);
}

function applyDefaultParams(channel: string, d: { termLength: number; mtu: number; sparse: boolean }): string {
  let result = channel;
  if (getChannelParam(result, 'term-length') === null)
    result = putChannelParam(result, 'term-length', String(d.termLength));
  if (getChannelParam(result, 'mtu') === null) result = putChannelParam(result, 'mtu', String(d.mtu));
  if (getChannelParam(result, 'sparse') === null) result = putChannelParam(result, 'sparse', String(d.sparse));
  return result;
}

/** True when the channel has `control-mode=response`. */
export function isControlModeResponse(channel: string): boolean {
  return getChannelParam(channel, 'control-mode') === 'response';
}

/** The value of `key` in an `aeron:<media>?k=v|k=v` channel, or null. */
export function getChannelParam(channel: string, key: string): string | null {
  const q = channel.indexOf('?');
  if (q < 0) return null;
  for (const part of channel.slice(q + 1).split('|')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === key) return part.slice(eq + 1);
  }
  return null;
}

/** The channel with `key=value` set (replacing an existing value, else appended). */
export function putChannelParam(channel: string, key: string, value: string): string {
  const q = channel.indexOf('?');
  if (q < 0) return `${channel}?${key}=${value}`;
  const parts = channel
    .slice(q + 1)
    .split('|')
    .filter((p) => p.length > 0);
  const i = parts.findIndex((p) => p.startsWith(`${key}=`));
  if (i >= 0) parts[i] = `${key}=${value}`;
  else parts.push(`${key}=${value}`);
  return `${channel.slice(0, q)}?${parts.join('|')}`;
}
