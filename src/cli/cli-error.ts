/**
 * The one error type the CLI reports: a single human-readable line and an exit code.
 *
 * Commands throw `CliError` for every expected failure (no driver, bad file, bad option value); `main.ts`
 * prints `aeron-ts: <message>` to stderr and exits with `exitCode`. Anything else is a bug and is reported
 * the same way, with exit code 1.
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** Success. */
export const EXIT_OK = 0;
/** A generic failure: bad arguments, unreadable or malformed file. */
export const EXIT_ERROR = 1;
/** No media driver: no CnC file where we looked, or the driver there is not alive. */
export const EXIT_NO_DRIVER = 2;

/** An expected CLI failure: `main` prints `aeron-ts: <message>` (one line) and exits with `exitCode`. */
export class CliError extends AeronError {
  /** Always `CLI_ERROR`. */
  declare readonly code: 'CLI_ERROR';
  /** The process exit code `main` ends with. */
  readonly exitCode: number;

  /**
   * @param message one line for the user.
   * @param exitCode the process exit code; default {@link EXIT_ERROR} (1).
   */
  constructor(message: string, exitCode: number = EXIT_ERROR) {
    super('CLI_ERROR', message);
    this.exitCode = exitCode;
  }
}

/** The first line of an error's message (the CLI never prints stack traces). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0] ?? '';
  return line.trim() === '' ? 'unknown error' : line.trim();
}

/**
 * Runs `call`, turning any failure but a `CliError` into a one-line `CliError` (exit 1), its line prefixed
 * with `what: ` when `what` is given.
 */
export async function withOneLineErrors<T>(call: () => Promise<T>, what?: string): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(what === undefined ? oneLine(e) : `${what}: ${oneLine(e)}`);
  }
}
