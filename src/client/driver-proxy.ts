/**
 * Writes client -> driver commands into the to-driver ring buffer (Java: `DriverProxy`).
 *
 * Each command takes a fresh correlation id from the ring's shared counter, claims exactly the record length
 * Java claims, encodes through a reused flyweight and commits. A full ring throws `BufferFullError`
 * (Java: "failed to write ... command"). Control path only.
 */

import {
  ADD_COUNTER,
  ADD_DESTINATION,
  ADD_EXCLUSIVE_PUBLICATION,
  ADD_PUBLICATION,
  ADD_RCV_DESTINATION,
  ADD_STATIC_COUNTER,
  ADD_SUBSCRIPTION,
  CLIENT_CLOSE,
  CLIENT_KEEPALIVE,
  GET_NEXT_AVAILABLE_SESSION_ID,
  REJECT_IMAGE,
  REMOVE_COUNTER,
  REMOVE_DESTINATION,
  REMOVE_DESTINATION_BY_ID,
  REMOVE_PUBLICATION,
  REMOVE_RCV_DESTINATION,
  REMOVE_SUBSCRIPTION,
  TERMINATE_DRIVER,
} from '../transport/control-protocol-events.ts';
import type { AtomicBuffer, ManyToOneRingBuffer } from '../transport/index.ts';
import { CORRELATED_MESSAGE_LENGTH, CorrelatedMessageFlyweight } from './command/correlated-message-flyweight.ts';
import { CounterMessageFlyweight, StaticCounterMessageFlyweight } from './command/counter-message-flyweight.ts';
import {
  DESTINATION_BY_ID_MESSAGE_LENGTH,
  DestinationByIdMessageFlyweight,
  DestinationMessageFlyweight,
} from './command/destination-message-flyweight.ts';
import {
  GET_NEXT_SESSION_ID_LENGTH,
  GetNextAvailableSessionIdMessageFlyweight,
} from './command/next-session-id-flyweights.ts';
import { PublicationMessageFlyweight } from './command/publication-message-flyweight.ts';
import { RejectImageFlyweight } from './command/reject-image-flyweight.ts';
import {
  REMOVE_MESSAGE_LENGTH,
  REMOVE_PUBLICATION_LENGTH,
  RemoveMessageFlyweight,
  RemovePublicationFlyweight,
} from './command/remove-message-flyweight.ts';
import { SubscriptionMessageFlyweight } from './command/subscription-message-flyweight.ts';
import { TerminateDriverFlyweight } from './command/terminate-driver-flyweight.ts';
import { BufferFullError } from './errors.ts';

const NULL_VALUE = -1;
const EMPTY = new Uint8Array(0);

/**
 * Encodes the client's commands into the to-driver ring buffer (see the module comment). Every command method returns
 * the correlation id the driver's answer will carry, and throws `BufferFullError` (`BUFFER_FULL`) when the ring has no
 * room, or `RingBufferError` (`MESSAGE_TOO_LONG`) for a command longer than the ring takes (e.g. a huge channel). Java:
 * `DriverProxy`.
 */
export class DriverProxy {
  /** Id of the client the commands are sent for. */
  readonly clientId: number;
  readonly #ring: ManyToOneRingBuffer;
  readonly #correlated = new CorrelatedMessageFlyweight();
  readonly #publication = new PublicationMessageFlyweight();
  readonly #subscription = new SubscriptionMessageFlyweight();
  readonly #remove = new RemoveMessageFlyweight();
  readonly #removePublication = new RemovePublicationFlyweight();
  readonly #destination = new DestinationMessageFlyweight();
  readonly #destinationById = new DestinationByIdMessageFlyweight();
  readonly #counter = new CounterMessageFlyweight();
  readonly #staticCounter = new StaticCounterMessageFlyweight();
  readonly #rejectImage = new RejectImageFlyweight();
  readonly #nextSessionId = new GetNextAvailableSessionIdMessageFlyweight();
  readonly #terminate = new TerminateDriverFlyweight();

  constructor(ring: ManyToOneRingBuffer, clientId: number) {
    this.#ring = ring;
    this.clientId = clientId;
  }

  /** Epoch ms of the driver's last heartbeat on the to-driver ring (-1 after a clean shutdown). */
  timeOfLastDriverKeepaliveMs(): number {
    return this.#ring.consumerHeartbeatTime();
  }

  /** ADD_PUBLICATION. Java: `DriverProxy.addPublication`. */
  addPublication(channel: string, streamId: number): number {
    return this.#addPublication(ADD_PUBLICATION, channel, streamId, 'add publication');
  }

