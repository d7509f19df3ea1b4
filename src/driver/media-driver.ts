/**
 * The TypeScript media driver (Aeron 1.51.0 `MediaDriver`): `launch` prepares the Aeron directory and starts
 * the driver where `threadingMode` says its duty cycle runs; `close` stops it.
 *
 * ```
 *  launch(options)          resolve + validate options (media-driver-context.ts)
 *                           prepareDirectory: live driver refused, stale one removed (media-driver-core.ts)
 *    threadingMode INVOKER  MediaDriverCore created here; EventLoopAgentRunner invokes its duty cycle on this
 *                           thread's event loop; its parts (countersManager, errorLog, ...) are reachable
 *    threadingMode SHARED   a worker thread creates the MediaDriverCore and runs the duty cycle with a backoff
 *                           idle strategy (shared-driver-thread.ts); this object is a handle. The function
 *                           options stay here: the worker posts TERMINATE_DRIVER tokens (terminationValidator
 *                           runs here) and its errors (rebuilt as typed AeronErrors for errorHandler)
 *  launchEmbedded(options)  launch in a fresh <default aeron dir>-<random uuid>, deleted on close
 *  close()                  duty cycle stopped -> consumer heartbeat = -1 -> unmap -> delete dir if asked
 *  TERMINATE_DRIVER         terminationValidator(token) (one that throws denies) -> allowed: close(), then
 *                           terminationHook (Java's terminationHook path; no reply to the client either way);
 *                           requests and errors reaching a closing driver are ignored
 * ```
 *
 * Errors of the duty cycle are recorded in the CnC distinct error log (read it with `ErrorStat` or
 * `aeron-ts errors`) and counted by the ERRORS system counter.
 */
import { randomUUID } from 'node:crypto';
import { defaultAeronDir } from '../transport/aeron-directory.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { DistinctErrorLog } from '../transport/distinct-error-log.ts';
import type { CncFile } from './cnc-file.ts';
import { MediaDriverError } from './driver-error.ts';
import { EventLoopAgentRunner } from './event-loop-agent-runner.ts';
import type { LossReport } from './loss-report.ts';
import {
  type MediaDriverContext,
  type MediaDriverOptions,
  resolveMediaDriverContext,
  type ThreadingMode,
} from './media-driver-context.ts';
import { MediaDriverCore, prepareDirectory } from './media-driver-core.ts';
import { type ErrorDescription, toAeronError } from './shared-driver-protocol.ts';
import { SHARED_DRIVER_THREAD_TIMEOUT_MS, SharedDriverThread } from './shared-driver-thread.ts';
import type { SystemCounters } from './system-counters.ts';

/** How `MediaDriver.launch` waits. */
export interface LaunchOptions {
  /** Aborts the launch: it rejects with `MediaDriverError` ABORTED (`cause` = the signal's reason). */
  readonly signal?: AbortSignal;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new MediaDriverError('ABORTED', 'MediaDriver.launch aborted', { cause: signal.reason });
  }
}

/** Options of `MediaDriver.launchEmbedded`: those of `launch`, every one optional. */
export type EmbeddedMediaDriverOptions = Partial<MediaDriverOptions>;

/** A running media driver; see the module comment. */
export class MediaDriver implements AsyncDisposable {
  /** The resolved options. */
  readonly context: MediaDriverContext;
  /** Where the previous (stale) driver's errors were saved at start, or null. */
  readonly savedErrorsFile: string | null;
  readonly #core: MediaDriverCore | null;
  readonly #runner: EventLoopAgentRunner | null;
  readonly #thread: SharedDriverThread | null;
  #closing: Promise<void> | null = null;

  private constructor(
    context: MediaDriverContext,
    savedErrorsFile: string | null,
    local: { core: MediaDriverCore; runner: EventLoopAgentRunner } | null,
    thread: SharedDriverThread | null,
  ) {
    this.context = context;
    this.savedErrorsFile = savedErrorsFile;
    this.#core = local?.core ?? null;
    this.#runner = local?.runner ?? null;
    this.#thread = thread;
  }

