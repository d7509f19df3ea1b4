/**
 * The request engine of one archive control session: the request queue, matching answers to requests, the
 * deadlines, settling the callers' Promises, and servicing the session between requests. `AeronArchive` is the
 * public API over it.
 *
 * Requests are serialised as Java's lock serialises them: one request is in flight at a time, the rest wait in
 * a queue. A single timer services the session on the event loop:
 *
 * ```
 *   queue ──start──▶ in flight: send (ArchiveProxy) ─▶ poll for its answer (ControlResponsePoller or a
 *                                                      descriptor poller) ─▶ CallOutcome ─▶ resolve / reject
 *                    between polls: wait context.idleStrategy.idle(workCount) ms (0 = setImmediate), reset
 *                    when a call starts (Java `pollForResponse`'s idle strategy)
 *   idle: poll the response stream every idleServiceIntervalMs: recording signals → consumer + iterators,
 *         ERRORs for other requests → errorHandler (or queued for pollForErrorResponse/checkForErrorResponse),
 *         Pings and late answers are consumed so the archive never sees a stalled session.
 * ```
 *
 * A call is `queued`, then `in flight` from the moment its request is sent, then settled once with a
 * {@link CallOutcome}: its answer (read as its {@link ControlRequests} entry says), an ERROR, a timeout, an
 * abort, a lost response stream or the close. An abort or a deadline stops the wait, not the archive: a request
 * already sent may still be carried out; its late answer is consumed and dropped.
 */
import { ControlResponseCode } from '../../codecs/generated/archive/index.ts';
import type { Aeron } from '../client/aeron.ts';
import type { ArchiveContext } from './archive-context.ts';
import {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveNotConnectedError,
  ArchiveReentrantCallError,
  ArchiveTimeoutError,
} from './archive-error.ts';
import type { ArchiveProxy } from './archive-proxy.ts';
import { AsyncEventQueue } from './async-event-queue.ts';
import type { CallOptions } from './call-options.ts';
import type { ControlRequest, ListedItems, ListingRequest, ResponseAnswer } from './control-requests.ts';
import type { ControlResponsePoller } from './control-response-poller.ts';
import type { RecordingDescriptorConsumer, RecordingSubscriptionDescriptorConsumer } from './recording-descriptor.ts';
import { RecordingDescriptorPoller } from './recording-descriptor-poller.ts';
import { type RecordingSignalEvent, recordingSignalName } from './recording-signal.ts';
import { RecordingSubscriptionDescriptorPoller } from './recording-subscription-descriptor-poller.ts';

/** Java `AeronArchive.State`. */
export type AeronArchiveState = 'CONNECTED' | 'DISCONNECTED' | 'CLOSED';

/** How a call ends: fulfilled with its value, or rejected with its error. */
export type CallOutcome<R> = CallFulfilled<R> | CallRejected;

/** A call that ended with its value. */
export interface CallFulfilled<R> {
  /** Discriminant: fulfilled. */
  readonly ok: true;
  /** What the Promise resolves. */
  readonly value: R;
}

/** A call that ended with an error. */
export interface CallRejected {
  /** Discriminant: rejected. */
  readonly ok: false;
  /** What the Promise rejects with. */
  readonly error: unknown;
}

const NULL_VALUE = -1;
const MAX_QUEUED_ERRORS = 128;
const MESSAGES_PER_TICK = 100;
const NOT_CONNECTED_MSG = 'not connected';

const fulfilled = <R>(value: R): CallOutcome<R> => ({ ok: true, value });
const rejected = (error: unknown): CallOutcome<never> => ({ ok: false, error });

/** What every call holds, queued or in flight. */
interface CallBase {
  /** The request's name, for errors. */
  readonly name: string;
  /** Offers the request with the correlation id it gets when it starts; false: not sent. */
  readonly send: (correlationId: number) => boolean;
  /** Resolves or rejects the caller's Promise. */
  readonly complete: (outcome: CallOutcome<unknown>) => void;
  readonly callDeadlineMs: number;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  /** NULL_VALUE while queued. */
  correlationId: number;
  /** The message timeout, from the start and from each descriptor of a listing. */
  messageDeadlineMs: number;
}

