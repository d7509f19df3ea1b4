/**
 * The requests that change which segment files a recording has (Java `ArchiveConductor.truncateRecording`,
 * `purgeRecording`, `detachSegments`, `deleteDetachedSegments`, `purgeSegments`, `attachSegments`,
 * `migrateSegments`), with Java's checks, codes and texts.
 *
 * ```
 *  segment files of a recording:   <id>-<base>.rec, base = startTermBase + k * segmentFileLength
 *
 *     detached             attached (startPosition .. stopPosition)
 *  |  seg b-2L |  seg b-L  |  seg b  |  seg b+L  | ...
 *                          ^ startPosition after DETACH_SEGMENTS(b)  (a segment base, >= first base + L,
 *                            <= the base of the recorded end, and no replay reading below it)
 *  DELETE_DETACHED_SEGMENTS: files below the start segment removed      PURGE_SEGMENTS = detach + delete
 *  ATTACH_SEGMENTS: walks down from startPosition - L while full-length files exist; each one's first frame
 *                   (termId, streamId checked) becomes the start position
 *  MIGRATE_SEGMENTS(src, dst): a stopped src contiguous with dst (either side, on a segment boundary, same
 *                   segment/term length, initial term id, stream id and MTU) gives its files to dst
 * ```
 * Files are removed at once (Java hands them to a DeleteSegmentsSession that removes one per duty cycle); the
 * responses are Java's: OK with the file count, then the DELETE signal (subscriptionId and position -1). So a
 * delete is never "in progress" and Java's "another delete operation in progress" cannot arise here.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { RecordingState } from '../../codecs/generated/archive/RecordingState.ts';
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import { segmentFileBasePosition } from '../archive/segment-position.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HEADER_LENGTH,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import { type Catalog, newRecordingSummary, type RecordingSummary } from './catalog.ts';
import type { ControlSession } from './control-session.ts';
import type { ReplaySession } from './replay-session.ts';
import { segmentFileName } from './segment-file.ts';

/** What the segment requests need from the conductor. */
export interface SegmentOperationsHost {
  /** The catalog. */
  readonly catalog: Catalog;
  /** The archive directory. */
  readonly archiveDir: string;
  /** The time of the current duty cycle. */
  nowMs(): number;
  /** The recorded position of an active recording, or NULL_POSITION when it is not recording. */
  recordedPosition(recordingId: number): number;
  /** The replays in progress. */
  readonly replays: readonly ReplaySession[];
  /** Java's `hasRecording`: true, or false after ERROR UNKNOWN_RECORDING "unknown recording id: …". */
  hasRecording(session: ControlSession, correlationId: number, recordingId: number): boolean;
  /** The archive's error handler. */
  onError(error: unknown): void;
}

/** The segment requests of a conductor (module comment). */
export class SegmentOperations {
  readonly #host: SegmentOperationsHost;
  readonly #summary = newRecordingSummary();
  readonly #header = new Uint8Array(HEADER_LENGTH);
  readonly #headerView = new DataView(this.#header.buffer);
  #scan: Uint8Array | null = null;

  /** Segment operations on `host`'s catalog and directory. */
  constructor(host: SegmentOperationsHost) {
    this.#host = host;
  }

