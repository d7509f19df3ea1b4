/**
 * PersistentSubscription (Java `io.aeron.archive.client.PersistentSubscription`, 1.51.0): consumes a live stream
 * that is also recorded, in order and without gaps from `startPosition`, replaying from the recording when needed
 * and switching to the live subscription when the replay has caught up; when the live image goes away it falls
 * back to a replay from the last position delivered. Polled in a duty cycle; reassembles fragmented messages.
 *
 * ```
 *   LIST_RECORDING ─┬─ start == FROM_LIVE or == stop position ─▶ ADD_LIVE_SUBSCRIPTION ─▶ AWAIT_LIVE ─▶ LIVE
 *                   └─▶ SEND_REPLAY_REQUEST ─▶ AWAIT_REPLAY_RESPONSE ─▶ ADD_REPLAY_SUBSCRIPTION ─▶
 *                       AWAIT_REPLAY_SUBSCRIPTION ─▶ REPLAY
 *   REPLAY: deliver replayed messages; once within termLength/4 of the max recorded position add the live
 *           subscription; when it has an image ─▶ ATTEMPT_SWITCH
 *   ATTEMPT_SWITCH: the live image is consumed (not delivered) up to the replay position, the replay delivers up
 *           to the live image's next fragment position; when the two meet ─▶ LIVE (replay stopped, onLiveJoined)
 *   LIVE: deliver from the live image; when it closes ─▶ LIST_RECORDING again (onLiveLeft) and replay from the
 *           position reached
 *   AWAIT_LIVE with a live image ahead of the position ─▶ LIST_RECORDING (replay the difference)
 *   errors (unknown recording, stream id mismatch, invalid start position, replay ERROR) ─▶ FAILED
 * ```
 *
 * Differences from Java 1.51.0 (documented, not hidden): the archive client is a connected {@link AeronArchive}
 * given by the caller (Java builds its own `AsyncAeronArchive` from a context and reconnects it); only
 * session-specific replay channels (`aeron:udp?endpoint=host:port` or IPC: the replay session id is added as
 * `session-id`) are supported, not `endpoint=…:0` or `control-mode=response` replay channels; no state and
 * join-difference counters are allocated (the values are readable as `state` and `joinDifference`).
 * States: Java's SEND_LIST_RECORDING_REQUEST + AWAIT_LIST_RECORDING_RESPONSE are one LIST_RECORDING here (the
 * request is a Promise); AWAIT_ARCHIVE_CONNECTION, AWAIT_REPLAY_CHANNEL_ENDPOINT, ADD/AWAIT_REQUEST_PUBLICATION and
 * SEND_REPLAY_TOKEN_REQUEST/AWAIT_REPLAY_TOKEN (reconnects, dynamic-port and response-channel replays) do not exist.
 * An archive request that fails (including a disconnected archive) fails the subscription instead of retrying.
 */
import type { Aeron } from '../client/aeron.ts';
import { ChannelUri } from '../client/channel-uri.ts';
import type { Image } from '../client/image.ts';
import { ImageControlledFragmentAssembler, ImageFragmentAssembler } from '../client/image-fragment-assembler.ts';
import type { Subscription } from '../client/subscription.ts';
import {
  ControlledAction,
  type ControlledFragmentHandler,
  type FragmentHandler,
  type Header,
  type ReadableBuffer,
} from '../logbuffer/index.ts';
import type { AeronArchive } from './aeron-archive.ts';
import { lowInt32 } from './aeron-archive.ts';
import { ArchiveError, ArchiveErrorCode } from './archive-error.ts';
import {
  PersistentSubscriptionError,
  type PersistentSubscriptionErrorReason,
} from './persistent-subscription-error.ts';
import type { RecordingDescriptor } from './recording-descriptor.ts';

/** Start by replaying the recording from its start position (Java `FROM_START`). */
export const FROM_START = -1;
/** Start by joining the live stream; no history (Java `FROM_LIVE`). */
export const FROM_LIVE = -2;

