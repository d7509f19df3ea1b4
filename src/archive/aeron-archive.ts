/**
 * The Aeron Archive client (Java `AeronArchive`, 1.51.0) with a Promise API.
 *
 * Requests are serialised as Java's lock serialises them: one request is in flight at a time, the rest wait
 * in a queue. A single timer services the control session on the event loop:
 *
 * ```
 *   queue ──start──▶ in flight: send (ArchiveProxy) ─▶ poll for its answer (ControlResponsePoller or a
 *                                                      descriptor poller) ─▶ resolve / reject
 *                    between polls: wait context.idleStrategy.idle(workCount) ms (0 = setImmediate), reset
 *                    when a call starts (Java `pollForResponse`'s idle strategy)
 *   idle: poll the response stream every idleServiceIntervalMs: recording signals → consumer + iterators,
 *         ERRORs for other requests → errorHandler (or queued for pollForErrorResponse/checkForErrorResponse),
 *         Pings and late answers are consumed so the archive never sees a stalled session.
 * ```
 *
 * The 1.51.0 client sends no periodic keepalives: the archive only closes a session it cannot send to for its
 * connect timeout, which the idle service prevents by consuming the stream. Each call takes `{ signal, timeoutMs }`:
 * an AbortSignal and a per-call deadline; the message timeout (default 10 s) applies to every wait as in Java.
 *
 * **Aborts** stop the wait, as a Java `TimeoutException` does, not the archive: a request already sent may still
 * be carried out (a recording started, a replay begun); its late answer is consumed and dropped. What the call
 * made on the client side is released (the Aeron client `connect` made, the publication `addRecordedPublication`
 * added, the subscription and request publication of `replay`; a replay already started by `replay` is stopped).
 *
 * **64-bit ids** are exact. Replay session ids (`(replayId << 32) | imageSessionId`, past 2^53 after about 2^21
 * replays on one archive) and the archive id (any long the archive is configured with) are `bigint`. Every other
 * id or position is a `number` whose bound is stated on its method; a response carrying a value a number cannot
 * hold exactly is refused with `ArchiveValueRangeError`, never rounded. The table is in
 * `docs/archive-api-coverage.md` ("64-bit ids and positions").
 *
 * **Callbacks** (the recording signal consumer, listing consumers, the error handler) run inside the session's
 * poll. From them, requests are queued behind the call in flight and `close()` is safe (the response channel is
 * closed once the poll returns); the synchronous polls (`pollForErrorResponse`, `checkForErrorResponse`,
 * `pollForRecordingSignals`) throw `ArchiveReentrantCallError`.
 */
import { ControlResponseCode, SourceLocation } from '../../codecs/generated/archive/index.ts';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { Aeron } from '../client/aeron.ts';
import { ChannelUri } from '../client/channel-uri.ts';
import type { ConcurrentPublication } from '../client/concurrent-publication.ts';
import type { AvailableImageHandler, UnavailableImageHandler } from '../client/conductor-contract.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import type { Publication } from '../client/publication.ts';
import type { Subscription } from '../client/subscription.ts';
import { abortable, type StepBounds } from './abortable.ts';
import { AeronControlPublication, AeronControlTransport } from './aeron-transport.ts';
import { type ArchiveContext, ArchiveDefaults, type ArchiveOptions, isControlModeResponse } from './archive-context.ts';
import {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveErrorCode,
  ArchiveNotConnectedError,
  ArchiveReentrantCallError,
  ArchiveTimeoutError,
  ArchiveValueRangeError,
} from './archive-error.ts';
import { ArchiveIdleStrategies, type ArchiveIdleStrategy, idleAfter } from './archive-idle-strategy.ts';
import type { ArchiveProxy } from './archive-proxy.ts';
import { AsyncConnect } from './async-connect.ts';
import { AsyncEventQueue } from './async-event-queue.ts';
import type { ControlResponsePoller } from './control-response-poller.ts';
import type {
  RecordingDescriptor,
  RecordingDescriptorConsumer,
  RecordingSubscriptionDescriptor,
  RecordingSubscriptionDescriptorConsumer,
} from './recording-descriptor.ts';
import { RecordingDescriptorPoller } from './recording-descriptor-poller.ts';
import { type RecordingSignalEvent, recordingSignalName } from './recording-signal.ts';
import { RecordingSubscriptionDescriptorPoller } from './recording-subscription-descriptor-poller.ts';
import { type ReplayParams, resolveReplayParams } from './replay-params.ts';
import { type ReplicationParams, resolveReplicationParams } from './replication-params.ts';
import { segmentFileBasePosition } from './segment-position.ts';

/** Per-call options. */
export interface CallOptions {
  /**
   * Rejects the call with `ArchiveAbortedError` (cause = `signal.reason`) when it aborts, at once when it already
   * has. The archive may still carry out a request already sent (see the class comment).
   */
  readonly signal?: AbortSignal;
  /** Overall deadline for this call in ms (from the call), on top of the message timeout. */
  readonly timeoutMs?: number;
}

/** Recording call options: `autoStop` selects the `*Request2` form. */
export interface RecordingCallOptions extends CallOptions {
  /** Sends StartRecordingRequest2 / ExtendRecordingRequest2 with this autoStop flag. */
  readonly autoStop?: boolean;
}

/** Java `AeronArchive.State`. */
export type AeronArchiveState = 'CONNECTED' | 'DISCONNECTED' | 'CLOSED';

/** A replay started by `replayWithSessionId()`: its subscription and the archive's replay session id. */
export interface StartedReplay {
  /** The replay subscription (the replay channel with `session-id`, or the response channel); the caller's to close. */
  readonly subscription: Subscription;
  /**
   * The ReplayRequest's relevantId, exact: Java's `(replayId << 32) | imageSessionId`. Its low 32 bits are the
   * replay image's session id ({@link replayImageSessionId}); pass it whole to `stopReplay`.
   */
  readonly replaySessionId: bigint;
}

/** Options of {@link AeronArchive.awaitRecordingPosition}. */
export interface AwaitRecordingPositionOptions extends CallOptions {
  /**
   * Paces the position requests: `idle(0)` after each answer that is short of the position, `reset()` at the
   * start. Default: a backoff from 1 ms to 16 ms between requests.
   */
  readonly idleStrategy?: ArchiveIdleStrategy;
}

/** Image handlers for the replay subscription made by `replay()`. */
export interface ReplaySubscriptionOptions extends CallOptions {
  /** Called when the replay image joins; omitted: the client context's handler; `null`: none. */
  readonly availableImageHandler?: AvailableImageHandler | null;
  /** Called when the replay image leaves; omitted: the client context's handler; `null`: none. */
  readonly unavailableImageHandler?: UnavailableImageHandler | null;
}

const NULL_VALUE = -1;
const MAX_QUEUED_ERRORS = 128;
const MESSAGES_PER_TICK = 100;
const NOT_CONNECTED_MSG = 'not connected';

type OpKind = 'response' | 'descriptors' | 'subscriptionDescriptors';

interface Operation {
  readonly name: string;
  readonly kind: OpKind;
  readonly send: (correlationId: number) => boolean;
  /** For `try*` calls: this ERROR code resolves `false` instead of rejecting. */
  readonly allowedErrorCode: number;
  readonly count: number;
  readonly descriptorConsumer: RecordingDescriptorConsumer | null;
  readonly subscriptionConsumer: RecordingSubscriptionDescriptorConsumer | null;
  readonly resolve: (value: number) => void;
  readonly reject: (error: unknown) => void;
  /** When set, an OK response stores its relevantId here exactly (the replay token, replay session ids). */
  readonly exactRelevantId: { value: bigint } | null;
  readonly callDeadlineMs: number;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  correlationId: number;
  messageDeadlineMs: number;
  remaining: number;
}

/**
 * The archive client (Java `AeronArchive`): one control session, its requests as Promises, its recording signals
 * and errors. Made by {@link AeronArchive.connect} or {@link AeronArchive.asyncConnect}; `close()` or `using`.
 */
