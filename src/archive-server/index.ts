/**
 * The Aeron Archive server (issue 18), first part: Java 1.51.0's on-disk formats. The catalog (read, written,
 * recovered after a crash), the archive mark file, segment files written block by block and read back.
 */
export { ARCHIVE_MARK_FILE_NAME, ArchiveMarkFile, type ArchiveMarkFileOptions } from './archive-mark-file.ts';
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
export { NULL_LENGTH, RecordingReader, type SegmentFragmentHandler } from './recording-reader.ts';
export {
  computeStopPosition,
  fragmentStraddlesPageBoundary,
  type PageStraddleHandler,
  REFUSE_ON_PAGE_STRADDLE,
} from './recording-recovery.ts';
export { RecordingWriter, type RecordingWriterOptions } from './recording-writer.ts';
export { findSegmentFileWithHighestPosition, indexSegmentFiles, segmentFileName } from './segment-file.ts';
