/**
 * ReplayMerge (Java `io.aeron.archive.client.ReplayMerge`): replays a recording into a
 * multi-destination subscription, then adds the live stream as a second destination and, once both transports
 * feed the same image at the same position, stops the replay. The image keeps its position across the switch,
 * so the application sees every message once, in order.
 *
 * ```
 *   subscription  aeron:udp?control-mode=manual[|session-id=<live session>]
 *     ├── replay destination  aeron:udp?endpoint=host:port (or :0, resolved from the bound socket)
 *     └── live destination    aeron:udp?endpoint=host:port|control=<publication's dynamic MDC control>
 *
 *   RESOLVE_REPLAY_PORT ─▶ GET_RECORDING_POSITION ─▶ REPLAY ─▶ CATCHUP ⇄ ATTEMPT_LIVE_JOIN ─▶ MERGED
 *            (any state: no progress for mergeProgressTimeoutMs, archive error) ─▶ FAILED;  close() ─▶ CLOSED
 *
 *   CATCHUP: the replay image reached the last known max recorded position → ATTEMPT_LIVE_JOIN
 *   ATTEMPT_LIVE_JOIN: ask the max recorded position again; when the image is within
 *     min(termLength/4, LIVE_ADD_MAX_WINDOW) of it add the live destination; when it is at it with the live
 *     destination added and activeTransportCount >= 2, remove the replay destination, stop the replay → MERGED
 * ```
 *
 * Driven from the application's poll loop as in Java: `poll(handler, limit)` does the state work, then polls
 * the image. Archive requests go through the Promise API of {@link AeronArchive} (one at a time, as Java's
 * `activeCorrelationId`); their outcome is picked up by the next `doWork()`. Errors make `doWork()` throw once and
 * leave the merge FAILED. `merged(handler)` is a Promise helper that polls on the event loop until MERGED.
 *
 * From the fragment handler, `close()` is safe (the subscription is the caller's and stays open; the rest of the
 * image's batch is still delivered, as it is to any handler of `image.poll`), archive requests are queued, and a
 * nested `poll()` / `doWork()` throws `ArchiveReentrantCallError`.
 */
import type { Image } from '../client/image.ts';
import type { Subscription } from '../client/subscription.ts';
import type { FragmentHandler } from '../logbuffer/fragment-handler.ts';
import { type AeronArchive, replayImageSessionId } from './aeron-archive.ts';
import { ArchiveAbortedError, ArchiveError, ArchiveReentrantCallError, ArchiveTimeoutError } from './archive-error.ts';
import { type Pending, track } from './pending.ts';
import { ReplayMergeChannels } from './replay-merge-channels.ts';

/** Largest window behind the live position in which the live destination is added (Java: 32 MiB). */
export const LIVE_ADD_MAX_WINDOW = 32 * 1024 * 1024;
const REPLAY_REMOVE_THRESHOLD = 0;
/** Java `MERGE_PROGRESS_TIMEOUT_DEFAULT_MS`. */
export const MERGE_PROGRESS_TIMEOUT_DEFAULT_MS = 5_000;
const INITIAL_GET_MAX_RECORDED_POSITION_BACKOFF_MS = 8;
const GET_MAX_RECORDED_POSITION_BACKOFF_MAX_MS = 500;
const NULL_VALUE = -1;
const NULL_POSITION = -1;
/** `#queryRecordedPosition`: the answer came and is in `#nextTargetPosition` (beyond the work counts 0 and 1). */
const RECORDED_POSITION_ANSWERED = 2;
/** Java `Long.MAX_VALUE` replay length: follow the recording (the archive treats any length past the end so). */
const REPLAY_FOLLOW_LENGTH = Number.MAX_SAFE_INTEGER;

/** The merge's state (Java `ReplayMerge.State`, plus CLOSED). */
export type ReplayMergeState =
  | 'RESOLVE_REPLAY_PORT'
  | 'GET_RECORDING_POSITION'
  | 'REPLAY'
  | 'CATCHUP'
  | 'ATTEMPT_LIVE_JOIN'
  | 'MERGED'
  | 'FAILED'
  | 'CLOSED';

