/**
 * Reads the driver's responses from the to-clients broadcast buffer and dispatches the ones meant for this
 * client (Java: `DriverEventsAdapter`).
 *
 * Every client sees every response, so responses are filtered:
 * - correlated responses (ready, success, counter, static counter, session id, error) only when their
 *   correlation id is one of this client's commands in flight (`inFlight`, which the match removes it from);
 * - ON_COUNTER_READY for an id not in flight is an "available counter" notification (any client's counter,
 *   incl. this client's heartbeat counter, whose correlation id is the client id);
 * - ON_ERROR with CHANNEL_ENDPOINT_ERROR carries a channel status indicator id, not a correlation id;
 * - images are passed on; the listener matches their subscription registration id to its subscriptions;
 * - ON_CLIENT_TIMEOUT only for this client id.
 *
 * Java tracks one blocking "active" id plus an async set; this client has no blocking calls, so every
 * command in flight is in one set. A lapped receiver (`BroadcastLappedError`) or a corrupt record
 * (`BroadcastCorruptError`) marks the adapter invalid and rethrows: the client must terminate.
 */

import {
  ON_AVAILABLE_IMAGE,
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_EXCLUSIVE_PUBLICATION_READY,
  ON_NEXT_AVAILABLE_SESSION_ID,
  ON_OPERATION_SUCCESS,
  ON_PUBLICATION_ERROR,
  ON_PUBLICATION_READY,
  ON_STATIC_COUNTER,
  ON_SUBSCRIPTION_READY,
  ON_UNAVAILABLE_COUNTER,
  ON_UNAVAILABLE_IMAGE,
} from '../transport/control-protocol-events.ts';
import {
  type AtomicBuffer,
  BroadcastCorruptError,
  BroadcastLappedError,
  type CopyBroadcastReceiver,
} from '../transport/index.ts';
import { ErrorResponseFlyweight } from './command/error-response-flyweight.ts';
import { IdIntResponseFlyweight, IdResponseFlyweight } from './command/id-response-flyweights.ts';
import { ImageBuffersReadyFlyweight } from './command/image-buffers-ready-flyweight.ts';
import { ImageMessageFlyweight } from './command/image-message-flyweight.ts';
import { NextAvailableSessionIdFlyweight } from './command/next-session-id-flyweights.ts';
import { PublicationBuffersReadyFlyweight } from './command/publication-buffers-ready-flyweight.ts';
import { PublicationErrorFrameFlyweight } from './command/publication-error-frame-flyweight.ts';
import { ErrorCode } from './error-codes.ts';

/** Minimal receiver contract (`CopyBroadcastReceiver` satisfies it). */
export type DriverEventsReceiver = Pick<CopyBroadcastReceiver, 'receive'>;

/**
 * The publication ready fields the conductor needs (ON_PUBLICATION_READY / ON_EXCLUSIVE_PUBLICATION_READY; see
 * `PublicationBuffersReadyFlyweight`).
 */
export interface PublicationReady {
  /** Correlation id of this client's add command. */
  correlationId: number;
  /** Registration id of the publication in the driver (shared by every add of one concurrent publication). */
  registrationId: number;
  /** Stream id. */
  streamId: number;
  /** Session id. */
  sessionId: number;
  /** Counter id of the publication limit. */
  publicationLimitCounterId: number;
  /** Counter id of the channel status indicator (-1 for none, e.g. IPC). */
  channelStatusIndicatorId: number;
  /** Path of the log buffer file. */
  logFileName: string;
}