  /** ADD_EXCLUSIVE_PUBLICATION. Java: `DriverProxy.addExclusivePublication`. */
  addExclusivePublication(channel: string, streamId: number): number {
    return this.#addPublication(ADD_EXCLUSIVE_PUBLICATION, channel, streamId, 'add exclusive publication');
  }

  /** REMOVE_PUBLICATION, with the revoke flag. Java: `DriverProxy.removePublication`. */
  removePublication(registrationId: number, revoke: boolean): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(REMOVE_PUBLICATION, REMOVE_PUBLICATION_LENGTH, 'remove publication');
    this.#removePublication
      .wrap(this.#ringBuffer(), index)
      .setRevoke(revoke)
      .setRegistrationId(registrationId)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  /** ADD_SUBSCRIPTION (registration correlation id -1). Java: `DriverProxy.addSubscription`. */
  addSubscription(channel: string, streamId: number): number {
    const correlationId = this.#ring.nextCorrelationId();
    const length = SubscriptionMessageFlyweight.computeLength(channel.length);
    const index = this.#claim(ADD_SUBSCRIPTION, length, 'add subscription');
    this.#subscription
      .wrap(this.#ringBuffer(), index)
      .setRegistrationCorrelationId(NULL_VALUE)
      .setStreamId(streamId)
      .setChannel(channel)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  /** REMOVE_SUBSCRIPTION. Java: `DriverProxy.removeSubscription`. */
  removeSubscription(registrationId: number): number {
    return this.#removeById(REMOVE_SUBSCRIPTION, registrationId, 'remove subscription');
  }

  /**
   * ADD_DESTINATION to publication `registrationId`; the returned correlation id is the destination's registration id.
   * Java: `DriverProxy.addDestination`.
   */
  addDestination(registrationId: number, endpointChannel: string): number {
    return this.#destinationCommand(ADD_DESTINATION, registrationId, endpointChannel, 'add destination');
  }

  /** REMOVE_DESTINATION from publication `registrationId`, by channel. Java: `DriverProxy.removeDestination`. */
  removeDestination(registrationId: number, endpointChannel: string): number {
    return this.#destinationCommand(REMOVE_DESTINATION, registrationId, endpointChannel, 'remove destination');
  }

  /** REMOVE_DESTINATION_BY_ID. Java: `DriverProxy.removeDestination(long, long)`. */
  removeDestinationById(publicationRegistrationId: number, destinationRegistrationId: number): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(REMOVE_DESTINATION_BY_ID, DESTINATION_BY_ID_MESSAGE_LENGTH, 'remove destination');
    this.#destinationById
      .wrap(this.#ringBuffer(), index)
      .setResourceRegistrationId(publicationRegistrationId)
      .setDestinationRegistrationId(destinationRegistrationId)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  /** ADD_RCV_DESTINATION to subscription `registrationId`. Java: `DriverProxy.addRcvDestination`. */
  addRcvDestination(registrationId: number, endpointChannel: string): number {
    return this.#destinationCommand(ADD_RCV_DESTINATION, registrationId, endpointChannel, 'add rcv destination');
  }

  /** REMOVE_RCV_DESTINATION from subscription `registrationId`. Java: `DriverProxy.removeRcvDestination`. */
  removeRcvDestination(registrationId: number, endpointChannel: string): number {
    return this.#destinationCommand(REMOVE_RCV_DESTINATION, registrationId, endpointChannel, 'remove rcv destination');
  }

  /** ADD_COUNTER; the correlation id becomes the counter's registration id. */
  addCounter(typeId: number, label: string, key: Uint8Array = EMPTY): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(
      ADD_COUNTER,
      CounterMessageFlyweight.computeLength(key.length, label.length),
      'add counter',
    );
    this.#counter
      .wrap(this.#ringBuffer(), index)
      .setKey(key)
      .setLabel(label)
      .setTypeId(typeId)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  /** REMOVE_COUNTER. Java: `DriverProxy.removeCounter`. */
  removeCounter(registrationId: number): number {
    return this.#removeById(REMOVE_COUNTER, registrationId, 'remove counter');
  }

  /** ADD_STATIC_COUNTER: a counter keyed by (typeId, registrationId) that outlives this client. */
  addStaticCounter(typeId: number, label: string, registrationId: number, key: Uint8Array = EMPTY): number {
    const correlationId = this.#ring.nextCorrelationId();
    const length = StaticCounterMessageFlyweight.computeLength(key.length, label.length);
    const index = this.#claim(ADD_STATIC_COUNTER, length, 'add counter');
    this.#staticCounter
      .wrap(this.#ringBuffer(), index)
      .setKey(key)
      .setLabel(label)
      .setTypeId(typeId)
      .setRegistrationId(registrationId)
      .setCorrelationId(correlationId)
      .setClientId(this.clientId);
    this.#ring.commit(index);
    return correlationId;
  }

  /**
   * REJECT_IMAGE of the image with `imageCorrelationId` at `position`, with a reason. Java: `DriverProxy.rejectImage`.
   */
  rejectImage(imageCorrelationId: number, position: number, reason: string): number {
    const index = this.#claim(REJECT_IMAGE, RejectImageFlyweight.computeLength(reason), 'reject image');
    const correlationId = this.#ring.nextCorrelationId();
    this.#rejectImage
      .wrap(this.#ringBuffer(), index)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId)
      .setImageCorrelationId(imageCorrelationId)
      .setPosition(position)
      .setReason(reason);
    this.#ring.commit(index);
    return correlationId;
  }

  /** GET_NEXT_AVAILABLE_SESSION_ID for `streamId`. Java: `DriverProxy.nextAvailableSessionId`. */
  nextAvailableSessionId(streamId: number): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(GET_NEXT_AVAILABLE_SESSION_ID, GET_NEXT_SESSION_ID_LENGTH, 'next session id');
    this.#nextSessionId
      .wrap(this.#ringBuffer(), index)
      .setStreamId(streamId)
      .setCorrelationId(correlationId)
      .setClientId(this.clientId);
    this.#ring.commit(index);
    return correlationId;
  }

  /** Legacy CLIENT_KEEPALIVE (current clients write their heartbeat counter instead). False if the ring is full. */
  clientKeepalive(): boolean {
    return this.#bareCommand(CLIENT_KEEPALIVE, this.#ring.nextCorrelationId());
  }

  /** CLIENT_CLOSE (correlation id -1). Best effort: false if the ring is full. */
  clientClose(): boolean {
    return this.#bareCommand(CLIENT_CLOSE, NULL_VALUE);
  }

  /** TERMINATE_DRIVER with a token (correlation id -1). False if the ring is full. */
  terminateDriver(token: Uint8Array = EMPTY): boolean {
    const index = this.#ring.tryClaim(TERMINATE_DRIVER, TerminateDriverFlyweight.computeLength(token.length));
    if (index < 0) return false;
    this.#terminate
      .wrap(this.#ringBuffer(), index)
      .setToken(token)
      .setClientId(this.clientId)
      .setCorrelationId(NULL_VALUE);
    this.#ring.commit(index);
    return true;
  }

  #ringBuffer(): AtomicBuffer {
    return this.#ring.buffer;
  }

  #claim(msgTypeId: number, length: number, what: string): number {
    const index = this.#ring.tryClaim(msgTypeId, length);
    if (index < 0) throw new BufferFullError(`failed to write ${what} command`);
    return index;
  }

  #bareCommand(msgTypeId: number, correlationId: number): boolean {
    const index = this.#ring.tryClaim(msgTypeId, CORRELATED_MESSAGE_LENGTH);
    if (index < 0) return false;
    this.#correlated.wrap(this.#ringBuffer(), index).setClientId(this.clientId).setCorrelationId(correlationId);
    this.#ring.commit(index);
    return true;
  }

  #addPublication(msgTypeId: number, channel: string, streamId: number, what: string): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(msgTypeId, PublicationMessageFlyweight.computeLength(channel.length), what);
    this.#publication
      .wrap(this.#ringBuffer(), index)
      .setStreamId(streamId)
      .setChannel(channel)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  #removeById(msgTypeId: number, registrationId: number, what: string): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(msgTypeId, REMOVE_MESSAGE_LENGTH, what);
    this.#remove
      .wrap(this.#ringBuffer(), index)
      .setRegistrationId(registrationId)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }

  #destinationCommand(msgTypeId: number, registrationId: number, channel: string, what: string): number {
    const correlationId = this.#ring.nextCorrelationId();
    const index = this.#claim(msgTypeId, DestinationMessageFlyweight.computeLength(channel.length), what);
    this.#destination
      .wrap(this.#ringBuffer(), index)
      .setRegistrationCorrelationId(registrationId)
      .setChannel(channel)
      .setClientId(this.clientId)
      .setCorrelationId(correlationId);
    this.#ring.commit(index);
    return correlationId;
  }
}
