/**
 * Facts about the archive catalog file, `<archive dir>/archive.catalog` (Java `Catalog`).
 *
 * ```
 *  0                 CatalogHeader (32 bytes, schema 101 template 20, no SBE message header)
 *                      0 version (int32, semantic: major << 16 | minor << 8 | patch; major must be 3)
 *                      4 length (int32, 32)   8 nextRecordingId (int64)   16 alignment (int32)   31 reserved
 *  32                first descriptor frame (current catalogs; alignment 64)
 *                    legacy catalogs have alignment 0 in the header: frames are 1024-aligned from offset 1024
 *  frame:
 *   +0               RecordingDescriptorHeader (32 bytes, template 21): length (int32, descriptor bytes),
 *                    state (int32: INVALID 0, VALID 1, DELETED 2), checksum (int32, 0 unless the archive
 *                    computes one), reserved
 *   +32              RecordingDescriptor (template 22, block 80: controlSessionId, correlationId, recordingId,
 *                    start/stop timestamps, start/stop positions, initialTermId, segmentFileLength,
 *                    termBufferLength, mtuLength, sessionId, streamId) + var-ascii strippedChannel,
 *                    originalChannel, sourceIdentity (uint32 length prefixes)
 *   frame length   = align(32 + length, alignment); the next frame follows at once
 *  first frame with length <= 0 ends the catalog (the file is pre-sized; the rest is zeros)
 * ```
 * An active recording has stopPosition -1 (NULL_POSITION) and stopTimestamp -1 (NULL_TIMESTAMP) in its
 * descriptor; the archive writes the real values when the recording stops.
 */
export const CATALOG_FILE_NAME = 'archive.catalog';
/** CatalogHeader block length; also the smallest catalog file. */
export const CATALOG_HEADER_LENGTH = 32;
/** RecordingDescriptorHeader block length: the bytes before each descriptor in its frame. */
export const DESCRIPTOR_HEADER_LENGTH = 32;
/** Frame alignment and first frame offset of catalogs whose header alignment is 0. */
export const LEGACY_ALIGNMENT = 1024;
/** The catalog major version the archive reads (ArchiveMarkFile.MAJOR_VERSION). */
export const CATALOG_MAJOR_VERSION = 3;
/** Largest catalog the archive creates (Integer.MAX_VALUE). */
export const MAX_CATALOG_LENGTH = 2_147_483_647;
/** Segment files: `<recordingId>-<segmentBasePosition>.rec`. */
export const SEGMENT_FILE_SUFFIX = '.rec';
/** AeronArchive.NULL_POSITION: the stop position of an active recording. */
export const NULL_POSITION = -1;
/** AeronArchive.NULL_TIMESTAMP: the stop timestamp of an active recording. */
export const NULL_TIMESTAMP = -1;

/** `SemanticVersion.toString`: `major.minor.patch`. */
export function semanticVersionText(version: number): string {
  return `${(version >>> 16) & 0xff}.${(version >>> 8) & 0xff}.${version & 0xff}`;
}
