/**
 * The archive's duty cycle (Java `ArchiveConductor` in the SHARED threading mode: conductor, recorder and
 * replayer work in one cycle).
 *
 * Each cycle: the mark file's activity timestamp (once a second); the control subscriptions' requests, decoded
 * by `ControlSessionAdapter` and answered here (CONNECT / AUTH_CONNECT create a session; the others go to their
 * session by controlSessionId, unknown sessions are ignored as Java ignores them); the tasks queued by image
 * handlers (a recording starts); then every control session, listing, recording and replay does its work.
 *
 * Requests are answered with Java's responses, codes and messages; the segment requests live in
 * `segment-operations.ts`, the replay checks in `replay-request.ts`, the listings in `list-recordings-session.ts`,
 * replications (REPLICATE, REPLICATE2, TAGGED_REPLICATE; STOP_REPLICATION) in `replication-session.ts`: each is
 * worked in the duty cycle after the sessions and before the recordings, as Java's SHARED agent orders them.
 * docs/archive-server.md lists what is answered; any other request gets ERROR "unsupported request
 * templateId=<id>" (GENERIC) from this archive.
 */

import { statfsSync } from 'node:fs';
import { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import type { Image } from '../client/image.ts';
import type { Subscription } from '../client/subscription.ts';
import { ChannelUri, SPY_PREFIX } from '../logbuffer/channel-uri.ts';
import { FragmentAssembler } from '../logbuffer/fragment-assembler.ts';
import {
  ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
  allocateArchiveCounter,
  allocateControlSessionCounter,
  type IoTotals,
} from './archive-counters.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import type { ArchiveMarkFile } from './archive-mark-file.ts';
import { MARK_FILE_UPDATE_INTERVAL_MS } from './archive-mark-file.ts';
import type { ArchiveServerContext } from './archive-options.ts';
import { ArchiveServerError } from './archive-server-error.ts';
import { UNAUTHORISED_ACTION_MSG } from './authenticator.ts';
import { type Catalog, newRecordingSummary, type RecordingSummary } from './catalog.ts';
import { CatalogRequests } from './catalog-requests.ts';
import { ControlResponseProxy } from './control-response-proxy.ts';
import {
  ControlSession,
  controlResponseChannel,
  invalidVersionMessage,
  SESSION_CLOSED_MSG,
  type SessionWork,
} from './control-session.ts';
import { type ControlRequestHandler, ControlSessionAdapter } from './control-session-adapter.ts';
import { CounterLimitSource } from './counter-limit-source.ts';
import { RecordingEventsProxy } from './recording-events-proxy.ts';
import {
  extensionRefusal,
  RECORDING_POSITION_TYPE_ID,
  RecordingSession,
  recordingPositionCounter,
} from './recording-session.ts';
import { RecordingWriter } from './recording-writer.ts';
import { resolveReplay } from './replay-request.ts';
import { type ReplayLimitSource, ReplaySession } from './replay-session.ts';
import { ReplayTokens } from './replay-tokens.ts';
import { type ReplicationHost, type ReplicationRequest, ReplicationSession } from './replication-session.ts';
import { SegmentOperations } from './segment-operations.ts';
import { recordingKey, strippedChannelBuilder } from './stripped-channel.ts';

/** Java's ArchiveException codes (moved to archive-error-code.ts; exported here as before). */
export { ArchiveErrorCode };

/** The archive control protocol's SBE schema id (the authorisation service's protocolId). */
const ARCHIVE_SCHEMA_ID = 101;

const CONTROL_FRAGMENT_LIMIT = 10;

interface RecordingSubscription {
  readonly key: string;
  /** The recording an EXTEND_RECORDING continues, or -1 for new recordings. */
  readonly extendRecordingId: number;
  /** START_RECORDING 2 / EXTEND_RECORDING 2's autoStop: the subscription goes when its recording stops. */
  readonly autoStop: boolean;
  readonly registrationId: number;
  /** The recorded stream id. */
  readonly streamId: number;
  /** The channel subscribed to (stripped; `aeron-spy:` prefixed for a local UDP recording). */
  readonly channel: string;
  readonly controlSession: ControlSession;
  readonly correlationId: number;
  readonly strippedChannel: string;
  readonly originalChannel: string;
  subscription: Subscription | null;
}

interface PendingRecording {
  readonly extension: boolean;
  readonly image: Image;
  readonly sub: RecordingSubscription;
  readonly recordingId: number;
  readonly writer: RecordingWriter;
  readonly counterRegistrationId: number;
}

interface PendingReplay {
  readonly publicationRegistrationId: number;
  readonly controlSession: ControlSession;
  readonly start: (nowMs: number) => boolean;
}

/** The conductor of a running {@link Archive} (module comment). */
export class ArchiveConductor {
  readonly #ctx: ArchiveServerContext;
  readonly #aeron: Aeron;
  readonly #catalog: Catalog;
  readonly #markFile: ArchiveMarkFile;
  readonly #archiveId: number;
  readonly #errorHandler: (error: unknown) => void;
  readonly #proxy = new ControlResponseProxy();
  readonly #controlSubscriptions: Subscription[] = [];
  readonly #assembler: FragmentAssembler;
  /** The image of the control request being dispatched (its source identity and session id name a new session). */
  #requestImage: Image | null = null;
  readonly #replayTokens: ReplayTokens;
  readonly #sessions = new Map<number, ControlSession>();
  /** The sessions, recordings and replays again as arrays: the duty cycle walks them by index (no iterator). */
  readonly #sessionList: ControlSession[] = [];
  readonly #recordingList: RecordingSession[] = [];
  readonly #replayList: ReplaySession[] = [];
  readonly #listings: SessionWork[] = [];
  readonly #recordingSubscriptions = new Map<number, RecordingSubscription>();
  readonly #pendingRecordings: PendingRecording[] = [];
  readonly #recordings = new Map<number, RecordingSession>();
  readonly #recordingOwners = new Map<number, RecordingSubscription>();
  readonly #pendingReplays: PendingReplay[] = [];
  readonly #replays = new Map<number, ReplaySession>();
  readonly #replications = new Map<number, ReplicationSession>();
  readonly #replicationList: ReplicationSession[] = [];
  readonly #replicationHost: ReplicationHost;
  readonly #replayBuffer: Uint8Array;
  readonly #tasks: Array<() => void> = [];
  #events: RecordingEventsProxy | null = null;
  #controlSessionsCounter: Counter | null = null;
  #nextSessionId = 1;
  #replayId = 1;
  #markFileDeadlineMs = 0;
  #nowMs = 0;

  readonly #segments: SegmentOperations;
  readonly #catalogRequests: CatalogRequests;
  /** The recorder's and replayer's totals (archive-counters.ts) the writers and replays add to. */
  readonly #ioTotals: { readonly recorder: IoTotals; readonly replayer: IoTotals } | null;

  /** A conductor over the archive's resources; `start` adds the control subscriptions. */
  constructor(
    ctx: ArchiveServerContext,
    aeron: Aeron,
    catalog: Catalog,
    markFile: ArchiveMarkFile,
    archiveId: number,
    errorHandler: (error: unknown) => void,
    ioTotals: { readonly recorder: IoTotals; readonly replayer: IoTotals } | null = null,
  ) {
    this.#ioTotals = ioTotals;
    this.#ctx = ctx;
    this.#aeron = aeron;
    this.#catalog = catalog;
    this.#markFile = markFile;
    this.#archiveId = archiveId;
    this.#errorHandler = errorHandler;
    this.#replayBuffer = new Uint8Array(ctx.fileIoMaxLength);
    const adapter = new ControlSessionAdapter(this.#requestHandler(), errorHandler);
    this.#replayTokens = new ReplayTokens(ctx.connectTimeoutMs);
    // Java: the request image (header.context) names the client a response channel answers
    this.#assembler = new FragmentAssembler((buffer, offset, length, header) => {
      const image = header.context as Image;
      this.#requestImage = image;
      adapter.onRequest(buffer, offset, length, image.correlationId);
    });
    this.#catalogRequests = new CatalogRequests({
      catalog,
      listings: this.#listings,
      recordingSubscriptions: this.#recordingSubscriptions,
      recordedPosition: (recordingId) => this.#recordings.get(recordingId)?.position ?? NULL_POSITION,
      nowMs: () => this.#nowMs,
      hasRecording: (session, correlationId, recordingId) => this.#hasRecording(session, correlationId, recordingId),
    });
    this.#replicationHost = {
      aeron,
      catalog,
      replicationChannel: ctx.replicationChannel,
      controlResponseChannel: ctx.archiveClientControlResponseChannel,
      messageTimeoutMs: ctx.archiveClientMessageTimeoutMs,
      extendRecording: (correlationId, recordingId, streamId, channel, session) => {
        const sub = this.#onExtendRecording(
          session,
          correlationId,
          recordingId,
          streamId,
          SourceLocation.REMOTE,
          true,
          channel,
        );
        return typeof sub === 'string' ? sub : sub.registrationId;
      },
      stopRecordingSubscription: (subscriptionId) => this.#stopRecordingSubscription(subscriptionId),
      removeReplication: (replicationId) => {
        this.#replications.delete(replicationId);
      },
      onError: errorHandler,
    };
    this.#segments = new SegmentOperations({
      catalog,
      archiveDir: ctx.archiveDir,
      nowMs: () => this.#nowMs,
      recordedPosition: (recordingId) => this.#recordings.get(recordingId)?.position ?? NULL_POSITION,
      replays: this.#replayList,
      hasRecording: (session, correlationId, recordingId) => this.#hasRecording(session, correlationId, recordingId),
      onError: errorHandler,
    });
  }

  /**
   * Adds the control sessions counter, the recording events publication (when enabled), the local control
   * subscription and the remote one when configured.
   */
  async start(): Promise<void> {
    this.#controlSessionsCounter = await allocateArchiveCounter(
      this.#aeron,
      ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
      'Archive Control Sessions',
      this.#archiveId,
    );
    if (this.#ctx.recordingEventsEnabled) {
      this.#events = new RecordingEventsProxy(
        await this.#aeron.addExclusivePublication(this.#ctx.recordingEventsChannel, this.#ctx.recordingEventsStreamId),
      );
    }
    this.#controlSubscriptions.push(
      await this.#aeron.addSubscription(this.#ctx.localControlChannel, this.#ctx.localControlStreamId, null, null),
    );
    if (this.#ctx.controlChannel !== null) {
      this.#controlSubscriptions.push(
        await this.#aeron.addSubscription(this.#ctx.controlChannel, this.#ctx.controlStreamId, null, null),
      );
    }
  }

  /** Number of control sessions alive. */
  get controlSessionCount(): number {
    return this.#sessions.size;
  }

  /** Blocks written by the recordings in progress (a diagnostic, like Java's recorder totals). */
  get blocksWritten(): number {
    let blocks = 0;
    for (let i = 0; i < this.#recordingList.length; i++)
      blocks += (this.#recordingList[i] as RecordingSession).blocksWritten;
    return blocks;
  }

  /** Number of recordings in progress. */
  get recordingCount(): number {
    return this.#recordings.size;
  }

  /** Number of replays in progress (Java's replay session count). */
  get replayCount(): number {
    return this.#replays.size;
  }

  /** Number of replications in progress. */
  get replicationCount(): number {
    return this.#replicationList.length;
  }

  /** One duty cycle; returns the work count (0: idle). */
  doWork(nowMs: number): number {
    this.#nowMs = nowMs;
    let work = 0;
    if (nowMs >= this.#markFileDeadlineMs) {
      this.#markFileDeadlineMs = nowMs + MARK_FILE_UPDATE_INTERVAL_MS;
      this.#markFile.updateActivityTimestamp(nowMs);
    }
    const controlSubscriptions = this.#controlSubscriptions;
    for (let i = 0; i < controlSubscriptions.length; i++) {
      work += (controlSubscriptions[i] as Subscription).poll(this.#assembler.onFragment, CONTROL_FRAGMENT_LIMIT);
    }
    while (this.#tasks.length > 0) {
      const task = this.#tasks.shift() as () => void;
      try {
        task();
      } catch (e) {
        this.#errorHandler(e);
      }
      work++;
    }
    if (this.#pendingRecordings.length > 0) work += this.#startPendingRecordings();
    if (this.#pendingReplays.length > 0) work += this.#startPendingReplays(nowMs);
    if (this.#replayTokens.size > 0) this.#replayTokens.expire(nowMs);
    const sessions = this.#sessionList;
    for (let i = sessions.length - 1; i >= 0; i--) {
      const session = sessions[i] as ControlSession;
      try {
        work += session.doWork(nowMs);
      } catch (e) {
        this.#errorHandler(e);
      }
      if (session.isDone()) {
        session.close();
        // Java's ControlSession.close: an aborted session is reported (error log, error counter) as an ArchiveEvent.
        const report = session.terminationReport;
        if (report !== null) this.#errorHandler(new ArchiveServerError('SESSION_TERMINATED', report));
        this.#sessions.delete(session.controlSessionId);
        this.#replayTokens.removeForSession(session.controlSessionId);
        sessions.splice(i, 1);
        this.#controlSessionsCounter?.getAndAdd(-1);
      }
    }
    const listings = this.#listings;
    for (let i = listings.length - 1; i >= 0; i--) {
      const listing = listings[i] as SessionWork;
      work += listing.doWork(nowMs);
      if (listing.isDone()) listings.splice(i, 1);
    }
    const replications = this.#replicationList;
    for (let i = replications.length - 1; i >= 0; i--) {
      const replication = replications[i] as ReplicationSession;
      try {
        work += replication.doWork(nowMs);
      } catch (e) {
        this.#errorHandler(e);
      }
      if (replication.isDone()) {
        replications.splice(i, 1);
        this.#closeReplication(replication);
      }
    }
    const recordings = this.#recordingList;
    for (let i = recordings.length - 1; i >= 0; i--) {
      const recording = recordings[i] as RecordingSession;
      work += recording.doWork();
      if (recording.isDone()) this.#recordingStopped(recording);
    }
    const replays = this.#replayList;
    for (let i = replays.length - 1; i >= 0; i--) {
      const replay = replays[i] as ReplaySession;
      work += replay.doWork(nowMs);
      if (replay.isDone()) {
        replay.close();
        this.#replays.delete(replay.replaySessionId);
        replays.splice(i, 1);
      }
    }
    return work;
  }

  /** Stops everything: recordings are stopped in the catalog, sessions and subscriptions closed. */
  close(): void {
    for (const replication of this.#replicationList.splice(0)) {
      replication.abort('archive closed');
      this.#closeReplication(replication);
    }
    for (const recording of [...this.#recordingList]) {
      recording.abort();
      recording.doWork();
      this.#recordingStopped(recording);
    }
    for (const replay of this.#replayList) replay.close();
    this.#replays.clear();
    this.#replayList.length = 0;
    for (const session of this.#sessionList) session.close();
    this.#sessions.clear();
    this.#sessionList.length = 0;
    for (const sub of this.#recordingSubscriptions.values()) sub.subscription?.close();
    this.#recordingSubscriptions.clear();
    for (const subscription of this.#controlSubscriptions) subscription.close();
    this.#events?.close();
    this.#controlSessionsCounter?.close();
  }

  /** The conductor's answers to each control request (closures made once, at construction). */
  #requestHandler(): ControlRequestHandler {
    const segments = (): SegmentOperations => this.#segments;
    const catalog = (): CatalogRequests => this.#catalogRequests;
    return {
      connect: (correlationId, streamId, version, channel, credentials, imageCorrelationId, clientInfo) =>
        this.#newControlSession(correlationId, streamId, version, channel, credentials, imageCorrelationId, clientInfo),
      challengeResponse: (controlSessionId, correlationId, credentials) =>
        this.#sessions.get(controlSessionId)?.onChallengeResponse(correlationId, credentials, this.#nowMs),
      closeSession: (controlSessionId) => this.#sessions.get(controlSessionId)?.abort(SESSION_CLOSED_MSG),
      keepAlive: (controlSessionId) => {
        this.#sessions.get(controlSessionId)?.attemptToActivate();
      },
      session: (controlSessionId, correlationId, templateId) =>
        this.#active(controlSessionId, correlationId, templateId),
      archiveId: (s, correlationId) => s.sendOkResponse(correlationId, this.#archiveId, this.#nowMs),
      startRecording: (s, correlationId, streamId, source, autoStop, channel) => {
        this.#onStartRecording(s, correlationId, streamId, source, autoStop, channel);
      },
      stopRecording: (s, correlationId, streamId, channel) =>
        this.#onStopRecording(s, correlationId, streamId, channel),
      stopRecordingSubscription: (s, correlationId, subscriptionId) => {
        if (this.#stopRecordingSubscription(subscriptionId)) s.sendOkResponse(correlationId, 0, this.#nowMs);
        else
          s.sendErrorResponse(
            correlationId,
            ArchiveErrorCode.UNKNOWN_SUBSCRIPTION,
            `no recording subscription found for subscriptionId=${subscriptionId}`,
            this.#nowMs,
          );
      },
      stopRecordingByIdentity: (s, correlationId, recordingId) =>
        this.#onStopRecordingByIdentity(s, correlationId, recordingId),
      listRecordings: (s, correlationId, from, count, streamId, fragment) =>
        catalog().listRecordings(s, correlationId, from, count, streamId, fragment),
      listRecording: (s, correlationId, recordingId) => catalog().listRecording(s, correlationId, recordingId),
      findLastMatchingRecording: (s, correlationId, min, sessionId, streamId, channel) =>
        catalog().findLastMatchingRecording(s, correlationId, min, sessionId, streamId, channel),
      recordingPosition: (s, correlationId, recordingId) => catalog().recordingPosition(s, correlationId, recordingId),
      startPosition: (s, correlationId, recordingId) => catalog().startPosition(s, correlationId, recordingId),
      stopPosition: (s, correlationId, recordingId) => catalog().stopPosition(s, correlationId, recordingId),
      maxRecordedPosition: (s, correlationId, recordingId) =>
        catalog().maxRecordedPosition(s, correlationId, recordingId),
      startReplay: (
        s,
        correlationId,
        recordingId,
        position,
        length,
        limitCounterId,
        fileIoMaxLength,
        streamId,
        channel,
      ) =>
        this.#onStartReplay(
          s,
          correlationId,
          recordingId,
          position,
          length,
          fileIoMaxLength,
          streamId,
          channel,
          limitCounterId,
        ),
      stopReplay: (s, correlationId, replaySessionId) => {
        this.#replays.get(replaySessionId)?.abort();
        s.sendOkResponse(correlationId, 0, this.#nowMs);
      },
      replayToken: (s, correlationId, recordingId) =>
        s.sendOkResponse(correlationId, this.#replayTokens.generate(s, recordingId, this.#nowMs), this.#nowMs),
      replaySession: (replayToken, recordingId) => this.#replayTokens.session(replayToken, recordingId, this.#nowMs),
      stopAllReplays: (s, correlationId, recordingId) => {
        for (let i = 0; i < this.#replayList.length; i++) {
          const replay = this.#replayList[i] as ReplaySession;
          if (recordingId === -1 || replay.recordingId === recordingId) replay.abort();
        }
        s.sendOkResponse(correlationId, 0, this.#nowMs);
      },
      extendRecording: (s, correlationId, recordingId, streamId, source, autoStop, channel) => {
        this.#onExtendRecording(s, correlationId, recordingId, streamId, source, autoStop, channel);
      },
      truncateRecording: (s, correlationId, recordingId, position) =>
        segments().truncateRecording(s, correlationId, recordingId, position),
      purgeRecording: (s, correlationId, recordingId) => segments().purgeRecording(s, correlationId, recordingId),
      listRecordingSubscriptions: (s, correlationId, pseudoIndex, count, applyStreamId, streamId, fragment) =>
        catalog().listRecordingSubscriptions(s, correlationId, pseudoIndex, count, applyStreamId, streamId, fragment),
      updateChannel: (s, correlationId, recordingId, channel) =>
        catalog().updateChannel(s, correlationId, recordingId, channel),
      detachSegments: (s, correlationId, recordingId, position) =>
        segments().detachSegments(s, correlationId, recordingId, position),
      deleteDetachedSegments: (s, correlationId, recordingId) =>
        segments().deleteDetachedSegments(s, correlationId, recordingId),
      purgeSegments: (s, correlationId, recordingId, position) =>
        segments().purgeSegments(s, correlationId, recordingId, position),
      attachSegments: (s, correlationId, recordingId) => segments().attachSegments(s, correlationId, recordingId),
      migrateSegments: (s, correlationId, src, dst) => segments().migrateSegments(s, correlationId, src, dst),
      replicate: (s, correlationId, request) => this.#onReplicate(s, correlationId, request),
      stopReplication: (s, correlationId, replicationId) => {
        // Java `stopReplication`: the session ends (and is closed) in the duty cycle
        const replication = this.#replications.get(replicationId);
        if (replication === undefined) {
          s.sendErrorResponse(
            correlationId,
            ArchiveErrorCode.UNKNOWN_REPLICATION,
            `unknown replication id ${replicationId}`,
            this.#nowMs,
          );
          return;
        }
        this.#replications.delete(replicationId);
        replication.abort('stop replication');
        s.sendOkResponse(correlationId, 0, this.#nowMs);
      },
      unsupported: (s, correlationId, templateId) =>
        s.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.GENERIC,
          `unsupported request templateId=${templateId} (the TypeScript archive does not answer it yet)`,
          this.#nowMs,
        ),
    };
  }

  /** Java `stopRecordingByIdentity`: OK(1) when the recording was active (now stopping), OK(0) when not. */
  #onStopRecordingByIdentity(s: ControlSession, correlationId: number, recordingId: number): void {
    if (!this.#hasRecording(s, correlationId, recordingId)) return;
    const recording = this.#recordings.get(recordingId);
    let stopped = 0;
    if (recording !== undefined) {
      const owner = this.#recordingOwners.get(recordingId);
      if (owner !== undefined) this.#stopRecordingSubscription(owner.registrationId);
      recording.abort();
      stopped = 1;
    }
    s.sendOkResponse(correlationId, stopped, this.#nowMs);
  }

  /** The session, made ACTIVE by this request, or null (unknown, or not connected yet). */
  #active(controlSessionId: number, correlationId: number, templateId: number): ControlSession | null {
    const session = this.#sessions.get(controlSessionId);
    if (session === undefined) return null;
    const authorisation = this.#ctx.authorisationService;
    if (
      authorisation !== null &&
      !authorisation.isAuthorised(ARCHIVE_SCHEMA_ID, templateId, null, session.encodedPrincipal)
    ) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.UNAUTHORISED_ACTION,
        UNAUTHORISED_ACTION_MSG,
        this.#nowMs,
      );
      return null;
    }
    return session.attemptToActivate() ? session : null;
  }

  #hasRecording(session: ControlSession, correlationId: number, recordingId: number): boolean {
    if (this.#catalog.hasRecording(recordingId)) return true;
    session.sendErrorResponse(
      correlationId,
      ArchiveErrorCode.UNKNOWN_RECORDING,
      `unknown recording id: ${recordingId}`,
      this.#nowMs,
    );
    return false;
  }

  #newControlSession(
    correlationId: number,
    streamId: number,
    version: number,
    channel: string,
    encodedCredentials: Uint8Array,
    imageCorrelationId: number,
    clientInfo: string,
  ): void {
    const controlSessionId = this.#nextSessionId++;
    const image = this.#requestImage;
    const imageInfo = `sourceIdentity=${image?.sourceIdentity ?? ''} sessionId=${image?.sessionId ?? 0}`;
    const sessionCounterRegistrationId = allocateControlSessionCounter(
      this.#aeron,
      this.#archiveId,
      controlSessionId,
      clientInfo === '' ? imageInfo : `${clientInfo} ${imageInfo}`,
    );
    const session = new ControlSession(
      this.#aeron,
      this.#proxy,
      controlSessionId,
      correlationId,
      controlResponseChannel(channel, this.#ctx, imageCorrelationId),
      streamId,
      invalidVersionMessage(version),
      this.#ctx.connectTimeoutMs,
      this.#ctx.sessionLivenessCheckIntervalMs,
      this.#nowMs,
      this.#ctx.authenticator,
      sessionCounterRegistrationId,
    );
    this.#ctx.authenticator?.onConnectRequest(controlSessionId, encodedCredentials, this.#nowMs);
    this.#sessions.set(controlSessionId, session);
    this.#sessionList.push(session);
    this.#controlSessionsCounter?.increment();
  }

  #onStartRecording(
    session: ControlSession,
    correlationId: number,
    streamId: number,
    sourceLocation: number,
    autoStop: boolean,
    originalChannel: string,
    extendRecordingId = -1,
  ): RecordingSubscription | string {
    const now = this.#nowMs;
    if (this.#recordings.size + this.#pendingRecordings.length >= this.#ctx.maxConcurrentRecordings) {
      const msg = `max concurrent recordings reached ${this.#ctx.maxConcurrentRecordings}`;
      session.sendErrorResponse(correlationId, ArchiveErrorCode.MAX_RECORDINGS, msg, now);
      return msg;
    }
    // Java `isLowStorageSpace`
    const threshold = this.#ctx.lowStorageSpaceThreshold;
    const usableSpace = usableSpaceOf(this.#ctx.archiveDir);
    if (usableSpace <= threshold) {
      const msg = `low storage threshold=${threshold} <= usableSpace=${usableSpace}`;
      session.sendErrorResponse(correlationId, ArchiveErrorCode.STORAGE_SPACE, msg, now);
      return msg;
    }
    let uri: ChannelUri;
    try {
      uri = ChannelUri.parse(originalChannel);
    } catch (e) {
      const msg = String((e as Error).message);
      session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, msg, now);
      return msg;
    }
    const key = recordingKey(streamId, uri);
    for (const existing of this.#recordingSubscriptions.values()) {
      if (existing.key === key) {
        const msg = `recording exists for streamId=${streamId} channel=${originalChannel}`;
        session.sendErrorResponse(correlationId, ArchiveErrorCode.ACTIVE_SUBSCRIPTION, msg, now);
        return msg;
      }
    }
    const strippedChannel = strippedChannelBuilder(uri).build();
    const channel =
      sourceLocation === SourceLocation.LOCAL && uri.isUdp ? SPY_PREFIX + strippedChannel : strippedChannel;
    const holder: { sub: RecordingSubscription | null } = { sub: null };
    const registrationId = this.#aeron.asyncAddSubscription(
      channel,
      streamId,
      (image) => {
        this.#tasks.push(() => {
          if (holder.sub !== null) this.#startRecordingSession(holder.sub, image);
        });
      },
      null,
    );
    const sub: RecordingSubscription = {
      key,
      registrationId,
      streamId,
      channel,
      controlSession: session,
      correlationId,
      strippedChannel,
      originalChannel,
      subscription: null,
      extendRecordingId,
      autoStop,
    };
    holder.sub = sub;
    this.#recordingSubscriptions.set(registrationId, sub);
    session.sendOkResponse(correlationId, registrationId, now);
    return sub;
  }

  #onStopRecording(session: ControlSession, correlationId: number, streamId: number, channel: string): void {
    const now = this.#nowMs;
    let key: string;
    try {
      key = recordingKey(streamId, ChannelUri.parse(channel));
    } catch (e) {
      session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, String((e as Error).message), now);
      return;
    }
    for (const sub of this.#recordingSubscriptions.values()) {
      if (sub.key === key) {
        this.#stopRecordingSubscription(sub.registrationId);
        session.sendOkResponse(correlationId, 0, now);
        return;
      }
    }
    session.sendErrorResponse(
      correlationId,
      ArchiveErrorCode.UNKNOWN_SUBSCRIPTION,
      `no recording found for streamId=${streamId} channel=${channel}`,
      now,
    );
  }

  #stopRecordingSubscription(subscriptionId: number): boolean {
    const sub = this.#recordingSubscriptions.get(subscriptionId);
    if (sub === undefined) return false;
    this.#recordingSubscriptions.delete(subscriptionId);
    for (const [recordingId, owner] of this.#recordingOwners) {
      if (owner === sub) this.#recordings.get(recordingId)?.abort();
    }
    const subscription = sub.subscription ?? this.#aeron.getSubscription(subscriptionId);
    if (subscription !== null) subscription.close();
    else void this.#aeron.removeSubscription(subscriptionId).catch(() => {});
    return true;
  }

  #startRecordingSession(sub: RecordingSubscription, image: Image): void {
    if (!this.#recordingSubscriptions.has(sub.registrationId)) return;
    sub.subscription ??= this.#aeron.getSubscription(sub.registrationId);
    const ctx = this.#ctx;
    const termLength = image.termBufferLength;
    const streamId = image.subscription.streamId;
    const extension = sub.extendRecordingId >= 0;
    let recordingId: number;
    let startPosition: number;
    let segmentFileLength: number;
    if (extension) {
      recordingId = sub.extendRecordingId;
      if (!this.#isValidExtension(sub, image)) return;
      const summary = this.#catalog.recordingSummary(recordingId, newRecordingSummary());
      startPosition = summary.startPosition;
      segmentFileLength = summary.segmentFileLength;
      this.#catalog.extendRecording(
        recordingId,
        sub.controlSession.controlSessionId,
        sub.correlationId,
        image.sessionId,
      );
    } else {
      segmentFileLength = Math.max(ctx.segmentFileLength, termLength);
      startPosition = image.joinPosition;
      recordingId = this.#catalog.addNewRecording({
        startPosition,
        startTimestamp: this.#nowMs,
        initialTermId: image.initialTermId,
        segmentFileLength,
        termBufferLength: termLength,
        mtuLength: image.mtuLength,
        sessionId: image.sessionId,
        streamId,
        strippedChannel: sub.strippedChannel,
        originalChannel: sub.originalChannel,
        sourceIdentity: image.sourceIdentity,
      });
    }
    const { key, label } = recordingPositionCounter(
      this.#archiveId,
      recordingId,
      image.sessionId,
      streamId,
      sub.strippedChannel,
      image.sourceIdentity,
    );
    const counterRegistrationId = this.#aeron.asyncAddCounter(RECORDING_POSITION_TYPE_ID, label, key);
    const writer = new RecordingWriter({
      recordingId,
      startPosition,
      joinPosition: image.joinPosition,
      termLength,
      segmentLength: segmentFileLength,
      archiveDir: ctx.archiveDir,
      fileSyncLevel: ctx.fileSyncLevel,
      totals: this.#ioTotals?.recorder ?? null,
    });
    writer.init();
    this.#pendingRecordings.push({ extension, image, sub, recordingId, writer, counterRegistrationId });
  }

  /** Java `validateImageForExtendRecording`: the image must continue the recording exactly. */
  #isValidExtension(sub: RecordingSubscription, image: Image): boolean {
    const recordingId = sub.extendRecordingId;
    let msg: string | null = null;
    if (this.#recordings.has(recordingId)) {
      msg = `cannot extend active recording ${recordingId} streamId=${image.subscription.streamId} channel=${sub.originalChannel}`;
      sub.controlSession.sendErrorResponse(sub.correlationId, ArchiveErrorCode.ACTIVE_RECORDING, msg, this.#nowMs);
      return false;
    }
    msg = extensionRefusal(this.#catalog.recordingSummary(recordingId, newRecordingSummary()), image);
    if (msg === null) return true;
    sub.controlSession.sendErrorResponse(sub.correlationId, ArchiveErrorCode.INVALID_EXTENSION, msg, this.#nowMs);
    return false;
  }

  #startPendingRecordings(): number {
    let work = 0;
    for (let i = this.#pendingRecordings.length - 1; i >= 0; i--) {
      const p = this.#pendingRecordings[i] as PendingRecording;
      let counter: Counter | null = null;
      try {
        counter = this.#aeron.getCounter(p.counterRegistrationId);
      } catch (e) {
        this.#errorHandler(e);
        this.#pendingRecordings.splice(i, 1);
        p.writer.close();
        continue;
      }
      if (counter === null) continue;
      this.#pendingRecordings.splice(i, 1);
      const session = new RecordingSession(
        p.recordingId,
        p.image,
        p.sub.registrationId,
        p.sub.correlationId,
        p.writer,
        counter,
        this.#ctx.fileIoMaxLength,
        this.#events,
        p.sub.originalChannel,
      );
      this.#recordings.set(p.recordingId, session);
      this.#recordingList.push(session);
      this.#recordingOwners.set(p.recordingId, p.sub);
      p.sub.controlSession.sendSignal(
        p.sub.correlationId,
        p.recordingId,
        p.sub.registrationId,
        p.image.joinPosition,
        p.extension ? RecordingSignal.EXTEND : RecordingSignal.START,
        this.#nowMs,
      );
      work++;
    }
    return work;
  }

  /** Java `extendRecording`'s checks, then a recording subscription that continues `recordingId`. */
  #onExtendRecording(
    session: ControlSession,
    correlationId: number,
    recordingId: number,
    streamId: number,
    sourceLocation: number,
    autoStop: boolean,
    channel: string,
  ): RecordingSubscription | string {
    const now = this.#nowMs;
    let msg: string | null = null;
    let code: number = ArchiveErrorCode.GENERIC;
    if (this.#recordings.size + this.#pendingRecordings.length >= this.#ctx.maxConcurrentRecordings) {
      msg = `max concurrent recordings reached at ${this.#ctx.maxConcurrentRecordings}`;
      code = ArchiveErrorCode.MAX_RECORDINGS;
    } else if (!this.#catalog.hasRecording(recordingId)) {
      msg = `unknown recording id: ${recordingId}`;
      code = ArchiveErrorCode.UNKNOWN_RECORDING;
    } else {
      const summary = this.#catalog.recordingSummary(recordingId, newRecordingSummary());
      if (streamId !== summary.streamId) {
        msg = `cannot extend recording ${recordingId} with streamId=${streamId} for existing streamId=${summary.streamId}`;
        code = ArchiveErrorCode.UNKNOWN_RECORDING;
      } else if (this.#recordings.has(recordingId)) {
        msg = `cannot extend active recording ${recordingId}`;
        code = ArchiveErrorCode.ACTIVE_RECORDING;
      }
    }
    if (msg !== null) {
      session.sendErrorResponse(correlationId, code, msg, now);
      return msg;
    }
    return this.#onStartRecording(session, correlationId, streamId, sourceLocation, autoStop, channel, recordingId);
  }

  /** Java `replicate`: the request's checks, then a replication worked by the duty cycle; OK(replicationId). */
  #onReplicate(session: ControlSession, correlationId: number, request: ReplicationRequest): void {
    const now = this.#nowMs;
    const replicationChannel =
      request.replicationChannel === '' ? this.#ctx.replicationChannel : request.replicationChannel;
    let msg: string | null = null;
    let code: number = ArchiveErrorCode.GENERIC;
    let uri: ChannelUri | null = null;
    try {
      uri = ChannelUri.parse(replicationChannel);
    } catch (e) {
      msg = String((e as Error).message);
    }
    const tagged = request.channelTagId !== -1 || request.subscriptionTagId !== -1;
    if (uri?.hasControlModeResponse() === true) {
      if (request.liveDestination !== '') msg = "response channels can't be used with live destinations";
      else if (tagged) msg = "response channels can't be used with tagged replication";
    }
    const dstRecordingId = request.dstRecordingId;
    const hasRecording = msg === null && this.#catalog.hasRecording(dstRecordingId);
    let summary: RecordingSummary | null = null;
    if (msg === null && dstRecordingId !== -1 && !hasRecording) {
      msg = `unknown destination recording id ${dstRecordingId}`;
      code = ArchiveErrorCode.UNKNOWN_RECORDING;
    } else if (hasRecording) {
      summary = this.#catalog.recordingSummary(dstRecordingId, newRecordingSummary());
      if (summary.stopPosition === NULL_POSITION || this.#recordings.has(dstRecordingId)) {
        msg = `cannot replicate to active recording ${dstRecordingId}`;
        code = ArchiveErrorCode.ACTIVE_RECORDING;
      }
    }
    if (msg !== null) {
      session.sendErrorResponse(correlationId, code, msg, now);
      return;
    }
    const replicationId = this.#nextSessionId++;
    const replication = new ReplicationSession(
      replicationId,
      { ...request, replicationChannel },
      summary,
      session,
      this.#replicationHost,
      now,
    );
    this.#replications.set(replicationId, replication);
    this.#replicationList.push(replication);
    session.sendOkResponse(correlationId, replicationId, now);
  }

  /** Java `ReplicationSession.close` once it is done (the conductor's close included). */
  #closeReplication(replication: ReplicationSession): void {
    this.#replications.delete(replication.replicationId);
    try {
      replication.close();
    } catch (e) {
      this.#errorHandler(e);
    }
  }

  #recordingStopped(recording: RecordingSession): void {
    if (!this.#recordings.has(recording.recordingId)) return;
    this.#recordings.delete(recording.recordingId);
    const index = this.#recordingList.indexOf(recording);
    if (index >= 0) this.#recordingList.splice(index, 1);
    const owner = this.#recordingOwners.get(recording.recordingId);
    this.#recordingOwners.delete(recording.recordingId);
    const position = recording.position;
    this.#catalog.recordingStopped(recording.recordingId, position, Date.now());
    recording.counter.close();
    if (recording.error !== null) this.#errorHandler(recording.error);
    if (owner !== undefined && !owner.controlSession.isDone()) {
      // Java closeRecordingSession: sendPendingError, then the STOP signal
      const pending = recording.pendingError();
      if (pending !== null) {
        owner.controlSession.sendErrorResponse(owner.correlationId, pending.code, pending.message, this.#nowMs);
      }
      owner.controlSession.sendSignal(
        owner.correlationId,
        recording.recordingId,
        owner.registrationId,
        position,
        RecordingSignal.STOP,
        this.#nowMs,
      );
    }
    // Java: after the STOP signal an autoStop recording subscription is closed and removed
    if (owner?.autoStop === true) this.#stopRecordingSubscription(owner.registrationId);
  }

  #onStartReplay(
    session: ControlSession,
    correlationId: number,
    recordingId: number,
    position: number,
    length: number,
    fileIoMaxLength: number,
    replayStreamId: number,
    replayChannel: string,
    limitCounterId: number | null,
  ): void {
    const now = this.#nowMs;
    let limitCounter: ReplayLimitSource | null = null;
    if (limitCounterId !== null) {
      const opened = CounterLimitSource.open(this.#aeron.countersReader, limitCounterId);
      if (typeof opened === 'string') {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.GENERIC,
          `unable to create replay limit counter id= ${limitCounterId} because of: ${opened}`,
          now,
        );
        return;
      }
      limitCounter = opened;
    }
    if (this.#replays.size + this.#pendingReplays.length >= this.#ctx.maxConcurrentReplays) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.MAX_REPLAYS,
        `max concurrent replays reached ${this.#ctx.maxConcurrentReplays}`,
        now,
      );
      return;
    }
    if (!this.#catalog.hasRecording(recordingId)) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.UNKNOWN_RECORDING,
        `unknown recording id: ${recordingId}`,
        now,
      );
      return;
    }
    const summary = this.#catalog.recordingSummary(recordingId, newRecordingSummary());
    // Java: the caller's limit counter, else an active recording's rec-pos bounds the replay
    const limit: ReplayLimitSource | null = limitCounter ?? this.#recordings.get(recordingId) ?? null;
    const limitPosition = limit === null ? NULL_POSITION : limit.position;
    const resolved = resolveReplay(
      summary,
      position,
      length,
      limitPosition,
      fileIoMaxLength,
      replayChannel,
      this.#ctx.replayLingerTimeoutNs,
    );
    if ('message' in resolved) {
      session.sendErrorResponse(correlationId, resolved.code, resolved.message, now);
      return;
    }
    const { replayPosition, replayLength, stopPosition, channel } = resolved;
    const startPosition = summary.startPosition;
    const publicationRegistrationId = this.#aeron.asyncAddExclusivePublication(channel, replayStreamId);
    const buffer =
      fileIoMaxLength > 0 && fileIoMaxLength < this.#replayBuffer.length
        ? this.#replayBuffer.subarray(0, fileIoMaxLength)
        : this.#replayBuffer;
    this.#pendingReplays.push({
      publicationRegistrationId,
      controlSession: session,
      start: (nowMs) => {
        const publication = this.#aeron.getExclusivePublication(publicationRegistrationId);
        if (publication === null) return false;
        const replaySessionId = this.#replayId++ * 4294967296 + (publication.sessionId >>> 0);
        const replay = new ReplaySession(
          {
            correlationId,
            recordingId,
            replayPosition,
            replayLength,
            startPosition,
            stopPosition,
            segmentFileLength: summary.segmentFileLength,
            termBufferLength: summary.termBufferLength,
            streamId: summary.streamId,
            replaySessionId,
            archiveDir: this.#ctx.archiveDir,
            connectTimeoutMs: this.#ctx.connectTimeoutMs,
            totals: this.#ioTotals?.replayer ?? null,
          },
          publication,
          buffer,
          {
            onStarted: (c, id) => session.sendOkResponse(c, id, this.#nowMs),
            onError: (c, code, message) => session.sendErrorResponse(c, code, message, this.#nowMs),
          },
          nowMs,
          limit,
        );
        this.#replays.set(replaySessionId, replay);
        this.#replayList.push(replay);
        return true;
      },
    });
  }

  #startPendingReplays(nowMs: number): number {
    let work = 0;
    for (let i = this.#pendingReplays.length - 1; i >= 0; i--) {
      const p = this.#pendingReplays[i] as PendingReplay;
      let started = false;
      try {
        started = p.start(nowMs);
      } catch (e) {
        this.#pendingReplays.splice(i, 1);
        p.controlSession.sendErrorResponse(0, ArchiveErrorCode.GENERIC, String((e as Error).message), nowMs);
        this.#errorHandler(e);
        continue;
      }
      if (started) {
        this.#pendingReplays.splice(i, 1);
        work++;
      }
    }
    return work;
  }
}

/** The bytes a non-privileged user may still write in `dir`'s file system (Java `FileStore.getUsableSpace`). */
function usableSpaceOf(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}
