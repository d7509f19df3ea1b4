/**
 * The receiving side of one UDP channel (Aeron 1.51.0 `ReceiveChannelEndpoint` over `UdpChannelTransport`, with
 * the frame handling of `DataTransportPoller`): one per canonical channel, shared by every subscription on it. It
 * owns the socket DATA, PAD, SETUP and RTT frames arrive on and the status messages, NAKs, RTT replies, response
 * setups and error frames of its images leave from, and hands the frames it reads to its `DataPacketDispatcher`.
 *
 * ```
 *  socket:   bound to the channel's data address (endpoint=; multicast: the group's port on the wildcard with
 *            SO_REUSEADDR, the group joined); the kernel's SO_RCVBUF/SO_SNDBUF from the channel or the driver
 *  poll(buffer, src):  one datagram -> loss generator (receive side, tests) -> valid? (>= 8 bytes, version 0; else
 *            INVALID_PACKETS + 1) -> by type:
 *              DATA, PAD (heartbeat = frame length 0)   >= 32 bytes   dispatcher.onDataPacket
 *              SETUP                                      >= 40 bytes   dispatcher.onSetupMessage
 *              RTTM (receiver id ours or 0)               >= 40 bytes   dispatcher.onRttMeasurement
 *              shorter than its header: INVALID_PACKETS + 1; other types ignored
 *  faults:   (tests) a FrameFaultGenerator as the loss generator: DROP, DUPLICATE (dispatched twice), DELAY (held,
 *            dispatched after the next datagram, or when the socket has nothing more); the control loss generator
 *            drops the control frames it sends (counted as sent; Java DebugReceiveChannelEndpoint)
 *  send:     SM (36 bytes, 44 with a group tag; receiver id), SETUP-eliciting SM (SEND_SETUP flag, window 0), NAK (28),
 *            RTTM (40), RSP_SETUP (20), ERR (40 + message): to the image's connection 0 (no MDS) or to an address;
 *            a send of fewer bytes than the frame (would block, port unreachable) counts SHORT_SENDS + 1
 *  status:   rcv-channel counter INITIALIZING -> ACTIVE (label + bound address) once open; CLOSING when closed
 *  refs:     subscriptions per stream id, per (stream id, session id), and images; closed by the conductor when
 *            none are left
 * ```
 *
 * Every control frame is written into one native send buffer at a fixed offset per type, its constant header
 * fields written once: sending allocates nothing. The receiver id is a random 64-bit value per endpoint (Java
 * `ReceiveChannelEndpointThreadLocals.nextReceiverId`), kept as two int32 words.
 *
 * Transports (Java `ReceiveDestinationTransport`, `MultiRcvDestination`): a plain channel has one, index 0, opened
 * by `openChannel`; a multi-destination subscription (`control-mode=manual`, MDS) opens none itself and gets one
 * per ADD_RCV_DESTINATION (`addDestination`: the first free index), each with its own socket bound to the
 * destination's endpoint; frames carry their transport index to the images, and control frames to a connection
 * leave through that connection's transport. `poll` reads the transports round robin, one datagram a call.
 *
 * Control address re-resolution (Java `checkForReResolution` / `updateControlAddress`; the receiver asks every
 * re-resolution check interval): a channel with `control=` (a transport's, for MDS) that received nothing for
 * DESTINATION_ADDRESS_TIMEOUT_NS (5 s) has its `control` text re-resolved by the conductor (at most once per
 * timeout), which resolves it at once (one thread) and, for a new address, has the receiver move the periodic SETUP
 * elicitation there (`updateControlAddress`: the address SETUP-eliciting status messages and tag matching use).
 * Activity is marked per transport when a datagram arrives and timed once per receiver batch (`markActivity`).
 */

