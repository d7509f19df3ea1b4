/**
 * An IPC publication (Aeron 1.51.0 `IpcPublication`): its log buffer, its publisher limit and position
 * counters, and the subscriber positions of the images linked to it. The conductor moves its limit on every
 * duty cycle and its state on every timer tick.
 *
 * ```
 *  duty cycle (updatePublisherPositionAndLimit, ACTIVE only; allocates nothing):
 *    pub-pos := producer position (the active term's tail)
 *    subscribers: consumer position := max(consumer position, max subscriber position)
 *                 limit := min subscriber position + term window; when limit >= trip limit:
 *                   clean the terms up to the min subscriber position, pub-lmt := limit (release),
 *                   trip limit := limit + term window / 8
 *    none:        pub-lmt > consumer position -> pub-lmt := consumer position, clean up to it
 *  timer tick (onTimeEvent):
 *    ACTIVE    revoked by its client? -> pub-lmt := producer position, end of stream, not connected, LINGER
 *              untethered subscriptions (below), then is-connected := any subscriber; pub-pos := producer position;
 *              concurrent: consumer position still for publicationUnblockTimeoutNs while the producer is ahead
 *              (or the active term count is not the consumer's) -> unblockLog, UNBLOCKED_PUBLICATIONS + 1
 *    DRAINING  (after the last publication link went: pub-lmt := producer position, end of stream := it)
 *              every subscriber at the producer position? -> ON_UNAVAILABLE_IMAGE to each, LINGER
 *              else unblockLog at the consumer position (a claim left by a dead producer)
 *    LINGER    no links -> subscriptions unlinked, end of life (positions freed, log file deleted)
 * ```
 *
 * REJECT_IMAGE (Java `IpcPublication.reject`): ON_PUBLICATION_ERROR IMAGE_REJECTED to the publisher side; unless
 * already in cool-down: not connected, every subscription unlinked (ON_UNAVAILABLE_IMAGE), positions freed, cool-down;
 * the cool-down ends `imageLivenessTimeoutNs` after the last rejection (ACTIVE timer tick), then subscriptions
 * relink (ON_AVAILABLE_IMAGE). No subscription links while in cool-down.
 *
 * Untethered subscriptions (`tether=false`; Java `IpcPublication.checkUntetheredSubscriptions`,
 * `UntetheredSubscription`), checked on each ACTIVE timer tick against the window limit
 * `consumer position - term window + term window / 4`:
 *
 * ```
 *  ACTIVE   position > window limit -> time of last update := now
 *           else untetheredWindowLimitTimeoutNs since the last update -> ON_UNAVAILABLE_IMAGE, LINGER
 *  LINGER   untetheredLingerTimeoutNs later: its position stops counting for the limit (removed from the
 *           subscriber positions); rejoin? RESTING : dropped for good (its position freed)
 *  RESTING  untetheredRestingTimeoutNs later: position := join position, counted again, ON_AVAILABLE_IMAGE
 *           (same sub-pos counter), ACTIVE
 * ```
 */
import {
  activeTermCount,
  computePosition,
  indexByPosition,
  indexByTermCount,
  isConnected,
  isPublicationRevoked,
  positionBitsToShift,
  rawTailTermOffset,
  readRawTailVolatile,
  setEndOfStreamPosition,
  setIsConnected,
  setIsPublicationRevoked,
} from '../logbuffer/log-buffer-descriptor.ts';
import { int32ViewOf } from '../logbuffer/log-buffer-memory.ts';
import { unblockLog } from '../logbuffer/log-buffer-unblocker.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import { Int64Halves } from '../transport/int64-words.ts';
import type { UnsafeBufferPosition } from '../transport/unsafe-buffer-position.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { PublicationParams } from './publication-params.ts';
import type { RawLog } from './raw-log.ts';

/** Publication states (Java `IpcPublication.State`). */
export type IpcPublicationState = 'ACTIVE' | 'DRAINING' | 'LINGER' | 'DONE';

