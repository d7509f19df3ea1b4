/**
 * The TypeScript Archive server (Java `io.aeron.archive.Archive`), launched as a client of a running media driver
 * (TypeScript or Java): `Archive.launch(options)` opens (or creates) the archive directory, takes the mark file
 * (refused while another live archive holds it), opens the catalog (recovering recordings a crash left active),
 * connects an Aeron client, subscribes to the control channel(s) and runs the conductor's duty cycle on the event
 * loop: busy while there is work, then backing off to a 1 ms timer (Java's SHARED threading mode on one thread).
 *
 * ```
 *  launch   [signal aborted?] -> dirs -> Aeron client (unless given) -> mark file -> no archive of this id on the
 *           driver (Java's error counter check) -> error counter -> catalog (crash recovery) -> counters 103-112
 *           (archive-counters.ts) -> control subscriptions -> mark file ready -> duty cycle
 *           each await may end in AeronAbortedError; a failure closes what was made, in reverse
 *  cycle    conductor.doWork; then the counters: cycle time, recorder / replayer totals, session counts
 *  close    duty cycle stopped, conductor (recordings stopped in the catalog), catalog, counters, mark file
 *           (terminated: the next archive may start at once), the client when the archive made it
 * ```
 *
 * ```ts
 * const archive = await Archive.launch({ aeronDir, archiveDir: '/var/lib/aeron-archive' });
 * // clients connect on aeron:ipc?term-length=64k stream 10 (the local control channel)
 * await archive.close();
 * ```
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { throwIfAborted } from '../client/abort.ts';
import { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { DistinctErrorLog } from '../transport/distinct-error-log.ts';
import { ArchiveConductor } from './archive-conductor.ts';
import {
  ARCHIVE_ERROR_COUNT_TYPE_ID,
  ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID,
  ArchiveCounters,
  allocateErrorCounter,
  findArchiveCounter,
  nanoTime,
} from './archive-counters.ts';
import { ArchiveMarkFile } from './archive-mark-file.ts';
import {
  type ArchiveServerContext,
  type ArchiveServerOptions,
  resolveArchiveServerContext,
} from './archive-options.ts';
import { ArchiveServerError, errorLogText } from './archive-server-error.ts';
import { Catalog } from './catalog.ts';

const BUSY_CYCLES_BEFORE_YIELD = 64;
const IDLE_DELAY_MS = 1;
/** What an aborted launch says (`AeronAbortedError` "Archive.launch aborted"). */
const LAUNCH = 'Archive.launch';

/**
 * Java's checks that no archive of `archiveId` runs on this driver: its error counter ("found existing archive for
 * archiveId=<id>", `Archive.Context.conclude`) and its recorder max write time counter ("existing max write time
 * counter detected for archiveId=<id>"). Java makes the first check only when it connects its own client; this
 * archive always allocates its error counter, so it always checks.
 */
function checkNoArchiveWithId(aeron: Aeron, archiveId: number): void {
  const counters = aeron.countersReader;
  if (findArchiveCounter(counters, ARCHIVE_ERROR_COUNT_TYPE_ID, archiveId) >= 0) {
    throw new ArchiveServerError('EXISTING_ARCHIVE', `found existing archive for archiveId=${archiveId}`);
  }
  if (findArchiveCounter(counters, ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID, archiveId) >= 0) {
    throw new ArchiveServerError(
      'EXISTING_ARCHIVE',
      `existing max write time counter detected for archiveId=${archiveId}`,
    );
  }
}

/** A running archive (module comment). Close it with `close()`. */
export class Archive implements AsyncDisposable {
  /** The options with their defaults. */
  readonly context: ArchiveServerContext;
  /** This archive's id (the option, else the Aeron client's id, as Java). */
  readonly archiveId: number;
  /** Errors the duty cycle met (when no `errorHandler` was given). */
  readonly errors: unknown[] = [];
  readonly #aeron: Aeron;
  readonly #ownsAeron: boolean;
  readonly #catalog: Catalog;
  readonly #markFile: ArchiveMarkFile;
  readonly #conductor: ArchiveConductor;
  readonly #errorCounter: Counter;
  readonly #counters: ArchiveCounters;
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #closed = false;

