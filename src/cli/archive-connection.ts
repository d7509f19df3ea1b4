/**
 * How the CLI's online commands reach a running media driver and archive.
 *
 * Options (each command that talks to an archive adds them with `addArchiveOptions`):
 *
 * | option               | environment                               | default                              |
 * |----------------------|-------------------------------------------|--------------------------------------|
 * | `--control-channel`  | `AERON_ARCHIVE_CONTROL_CHANNEL`           | `aeron:ipc?term-length=64k` (local)  |
 * | `--control-stream`   | `AERON_ARCHIVE_CONTROL_STREAM_ID`         | 10                                   |
 * | `--response-channel` | `AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL`  | `aeron:ipc?term-length=64k`          |
 * | (none)               | `AERON_ARCHIVE_CONTROL_RESPONSE_STREAM_ID`| 20                                   |
 *
 * The environment names are those of Aeron's `aeron.archive.*` properties (upper case, dots as underscores,
 * as the C client reads them). Java has no default control channel; the CLI defaults to the archive's local
 * control channel (`aeron.archive.local.control.channel`, on by default), which any archive on the same
 * driver answers.
 *
 * Failures are one `CliError` line: no driver / dead driver exit 2 (checked on the CnC file first, so it is
 * immediate rather than a driver timeout), anything else exit 1.
 */
import type { Command } from 'commander';
import { AeronArchive } from '../archive/aeron-archive.ts';
import { ArchiveDefaults } from '../archive/archive-context.ts';
import { ArchiveError } from '../archive/archive-error.ts';
import { Aeron } from '../client/aeron.ts';
import { DriverTimeoutError } from '../client/errors.ts';
import { CliError, EXIT_NO_DRIVER, oneLine } from './cli-error.ts';
import { parseInteger } from './command.ts';
import { assessLiveness, DEFAULT_DRIVER_TIMEOUT_MS, openDriverCnc } from './driver-cnc.ts';

/** The options `addArchiveOptions` adds, as commander hands them over. */
export interface ArchiveConnectionFlags {
  /** `--control-channel <uri>`. */
  readonly controlChannel?: string;
  /** `--control-stream <id>`, as typed (parsed by `resolveArchiveEndpoint`). */
  readonly controlStream?: string;
  /** `--response-channel <uri>`. */
  readonly responseChannel?: string;
}

/** Where the archive's control session is, resolved. */
export interface ArchiveEndpoint {
  /** The archive's control request channel. */
  readonly controlChannel: string;
  /** The archive's control request stream id (default 10). */
  readonly controlStreamId: number;
  /** The channel the archive's responses come back on. */
  readonly responseChannel: string;
  /** The stream id the archive's responses come back on (default 20). */
  readonly responseStreamId: number;
}

/** Adds `--control-channel`, `--control-stream` and `--response-channel` to `command`. */
export function addArchiveOptions(command: Command): Command {
  return command
    .option(
      '--control-channel <uri>',
      `archive control request channel (default: $AERON_ARCHIVE_CONTROL_CHANNEL or ${ArchiveDefaults.LOCAL_CONTROL_CHANNEL})`,
    )
    .option(
      '--control-stream <id>',
      `archive control request stream id (default: $AERON_ARCHIVE_CONTROL_STREAM_ID or ${ArchiveDefaults.CONTROL_STREAM_ID})`,
    )
    .option(
      '--response-channel <uri>',
      `archive control response channel (default: $AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL or ${ArchiveDefaults.LOCAL_CONTROL_CHANNEL})`,
    );
}

function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Options, then environment, then defaults (see the table above).
 *
 * @throws CliError (exit 1) when a stream id is not an integer.
 */
