/**
 * The connect state machine of Java `AeronArchive.AsyncConnect`: opens the control channels, authenticates and
 * yields the connected session, which `AsyncConnect` (the public face, in `aeron-archive.ts`) turns into an
 * `AeronArchive`.
 *
 * ```
 *  0 AWAIT_SUBSCRIPTION ─▶ 1 ADD_PUBLICATION ─▶ 2 AWAIT_PUBLICATION_CONNECTED ─(correlationId)─▶
 *  3 SEND_CONNECT_REQUEST (AuthConnectRequest) ─▶ 4 AWAIT_SUBSCRIPTION_CONNECTED ─▶ 5 AWAIT_CONNECT_RESPONSE
 *      Challenge ─▶ 8 SEND_CHALLENGE_RESPONSE ─▶ 9 AWAIT_CHALLENGE_RESPONSE ─▶ (as 5)
 *      OK, protocol ≥ 1.11.0 ─▶ 6 SEND_ARCHIVE_ID_REQUEST ─▶ 7 AWAIT_ARCHIVE_ID_RESPONSE ─▶ 10 DONE
 *      OK, older archive ─▶ 10 DONE (archiveId -1)
 *      ERROR / other ─▶ CloseSessionRequest, throw ArchiveError (errorCode = relevantId)
 *  DONE sends KeepAliveRequest(correlationId -1) to activate the session, then yields the ConnectedSession.
 * ```
 *
 * The whole connect must finish within the message timeout (ArchiveTimeoutError). When `poll()` throws, the
 * channels opened so far are already closed.
 */
import { ControlResponseCode } from '../../codecs/generated/archive/index.ts';
import {
  type ArchiveContext,
  type ArchiveOptions,
  CLIENT_VERSION_INFO,
  concludeContext,
  isControlModeResponse,
  PROTOCOL_VERSION_WITH_ARCHIVE_ID,
  putChannelParam,
} from './archive-context.ts';
import { ArchiveClosedError, ArchiveError, ArchiveReentrantCallError, ArchiveTimeoutError } from './archive-error.ts';
import { ArchiveProxy } from './archive-proxy.ts';
import { ControlResponsePoller } from './control-response-poller.ts';
import type { ControlPublication, ControlSubscription, PendingResource } from './control-transport.ts';
import { NULL_CREDENTIALS_SUPPLIER } from './credentials.ts';

/** Java `AeronArchive.AsyncConnect.State`: the steps of a connect, as `step()` returns them. */
export const AsyncConnectState = {
  /**
   * Adding the control response subscription (first waiting for the driver's session id when the channels get
   * `session-id` pinned).
   */
  AWAIT_SUBSCRIPTION: 0,
  /** Adding the control request publication (an exclusive publication). */
  ADD_PUBLICATION: 1,
  /** Waiting for the request publication to connect to the archive. */
  AWAIT_PUBLICATION_CONNECTED: 2,
  /** Offering the AuthConnectRequest (once the response channel's ephemeral port, if any, is known). */
  SEND_CONNECT_REQUEST: 3,
  /** Waiting for the archive to connect to the response subscription. */
  AWAIT_SUBSCRIPTION_CONNECTED: 4,
  /** Waiting for the connect response: OK, a challenge, or an ERROR. */
  AWAIT_CONNECT_RESPONSE: 5,
  /** Offering the ArchiveIdRequest (archives from protocol 1.11.0). */
  SEND_ARCHIVE_ID_REQUEST: 6,
  /** Waiting for the archive id. */
  AWAIT_ARCHIVE_ID_RESPONSE: 7,
  /** Offering the ChallengeResponse with the credentials supplier's answer. */
  SEND_CHALLENGE_RESPONSE: 8,
  /** Waiting for the answer to the challenge response. */
  AWAIT_CHALLENGE_RESPONSE: 9,
  /** Connected: the session is activated and `poll()` returns the `AeronArchive`. */
  DONE: 10,
} as const;
/** One of the {@link AsyncConnectState} values. */
export type AsyncConnectState = (typeof AsyncConnectState)[keyof typeof AsyncConnectState];

