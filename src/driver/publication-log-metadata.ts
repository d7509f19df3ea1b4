/**
 * Initialises the metadata of a new publication log (Aeron 1.51.0 `DriverConductor.initLogMetadata`,
 * `initialisePositionCounters` for an IPC publication), so Java and TypeScript clients map it as they map a
 * Java driver's.
 *
 * ```
 *  default frame header   len 32 @268, header @320: version 0, flags B|E, type DATA, session, stream,
 *                         term id = initial term id, term offset = the starting term offset
 *  correlation id @256, initial term id @264, mtu @272, term length @276, page size @280
 *  publication window @284, receiver window 0, SO_SNDBUF/SO_RCVBUF 0, the OS's default and max socket buffers,
 *  max resend @316, flags @488..: group 0, response, rejoin 0, reliable 0, sparse, signal eos, spies simulate
 *  connection, tether 0, revoked 0; log type @497 (0 concurrent, 1 exclusive)
 *  entity tag @448, response correlation id @456, linger @464, untethered timeouts @472/@480/@500
 *  term tails: without a position: partition 0 = (initialTermId, 0), partition i = (initialTermId + i - 3, 0);
 *              with one: active partition = (termId, termOffset), the next ones (termId + i - 3, 0),
 *              active term count = termId - initialTermId
 *  end of stream position = Long.MAX_VALUE, written last with a release store (publishes all of the above)
 * ```
 */
import { createDefaultHeader, TERM_OFFSET_FIELD_OFFSET } from '../logbuffer/data-header-flyweight.ts';
import {
  indexByTermCount,
  initialiseTailWithTermId,
  LOG_BUFFER_TYPE_CONCURRENT_PUBLICATION,
  LOG_BUFFER_TYPE_EXCLUSIVE_PUBLICATION,
  nextPartitionIndex,
  PARTITION_COUNT,
  setActiveTermCountOrdered,
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
  setRawTail,
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
import type { PublicationParams } from './publication-params.ts';

/** Writes the metadata of an IPC publication's new log (see the module comment). */
export function initIpcPublicationMetadata(
  metaData: AtomicBuffer,
  params: PublicationParams,
  registrationId: number,
  termLength: number,
  filePageSize: number,
  isExclusive: boolean,
  osSocketBuffers: OsSocketBufferLengths,
): void {
  const header = createDefaultHeader(params.sessionId, params.streamId, params.initialTermId);
  new DataView(header.buffer).setInt32(TERM_OFFSET_FIELD_OFFSET, params.termOffset, true);
  storeDefaultFrameHeader(metaData, header);

  setCorrelationId(metaData, registrationId);
  setInitialTermId(metaData, params.initialTermId);
  setMtuLength(metaData, params.mtuLength);
  setTermLength(metaData, termLength);
  setPageSize(metaData, filePageSize);

  setPublicationWindowLength(metaData, params.publicationWindowLength);
  setReceiverWindowLength(metaData, 0);
  setSocketSndbufLength(metaData, 0);
  setOsDefaultSocketSndbufLength(metaData, osSocketBuffers.defaultSndbuf);
  setOsMaxSocketSndbufLength(metaData, osSocketBuffers.maxSndbuf);
  setSocketRcvbufLength(metaData, 0);
  setOsDefaultSocketRcvbufLength(metaData, osSocketBuffers.defaultRcvbuf);
  setOsMaxSocketRcvbufLength(metaData, osSocketBuffers.maxRcvbuf);
  setMaxResend(metaData, params.maxResend);

  setRejoin(metaData, false);
  setReliable(metaData, false);
  setSparse(metaData, params.isSparse);
  setSignalEos(metaData, params.signalEos);
  setSpiesSimulateConnection(metaData, params.spiesSimulateConnection);
  setTether(metaData, false);
  setIsPublicationRevoked(metaData, false);
  setGroup(metaData, false);
  setIsResponse(metaData, params.isResponse);
  setLogType(metaData, isExclusive ? LOG_BUFFER_TYPE_EXCLUSIVE_PUBLICATION : LOG_BUFFER_TYPE_CONCURRENT_PUBLICATION);

  setEntityTag(metaData, params.entityTag);
  setResponseCorrelationId(metaData, params.responseCorrelationId);
  setUntetheredWindowLimitTimeoutNs(metaData, params.untetheredWindowLimitTimeoutNs);
  setUntetheredLingerTimeoutNs(metaData, params.untetheredLingerTimeoutNs);
  setUntetheredRestingTimeoutNs(metaData, params.untetheredRestingTimeoutNs);
  setLingerTimeoutNs(metaData, params.lingerTimeoutNs);

  initialisePositionCounters(metaData, params);
  setEndOfStreamPositionMax(metaData);
}

/** The term tails and active term count of a new log (Java `initialisePositionCounters`). */
function initialisePositionCounters(metaData: AtomicBuffer, params: PublicationParams): void {
  const initialTermId = params.initialTermId;
  if (params.hasPosition) {
    const termId = params.termId;
    const termCount = (termId - initialTermId) | 0;
    let activeIndex = indexByTermCount(termCount);
    setRawTail(metaData, activeIndex, termId, params.termOffset);
    for (let i = 1; i < PARTITION_COUNT; i++) {
      activeIndex = nextPartitionIndex(activeIndex);
      initialiseTailWithTermId(metaData, activeIndex, (termId + i - PARTITION_COUNT) | 0);
    }
    setActiveTermCountOrdered(metaData, termCount);
  } else {
    initialiseTailWithTermId(metaData, 0, initialTermId);
    for (let i = 1; i < PARTITION_COUNT; i++) {
      initialiseTailWithTermId(metaData, i, (initialTermId + i - PARTITION_COUNT) | 0);
    }
  }
}
