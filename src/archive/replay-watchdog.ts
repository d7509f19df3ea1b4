/**
 * Replay progress watchdog (Aeron issue #1900).
 *
 * After an unclean stop, a recording's segment file may end early or hold zeros where the catalog says data
 * was recorded. The archive may then stop sending a replay without telling the client (it logs
 * "unexpected end of recording" or simply finds nothing to read), so a replay subscriber would wait forever.
 *
 * `watchReplay` samples the replay image's position every `checkIntervalMs`. When it has not moved for
 * `stallTimeoutMs`, it asks the archive for the recording's max recorded position (stop position, or the live
 * recorded position): if the recording says more is there than the replay delivered (and the replay's own end,
 * when given, is not reached), the replay is stalled: the watch stops the replay (when a replay session id is
 * given; a failure to stop is ignored) and rejects with {@link ReplayStalledError}. Otherwise (a replay that
 * follows an idle live recording) the stall clock restarts.
 *
 * ```
 *   image position ──●────●────●─────────────────────────────▶ (no progress)
 *                     └ progress resets the clock   ├── stallTimeoutMs ──┤ ask archive: recorded > position?
 *                                                                        yes → stopReplay, ReplayStalledError
 *                                                                        no  → restart the clock
 * ```
 *
 * The watch owns one timer at a time and releases it when it settles or `stop()` is called.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { ArchiveError } from './archive-error.ts';

/** What the watchdog needs from the archive client (`AeronArchive` satisfies it). */
export interface ReplayProgressArchive {
  /** The recording's recorded position while active, else its stop position. */
  getMaxRecordedPosition(recordingId: number): Promise<number>;
  /** Stops the replay with this (exact) replay session id. */
  stopReplay(replaySessionId: bigint): Promise<void>;
}

/** The replay image (or anything with a position that replayed data advances). */
export interface ReplayProgress {
  /** The replay's position (the image's). */
  readonly position: number;
  /** True once the image closed (then its last position stays). */
  readonly isClosed?: boolean;
}

/** Options of {@link watchReplay}. */
export interface ReplayWatchdogOptions {
  /** No progress for this long while the recording has more → stalled. */
  readonly stallTimeoutMs: number;
  /** How often the position is sampled (default: a tenth of the stall timeout, at least 1 ms). */
  readonly checkIntervalMs?: number;
  /**
   * Replay session id to stop on a stall (from `startReplay` / `replayWithSessionId`, exact); without it the replay
   * is left to the caller.
   */
  readonly replaySessionId?: bigint;
  /** The position the replay ends at (start + length of a bounded replay): reaching it settles the watch. */
  readonly endPosition?: number;
  /** Monotonic-enough clock in ms (default `Date.now`). */
  readonly clock?: () => number;
}

/** The replay made no progress for `stallTimeoutMs` while the recording says more is there. */
export class ReplayStalledError extends ArchiveError {
  /** The recording being replayed. */
  readonly recordingId: number;
  /** The replay image's position when the stall was declared. */
  readonly position: number;
  /** The recording's max recorded position reported by the archive then. */
  readonly recordedPosition: number;

  constructor(recordingId: number, position: number, recordedPosition: number, stallTimeoutMs: number) {
    super(
      `replay of recording ${recordingId} stalled: no progress for ${stallTimeoutMs} ms at position=${position}, ` +
        `recorded position=${recordedPosition}`,
      {},
      'REPLAY_STALLED',
    );
    this.recordingId = recordingId;
    this.position = position;
    this.recordedPosition = recordedPosition;
  }
}

/** A running watch: `done` resolves when the replay reached `endPosition` (or `stop()`), rejects on a stall. */
export interface ReplayWatch {
  /** Resolves when the replay reached its end or the watch was stopped; rejects with `ReplayStalledError`. */
  readonly done: Promise<void>;
  /** Ends the watch (resolving `done` if still pending) and releases its timer. */
  stop(): void;
}

/** Watches a replay's progress; see the module comment. */
export function watchReplay(
  archive: ReplayProgressArchive,
  image: ReplayProgress,
  recordingId: number,
  options: ReplayWatchdogOptions,
): ReplayWatch {
  const { stallTimeoutMs } = options;
  if (!(stallTimeoutMs > 0)) throw new InvalidArgumentError(`stallTimeoutMs must be positive: ${stallTimeoutMs}`);
  const interval = options.checkIntervalMs ?? Math.max(1, Math.floor(stallTimeoutMs / 10));
  const clock = options.clock ?? Date.now;
  const endPosition = options.endPosition ?? Number.POSITIVE_INFINITY;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  let lastPosition = image.position;
  let lastProgressAt = clock();
  let resolveDone: () => void = () => {};
  let rejectDone: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  /** Ends the watch (once): false when it had ended already. */
  const endWatch = (): boolean => {
    if (settled) return false;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    return true;
  };
  /** Ends the watch with `done` resolved: the replay reached its end, or `stop()`. */
  const finish = (): void => {
    if (endWatch()) resolveDone();
  };
  /** Ends the watch with `done` rejected: a stall, or the archive's error while confirming one. */
  const fail = (error: unknown): void => {
    if (endWatch()) rejectDone(error);
  };

  const schedule = (): void => {
    if (!settled) timer = setTimeout(check, interval);
  };

  /** No progress for the stall timeout: a stall when the recording has more than the replay delivered. */
  const confirmStall = async (position: number): Promise<void> => {
    let recorded: number;
    try {
      recorded = await archive.getMaxRecordedPosition(recordingId);
    } catch (error) {
      fail(error);
      return;
    }
    if (settled) return;
    if (image.position !== position) {
      lastPosition = image.position;
      lastProgressAt = clock();
    } else if (recorded > position && position < endPosition) {
      if (options.replaySessionId !== undefined) {
        await archive.stopReplay(options.replaySessionId).catch(() => {});
      }
      fail(new ReplayStalledError(recordingId, position, recorded, stallTimeoutMs));
      return;
    } else {
      lastProgressAt = clock();
    }
    schedule();
  };

  const check = (): void => {
    timer = undefined;
    if (settled) return;
    const position = image.position;
    if (position >= endPosition) {
      finish();
      return;
    }
    if (position !== lastPosition) {
      lastPosition = position;
      lastProgressAt = clock();
    } else if (clock() - lastProgressAt >= stallTimeoutMs) {
      void confirmStall(position);
      return;
    }
    schedule();
  };

  schedule();
  return { done, stop: finish };
}
