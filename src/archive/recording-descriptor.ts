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
  /** The control session the listing answered (0 when read from a catalog file). */
  readonly controlSessionId: number;
  /** The listing request's correlation id (0 when read from a catalog file). */
  readonly correlationId: number;
  /** The recording's id: assigned by the archive's catalog from 0, +1 per recording. */
  readonly recordingId: number;
  /** When the recording started, epoch ms. */
  readonly startTimestamp: number;
  /** When it stopped, epoch ms; -1 while active. */
  readonly stopTimestamp: number;
  /** Stream position the recording starts at (exact: see the interface comment). */
  readonly startPosition: number;
  /** -1 (NULL_POSITION) while the recording is active. */
  readonly stopPosition: number;
  /** The recorded stream's initial term id. */
  readonly initialTermId: number;
  /** Length of each segment file in bytes. */
  readonly segmentFileLength: number;
  /** The recorded stream's term length in bytes. */
  readonly termBufferLength: number;
  /** The recorded stream's MTU in bytes. */
  readonly mtuLength: number;
  /** The recorded image's session id. */
  readonly sessionId: number;
  /** The recorded stream id. */
  readonly streamId: number;
  /** The channel without the parameters a match ignores (what `listRecordingsForUri` matches). */
  readonly strippedChannel: string;
  /** The channel as the recording was started with. */
  readonly originalChannel: string;
  /** The image's source identity (e.g. `aeron:ipc` or the sender's address). */
  readonly sourceIdentity: string;
}

/** Java `RecordingDescriptorConsumer`: receives each descriptor of a listing (called inside the session's poll). */
export type RecordingDescriptorConsumer = (descriptor: RecordingDescriptor) => void;

/** Java `RecordingSubscriptionDescriptorConsumer.onSubscriptionDescriptor` arguments. */
export interface RecordingSubscriptionDescriptor {
  /** The control session the listing answered. */
  readonly controlSessionId: number;
  /** The listing request's correlation id. */
  readonly correlationId: number;
  /** The recording subscription's registration id (a driver correlation id, below 2^53). */
  readonly subscriptionId: number;
  /** The subscribed stream id. */
  readonly streamId: number;
  /** The subscribed channel, stripped as for matching. */
  readonly strippedChannel: string;
}

/** Java `RecordingSubscriptionDescriptorConsumer`: receives each active recording subscription of a listing. */
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