const NULL_VALUE = -1;
const NULL_POSITION = -1;
const REPLAY_ALL_AND_FOLLOW = -1;

/** Java `PersistentSubscriptionListener`. */
export interface PersistentSubscriptionListener {
  onLiveJoined(): void;
  onLiveLeft(): void;
  /** Terminal and non-terminal errors (see `hasFailed()`). */
  onError(error: unknown): void;
}

export interface PersistentSubscriptionOptions {
  readonly aeron: Aeron;
  /** A connected archive client for the archive holding the recording. */
  readonly archive: AeronArchive;
  readonly recordingId: number;
  /** A position in the recording, {@link FROM_START} (default) or {@link FROM_LIVE}. */
  readonly startPosition?: number;
  readonly liveChannel: string;
  readonly liveStreamId: number;
  /** Session-specific replay channel (the replay session id is added as `session-id`). */
  readonly replayChannel: string;
  readonly replayStreamId: number;
  readonly listener?: Partial<PersistentSubscriptionListener>;
  /** Deadline for a replay or live image to appear (default the archive's message timeout). */
  readonly messageTimeoutMs?: number;
}

export type PersistentSubscriptionState =
  | 'LIST_RECORDING'
  | 'SEND_REPLAY_REQUEST'
  | 'AWAIT_REPLAY_RESPONSE'
  | 'ADD_REPLAY_SUBSCRIPTION'
  | 'AWAIT_REPLAY_SUBSCRIPTION'
  | 'REPLAY'
  | 'ATTEMPT_SWITCH'
  | 'ADD_LIVE_SUBSCRIPTION'
  | 'AWAIT_LIVE'
  | 'LIVE'
  | 'FAILED';

interface Pending<T> {
  done: boolean;
  value: T | null;
  error: unknown;
}

function track<T>(promise: Promise<T>): Pending<T> {
  const pending: Pending<T> = { done: false, value: null, error: null };
  promise.then(
    (value) => {
      pending.value = value;
      pending.done = true;
    },
    (error: unknown) => {
      pending.error = error ?? new ArchiveError('request failed');
      pending.done = true;
    },
  );
  return pending;
}

export class PersistentSubscription implements Disposable {
  private _state: PersistentSubscriptionState = 'LIST_RECORDING';
  private readonly aeron: Aeron;
  private readonly archive: AeronArchive;
  private readonly listener: PersistentSubscriptionListener;
  private readonly messageTimeoutMs: number;
  readonly recordingId: number;
  readonly liveChannel: string;
  readonly liveStreamId: number;
  readonly replayChannel: string;
  readonly replayStreamId: number;

  private position: number;
  private lastObservedLivePosition = NULL_VALUE;
  private _joinDifference = Number.MIN_SAFE_INTEGER;
  private nextLivePosition = NULL_VALUE;
  private _failureReason: unknown = null;

  private descriptor: RecordingDescriptor | null = null;
  private listing: Pending<number> | null = null;
  private replayRequest: Pending<number> | null = null;
  private replaySessionId = NULL_VALUE;
  private replaySubscriptionPending: Pending<Subscription> | null = null;
  private replaySubscription: Subscription | null = null;
  private replayImage: Image | null = null;
  private replayImageDeadline = 0;
  private liveSubscriptionPending: Pending<Subscription> | null = null;
  private liveSubscription: Subscription | null = null;
  private liveImage: Image | null = null;
  private liveImageDeadline = 0;
  private liveImageDeadlineBreached = false;
  /** Java `MaxRecordedPosition`: catch-up check against the max recorded position. */
  private maxPositionRequest: Pending<number> | null = null;
  private maxRecordedPosition = NULL_POSITION;
  private recheckRequired = false;
  private closeEnoughThreshold = 0;

