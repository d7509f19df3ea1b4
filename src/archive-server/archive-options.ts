/**
 * Options of `Archive.launch`, with Java's names (`Archive.Context`) and 1.51.0's defaults where this archive
 * implements them.
 *
 * | option                        | Java property                                 | default                      |
 * |-------------------------------|-----------------------------------------------|------------------------------|
 * | aeronDir                      | aeron.dir                                     | the client's default         |
 * | archiveDir                    | aeron.archive.dir                             | `aeron-archive`              |
 * | markFileDir                   | aeron.archive.mark.file.dir                   | archiveDir                   |
 * | controlChannel                | aeron.archive.control.channel                 | none (IPC only for now)      |
 * | controlStreamId               | aeron.archive.control.stream.id               | 10                           |
 * | localControlChannel           | aeron.archive.local.control.channel           | `aeron:ipc?term-length=64k`  |
 * | localControlStreamId          | aeron.archive.local.control.stream.id         | 10                           |
 * | controlTermBufferLength       | aeron.archive.control.term.buffer.length      | 64 KiB                       |
 * | controlMtuLength              | aeron.archive.control.mtu.length              | 1408                         |
 * | controlTermBufferSparse       | aeron.archive.control.term.buffer.sparse      | true                         |
 * | archiveId                     | aeron.archive.id                              | the Aeron client id          |
 * | segmentFileLength             | aeron.archive.segment.file.length             | 128 MiB                      |
 * | fileSyncLevel                 | aeron.archive.file.sync.level                 | 0                            |
 * | catalogFileSyncLevel          | aeron.archive.catalog.file.sync.level         | fileSyncLevel                |
 * | catalogCapacity               | aeron.archive.catalog.capacity                | 1 MiB                        |
 * | connectTimeoutMs              | aeron.archive.connect.timeout                 | 5 s                          |
 * | sessionLivenessCheckIntervalMs| aeron.archive.session.liveness.check.interval | 1 s                          |
 * | replayLingerTimeoutNs         | aeron.archive.replay.linger.timeout           | 5 s                          |
 * | maxConcurrentRecordings       | aeron.archive.max.concurrent.recordings       | 20                           |
 * | maxConcurrentReplays          | aeron.archive.max.concurrent.replays          | 20                           |
 * | fileIoMaxLength               | aeron.archive.file.io.max.length              | 1 MiB                        |
 * | deleteArchiveOnStart          | aeron.archive.dir.delete.on.start             | false                        |
 * | errorBufferLength             | aeron.archive.error.buffer.length             | 1 MiB                        |
 * | recordingEventsEnabled        | aeron.archive.recording.events.enabled        | false                        |
 * | recordingEventsChannel        | aeron.archive.recording.events.channel        | `aeron:udp?control-mode=dynamic\|control=localhost:8030` |
 * | recordingEventsStreamId       | aeron.archive.recording.events.stream.id      | 30                           |
 * | lowStorageSpaceThreshold      | aeron.archive.low.storage.space.threshold     | 128 MiB                      |
 * | authenticator                 | aeron.archive.authenticator.supplier          | none (every session accepted) |
 * | replicationChannel            | aeron.archive.replication.channel             | `aeron:udp?endpoint=localhost:0` (Java: required) |
 * | archiveClientControlResponseChannel | aeron.archive.control.response.channel  | controlChannel's host, port 0; else `aeron:udp?endpoint=localhost:0` |
 * | archiveClientMessageTimeoutMs | aeron.archive.message.timeout                 | 10 s                         |
 * | authorisationService          | aeron.archive.authorisation.service.supplier  | none (every request allowed) |
 */
import { ArchiveServerError } from './archive-server-error.ts';
import type { Authenticator, AuthorisationService } from './authenticator.ts';

