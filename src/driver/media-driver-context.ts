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
  IPC_MTU_LENGTH_DEFAULT,
  IPC_TERM_BUFFER_LENGTH_DEFAULT,
  LOSS_REPORT_BUFFER_LENGTH_DEFAULT,
  MTU_LENGTH_DEFAULT,
  mtuLengthProblem,
  PUBLICATION_LINGER_DEFAULT_NS,
  PUBLICATION_RESERVED_SESSION_ID_HIGH_DEFAULT,
  PUBLICATION_RESERVED_SESSION_ID_LOW_DEFAULT,
  PUBLICATION_TERM_WINDOW_LENGTH_DEFAULT,
  PUBLICATION_UNBLOCK_TIMEOUT_DEFAULT_NS,
  SPIES_SIMULATE_CONNECTION_DEFAULT,
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

  return {
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
