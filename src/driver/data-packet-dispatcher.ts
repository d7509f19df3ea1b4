/**
 * Routes the DATA, SETUP and RTT frames of one receive channel endpoint to its publication images, and decides
 * which sessions get an image (Java 1.51.0 `io.aeron.driver.DataPacketDispatcher`).
 *
 * ```
 *  per stream id with subscriptions (StreamInterest): all sessions, or a set of session ids (session-id=)
 *    per session id:  active image  |  PENDING_SETUP_FRAME | INIT_IN_PROGRESS | ON_COOL_DOWN | NO_INTEREST
 *
 *  DATA/PAD (incl. heartbeat)  active image            -> image.insertPacket
 *                              no state, not EOS, wanted -> PENDING_SETUP_FRAME, SM with SEND_SETUP to the source,
 *                                                          pending-setup entry in the receiver (1 s)
 *                              no state, not wanted     -> NO_INTEREST
 *  SETUP                       active image            -> image.addDestinationConnectionIfUnknown
 *                              PENDING_SETUP_FRAME      -> INIT_IN_PROGRESS, conductor.createPublicationImage
 *                              no state, wanted         -> INIT_IN_PROGRESS, conductor.createPublicationImage
 *                              no state, not wanted     -> NO_INTEREST
 *  RTTM                        active image            -> reply (REPLY flag set) or image.onRttMeasurement
 *  image added (conductor)     -> active, state cleared, image ACTIVE
 *  image removed (receiver, not connected) -> ON_COOL_DOWN unless EOS; cleared by removeCoolDown (conductor)
 * ```
 *
 * Lookups are `Map`/`Set` gets on number keys: nothing allocated per frame.
 */
import {
  EOS_FLAG,
  FLAGS_FIELD_OFFSET,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import type { PacketBuffer } from '../logbuffer/term-rebuilder.ts';
import { ERROR_CODE_UNKNOWN_SUBSCRIPTION } from './command/control-protocol.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { SocketAddress } from './media/socket-address.ts';
import { REPLY_FLAG, type RttMeasurementFlyweight } from './protocol/rtt-measurement-flyweight.ts';
import type { SetupFlyweight } from './protocol/setup-flyweight.ts';
import type { PublicationImage } from './publication-image.ts';

/**
 * What the dispatcher needs of its endpoint (`ReceiveChannelEndpoint` implements it; declared here so the two
 * modules do not import each other).
 */
export interface DispatcherEndpoint {
  /** Whether transport `transportIndex` is multicast. */
  isMulticast(transportIndex: number): boolean;
  /** The multicast control address of transport `transportIndex`. */
  remoteControlAddress(transportIndex: number): SocketAddress;
  /** The multicast TTL of transport `transportIndex`. */
  multicastTtl(transportIndex: number): number;
  /** POSSIBLE_TTL_ASYMMETRY + 1. */
  possibleTtlAsymmetryEncountered(): void;
  /** Sends an SM with SEND_SETUP to `controlAddress`. */
  sendSetupElicitingStatusMessage(
    transportIndex: number,
    controlAddress: SocketAddress,
    sessionId: number,
    streamId: number,
  ): void;
  /** Sends an RTT reply echoing the sender's timestamp words. */
  sendRttMeasurementTo(
    transportIndex: number,
    controlAddress: SocketAddress,
    sessionId: number,
    streamId: number,
    echoTimestampHigh: number,
    echoTimestampLow: number,
  ): void;
  /** The endpoint's dispatcher. */
  dispatcher(): DataPacketDispatcher;
}

/**
 * Where the dispatcher sends an image request: the conductor (`ReceiverConductorProxy` in
 * receiver-conductor-proxy.ts, which names the concrete endpoint type).
 */
export interface ImageCreationProxy {
  /** See `ReceiverConductorProxy.createPublicationImage`. */
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
  ): void;
}

/** State of a session without an active image (Java `DataPacketDispatcher.SessionState`). */
export type SessionState = 'PENDING_SETUP_FRAME' | 'INIT_IN_PROGRESS' | 'ON_COOL_DOWN' | 'NO_INTEREST';

