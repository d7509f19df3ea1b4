/**
 * The command registry's contract. Each command lives in `commands/<name>.ts` and exports a `CliCommand`
 * that adds itself to the commander program; `commands/index.ts` lists them in help order. Later commands
 * (`recordings`, `describe-recording`, `tail`, `replay`) plug in the same way.
 */
import type { Command } from 'commander';
import { resolveAeronDir } from './aeron-dir.ts';
import { CliError } from './cli-error.ts';
import { Output, type TextSink } from './output.ts';

/** What commands get from `main.ts` instead of reaching for globals. */
export interface CliContext {
  /** Where results go (standard output, or a test's capture). */
  readonly stdout: TextSink;
  /** The environment (`AERON_DIR`, `AERON_ARCHIVE_*`). */
  readonly env: NodeJS.ProcessEnv;
  /** Epoch milliseconds. */
  now(): number;
  /** Aborted on SIGINT/SIGTERM: live commands stop and exit 0. */
  readonly signal: AbortSignal;
  /** Whether stdout is a terminal (live commands then redraw the screen). */
  readonly isTty: boolean;
}

/** One command of the CLI, as `commands/index.ts` lists it. */
export interface CliCommand {
  /** The command's name on the command line (`stat`, `describe-recording`, …). */
  readonly name: string;
  /** Adds the command, its arguments, options and action to `program`. */
  register(program: Command, context: CliContext): void;
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

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
