/**
 * One client's control session (Java `ControlSession`), driven by the conductor's duty cycle.
 *
 * ```
 *  INIT ──response publication and session counter (type 113: value = session id, reference id = the
 *     publication's registration id) ready──▶ CONNECTING ──connected──▶ CONNECTED ──authenticator (authenticator.ts):
 *     accept ──▶ AUTHENTICATED      challenge ──▶ CHALLENGED ──CHALLENGE_RESPONSE, accept──▶ AUTHENTICATED
 *     reject ──▶ REJECTED (ERROR AUTHENTICATION_REJECTED "authentication rejected" every 200 ms until timeout)
 *  AUTHENTICATED ──OK(relevantId = controlSessionId) resent every 200 ms until sent──▶ (first request) ACTIVE
 *  any state ──CLOSE_SESSION / timeout / publication gone──▶ DONE
 * ```
 * Without an authenticator (Java's NullAuthenticator) a CONNECTED session is AUTHENTICATED at once.
 * A CONNECT with another major protocol version gets, in CONNECTED, ERROR "invalid client version x.y.z,
 * archive is 1.12.0" (relevantId = controlSessionId) every 200 ms until the session times out, as Java does.
 * In ACTIVE: a Ping every `sessionLivenessCheckIntervalMs`; responses that could not be sent are queued and
 * retried in order; with no successful send for `connectTimeoutMs` the session aborts ("failed to send response
 * for more than connectTimeoutMs=…"), and before ACTIVE ("failed to establish initial connection: state=…").
 */
