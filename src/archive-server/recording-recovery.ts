/**
 * Where a recording left active by a crash really stops (Java `Catalog.computeStopPosition` and
 * `recoverStopOffset`): walk the frames of its highest segment file from the recording's start (or the file's
 * start) while their frame length is positive; the stop position is the end of the last whole frame.
 *
 * ```
 *  segment file  | frame | frame | ... | last frame | 0 0 0 0 ...   (pre-sized with zeros)
 *                                                   ^ stop = segmentBase + this offset
 * ```
 * A fragment that would end past the end of the file (a segment file truncated after the archive pre-sized it)
 * is torn for certain and ends the walk; Java 1.51.0 counts it, giving a stop position past the data (both agree
 * on every file an archive wrote: those are pre-sized, and fragments never cross a segment's end).
 * A last fragment that straddles a 4 KiB page boundary may be torn (its first page flushed, a later one not).
 * It is accepted when a checksum proves it, or when every page after the boundary holds a non-zero word;
 * otherwise `onPageStraddle(path)` decides: true truncates the file at the fragment (re-extending it to
 * segmentFileLength) and stops before it. The archive throws there (PAGE_STRADDLE, Java's message);
 * `ArchiveTool verify` asks the operator.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import { align } from '../transport/bit-util.ts';
import { ArchiveServerError, ioError } from './archive-server-error.ts';
import type { Checksum } from './checksum.ts';
import { parseSegmentFilePosition } from './segment-file.ts';

/** Page size of the straddle check (Java `Catalog.PAGE_SIZE`). */
export const PAGE_SIZE = 4096;
/** Read chunk of recovery and of the reader's file I/O (Java `Archive.Configuration.FILE_IO_MAX_LENGTH_DEFAULT`). */
export const FILE_IO_MAX_LENGTH = 1024 * 1024;

/** Decides what to do with a possibly torn last fragment in `path`: true truncates before it. */
export type PageStraddleHandler = (path: string) => boolean;

/** The archive's answer to a torn last fragment: refuse to start, with Java's message. */
export const REFUSE_ON_PAGE_STRADDLE: PageStraddleHandler = (path) => {
  throw new ArchiveServerError(
    'PAGE_STRADDLE',
    `Found potentially incomplete last fragment straddling page boundary in file: ${path}\nRun \`ArchiveTool verify\` for corrective action!`,
  );
};

/** Whether a fragment at `offset` of `length` bytes crosses a page boundary (Java `fragmentStraddlesPageBoundary`). */
export function fragmentStraddlesPageBoundary(offset: number, length: number): boolean {
  return Math.floor(offset / PAGE_SIZE) !== Math.floor((offset + length - 1) / PAGE_SIZE);
}

/**
 * The stop position of a recording from its highest segment file (`maxSegmentFile`, null when it has none:
 * then the start position). `buffer` is scratch of at least one chunk (FILE_IO_MAX_LENGTH is what Java uses).
 */
export function computeStopPosition(
  archiveDir: string,
  maxSegmentFile: string | null,
  startPosition: number,
  termLength: number,
  segmentLength: number,
  checksum: Checksum | null,
  buffer: Uint8Array,
  onPageStraddle: PageStraddleHandler,
): number {
  if (maxSegmentFile === null) return startPosition;
  const startTermOffset = startPosition & (termLength - 1);
  const startTermBasePosition = startPosition - startTermOffset;
  const segmentBase = parseSegmentFilePosition(maxSegmentFile);
  const fileOffset = segmentBase === startTermBasePosition ? startTermOffset : 0;
  const stopOffset = recoverStopOffset(
    join(archiveDir, maxSegmentFile),
    fileOffset,
    segmentLength,
    onPageStraddle,
    checksum,
    buffer,
  );
  return Math.max(segmentBase + stopOffset, startPosition);
}

function recoverStopOffset(
  path: string,
  offset: number,
  segmentLength: number,
  onPageStraddle: PageStraddleHandler,
  checksum: Checksum | null,
  buffer: Uint8Array,
): number {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    throw ioError(e);
  }
  try {
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const offsetLimit = Math.min(segmentLength, fstatSync(fd).size);
    let nextFragmentOffset = offset;
    let lastFragmentLength = 0;
    let bufferOffset = 0;
    out: while (nextFragmentOffset < offsetLimit) {
      const bytesRead = readChunk(fd, buffer, nextFragmentOffset, offsetLimit);
      bufferOffset = 0;
      while (bufferOffset < bytesRead) {
        const frameLength =
          bufferOffset + 4 <= buffer.length ? view.getInt32(bufferOffset + FRAME_LENGTH_FIELD_OFFSET, true) : 0;
        if (frameLength <= 0) break out;
        const alignedLength = align(frameLength, FRAME_ALIGNMENT);
        // a fragment cut by the end of a truncated file is torn for certain: the recording stops before it
        if (nextFragmentOffset + alignedLength > offsetLimit) break out;
        lastFragmentLength = alignedLength;
        nextFragmentOffset += lastFragmentLength;
        bufferOffset += lastFragmentLength;
      }
    }
    const lastFragmentOffset = nextFragmentOffset - lastFragmentLength;
    if (
      fragmentStraddlesPageBoundary(lastFragmentOffset, lastFragmentLength) &&
      !isValidFragment(buffer, view, bufferOffset - lastFragmentLength, lastFragmentLength, checksum) &&
      onPageStraddle(path)
    ) {
      ftruncateSync(fd, lastFragmentOffset);
      writeSync(fd, new Uint8Array(1), 0, 1, segmentLength - 1);
      return lastFragmentOffset;
    }
    return nextFragmentOffset;
  } catch (e) {
    if (e instanceof ArchiveServerError) throw e;
    throw ioError(e);
  } finally {
    closeSync(fd);
  }
}

function readChunk(fd: number, buffer: Uint8Array, offset: number, limit: number): number {
  const want = Math.min(buffer.length, limit - offset);
  let read = 0;
  while (read < want) {
    const n = readSync(fd, buffer, read, want - read, offset + read);
    if (n <= 0) break;
    read += n;
  }
  return read;
}

function isValidFragment(
  buffer: Uint8Array,
  view: DataView,
  fragmentOffset: number,
  alignedLength: number,
  checksum: Checksum | null,
): boolean {
  if (fragmentOffset < 0 || fragmentOffset + alignedLength > buffer.length) return false;
  if (
    checksum !== null &&
    checksum.compute(buffer, fragmentOffset + HEADER_LENGTH, alignedLength - HEADER_LENGTH) ===
      view.getInt32(fragmentOffset + SESSION_ID_FIELD_OFFSET, true)
  ) {
    return true;
  }
  let straddle = (Math.floor(fragmentOffset / PAGE_SIZE) + 1) * PAGE_SIZE;
  const end = fragmentOffset + alignedLength;
  while (straddle < end) {
    if (isEmptyPage(view, straddle, end)) return false;
    straddle += PAGE_SIZE;
  }
  return true;
}

function isEmptyPage(view: DataView, pageStart: number, endOffset: number): boolean {
  const pageEnd = Math.min(pageStart + PAGE_SIZE, endOffset);
  for (let i = pageStart; i < pageEnd; i += 8) {
    if (view.getInt32(i, true) !== 0 || view.getInt32(i + 4, true) !== 0) return false;
  }
  return true;
}
