/** `aeron-ts loss`: the driver's loss report, `<aeron dir>/loss-report.dat` (LossStat). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AtomicBuffer, type LossReportEntry, readLossReport } from '../../transport/index.ts';
import { CliError } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { requireDriverDir } from '../driver-cnc.ts';
import { formatGrouped, formatTable, formatTimestamp } from '../format.ts';
import { mapReadOnly } from '../map-read-only.ts';
import { globalOptions } from '../options.ts';

/** Name of the loss report in the Aeron directory. Java: `LossReportUtil.LOSS_REPORT_FILE_NAME`. */
export const LOSS_REPORT_FILE = 'loss-report.dat';

function run(command: Command, context: CliContext): void {
  const { aeronDir, out } = globalOptions(command, context);
  const path = join(aeronDir, LOSS_REPORT_FILE);
  requireDriverDir(aeronDir);
  if (!existsSync(path)) {
    throw new CliError(
      `no loss report at ${path} (expected the ${LOSS_REPORT_FILE} a media driver creates in its aeron.dir)`,
    );
  }
  using file = mapReadOnly(path);
  const entries: LossReportEntry[] = [];
  readLossReport(new AtomicBuffer(file.buffer), (e) => entries.push(e));
  if (out.json) {
    out.document({
      aeronDir,
      lossReportFile: path,
      entries: entries.map((e) => ({
        ...e,
        firstObservation: formatTimestamp(e.firstObservationTimestamp),
        lastObservation: formatTimestamp(e.lastObservationTimestamp),
      })),
    });
    return;
  }
  if (entries.length === 0) {
    out.line(`no loss observed (${path})`);
    return;
  }
  const rows = [
    ['observations', 'bytes lost', 'first', 'last', 'session', 'stream', 'channel', 'source'],
    ...entries.map((e) => [
      formatGrouped(e.observationCount),
      formatGrouped(e.totalBytesLost),
      formatTimestamp(e.firstObservationTimestamp),
      formatTimestamp(e.lastObservationTimestamp),
      String(e.sessionId),
      String(e.streamId),
      e.channel,
      e.source,
    ]),
  ];
  out.lines(formatTable(rows, ['right', 'right', 'left', 'left', 'right', 'right']));
  out.line(`${entries.length} loss entries in ${path}`);
}

/** `aeron-ts loss`: the driver's loss report (`loss-report.dat`), streams that lost data and how much. */
export const lossCommand: CliCommand = {
  name: 'loss',
  register(program, context) {
    program
      .command('loss')
      .description("the driver's loss report (loss-report.dat): streams that lost data and how much")
      .addHelpText('after', '\nExamples:\n  $ aeron-ts loss\n  $ aeron-ts loss --aeron-dir /dev/shm/aeron-me --json')
      .action((_options: unknown, command: Command) => run(command, context));
  },
};
