/**
 * Finds the distinct error log inside an archive's mark file, `<archive dir>/archive-mark.dat` (Java:
 * `ArchiveMarkFile`; header codec in `codecs/generated/archive-mark/`).
 *
 * ```
 *  0     SBE message header (8 bytes: blockLength, templateId 200, schemaId 100, version)   -- current files
 *  8     MarkFileHeader (block 128 bytes: version, activityTimestamp, startTimestamp, pid, stream ids,
 *        headerLength, errorBufferLength, archiveId) + var-ascii channels and aeron dir
 *  headerLength (8192)   distinct error log, errorBufferLength bytes
 * ```
 * Older files have no message header: the MarkFileHeader starts at 0 (acting version 1 when its
 * headerLength is set, else 0, which has no error buffer).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { archiveMark } from '../../codecs/index.ts';
import { AtomicBuffer } from '../transport/index.ts';
import { CliError, oneLine } from './cli-error.ts';
import { mapReadOnly } from './map-read-only.ts';

/** Name of the mark file in an archive directory. Java: `ArchiveMarkFile.FILENAME`. */
export const ARCHIVE_MARK_FILE = 'archive-mark.dat';

/** The decoded header fields the CLI shows, and the error log window. */
export interface ArchiveMarkErrors extends Disposable {
  /** Path of the mark file. */
  readonly path: string;
  /** Process id of the archive that wrote it. */
  readonly pid: number;
  /** The archive's id. */
  readonly archiveId: number;
  /** When the archive started, epoch ms. */
  readonly startTimestampMs: number;
  /** The archive's last activity timestamp, epoch ms (it updates it while running). */
  readonly activityTimestampMs: number;
  /** Window onto the distinct error log (read it with `readErrorLog`); valid until `close`. */
  readonly errorLog: AtomicBuffer;
  /** Unmaps the file (also what `[Symbol.dispose]` does). */
  close(): void;
}

/** Maps the mark file of `archiveDir` read-only and locates its error log; throws `CliError` on failure. */
export function openArchiveMarkErrors(archiveDir: string): ArchiveMarkErrors {
  const path = join(archiveDir, ARCHIVE_MARK_FILE);
  if (!existsSync(archiveDir) || !statSync(archiveDir).isDirectory()) {
    throw new CliError(`no archive at ${archiveDir}: the directory does not exist (expected an aeron.archive.dir)`);
  }
  if (!existsSync(path)) {
    throw new CliError(
      `no archive mark file at ${path} (expected the ${ARCHIVE_MARK_FILE} an archive creates in its directory)`,
    );
  }
  const file = mapReadOnly(path);
  try {
    const bytes = new Uint8Array(file.buffer);
    const decoder = new archiveMark.MarkFileHeaderDecoder();
    const messageHeader = new archiveMark.MessageHeaderDecoder();
    if (
      bytes.length <
      archiveMark.MessageHeaderDecoder.ENCODED_LENGTH + archiveMark.MarkFileHeaderDecoder.BLOCK_LENGTH
    ) {
      throw new CliError(`${path} is ${bytes.length} bytes, too short for an archive mark file header`);
    }
    messageHeader.wrap(bytes, 0);
    if (
      messageHeader.templateId() === archiveMark.MarkFileHeaderDecoder.TEMPLATE_ID &&
      messageHeader.schemaId() === archiveMark.MarkFileHeaderDecoder.SCHEMA_ID
    ) {
      decoder.wrapAndApplyHeader(bytes, 0, messageHeader);
    } else {
      decoder.wrap(
        bytes,
        0,
        archiveMark.MarkFileHeaderDecoder.BLOCK_LENGTH,
        archiveMark.MarkFileHeaderDecoder.SCHEMA_VERSION,
      );
      decoder.wrap(bytes, 0, 128, decoder.headerLength() > 0 ? 1 : 0);
    }
    const headerLength = decoder.headerLength();
    const errorBufferLength = decoder.errorBufferLength();
    if (headerLength <= 0) {
      throw new CliError(`${path} is from an archive version that has no error log in its mark file`);
    }
    if (errorBufferLength < 0 || headerLength + errorBufferLength > bytes.length) {
      throw new CliError(
        `${path}: header length ${headerLength} + error buffer length ${errorBufferLength} exceed the file's ${bytes.length} bytes`,
      );
    }
    const whole = new AtomicBuffer(file.buffer);
    return {
      path,
      pid: decoder.pid(),
      archiveId: decoder.archiveId(),
      startTimestampMs: decoder.startTimestamp(),
      activityTimestampMs: decoder.activityTimestamp(),
      errorLog: whole.slice(headerLength, errorBufferLength),
      close: () => file.close(),
      [Symbol.dispose]: () => file.close(),
    };
  } catch (e) {
    file.close();
    if (e instanceof CliError) throw e;
    throw new CliError(`${path} is not a readable archive mark file: ${oneLine(e)}`);
  }
}
