/**
 * The driver conductor's `aeron:ipc` part (Aeron 1.51.0 `DriverConductor.onAddIpcPublication`,
 * `onAddIpcSubscription`, `onAddRcvIpcDestination`, `linkIpcSubscriptions` and the IPC publication callbacks):
 * IPC publications, IPC subscriptions and the sub-pos counters that link the two. `DriverConductor` delegates to it.
 *
 * ```
 *  ADD_(EXCLUSIVE_)PUBLICATION aeron:ipc
 *     shared ACTIVE publication of (stream, response correlation id)?  yes -> parameters confirmed (confirmMatch)
 *                                                                      no  -> session clash? INVALID_CHANNEL
 *        new IpcPublication: publications/<id>.logbuffer, metadata, pub-pos, pub-lmt (at term-id/term-offset),
 *        a response publication's session given to the request's IPC response subscription, session active
 *     PublicationLink, ON_(EXCLUSIVE_)PUBLICATION_READY (channel status -1)
 *     new: linkIpcSubscriptions -> per matching subscription: sub-pos at the join position, ON_AVAILABLE_IMAGE
 *  ADD_SUBSCRIPTION aeron:ipc | ADD_RCV_DESTINATION aeron:ipc (of an MDS subscription: its id, stream, client)
 *     IpcSubscriptionLink, ON_SUBSCRIPTION_READY (channel status -1) | ON_OPERATION_SUCCESS,
 *     then per matching publication accepting subscriptions: sub-pos, ON_AVAILABLE_IMAGE (source aeron:ipc)
 *  REMOVE_RCV_DESTINATION aeron:ipc | aeron-spy:   the IPC or spy link of (id, channel) removed, ON_OPERATION_SUCCESS,
 *     ON_UNAVAILABLE_IMAGE per publication it was linked to
 *  REJECT_IMAGE of an IPC publication   IpcPublication.reject (cool-down); no such publication: GENERIC_ERROR
 *  publication callbacks   DRAINING -> LINGER: session free, ON_UNAVAILABLE_IMAGE to each linked subscription
 *                          LINGER -> DONE: every subscription forgets it
 *                          rejected: WARN entry (ERRORS + 1), ON_PUBLICATION_ERROR IMAGE_REJECTED, unlinked
 *                          untethered subscriber left behind / rejoining: ON_UNAVAILABLE_IMAGE / ON_AVAILABLE_IMAGE
 * ```
 */
import { IPC_CHANNEL } from '../logbuffer/channel-uri.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import {
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_IMAGE_REJECTED,
  ERROR_CODE_INVALID_CHANNEL,
  ERROR_CODE_UNKNOWN_SUBSCRIPTION,
} from './command/control-protocol.ts';
import type { ConductorState } from './driver-conductor-state.ts';
import { NO_ID_ALLOCATED, NULL_VALUE, publicationErrorEvent, sessionKey } from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';
import { IpcPublication, type IpcPublicationConductor, type LinkedSubscription } from './ipc-publication.ts';
import { PublicationLink } from './publication-link.ts';
import { initIpcPublicationMetadata } from './publication-log-metadata.ts';
import {
  confirmMatch,
  getPublicationParams,
  initialPosition,
  type PublicationParams,
  parseChannelUri,
} from './publication-params.ts';
import { RawLog } from './raw-log.ts';
import type { SpySubscriptionLink } from './spy-subscription-link.ts';
import { allocatePublisherLimit, allocatePublisherPosition, allocateSubscriberPosition } from './stream-counter.ts';
import { getSubscriptionParams, IpcSubscriptionLink } from './subscription-link.ts';

/** The conductor's IPC publications and subscriptions; see the module comment. */
export class IpcConductor {
  readonly #state: ConductorState;

