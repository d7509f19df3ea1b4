/**
 * Making a network publication for the conductor (Aeron 1.51.0 `DriverConductor.newNetworkPublication` and
 * `newNetworkPublicationLog`): everything a new `NetworkPublication` owns, allocated in Java's order, and all of it
 * closed again when a step fails.
 *
 * ```
 *  prototype response publication (control-mode=response|response-correlation-id=prototype) -> minimum term length
 *  flow control (unicast, or the multicast/MDC strategy of the channel's fc=)
 *  publications/<registration id>.logbuffer: metadata as an IPC publication's, then the network fields
 *    (socket buffer lengths, group semantics)
 *  pub-pos, pub-lmt, snd-pos, snd-lmt, snd-bpe, snd-naks-received (at init-term-id/term-id/term-offset when given)
 *  retransmit handler (the driver's unicast retransmit delay and linger generators, max-resend)
 *  NetworkPublication
 * ```
 *
 * Handing it to the sender, the endpoint's reference count and the active session set stay with the conductor.
 */
import { TERM_MIN_LENGTH } from '../logbuffer/log-buffer-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { FeedbackDelayGenerators } from './feedback-delay-generator.ts';
import { FLOW_CONTROL_CONTEXT_DEFAULTS } from './flow-control/flow-control-context.ts';
import { newFlowControl } from './flow-control/flow-control-supplier.ts';
import { applyNetworkPublicationMetadata } from './image-log-metadata.ts';
import type { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import { NetworkPublication } from './network-publication.ts';
import type { NetworkPublicationThreadLocals } from './network-publication-thread-locals.ts';
import type { OsSocketBufferLengths } from './os-socket-buffers.ts';
import { initIpcPublicationMetadata } from './publication-log-metadata.ts';
import { initialPosition, PROTOTYPE_VALUE_CORRELATION_ID, type PublicationParams } from './publication-params.ts';
import { RawLog } from './raw-log.ts';
import { RetransmitHandler } from './retransmit-handler.ts';
import {
  allocatePublisherLimit,
  allocatePublisherPosition,
  allocateSenderBpe,
  allocateSenderLimit,
  allocateSenderNaksReceived,
  allocateSenderPosition,
} from './stream-counter.ts';
import type { SystemCounters } from './system-counters.ts';

/** What making a network publication needs of the conductor. */
export interface NetworkPublicationFactoryContext {
  /** Where the stream counters are allocated. */
  readonly countersManager: CountersManager;
  /** The system counters the publication moves. */
  readonly systemCounters: SystemCounters;
  /** The driver's options (directory, page size, timeouts). */
  readonly driverContext: MediaDriverContext;
  /** The driver's clock (ns). */
  readonly nanoClock: () => number;
  /** The driver's retransmit delay generators. */
  readonly feedbackDelayGenerators: FeedbackDelayGenerators;
  /** The sender's frame buffers, shared by every network publication. */
  readonly threadLocals: NetworkPublicationThreadLocals;
  /** The OS socket buffer lengths the log metadata records. */
  readonly osSocketBuffers: OsSocketBufferLengths;
}

/** The publication being made (Java `newNetworkPublication`'s arguments). */
export interface NewNetworkPublication {
  /** Its registration id (the ADD_PUBLICATION correlation id). */
  readonly registrationId: number;
  /** The adding client. */
  readonly clientId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The channel as the client gave it. */
  readonly channel: string;
  /** The parsed channel. */
  readonly udpChannel: UdpChannel;
  /** The endpoint it sends through. */
  readonly channelEndpoint: SendChannelEndpoint;
  /** Its parameters. */
  readonly params: PublicationParams;
  /** ADD_EXCLUSIVE_PUBLICATION. */
  readonly isExclusive: boolean;
}

/**
 * A new network publication (module comment). Throws what a step throws (`MappedFileError` for the log, a full
 * counters buffer), after closing what was allocated.
 */
export function newNetworkPublication(
  ctx: NetworkPublicationFactoryContext,
  spec: NewNetworkPublication,
): NetworkPublication {
  const { registrationId, clientId, streamId, channel, udpChannel, channelEndpoint, isExclusive } = spec;
  const params =
    spec.params.isResponse && spec.params.responseCorrelationId === PROTOTYPE_VALUE_CORRELATION_ID
      ? { ...spec.params, termLength: TERM_MIN_LENGTH }
      : spec.params;
  const driverContext = ctx.driverContext;
  const counters = ctx.systemCounters;
  const hasGroupSemantics = udpChannel.isMulticast || udpChannel.isMultiDestination;
  const flowControl = newFlowControl(udpChannel, streamId, registrationId);
  const rawLog = RawLog.newPublication(
    driverContext.aeronDir,
    registrationId,
    params.termLength,
    driverContext.filePageSize,
    params.isSparse,
    counters.get('BYTES_CURRENTLY_MAPPED'),
  );
  const manager = ctx.countersManager;
  const stream = { clientId, registrationId, sessionId: params.sessionId, streamId, channel };
  const allocated: { close(): void }[] = [];
  const keep = <T extends { close(): void }>(resource: T): T => {
    allocated.push(resource);
    return resource;
  };
  try {
    initIpcPublicationMetadata(
      rawLog.metaData,
      params,
      registrationId,
      params.termLength,
      driverContext.filePageSize,
      isExclusive,
      ctx.osSocketBuffers,
    );
    applyNetworkPublicationMetadata(
      rawLog.metaData,
      channelEndpoint.socketSndbufLength,
      channelEndpoint.socketRcvbufLength,
      hasGroupSemantics,
    );
    flowControl.initialize(
      FLOW_CONTROL_CONTEXT_DEFAULTS,
      manager,
      udpChannel,
      streamId,
      params.sessionId,
      registrationId,
      params.initialTermId,
      params.termLength,
    );
    keep(flowControl);
    const publisherPos = keep(allocatePublisherPosition(manager, stream, isExclusive));
    const publisherLimit = keep(allocatePublisherLimit(manager, stream));
    const senderPosition = keep(allocateSenderPosition(manager, stream));
    const senderLimit = keep(allocateSenderLimit(manager, stream));
    const senderBpe = keep(allocateSenderBpe(manager, stream));
    const senderNaksReceived = keep(allocateSenderNaksReceived(manager, stream));
    if (params.hasPosition) {
      const position = initialPosition(params);
      publisherPos.setRelease(position);
      publisherLimit.setRelease(position);
      senderPosition.setRelease(position);
      senderLimit.setRelease(position);
    }
    const nanoClock = ctx.nanoClock;
    const retransmitHandler = new RetransmitHandler(
      nanoClock,
      counters.get('INVALID_PACKETS'),
      ctx.feedbackDelayGenerators.retransmitUnicastDelayGenerator,
      ctx.feedbackDelayGenerators.retransmitUnicastLingerGenerator,
      hasGroupSemantics,
      params.maxResend,
      counters.get('RETRANSMIT_OVERFLOW'),
    );
    return new NetworkPublication(
      registrationId,
      channel,
      params,
      channelEndpoint,
      rawLog,
      {
        publisherPos,
        publisherLimit,
        senderPosition,
        senderLimit,
        senderBpe,
        senderNaksReceived,
        flowControl,
        retransmitHandler,
        threadLocals: ctx.threadLocals,
        systemCounters: {
          heartbeatsSent: counters.get('HEARTBEATS_SENT'),
          shortSends: counters.get('SHORT_SENDS'),
          retransmitsSent: counters.get('RETRANSMITS_SENT'),
          retransmittedBytes: counters.get('RETRANSMITTED_BYTES'),
          senderFlowControlLimits: counters.get('SENDER_FLOW_CONTROL_LIMITS'),
          unblockedPublications: counters.get('UNBLOCKED_PUBLICATIONS'),
          publicationsRevoked: counters.get('PUBLICATIONS_REVOKED'),
        },
      },
      {
        unblockTimeoutNs: driverContext.publicationUnblockTimeoutNs,
        connectionTimeoutNs: driverContext.publicationConnectionTimeoutNs,
      },
      isExclusive,
      nanoClock(),
    );
  } catch (e) {
    for (const resource of allocated) resource.close();
    rawLog.free();
    throw e;
  }
}
