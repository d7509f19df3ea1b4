/**
 * The driver conductor's `aeron:udp` publication part (Aeron 1.51.0 `DriverConductor.onAddNetworkPublication`,
 * `getOrCreateSendChannelEndpoint`, `onAddSendDestination` / `onRemoveSendDestination`, `onAddSpySubscription`,
 * `onAddRcvSpyDestination`, `linkSpies` / `cleanupSpies`, `cleanupPublication` and the sender's `onPublicationError`):
 * network publications, the send channel endpoints they share, their manual MDC destinations and the spies that
 * read them. `DriverConductor` delegates to it.
 *
 * ```
 *  ADD_(EXCLUSIVE_)PUBLICATION aeron:udp
 *     endpoint port, control, request publication's response subscription, validated (GENERIC_ERROR)
 *     SendChannelEndpoint of the canonical form (opened: snd-channel, snd-local-sockaddr; registered with the sender)
 *     shared ACTIVE publication on it of (stream, response correlation id)?  yes -> confirmMatch
 *        no -> session clash? INVALID_CHANNEL; newNetworkPublication (log, counters, flow control) to the sender
 *     a failure closes an endpoint nothing uses; NetworkPublicationLink, ON_(EXCLUSIVE_)PUBLICATION_READY
 *     new: linkSpies (sub-pos at the sender position, ON_AVAILABLE_IMAGE source aeron:ipc); a response
 *        publication gives its session to the image that asked for it (RSP_SETUP)
 *  ADD_SUBSCRIPTION aeron-spy:aeron:udp | ADD_RCV_DESTINATION aeron-spy: (of an MDS subscription)
 *     SpySubscriptionLink, ON_SUBSCRIPTION_READY (-1) | ON_OPERATION_SUCCESS, then an image per matching publication
 *  ADD/REMOVE_DESTINATION(_BY_ID)   the manual MDC publication's MultiSndDestination, ON_OPERATION_SUCCESS
 *  publication callbacks   spies finished: ON_UNAVAILABLE_IMAGE, unlinked; DONE: the sender drops it, the endpoint
 *                          closes with its last publication, the session is free
 *  sender callback         error frame: WARN entry (ERRORS + 1), ON_PUBLICATION_ERROR with the receiver's address
 *  sender re-resolution    reResolveEndpoint (a unicast endpoint= or manual MDC destination silent for 5 s): the name
 *                          resolved again at once through the driver's resolver (Java runs it on its async executor;
 *                          one thread here): unresolved -> WARN `could not re-resolve: endpoint=<name>` (ERRORS + 1);
 *                          another address -> sender.onResolutionChange
 * ```
 *
 * Channels and destination endpoints are resolved through the driver's name resolver (`ConductorState.nameResolver`).
 */
