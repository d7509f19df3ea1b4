/**
 * The archive's catalog, read and written (Java `io.aeron.archive.Catalog`): `<archiveDir>/archive.catalog`,
 * memory-mapped shared, so readers (the CLI's `CatalogView`, a Java `ArchiveTool`) see what it writes.
 *
 * ```
 *  0    CatalogHeader (32): version 3.1.0 (int32), length 32, nextRecordingId (int64 @8), alignment 64 (@16)
 *  32   frame 0: RecordingDescriptorHeader (32): length (descriptor bytes), state (VALID 1), checksum
 *            +32 RecordingDescriptor: block 80 (controlSessionId @0, correlationId @8, recordingId @16,
 *                startTimestamp @24, stopTimestamp @32, startPosition @40, stopPosition @48, initialTermId @56,
 *                segmentFileLength @60, termBufferLength @64, mtuLength @68, sessionId @72, streamId @76)
 *                + strippedChannel, originalChannel, sourceIdentity (uint32 length + ASCII each)
 *       frame length = align(32 + 7*8 + 6*4 + 3*4 + string lengths, alignment)   (Java counts 7 longs)
 *  ...  frame n; then zeros to the capacity (a frame length <= 0 ends the walk)
 * ```
 *
 * As Java: a new catalog gets capacity `catalogCapacity` (default 1 MiB, file created sparse), alignment 64
 * (CACHE_LINE_LENGTH) and version 3.1.0; an existing one keeps its alignment (0 = legacy 1024-byte frames from
 * offset 1024) and is grown, never shrunk, to `catalogCapacity`. When a descriptor does not fit the catalog grows
 * by half its capacity at a time, up to 2^31-1 bytes. `addNewRecording` writes every field but controlSessionId
 * and correlationId (left 0, as Java leaves them; `extendRecording` sets them). The index maps VALID recording
 * ids to frame offsets; invalidating or deleting a recording removes it from the index. With a checksum the
 * descriptor's checksum field covers its `length` bytes. Writes are fsynced per `fileSyncLevel` (1: data,
 * 2: data and metadata), and always on close.
 *
 * An existing catalog is refused for a major version other than 3 (INCOMPATIBLE_CATALOG, Java's text), and
 * (CORRUPT_CATALOG) for an alignment that is not 0 or a power of two of at least 32, a file shorter than its header, and a descriptor frame
 * that ends past the end of the file (truncated, or a corrupt length); Java 1.51.0 checks only the version (its writable open takes any
 * alignment and reads a cut frame's missing bytes as zeros; a frame past its mapping fails its bounds check,
 * "IndexOutOfBoundsException: Range [offset, offset + frameLength) out of bounds for length capacity"). A VALID
 * descriptor whose recording id is negative or not above the VALID one before it is refused with the texts of Java's
 * `CatalogIndex.add` ("recordingId cannot be negative: value=…", "recordingId N is less than or equal to the last
 * recordingId M"), which Java's open throws as IllegalArgumentException.
 *
 * `replaceRecording` writes in Java's order, so that a crash mid-way leaves a descriptor Java's open takes as it
 * is (the old or new fields, its recording id whole) or, for a longer descriptor whose header length was not
 * written yet, a next frame read from the new body, which both refuse (test/archive-server/faults.test.ts).
 *
 * Opening runs Java's crash recovery unless `recover` is false: every VALID descriptor without a stop position
 * (a recording active when the archive died) gets the stop position of its last whole fragment on disk
 * (`recording-recovery.ts`) and a stop timestamp of now.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  truncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { CatalogHeaderEncoder } from '../../codecs/generated/archive/CatalogHeaderEncoder.ts';
import { RecordingDescriptorDecoder } from '../../codecs/generated/archive/RecordingDescriptorDecoder.ts';
import { RecordingDescriptorEncoder } from '../../codecs/generated/archive/RecordingDescriptorEncoder.ts';
import { RecordingDescriptorHeaderDecoder } from '../../codecs/generated/archive/RecordingDescriptorHeaderDecoder.ts';
import { RecordingDescriptorHeaderEncoder } from '../../codecs/generated/archive/RecordingDescriptorHeaderEncoder.ts';
import { RecordingState } from '../../codecs/generated/archive/RecordingState.ts';
import {
  CATALOG_FILE_NAME,
  CATALOG_HEADER_LENGTH,
  CATALOG_MAJOR_VERSION,
  DESCRIPTOR_HEADER_LENGTH,
  LEGACY_ALIGNMENT,
  MAX_CATALOG_LENGTH,
  NULL_POSITION,
  NULL_TIMESTAMP,
  semanticVersionText,
} from '../archive/catalog/catalog-layout.ts';
import { type RecordingDescriptor, recordingDescriptorOf } from '../archive/recording-descriptor.ts';
import { align } from '../transport/bit-util.ts';
import { int64 } from '../transport/int64-words.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { composeSemanticVersion } from '../transport/semantic-version.ts';
import { ArchiveServerError, ioError } from './archive-server-error.ts';
import type { Checksum } from './checksum.ts';
import {
  computeStopPosition,
  FILE_IO_MAX_LENGTH,
  type PageStraddleHandler,
  REFUSE_ON_PAGE_STRADDLE,
} from './recording-recovery.ts';
import { findSegmentFileWithHighestPosition, indexSegmentFiles } from './segment-file.ts';

/** ArchiveMarkFile.SEMANTIC_VERSION: 3.1.0, written into new catalogs and mark files. */
export const ARCHIVE_SEMANTIC_VERSION = composeSemanticVersion(CATALOG_MAJOR_VERSION, 1, 0);
/** Capacity of a new catalog (Java `Catalog.DEFAULT_CAPACITY`, `aeron.archive.catalog.capacity`). */
export const DEFAULT_CATALOG_CAPACITY = 1024 * 1024;
/** Smallest catalog capacity (Java `Catalog.MIN_CAPACITY`: the header). */
export const MIN_CATALOG_CAPACITY = CATALOG_HEADER_LENGTH;
/** Frame alignment of new catalogs (Java: CACHE_LINE_LENGTH). */
export const CATALOG_ALIGNMENT = 64;
/** Aeron.NULL_VALUE: "no recording" from `findLast`. */
export const NULL_RECORDING_ID = -1;

