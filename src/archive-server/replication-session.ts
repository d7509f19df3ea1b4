/**
 * One replication of a recording from a source archive into this one (Java `ReplicationSession`), worked by the
 * conductor's duty cycle. The source archive is reached with this project's archive client (`AeronArchive`,
 * src/archive): each request to it is a Promise whose outcome a later cycle reads, so nothing here waits.
 *
 * ```
 *  CONNECT ──AeronArchive.connect(source control channel)──▶ REPLICATE_DESCRIPTOR ──LIST_RECORDING(src)──▶
 *     no descriptor: ERROR UNKNOWN_RECORDING "unknown src recording id <id>" ──▶ DONE
 *     a new destination: a stopped descriptor (stop = start) added, signal REPLICATE
 *     already in sync (empty source, or its stop = the destination's stop): signal SYNC ──▶ DONE
 *     liveDestination: SRC_RECORDING_POSITION (the source recording must be active) ──▶ EXTEND
 *  EXTEND ──the conductor's EXTEND_RECORDING (REMOTE, autoStop) on the replication channel + rejoin=false and
 *     session-id; tagged or live: no endpoint, control-mode=manual, tags=<channelTag>,<subscriptionTag>, and the
 *     replication channel's endpoint added as the replay destination; a control-mode=response replication
 *     channel: no session-id ──▶
 *  REPLAY_TOKEN (response channel only): REPLAY_TOKEN request to the source ──▶ GET_ARCHIVE_PROXY (response
 *     channel only): an exclusive publication to the source's control channel and stream with
 *     response-correlation-id=<the recording subscription's registration id>, 64k terms, connected with a window
 *     (Java has no deadline here; this one times out after the message timeout) ──▶
 *  REPLAY: the channel's wildcard port replaced by the subscription's bound one, session-id (or, response channel,
 *     response-correlation-id=<the subscription's registration id>), REPLAY to the source (length to stopPosition
 *     or all; the token and the publication above when a response channel) ──▶
 *  AWAIT_IMAGE (the replay image, by the low 32 bits of the replay session id) ──▶
 *     REPLICATE: until position >= the source's stop (signal SYNC), >= stopPosition, end of stream or closed ──▶ DONE
 *     CATCHUP (live): until position >= the source's recorded position ──▶ ATTEMPT_LIVE_JOIN: RECORDING_POSITION
 *       again; within min(termLength / 4, 32 MiB) of it the live destination is added; at it with two transports
 *       the replay destination is removed, signal MERGE ──▶ DONE (the recording goes on from the live stream)
 *  close: the recording subscription stopped (its recording then STOPs), the source's replay stopped, the
 *     client closed, signal REPLICATE_END
 * ```
 * Errors go to the control session as ERROR with correlationId = the replication id, in Java's words (an
 * exception's text with Java's "ERROR - " prefix). A source that stops answering ends the replication with Java's
 * `TimeoutException` texts after the message timeout: "failed to fetch remote recording descriptor" (LIST_RECORDING),
 * "failed to get recording position" (RECORDING_POSITION; in ATTEMPT_LIVE_JOIN after three timeouts), "failed get
 * acknowledgement of replay request to: <replication channel>", "failed get replay image for sessionId=<id> on
 * channel=<recording subscription channel>", "failed to resolve subscription endpoint: channel=<…>"; a request
 * the client could not send is retried each cycle, then "failed to list remote recording descriptor" / "failed to
 * send recording position request" / "failed to send replay request"; a failed connect is "Replication connection
 * failed=<the client's error>". Java waits without a deadline for the REPLAY_TOKEN answer and the request
 * publication of GET_ARCHIVE_PROXY; this one ends there too, after the message timeout ("failed to get replay
 * token", "timed out waiting for replay publication to connect"), and in EXTEND ("failed to add replication
 * subscription: channel=…", where Java's subscription is synchronous). A destination the driver refuses (replay or live, added or
 * removed) is not one of them: as in Java the replication goes on (`#destinationCommand`). Signals carry correlationId = the replication id and the
 * destination recording id.
 *
 * Response replication channels cannot be live or tagged (the conductor refuses those, as Java). An empty
 * destination recording is rewritten with the source's descriptor (`Catalog.replaceRecording`), as Java does.
 */
import { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { AeronArchive, replayImageSessionId } from '../archive/aeron-archive.ts';
import { ArchiveError, ArchiveNotConnectedError, ArchiveTimeoutError } from '../archive/archive-error.ts';
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import type { CredentialsSupplier } from '../archive/credentials.ts';
import type { RecordingDescriptor } from '../archive/recording-descriptor.ts';
import { LIVE_ADD_MAX_WINDOW } from '../archive/replay-merge.ts';
import { NULL_LENGTH } from '../archive/replay-params.ts';
import { responseRequestChannel } from '../archive/response-channel-replay.ts';
import type { Aeron } from '../client/aeron.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import type { Image } from '../client/image.ts';
import type { Subscription } from '../client/subscription.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import type { Catalog } from './catalog.ts';
import type { ControlSession } from './control-session.ts';

const NULL_VALUE = -1;
/** Java `ReplicationSession.RETRY_ATTEMPTS`: position requests retried while attempting the live join. */
const RETRY_ATTEMPTS = 3;
/** Java `SOURCE_ARCHIVE_POLL_INTERVAL_MS`: how often the source's unmatched errors are polled. */
const SOURCE_ARCHIVE_POLL_INTERVAL_MS = 100;
/** Java `REPLAY_REMOVE_THRESHOLD`: the replay destination goes once the image is at the live position. */
const REPLAY_REMOVE_THRESHOLD = 0;

/** What a REPLICATE / REPLICATE2 / TAGGED_REPLICATE asks for, with Java's null values where a field is unset. */
export interface ReplicationRequest {
  /** The recording in the source archive. */
  readonly srcRecordingId: number;
  /** The recording here to extend, or -1 for a new one. */
  readonly dstRecordingId: number;
  /** Source position to stop at, or NULL_POSITION (-1): replicate all, following an active recording. */
  readonly stopPosition: number;
  /** Channel tag of the replication subscription, or -1. */
  readonly channelTagId: number;
  /** Subscription tag of the replication subscription, or -1. */
  readonly subscriptionTagId: number;
  /** The source archive's control stream id. */
  readonly srcControlStreamId: number;
  /** The source archive's control channel. */
  readonly srcControlChannel: string;
  /** The live stream to merge with once caught up ('' none). */
  readonly liveDestination: string;
  /** The channel the source replays to ('' the archive's `replicationChannel`). */
  readonly replicationChannel: string;
  /** Largest read of the source's replay, or -1: the source's own. */
  readonly fileIoMaxLength: number;
  /** Session id of the replayed stream instead of the source recording's, or -1. */
  readonly replicationSessionId: number;
  /** Credentials for the source archive (empty: none). */
  readonly encodedCredentials: Uint8Array;
  /** Response channel for the source archive's control session ('' the archive's default). */
  readonly srcResponseChannel: string;
}

/** What a replication needs of the conductor (Java reaches into `ArchiveConductor` for the same). */
export interface ReplicationHost {
  /** The archive's Aeron client. */
  readonly aeron: Aeron;
  /** The archive's catalog. */
  readonly catalog: Catalog;
  /** The archive's replication channel (`aeron.archive.replication.channel`). */
  readonly replicationChannel: string;
  /** Response channel of the source archive control session (Java `archiveClientContext` response channel). */
  readonly controlResponseChannel: string;
  /** Message timeout of requests to the source, and of each wait (Java `messageTimeoutNs`). */
  readonly messageTimeoutMs: number;
  /**
   * Java `extendRecording(replicationId, recordingId, streamId, REMOTE, autoStop, channel, session)`: the
   * registration id of the new recording subscription (OK sent to the session), or the refusal's text (ERROR sent).
   */
  extendRecording(
    correlationId: number,
    recordingId: number,
    streamId: number,
    channel: string,
    session: ControlSession,
  ): number | string;
  /** Java `stopRecordingSubscription`: false when it is gone already. */
  stopRecordingSubscription(subscriptionId: number): boolean;
  /** Java `removeReplicationSession`. */
  removeReplication(replicationId: number): void;
  /** Errors of closing (the source client, the request publication, the source's replay stopped). */
  onError(error: unknown): void;
}

type State =
  | 'CONNECT'
  | 'REPLICATE_DESCRIPTOR'
  | 'SRC_RECORDING_POSITION'
  | 'EXTEND'
  | 'REPLAY_TOKEN'
  | 'GET_ARCHIVE_PROXY'
  | 'REPLAY'
  | 'AWAIT_IMAGE'
  | 'REPLICATE'
  | 'CATCHUP'
  | 'ATTEMPT_LIVE_JOIN'
  | 'DONE';

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Java's text of an exception: `AeronException` prefixes its category. */
function exceptionText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('ERROR - ') ? message : `ERROR - ${message}`;
}

/** The client could not offer the request (Java's `ArchiveProxy` returned false: its ReplicationSession retries). */
function isNotSent(error: unknown): boolean {
  return (
    error instanceof ArchiveError &&
    error.code === 'ARCHIVE_ERROR' &&
    error.errorCode === ArchiveErrorCode.GENERIC &&
    error.message.startsWith('failed to send ')
  );
}

/** No answer from the source: the message timeout passed, or the response stream went away. */
function isNoAnswer(error: unknown): boolean {
  return error instanceof ArchiveTimeoutError || error instanceof ArchiveNotConnectedError;
}

/** The copy of a source descriptor a listing delivers (the consumer's object may be reused). */
function copyDescriptor(d: RecordingDescriptor): RecordingDescriptor {
  return { ...d };
}

