/**
 * `aeron-ts`: one Node CLI for what Aeron users otherwise do with AeronStat, ErrorStat, LossStat,
 * StreamStat, BacklogStat and LogInspector, reading the media driver's shared-memory files directly (no JVM).
 *
 * `runCli` is the whole program and touches no globals except through `CliIo`, so tests can run it in
 * process; `main` wires it to the real process (stdout, env, signals, exit code). Exit codes: 0 success,
 * 1 error (bad arguments, unreadable file), 2 no driver / driver not alive. Errors are one line on stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_ERROR, EXIT_OK, oneLine } from './cli-error.ts';
import type { CliContext } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { addGlobalOptions } from './options.ts';
import type { TextSink } from './output.ts';

/** The process-facing side of the CLI. */
export interface CliIo {
  /** Where results and help go. */
  readonly stdout: TextSink;
  /** Where the one-line errors go. */
  readonly stderr: TextSink;
  /** The environment (`AERON_DIR`, `AERON_ARCHIVE_*`). */
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (live commands then redraw the screen). */
  readonly isTty: boolean;
  /** Aborted on SIGINT/SIGTERM: live commands stop and exit 0. */
  readonly signal: AbortSignal;
  /** The clock, epoch ms; default `Date.now`. */
  now?(): number;
}

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'aeron-ts' && pkg.version !== undefined) return pkg.version;
      } catch {
        // not ours
      }
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const EXAMPLES = `
The Aeron directory is --aeron-dir, else $AERON_DIR, else /dev/shm/aeron-<user> (as the Java client).
Every command takes --json (one JSON document; JSON lines for live commands).
Exit codes: 0 ok, 1 error, 2 no media driver or driver not alive.

Examples:
  $ aeron-ts describe                       is the driver alive? CnC version, pid, buffer sizes
  $ aeron-ts stat --once                    all counters once (like AeronStat watch=false)
  $ aeron-ts streams                        positions, limits and lag per channel/stream
  $ aeron-ts errors                         the driver's distinct error log
  $ aeron-ts errors --archive-dir ./archive the archive's error log
  $ aeron-ts loss                           the loss report
  $ aeron-ts dump-log <dir>/publications/42.logbuffer --limit 20
  $ aeron-ts recordings                     recordings through the archive (local IPC control channel)
  $ aeron-ts recordings --archive-dir ./archive   the same, offline from the catalog
  $ aeron-ts describe-recording 0           every field of one recording
  $ aeron-ts tail aeron:ipc 1001 --count 10 print messages as they arrive
  $ aeron-ts replay 0 --to out.bin          replay a recording's payloads to a file (or stdout when piped)
  $ aeron-ts driver -Daeron.dir=/dev/shm/aeron-me   run the TypeScript media driver until Ctrl-C
  $ aeron-ts --aeron-dir /tmp/aeron-x stat --json`;

/** Builds the commander program for one run. */
export function buildProgram(context: CliContext, io: CliIo): Command {
  const program = addGlobalOptions(
    new Command('aeron-ts')
      .description(
        'Inspect a running Aeron media driver and archive: counters, streams, errors, loss, log buffers, recordings.',
      )
      .version(packageVersion(), '-V, --version'),
  )
    .showHelpAfterError('(run aeron-ts --help for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.enablePositionalOptions(false);
  for (const command of COMMANDS) command.register(program, context);
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  }
  return program;
}

/** Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context: CliContext = {
    stdout: io.stdout,
    env: io.env,
    isTty: io.isTty,
    signal: io.signal,
    now: io.now ?? (() => Date.now()),
  };
  const program = buildProgram(context, io);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (or the help / version).
      return e.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (e instanceof CliError) {
      io.stderr.write(`aeron-ts: ${oneLine(e)}\n`);
      return e.exitCode;
    }
    io.stderr.write(`aeron-ts: ${oneLine(e)}\n`);
    return EXIT_ERROR;
  }
}

/** Runs the CLI on this process: `process.argv`, stdout/stderr, SIGINT/SIGTERM stop live commands. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head`): stop quietly.
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
    throw e;
  });
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTty: process.stdout.isTTY === true,
    signal: abort.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) await main();