  /** TRUNCATE_RECORDING: stop position moved back, the rest of its segment erased, later segments deleted. */
  truncateRecording(session: ControlSession, correlationId: number, recordingId: number, position: number): void {
    const host = this.#host;
    const now = host.nowMs();
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    if (this.#hasReplay(recordingId)) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_RECORDING,
        `cannot truncate recording with active replay ${recordingId}`,
        now,
      );
      return;
    }
    const r = host.catalog.recordingSummary(recordingId, this.#summary);
    if (r.stopPosition === NULL_POSITION) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_RECORDING,
        'cannot truncate active recording',
        now,
      );
      return;
    }
    if (position < r.startPosition || position > r.stopPosition || (position & 31) !== 0) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.INVALID_POSITION,
        `invalid position ${position}: start=${r.startPosition} stop=${r.stopPosition} alignment=32`,
        now,
      );
      return;
    }
    const base = segmentFileBasePosition(r.startPosition, position, r.termBufferLength, r.segmentFileLength);
    const segmentOffset = position - base;
    const files: string[] = [];
    if (r.startPosition === position) {
      files.push(...this.#segmentFilesOf(recordingId));
    } else {
      if (segmentOffset > 0) {
        if (r.stopPosition !== position) {
          const error = eraseRemainingSegment(
            join(host.archiveDir, segmentFileName(recordingId, base)),
            position,
            segmentOffset,
            r,
          );
          if (error !== null) {
            session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, error, now);
            return;
          }
        }
      } else {
        files.push(segmentFileName(recordingId, base));
      }
      for (let p = base + r.segmentFileLength; p <= r.stopPosition; p += r.segmentFileLength) {
        files.push(segmentFileName(recordingId, p));
      }
    }
    host.catalog.setStopPosition(recordingId, position);
    this.#deleteSegments(session, correlationId, recordingId, files);
  }

  /** PURGE_RECORDING: the descriptor DELETED and every segment file removed. */
  purgeRecording(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    const now = host.nowMs();
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    if (this.#hasReplay(recordingId)) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_RECORDING,
        `cannot purge recording with active replay ${recordingId}`,
        now,
      );
      return;
    }
    if (host.catalog.stopPosition(recordingId) === NULL_POSITION) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.ACTIVE_RECORDING,
        `cannot purge active recording ${recordingId}`,
        now,
      );
      return;
    }
    host.catalog.changeState(recordingId, RecordingState.DELETED);
    this.#deleteSegments(session, correlationId, recordingId, this.#segmentFilesOf(recordingId));
  }

  /** DETACH_SEGMENTS: the start position moves up to a segment boundary; OK. */
  detachSegments(session: ControlSession, correlationId: number, recordingId: number, newStartPosition: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    if (!this.#isValidDetach(session, correlationId, recordingId, newStartPosition)) return;
    host.catalog.setStartPosition(recordingId, newStartPosition);
    session.sendOkResponse(correlationId, 0, host.nowMs());
  }

  /** DELETE_DETACHED_SEGMENTS: the files below the start position's segment removed; OK(count), DELETE. */
  deleteDetachedSegments(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    let minPosition = Number.MAX_SAFE_INTEGER;
    const prefixLength = String(recordingId).length + 1;
    for (const name of this.#segmentFilesOf(recordingId)) {
      const position = Number(name.slice(prefixLength, name.indexOf('.')));
      if (Number.isSafeInteger(position)) minPosition = Math.min(minPosition, position);
    }
    const files: string[] = [];
    if (minPosition !== Number.MAX_SAFE_INTEGER) this.#findDetachedSegments(recordingId, files, minPosition);
    this.#deleteSegments(session, correlationId, recordingId, files);
  }

  /** PURGE_SEGMENTS: DETACH_SEGMENTS then the files detached removed; OK(count), DELETE. */
  purgeSegments(session: ControlSession, correlationId: number, recordingId: number, newStartPosition: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    if (!this.#isValidDetach(session, correlationId, recordingId, newStartPosition)) return;
    const oldStartPosition = host.catalog.startPosition(recordingId);
    host.catalog.setStartPosition(recordingId, newStartPosition);
    const files: string[] = [];
    this.#findDetachedSegments(recordingId, files, oldStartPosition);
    this.#deleteSegments(session, correlationId, recordingId, files);
  }

  /** ATTACH_SEGMENTS: full-length files below the start re-attached, the start moved down; OK(count). */
  attachSegments(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    const r = host.catalog.recordingSummary(recordingId, this.#summary);
    const segmentLength = r.segmentFileLength;
    const termLength = r.termBufferLength;
    const initialTermId = r.initialTermId;
    const streamId = r.streamId;
    let position = r.startPosition - segmentLength;
    let count = 0;
    while (position >= 0) {
      const path = join(host.archiveDir, segmentFileName(recordingId, position));
      if (!existsSync(path)) break;
      const fileLength = statSync(path).size;
      if (fileLength !== segmentLength) {
        session.sendErrorResponse(
          correlationId,
          ArchiveErrorCode.GENERIC,
          `fileLength=${fileLength} not equal to segmentLength=${segmentLength}`,
          host.nowMs(),
        );
        return;
      }
      const termId = (initialTermId + Math.floor(position / termLength)) | 0;
      const termOffset = this.#findTermOffsetForStart(session, correlationId, path, streamId, termId, termLength);
      if (termOffset < 0) return;
      count++;
      if (termOffset === 0) {
        host.catalog.setStartPosition(recordingId, position);
        position -= segmentLength;
      } else {
        host.catalog.setStartPosition(recordingId, position + termOffset);
        break;
      }
    }
    session.sendOkResponse(correlationId, count, host.nowMs());
  }

  /** MIGRATE_SEGMENTS: a stopped src recording's files renamed to dst, positions joined; OK(count), DELETE. */
  migrateSegments(
    session: ControlSession,
    correlationId: number,
    srcRecordingId: number,
    dstRecordingId: number,
  ): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, srcRecordingId)) return;
    if (!host.hasRecording(session, correlationId, dstRecordingId)) return;
    const src = host.catalog.recordingSummary(srcRecordingId, this.#summary);
    const dst = host.catalog.recordingSummary(dstRecordingId, newRecordingSummary());
    if (src.stopPosition === NULL_POSITION) {
      this.#error(session, correlationId, `recording ${srcRecordingId} is still active`);
      return;
    }
    const mismatch = streamParameterMismatch(src, dst);
    if (mismatch !== null) {
      this.#error(session, correlationId, mismatch);
      return;
    }
    let joinPosition: number;
    if (src.stopPosition === dst.startPosition) {
      joinPosition = src.stopPosition;
    } else if (src.startPosition === dst.stopPosition) {
      joinPosition = src.startPosition;
    } else {
      this.#error(
        session,
        correlationId,
        `invalid migrate: src and dst are not contiguous srcStartPosition=${src.startPosition} srcStopPosition=${src.stopPosition} dstStartPosition=${dst.startPosition} dstStopPosition=${dst.stopPosition}`,
      );
      return;
    }
    const unaligned = joinUnaligned('src', src, joinPosition) ?? joinUnaligned('dst', dst, joinPosition);
    if (unaligned !== null) {
      this.#error(session, correlationId, unaligned);
      return;
    }
    const emptyFollowing: string[] = [];
    const moved = this.#moveAllSegments(session, correlationId, srcRecordingId, dstRecordingId, src, emptyFollowing);
    if (moved < 0) return;
    if (src.stopPosition === dst.startPosition) host.catalog.setStartPosition(dstRecordingId, src.startPosition);
    else host.catalog.setStopPosition(dstRecordingId, src.stopPosition);
    host.catalog.setStopPosition(srcRecordingId, src.startPosition);
    session.sendOkResponse(correlationId, moved, host.nowMs());
    this.#removeFiles(session, correlationId, emptyFollowing);
    if (moved > 0 || emptyFollowing.length > 0) {
      session.sendSignal(correlationId, srcRecordingId, -1, -1, RecordingSignal.DELETE, host.nowMs());
    }
  }

  /** Java `isValidDetach`: a segment boundary above the first segment, at or below the recorded end's segment. */
  #isValidDetach(session: ControlSession, correlationId: number, recordingId: number, position: number): boolean {
    const host = this.#host;
    const r = host.catalog.recordingSummary(recordingId, this.#summary);
    const segmentLength = r.segmentFileLength;
    const startPosition = r.startPosition;
    const termLength = r.termBufferLength;
    const lowerBound = segmentFileBasePosition(startPosition, startPosition, termLength, segmentLength) + segmentLength;
    if (position !== segmentFileBasePosition(startPosition, position, termLength, segmentLength)) {
      this.#error(session, correlationId, `invalid segment start: newStartPosition=${position}`);
      return false;
    }
    if (position < lowerBound) {
      this.#error(session, correlationId, `invalid detach: newStartPosition=${position} lowerBound=${lowerBound}`);
      return false;
    }
    const stopPosition = r.stopPosition;
    const recordedEnd = stopPosition === NULL_POSITION ? host.recordedPosition(recordingId) : stopPosition;
    const endPosition = segmentFileBasePosition(startPosition, recordedEnd, termLength, segmentLength);
    if (position > endPosition) {
      this.#error(
        session,
        correlationId,
        `invalid detach: in use, newStartPosition=${position} upperBound=${endPosition}`,
      );
      return false;
    }
    let min: ReplaySession | null = null;
    for (const replay of host.replays) {
      const replayBase = replay.segmentFileBasePosition;
      if (
        replay.recordingId === recordingId &&
        position > replayBase &&
        (min === null || replayBase < min.segmentFileBasePosition)
      ) {
        min = replay;
      }
    }
    if (min !== null) {
      this.#error(
        session,
        correlationId,
        `invalid detach: replay in progress -  state=${min.state} newStartPosition=${position} upperBound=${min.segmentFileBasePosition} sessionId=${(min.replaySessionId % 4294967296) | 0} streamId=${min.replayStreamId} channel=${min.replayChannel}`,
      );
      return false;
    }
    return true;
  }

  /** Java `findDetachedSegments`: the segment files from below the start's segment down to `prevStartPosition`. */
  #findDetachedSegments(recordingId: number, files: string[], prevStartPosition: number): void {
    const r = this.#host.catalog.recordingSummary(recordingId, this.#summary);
    const segmentLength = r.segmentFileLength;
    const prevSegment = segmentFileBasePosition(
      prevStartPosition,
      prevStartPosition,
      r.termBufferLength,
      segmentLength,
    );
    const startSegment = segmentFileBasePosition(r.startPosition, r.startPosition, r.termBufferLength, segmentLength);
    for (let p = startSegment - segmentLength; p >= prevSegment; p -= segmentLength) {
      files.unshift(segmentFileName(recordingId, p));
    }
  }

  /**
   * Java `findTermOffsetForStart`: the offset of the first frame in the segment's first term (0 when the file
   * starts with one), its term id and stream id checked; -1 after an ERROR response.
   */
  #findTermOffsetForStart(
    session: ControlSession,
    correlationId: number,
    path: string,
    streamId: number,
    termId: number,
    termLength: number,
  ): number {
    const fd = openSync(path, 'r');
    try {
      const header = this.#header;
      const view = this.#headerView;
      if (readSync(fd, header, 0, HEADER_LENGTH, 0) !== HEADER_LENGTH) {
        this.#error(session, correlationId, 'failed to read segment file');
        return -1;
      }
      let termOffset = 0;
      if (view.getInt32(FRAME_LENGTH_FIELD_OFFSET, true) <= 0) {
        this.#scan ??= new Uint8Array(64 * 1024);
        const scan = this.#scan;
        const scanView = new DataView(scan.buffer);
        let found = false;
        while (termOffset < termLength && !found) {
          const bytesRead = readSync(fd, scan, 0, Math.min(termLength - termOffset, scan.length), termOffset);
          if (bytesRead <= 0) {
            this.#error(session, correlationId, `read failed on ${path}`);
            return -1;
          }
          const limit = bytesRead - (bytesRead & (FRAME_ALIGNMENT - 1));
          let offset = 0;
          while (offset < limit) {
            if (scanView.getInt32(offset + FRAME_LENGTH_FIELD_OFFSET, true) > 0) {
              found = true;
              break;
            }
            offset += FRAME_ALIGNMENT;
          }
          termOffset += offset;
        }
        if (termOffset < termLength) readSync(fd, header, 0, HEADER_LENGTH, termOffset);
      }
      if (termOffset >= termLength) {
        this.#error(session, correlationId, `fragment not found in first term of segment ${path}`);
        return -1;
      }
      const fileTermId = view.getInt32(TERM_ID_FIELD_OFFSET, true);
      if (fileTermId !== termId) {
        this.#error(session, correlationId, `term id does not match: actual=${fileTermId} expected=${termId}`);
        return -1;
      }
      const fileStreamId = view.getInt32(STREAM_ID_FIELD_OFFSET, true);
      if (fileStreamId !== streamId) {
        this.#error(session, correlationId, `stream id does not match: actual=${fileStreamId} expected=${streamId}`);
        return -1;
      }
      return termOffset;
    } finally {
      closeSync(fd);
    }
  }

  /** Java `moveAllSegments`: every src file checked, then renamed; the empty segment at the stop listed. */
  #moveAllSegments(
    session: ControlSession,
    correlationId: number,
    srcRecordingId: number,
    dstRecordingId: number,
    src: RecordingSummary,
    emptyFollowing: string[],
  ): number {
    const dir = this.#host.archiveDir;
    const segmentLength = src.segmentFileLength;
    const first = segmentFileBasePosition(src.startPosition, src.startPosition, src.termBufferLength, segmentLength);
    const last = segmentFileBasePosition(src.startPosition, src.stopPosition, src.termBufferLength, segmentLength);
    for (let p = first; p <= last; p += segmentLength) {
      if (p === src.stopPosition) continue;
      const srcFile = join(dir, segmentFileName(srcRecordingId, p));
      const dstFile = join(dir, segmentFileName(dstRecordingId, p));
      if (!existsSync(srcFile)) {
        this.#error(session, correlationId, `missing src segment file ${srcFile}`);
        return -1;
      }
      if (existsSync(dstFile)) {
        this.#error(session, correlationId, `preexisting dst segment file ${dstFile}`);
        return -1;
      }
    }
    let moved = 0;
    for (let p = first; p <= last; p += segmentLength) {
      const name = segmentFileName(srcRecordingId, p);
      if (p === src.stopPosition) {
        emptyFollowing.unshift(name);
        continue;
      }
      const srcFile = join(dir, name);
      const dstFile = join(dir, segmentFileName(dstRecordingId, p));
      try {
        renameSync(srcFile, dstFile);
      } catch {
        this.#error(session, correlationId, `failed to rename ${srcFile} to ${dstFile}`);
        return -1;
      }
      moved++;
    }
    return moved;
  }

  #hasReplay(recordingId: number): boolean {
    const replays = this.#host.replays;
    for (let i = 0; i < replays.length; i++) {
      if ((replays[i] as ReplaySession).recordingId === recordingId) return true;
    }
    return false;
  }

  /** Java `listSegmentFiles`: `<id>-*.rec` and `<id>-*.del` names. */
  #segmentFilesOf(recordingId: number): string[] {
    const prefix = `${recordingId}-`;
    return readdirSync(this.#host.archiveDir).filter(
      (name) => name.startsWith(prefix) && (name.endsWith('.rec') || name.endsWith('.del')),
    );
  }

  /** OK(relevantId = file count), the files removed, then the DELETE signal (Java `deleteSegments`). */
  #deleteSegments(session: ControlSession, correlationId: number, recordingId: number, files: string[]): void {
    session.sendOkResponse(correlationId, files.length, this.#host.nowMs());
    this.#removeFiles(session, correlationId, files);
    session.sendSignal(correlationId, recordingId, -1, -1, RecordingSignal.DELETE, this.#host.nowMs());
  }

  /** Removes segment files (Java `DeleteSegmentsSession`: a file that stays gets "unable to delete segment file"). */
  #removeFiles(session: ControlSession, correlationId: number, files: readonly string[]): void {
    for (const name of files) {
      const path = join(this.#host.archiveDir, name);
      try {
        rmSync(path, { force: true });
        if (!name.endsWith('.del')) rmSync(`${path}.del`, { force: true });
      } catch (e) {
        this.#error(session, correlationId, `unable to delete segment file: ${path}`);
        this.#host.onError(e);
      }
    }
  }

  #error(session: ControlSession, correlationId: number, message: string): void {
    session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, message, this.#host.nowMs());
  }
}

