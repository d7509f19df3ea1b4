/**
 * Maps a file read-only for the CLI (a private mapping: the CLI never writes to a driver's or an archive's
 * memory, and works without write permission), turning every failure into one `CliError` line.
 */
import { MappedFile, MappedFileError } from '../transport/index.ts';
import { CliError, oneLine } from './cli-error.ts';

/**
 * Maps `path` read-only.
 *
 * @param path the file to map.
 * @param emptyMessage the error line for a file too short to map (an empty file), instead of the generic one.
 * @throws CliError (exit 1) `cannot map <path>: <reason>` when the file cannot be mapped.
 */
export function mapReadOnly(path: string, emptyMessage?: string): MappedFile {
  try {
    return MappedFile.open(path, { readOnly: true });
  } catch (e) {
    if (emptyMessage !== undefined && e instanceof MappedFileError && e.code === 'TOO_SHORT') {
      throw new CliError(emptyMessage);
    }
    throw new CliError(`cannot map ${path}: ${oneLine(e)}`);
  }
}