const D = RecordingDescriptorDecoder;
const CONTROL_SESSION_ID = D.controlSessionIdEncodingOffset();
const CORRELATION_ID = D.correlationIdEncodingOffset();
const RECORDING_ID = D.recordingIdEncodingOffset();
const STOP_TIMESTAMP = D.stopTimestampEncodingOffset();
const START_POSITION = D.startPositionEncodingOffset();
const STOP_POSITION = D.stopPositionEncodingOffset();
const INITIAL_TERM_ID = D.initialTermIdEncodingOffset();
const SEGMENT_FILE_LENGTH = D.segmentFileLengthEncodingOffset();
const TERM_BUFFER_LENGTH = D.termBufferLengthEncodingOffset();
const MTU_LENGTH = D.mtuLengthEncodingOffset();
const SESSION_ID = D.sessionIdEncodingOffset();
const STREAM_ID = D.streamIdEncodingOffset();
const HEADER_LENGTH_FIELD = 0;
const HEADER_STATE_FIELD = 4;
const HEADER_CHECKSUM_FIELD = 8;
const NEXT_RECORDING_ID_FIELD = 8;
const ALIGNMENT_FIELD = 16;
/** Smallest frame alignment accepted from an existing catalog's header: the descriptor header's length. */
const MIN_ALIGNMENT = DESCRIPTOR_HEADER_LENGTH;

/** Options of {@link Catalog.open}, with Java's names. */
export interface CatalogOptions {
  /** The archive directory (must exist). */
  readonly archiveDir: string;
  /** Capacity of a new catalog, and the least an existing one is grown to; default 1 MiB. */
  readonly catalogCapacity?: number;
  /** `aeron.archive.catalog.file.sync.level`: 0 none, 1 fdatasync, 2 fsync after each change; default 0. */
  readonly fileSyncLevel?: number;
  /** Descriptor checksum (and fragment checksum for recovery); default none. */
  readonly checksum?: Checksum | null;
  /** Epoch milliseconds; default `Date.now`. */
  readonly epochClock?: () => number;
  /** Recover recordings left active by a crash (module comment); default true. */
  readonly recover?: boolean;
  /** What recovery does with a possibly torn last fragment; default: refuse (throw PAGE_STRADDLE). */
  readonly onPageStraddle?: PageStraddleHandler;
  /** Whether to create the catalog when missing; default true. */
  readonly create?: boolean;
}

/** What a new recording's descriptor holds (Java `addNewRecording`'s parameters). */
export interface NewRecording {
  /** Position the recording starts at (the image's join position). */
  readonly startPosition: number;
  /** Stop position; default NULL_POSITION (-1: active). */
  readonly stopPosition?: number;
  /** Epoch ms the recording started. */
  readonly startTimestamp: number;
  /** Epoch ms it stopped; default NULL_TIMESTAMP (-1). */
  readonly stopTimestamp?: number;
  /** The image's initial term id. */
  readonly initialTermId: number;
  /** Segment file length of the recording. */
  readonly segmentFileLength: number;
  /** The image's term length. */
  readonly termBufferLength: number;
  /** The image's MTU. */
  readonly mtuLength: number;
  /** The image's session id. */
  readonly sessionId: number;
  /** The recorded stream id. */
  readonly streamId: number;
  /** The channel without session-specific parameters. */
  readonly strippedChannel: string;
  /** The channel as the client gave it. */
  readonly originalChannel: string;
  /** The image's source identity. */
  readonly sourceIdentity: string;
}

