/**
 * PersistentSubscription (Java `io.aeron.archive.client.PersistentSubscription`): consumes a live stream that is also recorded, in order and without gaps from `startPosition`,
 * replaying from the recording when needed and switching to the live subscription when the replay has caught
 * up; when the live image goes away it falls back to a replay from the last position delivered. It owns its
 * archive connection and reconnects it when it is lost. Polled in a duty cycle; reassembles fragmented messages.
 *
 * ```
 *   AWAIT_ARCHIVE_CONNECTION ─▶ SEND_LIST_RECORDING_REQUEST ─▶ AWAIT_LIST_RECORDING_RESPONSE ─┬─▶ setUpReplay
 *   start == FROM_LIVE, or == the recording's stop position ─▶ ADD_LIVE_SUBSCRIPTION ─▶ AWAIT_LIVE ─▶ LIVE ◀┘
 *   setUpReplay, by replay channel:
 *     session-specific  SEND_REPLAY_REQUEST ─▶ AWAIT_REPLAY_RESPONSE ─▶ ADD_REPLAY_SUBSCRIPTION (session-id=…)
 *                       ─▶ AWAIT_REPLAY_SUBSCRIPTION ─▶ REPLAY
 *     endpoint=…:0      ADD_REPLAY_SUBSCRIPTION ─▶ AWAIT_REPLAY_SUBSCRIPTION ─▶ AWAIT_REPLAY_CHANNEL_ENDPOINT
 *                       (bound port from the subscription's local address) ─▶ SEND_REPLAY_REQUEST ─▶
 *                       AWAIT_REPLAY_RESPONSE ─▶ REPLAY
 *     control-mode=response  SEND_REPLAY_REQUEST ─▶ AWAIT_REPLAY_RESPONSE ─▶ REPLAY (see differences)
 *   REPLAY: deliver replayed messages; once within termLength/4 of the max recorded position add the live
 *           subscription; when it has an image ─▶ ATTEMPT_SWITCH; replay image closed ─▶ list the recording again
 *   ATTEMPT_SWITCH: the live image is consumed (not delivered) up to the replay position, the replay delivers up
 *           to the live image's next fragment position; when the two meet ─▶ LIVE (replay stopped, onLiveJoined)
 *   LIVE: deliver from the live image; when it closes ─▶ list the recording again (onLiveLeft), replay from there
 *   AWAIT_LIVE with a live image ahead of the position ─▶ list the recording again (replay the difference);
 *           behind it ─▶ FAILED
 *   archive connection lost: reconnected in the background; outside LIVE/ATTEMPT_SWITCH ─▶
 *           AWAIT_ARCHIVE_CONNECTION, from the position reached
 *   errors (unknown recording, stream id mismatch, invalid start position, replay ERROR) ─▶ FAILED
 * ```
 * State codes (the state counter's value) are the diagram's Java ordinals: AWAIT_ARCHIVE_CONNECTION 0 …
 * FAILED 17 ({@link PERSISTENT_SUBSCRIPTION_STATE_CODES}).
 *
 * Differences from Java (documented, not hidden):
 * - `create()` is asynchronous: allocating counters (and connecting the Aeron client when none is given) are
 *   Promises of our client (a round trip to the driver that a duty cycle cannot block on), so they are done
 *   before it returns; Java's `Context.conclude()` does this synchronously.
 * - Archive requests are Promises of our {@link AeronArchive} (a request timeout is its message timeout). As in
 *   Java, every duty cycle checks the control response subscription (`AeronArchive.isConnected()`), so a lost
 *   archive is noticed and reconnected in any state, LIVE included; StopReplayRequest is offered at once
 *   (`AeronArchive.trySendStopReplayRequest`), in `close()` too, before an owned Aeron client is closed.
 * - `control-mode=response` replays go through `AeronArchive.replayWithSessionId()` (replay token, request
 *   publication and replay request in one call), so ADD/AWAIT_REQUEST_PUBLICATION and
 *   SEND_REPLAY_TOKEN_REQUEST/AWAIT_REPLAY_TOKEN are inside AWAIT_REPLAY_RESPONSE; the replay session id it
 *   returns stops the replay with StopReplayRequest, as for the other replay channels.
 *
 * Callbacks (the fragment handler, the listener) run inside `poll()`: calling `close()` from them is safe (the
 * rest of that poll delivers nothing; the subscriptions are closed when the poll returns); calling `poll()` /
 * `controlledPoll()` from them throws `ArchiveReentrantCallError`.
 */
import { Aeron } from '../client/aeron.ts';
import { ChannelUri, ENDPOINT_PARAM_NAME } from '../client/channel-uri.ts';
import type { Counter } from '../client/counter.ts';
import { ErrorCode } from '../client/error-codes.ts';
import { RegistrationError } from '../client/errors.ts';
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
import { abortable } from './abortable.ts';
import { type CallOptions, replayImageSessionId, type StartedReplay } from './aeron-archive.ts';
import { resolveChannelEndpointPort } from './aeron-transport.ts';
import { ArchiveDefaults } from './archive-context.ts';
import { ArchiveError, ArchiveErrorCode, ArchiveReentrantCallError, ArchiveTimeoutError } from './archive-error.ts';
import { type Pending, track } from './pending.ts';
import {
  isDisconnection,
  PersistentSubscriptionArchive,
  type PersistentSubscriptionArchiveOptions,
} from './persistent-subscription-archive.ts';
import {
  allocatePersistentSubscriptionCounters,
  LONG_MIN_VALUE,
  type PersistentSubscriptionCounters,
} from './persistent-subscription-counters.ts';
import {
  PersistentSubscriptionError,
  type PersistentSubscriptionErrorReason,
} from './persistent-subscription-error.ts';

/** Start by replaying the recording from its start position (Java `FROM_START`). */
export const FROM_START = -1;
/** Start by joining the live stream; no history (Java `FROM_LIVE`, the default). */
export const FROM_LIVE = -2;

const NULL_VALUE = -1;
const NULL_POSITION = -1;
const NULL_REPLAY_SESSION_ID = -1n;
const REPLAY_ALL_AND_FOLLOW = -1;

