/**
 * Writes a recording's blocks into its segment files (Java `RecordingWriter`, a `BlockHandler` over the image).
 *
 * ```
 *  segment <id>-<base>.rec, pre-sized to segmentFileLength (sparse):
 *   base = segmentFileBasePosition(startPosition, joinPosition, termLength, segmentLength)
 *   offset of position p = p - base;  a block goes to [segmentOffset, segmentOffset + length)
 *   segmentOffset reaching segmentLength closes the file; the next is <id>-<base + segmentLength>.rec
 * ```
 * A block is written whole with one positioned write (plus retries for short writes). A padding frame at the
 * start of a block is written as its 32-byte header only (the rest of the file is already zeros) but the
 * offset still advances by its full length, as Java does. With a record checksum, the block is copied to a
 * scratch buffer and each frame's sessionId field is replaced by the checksum of its payload. `fileSyncLevel`
 * 1 fdatasyncs each block, 2 fsyncs (data and metadata); new segment files also sync the directory. With the
 * recorder's totals each block adds its bytes written and the time of its checksum, write and sync (Java's
 * measure). Nothing is allocated per block on the default path (no checksum).
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { segmentFileBasePosition } from '../archive/segment-position.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT, PADDING_FRAME_TYPE } from '../logbuffer/frame-descriptor.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { align } from '../transport/bit-util.ts';
import { type IoTotals, nanoTime } from './archive-counters.ts';
import { ArchiveServerError, ioError } from './archive-server-error.ts';
import { syncDirectory } from './catalog.ts';
import type { Checksum } from './checksum.ts';
import { segmentFileName } from './segment-file.ts';

/** What a {@link RecordingWriter} needs to know. */
export interface RecordingWriterOptions {
  /** The recording's id (segment file names). */
  readonly recordingId: number;
  /** The recording's start position (segment bases are counted from its term's base). */
  readonly startPosition: number;
  /** Where the writer starts writing (the image's join position; an extension's stop position). */
  readonly joinPosition: number;
  /** The image's term length. */
  readonly termLength: number;
  /** Segment file length (a power of two multiple of the term length). */
  readonly segmentLength: number;
  /** The archive directory. */
  readonly archiveDir: string;
  /** 0 none, 1 fdatasync per block, 2 fsync per block; default 0. */
  readonly fileSyncLevel?: number;
  /** Record checksum written into each frame's sessionId field; default none. */
  readonly checksum?: Checksum | null;
  /** Scratch for checksummed blocks (at least the largest block); default allocated when a checksum is set. */
  readonly checksumBuffer?: Uint8Array;
  /** The recorder's totals (Java `Recorder.bytesWritten` / `writeTimeNs`): each block's bytes and time; default none. */
  readonly totals?: IoTotals | null;
}

/** Segment file writer of one recording (module comment). Call `init()` first, `close()` at the end. */
export class RecordingWriter implements Disposable {
  /** The recording written. */
  readonly recordingId: number;
  readonly #archiveDir: string;
  readonly #segmentLength: number;
  readonly #forceWrites: boolean;
  readonly #forceMetadata: boolean;
  readonly #checksum: Checksum | null;
  readonly #checksumBuffer: Uint8Array | null;
  readonly #checksumView: DataView | null;
  readonly #totals: IoTotals | null;
  #segmentBasePosition: number;
  #segmentOffset: number;
  #fd = -1;
  #closed = false;
  #blocksWritten = 0;
  #bytesWritten = 0;

  /** Computes where writing starts (module comment); opens nothing until `init`. */
  constructor(options: RecordingWriterOptions) {
    this.recordingId = options.recordingId;
    this.#archiveDir = options.archiveDir;
    this.#segmentLength = options.segmentLength;
    const syncLevel = options.fileSyncLevel ?? 0;
    this.#forceWrites = syncLevel > 0;
    this.#forceMetadata = syncLevel > 1;
    this.#checksum = options.checksum ?? null;
    this.#totals = options.totals ?? null;
    this.#checksumBuffer =
      this.#checksum === null ? null : (options.checksumBuffer ?? new Uint8Array(options.termLength));
    this.#checksumView =
      this.#checksumBuffer === null
        ? null
        : new DataView(this.#checksumBuffer.buffer, this.#checksumBuffer.byteOffset, this.#checksumBuffer.byteLength);
    this.#segmentBasePosition = segmentFileBasePosition(
      options.startPosition,
      options.joinPosition,
      options.termLength,
      options.segmentLength,
    );
    this.#segmentOffset = options.joinPosition - this.#segmentBasePosition;
  }

