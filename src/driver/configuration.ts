/**
 * Defaults and limits of the media driver, from Aeron 1.51.0 `io.aeron.driver.Configuration`,
 * `CommonContext` and the C driver's `aeron_driver_context.h` (which agree on every value here). The Java
 * property each one is read from in Aeron is given for reference; this driver takes them as options
 * (`media-driver-context.ts`).
 */
import { HEADER_LENGTH } from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import { BROADCAST_TRAILER_LENGTH } from '../transport/broadcast-descriptor.ts';
import { RING_TRAILER_LENGTH } from '../transport/ring-buffer-descriptor.ts';

const MIB = 1024 * 1024;
const MS_NS = 1_000_000;
const S_NS = 1_000_000_000;

/** `aeron.conductor.buffer.length`: to-driver ring buffer, 1 MiB + 768-byte trailer; also its minimum. */
export const CONDUCTOR_BUFFER_LENGTH_DEFAULT = MIB + RING_TRAILER_LENGTH;
/** `aeron.clients.buffer.length`: to-clients broadcast buffer, 1 MiB + 128-byte trailer; also its minimum. */
export const TO_CLIENTS_BUFFER_LENGTH_DEFAULT = MIB + BROADCAST_TRAILER_LENGTH;
/** `aeron.counters.buffer.length`: counters values region (metadata is 4x this). */
export const COUNTERS_VALUES_BUFFER_LENGTH_DEFAULT = 8 * MIB;
/** Smallest counters values region accepted: 1 MiB (Java `COUNTERS_VALUES_BUFFER_LENGTH_MIN`). */
export const COUNTERS_VALUES_BUFFER_LENGTH_MIN = MIB;
/** Largest counters values region accepted: 500 MiB (Java `COUNTERS_VALUES_BUFFER_LENGTH_MAX`). */
export const COUNTERS_VALUES_BUFFER_LENGTH_MAX = 500 * MIB;
/** `aeron.error.buffer.length`: distinct error log region; also its minimum. */
export const ERROR_BUFFER_LENGTH_DEFAULT = 4 * MIB;
/** `aeron.loss.report.buffer.length`: `loss-report.dat`, page aligned; also its minimum. */
export const LOSS_REPORT_BUFFER_LENGTH_DEFAULT = MIB;
/** `aeron.file.page.size`. */
export const FILE_PAGE_SIZE_DEFAULT = 4096;

/** `aeron.client.liveness.timeout`: a client whose heartbeat is older is timed out. */
export const CLIENT_LIVENESS_TIMEOUT_DEFAULT_NS = 10 * S_NS;
/** `aeron.driver.timeout` (`CommonContext.DEFAULT_DRIVER_TIMEOUT_MS`): a driver heartbeat older is dead. */
export const DRIVER_TIMEOUT_DEFAULT_MS = 10_000;
/** `aeron.publication.linger.timeout`: how long a removed publication lingers. */
export const PUBLICATION_LINGER_DEFAULT_NS = 5 * S_NS;
/** `aeron.publication.unblock.timeout`: an uncommitted claim older than this is turned into padding. */
export const PUBLICATION_UNBLOCK_TIMEOUT_DEFAULT_NS = 15 * S_NS;
/** `aeron.publication.connection.timeout`. */
export const PUBLICATION_CONNECTION_TIMEOUT_DEFAULT_NS = 5 * S_NS;
/** `aeron.image.liveness.timeout`. */
export const IMAGE_LIVENESS_TIMEOUT_DEFAULT_NS = 10 * S_NS;
/** `aeron.timer.interval`: how often the conductor heartbeats and checks its timers. */
export const TIMER_INTERVAL_DEFAULT_NS = 1 * S_NS;
/** `aeron.counters.free.to.reuse.timeout`: cool-down of a freed counter id. */
export const COUNTER_FREE_TO_REUSE_TIMEOUT_DEFAULT_NS = 1 * S_NS;
/**
 * `aeron.driver.conductor.cycle.threshold`: a conductor duty cycle longer than this (100 ms) counts in
 * CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED.
 */
export const CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS = 100 * MS_NS;
/**
 * `aeron.driver.sender.cycle.threshold`: 100 ms; shown in the label of SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED (no
 * sender runs in this driver today, so the counter stays 0).
 */