/** What the dispatcher asks of the receiver: track a SETUP elicited from a source (Java `Receiver.addPendingSetupMessage`). */
export interface PendingSetupTracker {
  /** Remembers an elicited SETUP so the session's PENDING_SETUP_FRAME state is dropped after 1 s. */
  addPendingSetupMessage(
    sessionId: number,
    streamId: number,
    transportIndex: number,
    channelEndpoint: DispatcherEndpoint,
    periodic: boolean,
    controlAddress: SocketAddress,
  ): void;
}

/** Interest in one stream id (Java `StreamInterest`). */
class StreamInterest {
  isAllSessions: boolean;
  readonly sessionInterestByIdMap = new Map<number, SessionState>();
  readonly activeImageByIdMap = new Map<number, PublicationImage>();
  readonly subscribedSessionIds = new Set<number>();

  constructor(isAllSessions: boolean) {
    this.isAllSessions = isAllSessions;
  }

  removeNonSessionSpecificInterest(): void {
    for (const [sessionId, image] of this.activeImageByIdMap) {
      if (!this.subscribedSessionIds.has(sessionId)) {
        image.deactivate();
        this.activeImageByIdMap.delete(sessionId);
      }
    }
    for (const sessionId of this.sessionInterestByIdMap.keys()) {
      if (!this.subscribedSessionIds.has(sessionId)) this.sessionInterestByIdMap.delete(sessionId);
    }
  }
}

/** See the module comment. One per receive channel endpoint. */
export class DataPacketDispatcher {
  readonly #streamInterestByIdMap = new Map<number, StreamInterest>();
  readonly #conductorProxy: ImageCreationProxy;
  readonly #receiver: PendingSetupTracker;
  readonly #streamSessionLimit: number;

  /**
   * @param conductorProxy where image creation goes.
   * @param receiver tracks elicited SETUPs.
   * @param streamSessionLimit most active images per stream (`aeron.stream.session.limit`, default 2^31 - 1).
   */
  constructor(conductorProxy: ImageCreationProxy, receiver: PendingSetupTracker, streamSessionLimit = 0x7fffffff) {
    this.#conductorProxy = conductorProxy;
    this.#receiver = receiver;
    this.#streamSessionLimit = streamSessionLimit;
  }

