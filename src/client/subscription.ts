/**
 * A subscription to a channel and stream (Java: `Subscription`): the set of images (one per publishing
 * session) the driver has connected to it, polled round robin.
 *
 * ```
 *  images (copy-on-write array, replaced on add/remove):  [ img0 | img1 | img2 ]
 *  poll #n starts at index n mod length, wraps around, stops at fragmentLimit
 * ```
 *
 * Images arrive and leave through the conductor (`addImage` / `removeImage`, see `conductor-contract.ts`),
 * which also calls the available/unavailable image handlers. Which images a subscription gets (session-id
 * filtering `|session-id=N`, spies `aeron-spy:`) is decided by the driver, not here.
 *
 * `for await (const message of subscription)` iterates reassembled message copies (`message-iterator.ts`);
 * use `poll` with a handler for the allocation-free path.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { ControlledFragmentHandler, FragmentHandler } from '../logbuffer/index.ts';
import type { CountersReader } from '../transport/index.ts';
import type { AbortableOptions } from './abort.ts';
import { AeronClosedError, UnknownAeronError } from './errors.ts';
import type { AvailableImageHandler, BlockHandler, Image, RawBlockHandler, UnavailableImageHandler } from './image.ts';
import type { MessageIteratorOptions, SubscriptionMessage } from './message-iterator.ts';
import { subscriptionMessages } from './message-iterator.ts';
import { type PollGuard, pollGuardOf, reentrantPollError } from './poll-guard.ts';
import { CHANNEL_STATUS_NO_ID_ALLOCATED } from './publication.ts';

const EMPTY_IMAGES: readonly Image[] = Object.freeze([]);
const SPY_PREFIX = 'aeron-spy:';

/** What a subscription and its images need from the client conductor (part of `ClientConductorContract`). */
export interface SubscriptionConductor {
  /** The CnC counters: subscriber positions live in its `valuesBuffer`. */
  readonly countersReader: CountersReader;
  /** Subscription.close(): REMOVE_SUBSCRIPTION, `subscription.internalClose()`, release its images. */
  releaseSubscription(subscription: Subscription): void;
  /**
   * Value of a channel status indicator counter (ChannelEndpointStatus: 0 INITIALIZING, −1 ERRORED, 1 ACTIVE, 2
   * CLOSING).
   */
  channelStatus(channelStatusId: number): number;
  /** Bound local socket addresses (`host:port`) of an ACTIVE channel, from its local-socket-address counters. */
  localSocketAddresses(channelStatusId: number): string[];
  /** ADD_RCV_DESTINATION for a multi-destination subscription. */
  addRcvDestination(
    subscriptionRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void>;
  /** REMOVE_RCV_DESTINATION. */
  removeRcvDestination(
    subscriptionRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void>;
  /** REJECT_IMAGE (Image.reject). */
  rejectImage(imageCorrelationId: number, position: number, reason: string, options?: AbortableOptions): Promise<void>;
}

/** Constructor parameters of `Subscription`. */
export interface SubscriptionParams {
  /** The conductor the subscription closes through. */
  readonly conductor: SubscriptionConductor;
  /** Channel URI as given to the add. */
  readonly channel: string;
  /** Stream id. */
  readonly streamId: number;
  /** The correlation id of ADD_SUBSCRIPTION. */
  readonly registrationId: number;
  /** Called after an image joins (null or absent: none). */
  readonly availableImageHandler?: AvailableImageHandler | null;
  /** Called after an image leaves (null or absent: none). */
  readonly unavailableImageHandler?: UnavailableImageHandler | null;
}

/**
 * A subscription to a channel and stream: poll it for the fragments of every image (one per publishing session), or
 * iterate it with `for await` for message copies (see the module comment). Made by `Aeron.addSubscription`; close it
 * with `close()` (or `using`). Java: `Subscription`.
 *
 * ```ts
 * const subscription = await aeron.addSubscription('aeron:ipc', 10);
 * const assembler = new FragmentAssembler((buffer, offset, length, header) => { ... });
 * subscription.poll(assembler.onFragment, 10);
 * ```
 */
export class Subscription implements Disposable, AsyncIterable<SubscriptionMessage> {
  /** The client conductor the subscription closes and adds destinations through. */
  readonly conductor: SubscriptionConductor;
  /** Channel URI as given to the add. Java: `Subscription.channel`. */
  readonly channel: string;
  /** Stream id. Java: `Subscription.streamId`. */
  readonly streamId: number;
  /** The correlation id of ADD_SUBSCRIPTION. */
  readonly registrationId: number;
  /** Called after an image joins (null: none). Java: `Subscription.availableImageHandler`. */
  readonly availableImageHandler: AvailableImageHandler | null;
  /** Called after an image leaves, closed by then (null: none). Java: `Subscription.unavailableImageHandler`. */
  readonly unavailableImageHandler: UnavailableImageHandler | null;

  #images: readonly Image[] = EMPTY_IMAGES;
  #roundRobinIndex = 0;
  #closed = false;
  #channelStatusId = CHANNEL_STATUS_NO_ID_ALLOCATED;
  /** Shared with the images: set while any of them runs a poll's handler (see `poll-guard.ts`). */
  readonly #pollGuard: PollGuard = pollGuardOf(this);

  constructor(params: SubscriptionParams) {
    this.conductor = params.conductor;
    this.channel = params.channel;
    this.streamId = params.streamId;
    this.registrationId = params.registrationId;
    this.availableImageHandler = params.availableImageHandler ?? null;
    this.unavailableImageHandler = params.unavailableImageHandler ?? null;
  }

  /**
   * Polls the images round robin for up to `fragmentLimit` fragments in total; returns how many were
   * delivered. Fragments arrive as written: wrap `handler` in a `FragmentAssembler` for whole messages.
   *
   * @throws ReentrantPollError when called from inside a handler of a poll of this subscription or of one of
   *   its images (nothing is read then, and the outer poll goes on).
   */
  poll(handler: FragmentHandler, fragmentLimit: number): number {
    if (this.#pollGuard.active) throw this.#reentrant('Subscription.poll');
    const images = this.#images;
    const length = images.length;
    const startingIndex = this.#nextStartingIndex(length);
    let fragmentsRead = 0;
    for (let i = startingIndex; i < length && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.poll(handler, fragmentLimit - fragmentsRead);
    }
    for (let i = 0; i < startingIndex && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.poll(handler, fragmentLimit - fragmentsRead);
    }
    return fragmentsRead;
  }

  /**
   * Round-robin `Image.controlledPoll` over the images.
   *
   * @throws ReentrantPollError as `poll`.
   */
  controlledPoll(handler: ControlledFragmentHandler, fragmentLimit: number): number {
    if (this.#pollGuard.active) throw this.#reentrant('Subscription.controlledPoll');
    const images = this.#images;
    const length = images.length;
    const startingIndex = this.#nextStartingIndex(length);
    let fragmentsRead = 0;
    for (let i = startingIndex; i < length && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.controlledPoll(handler, fragmentLimit - fragmentsRead);
    }
    for (let i = 0; i < startingIndex && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.controlledPoll(handler, fragmentLimit - fragmentsRead);
    }
    return fragmentsRead;
  }

  /**
   * `Image.blockPoll` on every image; returns the total bytes consumed.
   *
   * @throws ReentrantPollError as `poll`.
   */
  blockPoll(handler: BlockHandler, blockLengthLimit: number): number {
    if (this.#pollGuard.active) throw this.#reentrant('Subscription.blockPoll');
    const images = this.#images;
    let bytesConsumed = 0;
    for (let i = 0; i < images.length; i++) bytesConsumed += images[i]!.blockPoll(handler, blockLengthLimit);
    return bytesConsumed;
  }

  /**
   * `Image.rawPoll` on every image; returns the total bytes consumed.
   *
   * @throws ReentrantPollError as `poll`.
   */
  rawPoll(handler: RawBlockHandler, blockLengthLimit: number): number {
    if (this.#pollGuard.active) throw this.#reentrant('Subscription.rawPoll');
    const images = this.#images;
    let bytesConsumed = 0;
    for (let i = 0; i < images.length; i++) bytesConsumed += images[i]!.rawPoll(handler, blockLengthLimit);
    return bytesConsumed;
  }

  /** The image a round-robin poll starts at (the next one each poll; Java `Subscription.roundRobinIndex`). */
  #nextStartingIndex(length: number): number {
    let startingIndex = this.#roundRobinIndex++;
    if (startingIndex >= length) this.#roundRobinIndex = startingIndex = 0;
    return startingIndex;
  }

  #reentrant(what: string): Error {
    return reentrantPollError(what, this.registrationId, this.streamId);
  }

  /** Whether at least one open image is connected. */
  isConnected(): boolean {
    const images = this.#images;
    for (let i = 0; i < images.length; i++) if (!images[i]!.isClosed) return true;
    return false;
  }

  /** Whether the subscription has no image. Java: `Subscription.hasNoImages`. */
  get hasNoImages(): boolean {
    return this.#images.length === 0;
  }

  /** Number of images. Java: `Subscription.imageCount`. */
  get imageCount(): number {
    return this.#images.length;
  }

  /** A snapshot of the current images (the array is never mutated; later changes replace it). */
  get images(): readonly Image[] {
    return this.#images;
  }

  /** The image of session `sessionId`, or null. Java: `Subscription.imageBySessionId`. */
  imageBySessionId(sessionId: number): Image | null {
    const images = this.#images;
    for (let i = 0; i < images.length; i++) if (images[i]!.sessionId === sessionId) return images[i]!;
    return null;
  }

  /**
   * The image at `index` of `images`. Java: `Subscription.imageAtIndex`.
   *
   * @throws InvalidArgumentError `INVALID_ARGUMENT` when there is no image at `index`.
   */
  imageAtIndex(index: number): Image {
    const image = this.#images[index];
    if (image === undefined)
      throw new InvalidArgumentError(`no image at index ${index} (count=${this.#images.length})`);
    return image;
  }

  /** Calls `consumer` with each current image. Java: `Subscription.forEachImage`. */
  forEachImage(consumer: (image: Image) => void): void {
    const images = this.#images;
    for (let i = 0; i < images.length; i++) consumer(images[i]!);
  }

  /**
   * Whether the subscription is closed (by `close()`, `Aeron.removeSubscription` or the client closing). Java:
   * `Subscription.isClosed`.
   */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Counter id of the channel status indicator (−1 until ON_SUBSCRIPTION_READY, and for IPC). */
  get channelStatusId(): number {
    return this.#channelStatusId;
  }

  /** Channel status indicator value (1 ACTIVE, 0 INITIALIZING, −1 ERRORED, 2 CLOSING), or −1 once closed. */
  channelStatus(): number {
    return this.#closed ? CHANNEL_STATUS_NO_ID_ALLOCATED : this.conductor.channelStatus(this.#channelStatusId);
  }

  /** Bound local socket addresses (`host:port`) of an ACTIVE channel; empty otherwise. */
  localSocketAddresses(): string[] {
    if (this.#closed) return [];
    return this.conductor.localSocketAddresses(this.#channelStatusId);
  }

  /**
   * Adds a destination to a multi-destination subscription (ADD_RCV_DESTINATION); resolves on the driver's OK.
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); if the driver then adds the destination, it
   *   is removed again (REMOVE_RCV_DESTINATION).
   */
  addDestination(endpointChannel: string, options?: AbortableOptions): Promise<void> {
    if (this.#closed) return Promise.reject(new AeronClosedError('Subscription is closed'));
    return this.conductor.addRcvDestination(this.registrationId, endpointChannel, options);
  }

  /**
   * Removes a destination (REMOVE_RCV_DESTINATION).
   *
   * @param options `signal` aborts the wait (`AeronAbortedError`); the driver still carries out the removal.
   */
  removeDestination(endpointChannel: string, options?: AbortableOptions): Promise<void> {
    if (this.#closed) return Promise.reject(new AeronClosedError('Subscription is closed'));
    return this.conductor.removeRcvDestination(this.registrationId, endpointChannel, options);
  }

  /** Releases the subscription (REMOVE_SUBSCRIPTION through the conductor). Idempotent. */
  close(): void {
    if (!this.#closed) this.conductor.releaseSubscription(this);
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Reassembled message copies until the subscription closes (see `message-iterator.ts`). */
  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return subscriptionMessages(this);
  }

  /** Like `for await (... of subscription)`, with options (abort signal, poll sizes). */
  messages(options?: MessageIteratorOptions): AsyncIterableIterator<SubscriptionMessage> {
    return subscriptionMessages(this, options);
  }

  // ---- conductor side ------------------------------------------------------------------------------------

  /** Conductor only: set from ON_SUBSCRIPTION_READY. */
  setChannelStatusId(id: number): void {
    this.#channelStatusId = id;
  }

  /** Conductor only: adds an image (ON_AVAILABLE_IMAGE); the conductor then calls `availableImageHandler`. */
  addImage(image: Image): void {
    this.#images = [...this.#images, image];
  }

  /**
   * Conductor only (ON_UNAVAILABLE_IMAGE): closes and removes the image with this correlation id and
   * returns it, or `null`. The conductor then releases its log buffers and calls `unavailableImageHandler`.
   */
  removeImage(correlationId: number): Image | null {
    const images = this.#images;
    const index = images.findIndex((image) => image.correlationId === correlationId);
    if (index < 0) return null;
    const removed = images[index]!;
    removed.close();
    this.#images = images.length === 1 ? EMPTY_IMAGES : images.filter((_, i) => i !== index);
    return removed;
  }

  /**
   * Conductor only (close of the subscription or of the client): marks the subscription closed, closes every
   * image and returns them, for the conductor to release their log buffers and call `unavailableImageHandler`.
   */
  internalClose(): readonly Image[] {
    const images = this.#images;
    this.#images = EMPTY_IMAGES;
    this.#closed = true;
    for (const image of images) image.close();
    return images;
  }

  /** Image.reject: spies can not reject. */
  rejectImage(imageCorrelationId: number, position: number, reason: string, options?: AbortableOptions): Promise<void> {
    if (this.channel.startsWith(SPY_PREFIX)) {
      return Promise.reject(new UnknownAeronError('spies can not reject images'));
    }
    return this.conductor.rejectImage(imageCorrelationId, position, reason, options);
  }
}