/** Credentials for the source archive (Java `ReplicationCredentialsSupplier`: no challenge/response). */
function replicationCredentials(encodedCredentials: Uint8Array): CredentialsSupplier {
  return {
    encodedCredentials: () => encodedCredentials,
    onChallenge: () => {
      throw new ArchiveError('Replication does not support challenge/response authentication');
    },
  };
}

/** A replication (module comment). */
export class ReplicationSession {
  /** Java `replicationId`: from the conductor's session id counter. */
  readonly replicationId: number;
  readonly #r: ReplicationRequest;
  readonly #host: ReplicationHost;
  readonly #session: ControlSession;
  readonly #replicationChannel: string;
  readonly #liveDestination: string | null;
  readonly #isTagged: boolean;
  readonly #channelTagId: number;
  readonly #subscriptionTagId: number;
  readonly #dstStopPosition: number;
  readonly #actionTimeoutMs: number;
  readonly #isDestinationRecordingEmpty: boolean;
  /** Whether the replication channel is `control-mode=response` (a replay token and a request publication). */
  readonly #isResponseChannel: boolean;
  #replayToken: bigint | null = null;
  /** The request publication of a response-channel replay (Java `responsePublication`), closed with the session. */
  #responsePublication: ExclusivePublication | null = null;
  #dstRecordingId: number;
  #state: State = 'CONNECT';
  #reason = '';
  #nowMs: number;
  #timeOfLastActionMs: number;
  #timeOfLastSourcePollMs = 0;
  #replayPosition = NULL_POSITION;
  #srcStopPosition = NULL_POSITION;
  #srcRecordingPosition = NULL_POSITION;
  #replayStreamId = 0;
  #replaySessionId = 0;
  #srcReplaySessionId: bigint | null = null;
  #retryAttempts = RETRY_ATTEMPTS;
  #isLiveAdded = false;
  #replayDestination: string | null = null;
  #connectAbort: AbortController | null = null;
  #srcArchive: AeronArchive | null = null;
  /** Registration id of the recording subscription while this replication owns it, else -1. */
  #subscriptionId = NULL_VALUE;
  #recordingSubscription: Subscription | null = null;
  #image: Image | null = null;
  #inFlight = false;
  #outcome: Outcome | null = null;
  #callEpoch = 0;
  #descriptor: RecordingDescriptor | null = null;
  #destinationError: unknown = null;
  /** When a request the client could not send was first tried (Java's deadline of its retries), or -1. */
  #notSentSinceMs = NULL_VALUE;
  #closed = false;

  /**
   * @param dstSummary the destination recording's start / stop / stream (Java `RecordingSummary`) when extending
   *   one, else null.
   */
  constructor(
    replicationId: number,
    request: ReplicationRequest,
    dstSummary: { readonly startPosition: number; readonly stopPosition: number; readonly streamId: number } | null,
    session: ControlSession,
    host: ReplicationHost,
    nowMs: number,
  ) {
    this.replicationId = replicationId;
    this.#r = request;
    this.#host = host;
    this.#session = session;
    this.#nowMs = nowMs;
    this.#timeOfLastActionMs = nowMs;
    this.#actionTimeoutMs = host.messageTimeoutMs;
    this.#dstRecordingId = request.dstRecordingId;
    this.#dstStopPosition = request.stopPosition;
    this.#liveDestination = request.liveDestination === '' ? null : request.liveDestination;
    this.#replicationChannel = request.replicationChannel === '' ? host.replicationChannel : request.replicationChannel;
    this.#isTagged = request.channelTagId !== NULL_VALUE || request.subscriptionTagId !== NULL_VALUE;
    this.#channelTagId = request.channelTagId === NULL_VALUE ? replicationId : request.channelTagId;
    this.#subscriptionTagId = request.subscriptionTagId === NULL_VALUE ? replicationId : request.subscriptionTagId;
    if (dstSummary !== null) {
      this.#replayPosition = dstSummary.stopPosition;
      this.#replayStreamId = dstSummary.streamId;
    }
    this.#isDestinationRecordingEmpty = dstSummary !== null && dstSummary.startPosition === dstSummary.stopPosition;
    this.#isResponseChannel = ChannelUri.parse(this.#replicationChannel).hasControlModeResponse();
  }

  /** The state (Java's names), for diagnostics. */
  get state(): string {
    return this.#state;
  }

  /**
   * The last refusal of a destination command (the replay or live destination added, the replay one removed at the
   * merge), or null; kept for diagnostics only, as Java's client keeps it (`#destinationCommand`).
   */
  get destinationError(): unknown {
    return this.#destinationError;
  }

  /** Why the last state change happened (Java's `logStateChange` reasons), for diagnostics. */
  get reason(): string {
    return this.#reason;
  }

