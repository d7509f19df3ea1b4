/**
 * `aeron-ts archive [properties files…] [-Dname=value…] [--with-driver]`: runs the TypeScript archive server in
 * this process until SIGINT or SIGTERM, like Java's `io.aeron.archive.Archive` main (on a running driver, TS or
 * Java) or, with `--with-driver`, Java's `io.aeron.archive.ArchivingMediaDriver` main (a TS media driver and the
 * archive on it, in this process).
 *
 * ```
 *  settings:  AERON_DIR and AERON_ARCHIVE_* (with --with-driver the driver's AERON_* too), then each argument in
 *             order: a properties file (Java syntax) or -Dname=value; a later value replaces an earlier one
 *             (src/archive-server/archive-properties.ts, src/driver/media-driver-properties.ts); --aeron-dir,
 *             when given, over all of them
 *  aeron dir: standalone: the driver's (none given: Java's default directory); --with-driver: the driver's
 *             directory as given, else an embedded one (fresh, deleted on close)
 *  ready:     prints the directories, archive id, control channels and pid (one JSON document with --json), and
 *             the aeron.* names nothing here reads ("ignored")
 *  SIGINT / SIGTERM: closes the archive (recordings stopped in the catalog, mark file terminated), then the
 *             driver it started; exit 0
 *  waiting:   standalone, for the driver up to the client's driver timeout; SIGINT/SIGTERM end the wait (exit 1)
 *  refused:   no driver (standalone), a dir held by a live archive or driver, a bad setting:
 *             `aeron-ts: <the typed error's message>`, exit 1
 * ```
 */
import type { Command } from 'commander';
import { Archive } from '../../archive-server/archive.ts';
import { archiveServerOptionsFromProperties } from '../../archive-server/archive-properties.ts';
import { ArchivingMediaDriver } from '../../archive-server/archiving-media-driver.ts';
import { Aeron } from '../../client/aeron.ts';
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

/** What the ready line / document says. */
interface ArchiveReady {
  readonly aeronDir: string;
  readonly archiveDir: string;
  readonly archiveId: number;
  readonly controlChannel: string | null;
  readonly controlStreamId: number;
  readonly localControlChannel: string;
  readonly localControlStreamId: number;
  readonly pid: number;
  readonly driver: { readonly threadingMode: string } | null;
  readonly ignored: readonly string[];
}

async function run(command: Command, context: CliContext, args: readonly string[]): Promise<void> {
  const flags = command.optsWithGlobals<{ aeronDir?: string; json?: boolean; withDriver?: boolean }>();
  const out = new Output(context.stdout, flags.json === true);
  for (const arg of args) {
    if (arg.startsWith('-') && !arg.startsWith('-D')) throw new CliError(`unknown option '${arg}'`);
  }
  const sets = args.map(propertySet);
  const archiveSettings = archiveServerOptionsFromProperties(sets, context.env);
  let archive: Archive;
  let archiving: ArchivingMediaDriver | null = null;
  let client: Aeron | null = null;
  let ignored: readonly string[] = archiveSettings.ignored;
  if (flags.withDriver === true) {
    const driverSettings = mediaDriverOptionsFromProperties(sets, context.env);
    ignored = archiveSettings.ignored.filter((name) => driverSettings.ignored.includes(name));
    const aeronDir = flags.aeronDir ?? driverSettings.options.aeronDir;
    archiving = await ArchivingMediaDriver.launch(
      {
        driver: aeronDir === undefined ? driverSettings.options : { ...driverSettings.options, aeronDir },
        archive: archiveSettings.options,
      },
      { signal: context.signal },
    );
    archive = archiving.archive;
  } else {
    const aeronDir = flags.aeronDir ?? archiveSettings.options.aeronDir ?? defaultAeronDir(context.env);
    // Our own client, connected with the command's signal (SIGINT/SIGTERM also end the wait for a driver).
    client = await Aeron.connect({ aeronDir, signal: context.signal });
    try {
      archive = await Archive.launch({ ...archiveSettings.options, aeronDir }, client, { signal: context.signal });
    } catch (e) {
      await client.close();
      throw e;
    }
  }
  try {
    const ctx = archive.context;
    const ready: ArchiveReady = {
      aeronDir: archive.aeron.context.aeronDir,
      archiveDir: ctx.archiveDir,
      archiveId: archive.archiveId,
      controlChannel: ctx.controlChannel,
      controlStreamId: ctx.controlStreamId,
      localControlChannel: ctx.localControlChannel,
      localControlStreamId: ctx.localControlStreamId,
      pid: process.pid,
      driver: archiving === null ? null : { threadingMode: archiving.driver.threadingMode },
      ignored,
    };
    if (out.json) out.document(ready);
    else {
      if (ignored.length > 0) out.line(`ignored (not read by this archive): ${ignored.join(', ')}`);
      if (ready.driver !== null) {
        out.line(
          `media driver ready: dir=${ready.aeronDir} pid=${ready.pid} threadingMode=${ready.driver.threadingMode}`,
        );
      }
      const control =
        ready.controlChannel === null ? 'none' : `${ready.controlChannel} stream ${ready.controlStreamId}`;
      out.line(
        `archive ready: dir=${ready.archiveDir} archiveId=${ready.archiveId} aeronDir=${ready.aeronDir} ` +
          `control=${control} localControl=${ready.localControlChannel} stream ${ready.localControlStreamId} ` +
          `pid=${ready.pid}`,
      );
    }
    await aborted(context.signal);
  } finally {
    if (archiving !== null) await archiving.close();
    else {
      try {
        await archive.close();
      } finally {
        await client?.close();
      }
    }
  }
  if (!out.json) out.line('Shutdown Archive...');
}

/** The `archive` command. */
export const archiveCommand: CliCommand = {
  name: 'archive',
  register(program, context) {
    program
      .command('archive')
      .description(
        'run the TypeScript archive until SIGINT/SIGTERM, on a running driver or --with-driver (Java property names and AERON_* env)',
      )
      .argument('[settings...]', 'properties files and -Dname=value settings, applied in order')
      .option('--with-driver', 'start a TypeScript media driver in this process too (Java ArchivingMediaDriver)')
      .allowUnknownOption(true)
      .addHelpText(
        'after',
        '\nExamples:\n  $ aeron-ts archive -Daeron.dir=/dev/shm/aeron-me -Daeron.archive.dir=/var/lib/aeron-archive\n' +
          '  $ aeron-ts archive --with-driver archive.properties -Daeron.archive.control.channel=aeron:udp?endpoint=localhost:8010\n' +
          '  $ AERON_ARCHIVE_DIR=/tmp/archive aeron-ts archive --with-driver',
      )
      .action(async (settings: string[], _options: unknown, command: Command) => {
        await run(command, context, settings);
      });
  },
};
