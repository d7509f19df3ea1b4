/**
 * Initialises the metadata of a new publication image's log and of a network publication's log (Aeron 1.51.0
 * `DriverConductor.newPublicationImageLog` / `newNetworkPublicationLog` → `initLogMetadata`), so Java and TypeScript
 * clients map them as they map a Java driver's.
 *
 * ```
 *  image log (type 2 PUBLICATION_IMAGE):
 *    default frame header   session, stream, term id = initial term id, term offset = the SETUP's term offset
 *    correlation id = the image's, initial term id, mtu = the sender's, term length, page size
 *    publication window 0, receiver window = the subscription's rcv-wnd (or the driver's initial window),
 *    SO_SNDBUF / SO_RCVBUF of the endpoint and the OS's defaults and maxima, max resend 0
 *    flags: rejoin, reliable, sparse, tether of the subscription; group; response; signal eos 0, ssc 0, revoked 0
 *    entity tag 0, response correlation id 0, linger 0, untethered timeouts of the subscription
 *    term tails untouched (the receiver writes the terms); end of stream position = Long.MAX_VALUE, last (release)
 *  network publication log: as an IPC publication's (publication-log-metadata.ts) with the endpoint's socket
 *    buffer lengths and the group flag (multicast or MDC)
 * ```
 */
import { createDefaultHeader, TERM_OFFSET_FIELD_OFFSET } from '../logbuffer/data-header-flyweight.ts';
import {
  LOG_BUFFER_TYPE_PUBLICATION_IMAGE,
  setCorrelationId,
  setEndOfStreamPositionMax,
  setEntityTag,
  setGroup,
  setInitialTermId,
  setIsPublicationRevoked,
  setIsResponse,
  setLingerTimeoutNs,
  setLogType,
  setMaxResend,
  setMtuLength,
  setOsDefaultSocketRcvbufLength,
  setOsDefaultSocketSndbufLength,
  setOsMaxSocketRcvbufLength,
  setOsMaxSocketSndbufLength,
  setPageSize,
  setPublicationWindowLength,
  setReceiverWindowLength,
  setRejoin,
  setReliable,
  setResponseCorrelationId,
  setSignalEos,
  setSocketRcvbufLength,
  setSocketSndbufLength,
  setSparse,
  setSpiesSimulateConnection,
  setTermLength,
  setTether,
  setUntetheredLingerTimeoutNs,
  setUntetheredRestingTimeoutNs,
  setUntetheredWindowLimitTimeoutNs,
  storeDefaultFrameHeader,
} from '../logbuffer/log-buffer-descriptor.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { OsSocketBufferLengths } from './os-socket-buffers.ts';

/** What an image log's metadata is made of (see the module comment). */
export interface ImageLogParams {
  /** The image's correlation id. */
  readonly correlationId: number;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Initial term id (SETUP). */
  readonly initialTermId: number;
  /** Term offset of the SETUP's active term. */
  readonly termOffset: number;
  /** Term length. */
  readonly termLength: number;
  /** The sender's MTU. */
  readonly mtuLength: number;
  /** File page size. */
  readonly filePageSize: number;
  /** The endpoint's SO_SNDBUF (0 = OS default). */
  readonly socketSndbufLength: number;
  /** The endpoint's SO_RCVBUF (0 = OS default). */
  readonly socketRcvbufLength: number;
  /** The subscription's receiver window. */
  readonly receiverWindowLength: number;
  /** Subscription flags. */
  readonly isTether: boolean;
  /** `rejoin`. */
  readonly isRejoin: boolean;
  /** `reliable`. */
  readonly isReliable: boolean;
  /** `sparse`. */
  readonly isSparse: boolean;
  /** Multicast semantics (group). */
  readonly isGroup: boolean;
  /** Response subscription. */
  readonly isResponse: boolean;
  /** Untethered window limit timeout (ns). */
  readonly untetheredWindowLimitTimeoutNs: number;
  /** Untethered linger timeout (ns). */
  readonly untetheredLingerTimeoutNs: number;
  /** Untethered resting timeout (ns). */
  readonly untetheredRestingTimeoutNs: number;
}

/** Writes the metadata of a new image log (module comment). */
export function initImageLogMetadata(
  metaData: AtomicBuffer,
  params: ImageLogParams,
  osSocketBuffers: OsSocketBufferLengths,
): void {
  const header = createDefaultHeader(params.sessionId, params.streamId, params.initialTermId);
  new DataView(header.buffer).setInt32(TERM_OFFSET_FIELD_OFFSET, params.termOffset, true);
  storeDefaultFrameHeader(metaData, header);

  setCorrelationId(metaData, params.correlationId);
  setInitialTermId(metaData, params.initialTermId);
  setMtuLength(metaData, params.mtuLength);
  setTermLength(metaData, params.termLength);
  setPageSize(metaData, params.filePageSize);

  setPublicationWindowLength(metaData, 0);
  setReceiverWindowLength(metaData, params.receiverWindowLength);
  setSocketSndbufLength(metaData, params.socketSndbufLength);
  setOsDefaultSocketSndbufLength(metaData, osSocketBuffers.defaultSndbuf);
  setOsMaxSocketSndbufLength(metaData, osSocketBuffers.maxSndbuf);
  setSocketRcvbufLength(metaData, params.socketRcvbufLength);
  setOsDefaultSocketRcvbufLength(metaData, osSocketBuffers.defaultRcvbuf);
  setOsMaxSocketRcvbufLength(metaData, osSocketBuffers.maxRcvbuf);
  setMaxResend(metaData, 0);

  setRejoin(metaData, params.isRejoin);
  setReliable(metaData, params.isReliable);
  setSparse(metaData, params.isSparse);
  setSignalEos(metaData, false);
  setSpiesSimulateConnection(metaData, false);
  setTether(metaData, params.isTether);
  setIsPublicationRevoked(metaData, false);
  setGroup(metaData, params.isGroup);
  setIsResponse(metaData, params.isResponse);
  setLogType(metaData, LOG_BUFFER_TYPE_PUBLICATION_IMAGE);

  setEntityTag(metaData, 0);
  setResponseCorrelationId(metaData, 0);
  setUntetheredWindowLimitTimeoutNs(metaData, params.untetheredWindowLimitTimeoutNs);
  setUntetheredLingerTimeoutNs(metaData, params.untetheredLingerTimeoutNs);
  setUntetheredRestingTimeoutNs(metaData, params.untetheredRestingTimeoutNs);
  setLingerTimeoutNs(metaData, 0);

  setEndOfStreamPositionMax(metaData);
}

/**
 * The network publication's differences from an IPC publication's metadata (Java `newNetworkPublicationLog`): the
 * endpoint's socket buffer lengths and the group flag. Called after `initIpcPublicationMetadata`, before the log is
 * announced to any client.
 */
export function applyNetworkPublicationMetadata(
  metaData: AtomicBuffer,
  socketSndbufLength: number,
  socketRcvbufLength: number,
  hasGroupSemantics: boolean,
): void {
  setSocketSndbufLength(metaData, socketSndbufLength);
  setSocketRcvbufLength(metaData, socketRcvbufLength);
  setGroup(metaData, hasGroupSemantics);
}
