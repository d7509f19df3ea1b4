/**
 * Checksums of the archive (Java `io.aeron.archive.checksum.Checksum`, `Checksums.crc32()`): an int over a byte
 * range. The recorder puts a fragment's payload checksum in its header's sessionId field when the archive has a
 * record checksum; the catalog checksums each descriptor (RecordingDescriptorHeader.checksum).
 */
import { crc32 } from 'node:zlib';

/** An int32 checksum of `length` bytes of `bytes` from `offset` (Java `Checksum.compute`). */
export interface Checksum {
  /** The checksum, as Java's signed int. */
  compute(bytes: Uint8Array, offset: number, length: number): number;
}

/** CRC-32 (IEEE, `java.util.zip.CRC32`: what `io.aeron.archive.checksum.Crc32` computes). */
export const CRC32: Checksum = {
  compute(bytes: Uint8Array, offset: number, length: number): number {
    return crc32(bytes.subarray(offset, offset + length)) | 0;
  },
};

/** The Java class name of a checksum, for `ArchiveTool -checksum` and `aeron.archive.record.checksum`. */
export const CRC32_CLASS_NAME = 'io.aeron.archive.checksum.Crc32';
