/**
 * Java `ReplicationParams` as a plain options object. Unset fields take Java's defaults: stopPosition
 * NULL_POSITION (-1), dstRecordingId / channelTagId / subscriptionTagId / fileIoMaxLength /
 * replicationSessionId -1, no live destination / replication channel / source response channel, empty credentials.
 * Every replicate is sent as ReplicateRequest2 (template 66), as Java does.
 */
import { ArchiveError } from './archive-error.ts';
import { NULL_POSITION, NULL_VALUE } from './replay-params.ts';

/**
 * How a replication runs (Java `ReplicationParams`), for `AeronArchive.replicate`. Every field is optional; unset
 * ones take Java's defaults. `liveDestination` and `replicationSessionId` exclude each other.
 */
export interface ReplicationParams {
  /**
   * Source position to stop replicating at (Java `ReplicationParams.stopPosition`); default {@link NULL_POSITION}:
   * replicate continuously.
   */
  readonly stopPosition?: number;
  /**
   * Recording in the destination archive to extend (Java `ReplicationParams.dstRecordingId`); default
   * {@link NULL_VALUE}: the destination archive creates a new recording.
   */
  readonly dstRecordingId?: number;
  /**
   * Destination for the live stream, to merge the replication with it once caught up (Java
   * `ReplicationParams.liveDestination`); default none: no merge.
   */
  readonly liveDestination?: string;
  /**
   * Channel the replication's replay is received on (Java `ReplicationParams.replicationChannel`); default none:
   * the destination archive's `Archive.Context.replicationChannel`.
   */
  readonly replicationChannel?: string;
  /**
   * Channel tag applied to the destination archive's replication subscription (Java
   * `ReplicationParams.channelTagId`); default {@link NULL_VALUE}.
   */
  readonly channelTagId?: number;
  /**
   * Subscription tag applied to the destination archive's replication subscription (Java
   * `ReplicationParams.subscriptionTagId`); default {@link NULL_VALUE}.
   */
  readonly subscriptionTagId?: number;
  /**
   * Largest file read the source archive does for the replication's replay, in bytes (Java
   * `ReplicationParams.fileIoMaxLength`); default {@link NULL_VALUE}: the archive's own. Larger than the
   * archive's has no effect.
   */
  readonly fileIoMaxLength?: number;
  /**
   * Session id for the replicated recording instead of the source's (Java
   * `ReplicationParams.replicationSessionId`), for replicating the same recording in stages; default
   * {@link NULL_VALUE}: the source's.
   */
  readonly replicationSessionId?: number;
  /**
   * Credentials passed to the source archive (Java `ReplicationParams.encodedCredentials`); simple authentication
   * only, no challenge/response. Default empty.
   */
  readonly encodedCredentials?: Uint8Array;
  /**
   * Control address of the response publication for the source archive, to use response channels during
   * replication (Java `ReplicationParams.srcResponseChannel`); default none.
   */
  readonly srcResponseChannel?: string;
}

/**
 * {@link ReplicationParams} with every default applied, as {@link ArchiveProxy.replicate} encodes it into a
 * ReplicateRequest2: -1 where Java sends `NULL_VALUE`, `''` where Java's null string encodes as empty var data.
 * Only for callers driving an {@link ArchiveProxy} themselves; `AeronArchive.replicate` resolves its
 * `ReplicationParams` into one.
 */
export interface ResolvedReplicationParams {
  /** Source position to stop at, or {@link NULL_POSITION} to replicate continuously. */
  readonly stopPosition: number;
  /** Destination recording to extend, or {@link NULL_VALUE} for a new one. */
  readonly dstRecordingId: number;
  /** '' when not set (Java null encodes as empty var data). */
  readonly liveDestination: string;
  /** Channel for the replication's replay, or '' for the destination archive's default. */
  readonly replicationChannel: string;
  /** Channel tag of the replication subscription, or {@link NULL_VALUE}. */
  readonly channelTagId: number;
  /** Subscription tag of the replication subscription, or {@link NULL_VALUE}. */
  readonly subscriptionTagId: number;
  /** Largest file read for the replay (bytes), or {@link NULL_VALUE} for the archive's default. */
  readonly fileIoMaxLength: number;
  /** Session id for the replicated recording, or {@link NULL_VALUE} for the source's. */
  readonly replicationSessionId: number;
  /** Credentials for the source archive (empty for none). */
  readonly encodedCredentials: Uint8Array;
  /** Control address of the source archive's response publication, or '' for none. */
  readonly srcResponseChannel: string;
}

const EMPTY = new Uint8Array(0);

/**
 * Applies Java's `ReplicationParams` defaults (see {@link ReplicationParams}). Throws `ArchiveError`
 * (ARCHIVE_ERROR) when both `liveDestination` and a `replicationSessionId` are given, as Java's
 * `ArchiveProxy.replicate` does.
 */
export function resolveReplicationParams(p: ReplicationParams = {}): ResolvedReplicationParams {
  if (
    p.liveDestination !== undefined &&
    p.replicationSessionId !== undefined &&
    p.replicationSessionId !== NULL_VALUE
  ) {
    throw new ArchiveError(
      'ReplicationParams.liveDestination and ReplicationParams.sessionId can not be specified together',
    );
  }
  return {
    stopPosition: p.stopPosition ?? NULL_POSITION,
    dstRecordingId: p.dstRecordingId ?? NULL_VALUE,
    liveDestination: p.liveDestination ?? '',
    replicationChannel: p.replicationChannel ?? '',
    channelTagId: p.channelTagId ?? NULL_VALUE,
    subscriptionTagId: p.subscriptionTagId ?? NULL_VALUE,
    fileIoMaxLength: p.fileIoMaxLength ?? NULL_VALUE,
    replicationSessionId: p.replicationSessionId ?? NULL_VALUE,
    encodedCredentials: p.encodedCredentials ?? EMPTY,
    srcResponseChannel: p.srcResponseChannel ?? '',
  };
}