/** What a publication needs to know of a subscription linked to it (`IpcSubscriptionLink`). */
export interface LinkedSubscription {
  /** The subscription's registration id. */
  readonly registrationId: number;
  /** Tethered: its position always counts for the publisher limit. */
  readonly isTether: boolean;
  /** Untethered and left behind: it rejoins after a rest (else it is dropped for good). */
  readonly isRejoin: boolean;
}

/** States of an untethered subscription (Java `UntetheredSubscription.State`). */
export type UntetheredSubscriptionState = 'ACTIVE' | 'LINGER' | 'RESTING';

/** An untethered subscription of a publication (Java `UntetheredSubscription`). */
interface UntetheredSubscription {
  state: UntetheredSubscriptionState;
  timeOfLastUpdateNs: number;
  readonly link: LinkedSubscription;
  readonly position: UnsafeBufferPosition;
}

/** What an IPC publication asks of the conductor when its state changes. */
export interface IpcPublicationConductor extends ResourceConductor {
  /** DRAINING -> LINGER: its session is free again; ON_UNAVAILABLE_IMAGE to each linked subscription. */
  transitionToLinger(publication: IpcPublication): void;
  /** LINGER -> DONE: every subscription forgets it. */
  cleanupIpcPublication(publication: IpcPublication): void;
  /** ON_PUBLICATION_ERROR IMAGE_REJECTED with `reason` for `publication` (Java `onPublicationError`). */
  imageRejected(publication: IpcPublication, reason: string): void;
  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, every subscription linked to `publication`. */
  unlinkIpcSubscriptions(publication: IpcPublication): void;
  /** ON_AVAILABLE_IMAGE to every matching subscription not linked yet (Java `linkIpcSubscriptions`). */
  linkIpcSubscriptions(publication: IpcPublication): void;
  /** ON_UNAVAILABLE_IMAGE of `publication` to `link` (an untethered subscription left behind). */
  notifyUnavailableImageLink(publication: IpcPublication, link: LinkedSubscription): void;
  /**
   * Counter `positionId` := `joinPosition`, then ON_AVAILABLE_IMAGE of `publication` to `link` (an untethered
   * subscription rejoining; Java `notifyAvailableImageLink`).
   */
  notifyAvailableImageLink(
    publication: IpcPublication,
    link: LinkedSubscription,
    positionId: number,
    joinPosition: number,
  ): void;
}

/** The driver's side of one IPC publication; see the module comment. */
export class IpcPublication implements DriverManagedResource {
  /** Registration id: the correlation id of the command that created it; names its log file. */
  readonly registrationId: number;
  /** The channel as first added. */
  readonly channel: string;
  /** Entity tag, or -1. */
  readonly tag: number;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Exclusive publications are never shared. */
  readonly isExclusive: boolean;
  /** Initial term id. */
  readonly initialTermId: number;
  /** Term id it started in (`term-id`). */
  readonly startingTermId: number;
  /** Offset it started at (`term-offset`). */
  readonly startingTermOffset: number;
  /** Term length. */
  readonly termLength: number;
  /** MTU. */
  readonly mtuLength: number;
  /** Response correlation id (-1). */
  readonly responseCorrelationId: number;
  /** The log. */
  readonly rawLog: RawLog;
  readonly #publisherPos: UnsafeBufferPosition;
  readonly #publisherLimit: UnsafeBufferPosition;
  readonly #metaWords: Int32Array;
  readonly #positionBitsToShift: number;
  readonly #termWindowLength: number;
  readonly #tripGain: number;
  readonly #unblockTimeoutNs: number;
  readonly #unblockedPublications: AtomicCounter;
  readonly #publicationsRevoked: AtomicCounter;
  readonly #tail = new Int64Halves();
  readonly #subscriberPositions: UnsafeBufferPosition[] = [];
  readonly #untetheredSubscriptions: UntetheredSubscription[] = [];
  readonly #untetheredWindowLimitTimeoutNs: number;
  readonly #untetheredLingerTimeoutNs: number;
  readonly #untetheredRestingTimeoutNs: number;
  #state: IpcPublicationState = 'ACTIVE';
  #tripLimit = 0;
  #consumerPosition: number;
  #lastConsumerPosition: number;
  #timeOfLastConsumerPositionUpdateNs: number;
  #cleanPosition: number;
  #refCount = 0;
  #reachedEndOfLife = false;
  #inCoolDown = false;
  #coolDownExpireTimeNs = 0;

