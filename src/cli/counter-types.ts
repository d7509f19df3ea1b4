/**
 * The key layout of the media driver's per-stream counters (Java `io.aeron.driver.status.StreamCounter`) and
 * display names of counter type ids (the ids themselves: `src/transport/aeron-counters.ts`, Java `AeronCounters`).
 *
 * ```
 *  stream counter key (types 1-5, 9, 10, 12, 13, 19, 20):
 *    +0   int64 registrationId   of the publication, subscription or image
 *    +8   int32 sessionId
 *    +12  int32 streamId
 *    +16  int32 channel length
 *    +20  channel, US-ASCII, at most 92 bytes (the full channel is in the label)
 *
 *  label: "<name>: <registrationId> <sessionId> <streamId> <channel>[ @<joinPosition>]"
 * ```
 */
import {
  ARCHIVE_CONTROL_SESSION_TYPE_ID,
  ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
  ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
  ARCHIVE_ERROR_COUNT_TYPE_ID,
  ARCHIVE_MAX_CYCLE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDING_POSITION_TYPE_ID,
  ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID,
  type AtomicBuffer,
  DRIVER_HEARTBEAT_TYPE_ID,
  DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
  DRIVER_PER_IMAGE_TYPE_ID,
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID,
  DRIVER_RECEIVER_HWM_TYPE_ID,
  DRIVER_RECEIVER_NAKS_SENT_TYPE_ID,
  DRIVER_RECEIVER_POS_TYPE_ID,
  DRIVER_SEND_CHANNEL_STATUS_TYPE_ID,
  DRIVER_SENDER_BPE_TYPE_ID,
  DRIVER_SENDER_LIMIT_TYPE_ID,
  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
  DRIVER_SENDER_POSITION_TYPE_ID,
  DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
  DRIVER_SYSTEM_COUNTER_TYPE_ID,
  FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID,
  MDC_DESTINATIONS_COUNTER_TYPE_ID,
  NAME_RESOLVER_BOOTSTRAP_NEIGHBOR_COUNTER_TYPE_ID,
  NAME_RESOLVER_CACHE_ENTRIES_COUNTER_TYPE_ID,
  NAME_RESOLVER_NEIGHBORS_COUNTER_TYPE_ID,
} from '../transport/index.ts';

/** Offset in a stream counter key of the int64 registration id. Java: `StreamCounter.REGISTRATION_ID_OFFSET`. */
export const STREAM_KEY_REGISTRATION_ID_OFFSET = 0;
/** Offset in a stream counter key of the int32 session id. Java: `StreamCounter.SESSION_ID_OFFSET`. */
export const STREAM_KEY_SESSION_ID_OFFSET = 8;
/** Offset in a stream counter key of the int32 stream id. Java: `StreamCounter.STREAM_ID_OFFSET`. */
export const STREAM_KEY_STREAM_ID_OFFSET = 12;
/**
 * Offset in a stream counter key of the channel (int32 length, then US-ASCII). Java: `StreamCounter.CHANNEL_OFFSET`.
 */
export const STREAM_KEY_CHANNEL_OFFSET = 16;

/** Short names of the type ids the driver, archive and cluster allocate (for display only). */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [DRIVER_SYSTEM_COUNTER_TYPE_ID, 'system'],
  [DRIVER_PUBLISHER_LIMIT_TYPE_ID, 'pub-lmt'],
  [DRIVER_SENDER_POSITION_TYPE_ID, 'snd-pos'],
  [DRIVER_RECEIVER_HWM_TYPE_ID, 'rcv-hwm'],
  [DRIVER_SUBSCRIBER_POSITION_TYPE_ID, 'sub-pos'],
  [DRIVER_RECEIVER_POS_TYPE_ID, 'rcv-pos'],
  [DRIVER_SEND_CHANNEL_STATUS_TYPE_ID, 'snd-channel'],
  [DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID, 'rcv-channel'],
  [DRIVER_SENDER_LIMIT_TYPE_ID, 'snd-lmt'],
  [DRIVER_PER_IMAGE_TYPE_ID, 'per-image'],
  [DRIVER_HEARTBEAT_TYPE_ID, 'client-heartbeat'],
  [DRIVER_PUBLISHER_POS_TYPE_ID, 'pub-pos'],
  [DRIVER_SENDER_BPE_TYPE_ID, 'snd-bpe'],
  [DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID, 'local-sockaddr'],
  [NAME_RESOLVER_NEIGHBORS_COUNTER_TYPE_ID, 'resolver-neighbors'],
  [NAME_RESOLVER_CACHE_ENTRIES_COUNTER_TYPE_ID, 'resolver-cache-entries'],
  [FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID, 'fc-receivers'],
  [MDC_DESTINATIONS_COUNTER_TYPE_ID, 'mdc-num-dest'],
  [DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID, 'snd-naks-received'],
  [DRIVER_RECEIVER_NAKS_SENT_TYPE_ID, 'rcv-naks-sent'],
  [NAME_RESOLVER_BOOTSTRAP_NEIGHBOR_COUNTER_TYPE_ID, 'resolver-bootstrap-neighbor'],
  [ARCHIVE_RECORDING_POSITION_TYPE_ID, 'archive-recording-pos'],
  [ARCHIVE_ERROR_COUNT_TYPE_ID, 'archive-errors'],
  [ARCHIVE_CONTROL_SESSIONS_TYPE_ID, 'archive-control-sessions'],
  [ARCHIVE_MAX_CYCLE_TIME_TYPE_ID, 'archive-max-cycle-time'],
  [ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID, 'archive-cycle-time-exceeded'],
  [ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID, 'archive-recorder-max-write-time'],
  [ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID, 'archive-recorder-write-bytes'],
  [ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID, 'archive-recorder-write-time'],
  [ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID, 'archive-replayer-max-read-time'],
  [ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID, 'archive-replayer-read-bytes'],
  [ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID, 'archive-replayer-read-time'],
  [ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID, 'archive-recording-sessions'],
  [ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID, 'archive-replay-sessions'],
  [ARCHIVE_CONTROL_SESSION_TYPE_ID, 'archive-control-session'],
]);