/** What the adapter calls; implemented by the client conductor. */
export interface DriverEventsListener {
  /** ON_ERROR for a command in flight (already removed from `inFlight`). */
  onError(correlationId: number, errorCode: number, message: string): void;
  /** ON_ERROR with CHANNEL_ENDPOINT_ERROR: the id is a channel status indicator counter id, not a correlation id. */
  onChannelEndpointError(channelStatusId: number, message: string): void;
  /** ON_PUBLICATION_READY (`exclusive` false) or ON_EXCLUSIVE_PUBLICATION_READY (true) for an add in flight. */
  onNewPublication(ready: PublicationReady, exclusive: boolean): void;
  /** ON_SUBSCRIPTION_READY for an add in flight. */
  onNewSubscription(correlationId: number, channelStatusIndicatorId: number): void;
  /** ON_OPERATION_SUCCESS for a command in flight. */
  onOperationSuccess(correlationId: number): void;
  /** ON_AVAILABLE_IMAGE (any subscription's: the listener matches the subscription registration id). */
  onAvailableImage(
    correlationId: number,
    sessionId: number,
    subscriptionRegistrationId: number,
    subscriberPositionId: number,
    logFileName: string,
    sourceIdentity: string,
  ): void;
  /** ON_UNAVAILABLE_IMAGE (any subscription's). */
  onUnavailableImage(correlationId: number, subscriptionRegistrationId: number): void;
  /** A counter this client asked for (ADD_COUNTER in flight). */
  onNewCounter(correlationId: number, counterId: number): void;
  /** Any other counter became available (also called for this client's own after `onNewCounter`). */
  onAvailableCounter(registrationId: number, counterId: number): void;
  /** ON_UNAVAILABLE_COUNTER (any counter). */
  onUnavailableCounter(registrationId: number, counterId: number): void;
  /** ON_STATIC_COUNTER for an ADD_STATIC_COUNTER in flight. */
  onStaticCounter(correlationId: number, counterId: number): void;
  /** ON_CLIENT_TIMEOUT for this client id. */
  onClientTimeout(): void;
  /** ON_PUBLICATION_ERROR (any publication's; the flyweight is valid only during the call). */
  onPublicationError(frame: PublicationErrorFrameFlyweight): void;
  /** ON_NEXT_AVAILABLE_SESSION_ID for a request in flight. */
  onNextAvailableSessionId(correlationId: number, nextSessionId: number): void;
}

/**
 * Reads the to-clients broadcast buffer, one message per `receive()`, and calls the {@link DriverEventsListener} for
 * the ones meant for this client (see the module comment). Java: `DriverEventsAdapter`.
 */
export class DriverEventsAdapter {
  /** This client's id (for ON_CLIENT_TIMEOUT). */
  readonly clientId: number;
  readonly #receiver: DriverEventsReceiver;
  readonly #listener: DriverEventsListener;
  readonly #inFlight: Set<number>;
  #isInvalid = false;

