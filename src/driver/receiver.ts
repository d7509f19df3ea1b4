/**
 * The receiver agent of the media driver (Java 1.51.0 `io.aeron.driver.Receiver`, with its `DataTransportPoller`):
 * reads the receive channel endpoints' sockets, keeps the publication images' status messages, NAKs and RTT
 * measurements going, drops images that stopped hearing from their source, and re-elicits SETUPs.
 *
 * ```
 *  doWork():  cached clock := now
 *             each registered endpoint: up to RECEIVE_BATCH datagrams -> endpoint.poll -> dispatcher -> images
 *             BYTES_RECEIVED += bytes
 *             each image (newest first):  connected?  checkEosForDrainTransition, sendPendingStatusMessage,
 *                                                      processPendingLoss, initiateAnyRttMeasurements
 *                                         not connected -> removed from the receiver and the dispatcher
 *                                                          (cool-down), receiverRelease
 *             pending SETUPs older than 1 s: one-off -> removed (the session's PENDING_SETUP_FRAME state too);
 *                                            periodic (control=) -> SM with SEND_SETUP again
 *             every reResolutionCheckIntervalNs (> 0): each endpoint's checkForReResolution -> a `control=` due goes
 *                                            to the conductor (reResolveControl), which resolves it at once (one
 *                                            thread: Java's async name resolution is a synchronous call here) and,
 *                                            for a new address, calls onResolutionChange
 *  onResolutionChange(endpoint, channel, address):  the periodic pending SETUPs of that transport go to the new
 *                                            address (RESOLUTION_CHANGES + 1 each), the endpoint's control address too
 *
 *  the conductor's commands (Java ReceiverProxy; direct calls here):
 *    registerReceiveChannelEndpoint, closeReceiveChannelEndpoint, addSubscription(endpoint, stream[, session]),
 *    removeSubscription(...), newPublicationImage(endpoint, image), removeCoolDown, rejectImage, requestSetup,
 *    onResolutionChange
 * ```
 *
 * Java's poller reads one datagram per transport per duty cycle; here up to {@link RECEIVE_BATCH} are read per
 * endpoint per cycle, since the conductor and sender share the thread (SHARED/INVOKER) and a cycle costs more.
 * One native receive buffer and one source address serve every datagram: nothing is allocated per frame.
 */
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import {
  MAX_UDP_PAYLOAD_LENGTH,
  PENDING_SETUPS_TIMEOUT_NS,
  RE_RESOLUTION_CHECK_INTERVAL_DEFAULT_NS,
} from './configuration.ts';
import type { PendingSetupTracker } from './data-packet-dispatcher.ts';
import type { InetSocketAddress } from './media/inet-socket-address.ts';
import { allocateDirectBuffer } from './media/native-buffer.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import { SocketAddress } from './media/socket-address.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { PublicationImage } from './publication-image.ts';
import type { ReceiverConductorProxy } from './receiver-conductor-proxy.ts';
import { addOrdered, incrementOrdered } from './single-writer-counter.ts';
import type { SystemCounters } from './system-counters.ts';

/** Datagrams read from one endpoint per duty cycle at most. */
export const RECEIVE_BATCH = 64;

/** A SETUP elicited from a source (Java `PendingSetupMessageFromSource`). */
class PendingSetupMessageFromSource {
  readonly sessionId: number;
  readonly streamId: number;
  readonly transportIndex: number;
  readonly channelEndpoint: ReceiveChannelEndpoint;
  readonly periodic: boolean;
  controlAddress: SocketAddress;
  timeOfStatusMessageNs = 0;

  constructor(
    sessionId: number,
    streamId: number,
    transportIndex: number,
    channelEndpoint: ReceiveChannelEndpoint,
    periodic: boolean,
    controlAddress: SocketAddress,
  ) {
    this.sessionId = sessionId;
    this.streamId = streamId;
    this.transportIndex = transportIndex;
    this.channelEndpoint = channelEndpoint;
    this.periodic = periodic;
    this.controlAddress = controlAddress;
  }

  removeFromDataPacketDispatcher(): void {
    this.channelEndpoint.dispatcher().removePendingSetup(this.sessionId, this.streamId);
  }
}

