/**
 * `aeron-ts errors`: the distinct error log of the driver's `cnc.dat` (ErrorStat), or of an archive's mark
 * file with `--archive-dir`. Works on a dead driver's files too (post mortem).
 */
import type { Command } from 'commander';
import { type AtomicBuffer, type ErrorObservation, readErrorLog } from '../../transport/index.ts';
import { openArchiveMarkErrors } from '../archive-mark-file.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { openDriverCnc } from '../driver-cnc.ts';
import { formatTimestamp } from '../format.ts';
import { globalOptions, parseCount } from '../options.ts';

interface ErrorsOptions {
  readonly archiveDir?: string;
  readonly since?: string;
}

function report(
  command: Command,
  context: CliContext,
  source: Record<string, unknown>,
  sourceText: string,
  errorLog: AtomicBuffer,
  sinceMs: number,
): void {
  const { out } = globalOptions(command, context);
  const errors: ErrorObservation[] = [];
  readErrorLog(errorLog, (o) => errors.push(o), sinceMs);
  if (out.json) {
    out.document({
      ...source,
      errorLogLength: errorLog.capacity,
      distinctErrors: errors.length,
      errors: errors.map((e) => ({
        observationCount: e.observationCount,
        firstObservationTimestampMs: e.firstObservationTimestamp,
        firstObservation: formatTimestamp(e.firstObservationTimestamp),
        lastObservationTimestampMs: e.lastObservationTimestamp,
        lastObservation: formatTimestamp(e.lastObservationTimestamp),
        encodedException: e.encodedException,
      })),
    });
    return;
  }
  const lines: string[] = [];
  for (const e of errors) {
    lines.push(
      '***',
      `${e.observationCount} observations from ${formatTimestamp(e.firstObservationTimestamp)} to ${formatTimestamp(e.lastObservationTimestamp)} for:`,
      ` ${e.encodedException.trimEnd()}`,
    );
  }
  lines.push('', `${errors.length} distinct errors observed in ${sourceText}.`);
  out.lines(lines);
}

function run(command: Command, context: CliContext, options: ErrorsOptions): void {
  const { aeronDir } = globalOptions(command, context);
  const sinceMs = options.since === undefined ? 0 : parseCount('--since', options.since);
  if (options.archiveDir !== undefined) {
    using mark = openArchiveMarkErrors(options.archiveDir);
    report(
      command,
      context,
      {
        source: 'archive',
        archiveDir: options.archiveDir,
        markFile: mark.path,
        pid: mark.pid,
        archiveId: mark.archiveId,
      },
      `the archive mark file ${mark.path} (archive id ${mark.archiveId}, pid ${mark.pid})`,
      mark.errorLog,
      sinceMs,
    );
    return;
  }
  using cnc = openDriverCnc(aeronDir);
  report(
    command,
    context,
    { source: 'driver', aeronDir, cncFile: cnc.cncPath, pid: cnc.header.pid },
    `${cnc.cncPath} (driver pid ${cnc.header.pid})`,
    cnc.regions.errorLog,
    sinceMs,
  );
}

/**
 * `aeron-ts errors`: the distinct error log of the driver's `cnc.dat`, or of an archive's mark file (`--archive-dir`).
 */
export const errorsCommand: CliCommand = {
  name: 'errors',
  register(program, context) {
    program
      .command('errors')
      .description("the distinct error log of the driver's cnc.dat, or of an archive's mark file")
      .option('--archive-dir <dir>', "read the archive's archive-mark.dat in this directory instead of cnc.dat")
      .option('--since <epochMs>', 'only errors last observed at or after this time (epoch ms)')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ aeron-ts errors',
          '  $ aeron-ts errors --archive-dir /var/lib/aeron-archive',
          '  $ aeron-ts errors --json',
        ].join('\n'),
      )
      .action((options: ErrorsOptions, command: Command) => run(command, context, options));
  },
};