  /**
   * @param registrationId the publication's registration id.
   * @param channel its channel.
   * @param params its resolved parameters.
   * @param rawLog its log, metadata initialised.
   * @param publisherPos its pub-pos counter.
   * @param publisherLimit its pub-lmt counter.
   * @param isExclusive exclusive or concurrent.
   * @param unblockTimeoutNs `publicationUnblockTimeoutNs`.
   * @param unblockedPublications the UNBLOCKED_PUBLICATIONS system counter.
   * @param publicationsRevoked the PUBLICATIONS_REVOKED system counter.
   * @param nowNs the conductor's clock now.
   */
  constructor(
    registrationId: number,
    channel: string,
    params: PublicationParams,
    rawLog: RawLog,
    publisherPos: UnsafeBufferPosition,
    publisherLimit: UnsafeBufferPosition,
    isExclusive: boolean,
    unblockTimeoutNs: number,
    unblockedPublications: AtomicCounter,
    publicationsRevoked: AtomicCounter,
    nowNs: number,
  ) {
    this.registrationId = registrationId;
    this.channel = channel;
    this.tag = params.entityTag;
    this.sessionId = params.sessionId;
    this.streamId = params.streamId;
    this.isExclusive = isExclusive;
    this.initialTermId = params.initialTermId;
    this.startingTermId = params.termId;
    this.startingTermOffset = params.termOffset;
    this.termLength = params.termLength;
    this.mtuLength = params.mtuLength;
    this.responseCorrelationId = params.responseCorrelationId;
    this.rawLog = rawLog;
    this.#publisherPos = publisherPos;
    this.#publisherLimit = publisherLimit;
    this.#metaWords = int32ViewOf(rawLog.metaData);
    this.#positionBitsToShift = positionBitsToShift(params.termLength);
    this.#termWindowLength = params.publicationWindowLength;
    this.#tripGain = this.#termWindowLength >> 3;
    this.#unblockTimeoutNs = unblockTimeoutNs;
    this.#unblockedPublications = unblockedPublications;
    this.#publicationsRevoked = publicationsRevoked;
    this.#untetheredWindowLimitTimeoutNs = params.untetheredWindowLimitTimeoutNs;
    this.#untetheredLingerTimeoutNs = params.untetheredLingerTimeoutNs;
    this.#untetheredRestingTimeoutNs = params.untetheredRestingTimeoutNs;
    const producerPosition = this.producerPosition();
    this.#consumerPosition = producerPosition;
    this.#lastConsumerPosition = producerPosition;
    this.#cleanPosition = producerPosition;
    this.#timeOfLastConsumerPositionUpdateNs = nowNs;
  }

  /** Current state. */
  get state(): IpcPublicationState {
    return this.#state;
  }

  /** The pub-lmt counter id (sent in ON_PUBLICATION_READY). */
  get publisherLimitId(): number {
    return this.#publisherLimit.id;
  }

  /** Number of linked subscriber positions. */
  get subscriberCount(): number {
    return this.#subscriberPositions.length;
  }

  /** The position subscribers have reached at most (Java `consumerPosition`). */
  get consumerPosition(): number {
    return this.#consumerPosition;
  }

  /** Position of the producer: the active term's tail (acquire loads, nothing allocated). */
  producerPosition(): number {
    const tail = readRawTailVolatile(
      this.#metaWords,
      indexByTermCount(activeTermCount(this.rawLog.metaData)),
      this.#tail,
    );
    return computePosition(
      tail.high,
      rawTailTermOffset(tail, this.termLength),
      this.#positionBitsToShift,
      this.initialTermId,
    );
  }