  /** Whether the replication finished (the conductor then closes it). */
  isDone(): boolean {
    return this.#state === 'DONE';
  }

  /** Java `abort`: STOP_REPLICATION, or the archive closing. */
  abort(reason: string): void {
    this.#setState('DONE', reason);
  }

  /** One step; throws what ended the replication (already answered to the session) for the error handler. */
  doWork(nowMs: number): number {
    this.#nowMs = nowMs;
    let work = 0;
    try {
      if (this.#recordingSubscription?.isClosed === true) {
        this.#setState('DONE', 'recording subscription closed');
        return 1;
      }
      switch (this.#state) {
        case 'CONNECT':
          work += this.#connect();
          break;
        case 'REPLICATE_DESCRIPTOR':
          work += this.#replicateDescriptor();
          break;
        case 'SRC_RECORDING_POSITION':
          work += this.#srcRecordingPositionStep();
          break;
        case 'EXTEND':
          work += this.#extend();
          break;
        case 'REPLAY_TOKEN':
          work += this.#replayTokenStep();
          break;
        case 'GET_ARCHIVE_PROXY':
          work += this.#getArchiveProxy();
          break;
        case 'REPLAY':
          work += this.#replay();
          break;
        case 'AWAIT_IMAGE':
          work += this.#awaitImage();
          break;
        case 'REPLICATE':
          work += this.#replicate();
          break;
        case 'CATCHUP':
          work += this.#catchup();
          break;
        case 'ATTEMPT_LIVE_JOIN':
          work += this.#attemptLiveJoin();
          break;
        case 'DONE':
          break;
      }
      this.#pollSourceArchiveEvents();
    } catch (e) {
      const text = exceptionText(e);
      this.#setState('DONE', text);
      this.#error(text, ArchiveErrorCode.GENERIC);
      throw e;
    }
    return work;
  }

