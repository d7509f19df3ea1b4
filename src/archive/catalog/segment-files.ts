/** The segment files of recordings in an archive directory: `<recordingId>-<segmentBasePosition>.rec`. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One segment file found in an archive directory. */
export interface SegmentFile {
  /** The file name, `<recordingId>-<segmentBasePosition>.rec`. */
  readonly name: string;
  /** The file's path (the archive directory joined with `name`). */
  readonly path: string;
  /** The recording the segment belongs to (from the name). */
  readonly recordingId: number;
  /** Position of the segment's first byte in the recording. */
  readonly segmentBasePosition: number;
  /** Bytes on disk (segments are pre-sized to segmentFileLength, so this is not the recorded length). */
  readonly size: number;
}

const SEGMENT_NAME = /^(\d+)-(\d+)\.rec$/;

/** Segment files of `recordingId` (all recordings when omitted), ordered by recording id then base position. */
export function listSegmentFiles(archiveDir: string, recordingId?: number): SegmentFile[] {
  const files: SegmentFile[] = [];
  for (const name of readdirSync(archiveDir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match === null) continue;
    const id = Number(match[1]);
    const base = Number(match[2]);
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(base)) continue;
    if (recordingId !== undefined && id !== recordingId) continue;
    const path = join(archiveDir, name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue; // deleted meanwhile
    }
    files.push({ name, path, recordingId: id, segmentBasePosition: base, size });
  }
  return files.sort((a, b) => a.recordingId - b.recordingId || a.segmentBasePosition - b.segmentBasePosition);
}
