/**
 * The seam between the data plane (publications, subscriptions, images: this directory's
 * `*-publication.ts`, `subscription.ts`, `image.ts`) and the client conductor (`client-conductor.ts`).
 *
 * The data-plane objects never talk to the driver themselves: closing, destinations, image rejection and
 * channel status go through `ClientConductorContract`, which the `ClientConductor` implements. Each data-plane
 * module declares what it needs of the conductor (`PublicationConductor`, `SubscriptionConductor`) and its own
 * constructor parameters (`PublicationParams`, `SubscriptionParams`, `ImageParams`); this module puts them
 * together, so the imports run one way: conductor → contract → data plane. The conductor builds the data-plane
 * objects from the driver's responses with those parameter objects (Java: `ClientConductor.onNewPublication` /
 * `onAvailableImage` / `onNewSubscription`).
 *
 * ## Driver responses → constructor parameters (`command/*Flyweight`)
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
import type { PublicationConductor } from './publication.ts';
import type { SubscriptionConductor } from './subscription.ts';

export type { AvailableImageHandler, ImageParams, UnavailableImageHandler } from './image.ts';
export type { PublicationConductor, PublicationParams } from './publication.ts';
export type { SubscriptionConductor, SubscriptionParams } from './subscription.ts';

/**
 * A publication error frame reported by the driver (ON_PUBLICATION_ERROR, Java `status/PublicationErrorFrame`).
 * The conductor passes a new object per frame to the context's `onPublicationError` (Java's
 * `publicationErrorFrameHandler`, accepted under both names).
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

/**
 * What the data-plane objects need from the client conductor: what publications need and what subscriptions (and
 * their images) need. The `ClientConductor` implements it; tests use a fake.
 */
export interface ClientConductorContract extends PublicationConductor, SubscriptionConductor {}
