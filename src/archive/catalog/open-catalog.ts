/**
 * Opens `<archive dir>/archive.catalog` for reading.
 *
 * The file is mapped read-only (`MappedFile`, MAP_PRIVATE; we never write, so the mapping keeps seeing the
 * running archive's updates) rather than read into memory: a catalog can be up to 2 GiB and we only walk it.
 * The archive only ever grows its catalog, so a mapping of the length at open time stays valid; entries
 * appended after opening are not seen. A stop position being written while we read may be seen either
 * before or after the update (the CLI is a snapshot, not a synchronised reader).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MappedFile, MappedFileError } from '../../transport/index.ts';
import { CatalogError } from './catalog-error.ts';
import { CATALOG_FILE_NAME } from './catalog-layout.ts';
import { CatalogView } from './catalog-view.ts';

/** A catalog file mapped for reading; `close()` (or `using`) unmaps it. */
export interface OpenCatalog extends Disposable {
  /** The catalog file's path, `<archiveDir>/archive.catalog`. */
  readonly path: string;
  /** The catalog's contents, over the mapping (not to be used after `close()`). */
  readonly view: CatalogView;
  /** Unmaps the file. */
  close(): void;
}

/**
 * Maps `<archiveDir>/archive.catalog` read-only and validates its header. Throws `CatalogError`: NO_ARCHIVE_DIR,
 * NO_CATALOG, TRUNCATED (an empty or short file), UNREADABLE (cannot be mapped), INCOMPATIBLE_VERSION or
 * BAD_HEADER.
 */
export function openCatalog(archiveDir: string): OpenCatalog {
  if (!existsSync(archiveDir) || !statSync(archiveDir).isDirectory()) {
    throw new CatalogError('NO_ARCHIVE_DIR', `no archive at ${archiveDir}: the directory does not exist`);
  }
  const path = join(archiveDir, CATALOG_FILE_NAME);
  if (!existsSync(path)) {
    throw new CatalogError(
      'NO_CATALOG',
      `no catalog at ${path} (an archive creates ${CATALOG_FILE_NAME} in its directory)`,
    );
  }
  let file: MappedFile;
  try {
    file = MappedFile.open(path, { readOnly: true });
  } catch (e) {
    if (e instanceof MappedFileError && e.code === 'TOO_SHORT') {
      throw new CatalogError('TRUNCATED', `${path} is empty, shorter than a catalog header`);
    }
    throw new CatalogError('UNREADABLE', `cannot map ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const view = new CatalogView(new Uint8Array(file.buffer), path);
    return { path, view, close: () => file.close(), [Symbol.dispose]: () => file.close() };
  } catch (e) {
    file.close();
    throw e;
  }
}
