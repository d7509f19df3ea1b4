/**
 * Encodes every control request (Java `ArchiveProxy`) into one reused buffer and offers it on the control request
 * publication. The request/response operations are written as their entry in {@link ControlRequests} says; the
 * connect messages (AuthConnect, Challenge, KeepAlive, CloseSession, ArchiveId) are written here.
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
  AuthConnectRequestEncoder,
  ChallengeResponseEncoder,
  CloseSessionRequestEncoder,
  KeepAliveRequestEncoder,
  MessageHeaderEncoder,
  type SourceLocation,
} from '../../codecs/generated/archive/index.ts';
import { CodecError } from '../../codecs/runtime/index.ts';
import { PROTOCOL_SEMANTIC_VERSION } from './archive-context.ts';
import { ArchiveError, ArchiveNotConnectedError } from './archive-error.ts';
import {
  ControlRequests,
  type RequestEncoding,
  type RequestWriter,
  type SessionRequestEncoder,
} from './control-requests.ts';
import { type ControlPublication, OfferResult } from './control-transport.ts';
import type { ResolvedReplayParams } from './replay-params.ts';
import type { ResolvedReplicationParams } from './replication-params.ts';

const HEADER_LENGTH = 8;
const INITIAL_CAPACITY = 1024;
const MAX_CAPACITY = 1 << 24;

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
  /** The control request publication requests are offered on. */
  readonly publication: ControlPublication;
  readonly #retryAttempts: number;
  readonly #clientInfo: string;
  #buffer = new Uint8Array(INITIAL_CAPACITY);
  readonly #header = new MessageHeaderEncoder();
  readonly #authConnect = new AuthConnectRequestEncoder();
  readonly #keepAliveRequest = new KeepAliveRequestEncoder();
  readonly #closeSessionRequest = new CloseSessionRequestEncoder();
  readonly #challengeResponse = new ChallengeResponseEncoder();
  readonly #archiveIdRequest = new ArchiveIdRequestEncoder();
  /** The request encoders of {@link ControlRequests}, made on first use. */
  readonly #requestEncoders = new Map<new () => SessionRequestEncoder, SessionRequestEncoder>();
  /** The ids `#writer` writes into the request being encoded. */
  #requestControlSessionId = 0;
  #requestCorrelationId = 0;
  readonly #writer: RequestWriter = {
    wrap: <E extends SessionRequestEncoder>(type: new () => E): E => this.#wrapRequest(type),
  };

  /**
   * @param publication the control request publication requests are offered on.
   * @param retryAttempts offer attempts per request (Java `Context.messageRetryAttempts`, default 3 there).
   * @param clientInfo the connect request's client info (`name=<clientName> version=… commit=…`).
   */
  constructor(publication: ControlPublication, retryAttempts: number, clientInfo = '') {
    this.publication = publication;
    this.#retryAttempts = retryAttempts;
    this.#clientInfo = clientInfo;
  }

  /** A proxy with the same settings over another publication (response-channel replays). */
  withPublication(publication: ControlPublication): ArchiveProxy {
    return new ArchiveProxy(publication, this.#retryAttempts, this.#clientInfo);
  }

  /**
   * Offers one request of {@link ControlRequests} with its arguments (as the named methods below do).
   *
   * @internal the request engine's entry point; callers use the named methods.
   */
  offerRequest<A extends readonly unknown[]>(
    request: { readonly encode: RequestEncoding<A> },
    correlationId: number,
    controlSessionId: number,
    args: A,
  ): boolean {
    this.#requestControlSessionId = controlSessionId;
    this.#requestCorrelationId = correlationId;
    return this.#offer(this.#encode(() => request.encode(this.#writer, ...args).encodedLength()));
  }

  /** AuthConnectRequest (58), offered once. */
  tryConnect(
    responseChannel: string,
    responseStreamId: number,
    correlationId: number,
    encodedCredentials: Uint8Array,
  ): boolean {
    const length = this.#encode(() =>
      this.#authConnect
        .wrapAndApplyHeader(this.#buffer, 0, this.#header)
        .correlationId(correlationId)
        .responseStreamId(responseStreamId)
        .version(PROTOCOL_SEMANTIC_VERSION)
        .responseChannel(responseChannel)
        .encodedCredentials(encodedCredentials)
        .clientInfo(this.#clientInfo)
        .encodedLength(),
    );
    return this.publication.offer(this.#buffer, 0, length) > 0;
  }

  /** ChallengeResponse (60), offered once. */
  tryChallengeResponse(encodedCredentials: Uint8Array, correlationId: number, controlSessionId: number): boolean {
    const length = this.#encode(() =>
      this.#challengeResponse
        .wrapAndApplyHeader(this.#buffer, 0, this.#header)
        .controlSessionId(controlSessionId)
        .correlationId(correlationId)
        .encodedCredentials(encodedCredentials)
        .encodedLength(),
    );
    return this.publication.offer(this.#buffer, 0, length) > 0;
  }

  /**
   * Java `ArchiveProxy.keepAlive`: KeepAliveRequest (61), which keeps the control session from timing out on
   * the archive.
   */
  keepAlive(controlSessionId: number, correlationId: number): boolean {
    return this.#offer(
      this.#encode(() =>
        this.#keepAliveRequest
          .wrapAndApplyHeader(this.#buffer, 0, this.#header)
          .controlSessionId(controlSessionId)
          .correlationId(correlationId)
          .encodedLength(),
      ),
    );
  }

  /** Java `ArchiveProxy.closeSession`: CloseSessionRequest (3); the archive answers nothing. */
  closeSession(controlSessionId: number): boolean {
    return this.#offer(
      this.#encode(() =>
        this.#closeSessionRequest
          .wrapAndApplyHeader(this.#buffer, 0, this.#header)
          .controlSessionId(controlSessionId)
          .encodedLength(),
      ),
    );
  }

  /**
   * Java `ArchiveProxy.archiveId`: ArchiveIdRequest (68), answered with the archive's id (archives from
   * protocol 1.11.0).
   */
  archiveId(correlationId: number, controlSessionId: number): boolean {
    return this.#offer(
      this.#encode(() =>
        this.#archiveIdRequest
          .wrapAndApplyHeader(this.#buffer, 0, this.#header)
          .controlSessionId(controlSessionId)
          .correlationId(correlationId)
          .encodedLength(),
      ),
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
    return this.offerRequest(ControlRequests.startRecording, correlationId, controlSessionId, [
      channel,
      streamId,
      sourceLocation,
      autoStop,
    ]);
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
    return this.offerRequest(ControlRequests.extendRecording, correlationId, controlSessionId, [
      channel,
      streamId,
      sourceLocation,
      autoStop,
      recordingId,
    ]);
  }

  /**
   * Java `ArchiveProxy.stopRecording(channel, streamId, …)`: StopRecordingRequest (5) for the recording
   * subscription on `channel` / `streamId`.
   */
  stopRecording(channel: string, streamId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopRecording, correlationId, controlSessionId, [channel, streamId]);
  }

  /**
   * Java `ArchiveProxy.stopRecording(subscriptionId, …)`: StopRecordingSubscriptionRequest (14) by the
   * subscription id `startRecording` answered.
   */
  stopRecordingSubscription(subscriptionId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopRecordingSubscription, correlationId, controlSessionId, [
      subscriptionId,
    ]);
  }

  /** Java `ArchiveProxy.stopRecordingByIdentity`: StopRecordingByIdentityRequest (65) by recording id. */
  stopRecordingByIdentity(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopRecordingByIdentity, correlationId, controlSessionId, [recordingId]);
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
    return this.offerRequest(ControlRequests.replay, correlationId, controlSessionId, [
      recordingId,
      replayChannel,
      replayStreamId,
      p,
    ]);
  }

  /** StopReplayRequest; `replaySessionId` is written exactly (it passes 2^53 on a long-lived archive). */
  stopReplay(replaySessionId: bigint, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopReplay, correlationId, controlSessionId, [replaySessionId]);
  }

  /**
   * Java `ArchiveProxy.stopAllReplays`: StopAllReplaysRequest (19): every replay of `recordingId`, or of
   * every recording when it is `NULL_VALUE` (-1).
   */
  stopAllReplays(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopAllReplays, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.listRecordings`: ListRecordingsRequest (8): up to `recordCount` descriptors from
   * `fromRecordingId`, answered as RecordingDescriptor messages.
   */
  listRecordings(
    fromRecordingId: number,
    recordCount: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.offerRequest(ControlRequests.listRecordings, correlationId, controlSessionId, [
      fromRecordingId,
      recordCount,
    ]);
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
    return this.offerRequest(ControlRequests.listRecordingsForUri, correlationId, controlSessionId, [
      fromRecordingId,
      recordCount,
      channelFragment,
      streamId,
    ]);
  }

  /** Java `ArchiveProxy.listRecording`: ListRecordingRequest (10): the descriptor of one recording. */
  listRecording(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.listRecording, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.getRecordingPosition`: RecordingPositionRequest (12): the position of an active
   * recording (`NULL_POSITION` when not active).
   */
  getRecordingPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.getRecordingPosition, correlationId, controlSessionId, [recordingId]);
  }

  /** Java `ArchiveProxy.getStartPosition`: StartPositionRequest (52): the recording's start position. */
  getStartPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.getStartPosition, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.getStopPosition`: StopPositionRequest (15): the stop position of a stopped recording
   * (`NULL_POSITION` while active).
   */
  getStopPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.getStopPosition, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.getMaxRecordedPosition`: MaxRecordedPositionRequest (67): the stop or active recorded
   * position.
   */
  getMaxRecordedPosition(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.getMaxRecordedPosition, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.truncateRecording`: TruncateRecordingRequest (13): truncates a stopped recording to
   * `position`.
   */
  truncateRecording(recordingId: number, position: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.truncateRecording, correlationId, controlSessionId, [
      recordingId,
      position,
    ]);
  }

  /**
   * Java `ArchiveProxy.purgeRecording`: PurgeRecordingRequest (104): deletes a stopped recording and its
   * files.
   */
  purgeRecording(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.purgeRecording, correlationId, controlSessionId, [recordingId]);
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
    return this.offerRequest(ControlRequests.findLastMatchingRecording, correlationId, controlSessionId, [
      minRecordingId,
      channelFragment,
      streamId,
      sessionId,
    ]);
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
    return this.offerRequest(ControlRequests.listRecordingSubscriptions, correlationId, controlSessionId, [
      pseudoIndex,
      subscriptionCount,
      channelFragment,
      streamId,
      applyStreamId,
    ]);
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
    return this.offerRequest(ControlRequests.replicate, correlationId, controlSessionId, [
      srcRecordingId,
      srcControlStreamId,
      srcControlChannel,
      p,
    ]);
  }

  /** Java `ArchiveProxy.stopReplication`: StopReplicationRequest (51) by the id `replicate` answered. */
  stopReplication(replicationId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.stopReplication, correlationId, controlSessionId, [replicationId]);
  }

  /**
   * Java `ArchiveProxy.detachSegments`: DetachSegmentsRequest (53): detaches the segments before
   * `newStartPosition` (the first byte of a segment after the current start); segments being recorded or
   * replayed cannot be detached.
   */
  detachSegments(
    recordingId: number,
    newStartPosition: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.offerRequest(ControlRequests.detachSegments, correlationId, controlSessionId, [
      recordingId,
      newStartPosition,
    ]);
  }

  /**
   * Java `ArchiveProxy.deleteDetachedSegments`: DeleteDetachedSegmentsRequest (54): deletes the files of
   * segments detached earlier.
   */
  deleteDetachedSegments(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.deleteDetachedSegments, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.purgeSegments`: PurgeSegmentsRequest (55): detaches the segments before
   * `newStartPosition` and deletes them.
   */
  purgeSegments(
    recordingId: number,
    newStartPosition: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.offerRequest(ControlRequests.purgeSegments, correlationId, controlSessionId, [
      recordingId,
      newStartPosition,
    ]);
  }

  /**
   * Java `ArchiveProxy.attachSegments`: AttachSegmentsRequest (56): attaches detached segment files back to the
   * start of the recording (they must match it and join exactly at its start position).
   */
  attachSegments(recordingId: number, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.attachSegments, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.migrateSegments`: MigrateSegmentsRequest (57): moves the source recording's segments
   * to the start or end of the destination recording (the source must be stopped; it ends truncated to its
   * start).
   */
  migrateSegments(
    srcRecordingId: number,
    dstRecordingId: number,
    correlationId: number,
    controlSessionId: number,
  ): boolean {
    return this.offerRequest(ControlRequests.migrateSegments, correlationId, controlSessionId, [
      srcRecordingId,
      dstRecordingId,
    ]);
  }

  /**
   * Java `ArchiveProxy.requestReplayToken`: ReplayTokenRequest (105): a token that lets a replay be
   * requested from another publication (a response-channel replay) without authenticating again.
   */
  requestReplayToken(correlationId: number, controlSessionId: number, recordingId: number): boolean {
    return this.offerRequest(ControlRequests.requestReplayToken, correlationId, controlSessionId, [recordingId]);
  }

  /**
   * Java `ArchiveProxy.updateChannel`: UpdateChannelRequest (107): replaces the recording's original and
   * stripped channel in the catalog.
   */
  updateChannel(recordingId: number, channel: string, correlationId: number, controlSessionId: number): boolean {
    return this.offerRequest(ControlRequests.updateChannel, correlationId, controlSessionId, [recordingId, channel]);
  }

  #wrapRequest<E extends SessionRequestEncoder>(type: new () => E): E {
    let encoder = this.#requestEncoders.get(type) as E | undefined;
    if (encoder === undefined) {
      encoder = new type();
      this.#requestEncoders.set(type, encoder);
    }
    return encoder
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(this.#requestControlSessionId)
      .correlationId(this.#requestCorrelationId);
  }

  /**
   * Encodes with `write` (which returns the body length), growing the buffer and writing again when it is too
   * short; returns the total length.
   */
  #encode(write: () => number): number {
    for (;;) {
      try {
        return HEADER_LENGTH + write();
      } catch (error) {
        if (!(error instanceof CodecError) || error.code !== 'SHORT_BUFFER' || this.#buffer.length >= MAX_CAPACITY) {
          throw error;
        }
        this.#buffer = new Uint8Array(this.#buffer.length * 2);
      }
    }
  }

  #offer(length: number): boolean {
    let attempts = this.#retryAttempts;
    for (;;) {
      const position = this.publication.offer(this.#buffer, 0, length);
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
