/**
 * The CLI's one home for finding a media driver: the Aeron directory, its `cnc.dat` and whether the driver
 * that owns it is alive. Every command that needs a driver comes through here, so the one-line errors (and
 * their exit code 2) read the same everywhere.
 *
 * The CnC file is mapped read-only (`map-read-only.ts`). Every way this can fail becomes one `CliError` line
 * that says where we looked and what we expected.
 *
 * Liveness follows the Java client (`CommonContext.isDriverActive`): the driver stamps the to-driver ring
 * buffer's consumer heartbeat (epoch ms) every duty cycle; it is alive while that stamp is at most the
 * driver timeout old (default 10 s, `aeron.driver.timeout`).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AtomicBuffer,
  CNC_FILE,
  CNC_METADATA_LENGTH,
  type CncHeader,
  type CncRegions,
  CountersReader,
  cncRegions,
  ManyToOneRingBuffer,
  TransportError,
  validateCnc,
} from '../transport/index.ts';
import { CliError, EXIT_NO_DRIVER } from './cli-error.ts';
import { mapReadOnly } from './map-read-only.ts';

/** Default of `aeron.driver.timeout` (ms). */
export const DEFAULT_DRIVER_TIMEOUT_MS = 10_000;

/** A mapped, validated CnC file. Close it when done. */
export interface DriverCnc extends Disposable {
  /** The Aeron directory. */
  readonly aeronDir: string;
  /** Path of its `cnc.dat`. */
  readonly cncPath: string;
  /** Length of the file in bytes. */
  readonly fileLength: number;
  /** The validated header. */
  readonly header: CncHeader;
  /** Windows onto the five regions; valid until `close`. */
  readonly regions: CncRegions;
  /** A reader over the counters regions. */
  readonly counters: CountersReader;
  /** The driver's last heartbeat (epoch ms, volatile read of the to-driver ring's consumer heartbeat). */
  heartbeatMs(): number;
  /** Unmaps the file (also what `[Symbol.dispose]` does). */
  close(): void;
}

/** How a command treats the driver's liveness (`--driver-timeout`, `--allow-dead`). */
export interface LivenessPolicy {
  /** Heartbeat age (ms) beyond which the driver counts as dead. */
  readonly driverTimeoutMs: number;
  /** Whether the command goes on with a dead driver's files (post mortem). */
  readonly allowDead: boolean;
}

/** What `assessLiveness` found. */
export interface DriverLiveness {
  /** Whether the heartbeat is at most the driver timeout old. */
  readonly alive: boolean;
  /** Milliseconds since the last heartbeat, or null when the driver never stamped one. */
  readonly heartbeatAgeMs: number | null;
  /** Plain-language summary, e.g. `alive (heartbeat 120 ms ago)`. */
  readonly reason: string;
}

/**
 * Throws unless `aeronDir` is an existing directory.
 *
 * @throws CliError (exit 2) `no media driver at <dir>: the directory does not exist (…)`, or `<dir> is not a
 * directory (…)`.
 */
export function requireDriverDir(aeronDir: string): void {
  if (!existsSync(aeronDir)) {
    throw new CliError(
      `no media driver at ${aeronDir}: the directory does not exist (expected the aeron.dir of a running media driver; use --aeron-dir or AERON_DIR)`,
      EXIT_NO_DRIVER,
    );
  }
  if (!statSync(aeronDir).isDirectory()) {
    throw new CliError(`${aeronDir} is not a directory (expected the aeron.dir of a media driver)`, EXIT_NO_DRIVER);
  }
}

