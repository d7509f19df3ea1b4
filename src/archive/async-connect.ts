/**
 * Java `AeronArchive.AsyncConnect` (1.51.0): the connect state machine, driven by `poll()` (returns the connected
 * `AeronArchive`, else null) or by the `connect()` Promise wrapper.
 *
 * ```
 *  0 AWAIT_SUBSCRIPTION ─▶ 1 ADD_PUBLICATION ─▶ 2 AWAIT_PUBLICATION_CONNECTED ─(correlationId)─▶
 *  3 SEND_CONNECT_REQUEST (AuthConnectRequest) ─▶ 4 AWAIT_SUBSCRIPTION_CONNECTED ─▶ 5 AWAIT_CONNECT_RESPONSE
 *      Challenge ─▶ 8 SEND_CHALLENGE_RESPONSE ─▶ 9 AWAIT_CHALLENGE_RESPONSE ─▶ (as 5)
 *      OK, version ≥ 1.11.0 ─▶ 6 SEND_ARCHIVE_ID_REQUEST ─▶ 7 AWAIT_ARCHIVE_ID_RESPONSE ─▶ 10 DONE
 *      OK, older archive ─▶ 10 DONE (archiveId -1)
 *      ERROR / other ─▶ CloseSessionRequest, throw ArchiveError (errorCode = relevantId)
 *  DONE sends KeepAliveRequest(correlationId -1) to activate the session, then makes the AeronArchive.
 * ```
 *
 * The whole connect must finish within the message timeout (ArchiveTimeoutError). When `poll()` throws, the
 * channels opened so far are already closed.
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
 *
 * or let `AeronArchive.connect()` poll it for you.
 */
import { ControlResponseCode } from '../../codecs/generated/archive/index.ts';
import { AeronArchive, type CallOptions } from './aeron-archive.ts';
import { AeronControlTransport } from './aeron-transport.ts';
import {
  type ArchiveContext,
  type ArchiveOptions,
  CLIENT_VERSION_INFO,
  isControlModeResponse,
  PROTOCOL_VERSION_WITH_ARCHIVE_ID,
  putChannelParam,
  resolveContext,
} from './archive-context.ts';
import {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveReentrantCallError,
  ArchiveTimeoutError,
} from './archive-error.ts';
import { idleAfter } from './archive-idle-strategy.ts';
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

/**
 * A connect in progress (Java `AeronArchive.AsyncConnect`), from `AeronArchive.asyncConnect(options)`. Drive it
 * with `poll()` from a loop that yields to the event loop between polls (see the module comment), or use
 * `AeronArchive.connect()`. `close()` releases what it opened unless it completed.
 */
export class AsyncConnect {
  private _context: ArchiveContext;
  private readonly deadlineMs: number;
  private _state: AsyncConnectState = AsyncConnectState.AWAIT_SUBSCRIPTION;
  private pendingSubscription: PendingResource<ControlSubscription> | null = null;
  /**
   * Java `Context.conclude()` pins `session-id` (from `aeron.nextSessionId`) on non-response control channels. Our
   * client answers that asynchronously: while it is pending the connect waits in AWAIT_SUBSCRIPTION (the
   * subscription is added once the channels are final, as 1.52.2 adds it lazily in `awaitSubscription`).
   */
  private sessionIdPending = false;
  private sessionIdError: unknown = null;
  private pendingPublication: PendingResource<ControlPublication> | null = null;
  private poller: ControlResponsePoller | null = null;
  private proxy: ArchiveProxy | null = null;
  private correlationId = NULL_VALUE;
  private controlSessionId = NULL_VALUE;
  private challengeCredentials: Uint8Array | null = null;
  private archive: AeronArchive | null = null;
  private closed = false;
  /** True while `poll()` runs (the credentials supplier is called from it). */
  private polling = false;

  /**
   * Concludes the options ({@link resolveContext}: throws `ArchiveError` for an option Java's `conclude()` refuses)
   * and starts the message-timeout deadline; nothing is added until the first `poll()`.
   */
  constructor(options: ArchiveOptions) {
    this._context = resolveContext(options);
    this.deadlineMs = this._context.clock() + this._context.messageTimeoutMs;
    const aeron = options.aeron;
    if (
      options.transport === undefined &&
      aeron !== undefined &&
      !isControlModeResponse(options.controlResponseChannel)
    ) {
      this.sessionIdPending = true;
      aeron.nextSessionId(this._context.controlRequestStreamId).then(
        (sessionId) => {
          this._context = resolveContext({ ...options, transport: new AeronControlTransport(aeron, sessionId) });
          this.sessionIdPending = false;
        },
        (error: unknown) => {
          this.sessionIdError = error;
          this.sessionIdPending = false;
        },
      );
    }
  }

