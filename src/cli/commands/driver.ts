/**
 * `aeron-ts driver [properties files…] [-Dname=value…]`: runs the TypeScript media driver in this process
 * until SIGINT or SIGTERM, like Java's `io.aeron.driver.MediaDriver` main and aeronmd.
 *
 * ```
 *  settings:  AERON_* environment variables, then each argument in order: a properties file (Java syntax) or
 *             -Dname=value; a later value replaces an earlier one (src/driver/media-driver-properties.ts);
 *             --aeron-dir, when given, over all of them; no aeron.dir at all: Java's default directory
 *  ready:     prints the directory, pid and threading mode (one JSON document with --json)
 *  SIGINT / SIGTERM: closes the driver (heartbeat -1, files unmapped, dir deleted if asked), exit 0
 *  refused:   a live driver's directory, a bad setting: `aeron-ts: <the typed error's message>`, exit 1
 * ```
 */
import type { Command } from 'commander';
import { MediaDriver } from '../../driver/media-driver.ts';
import type { MediaDriverOptions } from '../../driver/media-driver-context.ts';
import { mediaDriverOptionsFromProperties } from '../../driver/media-driver-properties.ts';
import { loadPropertiesFile } from '../../driver/properties-file.ts';
import { defaultAeronDir } from '../../transport/aeron-directory.ts';
import { CliError } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { Output } from '../output.ts';

/** `-Dname=value` → `{ name: value }`; anything else is a properties file. */
function propertySet(arg: string): Record<string, string> {
  if (!arg.startsWith('-D')) return loadPropertiesFile(arg);
  const assignment = arg.slice(2);
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw new CliError(`${arg}: expected -Dname=value`);
  return { [assignment.slice(0, equals)]: assignment.slice(equals + 1) };
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

async function run(command: Command, context: CliContext, args: readonly string[]): Promise<void> {
  const flags = command.optsWithGlobals<{ aeronDir?: string; json?: boolean }>();
  const out = new Output(context.stdout, flags.json === true);
  for (const arg of args) {
    if (arg.startsWith('-') && !arg.startsWith('-D')) throw new CliError(`unknown option '${arg}'`);
  }
  const { options, ignored } = mediaDriverOptionsFromProperties(args.map(propertySet), context.env);
  const aeronDir = flags.aeronDir ?? options.aeronDir ?? defaultAeronDir(context.env);
  const launchOptions: MediaDriverOptions = { ...options, aeronDir };
  const driver = await MediaDriver.launch(launchOptions, { signal: context.signal });
  try {
    const ready = { aeronDir: driver.aeronDir, pid: process.pid, threadingMode: driver.threadingMode, ignored };
    if (out.json) out.document(ready);
    else {
      if (ignored.length > 0) out.line(`ignored (not read by this driver): ${ignored.join(', ')}`);
      out.line(`media driver ready: dir=${ready.aeronDir} pid=${ready.pid} threadingMode=${ready.threadingMode}`);
    }
    await aborted(context.signal);
  } finally {
    await driver.close();
  }
  if (!out.json) out.line('Shutdown Driver...');
}

/** The `driver` command. */
export const driverCommand: CliCommand = {
  name: 'driver',
  register(program, context) {
    program
      .command('driver')
      .description('run the TypeScript media driver until SIGINT/SIGTERM (Java property names and AERON_* env)')
      .argument('[settings...]', 'properties files and -Dname=value settings, applied in order')
      .allowUnknownOption(true)
      .addHelpText(
        'after',
        '\nExamples:\n  $ aeron-ts driver\n  $ aeron-ts driver driver.properties -Daeron.dir=/dev/shm/aeron-me -Daeron.threading.mode=SHARED\n  $ AERON_DIR=/dev/shm/aeron-me aeron-ts driver',
      )
      .action(async (settings: string[], _options: unknown, command: Command) => {
        await run(command, context, settings);
      });
  },
};