  /** @param state what the conductor's parts share. */
  constructor(state: ConductorState) {
    this.#state = state;
  }

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:ipc` (Java `onAddIpcPublication`; module comment).
   * Throws `ControlProtocolError` (INVALID_CHANNEL for a bad channel or parameter, GENERIC_ERROR for a mismatch
   * with the shared publication) or `MappedFileError` (the log file).
   */
  onAddIpcPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    const state = this.#state;
    const channelUri = parseChannelUri(channel);
    const params = getPublicationParams(channelUri, state.ctx.driverContext, state, streamId);
    let publication = isExclusive ? null : this.#findSharedIpcPublication(streamId, params.responseCorrelationId);
    let isNewPublication = false;
    if (publication === null) {
      this.#checkForSessionClash(params.sessionId, streamId, channel);
      publication = this.#addIpcPublication(correlationId, clientId, streamId, channel, isExclusive, params);
      isNewPublication = true;
    } else {
      confirmMatch(channelUri, params, publication);
    }
    state.publicationLinks.push(
      new PublicationLink(correlationId, state.clients.getOrAddClient(clientId), publication),
    );
    state.clientProxy.onPublicationReady(
      correlationId,
      publication.registrationId,
      streamId,
      publication.sessionId,
      publication.rawLog.fileName,
      publication.publisherLimitId,
      NO_ID_ALLOCATED,
      isExclusive,
    );
    if (isNewPublication) this.linkIpcSubscriptions(publication);
  }

  /**
   * ADD_SUBSCRIPTION on `aeron:ipc` (Java `onAddIpcSubscription`): ON_SUBSCRIPTION_READY, then an image of every
   * matching publication that accepts subscriptions.
   */
  onAddIpcSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const state = this.#state;
    const params = getSubscriptionParams(channel, state.ctx.driverContext);
    const link = new IpcSubscriptionLink(
      registrationId,
      streamId,
      channel,
      state.clients.getOrAddClient(clientId),
      params.sessionId,
      false,
      params.isTether,
      params.isRejoin,
      params.isResponse,
    );
    state.subscriptionLinks.push(link);
    state.clientProxy.onSubscriptionReady(registrationId, NO_ID_ALLOCATED);
    this.#linkMatchingIpcPublications(link);
  }

  /**
   * ADD_RCV_DESTINATION `aeron:ipc` (Java `onAddRcvIpcDestination`): an IPC subscription link with the MDS
   * subscription's registration id, stream and client (UNKNOWN_SUBSCRIPTION without one), ON_OPERATION_SUCCESS,
   * then an image of every matching publication.
   */
  onAddRcvIpcDestination(registrationId: number, channel: string, correlationId: number): void {
    const state = this.#state;
    const params = getSubscriptionParams(channel, state.ctx.driverContext);
    const mdsLink = state.findMdsSubscription(registrationId);
    const link = new IpcSubscriptionLink(
      registrationId,
      mdsLink.streamId,
      channel,
      mdsLink.client,
      params.sessionId,
      false,
      params.isTether,
      params.isRejoin,
      params.isResponse,
    );
    state.subscriptionLinks.push(link);
    state.clientProxy.operationSucceeded(correlationId);
    this.#linkMatchingIpcPublications(link);
  }

  /**
   * REMOVE_RCV_DESTINATION `aeron:ipc` or `aeron-spy:` (Java `onRemoveRcvIpcOrSpyDestination`): the IPC or spy
   * subscription link with registration id `registrationId` and exactly `channel` is removed and closed
   * (ON_OPERATION_SUCCESS, then ON_UNAVAILABLE_IMAGE for each publication it was linked to); none:
   * UNKNOWN_SUBSCRIPTION.
   */
  onRemoveRcvIpcOrSpyDestination(registrationId: number, channel: string, correlationId: number): void {
    const state = this.#state;
    const links: (IpcSubscriptionLink | SpySubscriptionLink)[][] = [
      state.subscriptionLinks,
      state.spySubscriptionLinks,
    ];
    for (const list of links) {
      for (let i = 0; i < list.length; i++) {
        const link = list[i]!;
        if (link.registrationId === registrationId && link.channel === channel) {
          fastUnorderedRemove(list, i);
          const linked = link.linkedRegistrationIds();
          link.close();
          state.clientProxy.operationSucceeded(correlationId);
          for (const id of linked) state.clientProxy.onUnavailableImage(id, registrationId, link.streamId, channel);
          return;
        }
      }
    }
    throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
  }

  /**
   * REJECT_IMAGE of IPC publication `imageCorrelationId` (Java `onRejectImage`): `IpcPublication.reject` with
   * `conductor` (ON_PUBLICATION_ERROR IMAGE_REJECTED, subscribers unlinked, cool-down of `imageLivenessTimeoutNs`).
   * No such publication: GENERIC_ERROR `Unable to resolve image`.
   */
  rejectImage(imageCorrelationId: number, reason: string, conductor: IpcPublicationConductor): void {
    const publications = this.#state.ipcPublications;
    let publication: IpcPublication | undefined;
    for (let i = 0; i < publications.length; i++) {
      if (publications[i]!.registrationId === imageCorrelationId) {
        publication = publications[i];
        break;
      }
    }
    if (publication === undefined) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `Unable to resolve image for correlationId=${imageCorrelationId}`,
      );
    }
    const ctx = this.#state.ctx;
    publication.reject(reason, conductor, ctx.nanoClock(), ctx.driverContext.imageLivenessTimeoutNs);
  }

  /** An IPC publication is done draining: its session is free, ON_UNAVAILABLE_IMAGE to each linked subscription. */
  transitionToLinger(publication: IpcPublication): void {
    const state = this.#state;
    state.activeSessions.delete(sessionKey(publication.sessionId, publication.streamId));
    for (const link of state.subscriptionLinks) {
      if (link.isLinked(publication)) {
        state.clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
      }
    }
  }

  /**
   * ON_PUBLICATION_ERROR IMAGE_REJECTED from the IPC source for `publication` (Java `onPublicationError`), after a
   * WARN entry in the distinct error log (and ERRORS + 1) as Java records it:
   * `WARN - onPublicationError: registrationId=…, destinationRegistrationId=-1, sessionId=…, streamId=…,
   * receiverId=-1, groupId=-1, errorCode=<IMAGE_REJECTED>, errorMessage=<reason>`.
   */
  imageRejected(publication: IpcPublication, reason: string): void {
    const state = this.#state;
    state.recordError(
      publicationErrorEvent(
        publication.registrationId,
        NULL_VALUE,
        publication.sessionId,
        publication.streamId,
        NULL_VALUE,
        NULL_VALUE,
        ERROR_CODE_IMAGE_REJECTED,
        reason,
      ),
    );
    state.clientProxy.onPublicationErrorFromIpc(
      publication.registrationId,
      NULL_VALUE,
      publication.sessionId,
      publication.streamId,
      NULL_VALUE,
      NULL_VALUE,
      ERROR_CODE_IMAGE_REJECTED,
      reason,
    );
  }

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, each subscription linked to `publication`. */
  unlinkIpcSubscriptions(publication: IpcPublication): void {
    const state = this.#state;
    const links = state.subscriptionLinks;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (link.isLinked(publication)) {
        state.clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
        link.unlink(publication);
      }
    }
  }

  /** ON_UNAVAILABLE_IMAGE of `publication` to `link` (Java `notifyUnavailableImageLink`). */
  notifyUnavailableImageLink(publication: IpcPublication, link: LinkedSubscription): void {
    const subscription = link as IpcSubscriptionLink;
    this.#state.clientProxy.onUnavailableImage(
      publication.registrationId,
      subscription.registrationId,
      subscription.streamId,
      subscription.channel,
    );
  }

  /**
   * Counter `positionId` := `joinPosition`, then ON_AVAILABLE_IMAGE of `publication` to `link` (Java
   * `notifyAvailableImageLink`: an untethered subscription rejoins with its sub-pos counter).
   */
  notifyAvailableImageLink(
    publication: IpcPublication,
    link: LinkedSubscription,
    positionId: number,
    joinPosition: number,
  ): void {
    const subscription = link as IpcSubscriptionLink;
    this.#state.countersManager.setCounterValue(positionId, joinPosition);
    this.#state.clientProxy.onAvailableImage(
      publication.registrationId,
      subscription.streamId,
      publication.sessionId,
      subscription.registrationId,
      positionId,
      publication.rawLog.fileName,
      IPC_CHANNEL,
    );
  }

  /**
   * ON_AVAILABLE_IMAGE to every matching subscription not linked to `publication` yet, when it accepts
   * subscriptions (Java `linkIpcSubscriptions`: a new publication, or one after its cool-down).
   */
  linkIpcSubscriptions(publication: IpcPublication): void {
    for (const link of this.#state.subscriptionLinks) {
      if (link.matches(publication) && !link.isLinked(publication) && publication.isAcceptingSubscriptions()) {
        const positionId = this.#linkIpcSubscription(publication, link);
        this.#state.clientProxy.onAvailableImage(
          publication.registrationId,
          publication.streamId,
          publication.sessionId,
          link.registrationId,
          positionId,
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /** An IPC publication reached end of life: every subscription forgets it. */
  cleanupIpcPublication(publication: IpcPublication): void {
    for (const link of this.#state.subscriptionLinks) link.unlink(publication);
  }

  /** An image (ON_AVAILABLE_IMAGE) for `link` of every matching IPC publication that accepts subscriptions. */
  #linkMatchingIpcPublications(link: IpcSubscriptionLink): void {
    for (const publication of this.#state.ipcPublications) {
      if (link.matches(publication) && publication.isAcceptingSubscriptions()) {
        const positionId = this.#linkIpcSubscription(publication, link);
        this.#state.clientProxy.onAvailableImage(
          publication.registrationId,
          link.streamId,
          publication.sessionId,
          link.registrationId,
          positionId,
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  #findSharedIpcPublication(streamId: number, responseCorrelationId: number): IpcPublication | null {
    for (const publication of this.#state.ipcPublications) {
      if (
        publication.streamId === streamId &&
        !publication.isExclusive &&
        publication.state === 'ACTIVE' &&
        publication.responseCorrelationId === responseCorrelationId
      ) {
        return publication;
      }
    }
    return null;
  }

  #checkForSessionClash(sessionId: number, streamId: number, channel: string): void {
    if (this.#state.activeSessions.has(sessionKey(sessionId, streamId))) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `existing publication has clashing sessionId=${sessionId} for streamId=${streamId} channel=${channel}`,
      );
    }
  }

  #addIpcPublication(
    registrationId: number,
    clientId: number,
    streamId: number,
    channel: string,
    isExclusive: boolean,
    params: PublicationParams,
  ): IpcPublication {
    const state = this.#state;
    const ctx = state.ctx;
    const driverContext = ctx.driverContext;
    const rawLog = RawLog.newPublication(
      driverContext.aeronDir,
      registrationId,
      params.termLength,
      driverContext.filePageSize,
      params.isSparse,
      ctx.systemCounters.get('BYTES_CURRENTLY_MAPPED'),
    );
    const osSocketBuffers = state.osSocketBuffers();
    const manager = state.countersManager;
    const stream = { clientId, registrationId, sessionId: params.sessionId, streamId, channel };
    let publisherPos: ReturnType<typeof allocatePublisherPosition> | undefined;
    let publisherLimit: ReturnType<typeof allocatePublisherLimit> | undefined;
    try {
      initIpcPublicationMetadata(
        rawLog.metaData,
        params,
        registrationId,
        params.termLength,
        driverContext.filePageSize,
        isExclusive,
        osSocketBuffers,
      );
      publisherPos = allocatePublisherPosition(manager, stream, isExclusive);
      publisherLimit = allocatePublisherLimit(manager, stream);
      if (params.hasPosition) {
        const position = initialPosition(params);
        publisherPos.setRelease(position);
        publisherLimit.setRelease(position);
      }
      const counters = ctx.systemCounters;
      const publication = new IpcPublication(
        registrationId,
        channel,
        params,
        rawLog,
        publisherPos,
        publisherLimit,
        isExclusive,
        driverContext.publicationUnblockTimeoutNs,
        counters.get('UNBLOCKED_PUBLICATIONS'),
        counters.get('PUBLICATIONS_REVOKED'),
        ctx.nanoClock(),
      );
      this.#findAndUpdateResponseIpcSubscription(params, publication);
      state.ipcPublications.push(publication);
      state.activeSessions.add(sessionKey(params.sessionId, streamId));
      return publication;
    } catch (e) {
      publisherPos?.close();
      publisherLimit?.close();
      rawLog.free();
      throw e;
    }
  }

  /**
   * Java `findAndUpdateResponseIpcSubscription`: a publication whose `response-correlation-id` names an IPC
   * publication (the request) gives its session id to the IPC subscription that request named as its response
   * subscription, which then matches it.
   */
  #findAndUpdateResponseIpcSubscription(params: PublicationParams, publication: IpcPublication): void {
    if (params.responseCorrelationId === NULL_VALUE) return;
    for (const request of this.#state.ipcPublications) {
      if (request.registrationId !== params.responseCorrelationId) continue;
      for (const link of this.#state.subscriptionLinks) {
        if (request.responseCorrelationId === link.registrationId && !link.isSpy) {
          link.setSessionId(publication.sessionId);
          break;
        }
      }
      break;
    }
  }

  /**
   * A sub-pos counter for `link` in `publication` at the publication's join position (reference id = the
   * publication's registration id); returns its id (Java `linkIpcSubscription`).
   */
  #linkIpcSubscription(publication: IpcPublication, link: IpcSubscriptionLink): number {
    const joinPosition = publication.joinPosition();
    const manager = this.#state.countersManager;
    const position = allocateSubscriberPosition(
      manager,
      {
        clientId: link.client.clientId,
        registrationId: link.registrationId,
        sessionId: publication.sessionId,
        streamId: link.streamId,
        channel: link.channel,
      },
      joinPosition,
    );
    manager.setCounterReferenceId(position.id, publication.registrationId);
    position.setRelease(joinPosition);
    link.link(publication, position);
    publication.addSubscriber(link, position, this.#state.ctx.nanoClock());
    return position.id;
  }
}
