/**
 * Type ids of the counters the media driver and the archive allocate in the CnC counters (Java: `AeronCounters`).
 * A counter's type id is the int32 at `TYPE_ID_OFFSET` of its metadata record; the driver's per-stream counters
 * (publication limits, positions, …) share one key layout (see `src/cli/counter-types.ts`).
 *
 * ```
 *    0 .. 21   driver: system counters, stream positions and limits, channel status, heartbeats, name resolver
 *  100 .. 117  archive: recording positions, errors, sessions, cycle and I/O times, persistent subscriptions
 * ```
 */

/** A driver system counter (bytes sent, NAKs, errors, …). Java: `AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID`. */
export const DRIVER_SYSTEM_COUNTER_TYPE_ID = 0;
/** A publication's limit: how far it may publish (`pub-lmt`). Java: `AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID`. */
export const DRIVER_PUBLISHER_LIMIT_TYPE_ID = 1;
/** A network publication's sender position (`snd-pos`). Java: `AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID`. */
export const DRIVER_SENDER_POSITION_TYPE_ID = 2;
/**
 * The highest position the receiver has seen on an image, gaps included (`rcv-hwm`). Java:
 * `AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID`.
 */
export const DRIVER_RECEIVER_HWM_TYPE_ID = 3;
/** A subscriber's position in an image (`sub-pos`). Java: `AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID`. */
export const DRIVER_SUBSCRIBER_POSITION_TYPE_ID = 4;
/**
 * The position up to which the receiver has rebuilt an image without gaps (`rcv-pos`). Java:
 * `AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID`.
 */
export const DRIVER_RECEIVER_POS_TYPE_ID = 5;
/** A send channel's status (`snd-channel`). Java: `AeronCounters.DRIVER_SEND_CHANNEL_STATUS_TYPE_ID`. */
export const DRIVER_SEND_CHANNEL_STATUS_TYPE_ID = 6;
/** A receive channel's status (`rcv-channel`). Java: `AeronCounters.DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID`. */
export const DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID = 7;
/**
 * The position a network publication's sender may send up to (`snd-lmt`). Java:
 * `AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID`.
 */
export const DRIVER_SENDER_LIMIT_TYPE_ID = 9;
/** A per-image counter the congestion control uses (`per-image`). Java: `AeronCounters.DRIVER_PER_IMAGE_TYPE_ID`. */
export const DRIVER_PER_IMAGE_TYPE_ID = 10;
/**
 * The last heartbeat of a client, epoch ms (`client-heartbeat`; key: client id int64 at 0). Java:
 * `AeronCounters.DRIVER_HEARTBEAT_TYPE_ID`.
 */
export const DRIVER_HEARTBEAT_TYPE_ID = 11;
/**
 * A publication's position, updated once a second for monitoring (`pub-pos`). Java:
 * `AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID`.
 */
export const DRIVER_PUBLISHER_POS_TYPE_ID = 12;
/** A network publication's back-pressure event count (`snd-bpe`). Java: `AeronCounters.DRIVER_SENDER_BPE_TYPE_ID`. */
export const DRIVER_SENDER_BPE_TYPE_ID = 13;
/**
 * The bound address of a channel's local socket, its value the channel status (`local-sockaddr`). Java:
 * `AeronCounters.DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID`.
 */
export const DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID = 14;
/** Neighbours of the driver's name resolver. Java: `AeronCounters.NAME_RESOLVER_NEIGHBORS_COUNTER_TYPE_ID`. */
export const NAME_RESOLVER_NEIGHBORS_COUNTER_TYPE_ID = 15;
/**
 * Entries in the driver's name resolver cache. Java: `AeronCounters.NAME_RESOLVER_CACHE_ENTRIES_COUNTER_TYPE_ID`.
 */
export const NAME_RESOLVER_CACHE_ENTRIES_COUNTER_TYPE_ID = 16;
/** Receivers a flow-control strategy counts. Java: `AeronCounters.FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID`. */
export const FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID = 17;
/** Destinations of a multi-destination-cast channel. Java: `AeronCounters.MDC_DESTINATIONS_COUNTER_TYPE_ID`. */
export const MDC_DESTINATIONS_COUNTER_TYPE_ID = 18;
/**
 * NAKs a network publication received (`snd-naks-received`). Java: `AeronCounters.DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID`.
 */
export const DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID = 19;
/** NAKs an image's receiver sent (`rcv-naks-sent`). Java: `AeronCounters.DRIVER_RECEIVER_NAKS_SENT_TYPE_ID`. */
export const DRIVER_RECEIVER_NAKS_SENT_TYPE_ID = 20;
/**
 * A bootstrap neighbour of the driver's name resolver. Java:
 * `AeronCounters.NAME_RESOLVER_BOOTSTRAP_NEIGHBOR_COUNTER_TYPE_ID`.
 */
export const NAME_RESOLVER_BOOTSTRAP_NEIGHBOR_COUNTER_TYPE_ID = 21;

/** A recording's position (key: recording id int64 at 0). Java: `AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`. */
export const ARCHIVE_RECORDING_POSITION_TYPE_ID = 100;
/** Errors the archive has seen. Java: `AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID`. */
export const ARCHIVE_ERROR_COUNT_TYPE_ID = 101;
/** Control sessions open on the archive. Java: `AeronCounters.ARCHIVE_CONTROL_SESSIONS_TYPE_ID`. */
export const ARCHIVE_CONTROL_SESSIONS_TYPE_ID = 102;
/** Longest archive duty cycle in ns. Java: `AeronCounters.ARCHIVE_MAX_CYCLE_TIME_TYPE_ID`. */
export const ARCHIVE_MAX_CYCLE_TIME_TYPE_ID = 103;
/**
 * Archive duty cycles over the threshold. Java: `AeronCounters.ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID`.
 */
export const ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID = 104;
/** Longest recorder write in ns. Java: `AeronCounters.ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID`. */
export const ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID = 105;
/** Bytes the recorders wrote. Java: `AeronCounters.ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID`. */
export const ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID = 106;
/** Time the recorders spent writing, in ns. Java: `AeronCounters.ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID`. */
export const ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID = 107;
/** Longest replayer read in ns. Java: `AeronCounters.ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID`. */
export const ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID = 108;
/** Bytes the replayers read. Java: `AeronCounters.ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID`. */
export const ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID = 109;
/** Time the replayers spent reading, in ns. Java: `AeronCounters.ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID`. */
export const ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID = 110;
/** Recording sessions running. Java: `AeronCounters.ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID`. */
export const ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID = 111;
/** Replay sessions running. Java: `AeronCounters.ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID`. */
export const ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID = 112;
/** One archive control session. Java: `AeronCounters.ARCHIVE_CONTROL_SESSION_TYPE_ID`. */
export const ARCHIVE_CONTROL_SESSION_TYPE_ID = 113;
/** A persistent subscription's state. Java: `AeronCounters.PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID`. */
export const PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID = 114;
/**
 * A persistent subscription's replay-to-live join difference. Java:
 * `AeronCounters.PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID`.
 */
export const PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID = 115;
/**
 * How often a persistent subscription left the live stream. Java:
 * `AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID`.
 */
export const PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID = 116;
/**
 * How often a persistent subscription joined the live stream. Java:
 * `AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID`.
 */
export const PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID = 117;