export class AeronArchive {
  private _state: AeronArchiveState = 'CONNECTED';
  private _lastCorrelationId = NULL_VALUE;
  private readonly queue: Operation[] = [];
  private current: Operation | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  /** Messages (fragments) consumed by the current tick: the idle strategy's work count. */
  private workCount = 0;
  private timerDueMs = Number.POSITIVE_INFINITY;
  private readonly errors: ArchiveError[] = [];
  private readonly signalIterators = new Set<AsyncEventQueue<RecordingSignalEvent>>();
  private readonly listingIterators = new Set<{ end(error?: unknown): void }>();
  private readonly descriptorPoller: RecordingDescriptorPoller;
  private readonly subscriptionDescriptorPoller: RecordingSubscriptionDescriptorPoller;
  private signalsThisPoll = 0;
  private readonly onSignal = (event: RecordingSignalEvent): void => this.dispatchSignal(event);
  /** The client `connect` made from `aeronDir`, closed with this archive client. */
  private ownedAeron: Aeron | null = null;
  /** > 0 while the session is being polled (callbacks may run): synchronous polls are refused, close deferred. */
  private pollDepth = 0;
  /** `close()` ran inside a poll: the response channel (and an owned client) close when the poll returns. */
  private channelsToClose = false;
  /** While `pollForErrorResponse` polls: the first unmatched ERROR, returned instead of going to the handler. */
  private capturing: { error: ArchiveError | null } | null = null;

  /**
   * Connects (Java `AeronArchive.connect`): resolves once the control session is established. The control
   * channels are opened over `options.aeron`, or over a client connected to `options.aeronDir` that this
   * archive client then owns, or over `options.transport` (tests).
   *
   * `callOptions.signal` and `timeoutMs` bound every step, the Aeron client's own connect included (without a
   * driver that would otherwise wait the driver timeout): the call rejects with `ArchiveAbortedError` /
   * `ArchiveTimeoutError` and closes what it opened, a client that connects after the abort included.
   */
  static async connect(options: ArchiveOptions, callOptions: CallOptions = {}): Promise<AeronArchive> {
    if (options.transport !== undefined) return AsyncConnect.connect(options, callOptions);
    const { signal } = callOptions;
    if (signal?.aborted) throw new ArchiveAbortedError('archive connect aborted', { cause: signal.reason });
    const clock = options.clock ?? (() => performance.now());
    const deadlineMs = callOptions.timeoutMs === undefined ? Number.POSITIVE_INFINITY : clock() + callOptions.timeoutMs;
    const bounds = (): StepBounds => ({ signal, remainingMs: deadlineMs - clock() });
    let aeron = options.aeron ?? null;
    let owned: Aeron | null = null;
    if (aeron === null) {
      if (options.aeronDir === undefined) {
        throw new ArchiveError('AeronArchive.Context needs an aeron client, aeronDir or transport');
      }
      // The client's connect takes the signal (it stops and unmaps on an abort); the race adds the deadline and
      // turns either into the archive's typed errors. A client that connects after all that is closed.
      owned = await abortable(
        Aeron.connect({
          clientName:
            options.clientName === undefined || options.clientName === '' ? 'archive-client' : options.clientName,
          ...options.aeronOptions,
          aeronDir: options.aeronDir,
          ...(signal === undefined ? {} : { signal }),
        }),
        'archive connect',
        bounds(),
        (late) => late.close(),
      );
      aeron = owned;
    }
    try {
      const sessionId = isControlModeResponse(options.controlResponseChannel)
        ? undefined
        : await abortable(
            aeron.nextSessionId(options.controlRequestStreamId ?? ArchiveDefaults.CONTROL_STREAM_ID, { signal }),
            'archive connect',
            bounds(),
          );
      const transport = new AeronControlTransport(aeron, sessionId);
      const remainingMs = deadlineMs - clock();
      const archive = await AsyncConnect.connect(
        { ...options, aeron, transport },
        remainingMs === Number.POSITIVE_INFINITY
          ? { ...(signal === undefined ? {} : { signal }) }
          : { ...(signal === undefined ? {} : { signal }), timeoutMs: Math.max(0, remainingMs) },
      );
      if (owned !== null) archive.ownedAeron = owned;
      return archive;
    } catch (error) {
      owned?.close();
      throw error;
    }
  }

  /** The Aeron client this archive client uses (throws when it was made over a bare transport). */
  get aeron(): Aeron {
    const aeron = this.context.aeron;
    if (aeron === null) throw new ArchiveError('this AeronArchive has no Aeron client (made over a bare transport)');
    return aeron;
  }

  /** Starts a connect that the caller drives with `poll()` (Java `AeronArchive.asyncConnect`). */
  static asyncConnect(options: ArchiveOptions): AsyncConnect {
    return new AsyncConnect(options);
  }

  /**
   * Made by `AsyncConnect` once the session is established.
   *
   * @param context the concluded options (Java `AeronArchive.context()`).
   * @param controlResponsePoller reads the control response subscription.
   * @param archiveProxy sends the requests on the control request publication.
   * @param controlSessionId the archive's id of this session: from a counter that starts below 2^31 at archive
   *   start and counts sessions and replications, so below 2^53 (a `number`).
   * @param archiveId the archive's id (Java `archiveId()`), -1n from an archive older than 1.11.0: any long the
   *   archive is configured with (`aeron.archive.id`), so a `bigint`.
   */
  constructor(
    readonly context: ArchiveContext,
    private readonly controlResponsePoller: ControlResponsePoller,
    private readonly archiveProxy: ArchiveProxy,
    readonly controlSessionId: number,
    readonly archiveId: bigint,
  ) {
    const subscription = controlResponsePoller.subscription;
    this.descriptorPoller = new RecordingDescriptorPoller(
      subscription,
      controlSessionId,
      context.errorHandler,
      this.onSignal,
    );
    this.subscriptionDescriptorPoller = new RecordingSubscriptionDescriptorPoller(
      subscription,
      controlSessionId,
      context.errorHandler,
      this.onSignal,
    );
    if (context.ownsAeronClient) this.ownedAeron = context.aeron;
    this.schedule(context.idleServiceIntervalMs);
  }

  /**
   * Java `AeronArchive.segmentFileBasePosition`: the stream position at the start of the segment file that holds
   * `position`, for a recording starting at `startPosition` (the base can be before the start when the recording
   * starts inside a term). `termBufferLength` and `segmentFileLength` are powers of two, the segment a multiple
   * of the term.
   */
  static segmentFileBasePosition(
    startPosition: number,
    position: number,
    termBufferLength: number,
    segmentFileLength: number,
  ): number {
    return segmentFileBasePosition(startPosition, position, termBufferLength, segmentFileLength);
  }

  /** Java `state()`: CONNECTED, DISCONNECTED (the response stream was lost; final) or CLOSED. */
  state(): AeronArchiveState {
    return this._state;
  }

  /**
   * Java `controlResponsePoller().subscription().isConnected()`, as `AsyncAeronArchive` checks it every duty
   * cycle: true while the session is open and the control response stream from the archive is connected. When
   * that stream is gone the client becomes `DISCONNECTED` (its next request rejects with
   * `ArchiveNotConnectedError`), so a lost archive is noticed without sending a request.
   */
  isConnected(): boolean {
    if (this._state !== 'CONNECTED') return false;
    if (this.controlResponsePoller.subscription.isConnected()) return true;
    this.setState('DISCONNECTED');
    return false;
  }

  /**
   * Correlation id of the last request sent: from the driver's correlation counter (+1 per command from 0 at
   * driver start), below 2^53.
   */
  lastCorrelationId(): number {
    return this._lastCorrelationId;
  }

  // ---------------------------------------------------------------- recording

  /**
   * Starts recording a channel/stream; resolves the recording subscription's registration id (a driver
   * correlation id, below 2^53; a larger value rejects with `ArchiveValueRangeError`).
   */
  startRecording(
    channel: string,
    streamId: number,
    sourceLocation: SourceLocation,
    options: RecordingCallOptions = {},
  ): Promise<number> {
    return this.request('start recording', options, (c) =>
      this.archiveProxy.startRecording(channel, streamId, sourceLocation, options.autoStop, c, this.controlSessionId),
    );
  }

