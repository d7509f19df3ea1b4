/**
 * Reads a catalog image (the bytes of `archive.catalog`, see `catalog-layout.ts`) without writing to it.
 * Pure over a `Uint8Array`, so it works the same over a mapped file and over test bytes. Walks frames the
 * way Java's `Catalog.forEach` does; every malformation surfaces as a `CatalogError`, never as another
 * exception, an endless loop or an out-of-range read.
 */
import { CatalogHeaderDecoder } from '../../../codecs/generated/archive/CatalogHeaderDecoder.ts';
import { RecordingDescriptorDecoder } from '../../../codecs/generated/archive/RecordingDescriptorDecoder.ts';
import { RecordingDescriptorHeaderDecoder } from '../../../codecs/generated/archive/RecordingDescriptorHeaderDecoder.ts';
import { CodecError } from '../../../codecs/runtime/index.ts';
import { alignLarge } from '../../transport/bit-util.ts';
import { ArchiveValueRangeError } from '../archive-error.ts';
import { recordingDescriptorOf } from '../recording-descriptor.ts';
import { type CatalogEntry, catalogEntryStateOf } from './catalog-entry.ts';
import { CatalogError } from './catalog-error.ts';
import {
  CATALOG_HEADER_LENGTH,
  CATALOG_MAJOR_VERSION,
  DESCRIPTOR_HEADER_LENGTH,
  LEGACY_ALIGNMENT,
  semanticVersionText,
} from './catalog-layout.ts';

/** The decoded catalog header. */
export interface CatalogHeader {
  /** Semantic version (`major << 16 | minor << 8 | patch`). */
  readonly version: number;
  /** The version as `major.minor.patch`. */
  readonly versionText: string;
  /** The header's length field (32 in the catalogs the archive writes). */
  readonly headerLength: number;
  /** Frame alignment in use (the header's, or 1024 for legacy catalogs). */
  readonly alignment: number;
  /** Offset of the first frame. */
  readonly firstFrameOffset: number;
  /** The header's nextRecordingId (0 in legacy catalogs: see `CatalogView.nextRecordingId`). */
  readonly nextRecordingId: number;
  /** Catalog capacity: the file length. */
  readonly capacity: number;
}

/**
 * A read-only view of a catalog image (module comment): the validated header, and the descriptor frames through
 * `entries()` and `find()`. Throws `CatalogError` for what it cannot read.
 */
export class CatalogView {
  /** The header, decoded and validated by the constructor. */
  readonly header: CatalogHeader;
  readonly #bytes: Uint8Array;
  readonly #name: string;

  /** Validates the header; `name` (the file path) is used in error messages. */
  constructor(bytes: Uint8Array, name = 'catalog') {
    this.#bytes = bytes;
    this.#name = name;
    if (bytes.length < CATALOG_HEADER_LENGTH) {
      throw new CatalogError(
        'TRUNCATED',
        `${name} is ${bytes.length} bytes, shorter than the ${CATALOG_HEADER_LENGTH}-byte catalog header`,
      );
    }
    const decoder = new CatalogHeaderDecoder().wrap(
      bytes,
      0,
      CatalogHeaderDecoder.BLOCK_LENGTH,
      CatalogHeaderDecoder.SCHEMA_VERSION,
    );
    const version = decoder.version();
    if (((version >>> 16) & 0xff) !== CATALOG_MAJOR_VERSION) {
      throw new CatalogError(
        'INCOMPATIBLE_VERSION',
        `${name} is not an Aeron archive catalog of major version ${CATALOG_MAJOR_VERSION} (version ${semanticVersionText(version)})`,
      );
    }
    const headerAlignment = decoder.alignment();
    if (headerAlignment < 0 || (headerAlignment & (headerAlignment - 1)) !== 0 || headerAlignment > 1 << 30) {
      throw new CatalogError('BAD_HEADER', `${name} has an invalid alignment ${headerAlignment} (not a power of two)`);
    }
    const legacy = headerAlignment === 0;
    this.header = {
      version,
      versionText: semanticVersionText(version),
      headerLength: decoder.length(),
      alignment: legacy ? LEGACY_ALIGNMENT : headerAlignment,
      firstFrameOffset: legacy ? LEGACY_ALIGNMENT : CATALOG_HEADER_LENGTH,
      nextRecordingId: legacy ? 0 : decoder.nextRecordingId(),
      capacity: bytes.length,
    };
  }

