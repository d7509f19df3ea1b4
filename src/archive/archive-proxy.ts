/**
 * Encodes every control request (Java `ArchiveProxy`, 1.51.0) into one reused buffer and offers it on the control
 * request publication.
 *
 * ```
 *   buffer: [ MessageHeader 8 bytes | fixed block (encoder BLOCK_LENGTH) | var data in schema order ]
 * ```
 *
 * Offers follow Java's `offer`: up to `retryAttempts` attempts while BACK_PRESSURED / ADMIN_ACTION, then `false`
 * ("failed to send"); NOT_CONNECTED and CLOSED throw {@link ArchiveNotConnectedError}, MAX_POSITION_EXCEEDED an
 * {@link ArchiveError}. `tryConnect` / `tryChallengeResponse` offer once, as Java's do.
 */
import {
  ArchiveIdRequestEncoder,
  AttachSegmentsRequestEncoder,
  AuthConnectRequestEncoder,
  BooleanType,
  BoundedReplayRequestEncoder,
  ChallengeResponseEncoder,
  CloseSessionRequestEncoder,
  DeleteDetachedSegmentsRequestEncoder,
  DetachSegmentsRequestEncoder,
  ExtendRecordingRequest2Encoder,
  ExtendRecordingRequestEncoder,
  FindLastMatchingRecordingRequestEncoder,
  KeepAliveRequestEncoder,
  ListRecordingRequestEncoder,
  ListRecordingSubscriptionsRequestEncoder,
  ListRecordingsForUriRequestEncoder,
  ListRecordingsRequestEncoder,
  MaxRecordedPositionRequestEncoder,
  MessageHeaderEncoder,
  MigrateSegmentsRequestEncoder,
  PurgeRecordingRequestEncoder,
  PurgeSegmentsRequestEncoder,
  RecordingPositionRequestEncoder,
  ReplayRequestEncoder,
  ReplayTokenRequestEncoder,
  ReplicateRequest2Encoder,
  type SourceLocation,
  StartPositionRequestEncoder,
  StartRecordingRequest2Encoder,
  StartRecordingRequestEncoder,
  StopAllReplaysRequestEncoder,
  StopPositionRequestEncoder,
  StopRecordingByIdentityRequestEncoder,
  StopRecordingRequestEncoder,
  StopRecordingSubscriptionRequestEncoder,
  StopReplayRequestEncoder,
  StopReplicationRequestEncoder,
  TruncateRecordingRequestEncoder,
  UpdateChannelRequestEncoder,
} from '../../codecs/generated/archive/index.ts';
import { CodecError } from '../../codecs/runtime/index.ts';
import { PROTOCOL_SEMANTIC_VERSION } from './archive-context.ts';
import { ArchiveError, ArchiveNotConnectedError } from './archive-error.ts';
import { type ControlPublication, OfferResult } from './control-transport.ts';
import { isBoundedReplay, type ResolvedReplayParams } from './replay-params.ts';
import type { ResolvedReplicationParams } from './replication-params.ts';

const HEADER_LENGTH = 8;
const INITIAL_CAPACITY = 1024;
const MAX_CAPACITY = 1 << 24;

const bool = (value: boolean): BooleanType => (value ? BooleanType.TRUE : BooleanType.FALSE);

/**
 * Java `ArchiveProxy`: encodes the archive control requests and offers them on the control request publication.
 * `AeronArchive` makes one per session; it is exported for callers that drive the control protocol themselves
 * (as Java's `AsyncAeronArchive` users do), reading the responses with a {@link ControlResponsePoller}.
 *
 * Every request method takes the `correlationId` the response will carry (from `aeron.nextCorrelationId()`) and
 * the `controlSessionId` the connect established, and returns true once offered, false when the publication was
 * still BACK_PRESSURED or in ADMIN_ACTION after `retryAttempts` attempts (Java's "failed to send"). It throws
 * `ArchiveNotConnectedError` (ARCHIVE_NOT_CONNECTED) when the publication is NOT_CONNECTED or CLOSED, and
 * `ArchiveError` (ARCHIVE_ERROR) at MAX_POSITION_EXCEEDED. Not for concurrent use: one encode buffer is reused.
 */