import { MDC_CONTROL_PARAM_NAME } from '../../logbuffer/channel-uri.ts';
import {
  BEGIN_FLAG,
  CURRENT_VERSION,
  DATA_OFFSET,
  FLAGS_FIELD_OFFSET,
  HDR_TYPE_DATA,
  HDR_TYPE_ERR,
  HDR_TYPE_NAK,
  HDR_TYPE_PAD,
  HDR_TYPE_RSP_SETUP,
  HDR_TYPE_RTTM,
  HDR_TYPE_SETUP,
  HDR_TYPE_SM,
  HEADER_LENGTH,
  MIN_HEADER_LENGTH,
  TYPE_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from '../../logbuffer/data-header-flyweight.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../../transport/atomic-counter.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import { MAX_UDP_PAYLOAD_LENGTH } from '../configuration.ts';
import type { DataPacketDispatcher } from '../data-packet-dispatcher.ts';
import { ErrorFlyweight, MAX_ERROR_FRAME_LENGTH } from '../protocol/error-flyweight.ts';
import { NAK_HEADER_LENGTH, NakFlyweight } from '../protocol/nak-flyweight.ts';
import { RESPONSE_SETUP_HEADER_LENGTH, ResponseSetupFlyweight } from '../protocol/response-setup-flyweight.ts';
import {
  REPLY_FLAG,
  RTT_MEASUREMENT_HEADER_LENGTH,
  RttMeasurementFlyweight,
} from '../protocol/rtt-measurement-flyweight.ts';
import { SETUP_HEADER_LENGTH, SetupFlyweight } from '../protocol/setup-flyweight.ts';
import {
  SEND_SETUP_FLAG,
  STATUS_MESSAGE_HEADER_LENGTH,
  StatusMessageFlyweight,
} from '../protocol/status-message-flyweight.ts';
import type { ImageChannelEndpoint, ImageConnection } from '../publication-image.ts';
import { incrementOrdered } from '../single-writer-counter.ts';
import type { SystemCounters } from '../system-counters.ts';
import {
  FRAME_FAULT_DELAY,
  FRAME_FAULT_DROP,
  FRAME_FAULT_DUPLICATE,
  FrameFaultGenerator,
} from './debug/frame-fault-generator.ts';
import { HeldDatagram } from './debug/held-datagram.ts';
import type { InetSocketAddress } from './inet-socket-address.ts';
import type { LossGenerator } from './loss-generator.ts';
import { multicastInterfaceOf } from './multicast-interface.ts';
import { allocateDirectBuffer } from './native-buffer.ts';
import { SocketAddress } from './socket-address.ts';
import type { UdpChannel } from './udp-channel.ts';
import { UdpSocket } from './udp-socket.ts';

/** Channel status values (Java `ChannelEndpointStatus`). */
const STATUS_ACTIVE = 1;
const STATUS_CLOSING = 2;

/** Offsets of each control frame in the endpoint's send buffer. */
const SM_OFFSET = 0;
const NAK_OFFSET = 64;
const RTTM_OFFSET = 128;
const RSP_SETUP_OFFSET = 192;
const ERR_OFFSET = 256;
const SEND_BUFFER_LENGTH = ERR_OFFSET + MAX_ERROR_FRAME_LENGTH + 64;

/** A `control=` that received nothing this long is re-resolved (Java `DESTINATION_ADDRESS_TIMEOUT`: 5 s). */
export const DESTINATION_ADDRESS_TIMEOUT_NS = 5_000_000_000;

/**
 * Where a `control=` due for re-resolution goes (the conductor; Java `DriverConductorProxy.reResolveControl`):
 * resolve `control` again and, when it now names another address than `address`, hand the new one to the receiver.
 */
export interface ReResolveControlProxy {
  /**
   * @param control the `control` text (`host:port`) to resolve again.
   * @param udpChannel the channel it is from (the endpoint's, or an MDS destination's).
   * @param channelEndpoint the endpoint.
   * @param address its current control address.
   */
  reResolveControl(
    control: string,
    udpChannel: UdpChannel,
    channelEndpoint: ReceiveChannelEndpoint,
    address: SocketAddress,
  ): void;
}

/** Receiver ids: a random high word per process, a low word counting up from a random start (Java: random per thread, then + 1). */
const receiverIdHigh = (Math.random() * 0x100000000) | 0;
let nextReceiverIdLow = (Math.random() * 0x100000000) | 0;

/** Options of a receive channel endpoint. */
export interface ReceiveChannelEndpointOptions {
  /** The driver's system counters (SHORT_SENDS, INVALID_PACKETS, POSSIBLE_TTL_ASYMMETRY, ERROR_FRAMES_SENT). */
  readonly systemCounters: SystemCounters;
  /** Where send and receive errors go (the driver's error log). */
  readonly errorHandler: (error: unknown) => void;
  /** The receiver's cached clock (ns). */
  readonly cachedNanoClock: () => number;
  /**
   * Drops incoming frames for tests (`aeron.debug.receive.data.loss.*`), or null; a `FrameFaultGenerator` also
   * duplicates and reorders them (`aeron.ts.debug.receive.*`).
   */
  readonly lossGenerator?: LossGenerator | null;
  /** Drops the control frames it sends, for tests (`aeron.debug.receive.control.loss.*`), or null. */
  readonly controlLossGenerator?: LossGenerator | null;
  /** Group tag sent in status messages and error frames: the channel's `gtag`, else the driver's receiver group tag; null = none. */
  readonly groupTag?: bigint | null;
  /**
   * Epoch clock in ns for `channel-rcv-ts-offset` (Java `channelReceiveTimestampClock`); default
   * `(performance.timeOrigin + performance.now()) * 1e6`, microsecond precision.
   */
  readonly channelReceiveTimestampClock?: () => number;
}

function epochNanoClock(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1_000_000);
}

/** The receiving side of one UDP channel; see the module comment. */
export class ReceiveChannelEndpoint implements ImageChannelEndpoint {
  /** The parsed channel. */
  readonly udpChannel: UdpChannel;
  /** The rcv-channel status counter. */
  readonly statusIndicator: AtomicCounter;
  /** Receiver id, high word. */
  readonly receiverIdHigh: number;
  /** Receiver id, low word. */
  readonly receiverIdLow: number;
  /** Last time a frame arrived (ns). */
  timeOfLastActivityNs: number;

