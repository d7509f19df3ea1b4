/**
 * `aeron-ts recordings`: the archive's recordings as Java's `listRecordings(from, count)` returns them (VALID
 * entries in id order), either through a running archive's control session (default: `--aeron-dir` driver,
 * archive options from `options.ts`) or offline from an archive directory's catalog (`--archive-dir`), both
 * through `recording-source.ts`.
 */
import type { Command } from 'commander';
import { withOneLineErrors } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { formatGrouped, formatTable, formatTimestamp } from '../format.ts';
import {
  addRecordingSourceOptions,
  globalOptions,
  parseCount,
  parseInteger,
  type RecordingSourceFlags,
} from '../options.ts';
import { openRecordingSource, recordingJson } from '../recording-source.ts';

interface RecordingsOptions extends RecordingSourceFlags {
  readonly from?: string;
  readonly count?: string;
  readonly stream?: string;
  readonly channel?: string;
}

async function run(command: Command, context: CliContext, options: RecordingsOptions): Promise<void> {
  const { out } = globalOptions(command, context);
  const fromRecordingId = options.from === undefined ? 0 : parseCount('--from', options.from);
  const recordCount = options.count === undefined ? Number.MAX_SAFE_INTEGER : parseCount('--count', options.count);
  const streamId = options.stream === undefined ? undefined : parseInteger('--stream', options.stream);
  using opened = await openRecordingSource(command, context, options);
  const source = opened.source;
  const recordings = await withOneLineErrors(() =>
    source.listRecordings({
      fromRecordingId,
      recordCount,
      ...(streamId === undefined ? {} : { streamId }),
      ...(options.channel === undefined ? {} : { channelFragment: options.channel }),
    }),
  );
  if (out.json) {
    out.document({ source: source.description, recordings: recordings.map(recordingJson) });
    return;
  }
  const rows: string[][] = [['id', 'stream', 'session', 'start', 'stop', 'started', 'stopped', 'channel']];
  for (const r of recordings) {
    rows.push([
      String(r.recordingId),
      String(r.streamId),
      String(r.sessionId),
      formatGrouped(r.startPosition),
      r.stopPosition === -1 ? 'active' : formatGrouped(r.stopPosition),
      formatTimestamp(r.startTimestamp),
      formatTimestamp(r.stopTimestamp),
      r.originalChannel,
    ]);
  }
  out.lines([
    ...formatTable(rows, ['right', 'right', 'right', 'right', 'right']),
    '',
    `${recordings.length} recording${recordings.length === 1 ? '' : 's'} in the ${source.description}.`,
  ]);
}

/**
 * `aeron-ts recordings`: the archive's recordings, through the running archive or from its catalog (`--archive-dir`).
 */
export const recordingsCommand: CliCommand = {
  name: 'recordings',
  register(program, context) {
    addRecordingSourceOptions(
      program
        .command('recordings')
        .description("the archive's recordings, through the running archive or from its catalog (--archive-dir)"),
      'read the catalog (archive.catalog) in this archive directory instead of asking the running archive',
    )
      .option('--from <id>', 'first recording id (default 0)')
      .option('--count <n>', 'at most this many recordings (default all)')
      .option('--stream <id>', 'only recordings of this stream id')
      .option('--channel <substring>', 'only recordings whose original channel contains this text')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ aeron-ts recordings                                   through the archive on the local driver',
          '  $ aeron-ts recordings --control-channel aeron:udp?endpoint=localhost:8010 --response-channel aeron:udp?endpoint=localhost:0',
          '  $ aeron-ts recordings --archive-dir /var/lib/aeron-archive',
          '  $ aeron-ts recordings --archive-dir ./archive --stream 1001 --json',
        ].join('\n'),
      )
      .action((options: RecordingsOptions, command: Command) => run(command, context, options));
  },
};
