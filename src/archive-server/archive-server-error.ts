/**
 * The one error type of the archive server (`src/archive-server`), with a stable `code`. Messages follow the
 * Java archive's (`ArchiveException` texts) where Java has one, so an operator sees the same words from either.
 *
 * | code                       | raised when (Java's text)                                                    |
 * |----------------------------|------------------------------------------------------------------------------|
 * | INVALID_CATALOG_CAPACITY   | a catalog capacity outside 32 .. 2^31-1 ("Invalid catalog capacity provided") |
 * | INCOMPATIBLE_CATALOG       | the catalog's major version is not 3 ("incompatible catalog file version")   |
 * | CORRUPT_CATALOG            | a catalog shorter than its header, of a bad alignment, or cut mid-descriptor; |
 * |                            | a VALID id negative or not increasing (Java's `CatalogIndex.add` texts)      |
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
 * | SESSION_TERMINATED         | a control session aborted (timeout, …): reported, not thrown (Java's ArchiveEvent |
 * |                            | "controlSessionId=… (…) terminated: <reason>")                               |
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { encodeError } from '../transport/distinct-error-log.ts';

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
  | 'EXISTING_ARCHIVE'
  | 'SESSION_TERMINATED';

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

/**
 * glibc's `strerror` texts, which the JVM puts in an `IOException` on Linux, for the errno codes the archive's file
 * operations can meet (libuv's own texts differ: "i/o error", lower case).
 */
const STRERROR: Readonly<Record<string, string>> = {
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  EBADF: 'Bad file descriptor',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  EINVAL: 'Invalid argument',
  ENOMEM: 'Cannot allocate memory',
};

/**
 * The `java.io.IOException` the JVM raises for a failed file operation, standing in for it as the `cause` of an
 * {@link ArchiveServerError} made by `ioError` (code IO_ERROR or STORAGE_SPACE): `name` is Java's class
 * (`java.io.FileNotFoundException` for a failed open, as `RandomAccessFile` throws), `message` Java's text (the
 * strerror text), `cause` the Node error (kept as the detail). Code IO_ERROR. Never thrown on its own: read it from
 * `error.cause` to see the failure as Java's archive reports it.
 */
export class JavaIOException extends ArchiveServerError {
  /**
   * @param javaClassName Java's exception class.
   * @param message the JVM's message: the strerror text, or `<path> (<strerror text>)` for an open.
   * @param cause the Node file system error.
   */
  constructor(javaClassName: 'java.io.IOException' | 'java.io.FileNotFoundException', message: string, cause: unknown) {
    super('IO_ERROR', message, { cause });
    this.name = javaClassName;
  }
}

/**
 * The IOException the JVM gives on Linux for a Node file system error: the strerror text of its errno code
 * (libuv's text with a capital first letter for a code not in the table), `<path> (<text>)` as a
 * `FileNotFoundException` for a failed open (Java `RandomAccessFile`); null for what is not a file system error.
 */
export function javaIOException(e: unknown): JavaIOException | null {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err === undefined || err === null || typeof err.code !== 'string' || !(err instanceof Error)) return null;
  let text = STRERROR[err.code];
  if (text === undefined) {
    const libuv = /^[A-Z0-9_]+: ([^,]+)/.exec(err.message)?.[1];
    if (libuv === undefined) return null;
    text = `${libuv.charAt(0).toUpperCase()}${libuv.slice(1)}`;
  }
  return err.syscall === 'open' && err.path !== undefined
    ? new JavaIOException('java.io.FileNotFoundException', `${err.path} (${text})`, e)
    : new JavaIOException('java.io.IOException', text, e);
}

/**
 * Wraps a file system error as Java's `RecordingWriter.checkErrorType` does: STORAGE_SPACE for ENOSPC/EDQUOT, else
 * IO_ERROR, with the message "java.io.IOException - <the JVM's message>" ("java.io.IOException - No space left on
 * device") and the {@link JavaIOException} as `cause` (the Node error its cause in turn).
 */
export function ioError(e: unknown): ArchiveServerError {
  const io = javaIOException(e);
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const storage = code === 'ENOSPC' || code === 'EDQUOT';
  return new ArchiveServerError(
    storage ? 'STORAGE_SPACE' : 'IO_ERROR',
    `java.io.IOException - ${io?.message ?? (e instanceof Error ? e.message : String(e))}`,
    { cause: io ?? e },
  );
}

/**
 * The text the archive's error log records for `error` (Java's `DistinctErrorLog` records the exception's
 * `printStackTrace`): a file error of the recording ({@link ioError}) as Java's `ArchiveException` over its
 * `IOException`, then this error's stack frames and the causes (the Node error last):
 *
 * ```
 * io.aeron.archive.client.ArchiveException: ERROR - java.io.IOException - No space left on device
 *     at …
 * Caused by: java.io.IOException: No space left on device
 *     at …
 * Caused by: Error: ENOSPC: no space left on device, write
 *     at …
 * ```
 * Anything else as `encodeError` writes it (its stack, then `Caused by:` and each cause's).
 */
export function errorLogText(error: unknown): string {
  if (!(error instanceof ArchiveServerError) || !(error.cause instanceof JavaIOException)) return encodeError(error);
  const stack = error.stack ?? '';
  const frames = stack.indexOf('\n    at ');
  return (
    `io.aeron.archive.client.ArchiveException: ERROR - ${error.message}${frames < 0 ? '' : stack.slice(frames)}` +
    `\nCaused by: ${encodeError(error.cause)}`
  );
}