/** Java `PersistentSubscription.State` with its codes (= ordinals). */
export const PERSISTENT_SUBSCRIPTION_STATE_CODES = {
  /** Waiting for the archive connection (the start state, and after losing it outside LIVE / ATTEMPT_SWITCH). */
  AWAIT_ARCHIVE_CONNECTION: 0,
  /** Sending ListRecordingRequest for the recording. */
  SEND_LIST_RECORDING_REQUEST: 1,
  /** Waiting for the recording's descriptor. */
  AWAIT_LIST_RECORDING_RESPONSE: 2,
  /** Sending the ReplayRequest. */
  SEND_REPLAY_REQUEST: 3,
  /** Waiting for the ReplayRequest's answer (the replay session id). */
  AWAIT_REPLAY_RESPONSE: 4,
  /** Adding the replay subscription. */
  ADD_REPLAY_SUBSCRIPTION: 5,
  /** Waiting for the replay subscription to be added. */
  AWAIT_REPLAY_SUBSCRIPTION: 6,
  /** Waiting for the port the driver bound for an `endpoint=…:0` replay channel. */
  AWAIT_REPLAY_CHANNEL_ENDPOINT: 7,
  /** Java only: adding the request publication of a response-channel replay (inside AWAIT_REPLAY_RESPONSE here). */
  ADD_REQUEST_PUBLICATION: 8,
  /** Java only: waiting for that request publication (inside AWAIT_REPLAY_RESPONSE here). */
  AWAIT_REQUEST_PUBLICATION: 9,
  /** Java only: sending the ReplayTokenRequest (inside AWAIT_REPLAY_RESPONSE here). */
  SEND_REPLAY_TOKEN_REQUEST: 10,
  /** Java only: waiting for the replay token (inside AWAIT_REPLAY_RESPONSE here). */
  AWAIT_REPLAY_TOKEN: 11,
  /** Delivering replayed messages; the live subscription is added once the replay is close to the end. */
  REPLAY: 12,
  /** Replay and live image meeting: the live image is consumed up to the replay position, then the switch. */
  ATTEMPT_SWITCH: 13,
  /** Adding the live subscription (a start from live, or at the recording's stop position). */
  ADD_LIVE_SUBSCRIPTION: 14,
  /** Waiting for the live subscription's image. */
  AWAIT_LIVE: 15,
  /** Delivering from the live image. */
  LIVE: 16,
  /** Failed for good (`hasFailed()`); the error went to the listener. */
  FAILED: 17,
} as const;

/** A state name (Java `PersistentSubscription.State`). */
export type PersistentSubscriptionState = keyof typeof PERSISTENT_SUBSCRIPTION_STATE_CODES;

/** Java `PersistentSubscriptionListener`. */
export interface PersistentSubscriptionListener {
  /** The subscription switched from replay to the live stream. */
  onLiveJoined(): void;
  /** The live image went away; the subscription falls back to a replay. */
  onLiveLeft(): void;
  /** Terminal and non-terminal errors (see `hasFailed()`). */
  onError(error: unknown): void;
}

/** Java `PersistentSubscription.Context`. */
export interface PersistentSubscriptionOptions {
  /** The Aeron client (Java `Context.aeron`); stays open on close. Without it one is connected to `aeronDir`. */
  readonly aeron?: Aeron;
  /** Driver directory for the client connected when `aeron` is not given; that client is closed on close. */
  readonly aeronDir?: string;
  /** How to reach the archive holding the recording (Java `aeronArchiveContext`); uses this Aeron client. */
  readonly archive: PersistentSubscriptionArchiveOptions;
  /** The recording to consume (Java `recordingId`). */
  readonly recordingId: number;
  /** A position in the recording, {@link FROM_START} or {@link FROM_LIVE} (default, as Java). */
  readonly startPosition?: number;
  /** The live stream's channel. */
  readonly liveChannel: string;
  /** The live stream's id. */
  readonly liveStreamId: number;
  /** Session-specific (`endpoint=host:port`, IPC), dynamic-port (`endpoint=host:0`) or `control-mode=response`. */
  readonly replayChannel: string;
  /** Stream id of the replay. */
  readonly replayStreamId: number;
  /** Callbacks; each method is optional. */
  readonly listener?: Partial<PersistentSubscriptionListener>;
  /** Counters to use instead of allocating them (closed on close when the Aeron client is the caller's). */
  readonly stateCounter?: Counter;
  /** Java's join-difference counter to use instead of allocating one. */
  readonly joinDifferenceCounter?: Counter;
  /** Java's live-left counter to use instead of allocating one. */
  readonly liveLeftCounter?: Counter;
  /** Java's live-joined counter to use instead of allocating one. */
  readonly liveJoinedCounter?: Counter;
}

type ReplayChannelType = 'SESSION_SPECIFIC' | 'DYNAMIC_PORT' | 'RESPONSE_CHANNEL';

function replayChannelTypeOf(uri: ChannelUri): ReplayChannelType {
  if (uri.hasControlModeResponse()) return 'RESPONSE_CHANNEL';
  if (uri.isUdp && (uri.get(ENDPOINT_PARAM_NAME) ?? '').endsWith(':0')) return 'DYNAMIC_PORT';
  return 'SESSION_SPECIFIC';
}

/** Java `Context.conclude()`'s checks; returns the replay channel as concluded (`rejoin=false`). */
function concludeOptions(options: PersistentSubscriptionOptions): string {
  const fail = (message: string): never => {
    throw new PersistentSubscriptionError('GENERIC', message);
  };
  if (!Number.isInteger(options.recordingId) || options.recordingId === NULL_VALUE) fail('recordingId must be set');
  if (options.liveStreamId === NULL_VALUE) fail('liveStreamId must be set');
  if (!options.liveChannel) fail('liveChannel must be set');
  if (!options.replayChannel) fail('replayChannel must be set');
  if (options.replayStreamId === NULL_VALUE) fail('replayStreamId must be set');
  if (options.recordingId < 0) fail(`invalid recordingId ${options.recordingId}`);
  const start = options.startPosition ?? FROM_LIVE;
  if (!Number.isInteger(start) || start < FROM_LIVE) fail(`invalid startPosition ${start}`);
  const uri = ChannelUri.parse(options.replayChannel);
  if (uri.hasControlModeResponse()) {
    const controlRequestChannel = options.archive.controlRequestChannel;
    if (controlRequestChannel && !uri.isIpc === ChannelUri.parse(controlRequestChannel).isIpc) {
      fail(
        'Channel media type mismatch. When using `control-mode=response`, the `replayChannel` media type must ' +
          'match the media type for the archive control channel.',
      );
    }
  }
  uri.put('rejoin', 'false');
  return uri.toString();
}

