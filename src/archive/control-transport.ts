/**
 * The few things the archive client needs from an Aeron client, as interfaces, so the archive protocol layer
 * can be tested in memory and wired to the real client with a thin adapter.
 *
 * ```
 *   AeronArchive ──offer──▶ ControlPublication  (exclusive publication, control request channel/stream)
 *   AeronArchive ◀──poll─── ControlSubscription (control response channel/stream, whole messages)
 *   AsyncConnect ──add───▶ ControlTransportFactory (async adds, correlation ids)
 * ```
 *
 * The real adapter puts a `ControlledFragmentAssembler` in front of the subscription's controlled poll, so the
 * handler always sees whole messages, and maps `ControlledAction` through unchanged.
 */
import { ControlledAction } from '../logbuffer/fragment-handler.ts';

export { ControlledAction };

/** `Publication.offer` sentinel results, as Java's. A positive result is the new stream position. */
export const OfferResult = {
  /** No subscriber is connected (Java `Publication.NOT_CONNECTED`). */
  NOT_CONNECTED: -1,
  /** The subscribers are behind: try again (Java `Publication.BACK_PRESSURED`). */
  BACK_PRESSURED: -2,
  /** An administrative action (a term rotation) is under way: try again (Java `Publication.ADMIN_ACTION`). */
  ADMIN_ACTION: -3,
  /** The publication is closed (Java `Publication.CLOSED`). */
  CLOSED: -4,
  /** The publication reached its maximum position (Java `Publication.MAX_POSITION_EXCEEDED`). */
  MAX_POSITION_EXCEEDED: -5,
} as const;

/** The control request publication (Java: an `ExclusivePublication`). */
export interface ControlPublication {
  /** Offers `buffer[offset, offset + length)` as one message: new position (> 0) or an {@link OfferResult}. */
  offer(buffer: Uint8Array, offset: number, length: number): number;
  /** True while the archive's subscription is connected to it. */
  isConnected(): boolean;
  /** Closes the publication. */
  close(): void;
}

/**
 * Called once per whole message; returns a {@link ControlledAction}: CONTINUE (consumed, go on), BREAK (consumed,
 * stop this poll), ABORT (not consumed: deliver it again on the next poll).
 */
export type ControlMessageHandler = (buffer: Uint8Array, offset: number, length: number) => ControlledAction;

/** The control response subscription. */
export interface ControlSubscription {
  /** Registration id (used for `response-correlation-id` when the response channel is `control-mode=response`). */
  readonly registrationId: number;
  /** Delivers up to `fragmentLimit` messages to `handler`; returns the number consumed. */
  controlledPoll(handler: ControlMessageHandler, fragmentLimit: number): number;
  /** True while the archive's response publication is connected to it (an image is available). */
  isConnected(): boolean;
  /**
   * The channel with an ephemeral `endpoint=host:0` port resolved (Java `tryResolveChannelEndpointPort`);
   * the channel itself when it has none, or null while the port is not yet known.
   */
  tryResolveChannelEndpointPort(): string | null;
  /** Closes the subscription. */
  close(): void;
}

/** An asynchronous add (Java `asyncAdd*` + `get*(registrationId)`). */
export interface PendingResource<T> {
  /** The resource once the driver has made it, else null. Throws the driver's error if the add failed. */
  poll(): T | null;
  /** Gives up on the add (Java `asyncRemove*`); closes the resource if it already exists. */
  cancel(): void;
}

/** What `AsyncConnect` needs from the Aeron client to open the control session's channels. */
export interface ControlTransportFactory {
  /** Starts adding the control response subscription (Java `aeron.asyncAddSubscription`). */
  addSubscription(channel: string, streamId: number): PendingResource<ControlSubscription>;
  /** Starts adding the control request publication (Java `aeron.asyncAddExclusivePublication`). */
  addExclusivePublication(channel: string, streamId: number): PendingResource<ControlPublication>;
  /** Java `aeron.nextCorrelationId()`: a fresh id from the driver's to-driver ring buffer counter. */
  nextCorrelationId(): number;
  /**
   * Java `aeron.nextSessionId(streamId)`: optional. When present and the response channel is not
   * `control-mode=response`, both control channels are pinned to `session-id=<this>` (as Java's Context does).
   */
  nextSessionId?(streamId: number): number;
}
