/**
 * The driver conductor's `aeron:udp` subscription part (Aeron 1.51.0 `DriverConductor.onAddNetworkSubscription`,
 * `getOrCreateReceiveChannelEndpoint`, `onCreatePublicationImage`, `onAddRcvNetworkDestination` /
 * `onRemoveRcvNetworkDestination`, `responseSetup` / `responseConnected` and the image callbacks): network
 * subscriptions, the receive channel endpoints they share, their MDS destinations and the publication images the
 * receiver asks for. `DriverConductor` delegates to it; images and endpoint dispatchers call it directly.
 *
 * ```
 *  ADD_SUBSCRIPTION aeron:udp
 *     control port 0? GENERIC_ERROR; a subscription of the same stream and session kind on the endpoint must agree
 *     on reliable, rejoin, response (INVALID_CHANNEL); ReceiveChannelEndpoint of the canonical form (or tag)
 *     (opened: rcv-channel, rcv-local-sockaddr, DataPacketDispatcher; registered with the receiver)
 *     NetworkSubscriptionLink -> the receiver's stream (or stream and session) interest, or, response subscription:
 *        the endpoint's response ref count until responseSetup names its session
 *     ON_SUBSCRIPTION_READY (channel status id), then per matching image: sub-pos at its join position,
 *        ON_AVAILABLE_IMAGE (source host:port)
 *  receiver: SETUP for a wanted session -> createPublicationImage: sub-pos per matching subscription, log,
 *     rcv-hwm, rcv-pos, rcv-naks-sent, congestion control, PublicationImage to the receiver, ON_AVAILABLE_IMAGE
 *  image callbacks   LINGER: ON_UNAVAILABLE_IMAGE (the last linked subscription's rejoin lifts the cool-down);
 *                    DONE: subscriptions unlinked; endpoint unused: closing, handed back by the receiver, closed
 *  ADD/REMOVE_RCV_DESTINATION aeron:udp   the MDS subscription's endpoint opens / closes a transport
 *  REJECT_IMAGE of a network image        the receiver rejects it (no more frames, ERROR frames IMAGE_REJECTED)
 *  sender: RSP_SETUP -> responseSetup (the response subscription joins); first SM -> responseConnected
 *  receiver re-resolution  reResolveControl (a control= silent for 5 s): the name resolved again at once through the
 *                          driver's resolver (Java runs it on its async executor; one thread here): unresolved ->
 *                          WARN `could not re-resolve: control=<name>` (ERRORS + 1); another address ->
 *                          receiver.onResolutionChange
 * ```
 *
 * Channels are resolved through the driver's name resolver (`ConductorState.nameResolver`).
 */
import { MDC_CONTROL_PARAM_NAME } from '../logbuffer/channel-uri.ts';
import {
  allocateLocalSocketAddress,
  CHANNEL_STATUS_ACTIVE,
  RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
  updateBindAddress,
} from './channel-endpoint-status.ts';
import { newReceiveChannelEndpoint } from './channel-endpoint-supplier.ts';
import {
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_INVALID_CHANNEL,
  ERROR_CODE_UNKNOWN_SUBSCRIPTION,
} from './command/control-protocol.ts';
import { mtuLengthProblem } from './configuration.ts';
import { DataPacketDispatcher, type DispatcherEndpoint, type ImageCreationProxy } from './data-packet-dispatcher.ts';
import type { ConductorState } from './driver-conductor-state.ts';
import { closeEach, validateDestinationKeys, warnEvent } from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import { SocketAddress } from './media/socket-address.ts';
import { channelOpenError } from './media/socket-error.ts';
import { UdpChannel } from './media/udp-channel.ts';
import {
  getNetworkSubscriptionParams,
  NetworkSubscriptionLink,
  type NetworkSubscriptionParams,
} from './network-subscription-link.ts';
import type {
  ImageChannelEndpoint,
  ImageConductor,
  ImageSubscriptionLink,
  PublicationImage,
} from './publication-image.ts';
import { allocateImageSubscriberPosition, newPublicationImage } from './publication-image-factory.ts';

