/**
 * A publication sent over UDP (Aeron 1.51.0 `NetworkPublication`): its log buffer, the publisher's counters
 * (pub-pos, pub-lmt), the sender's (snd-pos, snd-lmt, snd-bpe, snd-naks-received), its flow control and
 * retransmit handler, and the spies (`aeron-spy:` subscriptions) reading its log. The sender calls `send` every
 * duty cycle and hands it the control frames of its channel; the conductor moves its publisher limit every duty
 * cycle and its state every timer tick.
 *
 * ```
 *  sender duty cycle: send(nowNs)
 *    not connected yet or SETUP elicited -> SETUP every 100 ms (PUBLICATION_SETUP_TIMEOUT_NS)
 *    sendData: window = snd-lmt - snd-pos; scanForAvailability(term, offset, min(window, mtu)) -> one datagram
 *              of whole frames straight from the term; snd-pos += available + padding
 *              window exhausted -> snd-bpe + 1, SENDER_FLOW_CONTROL_LIMITS + 1 (once per stall)
 *    nothing sent -> heartbeat (DATA of length 0 at snd-pos; EOS flag once drained, REVOKED when revoked)
 *                    every 100 ms after the first status message; snd-lmt := flowControl.onIdle(...);
 *                    receivers silent for the connection timeout dropped
 *    retransmitHandler.processTimeouts
 *  control frames (SendChannelEndpoint):
 *    SM     -> receiver alive (EOS flag: closed), snd-lmt := flowControl.onStatusMessage(...), connected status;
 *              SM with the SETUP flag -> SETUP elicited
 *    NAK    -> snd-naks-received + 1, retransmitHandler.onNak -> resend (within half a term behind snd-pos)
 *    RTTM   -> reply (REPLY flag asked) with the echo timestamp
 *    ERR    -> receiver closed; ON_PUBLICATION_ERROR to the clients (once per receiver)
 *  conductor duty cycle: updatePublisherPositionAndLimit
 *    pub-pos := producer position; with subscribers (receivers with flow control's required receivers, or spies
 *    when they simulate a connection): pub-lmt := min(snd-pos, spy positions) + term window once above it,
 *    the term before the slowest consumer cleaned; without: pub-lmt := snd-pos
 *  timer tick: ACTIVE -> (revoked? LINGER) connected status, blocked publisher unblocked;
 *              DRAINING (last link gone) -> sent everything (or nobody listens) and spies done -> LINGER;
 *              LINGER -> no links and (unicast EOS from the receiver or linger timeout) -> DONE (the sender
 *              drops it; end of life once the sender released it)
 * ```
 *
 * Untethered spies are not implemented: every spy is tethered. The steady path (send, SM, NAK) allocates nothing.
 */
