/**
 * The driver in the thread that runs its duty cycle: the Aeron directory's files, the counters, error log,
 * loss report and the conductor (the parts Aeron 1.51.0 keeps in `MediaDriver.Context` and `MediaDriver`).
 * `MediaDriver` owns one on the launching thread (threadingMode INVOKER); with SHARED the worker thread
 * (`shared-driver-worker.ts`) owns it and the launching thread only holds a handle.
 *
 * ```
 *  prepareDirectory:  ensureDirectoryIsRecreated (refuses a live driver's dir; see driver-directory.ts)
 *                     mkdir publications/ images/
 *  create:            cnc.dat: header without version -> counters manager -> 46 system counters
 *                              -> to-driver ring: correlation id 0 taken, consumer heartbeat = now
 *                              -> version 0.2.0 (release): clients may connect from here
 *                     loss-report.dat (page aligned), BYTES_CURRENTLY_MAPPED = cnc + loss report lengths
 *                     conductor.onStart(); the caller then runs agent.doWork() in its duty cycle
 *  close:             consumer heartbeat = -1 -> unmap -> delete dir if dirDeleteOnShutdown
 * ```
 *
 * Errors of the duty cycle (`onDutyCycleError`) are recorded in the CnC distinct error log (read it with
 * `ErrorStat` or `aeron-ts errors`) and counted by the ERRORS system counter.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { BroadcastTransmitter } from '../transport/broadcast-transmitter.ts';
import { CountersManager } from '../transport/counters-manager.ts';
import { DistinctErrorLog } from '../transport/distinct-error-log.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { ClientProxy } from './client-proxy.ts';
import { CncFile, cncFileLayout } from './cnc-file.ts';
import { ERROR_CODE_GENERIC_ERROR } from './command/control-protocol.ts';
import {
  IMAGES_DIR,
  NAME_RESOLVER_THRESHOLD_DEFAULT_NS,
  PUBLICATIONS_DIR,
  RECEIVER_CYCLE_THRESHOLD_DEFAULT_NS,
  SENDER_CYCLE_THRESHOLD_DEFAULT_NS,
} from './configuration.ts';
import { DriverConductor } from './driver-conductor.ts';
import { deleteDirectory, ensureDirectoryIsRecreated } from './driver-directory.ts';
import { ControlProtocolError, MediaDriverError } from './driver-error.ts';
import type { Agent } from './event-loop-agent-runner.ts';
import { LOSS_REPORT_FILE_NAME, LossReport } from './loss-report.ts';
import { ControlTransportPoller } from './media/control-transport-poller.ts';
import { counterFreeToReuseTimeoutMs, type MediaDriverContext } from './media-driver-context.ts';
import { Receiver } from './receiver.ts';
import { Sender } from './sender.ts';
import { SystemCounters } from './system-counters.ts';

/**
 * Prepares the Aeron directory (live driver refused, stale one removed, sub-directories made); returns where
 * a stale driver's errors were saved, or null. Rejects with `MediaDriverError` (ACTIVE_DRIVER,
 * CNC_NOT_INITIALISED, DIRECTORY) or `CncVersionError`/`CncFormatError`.
 */
export async function prepareDirectory(context: MediaDriverContext): Promise<string | null> {
  const { aeronDir } = context;
  const savedErrorsFile = await ensureDirectoryIsRecreated(
    aeronDir,
    context.dirDeleteOnStart,
    context.driverTimeoutMs,
    context.epochClock,
  );
  try {
    mkdirSync(join(aeronDir, PUBLICATIONS_DIR), { recursive: true });
    mkdirSync(join(aeronDir, IMAGES_DIR), { recursive: true });
  } catch (e) {
    throw new MediaDriverError('DIRECTORY', `cannot create the log buffer directories in ${aeronDir}`, {
      cause: e,
    });
  }
  return savedErrorsFile;
}

/**
 * Hands `error` to the `errorHandler` option as an `AeronError` (a non-AeronError wrapped in `DriverError`
 * GENERIC_ERROR with it as cause); what the handler throws is ignored, so it cannot stop the duty cycle.
 */
function notifyErrorHandler(handler: (error: AeronError) => void, error: unknown): void {
  try {
    handler(
      error instanceof AeronError
        ? error
        : new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, error instanceof Error ? error.message : String(error), {
            cause: error,
          }),
    );
  } catch {
    // the application's handler failed: the error is already in the error log
  }
}

