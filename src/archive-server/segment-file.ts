/**
 * Segment file names and the archive directory's index of them (Java `Archive.segmentFileName`,
 * `Catalog.indexSegmentFiles`, `parseSegmentFilePosition`, `findSegmentFileWithHighestPosition`).
 *
 * ```
 *  <recordingId>-<segmentBasePosition>.rec     e.g. 7-134217728.rec
 *  each file is pre-sized to segmentFileLength; byte k of file <id>-<base>.rec is stream position base + k
 * ```
 */
import { readdirSync } from 'node:fs';
import { SEGMENT_FILE_SUFFIX } from '../archive/catalog/catalog-layout.ts';
import { ArchiveServerError } from './archive-server-error.ts';

/** `<recordingId>-<segmentBasePosition>.rec` (Java `Archive.segmentFileName`). */
export function segmentFileName(recordingId: number, segmentBasePosition: number): string {
  return `${recordingId}-${segmentBasePosition}${SEGMENT_FILE_SUFFIX}`;
}

/** The base position in a segment file's name; throws for a name without one (Java's messages). */
export function parseSegmentFilePosition(fileName: string): number {
  const dash = fileName.indexOf('-');
  if (dash === -1) throw new ArchiveServerError('IO_ERROR', `invalid filename format: ${fileName}`);
  const text = fileName.slice(dash + 1, fileName.length - SEGMENT_FILE_SUFFIX.length);
  if (text.length === 0)
    throw new ArchiveServerError('IO_ERROR', `no position encoded in the segment file: ${fileName}`);
  const position = Number(text);
  if (!Number.isSafeInteger(position)) {
    throw new ArchiveServerError('IO_ERROR', `invalid position encoded in the segment file: ${fileName}`);
  }
  return position;
}

/**
 * The segment file names of every recording in `archiveDir`, by recording id (Java `indexSegmentFiles`: files
 * ending `.rec` with a numeric id before the first dash; others are skipped).
 */
export function indexSegmentFiles(archiveDir: string): Map<number, string[]> {
  const index = new Map<number, string[]>();
  for (const name of readdirSync(archiveDir)) {
    if (!name.endsWith(SEGMENT_FILE_SUFFIX)) continue;
    const dash = name.indexOf('-');
    if (dash <= 0) continue;
    const id = Number(name.slice(0, dash));
    if (!Number.isSafeInteger(id)) continue;
    const list = index.get(id);
    if (list === undefined) index.set(id, [name]);
    else list.push(name);
  }
  return index;
}

/** The file with the highest base position, or null for none (Java `findSegmentFileWithHighestPosition`). */
export function findSegmentFileWithHighestPosition(fileNames: readonly string[]): string | null {
  let max = -1;
  let found: string | null = null;
  for (const name of fileNames) {
    const position = parseSegmentFilePosition(name);
    if (position < 0) throw new ArchiveServerError('IO_ERROR', `negative position encoded in the file name: ${name}`);
    if (position > max) {
      max = position;
      found = name;
    }
  }
  return found;
}