  private uncontrolledHandler: FragmentHandler | null = null;
  private controlledHandler: ControlledFragmentHandler | null = null;
  private readonly assembler = new ImageFragmentAssembler((b, o, l, h) => this.uncontrolledHandler?.(b, o, l, h));
  private readonly controlledAssembler = new ImageControlledFragmentAssembler(
    (b, o, l, h) => this.controlledHandler?.(b, o, l, h) ?? ControlledAction.CONTINUE,
  );
  private readonly onLiveCatchup: ControlledFragmentHandler = (_b, _o, _l, header) => this.liveCatchup(header);
  private readonly onReplayCatchupControlled: ControlledFragmentHandler = (b, o, l, h) =>
    this.replayCatchup(b, o, l, h, true);
  private readonly onReplayCatchupUncontrolled: ControlledFragmentHandler = (b, o, l, h) =>
    this.replayCatchup(b, o, l, h, false);
  private closed = false;

  constructor(options: PersistentSubscriptionOptions) {
    const uri = ChannelUri.parse(options.replayChannel);
    if (uri.hasControlModeResponse() || (uri.isUdp && (uri.get('endpoint') ?? '').endsWith(':0'))) {
      throw new RangeError(
        `only session-specific replay channels are supported (not endpoint=…:0 or control-mode=response): ${options.replayChannel}`,
      );
    }
    const start = options.startPosition ?? FROM_START;
    if (start < 0 && start !== FROM_START && start !== FROM_LIVE) {
      throw new RangeError(`invalid start position: ${start}`);
    }
    this.aeron = options.aeron;
    this.archive = options.archive;
    this.recordingId = options.recordingId;
    this.liveChannel = options.liveChannel;
    this.liveStreamId = options.liveStreamId;
    this.replayChannel = options.replayChannel;
    this.replayStreamId = options.replayStreamId;
    this.messageTimeoutMs = options.messageTimeoutMs ?? options.archive.context.messageTimeoutMs;
    const l = options.listener ?? {};
    this.listener = {
      onLiveJoined: () => l.onLiveJoined?.(),
      onLiveLeft: () => l.onLiveLeft?.(),
      onError: (e) => l.onError?.(e),
    };
    this.position = start;
  }

  get state(): PersistentSubscriptionState {
    return this._state;
  }

  /** Live position − replay position when the live image appeared (Java's join difference counter). */
  get joinDifference(): number {
    return this._joinDifference;
  }

  isLive(): boolean {
    return this._state === 'LIVE';
  }

  isReplaying(): boolean {
    return this._state === 'REPLAY' || this._state === 'ATTEMPT_SWITCH';
  }

  hasFailed(): boolean {
    return this._state === 'FAILED';
  }

  failureReason(): unknown {
    return this._failureReason;
  }

  poll(fragmentHandler: FragmentHandler, fragmentLimit: number): number {
    this.uncontrolledHandler = fragmentHandler;
    try {
      return this.doWork(fragmentLimit, false);
    } finally {
      this.uncontrolledHandler = null;
    }
  }