  readonly #dispatcher: DataPacketDispatcher;
  readonly #errorHandler: (error: unknown) => void;
  readonly #cachedNanoClock: () => number;
  readonly #lossGenerator: LossGenerator | null;
  readonly #faults: FrameFaultGenerator | null;
  readonly #held: HeldDatagram | null;
  readonly #controlLossGenerator: LossGenerator | null;
  readonly #groupTag: bigint | null;
  readonly #isChannelReceiveTimestampEnabled: boolean;
  readonly #channelReceiveTimestampClock: () => number;
  readonly #shortSends: AtomicCounter;
  readonly #invalidPackets: AtomicCounter;
  readonly #possibleTtlAsymmetry: AtomicCounter;
  readonly #errorFramesSent: AtomicCounter;
  readonly #sendBuffer: AtomicBuffer = allocateDirectBuffer(SEND_BUFFER_LENGTH);
  readonly #statusMessage = new StatusMessageFlyweight();
  readonly #nak = new NakFlyweight();
  readonly #rttMeasurement = new RttMeasurementFlyweight();
  readonly #responseSetup = new ResponseSetupFlyweight();
  readonly #error = new ErrorFlyweight();
  readonly #setup = new SetupFlyweight();
  readonly #rttIn = new RttMeasurementFlyweight();
  readonly #remoteControl: SocketAddress | null;
  /** The current `control=` address (Java `currentControlAddress`): the channel's until a re-resolution moves it. */
  #currentControl: InetSocketAddress;
  /** `#currentControl` as a socket address when the channel has `control=`, else null. */
  #currentControlAddress: SocketAddress | null;
  readonly #refCountByStreamId = new Map<number, number>();
  readonly #refCountByStreamAndSessionId = new Map<string, number>();
  readonly #responseRefCountByStreamId = new Map<number, number>();
  #localSocketAddressIndicator: AtomicCounter | null = null;
  /** The transports by index (null: a removed MDS destination's free slot). */
  #transports: (ReceiveTransport | null)[] = [];
  #nextPollIndex = 0;
  #heldTransportIndex = 0;
  #imageRefCount = 0;
  #closed = false;

  /**
   * @param udpChannel the parsed channel.
   * @param dispatcher routes the frames to images (one per endpoint).
   * @param statusIndicator its rcv-channel counter (INITIALIZING).
   * @param options counters, clock, error handler, loss generator, group tag.
   */
  constructor(
    udpChannel: UdpChannel,
    dispatcher: DataPacketDispatcher,
    statusIndicator: AtomicCounter,
    options: ReceiveChannelEndpointOptions,
  ) {
    this.udpChannel = udpChannel;
    this.#dispatcher = dispatcher;
    this.statusIndicator = statusIndicator;
    this.#errorHandler = options.errorHandler;
    this.#cachedNanoClock = options.cachedNanoClock;
    const lossGenerator = options.lossGenerator ?? null;
    const isFaults = lossGenerator instanceof FrameFaultGenerator;
    this.#faults = isFaults ? lossGenerator : null;
    this.#lossGenerator = isFaults ? null : lossGenerator;
    this.#held = isFaults ? new HeldDatagram(MAX_UDP_PAYLOAD_LENGTH) : null;
    this.#controlLossGenerator = options.controlLossGenerator ?? null;
    this.#groupTag = options.groupTag ?? null;
    this.#isChannelReceiveTimestampEnabled = udpChannel.isChannelReceiveTimestampEnabled;
    this.#channelReceiveTimestampClock = options.channelReceiveTimestampClock ?? epochNanoClock;
    const counters = options.systemCounters;
    this.#shortSends = counters.get('SHORT_SENDS');
    this.#invalidPackets = counters.get('INVALID_PACKETS');
    this.#possibleTtlAsymmetry = counters.get('POSSIBLE_TTL_ASYMMETRY');
    this.#errorFramesSent = counters.get('ERROR_FRAMES_SENT');
    this.timeOfLastActivityNs = options.cachedNanoClock();
    this.receiverIdHigh = receiverIdHigh;
    this.receiverIdLow = nextReceiverIdLow;
    nextReceiverIdLow = (nextReceiverIdLow + 1) | 0;
    this.#remoteControl = udpChannel.isMulticast ? SocketAddress.of(udpChannel.remoteControl) : null;
    this.#currentControl = udpChannel.localControl;
    this.#currentControlAddress = udpChannel.hasExplicitControl ? SocketAddress.of(udpChannel.localControl) : null;

    const buffer = this.#sendBuffer;
    this.#statusMessage
      .wrap(buffer, SM_OFFSET)
      .setVersion(CURRENT_VERSION)
      .setHeaderType(HDR_TYPE_SM)
      .setFrameLength(STATUS_MESSAGE_HEADER_LENGTH);
    this.#nak.wrap(buffer, NAK_OFFSET).setVersion(CURRENT_VERSION).setHeaderType(HDR_TYPE_NAK).setFlags(0);
    this.#nak.setFrameLength(NAK_HEADER_LENGTH);
    this.#rttMeasurement
      .wrap(buffer, RTTM_OFFSET)
      .setVersion(CURRENT_VERSION)
      .setHeaderType(HDR_TYPE_RTTM)
      .setFrameLength(RTT_MEASUREMENT_HEADER_LENGTH);
    this.#rttMeasurement.setReceiverIdWords(this.receiverIdHigh, this.receiverIdLow);
    this.#responseSetup
      .wrap(buffer, RSP_SETUP_OFFSET)
      .setVersion(CURRENT_VERSION)
      .setHeaderType(HDR_TYPE_RSP_SETUP)
      .setFlags(0)
      .setFrameLength(RESPONSE_SETUP_HEADER_LENGTH);
    this.#error.wrap(buffer, ERR_OFFSET).setVersion(CURRENT_VERSION).setHeaderType(HDR_TYPE_ERR);
  }

  /** The subscription channel as the client gave it (Java `originalUriString`). */
  originalUriString(): string {
    return this.udpChannel.originalUriString;
  }

  /** The endpoint's dispatcher. */
  dispatcher(): DataPacketDispatcher {
    return this.#dispatcher;
  }

  /** The socket of transport 0, once open (null for an MDS endpoint without destinations). */
  get socket(): UdpSocket | null {
    return this.#transports[0]?.socket ?? null;
  }