/** The fields replay and extension need (Java `RecordingSummary`). */
export interface RecordingSummary {
  /** The recording. */
  recordingId: number;
  /** First recorded position. */
  startPosition: number;
  /** Last recorded position, or NULL_POSITION while active. */
  stopPosition: number;
  /** Initial term id of the recorded image. */
  initialTermId: number;
  /** Segment file length. */
  segmentFileLength: number;
  /** Term length. */
  termBufferLength: number;
  /** MTU. */
  mtuLength: number;
  /** Recorded stream id. */
  streamId: number;
  /** Recorded session id. */
  sessionId: number;
}

/** A fresh summary to pass to {@link Catalog.recordingSummary} (so a caller can reuse one). */
export function newRecordingSummary(): RecordingSummary {
  return {
    recordingId: NULL_RECORDING_ID,
    startPosition: 0,
    stopPosition: NULL_POSITION,
    initialTermId: 0,
    segmentFileLength: 0,
    termBufferLength: 0,
    mtuLength: 0,
    streamId: 0,
    sessionId: 0,
  };
}

/** The catalog of an archive (module comment). Not safe to use from two places at once; close it once. */
export class Catalog implements Disposable {
  /** The catalog file's path. */
  readonly path: string;
  /** Frame alignment (64 for catalogs this archive creates, 1024 for legacy ones). */
  readonly alignment: number;
  /** Offset of the first frame (32, or 1024 for legacy catalogs). */
  readonly firstRecordingDescriptorOffset: number;
  readonly #archiveDir: string;
  readonly #forceWrites: boolean;
  readonly #forceMetadata: boolean;
  readonly #checksum: Checksum | null;
  readonly #epochClock: () => number;
  #fd: number;
  #file: MappedFile;
  #bytes: Uint8Array;
  #view: DataView;
  #capacity: number;
  #nextRecordingId = 0;
  #nextRecordingDescriptorOffset = 0;
  /** VALID recording ids in catalog order, and their frame offsets (Java `CatalogIndex`). */
  readonly #ids: number[] = [];
  readonly #offsets: number[] = [];
  #closed = false;
  readonly #headerEncoder = new RecordingDescriptorHeaderEncoder();
  readonly #descriptorEncoder = new RecordingDescriptorEncoder();
  readonly #headerDecoder = new RecordingDescriptorHeaderDecoder();
  readonly #descriptorDecoder = new RecordingDescriptorDecoder();