/** What `Archive.launch` accepts (module comment). */
export interface ArchiveServerOptions {
  /** The media driver's directory (`aeron.dir`); default the Aeron client's default. */
  readonly aeronDir?: string;
  /** Where the catalog and segment files live; created when missing. Default `aeron-archive`. */
  readonly archiveDir?: string;
  /** Where `archive-mark.dat` lives; default the archive dir. */
  readonly markFileDir?: string;
  /** The remote control channel; default none (this archive serves the local control channel). */
  readonly controlChannel?: string | null;
  /** Control stream id; default 10. */
  readonly controlStreamId?: number;
  /** Local control channel; default `aeron:ipc?term-length=64k`. */
  readonly localControlChannel?: string;
  /** Local control stream id; default 10. */
  readonly localControlStreamId?: number;
  /** Term length of control response publications without one in their channel; default 64 KiB. */
  readonly controlTermBufferLength?: number;
  /** MTU of control response publications without one in their channel; default 1408. */
  readonly controlMtuLength?: number;
  /** Sparse control response terms; default true. */
  readonly controlTermBufferSparse?: boolean;
  /** This archive's id; default the Aeron client's id. */
  readonly archiveId?: number;
  /** Segment file length of new recordings; default 128 MiB. */
  readonly segmentFileLength?: number;
  /** 0 none, 1 fdatasync, 2 fsync for segment writes; default 0. */
  readonly fileSyncLevel?: number;
  /** The same for the catalog; default `fileSyncLevel`. */
  readonly catalogFileSyncLevel?: number;
  /** Capacity of a new catalog; default 1 MiB. */
  readonly catalogCapacity?: number;
  /** How long a control session may go without activity or a replay without a connection; default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Interval of the liveness pings to each control session; default 1000 ms. */
  readonly sessionLivenessCheckIntervalMs?: number;
  /** Linger of replay publications (ns); default 5 s. */
  readonly replayLingerTimeoutNs?: number;
  /** Recordings allowed at once; default 20. */
  readonly maxConcurrentRecordings?: number;
  /** Replays allowed at once; default 20. */
  readonly maxConcurrentReplays?: number;
  /** Largest read of a replay (and block of a recording); default 1 MiB. */
  readonly fileIoMaxLength?: number;
  /** Delete the archive dir before starting; default false. */
  readonly deleteArchiveOnStart?: boolean;
  /** Mark file error log length; default 1 MiB. */
  readonly errorBufferLength?: number;
  /** Publish RecordingStarted / RecordingProgress / RecordingStopped on the events channel; default false. */
  readonly recordingEventsEnabled?: boolean;
  /** The recording events channel; default `aeron:udp?control-mode=dynamic|control=localhost:8030`. */
  readonly recordingEventsChannel?: string;
  /** The recording events stream id; default 30. */
  readonly recordingEventsStreamId?: number;
  /** START / EXTEND_RECORDING are refused (STORAGE_SPACE) when the archive dir's usable space is at or below it; default 128 MiB. */
  readonly lowStorageSpaceThreshold?: number;
  /** Authenticates control sessions (Java `authenticatorSupplier`'s authenticator); default none: all accepted. */
  readonly authenticator?: Authenticator | null;
  /** Authorises each request of a session; default none: all allowed. */
  readonly authorisationService?: AuthorisationService | null;
  /**
   * Channel a source archive replays to in a replication (REPLICATE without its own replication channel); default
   * `aeron:udp?endpoint=localhost:0`. Java has no default and refuses to start without it.
   */
  readonly replicationChannel?: string;
  /**
   * Response channel of the control session this archive opens to a source archive when replicating (Java
   * `Archive.Context.archiveClientContext().controlResponseChannel()`); default `controlChannel`'s endpoint host
   * with port 0 (as Java derives it), else `aeron:udp?endpoint=localhost:0`.
   */
  readonly archiveClientControlResponseChannel?: string;
  /** Message timeout of the requests to a source archive and of each replication step; default 10 000 ms. */
  readonly archiveClientMessageTimeoutMs?: number;
  /** Called with errors of the duty cycle (a session's failure, say); default: kept in `Archive.errors`. */
  readonly errorHandler?: (error: unknown) => void;
}