  /** Blocks written so far (Java's recorder keeps the like: total write bytes and time). */
  get blocksWritten(): number {
    return this.#blocksWritten;
  }

  /** Bytes written to files so far (a padding frame counts its header only). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** The recorded position: the end of the last block written. */
  get position(): number {
    return this.#segmentBasePosition + this.#segmentOffset;
  }

  /** Whether `close` has run (also after a failed write). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Opens (creating and pre-sizing when new) the segment file for the current position. */
  init(): void {
    this.#openSegment(join(this.#archiveDir, segmentFileName(this.recordingId, this.#segmentBasePosition)));
  }

  /**
   * Writes one block of whole frames (`Image.blockPoll`'s handler signature). On a file error the writer closes
   * and throws `ArchiveServerError` (STORAGE_SPACE or IO_ERROR, Java's "java.io.IOException - …").
   */
  onBlock(termBuffer: AtomicBuffer, termOffset: number, length: number, _sessionId: number, _termId: number): void {
    try {
      const isPadding = termBuffer.getUint16(termOffset + TYPE_FIELD_OFFSET) === PADDING_FRAME_TYPE;
      const dataLength = isPadding ? HEADER_LENGTH : length;
      const totals = this.#totals;
      const startNs = totals === null ? 0 : nanoTime();
      const checksumBuffer = this.#checksumBuffer;
      if (checksumBuffer === null || isPadding) {
        this.#write(termBuffer.bytes, termOffset, dataLength);
      } else {
        termBuffer.getBytes(termOffset, checksumBuffer, 0, dataLength);
        this.#applyChecksums(dataLength);
        this.#write(checksumBuffer, 0, dataLength);
      }
      if (this.#forceWrites) {
        if (this.#forceMetadata) fsyncSync(this.#fd);
        else fdatasyncSync(this.#fd);
      }
      if (totals !== null) totals.add(dataLength, nanoTime() - startNs);
      this.#blocksWritten++;
      this.#bytesWritten += dataLength;
      this.#segmentOffset += length;
      if (this.#segmentOffset >= this.#segmentLength) this.#rollOver();
    } catch (e) {
      this.close();
      if (e instanceof ArchiveServerError) throw e;
      throw ioError(e);
    }
  }

  /** Closes the current segment file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd >= 0) {
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }

  /** Same as `close`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #write(bytes: Uint8Array, offset: number, length: number): void {
    let written = 0;
    while (written < length) {
      written += writeSync(this.#fd, bytes, offset + written, length - written, this.#segmentOffset + written);
    }
  }

  #applyChecksums(length: number): void {
    const buffer = this.#checksumBuffer as Uint8Array;
    const view = this.#checksumView as DataView;
    const checksum = this.#checksum as Checksum;
    let frameOffset = 0;
    while (frameOffset < length) {
      const alignedLength = align(view.getInt32(frameOffset + FRAME_LENGTH_FIELD_OFFSET, true), FRAME_ALIGNMENT);
      if (alignedLength <= 0) break;
      const value = checksum.compute(buffer, frameOffset + HEADER_LENGTH, alignedLength - HEADER_LENGTH);
      view.setInt32(frameOffset + SESSION_ID_FIELD_OFFSET, value, true);
      frameOffset += alignedLength;
    }
  }

  #rollOver(): void {
    closeSync(this.#fd);
    this.#fd = -1;
    this.#segmentOffset = 0;
    this.#segmentBasePosition += this.#segmentLength;
    const path = join(this.#archiveDir, segmentFileName(this.recordingId, this.#segmentBasePosition));
    if (existsSync(path)) throw new ArchiveServerError('SEGMENT_FILE_EXISTS', `segment file already exists: ${path}`);
    this.#openSegment(path);
  }

  #openSegment(path: string): void {
    try {
      this.#fd = openSync(path, existsSync(path) ? 'r+' : 'w+', 0o644);
      ftruncateSync(this.#fd, this.#segmentLength);
    } catch (e) {
      this.close();
      throw ioError(e);
    }
    syncDirectory(this.#archiveDir, this.#forceWrites, this.#forceMetadata);
  }
}
