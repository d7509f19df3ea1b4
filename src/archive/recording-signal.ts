/**
 * Recording signals (template 24, RecordingSignalEvent) as delivered to the application: the control session they
 * belong to, the correlation id of the request that caused them, and what happened.
 */
import { RecordingSignal, recordingSignalName } from '../../codecs/generated/archive/RecordingSignal.ts';
import type { RecordingSignalEventDecoder } from '../../codecs/generated/archive/RecordingSignalEventDecoder.ts';

export { RecordingSignal, recordingSignalName };

export interface RecordingSignalEvent {
  readonly controlSessionId: number;
  readonly correlationId: number;
  readonly recordingId: number;
  readonly subscriptionId: number;
  readonly position: number;
  /** Raw signal value (START 0, STOP 1, EXTEND 2, REPLICATE 3, MERGE 4, SYNC 5, DELETE 6, REPLICATE_END 7). */
  readonly signal: number;
  /** e.g. 'START'; 'SBE_UNKNOWN' for a value newer than our schema. */
  readonly signalName: string;
}

/** Java `RecordingSignalConsumer`, with the fields in one object. */
export type RecordingSignalConsumer = (event: RecordingSignalEvent) => void;

/** Reads a signal out of a wrapped decoder. */
export function recordingSignalEventOf(d: RecordingSignalEventDecoder): RecordingSignalEvent {
  const signal = d.signalRaw();
  return {
    controlSessionId: d.controlSessionId(),
    correlationId: d.correlationId(),
    recordingId: d.recordingId(),
    subscriptionId: d.subscriptionId(),
    position: d.position(),
    signal,
    signalName: recordingSignalName(signal),
  };
}