/** Options of the receiver. */
export interface ReceiverOptions {
  /** The driver's system counters (BYTES_RECEIVED). */
  readonly systemCounters: SystemCounters;
  /** The conductor side. */
  readonly conductorProxy: ReceiverConductorProxy;
  /** The driver's clock (ns). */
  readonly nanoClock: () => number;
  /**
   * How often `control=` addresses are checked for re-resolution (ns; 0 or less: never; default 1 s, Java
   * `reResolutionCheckIntervalNs`).
   */
  readonly reResolutionCheckIntervalNs?: number;
}

/** See the module comment. */
export class Receiver implements PendingSetupTracker {
  /** The time of the current duty cycle (ns); images and endpoints read it through {@link cachedNanoClock}. */
  readonly cachedNanoClock: () => number;
  /** The conductor side, for the dispatchers the conductor creates. */
  readonly conductorProxy: ReceiverConductorProxy;

  readonly #nanoClock: () => number;
  readonly #totalBytesReceived: AtomicCounter;
  readonly #resolutionChanges: AtomicCounter;
  readonly #reResolutionCheckIntervalNs: number;
  #reResolutionDeadlineNs: number;
  readonly #buffer: AtomicBuffer = allocateDirectBuffer(MAX_UDP_PAYLOAD_LENGTH);
  readonly #srcAddress = new SocketAddress();
  readonly #endpoints: ReceiveChannelEndpoint[] = [];
  readonly #publicationImages: PublicationImage[] = [];
  readonly #pendingSetupMessages: PendingSetupMessageFromSource[] = [];
  #nowNs: number;

  /** @param options counters, conductor proxy, clock. */
  constructor(options: ReceiverOptions) {
    this.#nanoClock = options.nanoClock;
    this.conductorProxy = options.conductorProxy;
    this.#totalBytesReceived = options.systemCounters.get('BYTES_RECEIVED');
    this.#resolutionChanges = options.systemCounters.get('RESOLUTION_CHANGES');
    this.#reResolutionCheckIntervalNs = options.reResolutionCheckIntervalNs ?? RE_RESOLUTION_CHECK_INTERVAL_DEFAULT_NS;
    this.#nowNs = options.nanoClock();
    this.#reResolutionDeadlineNs = this.#nowNs + this.#reResolutionCheckIntervalNs;
    this.cachedNanoClock = () => this.#nowNs;
  }

  /** Role name (Java `roleName`). */
  roleName(): string {
    return 'receiver';
  }

  /** The images the receiver serves (newest last). */
  get publicationImages(): readonly PublicationImage[] {
    return this.#publicationImages;
  }

