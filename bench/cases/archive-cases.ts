/**
 * The archive cases: recording throughput and replay throughput (MB/s) of our `AeronArchive` client vs Java's,
 * on ONE Java ArchivingMediaDriver per case (bench/lib/bench-driver.ts, perf-anchors §1.1 settings: SHARED
 * driver and archive, file sync level 0, 1 MiB file I/O, 1 GiB segments; recordings on /dev/shm), one side at a
 * time, each repetition a fresh process (TS child running bench/cases/archive-measure.ts / JVM running
 * bench/java/ArchiveBench.java).
 *
 * Both sides: 1 KiB messages (1056-byte frames), an exclusive publication on
 * `aeron:ipc?term-length=16777216` recorded as IPC (`aeron:ipc?session-id=<sid>`, SourceLocation.LOCAL) through
 * the archive's local control channel (`aeron:ipc?term-length=64k`, stream 10, responses on `aeron:ipc`);
 * replays go to `aeron:ipc` stream 101 with fragment limit 256.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArchivingDriverHandle } from '../../harness/driver.ts';
import { runTsChild } from '../../harness/ts-child.ts';
import type { BenchCase, BenchOptions, Sample } from '../lib/bench-case.ts';
import { startBenchArchivingMediaDriver } from '../lib/bench-driver.ts';
import { compileBenchJava, runBenchJava } from '../lib/bench-java.ts';

const MEASURE_MODULE = fileURLToPath(new URL('./archive-measure.ts', import.meta.url));
const MB = 1024 * 1024;
export const ARCHIVE_MESSAGE_LENGTH = 1024;
export const ARCHIVE_TERM_LENGTH = 16 * MB;
const PUBLICATION_CHANNEL = `aeron:ipc?term-length=${ARCHIVE_TERM_LENGTH}`;
const RECORD_STREAM_ID = 1001;
const REPLAY_SOURCE_STREAM_ID = 1101;
const REPLAY_CHANNEL = 'aeron:ipc';
const REPLAY_STREAM_ID = 101;

/** Bytes per timed repetition (and warm-up) by mode. */
const RECORD_BYTES = { full: { warmup: 64 * MB, measured: 256 * MB }, quick: { warmup: 16 * MB, measured: 64 * MB } };
const REPLAY_BYTES = { full: 256 * MB, quick: 64 * MB };
const REPS = { full: 5, quick: 1 } as const;
/** Sizes are in bytes, not time: the timing windows are unused (recorded in the JSON as 0). */
const TIMING = { full: { warmupMs: 0, measureMs: 0 }, quick: { warmupMs: 0, measureMs: 0 } } as const;
const DEADLINE_MS = 600_000;

let javaClasspath: string[] | null = null;

function classpath(): string[] {
  javaClasspath ??= compileBenchJava(['ArchiveBench.java']);
  return javaClasspath;
}

function num(fields: Record<string, unknown>, name: string, from = 'ArchiveBench'): number {
  const value = fields[name];
  if (typeof value !== 'number') throw new Error(`${from} printed no ${name}: ${JSON.stringify(fields)}`);
  return value;
}

/**
 * Where recordings go: a fresh directory on `/dev/shm` (tmpfs) when there is one, so the figures are the client and
 * the archiver, not the VM's disk (on a shared VM the disk is the noisiest resource); `BENCH_ARCHIVE_DIR_BASE`
 * picks another base (e.g. a disk path, to include the disk as Aeron's samples do).
 */
