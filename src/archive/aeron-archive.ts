/**
 * The Aeron Archive client (Java `AeronArchive`) with a Promise API, and `AsyncConnect`, the connect it is made by
 * (Java's nested `AeronArchive.AsyncConnect`).
 *
 * `AeronArchive` is the public API over a {@link ControlSessionEngine} of its own: the engine queues the requests
 * (one in flight at a time, as Java's lock serialises them), matches the answers, keeps the deadlines, settles the
 * Promises and services the session between requests (signals, unmatched errors, Pings). Each request is an entry
 * of {@link ControlRequests}. `AsyncConnect` is the public face of the {@link ArchiveConnector} state machine.
 *
 * The client sends no periodic keepalives, as Java's: the archive only closes a session it cannot send to for its
 * connect timeout, which the engine's idle service prevents by consuming the stream. Each call takes
 * `{ signal, timeoutMs }`: an AbortSignal and a per-call deadline; the message timeout (default 10 s) applies to
 * every wait as in Java.
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
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { Aeron } from '../client/aeron.ts';
import { ChannelUri } from '../client/channel-uri.ts';
import type { ConcurrentPublication } from '../client/concurrent-publication.ts';
import type { AvailableImageHandler, UnavailableImageHandler } from '../client/conductor-contract.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import type { Publication } from '../client/publication.ts';
import type { Subscription } from '../client/subscription.ts';
import { abortable } from './abortable.ts';
import { AeronControlPublication } from './aeron-transport.ts';
import { ArchiveConnector, type AsyncConnectState } from './archive-connector.ts';
import {
  type ArchiveContext,
  type ArchiveOptions,
  isControlModeResponse,
  type resolveContext,
} from './archive-context.ts';
import { ArchiveAbortedError, ArchiveClosedError, ArchiveError, ArchiveTimeoutError } from './archive-error.ts';
import { ArchiveIdleStrategies, type ArchiveIdleStrategy, idleAfter } from './archive-idle-strategy.ts';
import type { ArchiveProxy } from './archive-proxy.ts';
import { AsyncEventQueue } from './async-event-queue.ts';
import type { CallOptions } from './call-options.ts';
import { ControlRequests } from './control-requests.ts';
import type { ControlResponsePoller } from './control-response-poller.ts';
import { type AeronArchiveState, ControlSessionEngine } from './control-session-engine.ts';
import type { ControlPublication } from './control-transport.ts';
import type {
  RecordingDescriptor,
  RecordingDescriptorConsumer,
  RecordingSubscriptionDescriptor,
  RecordingSubscriptionDescriptorConsumer,
} from './recording-descriptor.ts';
import type { RecordingSignalEvent } from './recording-signal.ts';
import { type ReplayParams, type ResolvedReplayParams, resolveReplayParams } from './replay-params.ts';
import { type ReplicationParams, resolveReplicationParams } from './replication-params.ts';
import { type ResponseChannelReplayClient, replayViaResponseChannel } from './response-channel-replay.ts';
import { segmentFileBasePosition } from './segment-position.ts';

export type { CallOptions } from './call-options.ts';
export type { AeronArchiveState } from './control-session-engine.ts';

/** Recording call options: `autoStop` selects the `*Request2` form. */
export interface RecordingCallOptions extends CallOptions {
  /** Sends StartRecordingRequest2 / ExtendRecordingRequest2 with this autoStop flag. */
  readonly autoStop?: boolean;
}

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

/**
 * The archive client (Java `AeronArchive`): one control session, its requests as Promises, its recording signals
 * and errors. Made by {@link AeronArchive.connect} or {@link AeronArchive.asyncConnect}; `close()` or `using`.
 */