  controlledPoll(fragmentHandler: ControlledFragmentHandler, fragmentLimit: number): number {
    this.controlledHandler = fragmentHandler;
    try {
      return this.doWork(fragmentLimit, true);
    } finally {
      this.controlledHandler = null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanUpLive();
    this.cleanUpReplay();
    this.cleanUpReplaySubscription();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private doWork(fragmentLimit: number, isControlled: boolean): number {
    if (this.closed) return 0;
    switch (this._state) {
      case 'LIST_RECORDING':
        return this.listRecording();
      case 'SEND_REPLAY_REQUEST':
        return this.sendReplayRequest();
      case 'AWAIT_REPLAY_RESPONSE':
        return this.awaitReplayResponse();
      case 'ADD_REPLAY_SUBSCRIPTION':
        return this.addReplaySubscription();
      case 'AWAIT_REPLAY_SUBSCRIPTION':
        return this.awaitReplaySubscription();
      case 'REPLAY':
        return this.replay(fragmentLimit, isControlled);
      case 'ATTEMPT_SWITCH':
        return this.attemptSwitch(fragmentLimit, isControlled);
      case 'ADD_LIVE_SUBSCRIPTION':
        this.addLiveSubscription();
        this._state = 'AWAIT_LIVE';
        return 1;
      case 'AWAIT_LIVE':
        return this.awaitLive();
      case 'LIVE':
        return this.live(fragmentLimit, isControlled);
      case 'FAILED':
        return 0;
    }
  }

  // ---------------------------------------------------------------- recording descriptor

  private listRecording(): number {
    if (this.listing === null) {
      this.descriptor = null;
      this.listing = track(
        this.archive.listRecording(this.recordingId, (d) => {
          this.descriptor = { ...d };
        }),
      );
      return 1;
    }
    const listing = this.listing;
    if (!listing.done) return 0;
    this.listing = null;
    if (listing.error !== null) {
      this.fail('GENERIC', `list recording failed: ${String(listing.error)}`, listing.error);
      return 1;
    }
    const error = this.validateDescriptor();
    if (error !== null) {
      this._state = 'FAILED';
      this.onTerminalError(error);
      return 1;
    }
    const stop = this.descriptor?.stopPosition ?? NULL_POSITION;
    if (this.position === FROM_LIVE || (stop !== NULL_POSITION && this.position === stop)) {
      this._state = 'ADD_LIVE_SUBSCRIPTION';
    } else {
      this.resetReplayCatchupState();
      this._state = 'SEND_REPLAY_REQUEST';
    }
    return 1;
  }

  private validateDescriptor(): PersistentSubscriptionError | null {
    const d = this.descriptor;
    if (d === null) {
      return new PersistentSubscriptionError('RECORDING_NOT_FOUND', `unknown recording id: ${this.recordingId}`);
    }
    if (d.streamId !== this.liveStreamId) {
      return new PersistentSubscriptionError(
        'STREAM_ID_MISMATCH',
        `Requested live stream with ID: ${this.liveStreamId} does not match stream ID: ${d.streamId} for recording: ${this.recordingId}`,
      );
    }
    if (d.stopPosition !== NULL_POSITION && this.lastObservedLivePosition > d.stopPosition) {
      return new PersistentSubscriptionError(
        'INVALID_START_POSITION',
        `recording ${this.recordingId} stopped at position=${d.stopPosition} which is earlier than last observed live position=${this.lastObservedLivePosition}`,
      );
    }
    if (this.position >= 0) {
      if (this.position < d.startPosition) {
        return new PersistentSubscriptionError(
          'INVALID_START_POSITION',
          `requested replay start position=${this.position} is less than recording start position=${d.startPosition} for recording ${this.recordingId}`,
        );
      }
      if (d.stopPosition !== NULL_POSITION && this.position > d.stopPosition) {
        return new PersistentSubscriptionError(
          'INVALID_START_POSITION',
          `requested replay start position=${this.position} must be less than the limit position=${d.stopPosition} for recording ${this.recordingId}`,
        );
      }
    } else if (this.position === FROM_START) {
      this.position = d.startPosition;
    }
    return null;
  }

  private resetReplayCatchupState(): void {
    this._joinDifference = Number.MIN_SAFE_INTEGER;
    this.closeEnoughThreshold = (this.descriptor?.termBufferLength ?? 0) >> 2;
    this.maxPositionRequest = null;
    this.recheckRequired = false;
    this.nextLivePosition = NULL_VALUE;
  }

  private refreshRecordingDescriptor(): void {
    this.resetReplayCatchupState();
    this._state = 'LIST_RECORDING';
  }

  // ---------------------------------------------------------------- replay set-up

  private sendReplayRequest(): number {
    this.replayRequest = track(
      this.archive.startReplayWithParams(this.recordingId, this.replayChannel, this.replayStreamId, {
        position: this.position,
        length: REPLAY_ALL_AND_FOLLOW,
      }),
    );
    this._state = 'AWAIT_REPLAY_RESPONSE';
    return 1;
  }

  private awaitReplayResponse(): number {
    const request = this.replayRequest;
    if (request === null || !request.done) return 0;
    this.replayRequest = null;
    if (request.error !== null || request.value === null) {
      const error = request.error;
      const code = error instanceof ArchiveError ? error.errorCode : NULL_VALUE;
      const reason: PersistentSubscriptionErrorReason =
        code === ArchiveErrorCode.INVALID_POSITION
          ? 'INVALID_START_POSITION'
          : code === ArchiveErrorCode.UNKNOWN_RECORDING
            ? 'RECORDING_NOT_FOUND'
            : 'GENERIC';
      this.fail(reason, `ERROR - replay request failed: ${String(error)}`, error);
      return 1;
    }
    this.replaySessionId = request.value;
    this._state = 'ADD_REPLAY_SUBSCRIPTION';
    return 1;
  }

  private addReplaySubscription(): number {
    const channel = ChannelUri.addSessionId(this.replayChannel, lowInt32(this.replaySessionId));
    this.replaySubscriptionPending = track(this.aeron.addSubscription(channel, this.replayStreamId));
    this._state = 'AWAIT_REPLAY_SUBSCRIPTION';
    return 1;
  }

  private awaitReplaySubscription(): number {
    const pending = this.replaySubscriptionPending;
    if (pending === null || !pending.done) return 0;
    this.replaySubscriptionPending = null;
    if (pending.error !== null || pending.value === null) {
      this.cleanUpReplay();
      this.fail('GENERIC', `replay subscription failed: ${String(pending.error)}`, pending.error);
      return 1;
    }
    this.replaySubscription = pending.value;
    this.replayImageDeadline = Date.now() + this.messageTimeoutMs;
    this._state = 'REPLAY';
    return 1;
  }

  // ---------------------------------------------------------------- replay, switch, live

  private replay(fragmentLimit: number, isControlled: boolean): number {
    let replayImage = this.replayImage;
    if (replayImage === null) {
      replayImage = this.replaySubscription?.imageBySessionId(lowInt32(this.replaySessionId)) ?? null;
      if (replayImage === null) {
        if (Date.now() >= this.replayImageDeadline) {
          this.cleanUpReplay();
          this.cleanUpReplaySubscription();
          this.resetReplayCatchupState();
          this._state = 'SEND_REPLAY_REQUEST';
          return 1;
        }
        return 0;
      }
      this.replayImage = replayImage;
    }
    if (replayImage.isClosed) {
      this.position = replayImage.position;
      this.cleanUpLive();
      this.cleanUpReplay();
      this.cleanUpReplaySubscription();
      this.resetReplayCatchupState();
      this._state = 'SEND_REPLAY_REQUEST';
      return 1;
    }
    if (this.liveSubscription === null && this.liveSubscriptionPending !== null) {
      const pending = this.liveSubscriptionPending;
      if (pending.done) {
        this.liveSubscriptionPending = null;
        if (pending.error !== null || pending.value === null) {
          this.cleanUpReplay();
          this.cleanUpReplaySubscription();
          this.fail('GENERIC', `live subscription failed: ${String(pending.error)}`, pending.error);
          return 1;
        }
        this.liveSubscription = pending.value;
        this.setLiveImageDeadline();
      }
    }
    const liveSubscription = this.liveSubscription;
    if (liveSubscription !== null) {
      if (liveSubscription.imageCount > 0) {
        const liveImage = liveSubscription.imageAtIndex(0);
        this.liveImage = liveImage;
        this._joinDifference = liveImage.position - replayImage.position;
        this._state = 'ATTEMPT_SWITCH';
        return 1;
      }
      if (!this.liveImageDeadlineBreached && Date.now() >= this.liveImageDeadline) this.onLiveImageDeadlineBreached();
    }
    const fragments = this.doPoll(replayImage, fragmentLimit, isControlled);
    this.position = replayImage.position;
    if (this.liveSubscriptionPending === null && this.liveSubscription === null && this.isCaughtUp(this.position)) {
      this.addLiveSubscription();
    }
    return fragments;
  }

  private attemptSwitch(fragmentLimit: number, isControlled: boolean): number {
    const liveImage = this.liveImage;
    const replayImage = this.replayImage;
    if (liveImage === null || replayImage === null) throw new ArchiveError('ATTEMPT_SWITCH without images');
    let fragments = 0;
    const livePosition = liveImage.position;
    const replayPosition = replayImage.position;
    if (replayPosition === livePosition) {
      this._state = 'LIVE';
    } else {
      if (replayImage.isClosed) {
        this.position = replayPosition;
        this.advanceLastObservedLivePosition(livePosition);
        this.cleanUpLive();
        this.cleanUpReplay();
        this.cleanUpReplaySubscription();
        this.refreshRecordingDescriptor();
        return 1;
      }
      if (liveImage.isClosed) {
        this.cleanUpLive();
        this.resetReplayCatchupState();
        this._state = 'REPLAY';
        return 1;
      }
      // The live image catches up to the replay position (not past it); the replay continues meanwhile.
      fragments += liveImage.controlledPoll(this.onLiveCatchup, fragmentLimit);
      fragments += replayImage.controlledPoll(
        isControlled ? this.onReplayCatchupControlled : this.onReplayCatchupUncontrolled,
        fragmentLimit,
      );
      this.position = replayImage.position;
    }
    if (this._state === 'LIVE') {
      this.position = liveImage.position;
      this.cleanUpReplay();
      this.cleanUpReplaySubscription();
      this.listener.onLiveJoined();
    }
    return fragments;
  }

  private liveCatchup(header: Header): ControlledAction {
    const replayImage = this.replayImage;
    const currentLivePosition = header.position();
    if (replayImage !== null && currentLivePosition <= replayImage.position) return ControlledAction.CONTINUE;
    this.nextLivePosition = currentLivePosition;
    return ControlledAction.ABORT;
  }

  private replayCatchup(
    buffer: ReadableBuffer,
    offset: number,
    length: number,
    header: Header,
    isControlled: boolean,
  ): ControlledAction {
    if (header.position() === this.nextLivePosition) {
      this._state = 'LIVE';
      return ControlledAction.ABORT;
    }
    if (isControlled) return this.controlledAssembler.onFragment(buffer, offset, length, header);
    this.assembler.onFragment(buffer, offset, length, header);
    return ControlledAction.CONTINUE;
  }

  private awaitLive(): number {
    if (this.liveSubscription === null) {
      const pending = this.liveSubscriptionPending;
      if (pending === null || !pending.done) return 0;
      this.liveSubscriptionPending = null;
      if (pending.error !== null || pending.value === null) {
        this.fail('GENERIC', `live subscription failed: ${String(pending.error)}`, pending.error);
        return 1;
      }
      this.liveSubscription = pending.value;
      this.setLiveImageDeadline();
    }
    const liveSubscription = this.liveSubscription;
    if (liveSubscription.imageCount > 0) {
      const image = liveSubscription.imageAtIndex(0);
      const livePosition = image.position;
      this.advanceLastObservedLivePosition(livePosition);
      if (this.position >= 0 && livePosition > this.position) {
        this.cleanUpLive();
        this.refreshRecordingDescriptor();
        return 1;
      }
      this.liveImage = image;
      this.position = livePosition;
      this._joinDifference = 0;
      this._state = 'LIVE';
      this.listener.onLiveJoined();
      return 1;
    }
    if (!this.liveImageDeadlineBreached && Date.now() >= this.liveImageDeadline) this.onLiveImageDeadlineBreached();
    return 0;
  }

  private live(fragmentLimit: number, isControlled: boolean): number {
    const image = this.liveImage;
    if (image === null) throw new ArchiveError('LIVE without an image');
    const fragments = this.doPoll(image, fragmentLimit, isControlled);
    this.position = image.position;
    if (fragments === 0 && image.isClosed) {
      const finalPosition = image.position;
      this.advanceLastObservedLivePosition(finalPosition);
      this.position = finalPosition;
      this.cleanUpLive();
      this.refreshRecordingDescriptor();
      this.listener.onLiveLeft();
      return 1;
    }
    return fragments;
  }

  private doPoll(image: Image, fragmentLimit: number, isControlled: boolean): number {
    return isControlled
      ? image.controlledPoll(this.controlledAssembler.onFragment, fragmentLimit)
      : image.poll(this.assembler.onFragment, fragmentLimit);
  }

  // ---------------------------------------------------------------- helpers

  /** Java `MaxRecordedPosition.isCaughtUp`: within termLength/4 of the max recorded position. */
  private isCaughtUp(replayedPosition: number): boolean {
    if (this.recheckRequired) {
      if (replayedPosition >= this.maxRecordedPosition) this.recheckRequired = false;
      return false;
    }
    const request = this.maxPositionRequest;
    if (request === null) {
      this.maxPositionRequest = track(this.archive.getMaxRecordedPosition(this.recordingId));
      return false;
    }
    if (!request.done) return false;
    this.maxPositionRequest = null;
    if (request.error !== null || request.value === null) {
      this.fail('GENERIC', `get max position request failed: ${String(request.error)}`, request.error);
      return false;
    }
    this.maxRecordedPosition = request.value;
    if (replayedPosition >= this.maxRecordedPosition - this.closeEnoughThreshold) return true;
    this.recheckRequired = true;
    return false;
  }

  private addLiveSubscription(): void {
    this.liveImage = null;
    this.liveSubscription = null;
    this.liveSubscriptionPending = track(this.aeron.addSubscription(this.liveChannel, this.liveStreamId));
  }

  private setLiveImageDeadline(): void {
    this.liveImageDeadline = Date.now() + this.messageTimeoutMs;
    this.liveImageDeadlineBreached = false;
  }

  private onLiveImageDeadlineBreached(): void {
    this.liveImageDeadlineBreached = true;
    this.listener.onError(
      new ArchiveError(
        `No image became available on the live subscription within ${this.messageTimeoutMs} ms. This could be ` +
          'caused by the publisher being down, or by a misconfiguration of the subscriber or a firewall between them.',
      ),
    );
  }

  private advanceLastObservedLivePosition(livePosition: number): void {
    if (livePosition > this.lastObservedLivePosition) this.lastObservedLivePosition = livePosition;
  }

  private cleanUpReplay(): void {
    if (this.replaySessionId !== NULL_VALUE) {
      if (this.archive.state() === 'CONNECTED') this.archive.stopReplay(this.replaySessionId).catch(() => {});
      this.replaySessionId = NULL_VALUE;
    }
  }

  private cleanUpReplaySubscription(): void {
    const pending = this.replaySubscriptionPending;
    if (pending !== null) void Promise.resolve().then(() => pending.value?.close());
    this.replaySubscriptionPending = null;
    this.replaySubscription?.close();
    this.replaySubscription = null;
    this.replayImage = null;
  }

  private cleanUpLive(): void {
    const pending = this.liveSubscriptionPending;
    if (pending !== null) {
      // Close it once it arrives.
      const closeLater = (): void => {
        if (pending.done) pending.value?.close();
        else setTimeout(closeLater, 10);
      };
      closeLater();
    }
    this.liveSubscriptionPending = null;
    this.liveSubscription?.close();
    this.liveSubscription = null;
    this.liveImage = null;
  }

  private fail(reason: PersistentSubscriptionErrorReason, message: string, cause: unknown): void {
    this._state = 'FAILED';
    this.onTerminalError(new PersistentSubscriptionError(reason, message, { cause }));
  }

  private onTerminalError(error: unknown): void {
    this._failureReason = error;
    this.listener.onError(error);
  }
}