  /** Extends an existing recording; resolves the recording subscription's registration id (as `startRecording`). */
  extendRecording(
    recordingId: number,
    channel: string,
    streamId: number,
    sourceLocation: SourceLocation,
    options: RecordingCallOptions = {},
  ): Promise<number> {
    return this.request('extend recording', options, (c) =>
      this.archiveProxy.extendRecording(
        channel,
        streamId,
        sourceLocation,
        options.autoStop,
        recordingId,
        c,
        this.controlSessionId,
      ),
    );
  }

  /** Stops the recording subscription of a channel and stream (ERROR UNKNOWN_SUBSCRIPTION when there is none). */
  async stopRecording(channel: string, streamId: number, options: CallOptions = {}): Promise<void> {
    await this.request('stop recording', options, (c) =>
      this.archiveProxy.stopRecording(channel, streamId, c, this.controlSessionId),
    );
  }

  /** Resolves false when the archive answers UNKNOWN_SUBSCRIPTION. */
  async tryStopRecording(channel: string, streamId: number, options: CallOptions = {}): Promise<boolean> {
    const result = await this.request(
      'stop recording',
      options,
      (c) => this.archiveProxy.stopRecording(channel, streamId, c, this.controlSessionId),
      ArchiveErrorCode.UNKNOWN_SUBSCRIPTION,
    );
    return result !== ALLOWED_ERROR;
  }

  /** Java `stopRecording(subscriptionId)`: stops the recording subscription `startRecording` resolved. */
  async stopRecordingBySubscriptionId(subscriptionId: number, options: CallOptions = {}): Promise<void> {
    await this.request('stop recording', options, (c) =>
      this.archiveProxy.stopRecordingSubscription(subscriptionId, c, this.controlSessionId),
    );
  }

  /** Resolves false when the archive answers UNKNOWN_SUBSCRIPTION. */
  async tryStopRecordingBySubscriptionId(subscriptionId: number, options: CallOptions = {}): Promise<boolean> {
    const result = await this.request(
      'stop recording',
      options,
      (c) => this.archiveProxy.stopRecordingSubscription(subscriptionId, c, this.controlSessionId),
      ArchiveErrorCode.UNKNOWN_SUBSCRIPTION,
    );
    return result !== ALLOWED_ERROR;
  }

  /** Stops every recording subscription of a recording; false when none was active (relevantId 0). */
  async tryStopRecordingByIdentity(recordingId: number, options: CallOptions = {}): Promise<boolean> {
    const result = await this.request('stop recording', options, (c) =>
      this.archiveProxy.stopRecordingByIdentity(recordingId, c, this.controlSessionId),
    );
    return result !== 0;
  }

  /**
   * Java `addRecordedPublication`: adds a publication and records its session (`channel|session-id=<id>`,
   * LOCAL). Throws when the publication was already added by this client (not the original).
   */
  async addRecordedPublication(
    channel: string,
    streamId: number,
    options: CallOptions = {},
  ): Promise<ConcurrentPublication> {
    this.ensureOpen();
    const publication = await abortable(
      this.aeron.addPublication(channel, streamId, { signal: options.signal }),
      'add recorded publication',
      { signal: options.signal },
      (late) => late.close(),
    );
    try {
      if (!publication.isOriginal) {
        throw new ArchiveError(`publication already added for channel=${channel} streamId=${streamId}`);
      }
      await this.startRecording(
        ChannelUri.addSessionId(channel, publication.sessionId),
        streamId,
        SourceLocation.LOCAL,
        options,
      );
      return publication;
    } catch (error) {
      publication.close();
      throw error;
    }
  }

  /** Java `addRecordedExclusivePublication`: as `addRecordedPublication` with an exclusive publication. */
  async addRecordedExclusivePublication(
    channel: string,
    streamId: number,
    options: CallOptions = {},
  ): Promise<ExclusivePublication> {
    this.ensureOpen();
    const publication = await abortable(
      this.aeron.addExclusivePublication(channel, streamId, { signal: options.signal }),
      'add recorded publication',
      { signal: options.signal },
      (late) => late.close(),
    );
    try {
      await this.startRecording(
        ChannelUri.addSessionId(channel, publication.sessionId),
        streamId,
        SourceLocation.LOCAL,
        options,
      );
      return publication;
    } catch (error) {
      publication.close();
      throw error;
    }
  }

  /** Java `stopRecording(Publication)`: stops the session-specific recording of a publication. */
  stopRecordingPublication(publication: Publication, options: CallOptions = {}): Promise<void> {
    return this.stopRecording(
      ChannelUri.addSessionId(publication.channel, publication.sessionId),
      publication.streamId,
      options,
    );
  }

  // ---------------------------------------------------------------- replay

  /**
   * Java `replay(...)`: starts a replay and adds the subscription for it: the replay channel with
   * `session-id=<low 32 bits of the replay session id>`. With `replayParams.boundingLimitCounterId` the replay is
   * bounded. A `control-mode=response` replay channel is replayed over a response channel with a replay token.
   */
  async replay(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams = {},
    options: ReplaySubscriptionOptions = {},
  ): Promise<Subscription> {
    const started = await this.replayWithSessionId(recordingId, replayChannel, replayStreamId, replayParams, options);
    return started.subscription;
  }

  /**
   * As {@link replay}, also resolving the replay session id the archive answered the ReplayRequest with, for
   * `stopReplay` / `trySendStopReplayRequest` (Java's `replay()` returns only the subscription; its
   * PersistentSubscription reads the session id from the ReplayRequest's response, on a response channel too).
   */
  async replayWithSessionId(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams = {},
    options: ReplaySubscriptionOptions = {},
  ): Promise<StartedReplay> {
    this.ensureOpen();
    const aeron = this.aeron;
    if (isControlModeResponse(replayChannel)) {
      return this.replayViaResponseChannel(recordingId, replayChannel, replayStreamId, replayParams, options);
    }
    const replaySessionId = await this.startReplayWithParams(
      recordingId,
      replayChannel,
      replayStreamId,
      replayParams,
      options,
    );
    try {
      const subscription = await abortable(
        aeron.addSubscription(replayChannelFor(replayChannel, replaySessionId), replayStreamId, {
          availableImageHandler: options.availableImageHandler,
          unavailableImageHandler: options.unavailableImageHandler,
          signal: options.signal,
        }),
        'replay',
        { signal: options.signal },
        (late) => late.close(),
      );
      return { subscription, replaySessionId };
    } catch (error) {
      this.trySendStopReplayRequest(replaySessionId);
      throw error;
    }
  }

  /**
   * Java `replayViaResponseChannel`: ReplayTokenRequest on the control session, then the replay subscription
   * (the `control-mode=response` channel), then ReplayRequest (with the token) on a fresh exclusive publication
   * to the archive's control endpoint with `response-correlation-id=<subscription registration id>`.
   * The 1.51.0 archive's replay token is a random 64-bit long: it is read exactly (bigint) from the response's
   * relevantId and written exactly into the ReplayRequest.
   */
  private async replayViaResponseChannel(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams,
    options: ReplaySubscriptionOptions,
  ): Promise<StartedReplay> {
    const aeron = this.aeron;
    const replayToken = await this.requestReplayToken(recordingId, options);
    const subscription = await abortable(
      aeron.addSubscription(replayChannel, replayStreamId, {
        availableImageHandler: options.availableImageHandler,
        unavailableImageHandler: options.unavailableImageHandler,
        signal: options.signal,
      }),
      'replay',
      { signal: options.signal },
      (late) => late.close(),
    );
    let publication: ExclusivePublication | null = null;
    let replaySessionId: bigint | null = null;
    try {
      publication = await abortable(
        aeron.addExclusivePublication(
          responseRequestChannel(this.context.controlRequestChannel, subscription.registrationId),
          this.context.controlRequestStreamId,
          { signal: options.signal },
        ),
        'replay',
        { signal: options.signal },
        (late) => late.close(),
      );
      const ready = publication;
      await this.waitFor(
        () => ready.isConnected() && ready.positionLimit() > 0,
        'timed out waiting for replay publication to connect',
        options,
      );
      const proxy = this.archiveProxy.withPublication(new AeronControlPublication(ready));
      const params = resolveReplayParams({ ...replayParams, replayToken });
      replaySessionId = await this.requestExact('replay', options, (c) =>
        proxy.replay(recordingId, replayChannel, replayStreamId, params, c, this.controlSessionId),
      );
      await this.waitFor(() => subscription.isConnected(), 'timed out waiting for replay to connect', options);
      return { subscription, replaySessionId };
    } catch (error) {
      if (replaySessionId !== null) this.trySendStopReplayRequest(replaySessionId);
      subscription.close();
      throw error;
    } finally {
      publication?.close();
    }
  }

