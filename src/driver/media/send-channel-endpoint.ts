/**
 * The sending side of one UDP channel (Aeron 1.51.0 `SendChannelEndpoint` over `UdpChannelTransport`): one per
 * canonical channel, shared by every network publication on it. It owns the socket the publications send their
 * frames through and the control frames (SM, NAK, RTTM, ERR, RSP_SETUP) of their receivers come back on, and
 * hands those to the publication of their session and stream.
 *
 * ```
 *  socket:   bound to the channel's local control address (control=, else the wildcard and an ephemeral port),
 *            connected to the remote data address (endpoint=) unless MDC or response control mode
 *  multicast (Java UdpChannelTransport's two channels): a send socket connected to the group (IP_MULTICAST_IF the
 *            channel's interface, IP_MULTICAST_TTL its ttl= or the driver's) and a control socket bound to the
 *            wildcard on the group's port + 1 (SO_REUSEADDR) that joined the group: receivers' SMs and NAKs go to
 *            the group's port + 1
 *  send:     one datagram of whole frames; 0 when it would block, when the receiver's port is unreachable
 *            (ECONNREFUSED after an ICMP port unreachable) or when the loss generator drops it (then the length)
 *  faults:   (tests) a FrameFaultGenerator as the data generator: DROP -> not sent (the length returned),
 *            DUPLICATE -> sent twice, DELAY -> held and sent after the next datagram (a reorder); a LossGenerator
 *            only drops. The control generator drops received SM/NAK/RTTM (Java DebugSendChannelEndpoint).
 *  control frames (ControlTransportPoller -> onXxx), matched by (sessionId, streamId):
 *    SM        STATUS_MESSAGES_RECEIVED + 1; out of the publication's window (no SETUP flag) -> STATUS_MESSAGES_REJECTED + 1
 *              SETUP flag -> publication.triggerSendSetupFrame, else publication.onStatusMessage
 *    NAK       publication.onNak, NAK_MESSAGES_RECEIVED + 1
 *    ERR       ERROR_FRAMES_RECEIVED + 1, publication.onError
 *    RTTM      publication.onRttMeasurement
 *    RSP_SETUP response correlation id of the publication -> conductor.responseSetup
 *  status:   snd-channel counter INITIALIZING -> ACTIVE (label + bound address) once open; CLOSING when closed;
 *            snd-local-sockaddr counter with the bound address
 *  refCount: publications using it; closed when the last one is cleaned up
 * ```
 *
 * Re-resolution (Java `checkForReResolution` / `resolutionChange`; the sender asks every re-resolution check interval):
 *
 * ```
 *  control-mode=manual      each destination silent for DESTINATION_TIMEOUT_NS (5 s): its `endpoint` text re-resolved
 *                           (MultiSndDestination); a new address replaces the destination's
 *  unicast endpoint= (not multicast, not response): no status message to any publication for DESTINATION_TIMEOUT_NS
 *                           and none re-resolved for as long -> the channel's `endpoint` re-resolved; a new address:
 *                           the socket connected to it (the bound port kept), snd-channel ACTIVE (ERRORED and
 *                           `re-resolve endpoint channel error - …` when the connect fails)
 * ```
 *
 * The conductor resolves at once (one thread), so `checkForReResolution` may come back through
 * `resolutionChange` before it returns.
 *
 * Multi-destination cast (`control-mode=manual|dynamic`): the socket is bound to `control=` (or an ephemeral port)
 * and not connected; each datagram goes to every destination of its `MultiSndDestination` (multi-snd-destination.ts),
 * which status messages feed (dynamic: they add their source). Publications are found by a linear scan (a channel carries a few), so dispatch
 * allocates nothing.
 */