export function resolveArchiveEndpoint(flags: ArchiveConnectionFlags, env: NodeJS.ProcessEnv): ArchiveEndpoint {
  const controlStreamText = flags.controlStream ?? fromEnv(env, 'AERON_ARCHIVE_CONTROL_STREAM_ID');
  const responseStreamText = fromEnv(env, 'AERON_ARCHIVE_CONTROL_RESPONSE_STREAM_ID');
  return {
    controlChannel:
      flags.controlChannel ?? fromEnv(env, 'AERON_ARCHIVE_CONTROL_CHANNEL') ?? ArchiveDefaults.LOCAL_CONTROL_CHANNEL,
    controlStreamId:
      controlStreamText === undefined
        ? ArchiveDefaults.CONTROL_STREAM_ID
        : parseInteger('--control-stream', controlStreamText),
    responseChannel:
      flags.responseChannel ??
      fromEnv(env, 'AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL') ??
      ArchiveDefaults.LOCAL_CONTROL_CHANNEL,
    responseStreamId:
      responseStreamText === undefined
        ? ArchiveDefaults.CONTROL_RESPONSE_STREAM_ID
        : parseInteger('AERON_ARCHIVE_CONTROL_RESPONSE_STREAM_ID', responseStreamText),
  };
}

/** Throws the exit-2 line unless a live media driver owns `aeronDir` (no waiting for a driver timeout). */
export function requireLiveDriver(aeronDir: string, nowMs: number): void {
  using cnc = openDriverCnc(aeronDir);
  const liveness = assessLiveness(cnc.heartbeatMs(), nowMs, DEFAULT_DRIVER_TIMEOUT_MS);
  if (!liveness.alive) {
    throw new CliError(`media driver at ${aeronDir} (pid ${cnc.header.pid}) is ${liveness.reason}`, EXIT_NO_DRIVER);
  }
}

/** Connects an Aeron client to the live driver at `aeronDir`; one-line errors. */
export async function connectAeron(aeronDir: string, nowMs: number): Promise<Aeron> {
  requireLiveDriver(aeronDir, nowMs);
  try {
    return await Aeron.connect({ aeronDir, clientName: 'aeron-ts-cli' });
  } catch (e) {
    if (e instanceof DriverTimeoutError) {
      throw new CliError(`no media driver at ${aeronDir}: ${oneLine(e)}`, EXIT_NO_DRIVER);
    }
    throw new CliError(`cannot connect to the media driver at ${aeronDir}: ${oneLine(e)}`);
  }
}

/** An Aeron client and an archive client over it; `close()` closes both. */
export interface ArchiveConnection extends Disposable {
  /** The Aeron client, connected to the driver. */
  readonly aeron: Aeron;
  /** The archive client, connected over `aeron`. */
  readonly archive: AeronArchive;
  /** Where the archive was reached. */
  readonly endpoint: ArchiveEndpoint;
  /** e.g. `archive 0 via aeron:ipc?term-length=64k stream 10`. */
  readonly description: string;
  /** Closes the archive client, then the Aeron client (also what `[Symbol.dispose]` does). */
  close(): void;
}

/** Connects to the archive at `endpoint` through the driver at `aeronDir`; one-line errors. */
export async function connectArchive(
  aeronDir: string,
  endpoint: ArchiveEndpoint,
  nowMs: number,
  signal?: AbortSignal,
): Promise<ArchiveConnection> {
  const aeron = await connectAeron(aeronDir, nowMs);
  let archive: AeronArchive;
  try {
    archive = await AeronArchive.connect(
      {
        aeron,
        controlRequestChannel: endpoint.controlChannel,
        controlRequestStreamId: endpoint.controlStreamId,
        controlResponseChannel: endpoint.responseChannel,
        controlResponseStreamId: endpoint.responseStreamId,
        clientName: 'aeron-ts-cli',
      },
      signal === undefined ? {} : { signal },
    );
  } catch (e) {
    aeron.close();
    const where = `${endpoint.controlChannel} stream ${endpoint.controlStreamId}`;
    if (e instanceof ArchiveError) throw new CliError(`cannot connect to the archive on ${where}: ${oneLine(e)}`);
    throw new CliError(`cannot connect to the archive on ${where}: ${oneLine(e)}`);
  }
  const close = (): void => {
    archive.close();
    aeron.close();
  };
  return {
    aeron,
    archive,
    endpoint,
    description: `archive ${archive.archiveId} via ${endpoint.controlChannel} stream ${endpoint.controlStreamId}`,
    close,
    [Symbol.dispose]: close,
  };
}

/** Turns archive errors of a call into one-line CLI errors (exit 1). */
export async function archiveCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${what}: ${oneLine(e)}`);
  }
}
