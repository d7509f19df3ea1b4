/**
 * A network publication as one receiver sees it: the image log rebuilt from DATA frames, its high-water mark and
 * rebuild position, loss detection and NAKs, status messages, and the conductor-driven lifecycle (Java 1.51.0
 * `io.aeron.driver.PublicationImage`).
 *
 * ```
 *  who calls what (SHARED/INVOKER: one thread; Java's threads in brackets)
 *    [receiver]   insertPacket(termId, termOffset, packet, length, transportIndex, src)  per DATA/PAD frame
 *                 isConnected(now), checkEosForDrainTransition(now), sendPendingStatusMessage(now),
 *                 processPendingLoss(), initiateAnyRttMeasurements(now)                 per receiver duty cycle
 *    [conductor]  trackRebuild(now)                                                     per conductor duty cycle
 *                 onTimeEvent(now, nowMs, conductor), hasReachedEndOfLife(), close(), free()  timer
 *                 addSubscriber / removeSubscriber, reject(reason)
 *
 *  positions (bytes from the stream's start; term t begins at (t - initialTermId) × termLength)
 *    rebuild position (rcv-pos) <= hwm (rcv-hwm)
 *    subscribers (sub-pos) <= rebuild position
 *    lastSmPosition: the consumption position last sent in a status message; a frame below it is an under-run,
 *    a frame ending beyond lastSmPosition + termLength / 2 an over-run: both dropped and counted.
 *
 *  state:  INIT --activate (dispatcher)--> ACTIVE --deactivate / EOS drained / revoked--> DRAINING
 *          DRAINING --subscribers drained and 5 status-message timeouts--> LINGER (transitionToLinger)
 *          LINGER --no subscribers or image liveness timeout--> DONE (cleanupImage)
 *          end of life = DONE and released by the receiver (not connected: removed from the dispatcher)
 * ```
 *
 * Steady path (insertPacket, trackRebuild, status messages) allocates nothing: loss scanning keeps its outcome in
 * fields, positions are numbers (exact below 2^53), the connections array is built once.
 */
