/**
 * The one error type of the offline catalog reader, with a stable `code`:
 *
 * | code                  | raised when                                                                 |
 * |-----------------------|-----------------------------------------------------------------------------|
 * | NO_ARCHIVE_DIR        | the archive directory does not exist or is not a directory                 |
 * | NO_CATALOG            | the directory has no `archive.catalog`                                      |
 * | UNREADABLE            | the file exists but can not be opened or mapped                             |
 * | TRUNCATED             | the file is shorter than a catalog header, or a frame runs past its end     |
 * | INCOMPATIBLE_VERSION  | the header's major version is not 3 (also what garbage usually hits)        |
 * | BAD_HEADER            | the header's alignment is not a power of two                                |
 * | CORRUPT_DESCRIPTOR    | a descriptor's fields or var-length strings do not fit its frame            |
 * | UNKNOWN_RECORDING     | `describe` of a recording id the catalog does not hold                      |
 */
import { AeronError } from '../../../codecs/runtime/aeron-error.ts';

/** The codes of {@link CatalogError} (table in the module comment). */
export type CatalogErrorCode =
  | 'NO_ARCHIVE_DIR'
  | 'NO_CATALOG'
  | 'UNREADABLE'
  | 'TRUNCATED'
  | 'INCOMPATIBLE_VERSION'
  | 'BAD_HEADER'
  | 'CORRUPT_DESCRIPTOR'
  | 'UNKNOWN_RECORDING';

/**
 * A catalog the offline reader cannot use, or a recording it does not hold; `code` says which (module comment).
 * Raised by the CLI's `recordings --archive-dir` and `describe-recording` only: no entry point exports it.
 */
export class CatalogError extends AeronError {
  /** Why the catalog could not be read: one of the {@link CatalogErrorCode} values. */
  declare readonly code: CatalogErrorCode;

  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: CatalogErrorCode, message: string) {
    super(code, message);
  }
}