export class AeronArchive {
  readonly #engine: ControlSessionEngine;
  /** Sends on the control request publication; response-channel replays send through a copy over their own. */
  readonly #archiveProxy: ArchiveProxy;
  readonly #listingIterators = new Set<{ end(error?: unknown): void }>();

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
    if (options.transport !== undefined || options.aeron !== undefined)
      return AsyncConnect.connect(options, callOptions);
    const { signal } = callOptions;
    if (signal?.aborted) throw new ArchiveAbortedError('archive connect aborted', { cause: signal.reason });
    if (options.aeronDir === undefined) {
      throw new ArchiveError('AeronArchive.Context needs an aeron client, aeronDir or transport');
    }
    const clock = options.clock ?? (() => performance.now());
    const deadlineMs = callOptions.timeoutMs === undefined ? Number.POSITIVE_INFINITY : clock() + callOptions.timeoutMs;
    // The client's connect takes the signal (it stops and unmaps on an abort); the race adds the deadline and
    // turns either into the archive's typed errors. A client that connects after all that is closed.
    const aeron = await abortable(
      Aeron.connect({
        clientName:
          options.clientName === undefined || options.clientName === '' ? 'archive-client' : options.clientName,
        ...options.aeronOptions,
        aeronDir: options.aeronDir,
        ...(signal === undefined ? {} : { signal }),
      }),
      'archive connect',
      { signal, remainingMs: deadlineMs - clock() },
      (late) => late.close(),
    );
    try {
      const remainingMs = deadlineMs - clock();
      return await AsyncConnect.connect(
        // The client made here is the archive client's (Java: the context made it, so it owns it).
        { ...options, aeron, ownsAeronClient: true },
        remainingMs === Number.POSITIVE_INFINITY
          ? { ...(signal === undefined ? {} : { signal }) }
          : { ...(signal === undefined ? {} : { signal }), timeoutMs: Math.max(0, remainingMs) },
      );
    } catch (error) {
      aeron.close();
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
    controlResponsePoller: ControlResponsePoller,
    archiveProxy: ArchiveProxy,
    readonly controlSessionId: number,
    readonly archiveId: bigint,
  ) {
    this.#archiveProxy = archiveProxy;
    this.#engine = new ControlSessionEngine(context, controlResponsePoller, archiveProxy, controlSessionId);
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
    return this.#engine.state();
  }

  /**
   * Java `controlResponsePoller().subscription().isConnected()`, as `AsyncAeronArchive` checks it every duty
   * cycle: true while the session is open and the control response stream from the archive is connected. When
   * that stream is gone the client becomes `DISCONNECTED` (its next request rejects with
   * `ArchiveNotConnectedError`), so a lost archive is noticed without sending a request.
   */
  isConnected(): boolean {
    return this.#engine.isConnected();
  }