/** Java `hasMatchingStreamParameters`: the first mismatch's text, or null. */
function streamParameterMismatch(src: RecordingSummary, dst: RecordingSummary): string | null {
  if (dst.segmentFileLength !== src.segmentFileLength) {
    return `invalid migrate: srcSegmentFileLength=${src.segmentFileLength} dstSegmentFileLength=${dst.segmentFileLength}`;
  }
  if (dst.termBufferLength !== src.termBufferLength) {
    return `invalid migrate: srcTermBufferLength=${src.termBufferLength} dstTermBufferLength=${dst.termBufferLength}`;
  }
  if (dst.initialTermId !== src.initialTermId) {
    return `invalid migrate: srcInitialTermId=${src.initialTermId} dstInitialTermId=${dst.initialTermId}`;
  }
  if (dst.streamId !== src.streamId) return `invalid migrate: srcStreamId=${src.streamId} dstStreamId=${dst.streamId}`;
  if (dst.mtuLength !== src.mtuLength)
    return `invalid migrate: srcMtuLength=${src.mtuLength} dstMtuLength=${dst.mtuLength}`;
  return null;
}

/** Java `isJoinPositionSegmentUnaligned`: the text when the seam is not a segment base of `r`, else null. */
function joinUnaligned(label: string, r: RecordingSummary, seamPosition: number): string | null {
  const base = segmentFileBasePosition(r.startPosition, seamPosition, r.termBufferLength, r.segmentFileLength);
  if (base === seamPosition) return null;
  return `invalid migrate: join position is not on segment boundary of ${label} recording seamPosition=${seamPosition} startPosition=${r.startPosition} stopPosition=${r.stopPosition} termBufferLength=${r.termBufferLength} segmentFileLength=${r.segmentFileLength}`;
}

