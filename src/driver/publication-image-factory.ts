/**
 * Making a publication image for the conductor (Aeron 1.51.0 `DriverConductor.onCreatePublicationImage` and
 * `newPublicationImageLog`): everything a new `PublicationImage` owns, allocated in Java's order, and all of it
 * closed again when a step fails.
 *
 * ```
 *  images/<correlation id>.logbuffer: metadata from the SETUP and the first matching subscription (tether, rejoin,
 *    reliable, sparse, response), group when multicast or the SETUP's GROUP flag
 *  a sub-pos per matching subscription at the SETUP's position (reference id = the image's correlation id)
 *  rcv-hwm, rcv-pos, rcv-naks-sent
 *  NAK delay: the channel's nak-delay, else the driver's unicast or multicast generator (none when unreliable)
 *  static window congestion control (the channel's rcv-wnd, else the driver's initial window)
 * ```
 *
 * Handing it to the receiver, linking the subscriptions and ON_AVAILABLE_IMAGE stay with the conductor.
 */
import { computePosition, positionBitsToShift } from '../logbuffer/log-buffer-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import { receiverWindowLength, StaticWindowCongestionControl } from './congestion-control.ts';
import { type FeedbackDelayGenerators, resolveNakDelayGenerator } from './feedback-delay-generator.ts';
import { initImageLogMetadata } from './image-log-metadata.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import type { SocketAddress } from './media/socket-address.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import type { NetworkSubscriptionLink } from './network-subscription-link.ts';
import type { OsSocketBufferLengths } from './os-socket-buffers.ts';
import { GROUP_FLAG } from './protocol/setup-flyweight.ts';
import { type ImageConductor, PublicationImage } from './publication-image.ts';
import { RawLog } from './raw-log.ts';
import {
  allocateReceiverHwm,
  allocateReceiverNaksSent,
  allocateReceiverPosition,
  allocateSubscriberPosition,
} from './stream-counter.ts';
import type { SystemCounters } from './system-counters.ts';
import type { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

/** What making an image needs of the conductor. */
export interface PublicationImageFactoryContext {
  /** Where the stream counters are allocated. */
  readonly countersManager: CountersManager;
  /** The system counters the image moves. */
  readonly systemCounters: SystemCounters;
  /** The driver's options (directory, page size, windows, timeouts). */
  readonly driverContext: MediaDriverContext;
  /** The driver's NAK delay generators. */
  readonly feedbackDelayGenerators: FeedbackDelayGenerators;
  /** The OS socket buffer lengths the log metadata records. */
  readonly osSocketBuffers: OsSocketBufferLengths;
  /** The conductor side of the image. */
  readonly imageConductor: ImageConductor;
  /** The receiver's duty-cycle clock. */
  readonly cachedNanoClock: () => number;
  /** The driver's clock (ns). */
  readonly nanoClock: () => number;
  /** Epoch milliseconds. */
  readonly epochClock: () => number;
}

/** The image being made: the SETUP's fields, where it came from, and the subscriptions that want it. */
export interface NewPublicationImage {
  /** The image's correlation id (the driver's next correlation id). */
  readonly correlationId: number;
  /** The endpoint the SETUP arrived on. */
  readonly endpoint: ReceiveChannelEndpoint;
  /** The endpoint transport it arrived on. */
  readonly transportIndex: number;
  /** The SETUP's session id. */
  readonly sessionId: number;
  /** The SETUP's stream id. */
  readonly streamId: number;
  /** The SETUP's initial term id. */
  readonly initialTermId: number;
  /** The SETUP's active term id. */
  readonly activeTermId: number;
  /** The SETUP's term offset. */
  readonly termOffset: number;
  /** The SETUP's term length. */
  readonly termLength: number;
  /** The SETUP's MTU. */
  readonly mtuLength: number;
  /** The SETUP's flags (SEND_RESPONSE_SETUP, GROUP). */
  readonly flags: number;
  /** Where status messages and NAKs go. */
  readonly controlAddress: SocketAddress;
  /** The SETUP's source (the image's source identity `host:port`). */
  readonly srcAddress: SocketAddress;
  /** The matching subscriptions, at least one; the first one's parameters shape the image. */
  readonly links: readonly NetworkSubscriptionLink[];
}

/** A new image and each link's sub-pos counter (same order as `links`). */
export interface MadeImage {
  /** The image. */
  readonly image: PublicationImage;
  /** The sub-pos counter of each link, in the order of `links`. */
  readonly positions: readonly UnsafeBufferPosition[];
}

/**
 * A sub-pos counter of `link` in the image `imageCorrelationId` of `sessionId`, at `joinPosition` (Java
 * `SubscriberPos.allocate` in `linkMatchingImages` / `onCreatePublicationImage`).
 */
export function allocateImageSubscriberPosition(
  manager: CountersManager,
  link: NetworkSubscriptionLink,
  sessionId: number,
  imageCorrelationId: number,
  joinPosition: number,
): UnsafeBufferPosition {
  const position = allocateSubscriberPosition(
    manager,
    {
      clientId: link.client.clientId,
      registrationId: link.registrationId,
      sessionId,
      streamId: link.streamId,
      channel: link.channel,
    },
    joinPosition,
  );
  manager.setCounterReferenceId(position.id, imageCorrelationId);
  position.setRelease(joinPosition);
  return position;
}

/**
 * A new publication image (module comment). Throws what a step throws (`MappedFileError` for the log, a full
 * counters buffer), after closing what was allocated.
 */
export function newPublicationImage(ctx: PublicationImageFactoryContext, spec: NewPublicationImage): MadeImage {
  const { correlationId, endpoint, sessionId, streamId, initialTermId, termOffset, termLength, links } = spec;
  const driverContext = ctx.driverContext;
  const manager = ctx.countersManager;
  const first = links[0]!;
  const udpChannel = endpoint.udpChannel;
  const isGroup = udpChannel.isMulticast || (spec.flags & GROUP_FLAG) !== 0;
  const joinPosition = computePosition(spec.activeTermId, termOffset, positionBitsToShift(termLength), initialTermId);
  const untetheredLingerTimeoutNs =
    driverContext.untetheredLingerTimeoutNs === -1
      ? driverContext.untetheredWindowLimitTimeoutNs
      : driverContext.untetheredLingerTimeoutNs;
  const rawLog = RawLog.newPublication(
    driverContext.aeronDir,
    correlationId,
    termLength,
    driverContext.filePageSize,
    first.params.isSparse,
    ctx.systemCounters.get('BYTES_CURRENTLY_MAPPED'),
  );
  const allocated: { close(): void }[] = [];
  try {
    const receiverWindow = receiverWindowLength(
      termLength,
      udpChannel.receiverWindowLength !== 0 ? udpChannel.receiverWindowLength : driverContext.initialWindowLength,
    );
    initImageLogMetadata(
      rawLog.metaData,
      {
        correlationId,
        sessionId,
        streamId,
        initialTermId,
        termOffset,
        termLength,
        mtuLength: spec.mtuLength,
        filePageSize: driverContext.filePageSize,
        socketSndbufLength: udpChannel.socketSndbufLength,
        socketRcvbufLength:
          udpChannel.socketRcvbufLength !== 0 ? udpChannel.socketRcvbufLength : driverContext.socketRcvbufLength,
        receiverWindowLength: receiverWindow,
        isTether: first.params.isTether,
        isRejoin: first.params.isRejoin,
        isReliable: first.params.isReliable,
        isSparse: first.params.isSparse,
        isGroup,
        isResponse: first.params.isResponse,
        untetheredWindowLimitTimeoutNs: driverContext.untetheredWindowLimitTimeoutNs,
        untetheredLingerTimeoutNs,
        untetheredRestingTimeoutNs: driverContext.untetheredRestingTimeoutNs,
      },
      ctx.osSocketBuffers,
    );
    const positions: UnsafeBufferPosition[] = [];
    for (const link of links) {
      const position = allocateImageSubscriberPosition(manager, link, sessionId, correlationId, joinPosition);
      allocated.push(position);
      positions.push(position);
    }
    const stream = {
      clientId: first.client.clientId,
      registrationId: correlationId,
      sessionId,
      streamId,
      channel: first.channel,
    };
    const hwmPosition = allocateReceiverHwm(manager, stream);
    allocated.push(hwmPosition);
    const rebuildPosition = allocateReceiverPosition(manager, stream);
    allocated.push(rebuildPosition);
    const receiverNaksSent = allocateReceiverNaksSent(manager, stream);
    allocated.push(receiverNaksSent);
    const image = new PublicationImage({
      correlationId,
      channelEndpoint: endpoint,
      transportIndex: spec.transportIndex,
      controlAddress: spec.controlAddress.clone(),
      sessionId,
      streamId,
      initialTermId,
      activeTermId: spec.activeTermId,
      termOffset,
      flags: spec.flags,
      isReliable: first.params.isReliable,
      rawLog,
      lossFeedbackDelayGenerator: resolveNakDelayGenerator(
        ctx.feedbackDelayGenerators,
        udpChannel.nakDelayNs,
        isGroup,
        first.params.isReliable,
      ),
      subscriberPositions: links.map((link, i) => ({ link, position: positions[i]! })),
      hwmPosition,
      rebuildPosition,
      receiverNaksSent,
      sourceIdentity: `${spec.srcAddress.host()}:${spec.srcAddress.port()}`,
      congestionControl: new StaticWindowCongestionControl(
        termLength,
        udpChannel.receiverWindowLength,
        driverContext.initialWindowLength,
      ),
      systemCounters: ctx.systemCounters,
      lossReport: null,
      conductor: ctx.imageConductor,
      imageLivenessTimeoutNs: driverContext.imageLivenessTimeoutNs,
      statusMessageTimeoutNs: driverContext.statusMessageTimeoutNs,
      untetheredWindowLimitTimeoutNs: driverContext.untetheredWindowLimitTimeoutNs,
      untetheredLingerTimeoutNs,
      untetheredRestingTimeoutNs: driverContext.untetheredRestingTimeoutNs,
      cachedNanoClock: ctx.cachedNanoClock,
      nanoClock: ctx.nanoClock,
      epochClock: ctx.epochClock,
    });
    return { image, positions };
  } catch (e) {
    for (const resource of allocated) resource.close();
    rawLog.free();
    throw e;
  }
}