/** The options with every default applied (archiveId resolved at launch). */
export interface ArchiveServerContext {
  /** See {@link ArchiveServerOptions.aeronDir}. */
  readonly aeronDir: string | undefined;
  /** See {@link ArchiveServerOptions.archiveDir}. */
  readonly archiveDir: string;
  /** See {@link ArchiveServerOptions.markFileDir}. */
  readonly markFileDir: string;
  /** See {@link ArchiveServerOptions.controlChannel}. */
  readonly controlChannel: string | null;
  /** See {@link ArchiveServerOptions.controlStreamId}. */
  readonly controlStreamId: number;
  /** See {@link ArchiveServerOptions.localControlChannel}. */
  readonly localControlChannel: string;
  /** See {@link ArchiveServerOptions.localControlStreamId}. */
  readonly localControlStreamId: number;
  /** See {@link ArchiveServerOptions.controlTermBufferLength}. */
  readonly controlTermBufferLength: number;
  /** See {@link ArchiveServerOptions.controlMtuLength}. */
  readonly controlMtuLength: number;
  /** See {@link ArchiveServerOptions.controlTermBufferSparse}. */
  readonly controlTermBufferSparse: boolean;
  /** See {@link ArchiveServerOptions.archiveId}. */
  readonly archiveId: number | undefined;
  /** See {@link ArchiveServerOptions.segmentFileLength}. */
  readonly segmentFileLength: number;
  /** See {@link ArchiveServerOptions.fileSyncLevel}. */
  readonly fileSyncLevel: number;
  /** See {@link ArchiveServerOptions.catalogFileSyncLevel}. */
  readonly catalogFileSyncLevel: number;
  /** See {@link ArchiveServerOptions.catalogCapacity}. */
  readonly catalogCapacity: number;
  /** See {@link ArchiveServerOptions.connectTimeoutMs}. */
  readonly connectTimeoutMs: number;
  /** See {@link ArchiveServerOptions.sessionLivenessCheckIntervalMs}. */
  readonly sessionLivenessCheckIntervalMs: number;
  /** See {@link ArchiveServerOptions.replayLingerTimeoutNs}. */
  readonly replayLingerTimeoutNs: number;
  /** See {@link ArchiveServerOptions.maxConcurrentRecordings}. */
  readonly maxConcurrentRecordings: number;
  /** See {@link ArchiveServerOptions.maxConcurrentReplays}. */
  readonly maxConcurrentReplays: number;
  /** See {@link ArchiveServerOptions.fileIoMaxLength}. */
  readonly fileIoMaxLength: number;
  /** See {@link ArchiveServerOptions.deleteArchiveOnStart}. */
  readonly deleteArchiveOnStart: boolean;
  /** See {@link ArchiveServerOptions.errorBufferLength}. */
  readonly errorBufferLength: number;
  /** See {@link ArchiveServerOptions.recordingEventsEnabled}. */
  readonly recordingEventsEnabled: boolean;
  /** See {@link ArchiveServerOptions.recordingEventsChannel}. */
  readonly recordingEventsChannel: string;
  /** See {@link ArchiveServerOptions.recordingEventsStreamId}. */
  readonly recordingEventsStreamId: number;
  /** See {@link ArchiveServerOptions.lowStorageSpaceThreshold}. */
  readonly lowStorageSpaceThreshold: number;
  /** See {@link ArchiveServerOptions.authenticator}. */
  readonly authenticator: Authenticator | null;
  /** See {@link ArchiveServerOptions.authorisationService}. */
  readonly authorisationService: AuthorisationService | null;
  /** See {@link ArchiveServerOptions.replicationChannel}. */
  readonly replicationChannel: string;
  /** See {@link ArchiveServerOptions.archiveClientControlResponseChannel}. */
  readonly archiveClientControlResponseChannel: string;
  /** See {@link ArchiveServerOptions.archiveClientMessageTimeoutMs}. */
  readonly archiveClientMessageTimeoutMs: number;
}

