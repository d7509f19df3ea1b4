/**
 * The archive's control channels over a real {@link Aeron} client: the {@link ControlTransportFactory} that
 * `AsyncConnect` and `AeronArchive` use outside unit tests.
 *
 * ```
 *   addExclusivePublication ─▶ aeron.asyncAddExclusivePublication ─▶ PendingResource ─▶ ControlPublication
 *   addSubscription         ─▶ aeron.asyncAddSubscription          ─▶ PendingResource ─▶ ControlSubscription
 *                                                     controlledPoll: ControlledFragmentAssembler ─▶ handler
 * ```
 *
 * The handler always sees whole messages (the assembler rebuilds fragmented ones) as `Uint8Array` windows of
 * the term buffer or of the assembler's builder; the `ControlledAction` it returns goes to the image unchanged.
 */

import { IllegalStateError } from '../../codecs/runtime/aeron-error.ts';
import type { Aeron } from '../client/aeron.ts';
import { ChannelUri, ENDPOINT_PARAM_NAME, MDC_CONTROL_MODE_PARAM_NAME } from '../client/channel-uri.ts';
import { ErrorCode } from '../client/error-codes.ts';
import { RegistrationError } from '../client/errors.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import type { Subscription } from '../client/subscription.ts';
import { ControlledFragmentAssembler } from '../logbuffer/controlled-fragment-assembler.ts';
import { ControlledAction, type ControlledFragmentHandler } from '../logbuffer/fragment-handler.ts';
import type { ReadableBuffer } from '../logbuffer/log-buffer-memory.ts';
import type {
  ControlMessageHandler,
  ControlPublication,
  ControlSubscription,
  ControlTransportFactory,
  PendingResource,
} from './control-transport.ts';

/** Both buffer kinds the client hands to fragment handlers (mapped `AtomicBuffer`, heap `HeapBuffer`) expose `bytes`. */
function bytesOf(buffer: ReadableBuffer): Uint8Array {
  const bytes = (buffer as { readonly bytes?: unknown }).bytes;
  if (bytes instanceof Uint8Array) return bytes;
  throw new IllegalStateError('fragment buffer exposes no bytes view');
}

/** Java `Subscription.tryResolveChannelEndpointPort`. */
export function resolveChannelEndpointPort(channel: string, localAddresses: () => readonly string[]): string | null {
  const uri = ChannelUri.parse(channel);
  const endpoint = uri.get(ENDPOINT_PARAM_NAME);
  if (endpoint === undefined || !endpoint.endsWith(':0') || uri.get(MDC_CONTROL_MODE_PARAM_NAME) === 'manual') {
    return channel;
  }
  const resolved = localAddresses()[0];
  if (resolved === undefined) return null;
  uri.replaceEndpointWildcardPort(resolved);
  return uri.toString();
}

/** A {@link ControlPublication} over an Aeron `ExclusivePublication`: each call passes straight through. */
export class AeronControlPublication implements ControlPublication {
  /** @param publication the exclusive publication on the control request channel. */
  constructor(readonly publication: ExclusivePublication) {}

  /** `ExclusivePublication.offer`: the new position, or a negative {@link OfferResult} sentinel. */
  offer(buffer: Uint8Array, offset: number, length: number): number {
    return this.publication.offer(buffer, offset, length);
  }

  /** `ExclusivePublication.isConnected`. */
  isConnected(): boolean {
    return this.publication.isConnected();
  }

  /** Closes the publication (`ExclusivePublication.close`). */
  close(): void {
    this.publication.close();
  }
}

/**
 * A {@link ControlSubscription} over an Aeron `Subscription`: whole messages through a
 * `ControlledFragmentAssembler` (module comment).
 */
export class AeronControlSubscription implements ControlSubscription {
  #handler: ControlMessageHandler | null = null;
  readonly #assembler: ControlledFragmentAssembler;
  #resolvedChannel: string | null = null;

  readonly #channel: string;

  /**
   * @param subscription the subscription on the control response channel.
   * @param channel the channel it was added with (for `tryResolveChannelEndpointPort`).
   */
  constructor(
    readonly subscription: Subscription,
    channel: string,
  ) {
    this.#channel = channel;
    const delegate: ControlledFragmentHandler = (buffer, offset, length) => {
      const handler = this.#handler;
      return handler === null ? ControlledAction.ABORT : handler(bytesOf(buffer), offset, length);
    };
    this.#assembler = new ControlledFragmentAssembler(delegate);
  }

