/**
 * Decodes the control requests arriving on the archive's control subscriptions and hands each to the conductor
 * (Java `ControlSessionAdapter`). A request is copied out of the term into one scratch buffer, its header checked
 * (schema 101, else ignored), its fields read with one reused decoder per template and passed as arguments:
 * nothing is allocated per request but the strings of its var-data fields (and, for the three REPLICATE forms,
 * one `ReplicationRequest` object with Java's null values for the fields the form does not carry).
 *
 * ```
 *  fragment ─▶ MessageHeader (templateId, blockLength, version) ─▶ decoder.wrap ─▶ handler.<request>(session, …)
 *  CONNECT / AUTH_CONNECT create a session; CLOSE_SESSION / KEEP_ALIVE go to it by id; any other request
 *  needs the session made ACTIVE by it (`handler.session`, null: ignored as Java ignores an unknown session)
 *  REPLAY / BOUNDED_REPLAY with a replayToken and a control-mode=response replay channel: the session is the
 *  token's (`handler.replaySession`; the request came on an image of its own) and the replay channel gets
 *  response-correlation-id = that image's correlation id; an unknown or expired token throws Java's
 *  "Unknown session or token timeout for replayToken=<token>" to the error handler (nobody to answer)
 * ```
 */
import { ArchiveIdRequestDecoder } from '../../codecs/generated/archive/ArchiveIdRequestDecoder.ts';
import { AttachSegmentsRequestDecoder } from '../../codecs/generated/archive/AttachSegmentsRequestDecoder.ts';
import { AuthConnectRequestDecoder } from '../../codecs/generated/archive/AuthConnectRequestDecoder.ts';
import { BoundedReplayRequestDecoder } from '../../codecs/generated/archive/BoundedReplayRequestDecoder.ts';
import { ChallengeResponseDecoder } from '../../codecs/generated/archive/ChallengeResponseDecoder.ts';
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
import { ReplayRequestDecoder } from '../../codecs/generated/archive/ReplayRequestDecoder.ts';
import { ReplayTokenRequestDecoder } from '../../codecs/generated/archive/ReplayTokenRequestDecoder.ts';
import { ReplicateRequest2Decoder } from '../../codecs/generated/archive/ReplicateRequest2Decoder.ts';
import { ReplicateRequestDecoder } from '../../codecs/generated/archive/ReplicateRequestDecoder.ts';
import { StartPositionRequestDecoder } from '../../codecs/generated/archive/StartPositionRequestDecoder.ts';
import { StartRecordingRequest2Decoder } from '../../codecs/generated/archive/StartRecordingRequest2Decoder.ts';
import { StartRecordingRequestDecoder } from '../../codecs/generated/archive/StartRecordingRequestDecoder.ts';
import { StopAllReplaysRequestDecoder } from '../../codecs/generated/archive/StopAllReplaysRequestDecoder.ts';
import { StopPositionRequestDecoder } from '../../codecs/generated/archive/StopPositionRequestDecoder.ts';
import { StopRecordingByIdentityRequestDecoder } from '../../codecs/generated/archive/StopRecordingByIdentityRequestDecoder.ts';
import { StopRecordingRequestDecoder } from '../../codecs/generated/archive/StopRecordingRequestDecoder.ts';
import { StopRecordingSubscriptionRequestDecoder } from '../../codecs/generated/archive/StopRecordingSubscriptionRequestDecoder.ts';
import { StopReplayRequestDecoder } from '../../codecs/generated/archive/StopReplayRequestDecoder.ts';
import { StopReplicationRequestDecoder } from '../../codecs/generated/archive/StopReplicationRequestDecoder.ts';
import { TaggedReplicateRequestDecoder } from '../../codecs/generated/archive/TaggedReplicateRequestDecoder.ts';
import { TruncateRecordingRequestDecoder } from '../../codecs/generated/archive/TruncateRecordingRequestDecoder.ts';
import { UpdateChannelRequestDecoder } from '../../codecs/generated/archive/UpdateChannelRequestDecoder.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';
import type { ReadableBuffer } from '../logbuffer/log-buffer-memory.ts';
import { ArchiveServerError } from './archive-server-error.ts';
import type { ControlSession } from './control-session.ts';
import type { ReplicationRequest } from './replication-session.ts';