  private constructor(options: CatalogOptions) {
    const capacityWanted = options.catalogCapacity ?? DEFAULT_CATALOG_CAPACITY;
    if (
      !Number.isSafeInteger(capacityWanted) ||
      capacityWanted < MIN_CATALOG_CAPACITY ||
      capacityWanted > MAX_CATALOG_LENGTH
    ) {
      throw new ArchiveServerError(
        'INVALID_CATALOG_CAPACITY',
        `Invalid catalog capacity provided: expected value >= ${MIN_CATALOG_CAPACITY}, got ${capacityWanted}`,
      );
    }
    const syncLevel = options.fileSyncLevel ?? 0;
    this.#archiveDir = options.archiveDir;
    this.#forceWrites = syncLevel > 0;
    this.#forceMetadata = syncLevel > 1;
    this.#checksum = options.checksum ?? null;
    this.#epochClock = options.epochClock ?? Date.now;
    this.path = join(options.archiveDir, CATALOG_FILE_NAME);
    const exists = existsSync(this.path);
    if (!exists && options.create === false) {
      throw new ArchiveServerError('IO_ERROR', `no catalog at ${this.path}`);
    }
    let size = 0;
    try {
      this.#fd = openSync(this.path, exists ? 'r+' : 'w+', 0o644);
      size = fstatSync(this.#fd).size;
      this.#capacity = exists ? Math.max(size, capacityWanted) : capacityWanted;
      if (size < this.#capacity) ftruncateSync(this.#fd, this.#capacity);
    } catch (e) {
      throw ioError(e);
    }
    this.#file = MappedFile.open(this.path);
    this.#bytes = new Uint8Array(this.#file.buffer);
    this.#view = new DataView(this.#file.buffer);
    try {
      if (exists) {
        const version = this.#view.getInt32(0, true);
        if (((version >>> 16) & 0xff) !== CATALOG_MAJOR_VERSION) {
          throw new ArchiveServerError(
            'INCOMPATIBLE_CATALOG',
            `incompatible catalog file version ${semanticVersionText(version)}, archive software is ${semanticVersionText(ARCHIVE_SEMANTIC_VERSION)}`,
          );
        }
        if (size < CATALOG_HEADER_LENGTH) {
          throw new ArchiveServerError(
            'CORRUPT_CATALOG',
            `truncated catalog: ${this.path} has ${size} bytes, less than its ${CATALOG_HEADER_LENGTH}-byte header`,
          );
        }
        const alignment = this.#view.getInt32(ALIGNMENT_FIELD, true);
        if (alignment !== 0 && (alignment < MIN_ALIGNMENT || (alignment & (alignment - 1)) !== 0)) {
          throw new ArchiveServerError(
            'CORRUPT_CATALOG',
            `invalid catalog alignment=${alignment}: expected a power of 2 >= ${MIN_ALIGNMENT}, or 0 (legacy) in ${this.path}`,
          );
        }
        if (alignment !== 0) {
          this.alignment = alignment;
          this.firstRecordingDescriptorOffset = CATALOG_HEADER_LENGTH;
          this.#nextRecordingId = this.#readLong(NEXT_RECORDING_ID_FIELD);
        } else {
          this.alignment = LEGACY_ALIGNMENT;
          this.firstRecordingDescriptorOffset = LEGACY_ALIGNMENT;
        }
      } else {
        this.alignment = CATALOG_ALIGNMENT;
        this.firstRecordingDescriptorOffset = CATALOG_HEADER_LENGTH;
        new CatalogHeaderEncoder()
          .wrap(this.#bytes, 0)
          .version(ARCHIVE_SEMANTIC_VERSION)
          .length(CatalogHeaderEncoder.BLOCK_LENGTH)
          .nextRecordingId(0)
          .alignment(CATALOG_ALIGNMENT);
        this.#force();
        syncDirectory(options.archiveDir, this.#forceWrites, this.#forceMetadata);
      }
      this.#buildIndex(exists ? size : this.#capacity);
      if (options.recover !== false) this.#recover(options.onPageStraddle ?? REFUSE_ON_PAGE_STRADDLE);
    } catch (e) {
      this.close();
      // a refused catalog is left as found: the growth to the capacity is undone
      if (exists && size < this.#capacity) truncateSync(this.path, size);
      throw e;
    }
  }

  /** Opens (creating when missing) the catalog of `options.archiveDir`; see the module comment. */
  static open(options: CatalogOptions): Catalog {
    return new Catalog(options);
  }

  /** The catalog file's length in bytes. */
  get capacity(): number {
    return this.#capacity;
  }

  /** The id the next `addNewRecording` assigns. */
  get nextRecordingId(): number {
    return this.#nextRecordingId;
  }

  /** Number of VALID recordings indexed. */
  get entryCount(): number {
    return this.#ids.length;
  }

  /** The catalog's semantic version (header). */
  get version(): number {
    return this.#view.getInt32(0, true);
  }

  /** The mapped catalog bytes (valid until the catalog grows or closes). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Whether `close` has run. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Writes a recording's descriptor fields after the frame's header (stop position and timestamp default to NULL). */
  #encodeDescriptor(frame: Uint8Array, recordingId: number, r: NewRecording): void {
    this.#descriptorEncoder
      .wrap(frame, DESCRIPTOR_HEADER_LENGTH)
      .recordingId(recordingId)
      .startTimestamp(r.startTimestamp)
      .stopTimestamp(r.stopTimestamp ?? NULL_TIMESTAMP)
      .startPosition(r.startPosition)
      .stopPosition(r.stopPosition ?? NULL_POSITION)
      .initialTermId(r.initialTermId)
      .segmentFileLength(r.segmentFileLength)
      .termBufferLength(r.termBufferLength)
      .mtuLength(r.mtuLength)
      .sessionId(r.sessionId)
      .streamId(r.streamId)
      .strippedChannel(r.strippedChannel)
      .originalChannel(r.originalChannel)
      .sourceIdentity(r.sourceIdentity);
  }

  /** Adds a VALID descriptor for a new recording and returns its id (Java `addNewRecording`). */
  addNewRecording(r: NewRecording): number {
    const frameLength = this.#frameLength(r.strippedChannel, r.originalChannel, r.sourceIdentity);
    const offset = this.#nextRecordingDescriptorOffset;
    if (offset + frameLength > this.#capacity) this.#grow(frameLength);
    const recordingId = this.#nextRecordingId;
    const frame = this.#bytes.subarray(offset, offset + frameLength);
    this.#encodeDescriptor(frame, recordingId, r);
    const length = frameLength - DESCRIPTOR_HEADER_LENGTH;
    this.#headerEncoder
      .wrap(frame, 0)
      .length(length)
      .checksum(this.#computeChecksum(offset, length))
      .state(RecordingState.VALID);
    this.#writeLong(NEXT_RECORDING_ID_FIELD, recordingId + 1);
    this.#force();
    this.#nextRecordingId = recordingId + 1;
    this.#nextRecordingDescriptorOffset = offset + frameLength;
    this.#ids.push(recordingId);
    this.#offsets.push(offset);
    return recordingId;
  }

  /** Whether a VALID recording has this id. */
  hasRecording(recordingId: number): boolean {
    return this.#indexOf(recordingId) >= 0;
  }

  /** Frame offset of a VALID recording, or -1. */
  recordingDescriptorOffset(recordingId: number): number {
    const i = this.#indexOf(recordingId);
    return i < 0 ? -1 : (this.#offsets[i] as number);
  }

  /** Sets the stop position and timestamp of a recording that stopped (Java `recordingStopped`). */
  recordingStopped(recordingId: number, position: number, timestampMs: number): void {
    const d = this.#descriptorOffset(recordingId);
    this.#writeLong(d + STOP_TIMESTAMP, timestampMs);
    this.#writeLong(d + STOP_POSITION, position);
    this.#updateChecksum(d - DESCRIPTOR_HEADER_LENGTH);
    this.#force();
  }

  /** Sets a recording's stop position (Java `stopPosition(id, position)`: truncate, detach). */
  setStopPosition(recordingId: number, position: number): void {
    const d = this.#descriptorOffset(recordingId);
    this.#writeLong(d + STOP_POSITION, position);
    this.#updateChecksum(d - DESCRIPTOR_HEADER_LENGTH);
    this.#force();
  }

  /** Sets a recording's start position (Java `startPosition(id, position)`: detach/purge segments). */
  setStartPosition(recordingId: number, position: number): void {
    const d = this.#descriptorOffset(recordingId);
    this.#writeLong(d + START_POSITION, position);
    this.#updateChecksum(d - DESCRIPTOR_HEADER_LENGTH);
    this.#force();
  }

  /** A recording's stop position (NULL_POSITION while active). */
  stopPosition(recordingId: number): number {
    return this.#readLong(this.#descriptorOffset(recordingId) + STOP_POSITION);
  }

  /** A recording's start position. */
  startPosition(recordingId: number): number {
    return this.#readLong(this.#descriptorOffset(recordingId) + START_POSITION);
  }

  /** Marks a recording active again for an extension (Java `extendRecording`). */
  extendRecording(recordingId: number, controlSessionId: number, correlationId: number, sessionId: number): void {
    const d = this.#descriptorOffset(recordingId);
    this.#writeLong(d + CONTROL_SESSION_ID, controlSessionId);
    this.#writeLong(d + CORRELATION_ID, correlationId);
    this.#writeLong(d + STOP_TIMESTAMP, NULL_TIMESTAMP);
    this.#view.setInt32(d + SESSION_ID, sessionId, true);
    this.#writeLong(d + STOP_POSITION, NULL_POSITION);
    this.#updateChecksum(d - DESCRIPTOR_HEADER_LENGTH);
    this.#force();
  }

  /**
   * Replaces a recording's stripped and original channels, keeping its other fields (Java `replaceRecording` as
   * UPDATE_CHANNEL calls it). Throws UNKNOWN_RECORDING.
   */
  replaceChannels(recordingId: number, strippedChannel: string, originalChannel: string): void {
    const d = this.descriptor(recordingId);
    if (d === undefined) throw new ArchiveServerError('UNKNOWN_RECORDING', `unknown recording id: ${recordingId}`);
    this.replaceRecording(recordingId, { ...d, strippedChannel, originalChannel });
  }

  /**
   * Rewrites every field of a recording's descriptor but its controlSessionId and correlationId (Java
   * `replaceRecording`: UPDATE_CHANNEL, and a replication into an empty destination recording); stop position and
   * timestamp default to NULL (-1). A longer frame shifts the frames after it to the right (the catalog grows when
   * needed); a shorter one keeps its frame length, the rest zeroed. Throws UNKNOWN_RECORDING.
   */
  replaceRecording(recordingId: number, r: NewRecording): void {
    const i = this.#indexOf(recordingId);
    if (i < 0) throw new ArchiveServerError('UNKNOWN_RECORDING', `unknown recording id: ${recordingId}`);
    const offset = this.#offsets[i] as number;
    const oldFrameLength = this.frameLengthAt(offset);
    const newFrameLength = this.#frameLength(r.strippedChannel, r.originalChannel, r.sourceIdentity);
    let length: number;
    let checksumLength: number;
    let frameLength: number;
    if (newFrameLength > oldFrameLength) {
      length = checksumLength = newFrameLength - DESCRIPTOR_HEADER_LENGTH;
      frameLength = newFrameLength;
      const shift = newFrameLength - oldFrameLength;
      const end = this.#nextRecordingDescriptorOffset;
      if (end + shift > this.#capacity) this.#grow(shift);
      this.#bytes.copyWithin(offset + newFrameLength, offset + oldFrameLength, end);
      this.#nextRecordingDescriptorOffset = end + shift;
      for (let j = i + 1; j < this.#offsets.length; j++) this.#offsets[j] = (this.#offsets[j] as number) + shift;
    } else {
      length = oldFrameLength - DESCRIPTOR_HEADER_LENGTH;
      checksumLength = newFrameLength - DESCRIPTOR_HEADER_LENGTH;
      frameLength = oldFrameLength;
    }
    const frame = this.#bytes.subarray(offset, offset + frameLength);
    // Java's order, which a crash mid-way can not turn into another recording id: the old frame's tail past the new
    // one zeroed, the fields overwritten in place (controlSessionId and correlationId kept, the recordingId written
    // with its own value), the new frame's padding zeroed, the header's length last
    if (newFrameLength < oldFrameLength) frame.fill(0, newFrameLength);
    this.#encodeDescriptor(frame, recordingId, r);
    frame.fill(0, DESCRIPTOR_HEADER_LENGTH + this.#descriptorEncoder.encodedLength(), newFrameLength);
    this.#headerEncoder
      .wrap(frame, 0)
      .length(length)
      .checksum(this.#computeChecksum(offset, checksumLength))
      .state(RecordingState.VALID);
    this.#force();
  }

  /**
   * Sets a recording's state (INVALID or DELETED: `invalidateRecording`, `deleteRecording`) and drops it from
   * the index; false when no VALID recording has the id (Java `changeState`).
   */
  changeState(recordingId: number, state: RecordingState): boolean {
    const i = this.#indexOf(recordingId);
    if (i < 0) return false;
    const offset = this.#offsets[i] as number;
    this.#ids.splice(i, 1);
    this.#offsets.splice(i, 1);
    this.#view.setInt32(offset + HEADER_STATE_FIELD, state, true);
    this.#force();
    return true;
  }

  /** Fills `summary` with a recording's replay fields (Java `recordingSummary`); throws UNKNOWN_RECORDING. */
  recordingSummary(recordingId: number, summary: RecordingSummary = newRecordingSummary()): RecordingSummary {
    const d = this.#descriptorOffset(recordingId);
    const v = this.#view;
    summary.recordingId = recordingId;
    summary.startPosition = this.#readLong(d + START_POSITION);
    summary.stopPosition = this.#readLong(d + STOP_POSITION);
    summary.initialTermId = v.getInt32(d + INITIAL_TERM_ID, true);
    summary.segmentFileLength = v.getInt32(d + SEGMENT_FILE_LENGTH, true);
    summary.termBufferLength = v.getInt32(d + TERM_BUFFER_LENGTH, true);
    summary.mtuLength = v.getInt32(d + MTU_LENGTH, true);
    summary.streamId = v.getInt32(d + STREAM_ID, true);
    summary.sessionId = v.getInt32(d + SESSION_ID, true);
    return summary;
  }

  /** A VALID recording's full descriptor, decoded; undefined when not indexed. */
  descriptor(recordingId: number): RecordingDescriptor | undefined {
    const offset = this.recordingDescriptorOffset(recordingId);
    if (offset < 0) return undefined;
    return recordingDescriptorOf(this.#wrapDescriptorDecoder(offset));
  }

  /**
   * Frame length of the frame at `offset` (header + descriptor, aligned), or -1 at the end of the catalog
   * (Java `wrapDescriptorAtOffset`).
   */
  frameLengthAt(offset: number): number {
    const length = this.#view.getInt32(offset + HEADER_LENGTH_FIELD, true);
    return length > 0 ? align(length + DESCRIPTOR_HEADER_LENGTH, this.alignment) : -1;
  }

  /** The descriptor header's length field at `offset`: the descriptor's bytes after the 32-byte header. */
  descriptorLengthAt(offset: number): number {
    return this.#view.getInt32(offset + HEADER_LENGTH_FIELD, true);
  }

  /**
   * Calls `consumer(offset, headerDecoder, descriptorDecoder)` for every frame in file order, any state (Java
   * `forEach`); returns the count. The decoders are reused: read them in the call.
   */
  forEach(
    consumer: (
      offset: number,
      header: RecordingDescriptorHeaderDecoder,
      descriptor: RecordingDescriptorDecoder,
    ) => void,
  ): number {
    let count = 0;
    let offset = this.firstRecordingDescriptorOffset;
    while (offset < this.#nextRecordingDescriptorOffset) {
      const frameLength = this.frameLengthAt(offset);
      if (frameLength < 0) break;
      this.#headerDecoder.wrap(
        this.#bytes,
        offset,
        RecordingDescriptorHeaderDecoder.BLOCK_LENGTH,
        RecordingDescriptorHeaderDecoder.SCHEMA_VERSION,
      );
      consumer(offset, this.#headerDecoder, this.#wrapDescriptorDecoder(offset));
      offset += frameLength;
      count++;
    }
    return count;
  }

  /** VALID recording ids from `fromRecordingId` on, in id order (for listings). */
  recordingIdsFrom(fromRecordingId: number): readonly number[] {
    const start = lowerBound(this.#ids, fromRecordingId);
    return this.#ids.slice(start);
  }

  /**
   * The newest VALID recording with id >= `minRecordingId` of this session and stream whose original channel
   * contains `channelFragment`, or NULL_RECORDING_ID (Java `findLast`).
   */
  findLast(minRecordingId: number, sessionId: number, streamId: number, channelFragment: string): number {
    if (minRecordingId < 0) return NULL_RECORDING_ID;
    for (let i = this.#ids.length - 1; i >= 0; i--) {
      const recordingId = this.#ids[i] as number;
      if (recordingId < minRecordingId) break;
      const decoder = this.#wrapDescriptorDecoder(this.#offsets[i] as number);
      if (decoder.sessionId() === sessionId && decoder.streamId() === streamId) {
        decoder.skipStrippedChannel();
        if (channelFragment.length === 0 || decoder.originalChannel().includes(channelFragment)) return recordingId;
      }
    }
    return NULL_RECORDING_ID;
  }

  /** Unmaps and closes the file, fsyncing it first (as Java's close does). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file?.close();
    if (this.#fd !== undefined) {
      try {
        fsyncSync(this.#fd);
      } finally {
        closeSync(this.#fd);
      }
    }
  }

  /** Same as `close`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #wrapDescriptorDecoder(offset: number): RecordingDescriptorDecoder {
    const frameLength = this.frameLengthAt(offset);
    return this.#descriptorDecoder.wrap(
      this.#bytes.subarray(offset, offset + frameLength),
      DESCRIPTOR_HEADER_LENGTH,
      RecordingDescriptorDecoder.BLOCK_LENGTH,
      RecordingDescriptorDecoder.SCHEMA_VERSION,
    );
  }

  #indexOf(recordingId: number): number {
    const i = lowerBound(this.#ids, recordingId);
    return i < this.#ids.length && this.#ids[i] === recordingId ? i : -1;
  }

  /** Offset of the descriptor (after its header) of a VALID recording; throws UNKNOWN_RECORDING. */
  #descriptorOffset(recordingId: number): number {
    const offset = this.recordingDescriptorOffset(recordingId);
    if (offset < 0) throw new ArchiveServerError('UNKNOWN_RECORDING', `unknown recording id: ${recordingId}`);
    return offset + DESCRIPTOR_HEADER_LENGTH;
  }

  #readLong(offset: number): number {
    return int64(this.#view.getInt32(offset + 4, true), this.#view.getInt32(offset, true));
  }

  #writeLong(offset: number, value: number): void {
    const lo = value | 0;
    this.#view.setInt32(offset, lo, true);
    this.#view.setInt32(offset + 4, Math.floor((value - (lo >>> 0)) / 4294967296), true);
  }

  #frameLength(strippedChannel: string, originalChannel: string, sourceIdentity: string): number {
    const length = 7 * 8 + 6 * 4 + 4 + strippedChannel.length + 4 + originalChannel.length + 4 + sourceIdentity.length;
    return align(DESCRIPTOR_HEADER_LENGTH + length, this.alignment);
  }

  #computeChecksum(frameOffset: number, length: number): number {
    return this.#checksum === null
      ? 0
      : this.#checksum.compute(this.#bytes, frameOffset + DESCRIPTOR_HEADER_LENGTH, length);
  }

  #updateChecksum(frameOffset: number): void {
    if (this.#checksum === null) return;
    const length = this.#view.getInt32(frameOffset + HEADER_LENGTH_FIELD, true);
    this.#view.setInt32(frameOffset + HEADER_CHECKSUM_FIELD, this.#computeChecksum(frameOffset, length), true);
  }

  #force(): void {
    if (!this.#forceWrites) return;
    try {
      if (this.#forceMetadata) fsyncSync(this.#fd);
      else fdatasyncSync(this.#fd);
    } catch (e) {
      throw ioError(e);
    }
  }

  /** Grows the file by halves until `frameLength` more bytes fit (Java `growCatalog`). */
  #grow(frameLength: number): void {
    const oldCapacity = this.#capacity;
    const target = this.#nextRecordingDescriptorOffset + frameLength;
    if (target > MAX_CATALOG_LENGTH) {
      if (oldCapacity === MAX_CATALOG_LENGTH) {
        throw new ArchiveServerError('CATALOG_FULL', `catalog is full, max capacity reached: ${MAX_CATALOG_LENGTH}`);
      }
      throw new ArchiveServerError(
        'RECORDING_TOO_BIG',
        `recording is too big: total recording length is ${frameLength} bytes, available space is ${MAX_CATALOG_LENGTH - this.#nextRecordingDescriptorOffset} bytes`,
      );
    }
    let capacity = oldCapacity;
    while (capacity < target) capacity = Math.min(capacity + Math.floor(capacity / 2), MAX_CATALOG_LENGTH);
    try {
      ftruncateSync(this.#fd, capacity);
    } catch (e) {
      throw ioError(e);
    }
    this.#file.close();
    this.#file = MappedFile.open(this.path);
    this.#bytes = new Uint8Array(this.#file.buffer);
    this.#view = new DataView(this.#file.buffer);
    this.#capacity = capacity;
  }

  /**
   * Walks the frames, indexing VALID ones (Java `buildIndex`, writable). A frame that ends past `fileLength` (the
   * file's length before it was grown to the capacity: a truncated catalog, or a corrupt length field) refuses
   * the open with CORRUPT_CATALOG, where Java's walk would read zeros (or past its mapping) as a descriptor.
   */
  #buildIndex(fileLength: number): void {
    let offset = this.firstRecordingDescriptorOffset;
    let recordingId = -1;
    while (offset < this.#capacity) {
      if (offset + DESCRIPTOR_HEADER_LENGTH > this.#capacity) break;
      const frameLength = this.frameLengthAt(offset);
      if (frameLength < 0) break;
      if (offset + frameLength > fileLength) {
        throw new ArchiveServerError(
          'CORRUPT_CATALOG',
          `truncated catalog: recording descriptor at offset=${offset} frameLength=${frameLength} ends past the end of ${this.path} (length=${fileLength})`,
        );
      }
      recordingId = this.#readLong(offset + DESCRIPTOR_HEADER_LENGTH + RECORDING_ID);
      if (this.#view.getInt32(offset + HEADER_STATE_FIELD, true) === RecordingState.VALID) {
        this.#checkIndexable(recordingId, offset);
        this.#ids.push(recordingId);
        this.#offsets.push(offset);
      }
      offset += frameLength;
    }
    this.#nextRecordingDescriptorOffset = offset;
    if (this.#nextRecordingId === 0) {
      this.#nextRecordingId = recordingId + 1;
    } else if (this.#nextRecordingId < recordingId + 1) {
      throw new ArchiveServerError(
        'INVALID_NEXT_RECORDING_ID',
        `invalid nextRecordingId: expected value greater or equal to ${recordingId + 1}, was ${this.#nextRecordingId}`,
      );
    }
  }

  /**
   * Java `CatalogIndex.add`'s checks of a VALID frame's id, with its texts: not negative, above the last VALID id
   * (a descriptor torn mid-write, say a body zeroed with its recordingId, reads as a lower or repeated id; Java's
   * open refuses it with IllegalArgumentException, this one with CORRUPT_CATALOG).
   */
  #checkIndexable(recordingId: number, offset: number): void {
    const ids = this.#ids;
    const last = ids.length === 0 ? null : (ids[ids.length - 1] as number);
    let text: string | null = null;
    if (recordingId < 0) text = `recordingId cannot be negative: value=${recordingId}`;
    else if (last !== null && recordingId <= last) {
      text = `recordingId ${recordingId} is less than or equal to the last recordingId ${last}`;
    }
    if (text !== null) {
      throw new ArchiveServerError(
        'CORRUPT_CATALOG',
        `${text} (recording descriptor at offset=${offset} in ${this.path})`,
      );
    }
  }

  /** Java `refreshCatalog(true, …)`: stop positions for recordings left active (module comment). */
  #recover(onPageStraddle: PageStraddleHandler): void {
    const active: number[] = [];
    this.forEach((offset, header, descriptor) => {
      if (header.stateRaw() === RecordingState.VALID && descriptor.stopPosition() === NULL_POSITION)
        active.push(offset);
    });
    if (active.length === 0) return;
    const segments = indexSegmentFiles(this.#archiveDir);
    const buffer = new Uint8Array(FILE_IO_MAX_LENGTH);
    for (const frameOffset of active) {
      const d = frameOffset + DESCRIPTOR_HEADER_LENGTH;
      const recordingId = this.#readLong(d + RECORDING_ID);
      const stop = computeStopPosition(
        this.#archiveDir,
        findSegmentFileWithHighestPosition(segments.get(recordingId) ?? []),
        this.#readLong(d + START_POSITION),
        this.#view.getInt32(d + TERM_BUFFER_LENGTH, true),
        this.#view.getInt32(d + SEGMENT_FILE_LENGTH, true),
        this.#checksum,
        buffer,
        onPageStraddle,
      );
      this.#writeLong(d + STOP_POSITION, stop);
      this.#writeLong(d + STOP_TIMESTAMP, this.#epochClock());
    }
  }
}

/** fsyncs a directory (new files' entries) when the sync level asks for it (Java's archiveDirChannel.force). */
export function syncDirectory(dir: string, forceWrites: boolean, forceMetadata: boolean): void {
  if (!forceWrites) return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    if (forceMetadata) fsyncSync(fd);
    else fdatasyncSync(fd);
  } catch (e) {
    throw ioError(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