  /** The subscription's registration id. */
  get registrationId(): number {
    return this.subscription.registrationId;
  }

  /**
   * `Subscription.controlledPoll` through the assembler: up to `fragmentLimit` fragments, whole messages to
   * `handler`; returns the fragments consumed.
   */
  controlledPoll(handler: ControlMessageHandler, fragmentLimit: number): number {
    this.#handler = handler;
    try {
      return this.subscription.controlledPoll(this.#assembler.onFragment, fragmentLimit);
    } finally {
      this.#handler = null;
    }
  }

  /** `Subscription.isConnected`. */
  isConnected(): boolean {
    return this.subscription.isConnected();
  }

  /**
   * Java `Subscription.tryResolveChannelEndpointPort` ({@link resolveChannelEndpointPort} over the subscription's
   * bound addresses); the answer is kept once known.
   */
  tryResolveChannelEndpointPort(): string | null {
    if (this.#resolvedChannel === null) {
      this.#resolvedChannel = resolveChannelEndpointPort(this.#channel, () => this.subscription.localSocketAddresses());
    }
    return this.#resolvedChannel;
  }

  /** Closes the subscription (`Subscription.close`). */
  close(): void {
    this.subscription.close();
  }
}

/**
 * {@link ControlTransportFactory} over an Aeron client. `sessionId`, when given, is what `nextSessionId` answers
 * (Java asks the driver synchronously; the connect asks it first and then makes this transport with the answer).
 */
export class AeronControlTransport implements ControlTransportFactory {
  /** Answers the `sessionId` given to the constructor; absent when none was given. */
  readonly nextSessionId?: (streamId: number) => number;

  /**
   * @param aeron the client the channels are added on.
   * @param sessionId the session id to pin the control channels to (from `aeron.nextSessionId`), if any.
   */
  constructor(
    readonly aeron: Aeron,
    sessionId?: number,
  ) {
    if (sessionId !== undefined) this.nextSessionId = () => sessionId;
  }

  /**
   * `aeron.asyncAddSubscription`, polled with `getSubscription`: a RESOURCE_TEMPORARILY_UNAVAILABLE refusal is
   * added again, any other registration error is thrown by `poll()` (`RegistrationError`).
   */
  addSubscription(channel: string, streamId: number): PendingResource<ControlSubscription> {
    const aeron = this.aeron;
    let id = aeron.asyncAddSubscription(channel, streamId, null, null);
    let result: AeronControlSubscription | null = null;
    return {
      poll: () => {
        if (result === null) {
          const subscription = retryIfTemporarilyUnavailable(() => aeron.getSubscription(id));
          if (subscription === RETRY) id = aeron.asyncAddSubscription(channel, streamId, null, null);
          else if (subscription !== null) result = new AeronControlSubscription(subscription, channel);
        }
        return result;
      },
      cancel: () => {
        if (result !== null) result.close();
        else aeron.removeSubscription(id).catch(ignore);
      },
    };
  }

  /** `aeron.asyncAddExclusivePublication`, polled with `getExclusivePublication`; refusals as `addSubscription`. */
  addExclusivePublication(channel: string, streamId: number): PendingResource<ControlPublication> {
    const aeron = this.aeron;
    let id = aeron.asyncAddExclusivePublication(channel, streamId);
    let result: AeronControlPublication | null = null;
    return {
      poll: () => {
        if (result === null) {
          const publication = retryIfTemporarilyUnavailable(() => aeron.getExclusivePublication(id));
          if (publication === RETRY) id = aeron.asyncAddExclusivePublication(channel, streamId);
          else if (publication !== null) result = new AeronControlPublication(publication);
        }
        return result;
      },
      cancel: () => {
        if (result !== null) result.close();
        else aeron.removePublication(id).catch(ignore);
      },
    };
  }

  /** `aeron.nextCorrelationId()`. */
  nextCorrelationId(): number {
    return this.aeron.nextCorrelationId();
  }
}

const ignore = (): void => {};

const RETRY: unique symbol = Symbol('retry');

/**
 * Java `AsyncConnect.awaitSubscription` / `awaitPublication`: a registration the driver refused with
 * RESOURCE_TEMPORARILY_UNAVAILABLE is added again (RETRY); any other registration error is thrown.
 */
function retryIfTemporarilyUnavailable<T>(get: () => T): T | typeof RETRY {
  try {
    return get();
  } catch (error) {
    if (error instanceof RegistrationError && error.errorCode === ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE) {
      return RETRY;
    }
    throw error;
  }
}