  /** Java `close`: stops the recording subscription and the source's replay, closes the client, REPLICATE_END. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#callEpoch++;
    this.#stopRecording();
    this.#stopReplaySession();
    this.#connectAbort?.abort();
    this.#connectAbort = null;
    try {
      this.#srcArchive?.close();
    } catch (e) {
      this.#host.onError(e);
    }
    this.#srcArchive = null;
    try {
      this.#responsePublication?.close();
    } catch (e) {
      this.#host.onError(e);
    }
    this.#responsePublication = null;
    this.#host.removeReplication(this.replicationId);
    this.#signal(NULL_POSITION, RecordingSignal.REPLICATE_END);
  }

  // ------------------------------------------------------------------------------------------------ states

  #connect(): number {
    if (this.#connectAbort === null && !this.#inFlight) {
      const r = this.#r;
      const abort = new AbortController();
      this.#connectAbort = abort;
      const responseChannel = r.srcResponseChannel === '' ? this.#host.controlResponseChannel : r.srcResponseChannel;
      const connecting = AeronArchive.connect(
        {
          aeron: this.#host.aeron,
          controlRequestChannel: r.srcControlChannel,
          controlRequestStreamId: r.srcControlStreamId,
          controlResponseChannel: responseChannel,
          messageTimeoutMs: this.#actionTimeoutMs,
          clientName: `archive-server replicationSessionId=${this.replicationId}`,
          ...(r.encodedCredentials.length > 0
            ? { credentialsSupplier: replicationCredentials(r.encodedCredentials) }
            : {}),
        },
        { signal: abort.signal },
      );
      // kept at once (close() closes it whenever it connects); closed at once when this replication has ended
      connecting.then(
        (archive) => {
          if (this.#closed) archive.close();
          else this.#srcArchive = archive;
        },
        () => {},
      );
      this.#track(connecting);
      return 1;
    }
    const outcome = this.#take();
    if (outcome === null) return 0;
    this.#connectAbort = null;
    if (!outcome.ok) {
      const text = exceptionText(outcome.error);
      this.#setState('DONE', text);
      this.#error(`Replication connection failed=${text}`, ArchiveErrorCode.REPLICATION_CONNECTION_FAILURE);
      return 1;
    }
    this.#srcArchive = outcome.value as AeronArchive;
    this.#setState('REPLICATE_DESCRIPTOR', 'connected to the Archive');
    return 1;
  }

  #replicateDescriptor(): number {
    const src = this.#srcArchive as AeronArchive;
    if (!this.#inFlight) {
      this.#descriptor = null;
      this.#track(
        src.listRecording(this.#r.srcRecordingId, (d) => {
          this.#descriptor = copyDescriptor(d);
        }),
      );
      return 1;
    }
    const answer = this.#answer(
      'failed to list remote recording descriptor',
      'failed to fetch remote recording descriptor',
    );
    if (answer === null) return 0;
    const descriptor = this.#descriptor;
    if ((answer.value as number) < 1 || descriptor === null) {
      const text = `unknown src recording id ${this.#r.srcRecordingId}`;
      this.#setState('DONE', text);
      this.#error(text, ArchiveErrorCode.UNKNOWN_RECORDING);
      return 1;
    }
    this.#onRecordingDescriptor(descriptor);
    return 1;
  }

  /** Java `onRecordingDescriptor`. */
  #onRecordingDescriptor(d: RecordingDescriptor): void {
    const r = this.#r;
    this.#srcStopPosition = d.stopPosition;
    this.#replayStreamId = d.streamId;
    this.#replaySessionId =
      this.#liveDestination === null && r.replicationSessionId !== NULL_VALUE ? r.replicationSessionId : d.sessionId;
    if (r.fileIoMaxLength !== NULL_VALUE && r.fileIoMaxLength < d.mtuLength) {
      const text = `Replication fileIoMaxLength (${r.fileIoMaxLength}) is less than than the recording mtuLength (${d.mtuLength})`;
      this.#setState('DONE', text);
      this.#error(text, ArchiveErrorCode.GENERIC);
      return;
    }
    const catalog = this.#host.catalog;
    // a new recording, or (Java) an empty destination recording rewritten with the source's descriptor
    const recording = {
      startPosition: d.startPosition,
      stopPosition: d.startPosition,
      startTimestamp: d.startTimestamp,
      stopTimestamp: d.startTimestamp,
      initialTermId: d.initialTermId,
      segmentFileLength: d.segmentFileLength,
      termBufferLength: d.termBufferLength,
      mtuLength: d.mtuLength,
      sessionId: d.sessionId,
      streamId: d.streamId,
      strippedChannel: d.strippedChannel,
      originalChannel: d.originalChannel,
      sourceIdentity: d.sourceIdentity,
    };
    if (this.#dstRecordingId === NULL_VALUE) {
      this.#replayPosition = d.startPosition;
      this.#dstRecordingId = catalog.addNewRecording(recording);
      this.#signal(d.startPosition, RecordingSignal.REPLICATE);
    } else if (this.#isDestinationRecordingEmpty) {
      this.#replayPosition = d.startPosition;
      catalog.replaceRecording(this.#dstRecordingId, recording);
    }
    let next: State = 'EXTEND';
    let reason = '';
    if (this.#liveDestination !== null) {
      if (d.stopPosition !== NULL_POSITION) {
        const text = 'cannot live merge without active source recording';
        this.#setState('DONE', text);
        this.#error(text, ArchiveErrorCode.GENERIC);
        return;
      }
      next = 'SRC_RECORDING_POSITION';
      reason = `liveDestination=${this.#liveDestination}`;
    }
    if (
      d.startPosition === d.stopPosition ||
      (this.#dstRecordingId !== NULL_VALUE && d.stopPosition === catalog.stopPosition(this.#dstRecordingId))
    ) {
      this.#signal(d.stopPosition, RecordingSignal.SYNC);
      next = 'DONE';
      reason = 'in sync';
    }
    this.#setState(next, reason);
  }

  #srcRecordingPositionStep(): number {
    const src = this.#srcArchive as AeronArchive;
    if (!this.#inFlight) {
      this.#track(src.getRecordingPosition(this.#r.srcRecordingId));
      return 1;
    }
    const answer = this.#answer('failed to send recording position request', 'failed to get recording position');
    if (answer === null) return 0;
    this.#srcRecordingPosition = answer.value as number;
    if (this.#srcRecordingPosition === NULL_POSITION && this.#liveDestination !== null) {
      throw new ArchiveError('cannot live merge without active source recording');
    }
    this.#setState('EXTEND', '');
    return 1;
  }

  /** Java `extend` (the subscription is asynchronous here: EXTEND waits for it). */
  #extend(): number {
    const isMds = this.#isTagged || this.#liveDestination !== null;
    if (this.#subscriptionId === NULL_VALUE) {
      const uri = ChannelUri.parse(this.#replicationChannel);
      const endpoint = uri.get('endpoint');
      uri.put('rejoin', 'false');
      if (!this.#isResponseChannel) uri.put('session-id', String(this.#replaySessionId));
      if (isMds) {
        uri.remove('endpoint');
        uri.put('tags', `${this.#channelTagId},${this.#subscriptionTagId}`);
        uri.put('control-mode', 'manual');
      }
      const result = this.#host.extendRecording(
        this.replicationId,
        this.#dstRecordingId,
        this.#replayStreamId,
        uri.toString(),
        this.#session,
      );
      if (typeof result === 'string') {
        this.#setState('DONE', result);
        return 1;
      }
      this.#subscriptionId = result;
      if (isMds) this.#replayDestination = ChannelUri.createDestinationUri(this.#replicationChannel, endpoint ?? '');
      this.#timeOfLastActionMs = this.#nowMs;
      return 1;
    }
    const subscription = this.#host.aeron.getSubscription(this.#subscriptionId);
    if (subscription === null) {
      if (this.#timedOut()) {
        throw new ArchiveTimeoutError(`failed to add replication subscription: channel=${this.#replicationChannel}`);
      }
      return 0;
    }
    this.#recordingSubscription = subscription;
    if (this.#replayDestination !== null) {
      this.#addDestination(subscription, this.#replayDestination);
      this.#setState('REPLAY_TOKEN', `replay destination added: ${this.#replayDestination}`);
    } else {
      this.#setState('REPLAY_TOKEN', 'replay destination added');
    }
    return 1;
  }

