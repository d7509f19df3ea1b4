/**
 * Typed listings: a recording's catalog entry (RecordingDescriptor, template 22) and an active recording
 * subscription (RecordingSubscriptionDescriptor, template 23), as delivered to callbacks and async iterators.
 */
import type { RecordingDescriptorDecoder } from '../../codecs/generated/archive/RecordingDescriptorDecoder.ts';
import type { RecordingSubscriptionDescriptorDecoder } from '../../codecs/generated/archive/RecordingSubscriptionDescriptorDecoder.ts';
import { exactInt64 } from './exact-int64.ts';

/**
 * Java `RecordingDescriptorConsumer.onRecordingDescriptor` arguments. Timestamps are epoch ms; -1 = none. The
 * 64-bit fields are exact: a descriptor carrying a value a number cannot hold exactly ends its listing with
 * `ArchiveValueRangeError` (recording ids count from 0, positions are multiples of 32 and exact below 2^58).
 */
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

/**
 * Reads a descriptor (var data in schema order) out of a wrapped decoder; throws `ArchiveValueRangeError` when a
 * 64-bit field is not exactly representable as a number.
 */
export function recordingDescriptorOf(d: RecordingDescriptorDecoder): RecordingDescriptor {
  return {
    controlSessionId: exactInt64(d.controlSessionId(), () => d.controlSessionIdBigInt(), 'controlSessionId'),
    correlationId: exactInt64(d.correlationId(), () => d.correlationIdBigInt(), 'correlationId'),
    recordingId: exactInt64(d.recordingId(), () => d.recordingIdBigInt(), 'recordingId'),
    startTimestamp: exactInt64(d.startTimestamp(), () => d.startTimestampBigInt(), 'startTimestamp'),
    stopTimestamp: exactInt64(d.stopTimestamp(), () => d.stopTimestampBigInt(), 'stopTimestamp'),
    startPosition: exactInt64(d.startPosition(), () => d.startPositionBigInt(), 'startPosition'),
    stopPosition: exactInt64(d.stopPosition(), () => d.stopPositionBigInt(), 'stopPosition'),
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

/** Reads a subscription descriptor; throws `ArchiveValueRangeError` when a 64-bit field is not exact. */
export function recordingSubscriptionDescriptorOf(
  d: RecordingSubscriptionDescriptorDecoder,
): RecordingSubscriptionDescriptor {
  return {
    controlSessionId: exactInt64(d.controlSessionId(), () => d.controlSessionIdBigInt(), 'controlSessionId'),
    correlationId: exactInt64(d.correlationId(), () => d.correlationIdBigInt(), 'correlationId'),
    subscriptionId: exactInt64(d.subscriptionId(), () => d.subscriptionIdBigInt(), 'subscriptionId'),
    streamId: d.streamId(),
    strippedChannel: d.strippedChannel(),
  };
}
