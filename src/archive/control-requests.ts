/**
 * The archive's request/response operations as one table: each entry names the request, writes its message
 * (the encoder and its fields) and says how its answer is read. `ArchiveProxy` offers an entry's message,
 * `AeronArchive` sends it through its request engine, which reads the answer the way the entry says.
 *
 * ```
 *   ControlRequests.stopReplication ──▶ ArchiveProxy.offerRequest(entry, correlationId, controlSessionId, args)
 *                                   ──▶ ControlSessionEngine.request(entry, args, options): Promise<void>
 *                                          OK ─▶ entry.answer.read(response)   ERROR ─▶ ArchiveError
 *                                          (or entry.answer.allowedError.value for its allowed code)
 * ```
 *
 * Adding an operation is one entry here (and the public method that calls it). The connect messages
 * (AuthConnect, Challenge, KeepAlive, CloseSession, ArchiveId) belong to the connect and are `ArchiveProxy`'s own.
 */
import {
  AttachSegmentsRequestEncoder,
  BooleanType,
  BoundedReplayRequestEncoder,
  DeleteDetachedSegmentsRequestEncoder,
  DetachSegmentsRequestEncoder,
  ExtendRecordingRequest2Encoder,
  ExtendRecordingRequestEncoder,
  FindLastMatchingRecordingRequestEncoder,
  ListRecordingRequestEncoder,
  ListRecordingSubscriptionsRequestEncoder,
  ListRecordingsForUriRequestEncoder,
  ListRecordingsRequestEncoder,
  MaxRecordedPositionRequestEncoder,
  type MessageHeaderEncoder,
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
import { ArchiveErrorCode, ArchiveValueRangeError } from './archive-error.ts';
import type { ControlResponsePoller } from './control-response-poller.ts';
import type { RecordingDescriptor, RecordingSubscriptionDescriptor } from './recording-descriptor.ts';
import { isBoundedReplay, type ResolvedReplayParams } from './replay-params.ts';
import type { ResolvedReplicationParams } from './replication-params.ts';

/** What every control request encoder has: the message header, the session and the correlation id. */
export interface SessionRequestEncoder {
  /** Writes the message header at `offset` and wraps the body after it. */
  wrapAndApplyHeader(buffer: Uint8Array, offset: number, header: MessageHeaderEncoder): this;
  /** Writes the control session id. */
  controlSessionId(value: number): this;
  /** Writes the correlation id the answer will carry. */
  correlationId(value: number): this;
  /** Bytes from the start of the body to the end of what was written. */
  encodedLength(): number;
}

/** Where an entry writes its message: the proxy's buffer, reused encoders. */
export interface RequestWriter {
  /**
   * The proxy's encoder of this type wrapped over its buffer, with the header, the control session id and the
   * correlation id written: the entry writes the rest (fixed fields, then var data in schema order).
   */
  wrap<E extends SessionRequestEncoder>(type: new () => E): E;
}

/** Writes one request's own fields; returns the encoder whose `encodedLength()` is the body length. */
export type RequestEncoding<A extends readonly unknown[]> = (
  writer: RequestWriter,
  ...args: A
) => SessionRequestEncoder;

/** How an answered ControlResponse becomes the request's result. */
export interface ResponseAnswer<R> {
  /**
   * Reads the result from the request's OK ControlResponse (the poller holds it); throws
   * `ArchiveValueRangeError` for a value a number cannot hold exactly.
   */
  readonly read: (response: ControlResponsePoller, requestName: string) => R;
  /**
   * An ERROR with this archive error code settles the request with `value` instead of rejecting (Java
   * `pollForResponseAllowingError`); null: every ERROR rejects.
   */
  readonly allowedError: AllowedError<R> | null;
}

/** An archive error code a request takes as an answer, and the result it then settles with. */
export interface AllowedError<R> {
  /** The archive error code (an {@link ArchiveErrorCode} value). */
  readonly code: number;
  /** The request's result when the archive answers that code. */
  readonly value: R;
}

/** A request answered by one ControlResponse (OK or ERROR). */
export interface ControlRequest<A extends readonly unknown[], R> {
  /** Names the request in errors (`failed to send <name> request`, `<name> aborted`). */
  readonly name: string;
  /** Writes the message. */
  readonly encode: RequestEncoding<A>;
  /** Reads the answer. */
  readonly answer: ResponseAnswer<R>;
}

/** The items of each kind of listing. */
export interface ListedItems {
  /** RecordingDescriptor (22) messages, ended by RECORDING_UNKNOWN. */
  readonly recordingDescriptors: RecordingDescriptor;
  /** RecordingSubscriptionDescriptor (23) messages, ended by SUBSCRIPTION_UNKNOWN. */
  readonly subscriptionDescriptors: RecordingSubscriptionDescriptor;
}

/** A request answered by a listing of descriptors; it resolves how many were delivered. */
export interface ListingRequest<A extends readonly unknown[], K extends keyof ListedItems> {
  /** Names the request in errors. */
  readonly name: string;
  /** Writes the message. */
  readonly encode: RequestEncoding<A>;
  /** Which descriptors answer it. */
  readonly listing: K;
}

/** An answer read as the relevantId, exact as a number or refused with `ArchiveValueRangeError`. */
const RELEVANT_ID: ResponseAnswer<number> = { read: readRelevantId, allowedError: null };
/** An answer whose relevantId is read exactly (replay session ids, the replay token). */
const EXACT_RELEVANT_ID: ResponseAnswer<bigint> = {
  read: (response) => response.relevantIdBigInt(),
  allowedError: null,
};
/** An answer that only says OK: its relevantId is not read. */
const OK: ResponseAnswer<void> = { read: () => undefined, allowedError: null };
/** An answer whose relevantId says whether anything was done (0: nothing). */
const RELEVANT_ID_NOT_ZERO: ResponseAnswer<boolean> = {
  read: (response, name) => readRelevantId(response, name) !== 0,
  allowedError: null,
};

function readRelevantId(response: ControlResponsePoller, requestName: string): number {
  try {
    return response.relevantId();
  } catch (error) {
    if (!(error instanceof ArchiveValueRangeError)) throw error;
    throw new ArchiveValueRangeError(`relevantId of the ${requestName} response`, response.relevantIdBigInt(), {
      correlationId: response.correlationId(),
    });
  }
}

function request<A extends readonly unknown[], R>(
  name: string,
  answer: ResponseAnswer<R>,
  encode: RequestEncoding<A>,
): ControlRequest<A, R> {
  return { name, encode, answer };
}

function listing<A extends readonly unknown[], K extends keyof ListedItems>(
  name: string,
  kind: K,
  encode: RequestEncoding<A>,
): ListingRequest<A, K> {
  return { name, encode, listing: kind };
}

/** `request`, resolving true on OK and false on the ERROR `code` (the `try*` calls). */
function allowingError<A extends readonly unknown[]>(
  request: ControlRequest<A, void>,
  code: number,
): ControlRequest<A, boolean> {
  return {
    name: request.name,
    encode: request.encode,
    answer: { read: () => true, allowedError: { code, value: false } },
  };
}

/** `request` under another name (the same message, e.g. a bounded replay). */
function renamed<A extends readonly unknown[], R>(request: ControlRequest<A, R>, name: string): ControlRequest<A, R> {
  return { ...request, name };
}

const bool = (value: boolean): BooleanType => (value ? BooleanType.TRUE : BooleanType.FALSE);

const startRecording = request(
  'start recording',
  RELEVANT_ID,
  (w, channel: string, streamId: number, sourceLocation: SourceLocation, autoStop: boolean | undefined) =>
    autoStop === undefined
      ? w.wrap(StartRecordingRequestEncoder).streamId(streamId).sourceLocation(sourceLocation).channel(channel)
      : w
          .wrap(StartRecordingRequest2Encoder)
          .streamId(streamId)
          .sourceLocation(sourceLocation)
          .autoStop(bool(autoStop))
          .channel(channel),
);

const extendRecording = request(
  'extend recording',
  RELEVANT_ID,
  (
    w,
    channel: string,
    streamId: number,
    sourceLocation: SourceLocation,
    autoStop: boolean | undefined,
    recordingId: number,
  ) =>
    autoStop === undefined
      ? w
          .wrap(ExtendRecordingRequestEncoder)
          .recordingId(recordingId)
          .streamId(streamId)
          .sourceLocation(sourceLocation)
          .channel(channel)
      : w
          .wrap(ExtendRecordingRequest2Encoder)
          .recordingId(recordingId)
          .streamId(streamId)
          .sourceLocation(sourceLocation)
          .autoStop(bool(autoStop))
          .channel(channel),
);

const stopRecording = request('stop recording', OK, (w, channel: string, streamId: number) =>
  w.wrap(StopRecordingRequestEncoder).streamId(streamId).channel(channel),
);

const stopRecordingSubscription = request('stop recording', OK, (w, subscriptionId: number) =>
  w.wrap(StopRecordingSubscriptionRequestEncoder).subscriptionId(subscriptionId),
);

const replay = request(
  'replay',
  EXACT_RELEVANT_ID,
  (w, recordingId: number, replayChannel: string, replayStreamId: number, p: ResolvedReplayParams) =>
    isBoundedReplay(p)
      ? w
          .wrap(BoundedReplayRequestEncoder)
          .recordingId(recordingId)
          .position(p.position)
          .length(p.length)
          .limitCounterId(p.boundingLimitCounterId)
          .replayStreamId(replayStreamId)
          .fileIoMaxLength(p.fileIoMaxLength)
          .replayTokenBigInt(p.replayToken)
          .replayChannel(replayChannel)
      : w
          .wrap(ReplayRequestEncoder)
          .recordingId(recordingId)
          .position(p.position)
          .length(p.length)
          .replayStreamId(replayStreamId)
          .fileIoMaxLength(p.fileIoMaxLength)
          .replayTokenBigInt(p.replayToken)
          .replayChannel(replayChannel),
);

const stopReplication = request('stop replication', OK, (w, replicationId: number) =>
  w.wrap(StopReplicationRequestEncoder).replicationId(replicationId),
);

/** Recording ids and positions of one recording: the shape of several requests. */
const byRecordingId =
  (type: new () => SessionRequestEncoder & { recordingId(value: number): SessionRequestEncoder }) =>
  (w: RequestWriter, recordingId: number): SessionRequestEncoder =>
    w.wrap(type).recordingId(recordingId);

/**
 * Every request/response operation of the archive client: the message each sends (see `ArchiveProxy` for the
 * Java method each mirrors) and how its answer is read.
 */
export const ControlRequests = {
  /** StartRecordingRequest (4), or StartRecordingRequest2 (63) with `autoStop`: the subscription's registration id. */
  startRecording,
  /** ExtendRecordingRequest (11), or ExtendRecordingRequest2 (64) with `autoStop`: the subscription's registration id. */
  extendRecording,
  /** StopRecordingRequest (5) by channel and stream. */
  stopRecording,
  /** StopRecordingRequest (5): false when the archive answers UNKNOWN_SUBSCRIPTION. */
  tryStopRecording: allowingError(stopRecording, ArchiveErrorCode.UNKNOWN_SUBSCRIPTION),
  /** StopRecordingSubscriptionRequest (14) by subscription id. */
  stopRecordingSubscription,
  /** StopRecordingSubscriptionRequest (14): false when the archive answers UNKNOWN_SUBSCRIPTION. */
  tryStopRecordingSubscription: allowingError(stopRecordingSubscription, ArchiveErrorCode.UNKNOWN_SUBSCRIPTION),
  /** StopRecordingByIdentityRequest (65): whether a recording subscription was stopped (relevantId ≠ 0). */
  stopRecordingByIdentity: request('stop recording', RELEVANT_ID_NOT_ZERO, (w, recordingId: number) =>
    w.wrap(StopRecordingByIdentityRequestEncoder).recordingId(recordingId),
  ),
  /** ReplayRequest (6), or BoundedReplayRequest (18) with a bounding counter: the replay session id, exact. */
  replay,
  /** As `replay`, named for `startBoundedReplay`. */
  boundedReplay: renamed(replay, 'bounded replay'),
  /** StopReplayRequest (7): the replay session id is written exactly. */
  stopReplay: request('stop replay', OK, (w, replaySessionId: bigint) =>
    w.wrap(StopReplayRequestEncoder).replaySessionIdBigInt(replaySessionId),
  ),
  /** StopAllReplaysRequest (19): every replay of a recording, or of every recording with -1. */
  stopAllReplays: request('stop all replays', OK, byRecordingId(StopAllReplaysRequestEncoder)),
  /** ReplayTokenRequest (105): the token, a random 64-bit value, exact. */
  requestReplayToken: request('replay token', EXACT_RELEVANT_ID, byRecordingId(ReplayTokenRequestEncoder)),
  /** ListRecordingsRequest (8). */
  listRecordings: listing(
    'list recordings',
    'recordingDescriptors',
    (w, fromRecordingId: number, recordCount: number) =>
      w.wrap(ListRecordingsRequestEncoder).fromRecordingId(fromRecordingId).recordCount(recordCount),
  ),
  /** ListRecordingsForUriRequest (9). */
  listRecordingsForUri: listing(
    'list recordings',
    'recordingDescriptors',
    (w, fromRecordingId: number, recordCount: number, channelFragment: string, streamId: number) =>
      w
        .wrap(ListRecordingsForUriRequestEncoder)
        .fromRecordingId(fromRecordingId)
        .recordCount(recordCount)
        .streamId(streamId)
        .channel(channelFragment),
  ),
  /** ListRecordingRequest (10). */
  listRecording: listing('list recording', 'recordingDescriptors', byRecordingId(ListRecordingRequestEncoder)),
  /** ListRecordingSubscriptionsRequest (17). */
  listRecordingSubscriptions: listing(
    'list recording subscriptions',
    'subscriptionDescriptors',
    (
      w,
      pseudoIndex: number,
      subscriptionCount: number,
      channelFragment: string,
      streamId: number,
      applyStreamId: boolean,
    ) =>
      w
        .wrap(ListRecordingSubscriptionsRequestEncoder)
        .pseudoIndex(pseudoIndex)
        .subscriptionCount(subscriptionCount)
        .applyStreamId(bool(applyStreamId))
        .streamId(streamId)
        .channel(channelFragment),
  ),
  /** StartPositionRequest (52). */
  getStartPosition: request('get start position', RELEVANT_ID, byRecordingId(StartPositionRequestEncoder)),
  /** RecordingPositionRequest (12): -1 when the recording is not active. */
  getRecordingPosition: request('get recording position', RELEVANT_ID, byRecordingId(RecordingPositionRequestEncoder)),
  /** StopPositionRequest (15): -1 while the recording is active. */
  getStopPosition: request('get stop position', RELEVANT_ID, byRecordingId(StopPositionRequestEncoder)),
  /** MaxRecordedPositionRequest (67). */
  getMaxRecordedPosition: request(
    'get max recorded position',
    RELEVANT_ID,
    byRecordingId(MaxRecordedPositionRequestEncoder),
  ),
  /** FindLastMatchingRecordingRequest (16): a recording id, or -1. */
  findLastMatchingRecording: request(
    'find last matching recording',
    RELEVANT_ID,
    (w, minRecordingId: number, channelFragment: string, streamId: number, sessionId: number) =>
      w
        .wrap(FindLastMatchingRecordingRequestEncoder)
        .minRecordingId(minRecordingId)
        .sessionId(sessionId)
        .streamId(streamId)
        .channel(channelFragment),
  ),
  /** TruncateRecordingRequest (13): the number of segment files deleted. */
  truncateRecording: request('truncate recording', RELEVANT_ID, (w, recordingId: number, position: number) =>
    w.wrap(TruncateRecordingRequestEncoder).recordingId(recordingId).position(position),
  ),
  /** PurgeRecordingRequest (104): the number of segment files deleted. */
  purgeRecording: request('purge recording', RELEVANT_ID, byRecordingId(PurgeRecordingRequestEncoder)),
  /** UpdateChannelRequest (107). */
  updateChannel: request('update channel', OK, (w, recordingId: number, channel: string) =>
    w.wrap(UpdateChannelRequestEncoder).recordingId(recordingId).channel(channel),
  ),
  /** ReplicateRequest2 (66): the replication id. */
  replicate: request(
    'replicate',
    RELEVANT_ID,
    (w, srcRecordingId: number, srcControlStreamId: number, srcControlChannel: string, p: ResolvedReplicationParams) =>
      w
        .wrap(ReplicateRequest2Encoder)
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
        .srcResponseChannel(p.srcResponseChannel),
  ),
  /** StopReplicationRequest (51). */
  stopReplication,
  /** StopReplicationRequest (51): false when the archive answers UNKNOWN_REPLICATION. */
  tryStopReplication: allowingError(stopReplication, ArchiveErrorCode.UNKNOWN_REPLICATION),
  /** DetachSegmentsRequest (53). */
  detachSegments: request('detach segments', OK, (w, recordingId: number, newStartPosition: number) =>
    w.wrap(DetachSegmentsRequestEncoder).recordingId(recordingId).newStartPosition(newStartPosition),
  ),
  /** DeleteDetachedSegmentsRequest (54): the number of segment files deleted. */
  deleteDetachedSegments: request(
    'delete detached segments',
    RELEVANT_ID,
    byRecordingId(DeleteDetachedSegmentsRequestEncoder),
  ),
  /** PurgeSegmentsRequest (55): the number of segment files deleted. */
  purgeSegments: request('purge segments', RELEVANT_ID, (w, recordingId: number, newStartPosition: number) =>
    w.wrap(PurgeSegmentsRequestEncoder).recordingId(recordingId).newStartPosition(newStartPosition),
  ),
  /** AttachSegmentsRequest (56): the number of segment files attached. */
  attachSegments: request('attach segments', RELEVANT_ID, byRecordingId(AttachSegmentsRequestEncoder)),
  /** MigrateSegmentsRequest (57): the number of segment files migrated. */
  migrateSegments: request('migrate segments', RELEVANT_ID, (w, srcRecordingId: number, dstRecordingId: number) =>
    w.wrap(MigrateSegmentsRequestEncoder).srcRecordingId(srcRecordingId).dstRecordingId(dstRecordingId),
  ),
} as const;
