/**
 * The command registry's contract. Each command lives in `commands/<name>.ts` and exports a `CliCommand`
 * that adds itself to the commander program; `commands/index.ts` lists them in help order. The options
 * several commands share are declared once, in `options.ts`.
 */
import type { Command } from 'commander';
import type { TextSink } from './output.ts';

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