const STATE_NAMES = Object.fromEntries(Object.entries(AsyncConnectState).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

const NULL_VALUE = -1;

/** What a completed connect yields: the session an `AeronArchive` is made over. */
export interface ConnectedSession {
  /** The concluded options. */
  readonly context: ArchiveContext;
  /** Reads the control response subscription. */
  readonly controlResponsePoller: ControlResponsePoller;
  /** Sends on the control request publication. */
  readonly archiveProxy: ArchiveProxy;
  /** The archive's id of the session. */
  readonly controlSessionId: number;
  /** The archive's id, -1n from an archive older than protocol 1.11.0. */
  readonly archiveId: bigint;
}

/**
 * The connect state machine (module comment), driven by `poll()`. `close()` releases what it opened (and gives
 * up on the driver's session id) unless it completed.
 */
export class ArchiveConnector {
  #context: ArchiveContext;
  readonly #deadlineMs: number;
  #state: AsyncConnectState = AsyncConnectState.AWAIT_SUBSCRIPTION;
  #pendingSubscription: PendingResource<ControlSubscription> | null = null;
  /**
   * Java `Context.conclude()` pins `session-id` (from `aeron.nextSessionId`) on non-response control channels. Our
   * client answers that asynchronously: while it is pending the connect waits in AWAIT_SUBSCRIPTION (the
   * subscription is added once the channels are final, as Java's `awaitSubscription` adds it lazily).
   */
  #sessionIdPending = false;
  #sessionIdError: unknown = null;
  /** Aborts the driver's session-id request when the connect is closed first. */
  #sessionIdRequest: AbortController | null = null;
  #pendingPublication: PendingResource<ControlPublication> | null = null;
  #poller: ControlResponsePoller | null = null;
  #proxy: ArchiveProxy | null = null;
  #correlationId = NULL_VALUE;
  #controlSessionId = NULL_VALUE;
  #challengeCredentials: Uint8Array | null = null;
  #session: ConnectedSession | null = null;
  #closed = false;
  /** True while `poll()` runs (the credentials supplier is called from it). */
  #polling = false;

  /**
   * Concludes the options (throws `ArchiveError` for an option Java's `conclude()` refuses), starts the
   * message-timeout deadline and, over an Aeron client, asks the driver for the session id to pin the control
   * channels to; nothing is added until the first `poll()`.
   */
  constructor(options: ArchiveOptions) {
    this.#context = concludeContext(options);
    this.#deadlineMs = this.#context.clock() + this.#context.messageTimeoutMs;
    const aeron = options.aeron;
    if (
      options.transport === undefined &&
      aeron !== undefined &&
      !isControlModeResponse(options.controlResponseChannel)
    ) {
      this.#sessionIdPending = true;
      const request = new AbortController();
      this.#sessionIdRequest = request;
      aeron.nextSessionId(this.#context.controlRequestStreamId, { signal: request.signal }).then(
        (sessionId) => {
          this.#sessionIdRequest = null;
          this.#context = concludeContext(options, sessionId);
          this.#sessionIdPending = false;
        },
        (error: unknown) => {
          this.#sessionIdRequest = null;
          this.#sessionIdError = error;
          this.#sessionIdPending = false;
        },
      );
    }
  }

  /** The concluded context (its control channels carry `session-id` once the driver has answered). */
  get context(): ArchiveContext {
    return this.#context;
  }

  /** The current step. */
  step(): AsyncConnectState {
    return this.#state;
  }

  /** The current step's name, e.g. `AWAIT_CONNECT_RESPONSE`. */
  stateName(): string {
    return STATE_NAMES[this.#state] ?? String(this.#state);
  }

  /**
   * Advances one step; the connected session once done (every poll after that too), else null.
   *
   * @throws ArchiveError (or a subclass) on an error or the connect timeout, after closing what was opened;
   *   `ArchiveClosedError` after `close()` or a failed poll; `ArchiveReentrantCallError` from the credentials
   *   supplier during a poll.
   */
  poll(): ConnectedSession | null {
    if (this.#closed) throw new ArchiveClosedError('async connect is closed');
    if (this.#polling) throw new ArchiveReentrantCallError('AsyncConnect.poll');
    this.#polling = true;
    try {
      return this.#advance();
    } catch (error) {
      this.close();
      throw error;
    } finally {
      this.#polling = false;
    }
  }

  /** Releases whatever was opened, unless the connect completed (then the session owns it). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sessionIdRequest?.abort();
    if (this.#state === AsyncConnectState.DONE) return;
    if (this.#poller !== null) this.#poller.subscription.close();
    else this.#pendingSubscription?.cancel();
    if (this.#proxy !== null) this.#proxy.publication.close();
    else this.#pendingPublication?.cancel();
  }

  #advance(): ConnectedSession | null {
    this.#checkDeadline();
    switch (this.#state) {
      case AsyncConnectState.AWAIT_SUBSCRIPTION:
        this.#awaitSubscription();
        break;
      case AsyncConnectState.ADD_PUBLICATION:
        this.#addPublication();
        break;
      case AsyncConnectState.AWAIT_PUBLICATION_CONNECTED:
        if (this.#proxy?.publication.isConnected()) {
          this.#correlationId = this.#context.transport.nextCorrelationId();
          this.#state = AsyncConnectState.SEND_CONNECT_REQUEST;
        }
        break;
      case AsyncConnectState.SEND_CONNECT_REQUEST:
        this.#sendConnectRequest();
        break;
      case AsyncConnectState.AWAIT_SUBSCRIPTION_CONNECTED:
        if (this.#poller?.subscription.isConnected()) this.#state = AsyncConnectState.AWAIT_CONNECT_RESPONSE;
        break;
      case AsyncConnectState.SEND_ARCHIVE_ID_REQUEST:
        if (this.#requireProxy().archiveId(this.#correlationId, this.#controlSessionId)) {
          this.#state = AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE;
        }
        break;
      case AsyncConnectState.SEND_CHALLENGE_RESPONSE:
        if (
          this.#requireProxy().tryChallengeResponse(
            this.#challengeCredentials ?? new Uint8Array(0),
            this.#correlationId,
            this.#controlSessionId,
          )
        ) {
          this.#state = AsyncConnectState.AWAIT_CHALLENGE_RESPONSE;
        }
        break;
      case AsyncConnectState.AWAIT_CONNECT_RESPONSE:
      case AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE:
      case AsyncConnectState.AWAIT_CHALLENGE_RESPONSE:
        this.#pollForResponse();
        break;
      case AsyncConnectState.DONE:
        break;
    }
    return this.#session;
  }

  #checkDeadline(): void {
    if (this.#context.clock() > this.#deadlineMs) {
      throw new ArchiveTimeoutError(
        `Archive connect timeout: step=${this.stateName()} publication=${this.#context.controlRequestChannel}` +
          ` subscription=${this.#context.controlResponseChannel}`,
      );
    }
  }

  #awaitSubscription(): void {
    if (this.#sessionIdError !== null) {
      throw new ArchiveError('archive connect: the driver did not give a session id', { cause: this.#sessionIdError });
    }
    if (this.#sessionIdPending) return;
    if (this.#pendingSubscription === null) {
      this.#pendingSubscription = this.#context.transport.addSubscription(
        this.#context.controlResponseChannel,
        this.#context.controlResponseStreamId,
      );
    }
    const subscription = this.#pendingSubscription.poll();
    if (subscription === null) return;
    if (isControlModeResponse(this.#context.controlResponseChannel)) {
      this.#context.controlRequestChannel = putChannelParam(
        this.#context.controlRequestChannel,
        'response-correlation-id',
        String(subscription.registrationId),
      );
    }
    this.#poller = new ControlResponsePoller(subscription);
    this.#pendingSubscription = null;
    this.#state = AsyncConnectState.ADD_PUBLICATION;
  }

  #addPublication(): void {
    if (this.#pendingPublication === null) {
      this.#pendingPublication = this.#context.transport.addExclusivePublication(
        this.#context.controlRequestChannel,
        this.#context.controlRequestStreamId,
      );
    }
    const publication = this.#pendingPublication.poll();
    if (publication === null) return;
    const clientInfo = `name=${this.#context.clientName} ${CLIENT_VERSION_INFO}`;
    this.#proxy = new ArchiveProxy(publication, this.#context.messageRetryAttempts, clientInfo);
    this.#pendingPublication = null;
    this.#state = AsyncConnectState.AWAIT_PUBLICATION_CONNECTED;
  }

  #sendConnectRequest(): void {
    const poller = this.#requirePoller();
    const responseChannel = poller.subscription.tryResolveChannelEndpointPort();
    if (responseChannel === null) return;
    const credentials = (this.#context.credentialsSupplier ?? NULL_CREDENTIALS_SUPPLIER).encodedCredentials();
    if (
      this.#requireProxy().tryConnect(
        responseChannel,
        this.#context.controlResponseStreamId,
        this.#correlationId,
        credentials,
      )
    ) {
      this.#state = AsyncConnectState.AWAIT_SUBSCRIPTION_CONNECTED;
    }
  }

  #pollForResponse(): void {
    const poller = this.#requirePoller();
    poller.poll();
    if (!poller.isPollComplete() || poller.correlationId() !== this.#correlationId) return;
    this.#controlSessionId = poller.controlSessionId();
    const challenge = poller.encodedChallenge();
    if (challenge !== null) {
      this.#challengeCredentials = (this.#context.credentialsSupplier ?? NULL_CREDENTIALS_SUPPLIER).onChallenge(
        challenge,
      );
      this.#correlationId = this.#context.transport.nextCorrelationId();
      this.#state = AsyncConnectState.SEND_CHALLENGE_RESPONSE;
      return;
    }
    const code = poller.code();
    if (code !== ControlResponseCode.OK) {
      this.#requireProxy().closeSession(this.#controlSessionId);
      if (code === ControlResponseCode.ERROR) {
        throw new ArchiveError(poller.errorMessage(), {
          errorCode: poller.relevantId(),
          correlationId: this.#correlationId,
        });
      }
      throw new ArchiveError(`unexpected response: code=${code}`, { correlationId: this.#correlationId });
    }
    if (this.#state === AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE) {
      this.#transitionToDone(poller.relevantIdBigInt());
    } else if (poller.version() < PROTOCOL_VERSION_WITH_ARCHIVE_ID) {
      this.#transitionToDone(-1n);
    } else {
      this.#correlationId = this.#context.transport.nextCorrelationId();
      this.#state = AsyncConnectState.SEND_ARCHIVE_ID_REQUEST;
    }
  }

  #transitionToDone(archiveId: bigint): void {
    const proxy = this.#requireProxy();
    if (!proxy.keepAlive(this.#controlSessionId, NULL_VALUE)) {
      proxy.closeSession(this.#controlSessionId);
      throw new ArchiveError('failed to send keep alive after archive connect');
    }
    this.#session = {
      context: this.#context,
      controlResponsePoller: this.#requirePoller(),
      archiveProxy: proxy,
      controlSessionId: this.#controlSessionId,
      archiveId,
    };
    this.#state = AsyncConnectState.DONE;
  }

  #requireProxy(): ArchiveProxy {
    if (this.#proxy === null) throw new ArchiveError(`no control publication at step ${this.stateName()}`);
    return this.#proxy;
  }

  #requirePoller(): ControlResponsePoller {
    if (this.#poller === null) throw new ArchiveError(`no control subscription at step ${this.stateName()}`);
    return this.#poller;
  }
}