  /** One duty cycle; returns the work count (module comment). Java: `Receiver.doWork`. */
  doWork(): number {
    const nowNs = this.#nanoClock();
    this.#nowNs = nowNs;
    const bytesReceived = this.#pollTransports();
    if (bytesReceived > 0) addOrdered(this.#totalBytesReceived, bytesReceived);
    let workCount = 0;
    const images = this.#publicationImages;
    for (let i = images.length - 1; i >= 0; i--) {
      const image = images[i]!;
      if (image.isConnected(nowNs)) {
        image.checkEosForDrainTransition(nowNs);
        workCount += image.sendPendingStatusMessage(nowNs);
        workCount += image.processPendingLoss();
        workCount += image.initiateAnyRttMeasurements(nowNs);
      } else {
        images.splice(i, 1);
        image.removeFromDispatcher();
        image.receiverRelease();
      }
    }
    this.#checkPendingSetupMessages(nowNs);
    if (this.#reResolutionCheckIntervalNs > 0 && this.#reResolutionDeadlineNs - nowNs < 0) {
      this.#reResolutionDeadlineNs = nowNs + this.#reResolutionCheckIntervalNs;
      this.#checkForReResolutions(nowNs);
    }
    return workCount + bytesReceived;
  }

  /**
   * The `control=` of `udpChannel` (the endpoint's, or an MDS destination's) now resolves to `newAddress`, another
   * address than before (Java `onResolutionChange`): the periodic pending SETUPs of its transport elicit from there
   * (RESOLUTION_CHANGES + 1 for each), and the endpoint's control address moves.
   */
  onResolutionChange(
    channelEndpoint: ReceiveChannelEndpoint,
    udpChannel: UdpChannel,
    newAddress: InetSocketAddress,
  ): void {
    const transportIndex = channelEndpoint.hasDestinationControl() ? channelEndpoint.destination(udpChannel) : 0;
    const controlAddress = SocketAddress.of(newAddress);
    for (const pending of this.#pendingSetupMessages) {
      if (
        pending.channelEndpoint === channelEndpoint &&
        pending.periodic &&
        pending.transportIndex === transportIndex
      ) {
        pending.controlAddress = controlAddress;
        incrementOrdered(this.#resolutionChanges);
      }
    }
    channelEndpoint.updateControlAddress(transportIndex, newAddress);
  }

  /** Closes every endpoint's socket it polls (Java `onClose`: the poller closes). */
  onClose(): void {
    this.#endpoints.length = 0;
  }

  /** Tracks an elicited SETUP (Java `addPendingSetupMessage`). */
  addPendingSetupMessage(
    sessionId: number,
    streamId: number,
    transportIndex: number,
    channelEndpoint: ReceiveChannelEndpoint,
    periodic: boolean,
    controlAddress: SocketAddress,
  ): void {
    const pending = new PendingSetupMessageFromSource(
      sessionId,
      streamId,
      transportIndex,
      channelEndpoint,
      periodic,
      controlAddress,
    );
    pending.timeOfStatusMessageNs = this.#nowNs;
    this.#pendingSetupMessages.push(pending);
  }

  /**
   * A subscription on `endpoint` to `streamId` (all sessions, or `sessionId`); with `control=`, an SM with
   * SEND_SETUP goes to the control address (Java `onAddSubscription`).
   */
  addSubscription(endpoint: ReceiveChannelEndpoint, streamId: number, sessionId?: number): void {
    if (sessionId === undefined) {
      endpoint.dispatcher().addSubscription(streamId);
    } else {
      endpoint.dispatcher().addSubscriptionForSession(streamId, sessionId);
      this.requestSetup(endpoint, streamId, sessionId);
    }
  }

  /** With `control=`, elicits a SETUP for the session (Java `onRequestSetup`). */
  requestSetup(endpoint: ReceiveChannelEndpoint, streamId: number, sessionId: number): void {
    const controlAddress = endpoint.explicitControlAddress();
    if (controlAddress !== null) endpoint.sendSetupElicitingStatusMessage(0, controlAddress, sessionId, streamId);
  }

  /** The last subscription to `streamId` (or to its `sessionId`) on `endpoint` went (Java `onRemoveSubscription`). */
  removeSubscription(endpoint: ReceiveChannelEndpoint, streamId: number, sessionId?: number): void {
    if (sessionId === undefined) {
      endpoint.dispatcher().removeSubscription(streamId);
      return;
    }
    endpoint.dispatcher().removeSubscriptionForSession(streamId, sessionId);
    const pending = this.#pendingSetupMessages;
    for (let i = pending.length - 1; i >= 0; i--) {
      const entry = pending[i]!;
      if (entry.channelEndpoint === endpoint && entry.streamId === streamId && entry.sessionId === sessionId) {
        pending.splice(i, 1);
        entry.removeFromDataPacketDispatcher();
      }
    }
  }

  /** The conductor created `image` on `endpoint`: it becomes active (Java `onNewPublicationImage`). */
  newPublicationImage(endpoint: ReceiveChannelEndpoint, image: PublicationImage): void {
    for (const other of this.#publicationImages) {
      if (
        other.channelEndpoint === endpoint &&
        other.streamId === image.streamId &&
        other.sessionId === image.sessionId
      ) {
        other.stopStatusMessagesIfNotActive();
      }
    }
    this.#publicationImages.push(image);
    endpoint.dispatcher().addPublicationImage(image);
  }

  /** Starts polling `endpoint` (its socket open); with `control=`, periodic SETUP elicitation (Java `onRegisterReceiveChannelEndpoint`). */
  registerReceiveChannelEndpoint(endpoint: ReceiveChannelEndpoint): void {
    this.#endpoints.push(endpoint); // an MDS endpoint too: it polls the transports its destinations add
    const controlAddress = endpoint.hasDestinationControl() ? null : endpoint.explicitControlAddress();
    if (controlAddress !== null) {
      this.addPendingSetupMessage(0, 0, 0, endpoint, true, controlAddress);
      endpoint.sendSetupElicitingStatusMessage(0, controlAddress, 0, 0);
    }
  }

  /**
   * An MDS destination was added as transport `transportIndex` of `endpoint` (Java `onAddDestination`): with
   * `control=`, periodic SETUP elicitation to it (dynamic MDC joins); each image of the endpoint learns the
   * destination's control address (multicast: the group's control address).
   */
  addDestination(endpoint: ReceiveChannelEndpoint, transportIndex: number): void {
    const udpChannel = endpoint.transportChannel(transportIndex);
    if (udpChannel === null) return;
    let controlAddress = endpoint.transportControlAddress(transportIndex);
    if (controlAddress !== null) {
      this.addPendingSetupMessage(0, 0, transportIndex, endpoint, true, controlAddress);
      endpoint.sendSetupElicitingStatusMessage(transportIndex, controlAddress, 0, 0);
    }
    if (udpChannel.isMulticast) controlAddress = SocketAddress.of(udpChannel.remoteControl);
    if (controlAddress === null) return;
    for (const image of this.#publicationImages) {
      if (image.channelEndpoint === endpoint) image.addDestinationConnectionIfUnknown(transportIndex, controlAddress);
    }
  }

  /**
   * An MDS destination's transport `transportIndex` of `endpoint` was closed (Java `onRemoveDestination`): each
   * image of the endpoint forgets that transport's connection.
   */
  removeDestination(endpoint: ReceiveChannelEndpoint, transportIndex: number): void {
    const images = this.#publicationImages;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (image.channelEndpoint === endpoint) image.removeDestination(transportIndex);
    }
  }

  /** Stops polling `endpoint`, drops its pending SETUPs, tells the conductor (Java `onCloseReceiveChannelEndpoint`). */
  closeReceiveChannelEndpoint(endpoint: ReceiveChannelEndpoint): void {
    const index = this.#endpoints.indexOf(endpoint);
    if (index >= 0) this.#endpoints.splice(index, 1);
    const pending = this.#pendingSetupMessages;
    for (let i = pending.length - 1; i >= 0; i--) {
      const entry = pending[i]!;
      if (entry.channelEndpoint === endpoint) {
        pending.splice(i, 1);
        entry.removeFromDataPacketDispatcher();
      }
    }
    this.conductorProxy.receiveChannelEndpointClosed(endpoint);
  }

  /** Ends a session's cool-down on `endpoint` (Java `onRemoveCoolDown`). */
  removeCoolDown(endpoint: ReceiveChannelEndpoint, sessionId: number, streamId: number): void {
    endpoint.dispatcher().removeCoolDown(sessionId, streamId);
  }

  /** Rejects the image of `imageCorrelationId` (Java `onRejectImage`). */
  rejectImage(imageCorrelationId: number, _position: number, reason: string): void {
    for (const image of this.#publicationImages) {
      if (image.correlationId === imageCorrelationId) {
        image.reject(reason);
        break;
      }
    }
  }

  #pollTransports(): number {
    const endpoints = this.#endpoints;
    const buffer = this.#buffer;
    const src = this.#srcAddress;
    let bytesReceived = 0;
    for (let i = 0; i < endpoints.length; i++) {
      const endpoint = endpoints[i]!;
      let endpointBytes = 0;
      for (let n = 0; n < RECEIVE_BATCH; n++) {
        const length = endpoint.poll(buffer, src);
        if (length === 0) break;
        endpointBytes += length;
      }
      if (endpointBytes > 0) {
        endpoint.markActivity(this.#nowNs); // Java: per frame, from the same cached clock
        bytesReceived += endpointBytes;
      }
    }
    return bytesReceived;
  }

  /** Each endpoint's re-resolution check (Java `DataTransportPoller.checkForReResolutions`); errors to the proxy's side. */
  #checkForReResolutions(nowNs: number): void {
    const endpoints = this.#endpoints;
    for (let i = 0; i < endpoints.length; i++) endpoints[i]!.checkForReResolution(nowNs, this.conductorProxy);
  }

  #checkPendingSetupMessages(nowNs: number): void {
    const pending = this.#pendingSetupMessages;
    for (let i = pending.length - 1; i >= 0; i--) {
      const entry = pending[i]!;
      if (entry.timeOfStatusMessageNs + PENDING_SETUPS_TIMEOUT_NS - nowNs < 0) {
        if (!entry.periodic) {
          pending.splice(i, 1);
          entry.removeFromDataPacketDispatcher();
        } else if (entry.channelEndpoint.dispatcher().shouldElicitSetupMessage()) {
          entry.timeOfStatusMessageNs = nowNs;
          entry.channelEndpoint.sendSetupElicitingStatusMessage(
            entry.transportIndex,
            entry.controlAddress,
            entry.sessionId,
            entry.streamId,
          );
        }
      }
    }
  }
}
