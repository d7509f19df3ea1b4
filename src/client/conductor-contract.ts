/**
 * The seam between the data plane (publications, subscriptions, images: this directory's
 * `*-publication.ts`, `subscription.ts`, `image.ts`) and the client conductor (`client-conductor.ts`).
 *
 * The data-plane objects never talk to the driver themselves: closing, destinations, image rejection and
 * channel status go through `ClientConductorContract`, which the `ClientConductor` implements. The
 * conductor in turn builds the data-plane objects from the driver's responses with the parameter objects
 * below (1.51.0 `ClientConductor.onNewPublication` / `onAvailableImage` / `onNewSubscription`).
 *
 * ## Driver responses → constructor parameters (1.51.0 `command/*Flyweight`)
 *
 * ```
 *  ON_PUBLICATION_READY / ON_EXCLUSIVE_PUBLICATION_READY (PublicationBuffersReadyFlyweight)
 *    +0  int64 correlationId            → PublicationParams.registrationId
 *    +8  int64 registrationId           → PublicationParams.originalRegistrationId
 *    +16 int32 sessionId                → sessionId
 *    +20 int32 streamId                 → streamId
 *    +24 int32 publicationLimitCounterId → positionLimitCounterId
 *    +28 int32 channelStatusIndicatorId → channelStatusId
 *    +32 int32 logFileName length, +36 ASCII → LogBuffers.map(logFileName)
 *
 *  ON_SUBSCRIPTION_READY (SubscriptionReadyFlyweight)
 *    +0  int64 correlationId            (= the subscription's registrationId)
 *    +8  int32 channelStatusIndicatorId → subscription.setChannelStatusId(id)
 *
 *  ON_AVAILABLE_IMAGE (ImageBuffersReadyFlyweight)
 *    +0  int64 correlationId            → ImageParams.correlationId
 *    +8  int32 sessionId                → sessionId
 *    +12 int32 streamId
 *    +16 int64 subscriptionRegistrationId → which Subscription (ImageParams.subscription)
 *    +24 int32 subscriberPositionId     → subscriberPositionCounterId
 *    +28 int32 logFileName length, ASCII; then int32 sourceIdentity length, ASCII
 *
 *  ON_UNAVAILABLE_IMAGE: correlationId + subscriptionRegistrationId → subscription.removeImage(correlationId)
 * ```
 *
 * ## Who does what
 *
 * - The conductor maps log buffers (`LogBuffers.map(path)`), shares one `LogBuffers` between publications
 *   with the same registration id (`incRef`/`decRef`), and lingers a released `LogBuffers` (the driver's
 *   `aeron.client.resource.linger.duration`, `lingerDeadlineNs`) before `close()`-ing it. Closing early is
 *   memory safe (stale views read zeros, see `MappedFile`), lingering avoids a consumer mid-poll seeing zeros.
 * - `publication.close()` → `conductor.releasePublication(p)`: the conductor sends REMOVE_PUBLICATION
 *   (with `p.revokeOnClose`), calls `p.internalClose()` and releases the log buffers.
 * - `subscription.close()` → `conductor.releaseSubscription(s)`: the conductor sends REMOVE_SUBSCRIPTION and
 *   calls `s.internalClose()`, which closes (snapshots) every image and returns them; for each the conductor
 *   releases its log buffers and calls `s.unavailableImageHandler`.
 * - ON_AVAILABLE_IMAGE: the conductor constructs `new Image(params)`, calls `subscription.addImage(image)`,
 *   then `subscription.availableImageHandler?.(image)` (handler errors → the client error handler).
 *   ON_UNAVAILABLE_IMAGE: `subscription.removeImage(correlationId)` closes and removes the image and returns
 *   it (or `null`); the conductor releases its log buffers and calls `unavailableImageHandler`.
 * - Client close: the conductor calls `internalClose()` on every live publication and subscription (and
 *   handles the returned images as above), so every later offer returns CLOSED and every poll returns 0.
 *
 * Session-id subscriptions (`aeron:udp?...|session-id=N`) and spies (`aeron-spy:` prefix) are filtered by
 * the driver: it only sends ON_AVAILABLE_IMAGE for matching images, so the data plane has nothing to do.
 */
import type { CountersReader } from '../transport/index.ts';
import type { AbortableOptions } from './abort.ts';
import type { Image } from './image.ts';
import type { LogBuffers } from './log-buffers.ts';
import type { Publication } from './publication.ts';
import type { Subscription } from './subscription.ts';

/** Receives errors the data plane catches (e.g. a fragment handler that throws during `poll`). */
export type ErrorHandler = (error: unknown) => void;

/** Called (by the conductor) after an image joined a subscription. */
export type AvailableImageHandler = (image: Image) => void;
/** Called (by the conductor) after an image left a subscription (it is closed by then). */
export type UnavailableImageHandler = (image: Image) => void;

