/**
 * The one error type of the archive server (`src/archive-server`), with a stable `code`. Messages follow the
 * Java archive's (`ArchiveException` texts) where Java has one, so an operator sees the same words from either.
 *
 * | code                       | raised when (Java's text)                                                    |
 * |----------------------------|------------------------------------------------------------------------------|
 * | INVALID_CATALOG_CAPACITY   | a catalog capacity outside 32 .. 2^31-1 ("Invalid catalog capacity provided") |
 * | INCOMPATIBLE_CATALOG       | the catalog's major version is not 3 ("incompatible catalog file version")   |
 * | CORRUPT_CATALOG            | a catalog shorter than its header, of a bad alignment, or cut mid-descriptor |
 * | INVALID_NEXT_RECORDING_ID  | the header's nextRecordingId is below the last descriptor's id + 1           |
 * | CATALOG_FULL               | the catalog can not grow past 2^31-1 bytes ("catalog is full, …")            |
 * | RECORDING_TOO_BIG          | one descriptor does not fit in what is left ("recording is too big: …")      |
 * | UNKNOWN_RECORDING          | an operation on a recording id the catalog does not index                    |
 * | UNKNOWN_REPLAY_TOKEN       | a replay over a response channel whose token names no session, or expired    |
 * | PAGE_STRADDLE              | recovery found a last fragment straddling a page boundary, maybe torn        |
 * | SEGMENT_FILE_EXISTS        | a rollover would overwrite a segment file ("segment file already exists")   |
 * | SEGMENT_FILE_MISSING       | a reader needs a segment file that is not there                              |
 * | INVALID_POSITION           | a reader asked for a position/length not on a fragment of the recording     |
 * | ACTIVE_MARK_FILE           | another live archive holds the directory ("active mark file detected")       |
 * | MARK_FILE_VERSION          | an existing mark file's major version is not 3                               |
 * | STORAGE_SPACE              | a write failed for want of space (ArchiveException.STORAGE_SPACE)            |
 * | IO_ERROR                   | any other file error (ArchiveException.GENERIC, "java.io.IOException - …")   |
 * | INVALID_OPTION             | an archive option outside what the archive accepts                           |
 * | EXISTING_ARCHIVE           | the driver already has an archive of this archive id ("found existing archive") |
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** The codes of {@link ArchiveServerError} (table in the module comment). */
export type ArchiveServerErrorCode =
  | 'INVALID_CATALOG_CAPACITY'
  | 'INCOMPATIBLE_CATALOG'
  | 'CORRUPT_CATALOG'
  | 'INVALID_NEXT_RECORDING_ID'
  | 'CATALOG_FULL'
  | 'RECORDING_TOO_BIG'
  | 'UNKNOWN_RECORDING'
  | 'UNKNOWN_REPLAY_TOKEN'
  | 'PAGE_STRADDLE'
  | 'SEGMENT_FILE_EXISTS'
  | 'SEGMENT_FILE_MISSING'
  | 'INVALID_POSITION'
  | 'ACTIVE_MARK_FILE'
  | 'MARK_FILE_VERSION'
  | 'STORAGE_SPACE'
  | 'IO_ERROR'
  | 'INVALID_OPTION'
  | 'EXISTING_ARCHIVE';

/** A failure of the archive server's files or sessions; `code` says which (module comment). */
export class ArchiveServerError extends AeronError {
  /** One of the {@link ArchiveServerErrorCode} values. */
  declare readonly code: ArchiveServerErrorCode;

  /**
   * @param code stable code of the condition.
   * @param message what happened, in Java's words where Java has them.
   * @param options standard `ErrorOptions` (`cause`: the file system error, say).
   */
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: ArchiveServerErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** Wraps a file system error as Java's RecordingWriter does: STORAGE_SPACE for ENOSPC/EDQUOT, else IO_ERROR. */
export function ioError(e: unknown): ArchiveServerError {
  const err = e as NodeJS.ErrnoException;
  const storage = err?.code === 'ENOSPC' || err?.code === 'EDQUOT';
  return new ArchiveServerError(
    storage ? 'STORAGE_SPACE' : 'IO_ERROR',
    `java.io.IOException - ${err?.message ?? String(e)}`,
    { cause: e },
  );
}
