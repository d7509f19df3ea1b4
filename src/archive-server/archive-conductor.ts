/**
 * The archive's duty cycle (Java `ArchiveConductor` + `ControlSessionAdapter` in the SHARED threading mode:
 * conductor, recorder and replayer work in one cycle).
 *
 * Each cycle: the mark file's activity timestamp (once a second); the control subscriptions' requests, decoded
 * and dispatched (CONNECT / AUTH_CONNECT create a session; the others go to their session by controlSessionId,
 * unknown sessions are ignored as Java ignores them); the tasks queued by image handlers (a recording starts);
 * then every control session, listing, recording and replay does its work.
 *
 * Requests answered so far, with Java's responses and messages: CONNECT, AUTH_CONNECT (no authenticator),
 * KEEP_ALIVE, CLOSE_SESSION, ARCHIVE_ID, START_RECORDING (1 and 2), STOP_RECORDING, STOP_RECORDING_SUBSCRIPTION,
 * STOP_RECORDING_BY_IDENTITY, LIST_RECORDINGS, LIST_RECORDINGS_FOR_URI, LIST_RECORDING,
 * FIND_LAST_MATCHING_RECORDING, RECORDING_POSITION, STOP_POSITION, MAX_RECORDED_POSITION, REPLAY, STOP_REPLAY,
 * STOP_ALL_REPLAYS, EXTEND_RECORDING (1 and 2), TRUNCATE_RECORDING, PURGE_RECORDING (segment files deleted at once,
 * then the DELETE signal; Java deletes them over a few duty cycles).
 * Any other request gets ERROR "unsupported request templateId=<id>" (GENERIC) from this archive.
 */

