/**
 * The TypeScript media driver (Aeron 1.51.0 `MediaDriver`): prepares the Aeron directory, writes `cnc.dat`
 * and `loss-report.dat`, and runs the conductor's duty cycle on the event loop until `close`.
 *
 * ```
 *  launch:  ensureDirectoryIsRecreated (refuses a live driver's dir; see driver-directory.ts)
 *           mkdir publications/ images/
 *           cnc.dat: header without version -> counters manager -> 46 system counters
 *                    -> to-driver ring: correlation id 0 taken, consumer heartbeat = now
 *                    -> version 0.2.0 (release): clients may connect from here
 *           loss-report.dat (page aligned), BYTES_CURRENTLY_MAPPED = cnc + loss report lengths
 *           conductor duty cycle started (EventLoopAgentRunner)
 *  close:   duty cycle stopped -> consumer heartbeat = -1 -> unmap -> delete dir if dirDeleteOnShutdown
 * ```
 *
 * Errors of the duty cycle are recorded in the CnC distinct error log (read it with `ErrorStat` or
 * `aeron-ts errors`) and counted by the ERRORS system counter.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { BroadcastTransmitter } from '../transport/broadcast-transmitter.ts';
import { CountersManager } from '../transport/counters-manager.ts';
import { DistinctErrorLog } from '../transport/distinct-error-log.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { ClientProxy } from './client-proxy.ts';
import { CncFile, cncFileLayout } from './cnc-file.ts';
import {
  IMAGES_DIR,
  NAME_RESOLVER_THRESHOLD_DEFAULT_NS,
  PUBLICATIONS_DIR,
  RECEIVER_CYCLE_THRESHOLD_DEFAULT_NS,
  SENDER_CYCLE_THRESHOLD_DEFAULT_NS,
} from './configuration.ts';
import { DriverConductor } from './driver-conductor.ts';
import { deleteDirectory, ensureDirectoryIsRecreated } from './driver-directory.ts';
import { MediaDriverError } from './driver-error.ts';
import { EventLoopAgentRunner } from './event-loop-agent-runner.ts';
import { LOSS_REPORT_FILE_NAME, LossReport } from './loss-report.ts';
import {
  counterFreeToReuseTimeoutMs,
  type MediaDriverContext,
  type MediaDriverOptions,
  resolveMediaDriverContext,
} from './media-driver-context.ts';
import { SystemCounters } from './system-counters.ts';

/** Java's name for one duty cycle doing conductor, sender and receiver work: what this driver does. */
const THREADING_MODE = 'SHARED';

/** A running media driver; see the module comment. */
export class MediaDriver implements AsyncDisposable {
  /** The resolved options. */
  readonly context: MediaDriverContext;
  /** The CnC file. */
  readonly cnc: CncFile;
  /** Writer of the CnC counters. */
  readonly countersManager: CountersManager;
  /** The system counters. */
  readonly systemCounters: SystemCounters;
  /** The distinct error log in the CnC file. */
  readonly errorLog: DistinctErrorLog;
  /** The loss report. */
  readonly lossReport: LossReport;
  /** Where the previous (stale) driver's errors were saved at start, or null. */
  readonly savedErrorsFile: string | null;
  readonly #conductor: DriverConductor;
  readonly #runner: EventLoopAgentRunner;
  readonly #lossReportFile: MappedFile;
  #closed = false;

