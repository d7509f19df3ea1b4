/**
 * `aeron-ts/archive-server`: an Aeron Archive written in TypeScript (issue 18), whose directory Java 1.51.0's
 * archive and tools open, and the reverse; Java's and our `AeronArchive` clients use it as they use Java's.
 *
 * ```ts
 * import { Archive, ArchivingMediaDriver } from 'aeron-ts/archive-server';
 *
 * // on a running media driver (TypeScript or Java), as Java's `Archive.launch`:
 * await using archive = await Archive.launch({ aeronDir: '/dev/shm/aeron-me', archiveDir: '/var/lib/aeron-archive' });
 * // or a TS media driver and the archive in one call, as Java's `ArchivingMediaDriver.launch`:
 * await using archiving = await ArchivingMediaDriver.launch({ archive: { archiveDir: '/var/lib/aeron-archive' } });
 * ```
 *
 * The same from a shell: `npx aeron-ts archive [--with-driver] [properties files] [-Daeron.archive.dir=…]`.
 * Options take Java's names (`archiveServerOptionsFromProperties` maps `aeron.archive.*` and `AERON_ARCHIVE_*`);
 * every failure is an `ArchiveServerError` with a stable `code`. The catalog and segment-file readers are exported
 * for tools that read an archive directory offline.
 */

export { AeronError } from '../../codecs/runtime/aeron-error.ts';
export { Archive } from './archive.ts';
export { ARCHIVE_MARK_FILE_NAME } from './archive-mark-file.ts';
export {
  type ArchiveServerContext,
  ArchiveServerDefaults,
  type ArchiveServerOptions,
  resolveArchiveServerContext,
} from './archive-options.ts';
export {
  ARCHIVE_PROPERTIES,
  type ArchivePropertiesResult,
  type ArchiveProperty,
  type ArchiveValueKind,
  archivePropertiesFromEnvironment,
  archiveServerOptionsFromProperties,
  CONTROL_CHANNEL_ENABLED_PROPERTY,
} from './archive-properties.ts';
export { ArchiveServerError, type ArchiveServerErrorCode, JavaIOException } from './archive-server-error.ts';
export { ArchivingMediaDriver, type ArchivingMediaDriverOptions } from './archiving-media-driver.ts';
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
export { type PageStraddleHandler, REFUSE_ON_PAGE_STRADDLE } from './recording-recovery.ts';
export { RECORDING_POSITION_TYPE_ID } from './recording-session.ts';
export { indexSegmentFiles, segmentFileName } from './segment-file.ts';