import { ArchiveIdRequestDecoder } from '../../codecs/generated/archive/ArchiveIdRequestDecoder.ts';
import { AttachSegmentsRequestDecoder } from '../../codecs/generated/archive/AttachSegmentsRequestDecoder.ts';
import { AuthConnectRequestDecoder } from '../../codecs/generated/archive/AuthConnectRequestDecoder.ts';
import { BoundedReplayRequestDecoder } from '../../codecs/generated/archive/BoundedReplayRequestDecoder.ts';
import { CloseSessionRequestDecoder } from '../../codecs/generated/archive/CloseSessionRequestDecoder.ts';
import { ConnectRequestDecoder } from '../../codecs/generated/archive/ConnectRequestDecoder.ts';
import { DeleteDetachedSegmentsRequestDecoder } from '../../codecs/generated/archive/DeleteDetachedSegmentsRequestDecoder.ts';
import { DetachSegmentsRequestDecoder } from '../../codecs/generated/archive/DetachSegmentsRequestDecoder.ts';
import { ExtendRecordingRequest2Decoder } from '../../codecs/generated/archive/ExtendRecordingRequest2Decoder.ts';
import { ExtendRecordingRequestDecoder } from '../../codecs/generated/archive/ExtendRecordingRequestDecoder.ts';
import { FindLastMatchingRecordingRequestDecoder } from '../../codecs/generated/archive/FindLastMatchingRecordingRequestDecoder.ts';
import { KeepAliveRequestDecoder } from '../../codecs/generated/archive/KeepAliveRequestDecoder.ts';
import { ListRecordingRequestDecoder } from '../../codecs/generated/archive/ListRecordingRequestDecoder.ts';
import { ListRecordingSubscriptionsRequestDecoder } from '../../codecs/generated/archive/ListRecordingSubscriptionsRequestDecoder.ts';
import { ListRecordingsForUriRequestDecoder } from '../../codecs/generated/archive/ListRecordingsForUriRequestDecoder.ts';
import { ListRecordingsRequestDecoder } from '../../codecs/generated/archive/ListRecordingsRequestDecoder.ts';
import { MaxRecordedPositionRequestDecoder } from '../../codecs/generated/archive/MaxRecordedPositionRequestDecoder.ts';
import { MessageHeaderDecoder } from '../../codecs/generated/archive/MessageHeaderDecoder.ts';
import { MigrateSegmentsRequestDecoder } from '../../codecs/generated/archive/MigrateSegmentsRequestDecoder.ts';
import { PurgeRecordingRequestDecoder } from '../../codecs/generated/archive/PurgeRecordingRequestDecoder.ts';
import { PurgeSegmentsRequestDecoder } from '../../codecs/generated/archive/PurgeSegmentsRequestDecoder.ts';
import { RecordingPositionRequestDecoder } from '../../codecs/generated/archive/RecordingPositionRequestDecoder.ts';
import { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { ReplayRequestDecoder } from '../../codecs/generated/archive/ReplayRequestDecoder.ts';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { StartPositionRequestDecoder } from '../../codecs/generated/archive/StartPositionRequestDecoder.ts';
import { StartRecordingRequest2Decoder } from '../../codecs/generated/archive/StartRecordingRequest2Decoder.ts';
import { StartRecordingRequestDecoder } from '../../codecs/generated/archive/StartRecordingRequestDecoder.ts';
import { StopAllReplaysRequestDecoder } from '../../codecs/generated/archive/StopAllReplaysRequestDecoder.ts';
import { StopPositionRequestDecoder } from '../../codecs/generated/archive/StopPositionRequestDecoder.ts';
import { StopRecordingByIdentityRequestDecoder } from '../../codecs/generated/archive/StopRecordingByIdentityRequestDecoder.ts';
import { StopRecordingRequestDecoder } from '../../codecs/generated/archive/StopRecordingRequestDecoder.ts';
import { StopRecordingSubscriptionRequestDecoder } from '../../codecs/generated/archive/StopRecordingSubscriptionRequestDecoder.ts';
import { StopReplayRequestDecoder } from '../../codecs/generated/archive/StopReplayRequestDecoder.ts';
import { TruncateRecordingRequestDecoder } from '../../codecs/generated/archive/TruncateRecordingRequestDecoder.ts';
import { UpdateChannelRequestDecoder } from '../../codecs/generated/archive/UpdateChannelRequestDecoder.ts';
import { PROTOCOL_SEMANTIC_VERSION } from '../archive/archive-context.ts';
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import type { Image } from '../client/image.ts';
import type { Subscription } from '../client/subscription.ts';
import { ChannelUri, SPY_PREFIX } from '../logbuffer/channel-uri.ts';
import { FragmentAssembler } from '../logbuffer/fragment-assembler.ts';
import type { ReadableBuffer } from '../logbuffer/log-buffer-memory.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import type { ArchiveMarkFile } from './archive-mark-file.ts';
import { MARK_FILE_UPDATE_INTERVAL_MS } from './archive-mark-file.ts';
import type { ArchiveServerContext } from './archive-options.ts';
import { type Catalog, newRecordingSummary } from './catalog.ts';
import { ControlResponseProxy } from './control-response-proxy.ts';
import { ControlSession, SESSION_CLOSED_MSG, type SessionWork } from './control-session.ts';
import { CounterLimitSource } from './counter-limit-source.ts';
import { ListRecordingSubscriptionsSession, ListRecordingsSession } from './list-recordings-session.ts';
import { RECORDING_POSITION_TYPE_ID, RecordingSession, recordingPositionCounter } from './recording-session.ts';
import { RecordingWriter } from './recording-writer.ts';
import { type ReplayLimitSource, ReplaySession } from './replay-session.ts';
import { SegmentOperations } from './segment-operations.ts';
import { recordingKey, strippedChannelBuilder } from './stripped-channel.ts';

/** Java's ArchiveException codes (moved to archive-error-code.ts; exported here as before). */
export { ArchiveErrorCode };

/** The archive control protocol's SBE schema id. */
const ARCHIVE_SCHEMA_ID = 101;
const CONTROL_FRAGMENT_LIMIT = 10;
/** AeronArchive.REPLAY_ALL_AND_FOLLOW (NULL_LENGTH). */
const REPLAY_ALL_AND_FOLLOW = -1;
/** AeronArchive.REPLAY_ALL_AND_STOP. */
const REPLAY_ALL_AND_STOP = -2;

interface RecordingSubscription {
  readonly key: string;
  /** The recording an EXTEND_RECORDING continues, or -1 for new recordings. */
  readonly extendRecordingId: number;
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
  readonly #scratch = new Uint8Array(64 * 1024);
  readonly #header = new MessageHeaderDecoder();
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
  readonly #replayBuffer: Uint8Array;
  readonly #tasks: Array<() => void> = [];
  #nextSessionId = 1;
  #replayId = 1;
  #markFileDeadlineMs = 0;
  #nowMs = 0;

  readonly #connect = new ConnectRequestDecoder();
  readonly #authConnect = new AuthConnectRequestDecoder();
  readonly #close = new CloseSessionRequestDecoder();
  readonly #keepAlive = new KeepAliveRequestDecoder();
  readonly #archiveIdRequest = new ArchiveIdRequestDecoder();
  readonly #startRecording = new StartRecordingRequestDecoder();
  readonly #startRecording2 = new StartRecordingRequest2Decoder();
  readonly #stopRecording = new StopRecordingRequestDecoder();
  readonly #stopRecordingSubscriptionRequest = new StopRecordingSubscriptionRequestDecoder();
  readonly #stopRecordingByIdentity = new StopRecordingByIdentityRequestDecoder();
  readonly #listRecordings = new ListRecordingsRequestDecoder();
  readonly #listRecordingsForUri = new ListRecordingsForUriRequestDecoder();
  readonly #listRecording = new ListRecordingRequestDecoder();
  readonly #findLast = new FindLastMatchingRecordingRequestDecoder();
  readonly #recordingPosition = new RecordingPositionRequestDecoder();
  readonly #stopPosition = new StopPositionRequestDecoder();
  readonly #maxRecordedPosition = new MaxRecordedPositionRequestDecoder();
  readonly #replay = new ReplayRequestDecoder();
  readonly #stopReplay = new StopReplayRequestDecoder();
  readonly #extendRecording = new ExtendRecordingRequestDecoder();
  readonly #extendRecording2 = new ExtendRecordingRequest2Decoder();
  readonly #truncate = new TruncateRecordingRequestDecoder();
  readonly #purge = new PurgeRecordingRequestDecoder();
  readonly #stopAllReplays = new StopAllReplaysRequestDecoder();
  readonly #startPosition = new StartPositionRequestDecoder();
  readonly #listSubscriptions = new ListRecordingSubscriptionsRequestDecoder();
  readonly #updateChannel = new UpdateChannelRequestDecoder();
  readonly #boundedReplay = new BoundedReplayRequestDecoder();
  readonly #detachSegments = new DetachSegmentsRequestDecoder();
  readonly #deleteDetachedSegments = new DeleteDetachedSegmentsRequestDecoder();
  readonly #purgeSegments = new PurgeSegmentsRequestDecoder();
  readonly #attachSegments = new AttachSegmentsRequestDecoder();
  readonly #migrateSegments = new MigrateSegmentsRequestDecoder();
  readonly #segments: SegmentOperations;

  /** A conductor over the archive's resources; `start` adds the control subscriptions. */
  constructor(
    ctx: ArchiveServerContext,
    aeron: Aeron,
    catalog: Catalog,
    markFile: ArchiveMarkFile,
    archiveId: number,
    errorHandler: (error: unknown) => void,
  ) {
    this.#ctx = ctx;
    this.#aeron = aeron;
    this.#catalog = catalog;
    this.#markFile = markFile;
    this.#archiveId = archiveId;
    this.#errorHandler = errorHandler;
    this.#replayBuffer = new Uint8Array(ctx.fileIoMaxLength);
    this.#assembler = new FragmentAssembler((buffer, offset, length) => this.#onRequest(buffer, offset, length));
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

  /** Adds the local control subscription (and the remote one when configured). */
  async start(): Promise<void> {
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
        this.#sessions.delete(session.controlSessionId);
        sessions.splice(i, 1);
      }
    }
    const listings = this.#listings;
    for (let i = listings.length - 1; i >= 0; i--) {
      const listing = listings[i] as SessionWork;
      work += listing.doWork(nowMs);
      if (listing.isDone()) listings.splice(i, 1);
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
  }

  #onRequest(buffer: ReadableBuffer, offset: number, length: number): void {
    if (length > this.#scratch.length || length < MessageHeaderDecoder.ENCODED_LENGTH) return;
    buffer.getBytes(offset, this.#scratch, 0, length);
    const h = this.#header.wrap(this.#scratch, 0);
    if (h.schemaId() !== ARCHIVE_SCHEMA_ID) return;
    try {
      this.#dispatch(h.templateId(), h.blockLength(), h.version());
    } catch (e) {
      this.#errorHandler(e);
    }
  }

  #dispatch(templateId: number, blockLength: number, version: number): void {
    const b = this.#scratch;
    const o = MessageHeaderDecoder.ENCODED_LENGTH;
    const now = this.#nowMs;
    switch (templateId) {
      case ConnectRequestDecoder.TEMPLATE_ID: {
        const d = this.#connect.wrap(b, o, blockLength, version);
        this.#newControlSession(d.correlationId(), d.responseStreamId(), d.version(), d.responseChannel());
        return;
      }
      case AuthConnectRequestDecoder.TEMPLATE_ID: {
        const d = this.#authConnect.wrap(b, o, blockLength, version);
        const correlationId = d.correlationId();
        const streamId = d.responseStreamId();
        const clientVersion = d.version();
        const channel = d.responseChannel();
        this.#newControlSession(correlationId, streamId, clientVersion, channel);
        return;
      }
      case CloseSessionRequestDecoder.TEMPLATE_ID: {
        const d = this.#close.wrap(b, o, blockLength, version);
        this.#sessions.get(d.controlSessionId())?.abort(SESSION_CLOSED_MSG);
        return;
      }
      case KeepAliveRequestDecoder.TEMPLATE_ID: {
        const d = this.#keepAlive.wrap(b, o, blockLength, version);
        this.#sessions.get(d.controlSessionId())?.attemptToActivate();
        return;
      }
      case ArchiveIdRequestDecoder.TEMPLATE_ID: {
        const d = this.#archiveIdRequest.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        s?.sendOkResponse(d.correlationId(), this.#archiveId, now);
        return;
      }
      case StartRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#startRecording.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) {
          const correlationId = d.correlationId();
          const streamId = d.streamId();
          const source = d.sourceLocationRaw();
          this.#onStartRecording(s, correlationId, streamId, source, false, d.channel());
        }
        return;
      }
      case StartRecordingRequest2Decoder.TEMPLATE_ID: {
        const d = this.#startRecording2.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) {
          const correlationId = d.correlationId();
          const streamId = d.streamId();
          const source = d.sourceLocationRaw();
          const autoStop = d.autoStopRaw() === 1;
          this.#onStartRecording(s, correlationId, streamId, source, autoStop, d.channel());
        }
        return;
      }
      case StopRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecording.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#onStopRecording(s, d.correlationId(), d.streamId(), d.channel());
        return;
      }
      case StopRecordingSubscriptionRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecordingSubscriptionRequest.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const subscriptionId = d.subscriptionId();
        if (this.#stopRecordingSubscription(subscriptionId)) s.sendOkResponse(d.correlationId(), 0, now);
        else
          s.sendErrorResponse(
            d.correlationId(),
            ArchiveErrorCode.UNKNOWN_SUBSCRIPTION,
            `no recording subscription found for subscriptionId=${subscriptionId}`,
            now,
          );
        return;
      }
      case StopRecordingByIdentityRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecordingByIdentity.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const recordingId = d.recordingId();
        if (!this.#hasRecording(s, d.correlationId(), recordingId)) return;
        const recording = this.#recordings.get(recordingId);
        let stopped = 0;
        if (recording !== undefined) {
          const owner = this.#recordingOwners.get(recordingId);
          if (owner !== undefined) this.#stopRecordingSubscription(owner.registrationId);
          recording.abort();
          stopped = 1;
        }
        s.sendOkResponse(d.correlationId(), stopped, now);
        return;
      }
      case ListRecordingsRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecordings.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#newListing(s, d.correlationId(), d.fromRecordingId(), d.recordCount(), null, '');
        return;
      }
      case ListRecordingsForUriRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecordingsForUri.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) {
          const correlationId = d.correlationId();
          const from = d.fromRecordingId();
          const count = d.recordCount();
          const streamId = d.streamId();
          this.#newListing(s, correlationId, from, count, streamId, d.channel());
        }
        return;
      }
      case ListRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecording.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const recordingId = d.recordingId();
        if (s.activeListing !== null) {
          s.sendErrorResponse(
            d.correlationId(),
            ArchiveErrorCode.ACTIVE_LISTING,
            'active listing already in progress',
            now,
          );
        } else if (!this.#catalog.hasRecording(recordingId)) {
          s.sendRecordingUnknown(d.correlationId(), recordingId, now);
        } else {
          this.#newListing(s, d.correlationId(), recordingId, 1, null, '');
        }
        return;
      }
      case FindLastMatchingRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#findLast.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const correlationId = d.correlationId();
        const min = d.minRecordingId();
        const sessionId = d.sessionId();
        const streamId = d.streamId();
        const channel = d.channel();
        if (min < 0) {
          s.sendErrorResponse(correlationId, ArchiveErrorCode.UNKNOWN_RECORDING, `minRecordingId=${min} < 0`, now);
        } else {
          s.sendOkResponse(correlationId, this.#catalog.findLast(min, sessionId, streamId, channel), now);
        }
        return;
      }
      case RecordingPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#recordingPosition.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null || !this.#hasRecording(s, d.correlationId(), d.recordingId())) return;
        const recording = this.#recordings.get(d.recordingId());
        s.sendOkResponse(d.correlationId(), recording === undefined ? NULL_POSITION : recording.position, now);
        return;
      }
      case StopPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopPosition.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null || !this.#hasRecording(s, d.correlationId(), d.recordingId())) return;
        s.sendOkResponse(d.correlationId(), this.#catalog.stopPosition(d.recordingId()), now);
        return;
      }
      case MaxRecordedPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#maxRecordedPosition.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null || !this.#hasRecording(s, d.correlationId(), d.recordingId())) return;
        const recording = this.#recordings.get(d.recordingId());
        s.sendOkResponse(
          d.correlationId(),
          recording === undefined ? this.#catalog.stopPosition(d.recordingId()) : recording.position,
          now,
        );
        return;
      }
      case ReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#replay.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const position = d.position();
        const length = d.length();
        const replayStreamId = d.replayStreamId();
        const fileIoMaxLength = d.fileIoMaxLength();
        d.replayToken();
        this.#onStartReplay(
          s,
          correlationId,
          recordingId,
          position,
          length,
          fileIoMaxLength,
          replayStreamId,
          d.replayChannel(),
          null,
        );
        return;
      }
      case BoundedReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#boundedReplay.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const position = d.position();
        const length = d.length();
        const limitCounterId = d.limitCounterId();
        const replayStreamId = d.replayStreamId();
        const fileIoMaxLength = d.fileIoMaxLength();
        d.replayToken();
        const channel = d.replayChannel();
        const limit = CounterLimitSource.open(this.#aeron.countersReader, limitCounterId);
        if (typeof limit === 'string') {
          s.sendErrorResponse(
            correlationId,
            ArchiveErrorCode.GENERIC,
            `unable to create replay limit counter id= ${limitCounterId} because of: ${limit}`,
            now,
          );
          return;
        }
        this.#onStartReplay(
          s,
          correlationId,
          recordingId,
          position,
          length,
          fileIoMaxLength,
          replayStreamId,
          channel,
          limit,
        );
        return;
      }
      case StopReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopReplay.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        this.#replays.get(d.replaySessionId())?.abort();
        s.sendOkResponse(d.correlationId(), 0, now);
        return;
      }
      case ExtendRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#extendRecording.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) {
          const correlationId = d.correlationId();
          const recordingId = d.recordingId();
          const streamId = d.streamId();
          const source = d.sourceLocationRaw();
          this.#onExtendRecording(s, correlationId, recordingId, streamId, source, false, d.channel());
        }
        return;
      }
      case ExtendRecordingRequest2Decoder.TEMPLATE_ID: {
        const d = this.#extendRecording2.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) {
          const correlationId = d.correlationId();
          const recordingId = d.recordingId();
          const streamId = d.streamId();
          const source = d.sourceLocationRaw();
          const autoStop = d.autoStopRaw() === 1;
          this.#onExtendRecording(s, correlationId, recordingId, streamId, source, autoStop, d.channel());
        }
        return;
      }
      case TruncateRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#truncate.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.truncateRecording(s, d.correlationId(), d.recordingId(), d.position());
        return;
      }
      case PurgeRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#purge.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.purgeRecording(s, d.correlationId(), d.recordingId());
        return;
      }
      case StopAllReplaysRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopAllReplays.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const recordingId = d.recordingId();
        for (let i = 0; i < this.#replayList.length; i++) {
          const replay = this.#replayList[i] as ReplaySession;
          if (recordingId === -1 || replay.recordingId === recordingId) replay.abort();
        }
        s.sendOkResponse(d.correlationId(), 0, now);
        return;
      }
      case StartPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#startPosition.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null || !this.#hasRecording(s, d.correlationId(), d.recordingId())) return;
        s.sendOkResponse(d.correlationId(), this.#catalog.startPosition(d.recordingId()), now);
        return;
      }
      case ListRecordingSubscriptionsRequestDecoder.TEMPLATE_ID: {
        const d = this.#listSubscriptions.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const correlationId = d.correlationId();
        const pseudoIndex = d.pseudoIndex();
        const count = d.subscriptionCount();
        const applyStreamId = d.applyStreamIdRaw() === 1;
        const streamId = d.streamId();
        this.#onListRecordingSubscriptions(s, correlationId, pseudoIndex, count, applyStreamId, streamId, d.channel());
        return;
      }
      case UpdateChannelRequestDecoder.TEMPLATE_ID: {
        const d = this.#updateChannel.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        this.#onUpdateChannel(s, correlationId, recordingId, d.channel());
        return;
      }
      case DetachSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#detachSegments.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.detachSegments(s, d.correlationId(), d.recordingId(), d.newStartPosition());
        return;
      }
      case DeleteDetachedSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#deleteDetachedSegments.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.deleteDetachedSegments(s, d.correlationId(), d.recordingId());
        return;
      }
      case PurgeSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#purgeSegments.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.purgeSegments(s, d.correlationId(), d.recordingId(), d.newStartPosition());
        return;
      }
      case AttachSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#attachSegments.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.attachSegments(s, d.correlationId(), d.recordingId());
        return;
      }
      case MigrateSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#migrateSegments.wrap(b, o, blockLength, version);
        const s = this.#active(d.controlSessionId());
        if (s !== null) this.#segments.migrateSegments(s, d.correlationId(), d.srcRecordingId(), d.dstRecordingId());
        return;
      }
      default: {
        // every request of schema 101 starts with controlSessionId then correlationId
        if (blockLength < 16) return;
        const view = new DataView(b.buffer, b.byteOffset + o, 16);
        const controlSessionId = view.getInt32(4, true) * 4294967296 + view.getUint32(0, true);
        const correlationId = view.getInt32(12, true) * 4294967296 + view.getUint32(8, true);
        const s = this.#active(controlSessionId);
        s?.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.GENERIC,
          `unsupported request templateId=${templateId} (the TypeScript archive does not answer it yet)`,
          now,
        );
      }
    }
  }

  /** The session, made ACTIVE by this request, or null (unknown, or not connected yet). */
  #active(controlSessionId: number): ControlSession | null {
    const session = this.#sessions.get(controlSessionId);
    if (session === undefined) return null;
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

  #newControlSession(correlationId: number, streamId: number, version: number, channel: string): void {
    const uri = ChannelUri.parse(channel);
    const mtu = uri.get('mtu');
    const termLength = uri.get('term-length');
    const sparse = uri.get('sparse');
    const builder = strippedChannelBuilder(uri)
      .termLength(termLength === undefined ? this.#ctx.controlTermBufferLength : parseSizeParam(termLength))
      .sparse(sparse === undefined ? this.#ctx.controlTermBufferSparse : sparse === 'true')
      .mtu(mtu === undefined ? this.#ctx.controlMtuLength : parseSizeParam(mtu));
    const major = (version >>> 16) & 0xff;
    const invalidVersionMessage =
      major === 1 ? null : `invalid client version ${semver(version)}, archive is ${semver(PROTOCOL_SEMANTIC_VERSION)}`;
    const controlSessionId = this.#nextSessionId++;
    const session = new ControlSession(
      this.#aeron,
      this.#proxy,
      controlSessionId,
      correlationId,
      builder.build(),
      streamId,
      invalidVersionMessage,
      this.#ctx.connectTimeoutMs,
      this.#ctx.sessionLivenessCheckIntervalMs,
      this.#nowMs,
    );
    this.#sessions.set(controlSessionId, session);
    this.#sessionList.push(session);
  }

  #newListing(
    session: ControlSession,
    correlationId: number,
    fromRecordingId: number,
    count: number,
    streamId: number | null,
    channelFragment: string,
  ): void {
    if (session.activeListing !== null) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_LISTING,
        'active listing already in progress',
        this.#nowMs,
      );
      return;
    }
    const listing = new ListRecordingsSession(
      this.#catalog,
      session,
      correlationId,
      fromRecordingId,
      count,
      streamId,
      channelFragment,
    );
    session.activeListing = listing;
    this.#listings.push(listing);
  }

  /** Java `listRecordingSubscriptions`: a listing of the recording subscriptions, or SUBSCRIPTION_UNKNOWN. */
  #onListRecordingSubscriptions(
    session: ControlSession,
    correlationId: number,
    pseudoIndex: number,
    count: number,
    applyStreamId: boolean,
    streamId: number,
    channelFragment: string,
  ): void {
    if (session.activeListing !== null) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_LISTING,
        'active listing already in progress',
        this.#nowMs,
      );
    } else if (pseudoIndex < 0 || pseudoIndex >= this.#recordingSubscriptions.size || count <= 0) {
      session.sendSubscriptionUnknown(correlationId, this.#nowMs);
    } else {
      const listing = new ListRecordingSubscriptionsSession(
        this.#recordingSubscriptions,
        session,
        correlationId,
        pseudoIndex,
        count,
        applyStreamId,
        streamId,
        channelFragment,
      );
      session.activeListing = listing;
      this.#listings.push(listing);
    }
  }

  /**
   * Java `updateChannel` (its `UpdateChannelSession` done at once): the descriptor's original channel and
   * stripped channel replaced, the other fields kept; OK.
   */
  #onUpdateChannel(session: ControlSession, correlationId: number, recordingId: number, channel: string): void {
    const now = this.#nowMs;
    if (session.activeListing !== null) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_LISTING,
        'active listing already in progress',
        now,
      );
    } else if (!this.#catalog.hasRecording(recordingId)) {
      session.sendRecordingUnknown(correlationId, recordingId, now);
    } else {
      let stripped: string;
      try {
        stripped = strippedChannelBuilder(ChannelUri.parse(channel)).build();
      } catch (e) {
        session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, String((e as Error).message), now);
        return;
      }
      this.#catalog.replaceChannels(recordingId, stripped, channel);
      session.sendOkResponse(correlationId, 0, now);
    }
  }

  #onStartRecording(
    session: ControlSession,
    correlationId: number,
    streamId: number,
    sourceLocation: number,
    autoStop: boolean,
    originalChannel: string,
    extendRecordingId = -1,
  ): void {
    const now = this.#nowMs;
    if (this.#recordings.size + this.#pendingRecordings.length >= this.#ctx.maxConcurrentRecordings) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.MAX_RECORDINGS,
        `max concurrent recordings reached ${this.#ctx.maxConcurrentRecordings}`,
        now,
      );
      return;
    }
    let uri: ChannelUri;
    try {
      uri = ChannelUri.parse(originalChannel);
    } catch (e) {
      session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, String((e as Error).message), now);
      return;
    }
    const key = recordingKey(streamId, uri);
    for (const existing of this.#recordingSubscriptions.values()) {
      if (existing.key === key) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.ACTIVE_SUBSCRIPTION,
          `recording exists for streamId=${streamId} channel=${originalChannel}`,
          now,
        );
        return;
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
    };
    holder.sub = sub;
    void autoStop;
    this.#recordingSubscriptions.set(registrationId, sub);
    session.sendOkResponse(correlationId, registrationId, now);
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
    const r = this.#catalog.recordingSummary(recordingId, newRecordingSummary());
    if (image.joinPosition !== r.stopPosition) {
      msg = `cannot extend recording ${recordingId} image.joinPosition=${image.joinPosition} != rec.stopPosition=${r.stopPosition}`;
    } else if (image.initialTermId !== r.initialTermId) {
      msg = `cannot extend recording ${recordingId} image.initialTermId=${image.initialTermId} != rec.initialTermId=${r.initialTermId}`;
    } else if (image.termBufferLength !== r.termBufferLength) {
      msg = `cannot extend recording ${recordingId} image.termBufferLength=${image.termBufferLength} != rec.termBufferLength=${r.termBufferLength}`;
    } else if (image.mtuLength !== r.mtuLength) {
      msg = `cannot extend recording ${recordingId} image.mtuLength=${image.mtuLength} != rec.mtuLength=${r.mtuLength}`;
    }
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
  ): void {
    const now = this.#nowMs;
    if (this.#recordings.size + this.#pendingRecordings.length >= this.#ctx.maxConcurrentRecordings) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.MAX_RECORDINGS,
        `max concurrent recordings reached at ${this.#ctx.maxConcurrentRecordings}`,
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
    if (streamId !== summary.streamId) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.UNKNOWN_RECORDING,
        `cannot extend recording ${recordingId} with streamId=${streamId} for existing streamId=${summary.streamId}`,
        now,
      );
      return;
    }
    if (this.#recordings.has(recordingId)) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_RECORDING,
        `cannot extend active recording ${recordingId}`,
        now,
      );
      return;
    }
    this.#onStartRecording(session, correlationId, streamId, sourceLocation, autoStop, channel, recordingId);
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
      owner.controlSession.sendSignal(
        owner.correlationId,
        recording.recordingId,
        owner.registrationId,
        position,
        RecordingSignal.STOP,
        this.#nowMs,
      );
    }
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
    limitCounter: ReplayLimitSource | null,
  ): void {
    const now = this.#nowMs;
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
    const startPosition = summary.startPosition;
    let replayPosition = startPosition;
    if (position !== NULL_POSITION) {
      if ((position & 31) !== 0) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.GENERIC,
          `requested replay start position=${position} is not a multiple of FRAME_ALIGNMENT (32) for recording ${recordingId}`,
          now,
        );
        return;
      }
      if (position - startPosition < 0) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.INVALID_POSITION,
          `requested replay start position=${position} is less than recording start position=${startPosition} for recording ${recordingId}`,
          now,
        );
        return;
      }
      if (summary.stopPosition !== NULL_POSITION && position >= summary.stopPosition) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.INVALID_POSITION,
          `requested replay start position=${position} must be less than the limit position=${summary.stopPosition} for recording ${recordingId}`,
          now,
        );
        return;
      }
      replayPosition = position;
    }
    if (fileIoMaxLength > 0 && fileIoMaxLength < summary.mtuLength) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.GENERIC,
        `fileIoMaxLength=${fileIoMaxLength} < mtuLength=${summary.mtuLength}`,
        now,
      );
      return;
    }
    if (limitPosition !== NULL_POSITION && replayPosition > limitPosition) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.INVALID_POSITION,
        `requested replay start position=${replayPosition} must be less than the limit position=${limitPosition} for recording ${recordingId}`,
        now,
      );
      return;
    }
    const stopPosition = limitPosition !== NULL_POSITION ? limitPosition : summary.stopPosition;
    // following an active recording: no bound but the caller's length (Java: Long.MAX_VALUE - replayPosition)
    const maxLength =
      limitPosition !== NULL_POSITION ? Number.MAX_SAFE_INTEGER - replayPosition : stopPosition - replayPosition;
    let replayLength: number;
    if (length === REPLAY_ALL_AND_FOLLOW) {
      replayLength = maxLength;
    } else if (length === REPLAY_ALL_AND_STOP) {
      replayLength = stopPosition - replayPosition;
      if (replayLength === 0) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.EMPTY_RECORDING,
          `When replaying and stopping the replay length must be non-zero, recordingId=${recordingId}`,
          now,
        );
        return;
      }
    } else {
      replayLength = Math.min(length, maxLength);
    }
    if (replayLength < 0) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.GENERIC,
        `replay length must be positive: replayLength=${replayLength}, length=${length}, stopPosition=${stopPosition}, replayPosition=${replayPosition} for recording ${recordingId}`,
        now,
      );
      return;
    }
    let channel: string;
    try {
      const uri = ChannelUri.parse(replayChannel);
      const builder = strippedChannelBuilder(uri)
        .initialPosition(replayPosition, summary.initialTermId, summary.termBufferLength)
        .mtu(summary.mtuLength);
      const eos = uri.get('eos');
      if (eos !== undefined) builder.eos(eos === 'true');
      const sparse = uri.get('sparse');
      if (sparse !== undefined) builder.sparse(sparse === 'true');
      const linger = uri.get('linger');
      builder.linger(linger !== undefined ? BigInt(linger) : BigInt(this.#ctx.replayLingerTimeoutNs));
      channel = builder.build();
    } catch (e) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.GENERIC,
        `failed to process replayChannel - ${(e as Error).message}`,
        now,
      );
      return;
    }
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

function semver(version: number): string {
  return `${(version >>> 16) & 0xff}.${(version >>> 8) & 0xff}.${version & 0xff}`;
}

function parseSizeParam(value: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (m === null) return Number(value);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'k' ? n * 1024 : unit === 'm' ? n * 1024 * 1024 : unit === 'g' ? n * 1024 * 1024 * 1024 : n;
}
