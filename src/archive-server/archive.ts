/**
 * The TypeScript Archive server (Java `io.aeron.archive.Archive`), launched as a client of a running media driver
 * (TypeScript or Java): `Archive.launch(options)` opens (or creates) the archive directory, takes the mark file
 * (refused while another live archive holds it), opens the catalog (recovering recordings a crash left active),
 * connects an Aeron client, subscribes to the control channel(s) and runs the conductor's duty cycle on the event
 * loop: busy while there is work, then backing off to a 1 ms timer (Java's SHARED threading mode on one thread).
 *
 * ```ts
 * const archive = await Archive.launch({ aeronDir, archiveDir: '/var/lib/aeron-archive' });
 * // clients connect on aeron:ipc?term-length=64k stream 10 (the local control channel)
 * await archive.close();
 * ```
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { DistinctErrorLog } from '../transport/distinct-error-log.ts';
import { ArchiveConductor } from './archive-conductor.ts';
import { allocateErrorCounter } from './archive-counters.ts';
import { ArchiveMarkFile } from './archive-mark-file.ts';
import {
  type ArchiveServerContext,
  type ArchiveServerOptions,
  resolveArchiveServerContext,
} from './archive-options.ts';
import { Catalog } from './catalog.ts';

const BUSY_CYCLES_BEFORE_YIELD = 64;
const IDLE_DELAY_MS = 1;

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
    );
    this.#errorCounter = errorCounter;
  }

  /**
   * Launches an archive on a running driver (module comment). `aeron` reuses a connected client (it stays the
   * caller's); else one is connected on `options.aeronDir`.
   */
  static async launch(options: ArchiveServerOptions = {}, aeron?: Aeron): Promise<Archive> {
    const ctx = resolveArchiveServerContext(options);
    if (ctx.deleteArchiveOnStart) rmSync(ctx.archiveDir, { recursive: true, force: true });
    if (!existsSync(ctx.archiveDir)) mkdirSync(ctx.archiveDir, { recursive: true });
    if (!existsSync(ctx.markFileDir)) mkdirSync(ctx.markFileDir, { recursive: true });
    const client = aeron ?? (await Aeron.connect(ctx.aeronDir === undefined ? {} : { aeronDir: ctx.aeronDir }));
    let markFile: ArchiveMarkFile | undefined;
    let catalog: Catalog | undefined;
    let errorCounter: Counter | undefined;
    try {
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
      catalog = Catalog.open({
        archiveDir: ctx.archiveDir,
        catalogCapacity: ctx.catalogCapacity,
        fileSyncLevel: ctx.catalogFileSyncLevel,
      });
      errorCounter = await allocateErrorCounter(client, archiveId);
      const errorBytes = markFile.errorBuffer();
      const errorLog = new DistinctErrorLog(
        new AtomicBuffer(errorBytes.buffer as ArrayBuffer, errorBytes.byteOffset, errorBytes.byteLength),
      );
      const archive = new Archive(
        ctx,
        client,
        aeron === undefined,
        catalog,
        markFile,
        archiveId,
        options.errorHandler,
        errorCounter,
        errorLog,
      );
      await archive.#conductor.start();
      markFile.signalReady(Date.now());
      archive.#schedule(0);
      return archive;
    } catch (e) {
      errorCounter?.close();
      catalog?.close();
      markFile?.close();
      if (aeron === undefined) client.close();
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
      this.#errorCounter.close();
      this.#markFile.close();
      if (this.#ownsAeron) this.#aeron.close();
    }
  }

  /**
   * Java's `CountedErrorHandler` over the mark file's `DistinctErrorLog`: each error is logged (distinct text,
   * observation count and times; Java's `ArchiveTool errors` reads it), counted on the error counter, then handed on.
   */
  #countedErrorHandler(
    handler: (error: unknown) => void,
    counter: Counter,
    log: DistinctErrorLog,
  ): (error: unknown) => void {
    return (error) => {
      try {
        log.record(error);
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
        if (n === 0) break;
      }
      this.#schedule(work > 0 ? 0 : idleCycles + 1);
    };
    this.#timer = idleCycles === 0 ? setImmediate(run) : setTimeout(run, IDLE_DELAY_MS);
  }
}