export const SENDER_CYCLE_THRESHOLD_DEFAULT_NS = 100 * MS_NS;
/**
 * `aeron.driver.receiver.cycle.threshold`: 100 ms; shown in the label of RECEIVER_CYCLE_TIME_THRESHOLD_EXCEEDED
 * (no receiver runs in this driver today, so the counter stays 0).
 */
export const RECEIVER_CYCLE_THRESHOLD_DEFAULT_NS = 100 * MS_NS;
/** `aeron.name.resolver.threshold`. */
export const NAME_RESOLVER_THRESHOLD_DEFAULT_NS = 5 * S_NS;

/** Client commands the conductor takes from the to-driver ring buffer per duty cycle (`COMMAND_DRAIN_LIMIT`). */
export const COMMAND_DRAIN_LIMIT = 1;
/** Label prefix of a client's heartbeat counter (`ClientHeartbeatTimestamp.NAME`). */
export const CLIENT_HEARTBEAT_NAME = 'client-heartbeat';

/** Sub-directory of the Aeron directory for publication log buffers (Java `FileStoreLogFactory`). */
export const PUBLICATIONS_DIR = 'publications';
/** Sub-directory of the Aeron directory for image log buffers (Java `FileStoreLogFactory`). */
export const IMAGES_DIR = 'images';

/** `aeron.term.buffer.length`: term length of network publications (16 MiB). */
export const TERM_BUFFER_LENGTH_DEFAULT = 16 * MIB;
/** `aeron.ipc.term.buffer.length`: term length of IPC publications (64 MiB; Java `TERM_BUFFER_IPC_LENGTH_DEFAULT`). */
export const IPC_TERM_BUFFER_LENGTH_DEFAULT = 64 * MIB;
/** `aeron.mtu.length`: largest frame of a network publication (header included). */
export const MTU_LENGTH_DEFAULT = 1408;
/** `aeron.ipc.mtu.length`: largest frame of an IPC publication (header included). */
export const IPC_MTU_LENGTH_DEFAULT = MTU_LENGTH_DEFAULT;
/** Largest MTU accepted (Java `MAX_UDP_PAYLOAD_LENGTH`). */
export const MAX_UDP_PAYLOAD_LENGTH = 65504;
/**
 * `aeron.publication.term.window.length` / `aeron.ipc.publication.term.window.length`: 0 = half the term length
 * (Java `Configuration.producerWindowLength`).
 */
export const PUBLICATION_TERM_WINDOW_LENGTH_DEFAULT = 0;
/** `aeron.publication.reserved.session.id.low`: the driver never hands out session ids in low..high. */
export const PUBLICATION_RESERVED_SESSION_ID_LOW_DEFAULT = -1;
/** `aeron.publication.reserved.session.id.high`. */
export const PUBLICATION_RESERVED_SESSION_ID_HIGH_DEFAULT = 1000;
/** `aeron.term.buffer.sparse.file`: log buffer files are sparse unless a channel says `sparse=false`. */
export const TERM_BUFFER_SPARSE_FILE_DEFAULT = true;
/** `aeron.spies.simulate.connection`. */
export const SPIES_SIMULATE_CONNECTION_DEFAULT = false;
/** `aeron.tether.subscriptions`. */
export const TETHER_SUBSCRIPTIONS_DEFAULT = true;
/** `aeron.untethered.window.limit.timeout`. */
export const UNTETHERED_WINDOW_LIMIT_TIMEOUT_DEFAULT_NS = 5 * S_NS;
/** `aeron.untethered.resting.timeout`. */
export const UNTETHERED_RESTING_TIMEOUT_DEFAULT_NS = 10 * S_NS;
/** `aeron.untethered.linger.timeout`: -1 (Aeron `NULL_VALUE`) = the untethered window limit timeout. */
export const UNTETHERED_LINGER_TIMEOUT_DEFAULT_NS = -1;
/** `aeron.max.resend`: written in the log metadata of publications. */
export const MAX_RESEND_DEFAULT = 16;

/**
 * Java `Configuration.producerWindowLength`: how far a publisher may run ahead of its slowest consumer, half the
 * term unless a smaller non-zero window is configured.
 */
export function producerWindowLength(termBufferLength: number, defaultTermWindowLength: number): number {
  const half = termBufferLength >> 1;
  return defaultTermWindowLength !== 0 ? Math.min(defaultTermWindowLength, half) : half;
}