/** The archive's own message of an ERROR response (Java `errorMessage`). */
function archiveMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const i = text.indexOf(', error: ');
  return i >= 0 ? text.slice(i + ', error: '.length) : text;
}

/**
 * Java `PersistentSubscription`: a recorded stream consumed from a position, by replay then live, without gaps
 * (see the module comment). Made by {@link PersistentSubscription.create}; polled like a subscription.
 */
export class PersistentSubscription implements Disposable {
  #state: PersistentSubscriptionState = 'AWAIT_ARCHIVE_CONNECTION';
  /** The Aeron client in use (given, or connected to `aeronDir` and owned). */
  readonly aeron: Aeron;
  readonly #ownsAeron: boolean;
  readonly #connection: PersistentSubscriptionArchive;
  readonly #listener: PersistentSubscriptionListener;
  readonly #messageTimeoutMs: number;
  readonly #counters: PersistentSubscriptionCounters;
  /** The recording consumed. */
  readonly recordingId: number;
  /** The live stream's channel. */
  readonly liveChannel: string;
  /** The live stream's id. */
  readonly liveStreamId: number;
  /** As concluded: with `rejoin=false`. */
  readonly replayChannel: string;
  /** Stream id of the replay. */
  readonly replayStreamId: number;
  readonly #replayChannelUri: ChannelUri;
  readonly #replayChannelType: ReplayChannelType;

  #position: number;
  #lastObservedLivePosition = NULL_VALUE;
  #joinDifference = LONG_MIN_VALUE;
  #nextLivePosition = NULL_VALUE;
  #failureReason: unknown = null;

