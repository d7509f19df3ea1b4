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

import { runTsChild } from '../../harness/ts-child.ts';
import {
  ARCHIVE_MESSAGE_LENGTH,
  ArchiveSlot,
  DEADLINE_MS,
  MEASURE_MODULE,
  PUBLICATION_CHANNEL,
  RECORD_BYTES,
  RECORD_STREAM_ID,
  REPLAY_BYTES,
  REPLAY_CHANNEL,
  REPLAY_SOURCE_STREAM_ID,
  REPLAY_STREAM_ID,
  REPS,
  TIMING,
} from '../lib/bench-archive.ts';
import type { BenchCase, Sample } from '../lib/bench-case.ts';
import { compileBenchJava, runBenchJava } from '../lib/bench-java.ts';
import { archiveServerRecord, archiveServerReplay } from './archive-server-cases.ts';

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

const SIDE_DETAIL_KEYS = ['messages', 'messagesPerSecond', 'elapsedMs'] as const;

function javaSample(fields: Record<string, unknown>, extra: readonly string[]): Sample {
  const detail: Record<string, number> = {};
  for (const key of [...SIDE_DETAIL_KEYS, ...extra]) detail[key] = num(fields, key);
  return { value: num(fields, 'mbPerSecond'), detail };
}

const javaClientArchiveRecord: BenchCase = (() => {
  const slot = new ArchiveSlot();
  const bytes = (o: { readonly quick: boolean }): { warmup: number; measured: number } =>
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

const javaClientArchiveReplay: BenchCase = (() => {
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

/**
 * `BENCH_TS_ARCHIVE=1` switches the archive cases to the TS archive server beside the Java archive
 * (archive-server-cases.ts: `archive-server-record`, `archive-server-replay`; ts = the TS archive, java = the Java
 * archive, our client both sides, one Java driver); unset, they compare our client with Java's on the Java archive.
 */
const TS_ARCHIVE = process.env.BENCH_TS_ARCHIVE === '1';

/** `archive-record`, or `archive-server-record` with `BENCH_TS_ARCHIVE=1`. */
export const archiveRecord: BenchCase = TS_ARCHIVE ? archiveServerRecord : javaClientArchiveRecord;
/** `archive-replay`, or `archive-server-replay` with `BENCH_TS_ARCHIVE=1`. */
export const archiveReplay: BenchCase = TS_ARCHIVE ? archiveServerReplay : javaClientArchiveReplay;