/** Java's `Archive.Configuration` defaults. */
export const ArchiveServerDefaults = {
  /** `aeron.archive.dir`. */
  ARCHIVE_DIR: 'aeron-archive',
  /** `aeron.archive.control.stream.id`. */
  CONTROL_STREAM_ID: 10,
  /** `aeron.archive.local.control.channel`. */
  LOCAL_CONTROL_CHANNEL: 'aeron:ipc?term-length=64k',
  /** `aeron.archive.local.control.stream.id`. */
  LOCAL_CONTROL_STREAM_ID: 10,
  /** `aeron.archive.control.term.buffer.length`. */
  CONTROL_TERM_BUFFER_LENGTH: 64 * 1024,
  /** `aeron.archive.control.mtu.length`. */
  CONTROL_MTU_LENGTH: 1408,
  /** `aeron.archive.segment.file.length`. */
  SEGMENT_FILE_LENGTH: 128 * 1024 * 1024,
  /** `aeron.archive.connect.timeout`. */
  CONNECT_TIMEOUT_MS: 5_000,
  /** `aeron.archive.session.liveness.check.interval`. */
  SESSION_LIVENESS_CHECK_INTERVAL_MS: 1_000,
  /** `aeron.archive.replay.linger.timeout`. */
  REPLAY_LINGER_TIMEOUT_NS: 5_000_000_000,
  /** `aeron.archive.max.concurrent.recordings` and `.replays`. */
  MAX_CONCURRENT_SESSIONS: 20,
  /** `aeron.archive.file.io.max.length`. */
  FILE_IO_MAX_LENGTH: 1024 * 1024,
  /** `aeron.archive.error.buffer.length`. */
  ERROR_BUFFER_LENGTH: 1024 * 1024,
  /** `aeron.archive.recording.events.channel`. */
  RECORDING_EVENTS_CHANNEL: 'aeron:udp?control-mode=dynamic|control=localhost:8030',
  /** `aeron.archive.recording.events.stream.id`. */
  RECORDING_EVENTS_STREAM_ID: 30,
  /** `aeron.archive.replication.channel` (Java has no default). */
  REPLICATION_CHANNEL: 'aeron:udp?endpoint=localhost:0',
  /** `aeron.archive.message.timeout` of the archive's own archive client (replication). */
  ARCHIVE_CLIENT_MESSAGE_TIMEOUT_MS: 10_000,
} as const;

/**
 * Java `Archive.Context.conclude`'s archive client response channel: the control channel's endpoint host with
 * port 0; without a control channel (or an endpoint in host:port form) this archive uses localhost instead of
 * refusing to start as Java does.
 */
export function defaultArchiveClientResponseChannel(controlChannel: string | null): string {
  const endpoint = controlChannel === null ? undefined : /[?|]endpoint=([^|]*)/.exec(controlChannel)?.[1];
  const separator = endpoint === undefined ? -1 : endpoint.lastIndexOf(':');
  if (endpoint === undefined || separator < 0) return ArchiveServerDefaults.REPLICATION_CHANNEL;
  return `aeron:udp?endpoint=${endpoint.substring(0, separator)}:0`;
}