export class ArchiveProxy {
  private buffer = new Uint8Array(INITIAL_CAPACITY);
  private readonly header = new MessageHeaderEncoder();
  private readonly authConnect = new AuthConnectRequestEncoder();
  private readonly keepAliveRequest = new KeepAliveRequestEncoder();
  private readonly closeSessionRequest = new CloseSessionRequestEncoder();
  private readonly challengeResponse = new ChallengeResponseEncoder();
  private readonly startRecordingRequest = new StartRecordingRequestEncoder();
  private readonly startRecordingRequest2 = new StartRecordingRequest2Encoder();
  private readonly stopRecordingRequest = new StopRecordingRequestEncoder();
  private readonly stopRecordingSubscriptionRequest = new StopRecordingSubscriptionRequestEncoder();
  private readonly stopRecordingByIdentityRequest = new StopRecordingByIdentityRequestEncoder();
  private readonly replayRequest = new ReplayRequestEncoder();
  private readonly boundedReplayRequest = new BoundedReplayRequestEncoder();
  private readonly stopReplayRequest = new StopReplayRequestEncoder();
  private readonly stopAllReplaysRequest = new StopAllReplaysRequestEncoder();
  private readonly listRecordingsRequest = new ListRecordingsRequestEncoder();
  private readonly listRecordingsForUriRequest = new ListRecordingsForUriRequestEncoder();
  private readonly listRecordingRequest = new ListRecordingRequestEncoder();
  private readonly extendRecordingRequest = new ExtendRecordingRequestEncoder();
  private readonly extendRecordingRequest2 = new ExtendRecordingRequest2Encoder();
  private readonly recordingPositionRequest = new RecordingPositionRequestEncoder();
  private readonly truncateRecordingRequest = new TruncateRecordingRequestEncoder();
  private readonly purgeRecordingRequest = new PurgeRecordingRequestEncoder();
  private readonly stopPositionRequest = new StopPositionRequestEncoder();
  private readonly startPositionRequest = new StartPositionRequestEncoder();
  private readonly maxRecordedPositionRequest = new MaxRecordedPositionRequestEncoder();
  private readonly findLastMatchingRecordingRequest = new FindLastMatchingRecordingRequestEncoder();
  private readonly listRecordingSubscriptionsRequest = new ListRecordingSubscriptionsRequestEncoder();
  private readonly replicateRequest = new ReplicateRequest2Encoder();
  private readonly stopReplicationRequest = new StopReplicationRequestEncoder();
  private readonly detachSegmentsRequest = new DetachSegmentsRequestEncoder();
  private readonly deleteDetachedSegmentsRequest = new DeleteDetachedSegmentsRequestEncoder();
  private readonly purgeSegmentsRequest = new PurgeSegmentsRequestEncoder();
  private readonly attachSegmentsRequest = new AttachSegmentsRequestEncoder();
  private readonly migrateSegmentsRequest = new MigrateSegmentsRequestEncoder();
  private readonly archiveIdRequest = new ArchiveIdRequestEncoder();
  private readonly replayTokenRequest = new ReplayTokenRequestEncoder();
  private readonly updateChannelRequest = new UpdateChannelRequestEncoder();

  /**
   * @param publication the control request publication requests are offered on.
   * @param retryAttempts offer attempts per request (Java `Context.messageRetryAttempts`, default 3 there).
   * @param clientInfo the connect request's client info (`name=<clientName> version=… commit=…`).
   */
  constructor(
    readonly publication: ControlPublication,
    private readonly retryAttempts: number,
    private readonly clientInfo: string = '',
  ) {}

  /** A proxy with the same settings over another publication (response-channel replays). */
  withPublication(publication: ControlPublication): ArchiveProxy {
    return new ArchiveProxy(publication, this.retryAttempts, this.clientInfo);
  }

  /** AuthConnectRequest (58), offered once. */
  tryConnect(
    responseChannel: string,
    responseStreamId: number,
    correlationId: number,
    encodedCredentials: Uint8Array,
  ): boolean {
    const length = this.encode((b) =>
      this.authConnect
        .wrapAndApplyHeader(b, 0, this.header)
        .correlationId(correlationId)
        .responseStreamId(responseStreamId)
        .version(PROTOCOL_SEMANTIC_VERSION)
        .responseChannel(responseChannel)
        .encodedCredentials(encodedCredentials)
        .clientInfo(this.clientInfo)
        .encodedLength(),
    );
    return this.publication.offer(this.buffer, 0, length) > 0;
  }