function archiveDirBase(): string {
  const base = process.env.BENCH_ARCHIVE_DIR_BASE;
  if (base !== undefined && base !== '') return base;
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** One archiving driver per case, started in setup and stopped in teardown. */
class ArchiveSlot {
  #driver: ArchivingDriverHandle | null = null;
  #archiveDir: string | null = null;
  async start(): Promise<void> {
    this.#archiveDir = mkdtempSync(join(archiveDirBase(), 'aeron-ts-bench-archive-'));
    this.#driver = await startBenchArchivingMediaDriver({ properties: { 'aeron.archive.dir': this.#archiveDir } });
  }
  get driver(): ArchivingDriverHandle {
    if (this.#driver === null) throw new Error('archiving driver not started');
    return this.#driver;
  }
  /** aeronDir + local control channel, as both sides take them. */
  connectArgs(): { aeronDir: string; controlChannel: string; controlStreamId: number } {
    const d = this.driver;
    return { aeronDir: d.aeronDir, controlChannel: d.localControlChannel, controlStreamId: d.localControlStreamId };
  }
  async stop(): Promise<void> {
    try {
      await this.#driver?.stop();
    } finally {
      this.#driver = null;
      if (this.#archiveDir !== null) rmSync(this.#archiveDir, { recursive: true, force: true });
      this.#archiveDir = null;
    }
  }
}

const SIDE_DETAIL_KEYS = ['messages', 'messagesPerSecond', 'elapsedMs'] as const;

function javaSample(fields: Record<string, unknown>, extra: readonly string[]): Sample {
  const detail: Record<string, number> = {};
  for (const key of [...SIDE_DETAIL_KEYS, ...extra]) detail[key] = num(fields, key);
  return { value: num(fields, 'mbPerSecond'), detail };
}

export const archiveRecord: BenchCase = (() => {
  const slot = new ArchiveSlot();
  const bytes = (o: BenchOptions): { warmup: number; measured: number } =>
    o.quick ? RECORD_BYTES.quick : RECORD_BYTES.full;
  return {
    name: 'archive-record',
    description: `recording throughput: publish ${ARCHIVE_MESSAGE_LENGTH} B messages on aeron:ipc (16 MiB terms) until RecordingPos reaches the end (256 MiB full, 64 MiB quick, after a warm-up)`,
    metric: 'recorded MB per second (position delta / time to RecordingPos)',
    unit: 'MB/s',
    higherIsBetter: true,
    reps: REPS,
    timing: TIMING,
    async setup() {
      classpath();
      await slot.start();
    },
    runTs: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureArchiveRecord',
        args: {
          ...slot.connectArgs(),
          channel: PUBLICATION_CHANNEL,
          streamId: RECORD_STREAM_ID,
          messageLength: ARCHIVE_MESSAGE_LENGTH,
          warmupBytes: bytes(options).warmup,
          bytes: bytes(options).measured,
        },
        timeoutMs: DEADLINE_MS,
      }),
    async runJava(options): Promise<Sample> {
      const c = slot.connectArgs();
      const fields = await runBenchJava({
        classpath: classpath(),
        mainClass: 'ArchiveBench',
        args: [
          'record',
          c.aeronDir,
          c.controlChannel,
          String(c.controlStreamId),
          PUBLICATION_CHANNEL,
          String(RECORD_STREAM_ID),
          String(ARCHIVE_MESSAGE_LENGTH),
          String(bytes(options).warmup),
          String(bytes(options).measured),
          'false',
        ],
        timeoutMs: DEADLINE_MS,
      });
      return javaSample(fields, ['recordedBytes', 'recordingId']);
    },
    teardown: () => slot.stop(),
  };
})();

export const archiveReplay: BenchCase = (() => {
  const slot = new ArchiveSlot();
  let recording: { recordingId: number; length: number; messages: number } | null = null;
  const source = (): { recordingId: number; length: number; messages: number } => {
    if (recording === null) throw new Error('replay source recording not made');
    return recording;
  };
  return {
    name: 'archive-replay',
    description: `replay throughput: replay a whole recording of ${ARCHIVE_MESSAGE_LENGTH} B messages (256 MiB full, 64 MiB quick) to aeron:ipc and consume it, request and connect included, after one warm-up replay`,
    metric: 'replayed MB per second (recording length / time from request to last message)',
    unit: 'MB/s',
    higherIsBetter: true,
    reps: REPS,
    timing: TIMING,
    async setup(options) {
      classpath();
      await slot.start();
      const made = await runTsChild({
        module: MEASURE_MODULE,
        exportName: 'makeArchiveRecording',
        args: {
          ...slot.connectArgs(),
          channel: PUBLICATION_CHANNEL,
          streamId: REPLAY_SOURCE_STREAM_ID,
          messageLength: ARCHIVE_MESSAGE_LENGTH,
          bytes: options.quick ? REPLAY_BYTES.quick : REPLAY_BYTES.full,
        },
        timeoutMs: DEADLINE_MS,
      });
      const d = made.detail ?? {};
      const n = (k: string): number => {
        const v = d[k];
        if (typeof v !== 'number') throw new Error(`makeArchiveRecording returned no ${k}`);
        return v;
      };
      recording = { recordingId: n('recordingId'), length: n('stopPosition'), messages: n('totalMessages') };
    },
    runTs: () =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureArchiveReplay',
        args: {
          ...slot.connectArgs(),
          ...source(),
          replayChannel: REPLAY_CHANNEL,
          replayStreamId: REPLAY_STREAM_ID,
        },
        timeoutMs: DEADLINE_MS,
      }),
    async runJava(): Promise<Sample> {
      const c = slot.connectArgs();
      const r = source();
      const fields = await runBenchJava({
        classpath: classpath(),
        mainClass: 'ArchiveBench',
        args: [
          'replay',
          c.aeronDir,
          c.controlChannel,
          String(c.controlStreamId),
          String(r.recordingId),
          String(r.length),
          String(r.messages),
          REPLAY_CHANNEL,
          String(REPLAY_STREAM_ID),
        ],
        timeoutMs: DEADLINE_MS,
      });
      return javaSample(fields, ['replayedBytes', 'requestMs', 'firstMessageMs', 'polls', 'emptyPolls']);
    },
    async teardown() {
      recording = null;
      await slot.stop();
    },
  };
})();