/** Options of the `ReplayMerge` constructor. */
export interface ReplayMergeOptions {
  /** Fail when no progress is made for this long (Java default 5 s). */
  readonly mergeProgressTimeoutMs?: number;
  /** Clock in ms (default the archive context's clock). */
  readonly clock?: () => number;
}

/** Options of `ReplayMerge.merged()`. */
export interface MergedOptions {
  /** Rejects with `ArchiveAbortedError` when it aborts. */
  readonly signal?: AbortSignal;
  /** Overall deadline in ms (default none: the merge progress timeout still applies). */
  readonly timeoutMs?: number;
  /** Fragments per poll (default 10). */
  readonly fragmentLimit?: number;
}

/** Stops an unsettled request from being reported twice. */

/**
 * Java `ReplayMerge`: replays a recording into an MDS subscription and merges it with the live stream (see the
 * module comment). Poll it from the application's loop; `close()` (or `using`) when done.
 */
export class ReplayMerge implements Disposable {
  #state: ReplayMergeState;
  readonly #channels: ReplayMergeChannels;
  readonly #clock: () => number;
  readonly #mergeProgressTimeoutMs: number;
  /** The replay's session id, exact (`(replayId << 32) | imageSessionId`); -1n before the replay starts. */
  #replaySessionId = -1n;
  #nextTargetPosition = NULL_VALUE;
  #positionOfLastProgress = NULL_VALUE;
  #timeOfLastProgressMs: number;
  #timeOfNextGetMaxRecordedPositionMs: number;
  #getMaxRecordedPositionBackoffMs = INITIAL_GET_MAX_RECORDED_POSITION_BACKOFF_MS;
  #isLiveAdded = false;
  #isReplayActive = false;
  #image: Image | null = null;
  /** The archive request in flight (Java `activeCorrelationId`), or null. */
  #pending: Pending<number | bigint> | null = null;
  /** An asynchronous failure (destination add/remove) reported by the next `doWork()`. */
  #asyncError: unknown = null;
  /** True while `poll()` runs the fragment handler. */
  #polling = false;

  readonly #archive: AeronArchive;

  /**
   * Java `ReplayMerge(subscription, archive, replayChannel, replayDestination, liveDestination, recordingId,
   * startPosition)`: adds the replay destination to the subscription at once; `poll()` does the rest. Throws
   * `InvalidArgumentError` (INVALID_ARGUMENT) for channels it cannot merge (IPC, a subscription without
   * `control-mode=manual`, a replay destination without an endpoint).
   *
   * @param subscription the multi-destination subscription (`control-mode=manual`) the replay and the live stream
   *   are received on; not closed by the merge.
   * @param archive the archive client that replays the recording.
   * @param replayChannel the channel the archive replays on.
   * @param replayDestination the destination the replay is sent to, added to the subscription (an `endpoint=…:0`
   *   port is resolved from the bound address).
   * @param liveDestination the live stream's destination, added to the subscription when the replay is close.
   * @param recordingId the recording to replay.
   * @param startPosition the position to replay from.
   */
  constructor(
    readonly subscription: Subscription,
    archive: AeronArchive,
    replayChannel: string,
    readonly replayDestination: string,
    readonly liveDestination: string,
    readonly recordingId: number,
    readonly startPosition: number,
    options: ReplayMergeOptions = {},
  ) {
    this.#archive = archive;
    this.#channels = new ReplayMergeChannels(subscription.channel, replayChannel, replayDestination, liveDestination);
    this.#clock = options.clock ?? archive.context.clock;
    this.#mergeProgressTimeoutMs = options.mergeProgressTimeoutMs ?? MERGE_PROGRESS_TIMEOUT_DEFAULT_MS;
    this.#state = this.#channels.needsReplayPortResolution ? 'RESOLVE_REPLAY_PORT' : 'GET_RECORDING_POSITION';
    this.#failOnRejection(subscription.addDestination(replayDestination));
    const now = this.#clock();
    this.#timeOfLastProgressMs = now;
    this.#timeOfNextGetMaxRecordedPositionMs = now;
  }