  /**
   * Every descriptor frame in file order, whatever its state (Java's listings show only VALID ones).
   * Throws `CatalogError` (TRUNCATED / CORRUPT_DESCRIPTOR) at the first malformed frame.
   */
  *entries(): Generator<CatalogEntry, void, undefined> {
    const bytes = this.#bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { alignment, firstFrameOffset } = this.header;
    const headerDecoder = new RecordingDescriptorHeaderDecoder();
    const descriptorDecoder = new RecordingDescriptorDecoder();
    let offset = firstFrameOffset;
    while (offset + DESCRIPTOR_HEADER_LENGTH <= bytes.length) {
      const length = view.getInt32(offset, true);
      if (length <= 0) return;
      // alignLarge: a garbage length near 2^31 stays exact (and is then refused as TRUNCATED).
      const frameLength = alignLarge(DESCRIPTOR_HEADER_LENGTH + length, alignment);
      if (offset + frameLength > bytes.length) {
        throw new CatalogError(
          'TRUNCATED',
          `${this.#name}: the descriptor frame at offset ${offset} (${frameLength} bytes) runs past the end of the file (${bytes.length} bytes)`,
        );
      }
      if (length < RecordingDescriptorDecoder.BLOCK_LENGTH + 12) {
        throw new CatalogError(
          'CORRUPT_DESCRIPTOR',
          `${this.#name}: the descriptor at offset ${offset} is ${length} bytes, too short for a recording descriptor`,
        );
      }
      const frame = bytes.subarray(offset, offset + frameLength);
      headerDecoder.wrap(
        frame,
        0,
        RecordingDescriptorHeaderDecoder.BLOCK_LENGTH,
        RecordingDescriptorHeaderDecoder.SCHEMA_VERSION,
      );
      let entry: CatalogEntry;
      try {
        descriptorDecoder.wrap(
          frame.subarray(0, DESCRIPTOR_HEADER_LENGTH + length),
          DESCRIPTOR_HEADER_LENGTH,
          RecordingDescriptorDecoder.BLOCK_LENGTH,
          RecordingDescriptorDecoder.SCHEMA_VERSION,
        );
        const stateValue = headerDecoder.stateRaw();
        entry = {
          ...recordingDescriptorOf(descriptorDecoder),
          state: catalogEntryStateOf(stateValue),
          stateValue,
          checksum: headerDecoder.checksum(),
          frameOffset: offset,
          frameLength,
        };
      } catch (e) {
        if (e instanceof ArchiveValueRangeError) {
          throw new CatalogError(
            'CORRUPT_DESCRIPTOR',
            `${this.#name}: the descriptor at offset ${offset} holds a value no archive writes (${e.message})`,
          );
        }
        if (!(e instanceof CodecError)) throw e;
        throw new CatalogError(
          'CORRUPT_DESCRIPTOR',
          `${this.#name}: the descriptor at offset ${offset} does not fit its ${length} bytes (${e.message})`,
        );
      }
      yield entry;
      offset += frameLength;
    }
  }

  /** The recording id the archive assigns next: the header's, or (legacy) the last entry's id + 1. */
  nextRecordingId(): number {
    if (this.header.nextRecordingId !== 0) return this.header.nextRecordingId;
    let last = -1;
    for (const entry of this.entries()) last = entry.recordingId;
    return last + 1;
  }

  /** The entry with this recording id (any state; the last one if ids repeat), or undefined. */
  find(recordingId: number): CatalogEntry | undefined {
    let found: CatalogEntry | undefined;
    for (const entry of this.entries()) {
      if (entry.recordingId === recordingId) found = entry;
    }
    return found;
  }
}