/**
 * A publication error frame reported by the driver (ON_PUBLICATION_ERROR, 1.51.0
 * `status/PublicationErrorFrame`). The conductor passes a new object per frame to the context's
 * `onPublicationError` (Java's `publicationErrorFrameHandler`, accepted under both names).
 */
export interface PublicationErrorFrame {
  /** Registration id of the publication the error frame was sent for. */
  registrationId: number;
  /** Session id of the publication. */
  sessionId: number;
  /** Stream id of the publication. */
  streamId: number;
  /** Id of the receiver that sent the error frame. */
  receiverId: number;
  /** Registration id of the destination (multi-destination cast), or −1. */
  destinationRegistrationId: number;
  /** Group tag of that receiver. */
  groupTag: number;
  /** Error code of the frame (an `ErrorCode` value, e.g. 13 IMAGE_REJECTED). */
  errorCode: number;
  /** Error message of the frame. */
  errorMessage: string;
  /** `host:port` of the receiver that sent the error frame, or `null` when unknown. */
  sourceAddress: string | null;
}
/**
 * Receives the error frames receivers sent to this client's publications. Java:
 * `PublicationErrorFrameHandler.onPublicationError`.
 */
export type PublicationErrorFrameHandler = (frame: PublicationErrorFrame) => void;

/** What the data-plane objects need from the client conductor. */
export interface ClientConductorContract {
  /** The CnC counters: publication limits and subscriber positions live in its `valuesBuffer`. */
  readonly countersReader: CountersReader;

  /** Publication.close(): REMOVE_PUBLICATION, `publication.internalClose()`, release its log buffers. */
  releasePublication(publication: Publication): void;
  /** Subscription.close(): REMOVE_SUBSCRIPTION, `subscription.internalClose()`, release its images. */
  releaseSubscription(subscription: Subscription): void;

  /**
   * Value of a channel status indicator counter (ChannelEndpointStatus: 0 INITIALIZING, −1 ERRORED, 1 ACTIVE, 2
   * CLOSING).
   */
  channelStatus(channelStatusId: number): number;
  /** Bound local socket addresses (`host:port`) of an ACTIVE channel, from its local-socket-address counters. */
  localSocketAddresses(channelStatusId: number): string[];

  /** ADD_DESTINATION for a (multi-destination) publication; resolves on the driver's OK. */
  addDestination(publicationRegistrationId: number, endpointChannel: string, options?: AbortableOptions): Promise<void>;
  /** REMOVE_DESTINATION by channel. */
  removeDestination(
    publicationRegistrationId: number,
    endpointChannel: string,
    options?: AbortableOptions,
  ): Promise<void>;
  /** REMOVE_DESTINATION_BY_ID. */
  removeDestinationById(
    publicationRegistrationId: number,
    destinationRegistrationId: number,
    options?: AbortableOptions,
  ): Promise<void>;
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

/** Constructor parameters of `ConcurrentPublication` and `ExclusivePublication`. */
export interface PublicationParams {
  /** The conductor the publication closes through. */
  readonly conductor: ClientConductorContract;
  /** Channel URI as given to the add. */
  readonly channel: string;
  /** Stream id. */
  readonly streamId: number;
  /** Session id the driver assigned. */
  readonly sessionId: number;
  /** Counter id of the publication limit (the position the publication may not reach). */
  readonly positionLimitCounterId: number;
  /** Counter id of the channel status indicator, or −1 (NO_ID_ALLOCATED, e.g. IPC). */
  readonly channelStatusId: number;
  /** The mapped `.logbuffer` (already ref-counted by the conductor). */
  readonly logBuffers: LogBuffers;
  /** The driver's registration id of the publication (ready response +8). */
  readonly originalRegistrationId: number;
  /** The correlation id of this client's ADD_PUBLICATION (ready response +0). */
  readonly registrationId: number;
}

/** Constructor parameters of `Subscription`. */
export interface SubscriptionParams {
  /** The conductor the subscription closes through. */
  readonly conductor: ClientConductorContract;
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

/** Constructor parameters of `Image`. */
export interface ImageParams {
  /** The subscription the image belongs to. */
  readonly subscription: Subscription;
  /** Session id of the image's publication. */
  readonly sessionId: number;
  /** Counter id of this image's subscriber position (the driver has set it to the join position). */
  readonly subscriberPositionCounterId: number;
  /** The mapped log of the image (already ref-counted by the conductor). */
  readonly logBuffers: LogBuffers;
  /** Receives exceptions thrown by fragment/block handlers during polls (the context's subscriber error handler). */
  readonly errorHandler: ErrorHandler;
  /** Where the stream comes from (`host:port`, or `aeron:ipc`). */
  readonly sourceIdentity: string;
  /** The image's correlation id (ON_AVAILABLE_IMAGE +0). */
  readonly correlationId: number;
}
