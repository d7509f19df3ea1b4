/**
 * The command-line options more than one command takes, each block declared once (`add…Options`) with the
 * function that reads it, and the parsers of option values. A command's own options stay in its file.
 *
 * | block                         | options                                                          | taken by |
 * |-------------------------------|------------------------------------------------------------------|----------|
 * | global ({@link addGlobalOptions}) | `-d, --aeron-dir`, `--json`                                   | every command (before or after its name) |
 * | liveness ({@link addLivenessOptions}) | `--driver-timeout`, `--allow-dead`                        | `describe`, `stat`, `streams` |
 * | archive ({@link addArchiveOptions}) | `--control-channel`, `--control-stream`, `--response-channel` | `recordings`, `describe-recording`, `replay` |
 * | recording source ({@link addRecordingSourceOptions}) | `--archive-dir` and the archive block | `recordings`, `describe-recording` |
 *
 * The archive block, resolved by {@link resolveArchiveEndpoint}: option, then environment, then default.
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
 */
import type { Command } from 'commander';
import { ArchiveDefaults } from '../archive/archive-context.ts';
import { resolveAeronDir } from './aeron-dir.ts';
import { CliError } from './cli-error.ts';
import type { CliContext } from './command.ts';
import { DEFAULT_DRIVER_TIMEOUT_MS, type LivenessPolicy } from './driver-cnc.ts';
import { Output } from './output.ts';

/** Parses a non-negative integer option value, or throws a one-line `CliError`. */
export function parseCount(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new CliError(`${name} must be a non-negative integer, got '${text}'`);
  }
  return value;
}

/** Parses a (possibly negative) integer option value, or throws a one-line `CliError`. */
export function parseInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new CliError(`${name} must be an integer, got '${text}'`);
  }
  return value;
}

/** Adds the program-wide `-d, --aeron-dir <dir>` and `--json` to the program. */
export function addGlobalOptions(program: Command): Command {
  return program
    .option('-d, --aeron-dir <dir>', 'the media driver directory (default: $AERON_DIR or /dev/shm/aeron-<user>)')
    .option('--json', 'machine-readable output: one JSON document (JSON lines for live commands)');
}

/** The program-wide options, resolved. */
export interface GlobalOptions {
  /** The Aeron directory: `--aeron-dir`, else `$AERON_DIR`, else the platform default. */
  readonly aeronDir: string;
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** The output to write results through, in text or JSON as `json` says. */
  readonly out: Output;
}

/** Reads `--aeron-dir` and `--json` (wherever they were given) and builds the output. */
export function globalOptions(command: Command, context: CliContext): GlobalOptions {
  const opts = command.optsWithGlobals<{ aeronDir?: string; json?: boolean }>();
  const json = opts.json === true;
  return { aeronDir: resolveAeronDir(opts.aeronDir, context.env), json, out: new Output(context.stdout, json) };
}

/** The options `addLivenessOptions` adds, as commander hands them over. */
export interface LivenessFlags {
  /** `--driver-timeout <ms>`, as typed (default `10000`). */
  readonly driverTimeout: string;
  /** `--allow-dead`. */
  readonly allowDead?: boolean;
}

/**
 * Adds `--driver-timeout <ms>` and `--allow-dead` to `command`.
 *
 * @param allowDeadHelp what `--allow-dead` does for this command, as its help says.
 */
export function addLivenessOptions(
  command: Command,
  allowDeadHelp = 'read the counters even when the driver is not alive (post mortem)',
): Command {
  return command
    .option(
      '--driver-timeout <ms>',
      'heartbeat age beyond which the driver counts as dead',
      String(DEFAULT_DRIVER_TIMEOUT_MS),
    )
    .option('--allow-dead', allowDeadHelp);
}

/**
 * Reads the liveness options.
 *
 * @throws CliError (exit 1) when `--driver-timeout` is not a non-negative integer.
 */
export function livenessPolicy(flags: LivenessFlags): LivenessPolicy {
  return {
    driverTimeoutMs: parseCount('--driver-timeout', flags.driverTimeout),
    allowDead: flags.allowDead === true,
  };
}

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
 * Options, then environment, then defaults (see the module comment).
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

/** The options `addRecordingSourceOptions` adds, as commander hands them over. */
export interface RecordingSourceFlags extends ArchiveConnectionFlags {
  /** `--archive-dir <dir>`: read the archive directory offline instead of asking the running archive. */
  readonly archiveDir?: string;
}

/**
 * Adds `--archive-dir <dir>` and the archive block to `command`: where a command reads recordings from.
 *
 * @param archiveDirHelp what `--archive-dir` reads for this command, as its help says.
 */
export function addRecordingSourceOptions(command: Command, archiveDirHelp: string): Command {
  return addArchiveOptions(command.option('--archive-dir <dir>', archiveDirHelp));
}