  /** ChallengeResponse (60), offered once. */
  tryChallengeResponse(encodedCredentials: Uint8Array, correlationId: number, controlSessionId: number): boolean {
    const length = this.encode((b) =>
      this.challengeResponse
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .encodedCredentials(encodedCredentials)
        .encodedLength(),
    );
    return this.publication.offer(this.buffer, 0, length) > 0;
  }

  /**
   * Java `ArchiveProxy.keepAlive`: KeepAliveRequest (61), which keeps the control session from timing out on
   * the archive.
   */
  keepAlive(controlSessionId: number, correlationId: number): boolean {
    return this.send((b) =>
      this.keepAliveRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .encodedLength(),
    );
  }

  /** Java `ArchiveProxy.closeSession`: CloseSessionRequest (3); the archive answers nothing. */
  closeSession(controlSessionId: number): boolean {
    return this.send((b) =>
      this.closeSessionRequest.wrapAndApplyHeader(b, 0, this.header).controlSessionId(controlSessionId).encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.archiveId`: ArchiveIdRequest (68), answered with the archive's id (archives from
   * 1.11.0).
   */
  archiveId(correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.archiveIdRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .encodedLength(),
    );
  }

  /** StartRecordingRequest (4), or StartRecordingRequest2 (63) when `autoStop` is given. */
  startRecording(
    channel: string,
    streamId: number,
    sourceLocation: SourceLocation,
    autoStop: boolean | undefined,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    if (autoStop === undefined) {
      return this.send((b) =>
        this.startRecordingRequest
          .wrapAndApplyHeader(b, 0, this.header)
          .controlSessionId(controlSessionId)
          .correlationId(correlationId)
          .streamId(streamId)
          .sourceLocation(sourceLocation)
          .channel(channel)
          .encodedLength(),
      );
    }
    return this.send((b) =>
      this.startRecordingRequest2
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .streamId(streamId)
        .sourceLocation(sourceLocation)
        .autoStop(bool(autoStop))
        .channel(channel)
        .encodedLength(),
    );
  }

  /** ExtendRecordingRequest (11), or ExtendRecordingRequest2 (64) when `autoStop` is given. */
  extendRecording(
    channel: string,
    streamId: number,
    sourceLocation: SourceLocation,
    autoStop: boolean | undefined,
    recordingId: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    if (autoStop === undefined) {
      return this.send((b) =>
        this.extendRecordingRequest
          .wrapAndApplyHeader(b, 0, this.header)
          .controlSessionId(controlSessionId)
          .correlationId(correlationId)
          .recordingId(recordingId)
          .streamId(streamId)
          .sourceLocation(sourceLocation)
          .channel(channel)
          .encodedLength(),
      );
    }
    return this.send((b) =>
      this.extendRecordingRequest2
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .streamId(streamId)
        .sourceLocation(sourceLocation)
        .autoStop(bool(autoStop))
        .channel(channel)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.stopRecording(channel, streamId, …)`: StopRecordingRequest (5) for the recording
   * subscription on `channel` / `streamId`.
   */
  stopRecording(channel: string, streamId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopRecordingRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .streamId(streamId)
        .channel(channel)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.stopRecording(subscriptionId, …)`: StopRecordingSubscriptionRequest (14) by the
   * subscription id `startRecording` answered.
   */
  stopRecordingSubscription(subscriptionId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopRecordingSubscriptionRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .subscriptionId(subscriptionId)
        .encodedLength(),
    );
  }

  /** Java `ArchiveProxy.stopRecordingByIdentity`: StopRecordingByIdentityRequest (65) by recording id. */
  stopRecordingByIdentity(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopRecordingByIdentityRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /** ReplayRequest (6), or BoundedReplayRequest (18) when the params carry a bounding limit counter. */
  replay(
    recordingId: number,
    replayChannel: string,
    replayStreamId: number,
    p: ResolvedReplayParams,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    if (isBoundedReplay(p)) {
      return this.send((b) =>
        this.boundedReplayRequest
          .wrapAndApplyHeader(b, 0, this.header)
          .controlSessionId(controlSessionId)
          .correlationId(correlationId)
          .recordingId(recordingId)
          .position(p.position)
          .length(p.length)
          .limitCounterId(p.boundingLimitCounterId)
          .replayStreamId(replayStreamId)
          .fileIoMaxLength(p.fileIoMaxLength)
          .replayTokenBigInt(p.replayToken)
          .replayChannel(replayChannel)
          .encodedLength(),
      );
    }
    return this.send((b) =>
      this.replayRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .position(p.position)
        .length(p.length)
        .replayStreamId(replayStreamId)
        .fileIoMaxLength(p.fileIoMaxLength)
        .replayTokenBigInt(p.replayToken)
        .replayChannel(replayChannel)
        .encodedLength(),
    );
  }

  /** StopReplayRequest; `replaySessionId` is written exactly (it passes 2^53 on a long-lived archive). */
  stopReplay(replaySessionId: bigint, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopReplayRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .replaySessionIdBigInt(replaySessionId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.stopAllReplays`: StopAllReplaysRequest (19): every replay of `recordingId`, or of
   * every recording when it is `NULL_VALUE` (-1).
   */
  stopAllReplays(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopAllReplaysRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.listRecordings`: ListRecordingsRequest (8): up to `recordCount` descriptors from
   * `fromRecordingId`, answered as RecordingDescriptor messages.
   */
  listRecordings(fromRecordingId: number, recordCount: number, correlationId: number, controlSessionId: number) {
    return this.send((b) =>
      this.listRecordingsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .fromRecordingId(fromRecordingId)
        .recordCount(recordCount)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.listRecordingsForUri`: ListRecordingsForUriRequest (9): as `listRecordings`, only
   * recordings of `streamId` whose stripped channel contains `channelFragment`.
   */
  listRecordingsForUri(
    fromRecordingId: number,
    recordCount: number,
    channelFragment: string,
    streamId: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.send((b) =>
      this.listRecordingsForUriRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .fromRecordingId(fromRecordingId)
        .recordCount(recordCount)
        .streamId(streamId)
        .channel(channelFragment)
        .encodedLength(),
    );
  }

  /** Java `ArchiveProxy.listRecording`: ListRecordingRequest (10): the descriptor of one recording. */
  listRecording(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.listRecordingRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.getRecordingPosition`: RecordingPositionRequest (12): the position of an active
   * recording (`NULL_POSITION` when not active).
   */
  getRecordingPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.recordingPositionRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /** Java `ArchiveProxy.getStartPosition`: StartPositionRequest (52): the recording's start position. */
  getStartPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.startPositionRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.getStopPosition`: StopPositionRequest (15): the stop position of a stopped recording
   * (`NULL_POSITION` while active).
   */
  getStopPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopPositionRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.getMaxRecordedPosition`: MaxRecordedPositionRequest (67): the stop or active recorded
   * position.
   */
  getMaxRecordedPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.maxRecordedPositionRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.truncateRecording`: TruncateRecordingRequest (13): truncates a stopped recording to
   * `position`.
   */
  truncateRecording(recordingId: number, position: number, correlationId: number, controlSessionId: number) {
    return this.send((b) =>
      this.truncateRecordingRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .position(position)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.purgeRecording`: PurgeRecordingRequest (104): deletes a stopped recording and its
   * files.
   */
  purgeRecording(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.purgeRecordingRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.findLastMatchingRecording`: FindLastMatchingRecordingRequest (16): the highest
   * recording id from `minRecordingId` with this stream id, session id and a stripped channel containing
   * `channelFragment`.
   */
  findLastMatchingRecording(
    minRecordingId: number,
    channelFragment: string,
    streamId: number,
    sessionId: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.send((b) =>
      this.findLastMatchingRecordingRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .minRecordingId(minRecordingId)
        .sessionId(sessionId)
        .streamId(streamId)
        .channel(channelFragment)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.listRecordingSubscriptions`: ListRecordingSubscriptionsRequest (17): up to
   * `subscriptionCount` recording subscriptions from `pseudoIndex` whose channel contains `channelFragment`
   * (and of `streamId` when `applyStreamId`).
   */
  listRecordingSubscriptions(
    pseudoIndex: number,
    subscriptionCount: number,
    channelFragment: string,
    streamId: number,
    applyStreamId: boolean,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.send((b) =>
      this.listRecordingSubscriptionsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .pseudoIndex(pseudoIndex)
        .subscriptionCount(subscriptionCount)
        .applyStreamId(bool(applyStreamId))
        .streamId(streamId)
        .channel(channelFragment)
        .encodedLength(),
    );
  }

  /** ReplicateRequest2 (66): Java sends every replicate / tagged replicate with it. */
  replicate(
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    p: ResolvedReplicationParams,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.send((b) =>
      this.replicateRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .srcRecordingId(srcRecordingId)
        .dstRecordingId(p.dstRecordingId)
        .stopPosition(p.stopPosition)
        .channelTagId(p.channelTagId)
        .subscriptionTagId(p.subscriptionTagId)
        .srcControlStreamId(srcControlStreamId)
        .fileIoMaxLength(p.fileIoMaxLength)
        .replicationSessionId(p.replicationSessionId)
        .srcControlChannel(srcControlChannel)
        .liveDestination(p.liveDestination)
        .replicationChannel(p.replicationChannel)
        .encodedCredentials(p.encodedCredentials)
        .srcResponseChannel(p.srcResponseChannel)
        .encodedLength(),
    );
  }

  /** Java `ArchiveProxy.stopReplication`: StopReplicationRequest (51) by the id `replicate` answered. */
  stopReplication(replicationId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.stopReplicationRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .replicationId(replicationId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.detachSegments`: DetachSegmentsRequest (53): detaches the segments before
   * `newStartPosition` (the first byte of a segment after the current start); segments being recorded or
   * replayed cannot be detached.
   */
  detachSegments(recordingId: number, newStartPosition: number, correlationId: number, controlSessionId: number) {
    return this.send((b) =>
      this.detachSegmentsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .newStartPosition(newStartPosition)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.deleteDetachedSegments`: DeleteDetachedSegmentsRequest (54): deletes the files of
   * segments detached earlier.
   */
  deleteDetachedSegments(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.deleteDetachedSegmentsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.purgeSegments`: PurgeSegmentsRequest (55): detaches the segments before
   * `newStartPosition` and deletes them.
   */
  purgeSegments(recordingId: number, newStartPosition: number, correlationId: number, controlSessionId: number) {
    return this.send((b) =>
      this.purgeSegmentsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .newStartPosition(newStartPosition)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.attachSegments`: AttachSegmentsRequest (56): attaches detached segment files back to the
   * start of the recording (they must match it and join exactly at its start position).
   */
  attachSegments(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.attachSegmentsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.migrateSegments`: MigrateSegmentsRequest (57): moves the source recording's segments
   * to the start or end of the destination recording (the source must be stopped; it ends truncated to its
   * start).
   */
  migrateSegments(srcRecordingId: number, dstRecordingId: number, correlationId: number, controlSessionId: number) {
    return this.send((b) =>
      this.migrateSegmentsRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .srcRecordingId(srcRecordingId)
        .dstRecordingId(dstRecordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.requestReplayToken`: ReplayTokenRequest (105): a token that lets a replay be
   * requested from another publication (a response-channel replay) without authenticating again.
   */
  requestReplayToken(correlationId: number, controlSessionId: number, recordingId: number): boolean {
    return this.send((b) =>
      this.replayTokenRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .encodedLength(),
    );
  }

  /**
   * Java `ArchiveProxy.updateChannel`: UpdateChannelRequest (107): replaces the recording's original and
   * stripped channel in the catalog.
   */
  updateChannel(recordingId: number, channel: string, correlationId: number, controlSessionId: number): boolean {
    return this.send((b) =>
      this.updateChannelRequest
        .wrapAndApplyHeader(b, 0, this.header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .recordingId(recordingId)
        .channel(channel)
        .encodedLength(),
    );
  }

  /** Encodes with `write` (which returns the body length), growing the buffer if needed; returns the total length. */
  private encode(write: (buffer: Uint8Array) => number): number {
    for (;;) {
      try {
        return HEADER_LENGTH + write(this.buffer);
      } catch (error) {
        if (!(error instanceof CodecError) || error.code !== 'SHORT_BUFFER' || this.buffer.length >= MAX_CAPACITY) {
          throw error;
        }
        this.buffer = new Uint8Array(this.buffer.length * 2);
      }
    }
  }

  private send(write: (buffer: Uint8Array) => number): boolean {
    return this.offer(this.encode(write));
  }

  private offer(length: number): boolean {
    let attempts = this.retryAttempts;
    for (;;) {
      const position = this.publication.offer(this.buffer, 0, length);
      if (position > 0) return true;
      if (position === OfferResult.CLOSED) {
        throw new ArchiveNotConnectedError('connection to the archive has been closed');
      }
      if (position === OfferResult.NOT_CONNECTED) {
        throw new ArchiveNotConnectedError('connection to the archive is no longer available');
      }
      if (position === OfferResult.MAX_POSITION_EXCEEDED) {
        throw new ArchiveError('offer failed due to max position being reached');
      }
      if (--attempts <= 0) return false;
    }
  }
}