import { ControlResponseCode } from '../../codecs/generated/archive/ControlResponseCode.ts';
import type { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { PROTOCOL_SEMANTIC_VERSION } from '../archive/archive-context.ts';
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';
import { setCounterReferenceId } from './archive-counters.ts';
import type { Authenticator, SessionProxy } from './authenticator.ts';
import { SESSION_REJECTED_MSG } from './authenticator.ts';
import type { ControlResponseProxy } from './control-response-proxy.ts';
import { parseSize, strippedChannelBuilder } from './stripped-channel.ts';

/** Java `ControlSession.State`. */
export type ControlSessionState =
  | 'INIT'
  | 'CONNECTING'
  | 'CONNECTED'
  | 'CHALLENGED'
  | 'AUTHENTICATED'
  | 'ACTIVE'
  | 'REJECTED'
  | 'DONE';

/** Java `ControlSession.SESSION_CLOSED_MSG`. */
export const SESSION_CLOSED_MSG = 'session closed';
/** Java `ControlSession.RESPONSE_NOT_CONNECTED_MSG`. */
export const RESPONSE_NOT_CONNECTED_MSG = 'control response publication is not connected';
const RESEND_INTERVAL_MS = 200;
/** ArchiveException.ACTIVE_LISTING. */
const ACTIVE_LISTING = 1;
/** ArchiveException.AUTHENTICATION_REJECTED. */
const AUTHENTICATION_REJECTED = 10;
const NULL_DEADLINE = -1;
const NULL_VALUE = -1;

/** The archive's defaults for a control response channel's term length, sparseness and MTU. */
export interface ResponseChannelDefaults {
  /** Term length when the client's channel has none. */
  readonly controlTermBufferLength: number;
  /** Sparse terms when the client's channel does not say. */
  readonly controlTermBufferSparse: boolean;
  /** MTU when the client's channel has none. */
  readonly controlMtuLength: number;
}

/**
 * The response channel the archive publishes on: the client's, stripped, with term length, sparse and MTU; for a
 * `control-mode=response` channel also `response-correlation-id` = the correlation id of the request image the
 * CONNECT came on (Java `ArchiveConductor.newControlSession`), so the driver answers that client's image.
 */
export function controlResponseChannel(
  channel: string,
  defaults: ResponseChannelDefaults,
  imageCorrelationId = -1,
): string {
  const uri = ChannelUri.parse(channel);
  const mtu = uri.get('mtu');
  const termLength = uri.get('term-length');
  const sparse = uri.get('sparse');
  const builder = strippedChannelBuilder(uri)
    .termLength(termLength === undefined ? defaults.controlTermBufferLength : parseSize(termLength))
    .sparse(sparse === undefined ? defaults.controlTermBufferSparse : sparse === 'true')
    .mtu(mtu === undefined ? defaults.controlMtuLength : parseSize(mtu));
  if (uri.hasControlModeResponse()) builder.responseCorrelationId(String(imageCorrelationId));
  return builder.build();
}

/** Java's refusal of a client of another major version, or null for a client of this one. */
export function invalidVersionMessage(clientVersion: number): string | null {
  if (((clientVersion >>> 16) & 0xff) === ((PROTOCOL_SEMANTIC_VERSION >>> 16) & 0xff)) return null;
  return `invalid client version ${semver(clientVersion)}, archive is ${semver(PROTOCOL_SEMANTIC_VERSION)}`;
}

function semver(version: number): string {
  return `${(version >>> 16) & 0xff}.${(version >>> 8) & 0xff}.${version & 0xff}`;
}

/** A listing (or other per-session task) the session owns while it runs. */
export interface SessionWork {
  /** Does some work; returns the work count. */
  doWork(nowMs: number): number;
  /** Whether it finished. */
  isDone(): boolean;
  /** Stops it. */
  abort(reason: string): void;
}

/** The control session (module comment). */
export class ControlSession {
  /** This session's id (the archive's counter of sessions). */
  readonly controlSessionId: number;
  /** The response channel (stripped, with term length, sparse and MTU). */
  readonly responseChannel: string;
  /** The response stream id. */
  readonly responseStreamId: number;
  /** The listing in progress (one at a time, "active listing already in progress"). */
  activeListing: SessionWork | null = null;
  #state: ControlSessionState = 'INIT';
  #correlationId: number;
  readonly #aeron: Aeron;
  readonly #proxy: ControlResponseProxy;
  readonly #publicationRegistrationId: number;
  readonly #connectTimeoutMs: number;
  readonly #livenessIntervalMs: number;
  readonly #invalidVersionMessage: string | null;
  #publication: ExclusivePublication | null = null;
  /** Registration id of the session's counter (type 113), or NULL_VALUE for none. */
  readonly #sessionCounterRegistrationId: number;
  #sessionCounter: Counter | null = null;
  #activityDeadlineMs: number;
  #resendDeadlineMs = 0;
  #livenessDeadlineMs: number;
  readonly #queue: Array<() => boolean> = [];
  #abortReason: string | null = null;
  readonly #onFailed = (reason: string): void => this.abort(reason);
  readonly #authenticator: Authenticator | null;
  #encodedPrincipal: Uint8Array | null = null;
  /** What the authenticator sees of this session (Java `ControlSessionProxy`). */
  readonly #sessionProxy: SessionProxy = {
    sessionId: () => this.controlSessionId,
    challenge: (encodedChallenge) => {
      const publication = this.#publication;
      if (
        publication === null ||
        !this.#proxy.sendChallenge(
          publication,
          this.controlSessionId,
          this.#correlationId,
          encodedChallenge,
          this.#onFailed,
        )
      ) {
        return false;
      }
      this.#state = 'CHALLENGED';
      return true;
    },
    authenticate: (encodedPrincipal) => {
      const publication = this.#publication;
      if (
        publication === null ||
        !this.#proxy.sendResponse(
          publication,
          this.controlSessionId,
          this.#correlationId,
          this.controlSessionId,
          ControlResponseCode.OK,
          null,
          this.#onFailed,
        )
      ) {
        return false;
      }
      this.#encodedPrincipal = encodedPrincipal;
      this.#state = 'AUTHENTICATED';
      return true;
    },
    reject: () => {
      this.#state = 'REJECTED';
      this.#resendDeadlineMs = 0;
    },
  };

  /**
   * @param invalidVersionMessage the version error to answer with, or null for a client of this major version.
   */
  constructor(
    aeron: Aeron,
    proxy: ControlResponseProxy,
    controlSessionId: number,
    correlationId: number,
    responseChannel: string,
    responseStreamId: number,
    invalidVersionMessage: string | null,
    connectTimeoutMs: number,
    livenessIntervalMs: number,
    nowMs: number,
    authenticator: Authenticator | null = null,
    sessionCounterRegistrationId = NULL_VALUE,
  ) {
    this.#authenticator = authenticator;
    this.#sessionCounterRegistrationId = sessionCounterRegistrationId;
    this.#aeron = aeron;
    this.#proxy = proxy;
    this.controlSessionId = controlSessionId;
    this.#correlationId = correlationId;
    this.responseChannel = responseChannel;
    this.responseStreamId = responseStreamId;
    this.#invalidVersionMessage = invalidVersionMessage;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#livenessIntervalMs = livenessIntervalMs;
    this.#activityDeadlineMs = nowMs + connectTimeoutMs;
    this.#livenessDeadlineMs = nowMs + livenessIntervalMs;
    this.#publicationRegistrationId = aeron.asyncAddExclusivePublication(responseChannel, responseStreamId);
  }

  /** The current state. */
  get state(): ControlSessionState {
    return this.#state;
  }

  /** Why it ended (null while alive, or when closed by the client). */
  get abortReason(): string | null {
    return this.#abortReason;
  }

  /** Whether the session has ended. */
  isDone(): boolean {
    return this.#state === 'DONE';
  }

  /**
   * What Java's `ControlSession.close` hands the archive's error handler for an aborted session (an `ArchiveEvent`):
   * "controlSessionId=<id> (controlResponseStreamId=<stream> controlResponseChannel=<channel>) terminated: <reason>";
   * null while alive or when it ended without an error (closed by its client, its response publication not
   * connected).
   */
  get terminationReport(): string | null {
    const reason = this.#abortReason;
    if (reason === null || reason === SESSION_CLOSED_MSG || reason === RESPONSE_NOT_CONNECTED_MSG) return null;
    return (
      `controlSessionId=${this.controlSessionId} (controlResponseStreamId=${this.responseStreamId} ` +
      `controlResponseChannel=${this.responseChannel}) terminated: ${reason}`
    );
  }

  /** Ends the session (Java `abort`); its listing stops too. */
  abort(reason: string): void {
    if (this.#state === 'DONE') return;
    this.#abortReason = reason;
    this.#state = 'DONE';
    this.activeListing?.abort(reason);
  }

  /** What the authenticator gave `authenticate` (null without an authenticator). */
  get encodedPrincipal(): Uint8Array | null {
    return this.#encodedPrincipal;
  }

  /** CHALLENGE_RESPONSE: handed to the authenticator while CHALLENGED (Java `onChallengeResponse`). */
  onChallengeResponse(correlationId: number, encodedCredentials: Uint8Array, nowMs: number): void {
    if (this.#state !== 'CHALLENGED' || this.#authenticator === null) return;
    this.#correlationId = correlationId;
    this.#authenticator.onChallengeResponse(this.controlSessionId, encodedCredentials, nowMs);
  }

  /** A request arrived: the first one after the connect response makes the session ACTIVE. */
  attemptToActivate(): boolean {
    if (this.#state === 'AUTHENTICATED' && this.#invalidVersionMessage === null) this.#state = 'ACTIVE';
    return this.#state === 'ACTIVE';
  }

  /** One duty cycle's work (module comment). */
  doWork(nowMs: number): number {
    let work = 0;
    if (this.#activityDeadlineMs !== NULL_DEADLINE && nowMs > this.#activityDeadlineMs) {
      this.abort(
        this.#state === 'ACTIVE'
          ? `failed to send response for more than connectTimeoutMs=${this.#connectTimeoutMs}`
          : `failed to establish initial connection: state=${this.#state}`,
      );
      work++;
    }
    switch (this.#state) {
      case 'INIT':
        work += this.#init(nowMs);
        break;
      case 'CONNECTING':
        if (this.#publication?.isConnected()) {
          this.#state = 'CONNECTED';
          work++;
        }
        break;
      case 'CONNECTED':
        work += this.#sendConnectResponse(nowMs);
        break;
      case 'CHALLENGED':
        (this.#authenticator as Authenticator).onChallengedSession(this.#sessionProxy, nowMs);
        work++;
        break;
      case 'AUTHENTICATED':
        work += this.#waitForRequest(nowMs);
        break;
      case 'REJECTED':
        work += this.#sendReject(nowMs);
        break;
      case 'ACTIVE':
        work += this.#livenessCheck(nowMs);
        work += this.#sendQueued(nowMs);
        break;
      case 'DONE':
        break;
    }
    return work;
  }

  /** OK with `relevantId`. */
  sendOkResponse(correlationId: number, relevantId = 0, nowMs = Date.now()): void {
    this.sendResponse(correlationId, relevantId, ControlResponseCode.OK, null, nowMs);
  }

  /** ERROR with an ArchiveException error code as relevantId and a message. */
  sendErrorResponse(correlationId: number, errorCode: number, message: string, nowMs = Date.now()): void {
    this.sendResponse(correlationId, errorCode, ControlResponseCode.ERROR, message, nowMs);
  }

  /** RECORDING_UNKNOWN with the recording id. */
  sendRecordingUnknown(correlationId: number, recordingId: number, nowMs = Date.now()): void {
    this.sendResponse(correlationId, recordingId, ControlResponseCode.RECORDING_UNKNOWN, null, nowMs);
  }

  /** True, after ERROR ACTIVE_LISTING "active listing already in progress", when a listing is running. */
  hasActiveListing(correlationId: number, nowMs: number): boolean {
    if (this.activeListing === null) return false;
    this.sendErrorResponse(correlationId, ACTIVE_LISTING, 'active listing already in progress', nowMs);
    return true;
  }

  /** SUBSCRIPTION_UNKNOWN (the end of a subscription listing). */
  sendSubscriptionUnknown(correlationId: number, nowMs = Date.now()): void {
    this.sendResponse(correlationId, 0, ControlResponseCode.SUBSCRIPTION_UNKNOWN, null, nowMs);
  }

  /** One subscription listing entry; false when back pressured (the listing retries next cycle). */
  sendSubscriptionDescriptor(
    correlationId: number,
    subscription: { readonly registrationId: number; readonly streamId: number; readonly channel: string },
    nowMs: number,
  ): boolean {
    const publication = this.#publication;
    const sent =
      publication !== null &&
      this.#proxy.sendSubscriptionDescriptor(
        publication,
        this.controlSessionId,
        correlationId,
        subscription.registrationId,
        subscription.streamId,
        subscription.channel,
        this.#onFailed,
      );
    if (sent) this.#activityDeadlineMs = NULL_DEADLINE;
    else this.#updateActivityDeadline(nowMs);
    return sent;
  }

  /** A ControlResponse, queued behind earlier unsent ones (Java `sendResponse`). */
  sendResponse(
    correlationId: number,
    relevantId: number,
    code: ControlResponseCode,
    message: string | null,
    nowMs = Date.now(),
  ): void {
    const send = (): boolean =>
      this.#publication !== null &&
      this.#proxy.sendResponse(
        this.#publication,
        this.controlSessionId,
        correlationId,
        relevantId,
        code,
        message,
        this.#onFailed,
      );
    this.#sendOrQueue(send, nowMs);
  }

  /** A RecordingSignalEvent, queued behind earlier unsent responses. */
  sendSignal(
    correlationId: number,
    recordingId: number,
    subscriptionId: number,
    position: number,
    signal: RecordingSignal,
    nowMs = Date.now(),
  ): void {
    const send = (): boolean =>
      this.#publication !== null &&
      this.#proxy.sendSignal(
        this.#publication,
        this.controlSessionId,
        correlationId,
        recordingId,
        subscriptionId,
        position,
        signal,
        this.#onFailed,
      );
    this.#sendOrQueue(send, nowMs);
  }

  /** One listing descriptor; false when back pressured (the listing retries next cycle). */
  sendDescriptor(
    correlationId: number,
    catalogBytes: Uint8Array,
    frameOffset: number,
    descriptorLength: number,
    nowMs: number,
  ): boolean {
    const publication = this.#publication;
    const sent =
      publication !== null &&
      this.#proxy.sendDescriptor(
        publication,
        this.controlSessionId,
        correlationId,
        catalogBytes,
        frameOffset,
        descriptorLength,
        this.#onFailed,
      );
    if (sent) this.#activityDeadlineMs = NULL_DEADLINE;
    else this.#updateActivityDeadline(nowMs);
    return sent;
  }

  /** Closes the response publication. */
  close(): void {
    if (this.#publication !== null) this.#publication.close();
    else void this.#aeron.removePublication(this.#publicationRegistrationId).catch(() => {});
    if (this.#sessionCounter !== null) this.#sessionCounter.close();
    else if (this.#sessionCounterRegistrationId !== NULL_VALUE) {
      void this.#aeron.removeCounter(this.#sessionCounterRegistrationId).catch(() => {});
    }
  }

  #sendOrQueue(send: () => boolean, nowMs: number): void {
    if (this.#queue.length > 0 || !send()) {
      this.#updateActivityDeadline(nowMs);
      this.#queue.push(send);
    } else {
      this.#activityDeadlineMs = NULL_DEADLINE;
    }
  }

  #updateActivityDeadline(nowMs: number): void {
    if (this.#activityDeadlineMs === NULL_DEADLINE) this.#activityDeadlineMs = nowMs + this.#connectTimeoutMs;
  }

  /**
   * Java `ControlSession.init`: waits for the response publication and the session counter; the counter then gets
   * the session id as its value and the publication's registration id as its reference id.
   */
  #init(nowMs: number): number {
    let work = 0;
    if (this.#publication === null) {
      const publication = this.#aeron.getExclusivePublication(this.#publicationRegistrationId);
      if (publication !== null) {
        this.#publication = publication;
        work++;
      }
    }
    if (this.#sessionCounter === null && this.#sessionCounterRegistrationId !== NULL_VALUE) {
      const counter = this.#aeron.getCounter(this.#sessionCounterRegistrationId);
      if (counter !== null) {
        setCounterReferenceId(this.#aeron, counter.id, this.#publicationRegistrationId);
        counter.set(this.controlSessionId);
        this.#sessionCounter = counter;
        work++;
      }
    }
    if (
      this.#publication !== null &&
      (this.#sessionCounter !== null || this.#sessionCounterRegistrationId === NULL_VALUE)
    ) {
      this.#activityDeadlineMs = nowMs + this.#connectTimeoutMs;
      this.#state = 'CONNECTING';
    }
    return work;
  }

  #sendConnectResponse(nowMs: number): number {
    if (nowMs <= this.#resendDeadlineMs) return 0;
    this.#resendDeadlineMs = nowMs + RESEND_INTERVAL_MS;
    const publication = this.#publication as ExclusivePublication;
    if (this.#invalidVersionMessage !== null) {
      this.#proxy.sendResponse(
        publication,
        this.controlSessionId,
        this.#correlationId,
        this.controlSessionId,
        ControlResponseCode.ERROR,
        this.#invalidVersionMessage,
        this.#onFailed,
      );
    } else if (this.#authenticator !== null) {
      this.#authenticator.onConnectedSession(this.#sessionProxy, nowMs);
    } else {
      // no authenticator (Java's NullAuthenticator): accepted at once
      this.#activityDeadlineMs = NULL_DEADLINE;
      this.#state = 'AUTHENTICATED';
      this.#resendDeadlineMs = 0;
    }
    return 1;
  }

  #sendReject(nowMs: number): number {
    if (nowMs <= this.#resendDeadlineMs) return 0;
    this.#resendDeadlineMs = nowMs + RESEND_INTERVAL_MS;
    this.#proxy.sendResponse(
      this.#publication as ExclusivePublication,
      this.controlSessionId,
      this.#correlationId,
      AUTHENTICATION_REJECTED,
      ControlResponseCode.ERROR,
      SESSION_REJECTED_MSG,
      this.#onFailed,
    );
    return 1;
  }

  #waitForRequest(nowMs: number): number {
    if (nowMs <= this.#resendDeadlineMs) return 0;
    this.#resendDeadlineMs = nowMs + RESEND_INTERVAL_MS;
    const sent = this.#proxy.sendResponse(
      this.#publication as ExclusivePublication,
      this.controlSessionId,
      this.#correlationId,
      this.controlSessionId,
      ControlResponseCode.OK,
      null,
      this.#onFailed,
    );
    if (sent) this.#activityDeadlineMs = NULL_DEADLINE;
    return sent ? 1 : 0;
  }

  #livenessCheck(nowMs: number): number {
    if (this.#livenessDeadlineMs - nowMs >= 0) return 0;
    this.#livenessDeadlineMs = nowMs + this.#livenessIntervalMs;
    if (this.#proxy.sendPing(this.#publication as ExclusivePublication, this.controlSessionId, this.#onFailed)) {
      this.#activityDeadlineMs = NULL_DEADLINE;
    } else {
      this.#updateActivityDeadline(nowMs);
    }
    return 1;
  }

  #sendQueued(_nowMs: number): number {
    const publication = this.#publication as ExclusivePublication;
    if (!publication.isConnected()) {
      this.abort(RESPONSE_NOT_CONNECTED_MSG);
      return 1;
    }
    const next = this.#queue[0];
    if (next?.()) {
      this.#queue.shift();
      this.#activityDeadlineMs = NULL_DEADLINE;
      return 1;
    }
    return 0;
  }
}