  /** The current state. */
  get state(): ReplayMergeState {
    return this.#state;
  }

  /** The merged image (the replay's, which becomes the live one), once the replay connected. */
  image(): Image | null {
    return this.#image;
  }

  /** Java `isMerged()`: the replay was stopped and the image now carries the live stream. */
  isMerged(): boolean {
    return this.#state === 'MERGED';
  }

  /** Java `hasFailed()`: a timeout or an archive error ended the merge. */
  hasFailed(): boolean {
    return this.#state === 'FAILED';
  }

  /** Java `isLiveAdded()`: the live destination was added. */
  isLiveAdded(): boolean {
    return this.#isLiveAdded;
  }

  /**
   * Does the merge work, then polls the image (when there is one) with `fragmentHandler`.
   *
   * @throws ArchiveReentrantCallError when called from the handler of a poll in progress.
   */
  poll(fragmentHandler: FragmentHandler, fragmentLimit: number): number {
    if (this.#polling) throw new ArchiveReentrantCallError('ReplayMerge.poll');
    this.doWork();
    const image = this.#image;
    if (image === null) return 0;
    this.#polling = true;
    try {
      return image.poll(fragmentHandler, fragmentLimit);
    } finally {
      this.#polling = false;
    }
  }

  /**
   * One step of the state machine; throws (leaving the merge FAILED) on a timeout or an archive error.
   *
   * @throws ArchiveReentrantCallError when called from the handler of a poll in progress (the merge is unchanged).
   */
  doWork(): number {
    if (this.#polling) throw new ArchiveReentrantCallError('ReplayMerge.doWork');
    const state = this.#state;
    if (state === 'MERGED' || state === 'FAILED' || state === 'CLOSED') return 0;
    const nowMs = this.#clock();
    try {
      let workCount = 0;
      if (this.#asyncError !== null) throw this.#asyncError;
      switch (state) {
        case 'RESOLVE_REPLAY_PORT':
          workCount = this.#resolveReplayPort(nowMs);
          break;
        case 'GET_RECORDING_POSITION':
          workCount = this.#getRecordingPosition(nowMs);
          break;
        case 'REPLAY':
          workCount = this.#replay(nowMs);
          break;
        case 'CATCHUP':
          workCount = this.#catchup(nowMs);
          break;
        case 'ATTEMPT_LIVE_JOIN':
          workCount = this.#attemptLiveJoin(nowMs);
          break;
      }
      this.#checkProgress(nowMs);
      return workCount;
    } catch (error) {
      this.#setState('FAILED');
      throw error;
    }
  }

  /**
   * Polls on the event loop (fragments to `fragmentHandler`) until MERGED; rejects when the merge fails, on
   * `timeoutMs` or an abort. After it resolves keep polling `image()` (or `poll`) for the live stream.
   */
  merged(fragmentHandler: FragmentHandler, options: MergedOptions = {}): Promise<Image> {
    const limit = options.fragmentLimit ?? 10;
    const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
    return new Promise<Image>((resolve, reject) => {
      const step = (): void => {
        try {
          if (options.signal?.aborted) {
            reject(new ArchiveAbortedError('replay merge aborted', { cause: options.signal.reason }));
            return;
          }
          const fragments = this.poll(fragmentHandler, limit);
          if (this.#state === 'MERGED' && this.#image !== null) {
            resolve(this.#image);
          } else if (this.#state === 'CLOSED' || this.#state === 'FAILED') {
            reject(new ArchiveError(`replay merge ${this.#state.toLowerCase()}`));
          } else if (Date.now() > deadline) {
            reject(new ArchiveTimeoutError(`replay merge not merged within ${options.timeoutMs} ms: ${this}`));
          } else if (fragments > 0) {
            setImmediate(step);
          } else {
            setTimeout(step, 1);
          }
        } catch (error) {
          reject(error);
        }
      };
      step();
    });
  }

  /** Removes the replay destination (unless merged) and stops an active replay; idempotent. */
  close(): void {
    const state = this.#state;
    if (state === 'CLOSED') return;
    if (!this.subscription.isClosed) {
      if (state !== 'MERGED') this.subscription.removeDestination(this.replayDestination).catch(() => {});
    }
    if (this.#isReplayActive && this.#archive.state() === 'CONNECTED') {
      this.#isReplayActive = false;
      this.#archive.stopReplay(this.#replaySessionId).catch(() => {});
    }
    this.#setState('CLOSED');
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** The state, positions and image, for diagnostics (Java `toString()`). */
  toString(): string {
    return (
      `ReplayMerge{state=${this.#state}, nextTargetPosition=${this.#nextTargetPosition}` +
      `, timeOfLastProgressMs=${this.#timeOfLastProgressMs}, positionOfLastProgress=${this.#positionOfLastProgress}` +
      `, isLiveAdded=${this.#isLiveAdded}, isReplayActive=${this.#isReplayActive}` +
      `, replayChannel=${this.#channels.replayChannel()}` +
      `, image=${this.#image === null ? 'null' : `{sessionId=${this.#image.sessionId}, position=${this.#image.position}, activeTransportCount=${this.#image.activeTransportCount}}`}}`
    );
  }

  // ---------------------------------------------------------------- states

  #resolveReplayPort(nowMs: number): number {
    const resolved = this.#channels.resolveReplayPort(this.subscription.localSocketAddresses());
    if (!resolved) return 0;
    this.#timeOfLastProgressMs = nowMs;
    this.#setState('GET_RECORDING_POSITION');
    return 1;
  }

  #getRecordingPosition(nowMs: number): number {
    const step = this.#queryRecordedPosition(nowMs);
    if (step !== RECORDED_POSITION_ANSWERED) return step;
    if (this.#nextTargetPosition !== NULL_POSITION) {
      this.#timeOfLastProgressMs = nowMs;
      this.#setState('REPLAY');
    }
    return 1;
  }

  #replay(nowMs: number): number {
    const pending = this.#pending;
    if (pending === null) {
      this.#pending = track(
        this.#archive.startReplay(
          this.recordingId,
          this.startPosition,
          REPLAY_FOLLOW_LENGTH,
          this.#channels.replayChannel(),
          this.subscription.streamId,
        ),
      );
      this.#timeOfLastProgressMs = nowMs;
      return 1;
    }
    if (!this.#takeIfDone(pending)) return 0;
    this.#isReplayActive = true;
    this.#replaySessionId = BigInt(pending.value ?? NULL_VALUE);
    this.#timeOfLastProgressMs = nowMs;
    this.#getMaxRecordedPositionBackoffMs = INITIAL_GET_MAX_RECORDED_POSITION_BACKOFF_MS;
    this.#timeOfNextGetMaxRecordedPositionMs = nowMs;
    this.#setState('CATCHUP');
    return 1;
  }

  #catchup(nowMs: number): number {
    if (this.#image === null && this.subscription.isConnected()) {
      this.#timeOfLastProgressMs = nowMs;
      const image = this.subscription.imageBySessionId(replayImageSessionId(this.#replaySessionId));
      if (image !== null) {
        this.#image = image;
        this.#positionOfLastProgress = image.position;
      } else {
        this.#positionOfLastProgress = NULL_VALUE;
      }
    }
    const image = this.#image;
    if (image === null) return 0;
    const position = image.position;
    if (position >= this.#nextTargetPosition) {
      this.#timeOfLastProgressMs = nowMs;
      this.#positionOfLastProgress = position;
      this.#setState('ATTEMPT_LIVE_JOIN');
      return 1;
    }
    if (position > this.#positionOfLastProgress) {
      this.#timeOfLastProgressMs = nowMs;
      this.#positionOfLastProgress = position;
    } else if (image.isClosed) {
      throw new ArchiveError('ReplayMerge Image closed unexpectedly.');
    }
    return 0;
  }

  #attemptLiveJoin(nowMs: number): number {
    const step = this.#queryRecordedPosition(nowMs);
    if (step !== RECORDED_POSITION_ANSWERED) return step;
    if (this.#nextTargetPosition !== NULL_POSITION) {
      let nextState: ReplayMergeState = 'CATCHUP';
      const image = this.#image;
      if (image !== null) {
        const position = image.position;
        if (this.#shouldAddLiveDestination(image, position)) {
          this.#failOnRejection(this.subscription.addDestination(this.liveDestination));
          this.#timeOfLastProgressMs = nowMs;
          this.#positionOfLastProgress = position;
          this.#isLiveAdded = true;
        } else if (this.#shouldStopAndRemoveReplay(image, position)) {
          this.#failOnRejection(this.subscription.removeDestination(this.replayDestination));
          this.#stopReplay();
          this.#timeOfLastProgressMs = nowMs;
          this.#positionOfLastProgress = position;
          nextState = 'MERGED';
        }
      }
      this.#setState(nextState);
    }
    return 1;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The getMaxRecordedPosition query both GET_RECORDING_POSITION and ATTEMPT_LIVE_JOIN make: sends it when none is
   * pending and the backoff allows (returns 1, the work done), else once answered puts the answer in
   * `#nextTargetPosition` and returns `RECORDED_POSITION_ANSWERED`; 0 while there is nothing to do.
   */
  #queryRecordedPosition(nowMs: number): number {
    const pending = this.#pending;
    if (pending === null) {
      if (!this.#callGetMaxRecordedPosition(nowMs)) return 0;
      this.#timeOfLastProgressMs = nowMs;
      return 1;
    }
    if (!this.#takeIfDone(pending)) return 0;
    this.#nextTargetPosition = Number(pending.value);
    return RECORDED_POSITION_ANSWERED;
  }

  #callGetMaxRecordedPosition(nowMs: number): boolean {
    if (nowMs < this.#timeOfNextGetMaxRecordedPositionMs) return false;
    this.#pending = track(this.#archive.getMaxRecordedPosition(this.recordingId));
    this.#getMaxRecordedPositionBackoffMs = Math.min(
      this.#getMaxRecordedPositionBackoffMs * 2,
      GET_MAX_RECORDED_POSITION_BACKOFF_MAX_MS,
    );
    this.#timeOfNextGetMaxRecordedPositionMs = nowMs + this.#getMaxRecordedPositionBackoffMs;
    return true;
  }

  #stopReplay(): void {
    if (!this.#isReplayActive) return;
    this.#isReplayActive = false;
    this.#failOnRejection(this.#archive.stopReplay(this.#replaySessionId));
  }

  #shouldAddLiveDestination(image: Image, position: number): boolean {
    return (
      !this.#isLiveAdded &&
      this.#nextTargetPosition - position <= Math.min(image.termBufferLength >> 2, LIVE_ADD_MAX_WINDOW)
    );
  }

  #shouldStopAndRemoveReplay(image: Image, position: number): boolean {
    return (
      this.#isLiveAdded &&
      this.#nextTargetPosition - position <= REPLAY_REMOVE_THRESHOLD &&
      image.activeTransportCount >= 2
    );
  }

  #checkProgress(nowMs: number): void {
    if (this.#state === 'MERGED') return;
    if (nowMs > this.#timeOfLastProgressMs + this.#mergeProgressTimeoutMs) {
      const transportCount = this.#image === null ? 0 : this.#image.activeTransportCount;
      throw new ArchiveTimeoutError(
        `ReplayMerge no progress: state=${this.#state}, activeTransportCount=${transportCount}`,
      );
    }
    if (this.#archive.state() !== 'CONNECTED') throw new ArchiveError('archive is not connected');
  }

  /** True once `pending` settled (then cleared); throws its error. */
  #takeIfDone(pending: Pending<number | bigint>): boolean {
    if (!pending.done) return false;
    this.#pending = null;
    if (pending.error !== null) throw pending.error;
    return true;
  }

  /** An asynchronous command whose failure fails the merge (unless it is already over). */
  #failOnRejection(promise: Promise<unknown>): void {
    promise.catch((error: unknown) => {
      if (this.#state !== 'CLOSED' && this.#state !== 'MERGED' && this.#asyncError === null) {
        this.#asyncError = error ?? new ArchiveError('replay merge command failed');
      }
    });
  }

  #setState(state: ReplayMergeState): void {
    this.#state = state;
    this.#pending = null;
  }
}