  /** The concluded context (its control channels carry `session-id` once the driver has answered). */
  get context(): ArchiveContext {
    return this._context;
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
    return this._state;
  }

  /** The current step's name, e.g. `AWAIT_CONNECT_RESPONSE`. */
  stateName(): string {
    return STATE_NAMES[this._state] ?? String(this._state);
  }

  /**
   * Advances one step; the connected client once done, else null. Nothing here waits: the steps complete as the
   * event loop runs the Aeron client, so a loop around `poll()` must yield between calls (`await
   * yieldToEventLoop()`, see the module comment); a synchronous busy loop never connects.
   *
   * @throws ArchiveError (or a subclass) on an error or the connect timeout, after closing what was opened;
   *   `ArchiveClosedError` when called after `close()` or after a failed poll; `ArchiveReentrantCallError` when
   *   called from the credentials supplier during a poll.
   */
  poll(): AeronArchive | null {
    if (this.closed) throw new ArchiveClosedError('async connect is closed');
    if (this.polling) throw new ArchiveReentrantCallError('AsyncConnect.poll');
    this.polling = true;
    try {
      return this.doPoll();
    } catch (error) {
      this.close();
      throw error;
    } finally {
      this.polling = false;
    }
  }

  /** Releases whatever was opened, unless the connect completed (then the AeronArchive owns it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this._state === AsyncConnectState.DONE) return;
    if (this.poller !== null) this.poller.subscription.close();
    else this.pendingSubscription?.cancel();
    if (this.proxy !== null) this.proxy.publication.close();
    else this.pendingPublication?.cancel();
  }

  private doPoll(): AeronArchive | null {
    this.checkDeadline();
    switch (this._state) {
      case AsyncConnectState.AWAIT_SUBSCRIPTION:
        this.awaitSubscription();
        break;
      case AsyncConnectState.ADD_PUBLICATION:
        this.addPublication();
        break;
      case AsyncConnectState.AWAIT_PUBLICATION_CONNECTED:
        if (this.proxy?.publication.isConnected()) {
          this.correlationId = this.context.transport.nextCorrelationId();
          this._state = AsyncConnectState.SEND_CONNECT_REQUEST;
        }
        break;
      case AsyncConnectState.SEND_CONNECT_REQUEST:
        this.sendConnectRequest();
        break;
      case AsyncConnectState.AWAIT_SUBSCRIPTION_CONNECTED:
        if (this.poller?.subscription.isConnected()) this._state = AsyncConnectState.AWAIT_CONNECT_RESPONSE;
        break;
      case AsyncConnectState.SEND_ARCHIVE_ID_REQUEST:
        if (this.requireProxy().archiveId(this.correlationId, this.controlSessionId)) {
          this._state = AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE;
        }
        break;
      case AsyncConnectState.SEND_CHALLENGE_RESPONSE:
        if (
          this.requireProxy().tryChallengeResponse(
            this.challengeCredentials ?? new Uint8Array(0),
            this.correlationId,
            this.controlSessionId,
          )
        ) {
          this._state = AsyncConnectState.AWAIT_CHALLENGE_RESPONSE;
        }
        break;
      case AsyncConnectState.AWAIT_CONNECT_RESPONSE:
      case AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE:
      case AsyncConnectState.AWAIT_CHALLENGE_RESPONSE:
        this.pollForResponse();
        break;
      case AsyncConnectState.DONE:
        return this.archive;
    }
    return this.isDone() ? this.archive : null;
  }

  private isDone(): boolean {
    return this._state === AsyncConnectState.DONE;
  }

  private checkDeadline(): void {
    if (this.context.clock() > this.deadlineMs) {
      throw new ArchiveTimeoutError(
        `Archive connect timeout: step=${this.stateName()} publication=${this.context.controlRequestChannel}` +
          ` subscription=${this.context.controlResponseChannel}`,
      );
    }
  }

  private awaitSubscription(): void {
    if (this.sessionIdError !== null) {
      throw new ArchiveError('archive connect: the driver did not give a session id', { cause: this.sessionIdError });
    }
    if (this.sessionIdPending) return;
    if (this.pendingSubscription === null) {
      this.pendingSubscription = this.context.transport.addSubscription(
        this.context.controlResponseChannel,
        this.context.controlResponseStreamId,
      );
    }
    const subscription = this.pendingSubscription.poll();
    if (subscription === null) return;
    if (isControlModeResponse(this.context.controlResponseChannel)) {
      this.context.controlRequestChannel = putChannelParam(
        this.context.controlRequestChannel,
        'response-correlation-id',
        String(subscription.registrationId),
      );
    }
    this.poller = new ControlResponsePoller(subscription);
    this.pendingSubscription = null;
    this._state = AsyncConnectState.ADD_PUBLICATION;
  }

  private addPublication(): void {
    if (this.pendingPublication === null) {
      this.pendingPublication = this.context.transport.addExclusivePublication(
        this.context.controlRequestChannel,
        this.context.controlRequestStreamId,
      );
    }
    const publication = this.pendingPublication.poll();
    if (publication === null) return;
    const clientInfo = `name=${this.context.clientName} ${CLIENT_VERSION_INFO}`;
    this.proxy = new ArchiveProxy(publication, this.context.messageRetryAttempts, clientInfo);
    this.pendingPublication = null;
    this._state = AsyncConnectState.AWAIT_PUBLICATION_CONNECTED;
  }

  private sendConnectRequest(): void {
    const poller = this.requirePoller();
    const responseChannel = poller.subscription.tryResolveChannelEndpointPort();
    if (responseChannel === null) return;
    const credentials = (this.context.credentialsSupplier ?? NULL_CREDENTIALS_SUPPLIER).encodedCredentials();
    if (
      this.requireProxy().tryConnect(
        responseChannel,
        this.context.controlResponseStreamId,
        this.correlationId,
        credentials,
      )
    ) {
      this._state = AsyncConnectState.AWAIT_SUBSCRIPTION_CONNECTED;
    }
  }

  private pollForResponse(): void {
    const poller = this.requirePoller();
    poller.poll();
    if (!poller.isPollComplete() || poller.correlationId() !== this.correlationId) return;
    this.controlSessionId = poller.controlSessionId();
    const challenge = poller.encodedChallenge();
    if (challenge !== null) {
      this.challengeCredentials = (this.context.credentialsSupplier ?? NULL_CREDENTIALS_SUPPLIER).onChallenge(
        challenge,
      );
      this.correlationId = this.context.transport.nextCorrelationId();
      this._state = AsyncConnectState.SEND_CHALLENGE_RESPONSE;
      return;
    }
    const code = poller.code();
    if (code !== ControlResponseCode.OK) {
      this.requireProxy().closeSession(this.controlSessionId);
      if (code === ControlResponseCode.ERROR) {
        throw new ArchiveError(poller.errorMessage(), {
          errorCode: poller.relevantId(),
          correlationId: this.correlationId,
        });
      }
      throw new ArchiveError(`unexpected response: code=${code}`, { correlationId: this.correlationId });
    }
    if (this._state === AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE) {
      this.transitionToDone(poller.relevantIdBigInt());
    } else if (poller.version() < PROTOCOL_VERSION_WITH_ARCHIVE_ID) {
      this.transitionToDone(-1n);
    } else {
      this.correlationId = this.context.transport.nextCorrelationId();
      this._state = AsyncConnectState.SEND_ARCHIVE_ID_REQUEST;
    }
  }

  private transitionToDone(archiveId: bigint): void {
    const proxy = this.requireProxy();
    if (!proxy.keepAlive(this.controlSessionId, NULL_VALUE)) {
      proxy.closeSession(this.controlSessionId);
      throw new ArchiveError('failed to send keep alive after archive connect');
    }
    this.archive = new AeronArchive(this.context, this.requirePoller(), proxy, this.controlSessionId, archiveId);
    this._state = AsyncConnectState.DONE;
  }

  private requireProxy(): ArchiveProxy {
    if (this.proxy === null) throw new ArchiveError(`no control publication at step ${this.stateName()}`);
    return this.proxy;
  }

  private requirePoller(): ControlResponsePoller {
    if (this.poller === null) throw new ArchiveError(`no control subscription at step ${this.stateName()}`);
    return this.poller;
  }
}