  /**
   * Correlation id of the last request sent: from the driver's correlation counter (+1 per command from 0 at
   * driver start), below 2^53.
   */
  lastCorrelationId(): number {
    return this.#engine.lastCorrelationId();
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
    return this.#engine.request(
      ControlRequests.startRecording,
      [channel, streamId, sourceLocation, options.autoStop],
      options,
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
    return this.#engine.request(
      ControlRequests.extendRecording,
      [channel, streamId, sourceLocation, options.autoStop, recordingId],
      options,
    );
  }

  /** Stops the recording subscription of a channel and stream (ERROR UNKNOWN_SUBSCRIPTION when there is none). */
  async stopRecording(channel: string, streamId: number, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.stopRecording, [channel, streamId], options);
  }

  /** Resolves false when the archive answers UNKNOWN_SUBSCRIPTION. */
  async tryStopRecording(channel: string, streamId: number, options: CallOptions = {}): Promise<boolean> {
    return this.#engine.request(ControlRequests.tryStopRecording, [channel, streamId], options);
  }

  /** Java `stopRecording(subscriptionId)`: stops the recording subscription `startRecording` resolved. */
  async stopRecordingBySubscriptionId(subscriptionId: number, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.stopRecordingSubscription, [subscriptionId], options);
  }

  /** Resolves false when the archive answers UNKNOWN_SUBSCRIPTION. */
  async tryStopRecordingBySubscriptionId(subscriptionId: number, options: CallOptions = {}): Promise<boolean> {
    return this.#engine.request(ControlRequests.tryStopRecordingSubscription, [subscriptionId], options);
  }

  /** Stops every recording subscription of a recording; false when none was active (relevantId 0). */
  async tryStopRecordingByIdentity(recordingId: number, options: CallOptions = {}): Promise<boolean> {
    return this.#engine.request(ControlRequests.stopRecordingByIdentity, [recordingId], options);
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
    this.#ensureOpen();
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
    this.#ensureOpen();
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
    this.#ensureOpen();
    const aeron = this.aeron;
    if (isControlModeResponse(replayChannel)) {
      return replayViaResponseChannel(
        this.#responseChannelReplayClient(),
        recordingId,
        replayChannel,
        replayStreamId,
        replayParams,
        options,
      );
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
    return this.#engine.request(
      ControlRequests.replay,
      [recordingId, channelOrParams, streamIdOrOptions, params],
      lastOptions,
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
    return this.#engine.request(
      ControlRequests.boundedReplay,
      [recordingId, replayChannel, replayStreamId, params],
      options,
    );
  }

  /**
   * Replay with Java `ReplayParams` (bounded when `boundingLimitCounterId` is set): the same as the
   * `startReplay(recordingId, replayChannel, replayStreamId, replayParams)` form. Resolves the replay session id,
   * exact. Replays over a `control-mode=response` channel need the Aeron client (a response publication) and are
   * not handled here: use {@link replay}.
   */
  async startReplayWithParams(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams = {},
    options: CallOptions = {},
  ): Promise<bigint> {
    const params = resolveReplayParams(replayParams); // async: an invalid ReplayParams rejects
    return this.#engine.request(ControlRequests.replay, [recordingId, replayChannel, replayStreamId, params], options);
  }

  /**
   * ReplayRequest sent on `requestPublication` instead of the control session's publication, answered on the
   * control session as usual (Java's `ReplicationSession` with its `responseArchiveProxy`): for a replay over a
   * `control-mode=response` channel whose subscription the caller owns. `requestPublication` is an exclusive
   * publication to the archive's control request channel and stream with `response-correlation-id=<the replay
   * subscription's registration id>`, connected; `replayParams.replayToken` comes from {@link requestReplayToken}.
   * Resolves the replay session id, exact. {@link replay} does all of this for a subscription it adds itself.
   */
  async startReplayOn(
    requestPublication: ExclusivePublication,
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    replayParams: ReplayParams = {},
    options: CallOptions = {},
  ): Promise<bigint> {
    const params = resolveReplayParams(replayParams);
    return this.#sendReplayRequestOn(
      new AeronControlPublication(requestPublication),
      [recordingId, replayChannel, replayStreamId, params],
      options,
    );
  }

  /**
   * Java `archiveProxy().stopReplay(...)` as `AsyncAeronArchive.trySendStopReplayRequest` uses it: offers a
   * StopReplayRequest at once, outside the request queue, and does not wait for its response (an ERROR answer
   * is an unmatched error: `pollForErrorResponse` / the error handler). False when closed, disconnected or the
   * offer failed.
   */
  trySendStopReplayRequest(replaySessionId: bigint): boolean {
    return this.#engine.offerWithoutAnswer(ControlRequests.stopReplay, [replaySessionId]);
  }

  /** StopReplayRequest for the replay session id a replay call resolved (exact, as the archive sent it). */
  async stopReplay(replaySessionId: bigint, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.stopReplay, [replaySessionId], options);
  }

  /** Stops all replays of a recording, or of every recording with -1. */
  async stopAllReplays(recordingId: number, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.stopAllReplays, [recordingId], options);
  }

  /**
   * ReplayTokenRequest (for replays over response channels); resolves the token, a random 64-bit value
   * read exactly as a bigint.
   */
  requestReplayToken(recordingId: number, options: CallOptions = {}): Promise<bigint> {
    return this.#engine.request(ControlRequests.requestReplayToken, [recordingId], options);
  }

  // ---------------------------------------------------------------- listing

  /** Lists up to `recordCount` recordings from `fromRecordingId`; resolves how many were delivered. */
  listRecordings(
    fromRecordingId: number,
    recordCount: number,
    consumer: RecordingDescriptorConsumer,
    options: CallOptions = {},
  ): Promise<number> {
    return this.#engine.list(
      ControlRequests.listRecordings,
      [fromRecordingId, recordCount],
      recordCount,
      consumer,
      options,
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
    return this.#engine.list(
      ControlRequests.listRecordingsForUri,
      [fromRecordingId, recordCount, channelFragment, streamId],
      recordCount,
      consumer,
      options,
    );
  }

  /** Resolves 1 when the recording exists (its descriptor went to `consumer`), else 0. */
  listRecording(
    recordingId: number,
    consumer: RecordingDescriptorConsumer,
    options: CallOptions = {},
  ): Promise<number> {
    return this.#engine.list(ControlRequests.listRecording, [recordingId], 1, consumer, options);
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
    return this.#engine.list(
      ControlRequests.listRecordingSubscriptions,
      [pseudoIndex, subscriptionCount, channelFragment, streamId, applyStreamId],
      subscriptionCount,
      consumer,
      options,
    );
  }

  /** `listRecordings` as an async iterator; ends after the last descriptor, throws the listing's error. */
  recordings(
    fromRecordingId: number,
    recordCount: number,
    options: CallOptions = {},
  ): AsyncIterableIterator<RecordingDescriptor> {
    return this.#iterate<RecordingDescriptor>((push) =>
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
    return this.#iterate<RecordingDescriptor>((push) =>
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
    return this.#iterate<RecordingSubscriptionDescriptor>((push) =>
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
    return this.#engine.request(ControlRequests.getStartPosition, [recordingId], options);
  }

  /** Recorded position of an active recording, or -1 (NULL_POSITION) when not active (exact: see `getStartPosition`). */
  getRecordingPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.getRecordingPosition, [recordingId], options);
  }

  /** Stop position, or -1 (NULL_POSITION) while the recording is active (exact: see `getStartPosition`). */
  getStopPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.getStopPosition, [recordingId], options);
  }

  /** Recorded position while active, else the stop position (exact: see `getStartPosition`). */
  getMaxRecordedPosition(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.getMaxRecordedPosition, [recordingId], options);
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
    return this.#engine.request(
      ControlRequests.findLastMatchingRecording,
      [minRecordingId, channelFragment, streamId, sessionId],
      options,
    );
  }

  /** Resolves the number of segment files deleted. */
  truncateRecording(recordingId: number, position: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.truncateRecording, [recordingId, position], options);
  }

  /** Resolves the number of segment files deleted. */
  purgeRecording(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.purgeRecording, [recordingId], options);
  }

  /** Replaces the original channel stored with a recording's descriptor. */
  async updateChannel(recordingId: number, newChannel: string, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.updateChannel, [recordingId, newChannel], options);
  }

  // ---------------------------------------------------------------- replication

  /**
   * ReplicateRequest2 with Java `ReplicationParams`; resolves the replication id. The archive takes it from
   * the counter that also numbers control sessions (`nextSessionId++`, starting below 2^31 at archive start),
   * so it stays below 2^53 (a `number`; a larger value rejects with `ArchiveValueRangeError`).
   */
  async replicate(
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    replicationParams: ReplicationParams = {},
    options: CallOptions = {},
  ): Promise<number> {
    const params = resolveReplicationParams(replicationParams); // async: an invalid ReplicationParams rejects
    return this.#engine.request(
      ControlRequests.replicate,
      [srcRecordingId, srcControlStreamId, srcControlChannel, params],
      options,
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
    await this.#engine.request(ControlRequests.stopReplication, [replicationId], options);
  }

  /** Resolves false when the archive answers UNKNOWN_REPLICATION. */
  async tryStopReplication(replicationId: number, options: CallOptions = {}): Promise<boolean> {
    return this.#engine.request(ControlRequests.tryStopReplication, [replicationId], options);
  }

  // ---------------------------------------------------------------- segments

  /** Detaches the segments before `newStartPosition` (a segment boundary) from a recording; they stay on disk. */
  async detachSegments(recordingId: number, newStartPosition: number, options: CallOptions = {}): Promise<void> {
    await this.#engine.request(ControlRequests.detachSegments, [recordingId, newStartPosition], options);
  }

  /** Resolves the number of segment files deleted. */
  deleteDetachedSegments(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.deleteDetachedSegments, [recordingId], options);
  }

  /** Resolves the number of segment files deleted. */
  purgeSegments(recordingId: number, newStartPosition: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.purgeSegments, [recordingId, newStartPosition], options);
  }

  /** Resolves the number of segment files attached. */
  attachSegments(recordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.attachSegments, [recordingId], options);
  }

  /** Resolves the number of segment files migrated. */
  migrateSegments(srcRecordingId: number, dstRecordingId: number, options: CallOptions = {}): Promise<number> {
    return this.#engine.request(ControlRequests.migrateSegments, [srcRecordingId, dstRecordingId], options);
  }

  // ---------------------------------------------------------------- signals and errors

  /** Recording signals of this session as an async iterator (until `return()`/`break` or close). */
  recordingSignals(): AsyncIterableIterator<RecordingSignalEvent> {
    return this.#engine.recordingSignals();
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
    return this.#engine.pollForErrorResponse();
  }

  /**
   * Java `checkForErrorResponse`: as `pollForErrorResponse`, but throws the error (or passes it to the handler).
   *
   * @throws ArchiveClosedError when closed; ArchiveReentrantCallError from inside a callback of the session.
   */
  checkForErrorResponse(): void {
    this.#engine.checkForErrorResponse();
  }

  /**
   * Java `pollForRecordingSignals`: services the session once; returns the number of signals dispatched.
   *
   * @throws ArchiveClosedError when closed; ArchiveReentrantCallError from inside a callback of the session.
   */
  pollForRecordingSignals(): number {
    return this.#engine.pollForRecordingSignals();
  }

  // ---------------------------------------------------------------- close

  /**
   * Closes the session: stops the service timer, rejects pending calls with ArchiveClosedError, ends iterators,
   * sends CloseSessionRequest if the request publication is connected, and closes both channels (and the Aeron
   * client `connect` made). Safe from a callback of the session: the listing in progress delivers nothing more and
   * the response channel is closed when the poll returns.
   */
  close(): void {
    if (this.#engine.state() === 'CLOSED') return;
    this.#engine.close();
    const closed = new ArchiveClosedError();
    for (const it of this.#listingIterators) it.end(closed);
    this.#listingIterators.clear();
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** This client as `replayViaResponseChannel` uses it: the ReplayRequest goes on the replay's own publication. */
  #responseChannelReplayClient(): ResponseChannelReplayClient {
    return {
      aeron: this.aeron,
      context: this.context,
      isClosed: () => this.#engine.state() === 'CLOSED',
      requestReplayToken: (recordingId, options) => this.requestReplayToken(recordingId, options),
      sendReplayRequest: (publication, request, options) => this.#sendReplayRequestOn(publication, request, options),
      trySendStopReplayRequest: (replaySessionId) => this.trySendStopReplayRequest(replaySessionId),
    };
  }

  /**
   * A ReplayRequest offered on `publication` instead of the control session's request publication, with this
   * session's id, retry attempts and client info, and answered on the control session as usual: the request of
   * {@link startReplayOn} and of a replay over a `control-mode=response` channel ({@link replay}).
   *
   * @param publication a publication to the archive's control request channel and stream with
   *   `response-correlation-id=<the replay subscription's registration id>`, connected.
   * @param request the recording id, replay channel, replay stream id and resolved replay params.
   * @param options the call's signal and deadline.
   * @returns the replay session id the archive answered with, exact.
   */
  #sendReplayRequestOn(
    publication: ControlPublication,
    request: [recordingId: number, replayChannel: string, replayStreamId: number, params: ResolvedReplayParams],
    options: CallOptions,
  ): Promise<bigint> {
    return this.#engine.request(
      ControlRequests.replay,
      request,
      options,
      this.#archiveProxy.withPublication(publication),
    );
  }

  #ensureOpen(): void {
    if (this.#engine.state() === 'CLOSED') throw new ArchiveClosedError();
  }

  /** A listing as an async iterator: ends after the last item, throws the listing's error; ended by `close()`. */
  #iterate<T>(start: (push: (item: T) => void) => Promise<number>): AsyncIterableIterator<T> {
    const queue: AsyncEventQueue<T> = new AsyncEventQueue(() => this.#listingIterators.delete(queue));
    this.#listingIterators.add(queue);
    start((item) => queue.push(item)).then(
      () => {
        this.#listingIterators.delete(queue);
        queue.end();
      },
      (error: unknown) => {
        this.#listingIterators.delete(queue);
        queue.end(error);
      },
    );
    return queue;
  }
}

