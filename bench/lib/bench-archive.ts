/**
 * What the archive cases share (bench/cases/archive-cases.ts, archive-server-cases.ts): the workload's sizes and
 * channels, where recordings go, and one Java ArchivingMediaDriver per case (`ArchiveSlot`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArchivingDriverHandle } from '../../harness/driver.ts';
import { startBenchArchivingMediaDriver } from './bench-driver.ts';

/** The module the TS children run (`measureArchiveRecord`, `makeArchiveRecording`, `measureArchiveReplay`). */
export const MEASURE_MODULE = fileURLToPath(new URL('../cases/archive-measure.ts', import.meta.url));
const MB = 1024 * 1024;
/** Payload length of every message. */
export const ARCHIVE_MESSAGE_LENGTH = 1024;
/** Term length of the recorded publication. */
export const ARCHIVE_TERM_LENGTH = 16 * MB;
/** The recorded publication's channel. */
export const PUBLICATION_CHANNEL = `aeron:ipc?term-length=${ARCHIVE_TERM_LENGTH}`;
/** Stream of the record case's publication. */
export const RECORD_STREAM_ID = 1001;
/** Stream of the replay case's source recording. */
export const REPLAY_SOURCE_STREAM_ID = 1101;
/** Where replays go. */
export const REPLAY_CHANNEL = 'aeron:ipc';
/** Stream replays go to. */
export const REPLAY_STREAM_ID = 101;

/** Bytes per timed repetition (and warm-up) by mode. */
export const RECORD_BYTES = {
  full: { warmup: 64 * MB, measured: 256 * MB },
  quick: { warmup: 16 * MB, measured: 64 * MB },
};
/** Length of the replayed recording by mode. */
export const REPLAY_BYTES = { full: 256 * MB, quick: 64 * MB };
/** Repetitions per side by mode. */
export const REPS = { full: 5, quick: 1 } as const;
/** Sizes are in bytes, not time: the timing windows are unused (recorded in the JSON as 0). */
export const TIMING = { full: { warmupMs: 0, measureMs: 0 }, quick: { warmupMs: 0, measureMs: 0 } } as const;
/** Deadline of one repetition's child. */
export const DEADLINE_MS = 600_000;

/**
 * Where recordings go: a fresh directory on `/dev/shm` (tmpfs) when there is one, so the figures are the client and
 * the archiver, not the VM's disk (on a shared VM the disk is the noisiest resource); `BENCH_ARCHIVE_DIR_BASE`
 * picks another base (e.g. a disk path, to include the disk as Aeron's samples do).
 */
export function archiveDirBase(): string {
  const base = process.env.BENCH_ARCHIVE_DIR_BASE;
  if (base !== undefined && base !== '') return base;
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** One archiving driver per case, started in setup and stopped in teardown. */
export class ArchiveSlot {
  #driver: ArchivingDriverHandle | null = null;
  #archiveDir: string | null = null;
  /** Starts the Java ArchivingMediaDriver with the bench settings, its archive dir under `archiveDirBase()`. */
  async start(): Promise<void> {
    this.#archiveDir = mkdtempSync(join(archiveDirBase(), 'aeron-ts-bench-archive-'));
    this.#driver = await startBenchArchivingMediaDriver({ properties: { 'aeron.archive.dir': this.#archiveDir } });
  }
  /** The running driver (throws before `start`). */
  get driver(): ArchivingDriverHandle {
    if (this.#driver === null) throw new Error('archiving driver not started');
    return this.#driver;
  }
  /** aeronDir + local control channel, as both sides take them. */
  connectArgs(): { aeronDir: string; controlChannel: string; controlStreamId: number } {
    const d = this.driver;
    return { aeronDir: d.aeronDir, controlChannel: d.localControlChannel, controlStreamId: d.localControlStreamId };
  }
  /** Stops the driver by PID and removes the archive dir. */
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