  readonly #error = new ErrorResponseFlyweight();
  readonly #publicationReady = new PublicationBuffersReadyFlyweight();
  readonly #imageReady = new ImageBuffersReadyFlyweight();
  readonly #imageMessage = new ImageMessageFlyweight();
  readonly #idInt = new IdIntResponseFlyweight();
  readonly #id = new IdResponseFlyweight();
  readonly #nextSessionId = new NextAvailableSessionIdFlyweight();
  readonly #publicationError = new PublicationErrorFrameFlyweight();
  readonly #handler = (msgTypeId: number, buffer: AtomicBuffer, index: number, _length: number): void => {
    this.#onMessage(msgTypeId, buffer, index);
  };

  /**
   * @param inFlight correlation ids of this client's commands awaiting a response; the adapter removes an id
   *   when its response (or error) arrives, before calling the listener.
   */
  constructor(clientId: number, receiver: DriverEventsReceiver, listener: DriverEventsListener, inFlight: Set<number>) {
    this.clientId = clientId;
    this.#receiver = receiver;
    this.#listener = listener;
    this.#inFlight = inFlight;
  }

  /** True once the receiver was lapped: responses were lost and the client must terminate. */
  get isInvalid(): boolean {
    return this.#isInvalid;
  }

  /**
   * Dispatches at most one message; returns 1 if one was read (whether or not it was for this client). Java:
   * `DriverEventsAdapter.receive`.
   *
   * @throws BroadcastLappedError `BROADCAST_LAPPED` when the receiver was lapped (responses lost), and
   * `BroadcastCorruptError` (`BROADCAST_CORRUPT`) for a corrupt record: both mark the adapter invalid.
   */
  receive(): number {
    try {
      return this.#receiver.receive(this.#handler);
    } catch (e) {
      // Java marks the adapter invalid on any IllegalStateException from the receiver: being lapped
      // ("unable to keep up with broadcast") and a record too long for the buffer alike.
      if (e instanceof BroadcastLappedError || e instanceof BroadcastCorruptError) this.#isInvalid = true;
      throw e;
    }
  }

  #onMessage(msgTypeId: number, buffer: AtomicBuffer, index: number): void {
    const listener = this.#listener;
    const inFlight = this.#inFlight;
    switch (msgTypeId) {
      case ON_ERROR: {
        const error = this.#error.wrap(buffer, index);
        const correlationId = error.offendingCommandCorrelationId();
        const errorCode = error.errorCode();
        if (errorCode === ErrorCode.CHANNEL_ENDPOINT_ERROR) {
          listener.onChannelEndpointError(correlationId, error.errorMessage());
        } else if (inFlight.delete(correlationId)) {
          listener.onError(correlationId, errorCode, error.errorMessage());
        }
        break;
      }
      case ON_PUBLICATION_READY:
      case ON_EXCLUSIVE_PUBLICATION_READY: {
        const ready = this.#publicationReady.wrap(buffer, index);
        const correlationId = ready.correlationId();
        if (inFlight.delete(correlationId)) {
          listener.onNewPublication(
            {
              correlationId,
              registrationId: ready.registrationId(),
              streamId: ready.streamId(),
              sessionId: ready.sessionId(),
              publicationLimitCounterId: ready.publicationLimitCounterId(),
              channelStatusIndicatorId: ready.channelStatusIndicatorId(),
              logFileName: ready.logFileName(),
            },
            msgTypeId === ON_EXCLUSIVE_PUBLICATION_READY,
          );
        }
        break;
      }
      case ON_SUBSCRIPTION_READY: {
        const ready = this.#idInt.wrap(buffer, index);
        const correlationId = ready.correlationId();
        if (inFlight.delete(correlationId)) listener.onNewSubscription(correlationId, ready.value());
        break;
      }
      case ON_OPERATION_SUCCESS: {
        const correlationId = this.#id.wrap(buffer, index).id();
        if (inFlight.delete(correlationId)) listener.onOperationSuccess(correlationId);
        break;
      }
      case ON_AVAILABLE_IMAGE: {
        const image = this.#imageReady.wrap(buffer, index);
        listener.onAvailableImage(
          image.correlationId(),
          image.sessionId(),
          image.subscriptionRegistrationId(),
          image.subscriberPositionId(),
          image.logFileName(),
          image.sourceIdentity(),
        );
        break;
      }
      case ON_UNAVAILABLE_IMAGE: {
        const image = this.#imageMessage.wrap(buffer, index);
        listener.onUnavailableImage(image.correlationId(), image.subscriptionRegistrationId());
        break;
      }
      case ON_COUNTER_READY: {
        const counter = this.#idInt.wrap(buffer, index);
        const correlationId = counter.correlationId();
        const counterId = counter.value();
        if (inFlight.delete(correlationId)) {
          listener.onNewCounter(correlationId, counterId);
        } else {
          listener.onAvailableCounter(correlationId, counterId);
        }
        break;
      }
      case ON_UNAVAILABLE_COUNTER: {
        const counter = this.#idInt.wrap(buffer, index);
        listener.onUnavailableCounter(counter.correlationId(), counter.value());
        break;
      }
      case ON_STATIC_COUNTER: {
        const counter = this.#idInt.wrap(buffer, index);
        const correlationId = counter.correlationId();
        if (inFlight.delete(correlationId)) listener.onStaticCounter(correlationId, counter.value());
        break;
      }
      case ON_CLIENT_TIMEOUT: {
        if (this.#id.wrap(buffer, index).id() === this.clientId) listener.onClientTimeout();
        break;
      }
      case ON_PUBLICATION_ERROR: {
        listener.onPublicationError(this.#publicationError.wrap(buffer, index));
        break;
      }
      case ON_NEXT_AVAILABLE_SESSION_ID: {
        const response = this.#nextSessionId.wrap(buffer, index);
        const correlationId = response.correlationId();
        if (inFlight.delete(correlationId)) listener.onNextAvailableSessionId(correlationId, response.nextSessionId());
        break;
      }
      default:
        break;
    }
  }
}