/** Applies the defaults and checks the values Java checks (`Archive.Context.conclude`). */
export function resolveArchiveServerContext(options: ArchiveServerOptions): ArchiveServerContext {
  const archiveDir = options.archiveDir ?? ArchiveServerDefaults.ARCHIVE_DIR;
  const fileSyncLevel = options.fileSyncLevel ?? 0;
  const ctx: ArchiveServerContext = {
    aeronDir: options.aeronDir,
    archiveDir,
    markFileDir: options.markFileDir ?? archiveDir,
    controlChannel: options.controlChannel ?? null,
    controlStreamId: options.controlStreamId ?? ArchiveServerDefaults.CONTROL_STREAM_ID,
    localControlChannel: options.localControlChannel ?? ArchiveServerDefaults.LOCAL_CONTROL_CHANNEL,
    localControlStreamId: options.localControlStreamId ?? ArchiveServerDefaults.LOCAL_CONTROL_STREAM_ID,
    controlTermBufferLength: options.controlTermBufferLength ?? ArchiveServerDefaults.CONTROL_TERM_BUFFER_LENGTH,
    controlMtuLength: options.controlMtuLength ?? ArchiveServerDefaults.CONTROL_MTU_LENGTH,
    controlTermBufferSparse: options.controlTermBufferSparse ?? true,
    archiveId: options.archiveId,
    segmentFileLength: options.segmentFileLength ?? ArchiveServerDefaults.SEGMENT_FILE_LENGTH,
    fileSyncLevel,
    catalogFileSyncLevel: options.catalogFileSyncLevel ?? fileSyncLevel,
    catalogCapacity: options.catalogCapacity ?? 1024 * 1024,
    connectTimeoutMs: options.connectTimeoutMs ?? ArchiveServerDefaults.CONNECT_TIMEOUT_MS,
    sessionLivenessCheckIntervalMs:
      options.sessionLivenessCheckIntervalMs ?? ArchiveServerDefaults.SESSION_LIVENESS_CHECK_INTERVAL_MS,
    replayLingerTimeoutNs: options.replayLingerTimeoutNs ?? ArchiveServerDefaults.REPLAY_LINGER_TIMEOUT_NS,
    maxConcurrentRecordings: options.maxConcurrentRecordings ?? ArchiveServerDefaults.MAX_CONCURRENT_SESSIONS,
    maxConcurrentReplays: options.maxConcurrentReplays ?? ArchiveServerDefaults.MAX_CONCURRENT_SESSIONS,
    fileIoMaxLength: options.fileIoMaxLength ?? ArchiveServerDefaults.FILE_IO_MAX_LENGTH,
    deleteArchiveOnStart: options.deleteArchiveOnStart ?? false,
    errorBufferLength: options.errorBufferLength ?? ArchiveServerDefaults.ERROR_BUFFER_LENGTH,
    recordingEventsEnabled: options.recordingEventsEnabled ?? false,
    recordingEventsChannel: options.recordingEventsChannel ?? ArchiveServerDefaults.RECORDING_EVENTS_CHANNEL,
    recordingEventsStreamId: options.recordingEventsStreamId ?? ArchiveServerDefaults.RECORDING_EVENTS_STREAM_ID,
    lowStorageSpaceThreshold: options.lowStorageSpaceThreshold ?? ArchiveServerDefaults.SEGMENT_FILE_LENGTH,
    authenticator: options.authenticator ?? null,
    authorisationService: options.authorisationService ?? null,
    replicationChannel: options.replicationChannel ?? ArchiveServerDefaults.REPLICATION_CHANNEL,
    archiveClientControlResponseChannel:
      options.archiveClientControlResponseChannel ??
      defaultArchiveClientResponseChannel(options.controlChannel ?? null),
    archiveClientMessageTimeoutMs:
      options.archiveClientMessageTimeoutMs ?? ArchiveServerDefaults.ARCHIVE_CLIENT_MESSAGE_TIMEOUT_MS,
  };
  const s = ctx.segmentFileLength;
  if (!Number.isInteger(s) || s < 64 * 1024 || s > 1024 * 1024 * 1024 || (s & (s - 1)) !== 0) {
    throw new ArchiveServerError(
      'INVALID_OPTION',
      `segmentFileLength must be a power of 2 between 64 KiB and 1 GiB: ${s}`,
    );
  }
  return ctx;
}