  // list recording
  #listing: Pending<number> | null = null;
  #listedStartPosition = NULL_POSITION;
  #listedStopPosition = NULL_POSITION;
  #listedTermBufferLength = 0;
  #listedStreamId = NULL_VALUE;
  readonly #onDescriptor = (d: {
    startPosition: number;
    stopPosition: number;
    termBufferLength: number;
    streamId: number;
  }): void => {
    this.#listedStartPosition = d.startPosition;
    this.#listedStopPosition = d.stopPosition;
    this.#listedTermBufferLength = d.termBufferLength;
    this.#listedStreamId = d.streamId;
  };

  // replay
  #replayRequest: Pending<bigint> | null = null;
  #responseReplay: Pending<StartedReplay> | null = null;
  /** The replay's session id, exact (`(replayId << 32) | imageSessionId`); -1n when there is no replay. */
  #replaySessionId = NULL_REPLAY_SESSION_ID;
  #replaySubscriptionId = NULL_VALUE;
  #replaySubscription: Subscription | null = null;
  #replayImage: Image | null = null;
  #replayImageDeadline = 0;

  // live
  #liveSubscriptionId = NULL_VALUE;
  #liveSubscription: Subscription | null = null;
  #liveImage: Image | null = null;
  #liveImageDeadline = 0;
  #liveImageDeadlineBreached = false;

  // Java `MaxRecordedPosition`
  #maxState: 'REQUEST_MAX_POSITION' | 'AWAIT_MAX_POSITION' | 'RECHECK_REQUIRED' = 'REQUEST_MAX_POSITION';
  #maxRequest: Pending<number> | null = null;
  #maxRecordedPosition = NULL_POSITION;
  #closeEnoughThreshold = 0;

  #uncontrolledHandler: FragmentHandler | null = null;
  #controlledHandler: ControlledFragmentHandler | null = null;
  readonly #assembler = new ImageFragmentAssembler((b, o, l, h) => this.#uncontrolledHandler?.(b, o, l, h));
  readonly #controlledAssembler = new ImageControlledFragmentAssembler(
    (b, o, l, h) => this.#controlledHandler?.(b, o, l, h) ?? ControlledAction.CONTINUE,
  );
  readonly #onLiveCatchup: ControlledFragmentHandler = (_b, _o, _l, header) => this.#liveCatchup(header);
  readonly #onReplayCatchupControlled: ControlledFragmentHandler = (b, o, l, h) =>
    this.#replayCatchup(b, o, l, h, true);
  readonly #onReplayCatchupUncontrolled: ControlledFragmentHandler = (b, o, l, h) =>
    this.#replayCatchup(b, o, l, h, false);
  #closed = false;
  /** True while `poll()` / `controlledPoll()` runs: callbacks may run, a nested poll is refused. */
  #polling = false;
  /** `close()` was called from a callback: it runs when the poll returns. */
  #closeRequested = false;

  /**
   * Java `PersistentSubscription.create(ctx)`: checks the options as `Context.conclude()` does, connects an
   * Aeron client to `aeronDir` when none is given, allocates the counters not given. Poll it to do any work.
   *
   * `callOptions.signal` / `timeoutMs` bound the client connect and the counter allocation: the call rejects with
   * `ArchiveAbortedError` / `ArchiveTimeoutError` and releases what it made (a client or counters that arrive
   * after that included).
   */
  static async create(
    options: PersistentSubscriptionOptions,
    callOptions: CallOptions = {},
  ): Promise<PersistentSubscription> {
    const replayChannel = concludeOptions(options);
    const { signal } = callOptions;
    const deadlineMs =
      callOptions.timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + callOptions.timeoutMs;
    const bounds = () => ({ signal, remainingMs: deadlineMs - performance.now() });
    let aeron = options.aeron ?? null;
    const ownsAeron = aeron === null;
    if (aeron === null) {
      aeron = await abortable(
        Aeron.connect({
          clientName: 'PersistentSubscription',
          ...(options.aeronDir === undefined ? {} : { aeronDir: options.aeronDir }),
          signal,
        }),
        'persistent subscription create',
        bounds(),
        (late) => late.close(),
      );
    }
    try {
      const given = [
        options.stateCounter,
        options.joinDifferenceCounter,
        options.liveLeftCounter,
        options.liveJoinedCounter,
      ];
      const releaseCounters = (late: PersistentSubscriptionCounters): void => {
        for (const counter of [late.state, late.joinDifference, late.liveLeft, late.liveJoined]) {
          if (!given.includes(counter)) counter.close();
        }
      };
      const counters = await abortable(
        allocatePersistentSubscriptionCounters(
          aeron,
          {
            replayStreamId: options.replayStreamId,
            replayChannel,
            liveStreamId: options.liveStreamId,
            liveChannel: options.liveChannel,
          },
          {
            ...(options.stateCounter === undefined ? {} : { state: options.stateCounter }),
            ...(options.joinDifferenceCounter === undefined ? {} : { joinDifference: options.joinDifferenceCounter }),
            ...(options.liveLeftCounter === undefined ? {} : { liveLeft: options.liveLeftCounter }),
            ...(options.liveJoinedCounter === undefined ? {} : { liveJoined: options.liveJoinedCounter }),
          },
        ),
        'persistent subscription create',
        bounds(),
        releaseCounters,
      );
      return new PersistentSubscription(options, aeron, ownsAeron, replayChannel, counters);
    } catch (error) {
      if (ownsAeron) aeron.close();
      throw error;
    }
  }

  private constructor(
    options: PersistentSubscriptionOptions,
    aeron: Aeron,
    ownsAeron: boolean,
    replayChannel: string,
    counters: PersistentSubscriptionCounters,
  ) {
    this.aeron = aeron;
    this.#ownsAeron = ownsAeron;
    this.#counters = counters;
    this.recordingId = options.recordingId;
    this.liveChannel = options.liveChannel;
    this.liveStreamId = options.liveStreamId;
    this.replayChannel = replayChannel;
    this.#replayChannelUri = ChannelUri.parse(replayChannel);
    this.#replayChannelType = replayChannelTypeOf(this.#replayChannelUri);
    this.replayStreamId = options.replayStreamId;
    this.#messageTimeoutMs = options.archive.messageTimeoutMs ?? ArchiveDefaults.MESSAGE_TIMEOUT_MS;
    const l = options.listener ?? {};
    this.#listener = {
      onLiveJoined: () => l.onLiveJoined?.(),
      onLiveLeft: () => l.onLiveLeft?.(),
      onError: (e) => l.onError?.(e),
    };
    this.#position = options.startPosition ?? FROM_LIVE;
    this.#connection = new PersistentSubscriptionArchive(aeron, options.archive, {
      onConnected: () => {},
      onDisconnected: () => this.#onArchiveDisconnected(),
      onError: (error) => this.#onArchiveError(error),
    });
    this.#setJoinDifference(LONG_MIN_VALUE);
    if (!counters.state.isClosed) counters.state.set(PERSISTENT_SUBSCRIPTION_STATE_CODES[this.#state]);
  }

  /** The current state. */
  get state(): PersistentSubscriptionState {
    return this.#state;
  }

  /** Live position − replay position when the live image appeared; Long.MIN_VALUE (−2^63) when not switching. */
  get joinDifference(): number {
    return this.#joinDifference;
  }

  /** The counters in use (allocated or given). */
  get stateCounter(): Counter {
    return this.#counters.state;
  }

  /** The join-difference counter in use. */
  get joinDifferenceCounter(): Counter {
    return this.#counters.joinDifference;
  }

  /** The live-left counter in use. */
  get liveLeftCounter(): Counter {
    return this.#counters.liveLeft;
  }

  /** The live-joined counter in use. */
  get liveJoinedCounter(): Counter {
    return this.#counters.liveJoined;
  }

  /** True while messages come from the live stream. */
  isLive(): boolean {
    return this.#state === 'LIVE';
  }

  /** True while messages come from a replay (REPLAY or ATTEMPT_SWITCH). */
  isReplaying(): boolean {
    return this.#state === 'REPLAY' || this.#state === 'ATTEMPT_SWITCH';
  }

  /** True once a terminal error ended it (see `failureReason()`). */
  hasFailed(): boolean {
    return this.#state === 'FAILED';
  }

  /** The terminal error, or null. */
  failureReason(): unknown {
    return this.#failureReason;
  }

  /**
   * Does the duty-cycle work and delivers up to `fragmentLimit` reassembled messages to `fragmentHandler`.
   *
   * @throws ArchiveReentrantCallError when called from a callback of a poll in progress.
   */
  poll(fragmentHandler: FragmentHandler, fragmentLimit: number): number {
    this.#enterPoll('PersistentSubscription.poll');
    this.#uncontrolledHandler = fragmentHandler;
    try {
      return this.#doWork(fragmentLimit, false);
    } finally {
      this.#uncontrolledHandler = null;
      this.#leavePoll();
    }
  }

  /**
   * As `poll`, with a controlled handler (ABORT / BREAK / COMMIT / CONTINUE).
   *
   * @throws ArchiveReentrantCallError when called from a callback of a poll in progress.
   */
  controlledPoll(fragmentHandler: ControlledFragmentHandler, fragmentLimit: number): number {
    this.#enterPoll('PersistentSubscription.controlledPoll');
    this.#controlledHandler = fragmentHandler;
    try {
      return this.#doWork(fragmentLimit, true);
    } finally {
      this.#controlledHandler = null;
      this.#leavePoll();
    }
  }

  #enterPoll(call: string): void {
    if (this.#polling) throw new ArchiveReentrantCallError(call);
    this.#polling = true;
  }

  #leavePoll(): void {
    this.#polling = false;
    if (this.#closeRequested) {
      this.#closeRequested = false;
      this.close();
    }
  }

  /**
   * Java `close()`: stops the replay (StopReplayRequest offered at once on the archive connection), then closes
   * the live and replay subscriptions and the counters (the caller's Aeron client) or the Aeron client when it is
   * this subscription's own, and the archive connection.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#polling) {
      // From a callback: the images being polled stay mapped until the poll returns; nothing more is delivered.
      this.#closeRequested = true;
      this.#uncontrolledHandler = null;
      this.#controlledHandler = null;
      return;
    }
    this.#closed = true;
    this.#cleanUpReplay();
    if (this.#ownsAeron) {
      this.#connection.close();
      this.aeron.close();
      return;
    }
    this.#cleanUpLiveSubscription();
    this.#cleanUpReplaySubscription();
    if (!this.aeron.isClosed) {
      const c = this.#counters;
      for (const counter of [c.state, c.joinDifference, c.liveLeft, c.liveJoined]) counter.close();
    }
    this.#connection.close();
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #doWork(fragmentLimit: number, isControlled: boolean): number {
    if (this.#closed) return 0;
    let work = this.#connection.poll();
    switch (this.#state) {
      case 'AWAIT_ARCHIVE_CONNECTION':
        work += this.#awaitArchiveConnection();
        break;
      case 'SEND_LIST_RECORDING_REQUEST':
        work += this.#sendListRecordingRequest();
        break;
      case 'AWAIT_LIST_RECORDING_RESPONSE':
        work += this.#awaitListRecordingResponse();
        break;
      case 'SEND_REPLAY_REQUEST':
        work += this.#sendReplayRequest();
        break;
      case 'AWAIT_REPLAY_RESPONSE':
        work += this.#awaitReplayResponse();
        break;
      case 'ADD_REPLAY_SUBSCRIPTION':
        work += this.#addReplaySubscription();
        break;
      case 'AWAIT_REPLAY_SUBSCRIPTION':
        work += this.#awaitReplaySubscription();
        break;
      case 'AWAIT_REPLAY_CHANNEL_ENDPOINT':
        work += this.#awaitReplayChannelEndpoint();
        break;
      case 'REPLAY':
        work += this.#replay(fragmentLimit, isControlled);
        break;
      case 'ATTEMPT_SWITCH':
        work += this.#attemptSwitch(fragmentLimit, isControlled);
        break;
      case 'ADD_LIVE_SUBSCRIPTION':
        this.#doAddLiveSubscription();
        this.#setState('AWAIT_LIVE');
        work += 1;
        break;
      case 'AWAIT_LIVE':
        work += this.#awaitLive();
        break;
      case 'LIVE':
        work += this.#live(fragmentLimit, isControlled);
        break;
      default:
        // FAILED, and the response-channel steps that AeronArchive.replay() performs.
        break;
    }
    return work;
  }

  // ---------------------------------------------------------------- archive connection

  #awaitArchiveConnection(): number {
    if (!this.#connection.isConnected()) return 0;
    this.#setState('SEND_LIST_RECORDING_REQUEST');
    return 1;
  }

  /** Java `ArchiveListener.onDisconnected`. */
  #onArchiveDisconnected(): void {
    const s = this.#state;
    if (s === 'AWAIT_ARCHIVE_CONNECTION' || s === 'ATTEMPT_SWITCH' || s === 'LIVE' || s === 'FAILED') return;
    if (this.#replayImage !== null) this.#position = this.#replayImage.position;
    this.#cleanUpLiveSubscription();
    this.#cleanUpReplay();
    this.#cleanUpReplaySubscription();
    this.#setState('AWAIT_ARCHIVE_CONNECTION');
  }

  /** Java `ArchiveListener.onError`. */
  #onArchiveError(error: unknown): void {
    if (this.#connection.isClosed()) {
      this.#setState('FAILED');
      this.#onTerminalError(error);
    } else {
      this.#listener.onError(error);
    }
  }

  /**
   * How a failed archive request continues: the session is gone (reconnect), no answer in time or not sent
   * (retry, as Java does on its deadline), or the archive answered with an error.
   */
  #recoveryAfter(error: unknown): 'reconnect' | 'retry' | 'answer' {
    if (isDisconnection(error) || !this.#connection.isConnected()) {
      this.#connection.markDisconnected();
      return 'reconnect';
    }
    if (error instanceof ArchiveTimeoutError) return 'retry';
    if (error instanceof ArchiveError && error.message.startsWith('failed to send')) return 'retry';
    return 'answer';
  }

  // ---------------------------------------------------------------- recording descriptor

  #sendListRecordingRequest(): number {
    if (!this.#connection.isConnected()) {
      this.#setState('AWAIT_ARCHIVE_CONNECTION');
      return 1;
    }
    this.#listedStreamId = NULL_VALUE;
    this.#listing = track(this.#connection.archive.listRecording(this.recordingId, this.#onDescriptor));
    this.#setState('AWAIT_LIST_RECORDING_RESPONSE');
    return 1;
  }

  #awaitListRecordingResponse(): number {
    const listing = this.#listing;
    if (listing === null || !listing.done) return 0;
    this.#listing = null;
    let found = listing.value === 1;
    if (listing.error !== null) {
      const next = this.#recoveryAfter(listing.error);
      if (next === 'reconnect') {
        this.#setState('AWAIT_ARCHIVE_CONNECTION');
        return 1;
      }
      if (next === 'retry') {
        this.#setState('SEND_LIST_RECORDING_REQUEST');
        return 1;
      }
      found = false; // Java: any control response to the listing means the recording is unknown
    }
    const error = this.#validateDescriptor(found);
    if (error !== null) {
      this.#setState('FAILED');
      this.#onTerminalError(error);
    } else if (
      this.#position === FROM_LIVE ||
      (this.#listedStopPosition !== NULL_POSITION && this.#position === this.#listedStopPosition)
    ) {
      this.#setState('ADD_LIVE_SUBSCRIPTION');
    } else {
      this.#setUpReplay();
    }
    return 1;
  }

  #validateDescriptor(found: boolean): PersistentSubscriptionError | null {
    if (!found) {
      return new PersistentSubscriptionError('RECORDING_NOT_FOUND', `unknown recording id: ${this.recordingId}`);
    }
    const stop = this.#listedStopPosition;
    if (this.#listedStreamId !== this.liveStreamId) {
      return new PersistentSubscriptionError(
        'STREAM_ID_MISMATCH',
        `Requested live stream with ID: ${this.liveStreamId} does not match stream ID: ${this.#listedStreamId} for recording: ${this.recordingId}`,
      );
    }
    if (stop !== NULL_POSITION && this.#lastObservedLivePosition > stop) {
      return new PersistentSubscriptionError(
        'INVALID_START_POSITION',
        `recording ${this.recordingId} stopped at position=${stop} which is earlier than last observed live position=${this.#lastObservedLivePosition}`,
      );
    }
    if (this.#position >= 0) {
      if (this.#position < this.#listedStartPosition) {
        return new PersistentSubscriptionError(
          'INVALID_START_POSITION',
          `requested replay start position=${this.#position} is less than recording start position=${this.#listedStartPosition} for recording ${this.recordingId}`,
        );
      }
      if (stop !== NULL_POSITION && this.#position > stop) {
        return new PersistentSubscriptionError(
          'INVALID_START_POSITION',
          `requested replay start position=${this.#position} must be less than the limit position=${stop} for recording ${this.recordingId}`,
        );
      }
    } else if (this.#position === FROM_START) {
      this.#position = this.#listedStartPosition;
    }
    return null;
  }

  #setUpReplay(): void {
    this.#resetReplayCatchupState();
    this.#setState(this.#replayChannelType === 'DYNAMIC_PORT' ? 'ADD_REPLAY_SUBSCRIPTION' : 'SEND_REPLAY_REQUEST');
  }

  #refreshRecordingDescriptor(): void {
    this.#resetReplayCatchupState();
    this.#setState('SEND_LIST_RECORDING_REQUEST');
  }

  #resetReplayCatchupState(): void {
    this.#setJoinDifference(LONG_MIN_VALUE);
    this.#closeEnoughThreshold = this.#listedTermBufferLength >> 2;
    this.#maxState = 'REQUEST_MAX_POSITION';
    this.#maxRequest = null;
    this.#nextLivePosition = NULL_VALUE;
  }

  // ---------------------------------------------------------------- replay set-up

  #sendReplayRequest(): number {
    if (!this.#connection.isConnected()) {
      this.#cleanUpReplaySubscription();
      this.#setState('AWAIT_ARCHIVE_CONNECTION');
      return 1;
    }
    const archive = this.#connection.archive;
    const params = { position: this.#position, length: REPLAY_ALL_AND_FOLLOW };
    if (this.#replayChannelType === 'RESPONSE_CHANNEL') {
      this.#responseReplay = track(
        archive.replayWithSessionId(this.recordingId, this.replayChannel, this.replayStreamId, params),
      );
    } else {
      const channel =
        this.#replayChannelType === 'SESSION_SPECIFIC' ? this.replayChannel : this.#replayChannelUri.toString();
      this.#replayRequest = track(
        archive.startReplayWithParams(this.recordingId, channel, this.replayStreamId, params),
      );
    }
    this.#setState('AWAIT_REPLAY_RESPONSE');
    return 1;
  }

  #awaitReplayResponse(): number {
    const isResponseChannel = this.#replayChannelType === 'RESPONSE_CHANNEL';
    const request: Pending<unknown> | null = isResponseChannel ? this.#responseReplay : this.#replayRequest;
    if (request === null || !request.done) return 0;
    this.#replayRequest = null;
    this.#responseReplay = null;
    if (request.error !== null || request.value === null) {
      const error = request.error;
      if (error instanceof RegistrationError) return this.#onReplaySubscriptionError(error);
      const next = this.#recoveryAfter(error);
      this.#cleanUpReplaySubscription();
      if (next === 'reconnect') {
        this.#setState('AWAIT_ARCHIVE_CONNECTION');
      } else if (next === 'retry') {
        this.#setUpReplay();
      } else {
        this.#setState('FAILED');
        const code = error instanceof ArchiveError ? error.errorCode : NULL_VALUE;
        const reason: PersistentSubscriptionErrorReason =
          code === ArchiveErrorCode.INVALID_POSITION
            ? 'INVALID_START_POSITION'
            : code === ArchiveErrorCode.UNKNOWN_RECORDING
              ? 'RECORDING_NOT_FOUND'
              : 'GENERIC';
        this.#onTerminalError(
          new PersistentSubscriptionError(reason, `replay request failed: ${archiveMessage(error)}`, { cause: error }),
        );
      }
      return 1;
    }
    if (isResponseChannel) {
      const started = request.value as StartedReplay;
      this.#replaySubscription = started.subscription;
      this.#replaySessionId = started.replaySessionId;
      this.#replayImageDeadline = Date.now() + this.#messageTimeoutMs;
      this.#setState('REPLAY');
      return 1;
    }
    this.#replaySessionId = request.value as bigint;
    if (this.#replayChannelType === 'SESSION_SPECIFIC') {
      this.#replayChannelUri.put('session-id', String(replayImageSessionId(this.#replaySessionId)));
      this.#setState('ADD_REPLAY_SUBSCRIPTION');
    } else {
      this.#replayImageDeadline = Date.now() + this.#messageTimeoutMs;
      this.#setState('REPLAY');
    }
    return 1;
  }

  #addReplaySubscription(): number {
    const channel =
      this.#replayChannelType === 'SESSION_SPECIFIC' ? this.#replayChannelUri.toString() : this.replayChannel;
    this.#replaySubscriptionId = this.aeron.asyncAddSubscription(channel, this.replayStreamId);
    this.#setState('AWAIT_REPLAY_SUBSCRIPTION');
    return 1;
  }

  #awaitReplaySubscription(): number {
    let subscription: Subscription | null;
    try {
      subscription = this.aeron.getSubscription(this.#replaySubscriptionId);
    } catch (error) {
      this.#replaySubscriptionId = NULL_VALUE;
      this.#cleanUpReplay();
      return this.#onReplaySubscriptionError(error);
    }
    if (subscription === null) return 0;
    this.#replaySubscriptionId = NULL_VALUE;
    this.#replaySubscription = subscription;
    if (this.#replayChannelType === 'SESSION_SPECIFIC') {
      this.#replayImageDeadline = Date.now() + this.#messageTimeoutMs;
      this.#setState('REPLAY');
    } else {
      this.#setState('AWAIT_REPLAY_CHANNEL_ENDPOINT');
    }
    return 1;
  }

  /** RESOURCE_TEMPORARILY_UNAVAILABLE: set the replay up again (onError); anything else is terminal. */
  #onReplaySubscriptionError(error: unknown): number {
    if (error instanceof RegistrationError && error.errorCode === ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE) {
      this.#setUpReplay();
      this.#listener.onError(error);
    } else {
      this.#setState('FAILED');
      this.#onTerminalError(error);
    }
    return 1;
  }

  /** Java `Subscription.tryResolveChannelEndpointPort`: the OS-assigned port of `endpoint=…:0`. */
  #awaitReplayChannelEndpoint(): number {
    const subscription = this.#replaySubscription;
    if (subscription === null) throw new ArchiveError('AWAIT_REPLAY_CHANNEL_ENDPOINT without a subscription');
    const resolved = resolveChannelEndpointPort(subscription.channel, () => subscription.localSocketAddresses());
    if (resolved === null) return 0;
    const endpoint = ChannelUri.parse(resolved).get(ENDPOINT_PARAM_NAME);
    if (endpoint !== undefined) this.#replayChannelUri.put(ENDPOINT_PARAM_NAME, endpoint);
    this.#setState('SEND_REPLAY_REQUEST');
    return 1;
  }

  // ---------------------------------------------------------------- replay, switch, live

  #replay(fragmentLimit: number, isControlled: boolean): number {
    let replayImage = this.#replayImage;
    if (replayImage === null) {
      const subscription = this.#replaySubscription;
      if (subscription !== null) {
        replayImage = subscription.imageBySessionId(replayImageSessionId(this.#replaySessionId));
      }
      if (replayImage === null) {
        if (Date.now() >= this.#replayImageDeadline) {
          this.#cleanUpReplay();
          this.#cleanUpReplaySubscription();
          this.#setUpReplay();
          return 1;
        }
        return 0;
      }
      this.#replayImage = replayImage;
    }
    if (replayImage.isClosed) {
      this.#position = replayImage.position;
      this.#cleanUpLiveSubscription();
      this.#cleanUpReplay();
      this.#cleanUpReplaySubscription();
      this.#refreshRecordingDescriptor();
      return 1;
    }
    if (this.#liveSubscription === null && this.#liveSubscriptionId !== NULL_VALUE) {
      try {
        const subscription = this.aeron.getSubscription(this.#liveSubscriptionId);
        if (subscription !== null) {
          this.#liveSubscription = subscription;
          this.#liveSubscriptionId = NULL_VALUE;
          this.#setLiveImageDeadline();
        }
      } catch (error) {
        this.#liveSubscriptionId = NULL_VALUE;
        if (error instanceof RegistrationError && error.errorCode === ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE) {
          this.#listener.onError(error);
        } else {
          this.#cleanUpReplay();
          this.#cleanUpReplaySubscription();
          this.#setState('FAILED');
          this.#onTerminalError(error);
        }
        return 1;
      }
    }
    const liveSubscription = this.#liveSubscription;
    if (liveSubscription !== null) {
      if (liveSubscription.imageCount > 0) {
        const liveImage = liveSubscription.imageAtIndex(0);
        this.#liveImage = liveImage;
        this.#setJoinDifference(liveImage.position - replayImage.position);
        this.#setState('ATTEMPT_SWITCH');
        return 1;
      }
      if (!this.#liveImageDeadlineBreached && Date.now() >= this.#liveImageDeadline)
        this.#onLiveImageDeadlineBreached();
    }
    const fragments = this.#pollImage(replayImage, fragmentLimit, isControlled);
    this.#position = replayImage.position;
    if (
      this.#liveSubscriptionId === NULL_VALUE &&
      this.#liveSubscription === null &&
      this.#isCaughtUp(this.#position)
    ) {
      this.#doAddLiveSubscription();
    }
    return fragments;
  }

  #attemptSwitch(fragmentLimit: number, isControlled: boolean): number {
    const liveImage = this.#liveImage;
    const replayImage = this.#replayImage;
    if (liveImage === null || replayImage === null) throw new ArchiveError('ATTEMPT_SWITCH without images');
    let fragments = 0;
    const livePosition = liveImage.position;
    const replayPosition = replayImage.position;
    if (replayPosition === livePosition) {
      this.#setState('LIVE');
    } else {
      if (replayImage.isClosed) {
        this.#position = replayPosition;
        this.#advanceLastObservedLivePosition(livePosition);
        this.#cleanUpLiveSubscription();
        this.#cleanUpReplay();
        this.#cleanUpReplaySubscription();
        this.#refreshRecordingDescriptor();
        return 1;
      }
      if (liveImage.isClosed) {
        this.#cleanUpLiveSubscription();
        this.#resetReplayCatchupState();
        this.#setState('REPLAY');
        return 1;
      }
      // The live image catches up to the replay position (not past it); the replay continues meanwhile.
      fragments += liveImage.controlledPoll(this.#onLiveCatchup, fragmentLimit);
      fragments += replayImage.controlledPoll(
        isControlled ? this.#onReplayCatchupControlled : this.#onReplayCatchupUncontrolled,
        fragmentLimit,
      );
      this.#position = replayImage.position;
    }
    if (this.isLive()) {
      this.#position = liveImage.position;
      this.#cleanUpReplay();
      this.#cleanUpReplaySubscription();
      this.#onLiveJoined();
    }
    return fragments;
  }

  #liveCatchup(header: Header): ControlledAction {
    const replayImage = this.#replayImage;
    const currentLivePosition = header.position();
    if (replayImage !== null && currentLivePosition <= replayImage.position) return ControlledAction.CONTINUE;
    this.#nextLivePosition = currentLivePosition;
    return ControlledAction.ABORT;
  }

  #replayCatchup(
    buffer: ReadableBuffer,
    offset: number,
    length: number,
    header: Header,
    isControlled: boolean,
  ): ControlledAction {
    if (header.position() === this.#nextLivePosition) {
      this.#setState('LIVE');
      return ControlledAction.ABORT;
    }
    if (isControlled) return this.#controlledAssembler.onFragment(buffer, offset, length, header);
    this.#assembler.onFragment(buffer, offset, length, header);
    return ControlledAction.CONTINUE;
  }

  #awaitLive(): number {
    if (this.#liveSubscription === null) {
      try {
        const subscription = this.aeron.getSubscription(this.#liveSubscriptionId);
        if (subscription === null) return 0;
        this.#liveSubscription = subscription;
        this.#liveSubscriptionId = NULL_VALUE;
        this.#setLiveImageDeadline();
      } catch (error) {
        this.#liveSubscriptionId = NULL_VALUE;
        if (error instanceof RegistrationError && error.errorCode === ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE) {
          this.#setState('ADD_LIVE_SUBSCRIPTION');
          this.#listener.onError(error);
        } else {
          this.#setState('FAILED');
          this.#onTerminalError(error);
        }
        return 1;
      }
    }
    const liveSubscription = this.#liveSubscription;
    if (liveSubscription.imageCount > 0) {
      const image = liveSubscription.imageAtIndex(0);
      const livePosition = image.position;
      this.#advanceLastObservedLivePosition(livePosition);
      if (this.#position >= 0) {
        if (livePosition < this.#position) {
          this.#cleanUpLiveSubscription();
          this.#setState('FAILED');
          this.#onTerminalError(
            new PersistentSubscriptionError(
              'GENERIC',
              `live stream joined at position ${livePosition} which is earlier than last seen position ${this.#position}`,
            ),
          );
          return 1;
        }
        if (livePosition > this.#position) {
          this.#cleanUpLiveSubscription();
          this.#refreshRecordingDescriptor();
          return 1;
        }
      }
      this.#liveImage = image;
      this.#position = livePosition;
      this.#setJoinDifference(0);
      this.#setState('LIVE');
      this.#onLiveJoined();
      return 1;
    }
    if (!this.#liveImageDeadlineBreached && Date.now() >= this.#liveImageDeadline) this.#onLiveImageDeadlineBreached();
    return 0;
  }

  #live(fragmentLimit: number, isControlled: boolean): number {
    const image = this.#liveImage;
    if (image === null) throw new ArchiveError('LIVE without an image');
    const fragments = this.#pollImage(image, fragmentLimit, isControlled);
    this.#position = image.position;
    if (fragments === 0 && image.isClosed) {
      const finalPosition = image.position;
      this.#advanceLastObservedLivePosition(finalPosition);
      this.#position = finalPosition;
      this.#cleanUpLiveSubscription();
      this.#refreshRecordingDescriptor();
      this.#onLiveLeft();
      return 1;
    }
    return fragments;
  }

  /** Polls `image` through the assembler of the poll form in use. */
  #pollImage(image: Image, fragmentLimit: number, isControlled: boolean): number {
    return isControlled
      ? image.controlledPoll(this.#controlledAssembler.onFragment, fragmentLimit)
      : image.poll(this.#assembler.onFragment, fragmentLimit);
  }

  // ---------------------------------------------------------------- helpers

  /** Java `MaxRecordedPosition.isCaughtUp`: within termLength/4 of the max recorded position. */
  #isCaughtUp(replayedPosition: number): boolean {
    switch (this.#maxState) {
      case 'REQUEST_MAX_POSITION':
        if (this.#connection.isConnected()) {
          this.#maxRequest = track(this.#connection.archive.getMaxRecordedPosition(this.recordingId));
          this.#maxState = 'AWAIT_MAX_POSITION';
        }
        return false;
      case 'AWAIT_MAX_POSITION': {
        const request = this.#maxRequest;
        if (request === null || !request.done) return false;
        this.#maxRequest = null;
        if (request.error !== null || request.value === null) {
          if (this.#recoveryAfter(request.error) !== 'answer') {
            this.#maxState = 'REQUEST_MAX_POSITION';
          } else {
            this.#setState('FAILED');
            this.#onTerminalError(
              new ArchiveError(`get max position request failed: ${archiveMessage(request.error)}`, {
                cause: request.error,
              }),
            );
          }
          return false;
        }
        this.#maxRecordedPosition = request.value;
        if (replayedPosition >= this.#maxRecordedPosition - this.#closeEnoughThreshold) return true;
        this.#maxState = 'RECHECK_REQUIRED';
        return false;
      }
      case 'RECHECK_REQUIRED':
        if (replayedPosition >= this.#maxRecordedPosition) this.#maxState = 'REQUEST_MAX_POSITION';
        return false;
    }
  }

  #doAddLiveSubscription(): void {
    this.#liveImage = null;
    this.#liveSubscription = null;
    this.#liveSubscriptionId = this.aeron.asyncAddSubscription(this.liveChannel, this.liveStreamId);
  }

  #setLiveImageDeadline(): void {
    this.#liveImageDeadline = Date.now() + this.#messageTimeoutMs;
    this.#liveImageDeadlineBreached = false;
  }

  #onLiveImageDeadlineBreached(): void {
    this.#liveImageDeadlineBreached = true;
    this.#listener.onError(
      new ArchiveError(
        `No image became available on the live subscription within ${this.#messageTimeoutMs}ms. This could be ` +
          'caused by the publisher being down, or by a misconfiguration of the subscriber or a firewall between them.',
      ),
    );
  }

  #advanceLastObservedLivePosition(livePosition: number): void {
    if (livePosition > this.#lastObservedLivePosition) this.#lastObservedLivePosition = livePosition;
  }

  /** Java `cleanUpReplay`: StopReplayRequest is offered at once (not queued), its answer is not awaited. */
  #cleanUpReplay(): void {
    if (this.#replaySessionId !== NULL_REPLAY_SESSION_ID) {
      this.#connection.trySendStopReplayRequest(this.#replaySessionId);
      this.#replaySessionId = NULL_REPLAY_SESSION_ID;
    }
  }

  #cleanUpReplaySubscription(): void {
    if (this.#replaySubscriptionId !== NULL_VALUE) this.#removeSubscription(this.#replaySubscriptionId);
    this.#replaySubscription?.close();
    const responseReplay = this.#responseReplay;
    if (responseReplay !== null) this.#stopWhenDone(responseReplay);
    this.#responseReplay = null;
    this.#replaySubscriptionId = NULL_VALUE;
    this.#replaySubscription = null;
    this.#replayImage = null;
  }

  /** A response-channel replay abandoned while being set up: stopped and its subscription closed once started. */
  #stopWhenDone(pending: Pending<StartedReplay>): void {
    const check = (): void => {
      if (!pending.done) {
        setTimeout(check, 10).unref?.();
        return;
      }
      const started = pending.value;
      if (started === null) return;
      this.#connection.trySendStopReplayRequest(started.replaySessionId);
      started.subscription.close();
    };
    check();
  }

  #cleanUpLiveSubscription(): void {
    if (this.#liveSubscriptionId !== NULL_VALUE) this.#removeSubscription(this.#liveSubscriptionId);
    this.#liveSubscription?.close();
    this.#liveSubscriptionId = NULL_VALUE;
    this.#liveSubscription = null;
    this.#liveImage = null;
  }

  /** Java `asyncRemoveSubscription` of a subscription still being added. */
  #removeSubscription(registrationId: number): void {
    if (this.aeron.isClosed) return;
    this.aeron.removeSubscription(registrationId).catch(() => {});
  }

  #setJoinDifference(value: number): void {
    this.#joinDifference = value;
    const counter = this.#counters.joinDifference;
    if (!counter.isClosed) counter.set(value);
  }

  #setState(state: PersistentSubscriptionState): void {
    if (state === this.#state) return;
    this.#state = state;
    const counter = this.#counters.state;
    if (!counter.isClosed) counter.set(PERSISTENT_SUBSCRIPTION_STATE_CODES[state]);
    if (state === 'FAILED') this.#connection.close();
  }

  #onLiveJoined(): void {
    if (!this.#counters.liveJoined.isClosed) this.#counters.liveJoined.increment();
    this.#listener.onLiveJoined();
  }

  #onLiveLeft(): void {
    if (!this.#counters.liveLeft.isClosed) this.#counters.liveLeft.increment();
    this.#listener.onLiveLeft();
  }

  #onTerminalError(error: unknown): void {
    this.#failureReason = error;
    this.#listener.onError(error);
  }
}