/** A call answered by one ControlResponse. */
interface ResponseCall extends CallBase {
  readonly kind: 'response';
  readonly answer: ResponseAnswer<unknown>;
}

/** A call answered by a listing; resolves how many of `count` items were delivered. */
interface ListingCallBase extends CallBase {
  readonly count: number;
  /** Items still expected (a change restarts the message timeout). */
  remaining: number;
}

interface RecordingListingCall extends ListingCallBase {
  readonly kind: 'recordingDescriptors';
  readonly consumer: RecordingDescriptorConsumer;
}

interface SubscriptionListingCall extends ListingCallBase {
  readonly kind: 'subscriptionDescriptors';
  readonly consumer: RecordingSubscriptionDescriptorConsumer;
}

type ListingCall = RecordingListingCall | SubscriptionListingCall;
type Call = ResponseCall | ListingCall;

/**
 * The engine of one control session (module comment): queues calls, sends them one at a time, settles each with
 * its outcome, services the session while idle, and closes it. Made by `AeronArchive` over the connected session.
 */
export class ControlSessionEngine {
  readonly #context: ArchiveContext;
  readonly #responsePoller: ControlResponsePoller;
  readonly #proxy: ArchiveProxy;
  readonly #controlSessionId: number;
  #state: AeronArchiveState = 'CONNECTED';
  #lastCorrelationId = NULL_VALUE;
  readonly #queue: Call[] = [];
  #inFlight: Call | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #immediate: ReturnType<typeof setImmediate> | null = null;
  #timerDueMs = Number.POSITIVE_INFINITY;
  /** Messages (fragments) consumed by the current tick: the idle strategy's work count. */
  #workCount = 0;
  /** ERRORs no call took, for `pollForErrorResponse` / `checkForErrorResponse` (without an error handler). */
  readonly #unmatchedErrors: ArchiveError[] = [];
  readonly #signalIterators = new Set<AsyncEventQueue<RecordingSignalEvent>>();
  readonly #descriptorPoller: RecordingDescriptorPoller;
  readonly #subscriptionDescriptorPoller: RecordingSubscriptionDescriptorPoller;
  #signalsThisPoll = 0;
  /** The Aeron client closed with the session (`ownsAeronClient`). */
  #ownedAeron: Aeron | null;
  /** > 0 while the session is being polled (callbacks may run): synchronous polls are refused, close deferred. */
  #pollDepth = 0;
  /** `close()` ran inside a poll: the response channel (and an owned client) close when the poll returns. */
  #channelsToClose = false;
  /** While `pollForErrorResponse` polls: the first unmatched ERROR, returned instead of going to the handler. */
  #capturedError: { error: ArchiveError | null } | null = null;
  readonly #onTimer = (): void => this.#tick();