/** Display name of a type id, or `type-<id>` when unknown. */
export function counterTypeName(typeId: number): string {
  return TYPE_NAMES.get(typeId) ?? `type-${typeId}`;
}

/** True for the counters whose key is a stream counter key (see the module comment). */
export function isStreamCounterType(typeId: number): boolean {
  return (
    (typeId >= DRIVER_PUBLISHER_LIMIT_TYPE_ID && typeId <= DRIVER_RECEIVER_POS_TYPE_ID) ||
    typeId === DRIVER_SENDER_LIMIT_TYPE_ID ||
    typeId === DRIVER_PER_IMAGE_TYPE_ID ||
    typeId === DRIVER_PUBLISHER_POS_TYPE_ID ||
    typeId === DRIVER_SENDER_BPE_TYPE_ID ||
    typeId === DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID ||
    typeId === DRIVER_RECEIVER_NAKS_SENT_TYPE_ID
  );
}

/** A decoded stream counter key. */
export interface StreamCounterKey {
  /** Registration id of the publication, subscription or image the counter belongs to. */
  readonly registrationId: number;
  /** The stream's session id. */
  readonly sessionId: number;
  /** The stream id. */
  readonly streamId: number;
  /** The channel as stored in the key (may be truncated to 92 bytes). */
  readonly channel: string;
}

/** Decodes a stream counter key (the 112-byte key window of a counter). */
export function readStreamCounterKey(key: AtomicBuffer): StreamCounterKey {
  const maxChannel = key.capacity - STREAM_KEY_CHANNEL_OFFSET - 4;
  const length = Math.max(0, Math.min(key.getInt32(STREAM_KEY_CHANNEL_OFFSET), maxChannel));
  return {
    registrationId: key.getInt64(STREAM_KEY_REGISTRATION_ID_OFFSET),
    sessionId: key.getInt32(STREAM_KEY_SESSION_ID_OFFSET),
    streamId: key.getInt32(STREAM_KEY_STREAM_ID_OFFSET),
    channel: key.getStringWithoutLengthAscii(STREAM_KEY_CHANNEL_OFFSET + 4, length),
  };
}

/**
 * The full channel from a stream counter's label (the key holds at most 92 bytes of it): the text from
 * `aeron:` on, without a subscriber's trailing ` @<joinPosition>`. Falls back to the key's channel.
 */
export function channelFromLabel(typeId: number, label: string, keyChannel: string): string {
  const uriIndex = label.indexOf('aeron:');
  if (uriIndex < 0) return keyChannel;
  let end = label.length;
  if (typeId === DRIVER_SUBSCRIBER_POSITION_TYPE_ID) {
    const at = label.lastIndexOf(' @');
    if (at > uriIndex) end = at;
  }
  const channel = label.slice(uriIndex, end);
  return channel.length >= keyChannel.length ? channel : keyChannel;
}

/** A subscriber's join position from its label's ` @<position>` suffix, or null. */
export function joinPositionFromLabel(label: string): number | null {
  const match = / @(-?\d+)$/.exec(label);
  return match?.[1] === undefined ? null : Number(match[1]);
}