  private constructor(
    context: ArchiveServerContext,
    aeron: Aeron,
    ownsAeron: boolean,
    catalog: Catalog,
    markFile: ArchiveMarkFile,
    archiveId: number,
    errorHandler: ((error: unknown) => void) | undefined,
    errorCounter: Counter,
    errorLog: DistinctErrorLog,
    counters: ArchiveCounters,
  ) {
    this.context = context;
    this.#aeron = aeron;
    this.#ownsAeron = ownsAeron;
    this.#catalog = catalog;
    this.#markFile = markFile;
    this.archiveId = archiveId;
    this.#conductor = new ArchiveConductor(
      context,
      aeron,
      catalog,
      markFile,
      archiveId,
      this.#countedErrorHandler(errorHandler ?? ((e) => this.errors.push(e)), errorCounter, errorLog),
      counters,
    );
    this.#errorCounter = errorCounter;
    this.#counters = counters;
  }

  /**
   * Launches an archive on a running driver (module comment). `aeron` reuses a connected client (it stays the
   * caller's); else one is connected on `options.aeronDir`. Rejects with `ArchiveServerError` (the mark file, the
   * catalog, INVALID_OPTION "found existing archive for archiveId=<id>" when the driver already has an archive of
   * this id, as Java's check of its error counter), with the client's errors, or with `AeronAbortedError` when
   * `launch.signal` aborts first: whatever was made by then (client, mark file, catalog, counters, subscriptions)
   * is closed before the rejection, and the directory is free for the next launch at once.
   */
  static async launch(
    options: ArchiveServerOptions = {},
    aeron?: Aeron,
    launch: { readonly signal?: AbortSignal | undefined } = {},
  ): Promise<Archive> {
    const { signal } = launch;
    throwIfAborted(signal, LAUNCH);
    const ctx = resolveArchiveServerContext(options);
    if (ctx.deleteArchiveOnStart) rmSync(ctx.archiveDir, { recursive: true, force: true });
    if (!existsSync(ctx.archiveDir)) mkdirSync(ctx.archiveDir, { recursive: true });
    if (!existsSync(ctx.markFileDir)) mkdirSync(ctx.markFileDir, { recursive: true });
    const client =
      aeron ?? (await Aeron.connect(ctx.aeronDir === undefined ? { signal } : { aeronDir: ctx.aeronDir, signal }));
    let markFile: ArchiveMarkFile | undefined;
    let catalog: Catalog | undefined;
    let errorCounter: Counter | undefined;
    let counters: ArchiveCounters | undefined;
    let archive: Archive | undefined;
    try {
      throwIfAborted(signal, LAUNCH);
      const archiveId = ctx.archiveId ?? client.clientId;
      markFile = new ArchiveMarkFile({
        markFileDir: ctx.markFileDir,
        archiveId,
        controlChannel: ctx.controlChannel,
        controlStreamId: ctx.controlStreamId,
        localControlChannel: ctx.localControlChannel,
        localControlStreamId: ctx.localControlStreamId,
        recordingEventsChannel: ctx.recordingEventsEnabled ? ctx.recordingEventsChannel : null,
        recordingEventsStreamId: ctx.recordingEventsStreamId,
        aeronDirectoryName: client.context.aeronDir,
        errorBufferLength: ctx.errorBufferLength,
      });
      checkNoArchiveWithId(client, archiveId);
      errorCounter = await allocateErrorCounter(client, archiveId, { signal });
      throwIfAborted(signal, LAUNCH);
      catalog = Catalog.open({
        archiveDir: ctx.archiveDir,
        catalogCapacity: ctx.catalogCapacity,
        fileSyncLevel: ctx.catalogFileSyncLevel,
      });
      counters = await ArchiveCounters.allocate(client, archiveId, { signal });
      throwIfAborted(signal, LAUNCH);
      const errorBytes = markFile.errorBuffer();
      const errorLog = new DistinctErrorLog(
        new AtomicBuffer(errorBytes.buffer as ArrayBuffer, errorBytes.byteOffset, errorBytes.byteLength),
      );
      archive = new Archive(
        ctx,
        client,
        aeron === undefined,
        catalog,
        markFile,
        archiveId,
        options.errorHandler,
        errorCounter,
        errorLog,
        counters,
      );
      await archive.#conductor.start();
      throwIfAborted(signal, LAUNCH);
      markFile.signalReady(Date.now());
      archive.#counters.start(nanoTime());
      archive.#schedule(0);
      return archive;
    } catch (e) {
      if (archive !== undefined) {
        await archive.close();
      } else {
        counters?.close();
        errorCounter?.close();
        catalog?.close();
        markFile?.close();
        if (aeron === undefined) client.close();
      }
      throw e;
    }
  }

  /** The Aeron client the archive runs on. */
  get aeron(): Aeron {
    return this.#aeron;
  }

  /** Number of control sessions alive. */
  get controlSessionCount(): number {
    return this.#conductor.controlSessionCount;
  }

  /** Whether `close` has run. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Stops the duty cycle, stops recordings (their stop positions go to the catalog), closes everything. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
      this.#timer = null;
    }
    try {
      this.#conductor.close();
    } finally {
      this.#catalog.close();
      this.#counters.close();
      this.#errorCounter.close();
      this.#markFile.close();
      if (this.#ownsAeron) this.#aeron.close();
    }
  }

  /**
   * Java's `CountedErrorHandler` over the mark file's `DistinctErrorLog`: each error is logged (distinct text,
   * observation count and times; Java's `ArchiveTool errors` reads it; a recording's file error in Java's words,
   * `errorLogText`), counted on the error counter, then handed on.
   */
  #countedErrorHandler(
    handler: (error: unknown) => void,
    counter: Counter,
    log: DistinctErrorLog,
  ): (error: unknown) => void {
    return (error) => {
      try {
        log.recordEncoded(errorLogText(error));
        if (!counter.isClosed) counter.increment();
      } finally {
        handler(error);
      }
    };
  }

  /** Same as `close`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #schedule(idleCycles: number): void {
    if (this.#closed) return;
    const run = (): void => {
      this.#timer = null;
      if (this.#closed) return;
      let work = 0;
      for (let i = 0; i < BUSY_CYCLES_BEFORE_YIELD; i++) {
        let n = 0;
        try {
          n = this.#conductor.doWork(Date.now());
        } catch (e) {
          this.errors.push(e);
        }
        work += n;
        this.#counters.onDutyCycle(nanoTime(), n, this.#conductor.recordingCount, this.#conductor.replayCount);
        if (n === 0) break;
      }
      this.#schedule(work > 0 ? 0 : idleCycles + 1);
    };
    this.#timer = idleCycles === 0 ? setImmediate(run) : setTimeout(run, IDLE_DELAY_MS);
  }
}