  /** Where a new subscriber joins: the lowest of the consumer position and every subscriber position. */
  joinPosition(): number {
    let position = this.#consumerPosition;
    const positions = this.#subscriberPositions;
    for (let i = 0; i < positions.length; i++) position = Math.min(positions[i]!.getVolatile(), position);
    return position;
  }

  /** Whether a new subscription may link (ACTIVE, or DRAINING and not yet drained). */
  isAcceptingSubscriptions(): boolean {
    if (this.#inCoolDown) return false;
    return this.#state === 'ACTIVE' || (this.#state === 'DRAINING' && !this.#isDrained(this.producerPosition()));
  }

  /** Links a subscriber's position (tracked as untethered when `link` is); the log becomes connected. */
  addSubscriber(link: LinkedSubscription, position: UnsafeBufferPosition, nowNs: number): void {
    this.#subscriberPositions.push(position);
    if (!link.isTether) {
      this.#untetheredSubscriptions.push({ state: 'ACTIVE', timeOfLastUpdateNs: nowNs, link, position });
    }
    this.#updateConnectedStatus(true);
  }

  /** Unlinks and frees a subscriber's position; the log is not connected once none is left. */
  removeSubscriber(link: LinkedSubscription, position: UnsafeBufferPosition): void {
    const positions = this.#subscriberPositions;
    const index = positions.indexOf(position);
    if (index >= 0) positions.splice(index, 1);
    position.close();
    if (!link.isTether) {
      const untethered = this.#untetheredSubscriptions;
      for (let i = untethered.length - 1; i >= 0; i--) {
        if (untethered[i]!.link === link) {
          fastUnorderedRemove(untethered, i);
          break;
        }
      }
    }
    if (positions.length === 0) this.#updateConnectedStatus(false);
  }

  /** A publication link was added. */
  incRef(): void {
    this.#refCount++;
  }

  /**
   * A publication link went: at the last one, pub-lmt := producer position, end of stream := it, and the
   * publication drains (unless revoked).
   */
  decRef(): void {
    if (--this.#refCount === 0) {
      const producerPosition = this.producerPosition();
      this.#publisherLimit.setRelease(producerPosition);
      setEndOfStreamPosition(this.rawLog.metaData, producerPosition);
      if (!isPublicationRevoked(this.rawLog.metaData)) this.#state = 'DRAINING';
    }
  }

  /** REMOVE_PUBLICATION with the revoke flag: marks the log revoked (acted on at the next timer tick). */
  revoke(): void {
    setIsPublicationRevoked(this.rawLog.metaData, true);
  }

  /** The duty cycle's work (module comment); returns 1 when the limit moved. Allocates nothing. */
  updatePublisherPositionAndLimit(): number {
    if (this.#state !== 'ACTIVE') return 0;
    const producerPosition = this.producerPosition();
    this.#publisherPos.setRelease(producerPosition);
    const positions = this.#subscriberPositions;
    const count = positions.length;
    if (count > 0) {
      let minSubscriberPosition = positions[0]!.getVolatile();
      let maxSubscriberPosition = Math.max(this.#consumerPosition, minSubscriberPosition);
      for (let i = 1; i < count; i++) {
        const position = positions[i]!.getVolatile();
        if (position < minSubscriberPosition) minSubscriberPosition = position;
        if (position > maxSubscriberPosition) maxSubscriberPosition = position;
      }
      if (maxSubscriberPosition > this.#consumerPosition) this.#consumerPosition = maxSubscriberPosition;
      const newLimitPosition = minSubscriberPosition + this.#termWindowLength;
      if (newLimitPosition >= this.#tripLimit) {
        this.#cleanBufferTo(minSubscriberPosition);
        this.#publisherLimit.setRelease(newLimitPosition);
        this.#tripLimit = newLimitPosition + this.#tripGain;
        return 1;
      }
    } else if (this.#publisherLimit.get() > this.#consumerPosition) {
      this.#tripLimit = this.#consumerPosition;
      this.#publisherLimit.setRelease(this.#consumerPosition);
      this.#cleanBufferTo(this.#consumerPosition);
      return 1;
    }
    return 0;
  }

  /** Whether a rejection keeps subscriptions away (module comment). */
  get isInCoolDown(): boolean {
    return this.#inCoolDown;
  }

  /**
   * REJECT_IMAGE of this publication's image (module comment); the cool-down ends `coolDownNs` after `nowNs`.
   */
  reject(reason: string, conductor: IpcPublicationConductor, nowNs: number, coolDownNs: number): void {
    conductor.imageRejected(this, reason);
    if (!this.#inCoolDown) {
      this.#updateConnectedStatus(false);
      conductor.unlinkIpcSubscriptions(this);
      const positions = this.#subscriberPositions;
      for (let i = 0; i < positions.length; i++) positions[i]!.close();
      positions.length = 0;
      this.#closeRestingPositions();
      this.#untetheredSubscriptions.length = 0;
      this.#inCoolDown = true;
    }
    this.#coolDownExpireTimeNs = nowNs + coolDownNs;
  }

  /** The timer tick (module comment). */
  onTimeEvent(timeNs: number, _timeMs: number, conductor: ResourceConductor): void {
    const ipcConductor = conductor as IpcPublicationConductor;
    switch (this.#state) {
      case 'ACTIVE': {
        const metaData = this.rawLog.metaData;
        if (isPublicationRevoked(metaData)) {
          const revokedPosition = this.producerPosition();
          this.#publisherLimit.setRelease(revokedPosition);
          setEndOfStreamPosition(metaData, revokedPosition);
          this.#updateConnectedStatus(false);
          ipcConductor.transitionToLinger(this);
          this.#state = 'LINGER';
          this.#publicationsRevoked.increment();
        } else {
          this.#checkUntetheredSubscriptions(timeNs, ipcConductor);
          this.#updateConnectedStatus(this.#subscriberPositions.length !== 0);
          const producerPosition = this.producerPosition();
          this.#publisherPos.setRelease(producerPosition);
          if (!this.isExclusive) this.#checkForBlockedPublisher(producerPosition, timeNs);
          if (this.#inCoolDown && this.#coolDownExpireTimeNs < timeNs) {
            this.#inCoolDown = false;
            ipcConductor.linkIpcSubscriptions(this);
            this.#coolDownExpireTimeNs = 0;
          }
        }
        break;
      }
      case 'DRAINING': {
        const producerPosition = this.producerPosition();
        this.#publisherPos.setRelease(producerPosition);
        if (this.#isDrained(producerPosition)) {
          ipcConductor.transitionToLinger(this);
          this.#state = 'LINGER';
        } else if (unblockLog(this.rawLog.termBuffers, this.rawLog.metaData, this.#consumerPosition, this.termLength)) {
          this.#unblockedPublications.increment();
        }
        break;
      }
      case 'LINGER':
        if (this.#refCount === 0) {
          ipcConductor.cleanupIpcPublication(this);
          this.#reachedEndOfLife = true;
          this.#state = 'DONE';
        }
        break;
      default:
        break;
    }
  }

  /** True once DONE. */
  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  /** Frees its counters (publisher position and limit, remaining subscriber positions). */
  close(): void {
    this.#publisherPos.close();
    this.#publisherLimit.close();
    for (const position of this.#subscriberPositions) position.close();
    this.#subscriberPositions.length = 0;
    this.#closeRestingPositions();
  }

  /** Unmaps and deletes the log file. */
  free(): boolean {
    return this.rawLog.free();
  }

  /** Frees the positions of RESTING untethered subscriptions (not among the subscriber positions). */
  #closeRestingPositions(): void {
    for (const untethered of this.#untetheredSubscriptions) {
      if (untethered.state === 'RESTING') untethered.position.close();
    }
  }

  /** The untethered state machine of each untethered subscription (module comment). */
  #checkUntetheredSubscriptions(nowNs: number, conductor: IpcPublicationConductor): void {
    const untetheredSubscriptions = this.#untetheredSubscriptions;
    const termWindowLength = this.#termWindowLength;
    const windowLimit = this.#consumerPosition - termWindowLength + (termWindowLength >> 2);
    for (let i = untetheredSubscriptions.length - 1; i >= 0; i--) {
      const untethered = untetheredSubscriptions[i]!;
      switch (untethered.state) {
        case 'ACTIVE':
          if (untethered.position.getVolatile() > windowLimit) {
            untethered.timeOfLastUpdateNs = nowNs;
          } else if (untethered.timeOfLastUpdateNs + this.#untetheredWindowLimitTimeoutNs - nowNs <= 0) {
            conductor.notifyUnavailableImageLink(this, untethered.link);
            untethered.state = 'LINGER';
            untethered.timeOfLastUpdateNs = nowNs;
          }
          break;
        case 'LINGER':
          if (untethered.timeOfLastUpdateNs + this.#untetheredLingerTimeoutNs - nowNs <= 0) {
            const positions = this.#subscriberPositions;
            const index = positions.indexOf(untethered.position);
            if (index >= 0) positions.splice(index, 1);
            if (untethered.link.isRejoin) {
              untethered.state = 'RESTING';
              untethered.timeOfLastUpdateNs = nowNs;
            } else {
              fastUnorderedRemove(untetheredSubscriptions, i);
              untethered.position.close();
            }
          }
          break;
        case 'RESTING':
          if (untethered.timeOfLastUpdateNs + this.#untetheredRestingTimeoutNs - nowNs <= 0) {
            const joinPosition = this.joinPosition();
            this.#subscriberPositions.push(untethered.position);
            conductor.notifyAvailableImageLink(this, untethered.link, untethered.position.id, joinPosition);
            untethered.state = 'ACTIVE';
            untethered.timeOfLastUpdateNs = nowNs;
          }
          break;
      }
    }
  }

  #updateConnectedStatus(connected: boolean): void {
    const metaData = this.rawLog.metaData;
    if (isConnected(metaData) !== connected) setIsConnected(metaData, connected);
  }

  #isDrained(producerPosition: number): boolean {
    const positions = this.#subscriberPositions;
    for (let i = 0; i < positions.length; i++) {
      if (positions[i]!.getVolatile() < producerPosition) return false;
    }
    return true;
  }

  #checkForBlockedPublisher(producerPosition: number, timeNs: number): void {
    const consumerPosition = this.#consumerPosition;
    if (
      consumerPosition === this.#lastConsumerPosition &&
      this.#isPossiblyBlocked(producerPosition, consumerPosition)
    ) {
      if (this.#timeOfLastConsumerPositionUpdateNs + this.#unblockTimeoutNs - timeNs < 0) {
        if (unblockLog(this.rawLog.termBuffers, this.rawLog.metaData, consumerPosition, this.termLength)) {
          this.#unblockedPublications.increment();
        }
      }
    } else {
      this.#timeOfLastConsumerPositionUpdateNs = timeNs;
      this.#lastConsumerPosition = consumerPosition;
    }
  }

  #isPossiblyBlocked(producerPosition: number, consumerPosition: number): boolean {
    const producerTermCount = activeTermCount(this.rawLog.metaData);
    const expectedTermCount = Math.floor(consumerPosition / this.termLength) | 0;
    return producerTermCount !== expectedTermCount || producerPosition > consumerPosition;
  }

  /** Zeroes the consumed bytes of the dirty term from the clean position towards `position` (one term at most). */
  #cleanBufferTo(position: number): void {
    const cleanPosition = this.#cleanPosition;
    if (position > cleanPosition) {
      const termBuffer = this.rawLog.termBuffers[indexByPosition(cleanPosition, this.#positionBitsToShift)]!;
      const bytesForCleaning = position - cleanPosition;
      const termOffset = cleanPosition % this.termLength;
      const length = Math.min(bytesForCleaning, this.termLength - termOffset);
      termBuffer.setMemory(termOffset + 8, length - 8, 0);
      termBuffer.putInt64Release(termOffset, 0);
      this.#cleanPosition = cleanPosition + length;
    }
  }
}