/** The archive control protocol's SBE schema id. */
const ARCHIVE_SCHEMA_ID = 101;
const SCRATCH_LENGTH = 64 * 1024;
/** Every request of schema 101 starts with controlSessionId (int64) then correlationId (int64). */
const SESSION_AND_CORRELATION_LENGTH = 16;
const NO_CREDENTIALS = new Uint8Array(0);
/** Java's NULL_VALUE / NULL_POSITION for the fields an older REPLICATE form does not carry. */
const NULL_VALUE = -1;
/** ReplicateRequest2 versions that added fileIoMaxLength, then replicationSessionId and encodedCredentials. */
const FILE_IO_MAX_LENGTH_VERSION = 7;
const SESSION_ID_VERSION = 8;
/** The ReplayRequest / BoundedReplayRequest version that added replayToken (Java `REPLAY_TOKEN_VERSION`). */
const REPLAY_TOKEN_VERSION = 10;

/** What the conductor does with each request (Java `ControlSession`'s `onXxx` → `ArchiveConductor`). */
export interface ControlRequestHandler {
  /**
   * CONNECT (empty credentials) / AUTH_CONNECT: a new control session; `imageCorrelationId` is the correlation id
   * of the request image it came on (a `control-mode=response` response channel answers that image); `clientInfo`
   * is AUTH_CONNECT's (empty for CONNECT).
   */
  connect(
    correlationId: number,
    responseStreamId: number,
    version: number,
    responseChannel: string,
    encodedCredentials: Uint8Array,
    imageCorrelationId: number,
    clientInfo: string,
  ): void;
  /** CHALLENGE_RESPONSE for a challenged session. */
  challengeResponse(controlSessionId: number, correlationId: number, encodedCredentials: Uint8Array): void;
  /** CLOSE_SESSION. */
  closeSession(controlSessionId: number): void;
  /** KEEP_ALIVE (activates a session waiting for its first request). */
  keepAlive(controlSessionId: number): void;
  /**
   * The session a request names, made ACTIVE by it, or null: unknown or not yet connected (ignored), or refused
   * by the authorisation service (ERROR UNAUTHORISED_ACTION sent).
   */
  session(controlSessionId: number, correlationId: number, templateId: number): ControlSession | null;
  archiveId(s: ControlSession, correlationId: number): void;
  startRecording(
    s: ControlSession,
    correlationId: number,
    streamId: number,
    sourceLocation: number,
    autoStop: boolean,
    channel: string,
  ): void;
  stopRecording(s: ControlSession, correlationId: number, streamId: number, channel: string): void;
  stopRecordingSubscription(s: ControlSession, correlationId: number, subscriptionId: number): void;
  stopRecordingByIdentity(s: ControlSession, correlationId: number, recordingId: number): void;
  /** LIST_RECORDINGS (streamId null) and LIST_RECORDINGS_FOR_URI. */
  listRecordings(
    s: ControlSession,
    correlationId: number,
    fromRecordingId: number,
    count: number,
    streamId: number | null,
    channelFragment: string,
  ): void;
  listRecording(s: ControlSession, correlationId: number, recordingId: number): void;
  findLastMatchingRecording(
    s: ControlSession,
    correlationId: number,
    minRecordingId: number,
    sessionId: number,
    streamId: number,
    channelFragment: string,
  ): void;
  recordingPosition(s: ControlSession, correlationId: number, recordingId: number): void;
  startPosition(s: ControlSession, correlationId: number, recordingId: number): void;
  stopPosition(s: ControlSession, correlationId: number, recordingId: number): void;
  maxRecordedPosition(s: ControlSession, correlationId: number, recordingId: number): void;
  /** REPLAY (limitCounterId null) and BOUNDED_REPLAY. */
  startReplay(
    s: ControlSession,
    correlationId: number,
    recordingId: number,
    position: number,
    length: number,
    limitCounterId: number | null,
    fileIoMaxLength: number,
    replayStreamId: number,
    replayChannel: string,
  ): void;
  stopReplay(s: ControlSession, correlationId: number, replaySessionId: number): void;
  /** REPLAY_TOKEN: a token for a replay over a response channel (Java `generateReplayToken`), sent as OK. */
  replayToken(s: ControlSession, correlationId: number, recordingId: number): void;
  /**
   * The session that asked for `replayToken` for `recordingId` (Java `getReplaySession`), or null: unknown,
   * another recording's, or timed out.
   */
  replaySession(replayToken: number, recordingId: number): ControlSession | null;
  stopAllReplays(s: ControlSession, correlationId: number, recordingId: number): void;
  extendRecording(
    s: ControlSession,
    correlationId: number,
    recordingId: number,
    streamId: number,
    sourceLocation: number,
    autoStop: boolean,
    channel: string,
  ): void;
  truncateRecording(s: ControlSession, correlationId: number, recordingId: number, position: number): void;
  purgeRecording(s: ControlSession, correlationId: number, recordingId: number): void;
  listRecordingSubscriptions(
    s: ControlSession,
    correlationId: number,
    pseudoIndex: number,
    count: number,
    applyStreamId: boolean,
    streamId: number,
    channelFragment: string,
  ): void;
  updateChannel(s: ControlSession, correlationId: number, recordingId: number, channel: string): void;
  detachSegments(s: ControlSession, correlationId: number, recordingId: number, newStartPosition: number): void;
  deleteDetachedSegments(s: ControlSession, correlationId: number, recordingId: number): void;
  purgeSegments(s: ControlSession, correlationId: number, recordingId: number, newStartPosition: number): void;
  attachSegments(s: ControlSession, correlationId: number, recordingId: number): void;
  migrateSegments(s: ControlSession, correlationId: number, srcRecordingId: number, dstRecordingId: number): void;
  /** REPLICATE, REPLICATE2 and TAGGED_REPLICATE, with Java's null values for what the form does not carry. */
  replicate(s: ControlSession, correlationId: number, request: ReplicationRequest): void;
  /** STOP_REPLICATION. */
  stopReplication(s: ControlSession, correlationId: number, replicationId: number): void;
  /** Any other request of schema 101. */
  unsupported(s: ControlSession, correlationId: number, templateId: number): void;
}