  /**
   * Polls `condition` on the event loop until true, the message timeout, the call deadline or an abort, paced by
   * the idle strategy (a fresh wait: reset first).
   */
  private waitFor(condition: () => boolean, message: string, options: CallOptions): Promise<void> {
    const clock = this.context.clock;
    const idleStrategy = this.context.idleStrategy;
    const deadline = clock() + Math.min(this.context.messageTimeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
    idleStrategy.reset();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this._state === 'CLOSED') reject(new ArchiveClosedError());
        else if (options.signal?.aborted) reject(new ArchiveAbortedError(message, { cause: options.signal.reason }));
        else if (condition()) resolve();
        else if (clock() > deadline) reject(new ArchiveTimeoutError(message));
        else idleAfter(idleStrategy.idle(0), check);
      };
      check();
    });
  }

  /**
   * ReplayRequest (Java `startReplay(recordingId, position, length, replayChannel, replayStreamId)`); resolves
   * the replay session id, exact: `(replayId << 32) | imageSessionId`, past 2^53 after about 2^21 replays on one
   * archive. The replay image's session id is its low 32 bits ({@link replayImageSessionId}).
   */
  startReplay(
    recordingId: number,
    position: number,
    length: number,
    replayChannel: string,
    replayStreamId: number,
    options?: CallOptions,
  ): Promise<bigint>;
  /**
   * ReplayRequest with Java `ReplayParams` (Java `startReplay(recordingId, replayChannel, replayStreamId,
   * replayParams)`; bounded when `boundingLimitCounterId` is set); resolves the replay session id as above.
   * Replays over a `control-mode=response` channel need a response publication: use {@link replay}.
   */
  startReplay(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams?: ReplayParams,
    options?: CallOptions,
  ): Promise<bigint>;
  startReplay(
    recordingId: number,
    positionOrChannel: number | string,
    lengthOrStreamId: number,
    channelOrParams?: string | ReplayParams,
    streamIdOrOptions?: number | CallOptions,
    lastOptions: CallOptions = {},
  ): Promise<bigint> {
    if (typeof positionOrChannel === 'string') {
      const replayParams = typeof channelOrParams === 'object' ? channelOrParams : {};
      const options = typeof streamIdOrOptions === 'object' ? streamIdOrOptions : {};
      return this.startReplayWithParams(recordingId, positionOrChannel, lengthOrStreamId, replayParams, options);
    }
    if (typeof channelOrParams !== 'string' || typeof streamIdOrOptions !== 'number') {
      return Promise.reject(
        new InvalidArgumentError(
          'startReplay(recordingId, position, length, replayChannel, replayStreamId) or ' +
            'startReplay(recordingId, replayChannel, replayStreamId, replayParams)',
        ),
      );
    }
    const params = resolveReplayParams({ position: positionOrChannel, length: lengthOrStreamId });
    return this.requestExact('replay', lastOptions, (c) =>
      this.archiveProxy.replay(recordingId, channelOrParams, streamIdOrOptions, params, c, this.controlSessionId),
    );
  }

  /**
   * BoundedReplayRequest: the replay does not pass the value of counter `limitCounterId`. Resolves the replay
   * session id, exact (as {@link startReplay}).
   */
  startBoundedReplay(
    recordingId: number,
    position: number,
    length: number,
    limitCounterId: number,
    replayChannel: string,
    replayStreamId: number,
    options: CallOptions = {},
  ): Promise<bigint> {
    const params = resolveReplayParams({ position, length, boundingLimitCounterId: limitCounterId });
    return this.requestExact('bounded replay', options, (c) =>
      this.archiveProxy.replay(recordingId, replayChannel, replayStreamId, params, c, this.controlSessionId),
    );
  }

  /**
   * Replay with Java `ReplayParams` (bounded when `boundingLimitCounterId` is set): the same as the
   * `startReplay(recordingId, replayChannel, replayStreamId, replayParams)` form. Resolves the replay session id,
   * exact. Replays over a `control-mode=response` channel need the Aeron client (a response publication) and are
   * not handled here: use {@link replay}.
   */
  startReplayWithParams(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams = {},
    options: CallOptions = {},
  ): Promise<bigint> {
    let params: ReturnType<typeof resolveReplayParams>;
    try {
      params = resolveReplayParams(replayParams);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.requestExact('replay', options, (c) =>
      this.archiveProxy.replay(recordingId, replayChannel, replayStreamId, params, c, this.controlSessionId),
    );
  }

  /**
   * Java `archiveProxy().stopReplay(...)` as `AsyncAeronArchive.trySendStopReplayRequest` uses it: offers a
   * StopReplayRequest at once, outside the request queue, and does not wait for its response (an ERROR answer
   * is an unmatched error: `pollForErrorResponse` / the error handler). False when closed, disconnected or the
   * offer failed.
   */
  trySendStopReplayRequest(replaySessionId: bigint): boolean {
    if (this._state !== 'CONNECTED') return false;
    const correlationId = this.context.transport.nextCorrelationId();
    try {
      return this.archiveProxy.stopReplay(replaySessionId, correlationId, this.controlSessionId);
    } catch {
      return false;
    }
  }

  /** StopReplayRequest for the replay session id a replay call resolved (exact, as the archive sent it). */
  async stopReplay(replaySessionId: bigint, options: CallOptions = {}): Promise<void> {
    await this.request('stop replay', options, (c) =>
      this.archiveProxy.stopReplay(replaySessionId, c, this.controlSessionId),
    );
  }

  /** Stops all replays of a recording, or of every recording with -1. */
  async stopAllReplays(recordingId: number, options: CallOptions = {}): Promise<void> {
    await this.request('stop all replays', options, (c) =>
      this.archiveProxy.stopAllReplays(recordingId, c, this.controlSessionId),
    );
  }

  /**
   * ReplayTokenRequest (for replays over response channels); resolves the token, a random 64-bit value
   * read exactly as a bigint.
   */
  requestReplayToken(recordingId: number, options: CallOptions = {}): Promise<bigint> {
    return this.requestExact('replay token', options, (c) =>
      this.archiveProxy.requestReplayToken(c, this.controlSessionId, recordingId),
    );
  }

  // ---------------------------------------------------------------- listing

  /** Lists up to `recordCount` recordings from `fromRecordingId`; resolves how many were delivered. */
  listRecordings(
    fromRecordingId: number,
    recordCount: number,
    consumer: RecordingDescriptorConsumer,
    options: CallOptions = {},
  ): Promise<number> {
    return this.listing('descriptors', 'list recordings', recordCount, consumer, null, options, (c) =>
      this.archiveProxy.listRecordings(fromRecordingId, recordCount, c, this.controlSessionId),
    );
  }

  /**
   * Lists up to `recordCount` recordings from `fromRecordingId` whose channel contains `channelFragment` on
   * `streamId`; resolves how many were delivered to `consumer` (called inside the session's poll).
   */
  listRecordingsForUri(
    fromRecordingId: number,
    recordCount: number,
    channelFragment: string,
    streamId: number,
    consumer: RecordingDescriptorConsumer,
    options: CallOptions = {},
  ): Promise<number> {
    return this.listing('descriptors', 'list recordings', recordCount, consumer, null, options, (c) =>
      this.archiveProxy.listRecordingsForUri(
        fromRecordingId,
        recordCount,
        channelFragment,
        streamId,
        c,
        this.controlSessionId,
      ),
    );
  }

  /** Resolves 1 when the recording exists (its descriptor went to `consumer`), else 0. */
  listRecording(recordingId: number, consumer: RecordingDescriptorConsumer, options: CallOptions = {}) {
    return this.listing('descriptors', 'list recording', 1, consumer, null, options, (c) =>
      this.archiveProxy.listRecording(recordingId, c, this.controlSessionId),
    );
  }

  /**
   * Lists up to `subscriptionCount` active recording subscriptions from `pseudoIndex` whose channel contains
   * `channelFragment` (and on `streamId` when `applyStreamId`); resolves how many were delivered.
   */
  listRecordingSubscriptions(
    pseudoIndex: number,
    subscriptionCount: number,
    channelFragment: string,
    streamId: number,
    applyStreamId: boolean,
    consumer: RecordingSubscriptionDescriptorConsumer,
    options: CallOptions = {},
  ): Promise<number> {
    return this.listing(
      'subscriptionDescriptors',
      'list recording subscriptions',
      subscriptionCount,
      null,
      consumer,
      options,
      (c) =>
        this.archiveProxy.listRecordingSubscriptions(
          pseudoIndex,
          subscriptionCount,
          channelFragment,
          streamId,
          applyStreamId,
          c,
          this.controlSessionId,
        ),
    );
  }

  /** `listRecordings` as an async iterator; ends after the last descriptor, throws the listing's error. */
  recordings(fromRecordingId: number, recordCount: number, options: CallOptions = {}) {
    return this.iterate<RecordingDescriptor>((push) =>
      this.listRecordings(fromRecordingId, recordCount, push, options),
    );
  }

  /** `listRecordingsForUri` as an async iterator; ends after the last descriptor, throws the listing's error. */
  recordingsForUri(
    fromRecordingId: number,
    recordCount: number,
    channelFragment: string,
    streamId: number,
    options: CallOptions = {},
  ): AsyncIterableIterator<RecordingDescriptor> {
    return this.iterate<RecordingDescriptor>((push) =>
      this.listRecordingsForUri(fromRecordingId, recordCount, channelFragment, streamId, push, options),
    );
  }

  /** `listRecordingSubscriptions` as an async iterator; ends after the last one, throws the listing's error. */
  recordingSubscriptions(
    pseudoIndex: number,
    subscriptionCount: number,
    channelFragment: string,
    streamId: number,
    applyStreamId: boolean,
    options: CallOptions = {},
  ): AsyncIterableIterator<RecordingSubscriptionDescriptor> {
    return this.iterate<RecordingSubscriptionDescriptor>((push) =>
      this.listRecordingSubscriptions(
        pseudoIndex,
        subscriptionCount,
        channelFragment,
        streamId,
        applyStreamId,
        push,
        options,
      ),
    );
  }

  // ---------------------------------------------------------------- positions and catalog

  /**
   * Start position of a recording. Positions are multiples of 32 up to `termLength · 2^31`: exact as numbers
   * for term lengths up to 128 MiB (below 2^58); a value beyond that rejects with `ArchiveValueRangeError`.
   */
  getStartPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('get start position', options, (c) =>
      this.archiveProxy.getStartPosition(recordingId, c, this.controlSessionId),
    );
  }

  /** Recorded position of an active recording, or -1 (NULL_POSITION) when not active (exact: see `getStartPosition`). */
  getRecordingPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('get recording position', options, (c) =>
      this.archiveProxy.getRecordingPosition(recordingId, c, this.controlSessionId),
    );
  }

  /** Stop position, or -1 (NULL_POSITION) while the recording is active (exact: see `getStartPosition`). */
  getStopPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('get stop position', options, (c) =>
      this.archiveProxy.getStopPosition(recordingId, c, this.controlSessionId),
    );
  }

  /** Recorded position while active, else the stop position (exact: see `getStartPosition`). */
  getMaxRecordedPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('get max recorded position', options, (c) =>
      this.archiveProxy.getMaxRecordedPosition(recordingId, c, this.controlSessionId),
    );
  }

  /**
   * Resolves once the archive has recorded a recording up to `position`: its recording position while active,
   * or its stop position once stopped, reaches `position`; resolves that position.
   *
   * Call it before `stopRecording` when everything published must be in the recording: the archive writes what
   * its image has received asynchronously, and stopping a recording aborts what it has not written yet, so a stop
   * right after the last `offer` can lose the tail (the Java client behaves the same). Wait for the publication's
   * position (`publication.position()` after the last offer) first.
   *
   * Asks `getRecordingPosition` (and `getStopPosition` when the recording is not active) one request at a time,
   * idling `options.idleStrategy` between answers (default 1 ms doubling to 16 ms). Rejects with
   * `ArchiveTimeoutError` after `options.timeoutMs` (default the message timeout), `ArchiveAbortedError` on an
   * abort, and `ArchiveError` at once when the recording stopped short of `position` (it can only get there if
   * extended) or the archive does not know it (UNKNOWN_RECORDING).
   */
  async awaitRecordingPosition(
    recordingId: number,
    position: number,
    options: AwaitRecordingPositionOptions = {},
  ): Promise<number> {
    const clock = this.context.clock;
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.context.messageTimeoutMs;
    const deadlineMs = clock() + timeoutMs;
    const idleStrategy =
      options.idleStrategy ?? ArchiveIdleStrategies.backoff({ maxSpins: 0, maxYields: 0, minParkMs: 1, maxParkMs: 16 });
    idleStrategy.reset();
    const timedOut = (reached: number): ArchiveTimeoutError =>
      new ArchiveTimeoutError(
        `recording ${recordingId} did not reach position ${position} within ${timeoutMs} ms (at ${reached})`,
      );
    let reached = NULL_VALUE;
    for (;;) {
      const remainingMs = deadlineMs - clock();
      if (remainingMs <= 0) throw timedOut(reached);
      const callOptions: CallOptions =
        signal === undefined ? { timeoutMs: remainingMs } : { signal, timeoutMs: remainingMs };
      const recorded = await this.getRecordingPosition(recordingId, callOptions);
      if (recorded !== NULL_VALUE) {
        reached = recorded;
        if (recorded >= position) return recorded;
      } else {
        const stopPosition = await this.getStopPosition(recordingId, callOptions);
        if (stopPosition !== NULL_VALUE) {
          if (stopPosition >= position) return stopPosition;
          throw new ArchiveError(
            `recording ${recordingId} stopped at position ${stopPosition}, short of position ${position}`,
          );
        }
      }
      const delayMs = Math.min(idleStrategy.idle(0), Math.max(0, deadlineMs - clock()));
      await sleep(delayMs, signal, `await recording position ${position} of recording ${recordingId}`);
    }
  }

  /**
   * Resolves the last recording id matching, or -1. Recording ids are assigned by the archive's catalog from 0,
   * +1 per recording, so below 2^53 (a larger value rejects with `ArchiveValueRangeError`).
   */
  findLastMatchingRecording(
    minRecordingId: number,
    channelFragment: string,
    streamId: number,
    sessionId: number,
    options: CallOptions = {},
  ): Promise<number> {
    return this.request('find last matching recording', options, (c) =>
      this.archiveProxy.findLastMatchingRecording(
        minRecordingId,
        channelFragment,
        streamId,
        sessionId,
        c,
        this.controlSessionId,
      ),
    );
  }

  /** Resolves the number of segment files deleted. */
  truncateRecording(recordingId: number, position: number, options: CallOptions = {}): Promise<number> {
    return this.request('truncate recording', options, (c) =>
      this.archiveProxy.truncateRecording(recordingId, position, c, this.controlSessionId),
    );
  }

  /** Resolves the number of segment files deleted. */
  purgeRecording(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('purge recording', options, (c) =>
      this.archiveProxy.purgeRecording(recordingId, c, this.controlSessionId),
    );
  }

  /** Replaces the original channel stored with a recording's descriptor. */
  async updateChannel(recordingId: number, newChannel: string, options: CallOptions = {}): Promise<void> {
    await this.request('update channel', options, (c) =>
      this.archiveProxy.updateChannel(recordingId, newChannel, c, this.controlSessionId),
    );
  }

  // ---------------------------------------------------------------- replication

  /**
   * ReplicateRequest2 with Java `ReplicationParams`; resolves the replication id. The 1.51.0 archive takes it
   * from the counter that also numbers control sessions (`nextSessionId++`, starting below 2^31 at archive start),
   * so it stays below 2^53 (a `number`; a larger value rejects with `ArchiveValueRangeError`).
   */
  replicate(
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    replicationParams: ReplicationParams = {},
    options: CallOptions = {},
  ): Promise<number> {
    let params: ReturnType<typeof resolveReplicationParams>;
    try {
      params = resolveReplicationParams(replicationParams);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.request('replicate', options, (c) =>
      this.archiveProxy.replicate(
        srcRecordingId,
        srcControlStreamId,
        srcControlChannel,
        params,
        c,
        this.controlSessionId,
      ),
    );
  }

  /**
   * Java `taggedReplicate`: a replicate whose subscription uses the given channel and subscription tags; resolves
   * the replication id (as {@link replicate}).
   */
  taggedReplicate(
    srcRecordingId: number,
    dstRecordingId: number,
    channelTagId: number,
    subscriptionTagId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    liveDestination: string | null,
    options: CallOptions = {},
  ): Promise<number> {
    return this.replicate(
      srcRecordingId,
      srcControlStreamId,
      srcControlChannel,
      {
        dstRecordingId,
        channelTagId,
        subscriptionTagId,
        ...(liveDestination === null ? {} : { liveDestination }),
      },
      options,
    );
  }

  /** Stops a replication by the id `replicate` resolved. */
  async stopReplication(replicationId: number, options: CallOptions = {}): Promise<void> {
    await this.request('stop replication', options, (c) =>
      this.archiveProxy.stopReplication(replicationId, c, this.controlSessionId),
    );
  }

  /** Resolves false when the archive answers UNKNOWN_REPLICATION. */
  async tryStopReplication(replicationId: number, options: CallOptions = {}): Promise<boolean> {
    const result = await this.request(
      'stop replication',
      options,
      (c) => this.archiveProxy.stopReplication(replicationId, c, this.controlSessionId),
      ArchiveErrorCode.UNKNOWN_REPLICATION,
    );
    return result !== ALLOWED_ERROR;
  }

  // ---------------------------------------------------------------- segments

  /** Detaches the segments before `newStartPosition` (a segment boundary) from a recording; they stay on disk. */
  async detachSegments(recordingId: number, newStartPosition: number, options: CallOptions = {}): Promise<void> {
    await this.request('detach segments', options, (c) =>
      this.archiveProxy.detachSegments(recordingId, newStartPosition, c, this.controlSessionId),
    );
  }

  /** Resolves the number of segment files deleted. */
  deleteDetachedSegments(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('delete detached segments', options, (c) =>
      this.archiveProxy.deleteDetachedSegments(recordingId, c, this.controlSessionId),
    );
  }

  /** Resolves the number of segment files deleted. */
  purgeSegments(recordingId: number, newStartPosition: number, options: CallOptions = {}): Promise<number> {
    return this.request('purge segments', options, (c) =>
      this.archiveProxy.purgeSegments(recordingId, newStartPosition, c, this.controlSessionId),
    );
  }

  /** Resolves the number of segment files attached. */
  attachSegments(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('attach segments', options, (c) =>
      this.archiveProxy.attachSegments(recordingId, c, this.controlSessionId),
    );
  }

  /** Resolves the number of segment files migrated. */
  migrateSegments(srcRecordingId: number, dstRecordingId: number, options: CallOptions = {}): Promise<number> {
    return this.request('migrate segments', options, (c) =>
      this.archiveProxy.migrateSegments(srcRecordingId, dstRecordingId, c, this.controlSessionId),
    );
  }

  // ---------------------------------------------------------------- signals and errors

  /** Recording signals of this session as an async iterator (until `return()`/`break` or close). */
  recordingSignals(): AsyncIterableIterator<RecordingSignalEvent> {
    const queue: AsyncEventQueue<RecordingSignalEvent> = new AsyncEventQueue(() => this.signalIterators.delete(queue));
    if (this._state === 'CLOSED') queue.end();
    else this.signalIterators.add(queue);
    return queue;
  }

  /**
   * Java `pollForErrorResponse`: services the session once (when no request is in flight) and returns the text
   * of an ERROR not tied to a request (the oldest queued one first), 'not connected' when the response stream is
   * down, else null. As in Java the ERROR polled here is returned even when an `errorHandler` is set; ERRORs that
   * arrive while a request is in flight go to the handler (or, without one, are queued for this method).
   *
   * @throws ArchiveClosedError when closed; ArchiveReentrantCallError from inside a callback of the session.
   */
  pollForErrorResponse(): string | null {
    this.ensureOpen();
    this.ensureNotReentrant('pollForErrorResponse');
    if (!this.controlResponsePoller.subscription.isConnected()) {
      this.setState('DISCONNECTED');
      return NOT_CONNECTED_MSG;
    }
    const queued = this.errors.shift();
    if (queued !== undefined) return queued.message;
    if (this.current !== null) return null;
    const capture: { error: ArchiveError | null } = { error: null };
    this.capturing = capture;
    this.pollDepth++;
    try {
      this.serviceIdle(1);
    } finally {
      this.capturing = null;
      this.afterPoll();
    }
    return capture.error?.message ?? this.errors.shift()?.message ?? null;
  }

  /**
   * Java `checkForErrorResponse`: as `pollForErrorResponse`, but throws the error (or passes it to the handler).
   *
   * @throws ArchiveClosedError when closed; ArchiveReentrantCallError from inside a callback of the session.
   */
  checkForErrorResponse(): void {
    this.ensureOpen();
    this.ensureNotReentrant('checkForErrorResponse');
    if (!this.controlResponsePoller.subscription.isConnected()) {
      this.setState('DISCONNECTED');
      this.raise(new ArchiveNotConnectedError(NOT_CONNECTED_MSG));
      return;
    }
    if (this.current === null) this.pollOnce();
    const error = this.errors.shift();
    if (error !== undefined) throw error;
  }

  /**
   * Java `pollForRecordingSignals`: services the session once; returns the number of signals dispatched.
   *
   * @throws ArchiveClosedError when closed; ArchiveReentrantCallError from inside a callback of the session.
   */
  pollForRecordingSignals(): number {
    this.ensureOpen();
    this.ensureNotReentrant('pollForRecordingSignals');
    if (this.current !== null) return 0;
    this.signalsThisPoll = 0;
    this.pollOnce();
    const error = this.errors.shift();
    if (error !== undefined) throw error;
    return this.signalsThisPoll;
  }

  /** One message of idle service, as a poll (callbacks see `pollDepth` > 0). */
  private pollOnce(): void {
    this.pollDepth++;
    try {
      this.serviceIdle(1);
    } finally {
      this.afterPoll();
    }
  }

  // ---------------------------------------------------------------- close

  /**
   * Closes the session: stops the service timer, rejects pending calls with ArchiveClosedError, ends iterators,
   * sends CloseSessionRequest if the request publication is connected, and closes both channels (and the Aeron
   * client `connect` made). Safe from a callback of the session: the listing in progress delivers nothing more and
   * the response channel is closed when the poll returns.
   */
  close(): void {
    if (this._state === 'CLOSED') return;
    this._state = 'CLOSED';
    this.cancelTimer();
    const closed = new ArchiveClosedError();
    const current = this.current;
    this.current = null;
    if (current !== null) {
      this.cancelDispatch(current);
      this.settle(current, closed);
    }
    for (const op of this.queue.splice(0)) this.settle(op, closed);
    for (const it of this.signalIterators) it.end();
    this.signalIterators.clear();
    for (const it of this.listingIterators) it.end(closed);
    this.listingIterators.clear();
    const proxy = this.archiveProxy;
    try {
      if (proxy.publication.isConnected()) proxy.closeSession(this.controlSessionId);
    } catch (error) {
      this.context.errorHandler?.(error);
    }
    try {
      proxy.publication.close();
    } catch (error) {
      this.context.errorHandler?.(error);
    }
    if (this.pollDepth > 0) this.channelsToClose = true;
    else this.closeChannels();
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  // ---------------------------------------------------------------- engine

  private request(
    name: string,
    options: CallOptions,
    send: (correlationId: number) => boolean,
    allowedErrorCode = NULL_VALUE,
  ): Promise<number> {
    return this.enqueue('response', name, 0, null, null, options, send, allowedErrorCode);
  }

  /** A request whose OK answer's relevantId is resolved exactly (replay session ids, the replay token). */
  private async requestExact(
    name: string,
    options: CallOptions,
    send: (correlationId: number) => boolean,
  ): Promise<bigint> {
    const relevantId = { value: -1n };
    await this.enqueue('response', name, 0, null, null, options, send, NULL_VALUE, relevantId);
    return relevantId.value;
  }

  private listing(
    kind: OpKind,
    name: string,
    count: number,
    descriptorConsumer: RecordingDescriptorConsumer | null,
    subscriptionConsumer: RecordingSubscriptionDescriptorConsumer | null,
    options: CallOptions,
    send: (correlationId: number) => boolean,
  ): Promise<number> {
    return this.enqueue(kind, name, count, descriptorConsumer, subscriptionConsumer, options, send, NULL_VALUE);
  }

  private iterate<T>(start: (push: (item: T) => void) => Promise<number>): AsyncIterableIterator<T> {
    const queue: AsyncEventQueue<T> = new AsyncEventQueue(() => this.listingIterators.delete(queue));
    this.listingIterators.add(queue);
    start((item) => queue.push(item)).then(
      () => {
        this.listingIterators.delete(queue);
        queue.end();
      },
      (error: unknown) => {
        this.listingIterators.delete(queue);
        queue.end(error);
      },
    );
    return queue;
  }

  private enqueue(
    kind: OpKind,
    name: string,
    count: number,
    descriptorConsumer: RecordingDescriptorConsumer | null,
    subscriptionConsumer: RecordingSubscriptionDescriptorConsumer | null,
    options: CallOptions,
    send: (correlationId: number) => boolean,
    allowedErrorCode: number,
    exactRelevantId: { value: bigint } | null = null,
  ): Promise<number> {
    if (this._state === 'CLOSED') return Promise.reject(new ArchiveClosedError());
    if (this._state === 'DISCONNECTED') {
      this.close();
      return Promise.reject(new ArchiveNotConnectedError('response channel from archive is not connected'));
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new ArchiveAbortedError(undefined, { cause: signal.reason }));
    return new Promise<number>((resolve, reject) => {
      const now = this.context.clock();
      const op: Operation = {
        name,
        kind,
        send,
        allowedErrorCode,
        count,
        descriptorConsumer,
        subscriptionConsumer,
        resolve,
        reject,
        exactRelevantId,
        callDeadlineMs: options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : now + options.timeoutMs,
        signal,
        onAbort: null,
        correlationId: NULL_VALUE,
        messageDeadlineMs: Number.POSITIVE_INFINITY,
        remaining: count,
      };
      if (signal !== undefined) {
        op.onAbort = () => this.abort(op);
        signal.addEventListener('abort', op.onAbort, { once: true });
      }
      this.queue.push(op);
      this.schedule(0);
    });
  }

  private abort(op: Operation): void {
    const error = new ArchiveAbortedError(`${op.name} aborted`, {
      correlationId: op.correlationId,
      cause: op.signal?.reason,
    });
    if (this.current === op) {
      this.current = null;
      this.cancelDispatch(op);
    } else {
      const i = this.queue.indexOf(op);
      if (i < 0) return;
      this.queue.splice(i, 1);
    }
    this.settle(op, error);
    this.schedule(0);
  }

  private settle(op: Operation, result: unknown, value = 0): void {
    if (op.onAbort !== null && op.signal !== undefined) op.signal.removeEventListener('abort', op.onAbort);
    op.onAbort = null;
    if (result === null) op.resolve(value);
    else op.reject(result);
  }

  private finish(op: Operation, result: unknown, value = 0): void {
    if (this.current === op) this.current = null;
    this.settle(op, result, value);
  }

  /**
   * (Re)arms the single service timer to fire within `delayMs` (0: `setImmediate`); ref'd only while calls are
   * pending.
   */
  private schedule(delayMs: number): void {
    if (this._state === 'CLOSED') return;
    const due = this.context.clock() + delayMs;
    const busy = this.current !== null || this.queue.length > 0;
    const armed = this.timer ?? this.immediate;
    if (armed !== null) {
      if (due >= this.timerDueMs) {
        if (busy) armed.ref?.();
        return;
      }
      this.cancelTimer();
    }
    this.timerDueMs = due;
    if (delayMs <= 0) {
      this.immediate = setImmediate(this.onTimer);
      if (!busy) this.immediate.unref?.();
    } else {
      this.timer = setTimeout(this.onTimer, delayMs);
      if (!busy) this.timer.unref?.();
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.timerDueMs = Number.POSITIVE_INFINITY;
  }

  private readonly onTimer = (): void => this.tick();

  private tick(): void {
    this.timer = null;
    this.immediate = null;
    this.timerDueMs = Number.POSITIVE_INFINITY;
    if (this._state === 'CLOSED') return;
    this.workCount = 0;
    const before = this.current;
    this.pollDepth++;
    try {
      this.doWork();
    } catch (error) {
      const op = this.current;
      if (op !== null) this.finish(op, error);
      else this.raise(error);
    } finally {
      this.afterPoll();
    }
    if (this.isClosed()) return;
    if (this.current !== null && this.current === before) {
      this.schedule(this.context.idleStrategy.idle(this.workCount));
    } else if (this.current !== null || this.queue.length > 0) {
      // A call finished or started this tick: the next one starts (or is polled) at once.
      this.schedule(0);
    } else {
      this.schedule(this.context.idleServiceIntervalMs);
    }
  }

  private doWork(): void {
    if (this.current === null) {
      const next = this.queue.shift();
      if (next === undefined) {
        this.serviceIdle(MESSAGES_PER_TICK);
        return;
      }
      this.current = next;
      this.context.idleStrategy.reset();
      const correlationId = this.context.transport.nextCorrelationId();
      next.correlationId = correlationId;
      this._lastCorrelationId = correlationId;
      next.messageDeadlineMs = this.context.clock() + this.context.messageTimeoutMs;
      if (next.kind === 'descriptors') {
        this.descriptorPoller.reset(correlationId, next.count, next.descriptorConsumer ?? noop);
      } else if (next.kind === 'subscriptionDescriptors') {
        this.subscriptionDescriptorPoller.reset(correlationId, next.count, next.subscriptionConsumer ?? noop);
      }
      // The Java lock's place: nothing else is sent on the session while this request waits for its answer.
      if (!next.send(correlationId)) {
        this.finish(next, new ArchiveError(`failed to send ${next.name} request`, { correlationId }));
        return;
      }
    }
    const op = this.current;
    if (op === null) return;
    if (op.kind === 'response') this.pollForResponse(op);
    else this.pollForDescriptors(op);
    if (this.current === op && !this.isClosed()) this.checkWaiting(op);
  }

  /** Java `pollForResponse` / `pollForResponseAllowingError`, one tick's worth. */
  private pollForResponse(op: Operation): void {
    const poller = this.controlResponsePoller;
    for (let i = 0; i < MESSAGES_PER_TICK; i++) {
      const fragments = poller.poll();
      this.workCount += fragments;
      if (!poller.isPollComplete()) {
        if (fragments === 0) return;
        continue;
      }
      if (poller.controlSessionId() !== this.controlSessionId) continue;
      if (poller.isSignal()) {
        this.dispatchPolledSignal();
        if (this.current !== op) return;
        continue;
      }
      const code = poller.code();
      const correlationId = poller.correlationId();
      if (code === ControlResponseCode.ERROR) {
        const errorCode = poller.relevantId();
        const error = new ArchiveError(
          `response for correlationId=${op.correlationId}, error: ${poller.errorMessage()}`,
          { errorCode, correlationId },
        );
        if (correlationId === op.correlationId) {
          if (op.allowedErrorCode !== NULL_VALUE && errorCode === op.allowedErrorCode) {
            this.finish(op, null, ALLOWED_ERROR);
          } else {
            this.finish(op, error);
          }
          return;
        }
        this.onUnmatchedError(error);
        if (this.current !== op) return;
      } else if (correlationId === op.correlationId) {
        if (code !== ControlResponseCode.OK) {
          this.finish(op, new ArchiveError(`unexpected response code: ${code}`, { correlationId }));
        } else if (op.exactRelevantId !== null) {
          op.exactRelevantId.value = poller.relevantIdBigInt();
          this.finish(op, null, 0);
        } else {
          this.finishWithNumber(op, correlationId);
        }
        return;
      }
    }
  }

  /** Resolves `op` with the answer's relevantId as a number, or rejects when a number cannot hold it exactly. */
  private finishWithNumber(op: Operation, correlationId: number): void {
    const poller = this.controlResponsePoller;
    let value: number;
    try {
      value = poller.relevantId();
    } catch {
      this.finish(
        op,
        new ArchiveValueRangeError(`relevantId of the ${op.name} response`, poller.relevantIdBigInt(), {
          correlationId,
        }),
      );
      return;
    }
    this.finish(op, null, value);
  }

  /** Java `pollForDescriptors` / `pollForSubscriptionDescriptors`, one tick's worth. */
  private pollForDescriptors(op: Operation): void {
    const poller = op.kind === 'descriptors' ? this.descriptorPoller : this.subscriptionDescriptorPoller;
    for (let i = 0; i < MESSAGES_PER_TICK; i++) {
      const fragments = poller.poll();
      this.workCount += fragments;
      if (this.current !== op) return;
      const remaining = poller.remaining();
      if (poller.isDispatchComplete()) {
        const error = poller.error();
        if (error !== null) this.finish(op, error);
        else this.finish(op, null, op.count - remaining);
        return;
      }
      if (remaining !== op.remaining) {
        op.remaining = remaining;
        op.messageDeadlineMs = this.context.clock() + this.context.messageTimeoutMs;
      }
      if (fragments === 0) return;
    }
  }

  private checkWaiting(op: Operation): void {
    if (!this.controlResponsePoller.subscription.isConnected()) {
      this.setState('DISCONNECTED');
      this.finish(op, new ArchiveNotConnectedError('response channel from archive is not connected'));
      return;
    }
    const now = this.context.clock();
    if (now > op.messageDeadlineMs) {
      this.finish(
        op,
        new ArchiveTimeoutError(
          `awaiting ${op.kind === 'response' ? 'response' : 'descriptors'} - correlationId=${op.correlationId} messageTimeout=${this.context.messageTimeoutMs}ms`,
          { correlationId: op.correlationId },
        ),
      );
    } else if (now > op.callDeadlineMs) {
      this.finish(
        op,
        new ArchiveTimeoutError(`${op.name} deadline passed - correlationId=${op.correlationId}`, {
          correlationId: op.correlationId,
        }),
      );
    }
  }

  /** Consumes up to `limit` messages while no call is in flight. */
  private serviceIdle(limit: number): void {
    const poller = this.controlResponsePoller;
    for (let i = 0; i < limit; i++) {
      const fragments = poller.poll();
      if (poller.isPollComplete() && poller.controlSessionId() === this.controlSessionId) {
        if (poller.isSignal()) {
          this.dispatchPolledSignal();
        } else if (poller.code() === ControlResponseCode.ERROR) {
          this.onUnmatchedError(
            new ArchiveError(poller.errorMessage(), {
              errorCode: poller.relevantId(),
              correlationId: poller.correlationId(),
            }),
          );
        }
      }
      if (fragments === 0 || this.isClosed()) return;
    }
  }

  /** Dispatches the signal the poller holds; one a number cannot hold exactly goes to the error path instead. */
  private dispatchPolledSignal(): void {
    let event: RecordingSignalEvent;
    try {
      event = this.signalFromPoller();
    } catch (error) {
      this.raise(error);
      return;
    }
    this.dispatchSignal(event);
  }

  private signalFromPoller(): RecordingSignalEvent {
    const p = this.controlResponsePoller;
    return {
      controlSessionId: p.controlSessionId(),
      correlationId: p.correlationId(),
      recordingId: p.recordingId(),
      subscriptionId: p.subscriptionId(),
      position: p.position(),
      signal: p.recordingSignal(),
      signalName: recordingSignalName(p.recordingSignal()),
    };
  }

  private dispatchSignal(event: RecordingSignalEvent): void {
    this.signalsThisPoll++;
    for (const it of this.signalIterators) it.push(event);
    const consumer = this.context.recordingSignalConsumer;
    if (consumer !== null) {
      try {
        consumer(event);
      } catch (error) {
        this.raise(error);
      }
    }
  }

  private onUnmatchedError(error: ArchiveError): void {
    if (this.capturing !== null && this.capturing.error === null) {
      this.capturing.error = error;
      return;
    }
    if (this.context.errorHandler !== null) {
      this.context.errorHandler(error);
      return;
    }
    if (this.errors.length >= MAX_QUEUED_ERRORS) this.errors.shift();
    this.errors.push(error);
  }

  private raise(error: unknown): void {
    if (this.context.errorHandler !== null) this.context.errorHandler(error);
    else if (error instanceof ArchiveError) this.onUnmatchedError(error);
    else this.onUnmatchedError(new ArchiveError(String(error), { cause: error }));
  }

  private isClosed(): boolean {
    return this._state === 'CLOSED';
  }

  private ensureOpen(): void {
    if (this._state === 'CLOSED') throw new ArchiveClosedError();
  }

  /** Java `ensureNotReentrant`: a synchronous poll from inside one of the session's callbacks. */
  private ensureNotReentrant(call: string): void {
    if (this.pollDepth > 0) throw new ArchiveReentrantCallError(call);
  }

  /** Ends the dispatch of a listing whose operation was settled from a callback (abort, close). */
  private cancelDispatch(op: Operation): void {
    if (op.kind === 'descriptors') this.descriptorPoller.cancel();
    else if (op.kind === 'subscriptionDescriptors') this.subscriptionDescriptorPoller.cancel();
  }

  /** Leaves a poll: closes the response channel when `close()` was called from a callback of this poll. */
  private afterPoll(): void {
    this.pollDepth--;
    if (this.pollDepth === 0 && this.channelsToClose) {
      this.channelsToClose = false;
      this.closeChannels();
    }
  }

  /** Closes the response subscription and the owned Aeron client (which would close it too). */
  private closeChannels(): void {
    for (const closeable of [this.controlResponsePoller.subscription, this.ownedAeron]) {
      try {
        closeable?.close();
      } catch (error) {
        this.context.errorHandler?.(error);
      }
    }
    this.ownedAeron = null;
  }

  private setState(state: AeronArchiveState): void {
    if (this._state !== 'CLOSED') this._state = state;
  }
}

/**
 * The replay channel with `session-id` = the replay image's session id, the low 32 bits of the replay session id
 * (Java `(int)replaySessionId`).
 */
export function replayChannelFor(replayChannel: string, replaySessionId: bigint): string {
  return ChannelUri.addSessionId(replayChannel, replayImageSessionId(replaySessionId));
}

/**
 * The session id of a replay's image: the low 32 bits, signed, of the replay session id a replay call resolved
 * (Java `(int)replaySessionId`), for `subscription.imageBySessionId` or a `session-id` channel parameter.
 */
export function replayImageSessionId(replaySessionId: bigint): number {
  return Number(BigInt.asIntN(32, replaySessionId));
}

/**
 * Waits `delayMs` (0: one event-loop turn), or rejects with `ArchiveAbortedError` naming `what` when `signal`
 * aborts first.
 */
function sleep(delayMs: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ArchiveAbortedError(`${what} aborted`, { cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      cancel();
      reject(new ArchiveAbortedError(`${what} aborted`, { cause: signal?.reason }));
    };
    const cancel = idleAfter(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Java's request channel for a response-channel replay: no session/term params, 64k terms, the correlation id. */
function responseRequestChannel(controlRequestChannel: string, subscriptionRegistrationId: number): string {
  const uri = ChannelUri.parse(controlRequestChannel);
  for (const key of ['session-id', 'term-id', 'init-term-id', 'term-offset']) uri.remove(key);
  uri.put('response-correlation-id', String(subscriptionRegistrationId));
  uri.put('term-length', String(64 * 1024));
  uri.put('ssc', 'false');
  return uri.toString();
}

/** Marker result of a `try*` call that met its allowed error code. */
const ALLOWED_ERROR = Number.NEGATIVE_INFINITY;

const noop = (): void => {};
