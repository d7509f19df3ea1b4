/**
 * What the TS archive's duty cycle allocates (issue 18: recorder and replayer duty cycles allocate nothing per
 * message). The conductor is driven by hand here (`ArchiveConductor.doWork` with a fixed clock, no scheduler),
 * on a harness driver, with our client's session connected and a recording active. Measured with the V8 heap's used
 * size around a synchronous run with no garbage collection inside it:
 * - 320,000 idle duty cycles (a control session, an active recording with nothing new): nothing per cycle;
 * - rounds of 8 offers of 200 bytes and two duty cycles, until 40,000 messages were accepted (the driver, another
 *   process, moves the publication limit at its own pace) and recorded block by block: the figures per message
 *   and per block are printed. The bound is 160 B per block: Node 20's `fs.writeSync` allocates ~100 B per call
 *   (`const ctx = {}` and more; 101 B/call measured alone), once per block written, and nothing of ours.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveConductor } from '../../src/archive-server/archive-conductor.ts';
import { IoTotals } from '../../src/archive-server/archive-counters.ts';
import { ArchiveMarkFile } from '../../src/archive-server/archive-mark-file.ts';
import { resolveArchiveServerContext } from '../../src/archive-server/archive-options.ts';
import { Catalog } from '../../src/archive-server/catalog.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const IDLE_CYCLES = 320_000;
/** Messages recorded in a measured run (the rounds it takes depend on the driver's pace). */
const TARGET_MESSAGES = 40_000;
const MAX_ROUNDS = 2_000_000;
/** Far below one 16-byte object per idle cycle (5 MB). */
const IDLE_BOUND_BYTES = 256 * 1024;

/** Heap growth over `run`, or null when a collection ran meanwhile (the least of 5 tries). */
async function heapGrowthOf(run: () => void): Promise<number | null> {
  let gcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    run();
    let least: number | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      await new Promise((r) => setTimeout(r, 10));
      gcs = [];
      const start = performance.now();
      const before = process.memoryUsage().heapUsed;
      run();
      const after = process.memoryUsage().heapUsed;
      const end = performance.now();
      await new Promise((r) => setTimeout(r, 10));
      if (!gcs.some((t) => t >= start && t <= end)) least = Math.min(least ?? Number.POSITIVE_INFINITY, after - before);
    }
    return least;
  } finally {
    observer.disconnect();
  }
}

describeInterop('TypeScript Archive server: duty cycle allocation', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let aeron: Aeron;
  let serverAeron: Aeron;
  let catalog: Catalog;
  let markFile: ArchiveMarkFile;
  let conductor: ArchiveConductor;
  let client: AeronArchive;
  let publication: ExclusivePublication;
  let pump: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    driver = await startMediaDriver();
    archiveDir = scratchDir('allocation');
    const ctx = resolveArchiveServerContext({
      aeronDir: driver.aeronDir,
      archiveDir,
      segmentFileLength: 64 * 1024 * 1024,
      // recording events on (no subscriber: every cycle encodes a RecordingProgress and offers it)
      recordingEventsEnabled: true,
      recordingEventsChannel: 'aeron:ipc?term-length=64k',
      recordingEventsStreamId: 33,
    });
    serverAeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    markFile = new ArchiveMarkFile({
      markFileDir: archiveDir,
      archiveId: 5,
      controlChannel: null,
      controlStreamId: 10,
      localControlChannel: ctx.localControlChannel,
      localControlStreamId: 10,
      recordingEventsChannel: null,
      recordingEventsStreamId: 30,
      aeronDirectoryName: driver.aeronDir,
    });
    catalog = Catalog.open({ archiveDir });
    // the recorder's and replayer's totals as Archive gives them (a write time per block is measured)
    conductor = new ArchiveConductor(
      ctx,
      serverAeron,
      catalog,
      markFile,
      5,
      (e) => {
        throw e;
      },
      { recorder: new IoTotals(), replayer: new IoTotals() },
    );
    await conductor.start();
    pump = setInterval(() => conductor.doWork(Date.now()), 1);
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
    });
    await client.startRecording(IPC, 9100, SourceLocation.LOCAL);
    publication = await aeron.addExclusivePublication(IPC, 9100);
    await awaitCondition('the recording to start', () => conductor.recordingCount === 1, 30_000);
    clearInterval(pump);
    pump = undefined;
  }, 120_000);

  afterAll(async () => {
    if (pump !== undefined) clearInterval(pump);
    publication?.close();
    client?.close();
    aeron?.close();
    conductor?.close();
    catalog?.close();
    markFile?.close();
    serverAeron?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  it('idle duty cycles allocate nothing; recording allocates far less than an object per message', async () => {
    const now = Date.now();
    const idle = await heapGrowthOf(() => {
      for (let i = 0; i < IDLE_CYCLES; i++) conductor.doWork(now);
    });
    const message = new Uint8Array(200);
    let offered = 0;
    let blocks = 0;
    const record = await heapGrowthOf(() => {
      offered = 0;
      const blocksBefore = conductor.blocksWritten;
      // the driver (another process) moves the publication limit: run until enough were accepted
      for (let round = 0; round < MAX_ROUNDS && offered < TARGET_MESSAGES; round++) {
        for (let i = 0; i < 8; i++) if (publication.offer(message, 0, message.length) > 0) offered++;
        conductor.doWork(now);
        conductor.doWork(now);
      }
      blocks = conductor.blocksWritten - blocksBefore;
    });
    const messages = offered; // accepted (and recorded) in the last run; the rest met back pressure
    expect(messages).toBeGreaterThanOrEqual(TARGET_MESSAGES);
    console.log(
      `archive duty cycle heap growth: idle ${idle} B over ${IDLE_CYCLES} cycles; recording ${record} B over ${messages} messages (${record === null ? '?' : (record / messages).toFixed(2)} B/message, ${blocks} blocks: ${record === null ? '?' : (record / blocks).toFixed(1)} B/block)`,
    );
    if (idle !== null) expect(idle).toBeLessThan(IDLE_BOUND_BYTES);
    // nothing of ours per message; Node 20's fs.writeSync allocates ~100 B (its context object and more) per call,
    // i.e. per block written (measured alone: node --expose-gc, 10,000 writeSync calls, 101 B/call)
    if (record !== null) expect(record / blocks).toBeLessThan(160);
  }, 180_000);
});