/** The control request decoder (module comment). */
export class ControlSessionAdapter {
  readonly #h: ControlRequestHandler;
  readonly #errorHandler: (error: unknown) => void;
  readonly #scratch = new Uint8Array(SCRATCH_LENGTH);
  readonly #view = new DataView(this.#scratch.buffer);
  readonly #header = new MessageHeaderDecoder();
  readonly #connect = new ConnectRequestDecoder();
  readonly #authConnect = new AuthConnectRequestDecoder();
  readonly #close = new CloseSessionRequestDecoder();
  readonly #keepAlive = new KeepAliveRequestDecoder();
  readonly #challengeResponse = new ChallengeResponseDecoder();
  readonly #archiveId = new ArchiveIdRequestDecoder();
  readonly #startRecording = new StartRecordingRequestDecoder();
  readonly #startRecording2 = new StartRecordingRequest2Decoder();
  readonly #stopRecording = new StopRecordingRequestDecoder();
  readonly #stopRecordingSubscription = new StopRecordingSubscriptionRequestDecoder();
  readonly #stopRecordingByIdentity = new StopRecordingByIdentityRequestDecoder();
  readonly #listRecordings = new ListRecordingsRequestDecoder();
  readonly #listRecordingsForUri = new ListRecordingsForUriRequestDecoder();
  readonly #listRecording = new ListRecordingRequestDecoder();
  readonly #findLast = new FindLastMatchingRecordingRequestDecoder();
  readonly #recordingPosition = new RecordingPositionRequestDecoder();
  readonly #startPosition = new StartPositionRequestDecoder();
  readonly #stopPosition = new StopPositionRequestDecoder();
  readonly #maxRecordedPosition = new MaxRecordedPositionRequestDecoder();
  readonly #replay = new ReplayRequestDecoder();
  readonly #boundedReplay = new BoundedReplayRequestDecoder();
  readonly #stopReplay = new StopReplayRequestDecoder();
  readonly #replayTokenRequest = new ReplayTokenRequestDecoder();
  readonly #stopAllReplays = new StopAllReplaysRequestDecoder();
  readonly #extendRecording = new ExtendRecordingRequestDecoder();
  readonly #extendRecording2 = new ExtendRecordingRequest2Decoder();
  readonly #truncate = new TruncateRecordingRequestDecoder();
  readonly #purge = new PurgeRecordingRequestDecoder();
  readonly #listSubscriptions = new ListRecordingSubscriptionsRequestDecoder();
  readonly #updateChannel = new UpdateChannelRequestDecoder();
  readonly #detachSegments = new DetachSegmentsRequestDecoder();
  readonly #deleteDetachedSegments = new DeleteDetachedSegmentsRequestDecoder();
  readonly #purgeSegments = new PurgeSegmentsRequestDecoder();
  readonly #attachSegments = new AttachSegmentsRequestDecoder();
  readonly #migrateSegments = new MigrateSegmentsRequestDecoder();
  readonly #replicate = new ReplicateRequestDecoder();
  readonly #replicate2 = new ReplicateRequest2Decoder();
  readonly #taggedReplicate = new TaggedReplicateRequestDecoder();
  readonly #stopReplication = new StopReplicationRequestDecoder();

