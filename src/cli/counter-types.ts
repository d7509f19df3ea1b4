/**
 * Type ids of the media driver's counters and the key layout of its per-stream counters (Aeron 1.51.0
 * `AeronCounters` and `io.aeron.driver.status.StreamCounter`).
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
import type { AtomicBuffer } from '../transport/index.ts';

/** A driver system counter (bytes sent, NAKs, errors, …). Java: `AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID`. */
export const SYSTEM_COUNTER_TYPE_ID = 0;
/** A publication's limit: how far it may publish (`pub-lmt`). Java: `AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID`. */
export const PUBLISHER_LIMIT_TYPE_ID = 1;
/** A network publication's sender position (`snd-pos`). Java: `AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID`. */
export const SENDER_POSITION_TYPE_ID = 2;
/**
 * The highest position the receiver has seen on an image, gaps included (`rcv-hwm`). Java:
 * `AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID`.
 */
export const RECEIVER_HWM_TYPE_ID = 3;
/** A subscriber's position in an image (`sub-pos`). Java: `AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID`. */
export const SUBSCRIBER_POSITION_TYPE_ID = 4;
/**
 * The position up to which the receiver has rebuilt an image without gaps (`rcv-pos`). Java:
 * `AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID`.
 */
export const RECEIVER_POS_TYPE_ID = 5;
/** A send channel's status (`snd-channel`). Java: `AeronCounters.DRIVER_SEND_CHANNEL_STATUS_TYPE_ID`. */
export const SEND_CHANNEL_STATUS_TYPE_ID = 6;
/** A receive channel's status (`rcv-channel`). Java: `AeronCounters.DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID`. */
export const RECEIVE_CHANNEL_STATUS_TYPE_ID = 7;
/**
 * The position a network publication's sender may send up to (`snd-lmt`). Java:
 * `AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID`.
 */
export const SENDER_LIMIT_TYPE_ID = 9;
/** A per-image counter the congestion control uses (`per-image`). Java: `AeronCounters.DRIVER_PER_IMAGE_TYPE_ID`. */
export const PER_IMAGE_TYPE_ID = 10;
/** The last heartbeat of a client, epoch ms (`client-heartbeat`). Java: `AeronCounters.DRIVER_HEARTBEAT_TYPE_ID`. */
export const CLIENT_HEARTBEAT_TYPE_ID = 11;
/**
 * A publication's position, updated once a second for monitoring (`pub-pos`). Java:
 * `AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID`.
 */
export const PUBLISHER_POS_TYPE_ID = 12;
/** A network publication's back-pressure event count (`snd-bpe`). Java: `AeronCounters.DRIVER_SENDER_BPE_TYPE_ID`. */
export const SENDER_BPE_TYPE_ID = 13;
/**
 * NAKs a network publication received (`snd-naks-received`). Java: `AeronCounters.DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID`.
 */
export const SENDER_NAKS_RECEIVED_TYPE_ID = 19;
/** NAKs an image's receiver sent (`rcv-naks-sent`). Java: `AeronCounters.DRIVER_RECEIVER_NAKS_SENT_TYPE_ID`. */
export const RECEIVER_NAKS_SENT_TYPE_ID = 20;

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
  [0, 'system'],
  [1, 'pub-lmt'],
  [2, 'snd-pos'],
  [3, 'rcv-hwm'],
  [4, 'sub-pos'],
  [5, 'rcv-pos'],
  [6, 'snd-channel'],
  [7, 'rcv-channel'],
  [9, 'snd-lmt'],
  [10, 'per-image'],
  [11, 'client-heartbeat'],
  [12, 'pub-pos'],
  [13, 'snd-bpe'],
  [14, 'local-sockaddr'],
  [15, 'resolver-neighbors'],
  [16, 'resolver-cache-entries'],
  [17, 'fc-receivers'],
  [18, 'mdc-num-dest'],
  [19, 'snd-naks-received'],
  [20, 'rcv-naks-sent'],
  [21, 'resolver-bootstrap-neighbor'],
  [100, 'archive-recording-pos'],
  [101, 'archive-errors'],
  [102, 'archive-control-sessions'],
  [103, 'archive-max-cycle-time'],
  [104, 'archive-cycle-time-exceeded'],
  [105, 'archive-recorder-max-write-time'],
  [106, 'archive-recorder-write-bytes'],
  [107, 'archive-recorder-write-time'],
  [108, 'archive-replayer-max-read-time'],
  [109, 'archive-replayer-read-bytes'],
  [110, 'archive-replayer-read-time'],
  [111, 'archive-recording-sessions'],
  [112, 'archive-replay-sessions'],
  [113, 'archive-control-session'],
]);

/** Display name of a type id, or `type-<id>` when unknown. */
export function counterTypeName(typeId: number): string {
  return TYPE_NAMES.get(typeId) ?? `type-${typeId}`;
}

/** True for the counters whose key is a stream counter key (see the module comment). */
export function isStreamCounterType(typeId: number): boolean {
  return (
    (typeId >= PUBLISHER_LIMIT_TYPE_ID && typeId <= RECEIVER_POS_TYPE_ID) ||
    typeId === SENDER_LIMIT_TYPE_ID ||
    typeId === PER_IMAGE_TYPE_ID ||
    typeId === PUBLISHER_POS_TYPE_ID ||
    typeId === SENDER_BPE_TYPE_ID ||
    typeId === SENDER_NAKS_RECEIVED_TYPE_ID ||
    typeId === RECEIVER_NAKS_SENT_TYPE_ID
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
  if (typeId === SUBSCRIBER_POSITION_TYPE_ID) {
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