  /**
   * Starts a driver in `options.aeronDir`. Rejects with `MediaDriverError` (ACTIVE_DRIVER, CNC_NOT_INITIALISED,
   * INVALID_CONFIGURATION, DIRECTORY, and CLOSED when a SHARED driver's worker does not start),
   * `CncVersionError`/`CncFormatError` (an existing `cnc.dat` it cannot read) or, with INVOKER,
   * `MappedFileError`; ABORTED when `launch.signal` aborts before the driver runs (a SHARED driver's worker is
   * stopped then; the directory check's own wait, at most `driverTimeoutMs`, is not cut short).
   */
  static async launch(options: MediaDriverOptions, launch: LaunchOptions = {}): Promise<MediaDriver> {
    const { signal } = launch;
    throwIfAborted(signal);
    const context = resolveMediaDriverContext(options);
    const savedErrorsFile = await prepareDirectory(context);
    throwIfAborted(signal);
    if (context.threadingMode === 'SHARED') {
      let driver: MediaDriver | null = null;
      const early: Array<() => void> = [];
      const deliver = (action: (d: MediaDriver) => void): void => {
        if (driver !== null) action(driver);
        else early.push(() => action(driver!));
      };
      const thread = await SharedDriverThread.start(options, savedErrorsFile, SHARED_DRIVER_THREAD_TIMEOUT_MS, signal, {
        onTerminationRequest: (token) => deliver((d) => d.#onTerminationRequest(token)),
        onError: (error) => deliver((d) => d.#onWorkerError(error)),
      });
      driver = new MediaDriver(context, savedErrorsFile, null, thread);
      for (const action of early.splice(0)) action();
      return driver;
    }
    const core = MediaDriverCore.create(context, savedErrorsFile);
    const runner = new EventLoopAgentRunner(core.agent, (error) => core.onDutyCycleError(error));
    const driver = new MediaDriver(context, savedErrorsFile, { core, runner }, null);
    core.onTermination = () => driver.#onTermination();
    runner.start();
    return driver;
  }

  /**
   * Starts a driver of its own for this process, as Java's `MediaDriver.launchEmbedded`: in
   * `<default aeron dir>-<random uuid>` (`/dev/shm/aeron-<user>-<uuid>` on Linux) unless `options.aeronDir`
   * names another directory than the default, and, unlike Java, deleted on close unless
   * `dirDeleteOnShutdown` is false. Rejects as `launch`.
   */
  static async launchEmbedded(
    options: EmbeddedMediaDriverOptions = {},
    launch: LaunchOptions = {},
  ): Promise<MediaDriver> {
    const defaultDir = defaultAeronDir();
    const aeronDir =
      options.aeronDir === undefined || options.aeronDir === defaultDir
        ? `${defaultDir}-${randomUUID()}`
        : options.aeronDir;
    return MediaDriver.launch(
      { ...options, aeronDir, dirDeleteOnShutdown: options.dirDeleteOnShutdown ?? true },
      launch,
    );
  }

  /** The Aeron directory: what clients connect to. */
  get aeronDir(): string {
    return this.context.aeronDir;
  }

  /** Where the duty cycle runs. */
  get threadingMode(): ThreadingMode {
    return this.context.threadingMode;
  }

  /** True once `close` has been called. */
  get isClosed(): boolean {
    return this.#closing !== null;
  }

  /** The CnC file (INVOKER only: throws `MediaDriverError` INVALID_CONFIGURATION with SHARED). */
  get cnc(): CncFile {
    return this.#local('cnc').cnc;
  }

  /** Writer of the CnC counters (INVOKER only). */
  get countersManager(): CountersManager {
    return this.#local('countersManager').countersManager;
  }

  /** The system counters (INVOKER only). */
  get systemCounters(): SystemCounters {
    return this.#local('systemCounters').systemCounters;
  }

  /** The distinct error log in the CnC file (INVOKER only). */
  get errorLog(): DistinctErrorLog {
    return this.#local('errorLog').errorLog;
  }

  /** The loss report (INVOKER only). */
  get lossReport(): LossReport {
    return this.#local('lossReport').lossReport;
  }

  /** Number of clients the conductor knows (INVOKER only; they appear with their first command). */
  get clientCount(): number {
    return this.#local('clientCount').clientCount;
  }

  /** The driver's parts in this thread (INVOKER only). */
  get core(): MediaDriverCore {
    return this.#local('core');
  }

  /**
   * Stops the duty cycle, marks the driver as shut down for clients (heartbeat -1), unmaps its files and, with
   * `dirDeleteOnShutdown`, deletes the directory. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** `await using driver = await MediaDriver.launch(…)`: the same as `close()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * An allowed TERMINATE_DRIVER (INVOKER: the conductor ran the validator): closes the driver once the current
   * duty cycle has returned, then calls the `terminationHook` option.
   */
  #onTermination(): void {
    if (this.#closing !== null) return;
    setImmediate(() => this.#terminate());
  }

  /** SHARED: the worker's TERMINATE_DRIVER token; the validator decides here (one that throws denies). */
  #onTerminationRequest(token: Uint8Array): void {
    if (this.#closing !== null) return;
    let allowed = false;
    try {
      allowed = this.context.terminationValidator(token) === true;
    } catch {
      // a validator that fails denies
    }
    if (allowed) this.#terminate();
  }

  /** Closes the driver, then calls the `terminationHook` option (what it throws is ignored). */
  #terminate(): void {
    if (this.#closing !== null) return;
    void this.close().then(() => {
      try {
        this.context.terminationHook?.();
      } catch {
        // the application's hook failed: the driver is closed either way
      }
    });
  }

  /** SHARED: a driver error from the worker, as a typed `AeronError` for the `errorHandler` option (what it throws is ignored). */
  #onWorkerError(description: ErrorDescription): void {
    const handler = this.context.errorHandler;
    if (this.#closing !== null || handler === undefined) return;
    try {
      handler(toAeronError(description));
    } catch {
      // the application's handler failed: the error is already in the error log
    }
  }

  async #close(): Promise<void> {
    if (this.#thread !== null) {
      await this.#thread.close();
      return;
    }
    this.#runner?.close();
    this.#core?.close();
  }

  #local(part: string): MediaDriverCore {
    if (this.#core === null) {
      throw new MediaDriverError(
        'INVALID_CONFIGURATION',
        `${part} lives in the driver's worker thread (threadingMode SHARED): launch with threadingMode INVOKER to reach it`,
      );
    }
    return this.#core;
  }
}