/** Maps and validates `<aeronDir>/cnc.dat`; throws `CliError` with one line on every failure. */
export function openDriverCnc(aeronDir: string): DriverCnc {
  const cncPath = join(aeronDir, CNC_FILE);
  requireDriverDir(aeronDir);
  if (!existsSync(cncPath)) {
    throw new CliError(
      `no media driver at ${aeronDir}: ${cncPath} does not exist (expected the CnC file a running media driver creates)`,
      EXIT_NO_DRIVER,
    );
  }
  const file = mapReadOnly(cncPath, `${cncPath} is empty: the driver has not initialised it (or it is not a CnC file)`);
  try {
    const buffer = new AtomicBuffer(file.buffer);
    if (buffer.capacity < CNC_METADATA_LENGTH) {
      throw new CliError(`${cncPath} is ${buffer.capacity} bytes, shorter than the 128-byte CnC header`);
    }
    const header = validateCnc(buffer);
    const regions = cncRegions(buffer, header);
    const counters = new CountersReader(regions.countersMetadata, regions.countersValues);
    const ring = new ManyToOneRingBuffer(regions.toDriver);
    return {
      aeronDir,
      cncPath,
      fileLength: file.length,
      header,
      regions,
      counters,
      heartbeatMs: () => ring.consumerHeartbeatTime(),
      close: () => file.close(),
      [Symbol.dispose]: () => file.close(),
    };
  } catch (e) {
    file.close();
    if (e instanceof CliError) throw e;
    if (e instanceof TransportError) throw new CliError(`${cncPath}: ${e.message}`);
    throw e;
  }
}

/** Judges liveness from a heartbeat stamp (see the module comment). */
export function assessLiveness(heartbeatMs: number, nowMs: number, driverTimeoutMs: number): DriverLiveness {
  if (heartbeatMs <= 0) {
    return {
      alive: false,
      heartbeatAgeMs: null,
      reason: heartbeatMs === 0 ? 'not alive (it never sent a heartbeat)' : 'not alive (it has shut down)',
    };
  }
  const age = nowMs - heartbeatMs;
  return age <= driverTimeoutMs
    ? { alive: true, heartbeatAgeMs: age, reason: `alive (heartbeat ${age} ms ago)` }
    : {
        alive: false,
        heartbeatAgeMs: age,
        reason: `not alive (last heartbeat ${age} ms ago, more than the ${driverTimeoutMs} ms driver timeout)`,
      };
}

/**
 * Opens the driver's CnC file and, unless `policy.allowDead`, requires the driver to be alive.
 *
 * @throws CliError from {@link openDriverCnc}, or {@link notAliveError} (exit 2) for a dead driver.
 */
export function openLiveCnc(aeronDir: string, nowMs: number, policy: LivenessPolicy): DriverCnc {
  const cnc = openDriverCnc(aeronDir);
  if (policy.allowDead) return cnc;
  const liveness = assessLiveness(cnc.heartbeatMs(), nowMs, policy.driverTimeoutMs);
  if (liveness.alive) return cnc;
  const error = notAliveError(cnc, liveness);
  cnc.close();
  throw error;
}

/**
 * Throws unless a live media driver owns `aeronDir` (default driver timeout), for commands that go on to
 * connect a client: checked on the CnC file, so the answer is immediate rather than a client's driver timeout.
 *
 * @throws CliError from {@link openDriverCnc}, or (exit 2) `media driver at <dir> (pid <pid>) is not alive (…)`.
 */
export function requireLiveDriver(aeronDir: string, nowMs: number): void {
  using cnc = openDriverCnc(aeronDir);
  const liveness = assessLiveness(cnc.heartbeatMs(), nowMs, DEFAULT_DRIVER_TIMEOUT_MS);
  if (!liveness.alive) throw notAlive(cnc, liveness, '');
}

/** The one-line "driver not alive" error (exit code 2) for a liveness found not alive, naming `--allow-dead`. */
export function notAliveError(cnc: DriverCnc, liveness: DriverLiveness): CliError {
  return notAlive(cnc, liveness, '; pass --allow-dead to read its files anyway');
}

function notAlive(cnc: DriverCnc, liveness: DriverLiveness, hint: string): CliError {
  return new CliError(
    `media driver at ${cnc.aeronDir} (pid ${cnc.header.pid}) is ${liveness.reason}${hint}`,
    EXIT_NO_DRIVER,
  );
}