  /** Transport 0's bound address (`host:port`), once open; '' for an MDS endpoint. */
  get bindAddressAndPort(): string {
    return this.hasDestinationControl() ? '' : (this.socket?.localAddress.toString() ?? '');
  }

  /** The rcv-channel counter id (sent in ON_SUBSCRIPTION_READY). */
  get statusIndicatorCounterId(): number {
    return this.statusIndicator.id;
  }

  /** The rcv-local-sockaddr counter (Java `localSocketAddressIndicator(counter)`). */
  set localSocketAddressIndicator(counter: AtomicCounter) {
    this.#localSocketAddressIndicator = counter;
  }

  /** The rcv-local-sockaddr counter, if set. */
  get localSocketAddressIndicator(): AtomicCounter | null {
    return this.#localSocketAddressIndicator;
  }

  /**
   * Opens the socket (Java `openChannel`): bound to the data address (multicast: the group joined), the socket
   * buffer lengths of the channel or of the driver. Throws `SocketError` (PORT_IN_USE, …).
   *
   * @param defaultSndbuf the driver's `aeron.socket.so_sndbuf` (0 = OS default).
   * @param defaultRcvbuf the driver's `aeron.socket.so_rcvbuf` (0 = OS default).
   * @param defaultMulticastTtl the driver's `aeron.socket.multicast.ttl` for a multicast channel without `ttl=`
   *   (0 = OS default).
   */
  openChannel(defaultSndbuf = 0, defaultRcvbuf = 0, defaultMulticastTtl = 0): void {
    if (this.hasDestinationControl()) return; // MDS: the destinations bring the sockets
    const socket = openReceiveSocket(this.udpChannel, defaultSndbuf, defaultRcvbuf, defaultMulticastTtl);
    this.#transports = [newTransport(this.udpChannel, socket, this.#remoteControl, null, this.timeOfLastActivityNs)];
  }

