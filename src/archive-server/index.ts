/**
 * The Aeron Archive server (issue 18), first part: Java 1.51.0's on-disk formats. The catalog (read, written,
 * recovered after a crash), the archive mark file, segment files written block by block and read back.
 */

export { Archive } from './archive.ts';
export { ArchiveConductor, ArchiveErrorCode } from './archive-conductor.ts';
export { ARCHIVE_MARK_FILE_NAME, ArchiveMarkFile, type ArchiveMarkFileOptions } from './archive-mark-file.ts';
export {
  type ArchiveServerContext,
  ArchiveServerDefaults,
  type ArchiveServerOptions,
  resolveArchiveServerContext,
} from './archive-options.ts';
export { ArchiveServerError, type ArchiveServerErrorCode } from './archive-server-error.ts';
export {
  ARCHIVE_SEMANTIC_VERSION,
  Catalog,
  type CatalogOptions,
  DEFAULT_CATALOG_CAPACITY,
  type NewRecording,
  NULL_RECORDING_ID,
  newRecordingSummary,
  type RecordingSummary,
} from './catalog.ts';
export { type Checksum, CRC32, CRC32_CLASS_NAME } from './checksum.ts';
export { ControlResponseProxy, SEND_ATTEMPTS } from './control-response-proxy.ts';
export { ControlSession, type ControlSessionState, SESSION_CLOSED_MSG, type SessionWork } from './control-session.ts';
export { NULL_LENGTH, RecordingReader, type SegmentFragmentHandler } from './recording-reader.ts';
export {
  computeStopPosition,
  fragmentStraddlesPageBoundary,
  type PageStraddleHandler,
  REFUSE_ON_PAGE_STRADDLE,
} from './recording-recovery.ts';
export { RECORDING_POSITION_TYPE_ID, RecordingSession, recordingPositionCounter } from './recording-session.ts';
export { RecordingWriter, type RecordingWriterOptions } from './recording-writer.ts';
export { type ReplayLimitSource, type ReplayListener, type ReplayParams, ReplaySession } from './replay-session.ts';
export { findSegmentFileWithHighestPosition, indexSegmentFiles, segmentFileName } from './segment-file.ts';
export { recordingKey, strippedChannel, strippedChannelBuilder } from './stripped-channel.ts';
