/**
 * Recording signals (template 24, RecordingSignalEvent) as delivered to the application: the control session they
 * belong to, the correlation id of the request that caused them, and what happened.
 */
import { RecordingSignal, recordingSignalName } from '../../codecs/generated/archive/RecordingSignal.ts';
import type { RecordingSignalEventDecoder } from '../../codecs/generated/archive/RecordingSignalEventDecoder.ts';
import { exactInt64 } from './exact-int64.ts';

export { RecordingSignal, recordingSignalName };

/**
 * One recording signal. The 64-bit fields are exact numbers: a signal carrying a value a number cannot hold
 * exactly is not delivered; its `ArchiveValueRangeError` goes to the error handler instead.
 */
export interface RecordingSignalEvent {
  /** The control session the signal belongs to. */
  readonly controlSessionId: number;
  /** The correlation id of the request that caused it (a replication's id for replication signals). */
  readonly correlationId: number;
  /** The recording it is about (from 0, +1 per recording). */
  readonly recordingId: number;
  /** The recording subscription's registration id, or -1. */
  readonly subscriptionId: number;
  /** The recording's position when the signal was sent, or -1 (exact: multiples of 32). */
  readonly position: number;
  /** Raw signal value (START 0, STOP 1, EXTEND 2, REPLICATE 3, MERGE 4, SYNC 5, DELETE 6, REPLICATE_END 7). */
  readonly signal: number;
  /** e.g. 'START'; 'SBE_UNKNOWN' for a value newer than our schema. */
  readonly signalName: string;
}

/** Java `RecordingSignalConsumer`, with the fields in one object. */
export type RecordingSignalConsumer = (event: RecordingSignalEvent) => void;

/** Reads a signal out of a wrapped decoder; throws `ArchiveValueRangeError` when a 64-bit field is not exact. */
export function recordingSignalEventOf(d: RecordingSignalEventDecoder): RecordingSignalEvent {
  const signal = d.signalRaw();
  return {
    controlSessionId: exactInt64(d.controlSessionId(), () => d.controlSessionIdBigInt(), 'controlSessionId'),
    correlationId: exactInt64(d.correlationId(), () => d.correlationIdBigInt(), 'correlationId'),
    recordingId: exactInt64(d.recordingId(), () => d.recordingIdBigInt(), 'recordingId of a recording signal'),
    subscriptionId: exactInt64(
      d.subscriptionId(),
      () => d.subscriptionIdBigInt(),
      'subscriptionId of a recording signal',
    ),
    position: exactInt64(d.position(), () => d.positionBigInt(), 'position of a recording signal'),
    signal,
    signalName: recordingSignalName(signal),
  };
}