import { ENDPOINT_PARAM_NAME, IPC_CHANNEL } from '../logbuffer/channel-uri.ts';
import { newSendChannelEndpoint } from './channel-endpoint-supplier.ts';
import { ERROR_CODE_INVALID_CHANNEL } from './command/control-protocol.ts';
import type { ConductorState } from './driver-conductor-state.ts';
import {
  closeEach,
  illegalArgument,
  NO_ID_ALLOCATED,
  NULL_VALUE,
  networkSessionKey,
  publicationErrorEvent,
  SPY_PREFIX,
  sendDestinationOf,
  unknownPublication,
  validateControlForPublication,
  validateDestinationKeys,
  validateEndpointForPublication,
  warnEvent,
} from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { MultiSndDestination } from './media/multi-snd-destination.ts';
import type { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import { SocketAddress } from './media/socket-address.ts';
import { UdpChannel } from './media/udp-channel.ts';
import type { NetworkPublication } from './network-publication.ts';
import { newNetworkPublication } from './network-publication-factory.ts';
import { NetworkPublicationLink } from './network-publication-link.ts';
import { NetworkPublicationThreadLocals } from './network-publication-thread-locals.ts';
import type { PublicationImage } from './publication-image.ts';
import {
  confirmMatch,
  getPublicationParams,
  PROTOTYPE_VALUE_CORRELATION_ID,
  type PublicationParams,
  parseChannelUri,
} from './publication-params.ts';
import { SpySubscriptionLink } from './spy-subscription-link.ts';
import { allocateSubscriberPosition } from './stream-counter.ts';
import { getSubscriptionParams } from './subscription-link.ts';

/** The conductor's network publications, send channel endpoints and spies; see the module comment. */
export class UdpPublicationConductor {
  readonly #state: ConductorState;
  /** Send channel endpoints by canonical form (Java `sendChannelEndpointByChannelMap`). */
  readonly #sendChannelEndpoints = new Map<string, SendChannelEndpoint>();
  #threadLocals: NetworkPublicationThreadLocals | null = null;

  /** @param state what the conductor's parts share. */
  constructor(state: ConductorState) {
    this.#state = state;
  }

  /** Number of open send channel endpoints. */
  get sendChannelEndpointCount(): number {
    return this.#sendChannelEndpoints.size;
  }

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:udp` (Java `onAddNetworkPublication`; module comment).
   * A request publication (`response-correlation-id=<response subscription>`) needs that subscription; a response
   * publication (`control-mode=response|response-correlation-id=<image>`) needs an image whose SETUP asked for a
   * response channel, and that image then sends RSP_SETUP with the publication's session id until it connects.
   * Throws `ControlProtocolError` (INVALID_CHANNEL, GENERIC_ERROR), `SocketError` (the endpoint's socket) or
   * `MappedFileError` (the log file).
   */
  onAddNetworkPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    const state = this.#state;
    const udpChannel = UdpChannel.parse(channel, { nameResolver: state.nameResolver });
    const channelUri = udpChannel.channelUri;
    const params = getPublicationParams(channelUri, state.ctx.driverContext, state, streamId);
    validateEndpointForPublication(udpChannel);
    validateControlForPublication(udpChannel);
    this.#validateResponseSubscription(params);
    const channelEndpoint = this.#getOrCreateSendChannelEndpoint(udpChannel, correlationId);
    let publication: NetworkPublication | null = null;
    if (!isExclusive) {
      for (const candidate of state.networkPublications) {
        if (
          candidate.streamId === streamId &&
          candidate.channelEndpoint === channelEndpoint &&
          candidate.state === 'ACTIVE' &&
          !candidate.isExclusive &&
          candidate.responseCorrelationId === params.responseCorrelationId
        ) {
          publication = candidate;
          break;
        }
      }
    }
    let isNewPublication = false;
    let responsePublicationImage: PublicationImage | null;
    try {
      responsePublicationImage = this.#findResponsePublicationImage(params);
      if (publication === null) {
        if (state.activeSessions.has(networkSessionKey(params.sessionId, streamId, udpChannel.canonicalForm))) {
          throw new ControlProtocolError(
            ERROR_CODE_INVALID_CHANNEL,
            `existing publication has clashing sessionId=${params.sessionId} for streamId=${streamId} channel=${channel}`,
          );
        }
        publication = this.#newNetworkPublication(
          correlationId,
          clientId,
          streamId,
          channel,
          udpChannel,
          channelEndpoint,
          params,
          isExclusive,
        );
        isNewPublication = true;
      } else {
        confirmMatch(channelUri, params, publication);
      }
    } catch (e) {
      this.#closeSendChannelEndpointIfUnused(channelEndpoint);
      throw e;
    }
    state.publicationLinks.push(
      new NetworkPublicationLink(correlationId, state.clients.getOrAddClient(clientId), publication),
    );
    state.clientProxy.onPublicationReady(
      correlationId,
      publication.registrationId,
      streamId,
      publication.sessionId,
      publication.rawLog.fileName,
      publication.publisherLimitId,
      channelEndpoint.statusIndicatorCounterId,
      isExclusive,
    );
    if (isNewPublication) this.#linkSpies(publication);
    responsePublicationImage?.responseSessionId(publication.sessionId);
  }

  /**
   * ADD_SUBSCRIPTION on `aeron-spy:` (Java `onAddSpySubscription`): the spied UDP channel parsed (INVALID_CHANNEL
   * otherwise), a SpySubscriptionLink, ON_SUBSCRIPTION_READY with channel status -1 (`NO_ID_ALLOCATED`, as Java),
   * then ON_AVAILABLE_IMAGE (source `aeron:ipc`) for each matching network publication accepting subscriptions, the
   * spy's sub-pos at the publication's sender position.
   */
  onAddSpySubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const state = this.#state;
    const udpChannel = UdpChannel.parse(channel, { nameResolver: state.nameResolver });
    const params = getSubscriptionParams(channel, state.ctx.driverContext);
    const link = new SpySubscriptionLink(
      registrationId,
      udpChannel,
      streamId,
      state.clients.getOrAddClient(clientId),
      params.sessionId,
    );
    state.spySubscriptionLinks.push(link);
    state.clientProxy.onSubscriptionReady(registrationId, NO_ID_ALLOCATED);
    this.#linkMatchingNetworkPublications(link);
  }

  /**
   * ADD_RCV_DESTINATION `aeron-spy:` (Java `onAddRcvSpyDestination`): a spy link with the MDS subscription's
   * registration id, stream and client (UNKNOWN_SUBSCRIPTION without one), ON_OPERATION_SUCCESS, then an image of
   * every matching network publication.
   */
  onAddRcvSpyDestination(registrationId: number, channel: string, correlationId: number): void {
    const state = this.#state;
    const udpChannel = UdpChannel.parse(channel, { nameResolver: state.nameResolver });
    const params = getSubscriptionParams(channel, state.ctx.driverContext);
    const mdsLink = state.findMdsSubscription(registrationId);
    const link = new SpySubscriptionLink(
      registrationId,
      udpChannel,
      mdsLink.streamId,
      mdsLink.client,
      params.sessionId,
    );
    state.spySubscriptionLinks.push(link);
    state.clientProxy.operationSucceeded(correlationId);
    this.#linkMatchingNetworkPublications(link);
  }

  /**
   * ADD_DESTINATION (Java `onAddSendDestination`): the destination URI is validated as Java does (no spy, none of
   * the invalid destination keys, no `control-mode=response`, no port 0), then the publication must be a network
   * publication with manual control (UNKNOWN_PUBLICATION, INVALID_CHANNEL); ON_OPERATION_SUCCESS.
   */
  onAddSendDestination(registrationId: number, channel: string, correlationId: number): void {
    const uri = parseChannelUri(channel);
    if (uri.prefix === SPY_PREFIX) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `Aeron spies are invalid as send destinations: channel=${channel}`,
      );
    }
    validateDestinationKeys(uri, channel);
    if (uri.get('control-mode') === 'response') {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'destinations may not specify control-mode=response');
    }
    const endpoint = uri.get('endpoint');
    if (endpoint?.endsWith(':0') === true) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `endpoint has port=0 for send destination: channel=${channel}`,
      );
    }
    const destinations = this.#manualSndDestinations(registrationId);
    destinations.addDestination(endpoint ?? null, sendDestinationOf(uri, this.#state.nameResolver), correlationId);
    this.#state.clientProxy.operationSucceeded(correlationId);
  }

  /** REMOVE_DESTINATION (Java `onRemoveSendDestination`): the destination with the URI's address, if any. */
  onRemoveSendDestination(registrationId: number, channel: string, correlationId: number): void {
    const uri = parseChannelUri(channel);
    const destinations = this.#manualSndDestinations(registrationId);
    destinations.removeDestination(sendDestinationOf(uri, this.#state.nameResolver));
    this.#state.clientProxy.operationSucceeded(correlationId);
  }

  /** REMOVE_DESTINATION_BY_ID (Java `onRemoveSendDestination(long, long, long)`). */
  onRemoveSendDestinationById(publicationRegistrationId: number, destinationId: number, correlationId: number): void {
    this.#manualSndDestinations(publicationRegistrationId).removeDestinationById(destinationId);
    this.#state.clientProxy.operationSucceeded(correlationId);
  }

  /**
   * An error frame from a receiver of a network publication (Java `onPublicationError`): a WARN entry in the
   * distinct error log as Java records it, then ON_PUBLICATION_ERROR to the clients with the receiver's address,
   * id and group tag.
   */
  onPublicationError(
    registrationId: number,
    destinationRegistrationId: number,
    sessionId: number,
    streamId: number,
    receiverId: bigint,
    groupTag: bigint | null,
    srcAddress: SocketAddress,
    errorCode: number,
    errorMessage: string,
  ): void {
    this.#state.recordError(
      publicationErrorEvent(
        registrationId,
        destinationRegistrationId,
        sessionId,
        streamId,
        receiverId,
        groupTag ?? NULL_VALUE,
        errorCode,
        errorMessage,
      ),
    );
    this.#state.clientProxy.onPublicationErrorFrame(
      registrationId,
      destinationRegistrationId,
      sessionId,
      streamId,
      receiverId,
      groupTag,
      srcAddress,
      errorCode,
      errorMessage,
    );
  }

  /**
   * A name of `channelEndpoint` is due for re-resolution (Java `onReResolveEndpoint`; module comment): resolved again
   * at once; unresolved: a WARN `could not re-resolve: endpoint=<endpoint>` (ERRORS + 1); an address other than
   * `address`: the sender moves the endpoint's destination or socket there. What fails is recorded (ERRORS + 1).
   */
  onReResolveEndpoint(endpoint: string, channelEndpoint: SendChannelEndpoint, address: SocketAddress | null): void {
    const state = this.#state;
    try {
      const newAddress = UdpChannel.resolve(endpoint, ENDPOINT_PARAM_NAME, true, state.nameResolver);
      if (newAddress === null) {
        state.recordError(warnEvent(`could not re-resolve: endpoint=${endpoint}`));
      } else if (address !== null && !address.equals(SocketAddress.of(newAddress))) {
        state.senderProxy().onResolutionChange(channelEndpoint, endpoint, newAddress);
      }
    } catch (e) {
      state.recordError(e);
    }
  }

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, every spy of `publication` (Java `cleanupSpies`). */
  cleanupSpies(publication: NetworkPublication): void {
    for (const link of this.#state.spySubscriptionLinks) {
      if (link.isLinked(publication)) {
        this.#state.clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
        link.unlink(publication);
      }
    }
  }

  /** A network publication is done: the sender drops it, its endpoint closes when unused, its session is free. */
  cleanupPublication(publication: NetworkPublication): void {
    this.#state.senderProxy().onRemoveNetworkPublication(publication);
    const canonicalForm = publication.channelEndpoint.udpChannel.canonicalForm;
    const endpoint = this.#sendChannelEndpoints.get(canonicalForm);
    if (endpoint !== undefined) this.#closeSendChannelEndpointIfUnused(endpoint);
    this.#state.activeSessions.delete(networkSessionKey(publication.sessionId, publication.streamId, canonicalForm));
  }

  /** Closes every send channel endpoint's sockets, each failure to the error handler, and forgets them (driver close). */
  closeChannelEndpoints(): void {
    closeEach([...this.#sendChannelEndpoints.values()], this.#state.ctx.errorHandler);
    this.#sendChannelEndpoints.clear();
  }

  /**
   * Java `validateResponseSubscription`: a request publication (`response-correlation-id` without
   * `control-mode=response`) names the registration id of a subscription of this driver; GENERIC_ERROR otherwise.
   */
  #validateResponseSubscription(params: PublicationParams): void {
    const id = params.responseCorrelationId;
    if (params.isResponse || id === NULL_VALUE) return;
    const state = this.#state;
    const lists: readonly { readonly registrationId: number }[][] = [
      state.subscriptionLinks,
      state.networkSubscriptionLinks,
      state.spySubscriptionLinks,
    ];
    for (const list of lists) {
      for (const link of list) if (link.registrationId === id) return;
    }
    throw illegalArgument(`unable to find response subscription for response-correlation-id=${id}`);
  }

  /**
   * Java `findResponsePublicationImage`: for a response publication (`control-mode=response`), the image whose
   * correlation id is its `response-correlation-id` and whose SETUP asked for a response setup; none for
   * `prototype` or a publication that is not a response one. GENERIC_ERROR with Java's texts otherwise.
   */
  #findResponsePublicationImage(params: PublicationParams): PublicationImage | null {
    if (!params.isResponse) return null;
    const id = params.responseCorrelationId;
    if (id === NULL_VALUE) {
      throw illegalArgument('control-mode=response was specified, but no response-correlation-id set');
    }
    if (id === PROTOTYPE_VALUE_CORRELATION_ID) return null;
    for (const image of this.#state.publicationImages) {
      if (image.correlationId === id) {
        if (image.hasSendResponseSetup()) return image;
        throw illegalArgument(`image.correlationId=${id} did not request a response channel`);
      }
    }
    throw illegalArgument(`image.correlationId=${id} not found`);
  }

  #getOrCreateSendChannelEndpoint(udpChannel: UdpChannel, registrationId: number): SendChannelEndpoint {
    let endpoint = this.#sendChannelEndpoints.get(udpChannel.canonicalForm);
    if (endpoint !== undefined) return endpoint;
    endpoint = newSendChannelEndpoint(this.#state.endpointSupplierContext(), udpChannel, registrationId);
    this.#state.senderProxy().onRegisterSendChannelEndpoint(endpoint);
    this.#sendChannelEndpoints.set(udpChannel.canonicalForm, endpoint);
    return endpoint;
  }

  #closeSendChannelEndpointIfUnused(endpoint: SendChannelEndpoint): void {
    if (endpoint.shouldBeClosed()) {
      this.#state.senderProxy().onCloseSendChannelEndpoint(endpoint);
      this.#sendChannelEndpoints.delete(endpoint.udpChannel.canonicalForm);
      endpoint.close();
    }
  }

  #newNetworkPublication(
    registrationId: number,
    clientId: number,
    streamId: number,
    channel: string,
    udpChannel: UdpChannel,
    channelEndpoint: SendChannelEndpoint,
    params: PublicationParams,
    isExclusive: boolean,
  ): NetworkPublication {
    const state = this.#state;
    const sender = state.senderProxy();
    const osSocketBuffers = state.osSocketBuffers();
    this.#threadLocals ??= new NetworkPublicationThreadLocals();
    const publication = newNetworkPublication(
      {
        countersManager: state.countersManager,
        systemCounters: state.ctx.systemCounters,
        driverContext: state.ctx.driverContext,
        nanoClock: state.ctx.nanoClock,
        feedbackDelayGenerators: state.feedbackDelayGenerators(),
        threadLocals: this.#threadLocals,
        osSocketBuffers,
      },
      { registrationId, clientId, streamId, channel, udpChannel, channelEndpoint, params, isExclusive },
    );
    channelEndpoint.incRef();
    state.networkPublications.push(publication);
    sender.onNewNetworkPublication(publication);
    state.activeSessions.add(networkSessionKey(params.sessionId, streamId, udpChannel.canonicalForm));
    return publication;
  }

  /**
   * The MDC destinations of network publication `registrationId` (Java: its endpoint, then
   * `validateAllowsManualControl`): UNKNOWN_PUBLICATION when there is none, INVALID_CHANNEL `channel does not allow
   * manual control` unless `control-mode=manual`.
   */
  #manualSndDestinations(registrationId: number): MultiSndDestination {
    const publication = this.#state.networkPublications.find((p) => p.registrationId === registrationId);
    if (publication === undefined) throw unknownPublication(registrationId);
    const destinations = (publication.channelEndpoint as SendChannelEndpoint).multiSndDestination;
    if (destinations === null || destinations.isDynamic) {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'channel does not allow manual control');
    }
    return destinations;
  }

  /** ON_AVAILABLE_IMAGE to every matching spy of a new network publication (Java `linkSpies`). */
  #linkSpies(publication: NetworkPublication): void {
    for (const link of this.#state.spySubscriptionLinks) {
      if (link.matches(publication) && !link.isLinked(publication)) {
        this.#state.clientProxy.onAvailableImage(
          publication.registrationId,
          publication.streamId,
          publication.sessionId,
          link.registrationId,
          this.#linkSpy(publication, link),
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /** An image (ON_AVAILABLE_IMAGE, source `aeron:ipc`) for spy `link` of every matching network publication. */
  #linkMatchingNetworkPublications(link: SpySubscriptionLink): void {
    for (const publication of this.#state.networkPublications) {
      if (link.matches(publication) && publication.isAcceptingSubscriptions()) {
        this.#state.clientProxy.onAvailableImage(
          publication.registrationId,
          link.streamId,
          publication.sessionId,
          link.registrationId,
          this.#linkSpy(publication, link),
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /** A sub-pos for spy `link` in `publication` at its sender position; returns the counter id (Java `linkSpy`). */
  #linkSpy(publication: NetworkPublication, link: SpySubscriptionLink): number {
    const joinPosition = publication.consumerPosition();
    const manager = this.#state.countersManager;
    const position = allocateSubscriberPosition(
      manager,
      {
        clientId: link.client.clientId,
        registrationId: link.registrationId,
        sessionId: publication.sessionId,
        streamId: publication.streamId,
        channel: link.channel,
      },
      joinPosition,
    );
    manager.setCounterReferenceId(position.id, publication.registrationId);
    position.setRelease(joinPosition);
    link.link(publication, position);
    publication.addSubscriber(position);
    return position.id;
  }
}
