/**
 * The TypeScript archive server beside the Java archive: `archive-server-record` and `archive-server-replay` run
 * (`BENCH_TS_ARCHIVE=1`, in place of archive-record / archive-replay: bench/cases/archive-cases.ts) the `archive-record` / `archive-replay` measurements (bench/cases/archive-measure.ts, our `AeronArchive` client
 * in a fresh TS child per repetition) against two archives on ONE Java media driver in one run:
 *
 * ```
 *  Java ArchivingMediaDriver (bench settings, archive dir on /dev/shm)   <- the "java" column: its archive,
 *       |                                                                    local control stream 10
 *       +-- TS Archive.launch in the bench process (src/archive-server)   <- the "ts" column: local control
 *           same settings: file sync 0, 1 MiB file I/O, 1 GiB segments,       stream 12, its own dir on /dev/shm
 * ```
 *
 * So `ratio` = TS archive / Java archive with the same driver, client, messages and sizes. The TS archive's duty
 * cycle runs on the bench process's event loop (SHARED mode on one thread), which is idle while a repetition's
 * child runs; the Java archive has the driver's SHARED thread. For `archive-server-replay` each archive replays a
 * recording it made itself in setup (same length and messages).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTsChild } from '../../harness/ts-child.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import {
  ARCHIVE_MESSAGE_LENGTH,
  ArchiveSlot,
  archiveDirBase,
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
import type { BenchCase, BenchOptions, Sample } from '../lib/bench-case.ts';

/** The TS archive's local control stream: not 10 (the Java archive's) nor 20 (clients' response stream). */
const TS_ARCHIVE_CONTROL_STREAM_ID = 12;

/** The Java ArchivingMediaDriver of `ArchiveSlot` plus a TS archive on the same driver. */
class TwoArchives {
  readonly java = new ArchiveSlot();
  #ts: Archive | null = null;
  #tsDir: string | null = null;

  async start(): Promise<void> {
    await this.java.start();
    this.#tsDir = mkdtempSync(join(archiveDirBase(), 'aeron-ts-bench-ts-archive-'));
    this.#ts = await Archive.launch({
      aeronDir: this.java.driver.aeronDir,
      archiveDir: this.#tsDir,
      localControlStreamId: TS_ARCHIVE_CONTROL_STREAM_ID,
      fileSyncLevel: 0,
      fileIoMaxLength: 1024 * 1024,
      segmentFileLength: 1024 * 1024 * 1024,
    });
  }

  /** aeronDir + local control channel of the TS archive (`ts`) or the Java one. */
  connectArgs(side: 'ts' | 'java'): { aeronDir: string; controlChannel: string; controlStreamId: number } {
    const java = this.java.connectArgs();
    if (side === 'java') return java;
    if (this.#ts === null) throw new Error('TS archive not started');
    return {
      ...java,
      controlChannel: this.#ts.context.localControlChannel,
      controlStreamId: TS_ARCHIVE_CONTROL_STREAM_ID,
    };
  }

  async stop(): Promise<void> {
    try {
      await this.#ts?.close();
    } finally {
      this.#ts = null;
      if (this.#tsDir !== null) rmSync(this.#tsDir, { recursive: true, force: true });
      this.#tsDir = null;
      await this.java.stop();
    }
  }
}

/** `archive-server-record` (module comment). */
export const archiveServerRecord: BenchCase = (() => {
  const archives = new TwoArchives();
  const measure = (side: 'ts' | 'java', options: BenchOptions): Promise<Sample> => {
    const bytes = options.quick ? RECORD_BYTES.quick : RECORD_BYTES.full;
    return runTsChild({
      module: MEASURE_MODULE,
      exportName: 'measureArchiveRecord',
      args: {
        ...archives.connectArgs(side),
        channel: PUBLICATION_CHANNEL,
        streamId: RECORD_STREAM_ID,
        messageLength: ARCHIVE_MESSAGE_LENGTH,
        warmupBytes: bytes.warmup,
        bytes: bytes.measured,
      },
      timeoutMs: DEADLINE_MS,
    });
  };
  return {
    name: 'archive-server-record',
    description: `archive-record through the TS archive (ts) and the Java archive (java) on one Java driver, our client both sides`,
    metric: 'recorded MB per second (position delta / time to RecordingPos)',
    unit: 'MB/s',
    higherIsBetter: true,
    reps: REPS,
    timing: TIMING,
    setup: () => archives.start(),
    runTs: (options) => measure('ts', options),
    runJava: (options) => measure('java', options),
    teardown: () => archives.stop(),
  };
})();

/** `archive-server-replay` (module comment). */
export const archiveServerReplay: BenchCase = (() => {
  const archives = new TwoArchives();
  const recordings = new Map<'ts' | 'java', { recordingId: number; length: number; messages: number }>();
  const measure = (side: 'ts' | 'java'): Promise<Sample> => {
    const recording = recordings.get(side);
    if (recording === undefined) throw new Error(`replay source recording not made on the ${side} archive`);
    return runTsChild({
      module: MEASURE_MODULE,
      exportName: 'measureArchiveReplay',
      args: {
        ...archives.connectArgs(side),
        ...recording,
        replayChannel: REPLAY_CHANNEL,
        replayStreamId: REPLAY_STREAM_ID,
      },
      timeoutMs: DEADLINE_MS,
    });
  };
  return {
    name: 'archive-server-replay',
    description: `archive-replay from the TS archive (ts) and the Java archive (java) on one Java driver, our client both sides`,
    metric: 'replayed MB per second (recording length / time from request to last message)',
    unit: 'MB/s',
    higherIsBetter: true,
    reps: REPS,
    timing: TIMING,
    async setup(options) {
      await archives.start();
      for (const side of ['ts', 'java'] as const) {
        const made = await runTsChild({
          module: MEASURE_MODULE,
          exportName: 'makeArchiveRecording',
          args: {
            ...archives.connectArgs(side),
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
        recordings.set(side, {
          recordingId: n('recordingId'),
          length: n('stopPosition'),
          messages: n('totalMessages'),
        });
      }
    },
    runTs: () => measure('ts'),
    runJava: () => measure('java'),
    async teardown() {
      recordings.clear();
      await archives.stop();
    },
  };
})();