import {
  BEGIN_AND_END_FLAGS,
  BEGIN_END_AND_EOS_FLAGS,
  BEGIN_END_EOS_AND_REVOKED_FLAGS,
  HEADER_LENGTH,
} from '../logbuffer/data-header-flyweight.ts';
import { computeMaxMessageLength } from '../logbuffer/frame-descriptor.ts';
import {
  activeTermCount,
  computePosition,
  computeTermIdFromPosition,
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
import { scanForAvailability, TermScanResult } from '../logbuffer/term-scanner.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import { Int64Halves } from '../transport/int64-words.ts';
import { PUBLICATION_HEARTBEAT_TIMEOUT_NS, PUBLICATION_SETUP_TIMEOUT_NS } from './configuration.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { FlowControl } from './flow-control/flow-control.ts';
import type { SocketAddress } from './media/socket-address.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { NetworkPublicationThreadLocals } from './network-publication-thread-locals.ts';
import type { ErrorFlyweight } from './protocol/error-flyweight.ts';
import type { RttMeasurementFlyweight } from './protocol/rtt-measurement-flyweight.ts';
import { REPLY_FLAG, RTT_MEASUREMENT_HEADER_LENGTH } from './protocol/rtt-measurement-flyweight.ts';
import { GROUP_FLAG, SEND_RESPONSE_SETUP_FLAG, SETUP_HEADER_LENGTH } from './protocol/setup-flyweight.ts';
import type { StatusMessageFlyweight } from './protocol/status-message-flyweight.ts';
import { END_OF_STREAM_FLAG } from './protocol/status-message-flyweight.ts';
import type { PublicationParams } from './publication-params.ts';
import type { RawLog } from './raw-log.ts';
import { ReceiverLivenessTracker } from './receiver-liveness-tracker.ts';
import type { RetransmitHandler, RetransmitSender } from './retransmit-handler.ts';
import { addOrdered, incrementOrdered } from './single-writer-counter.ts';
import type { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

/** Re-exported for the receiver side's imports; the helpers live in `single-writer-counter.ts`. */
export { addOrdered, incrementOrdered } from './single-writer-counter.ts';

/** Publication states (Java `NetworkPublication.State`). */
export type NetworkPublicationState = 'ACTIVE' | 'DRAINING' | 'LINGER' | 'DONE';

/** What the sender side of a publication asks of the conductor (Java `DriverConductorProxy`, direct calls here). */
export interface SenderConductorProxy {
  /**
   * An error frame from a receiver: ON_PUBLICATION_ERROR to the clients of publication `registrationId`
   * (Java `DriverConductorProxy.onPublicationError`).
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
  ): void;
  /** The first receiver of a response publication connected (Java `responseConnected`). */
  responseConnected(responseCorrelationId: number): void;
  /** A response setup frame arrived for a publication with a response correlation id (Java `responseSetup`). */
  responseSetup(responseCorrelationId: number, responseSessionId: number): void;
}

/** What a network publication asks of the conductor on its timer ticks. */
export interface NetworkPublicationConductor extends ResourceConductor {
  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, every spy of `publication` (Java `cleanupSpies`). */
  cleanupSpies(publication: NetworkPublication): void;
  /** LINGER -> DONE: the sender drops it, its endpoint may close, its session is free (`cleanupPublication`). */
  cleanupPublication(publication: NetworkPublication): void;
}

/**
 * What a network publication needs of its channel endpoint (`SendChannelEndpoint` implements it; an interface here
 * so the publication does not depend on the endpoint's module).
 */
export interface NetworkPublicationEndpoint {
  /** The parsed channel. */
  readonly udpChannel: UdpChannel;
  /** The multicast TTL written in SETUP frames. */
  readonly multicastTtl: number;
  /** Sends one datagram to the connected address; the bytes sent (0: would block). */
  send(buffer: AtomicBuffer, offset: number, length: number): number;
  /** Sends one datagram to `address`; the bytes sent (0: would block). */
  sendTo(buffer: AtomicBuffer, offset: number, length: number, address: SocketAddress): number;
  /** The publication no longer uses the endpoint. */
  decRef(): void;
  /** Adds the publication to the control frame dispatch (by session and stream). */
  registerForSend(publication: NetworkPublication): void;
  /** Removes the publication from the control frame dispatch. */
  unregisterForSend(publication: NetworkPublication): void;
}

/** The counters and collaborators of a new network publication. */
export interface NetworkPublicationResources {
  /** pub-pos. */
  readonly publisherPos: UnsafeBufferPosition;
  /** pub-lmt. */
  readonly publisherLimit: UnsafeBufferPosition;
  /** snd-pos. */
  readonly senderPosition: UnsafeBufferPosition;
  /** snd-lmt. */
  readonly senderLimit: UnsafeBufferPosition;
  /** snd-bpe. */
  readonly senderBpe: AtomicCounter;
  /** snd-naks-received. */
  readonly senderNaksReceived: AtomicCounter;
  /** Flow control, initialised. */
  readonly flowControl: FlowControl;
  /** The retransmit handler. */
  readonly retransmitHandler: RetransmitHandler;
  /** The sender's scratch frames. */
  readonly threadLocals: NetworkPublicationThreadLocals;
  /** System counters: HEARTBEATS_SENT, SHORT_SENDS, RETRANSMITS_SENT, RETRANSMITTED_BYTES, … */
  readonly systemCounters: NetworkPublicationSystemCounters;
}

/** The system counters a network publication moves. */
export interface NetworkPublicationSystemCounters {
  /** HEARTBEATS_SENT. */
  readonly heartbeatsSent: AtomicCounter;
  /** SHORT_SENDS. */
  readonly shortSends: AtomicCounter;
  /** RETRANSMITS_SENT. */
  readonly retransmitsSent: AtomicCounter;
  /** RETRANSMITTED_BYTES. */
  readonly retransmittedBytes: AtomicCounter;
  /** SENDER_FLOW_CONTROL_LIMITS. */
  readonly senderFlowControlLimits: AtomicCounter;
  /** UNBLOCKED_PUBLICATIONS. */
  readonly unblockedPublications: AtomicCounter;
  /** PUBLICATIONS_REVOKED. */
  readonly publicationsRevoked: AtomicCounter;
}

/** The timeouts of a network publication (driver options). */
export interface NetworkPublicationTimeouts {
  /** `publicationUnblockTimeoutNs`. */
  readonly unblockTimeoutNs: number;
  /** `publicationConnectionTimeoutNs`: a receiver silent this long is gone. */
  readonly connectionTimeoutNs: number;
}

/** The driver's side of one UDP publication; see the module comment. */
export class NetworkPublication implements DriverManagedResource, RetransmitSender {
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
  /** Term id it started in. */
  readonly startingTermId: number;
  /** Offset it started at. */
  readonly startingTermOffset: number;
  /** Term length. */
  readonly termLength: number;
  /** MTU. */
  readonly mtuLength: number;
  /** Response correlation id, or -1. */
  readonly responseCorrelationId: number;
  /** `control-mode=response`. */
  readonly isResponse: boolean;
  /** Spies simulate a connection (`ssc`). */
  readonly spiesSimulateConnection: boolean;
  /** The log. */
  readonly rawLog: RawLog;
  /** The channel endpoint it sends through. */
  readonly channelEndpoint: NetworkPublicationEndpoint;

  readonly #publisherPos: UnsafeBufferPosition;
  readonly #publisherLimit: UnsafeBufferPosition;
  readonly #senderPosition: UnsafeBufferPosition;
  readonly #senderLimit: UnsafeBufferPosition;
  readonly #senderBpe: AtomicCounter;
  readonly #senderNaksReceived: AtomicCounter;
  readonly #flowControl: FlowControl;
  readonly #retransmitHandler: RetransmitHandler;
  readonly #counters: NetworkPublicationSystemCounters;
  readonly #termBuffers: readonly AtomicBuffer[];
  readonly #metaData: AtomicBuffer;
  readonly #metaWords: Int32Array;
  readonly #tail = new Int64Halves();
  readonly #scan = new TermScanResult();
  readonly #setupBuffer: AtomicBuffer;
  readonly #setupHeader: NetworkPublicationThreadLocals['setupHeader'];
  readonly #heartbeatBuffer: AtomicBuffer;
  readonly #heartbeatDataHeader: NetworkPublicationThreadLocals['heartbeatDataHeader'];
  readonly #rttBuffer: AtomicBuffer;
  readonly #rttHeader: NetworkPublicationThreadLocals['rttMeasurementHeader'];
  readonly #livenessTracker = new ReceiverLivenessTracker();
  readonly #positionBitsToShift: number;
  readonly #termLengthMask: number;
  readonly #termWindowLength: number;
  readonly #unblockTimeoutNs: number;
  readonly #connectionTimeoutNs: number;
  readonly #lingerTimeoutNs: number;
  readonly #signalEos: boolean;
  readonly #hasGroupSemantics: boolean;
  readonly #isUnicast: boolean;
  readonly #spyPositions: UnsafeBufferPosition[] = [];

  // conductor fields
  #cleanPosition: number;
  #timeOfLastActivityNs: number;
  #lastSenderPosition: number;
  #refCount = 0;
  #state: NetworkPublicationState = 'ACTIVE';

  // sender fields
  #timeOfLastDataOrHeartbeatNs: number;
  #timeOfLastSetupNs: number;
  #timeOfLastStatusMessageNs = 0;
  #trackSenderLimits = false;
  #isSetupElicited = false;
  #hasInitialConnection = false;
  #endpointAddress: SocketAddress | null = null;

  // shared
  #hasSpies = false;
  #hasReceivers = false;
  #isConnected = false;
  #isEndOfStream = false;
  #hasSenderReleased = false;
  #hasReceivedUnicastEos = false;

  /**
   * @param registrationId the publication's registration id.
   * @param channel its channel.
   * @param params its resolved parameters.
   * @param channelEndpoint the endpoint it sends through.
   * @param rawLog its log, metadata initialised.
   * @param resources its counters, flow control, retransmit handler and scratch frames.
   * @param timeouts the driver's timeouts.
   * @param isExclusive exclusive or concurrent.
   * @param nowNs the clock now.
   */
  constructor(
    registrationId: number,
    channel: string,
    params: PublicationParams,
    channelEndpoint: NetworkPublicationEndpoint,
    rawLog: RawLog,
    resources: NetworkPublicationResources,
    timeouts: NetworkPublicationTimeouts,
    isExclusive: boolean,
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
    this.termLength = rawLog.termLength;
    this.mtuLength = params.mtuLength;
    this.responseCorrelationId = params.responseCorrelationId;
    this.isResponse = params.isResponse;
    this.spiesSimulateConnection = params.spiesSimulateConnection;
    this.rawLog = rawLog;
    this.channelEndpoint = channelEndpoint;
    this.#publisherPos = resources.publisherPos;
    this.#publisherLimit = resources.publisherLimit;
    this.#senderPosition = resources.senderPosition;
    this.#senderLimit = resources.senderLimit;
    this.#senderBpe = resources.senderBpe;
    this.#senderNaksReceived = resources.senderNaksReceived;
    this.#flowControl = resources.flowControl;
    this.#retransmitHandler = resources.retransmitHandler;
    this.#counters = resources.systemCounters;
    const locals = resources.threadLocals;
    this.#setupBuffer = locals.setupBuffer;
    this.#setupHeader = locals.setupHeader;
    this.#heartbeatBuffer = locals.heartbeatBuffer;
    this.#heartbeatDataHeader = locals.heartbeatDataHeader;
    this.#rttBuffer = locals.rttMeasurementBuffer;
    this.#rttHeader = locals.rttMeasurementHeader;
    this.#termBuffers = rawLog.termBuffers;
    this.#metaData = rawLog.metaData;
    this.#metaWords = int32ViewOf(rawLog.metaData);
    this.#positionBitsToShift = positionBitsToShift(this.termLength);
    this.#termLengthMask = this.termLength - 1;
    this.#termWindowLength = params.publicationWindowLength;
    this.#unblockTimeoutNs = timeouts.unblockTimeoutNs;
    this.#connectionTimeoutNs = timeouts.connectionTimeoutNs;
    this.#lingerTimeoutNs = params.lingerTimeoutNs;
    this.#signalEos = params.signalEos;
    const udpChannel = channelEndpoint.udpChannel;
    this.#hasGroupSemantics = udpChannel.isMulticast || udpChannel.isMultiDestination;
    this.#isUnicast = !udpChannel.isMulticast && !udpChannel.isMultiDestination;
    this.#timeOfLastDataOrHeartbeatNs = nowNs - PUBLICATION_HEARTBEAT_TIMEOUT_NS - 1;
    this.#timeOfLastSetupNs = nowNs - PUBLICATION_SETUP_TIMEOUT_NS - 1;
    this.#lastSenderPosition = this.#senderPosition.get();
    this.#cleanPosition = this.#lastSenderPosition;
    this.#timeOfLastActivityNs = nowNs;
  }

  // ---- state visible to the conductor --------------------------------------------------------------------------

  /** Current state. */
  get state(): NetworkPublicationState {
    return this.#state;
  }

  /** The pub-lmt counter id (sent in ON_PUBLICATION_READY). */
  get publisherLimitId(): number {
    return this.#publisherLimit.id;
  }

  /** Whether any receiver is alive (status messages within the connection timeout). */
  get hasReceivers(): boolean {
    return this.#hasReceivers;
  }

  /** Whether the log is marked connected. */
  get isConnected(): boolean {
    return this.#isConnected;
  }

  /** Whether spies are linked. */
  get hasSpies(): boolean {
    return this.#hasSpies;
  }

  /** Time of the last status message from a receiver (ns). */
  get timeOfLastStatusMessageNs(): number {
    return this.#timeOfLastStatusMessageNs;
  }

  /** The sender position (snd-pos). */
  senderPosition(): number {
    return this.#senderPosition.getVolatile();
  }

  /** The sender limit (snd-lmt). */
  senderLimit(): number {
    return this.#senderLimit.getVolatile();
  }

  /** Where a new spy joins: the sender position (Java `consumerPosition`). */
  consumerPosition(): number {
    return this.#senderPosition.getVolatile();
  }

  /** Position of the producer: the active term's tail. Allocates nothing. */
  producerPosition(): number {
    const tail = readRawTailVolatile(this.#metaWords, indexByTermCount(activeTermCount(this.#metaData)), this.#tail);
    return computePosition(
      tail.high,
      rawTailTermOffset(tail, this.termLength),
      this.#positionBitsToShift,
      this.initialTermId,
    );
  }

  /** Whether a spy may link: ACTIVE, or DRAINING with spies and data left to send (Java). */
  isAcceptingSubscriptions(): boolean {
    return (
      this.#state === 'ACTIVE' ||
      (this.#state === 'DRAINING' && this.#hasSpies && this.producerPosition() > this.#senderPosition.getVolatile())
    );
  }

  /** Links a spy's position (Java `addSubscriber`); with `ssc` the log becomes connected. */
  addSubscriber(position: UnsafeBufferPosition): void {
    this.#spyPositions.push(position);
    this.#hasSpies = true;
    if (this.spiesSimulateConnection) this.#updateConnectedState(true);
  }

  /** Unlinks and frees a spy's position (Java `removeSubscriber`). */
  removeSubscriber(position: UnsafeBufferPosition): void {
    const positions = this.#spyPositions;
    const index = positions.indexOf(position);
    if (index >= 0) positions.splice(index, 1);
    this.#hasSpies = positions.length > 0;
    position.close();
    if (this.spiesSimulateConnection) this.#updateConnectedState(this.#hasSubscribers());
  }

  /** A publication link was added. */
  incRef(): void {
    this.#refCount++;
  }

  /** A publication link went: at the last one, pub-lmt := producer position, end of stream, DRAINING. */
  decRef(): void {
    if (--this.#refCount === 0) {
      const producerPosition = this.producerPosition();
      this.#publisherLimit.setRelease(producerPosition);
      setEndOfStreamPosition(this.#metaData, producerPosition);
      if (!isPublicationRevoked(this.#metaData)) {
        if (this.#senderPosition.getVolatile() >= producerPosition) this.#isEndOfStream = true;
        this.#state = 'DRAINING';
      }
    }
  }

  /** REMOVE_PUBLICATION with the revoke flag: marks the log revoked (acted on at the next timer tick). */
  revoke(): void {
    setIsPublicationRevoked(this.#metaData, true);
  }

  /** The sender dropped it (Java `senderRelease`): end of life. */
  senderRelease(): void {
    this.#hasSenderReleased = true;
  }

  // ---- conductor duty cycle ------------------------------------------------------------------------------------

  /** pub-pos and pub-lmt (module comment); returns 1 when the limit moved. Allocates nothing. */
  updatePublisherPositionAndLimit(): number {
    if (this.#state !== 'ACTIVE') return 0;
    const producerPosition = this.producerPosition();
    const senderPosition = this.#senderPosition.getVolatile();
    this.#publisherPos.setRelease(producerPosition);
    if (this.#hasSubscribers()) {
      let minConsumerPosition = senderPosition;
      const spies = this.#spyPositions;
      for (let i = 0; i < spies.length; i++) {
        const position = spies[i]!.getVolatile();
        if (position < minConsumerPosition) minConsumerPosition = position;
      }
      const newLimitPosition = minConsumerPosition + this.#termWindowLength;
      if (newLimitPosition > this.#publisherLimit.get()) {
        this.#cleanBufferTo(minConsumerPosition - this.termLength);
        const cleanPosition = this.#cleanPosition;
        const bits = this.#positionBitsToShift;
        const dirtyTermId = computeTermIdFromPosition(cleanPosition, bits, this.initialTermId);
        const activeTermId = computeTermIdFromPosition(newLimitPosition, bits, this.initialTermId);
        const termGap = (activeTermId - dirtyTermId) | 0;
        if (termGap < 2 || (termGap === 2 && (cleanPosition & this.#termLengthMask) !== 0)) {
          this.#publisherLimit.setRelease(newLimitPosition);
        }
        return 1;
      }
    } else if (this.#publisherLimit.get() > senderPosition) {
      this.#updateConnectedState(false);
      this.#publisherLimit.setRelease(senderPosition);
      this.#cleanBufferTo(senderPosition - this.termLength);
      return 1;
    }
    return 0;
  }

  // ---- sender duty cycle ---------------------------------------------------------------------------------------

  /** One sender turn (module comment); returns the bytes sent. Allocates nothing. */
  send(nowNs: number): number {
    const senderPosition = this.#senderPosition.get();
    const activeTermId = computeTermIdFromPosition(senderPosition, this.#positionBitsToShift, this.initialTermId);
    const termOffset = senderPosition & this.#termLengthMask;

    if (!this.#hasInitialConnection || this.#isSetupElicited) {
      this.#setupMessageCheck(nowNs, activeTermId, termOffset);
    }

    let bytesSent = this.#sendData(nowNs, senderPosition, termOffset);
    if (bytesSent === 0) {
      bytesSent = this.#heartbeatMessageCheck(nowNs, activeTermId, termOffset);
      if (this.spiesSimulateConnection && this.#hasSpies && !this.#hasReceivers) {
        const newSenderPosition = this.#maxSpyPosition(senderPosition);
        this.#senderPosition.setRelease(newSenderPosition);
        this.#senderLimit.setRelease(
          this.#flowControl.onIdle(nowNs, newSenderPosition, newSenderPosition, this.#isEndOfStream),
        );
      } else {
        this.#senderLimit.setRelease(
          this.#flowControl.onIdle(nowNs, this.#senderLimit.get(), senderPosition, this.#isEndOfStream),
        );
      }
      this.#updateHasReceivers(nowNs);
    }
    this.#retransmitHandler.processTimeouts(nowNs, this);
    return bytesSent;
  }

  /** A status message asking for a SETUP (Java `triggerSendSetupFrame`). */
  triggerSendSetupFrame(msg: StatusMessageFlyweight, srcAddress: SocketAddress, nowNs: number): void {
    if (!this.#isEndOfStream) {
      this.#timeOfLastStatusMessageNs = nowNs;
      this.#isSetupElicited = true;
      this.#flowControl.onTriggerSendSetup(msg, srcAddress, nowNs);
      if (this.isResponse) this.#rememberEndpointAddress(srcAddress);
    }
  }

  /** Whether a status message is within half a term of the sender position (Java `isValidStatusMessage`). */
  isValidStatusMessage(msg: StatusMessageFlyweight): boolean {
    const smPosition = computePosition(
      msg.consumptionTermId(),
      msg.consumptionTermOffset(),
      this.#positionBitsToShift,
      this.initialTermId,
    );
    const senderPosition = this.#senderPosition.get();
    const maxTransmissionWindow = this.termLength >> 1;
    return smPosition >= senderPosition - maxTransmissionWindow && smPosition <= senderPosition + maxTransmissionWindow;
  }

  /** A status message (Java `onStatusMessage`): liveness, flow control, sender limit, connected status. */
  onStatusMessage(
    msg: StatusMessageFlyweight,
    srcAddress: SocketAddress,
    conductorProxy: SenderConductorProxy,
    nowNs: number,
  ): void {
    const receiverIdHigh = msg.receiverIdHigh();
    const receiverIdLow = msg.receiverIdLow();
    if ((msg.flags() & END_OF_STREAM_FLAG) === END_OF_STREAM_FLAG) {
      this.#livenessTracker.onRemoteClose(receiverIdHigh, receiverIdLow);
      if (this.#isUnicast) this.#hasReceivedUnicastEos = true;
    } else {
      this.#livenessTracker.onStatusMessage(receiverIdHigh, receiverIdLow, nowNs);
    }
    const isLive = this.#livenessTracker.hasReceivers();
    if (!this.#hasReceivers && isLive) conductorProxy.responseConnected(this.responseCorrelationId);
    this.#hasReceivers = isLive;
    this.#hasInitialConnection = true;
    this.#timeOfLastStatusMessageNs = nowNs;
    this.#senderLimit.setRelease(
      this.#flowControl.onStatusMessage(
        msg,
        srcAddress,
        this.#senderLimit.get(),
        this.initialTermId,
        this.#positionBitsToShift,
        nowNs,
      ),
    );
    this.#updateConnectedState(this.#hasSubscribers());
  }

  /** A NAK (Java `onNak`): counted, then the retransmit handler decides. */
  onNak(termId: number, termOffset: number, length: number): void {
    incrementOrdered(this.#senderNaksReceived);
    this.#retransmitHandler.onNak(termId, termOffset, length, this.termLength, this.mtuLength, this.#flowControl, this);
  }

  /** An error frame from a receiver (Java `onError`). */
  onError(
    msg: ErrorFlyweight,
    srcAddress: SocketAddress,
    destinationRegistrationId: number,
    conductorProxy: SenderConductorProxy,
    nowNs: number,
  ): void {
    this.#flowControl.onError(msg, srcAddress, nowNs);
    if (this.#livenessTracker.onRemoteClose(msg.receiverIdHigh(), msg.receiverIdLow())) {
      conductorProxy.onPublicationError(
        this.registrationId,
        destinationRegistrationId,
        msg.sessionId(),
        msg.streamId(),
        msg.receiverId(),
        msg.hasGroupTag() ? msg.groupTag() : null,
        srcAddress,
        msg.errorCode(),
        msg.errorMessage(),
      );
    }
  }

  /** An RTT measurement (Java `onRttMeasurement`): a reply when asked. */
  onRttMeasurement(msg: RttMeasurementFlyweight, _srcAddress: SocketAddress): void {
    if ((msg.flags() & REPLY_FLAG) === REPLY_FLAG) {
      this.#rttHeader
        .setReceiverIdWords(msg.receiverIdHigh(), msg.receiverIdLow())
        .setEchoTimestampNsWords(msg.echoTimestampNsHigh(), msg.echoTimestampNsLow())
        .setReceptionDelta(0)
        .setSessionId(this.sessionId)
        .setStreamId(this.streamId)
        .setFlags(0);
      if (this.#doSend(this.#rttBuffer, 0, RTT_MEASUREMENT_HEADER_LENGTH) !== RTT_MEASUREMENT_HEADER_LENGTH) {
        incrementOrdered(this.#counters.shortSends);
      }
    }
  }

  /**
   * Resends `length` bytes of `termId` from `termOffset` (Java `resend`, for the retransmit handler): only within
   * half a term (plus one max message) behind the sender position; whole frames, an MTU per datagram.
   */
  resend(termId: number, termOffset: number, length: number): void {
    const senderPosition = this.#senderPosition.get();
    const bits = this.#positionBitsToShift;
    const resendPosition = computePosition(termId, termOffset, bits, this.initialTermId);
    const bottomResendWindow = senderPosition - (this.termLength >> 1) - computeMaxMessageLength(this.termLength);
    if (bottomResendWindow <= resendPosition && resendPosition < senderPosition) {
      const termBuffer = this.#termBuffers[indexByPosition(resendPosition, bits)]!;
      const scan = this.#scan;
      let remainingBytes = length;
      let totalBytesSent = 0;
      let bytesSent = 0;
      let offset = termOffset;
      do {
        offset += bytesSent;
        const available = scanForAvailability(termBuffer, offset, Math.min(this.mtuLength, remainingBytes), scan);
        if (available <= 0) break;
        if (available !== this.#doSend(termBuffer, offset, available)) {
          incrementOrdered(this.#counters.shortSends);
          break;
        }
        bytesSent = available + scan.padding;
        remainingBytes -= bytesSent;
        totalBytesSent += bytesSent;
      } while (remainingBytes > 0);
      if (totalBytesSent > 0) {
        incrementOrdered(this.#counters.retransmitsSent);
        addOrdered(this.#counters.retransmittedBytes, totalBytesSent);
      }
    }
  }

  // ---- conductor timer -----------------------------------------------------------------------------------------

  /** The timer tick (module comment). */
  onTimeEvent(timeNs: number, _timeMs: number, conductor: ResourceConductor): void {
    const networkConductor = conductor as NetworkPublicationConductor;
    switch (this.#state) {
      case 'ACTIVE': {
        const metaData = this.#metaData;
        if (isPublicationRevoked(metaData)) {
          const revokedPosition = this.producerPosition();
          this.#publisherLimit.setRelease(revokedPosition);
          setEndOfStreamPosition(metaData, revokedPosition);
          this.#updateConnectedState(false);
          this.#isEndOfStream = true;
          networkConductor.cleanupSpies(this);
          this.#state = 'LINGER';
          this.#counters.publicationsRevoked.increment();
        } else {
          this.#updateConnectedState(this.#hasSubscribers());
          const producerPosition = this.producerPosition();
          this.#publisherPos.setRelease(producerPosition);
          if (!this.isExclusive) {
            this.#checkForBlockedPublisher(producerPosition, this.#senderPosition.getVolatile(), timeNs);
          }
        }
        break;
      }
      case 'DRAINING': {
        const producerPosition = this.producerPosition();
        this.#publisherPos.setRelease(producerPosition);
        const senderPosition = this.#senderPosition.getVolatile();
        if (producerPosition > senderPosition) {
          if (unblockLog(this.#termBuffers, this.#metaData, senderPosition, this.termLength)) {
            this.#counters.unblockedPublications.increment();
            break;
          }
          if (this.#hasReceivers) break;
        } else {
          this.#isEndOfStream = true;
        }
        if (this.#spiesFinishedConsuming(networkConductor, producerPosition)) {
          this.#timeOfLastActivityNs = timeNs;
          this.#state = 'LINGER';
        }
        break;
      }
      case 'LINGER':
        if (
          this.#refCount === 0 &&
          (this.#hasReceivedUnicastEos || this.#timeOfLastActivityNs + this.#lingerTimeoutNs - timeNs < 0)
        ) {
          this.channelEndpoint.decRef();
          networkConductor.cleanupPublication(this);
          this.#timeOfLastActivityNs = timeNs;
          this.#state = 'DONE';
        }
        break;
      default:
        break;
    }
  }

  /** True once the sender has released it (after DONE). */
  hasReachedEndOfLife(): boolean {
    return this.#hasSenderReleased;
  }

  /** Frees its counters and its flow control. */
  close(): void {
    this.#publisherPos.close();
    this.#publisherLimit.close();
    this.#senderPosition.close();
    this.#senderLimit.close();
    this.#senderBpe.close();
    this.#senderNaksReceived.close();
    for (const position of this.#spyPositions) position.close();
    this.#spyPositions.length = 0;
    this.#flowControl.close();
  }

  /** Unmaps and deletes the log file. */
  free(): boolean {
    return this.rawLog.free();
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  #doSend(buffer: AtomicBuffer, offset: number, length: number): number {
    if (this.isResponse) {
      const address = this.#endpointAddress;
      return address !== null ? this.channelEndpoint.sendTo(buffer, offset, length, address) : 0;
    }
    return this.channelEndpoint.send(buffer, offset, length);
  }

  #rememberEndpointAddress(srcAddress: SocketAddress): void {
    if (this.#endpointAddress === null) this.#endpointAddress = srcAddress.clone();
    else this.#endpointAddress.copyFrom(srcAddress);
  }

  #sendData(nowNs: number, senderPosition: number, termOffset: number): number {
    let bytesSent = 0;
    const availableWindow = this.#senderLimit.get() - senderPosition;
    if (availableWindow > 0) {
      const scanLimit = Math.min(availableWindow, this.mtuLength);
      const termBuffer = this.#termBuffers[indexByPosition(senderPosition, this.#positionBitsToShift)]!;
      const scan = this.#scan;
      const available = scanForAvailability(termBuffer, termOffset, scanLimit, scan);
      if (available > 0) {
        if (available === this.#doSend(termBuffer, termOffset, available)) {
          this.#timeOfLastDataOrHeartbeatNs = nowNs;
          this.#trackSenderLimits = true;
          bytesSent = available + scan.padding;
          this.#senderPosition.setRelease(senderPosition + bytesSent);
        } else {
          incrementOrdered(this.#counters.shortSends);
        }
      } else if (available < 0 && this.#trackSenderLimits) {
        this.#trackSenderLimits = false;
        incrementOrdered(this.#senderBpe);
        incrementOrdered(this.#counters.senderFlowControlLimits);
      }
    } else if (this.#trackSenderLimits) {
      this.#trackSenderLimits = false;
      incrementOrdered(this.#senderBpe);
      incrementOrdered(this.#counters.senderFlowControlLimits);
    }
    return bytesSent;
  }

  #setupMessageCheck(nowNs: number, activeTermId: number, termOffset: number): void {
    if (this.#timeOfLastSetupNs + PUBLICATION_SETUP_TIMEOUT_NS - nowNs < 0) {
      this.#timeOfLastSetupNs = nowNs;
      const flags =
        (this.#isSendResponseSetupFlag() ? SEND_RESPONSE_SETUP_FLAG : 0) | (this.#hasGroupSemantics ? GROUP_FLAG : 0);
      const setup = this.#setupHeader;
      setup
        .setActiveTermId(activeTermId)
        .setTermOffset(termOffset)
        .setSessionId(this.sessionId)
        .setStreamId(this.streamId)
        .setInitialTermId(this.initialTermId)
        .setTermLength(this.termLength)
        .setMtuLength(this.mtuLength)
        .setTtl(this.channelEndpoint.multicastTtl)
        .setFlags(flags & 0xff);
      if (this.#isSetupElicited) {
        this.#flowControl.onSetup(
          setup,
          this.#senderLimit.get(),
          this.#senderPosition.get(),
          this.#positionBitsToShift,
          nowNs,
        );
      }
      if (this.#doSend(this.#setupBuffer, 0, SETUP_HEADER_LENGTH) !== SETUP_HEADER_LENGTH) {
        incrementOrdered(this.#counters.shortSends);
      }
      if (this.#isSetupElicited && this.#hasReceivers) this.#isSetupElicited = false;
    }
  }

  #heartbeatMessageCheck(nowNs: number, activeTermId: number, termOffset: number): number {
    let bytesSent = 0;
    if (
      this.#hasInitialConnection &&
      this.#timeOfLastDataOrHeartbeatNs + PUBLICATION_HEARTBEAT_TIMEOUT_NS - nowNs < 0
    ) {
      let flags: number;
      if (isPublicationRevoked(this.#metaData)) flags = BEGIN_END_EOS_AND_REVOKED_FLAGS;
      else if (this.#signalEos && this.#isEndOfStream) flags = BEGIN_END_AND_EOS_FLAGS;
      else flags = BEGIN_AND_END_FLAGS;
      this.#heartbeatDataHeader
        .setSessionId(this.sessionId)
        .setStreamId(this.streamId)
        .setTermId(activeTermId)
        .setTermOffset(termOffset)
        .setFlags(flags);
      bytesSent = this.#doSend(this.#heartbeatBuffer, 0, HEADER_LENGTH);
      if (bytesSent !== HEADER_LENGTH) incrementOrdered(this.#counters.shortSends);
      this.#timeOfLastDataOrHeartbeatNs = nowNs;
      incrementOrdered(this.#counters.heartbeatsSent);
    }
    return bytesSent;
  }

  #updateHasReceivers(nowNs: number): void {
    this.#livenessTracker.onIdle(nowNs, this.#connectionTimeoutNs);
    this.#hasReceivers = this.#livenessTracker.hasReceivers();
  }

  #cleanBufferTo(position: number): void {
    const cleanPosition = this.#cleanPosition;
    if (position > cleanPosition) {
      const termBuffer = this.#termBuffers[indexByPosition(cleanPosition, this.#positionBitsToShift)]!;
      const bytesForCleaning = position - cleanPosition;
      const termOffset = cleanPosition & this.#termLengthMask;
      const length = Math.min(bytesForCleaning, this.termLength - termOffset);
      termBuffer.setMemory(termOffset + 8, length - 8, 0);
      termBuffer.putInt64Release(termOffset, 0);
      this.#cleanPosition = cleanPosition + length;
    }
  }

  #checkForBlockedPublisher(producerPosition: number, senderPosition: number, nowNs: number): void {
    if (senderPosition === this.#lastSenderPosition && this.#isPossiblyBlocked(producerPosition, senderPosition)) {
      if (this.#timeOfLastActivityNs + this.#unblockTimeoutNs - nowNs < 0) {
        if (unblockLog(this.#termBuffers, this.#metaData, senderPosition, this.termLength)) {
          this.#counters.unblockedPublications.increment();
        }
      }
    } else {
      this.#timeOfLastActivityNs = nowNs;
      this.#lastSenderPosition = senderPosition;
    }
  }

  #isPossiblyBlocked(producerPosition: number, consumerPosition: number): boolean {
    const producerTermCount = activeTermCount(this.#metaData);
    const expectedTermCount = Math.floor(consumerPosition / this.termLength) | 0;
    return producerTermCount !== expectedTermCount || producerPosition > consumerPosition;
  }

  #spiesFinishedConsuming(conductor: NetworkPublicationConductor, eosPosition: number): boolean {
    if (this.#hasSpies) {
      const spies = this.#spyPositions;
      for (let i = 0; i < spies.length; i++) {
        if (spies[i]!.getVolatile() < eosPosition) return false;
      }
      this.#hasSpies = false;
      conductor.cleanupSpies(this);
    }
    return true;
  }

  #maxSpyPosition(senderPosition: number): number {
    let position = senderPosition;
    const spies = this.#spyPositions;
    for (let i = 0; i < spies.length; i++) position = Math.max(position, spies[i]!.getVolatile());
    return position;
  }

  #updateConnectedState(connected: boolean): void {
    if (connected !== this.#isConnected) {
      if (isConnected(this.#metaData) !== connected) setIsConnected(this.#metaData, connected);
      this.#isConnected = connected;
    }
  }

  #hasSubscribers(): boolean {
    return (
      (this.spiesSimulateConnection && this.#hasSpies) ||
      (this.#hasReceivers && this.#flowControl.hasRequiredReceivers())
    );
  }

  #isSendResponseSetupFlag(): boolean {
    return !this.isResponse && this.responseCorrelationId !== -1;
  }
}