/**
 * Cuts a segment file at `segmentOffset` and re-extends it to its length with zeros (Java
 * `eraseRemainingSegment`); the position must hold a data header of the recording. Returns an error message, or
 * null when done.
 */
function eraseRemainingSegment(
  path: string,
  position: number,
  segmentOffset: number,
  r: RecordingSummary,
): string | null {
  const fd = openSync(path, 'r+');
  try {
    const header = new Uint8Array(HEADER_LENGTH);
    const view = new DataView(header.buffer);
    const termOffset = position & (r.termBufferLength - 1);
    const termId = (r.initialTermId + Math.floor(position / r.termBufferLength)) | 0;
    if (
      readSync(fd, header, 0, HEADER_LENGTH, segmentOffset) < HEADER_LENGTH ||
      view.getInt32(TERM_OFFSET_FIELD_OFFSET, true) !== termOffset ||
      view.getInt32(TERM_ID_FIELD_OFFSET, true) !== termId ||
      view.getInt32(STREAM_ID_FIELD_OFFSET, true) !== r.streamId
    ) {
      return `${position} position not aligned to a data header`;
    }
    ftruncateSync(fd, segmentOffset);
    writeSync(fd, new Uint8Array(1), 0, 1, r.segmentFileLength - 1);
    return null;
  } finally {
    closeSync(fd);
  }
}
