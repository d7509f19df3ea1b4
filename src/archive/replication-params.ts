/**
 * Java `ReplicationParams` (1.51.0) as a plain options object. Unset fields take Java's defaults: stopPosition
 * NULL_POSITION (-1), dstRecordingId / channelTagId / subscriptionTagId / fileIoMaxLength /
 * replicationSessionId -1, no live destination / replication channel / source response channel, empty credentials.
 * Every replicate is sent as ReplicateRequest2 (template 66), as Java does.
 */
import { ArchiveError } from './archive-error.ts';
import { NULL_POSITION, NULL_VALUE } from './replay-params.ts';

export interface ReplicationParams {
  readonly stopPosition?: number;
  readonly dstRecordingId?: number;
  readonly liveDestination?: string;
  readonly replicationChannel?: string;
  readonly channelTagId?: number;
  readonly subscriptionTagId?: number;
  readonly fileIoMaxLength?: number;
  readonly replicationSessionId?: number;
  readonly encodedCredentials?: Uint8Array;
  readonly srcResponseChannel?: string;
}

export interface ResolvedReplicationParams {
  readonly stopPosition: number;
  readonly dstRecordingId: number;
  /** '' when not set (Java null encodes as empty var data). */
  readonly liveDestination: string;
  readonly replicationChannel: string;
  readonly channelTagId: number;
  readonly subscriptionTagId: number;
  readonly fileIoMaxLength: number;
  readonly replicationSessionId: number;
  readonly encodedCredentials: Uint8Array;
  readonly srcResponseChannel: string;
}

const EMPTY = new Uint8Array(0);

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
