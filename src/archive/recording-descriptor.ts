/**
 * Typed listings: a recording's catalog entry (RecordingDescriptor, template 22) and an active recording
 * subscription (RecordingSubscriptionDescriptor, template 23), as delivered to callbacks and async iterators.
 */
import type { RecordingDescriptorDecoder } from '../../codecs/generated/archive/RecordingDescriptorDecoder.ts';
import type { RecordingSubscriptionDescriptorDecoder } from '../../codecs/generated/archive/RecordingSubscriptionDescriptorDecoder.ts';

/** Java `RecordingDescriptorConsumer.onRecordingDescriptor` arguments. Timestamps are epoch ms; -1 = none. */
export interface RecordingDescriptor {
  readonly controlSessionId: number;
  readonly correlationId: number;
  readonly recordingId: number;
  readonly startTimestamp: number;
  readonly stopTimestamp: number;
  readonly startPosition: number;
  /** -1 (NULL_POSITION) while the recording is active. */
  readonly stopPosition: number;
  readonly initialTermId: number;
  readonly segmentFileLength: number;
  readonly termBufferLength: number;
  readonly mtuLength: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly strippedChannel: string;
  readonly originalChannel: string;
  readonly sourceIdentity: string;
}

export type RecordingDescriptorConsumer = (descriptor: RecordingDescriptor) => void;

/** Java `RecordingSubscriptionDescriptorConsumer.onSubscriptionDescriptor` arguments. */
export interface RecordingSubscriptionDescriptor {
  readonly controlSessionId: number;
  readonly correlationId: number;
  readonly subscriptionId: number;
  readonly streamId: number;
  readonly strippedChannel: string;
}

export type RecordingSubscriptionDescriptorConsumer = (descriptor: RecordingSubscriptionDescriptor) => void;

/** Reads a descriptor (var data in schema order) out of a wrapped decoder. */
export function recordingDescriptorOf(d: RecordingDescriptorDecoder): RecordingDescriptor {
  return {
    controlSessionId: d.controlSessionId(),
    correlationId: d.correlationId(),
    recordingId: d.recordingId(),
    startTimestamp: d.startTimestamp(),
    stopTimestamp: d.stopTimestamp(),
    startPosition: d.startPosition(),
    stopPosition: d.stopPosition(),
    initialTermId: d.initialTermId(),
    segmentFileLength: d.segmentFileLength(),
    termBufferLength: d.termBufferLength(),
    mtuLength: d.mtuLength(),
    sessionId: d.sessionId(),
    streamId: d.streamId(),
    strippedChannel: d.strippedChannel(),
    originalChannel: d.originalChannel(),
    sourceIdentity: d.sourceIdentity(),
  };
}

export function recordingSubscriptionDescriptorOf(
  d: RecordingSubscriptionDescriptorDecoder,
): RecordingSubscriptionDescriptor {
  return {
    controlSessionId: d.controlSessionId(),
    correlationId: d.correlationId(),
    subscriptionId: d.subscriptionId(),
    streamId: d.streamId(),
    strippedChannel: d.strippedChannel(),
  };
}
