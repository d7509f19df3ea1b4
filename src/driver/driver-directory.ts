/**
 * The Aeron directory at driver start (Aeron 1.51.0 `MediaDriver.ensureDirectoryIsRecreated`,
 * `CommonContext.isDriverActive`, `CommonContext.saveErrorLog`).
 *
 * ```
 *  dir exists?
 *   ├─ no  ─────────────────────────────────────────────────────────────────────► create it
 *   └─ yes ─ dirDeleteOnStart? ── yes ─────────────────────────────────────────► delete, create
 *                               └ no ── cnc.dat longer than 128 bytes?
 *                                        ├─ no ──────────────────────────────────► delete, create
 *                                        └─ yes ─ version 0 for driverTimeoutMs ─► CNC_NOT_INITIALISED
 *                                                 version incompatible ──────────► CncVersionError
 *                                                 heartbeat age <= driverTimeout ► ACTIVE_DRIVER
 *                                                 else (stale): save its errors to
 *                                                 <dir>-<time>-error.log, then ──► delete, create
 * ```
 *
 * As in Aeron, `dirDeleteOnStart` deletes without looking (even a live driver's directory), and a stale
 * directory is deleted without it. The wait for version 0 polls every millisecond on the event loop.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import {
  CNC_FILE,
  CNC_METADATA_LENGTH,
  checkCncVersion,
  cncRegions,
  readCncVersion,
  validateCnc,
} from '../transport/cnc-descriptor.ts';
import { hasErrors, readErrorLog } from '../transport/distinct-error-log-reader.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { MediaDriverError } from './driver-error.ts';

/** What `inspectCncFile` found in an existing `cnc.dat`. */
export interface CncInspection {
  /** True when its heartbeat is no older than the driver timeout. */
  readonly active: boolean;
  /** Age of its to-driver consumer heartbeat in ms (huge after a clean shutdown, which stores -1). */
  readonly heartbeatAgeMs: number;
  /** Its distinct error log as `ErrorStat` prints it, or '' when it has no errors. */
  readonly errorReport: string;
}

/**
 * Reads the `cnc.dat` in `aeronDir`, as `CommonContext.isDriverActive`: null when there is none or it is not
 * longer than its 128-byte header; otherwise waits up to `driverTimeoutMs` for a non-zero version, checks it,
 * and compares the heartbeat's age with `driverTimeoutMs`. Throws `MediaDriverError` (CNC_NOT_INITIALISED),
 * `CncVersionError` or `CncFormatError`.
 */
export async function inspectCncFile(
  aeronDir: string,
  driverTimeoutMs: number,
  epochClock: () => number = Date.now,
): Promise<CncInspection | null> {
  const path = join(aeronDir, CNC_FILE);
  if (!existsSync(path) || statSync(path).size <= CNC_METADATA_LENGTH) return null;
  const mapping = MappedFile.open(path, { expectedMinLength: CNC_METADATA_LENGTH + 1 });
  try {
    const cnc = new AtomicBuffer(mapping.buffer);
    const deadlineMs = epochClock() + driverTimeoutMs;
    while (readCncVersion(cnc) === 0) {
      if (epochClock() > deadlineMs) {
        throw new MediaDriverError('CNC_NOT_INITIALISED', `CnC file is created but not initialised: ${path}`);
      }
      await sleep(1);
    }
    checkCncVersion(readCncVersion(cnc));
    const regions = cncRegions(cnc, validateCnc(cnc));
    const heartbeatAgeMs = epochClock() - new ManyToOneRingBuffer(regions.toDriver).consumerHeartbeatTime();
    return {
      active: heartbeatAgeMs <= driverTimeoutMs,
      heartbeatAgeMs,
      errorReport: formatErrorLog(regions.errorLog),
    };
  } finally {
    mapping.close();
  }
}

/** True when `aeronDir` holds the `cnc.dat` of a live driver (see `inspectCncFile`). */
export async function isDriverActive(
  aeronDir: string,
  driverTimeoutMs: number,
  epochClock: () => number = Date.now,
): Promise<boolean> {
  return (await inspectCncFile(aeronDir, driverTimeoutMs, epochClock))?.active ?? false;
}

/** An error log as `ErrorStat` / `CommonContext.printErrorLog` print it ('' when empty). */
export function formatErrorLog(errorLog: AtomicBuffer): string {
  if (!hasErrors(errorLog)) return '';
  let text = '';
  const count = readErrorLog(errorLog, (o) => {
    const from = new Date(o.firstObservationTimestamp).toISOString();
    const to = new Date(o.lastObservationTimestamp).toISOString();
    text += `\n${o.observationCount} observations from ${from} to ${to} for:\n${o.encodedException}\n`;
  });
  return `${text}\n${count} distinct errors observed.\n`;
}

/** Where Aeron saves a stale directory's errors: `<dir>-<timestamp>-error.log` beside the directory. */
export function existingErrorsFileName(aeronDir: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  return `${aeronDir.replace(/\/+$/, '')}-${stamp}-error.log`;
}

/**
 * Makes `aeronDir` a fresh, empty directory following Aeron's rules (module comment). Returns the path of the
 * file the previous driver's errors were saved to, if any. Throws `MediaDriverError` (ACTIVE_DRIVER,
 * CNC_NOT_INITIALISED, DIRECTORY), `CncVersionError` or `CncFormatError`; on a throw nothing was deleted.
 */
export async function ensureDirectoryIsRecreated(
  aeronDir: string,
  dirDeleteOnStart: boolean,
  driverTimeoutMs: number,
  epochClock: () => number = Date.now,
): Promise<string | null> {
  let savedErrors: string | null = null;
  if (existsSync(aeronDir)) {
    if (!statSync(aeronDir).isDirectory()) {
      throw new MediaDriverError('DIRECTORY', `Aeron directory is not a directory: ${aeronDir}`);
    }
    if (!dirDeleteOnStart) {
      const inspection = await inspectCncFile(aeronDir, driverTimeoutMs, epochClock);
      if (inspection?.active) {
        throw new MediaDriverError('ACTIVE_DRIVER', `Active media driver detected: ${join(aeronDir, CNC_FILE)}`);
      }
      if (inspection !== null && inspection.errorReport !== '') {
        savedErrors = existingErrorsFileName(aeronDir, epochClock());
        writeFileSync(savedErrors, inspection.errorReport, 'ascii');
      }
    }
    deleteDirectory(aeronDir);
  }
  try {
    mkdirSync(aeronDir, { recursive: true });
  } catch (e) {
    throw new MediaDriverError('DIRECTORY', `cannot create Aeron directory ${aeronDir}`, { cause: e });
  }
  return savedErrors;
}

/** Removes `aeronDir` and everything in it (absence is fine). Throws `MediaDriverError` (DIRECTORY). */
export function deleteDirectory(aeronDir: string): void {
  try {
    rmSync(aeronDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
  } catch (e) {
    throw new MediaDriverError('DIRECTORY', `cannot delete Aeron directory ${aeronDir}`, { cause: e });
  }
}
