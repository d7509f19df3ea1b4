/**
 * Reads a recording's fragments back out of its segment files (Java `RecordingReader`), from a position for a
 * length, crossing terms and segments; padding frames are delivered too (the handler sees their type).
 *
 * ```
 *  startTermBase = startPosition - (startPosition mod termLength)
 *  segment of p  = segmentFileBasePosition(startPosition, p, termLength, segmentLength)   (<id>-<base>.rec)
 *  offset of p   = (p - startTermBase) mod segmentLength;  term window = [offset - termOffset, + termLength)
 * ```
 * A `fromPosition` after the start must be the first byte of a fragment of this recording (its header's
 * termOffset, termId and streamId match), else INVALID_POSITION "… position not aligned to valid fragment".
 * The reader stops at the replay limit, or at the first frame of length 0 (the end of what was written). Each
 * segment is mapped read-only while it is read; nothing is allocated per fragment.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import { segmentFileBasePosition } from '../archive/segment-position.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import { positionBitsToShift } from '../logbuffer/log-buffer-descriptor.ts';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { align } from '../transport/bit-util.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ArchiveServerError } from './archive-server-error.ts';
import type { RecordingSummary } from './catalog.ts';
import { segmentFileName } from './segment-file.ts';

/** NULL_LENGTH: to the stop position (or on and on for an active recording). */
export const NULL_LENGTH = -1;

/**
 * Receives one fragment: `segment` is the whole mapped segment file, `frameOffset` where the frame's header
 * starts in it, `frameLength` the header's frame length (header included, unaligned).
 */
export type SegmentFragmentHandler = (segment: AtomicBuffer, frameOffset: number, frameLength: number) => void;

/** Reader of one recording's fragments (module comment). Close it when done. */
export class RecordingReader implements Disposable {
  readonly #archiveDir: string;
  readonly #recordingId: number;
  readonly #segmentLength: number;
  readonly #termLength: number;
  readonly #replayLimit: number;
  #segment: MappedFile | null = null;
  #buffer: AtomicBuffer | null = null;
  #segmentFilePosition: number;
  #replayPosition: number;
  #termOffset: number;
  #termBaseSegmentOffset: number;
  #done = false;

  /**
   * @param summary the recording (from `Catalog.recordingSummary`).
   * @param archiveDir the archive directory.
   * @param position where to start, or NULL_POSITION for the recording's start.
   * @param length how many bytes, or NULL_LENGTH for all.
   */
  constructor(summary: RecordingSummary, archiveDir: string, position: number, length: number) {
    if (position < NULL_POSITION) throw new ArchiveServerError('INVALID_POSITION', `invalid position: ${position}`);
    if (length < NULL_LENGTH) throw new ArchiveServerError('INVALID_POSITION', `invalid length: ${length}`);
    this.#archiveDir = archiveDir;
    this.#recordingId = summary.recordingId;
    this.#segmentLength = summary.segmentFileLength;
    this.#termLength = summary.termBufferLength;
    const startPosition = summary.startPosition;
    const fromPosition = position === NULL_POSITION ? startPosition : position;
    const maxLength =
      summary.stopPosition !== NULL_POSITION
        ? summary.stopPosition - fromPosition
        : Number.MAX_SAFE_INTEGER - fromPosition;
    const replayLength = length === NULL_LENGTH ? maxLength : Math.min(length, maxLength);
    if (replayLength < 0) throw new ArchiveServerError('INVALID_POSITION', 'length must be positive');
    const termLength = this.#termLength;
    const startTermBase = startPosition - (startPosition & (termLength - 1));
    const segmentOffset = (fromPosition - startTermBase) & (this.#segmentLength - 1);
    const termId = (Math.floor(fromPosition / 2 ** positionBitsToShift(termLength)) + summary.initialTermId) | 0;
    this.#segmentFilePosition = segmentFileBasePosition(startPosition, fromPosition, termLength, this.#segmentLength);
    this.#openSegment();
    this.#termOffset = fromPosition & (termLength - 1);
    this.#termBaseSegmentOffset = segmentOffset - this.#termOffset;
    const buffer = this.#buffer as AtomicBuffer;
    const frame = this.#termBaseSegmentOffset + this.#termOffset;
    if (
      fromPosition > startPosition &&
      (buffer.getInt32(frame + TERM_OFFSET_FIELD_OFFSET) !== this.#termOffset ||
        buffer.getInt32(frame + TERM_ID_FIELD_OFFSET) !== termId ||
        buffer.getInt32(frame + STREAM_ID_FIELD_OFFSET) !== summary.streamId)
    ) {
      this.close();
      throw new ArchiveServerError('INVALID_POSITION', `${fromPosition} position not aligned to valid fragment`);
    }
    this.#replayPosition = fromPosition;
    this.#replayLimit = fromPosition + replayLength;
  }

  /** Position of the next fragment to read. */
  get replayPosition(): number {
    return this.#replayPosition;
  }

  /** True at the limit or at the end of what was written. */
  get isDone(): boolean {
    return this.#done;
  }

  /** Delivers up to `fragmentLimit` fragments; returns how many. */
  poll(handler: SegmentFragmentHandler, fragmentLimit: number): number {
    let fragments = 0;
    while (this.#replayPosition < this.#replayLimit && fragments < fragmentLimit) {
      if (this.#termOffset === this.#termLength) this.#nextTerm();
      const buffer = this.#buffer as AtomicBuffer;
      const frameOffset = this.#termBaseSegmentOffset + this.#termOffset;
      const frameLength = buffer.getInt32(frameOffset + FRAME_LENGTH_FIELD_OFFSET);
      if (frameLength <= 0) {
        this.#done = true;
        this.#closeSegment();
        break;
      }
      handler(buffer, frameOffset, frameLength);
      const alignedLength = align(frameLength, FRAME_ALIGNMENT);
      this.#replayPosition += alignedLength;
      this.#termOffset += alignedLength;
      fragments++;
      if (this.#replayPosition >= this.#replayLimit) {
        this.#done = true;
        this.#closeSegment();
        break;
      }
    }
    return fragments;
  }

  /** Unmaps the current segment. Idempotent. */
  close(): void {
    this.#closeSegment();
  }

  /** Same as `close`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #nextTerm(): void {
    this.#termOffset = 0;
    this.#termBaseSegmentOffset += this.#termLength;
    if (this.#termBaseSegmentOffset === this.#segmentLength) {
      this.#closeSegment();
      this.#segmentFilePosition += this.#segmentLength;
      this.#openSegment();
      this.#termBaseSegmentOffset = 0;
    }
  }

  #openSegment(): void {
    const name = segmentFileName(this.#recordingId, this.#segmentFilePosition);
    const path = join(this.#archiveDir, name);
    if (!existsSync(path)) {
      throw new ArchiveServerError('SEGMENT_FILE_MISSING', `failed to open recording segment file ${name}`);
    }
    this.#segment = MappedFile.open(path, { readOnly: true });
    this.#buffer = new AtomicBuffer(this.#segment.buffer);
  }

  #closeSegment(): void {
    this.#segment?.close();
    this.#segment = null;
  }
}