/** The conductor's network subscriptions, receive channel endpoints and images; see the module comment. */
export class UdpSubscriptionConductor implements ImageConductor, ImageCreationProxy {
  readonly #state: ConductorState;
  /** Receive channel endpoints by canonical form (Java `receiveChannelEndpointByChannelMap`). */
  readonly #receiveChannelEndpoints = new Map<string, ReceiveChannelEndpoint>();

  /** @param state what the conductor's parts share. */
  constructor(state: ConductorState) {
    this.#state = state;
  }

  /**
   * ADD_SUBSCRIPTION on `aeron:udp` (Java `onAddNetworkSubscription`): the receive channel endpoint of the
   * channel's canonical form reused or opened (rcv-channel and rcv-local-sockaddr counters, socket bound to the
   * endpoint), a NetworkSubscriptionLink, the receiver told of the stream (or stream and session) interest,
   * ON_SUBSCRIPTION_READY with the channel status counter id, then ON_AVAILABLE_IMAGE for each matching image.
   * A response subscription (`control-mode=response`) joins the receiver only once a response setup names its
   * session (`responseSetup`). A subscription of the same stream and session kind on the endpoint must agree on
   * `reliable`, `rejoin` and `control-mode=response` (INVALID_CHANNEL, Java `checkForClashingSubscription`).
   */
  onAddNetworkSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const state = this.#state;
    const udpChannel = UdpChannel.parse(channel, { nameResolver: state.nameResolver });
    if (udpChannel.hasExplicitControl && udpChannel.localControl.port === 0) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `control has port=0 for subscription: channel=${udpChannel.originalUriString}`,
        { javaExceptionClass: 'java.lang.IllegalArgumentException' },
      );
    }
    const params = getNetworkSubscriptionParams(udpChannel, state.ctx.driverContext);
    this.#checkForClashingSubscription(params, udpChannel, streamId);
    const channelEndpoint = this.#getOrCreateReceiveChannelEndpoint(udpChannel, registrationId);
    const link = new NetworkSubscriptionLink(
      registrationId,
      streamId,
      channel,
      state.clients.getOrAddClient(clientId),
      channelEndpoint,
      params,
    );
    state.networkSubscriptionLinks.push(link);
    if (udpChannel.isResponseControlMode) channelEndpoint.incResponseRefToStream(streamId);
    else this.#addNetworkSubscriptionToReceiver(link);
    state.clientProxy.onSubscriptionReady(registrationId, channelEndpoint.statusIndicator.id);
    const images = state.publicationImages;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (
        link.matches(image.channelEndpoint as ReceiveChannelEndpoint, image.streamId, image.sessionId) &&
        image.isAcceptingSubscriptions()
      ) {
        const joinPosition = image.joinPosition();
        const position = allocateImageSubscriberPosition(
          state.countersManager,
          link,
          image.sessionId,
          image.correlationId,
          joinPosition,
        );
        link.link(image, position);
        image.addSubscriber(link, position, state.ctx.nanoClock());
        state.clientProxy.onAvailableImage(
          image.correlationId,
          streamId,
          image.sessionId,
          registrationId,
          position.id,
          image.rawLog.fileName,
          image.sourceIdentity,
        );
      }
    }
  }

  /**
   * ADD_RCV_DESTINATION `aeron:udp` (Java `onAddRcvNetworkDestination`): none of the invalid destination keys
   * (INVALID_CHANNEL), the MDS subscription's endpoint (UNKNOWN_SUBSCRIPTION) opens a transport with its own
   * rcv-local-sockaddr counter, the receiver polls it; ON_OPERATION_SUCCESS.
   */
  onAddRcvNetworkDestination(registrationId: number, channel: string, correlationId: number): void {
    const state = this.#state;
    const udpChannel = UdpChannel.parse(channel, { nameResolver: state.nameResolver });
    validateDestinationKeys(udpChannel.channelUri, channel);
    const driverContext = state.ctx.driverContext;
    const endpoint = state.findMdsSubscription(registrationId).channelEndpoint;
    const manager = state.countersManager;
    // Java: a rcv-local-sockaddr counter per destination (ReplayMerge resolves an ephemeral replay port from it)
    const localSocketAddress = allocateLocalSocketAddress(
      manager,
      registrationId,
      endpoint.statusIndicator.id,
      RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
    );
    let transportIndex: number;
    try {
      transportIndex = endpoint.addDestination(
        udpChannel,
        driverContext.socketSndbufLength,
        driverContext.socketRcvbufLength,
        driverContext.multicastTtl,
        localSocketAddress,
      );
    } catch (e) {
      localSocketAddress.close();
      throw channelOpenError(e, channel);
    }
    updateBindAddress(manager, localSocketAddress, endpoint.transportBindAddress(transportIndex));
    localSocketAddress.set(CHANNEL_STATUS_ACTIVE);
    state.receiverProxy().addDestination(endpoint, transportIndex);
    state.clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REMOVE_RCV_DESTINATION `aeron:udp` (Java `onRemoveRcvNetworkDestination`): the network subscription
   * `registrationId` (UNKNOWN_SUBSCRIPTION) must be an MDS one (INVALID_CHANNEL `channel does not allow manual
   * control`); its endpoint closes the destination's transport, the endpoint's images forget it (Java
   * `Receiver.onRemoveDestination`); ON_OPERATION_SUCCESS.
   */
  onRemoveRcvNetworkDestination(registrationId: number, channel: string, correlationId: number): void {
    const link = this.#state.networkSubscriptionLinks.find((l) => l.registrationId === registrationId);
    if (link === undefined) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
    }
    if (!link.channelEndpoint.hasDestinationControl()) {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'channel does not allow manual control');
    }
    const endpoint = link.channelEndpoint;
    const transportIndex = endpoint.removeDestination(
      UdpChannel.parse(channel, { nameResolver: this.#state.nameResolver }),
    );
    if (transportIndex >= 0) this.#state.receiverProxy().removeDestination(endpoint, transportIndex);
    this.#state.clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REJECT_IMAGE of a network image (Java `onRejectImage`): the receiver stops image `imageCorrelationId` taking
   * frames and sends ERROR frames IMAGE_REJECTED to its sender; false when there is no such image.
   */
  rejectImage(imageCorrelationId: number, position: number, reason: string): boolean {
    const images = this.#state.publicationImages;
    for (let i = 0; i < images.length; i++) {
      if (images[i]!.correlationId === imageCorrelationId) {
        this.#state.receiverProxy().rejectImage(imageCorrelationId, position, reason);
        return true;
      }
    }
    return false;
  }

  /**
   * A SETUP for a session the endpoint's subscriptions want (Java `onCreatePublicationImage`; the receiver's
   * `ReceiverConductorProxy.createPublicationImage`): a sub-pos per matching subscription at the SETUP's position,
   * the image log, rcv-hwm, rcv-pos and rcv-naks-sent counters, static window congestion control, the
   * `PublicationImage` handed to the receiver, ON_AVAILABLE_IMAGE to each subscription with the source identity
   * (`host:port` of the SETUP's source).
   */
  createPublicationImage(
    sessionId: number,
    streamId: number,
    initialTermId: number,
    activeTermId: number,
    termOffset: number,
    termLength: number,
    mtuLength: number,
    transportIndex: number,
    flags: number,
    controlAddress: SocketAddress,
    srcAddress: SocketAddress,
    channelEndpoint: DispatcherEndpoint,
  ): void {
    const state = this.#state;
    const endpoint = channelEndpoint as ReceiveChannelEndpoint;
    const mtuProblem = mtuLengthProblem(mtuLength);
    if (mtuProblem !== null) {
      throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, `ERROR - ${mtuProblem}`, {
        javaExceptionClass: 'io.aeron.exceptions.ConfigurationException',
      });
    }
    const links: NetworkSubscriptionLink[] = [];
    for (const link of state.networkSubscriptionLinks) {
      if (link.matches(endpoint, streamId, sessionId)) links.push(link);
    }
    if (links.length === 0) return;
    const receiver = state.receiverProxy();
    const osSocketBuffers = state.osSocketBuffers();
    const correlationId = state.ctx.toDriverCommands.nextCorrelationId();
    const { image, positions } = newPublicationImage(
      {
        countersManager: state.countersManager,
        systemCounters: state.ctx.systemCounters,
        driverContext: state.ctx.driverContext,
        feedbackDelayGenerators: state.feedbackDelayGenerators(),
        osSocketBuffers,
        imageConductor: this,
        cachedNanoClock: receiver.cachedNanoClock,
        nanoClock: state.ctx.nanoClock,
        epochClock: state.ctx.epochClock,
      },
      {
        correlationId,
        endpoint,
        transportIndex,
        sessionId,
        streamId,
        initialTermId,
        activeTermId,
        termOffset,
        termLength,
        mtuLength,
        flags,
        controlAddress,
        srcAddress,
        links,
      },
    );
    endpoint.incRefImages();
    state.publicationImages.push(image);
    receiver.newPublicationImage(endpoint, image);
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      const position = positions[i]!;
      link.link(image, position);
      state.clientProxy.onAvailableImage(
        correlationId,
        streamId,
        sessionId,
        link.registrationId,
        position.id,
        image.rawLog.fileName,
        image.sourceIdentity,
      );
    }
  }

  /**
   * A `control=` of `channelEndpoint` (its channel's, or an MDS destination's `udpChannel`) is due for re-resolution
   * (Java `onReResolveControl`; module comment): resolved again at once; unresolved: a WARN `could not re-resolve:
   * control=<control>` (ERRORS + 1); an address other than `address`: the receiver elicits SETUPs from the new one.
   * What fails is recorded (ERRORS + 1).
   */
  onReResolveControl(
    control: string,
    udpChannel: UdpChannel,
    channelEndpoint: ReceiveChannelEndpoint,
    address: SocketAddress,
  ): void {
    const state = this.#state;
    try {
      const newAddress = UdpChannel.resolve(control, MDC_CONTROL_PARAM_NAME, true, state.nameResolver);
      if (newAddress === null) {
        state.recordError(warnEvent(`could not re-resolve: control=${control}`));
      } else if (!address.equals(SocketAddress.of(newAddress))) {
        state.receiverProxy().onResolutionChange(channelEndpoint, udpChannel, newAddress);
      }
    } catch (e) {
      state.recordError(e);
    }
  }

  /** The receiver stopped polling `endpoint`: it is closed and forgotten (Java `receiveChannelEndpointClosed`). */
  receiveChannelEndpointClosed(channelEndpoint: ReceiveChannelEndpoint): void {
    this.#receiveChannelEndpoints.delete(channelEndpoint.udpChannel.canonicalForm);
    channelEndpoint.close();
  }

  /**
   * A publication's first receiver connected (Java `responseConnected`): when it answers an image that asked for a
   * response channel (`responseCorrelationId` = the image's correlation id), that image stops sending RSP_SETUP.
   */
  responseConnected(responseCorrelationId: number): void {
    const images = this.#state.publicationImages;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (image.correlationId === responseCorrelationId && image.hasSendResponseSetup()) {
        image.responseSessionId(null);
      }
    }
  }

  /**
   * A RSP_SETUP reached a request publication (Java `responseSetup`): its response subscription (registration id
   * `responseCorrelationId`) takes `responseSessionId` and joins the receiver for that session, whose SETUP it
   * elicits from the response publication's control address; one with a session already elicits the SETUP again.
   */
  responseSetup(responseCorrelationId: number, responseSessionId: number): void {
    const links = this.#state.networkSubscriptionLinks;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (link.registrationId !== responseCorrelationId) continue;
      const sessionId = link.sessionId;
      if (sessionId !== null) {
        this.#state.receiverProxy().requestSetup(link.channelEndpoint, link.streamId, sessionId);
      } else {
        link.setSessionId(responseSessionId);
        this.#addNetworkSubscriptionToReceiver(link);
        link.channelEndpoint.decResponseRefToStream(link.streamId);
      }
      break;
    }
  }

  /** A network subscription is gone: the receiver loses interest, the endpoint closes when unused. */
  cleanupNetworkSubscriptionLink(link: NetworkSubscriptionLink): void {
    const endpoint = link.channelEndpoint;
    const receiver = this.#state.receiverProxy();
    const sessionId = link.sessionId;
    if (sessionId !== null) {
      if (endpoint.decRefToStreamAndSession(link.streamId, sessionId) === 0) {
        receiver.removeSubscription(endpoint, link.streamId, sessionId);
      }
    } else if (link.isResponse) {
      endpoint.decResponseRefToStream(link.streamId);
    } else if (endpoint.decRefToStream(link.streamId) === 0) {
      receiver.removeSubscription(endpoint, link.streamId);
    }
    this.#tryCloseReceiveChannelEndpoint(endpoint);
  }

  /** Closes every receive channel endpoint's sockets, each failure to the error handler, and forgets them. */
  closeChannelEndpoints(): void {
    closeEach([...this.#receiveChannelEndpoints.values()], this.#state.ctx.errorHandler);
    this.#receiveChannelEndpoints.clear();
  }

  // ---- ImageConductor (Java: the DriverConductor methods PublicationImage calls) ---------------------------------

  /**
   * DRAINING → LINGER (Java `transitionToLinger`): ON_UNAVAILABLE_IMAGE to each linked subscription; the last one's
   * `rejoin` decides: true lifts the session's cool-down in the endpoint's dispatcher, false keeps it.
   */
  transitionToLinger(image: PublicationImage): void {
    let rejoin = true;
    for (const link of this.#state.networkSubscriptionLinks) {
      if (link.isLinked(image)) {
        rejoin = link.isRejoin;
        this.#state.clientProxy.onUnavailableImage(
          image.correlationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
      }
    }
    if (rejoin) {
      this.#state.receiver?.removeCoolDown(
        image.channelEndpoint as ReceiveChannelEndpoint,
        image.sessionId,
        image.streamId,
      );
    }
  }

  /** LINGER → DONE (Java `cleanupImage`): every subscription forgets `image`. */
  cleanupImage(image: PublicationImage): void {
    for (const link of this.#state.networkSubscriptionLinks) link.unlink(image);
  }

  /** The endpoint closes when nothing uses it any more (Java `tryCloseReceiveChannelEndpoint`). */
  tryCloseReceiveChannelEndpoint(endpoint: ImageChannelEndpoint): void {
    this.#tryCloseReceiveChannelEndpoint(endpoint as ReceiveChannelEndpoint);
  }

  /** An untethered subscriber fell behind: ON_UNAVAILABLE_IMAGE to that subscription only. */
  notifyUnavailableImageLink(correlationId: number, link: ImageSubscriptionLink): void {
    const subscription = link as NetworkSubscriptionLink;
    this.#state.clientProxy.onUnavailableImage(
      correlationId,
      subscription.registrationId,
      subscription.streamId,
      subscription.channel,
    );
  }

  /** An untethered subscriber rejoins: its sub-pos := `joinPosition`, ON_AVAILABLE_IMAGE to that subscription only. */
  notifyAvailableImageLink(
    correlationId: number,
    sessionId: number,
    link: ImageSubscriptionLink,
    positionId: number,
    joinPosition: number,
    logFileName: string,
    sourceIdentity: string,
  ): void {
    const subscription = link as NetworkSubscriptionLink;
    this.#state.countersManager.setCounterValue(positionId, joinPosition);
    this.#state.clientProxy.onAvailableImage(
      correlationId,
      subscription.streamId,
      sessionId,
      subscription.registrationId,
      positionId,
      logFileName,
      sourceIdentity,
    );
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  /** The receiver's stream (or stream and session) interest for `link` (Java `addNetworkSubscriptionToReceiver`). */
  #addNetworkSubscriptionToReceiver(link: NetworkSubscriptionLink): void {
    const endpoint = link.channelEndpoint;
    const sessionId = link.sessionId;
    if (sessionId !== null) {
      if (endpoint.incRefToStreamAndSession(link.streamId, sessionId) === 1) {
        this.#state.receiverProxy().addSubscription(endpoint, link.streamId, sessionId);
      }
    } else if (endpoint.incRefToStream(link.streamId) === 1) {
      this.#state.receiverProxy().addSubscription(endpoint, link.streamId);
    }
  }

  /**
   * Java `checkForClashingSubscription`: on the endpoint the channel maps to, a subscription of the same stream
   * and session kind (by tag when the channel has one) must agree on `reliable`, `rejoin` and response mode.
   */
  #checkForClashingSubscription(params: NetworkSubscriptionParams, udpChannel: UdpChannel, streamId: number): void {
    const endpoint = this.#findExistingReceiveChannelEndpoint(udpChannel);
    if (endpoint === null) return;
    for (const link of this.#state.networkSubscriptionLinks) {
      if (!link.matchesParams(endpoint, streamId, params)) continue;
      const conflict =
        params.isReliable !== link.isReliable
          ? `reliable=${params.isReliable}`
          : params.isRejoin !== link.isRejoin
            ? `rejoin=${params.isRejoin}`
            : params.isResponse !== link.isResponse
              ? `isResponse=${params.isResponse}`
              : null;
      if (conflict !== null) {
        throw new ControlProtocolError(
          ERROR_CODE_INVALID_CHANNEL,
          `option conflicts with existing subscription: ${conflict} existingChannel=${link.channel} channel=${udpChannel.originalUriString}`,
        );
      }
    }
  }

  /**
   * Java `findExistingReceiveChannelEndpoint`: a channel with a tag finds the endpoint it names by tag first; else
   * the endpoint of its canonical form, unless both have tags and they differ.
   */
  #findExistingReceiveChannelEndpoint(udpChannel: UdpChannel): ReceiveChannelEndpoint | null {
    if (udpChannel.hasTag) {
      for (const endpoint of this.#receiveChannelEndpoints.values()) {
        if (endpoint.matchesTag(udpChannel)) return endpoint;
      }
    }
    const endpoint = this.#receiveChannelEndpoints.get(udpChannel.canonicalForm);
    if (endpoint === undefined) return null;
    if (endpoint.udpChannel.hasTag && udpChannel.hasTag && endpoint.udpChannel.tag !== udpChannel.tag) return null;
    return endpoint;
  }

  #getOrCreateReceiveChannelEndpoint(udpChannel: UdpChannel, registrationId: number): ReceiveChannelEndpoint {
    const existing = this.#findExistingReceiveChannelEndpoint(udpChannel);
    if (existing !== null) return existing;
    const receiver = this.#state.receiverProxy();
    const endpoint = newReceiveChannelEndpoint(
      this.#state.endpointSupplierContext(),
      udpChannel,
      registrationId,
      new DataPacketDispatcher(this, receiver),
      receiver.cachedNanoClock,
    );
    receiver.registerReceiveChannelEndpoint(endpoint);
    this.#receiveChannelEndpoints.set(udpChannel.canonicalForm, endpoint);
    return endpoint;
  }

  #tryCloseReceiveChannelEndpoint(endpoint: ReceiveChannelEndpoint): void {
    if (endpoint.shouldBeClosed()) {
      endpoint.indicateClosing();
      this.#state.receiverProxy().closeReceiveChannelEndpoint(endpoint);
    }
  }
}