/**
 * A connect in progress (Java `AeronArchive.AsyncConnect`), from `AeronArchive.asyncConnect(options)`: the public
 * face of the connect state machine ({@link AsyncConnectState}). Drive it with `poll()` from a loop that yields to
 * the event loop between polls, or use `AeronArchive.connect()`. `close()` releases what it opened unless it
 * completed. The whole connect must finish within the message timeout (ArchiveTimeoutError); when `poll()`
 * throws, the channels opened so far are already closed.
 *
 * **Polling it yourself: yield between polls.** The Aeron client's conductor (which adds the channels and
 * delivers the archive's answers) runs on the Node.js event loop, not on a thread of its own. A Java-style busy
 * loop, `while ((archive = asyncConnect.poll()) === null) {}`, never lets it run, so it never connects (it spins
 * until the message timeout, and even that is only noticed by the loop itself). Give the event loop a turn
 * between polls with the client's `yieldToEventLoop()`:
 *
 * ```ts
 * const asyncConnect = AeronArchive.asyncConnect({ aeron, controlRequestChannel, controlResponseChannel });
 * let archive = asyncConnect.poll();
 * while (archive === null) {
 *   await yieldToEventLoop(signal); // a Java-style `while (asyncConnect.poll() == null) {}` never connects
 *   archive = asyncConnect.poll();
 * }
 * ```
 */