  /**
   * ADD_RCV_DESTINATION (MDS; Java `ReceiveDestinationTransport.openChannel` + `addDestination`): opens a socket on
   * the destination's endpoint and takes the first free transport index, which it returns. Throws `SocketError`.
   */
  addDestination(
    udpChannel: UdpChannel,
    defaultSndbuf = 0,
    defaultRcvbuf = 0,
    defaultMulticastTtl = 0,
    localSocketAddressIndicator: AtomicCounter | null = null,
  ): number {
    const socket = openReceiveSocket(udpChannel, defaultSndbuf, defaultRcvbuf, defaultMulticastTtl);
    const transport = newTransport(
      udpChannel,
      socket,
      udpChannel.isMulticast ? SocketAddress.of(udpChannel.remoteControl) : null,
      localSocketAddressIndicator,
      this.#cachedNanoClock(),
    );
    const transports = [...this.#transports];
    let index = transports.indexOf(null);
    if (index < 0) index = transports.push(transport) - 1;
    else transports[index] = transport;
    this.#transports = transports;
    return index;
  }

  /** The channel of transport `transportIndex` (the destination's for MDS), or null when there is none. */
  transportChannel(transportIndex: number): UdpChannel | null {
    return this.#transports[transportIndex]?.udpChannel ?? null;
  }

  /**
   * The index of the transport whose channel is `udpChannel` (the same object), -1 when none (Java
   * `destination(UdpChannel)`).
   */
  destination(udpChannel: UdpChannel): number {
    const transports = this.#transports;
    for (let i = 0; i < transports.length; i++) {
      if (transports[i]?.udpChannel === udpChannel) return i;
    }
    return -1;
  }

  /** The bound address (`host:port`) of transport `transportIndex`, '' when there is none. */
  transportBindAddress(transportIndex: number): string {
    return this.#transports[transportIndex]?.socket.localAddress.toString() ?? '';
  }

  /**
   * REMOVE_RCV_DESTINATION (MDS): closes the transport whose endpoint is the one of `udpChannel` and frees its
   * index, which it returns; -1 when there is none.
   */
  removeDestination(udpChannel: UdpChannel): number {
    const transports = this.#transports;
    for (let i = 0; i < transports.length; i++) {
      const transport = transports[i];
      if (transport != null && transport.udpChannel.canonicalForm === udpChannel.canonicalForm) {
        const next = [...transports];
        next[i] = null;
        this.#transports = next;
        transport.socket.close();
        transport.localSocketAddressIndicator?.close();
        return i;
      }
    }
    return -1;
  }

  /** Status INITIALIZING -> ACTIVE, the bound address appended to its label (Java `indicateActive`). */
  indicateActive(countersManager: CountersManager): void {
    countersManager.appendToLabel(this.statusIndicator.id, this.bindAddressAndPort);
    this.statusIndicator.set(STATUS_ACTIVE);
  }

  /** Status CLOSING (Java `indicateClosing`). */
  indicateClosing(): void {
    if (!this.statusIndicator.isClosed) this.statusIndicator.set(STATUS_CLOSING);
  }

  /** Closes the socket and frees its counters. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.indicateClosing();
    for (const transport of this.#transports) {
      transport?.socket.close();
      transport?.localSocketAddressIndicator?.close();
    }
    this.#transports = [];
    this.statusIndicator.close();
    this.#localSocketAddressIndicator?.close();
  }

  /** Whether `close()` has run. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** A subscription to every session of `streamId` started; returns the count (Java `incRefToStream`). */
  incRefToStream(streamId: number): number {
    return incrementIn(this.#refCountByStreamId, streamId);
  }

  /** One went; returns the count left (Java `decRefToStream`). */
  decRefToStream(streamId: number): number {
    return decrementIn(this.#refCountByStreamId, streamId);
  }

  /** A subscription to one session started (Java `incRefToStreamAndSession`). */
  incRefToStreamAndSession(streamId: number, sessionId: number): number {
    return incrementIn(this.#refCountByStreamAndSessionId, `${streamId}:${sessionId}`);
  }

  /** One went; returns the count left (Java `decRefToStreamAndSession`). */
  decRefToStreamAndSession(streamId: number, sessionId: number): number {
    return decrementIn(this.#refCountByStreamAndSessionId, `${streamId}:${sessionId}`);
  }

  /** A response subscription started (Java `incResponseRefToStream`). */
  incResponseRefToStream(streamId: number): number {
    return incrementIn(this.#responseRefCountByStreamId, streamId);
  }

  /** One went (Java `decResponseRefToStream`). */
  decResponseRefToStream(streamId: number): number {
    return decrementIn(this.#responseRefCountByStreamId, streamId);
  }

  /** Distinct stream and stream/session subscriptions (Java `distinctSubscriptionCount`). */
  distinctSubscriptionCount(): number {
    return this.#refCountByStreamId.size + this.#refCountByStreamAndSessionId.size;
  }

  /** An image started using the endpoint (Java `incRefImages`). */
  incRefImages(): void {
    this.#imageRefCount++;
  }

  /** An image stopped using it (Java `decRefImages`). */
  decRefImages(): void {
    this.#imageRefCount--;
  }

  /** Nothing uses the endpoint any more and it is not closed (Java `shouldBeClosed`). */
  shouldBeClosed(): boolean {
    return (
      this.#refCountByStreamId.size === 0 &&
      this.#refCountByStreamAndSessionId.size === 0 &&
      this.#responseRefCountByStreamId.size === 0 &&
      !this.statusIndicator.isClosed &&
      this.#imageRefCount <= 0
    );
  }

  /** Whether the channel has `control=` (Java `hasExplicitControl`). */
  hasExplicitControl(): boolean {
    return this.udpChannel.hasExplicitControl;
  }

  /**
   * Where SETUP-eliciting status messages go: the current `control=` address (moved by a re-resolution), null
   * without `control=` (Java `explicitControlAddress`).
   */
  explicitControlAddress(): SocketAddress | null {
    return this.#currentControlAddress;
  }

  /** As {@link explicitControlAddress} for transport `transportIndex` (an MDS destination's own `control=`). */
  transportControlAddress(transportIndex: number): SocketAddress | null {
    return this.#transports[transportIndex]?.currentControlAddress ?? null;
  }

  /**
   * A re-resolution moved the `control=` address of transport `transportIndex` (MDS) or of the channel to
   * `newAddress` (Java `updateControlAddress`).
   */
  updateControlAddress(transportIndex: number, newAddress: InetSocketAddress): void {
    if (this.hasDestinationControl()) {
      const transport = this.#transports[transportIndex];
      if (transport != null) transport.currentControlAddress = SocketAddress.of(newAddress);
    } else if (this.udpChannel.hasExplicitControl) {
      this.#currentControl = newAddress;
      this.#currentControlAddress = SocketAddress.of(newAddress);
    }
  }

  /**
   * Datagrams arrived in the receiver's batch at `nowNs`: the endpoint's time of last activity, and each transport's
   * that received one since the last call.
   */
  markActivity(nowNs: number): void {
    this.timeOfLastActivityNs = nowNs;
    const transports = this.#transports;
    for (let i = 0; i < transports.length; i++) {
      const transport = transports[i];
      if (transport?.hasActivity) {
        transport.hasActivity = false;
        transport.timeOfLastActivityNs = nowNs;
      }
    }
  }

  /**
   * Asks `proxy` to re-resolve a `control=` silent for DESTINATION_ADDRESS_TIMEOUT_NS (module comment; Java
   * `checkForReResolution`, MDS: `MultiRcvDestination.checkForReResolution`). Allocates nothing when none is due.
   */
  checkForReResolution(nowNs: number, proxy: ReResolveControlProxy): void {
    if (this.hasDestinationControl()) {
      const transports = this.#transports;
      for (let i = 0; i < transports.length; i++) {
        const transport = transports[i];
        if (
          transport != null &&
          transport.currentControlAddress !== null &&
          transport.timeOfLastActivityNs + DESTINATION_ADDRESS_TIMEOUT_NS < nowNs
        ) {
          transport.timeOfLastActivityNs = nowNs;
          const control = transport.udpChannel.channelUri.get(MDC_CONTROL_PARAM_NAME);
          if (control !== undefined) {
            proxy.reResolveControl(control, transport.udpChannel, this, transport.currentControlAddress);
          }
        }
      }
    } else if (
      this.#currentControlAddress !== null &&
      this.timeOfLastActivityNs + DESTINATION_ADDRESS_TIMEOUT_NS - nowNs < 0
    ) {
      this.timeOfLastActivityNs = nowNs;
      const control = this.udpChannel.channelUri.get(MDC_CONTROL_PARAM_NAME);
      if (control !== undefined) proxy.reResolveControl(control, this.udpChannel, this, this.#currentControlAddress);
    }
  }

  /** MDS (`control-mode=manual`): destinations are added and removed (Java `hasDestinationControl`). */
  hasDestinationControl(): boolean {
    return this.udpChannel.isManualControlMode;
  }

  /** Whether transport `transportIndex` is multicast (Java `isMulticast(int)`). */
  isMulticast(transportIndex: number): boolean {
    return this.#transports[transportIndex]?.udpChannel.isMulticast === true;
  }

  /** The multicast control address of transport `transportIndex` (Java `udpChannel(i).remoteControl()`). */
  remoteControlAddress(transportIndex: number): SocketAddress {
    const transport = this.#transports[transportIndex];
    return transport?.remoteControl ?? SocketAddress.of((transport?.udpChannel ?? this.udpChannel).remoteControl);
  }

  /** The multicast TTL of transport `transportIndex` (Java `multicastTtl(int)`). */
  multicastTtl(transportIndex: number): number {
    return this.#transports[transportIndex]?.socket.multicastTtl ?? 0;
  }

  /** Whether transport `transportIndex` exists (Java `hasDestination`). */
  hasDestination(transportIndex: number): boolean {
    return this.#transports[transportIndex] != null;
  }

  /** POSSIBLE_TTL_ASYMMETRY + 1 (Java `possibleTtlAsymmetryEncountered`). */
  possibleTtlAsymmetryEncountered(): void {
    incrementOrdered(this.#possibleTtlAsymmetry);
  }

  /** Whether a parsed channel names the same endpoint by tag (Java `matchesTag`). */
  matchesTag(udpChannel: UdpChannel): boolean {
    return udpChannel.matchesTag(this.udpChannel, this.#currentControl, null);
  }

  /**
   * Reads one datagram into `buffer` (source into `srcAddress`) and dispatches it (module comment). Returns the
   * bytes received, 0 when nothing was waiting. Receive errors go to the error handler. Java:
   * `DataTransportPoller.receive`.
   */
  poll(buffer: AtomicBuffer, srcAddress: SocketAddress): number {
    const transports = this.#transports;
    const count = transports.length;
    let length = 0;
    let transportIndex = 0;
    for (let n = 0; n < count && length === 0; n++) {
      transportIndex = this.#nextPollIndex;
      this.#nextPollIndex = transportIndex + 1 >= count ? 0 : transportIndex + 1;
      const transport = transports[transportIndex];
      if (transport == null) continue;
      try {
        length = transport.socket.receive(buffer, 0, buffer.capacity, srcAddress);
        if (length > 0) transport.hasActivity = true;
      } catch (e) {
        this.#errorHandler(e);
      }
    }
    if (this.#faults !== null) return this.#pollWithFaults(buffer, length, srcAddress, transportIndex);
    if (length === 0) return 0;
    const lossGenerator = this.#lossGenerator;
    if (lossGenerator?.shouldDropFrame(srcAddress, buffer, 0, length)) return length;
    return this.#dispatch(buffer, length, srcAddress, transportIndex);
  }

  /** A datagram (or none: length 0) through the test-only fault generator (module comment). */
  #pollWithFaults(buffer: AtomicBuffer, length: number, srcAddress: SocketAddress, transportIndex: number): number {
    const held = this.#held!;
    if (length === 0) {
      if (!held.isHeld) return 0;
      const heldLength = this.#dispatch(held.buffer, held.length, held.address()!, this.#heldTransportIndex);
      held.release();
      return heldLength;
    }
    const decision = this.#faults!.decide(srcAddress, buffer, 0, length);
    if (decision === FRAME_FAULT_DROP) return length;
    if (decision === FRAME_FAULT_DELAY && held.hold(buffer, 0, length, srcAddress)) {
      this.#heldTransportIndex = transportIndex;
      return length;
    }
    this.#dispatch(buffer, length, srcAddress, transportIndex);
    if (decision === FRAME_FAULT_DUPLICATE) this.#dispatch(buffer, length, srcAddress, transportIndex);
    if (held.isHeld) {
      this.#dispatch(held.buffer, held.length, held.address()!, this.#heldTransportIndex);
      held.release();
    }
    return length;
  }

  /** Checks one datagram and hands it to its handler by frame type (module comment); returns `length`. */
  #dispatch(buffer: AtomicBuffer, length: number, srcAddress: SocketAddress, transportIndex: number): number {
    if (length < MIN_HEADER_LENGTH || buffer.getUint8(VERSION_FIELD_OFFSET) !== CURRENT_VERSION) {
      incrementOrdered(this.#invalidPackets);
      return length;
    }
    const type = buffer.getUint16(TYPE_FIELD_OFFSET);
    if (type === HDR_TYPE_DATA || type === HDR_TYPE_PAD) {
      if (length < HEADER_LENGTH) {
        incrementOrdered(this.#invalidPackets);
        return length;
      }
      this.onDataPacket(buffer, length, srcAddress, transportIndex);
    } else if (type === HDR_TYPE_SETUP) {
      if (length < SETUP_HEADER_LENGTH) {
        incrementOrdered(this.#invalidPackets);
        return length;
      }
      this.onSetupMessage(this.#setup.wrap(buffer, 0), srcAddress, transportIndex);
    } else if (type === HDR_TYPE_RTTM) {
      if (length < RTT_MEASUREMENT_HEADER_LENGTH) {
        incrementOrdered(this.#invalidPackets);
        return length;
      }
      this.onRttMeasurement(this.#rttIn.wrap(buffer, 0), srcAddress, transportIndex);
    }
    return length;
  }

  /**
   * A DATA/PAD frame (Java `onDataPacket`). Returns the bytes inserted. The time of last activity is set by the receiver
   * once per datagram batch (the cached clock is the duty cycle's: the same value), not per frame.
   */
  onDataPacket(buffer: AtomicBuffer, length: number, srcAddress: SocketAddress, transportIndex: number): number {
    if (this.#isChannelReceiveTimestampEnabled && (buffer.getUint8(FLAGS_FIELD_OFFSET) & BEGIN_FLAG) !== 0) {
      this.#applyChannelReceiveTimestamp(buffer, length);
    }
    return this.#dispatcher.onDataPacket(this, buffer, length, srcAddress, transportIndex);
  }

  /** A SETUP frame (Java `onSetupMessage`). */
  onSetupMessage(setup: SetupFlyweight, srcAddress: SocketAddress, transportIndex: number): void {
    this.timeOfLastActivityNs = this.#cachedNanoClock();
    this.#dispatcher.onSetupMessage(this, setup, srcAddress, transportIndex);
  }

  /** An RTT measurement for this receiver (receiver id ours or 0; Java `onRttMeasurement`). */
  onRttMeasurement(rtt: RttMeasurementFlyweight, srcAddress: SocketAddress, transportIndex: number): void {
    const high = rtt.receiverIdHigh();
    const low = rtt.receiverIdLow();
    if ((high === this.receiverIdHigh && low === this.receiverIdLow) || (high === 0 && low === 0)) {
      this.timeOfLastActivityNs = this.#cachedNanoClock();
      this.#dispatcher.onRttMeasurement(this, rtt, srcAddress, transportIndex);
    }
  }

  /** An SM with SEND_SETUP, window 0, to `controlAddress` (Java `sendSetupElicitingStatusMessage`). */
  sendSetupElicitingStatusMessage(
    transportIndex: number,
    controlAddress: SocketAddress,
    sessionId: number,
    streamId: number,
  ): void {
    const length = this.#writeStatusMessage(sessionId, streamId, 0, 0, 0, SEND_SETUP_FLAG);
    this.#send(SM_OFFSET, length, transportIndex, controlAddress);
  }

  /** An RTT reply (echoing the sender's timestamp words) to `controlAddress` (Java `sendRttMeasurement(int, …)`). */
  sendRttMeasurementTo(
    transportIndex: number,
    controlAddress: SocketAddress,
    sessionId: number,
    streamId: number,
    echoTimestampHigh: number,
    echoTimestampLow: number,
  ): void {
    this.#rttMeasurement
      .setSessionId(sessionId)
      .setStreamId(streamId)
      .setEchoTimestampNsWords(echoTimestampHigh, echoTimestampLow)
      .setReceptionDelta(0)
      .setFlags(0);
    this.#send(RTTM_OFFSET, RTT_MEASUREMENT_HEADER_LENGTH, transportIndex, controlAddress);
  }

  /** A status message to the image's connections (Java `sendStatusMessage`). */
  sendStatusMessage(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    termId: number,
    termOffset: number,
    windowLength: number,
    flags: number,
  ): void {
    const length = this.#writeStatusMessage(sessionId, streamId, termId, termOffset, windowLength, flags);
    this.#sendToConnections(SM_OFFSET, length, connections);
  }

  /** A NAK to the image's connections (Java `sendNakMessage`). */
  sendNakMessage(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    termId: number,
    termOffset: number,
    length: number,
  ): void {
    this.#nak
      .setStreamId(streamId)
      .setSessionId(sessionId)
      .setTermId(termId)
      .setTermOffset(termOffset)
      .setLength(length);
    this.#sendToConnections(NAK_OFFSET, NAK_HEADER_LENGTH, connections);
  }

  /** An RTT measurement (request when `isReply`) to the image's connections (Java `sendRttMeasurement(ImageConnection[], …)`). */
  sendRttMeasurement(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    echoTimestampNs: number,
    receptionDelta: number,
    isReply: boolean,
  ): void {
    this.#rttMeasurement
      .setSessionId(sessionId)
      .setStreamId(streamId)
      .setEchoTimestampNs(echoTimestampNs)
      .setReceptionDelta(receptionDelta)
      .setFlags(isReply ? REPLY_FLAG : 0);
    this.#sendToConnections(RTTM_OFFSET, RTT_MEASUREMENT_HEADER_LENGTH, connections);
  }

  /** A response setup to the image's connections (Java `sendResponseSetup`). */
  sendResponseSetup(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    responseSessionId: number,
  ): void {
    this.#responseSetup.setSessionId(sessionId).setStreamId(streamId).setResponseSessionId(responseSessionId);
    this.#sendToConnections(RSP_SETUP_OFFSET, RESPONSE_SETUP_HEADER_LENGTH, connections);
  }

  /** An error frame to the image's connections; ERROR_FRAMES_SENT + 1 (Java `sendErrorFrame`). */
  sendErrorFrame(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    errorCode: number,
    errorMessage: string,
  ): void {
    incrementOrdered(this.#errorFramesSent);
    const error = this.#error
      .setFlags(0)
      .setSessionId(sessionId)
      .setStreamId(streamId)
      .setReceiverIdWords(this.receiverIdHigh, this.receiverIdLow)
      .setGroupTag(this.#groupTag)
      .setErrorCode(errorCode)
      .setErrorMessage(errorMessage);
    this.#sendToConnections(ERR_OFFSET, error.frameLength(), connections);
  }

  /**
   * Writes the epoch-ns receive time into the first fragment at `channel-rcv-ts-offset` from its payload (Java
   * `applyChannelReceiveTimestamp`): only when the 8 bytes fit before the frame's end.
   */
  #applyChannelReceiveTimestamp(buffer: AtomicBuffer, length: number): void {
    if (length <= HEADER_LENGTH) return;
    const offset = this.udpChannel.channelReceiveTimestampOffset;
    if (DATA_OFFSET + offset + 8 < length) buffer.putInt64(DATA_OFFSET + offset, this.#channelReceiveTimestampClock());
  }

  #writeStatusMessage(
    sessionId: number,
    streamId: number,
    termId: number,
    termOffset: number,
    windowLength: number,
    flags: number,
  ): number {
    const sm = this.#statusMessage
      .setSessionId(sessionId)
      .setStreamId(streamId)
      .setConsumptionTermId(termId)
      .setConsumptionTermOffset(termOffset)
      .setReceiverWindowLength(windowLength)
      .setReceiverIdWords(this.receiverIdHigh, this.receiverIdLow)
      .setFlags(flags);
    if (this.#groupTag !== null) sm.setGroupTag(this.#groupTag);
    else sm.clearGroupTag();
    return sm.frameLength();
  }

  #sendToConnections(offset: number, length: number, connections: readonly (ImageConnection | null)[]): void {
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      if (connection != null) this.#send(offset, length, i, connection.controlAddress);
    }
  }

  #send(offset: number, length: number, transportIndex: number, address: SocketAddress): void {
    const socket = this.#transports[transportIndex]?.socket ?? null;
    let bytesSent = 0;
    if (this.#controlLossGenerator?.shouldDropFrame(address, this.#sendBuffer, offset, length)) {
      bytesSent = length;
    } else if (socket !== null) {
      try {
        bytesSent = socket.sendTo(this.#sendBuffer, offset, length, address);
      } catch (e) {
        this.#errorHandler(e);
      }
    }
    if (bytesSent !== length) incrementOrdered(this.#shortSends);
  }
}

/** One transport of the endpoint (Java `ReceiveDestinationTransport`, or the endpoint's own for a plain channel). */
interface ReceiveTransport {
  /** Its channel (the subscription's, or the destination's). */
  readonly udpChannel: UdpChannel;
  readonly socket: UdpSocket;
  /** The group's control address (port + 1) when multicast, else null. */
  readonly remoteControl: SocketAddress | null;
  /** An MDS destination's rcv-local-sockaddr counter (closed with it), else null (the endpoint's own). */
  readonly localSocketAddressIndicator: AtomicCounter | null;
  /** Its `control=` address, moved by a re-resolution; null without `control=` (Java `currentControlAddress`). */
  currentControlAddress: SocketAddress | null;
  /** When a datagram last arrived on it (ns; MDS re-resolution). */
  timeOfLastActivityNs: number;
  /** A datagram arrived since the last `markActivity`. */
  hasActivity: boolean;
}

/** A transport of `udpChannel` on `socket`, its control address the channel's `control=` if any. */
function newTransport(
  udpChannel: UdpChannel,
  socket: UdpSocket,
  remoteControl: SocketAddress | null,
  localSocketAddressIndicator: AtomicCounter | null,
  nowNs: number,
): ReceiveTransport {
  return {
    udpChannel,
    socket,
    remoteControl,
    localSocketAddressIndicator,
    currentControlAddress: udpChannel.hasExplicitControl ? SocketAddress.of(udpChannel.localControl) : null,
    timeOfLastActivityNs: nowNs,
    hasActivity: false,
  };
}

/**
 * Opens a receive socket for `udpChannel` (Java `UdpChannelTransport.openDatagramChannel` of a receive transport):
 * bound to its data address; multicast: the group's port on the wildcard with SO_REUSEADDR, the group joined on the
 * channel's interface, the TTL of its `ttl=` or the driver's. Throws `SocketError`.
 */
function openReceiveSocket(
  udpChannel: UdpChannel,
  defaultSndbuf: number,
  defaultRcvbuf: number,
  defaultMulticastTtl: number,
): UdpSocket {
  const socketSndbufLength = udpChannel.socketSndbufLength !== 0 ? udpChannel.socketSndbufLength : defaultSndbuf;
  const socketRcvbufLength = udpChannel.socketRcvbufLength !== 0 ? udpChannel.socketRcvbufLength : defaultRcvbuf;
  if (!udpChannel.isMulticast) {
    return UdpSocket.open({
      bind: SocketAddress.of(udpChannel.remoteData),
      reuseAddress: false,
      socketSndbufLength,
      socketRcvbufLength,
      multicast: null,
    });
  }
  const group = SocketAddress.of(udpChannel.remoteData);
  const bind = SocketAddress.of({
    host: group.family === 6 ? '::' : '0.0.0.0',
    port: udpChannel.remoteData.port,
    family: group.family,
  });
  return UdpSocket.open({
    bind,
    reuseAddress: true,
    socketSndbufLength,
    socketRcvbufLength,
    multicast: {
      group,
      ...multicastInterfaceOf(udpChannel, group.family),
      ttl: udpChannel.multicastTtl !== 0 ? udpChannel.multicastTtl : defaultMulticastTtl,
    },
  });
}

function incrementIn<K>(map: Map<K, number>, key: K): number {
  const count = (map.get(key) ?? 0) + 1;
  map.set(key, count);
  return count;
}

function decrementIn<K>(map: Map<K, number>, key: K): number {
  const count = (map.get(key) ?? 0) - 1;
  if (count <= 0) map.delete(key);
  else map.set(key, count);
  return count;
}
