/**
 * Fresh, uniquely named directories for test drivers, archives and clients.
 *
 * Names look like `aeron-ts-test-<pid>-<random>` so a leftover can be traced to the process that made
 * it. Aeron directories go to /dev/shm when it exists and has room (as Aeron itself does on Linux);
 * otherwise, and for archive directories (recordings are written to files), to `os.tmpdir()`.
 *
 * Every directory made here is remembered in `createdDirs()` until `removeDir()` removes it, so suites
 * can prove they leave nothing behind (see `processes.ts`).
 */
import { existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Prefix of every directory made here; the pid follows, then random characters. */
export const TEST_DIR_PREFIX = 'aeron-ts-test-';

/** A driver maps about 50 MiB of CnC plus 16-64 MiB per log buffer: below this, /dev/shm is too small. */
const MIN_SHM_FREE_BYTES = 1024 * 1024 * 1024;

const created = new Set<string>();

let cachedSharedMemoryBase: string | undefined;

/** The base directory for Aeron directories: /dev/shm when it exists with at least 1 GiB free, else tmpdir. */
export function aeronDirBase(): string {
  if (cachedSharedMemoryBase !== undefined) return cachedSharedMemoryBase;
  let base = tmpdir();
  if (existsSync('/dev/shm')) {
    try {
      const stats = statfsSync('/dev/shm');
      if (stats.bavail * stats.bsize >= MIN_SHM_FREE_BYTES) base = '/dev/shm';
    } catch {
      // statfs unsupported: stay on tmpdir.
    }
  }
  cachedSharedMemoryBase = base;
  return base;
}

/** Creates a fresh directory `<base>/aeron-ts-test-<pid>-<role>-XXXXXX` and records it. */
export function makeTestDir(role: string, base: string = tmpdir()): string {
  const dir = mkdtempSync(join(base, `${TEST_DIR_PREFIX}${process.pid}-${role}-`));
  created.add(dir);
  return dir;
}

/** A fresh directory for a media driver's `aeron.dir`. */
export function makeAeronDir(): string {
  return makeTestDir('driver', aeronDirBase());
}

/** A fresh directory for an archive's `aeron.archive.dir`. */
export function makeArchiveDir(): string {
  return makeTestDir('archive', tmpdir());
}

/** Removes a directory (recursively, ignoring absence) and forgets it. Synchronous: usable on exit. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  created.delete(dir);
}

/** Directories made by this process that have not been removed through `removeDir`. */
export function createdDirs(): readonly string[] {
  return [...created];
}