/** The driver's files, counters and conductor in the thread that runs its duty cycle; see the module comment. */
export class MediaDriverCore {
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
  /** The conductor: the first agent of the duty cycle. */
  readonly conductor: DriverConductor;
  /** The sender (network publications), the second agent of the duty cycle. */
  readonly sender: Sender;
  /** The receiver (publication images), the third agent of the duty cycle. */
  readonly receiver: Receiver;
  /** The agents in one duty cycle (Java SHARED: conductor, sender, receiver in one thread). */
  readonly #agent: Agent;
  /**
   * Called when TERMINATE_DRIVER is allowed by the termination validator: `MediaDriver` closes the driver and then
   * calls the `terminationHook` option. Null: nothing happens.
   */
  onTermination: (() => void) | null = null;
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
      threadingMode: context.threadingMode,
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
    const userErrorHandler = context.errorHandler;
    const errorHandler = (error: unknown): void => {
      this.errorLog.record(error);
      if (userErrorHandler !== undefined) notifyErrorHandler(userErrorHandler, error);
    };
    this.conductor = new DriverConductor({
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
      driverContext: context,
      terminationValidator: (token) => {
        try {
          return context.terminationValidator(token) === true;
        } catch (e) {
          errorHandler(e);
          return false;
        }
      },
      terminate: () => this.onTermination?.(),
    });

    const nanoClock = context.nanoClock;
    const systemCounters = this.systemCounters;
    this.sender = new Sender({
      nanoClock,
      controlTransportPoller: new ControlTransportPoller(
        this.conductor,
        systemCounters.get('INVALID_PACKETS'),
        errorHandler,
      ),
      bytesSent: systemCounters.get('BYTES_SENT'),
      shortSends: systemCounters.get('SHORT_SENDS'),
      maxCycleTime: systemCounters.get('SENDER_MAX_CYCLE_TIME'),
      cycleTimeThresholdExceeded: systemCounters.get('SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED'),
      cycleThresholdNs: SENDER_CYCLE_THRESHOLD_DEFAULT_NS,
      statusMessageTimeoutNs: context.statusMessageTimeoutNs,
      sendToStatusMessagePollRatio: context.sendToStatusMessagePollRatio,
      reResolutionCheckIntervalNs: context.reResolutionCheckIntervalNs,
      resolutionChanges: systemCounters.get('RESOLUTION_CHANGES'),
    });
    this.receiver = new Receiver({
      systemCounters,
      conductorProxy: this.conductor,
      nanoClock,
      reResolutionCheckIntervalNs: context.reResolutionCheckIntervalNs,
    });
    this.conductor.setSender(this.sender);
    this.conductor.setReceiver(this.receiver);
    const conductor = this.conductor;
    const sender = this.sender;
    const receiver = this.receiver;
    this.#agent = { doWork: () => conductor.doWork() + sender.doWork() + receiver.doWork() };

    toDriverCommands.nextCorrelationId();
    toDriverCommands.setConsumerHeartbeatTime(epochClock());
    cnc.signalReady();
  }

  /**
   * Creates the files in a prepared directory (`prepareDirectory`) and starts the conductor; the caller runs
   * `agent.doWork()`. Throws `MappedFileError` when a file cannot be created or mapped.
   */
  static create(context: MediaDriverContext, savedErrorsFile: string | null): MediaDriverCore {
    const lossReportFile = MappedFile.create(
      join(context.aeronDir, LOSS_REPORT_FILE_NAME),
      context.lossReportBufferLength,
    );
    let cnc: CncFile | undefined;
    try {
      cnc = CncFile.create(context.aeronDir, cncFileLayout(context, context.epochClock(), process.pid));
      const core = new MediaDriverCore(context, cnc, lossReportFile, savedErrorsFile);
      core.conductor.onStart();
      core.sender.onStart();
      return core;
    } catch (e) {
      cnc?.close();
      lossReportFile.close();
      throw e;
    }
  }

  /** The agent the duty cycle runs: the conductor, then the sender, then the receiver. */
  get agent(): Agent {
    return this.#agent;
  }

  /** Number of clients the conductor knows (they appear with their first command). */
  get clientCount(): number {
    return this.conductor.clientCount;
  }

  /** What a duty cycle does with an error `doWork` threw: ERRORS + 1, recorded in the error log. */
  onDutyCycleError(error: unknown): void {
    this.systemCounters.get('ERRORS').increment();
    this.errorLog.record(error);
    if (this.context.errorHandler !== undefined) notifyErrorHandler(this.context.errorHandler, error);
  }

  /** Closes the conductor (heartbeat -1), unmaps the files, deletes the directory if asked to. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.conductor.onClose();
    this.cnc.close();
    this.#lossReportFile.close();
    if (this.context.dirDeleteOnShutdown) deleteDirectory(this.context.aeronDir);
  }
}