  /** An adapter dispatching to `handler`; a request whose handling throws goes to `errorHandler`. */
  constructor(handler: ControlRequestHandler, errorHandler: (error: unknown) => void) {
    this.#h = handler;
    this.#errorHandler = errorHandler;
  }

  /** The replay channel `#replaySession` resolved (with response-correlation-id for a response channel). */
  #replayChannel = '';
  /** The correlation id of the image the request being dispatched came on. */
  #imageCorrelationId = NULL_VALUE;

  /**
   * One control request (a whole message, reassembled) from the image with correlation id `imageCorrelationId`
   * (Java: `((Image)header.context()).correlationId()`).
   */
  onRequest(buffer: ReadableBuffer, offset: number, length: number, imageCorrelationId: number): void {
    this.#imageCorrelationId = imageCorrelationId;
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
    const h = this.#h;
    switch (templateId) {
      case ConnectRequestDecoder.TEMPLATE_ID: {
        const d = this.#connect.wrap(b, o, blockLength, version);
        const correlationId = d.correlationId();
        const streamId = d.responseStreamId();
        const clientVersion = d.version();
        h.connect(
          correlationId,
          streamId,
          clientVersion,
          d.responseChannel(),
          NO_CREDENTIALS,
          this.#imageCorrelationId,
          '',
        );
        return;
      }
      case AuthConnectRequestDecoder.TEMPLATE_ID: {
        const d = this.#authConnect.wrap(b, o, blockLength, version);
        const correlationId = d.correlationId();
        const streamId = d.responseStreamId();
        const clientVersion = d.version();
        const channel = d.responseChannel();
        const credentials = d.encodedCredentials().slice();
        h.connect(
          correlationId,
          streamId,
          clientVersion,
          channel,
          credentials,
          this.#imageCorrelationId,
          d.clientInfo(),
        );
        return;
      }
      case ChallengeResponseDecoder.TEMPLATE_ID: {
        const d = this.#challengeResponse.wrap(b, o, blockLength, version);
        const controlSessionId = d.controlSessionId();
        const correlationId = d.correlationId();
        h.challengeResponse(controlSessionId, correlationId, d.encodedCredentials().slice());
        return;
      }
      case CloseSessionRequestDecoder.TEMPLATE_ID:
        h.closeSession(this.#close.wrap(b, o, blockLength, version).controlSessionId());
        return;
      case KeepAliveRequestDecoder.TEMPLATE_ID:
        h.keepAlive(this.#keepAlive.wrap(b, o, blockLength, version).controlSessionId());
        return;
      case ArchiveIdRequestDecoder.TEMPLATE_ID: {
        const d = this.#archiveId.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.archiveId(s, d.correlationId());
        return;
      }
      case StartRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#startRecording.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const streamId = d.streamId();
        const source = d.sourceLocationRaw();
        h.startRecording(s, correlationId, streamId, source, false, d.channel());
        return;
      }
      case StartRecordingRequest2Decoder.TEMPLATE_ID: {
        const d = this.#startRecording2.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const streamId = d.streamId();
        const source = d.sourceLocationRaw();
        const autoStop = d.autoStopRaw() === 1;
        h.startRecording(s, correlationId, streamId, source, autoStop, d.channel());
        return;
      }
      case StopRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecording.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopRecording(s, d.correlationId(), d.streamId(), d.channel());
        return;
      }
      case StopRecordingSubscriptionRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecordingSubscription.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopRecordingSubscription(s, d.correlationId(), d.subscriptionId());
        return;
      }
      case StopRecordingByIdentityRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopRecordingByIdentity.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopRecordingByIdentity(s, d.correlationId(), d.recordingId());
        return;
      }
      case ListRecordingsRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecordings.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.listRecordings(s, d.correlationId(), d.fromRecordingId(), d.recordCount(), null, '');
        return;
      }
      case ListRecordingsForUriRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecordingsForUri.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const from = d.fromRecordingId();
        const count = d.recordCount();
        const streamId = d.streamId();
        h.listRecordings(s, correlationId, from, count, streamId, d.channel());
        return;
      }
      case ListRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#listRecording.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.listRecording(s, d.correlationId(), d.recordingId());
        return;
      }
      case FindLastMatchingRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#findLast.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const min = d.minRecordingId();
        const sessionId = d.sessionId();
        const streamId = d.streamId();
        h.findLastMatchingRecording(s, correlationId, min, sessionId, streamId, d.channel());
        return;
      }
      case RecordingPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#recordingPosition.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.recordingPosition(s, d.correlationId(), d.recordingId());
        return;
      }
      case StartPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#startPosition.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.startPosition(s, d.correlationId(), d.recordingId());
        return;
      }
      case StopPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopPosition.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopPosition(s, d.correlationId(), d.recordingId());
        return;
      }
      case MaxRecordedPositionRequestDecoder.TEMPLATE_ID: {
        const d = this.#maxRecordedPosition.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.maxRecordedPosition(s, d.correlationId(), d.recordingId());
        return;
      }
      case ReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#replay.wrap(b, o, blockLength, version);
        const controlSessionId = d.controlSessionId();
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const position = d.position();
        const length = d.length();
        const replayStreamId = d.replayStreamId();
        const fileIoMaxLength = d.fileIoMaxLength();
        const token = version >= REPLAY_TOKEN_VERSION ? d.replayToken() : NULL_VALUE;
        const channel = d.replayChannel();
        const s = this.#replaySession(channel, token, recordingId, correlationId, controlSessionId, templateId);
        if (s === null) return;
        const replayChannel = this.#replayChannel;
        h.startReplay(
          s,
          correlationId,
          recordingId,
          position,
          length,
          null,
          fileIoMaxLength,
          replayStreamId,
          replayChannel,
        );
        return;
      }
      case BoundedReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#boundedReplay.wrap(b, o, blockLength, version);
        const controlSessionId = d.controlSessionId();
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const position = d.position();
        const length = d.length();
        const limitCounterId = d.limitCounterId();
        const replayStreamId = d.replayStreamId();
        const fileIoMaxLength = d.fileIoMaxLength();
        const token = version >= REPLAY_TOKEN_VERSION ? d.replayToken() : NULL_VALUE;
        const s = this.#replaySession(
          d.replayChannel(),
          token,
          recordingId,
          correlationId,
          controlSessionId,
          templateId,
        );
        if (s === null) return;
        const channel = this.#replayChannel;
        h.startReplay(
          s,
          correlationId,
          recordingId,
          position,
          length,
          limitCounterId,
          fileIoMaxLength,
          replayStreamId,
          channel,
        );
        return;
      }
      case ReplayTokenRequestDecoder.TEMPLATE_ID: {
        const d = this.#replayTokenRequest.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.replayToken(s, d.correlationId(), d.recordingId());
        return;
      }
      case StopReplayRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopReplay.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopReplay(s, d.correlationId(), d.replaySessionId());
        return;
      }
      case StopAllReplaysRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopAllReplays.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopAllReplays(s, d.correlationId(), d.recordingId());
        return;
      }
      case ExtendRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#extendRecording.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const streamId = d.streamId();
        const source = d.sourceLocationRaw();
        h.extendRecording(s, correlationId, recordingId, streamId, source, false, d.channel());
        return;
      }
      case ExtendRecordingRequest2Decoder.TEMPLATE_ID: {
        const d = this.#extendRecording2.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        const streamId = d.streamId();
        const source = d.sourceLocationRaw();
        const autoStop = d.autoStopRaw() === 1;
        h.extendRecording(s, correlationId, recordingId, streamId, source, autoStop, d.channel());
        return;
      }
      case TruncateRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#truncate.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.truncateRecording(s, d.correlationId(), d.recordingId(), d.position());
        return;
      }
      case PurgeRecordingRequestDecoder.TEMPLATE_ID: {
        const d = this.#purge.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.purgeRecording(s, d.correlationId(), d.recordingId());
        return;
      }
      case ListRecordingSubscriptionsRequestDecoder.TEMPLATE_ID: {
        const d = this.#listSubscriptions.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const pseudoIndex = d.pseudoIndex();
        const count = d.subscriptionCount();
        const applyStreamId = d.applyStreamIdRaw() === 1;
        const streamId = d.streamId();
        h.listRecordingSubscriptions(s, correlationId, pseudoIndex, count, applyStreamId, streamId, d.channel());
        return;
      }
      case UpdateChannelRequestDecoder.TEMPLATE_ID: {
        const d = this.#updateChannel.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const recordingId = d.recordingId();
        h.updateChannel(s, correlationId, recordingId, d.channel());
        return;
      }
      case DetachSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#detachSegments.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.detachSegments(s, d.correlationId(), d.recordingId(), d.newStartPosition());
        return;
      }
      case DeleteDetachedSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#deleteDetachedSegments.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.deleteDetachedSegments(s, d.correlationId(), d.recordingId());
        return;
      }
      case PurgeSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#purgeSegments.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.purgeSegments(s, d.correlationId(), d.recordingId(), d.newStartPosition());
        return;
      }
      case AttachSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#attachSegments.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.attachSegments(s, d.correlationId(), d.recordingId());
        return;
      }
      case MigrateSegmentsRequestDecoder.TEMPLATE_ID: {
        const d = this.#migrateSegments.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.migrateSegments(s, d.correlationId(), d.srcRecordingId(), d.dstRecordingId());
        return;
      }
      case ReplicateRequestDecoder.TEMPLATE_ID: {
        const d = this.#replicate.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const srcRecordingId = d.srcRecordingId();
        const dstRecordingId = d.dstRecordingId();
        const srcControlStreamId = d.srcControlStreamId();
        const srcControlChannel = d.srcControlChannel();
        const liveDestination = d.liveDestination();
        h.replicate(s, correlationId, {
          ...replicationDefaults(srcRecordingId, dstRecordingId, srcControlStreamId, srcControlChannel),
          liveDestination,
        });
        return;
      }
      case TaggedReplicateRequestDecoder.TEMPLATE_ID: {
        const d = this.#taggedReplicate.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const correlationId = d.correlationId();
        const srcRecordingId = d.srcRecordingId();
        const dstRecordingId = d.dstRecordingId();
        const channelTagId = d.channelTagId();
        const subscriptionTagId = d.subscriptionTagId();
        const srcControlStreamId = d.srcControlStreamId();
        const srcControlChannel = d.srcControlChannel();
        const liveDestination = d.liveDestination();
        h.replicate(s, correlationId, {
          ...replicationDefaults(srcRecordingId, dstRecordingId, srcControlStreamId, srcControlChannel),
          channelTagId,
          subscriptionTagId,
          liveDestination,
        });
        return;
      }
      case ReplicateRequest2Decoder.TEMPLATE_ID: {
        const d = this.#replicate2.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s === null) return;
        const request: ReplicationRequest = {
          srcRecordingId: d.srcRecordingId(),
          dstRecordingId: d.dstRecordingId(),
          stopPosition: d.stopPosition(),
          channelTagId: d.channelTagId(),
          subscriptionTagId: d.subscriptionTagId(),
          srcControlStreamId: d.srcControlStreamId(),
          fileIoMaxLength: version >= FILE_IO_MAX_LENGTH_VERSION ? d.fileIoMaxLength() : NULL_VALUE,
          replicationSessionId: version >= SESSION_ID_VERSION ? d.replicationSessionId() : NULL_VALUE,
          // var data in schema order
          srcControlChannel: d.srcControlChannel(),
          liveDestination: d.liveDestination(),
          replicationChannel: d.replicationChannel(),
          encodedCredentials: d.encodedCredentials(),
          srcResponseChannel: d.srcResponseChannel(),
        };
        h.replicate(s, d.correlationId(), request);
        return;
      }
      case StopReplicationRequestDecoder.TEMPLATE_ID: {
        const d = this.#stopReplication.wrap(b, o, blockLength, version);
        const s = h.session(d.controlSessionId(), d.correlationId(), templateId);
        if (s !== null) h.stopReplication(s, d.correlationId(), d.replicationId());
        return;
      }
      default: {
        if (blockLength < SESSION_AND_CORRELATION_LENGTH) return;
        const v = this.#view;
        const controlSessionId = v.getInt32(o + 4, true) * 4294967296 + v.getUint32(o, true);
        const correlationId = v.getInt32(o + 12, true) * 4294967296 + v.getUint32(o + 8, true);
        const s = h.session(controlSessionId, correlationId, templateId);
        if (s !== null) h.unsupported(s, correlationId, templateId);
      }
    }
  }

  /**
   * Java `setupSessionAndChannelForReplay`: a `control-mode=response` replay channel with a replay token names its
   * session by the token (the request came on an image of its own, whose correlation id the replay publication
   * answers: response-correlation-id); any other replay names it by controlSessionId. Sets `#replayChannel`.
   */
  #replaySession(
    channel: string,
    replayToken: number,
    recordingId: number,
    correlationId: number,
    controlSessionId: number,
    templateId: number,
  ): ControlSession | null {
    const h = this.#h;
    if (replayToken !== NULL_VALUE) {
      const uri = ChannelUri.parse(channel);
      if (uri.hasControlModeResponse()) {
        const s = h.replaySession(replayToken, recordingId);
        // no dedicated code in archive-server-error.ts yet: the token names no (session, recording) pair
        if (s === null) throw new ArchiveServerError('UNKNOWN_REPLAY_TOKEN', unknownReplayTokenMessage(replayToken));
        uri.put('response-correlation-id', String(this.#imageCorrelationId));
        this.#replayChannel = uri.toString();
        return s;
      }
    }
    this.#replayChannel = channel;
    return h.session(controlSessionId, correlationId, templateId);
  }
}

/**
 * The error a replay over a response channel gets when its token names no session (Java's ArchiveException text;
 * as in Java it goes to the error handler: the request came on an image that has no session to answer).
 */
export function unknownReplayTokenMessage(replayToken: number): string {
  return `Unknown session or token timeout for replayToken=${replayToken}`;
}

/** A replication request with Java's values for the fields REPLICATE and TAGGED_REPLICATE do not carry. */
function replicationDefaults(
  srcRecordingId: number,
  dstRecordingId: number,
  srcControlStreamId: number,
  srcControlChannel: string,
): ReplicationRequest {
  return {
    srcRecordingId,
    dstRecordingId,
    stopPosition: NULL_VALUE,
    channelTagId: NULL_VALUE,
    subscriptionTagId: NULL_VALUE,
    srcControlStreamId,
    srcControlChannel,
    liveDestination: '',
    replicationChannel: '',
    fileIoMaxLength: NULL_VALUE,
    replicationSessionId: NULL_VALUE,
    encodedCredentials: NO_CREDENTIALS,
    srcResponseChannel: '',
  };
}