  /**
   * Starts servicing the session (the idle service timer).
   *
   * @param context the concluded options.
   * @param responsePoller reads the control response subscription.
   * @param proxy sends the requests on the control request publication.
   * @param controlSessionId the archive's id of this session.
   */
  constructor(
    context: ArchiveContext,
    responsePoller: ControlResponsePoller,
    proxy: ArchiveProxy,
    controlSessionId: number,
  ) {
    this.#context = context;
    this.#responsePoller = responsePoller;
    this.#proxy = proxy;
    this.#controlSessionId = controlSessionId;
    const onSignal = (event: RecordingSignalEvent): void => this.#dispatchSignal(event);
    const subscription = responsePoller.subscription;
    this.#descriptorPoller = new RecordingDescriptorPoller(
      subscription,
      controlSessionId,
      context.errorHandler,
      onSignal,
    );
    this.#subscriptionDescriptorPoller = new RecordingSubscriptionDescriptorPoller(
      subscription,
      controlSessionId,
      context.errorHandler,
      onSignal,
    );
    this.#ownedAeron = context.ownsAeronClient ? context.aeron : null;
    this.#schedule(context.idleServiceIntervalMs);
  }

  /** CONNECTED, DISCONNECTED (the response stream was lost; final) or CLOSED. */
  state(): AeronArchiveState {
    return this.#state;
  }

  /** True while open and the response stream is connected; its loss makes the session DISCONNECTED. */
  isConnected(): boolean {
    if (this.#state !== 'CONNECTED') return false;
    if (this.#responsePoller.subscription.isConnected()) return true;
    this.#setState('DISCONNECTED');
    return false;
  }

  /** Correlation id of the last request sent through the queue, or -1. */
  lastCorrelationId(): number {
    return this.#lastCorrelationId;
  }

  /**
   * Queues `request` with `args`; resolves what its answer reads as, rejects with the archive's ERROR or the
   * call's failure. `proxy` sends it on another publication (a response-channel replay's).
   */
  request<A extends readonly unknown[], R>(
    request: ControlRequest<A, R>,
    args: A,
    options: CallOptions = {},
    proxy: ArchiveProxy = this.#proxy,
  ): Promise<R> {
    const send = (correlationId: number): boolean =>
      proxy.offerRequest(request, correlationId, this.#controlSessionId, args);
    return this.#enqueue<R>(request.name, options, send, (base) => ({
      ...base,
      kind: 'response',
      answer: request.answer,
    }));
  }

  /** Queues a listing `request`; `consumer` gets up to `count` items; resolves how many it got. */
  list<A extends readonly unknown[], K extends keyof ListedItems>(
    request: ListingRequest<A, K>,
    args: A,
    count: number,
    consumer: (item: ListedItems[K]) => void,
    options: CallOptions = {},
  ): Promise<number> {
    const send = (correlationId: number): boolean =>
      this.#proxy.offerRequest(request, correlationId, this.#controlSessionId, args);
    return this.#enqueue<number>(
      request.name,
      options,
      send,
      // The kind and the consumer's item type go together (K), which TypeScript cannot see through the union.
      (base) => ({ ...base, kind: request.listing, consumer, count, remaining: count }) as ListingCall,
    );
  }

  /**
   * Offers `request` at once, outside the queue, without waiting for its answer (an ERROR answer is an unmatched
   * error). False when closed, disconnected or the offer failed.
   */
  offerWithoutAnswer<A extends readonly unknown[]>(request: ControlRequest<A, unknown>, args: A): boolean {
    if (this.#state !== 'CONNECTED') return false;
    const correlationId = this.#context.transport.nextCorrelationId();
    try {
      return this.#proxy.offerRequest(request, correlationId, this.#controlSessionId, args);
    } catch {
      return false;
    }
  }

  /** The session's recording signals as an async iterator (until `return()` or close). */
  recordingSignals(): AsyncIterableIterator<RecordingSignalEvent> {
    const queue: AsyncEventQueue<RecordingSignalEvent> = new AsyncEventQueue(() => this.#signalIterators.delete(queue));
    if (this.#state === 'CLOSED') queue.end();
    else this.#signalIterators.add(queue);
    return queue;
  }

  /** `AeronArchive.pollForErrorResponse` (its doc comment). */
  pollForErrorResponse(): string | null {
    this.#ensureOpen();
    this.#ensureNotReentrant('pollForErrorResponse');
    if (!this.#responsePoller.subscription.isConnected()) {
      this.#setState('DISCONNECTED');
      return NOT_CONNECTED_MSG;
    }
    const queued = this.#unmatchedErrors.shift();
    if (queued !== undefined) return queued.message;
    if (this.#inFlight !== null) return null;
    const capture: { error: ArchiveError | null } = { error: null };
    this.#capturedError = capture;
    this.#pollDepth++;
    try {
      this.#serviceIdle(1);
    } finally {
      this.#capturedError = null;
      this.#leavePoll();
    }
    return capture.error?.message ?? this.#unmatchedErrors.shift()?.message ?? null;
  }

  /** `AeronArchive.checkForErrorResponse` (its doc comment). */
  checkForErrorResponse(): void {
    this.#ensureOpen();
    this.#ensureNotReentrant('checkForErrorResponse');
    if (!this.#responsePoller.subscription.isConnected()) {
      this.#setState('DISCONNECTED');
      this.#reportError(new ArchiveNotConnectedError(NOT_CONNECTED_MSG));
      return;
    }
    if (this.#inFlight === null) this.#pollOnce();
    const error = this.#unmatchedErrors.shift();
    if (error !== undefined) throw error;
  }

  /** `AeronArchive.pollForRecordingSignals` (its doc comment). */
  pollForRecordingSignals(): number {
    this.#ensureOpen();
    this.#ensureNotReentrant('pollForRecordingSignals');
    if (this.#inFlight !== null) return 0;
    this.#signalsThisPoll = 0;
    this.#pollOnce();
    const error = this.#unmatchedErrors.shift();
    if (error !== undefined) throw error;
    return this.#signalsThisPoll;
  }

  /**
   * Closes the session: stops the service timer, rejects pending calls with ArchiveClosedError, ends the signal
   * iterators, sends CloseSessionRequest if the request publication is connected, and closes both channels (and
   * an owned Aeron client); from a callback of the session, the response channel closes when the poll returns.
   */
  close(): void {
    if (this.#state === 'CLOSED') return;
    this.#state = 'CLOSED';
    this.#cancelTimer();
    const closed = new ArchiveClosedError();
    const inFlight = this.#inFlight;
    this.#inFlight = null;
    if (inFlight !== null) {
      this.#cancelListing(inFlight);
      this.#settle(inFlight, rejected(closed));
    }
    for (const call of this.#queue.splice(0)) this.#settle(call, rejected(closed));
    for (const it of this.#signalIterators) it.end();
    this.#signalIterators.clear();
    const proxy = this.#proxy;
    try {
      if (proxy.publication.isConnected()) proxy.closeSession(this.#controlSessionId);
    } catch (error) {
      this.#context.errorHandler?.(error);
    }
    try {
      proxy.publication.close();
    } catch (error) {
      this.#context.errorHandler?.(error);
    }
    if (this.#pollDepth > 0) this.#channelsToClose = true;
    else this.#closeChannels();
  }

  #enqueue<R>(
    name: string,
    options: CallOptions,
    send: (correlationId: number) => boolean,
    makeCall: (base: CallBase) => Call,
  ): Promise<R> {
    if (this.#state === 'CLOSED') return Promise.reject(new ArchiveClosedError());
    if (this.#state === 'DISCONNECTED') {
      this.close();
      return Promise.reject(new ArchiveNotConnectedError('response channel from archive is not connected'));
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new ArchiveAbortedError(undefined, { cause: signal.reason }));
    return new Promise<R>((resolve, reject) => {
      const call = makeCall({
        name,
        send,
        // The call's answer reads as R: its request entry says so.
        complete: (outcome) => (outcome.ok ? resolve(outcome.value as R) : reject(outcome.error)),
        callDeadlineMs:
          options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.#context.clock() + options.timeoutMs,
        signal,
        onAbort: null,
        correlationId: NULL_VALUE,
        messageDeadlineMs: Number.POSITIVE_INFINITY,
      });
      if (signal !== undefined) {
        call.onAbort = () => this.#abort(call);
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      this.#queue.push(call);
      this.#schedule(0);
    });
  }

  #abort(call: Call): void {
    const error = new ArchiveAbortedError(`${call.name} aborted`, {
      correlationId: call.correlationId,
      cause: call.signal?.reason,
    });
    if (this.#inFlight === call) {
      this.#inFlight = null;
      this.#cancelListing(call);
    } else {
      const i = this.#queue.indexOf(call);
      if (i < 0) return;
      this.#queue.splice(i, 1);
    }
    this.#settle(call, rejected(error));
    this.#schedule(0);
  }

  /** Resolves or rejects the call's Promise with `outcome`, and stops listening for its abort. */
  #settle(call: Call, outcome: CallOutcome<unknown>): void {
    if (call.onAbort !== null && call.signal !== undefined) call.signal.removeEventListener('abort', call.onAbort);
    call.onAbort = null;
    call.complete(outcome);
  }

  /** Settles the call in flight: the next one may start. */
  #settleInFlight(call: Call, outcome: CallOutcome<unknown>): void {
    if (this.#inFlight === call) this.#inFlight = null;
    this.#settle(call, outcome);
  }

  /**
   * (Re)arms the single service timer to fire within `delayMs` (0: `setImmediate`); ref'd only while calls are
   * pending.
   */
  #schedule(delayMs: number): void {
    if (this.#state === 'CLOSED') return;
    const due = this.#context.clock() + delayMs;
    const busy = this.#inFlight !== null || this.#queue.length > 0;
    const armed = this.#timer ?? this.#immediate;
    if (armed !== null) {
      if (due >= this.#timerDueMs) {
        if (busy) armed.ref?.();
        return;
      }
      this.#cancelTimer();
    }
    this.#timerDueMs = due;
    if (delayMs <= 0) {
      this.#immediate = setImmediate(this.#onTimer);
      if (!busy) this.#immediate.unref?.();
    } else {
      this.#timer = setTimeout(this.#onTimer, delayMs);
      if (!busy) this.#timer.unref?.();
    }
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
  }

  /** One turn of the service timer: start or poll the call in flight, or service the idle session; re-arm. */
  #tick(): void {
    this.#timer = null;
    this.#immediate = null;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
    if (this.#state === 'CLOSED') return;
    this.#workCount = 0;
    const before = this.#inFlight;
    this.#pollDepth++;
    try {
      this.#serviceSession();
    } catch (error) {
      const call = this.#inFlight;
      if (call !== null) this.#settleInFlight(call, rejected(error));
      else this.#reportError(error);
    } finally {
      this.#leavePoll();
    }
    if (this.#isClosed()) return;
    if (this.#inFlight !== null && this.#inFlight === before) {
      this.#schedule(this.#context.idleStrategy.idle(this.#workCount));
    } else if (this.#inFlight !== null || this.#queue.length > 0) {
      // A call finished or started this tick: the next one starts (or is polled) at once.
      this.#schedule(0);
    } else {
      this.#schedule(this.#context.idleServiceIntervalMs);
    }
  }

  #serviceSession(): void {
    if (this.#inFlight === null) {
      const next = this.#queue.shift();
      if (next === undefined) {
        this.#serviceIdle(MESSAGES_PER_TICK);
        return;
      }
      if (!this.#start(next)) return;
    }
    const call = this.#inFlight;
    if (call === null) return;
    if (call.kind === 'response') this.#pollResponse(call);
    else this.#pollListing(call);
    if (this.#inFlight === call && !this.#isClosed()) this.#checkStillWaiting(call);
  }

  /** Sends the call's request; false when it was not sent (the call is then settled). */
  #start(call: Call): boolean {
    this.#inFlight = call;
    this.#context.idleStrategy.reset();
    const correlationId = this.#context.transport.nextCorrelationId();
    call.correlationId = correlationId;
    this.#lastCorrelationId = correlationId;
    call.messageDeadlineMs = this.#context.clock() + this.#context.messageTimeoutMs;
    if (call.kind === 'recordingDescriptors') {
      this.#descriptorPoller.reset(correlationId, call.count, call.consumer);
    } else if (call.kind === 'subscriptionDescriptors') {
      this.#subscriptionDescriptorPoller.reset(correlationId, call.count, call.consumer);
    }
    // The Java lock's place: nothing else is sent on the session while this request waits for its answer.
    if (!call.send(correlationId)) {
      this.#settleInFlight(call, rejected(new ArchiveError(`failed to send ${call.name} request`, { correlationId })));
      return false;
    }
    return true;
  }

  /** Java `pollForResponse` / `pollForResponseAllowingError`, one tick's worth. */
  #pollResponse(call: ResponseCall): void {
    const poller = this.#responsePoller;
    for (let i = 0; i < MESSAGES_PER_TICK; i++) {
      const fragments = poller.poll();
      this.#workCount += fragments;
      if (!poller.isPollComplete()) {
        if (fragments === 0) return;
        continue;
      }
      if (poller.controlSessionId() !== this.#controlSessionId) continue;
      if (poller.isSignal()) {
        this.#dispatchPolledSignal();
        if (this.#inFlight !== call) return;
        continue;
      }
      const correlationId = poller.correlationId();
      if (poller.code() === ControlResponseCode.ERROR) {
        const errorCode = poller.relevantId();
        const error = new ArchiveError(
          `response for correlationId=${call.correlationId}, error: ${poller.errorMessage()}`,
          { errorCode, correlationId },
        );
        if (correlationId === call.correlationId) {
          const allowed = call.answer.allowedError;
          this.#settleInFlight(
            call,
            allowed !== null && errorCode === allowed.code ? fulfilled(allowed.value) : rejected(error),
          );
          return;
        }
        this.#onUnmatchedError(error);
        if (this.#inFlight !== call) return;
      } else if (correlationId === call.correlationId) {
        this.#settleInFlight(call, this.#readAnswer(call));
        return;
      }
    }
  }

  /** The outcome of the call's non-ERROR answer, which the poller holds. */
  #readAnswer(call: ResponseCall): CallOutcome<unknown> {
    const poller = this.#responsePoller;
    const code = poller.code();
    if (code !== ControlResponseCode.OK) {
      return rejected(new ArchiveError(`unexpected response code: ${code}`, { correlationId: call.correlationId }));
    }
    try {
      return fulfilled(call.answer.read(poller, call.name));
    } catch (error) {
      return rejected(error);
    }
  }

  /** Java `pollForDescriptors` / `pollForSubscriptionDescriptors`, one tick's worth. */
  #pollListing(call: ListingCall): void {
    const poller = this.#listingPoller(call);
    for (let i = 0; i < MESSAGES_PER_TICK; i++) {
      const fragments = poller.poll();
      this.#workCount += fragments;
      if (this.#inFlight !== call) return;
      const remaining = poller.remaining();
      if (poller.isDispatchComplete()) {
        const error = poller.error();
        this.#settleInFlight(call, error !== null ? rejected(error) : fulfilled(call.count - remaining));
        return;
      }
      if (remaining !== call.remaining) {
        call.remaining = remaining;
        call.messageDeadlineMs = this.#context.clock() + this.#context.messageTimeoutMs;
      }
      if (fragments === 0) return;
    }
  }

  #listingPoller(call: ListingCall): RecordingDescriptorPoller | RecordingSubscriptionDescriptorPoller {
    return call.kind === 'recordingDescriptors' ? this.#descriptorPoller : this.#subscriptionDescriptorPoller;
  }

  /** Settles the call in flight when the response stream is lost or a deadline has passed. */
  #checkStillWaiting(call: Call): void {
    if (!this.#responsePoller.subscription.isConnected()) {
      this.#setState('DISCONNECTED');
      this.#settleInFlight(
        call,
        rejected(new ArchiveNotConnectedError('response channel from archive is not connected')),
      );
      return;
    }
    const now = this.#context.clock();
    if (now > call.messageDeadlineMs) {
      const awaiting = call.kind === 'response' ? 'response' : 'descriptors';
      this.#settleInFlight(
        call,
        rejected(
          new ArchiveTimeoutError(
            `awaiting ${awaiting} - correlationId=${call.correlationId} messageTimeout=${this.#context.messageTimeoutMs}ms`,
            { correlationId: call.correlationId },
          ),
        ),
      );
    } else if (now > call.callDeadlineMs) {
      this.#settleInFlight(
        call,
        rejected(
          new ArchiveTimeoutError(`${call.name} deadline passed - correlationId=${call.correlationId}`, {
            correlationId: call.correlationId,
          }),
        ),
      );
    }
  }

  /** Consumes up to `limit` messages while no call is in flight. */
  #serviceIdle(limit: number): void {
    const poller = this.#responsePoller;
    for (let i = 0; i < limit; i++) {
      const fragments = poller.poll();
      if (poller.isPollComplete() && poller.controlSessionId() === this.#controlSessionId) {
        if (poller.isSignal()) {
          this.#dispatchPolledSignal();
        } else if (poller.code() === ControlResponseCode.ERROR) {
          this.#onUnmatchedError(
            new ArchiveError(poller.errorMessage(), {
              errorCode: poller.relevantId(),
              correlationId: poller.correlationId(),
            }),
          );
        }
      }
      if (fragments === 0 || this.#isClosed()) return;
    }
  }

  /** Dispatches the signal the poller holds; one a number cannot hold exactly goes to the error path instead. */
  #dispatchPolledSignal(): void {
    let event: RecordingSignalEvent;
    try {
      event = this.#signalFromPoller();
    } catch (error) {
      this.#reportError(error);
      return;
    }
    this.#dispatchSignal(event);
  }

  #signalFromPoller(): RecordingSignalEvent {
    const p = this.#responsePoller;
    return {
      controlSessionId: p.controlSessionId(),
      correlationId: p.correlationId(),
      recordingId: p.recordingId(),
      subscriptionId: p.subscriptionId(),
      position: p.position(),
      signal: p.recordingSignal(),
      signalName: recordingSignalName(p.recordingSignal()),
    };
  }

  #dispatchSignal(event: RecordingSignalEvent): void {
    this.#signalsThisPoll++;
    for (const it of this.#signalIterators) it.push(event);
    const consumer = this.#context.recordingSignalConsumer;
    if (consumer !== null) {
      try {
        consumer(event);
      } catch (error) {
        this.#reportError(error);
      }
    }
  }

  /** An ERROR for no call in flight: captured by `pollForErrorResponse`, else the handler, else queued. */
  #onUnmatchedError(error: ArchiveError): void {
    if (this.#capturedError !== null && this.#capturedError.error === null) {
      this.#capturedError.error = error;
      return;
    }
    if (this.#context.errorHandler !== null) {
      this.#context.errorHandler(error);
      return;
    }
    if (this.#unmatchedErrors.length >= MAX_QUEUED_ERRORS) this.#unmatchedErrors.shift();
    this.#unmatchedErrors.push(error);
  }

  /** An error no call takes: to the error handler, else queued as an unmatched error. */
  #reportError(error: unknown): void {
    if (this.#context.errorHandler !== null) this.#context.errorHandler(error);
    else if (error instanceof ArchiveError) this.#onUnmatchedError(error);
    else this.#onUnmatchedError(new ArchiveError(String(error), { cause: error }));
  }

  /** A method, not a field test: a callback may close the session between two reads. */
  #isClosed(): boolean {
    return this.#state === 'CLOSED';
  }

  #ensureOpen(): void {
    if (this.#state === 'CLOSED') throw new ArchiveClosedError();
  }

  /** Java `ensureNotReentrant`: a synchronous poll from inside one of the session's callbacks. */
  #ensureNotReentrant(call: string): void {
    if (this.#pollDepth > 0) throw new ArchiveReentrantCallError(call);
  }

  /** One message of idle service, as a poll (callbacks see `#pollDepth` > 0). */
  #pollOnce(): void {
    this.#pollDepth++;
    try {
      this.#serviceIdle(1);
    } finally {
      this.#leavePoll();
    }
  }

  /** Ends the dispatch of a listing settled from a callback (abort, close). */
  #cancelListing(call: Call): void {
    if (call.kind !== 'response') this.#listingPoller(call).cancel();
  }

  /** Leaves a poll: closes the response channel when `close()` was called from a callback of this poll. */
  #leavePoll(): void {
    this.#pollDepth--;
    if (this.#pollDepth === 0 && this.#channelsToClose) {
      this.#channelsToClose = false;
      this.#closeChannels();
    }
  }

  /** Closes the response subscription and the owned Aeron client (which would close it too). */
  #closeChannels(): void {
    for (const closeable of [this.#responsePoller.subscription, this.#ownedAeron]) {
      try {
        closeable?.close();
      } catch (error) {
        this.#context.errorHandler?.(error);
      }
    }
    this.#ownedAeron = null;
  }

  #setState(state: AeronArchiveState): void {
    if (this.#state !== 'CLOSED') this.#state = state;
  }
}