  private constructor(
    context: MediaDriverContext,
    cnc: CncFile,
    lossReportFile: MappedFile,
    savedErrorsFile: string | null,
  ) {
    this.context = context;
    this.cnc = cnc;
    this.#lossReportFile = lossReportFile;
    this.savedErrorsFile = savedErrorsFile;
    const regions = cnc.regions;
    const epochClock = context.epochClock;

    this.countersManager = new CountersManager(
      regions.countersMetadata,
      regions.countersValues,
      epochClock,
      counterFreeToReuseTimeoutMs(context),
    );
    this.systemCounters = new SystemCounters(this.countersManager, {
      threadingMode: THREADING_MODE,
      conductorCycleThresholdNs: context.conductorCycleThresholdNs,
      senderCycleThresholdNs: SENDER_CYCLE_THRESHOLD_DEFAULT_NS,
      receiverCycleThresholdNs: RECEIVER_CYCLE_THRESHOLD_DEFAULT_NS,
      nameResolverThresholdNs: NAME_RESOLVER_THRESHOLD_DEFAULT_NS,
    });
    this.countersManager.appendToLabel(this.systemCounters.get('RESOLUTION_CHANGES').id, ': driverName=null');
    this.errorLog = new DistinctErrorLog(regions.errorLog, epochClock);
    this.lossReport = new LossReport(new AtomicBuffer(lossReportFile.buffer));
    this.systemCounters.get('BYTES_CURRENTLY_MAPPED').set(cnc.length + lossReportFile.length);

    const toDriverCommands = new ManyToOneRingBuffer(regions.toDriver);
    const errorHandler = (error: unknown): void => {
      this.errorLog.record(error);
    };
    this.#conductor = new DriverConductor({
      toDriverCommands,
      clientProxy: new ClientProxy(new BroadcastTransmitter(regions.toClients)),
      countersManager: this.countersManager,
      systemCounters: this.systemCounters,
      errorHandler,
      epochClock,
      nanoClock: context.nanoClock,
      timerIntervalNs: context.timerIntervalNs,
      clientLivenessTimeoutNs: context.clientLivenessTimeoutNs,
      conductorCycleThresholdNs: context.conductorCycleThresholdNs,
    });
    this.#runner = new EventLoopAgentRunner(this.#conductor, (error) => {
      this.systemCounters.get('ERRORS').increment();
      errorHandler(error);
    });

    toDriverCommands.nextCorrelationId();
    toDriverCommands.setConsumerHeartbeatTime(epochClock());
    cnc.signalReady();
  }

  /**
   * Starts a driver in `options.aeronDir`. Rejects with `MediaDriverError` (ACTIVE_DRIVER, CNC_NOT_INITIALISED,
   * INVALID_CONFIGURATION, DIRECTORY), `CncVersionError`/`CncFormatError` (an existing `cnc.dat` it cannot
   * read) or `MappedFileError`.
   */
  static async launch(options: MediaDriverOptions): Promise<MediaDriver> {
    const context = resolveMediaDriverContext(options);
    const { aeronDir, epochClock } = context;
    const savedErrorsFile = await ensureDirectoryIsRecreated(
      aeronDir,
      context.dirDeleteOnStart,
      context.driverTimeoutMs,
      epochClock,
    );
    try {
      mkdirSync(join(aeronDir, PUBLICATIONS_DIR), { recursive: true });
      mkdirSync(join(aeronDir, IMAGES_DIR), { recursive: true });
    } catch (e) {
      throw new MediaDriverError('DIRECTORY', `cannot create the log buffer directories in ${aeronDir}`, {
        cause: e,
      });
    }
    const lossReportFile = MappedFile.create(join(aeronDir, LOSS_REPORT_FILE_NAME), context.lossReportBufferLength);
    let cnc: CncFile | undefined;
    try {
      cnc = CncFile.create(aeronDir, cncFileLayout(context, epochClock(), process.pid));
      const driver = new MediaDriver(context, cnc, lossReportFile, savedErrorsFile);
      driver.#conductor.onStart();
      driver.#runner.start();
      return driver;
    } catch (e) {
      cnc?.close();
      lossReportFile.close();
      throw e;
    }
  }

  /** The Aeron directory. */
  get aeronDir(): string {
    return this.context.aeronDir;
  }

  /** True once `close` has run. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Number of clients the conductor knows (they appear with their first command). */
  get clientCount(): number {
    return this.#conductor.clientCount;
  }

  /**
   * Stops the duty cycle, marks the driver as shut down for clients (heartbeat -1), unmaps its files and, with
   * `dirDeleteOnShutdown`, deletes the directory. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#runner.close();
    this.#conductor.onClose();
    this.cnc.close();
    this.#lossReportFile.close();
    if (this.context.dirDeleteOnShutdown) deleteDirectory(this.context.aeronDir);
  }

  /** `await using driver = await MediaDriver.launch(…)`: the same as `close()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
