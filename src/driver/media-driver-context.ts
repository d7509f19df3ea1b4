/**
 * Options of the TypeScript media driver and their resolution (Aeron 1.51.0 `MediaDriver.Context.conclude`):
 * every option has Aeron's default (`configuration.ts`) and is validated the way Aeron validates it, so a
 * driver that starts is one Java clients and tools accept.
 *
 * ```
 *  option                        default            Aeron property                          check
 *  aeronDir                      (required)         aeron.dir
 *  dirDeleteOnStart              false              aeron.dir.delete.on.start
 *  dirDeleteOnShutdown           false              aeron.dir.delete.on.shutdown
 *  driverTimeoutMs               10 000             aeron.driver.timeout                    > 0
 *  clientLivenessTimeoutNs       10 s               aeron.client.liveness.timeout           > timerIntervalNs
 *  publicationUnblockTimeoutNs   15 s               aeron.publication.unblock.timeout       > clientLiveness
 *  imageLivenessTimeoutNs        10 s               aeron.image.liveness.timeout            > 0
 *  timerIntervalNs               1 s                aeron.timer.interval                    > 0
 *  counterFreeToReuseTimeoutNs   1 s                aeron.counters.free.to.reuse.timeout    >= 0
 *  conductorBufferLength         1 MiB + 768        aeron.conductor.buffer.length           >= default, 2^n + 768
 *  toClientsBufferLength         1 MiB + 128        aeron.clients.buffer.length             >= default, 2^n + 128
 *  counterValuesBufferLength     8 MiB              aeron.counters.buffer.length            1 MiB..500 MiB, x128
 *  errorBufferLength             4 MiB              aeron.error.buffer.length               >= default, x8
 *  lossReportBufferLength        1 MiB              aeron.loss.report.buffer.length         >= default (page aligned)
 *  filePageSize                  4096               aeron.file.page.size                    2^n, 4 KiB..1 GiB
 *  conductorCycleThresholdNs     100 ms             aeron.driver.conductor.cycle.threshold  > 0
 *  threadingMode                 SHARED             aeron.threading.mode                    SHARED | INVOKER
 *  ipcTermBufferLength           64 MiB             aeron.ipc.term.buffer.length            2^n, 64 KiB..1 GiB
 *  publicationTermBufferLength   16 MiB             aeron.term.buffer.length                2^n, 64 KiB..1 GiB
 *  ipcMtuLength                  1408               aeron.ipc.mtu.length                    > 32, <= 65504, x32
 *  mtuLength                     1408               aeron.mtu.length                        > 32, <= 65504, x32
 *  ipcPublicationTermWindowLength 0 (= term / 2)    aeron.ipc.publication.term.window.length 0..1 GiB
 *  publicationTermWindowLength   0 (= term / 2)     aeron.publication.term.window.length    0..1 GiB
 *  publicationLingerTimeoutNs    5 s                aeron.publication.linger.timeout        >= 0
 *  publicationReservedSessionIdLow  -1              aeron.publication.reserved.session.id.low   low <= high
 *  publicationReservedSessionIdHigh 1000            aeron.publication.reserved.session.id.high
 *  termBufferSparseFile          true               aeron.term.buffer.sparse.file
 *  spiesSimulateConnection       false              aeron.spies.simulate.connection
 *  tetherSubscriptions           true               aeron.tether.subscriptions
 *  rejoinStream                  true               aeron.rejoin.stream
 *  untetheredWindowLimitTimeoutNs 5 s               aeron.untethered.window.limit.timeout   > timerIntervalNs
 *  untetheredRestingTimeoutNs    10 s               aeron.untethered.resting.timeout        > timerIntervalNs
 *  untetheredLingerTimeoutNs     -1 (= window limit) aeron.untethered.linger.timeout        -1 or > timerIntervalNs
 *  UDP (issue 17):
 *  socketSndbufLength            0 (OS default)     aeron.socket.so_sndbuf                  0..2^31-1
 *  socketRcvbufLength            128 KiB            aeron.socket.so_rcvbuf                  0..2^31-1
 *  initialWindowLength           128 KiB            aeron.rcv.initial.window.length         >= mtuLength
 *  statusMessageTimeoutNs        200 ms             aeron.rcv.status.message.timeout        > 0
 *  sendToStatusMessagePollRatio  6                  aeron.send.to.status.poll.ratio         > 0
 *  publicationConnectionTimeoutNs 5 s               aeron.publication.connection.timeout    > 0
 *  retransmitUnicastDelayNs      0                  aeron.retransmit.unicast.delay          >= 0
 *  retransmitUnicastLingerNs     10 ms              aeron.retransmit.unicast.linger         > 0
 *  nakUnicastDelayNs             1 us               aeron.nak.unicast.delay                 >= 1 us
 *  nakUnicastRetryDelayRatio     100                aeron.nak.unicast.retry.delay.ratio     >= 1
 *  nakMulticastMaxBackoffNs      10 ms              aeron.nak.multicast.max.backoff         > 0
 *  nakMulticastGroupSize         10                 aeron.nak.multicast.group.size          > 0
 *  multicastTtl                  0 (OS default)     aeron.socket.multicast.ttl              0..255
 *  reResolutionCheckIntervalNs   1 s                aeron.driver.reresolution.check.interval <= 0 disables
 *  nameResolver                  DefaultNameResolver (none; INVOKER only: functions do not cross threads)
 *  debugFaultProperties          {} (no faults)     aeron.debug.{send,receive}.{data,control}.loss.{rate,seed},
 *                                                   aeron.ts.debug.{send,receive}.{duplicate,reorder}.rate
 *                                                   (tests only; media/debug/debug-channel-endpoint-configuration.ts)
 * ```
 */