  /** A subscription to every session of `streamId` (Java `addSubscription(int)`). */
  addSubscription(streamId: number): void {
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) {
      this.#streamInterestByIdMap.set(streamId, new StreamInterest(true));
    } else if (!interest.isAllSessions) {
      interest.isAllSessions = true;
      for (const [sessionId, state] of interest.sessionInterestByIdMap) {
        if (state === 'NO_INTEREST') interest.sessionInterestByIdMap.delete(sessionId);
      }
    }
  }

  /** A subscription to one session of `streamId` (Java `addSubscription(int, int)`). */
  addSubscriptionForSession(streamId: number, sessionId: number): void {
    let interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) {
      interest = new StreamInterest(false);
      this.#streamInterestByIdMap.set(streamId, interest);
    }
    interest.subscribedSessionIds.add(sessionId);
    if (interest.sessionInterestByIdMap.get(sessionId) === 'NO_INTEREST') {
      interest.sessionInterestByIdMap.delete(sessionId);
    }
  }

  /** The last all-sessions subscription to `streamId` went (Java `removeSubscription(int)`). */
  removeSubscription(streamId: number): void {
    const interest = this.#interest(streamId);
    interest.removeNonSessionSpecificInterest();
    interest.isAllSessions = false;
    if (interest.subscribedSessionIds.size === 0) this.#streamInterestByIdMap.delete(streamId);
  }

  /** The last subscription to session `sessionId` of `streamId` went (Java `removeSubscription(int, int)`). */
  removeSubscriptionForSession(streamId: number, sessionId: number): void {
    const interest = this.#interest(streamId);
    if (!interest.isAllSessions) {
      const image = interest.activeImageByIdMap.get(sessionId);
      if (image !== undefined) {
        interest.activeImageByIdMap.delete(sessionId);
        image.deactivate();
      }
      interest.sessionInterestByIdMap.delete(sessionId);
    }
    interest.subscribedSessionIds.delete(sessionId);
    if (!interest.isAllSessions && interest.subscribedSessionIds.size === 0) {
      this.#streamInterestByIdMap.delete(streamId);
    }
  }

  /** The conductor created `image`: it becomes the session's active image (Java `addPublicationImage`). */
  addPublicationImage(image: PublicationImage): void {
    const interest = this.#streamInterestByIdMap.get(image.streamId);
    if (interest !== undefined) {
      interest.sessionInterestByIdMap.delete(image.sessionId);
      interest.activeImageByIdMap.set(image.sessionId, image);
      image.activate();
    }
  }

  /** The receiver dropped `image` (not connected): cool-down unless it ended (Java `removePublicationImage`). */
  removePublicationImage(image: PublicationImage): void {
    const interest = this.#streamInterestByIdMap.get(image.streamId);
    if (interest !== undefined) {
      const active = interest.activeImageByIdMap.get(image.sessionId);
      if (active !== undefined && active.correlationId === image.correlationId) {
        interest.activeImageByIdMap.delete(image.sessionId);
        if (!image.isEndOfStream()) interest.sessionInterestByIdMap.set(image.sessionId, 'ON_COOL_DOWN');
      }
    }
    image.deactivate();
  }

  /** Drops a PENDING_SETUP_FRAME state (the elicited SETUP never came; Java `removePendingSetup`). */
  removePendingSetup(sessionId: number, streamId: number): void {
    this.#removeByState(sessionId, streamId, 'PENDING_SETUP_FRAME');
  }

  /** Ends a session's cool-down (Java `removeCoolDown`). */
  removeCoolDown(sessionId: number, streamId: number): void {
    this.#removeByState(sessionId, streamId, 'ON_COOL_DOWN');
  }

  /** The state of a session without an active image, or null (for tests and the conductor). */
  sessionState(streamId: number, sessionId: number): SessionState | null {
    return this.#streamInterestByIdMap.get(streamId)?.sessionInterestByIdMap.get(sessionId) ?? null;
  }

  /** Whether any subscription remains (periodic SETUP elicitation goes on while true). */
  shouldElicitSetupMessage(): boolean {
    return this.#streamInterestByIdMap.size !== 0;
  }

  /**
   * A DATA or PAD frame (or heartbeat) at offset 0 of `buffer`. Returns the bytes inserted into an image.
   * Java: `onDataPacket`.
   */
  onDataPacket(
    channelEndpoint: DispatcherEndpoint,
    buffer: PacketBuffer,
    length: number,
    srcAddress: SocketAddress,
    transportIndex: number,
  ): number {
    const streamId = buffer.getInt32(STREAM_ID_FIELD_OFFSET);
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) return 0;
    const sessionId = buffer.getInt32(SESSION_ID_FIELD_OFFSET);
    const image = interest.activeImageByIdMap.get(sessionId);
    if (image !== undefined) {
      return image.insertPacket(
        buffer.getInt32(TERM_ID_FIELD_OFFSET),
        buffer.getInt32(TERM_OFFSET_FIELD_OFFSET),
        buffer,
        length,
        transportIndex,
        srcAddress,
      );
    }
    if ((buffer.getInt8(FLAGS_FIELD_OFFSET) & EOS_FLAG) === 0 && !interest.sessionInterestByIdMap.has(sessionId)) {
      if (interest.isAllSessions || interest.subscribedSessionIds.has(sessionId)) {
        interest.sessionInterestByIdMap.set(sessionId, 'PENDING_SETUP_FRAME');
        this.#elicitSetupMessageFromSource(channelEndpoint, transportIndex, srcAddress, streamId, sessionId);
      } else {
        interest.sessionInterestByIdMap.set(sessionId, 'NO_INTEREST');
      }
    }
    return 0;
  }

  /** A SETUP frame (Java `onSetupMessage`). */
  onSetupMessage(
    channelEndpoint: DispatcherEndpoint,
    setup: SetupFlyweight,
    srcAddress: SocketAddress,
    transportIndex: number,
  ): void {
    const streamId = setup.streamId();
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) return;
    const sessionId = setup.sessionId();
    if (interest.activeImageByIdMap.size >= this.#streamSessionLimit) {
      // Java throws AeronEvent("exceeded session limit ...") which the poller logs; the SETUP is ignored.
      return;
    }
    const image = interest.activeImageByIdMap.get(sessionId);
    const state = interest.sessionInterestByIdMap.get(sessionId);
    if (image !== undefined) {
      image.addDestinationConnectionIfUnknown(transportIndex, srcAddress);
    } else if (state !== undefined) {
      if (state === 'PENDING_SETUP_FRAME') {
        interest.sessionInterestByIdMap.set(sessionId, 'INIT_IN_PROGRESS');
        this.#createPublicationImage(channelEndpoint, transportIndex, srcAddress, setup);
      }
    } else if (interest.isAllSessions || interest.subscribedSessionIds.has(sessionId)) {
      interest.sessionInterestByIdMap.set(sessionId, 'INIT_IN_PROGRESS');
      this.#createPublicationImage(channelEndpoint, transportIndex, srcAddress, setup);
    } else {
      interest.sessionInterestByIdMap.set(sessionId, 'NO_INTEREST');
    }
  }

  /** An RTT measurement frame: answer a request, or hand a reply to the image (Java `onRttMeasurement`). */
  onRttMeasurement(
    channelEndpoint: DispatcherEndpoint,
    rtt: RttMeasurementFlyweight,
    srcAddress: SocketAddress,
    transportIndex: number,
  ): void {
    const streamId = rtt.streamId();
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) return;
    const sessionId = rtt.sessionId();
    const image = interest.activeImageByIdMap.get(sessionId);
    if (image === undefined) return;
    if ((rtt.flags() & REPLY_FLAG) === REPLY_FLAG) {
      const controlAddress = channelEndpoint.isMulticast(transportIndex)
        ? channelEndpoint.remoteControlAddress(transportIndex)
        : srcAddress;
      channelEndpoint.sendRttMeasurementTo(
        transportIndex,
        controlAddress,
        sessionId,
        streamId,
        rtt.echoTimestampNsHigh(),
        rtt.echoTimestampNsLow(),
      );
    } else {
      image.onRttMeasurement(rtt.echoTimestampNs(), rtt.receptionDelta());
    }
  }

  #interest(streamId: number): StreamInterest {
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest === undefined) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `no subscription for stream ${streamId}`);
    }
    return interest;
  }

  #removeByState(sessionId: number, streamId: number, state: SessionState): void {
    const interest = this.#streamInterestByIdMap.get(streamId);
    if (interest !== undefined && interest.sessionInterestByIdMap.get(sessionId) === state) {
      interest.sessionInterestByIdMap.delete(sessionId);
    }
  }

  #elicitSetupMessageFromSource(
    channelEndpoint: DispatcherEndpoint,
    transportIndex: number,
    srcAddress: SocketAddress,
    streamId: number,
    sessionId: number,
  ): void {
    const controlAddress = channelEndpoint.isMulticast(transportIndex)
      ? channelEndpoint.remoteControlAddress(transportIndex)
      : srcAddress.clone();
    channelEndpoint.sendSetupElicitingStatusMessage(transportIndex, controlAddress, sessionId, streamId);
    this.#receiver.addPendingSetupMessage(sessionId, streamId, transportIndex, channelEndpoint, false, controlAddress);
  }

  #createPublicationImage(
    channelEndpoint: DispatcherEndpoint,
    transportIndex: number,
    srcAddress: SocketAddress,
    setup: SetupFlyweight,
  ): void {
    const isMulticast = channelEndpoint.isMulticast(transportIndex);
    const controlAddress = isMulticast
      ? channelEndpoint.remoteControlAddress(transportIndex).clone()
      : srcAddress.clone();
    if (isMulticast && channelEndpoint.multicastTtl(transportIndex) < setup.ttl()) {
      channelEndpoint.possibleTtlAsymmetryEncountered();
    }
    this.#conductorProxy.createPublicationImage(
      setup.sessionId(),
      setup.streamId(),
      setup.initialTermId(),
      setup.activeTermId(),
      setup.termOffset(),
      setup.termLength(),
      setup.mtuLength(),
      transportIndex,
      setup.flags(),
      controlAddress,
      srcAddress.clone(),
      channelEndpoint,
    );
  }
}