export class AsyncConnect {
  readonly #connector: ArchiveConnector;
  #archive: AeronArchive | null = null;

  /**
   * Concludes the options ({@link resolveContext}: throws `ArchiveError` for an option Java's `conclude()` refuses)
   * and starts the message-timeout deadline; nothing is added until the first `poll()`.
   */
  constructor(options: ArchiveOptions) {
    this.#connector = new ArchiveConnector(options);
  }

  /** The concluded context (its control channels carry `session-id` once the driver has answered). */
  get context(): ArchiveContext {
    return this.#connector.context;
  }

  /**
   * Connects, polling the state machine on the event loop until done, failed, timed out or aborted
   * (`ArchiveAbortedError` with the signal's reason as `cause`; what was opened is closed).
   */
  static connect(options: ArchiveOptions, callOptions: CallOptions = {}): Promise<AeronArchive> {
    let asyncConnect: AsyncConnect;
    try {
      asyncConnect = new AsyncConnect(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = callOptions.signal;
    const callDeadline =
      callOptions.timeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : asyncConnect.context.clock() + callOptions.timeoutMs;
    return new Promise<AeronArchive>((resolve, reject) => {
      let cancelTimer: (() => void) | null = null;
      const idleStrategy = asyncConnect.context.idleStrategy;
      const fail = (error: unknown): void => {
        cancelTimer?.();
        signal?.removeEventListener('abort', onAbort);
        asyncConnect.close();
        reject(error);
      };
      const onAbort = (): void => fail(new ArchiveAbortedError('archive connect aborted', { cause: signal?.reason }));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      let previous = asyncConnect.step();
      const step = (): void => {
        cancelTimer = null;
        try {
          if (asyncConnect.context.clock() > callDeadline) {
            throw new ArchiveTimeoutError(`archive connect deadline passed: step=${asyncConnect.stateName()}`);
          }
          const archive = asyncConnect.poll();
          if (archive !== null) {
            signal?.removeEventListener('abort', onAbort);
            resolve(archive);
            return;
          }
        } catch (error) {
          fail(error);
          return;
        }
        // Java `AeronArchive.connect`: idle while the state stays put, reset when it moves on.
        let delayMs = 0;
        if (asyncConnect.step() === previous) {
          delayMs = idleStrategy.idle(0);
        } else {
          idleStrategy.reset();
          previous = asyncConnect.step();
        }
        cancelTimer = idleAfter(delayMs, step);
      };
      idleStrategy.reset();
      cancelTimer = idleAfter(0, step);
    });
  }

  /** The current step, an {@link AsyncConnectState} value (Java `step()`). */
  step(): number {
    return this.#connector.step();
  }

  /** The current step's name, e.g. `AWAIT_CONNECT_RESPONSE`. */
  stateName(): string {
    return this.#connector.stateName();
  }

  /**
   * Advances one step; the connected client once done, else null. Nothing here waits: the steps complete as the
   * event loop runs the Aeron client, so a loop around `poll()` must yield between calls (`await
   * yieldToEventLoop()`, see the class comment); a synchronous busy loop never connects.
   *
   * @throws ArchiveError (or a subclass) on an error or the connect timeout, after closing what was opened;
   *   `ArchiveClosedError` when called after `close()` or after a failed poll; `ArchiveReentrantCallError` when
   *   called from the credentials supplier during a poll.
   */
  poll(): AeronArchive | null {
    const session = this.#connector.poll();
    if (session === null) return null;
    this.#archive ??= new AeronArchive(
      session.context,
      session.controlResponsePoller,
      session.archiveProxy,
      session.controlSessionId,
      session.archiveId,
    );
    return this.#archive;
  }

  /** Releases whatever was opened, unless the connect completed (then the AeronArchive owns it). */
  close(): void {
    this.#connector.close();
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