import { ENDPOINT_PARAM_NAME } from '../../logbuffer/channel-uri.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../../transport/atomic-counter.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import {
  CHANNEL_STATUS_ACTIVE,
  CHANNEL_STATUS_CLOSING,
  CHANNEL_STATUS_ERRORED,
  updateBindAddress,
} from '../channel-endpoint-status.ts';
import { MAX_UDP_PAYLOAD_LENGTH } from '../configuration.ts';
import type { NetworkPublication, NetworkPublicationEndpoint, SenderConductorProxy } from '../network-publication.ts';
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import type { NakFlyweight } from '../protocol/nak-flyweight.ts';
import type { ResponseSetupFlyweight } from '../protocol/response-setup-flyweight.ts';
import type { RttMeasurementFlyweight } from '../protocol/rtt-measurement-flyweight.ts';
import { SEND_SETUP_FLAG, type StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { incrementOrdered } from '../single-writer-counter.ts';
import {
  FRAME_FAULT_DELAY,
  FRAME_FAULT_DROP,
  FRAME_FAULT_DUPLICATE,
  FrameFaultGenerator,
} from './debug/frame-fault-generator.ts';
import { HeldDatagram } from './debug/held-datagram.ts';
import type { InetSocketAddress } from './inet-socket-address.ts';
import type { LossGenerator } from './loss-generator.ts';
import {
  DESTINATION_TIMEOUT_NS,
  type MultiSndDestination,
  type ReResolveEndpointProxy,
} from './multi-snd-destination.ts';
import { multicastInterfaceOf } from './multicast-interface.ts';
import { SocketAddress } from './socket-address.ts';
import { SocketError } from './socket-error.ts';
import type { UdpChannel } from './udp-channel.ts';
import { UdpSocket } from './udp-socket.ts';

/** The system counters a send channel endpoint moves. */
export interface SendChannelEndpointCounters {
  /** STATUS_MESSAGES_RECEIVED. */
  readonly statusMessagesReceived: AtomicCounter;
  /** STATUS_MESSAGES_REJECTED. */
  readonly statusMessagesRejected: AtomicCounter;
  /** NAK_MESSAGES_RECEIVED. */
  readonly nakMessagesReceived: AtomicCounter;
  /** ERROR_FRAMES_RECEIVED. */
  readonly errorMessagesReceived: AtomicCounter;
  /** INVALID_PACKETS. */
  readonly invalidPackets: AtomicCounter;
}

/** The sending side of one UDP channel; see the module comment. */
export class SendChannelEndpoint implements NetworkPublicationEndpoint {
  /** The parsed channel. */
  readonly udpChannel: UdpChannel;
  /** The snd-channel status counter. */
  readonly statusIndicator: AtomicCounter;
  readonly #counters: SendChannelEndpointCounters;
  readonly #errorHandler: (error: unknown) => void;
  readonly #lossGenerator: LossGenerator | null;
  readonly #faults: FrameFaultGenerator | null;
  readonly #held: HeldDatagram | null;
  readonly #controlLossGenerator: LossGenerator | null;
  /** Where the socket is connected (null: MDC or response channel); replaced on a resolution change. */
  #connectAddress: SocketAddress | null;
  /** `#connectAddress` as the channel parser's address (tag matching), or null. */
  #connectInetAddress: InetSocketAddress | null;
  /** When the channel's `endpoint` was last re-resolved (ns; Java `timeOfLastResolutionNs`, 0 at first). */
  #timeOfLastResolutionNs = 0;
  readonly #publications: NetworkPublication[] = [];
  #localSocketAddressIndicator: AtomicCounter | null = null;
  #mdcDestinationsCounter: AtomicCounter | null = null;
  /** Multicast: the socket datagrams leave from (the control frames arrive on `#socket`); else null. */
  #sendSocket: UdpSocket | null = null;
  /** MDC destinations (`control-mode=manual|dynamic`), else null. */
  readonly multiSndDestination: MultiSndDestination | null;
  #multicastTtl = 0;
  #socket: UdpSocket | null = null;
  #refCount = 0;
  #closed = false;

  /**
   * @param udpChannel the parsed channel.
   * @param statusIndicator its snd-channel counter (INITIALIZING).
   * @param counters the system counters it moves.
   * @param errorHandler where send errors go (the driver's error log).
   * @param lossGenerator drops outgoing frames for tests (`aeron.debug.send.data.loss.*`), or null; a
   *   `FrameFaultGenerator` also duplicates and reorders them (`aeron.ts.debug.send.*`).
   * @param controlLossGenerator drops incoming SM/NAK/RTTM frames for tests (`aeron.debug.send.control.loss.*`),
   *   or null.
   * @param multiSndDestination the destinations of an MDC channel (required for one), else null.
   */
  constructor(
    udpChannel: UdpChannel,
    statusIndicator: AtomicCounter,
    counters: SendChannelEndpointCounters,
    errorHandler: (error: unknown) => void,
    lossGenerator: LossGenerator | null = null,
    controlLossGenerator: LossGenerator | null = null,
    multiSndDestination: MultiSndDestination | null = null,
  ) {
    this.multiSndDestination = multiSndDestination;
    this.udpChannel = udpChannel;
    this.statusIndicator = statusIndicator;
    this.#counters = counters;
    this.#errorHandler = errorHandler;
    const isFaults = lossGenerator instanceof FrameFaultGenerator;
    this.#faults = isFaults ? lossGenerator : null;
    this.#lossGenerator = isFaults ? null : lossGenerator;
    this.#held = isFaults ? new HeldDatagram(MAX_UDP_PAYLOAD_LENGTH) : null;
    this.#controlLossGenerator = controlLossGenerator;
    this.#connectInetAddress =
      udpChannel.isMultiDestination || udpChannel.isResponseControlMode ? null : udpChannel.remoteData;
    this.#connectAddress = this.#connectInetAddress === null ? null : SocketAddress.of(this.#connectInetAddress);
  }

  /** The channel as the client gave it. */
  get originalUriString(): string {
    return this.udpChannel.originalUriString;
  }

  /** The snd-channel counter id (sent in ON_PUBLICATION_READY). */
  get statusIndicatorCounterId(): number {
    return this.statusIndicator.id;
  }

  /** The multicast TTL written in SETUP frames: the one set on the socket, 0 when none was (the OS default). */
  get multicastTtl(): number {
    return this.#multicastTtl;
  }

  /** SO_SNDBUF asked by the channel (0 = the driver's). */
  get socketSndbufLength(): number {
    return this.udpChannel.socketSndbufLength;
  }

  /** SO_RCVBUF asked by the channel (0 = the driver's). */
  get socketRcvbufLength(): number {
    return this.udpChannel.socketRcvbufLength;
  }

  /** The socket's bound address (`host:port`), once open. */
  get bindAddressAndPort(): string {
    return this.#socket?.localAddress.toString() ?? '';
  }

  /** The socket, once open (for the control poller). */
  get socket(): UdpSocket | null {
    return this.#socket;
  }

  /**
   * The mdc-num-dest counter of an MDC endpoint (Java `allocateDestinationsCounterForMdc`): its destinations keep
   * it equal to their count; closed with the endpoint.
   */
  set mdcDestinationsCounter(counter: AtomicCounter) {
    this.#mdcDestinationsCounter = counter;
    if (this.multiSndDestination !== null) this.multiSndDestination.destinationsCounter = counter;
  }

  /** The snd-local-sockaddr counter (Java `localSocketAddressIndicator(counter)`). */
  set localSocketAddressIndicator(counter: AtomicCounter) {
    this.#localSocketAddressIndicator = counter;
  }

  /**
   * Opens the socket (Java `openChannel`): bound to the local control address, connected to the remote data
   * address, the socket buffer lengths of the channel or of the driver; writes the bound address into the
   * snd-local-sockaddr counter. Throws `SocketError` (PORT_IN_USE, …).
   */
  openChannel(
    countersManager: CountersManager,
    defaultSndbuf: number,
    defaultRcvbuf: number,
    defaultMulticastTtl = 0,
  ): void {
    const udpChannel = this.udpChannel;
    const socketSndbufLength = udpChannel.socketSndbufLength !== 0 ? udpChannel.socketSndbufLength : defaultSndbuf;
    const socketRcvbufLength = udpChannel.socketRcvbufLength !== 0 ? udpChannel.socketRcvbufLength : defaultRcvbuf;
    if (udpChannel.isMulticast) {
      this.#openMulticast(socketSndbufLength, socketRcvbufLength, defaultMulticastTtl);
    } else {
      this.#socket = UdpSocket.open({
        bind: SocketAddress.of(udpChannel.localControl),
        connect: this.#connectAddress,
        reuseAddress: false,
        socketSndbufLength,
        socketRcvbufLength,
        multicast: null,
      });
    }
    const indicator = this.#localSocketAddressIndicator;
    if (indicator !== null) {
      updateBindAddress(countersManager, indicator, this.bindAddressAndPort);
      indicator.set(CHANNEL_STATUS_ACTIVE);
    }
  }

  /** The two multicast sockets (module comment). */
  #openMulticast(socketSndbufLength: number, socketRcvbufLength: number, defaultMulticastTtl: number): void {
    const udpChannel = this.udpChannel;
    const controlGroup = SocketAddress.of(udpChannel.remoteControl);
    const family = controlGroup.family;
    const networkInterface = multicastInterfaceOf(udpChannel, family);
    const control = UdpSocket.open({
      bind: SocketAddress.of({ host: family === 6 ? '::' : '0.0.0.0', port: controlGroup.port(), family }),
      reuseAddress: true,
      socketRcvbufLength,
      multicast: { group: controlGroup, ...networkInterface },
    });
    try {
      const ttl = udpChannel.multicastTtl !== 0 ? udpChannel.multicastTtl : defaultMulticastTtl;
      this.#sendSocket = UdpSocket.open({
        connect: this.#connectAddress,
        socketSndbufLength,
        multicast: { ...networkInterface, ttl },
      });
      this.#multicastTtl = this.#sendSocket.multicastTtl;
    } catch (e) {
      control.close();
      throw e;
    }
    this.#socket = control;
  }

  /** Status INITIALIZING -> ACTIVE, the bound address appended to its label (Java `indicateActive`). */
  indicateActive(countersManager: CountersManager): void {
    countersManager.appendToLabel(this.statusIndicator.id, this.bindAddressAndPort);
    this.statusIndicator.set(CHANNEL_STATUS_ACTIVE);
  }

  /** A publication started using it. */
  incRef(): void {
    this.#refCount++;
  }

  /** A publication stopped using it. */
  decRef(): void {
    this.#refCount--;
  }

  /** No publication uses it any more and it is not closed yet (Java `shouldBeClosed`). */
  shouldBeClosed(): boolean {
    return this.#refCount === 0 && !this.#closed;
  }

  /** Adds a publication to dispatch control frames to (Java `registerForSend`). */
  registerForSend(publication: NetworkPublication): void {
    this.#publications.push(publication);
  }

  /** Removes a publication (Java `unregisterForSend`). */
  unregisterForSend(publication: NetworkPublication): void {
    const index = this.#publications.indexOf(publication);
    if (index >= 0) this.#publications.splice(index, 1);
  }

  /** Closes the socket and frees its counters (status CLOSING first). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.statusIndicator.isClosed) this.statusIndicator.set(CHANNEL_STATUS_CLOSING);
    this.#socket?.close();
    this.#socket = null;
    this.#sendSocket?.close();
    this.#sendSocket = null;
    this.statusIndicator.close();
    this.#localSocketAddressIndicator?.close();
    if (this.multiSndDestination !== null) this.multiSndDestination.destinationsCounter = null;
    this.#mdcDestinationsCounter?.close();
  }

  /**
   * Sends one datagram to the connected address (Java `send(ByteBuffer)`); returns the bytes sent, 0 when it
   * would block or the port is unreachable. Other send errors go to the error handler (0).
   */
  send(buffer: AtomicBuffer, offset: number, length: number): number {
    const socket = this.#sendSocket ?? this.#socket;
    if (socket === null) return 0;
    const multiSndDestination = this.multiSndDestination;
    if (multiSndDestination !== null) return multiSndDestination.send(this, buffer, offset, length);
    if (this.#faults !== null) return this.#sendWithFaults(socket, buffer, offset, length, null);
    const lossGenerator = this.#lossGenerator;
    if (lossGenerator?.shouldDropFrame(this.#connectAddress, buffer, offset, length)) {
      return length;
    }
    return this.#sendNow(socket, buffer, offset, length, null);
  }

  /** Sends one datagram to `address` (Java `send(ByteBuffer, InetSocketAddress)`: response channels). */
  sendTo(buffer: AtomicBuffer, offset: number, length: number, address: SocketAddress): number {
    const socket = this.#sendSocket ?? this.#socket;
    if (socket === null) return 0;
    if (this.#faults !== null) return this.#sendWithFaults(socket, buffer, offset, length, address);
    const lossGenerator = this.#lossGenerator;
    if (lossGenerator?.shouldDropFrame(address, buffer, offset, length)) return length;
    return this.#sendNow(socket, buffer, offset, length, address);
  }

  #sendNow(
    socket: UdpSocket,
    buffer: AtomicBuffer,
    offset: number,
    length: number,
    address: SocketAddress | null,
  ): number {
    try {
      return socket.sendTo(buffer, offset, length, address);
    } catch (e) {
      this.#onSendError(e);
      return 0;
    }
  }

  /** A send through the test-only fault generator (module comment): drop, duplicate or hold past the next one. */
  #sendWithFaults(
    socket: UdpSocket,
    buffer: AtomicBuffer,
    offset: number,
    length: number,
    address: SocketAddress | null,
  ): number {
    const held = this.#held!;
    const decision = this.#faults!.decide(address ?? this.#connectAddress, buffer, offset, length);
    if (decision === FRAME_FAULT_DROP) return length;
    if (decision === FRAME_FAULT_DELAY && held.hold(buffer, offset, length, address)) return length;
    const sent = this.#sendNow(socket, buffer, offset, length, address);
    if (decision === FRAME_FAULT_DUPLICATE) this.#sendNow(socket, buffer, offset, length, address);
    if (held.isHeld) {
      this.#sendNow(socket, held.buffer, 0, held.length, held.address());
      held.release();
    }
    return sent;
  }

  /**
   * Whether the test-only control loss generator drops the control frame of `length` bytes at `offset` in `buffer`
   * from `srcAddress` (Java `DebugSendChannelEndpoint`); false without one.
   */
  shouldDropControlFrame(srcAddress: SocketAddress, buffer: AtomicBuffer, offset: number, length: number): boolean {
    return this.#controlLossGenerator?.shouldDropFrame(srcAddress, buffer, offset, length) === true;
  }

  /** A status message (Java `onStatusMessage`; module comment). */
  onStatusMessage(
    msg: StatusMessageFlyweight,
    srcAddress: SocketAddress,
    conductorProxy: SenderConductorProxy,
    nowNs: number,
  ): void {
    incrementOrdered(this.#counters.statusMessagesReceived);
    const publication = this.#find(msg.sessionId(), msg.streamId());
    const isSetup = (msg.flags() & SEND_SETUP_FLAG) === SEND_SETUP_FLAG;
    if (!isSetup && publication !== null && !publication.isValidStatusMessage(msg)) {
      incrementOrdered(this.#counters.statusMessagesRejected);
      return;
    }
    this.multiSndDestination?.onStatusMessage(msg, srcAddress);
    if (publication !== null) {
      if (isSetup) publication.triggerSendSetupFrame(msg, srcAddress, nowNs);
      else publication.onStatusMessage(msg, srcAddress, conductorProxy, nowNs);
    }
  }

  /** A NAK (Java `onNakMessage`). */
  onNakMessage(msg: NakFlyweight): void {
    const publication = this.#find(msg.sessionId(), msg.streamId());
    if (publication !== null) {
      publication.onNak(msg.termId(), msg.termOffset(), msg.length());
      incrementOrdered(this.#counters.nakMessagesReceived);
    }
  }

  /** An error frame (Java `onError`). */
  onError(msg: ErrorFlyweight, srcAddress: SocketAddress, conductorProxy: SenderConductorProxy, nowNs: number): void {
    incrementOrdered(this.#counters.errorMessagesReceived);
    const publication = this.#find(msg.sessionId(), msg.streamId());
    if (publication !== null) publication.onError(msg, srcAddress, NULL_VALUE, conductorProxy, nowNs);
  }

  /** An RTT measurement (Java `onRttMeasurement`). */
  onRttMeasurement(msg: RttMeasurementFlyweight, srcAddress: SocketAddress): void {
    const publication = this.#find(msg.sessionId(), msg.streamId());
    if (publication !== null) publication.onRttMeasurement(msg, srcAddress);
  }

  /** A response setup (Java `onResponseSetup`). */
  onResponseSetup(msg: ResponseSetupFlyweight, conductorProxy: SenderConductorProxy): void {
    const publication = this.#find(msg.sessionId(), msg.streamId());
    if (publication !== null && publication.responseCorrelationId !== NULL_VALUE) {
      conductorProxy.responseSetup(publication.responseCorrelationId, msg.responseSessionId());
    }
  }

  /** Whether a parsed channel names the same endpoint by tag (Java `matchesTag`: the current connect address). */
  matchesTag(udpChannel: UdpChannel): boolean {
    return udpChannel.matchesTag(this.udpChannel, null, this.#connectInetAddress);
  }

  /**
   * Asks `proxy` to re-resolve what is due (module comment; Java `checkForReResolution`). A deadline check only when
   * nothing is due: nothing is allocated.
   */
  checkForReResolution(nowNs: number, proxy: ReResolveEndpointProxy<SendChannelEndpoint>): void {
    const udpChannel = this.udpChannel;
    if (udpChannel.isManualControlMode) {
      this.multiSndDestination?.checkForReResolution(this, nowNs, proxy);
    } else if (udpChannel.hasExplicitEndpoint && !udpChannel.isMulticast && !udpChannel.isResponseControlMode) {
      if (this.#statusMessageTimeout(nowNs) && this.#timeOfLastResolutionNs + DESTINATION_TIMEOUT_NS - nowNs < 0) {
        this.#timeOfLastResolutionNs = nowNs;
        const endpoint = udpChannel.channelUri.get(ENDPOINT_PARAM_NAME);
        if (endpoint !== undefined) proxy.reResolveEndpoint(endpoint, this, this.#connectAddress);
      }
    }
  }

  /**
   * `endpoint` now resolves to `newAddress` (Java `resolutionChange`): MDC destinations added with that text send
   * there; a unicast channel's socket is connected there (Java `UdpChannelTransport.updateEndpoint`; the bound port
   * is kept, Linux re-associates a connected UDP socket without a disconnect) and its status is ACTIVE.
   *
   * @throws SocketError `re-resolve endpoint channel error - <cause>: <channel>` (snd-channel ERRORED) when the
   *   connect fails.
   */
  resolutionChange(endpoint: string, newAddress: InetSocketAddress): void {
    const address = SocketAddress.of(newAddress);
    if (this.multiSndDestination !== null) {
      this.multiSndDestination.updateDestination(endpoint, address);
      return;
    }
    const socket = this.#sendSocket ?? this.#socket;
    if (socket === null) return;
    try {
      socket.connect(address);
      this.#connectAddress = address;
      this.#connectInetAddress = newAddress;
      if (!this.statusIndicator.isClosed) this.statusIndicator.set(CHANNEL_STATUS_ACTIVE);
    } catch (e) {
      if (!this.statusIndicator.isClosed) this.statusIndicator.set(CHANNEL_STATUS_ERRORED);
      const message = e instanceof Error ? e.message : String(e);
      throw new SocketError(
        e instanceof SocketError ? e.code : 'SOCKET_FAILED',
        `re-resolve endpoint channel error - ${message}: ${this.udpChannel.originalUriString}`,
        { cause: e, address: newAddress.formatAddressAndPort() },
      );
    }
  }

  /** No publication of the channel had a status message for DESTINATION_TIMEOUT_NS (Java `statusMessageTimeout`). */
  #statusMessageTimeout(nowNs: number): boolean {
    const publications = this.#publications;
    for (let i = 0; i < publications.length; i++) {
      if (publications[i]!.timeOfLastStatusMessageNs + DESTINATION_TIMEOUT_NS - nowNs >= 0) return false;
    }
    return true;
  }

  #find(sessionId: number, streamId: number): NetworkPublication | null {
    const publications = this.#publications;
    for (let i = 0; i < publications.length; i++) {
      const publication = publications[i]!;
      if (publication.sessionId === sessionId && publication.streamId === streamId) return publication;
    }
    return null;
  }

  #onSendError(error: unknown): void {
    this.#errorHandler(error);
  }
}

/** Aeron's null value. */
const NULL_VALUE = -1;