import {
  EOS_FLAG,
  FLAGS_FIELD_OFFSET,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  REVOKED_FLAG,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import {
  computePosition,
  positionBitsToShift as computePositionBitsToShift,
  computeTermIdFromPosition,
  computeTermOffsetFromPosition,
  indexByPosition,
  isPublicationRevoked,
  LOG_ACTIVE_TRANSPORT_COUNT,
  LOG_DEFAULT_FRAME_HEADER_OFFSET,
  PARTITION_COUNT,
  setEndOfStreamPosition,
  setIsPublicationRevoked,
} from '../logbuffer/log-buffer-descriptor.ts';
import { insert, type PacketBuffer } from '../logbuffer/term-rebuilder.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import { ERROR_CODE_IMAGE_REJECTED } from './command/control-protocol.ts';
import type { CongestionControl } from './congestion-control.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { FeedbackDelayGenerator } from './feedback-delay-generator.ts';
import { LossDetector, type LossHandler } from './loss-detector.ts';
import type { LossReport, LossReportEntry } from './loss-report.ts';
import type { SocketAddress } from './media/socket-address.ts';
import { SEND_RESPONSE_SETUP_FLAG } from './protocol/setup-flyweight.ts';
import { END_OF_STREAM_FLAG } from './protocol/status-message-flyweight.ts';
import { incrementOrdered } from './single-writer-counter.ts';
import type { SystemCounters } from './system-counters.ts';

/** Minimum number of EOS status messages sent while draining (Java `SM_EOS_MULTIPLE`). */
const SM_EOS_MULTIPLE = 5;

/** Lifecycle of an image (Java `PublicationImage.State`). */
export type PublicationImageState = 'INIT' | 'ACTIVE' | 'DRAINING' | 'LINGER' | 'DONE';

/** A position the image reads (a subscriber's `sub-pos`). Java: `ReadablePosition`. */
export interface ReadablePosition {
  /** Counter id. */
  readonly id: number;
  /** Acquire load of the position. */
  getVolatile(): number;
  /** Frees the counter. */
  close(): void;
}

/** A position the image writes (`rcv-hwm`, `rcv-pos`). Java: `Position`; `UnsafeBufferPosition` fits. */
export interface WritablePosition extends ReadablePosition {
  /** Plain load. */
  get(): number;
  /** Release store. */
  setRelease(value: number): void;
}

/** What the image needs of a subscription (Java `SubscriptionLink.isTether` / `isRejoin`). */
export interface ImageSubscriptionLink {
  /** `tether=false` subscriptions may be left behind (untethered). */
  readonly isTether: boolean;
  /** An untethered subscription left behind rejoins after the resting timeout. */
  readonly isRejoin: boolean;
}

/** A subscriber of the image: its link and its position (Java `SubscriberPosition`). */
export interface ImageSubscriber {
  /** The subscription. */
  readonly link: ImageSubscriptionLink;
  /** Its `sub-pos` counter. */
  readonly position: ReadablePosition;
}

/**
 * One transport (destination) the image hears from and where its control frames go (Java `ImageConnection`). The
 * control address is the image's own copy.
 */
export class ImageConnection {
  /** Last time anything (data, heartbeat, setup) arrived on it. */
  timeOfLastActivityNs: number;
  /** Last time a frame arrived on it. */
  timeOfLastFrameNs: number;
  /** End of stream seen on this transport. */
  isEos = false;
  /** The EOS position seen on it. */
  eosPosition = 0;
  /** Where status messages, NAKs, RTT and error frames go. */
  readonly controlAddress: SocketAddress;

  /**
   * @param nowNs creation time.
   * @param controlAddress the control address (owned by this connection).
   */
  constructor(nowNs: number, controlAddress: SocketAddress) {
    this.timeOfLastActivityNs = nowNs;
    this.timeOfLastFrameNs = nowNs;
    this.controlAddress = controlAddress;
  }
}

/** The endpoint side the image talks to: `ReceiveChannelEndpoint` implements it. */
export interface ImageChannelEndpoint {
  /** The subscription channel as the client gave it. */
  originalUriString(): string;
  /** Sends a status message to the image's connections. */
  sendStatusMessage(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    termId: number,
    termOffset: number,
    windowLength: number,
    flags: number,
  ): void;
  /** Sends a NAK to the image's connections. */
  sendNakMessage(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    termId: number,
    termOffset: number,
    length: number,
  ): void;
  /** Sends an RTT measurement to the image's connections. */
  sendRttMeasurement(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    echoTimestampNs: number,
    receptionDelta: number,
    isReply: boolean,
  ): void;
  /** Sends an error frame to the image's connections. */
  sendErrorFrame(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    errorCode: number,
    errorMessage: string,
  ): void;
  /** Sends a response setup to the image's connections. */
  sendResponseSetup(
    connections: readonly (ImageConnection | null)[],
    sessionId: number,
    streamId: number,
    responseSessionId: number,
  ): void;
  /** Whether transport `transportIndex` exists (0 only without MDS). */
  hasDestination(transportIndex: number): boolean;
  /** Drops one image reference (the endpoint may close when none are left). */
  decRefImages(): void;
  /** The endpoint's dispatcher. */
  dispatcher(): { removePublicationImage(image: PublicationImage): void };
}

/** What the image asks of the conductor on its timer (Java: the `DriverConductor` methods it calls). F1 implements it. */
export interface ImageConductor {
  /** DRAINING → LINGER: ON_UNAVAILABLE_IMAGE to the subscribers (Java `transitionToLinger`). */
  transitionToLinger(image: PublicationImage): void;
  /** LINGER → DONE: unlink the subscriptions, free the positions (Java `cleanupImage`). */
  cleanupImage(image: PublicationImage): void;
  /** Closes the endpoint if nothing uses it any more (Java `tryCloseReceiveChannelEndpoint`). */
  tryCloseReceiveChannelEndpoint(endpoint: ImageChannelEndpoint): void;
  /** An untethered subscriber fell behind: ON_UNAVAILABLE_IMAGE to that subscription only. */
  notifyUnavailableImageLink(correlationId: number, link: ImageSubscriptionLink): void;
  /** An untethered subscriber rejoins: ON_AVAILABLE_IMAGE to that subscription only. */
  notifyAvailableImageLink(
    correlationId: number,
    sessionId: number,
    link: ImageSubscriptionLink,
    subscriberPositionId: number,
    joinPosition: number,
    logFileName: string,
    sourceIdentity: string,
  ): void;
}

/** The image log's memory (the conductor's `RawLog` fits). */
export interface ImageLog {
  /** Path of the log file. */
  readonly fileName: string;
  /** Term length. */
  readonly termLength: number;
  /** The three terms. */
  readonly termBuffers: readonly AtomicBuffer[];
  /** The log's metadata. */
  readonly metaData: AtomicBuffer;
  /** Unmaps and deletes the log; false to be retried. */
  free(): boolean;
}

/** Everything the conductor hands a new image (Java's constructor arguments and context). */
export interface PublicationImageParams {
  /** Image correlation (registration) id. */
  readonly correlationId: number;
  /** The receive channel endpoint. */
  readonly channelEndpoint: ImageChannelEndpoint;
  /** Transport index the image was set up on (0 without MDS). */
  readonly transportIndex: number;
  /** Where control frames go (copied by the caller: the image keeps it). */
  readonly controlAddress: SocketAddress;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Initial term id (SETUP). */
  readonly initialTermId: number;
  /** Active term id (SETUP). */
  readonly activeTermId: number;
  /** Term offset (SETUP). */
  readonly termOffset: number;
  /** SETUP flags. */
  readonly flags: number;
  /** `reliable=` of the subscription (false: gaps are filled with padding instead of NAKed). */
  readonly isReliable: boolean;
  /** The image log (created by the conductor under images/). */
  readonly rawLog: ImageLog;
  /** NAK delays (unicast static, multicast optimal). */
  readonly lossFeedbackDelayGenerator: FeedbackDelayGenerator;
  /** The subscribers at creation. */
  readonly subscriberPositions: readonly ImageSubscriber[];
  /** `rcv-hwm`. */
  readonly hwmPosition: WritablePosition;
  /** `rcv-pos`. */
  readonly rebuildPosition: WritablePosition;
  /** `rcv-naks-sent` of this image, or null. */
  readonly receiverNaksSent: AtomicCounter | null;
  /** The source as `host:port` (Java `sourceIdentity`). */
  readonly sourceIdentity: string;
  /** Receiver congestion control. */
  readonly congestionControl: CongestionControl;
  /** The driver's system counters. */
  readonly systemCounters: SystemCounters;
  /** The loss report, or null. */
  readonly lossReport: LossReport | null;
  /** The conductor side of the lifecycle. */
  readonly conductor: ImageConductor;
  /** Image liveness timeout (ns; `aeron.image.liveness.timeout`, 10 s). */
  readonly imageLivenessTimeoutNs: number;
  /** Status message timeout (ns; `aeron.rcv.status.message.timeout`, 200 ms). */
  readonly statusMessageTimeoutNs: number;
  /** Untethered window limit timeout (ns). */
  readonly untetheredWindowLimitTimeoutNs: number;
  /** Untethered linger timeout (ns). */
  readonly untetheredLingerTimeoutNs: number;
  /** Untethered resting timeout (ns). */
  readonly untetheredRestingTimeoutNs: number;
  /** The receiver's cached clock (ns): the time of the current duty cycle. */
  readonly cachedNanoClock: () => number;
  /** Precise clock (ns), for RTT. */
  readonly nanoClock: () => number;
  /** Epoch clock (ms), for the loss report. */
  readonly epochClock: () => number;
}

type UntetheredState = 'ACTIVE' | 'LINGER' | 'RESTING';

/** An untethered subscriber and its state (Java `UntetheredSubscription`). */
class UntetheredSubscription {
  state: UntetheredState = 'ACTIVE';
  timeOfLastUpdateNs: number;
  readonly link: ImageSubscriptionLink;
  readonly position: ReadablePosition;

  constructor(link: ImageSubscriptionLink, position: ReadablePosition, nowNs: number) {
    this.link = link;
    this.position = position;
    this.timeOfLastUpdateNs = nowNs;
  }
}

/** See the module comment. */
export class PublicationImage implements LossHandler, DriverManagedResource {
  /** Image correlation id. */
  readonly correlationId: number;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The source as `host:port`. */
  readonly sourceIdentity: string;
  /** The endpoint. */
  readonly channelEndpoint: ImageChannelEndpoint;
  /** The image log. */
  readonly rawLog: ImageLog;
  /** Initial term id. */
  readonly initialTermId: number;
  /** SETUP flags. */
  readonly flags: number;

  readonly #imageLivenessTimeoutNs: number;
  readonly #smTimeoutNs: number;
  readonly #untetheredWindowLimitTimeoutNs: number;
  readonly #untetheredLingerTimeoutNs: number;
  readonly #untetheredRestingTimeoutNs: number;
  readonly #positionBitsToShift: number;
  readonly #termLength: number;
  readonly #isReliable: boolean;
  readonly #termBuffers: readonly AtomicBuffer[];
  readonly #metaData: AtomicBuffer;
  readonly #hwmPosition: WritablePosition;
  readonly #rebuildPosition: WritablePosition;
  readonly #lossDetector: LossDetector;
  readonly #congestionControl: CongestionControl;
  readonly #conductor: ImageConductor;
  readonly #cachedNanoClock: () => number;
  readonly #nanoClock: () => number;
  readonly #epochClock: () => number;
  readonly #maxReceiverWindowLength: number;
  readonly #receiverNaksSent: AtomicCounter | null;
  readonly #heartbeatsReceived: AtomicCounter;
  readonly #statusMessagesSent: AtomicCounter;
  readonly #nakMessagesSent: AtomicCounter;
  readonly #flowControlUnderRuns: AtomicCounter;
  readonly #flowControlOverRuns: AtomicCounter;
  readonly #lossGapFills: AtomicCounter;
  readonly #publicationImagesRevoked: AtomicCounter;

  #subscriberPositions: ReadablePosition[] = [];
  readonly #untetheredSubscriptions: UntetheredSubscription[] = [];
  #imageConnections: (ImageConnection | null)[];
  #state: PublicationImageState = 'INIT';
  #timeOfLastStateChangeNs: number;
  #timeOfLastPacketNs: number;
  #cleanPosition: number;

  // status messages (Java: beginSmChange/endSmChange; one thread here, a change counter is enough)
  #smChangeNumber = 0;
  #lastSmChangeNumber = 0;
  #nextSmPosition: number;
  #nextSmReceiverWindowLength: number;
  #lastSmPosition: number;
  #lastOverrunThreshold: number;
  #nextSmDeadlineNs = 0;
  #smEnabled = true;

  // loss (Java: beginLossChange/endLossChange)
  #lossChangeNumber = 0;
  #lastLossChangeNumber = 0;
  #lossTermId = 0;
  #lossTermOffset = 0;
  #lossLength = 0;
  #lossReport: LossReport | null;
  #reportEntry: LossReportEntry | null = null;
  #lossReportTermId = 0;
  #lossReportTermOffset = 0;
  #lossReportLength = 0;

  #isRebuilding = true;
  #isEndOfStream = false;
  #isSendingEosSm = false;
  #isReceiverReleaseTriggered = false;
  #hasReceiverReleased = false;
  #rejectionReason: string | null = null;
  #responseSessionId: number | null = null;

  /** @param params what the conductor hands the image; see {@link PublicationImageParams}. */
  constructor(params: PublicationImageParams) {
    this.correlationId = params.correlationId;
    this.sessionId = params.sessionId;
    this.streamId = params.streamId;
    this.sourceIdentity = params.sourceIdentity;
    this.channelEndpoint = params.channelEndpoint;
    this.rawLog = params.rawLog;
    this.initialTermId = params.initialTermId;
    this.flags = params.flags;
    this.#imageLivenessTimeoutNs = params.imageLivenessTimeoutNs;
    this.#smTimeoutNs = params.statusMessageTimeoutNs;
    this.#untetheredWindowLimitTimeoutNs = params.untetheredWindowLimitTimeoutNs;
    this.#untetheredLingerTimeoutNs = params.untetheredLingerTimeoutNs;
    this.#untetheredRestingTimeoutNs = params.untetheredRestingTimeoutNs;
    this.#isReliable = params.isReliable;
    this.#hwmPosition = params.hwmPosition;
    this.#rebuildPosition = params.rebuildPosition;
    this.#congestionControl = params.congestionControl;
    this.#conductor = params.conductor;
    this.#cachedNanoClock = params.cachedNanoClock;
    this.#nanoClock = params.nanoClock;
    this.#epochClock = params.epochClock;
    this.#receiverNaksSent = params.receiverNaksSent;
    this.#lossReport = params.lossReport;
    const counters = params.systemCounters;
    this.#heartbeatsReceived = counters.get('HEARTBEATS_RECEIVED');
    this.#statusMessagesSent = counters.get('STATUS_MESSAGES_SENT');
    this.#nakMessagesSent = counters.get('NAK_MESSAGES_SENT');
    this.#flowControlUnderRuns = counters.get('FLOW_CONTROL_UNDER_RUNS');
    this.#flowControlOverRuns = counters.get('FLOW_CONTROL_OVER_RUNS');
    this.#lossGapFills = counters.get('LOSS_GAP_FILLS');
    this.#publicationImagesRevoked = counters.get('PUBLICATION_IMAGES_REVOKED');

    const nowNs = params.cachedNanoClock();
    this.#timeOfLastStateChangeNs = nowNs;
    this.#timeOfLastPacketNs = nowNs;
    for (const subscriber of params.subscriberPositions) {
      this.#subscriberPositions.push(subscriber.position);
      if (!subscriber.link.isTether) {
        this.#untetheredSubscriptions.push(new UntetheredSubscription(subscriber.link, subscriber.position, nowNs));
      }
    }
    this.#imageConnections = new Array<ImageConnection | null>(params.transportIndex + 1).fill(null);
    this.#imageConnections[params.transportIndex] = new ImageConnection(nowNs, params.controlAddress);

    this.#termBuffers = params.rawLog.termBuffers;
    this.#metaData = params.rawLog.metaData;
    this.#lossDetector = new LossDetector(params.lossFeedbackDelayGenerator, this);
    const termLength = params.rawLog.termLength;
    this.#termLength = termLength;
    this.#positionBitsToShift = computePositionBitsToShift(termLength);
    this.#nextSmReceiverWindowLength = params.congestionControl.initialWindowLength();
    this.#maxReceiverWindowLength = params.congestionControl.maxWindowLength();

    const position = computePosition(
      params.activeTermId,
      params.termOffset,
      this.#positionBitsToShift,
      params.initialTermId,
    );
    this.#nextSmPosition = position;
    this.#lastSmPosition = position;
    this.#lastOverrunThreshold = position + (termLength >> 1);
    this.#cleanPosition = position;
    params.hwmPosition.setRelease(position);
    params.rebuildPosition.setRelease(position);
  }

  /** The lifecycle state. */
  get state(): PublicationImageState {
    return this.#state;
  }

  /** The subscription channel (Java `channel()`). */
  channel(): string {
    return this.channelEndpoint.originalUriString();
  }

  /** Number of subscriber positions the image tracks. */
  get subscriberCount(): number {
    return this.#subscriberPositions.length;
  }

  /** The image's connections (index = transport index). */
  get imageConnections(): readonly (ImageConnection | null)[] {
    return this.#imageConnections;
  }

  /** Whether end of stream was seen on every connection. */
  isEndOfStream(): boolean {
    return this.#isEndOfStream;
  }

  /** Whether the SETUP asked for a response setup (Java `hasSendResponseSetup`). */
  hasSendResponseSetup(): boolean {
    return (this.flags & SEND_RESPONSE_SETUP_FLAG) !== 0;
  }

  /** Sets the response session id sent in RSP_SETUP with each status message timeout (Java `responseSessionId`). */
  responseSessionId(responseSessionId: number | null): void {
    this.#responseSessionId = responseSessionId;
  }

  /** Adds a subscriber (Java `addSubscriber`). */
  addSubscriber(link: ImageSubscriptionLink, position: ReadablePosition, nowNs: number): void {
    this.#subscriberPositions = [...this.#subscriberPositions, position];
    if (!link.isTether) this.#untetheredSubscriptions.push(new UntetheredSubscription(link, position, nowNs));
  }

  /** Removes a subscriber and closes its position (Java `removeSubscriber`). */
  removeSubscriber(link: ImageSubscriptionLink, position: ReadablePosition): void {
    this.#subscriberPositions = this.#subscriberPositions.filter((p) => p !== position);
    position.close();
    if (!link.isTether) {
      const untethered = this.#untetheredSubscriptions;
      for (let i = untethered.length - 1; i >= 0; i--) {
        if (untethered[i]!.link === link) {
          untethered.splice(i, 1);
          break;
        }
      }
    }
    if (this.#subscriberPositions.length === 0) this.#isRebuilding = false;
  }

  /** Records a gap to NAK (called by the loss detector). Java: `onGapDetected`. */
  onGapDetected(termId: number, termOffset: number, length: number): void {
    this.#lossTermId = termId;
    this.#lossTermOffset = termOffset;
    this.#lossLength = length;
    this.#lossChangeNumber++;
    const lossReportEndOffset = this.#lossReportTermOffset + this.#lossReportLength;
    if (termId !== this.#lossReportTermId || termOffset >= lossReportEndOffset) {
      this.#reportLoss(termId, termOffset, length, length);
    } else if (termOffset + length > lossReportEndOffset) {
      this.#reportLoss(termId, termOffset, length, length - (lossReportEndOffset - termOffset));
    }
  }

  /** Removes the image from its endpoint's dispatcher (Java `removeFromDispatcher`). */
  removeFromDispatcher(): void {
    this.channelEndpoint.dispatcher().removePublicationImage(this);
  }

  /** INIT → ACTIVE, by the dispatcher when it takes the image (Java `activate`). */
  activate(): void {
    this.#timeOfLastStateChangeNs = this.#cachedNanoClock();
    this.#state = 'ACTIVE';
  }

  /** ACTIVE → DRAINING: no more interest or not connected (Java `deactivate`). */
  deactivate(): void {
    if (this.#state !== 'ACTIVE') return;
    const nowNs = this.#cachedNanoClock();
    this.#isRebuilding = false;
    this.#timeOfLastStateChangeNs = nowNs;
    if (!this.#isSendingEosSm) {
      this.#isSendingEosSm = !this.#isEndOfStream || this.#rebuildPosition.getVolatile() === this.#hwmPosition.get();
    }
    if (this.#isSendingEosSm) this.#nextSmDeadlineNs = nowNs - 1;
    this.#state = 'DRAINING';
  }

  /** The receiver has dropped the image (Java `receiverRelease`). */
  receiverRelease(): void {
    this.#hasReceiverReleased = true;
  }

  /**
   * An MDS destination's transport was removed: its connection is forgotten and the active transport count
   * updated at once (Java `removeDestination`), rather than when the transport's frames time out.
   */
  removeDestination(transportIndex: number): void {
    const connections = this.#imageConnections;
    if (transportIndex < connections.length) connections[transportIndex] = null;
    this.#updateActiveTransportCount();
  }

  /** Records activity from a transport that SETUP showed but the image did not know (Java `addDestinationConnectionIfUnknown`). */
  addDestinationConnectionIfUnknown(transportIndex: number, remoteAddress: SocketAddress): void {
    this.#trackConnection(transportIndex, remoteAddress, this.#cachedNanoClock());
  }

  /**
   * Scans for loss from the rebuild position to the high-water mark, moves the rebuild position, and schedules a
   * status message when the window changed or the subscribers moved a quarter window past the last one. Called
   * per conductor duty cycle (Java `trackRebuild`). Returns the work count.
   */
  trackRebuild(nowNs: number): number {
    if (!this.#isRebuilding) return 0;
    const positions = this.#subscriberPositions;
    if (positions.length === 0) return 0;
    const hwmPosition = this.#hwmPosition.getVolatile();
    let minSubscriberPosition = Number.MAX_SAFE_INTEGER;
    let maxSubscriberPosition = 0;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i]!.getVolatile();
      if (position < minSubscriberPosition) minSubscriberPosition = position;
      if (position > maxSubscriberPosition) maxSubscriberPosition = position;
    }

    const termLength = this.#termLength;
    const rebuildPosition = Math.max(this.#rebuildPosition.get(), maxSubscriberPosition);
    const detector = this.#lossDetector;
    detector.scan(
      this.#termBuffers[indexByPosition(rebuildPosition, this.#positionBitsToShift)]!,
      rebuildPosition,
      hwmPosition,
      nowNs,
      termLength,
      this.initialTermId,
    );
    const rebuildTermOffset = computeTermOffsetFromPosition(rebuildPosition, this.#positionBitsToShift);
    const newRebuildPosition = rebuildPosition - rebuildTermOffset + detector.rebuildOffset;
    if (newRebuildPosition > this.#rebuildPosition.get()) this.#rebuildPosition.setRelease(newRebuildPosition);

    const outcome = this.#congestionControl.onTrackRebuild(
      nowNs,
      minSubscriberPosition,
      this.#nextSmPosition,
      hwmPosition,
      rebuildPosition,
      newRebuildPosition,
      detector.lossFound,
    );
    const windowLength = outcome.receiverWindowLength;
    const threshold = windowLength >> 2;
    if (
      outcome.forceStatusMessage ||
      minSubscriberPosition > this.#nextSmPosition + threshold ||
      windowLength !== this.#nextSmReceiverWindowLength
    ) {
      this.#cleanBufferTo(minSubscriberPosition - termLength);
      this.#nextSmPosition = minSubscriberPosition;
      this.#nextSmReceiverWindowLength = windowLength;
      this.#smChangeNumber++;
      return 1;
    }
    return 0;
  }

  /**
   * Inserts a DATA/PAD frame or takes a heartbeat (frame length 0); drops over-runs and under-runs (counted).
   * Returns the bytes consumed (`length`), 0 when rejected. Java: `insertPacket`.
   */
  insertPacket(
    termId: number,
    termOffset: number,
    buffer: PacketBuffer,
    length: number,
    transportIndex: number,
    srcAddress: SocketAddress,
  ): number {
    if (this.#rejectionReason !== null) return 0;
    if ((termOffset & (FRAME_ALIGNMENT - 1)) !== 0 || termOffset < 0 || termOffset + length > this.#termLength) {
      return 0; // malformed: not a frame of this log (Java would fault on the copy)
    }
    const isHeartbeat = length === HEADER_LENGTH && buffer.getInt32(0) === 0;
    const packetPosition = computePosition(termId, termOffset, this.#positionBitsToShift, this.initialTermId);
    const proposedPosition = isHeartbeat ? packetPosition : packetPosition + length;

    if (proposedPosition > this.#lastOverrunThreshold) {
      incrementOrdered(this.#flowControlOverRuns);
      return length;
    }
    if (isHeartbeat) {
      const potentialWindowBottom = this.#lastSmPosition - this.#termLength;
      const publicationWindowBottom = potentialWindowBottom < 0 ? 0 : potentialWindowBottom;
      if (packetPosition >= publicationWindowBottom) {
        const nowNs = this.#cachedNanoClock();
        this.#timeOfLastPacketNs = nowNs;
        const connection = this.#trackConnection(transportIndex, srcAddress, nowNs);
        const flags = buffer.getInt8(FLAGS_FIELD_OFFSET);
        if ((flags & EOS_FLAG) !== 0) {
          connection.eosPosition = packetPosition;
          connection.isEos = true;
          if (!this.#isEndOfStream && this.#isAllConnectedEos()) {
            const eosPosition = this.#findEosPosition();
            if ((flags & REVOKED_FLAG) !== 0) {
              setIsPublicationRevoked(this.#metaData, true);
              incrementOrdered(this.#publicationImagesRevoked);
            }
            setEndOfStreamPosition(this.#metaData, eosPosition);
            this.#isEndOfStream = true;
          }
        }
        if (proposedPosition > this.#hwmPosition.get()) this.#hwmPosition.setRelease(proposedPosition);
        incrementOrdered(this.#heartbeatsReceived);
      } else {
        incrementOrdered(this.#flowControlUnderRuns);
      }
    } else if (packetPosition >= this.#lastSmPosition) {
      const nowNs = this.#cachedNanoClock();
      this.#timeOfLastPacketNs = nowNs;
      this.#trackConnection(transportIndex, srcAddress, nowNs);
      const termBuffer = this.#termBuffers[indexByPosition(packetPosition, this.#positionBitsToShift)]!;
      insert(termBuffer, termOffset, buffer, length);
      if (proposedPosition > this.#hwmPosition.get()) this.#hwmPosition.setRelease(proposedPosition);
    } else {
      incrementOrdered(this.#flowControlUnderRuns);
      if (packetPosition >= this.#lastSmPosition - this.#maxReceiverWindowLength) {
        this.#trackConnection(transportIndex, srcAddress, this.#cachedNanoClock());
      }
    }
    return length;
  }

  /** Whether a frame arrived within the image liveness timeout and the receiver has not let go (Java `isConnected`). */
  isConnected(nowNs: number): boolean {
    return this.#timeOfLastPacketNs + this.#imageLivenessTimeoutNs - nowNs >= 0 && !this.#isReceiverReleaseTriggered;
  }

  /** ACTIVE → DRAINING once end of stream is rebuilt (Java `checkEosForDrainTransition`). */
  checkEosForDrainTransition(nowNs: number): void {
    if (this.#isSendingEosSm) return;
    if (
      this.#isEndOfStream &&
      this.#rebuildPosition.getVolatile() === this.#hwmPosition.get() &&
      this.#state === 'ACTIVE'
    ) {
      this.#isRebuilding = false;
      this.#timeOfLastStateChangeNs = nowNs;
      this.#isSendingEosSm = true;
      this.#nextSmDeadlineNs = nowNs - 1;
      this.#state = 'DRAINING';
    }
  }

  /**
   * Sends the scheduled status message, or one per status message timeout; an error frame instead once
   * rejected; a response setup per timeout when asked. Java: `sendPendingStatusMessage`.
   */
  sendPendingStatusMessage(nowNs: number): number {
    let workCount = 0;
    const changeNumber = this.#smChangeNumber;
    const hasSmTimedOut = this.#smEnabled && this.#nextSmDeadlineNs - nowNs < 0;
    const endpoint = this.channelEndpoint;
    if (this.#rejectionReason !== null) {
      if (hasSmTimedOut) {
        endpoint.sendErrorFrame(
          this.#imageConnections,
          this.sessionId,
          this.streamId,
          ERROR_CODE_IMAGE_REJECTED,
          this.#rejectionReason,
        );
        this.#nextSmDeadlineNs = nowNs + this.#smTimeoutNs;
        workCount++;
      }
      return workCount;
    }
    if (hasSmTimedOut && this.#responseSessionId !== null) {
      endpoint.sendResponseSetup(this.#imageConnections, this.sessionId, this.streamId, this.#responseSessionId);
    }
    if (changeNumber !== this.#lastSmChangeNumber || hasSmTimedOut) {
      const smPosition = this.#nextSmPosition;
      const termId = computeTermIdFromPosition(smPosition, this.#positionBitsToShift, this.initialTermId);
      const termOffset = computeTermOffsetFromPosition(smPosition, this.#positionBitsToShift);
      endpoint.sendStatusMessage(
        this.#imageConnections,
        this.sessionId,
        this.streamId,
        termId,
        termOffset,
        this.#nextSmReceiverWindowLength,
        this.#isSendingEosSm ? END_OF_STREAM_FLAG : 0,
      );
      incrementOrdered(this.#statusMessagesSent);
      this.#lastSmPosition = smPosition;
      this.#lastOverrunThreshold = smPosition + (this.#termLength >> 1);
      this.#lastSmChangeNumber = changeNumber;
      this.#nextSmDeadlineNs = nowNs + this.#smTimeoutNs;
      this.#updateActiveTransportCount();
      workCount = 1;
    }
    return workCount;
  }

  /** Sends the NAK of the last gap found (reliable) or fills it with padding (`reliable=false`). Java: `processPendingLoss`. */
  processPendingLoss(): number {
    if (isPublicationRevoked(this.#metaData)) return 0;
    const changeNumber = this.#lossChangeNumber;
    if (changeNumber === this.#lastLossChangeNumber) return 0;
    const termId = this.#lossTermId;
    const termOffset = this.#lossTermOffset;
    const length = this.#lossLength;
    if (this.#isReliable) {
      this.channelEndpoint.sendNakMessage(
        this.#imageConnections,
        this.sessionId,
        this.streamId,
        termId,
        termOffset,
        length,
      );
      incrementOrdered(this.#nakMessagesSent);
      if (this.#receiverNaksSent !== null) incrementOrdered(this.#receiverNaksSent);
    } else {
      const termCount = (termId - this.initialTermId) | 0;
      const termBuffer = this.#termBuffers[termCount % PARTITION_COUNT]!;
      if (tryFillGap(this.#metaData, termBuffer, termId, termOffset, length)) incrementOrdered(this.#lossGapFills);
    }
    this.#lastLossChangeNumber = changeNumber;
    return 1;
  }

  /** Starts an RTT measurement when congestion control asks (Java `initiateAnyRttMeasurements`). */
  initiateAnyRttMeasurements(nowNs: number): number {
    if (!this.#congestionControl.shouldMeasureRtt(nowNs)) return 0;
    const preciseTimeNs = this.#nanoClock();
    this.channelEndpoint.sendRttMeasurement(
      this.#imageConnections,
      this.sessionId,
      this.streamId,
      preciseTimeNs,
      0,
      true,
    );
    this.#congestionControl.onRttMeasurementSent(preciseTimeNs);
    return 1;
  }

  /** An RTT reply arrived: `echoTimestampNs` and `receptionDelta` from the frame (Java `onRttMeasurement`). */
  onRttMeasurement(echoTimestampNs: number, receptionDelta: number): void {
    const nowNs = this.#nanoClock();
    this.#congestionControl.onRttMeasurement(nowNs, nowNs - echoTimestampNs - receptionDelta);
  }

  /** Whether a new subscription may join the image (Java `isAcceptingSubscriptions`). */
  isAcceptingSubscriptions(): boolean {
    if (this.#subscriberPositions.length === 0) return false;
    const state = this.#state;
    return state === 'INIT' || state === 'ACTIVE' || (state === 'DRAINING' && !this.#isDrained());
  }

  /** Where a new subscriber joins: the lowest subscriber position, at most the rebuild position (Java `joinPosition`). */
  joinPosition(): number {
    let position = this.#rebuildPosition.get();
    const positions = this.#subscriberPositions;
    for (let i = 0; i < positions.length; i++) position = Math.min(positions[i]!.getVolatile(), position);
    return position;
  }

  /** The rebuild position (`rcv-pos`). */
  rebuildPosition(): number {
    return this.#rebuildPosition.get();
  }

  /** The high-water mark (`rcv-hwm`). */
  hwmPosition(): number {
    return this.#hwmPosition.get();
  }

  /** Rejects the image: error frames replace status messages, DATA is dropped (Java `reject`). */
  reject(reason: string): void {
    this.#rejectionReason = reason;
  }

  /** Stops status messages unless ACTIVE: a new image for the same session replaces this one (Java). */
  stopStatusMessagesIfNotActive(): void {
    if (this.#state !== 'ACTIVE') this.#smEnabled = false;
  }

  /** Conductor timer: revocation, untethered subscribers, DRAINING → LINGER → DONE (Java `onTimeEvent`). */
  onTimeEvent(timeNs: number, _timeMs: number, _conductor: ResourceConductor): void {
    const conductor = this.#conductor;
    switch (this.#state) {
      case 'ACTIVE':
        if (isPublicationRevoked(this.#metaData)) this.#state = 'DRAINING';
        else this.#checkUntetheredSubscriptions(timeNs);
        break;
      case 'DRAINING': {
        const revoked = isPublicationRevoked(this.#metaData);
        if (
          (this.#isDrained() && this.#timeOfLastStateChangeNs + SM_EOS_MULTIPLE * this.#smTimeoutNs - timeNs < 0) ||
          revoked
        ) {
          if (revoked) {
            this.#isRebuilding = false;
            this.#isSendingEosSm = true;
            this.#nextSmDeadlineNs = timeNs - 1;
          }
          conductor.transitionToLinger(this);
          this.#isReceiverReleaseTriggered = true;
          this.channelEndpoint.decRefImages();
          conductor.tryCloseReceiveChannelEndpoint(this.channelEndpoint);
          this.#timeOfLastStateChangeNs = timeNs;
          this.#state = 'LINGER';
        }
        break;
      }
      case 'LINGER':
        if (
          this.#subscriberPositions.length === 0 ||
          this.#timeOfLastStateChangeNs + this.#imageLivenessTimeoutNs - timeNs < 0
        ) {
          conductor.cleanupImage(this);
          this.#timeOfLastStateChangeNs = timeNs;
          this.#state = 'DONE';
        }
        break;
      default:
        break;
    }
  }

  /** DONE and released by the receiver (Java `hasReachedEndOfLife`). */
  hasReachedEndOfLife(): boolean {
    return this.#hasReceiverReleased && this.#state === 'DONE';
  }

  /** Frees the counters, subscriber positions and congestion control (Java `close`). */
  close(): void {
    this.#hwmPosition.close();
    this.#rebuildPosition.close();
    this.#receiverNaksSent?.close();
    for (const position of this.#subscriberPositions) position.close();
    for (const untethered of this.#untetheredSubscriptions) {
      if (untethered.state === 'RESTING') untethered.position.close();
    }
    this.#congestionControl.close();
  }

  /** Unmaps and deletes the log (Java `free`). */
  free(): boolean {
    return this.rawLog.free();
  }

  /** Debug form as Java's `toString`. */
  toString(): string {
    return `PublicationImage{state=${this.#state}, sourceIdentity='${this.sourceIdentity}', streamId=${this.streamId}, sessionId=${this.sessionId}}`;
  }

  #reportLoss(termId: number, termOffset: number, length: number, bytesLost: number): void {
    if (this.#reportEntry !== null) {
      this.#reportEntry.recordObservation(bytesLost, this.#epochClock());
    } else if (this.#lossReport !== null) {
      this.#reportEntry = this.#lossReport.createEntry(
        bytesLost,
        this.#epochClock(),
        this.sessionId,
        this.streamId,
        this.channel(),
        this.sourceIdentity,
      );
      if (this.#reportEntry === null) this.#lossReport = null;
    }
    this.#lossReportTermId = termId;
    this.#lossReportTermOffset = termOffset;
    this.#lossReportLength = length;
  }

  #isDrained(): boolean {
    const rebuildPosition = this.#rebuildPosition.get();
    const positions = this.#subscriberPositions;
    for (let i = 0; i < positions.length; i++) {
      if (positions[i]!.getVolatile() < rebuildPosition) return false;
    }
    return true;
  }

  #cleanBufferTo(position: number): void {
    const cleanPosition = this.#cleanPosition;
    if (position <= cleanPosition) return;
    const bytesForCleaning = position - cleanPosition;
    const dirtyTerm = this.#termBuffers[indexByPosition(cleanPosition, this.#positionBitsToShift)]!;
    const termOffset = computeTermOffsetFromPosition(cleanPosition, this.#positionBitsToShift);
    const length = Math.min(bytesForCleaning, dirtyTerm.capacity - termOffset);
    dirtyTerm.setMemory(termOffset + 4, length - 4, 0);
    dirtyTerm.putInt32Ordered(termOffset, 0);
    this.#cleanPosition = cleanPosition + length;
  }

  #trackConnection(transportIndex: number, srcAddress: SocketAddress, nowNs: number): ImageConnection {
    let connections = this.#imageConnections;
    if (transportIndex >= connections.length) {
      connections = [...connections];
      while (connections.length <= transportIndex) connections.push(null);
      this.#imageConnections = connections;
    }
    let connection = connections[transportIndex];
    if (connection == null) {
      connection = new ImageConnection(nowNs, srcAddress.clone());
      connections[transportIndex] = connection;
    }
    connection.timeOfLastActivityNs = nowNs;
    connection.timeOfLastFrameNs = nowNs;
    return connection;
  }

  #isAllConnectedEos(): boolean {
    const connections = this.#imageConnections;
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      if (connection != null && !connection.isEos) return false;
      if (connection == null && this.channelEndpoint.hasDestination(i)) return false;
    }
    return true;
  }

  #findEosPosition(): number {
    let eosPosition = 0;
    const connections = this.#imageConnections;
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      if (connection != null && connection.eosPosition > eosPosition) eosPosition = connection.eosPosition;
    }
    return eosPosition;
  }

  #checkUntetheredSubscriptions(nowNs: number): void {
    const untethered = this.#untetheredSubscriptions;
    if (untethered.length === 0) return;
    const windowLimit = this.#untetheredWindowLimit();
    for (let i = untethered.length - 1; i >= 0; i--) {
      const subscription = untethered[i]!;
      if (subscription.state === 'ACTIVE') {
        if (subscription.position.getVolatile() > windowLimit) {
          subscription.timeOfLastUpdateNs = nowNs;
        } else if (subscription.timeOfLastUpdateNs + this.#untetheredWindowLimitTimeoutNs - nowNs <= 0) {
          this.#conductor.notifyUnavailableImageLink(this.correlationId, subscription.link);
          subscription.state = 'LINGER';
          subscription.timeOfLastUpdateNs = nowNs;
        }
      } else if (subscription.state === 'LINGER') {
        if (subscription.timeOfLastUpdateNs + this.#untetheredLingerTimeoutNs - nowNs <= 0) {
          this.#subscriberPositions = this.#subscriberPositions.filter((p) => p !== subscription.position);
          if (subscription.link.isRejoin) {
            subscription.state = 'RESTING';
            subscription.timeOfLastUpdateNs = nowNs;
          } else {
            untethered.splice(i, 1);
            subscription.position.close();
          }
        }
      } else if (subscription.timeOfLastUpdateNs + this.#untetheredRestingTimeoutNs - nowNs <= 0) {
        const joinPosition = this.joinPosition();
        this.#subscriberPositions = [...this.#subscriberPositions, subscription.position];
        this.#conductor.notifyAvailableImageLink(
          this.correlationId,
          this.sessionId,
          subscription.link,
          subscription.position.id,
          joinPosition,
          this.rawLog.fileName,
          this.sourceIdentity,
        );
        subscription.state = 'ACTIVE';
        subscription.timeOfLastUpdateNs = nowNs;
      }
    }
  }

  #untetheredWindowLimit(): number {
    let maxConsumerPosition = 0;
    const positions = this.#subscriberPositions;
    for (let i = 0; i < positions.length; i++) {
      const value = positions[i]!.getVolatile();
      if (value > maxConsumerPosition) maxConsumerPosition = value;
    }
    const windowLength = this.#nextSmReceiverWindowLength;
    return maxConsumerPosition - windowLength + (windowLength >> 2);
  }

  #updateActiveTransportCount(): void {
    const nowNs = this.#cachedNanoClock();
    let activeTransportCount = 0;
    const connections = this.#imageConnections;
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      if (connection != null && connection.timeOfLastFrameNs + this.#imageLivenessTimeoutNs - nowNs > 0) {
        activeTransportCount++;
      }
    }
    const metaData = this.#metaData;
    if (metaData.getInt32(LOG_ACTIVE_TRANSPORT_COUNT) !== activeTransportCount) {
      metaData.putInt32Ordered(LOG_ACTIVE_TRANSPORT_COUNT, activeTransportCount);
    }
  }
}

/**
 * Fills a gap of an unreliable image with a padding frame so subscribers skip it (Java
 * `TermGapFiller.tryFillGap`): only if every 32-byte slot of the gap is still empty. The pad's header is the
 * log's default header (metadata) with type PAD, the gap's term offset and term id; its length word is the
 * release store. Returns whether it was filled.
 */
function tryFillGap(
  metaData: AtomicBuffer,
  termBuffer: AtomicBuffer,
  termId: number,
  gapOffset: number,
  gapLength: number,
): boolean {
  for (let offset = gapOffset + gapLength - FRAME_ALIGNMENT; offset >= gapOffset; offset -= FRAME_ALIGNMENT) {
    if (termBuffer.getInt32(offset) !== 0) return false;
  }
  for (let word = 4; word < HEADER_LENGTH; word += 4) {
    termBuffer.putInt32(gapOffset + word, metaData.getInt32(LOG_DEFAULT_FRAME_HEADER_OFFSET + word));
  }
  termBuffer.putInt16(gapOffset + TYPE_FIELD_OFFSET, HDR_TYPE_PAD);
  termBuffer.putInt32(gapOffset + TERM_OFFSET_FIELD_OFFSET, gapOffset);
  termBuffer.putInt32(gapOffset + TERM_ID_FIELD_OFFSET, termId);
  termBuffer.putInt32Ordered(gapOffset, gapLength);
  return true;
}