/**
 * Java `Configuration.validateMtuLength` as a check: null for a valid MTU, else Java's message (the caller wraps it
 * in its own error: a configuration error for an option, INVALID_CHANNEL for a channel's `mtu`).
 */
export function mtuLengthProblem(mtuLength: number): string | null {
  if (mtuLength <= HEADER_LENGTH) return `mtuLength=${mtuLength} <= HEADER_LENGTH=${HEADER_LENGTH}`;
  if (mtuLength > MAX_UDP_PAYLOAD_LENGTH) {
    return `mtuLength=${mtuLength} > MAX_UDP_PAYLOAD_LENGTH=${MAX_UDP_PAYLOAD_LENGTH}`;
  }
  if ((mtuLength & (FRAME_ALIGNMENT - 1)) !== 0) {
    return `mtuLength=${mtuLength} is not a multiple of FRAME_ALIGNMENT=${FRAME_ALIGNMENT}`;
  }
  return null;
}

// ---- UDP (network publications, subscriptions and images; Aeron 1.51.0 `Configuration`) --------------------------

/** `aeron.rcv.initial.window.length`: the receiver window a subscription advertises (128 KiB). */
export const INITIAL_WINDOW_LENGTH_DEFAULT = 128 * 1024;
/** `aeron.rcv.status.message.timeout`: the longest gap between two status messages of an image (200 ms). */
export const STATUS_MESSAGE_TIMEOUT_DEFAULT_NS = 200 * MS_NS;
/** `aeron.send.to.status.poll.ratio`: duty cycles with data sent between two polls for control frames (6). */
export const SEND_TO_STATUS_POLL_RATIO_DEFAULT = 6;
/** `aeron.socket.so_rcvbuf`: SO_RCVBUF of UDP sockets (128 KiB; 0 = the OS default). */
export const SOCKET_RCVBUF_LENGTH_DEFAULT = 128 * 1024;
/** `aeron.socket.so_sndbuf`: SO_SNDBUF of UDP sockets (0 = the OS default). */
export const SOCKET_SNDBUF_LENGTH_DEFAULT = 0;
/** `aeron.socket.multicast.ttl`: 0 = the OS default. */
export const SOCKET_MULTICAST_TTL_DEFAULT = 0;
/** Java `PUBLICATION_SETUP_TIMEOUT_NS`: SETUP frames are sent this often until a status message arrives (100 ms). */
export const PUBLICATION_SETUP_TIMEOUT_NS = 100 * MS_NS;
/** Java `PUBLICATION_HEARTBEAT_TIMEOUT_NS`: an idle connected publication heartbeats this often (100 ms). */
export const PUBLICATION_HEARTBEAT_TIMEOUT_NS = 100 * MS_NS;
/** Java `PENDING_SETUPS_TIMEOUT_NS`: how long a receiver waits on a SETUP it elicited (1 s). */
export const PENDING_SETUPS_TIMEOUT_NS = 1 * S_NS;
/** `aeron.nak.unicast.delay`: first NAK of a unicast image after a gap (1 µs). */
export const NAK_UNICAST_DELAY_DEFAULT_NS = 1000;
/** `aeron.nak.unicast.retry.delay.ratio`: later NAKs wait this many NAK delays (100). */
export const NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT = 100;
/** `aeron.nak.multicast.max.backoff`: the longest random NAK delay of a multicast image (10 ms). */
export const NAK_MAX_BACKOFF_DEFAULT_NS = 10 * MS_NS;
/** `aeron.nak.multicast.group.size`: the group size the multicast NAK delay is computed for (10). */
export const NAK_MULTICAST_GROUP_SIZE_DEFAULT = 10;
/** `aeron.retransmit.unicast.delay`: delay before a unicast retransmit (0). */
export const RETRANSMIT_UNICAST_DELAY_DEFAULT_NS = 0;
/** `aeron.retransmit.unicast.linger`: how long a retransmitted range ignores further NAKs (10 ms). */
export const RETRANSMIT_UNICAST_LINGER_DEFAULT_NS = 10 * MS_NS;
/** `aeron.driver.reresolution.check.interval`: how often endpoints with names are checked for re-resolution (1 s). */
export const RE_RESOLUTION_CHECK_INTERVAL_DEFAULT_NS = 1 * S_NS;