import type { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { checkTermLength, TERM_MAX_LENGTH } from '../logbuffer/log-buffer-descriptor.ts';
import { alignLarge, isPowerOfTwo } from '../transport/bit-util.ts';
import { BROADCAST_TRAILER_LENGTH } from '../transport/broadcast-descriptor.ts';
import { RING_TRAILER_LENGTH } from '../transport/ring-buffer-descriptor.ts';
import {
  CLIENT_LIVENESS_TIMEOUT_DEFAULT_NS,
  CONDUCTOR_BUFFER_LENGTH_DEFAULT,
  CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS,
  COUNTER_FREE_TO_REUSE_TIMEOUT_DEFAULT_NS,
  COUNTERS_VALUES_BUFFER_LENGTH_DEFAULT,
  COUNTERS_VALUES_BUFFER_LENGTH_MAX,
  COUNTERS_VALUES_BUFFER_LENGTH_MIN,
  DRIVER_TIMEOUT_DEFAULT_MS,
  ERROR_BUFFER_LENGTH_DEFAULT,
  FILE_PAGE_SIZE_DEFAULT,
  IMAGE_LIVENESS_TIMEOUT_DEFAULT_NS,
  INITIAL_WINDOW_LENGTH_DEFAULT,
  IPC_MTU_LENGTH_DEFAULT,
  IPC_TERM_BUFFER_LENGTH_DEFAULT,
  LOSS_REPORT_BUFFER_LENGTH_DEFAULT,
  MTU_LENGTH_DEFAULT,
  mtuLengthProblem,
  NAK_MAX_BACKOFF_DEFAULT_NS,
  NAK_MULTICAST_GROUP_SIZE_DEFAULT,
  NAK_UNICAST_DELAY_DEFAULT_NS,
  NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT,
  PUBLICATION_CONNECTION_TIMEOUT_DEFAULT_NS,
  PUBLICATION_LINGER_DEFAULT_NS,
  PUBLICATION_RESERVED_SESSION_ID_HIGH_DEFAULT,
  PUBLICATION_RESERVED_SESSION_ID_LOW_DEFAULT,
  PUBLICATION_TERM_WINDOW_LENGTH_DEFAULT,
  PUBLICATION_UNBLOCK_TIMEOUT_DEFAULT_NS,
  RE_RESOLUTION_CHECK_INTERVAL_DEFAULT_NS,
  RETRANSMIT_UNICAST_DELAY_DEFAULT_NS,
  RETRANSMIT_UNICAST_LINGER_DEFAULT_NS,
  SEND_TO_STATUS_POLL_RATIO_DEFAULT,
  SOCKET_MULTICAST_TTL_DEFAULT,
  SOCKET_RCVBUF_LENGTH_DEFAULT,
  SOCKET_SNDBUF_LENGTH_DEFAULT,
  SPIES_SIMULATE_CONNECTION_DEFAULT,
  STATUS_MESSAGE_TIMEOUT_DEFAULT_NS,
  TERM_BUFFER_LENGTH_DEFAULT,
  TERM_BUFFER_SPARSE_FILE_DEFAULT,
  TETHER_SUBSCRIPTIONS_DEFAULT,
  TIMER_INTERVAL_DEFAULT_NS,
  TO_CLIENTS_BUFFER_LENGTH_DEFAULT,
  UNTETHERED_LINGER_TIMEOUT_DEFAULT_NS,
  UNTETHERED_RESTING_TIMEOUT_DEFAULT_NS,
  UNTETHERED_WINDOW_LIMIT_TIMEOUT_DEFAULT_NS,
} from './configuration.ts';
import { MediaDriverError } from './driver-error.ts';
import {
  type DebugProperties,
  debugChannelEndpointConfiguration,
} from './media/debug/debug-channel-endpoint-configuration.ts';
import { DefaultNameResolver, type NameResolver } from './media/name-resolver.ts';

/** Options of `MediaDriver.launch`; all but `aeronDir` have Aeron's defaults (module comment). */
export interface MediaDriverOptions {
  /** The Aeron directory (`aeron.dir`); created if missing. */
  readonly aeronDir: string;
  /** Delete the directory at start without checking for a live driver (`aeron.dir.delete.on.start`). */
  readonly dirDeleteOnStart?: boolean;
  /** Delete the directory when the driver closes (`aeron.dir.delete.on.shutdown`). */
  readonly dirDeleteOnShutdown?: boolean;
  /** A driver heartbeat older than this is dead; also the wait for an existing CnC file to initialise. */
  readonly driverTimeoutMs?: number;
  /**
   * A client whose heartbeat is older than this is timed out, in ns (`aeron.client.liveness.timeout`; default
   * 10 s); also how long the to-driver ring may stay blocked before it is unblocked. Must exceed
   * `timerIntervalNs`.
   */
  readonly clientLivenessTimeoutNs?: number;
  /**
   * An uncommitted publication claim older than this is padded over, in ns (`aeron.publication.unblock.timeout`;
   * default 15 s). Must exceed `clientLivenessTimeoutNs`.
   */
  readonly publicationUnblockTimeoutNs?: number;
  /**
   * How long a rejected IPC image keeps its publication in cool-down before subscribers relink, in ns
   * (`aeron.image.liveness.timeout`; default 10 s, Java `imageLivenessTimeoutNs`).
   */
  readonly imageLivenessTimeoutNs?: number;
  /** How often the conductor runs its timers, in ns (`aeron.timer.interval`; default 1 s). */
  readonly timerIntervalNs?: number;
  /** Cool-down before a freed counter id is reused, in ns (`aeron.counters.free.to.reuse.timeout`; default 1 s). */
  readonly counterFreeToReuseTimeoutNs?: number;
  /**
   * Length of the to-driver ring buffer in bytes, a power of 2 plus the 768-byte trailer
   * (`aeron.conductor.buffer.length`; default and minimum 1 MiB + 768).
   */
  readonly conductorBufferLength?: number;
  /**
   * Length of the to-clients broadcast buffer in bytes, a power of 2 plus the 128-byte trailer
   * (`aeron.clients.buffer.length`; default and minimum 1 MiB + 128).
   */
  readonly toClientsBufferLength?: number;
  /**
   * Length of the counters values region in bytes, a multiple of 128 from 1 MiB to 500 MiB
   * (`aeron.counters.buffer.length`; default 8 MiB); the metadata region is 4 times this.
   */
  readonly counterValuesBufferLength?: number;
  /**
   * Length of the distinct error log in bytes, a multiple of 8 (`aeron.error.buffer.length`; default and minimum
   * 4 MiB).
   */
  readonly errorBufferLength?: number;
  /**
   * Length of `loss-report.dat` in bytes, aligned up to `filePageSize` (`aeron.loss.report.buffer.length`; default
   * and minimum 1 MiB).
   */
  readonly lossReportBufferLength?: number;
  /** Page size files are aligned to, a power of 2 from 4 KiB to 1 GiB (`aeron.file.page.size`; default 4096). */
  readonly filePageSize?: number;
  /**
   * A conductor duty cycle longer than this (ns) counts in CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED
   * (`aeron.driver.conductor.cycle.threshold`; default 100 ms).
   */
  readonly conductorCycleThresholdNs?: number;
  /**
   * Where the duty cycle runs (`aeron.threading.mode`; default SHARED, chosen by the measurements in docs/driver.md):
   * `SHARED`, one `worker_threads` worker runs every agent with a backoff idle strategy (Java's SHARED: one
   * thread for conductor, sender and receiver); `INVOKER`, the event loop of the launching thread invokes it
   * between other work (Java's INVOKER mode runs the agents on a thread of the application's choosing). The
   * driver's parts (`countersManager`, `errorLog`, ...) are reachable from this thread with INVOKER only.
   */
  readonly threadingMode?: ThreadingMode;
  /** Term length of IPC publications in bytes (`aeron.ipc.term.buffer.length`; default 64 MiB). */
  readonly ipcTermBufferLength?: number;
  /** Term length of network publications in bytes (`aeron.term.buffer.length`; default 16 MiB). */
  readonly publicationTermBufferLength?: number;
  /** Largest frame of an IPC publication, header included (`aeron.ipc.mtu.length`; default 1408). */
  readonly ipcMtuLength?: number;
  /** Largest frame of a network publication, header included (`aeron.mtu.length`; default 1408). */
  readonly mtuLength?: number;
  /**
   * How far an IPC publisher may run ahead of its slowest subscriber, in bytes; 0 = half the term
   * (`aeron.ipc.publication.term.window.length`; default 0).
   */
  readonly ipcPublicationTermWindowLength?: number;
  /** As `ipcPublicationTermWindowLength` for network publications (`aeron.publication.term.window.length`). */
  readonly publicationTermWindowLength?: number;
  /** How long a removed publication lingers before its log is deleted, in ns (`aeron.publication.linger.timeout`). */
  readonly publicationLingerTimeoutNs?: number;
  /** Low end of the session ids the driver never hands out (`aeron.publication.reserved.session.id.low`; -1). */
  readonly publicationReservedSessionIdLow?: number;
  /** High end of the reserved session ids (`aeron.publication.reserved.session.id.high`; 1000). */
  readonly publicationReservedSessionIdHigh?: number;
  /** Log buffer files sparse unless a channel says otherwise (`aeron.term.buffer.sparse.file`; default true). */
  readonly termBufferSparseFile?: boolean;
  /** Spies count as a connection (`aeron.spies.simulate.connection`; default false). */
  readonly spiesSimulateConnection?: boolean;
  /** Subscriptions tethered by default (`aeron.tether.subscriptions`; default true). */
  readonly tetherSubscriptions?: boolean;
  /**
   * Untethered subscriptions left behind rejoin by default (`aeron.rejoin.stream`; default true; a channel's
   * `rejoin` param overrides it).
   */
  readonly rejoinStream?: boolean;
  /** Untethered window limit timeout in ns (`aeron.untethered.window.limit.timeout`; default 5 s). */
  readonly untetheredWindowLimitTimeoutNs?: number;
  /** Untethered resting timeout in ns (`aeron.untethered.resting.timeout`; default 10 s). */
  readonly untetheredRestingTimeoutNs?: number;
  /** Untethered linger timeout in ns, -1 = the window limit timeout (`aeron.untethered.linger.timeout`). */
  readonly untetheredLingerTimeoutNs?: number;
  // ---- UDP (issue 17): Java's names and defaults, see the module comment --------------------------------------
  /** SO_SNDBUF of UDP sockets in bytes, 0 = the OS default (`aeron.socket.so_sndbuf`; default 0). */
  readonly socketSndbufLength?: number;
  /** SO_RCVBUF of UDP sockets in bytes, 0 = the OS default (`aeron.socket.so_rcvbuf`; default 128 KiB). */
  readonly socketRcvbufLength?: number;
  /** The window a subscription's image grants its sender, in bytes (`aeron.rcv.initial.window.length`; 128 KiB). */
  readonly initialWindowLength?: number;
  /** Longest gap between an image's status messages, in ns (`aeron.rcv.status.message.timeout`; 200 ms). */
  readonly statusMessageTimeoutNs?: number;
  /** Sender duty cycles with data between two reads of control frames (`aeron.send.to.status.poll.ratio`; 6). */
  readonly sendToStatusMessagePollRatio?: number;
  /** A receiver silent this long is gone for its publication, in ns (`aeron.publication.connection.timeout`; 5 s). */
  readonly publicationConnectionTimeoutNs?: number;
  /** Delay before a unicast retransmit, in ns (`aeron.retransmit.unicast.delay`; 0). */
  readonly retransmitUnicastDelayNs?: number;
  /** How long a retransmitted range ignores NAKs, in ns (`aeron.retransmit.unicast.linger`; 10 ms). */
  readonly retransmitUnicastLingerNs?: number;
  /** Delay of a unicast image's first NAK for a gap, in ns (`aeron.nak.unicast.delay`; 1 us). */
  readonly nakUnicastDelayNs?: number;
  /** NAK delays between retries of one gap (`aeron.nak.unicast.retry.delay.ratio`; 100). */
  readonly nakUnicastRetryDelayRatio?: number;
  /** Longest random NAK delay of a multicast image, in ns (`aeron.nak.multicast.max.backoff`; 10 ms). */
  readonly nakMulticastMaxBackoffNs?: number;
  /** Receivers the multicast NAK delay is computed for (`aeron.nak.multicast.group.size`; 10). */
  readonly nakMulticastGroupSize?: number;
  /** Multicast TTL of sent datagrams, 0 = the OS default (`aeron.socket.multicast.ttl`; 0). */
  readonly multicastTtl?: number;
  /**
   * How often the sender and the receiver look for channel names to resolve again, in ns
   * (`aeron.driver.reresolution.check.interval`; 1 s; 0 or less disables it, as Java `Context.reResolutionCheckIntervalNs`):
   * a unicast `endpoint=` or a manual MDC destination silent for 5 s, a `control=` of a subscription silent for 5 s.
   */
  readonly reResolutionCheckIntervalNs?: number;
  /**
   * Resolves the host names of `endpoint=` and `control=` (Java `Context.nameResolver`; default
   * `DefaultNameResolver`: numeric addresses, `/etc/hosts`, `localhost`). INVOKER only: functions do not cross to
   * the SHARED worker thread.
   */
  readonly nameResolver?: NameResolver;
  /**
   * Test-only fault injection of the UDP channel endpoints: the `aeron.debug.*.loss.*` and
   * `aeron.ts.debug.*.{duplicate,reorder}.rate` properties by name (default none: no faults). Each endpoint builds its
   * own generators from them (Java's `Debug*ChannelEndpoint` suppliers), so every endpoint starts from the seed.
   */
  readonly debugFaultProperties?: DebugProperties;
  /** Epoch-millisecond clock (tests may inject one). */
  readonly epochClock?: () => number;
  /** Monotonic nanosecond clock as a number (tests may inject one). */
  readonly nanoClock?: () => number;
  /**
   * Decides on a client's TERMINATE_DRIVER (Java `Context.terminationValidator`) from a copy of its token: true
   * closes the driver, then calls `terminationHook`; false, or a validator that throws, denies (nothing happens, no
   * reply). Default: every request denied, as Java's `DefaultDenyTerminationValidator`. It runs on the launching
   * thread in both threading modes (SHARED: the worker posts the token to it).
   */
  readonly terminationValidator?: (tokenBytes: Uint8Array) => boolean;
  /**
   * Called once the driver has closed on an allowed TERMINATE_DRIVER (Java `Context.terminationHook`), on the
   * launching thread. What it throws is ignored.
   */
  readonly terminationHook?: () => void;
  /**
   * Receives each error of the driver's own (Java `Context.errorHandler`), beside the distinct error log: a refused
   * command is a `ControlProtocolError`, anything else arrives wrapped in one with GENERIC_ERROR and the original as
   * `cause`. What it throws is ignored. SHARED: called on the launching thread with the error rebuilt from the
   * worker's description (class, code, Aeron error code, message and the worker's stack; no `cause`).
   */
  readonly errorHandler?: (error: AeronError) => void;
}

/** Where the duty cycle runs: Java's `ThreadingMode` names this driver supports (see `threadingMode`). */
export type ThreadingMode = 'SHARED' | 'INVOKER';

/** The supported threading modes. */
export const THREADING_MODES: readonly ThreadingMode[] = ['SHARED', 'INVOKER'];

/**
 * The threading mode used when none is given: SHARED, the measured winner (docs/driver.md "Where the duty cycle
 * runs": faster command round trips with an idle or a busy application thread, less idle CPU).
 */
export const THREADING_MODE_DEFAULT: ThreadingMode = 'SHARED';

/** Every option resolved and validated. */
export interface MediaDriverContext {
  /** The Aeron directory. */
  readonly aeronDir: string;
  /** Delete the directory at start without checking for a live driver. */
  readonly dirDeleteOnStart: boolean;
  /** Delete the directory when the driver closes. */
  readonly dirDeleteOnShutdown: boolean;
  /** Driver timeout (ms): heartbeat age of a dead driver, wait for an existing CnC file to initialise. */
  readonly driverTimeoutMs: number;
  /** Client liveness timeout (ns). */
  readonly clientLivenessTimeoutNs: number;
  /** Publication unblock timeout (ns). */
  readonly publicationUnblockTimeoutNs: number;
  /** Image liveness timeout (ns): the cool-down of a rejected IPC image. */
  readonly imageLivenessTimeoutNs: number;
  /** Conductor timer interval (ns). */
  readonly timerIntervalNs: number;
  /** Counter free-to-reuse cool-down (ns). */
  readonly counterFreeToReuseTimeoutNs: number;
  /** To-driver ring buffer length (bytes, trailer included). */
  readonly conductorBufferLength: number;
  /** To-clients broadcast buffer length (bytes, trailer included). */
  readonly toClientsBufferLength: number;
  /** Counters values region length (bytes). */
  readonly counterValuesBufferLength: number;
  /** Always 4 x `counterValuesBufferLength` (512-byte metadata per 128-byte value record). */
  readonly countersMetadataBufferLength: number;
  /** Distinct error log length (bytes). */
  readonly errorBufferLength: number;
  /** `lossReportBufferLength` aligned up to `filePageSize`. */
  readonly lossReportBufferLength: number;
  /** File page size (bytes). */
  readonly filePageSize: number;
  /** Conductor cycle threshold (ns). */
  readonly conductorCycleThresholdNs: number;
  /** Where the duty cycle runs. */
  readonly threadingMode: ThreadingMode;
  /** IPC term length (bytes). */
  readonly ipcTermBufferLength: number;
  /** Network publication term length (bytes). */
  readonly publicationTermBufferLength: number;
  /** IPC MTU (bytes). */
  readonly ipcMtuLength: number;
  /** Network MTU (bytes). */
  readonly mtuLength: number;
  /** IPC publication term window (bytes; 0 = half the term). */
  readonly ipcPublicationTermWindowLength: number;
  /** Network publication term window (bytes; 0 = half the term). */
  readonly publicationTermWindowLength: number;
  /** Publication linger (ns). */
  readonly publicationLingerTimeoutNs: number;
  /** Low end of the reserved session ids. */
  readonly publicationReservedSessionIdLow: number;
  /** High end of the reserved session ids. */
  readonly publicationReservedSessionIdHigh: number;
  /** Sparse log buffer files by default. */
  readonly termBufferSparseFile: boolean;
  /** Spies count as a connection by default. */
  readonly spiesSimulateConnection: boolean;
  /** Subscriptions tethered by default. */
  readonly tetherSubscriptions: boolean;
  /** Untethered subscriptions left behind rejoin by default. */
  readonly rejoinStream: boolean;
  /** Untethered window limit timeout (ns). */
  readonly untetheredWindowLimitTimeoutNs: number;
  /** Untethered resting timeout (ns). */
  readonly untetheredRestingTimeoutNs: number;
  /** Untethered linger timeout (ns; -1 = the window limit timeout). */
  readonly untetheredLingerTimeoutNs: number;
  /** SO_SNDBUF of UDP sockets (bytes; 0 = OS default). */
  readonly socketSndbufLength: number;
  /** SO_RCVBUF of UDP sockets (bytes; 0 = OS default). */
  readonly socketRcvbufLength: number;
  /** Receiver window of images (bytes). */
  readonly initialWindowLength: number;
  /** Status message timeout (ns). */
  readonly statusMessageTimeoutNs: number;
  /** Sender duty cycles between control frame reads. */
  readonly sendToStatusMessagePollRatio: number;
  /** Publication connection timeout (ns). */
  readonly publicationConnectionTimeoutNs: number;
  /** Unicast retransmit delay (ns). */
  readonly retransmitUnicastDelayNs: number;
  /** Unicast retransmit linger (ns). */
  readonly retransmitUnicastLingerNs: number;
  /** Unicast NAK delay (ns). */
  readonly nakUnicastDelayNs: number;
  /** Unicast NAK retry delay ratio. */
  readonly nakUnicastRetryDelayRatio: number;
  /** Multicast NAK max backoff (ns). */
  readonly nakMulticastMaxBackoffNs: number;
  /** Multicast NAK group size. */
  readonly nakMulticastGroupSize: number;
  /** Multicast TTL (0 = OS default). */
  readonly multicastTtl: number;
  /** Re-resolution check interval (ns; 0 or less: no re-resolution). */
  readonly reResolutionCheckIntervalNs: number;
  /** Resolves channel host names (the conductor wraps it to time each resolution). */
  readonly nameResolver: NameResolver;
  /** The fault injection properties (checked; `{}` = no faults). */
  readonly debugFaultProperties: DebugProperties;
  /** TERMINATE_DRIVER's validator (default: deny). */
  readonly terminationValidator: (tokenBytes: Uint8Array) => boolean;
  /** Called after the driver closed on an allowed TERMINATE_DRIVER, if given. */
  readonly terminationHook: (() => void) | undefined;
  /** The application's error callback, if given. */
  readonly errorHandler: ((error: AeronError) => void) | undefined;
  /** Epoch-millisecond clock (default `Date.now`). */
  readonly epochClock: () => number;
  /** Monotonic nanosecond clock (default `performance.now()` in ns). */
  readonly nanoClock: () => number;
}

const MAX_INT32 = 0x7fffffff;

/** Default of `rejoinStream` (`aeron.rejoin.stream`: true, as Java `Configuration.rejoinStream()`). */
const REJOIN_STREAM_DEFAULT = true;

/** Java's `DefaultDenyTerminationValidator`: no client may terminate the driver. */
function denyTermination(_tokenBytes: Uint8Array): boolean {
  return false;
}

/** Nanoseconds from `performance.now()`: monotonic, a plain number, nothing allocated. */
function systemNanoClock(): number {
  return Math.round(performance.now() * 1_000_000);
}

/** Resolves defaults and validates; throws `MediaDriverError` (`INVALID_CONFIGURATION`). */
export function resolveMediaDriverContext(options: MediaDriverOptions): MediaDriverContext {
  if (typeof options.aeronDir !== 'string' || options.aeronDir === '') {
    throw invalid('aeronDir must be a non-empty path');
  }
  const filePageSize = options.filePageSize ?? FILE_PAGE_SIZE_DEFAULT;
  if (!isPowerOfTwo(filePageSize) || filePageSize < 4096 || filePageSize > 1024 * 1024 * 1024) {
    throw invalid(`filePageSize must be a power of 2 from 4 KiB to 1 GiB: ${filePageSize}`);
  }
  const conductorBufferLength = options.conductorBufferLength ?? CONDUCTOR_BUFFER_LENGTH_DEFAULT;
  checkRange('conductorBufferLength', conductorBufferLength, CONDUCTOR_BUFFER_LENGTH_DEFAULT, MAX_INT32);
  checkPowerOfTwoPlus('conductorBufferLength', conductorBufferLength, RING_TRAILER_LENGTH);
  const toClientsBufferLength = options.toClientsBufferLength ?? TO_CLIENTS_BUFFER_LENGTH_DEFAULT;
  checkRange('toClientsBufferLength', toClientsBufferLength, TO_CLIENTS_BUFFER_LENGTH_DEFAULT, MAX_INT32);
  checkPowerOfTwoPlus('toClientsBufferLength', toClientsBufferLength, BROADCAST_TRAILER_LENGTH);
  const counterValuesBufferLength = options.counterValuesBufferLength ?? COUNTERS_VALUES_BUFFER_LENGTH_DEFAULT;
  checkRange(
    'counterValuesBufferLength',
    counterValuesBufferLength,
    COUNTERS_VALUES_BUFFER_LENGTH_MIN,
    COUNTERS_VALUES_BUFFER_LENGTH_MAX,
  );
  if (counterValuesBufferLength % 128 !== 0) {
    throw invalid(`counterValuesBufferLength must be a multiple of 128: ${counterValuesBufferLength}`);
  }
  const errorBufferLength = options.errorBufferLength ?? ERROR_BUFFER_LENGTH_DEFAULT;
  checkRange('errorBufferLength', errorBufferLength, ERROR_BUFFER_LENGTH_DEFAULT, MAX_INT32);
  if (errorBufferLength % 8 !== 0) throw invalid(`errorBufferLength must be a multiple of 8: ${errorBufferLength}`);
  const lossReportBufferLength = alignLarge(
    options.lossReportBufferLength ?? LOSS_REPORT_BUFFER_LENGTH_DEFAULT,
    filePageSize,
  );
  checkRange('lossReportBufferLength', lossReportBufferLength, LOSS_REPORT_BUFFER_LENGTH_DEFAULT, MAX_INT32);

  const timerIntervalNs = options.timerIntervalNs ?? TIMER_INTERVAL_DEFAULT_NS;
  checkRange('timerIntervalNs', timerIntervalNs, 1, Number.MAX_SAFE_INTEGER);
  const clientLivenessTimeoutNs = options.clientLivenessTimeoutNs ?? CLIENT_LIVENESS_TIMEOUT_DEFAULT_NS;
  checkRange('clientLivenessTimeoutNs', clientLivenessTimeoutNs, 1, Number.MAX_SAFE_INTEGER);
  const publicationUnblockTimeoutNs = options.publicationUnblockTimeoutNs ?? PUBLICATION_UNBLOCK_TIMEOUT_DEFAULT_NS;
  checkRange('publicationUnblockTimeoutNs', publicationUnblockTimeoutNs, 1, Number.MAX_SAFE_INTEGER);
  const imageLivenessTimeoutNs = options.imageLivenessTimeoutNs ?? IMAGE_LIVENESS_TIMEOUT_DEFAULT_NS;
  checkRange('imageLivenessTimeoutNs', imageLivenessTimeoutNs, 1, Number.MAX_SAFE_INTEGER);
  if (publicationUnblockTimeoutNs <= clientLivenessTimeoutNs) {
    throw invalid(
      `publicationUnblockTimeoutNs=${publicationUnblockTimeoutNs} <= clientLivenessTimeoutNs=${clientLivenessTimeoutNs}`,
    );
  }
  if (clientLivenessTimeoutNs <= timerIntervalNs) {
    throw invalid(`clientLivenessTimeoutNs=${clientLivenessTimeoutNs} <= timerIntervalNs=${timerIntervalNs}`);
  }
  const driverTimeoutMs = options.driverTimeoutMs ?? DRIVER_TIMEOUT_DEFAULT_MS;
  checkRange('driverTimeoutMs', driverTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  const counterFreeToReuseTimeoutNs = options.counterFreeToReuseTimeoutNs ?? COUNTER_FREE_TO_REUSE_TIMEOUT_DEFAULT_NS;
  checkRange('counterFreeToReuseTimeoutNs', counterFreeToReuseTimeoutNs, 0, Number.MAX_SAFE_INTEGER);
  const conductorCycleThresholdNs = options.conductorCycleThresholdNs ?? CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS;
  checkRange('conductorCycleThresholdNs', conductorCycleThresholdNs, 1, Number.MAX_SAFE_INTEGER);
  const threadingMode = options.threadingMode ?? THREADING_MODE_DEFAULT;
  if (!THREADING_MODES.includes(threadingMode)) {
    throw invalid(`threadingMode must be one of ${THREADING_MODES.join(', ')}: ${String(threadingMode)}`);
  }
  if (threadingMode === 'SHARED' && (options.epochClock !== undefined || options.nanoClock !== undefined)) {
    throw invalid('epochClock and nanoClock cannot cross to the SHARED worker thread: use threadingMode INVOKER');
  }
  if (threadingMode === 'SHARED' && options.nameResolver !== undefined) {
    throw invalid('nameResolver cannot cross to the SHARED worker thread: use threadingMode INVOKER');
  }

  const ipcTermBufferLength = options.ipcTermBufferLength ?? IPC_TERM_BUFFER_LENGTH_DEFAULT;
  const publicationTermBufferLength = options.publicationTermBufferLength ?? TERM_BUFFER_LENGTH_DEFAULT;
  checkTermLengthOption('ipcTermBufferLength', ipcTermBufferLength);
  checkTermLengthOption('publicationTermBufferLength', publicationTermBufferLength);
  const ipcMtuLength = options.ipcMtuLength ?? IPC_MTU_LENGTH_DEFAULT;
  const mtuLength = options.mtuLength ?? MTU_LENGTH_DEFAULT;
  checkMtuLength(ipcMtuLength);
  checkMtuLength(mtuLength);
  const ipcPublicationTermWindowLength =
    options.ipcPublicationTermWindowLength ?? PUBLICATION_TERM_WINDOW_LENGTH_DEFAULT;
  checkRange('ipcPublicationTermWindowLength', ipcPublicationTermWindowLength, 0, TERM_MAX_LENGTH);
  const publicationTermWindowLength = options.publicationTermWindowLength ?? PUBLICATION_TERM_WINDOW_LENGTH_DEFAULT;
  checkRange('publicationTermWindowLength', publicationTermWindowLength, 0, TERM_MAX_LENGTH);
  const publicationLingerTimeoutNs = options.publicationLingerTimeoutNs ?? PUBLICATION_LINGER_DEFAULT_NS;
  checkRange('publicationLingerTimeoutNs', publicationLingerTimeoutNs, 0, Number.MAX_SAFE_INTEGER);
  const publicationReservedSessionIdLow =
    options.publicationReservedSessionIdLow ?? PUBLICATION_RESERVED_SESSION_ID_LOW_DEFAULT;
  const publicationReservedSessionIdHigh =
    options.publicationReservedSessionIdHigh ?? PUBLICATION_RESERVED_SESSION_ID_HIGH_DEFAULT;
  checkRange('publicationReservedSessionIdLow', publicationReservedSessionIdLow, -MAX_INT32 - 1, MAX_INT32);
  checkRange('publicationReservedSessionIdHigh', publicationReservedSessionIdHigh, -MAX_INT32 - 1, MAX_INT32);
  if (publicationReservedSessionIdLow > publicationReservedSessionIdHigh) {
    throw invalid(
      `low session id value ${publicationReservedSessionIdLow} must be <= high value ${publicationReservedSessionIdHigh}`,
    );
  }
  if (publicationReservedSessionIdHigh - publicationReservedSessionIdLow > MAX_INT32) {
    throw invalid('reserved session range too large');
  }
  const untetheredWindowLimitTimeoutNs =
    options.untetheredWindowLimitTimeoutNs ?? UNTETHERED_WINDOW_LIMIT_TIMEOUT_DEFAULT_NS;
  const untetheredRestingTimeoutNs = options.untetheredRestingTimeoutNs ?? UNTETHERED_RESTING_TIMEOUT_DEFAULT_NS;
  const untetheredLingerTimeoutNs = options.untetheredLingerTimeoutNs ?? UNTETHERED_LINGER_TIMEOUT_DEFAULT_NS;
  checkRange(
    'untetheredWindowLimitTimeoutNs',
    untetheredWindowLimitTimeoutNs,
    timerIntervalNs + 1,
    Number.MAX_SAFE_INTEGER,
  );
  checkRange('untetheredRestingTimeoutNs', untetheredRestingTimeoutNs, timerIntervalNs + 1, Number.MAX_SAFE_INTEGER);
  if (untetheredLingerTimeoutNs !== -1) {
    checkRange('untetheredLingerTimeoutNs', untetheredLingerTimeoutNs, timerIntervalNs + 1, Number.MAX_SAFE_INTEGER);
  }

  const udp = resolveUdpOptions(options, mtuLength);

  return {
    ...udp,
    aeronDir: options.aeronDir,
    dirDeleteOnStart: options.dirDeleteOnStart ?? false,
    dirDeleteOnShutdown: options.dirDeleteOnShutdown ?? false,
    driverTimeoutMs,
    clientLivenessTimeoutNs,
    publicationUnblockTimeoutNs,
    imageLivenessTimeoutNs,
    timerIntervalNs,
    counterFreeToReuseTimeoutNs,
    conductorBufferLength,
    toClientsBufferLength,
    counterValuesBufferLength,
    countersMetadataBufferLength: counterValuesBufferLength * 4,
    errorBufferLength,
    lossReportBufferLength,
    filePageSize,
    conductorCycleThresholdNs,
    threadingMode,
    ipcTermBufferLength,
    publicationTermBufferLength,
    ipcMtuLength,
    mtuLength,
    ipcPublicationTermWindowLength,
    publicationTermWindowLength,
    publicationLingerTimeoutNs,
    publicationReservedSessionIdLow,
    publicationReservedSessionIdHigh,
    termBufferSparseFile: options.termBufferSparseFile ?? TERM_BUFFER_SPARSE_FILE_DEFAULT,
    spiesSimulateConnection: options.spiesSimulateConnection ?? SPIES_SIMULATE_CONNECTION_DEFAULT,
    tetherSubscriptions: options.tetherSubscriptions ?? TETHER_SUBSCRIPTIONS_DEFAULT,
    rejoinStream: options.rejoinStream ?? REJOIN_STREAM_DEFAULT,
    untetheredWindowLimitTimeoutNs,
    untetheredRestingTimeoutNs,
    untetheredLingerTimeoutNs,
    terminationValidator: options.terminationValidator ?? denyTermination,
    terminationHook: options.terminationHook,
    errorHandler: options.errorHandler,
    epochClock: options.epochClock ?? Date.now,
    nanoClock: options.nanoClock ?? systemNanoClock,
  };
}

/** The UDP options of `MediaDriverContext`, resolved and checked (module comment). */
type UdpOptions = Pick<
  MediaDriverContext,
  | 'socketSndbufLength'
  | 'socketRcvbufLength'
  | 'initialWindowLength'
  | 'statusMessageTimeoutNs'
  | 'sendToStatusMessagePollRatio'
  | 'publicationConnectionTimeoutNs'
  | 'retransmitUnicastDelayNs'
  | 'retransmitUnicastLingerNs'
  | 'nakUnicastDelayNs'
  | 'nakUnicastRetryDelayRatio'
  | 'nakMulticastMaxBackoffNs'
  | 'nakMulticastGroupSize'
  | 'multicastTtl'
  | 'reResolutionCheckIntervalNs'
  | 'nameResolver'
  | 'debugFaultProperties'
>;

function resolveUdpOptions(options: MediaDriverOptions, mtuLength: number): UdpOptions {
  const resolved: UdpOptions = {
    socketSndbufLength: options.socketSndbufLength ?? SOCKET_SNDBUF_LENGTH_DEFAULT,
    socketRcvbufLength: options.socketRcvbufLength ?? SOCKET_RCVBUF_LENGTH_DEFAULT,
    initialWindowLength: options.initialWindowLength ?? INITIAL_WINDOW_LENGTH_DEFAULT,
    statusMessageTimeoutNs: options.statusMessageTimeoutNs ?? STATUS_MESSAGE_TIMEOUT_DEFAULT_NS,
    sendToStatusMessagePollRatio: options.sendToStatusMessagePollRatio ?? SEND_TO_STATUS_POLL_RATIO_DEFAULT,
    publicationConnectionTimeoutNs: options.publicationConnectionTimeoutNs ?? PUBLICATION_CONNECTION_TIMEOUT_DEFAULT_NS,
    retransmitUnicastDelayNs: options.retransmitUnicastDelayNs ?? RETRANSMIT_UNICAST_DELAY_DEFAULT_NS,
    retransmitUnicastLingerNs: options.retransmitUnicastLingerNs ?? RETRANSMIT_UNICAST_LINGER_DEFAULT_NS,
    nakUnicastDelayNs: options.nakUnicastDelayNs ?? NAK_UNICAST_DELAY_DEFAULT_NS,
    nakUnicastRetryDelayRatio: options.nakUnicastRetryDelayRatio ?? NAK_UNICAST_RETRY_DELAY_RATIO_DEFAULT,
    nakMulticastMaxBackoffNs: options.nakMulticastMaxBackoffNs ?? NAK_MAX_BACKOFF_DEFAULT_NS,
    nakMulticastGroupSize: options.nakMulticastGroupSize ?? NAK_MULTICAST_GROUP_SIZE_DEFAULT,
    multicastTtl: options.multicastTtl ?? SOCKET_MULTICAST_TTL_DEFAULT,
    reResolutionCheckIntervalNs: options.reResolutionCheckIntervalNs ?? RE_RESOLUTION_CHECK_INTERVAL_DEFAULT_NS,
    nameResolver: options.nameResolver ?? DefaultNameResolver.INSTANCE,
    debugFaultProperties: { ...(options.debugFaultProperties ?? {}) },
  };
  checkRange('socketSndbufLength', resolved.socketSndbufLength, 0, MAX_INT32);
  checkRange('socketRcvbufLength', resolved.socketRcvbufLength, 0, MAX_INT32);
  checkRange('initialWindowLength', resolved.initialWindowLength, mtuLength, MAX_INT32);
  checkRange('statusMessageTimeoutNs', resolved.statusMessageTimeoutNs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('sendToStatusMessagePollRatio', resolved.sendToStatusMessagePollRatio, 1, MAX_INT32);
  checkRange('publicationConnectionTimeoutNs', resolved.publicationConnectionTimeoutNs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('retransmitUnicastDelayNs', resolved.retransmitUnicastDelayNs, 0, Number.MAX_SAFE_INTEGER);
  checkRange('retransmitUnicastLingerNs', resolved.retransmitUnicastLingerNs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('nakUnicastDelayNs', resolved.nakUnicastDelayNs, NAK_UNICAST_DELAY_DEFAULT_NS, Number.MAX_SAFE_INTEGER);
  checkRange('nakUnicastRetryDelayRatio', resolved.nakUnicastRetryDelayRatio, 1, MAX_INT32);
  checkRange('nakMulticastMaxBackoffNs', resolved.nakMulticastMaxBackoffNs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('nakMulticastGroupSize', resolved.nakMulticastGroupSize, 1, MAX_INT32);
  checkRange('multicastTtl', resolved.multicastTtl, 0, 255);
  // Java takes any value and checks only `> 0`
  checkRange(
    'reResolutionCheckIntervalNs',
    resolved.reResolutionCheckIntervalNs,
    -Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  debugChannelEndpointConfiguration(resolved.debugFaultProperties); // throws INVALID_CONFIGURATION for a bad rate
  return resolved;
}

/** The counter free-to-reuse cool-down in ms as Aeron derives it: 0 stays 0, else at least 1 ms. */
export function counterFreeToReuseTimeoutMs(context: MediaDriverContext): number {
  const ns = context.counterFreeToReuseTimeoutNs;
  return ns > 0 ? Math.max(Math.floor(ns / 1_000_000), 1) : 0;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name}=${value} outside the range ${min} - ${max}`);
  }
}

function checkTermLengthOption(name: string, termLength: number): void {
  try {
    checkTermLength(termLength);
  } catch (e) {
    throw invalid(`${name}: ${(e as Error).message}`);
  }
}

function checkMtuLength(mtuLength: number): void {
  const problem = mtuLengthProblem(mtuLength);
  if (problem !== null) throw invalid(problem);
}

function checkPowerOfTwoPlus(name: string, value: number, trailer: number): void {
  if (!isPowerOfTwo(value - trailer)) {
    throw invalid(`${name}=${value} must be a power of 2 plus the ${trailer}-byte trailer`);
  }
}

function invalid(message: string): MediaDriverError {
  return new MediaDriverError('INVALID_CONFIGURATION', message);
}