  /** Java `replayToken`: a token from the source for a replay over a response channel. */
  #replayTokenStep(): number {
    if (this.#replayToken !== null || !this.#isResponseChannel) {
      this.#setState('GET_ARCHIVE_PROXY', '');
      return 1;
    }
    const src = this.#srcArchive as AeronArchive;
    if (!this.#inFlight) {
      this.#track(src.requestReplayToken(this.#r.srcRecordingId));
      return 1;
    }
    // Java waits for the token without a deadline; this one ends after the message timeout (module comment)
    const answer = this.#answer('failed to send replay token request', 'failed to get replay token');
    if (answer === null) return 0;
    this.#replayToken = answer.value as bigint;
    this.#setState('GET_ARCHIVE_PROXY', '');
    return 1;
  }

  /**
   * Java `getArchiveProxy`: with a token, the request publication the REPLAY goes on, paired by the source's driver
   * with the recording subscription (response-correlation-id), connected and with a window.
   */
  #getArchiveProxy(): number {
    if (this.#replayToken === null) {
      this.#setState('REPLAY', '');
      return 1;
    }
    const publication = this.#responsePublication;
    if (publication === null) {
      if (!this.#inFlight) {
        const subscription = this.#recordingSubscription as Subscription;
        const adding = this.#host.aeron.addExclusivePublication(
          responseRequestChannel(this.#r.srcControlChannel, subscription.registrationId),
          this.#r.srcControlStreamId,
        );
        // kept at once (close() closes it); closed at once when this replication has ended meanwhile
        adding.then(
          (p) => {
            if (this.#closed) p.close();
            else this.#responsePublication = p;
          },
          () => {},
        );
        this.#track(adding);
        return 1;
      }
      const outcome = this.#take();
      if (outcome === null) return 0;
      if (!outcome.ok) throw outcome.error;
      this.#responsePublication = outcome.value as ExclusivePublication;
      return 1;
    }
    if (publication.isConnected() && publication.availableWindow() > 0) {
      this.#setState('REPLAY', 'ArchiveProxy created');
      return 1;
    }
    if (this.#timedOut()) throw new ArchiveTimeoutError('timed out waiting for replay publication to connect');
    return 0;
  }

  #replay(): number {
    const subscription = this.#recordingSubscription as Subscription;
    const src = this.#srcArchive as AeronArchive;
    if (!this.#inFlight) {
      const resolvedEndpoint = firstBoundAddress(subscription.localSocketAddresses());
      if (resolvedEndpoint === null) {
        if (this.#timedOut()) {
          throw new ArchiveTimeoutError(`failed to resolve subscription endpoint: channel=${subscription.channel}`);
        }
        return 0;
      }
      const uri = ChannelUri.parse(this.#replicationChannel);
      if (uri.get('endpoint') !== undefined) uri.replaceEndpointWildcardPort(resolvedEndpoint);
      if (this.#liveDestination !== null) {
        uri.put('linger', '0');
        uri.put('eos', 'false');
      }
      if (this.#isResponseChannel) uri.put('response-correlation-id', String(subscription.registrationId));
      else uri.put('session-id', String(this.#replaySessionId));
      const length =
        this.#dstStopPosition === NULL_POSITION ? NULL_LENGTH : this.#dstStopPosition - this.#replayPosition;
      const params = {
        position: this.#replayPosition,
        length,
        fileIoMaxLength: this.#r.fileIoMaxLength,
        ...(this.#replayToken === null ? {} : { replayToken: this.#replayToken }),
      };
      const publication = this.#responsePublication;
      this.#track(
        publication === null
          ? src.startReplay(this.#r.srcRecordingId, uri.toString(), this.#replayStreamId, params)
          : src.startReplayOn(publication, this.#r.srcRecordingId, uri.toString(), this.#replayStreamId, params),
      );
      return 1;
    }
    const answer = this.#answer(
      'failed to send replay request',
      `failed get acknowledgement of replay request to: ${this.#replicationChannel}`,
    );
    if (answer === null) return 0;
    this.#srcReplaySessionId = answer.value as bigint;
    this.#setState('AWAIT_IMAGE', `srcReplaySessionId=${this.#srcReplaySessionId}`);
    return 1;
  }

  #awaitImage(): number {
    const subscription = this.#recordingSubscription as Subscription;
    const sessionId = replayImageSessionId(this.#srcReplaySessionId ?? 0n);
    const image = subscription.imageBySessionId(sessionId);
    if (image !== null) {
      this.#image = image;
      this.#setState(
        this.#liveDestination === null ? 'REPLICATE' : 'CATCHUP',
        `image.sessionId=${image.sessionId}, image.joinPosition=${image.joinPosition}`,
      );
      return 1;
    }
    if (this.#timedOut()) {
      throw new ArchiveTimeoutError(
        `failed get replay image for sessionId=${sessionId} on channel=${subscription.channel}`,
      );
    }
    return 0;
  }

  #replicate(): number {
    const image = this.#image as Image;
    const isClosed = image.isClosed;
    const isEndOfStream = image.isEndOfStream;
    const position = image.position;
    const isSynced = this.#srcStopPosition !== NULL_POSITION && position >= this.#srcStopPosition;
    if (
      isSynced ||
      (this.#dstStopPosition !== NULL_POSITION && position >= this.#dstStopPosition) ||
      isEndOfStream ||
      isClosed
    ) {
      if (isSynced) this.#signal(position, RecordingSignal.SYNC);
      this.#srcReplaySessionId = null;
      this.#setState('DONE', isSynced ? 'sync' : 'done');
      return 1;
    }
    return 0;
  }

  #catchup(): number {
    const image = this.#image as Image;
    if (image.position >= this.#srcRecordingPosition) {
      this.#setState(
        'ATTEMPT_LIVE_JOIN',
        `image position (${image.position}) >= srcRecordingPosition (${this.#srcRecordingPosition})`,
      );
      return 1;
    }
    if (image.isClosed) throw new ArchiveError('replication image closed unexpectedly');
    return 0;
  }

  #attemptLiveJoin(): number {
    const image = this.#image as Image;
    const src = this.#srcArchive as AeronArchive;
    if (!this.#inFlight) {
      this.#track(src.getRecordingPosition(this.#r.srcRecordingId));
      return 1;
    }
    const outcome = this.#take();
    if (outcome === null) {
      if (image.isClosed) throw new ArchiveError('replication image closed unexpectedly');
      return 0;
    }
    if (!outcome.ok) {
      const error = outcome.error;
      if (isNotSent(error)) {
        this.#notSent('failed to send recording position request');
        return 1; // sent again next cycle
      }
      if (!isNoAnswer(error)) throw error;
      if (--this.#retryAttempts === 0) throw new ArchiveTimeoutError('failed to get recording position');
      return 1; // asked again next cycle
    }
    this.#notSentSinceMs = NULL_VALUE;
    this.#retryAttempts = RETRY_ATTEMPTS;
    this.#srcRecordingPosition = outcome.value as number;
    if (this.#srcRecordingPosition === NULL_POSITION && this.#liveDestination !== null) {
      throw new ArchiveError('cannot live merge without active source recording');
    }
    const position = image.position;
    const subscription = this.#recordingSubscription as Subscription;
    if (this.#shouldAddLiveDestination(position, image)) {
      this.#addDestination(subscription, this.#liveDestination as string);
      this.#isLiveAdded = true;
    } else if (this.#shouldStopReplay(position, image)) {
      this.#destinationCommand(subscription.removeDestination(this.#replayDestination as string));
      this.#replayDestination = null;
      // the recording goes on from the live stream: it is no longer this replication's to stop
      this.#recordingSubscription = null;
      this.#subscriptionId = NULL_VALUE;
      this.#signal(position, RecordingSignal.MERGE);
      this.#setState('DONE', 'merge');
    }
    return 1;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  #shouldAddLiveDestination(position: number, image: Image): boolean {
    return (
      !this.#isLiveAdded &&
      this.#srcRecordingPosition - position <= Math.min(image.termBufferLength >> 2, LIVE_ADD_MAX_WINDOW)
    );
  }

  #shouldStopReplay(position: number, image: Image): boolean {
    return (
      this.#isLiveAdded &&
      this.#srcRecordingPosition - position <= REPLAY_REMOVE_THRESHOLD &&
      image.activeTransportCount >= 2
    );
  }

  /** Java `asyncAddDestination`: not awaited; a refusal is only kept ({@link destinationError}). */
  #addDestination(subscription: Subscription, destination: string): void {
    this.#destinationCommand(subscription.addDestination(destination));
  }

  /**
   * A destination command of the recording subscription, not awaited (Java `asyncAddDestination` /
   * `asyncRemoveDestination`). A refusal by the driver neither ends the replication nor reaches the session or the
   * error handler: Java's client files an async command's error away (`ClientConductor.onAsyncError`, thrown only
   * by a lookup of that command's id, which the archive never makes), and the driver logs it in its own error log.
   * A refused live destination leaves the replication in ATTEMPT_LIVE_JOIN following the replay (no second
   * transport, so no MERGE) until it is stopped or the replay ends; a refused replay destination ends it on the
   * REPLAY / AWAIT_IMAGE timeout.
   */
  #destinationCommand(command: Promise<void>): void {
    command.catch((e: unknown) => {
      this.#destinationError = e;
    });
  }

  /** Java `pollSourceArchiveEvents`: an ERROR from the source not tied to a request ends the replication. */
  #pollSourceArchiveEvents(): void {
    const src = this.#srcArchive;
    if (src === null || this.#state === 'DONE' || this.#inFlight) return;
    if (this.#nowMs > this.#timeOfLastSourcePollMs + SOURCE_ARCHIVE_POLL_INTERVAL_MS) {
      this.#timeOfLastSourcePollMs = this.#nowMs;
      const message = src.pollForErrorResponse();
      if (message !== null) throw new ArchiveError(message);
    }
  }

  #stopRecording(): void {
    if (this.#subscriptionId !== NULL_VALUE) {
      const subscriptionId = this.#subscriptionId;
      this.#subscriptionId = NULL_VALUE;
      this.#recordingSubscription = null;
      this.#host.stopRecordingSubscription(subscriptionId);
    }
  }

  #stopReplaySession(): void {
    const replaySessionId = this.#srcReplaySessionId;
    if (replaySessionId !== null) {
      this.#srcReplaySessionId = null;
      try {
        this.#srcArchive?.trySendStopReplayRequest(replaySessionId);
      } catch (e) {
        this.#host.onError(e);
      }
    }
  }

  /** Starts a request to the source; its outcome is read by `#take` in a later cycle. */
  #track(call: Promise<unknown>): void {
    const epoch = ++this.#callEpoch;
    this.#inFlight = true;
    this.#outcome = null;
    this.#timeOfLastActionMs = this.#nowMs;
    call.then(
      (value: unknown) => {
        if (epoch === this.#callEpoch) this.#outcome = { ok: true, value };
      },
      (error: unknown) => {
        if (epoch === this.#callEpoch) this.#outcome = { ok: false, error };
      },
    );
  }

  /**
   * The answer to the request in flight once there is one (Java `hasResponse` with the deadlines around it), else
   * null: an ERROR from the source is thrown as it came (Java's ArchiveException of its text); a request the client
   * could not send is sent again by the state's next cycle until the action timeout, then `notSent`; no answer
   * within the message timeout (the client's `ArchiveTimeoutError`, or the source's response stream gone, which
   * Java can only see as silence) throws `noAnswer`. Both texts are Java's `TimeoutException` texts of the state.
   */
  #answer(notSent: string, noAnswer: string): { readonly value: unknown } | null {
    const outcome = this.#take();
    if (outcome === null) return null;
    if (outcome.ok) {
      this.#notSentSinceMs = NULL_VALUE;
      return outcome;
    }
    const error = outcome.error;
    if (isNotSent(error)) {
      this.#notSent(notSent);
      return null;
    }
    if (isNoAnswer(error)) throw new ArchiveTimeoutError(noAnswer, { cause: error });
    throw error;
  }

  /** A request the client could not send: Java retries it each cycle, and throws `text` after the action timeout. */
  #notSent(text: string): void {
    if (this.#notSentSinceMs === NULL_VALUE) this.#notSentSinceMs = this.#timeOfLastActionMs;
    if (this.#nowMs >= this.#notSentSinceMs + this.#actionTimeoutMs) throw new ArchiveTimeoutError(text);
  }

  /** The outcome of the request in flight once settled (the request is then over), else null. */
  #take(): Outcome | null {
    const outcome = this.#outcome;
    if (outcome !== null) {
      this.#outcome = null;
      this.#inFlight = false;
    }
    return outcome;
  }

  #timedOut(): boolean {
    return this.#nowMs >= this.#timeOfLastActionMs + this.#actionTimeoutMs;
  }

  #setState(state: State, reason: string): void {
    this.#state = state;
    this.#notSentSinceMs = NULL_VALUE;
    this.#reason = reason;
    this.#callEpoch++;
    this.#inFlight = false;
    this.#outcome = null;
    this.#timeOfLastActionMs = this.#nowMs;
  }

  #error(message: string, errorCode: number): void {
    this.#session.sendErrorResponse(this.replicationId, errorCode, message, this.#nowMs);
  }

  #signal(position: number, signal: RecordingSignal): void {
    this.#session.sendSignal(
      this.replicationId,
      this.#dstRecordingId,
      this.#subscriptionId,
      position,
      signal,
      this.#nowMs,
    );
  }
}

/** Java `Subscription.resolvedEndpoint`: the first bound address with a port, or null while none. */
function firstBoundAddress(addresses: readonly string[]): string | null {
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i] as string;
    if (!address.endsWith(':0')) return address;
  }
  return null;
}
