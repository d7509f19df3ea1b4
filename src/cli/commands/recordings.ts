/**
 * `aeron-ts recordings --archive-dir <dir>`: the archive's recordings, read offline from its catalog
 * (`archive.catalog`), as Java's `listRecordings(from, count)` returns them: VALID entries in id order.
 * The descriptors come from a `RecordingSource`; the online form (through a running archive) plugs in there.
 */
import type { Command } from 'commander';
import { CatalogError } from '../../archive/catalog/catalog-error.ts';
import {
  CatalogRecordingSource,
  type RecordingListing,
  type RecordingSource,
} from '../../archive/catalog/recording-source.ts';
import { CliError } from '../cli-error.ts';
import { type CliCommand, type CliContext, globalOptions, parseCount, parseInteger } from '../command.ts';
import { formatGrouped, formatTable, formatTimestamp } from '../format.ts';

interface RecordingsOptions {
  readonly archiveDir?: string;
  readonly from?: string;
  readonly count?: string;
  readonly stream?: string;
  readonly channel?: string;
}

/** The offline source for `--archive-dir`; the only source until the online form lands. */
export function recordingSourceFor(archiveDir: string | undefined): RecordingSource {
  if (archiveDir === undefined) {
    throw new CliError(
      'listing through a running archive is not supported yet: give --archive-dir <dir> to read its catalog',
    );
  }
  return new CatalogRecordingSource(archiveDir);
}

/** Runs a source call, turning catalog errors into one-line CLI errors. */
export async function fromSource<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof CatalogError) throw new CliError(e.message);
    throw e;
  }
}

/** A recording as JSON: every descriptor field, numbers as numbers. */
export function recordingJson(r: RecordingListing): Record<string, unknown> {
  return {
    recordingId: r.recordingId,
    state: r.state ?? 'VALID',
    active: r.stopPosition === -1,
    startTimestamp: r.startTimestamp,
    stopTimestamp: r.stopTimestamp,
    startPosition: r.startPosition,
    stopPosition: r.stopPosition,
    initialTermId: r.initialTermId,
    segmentFileLength: r.segmentFileLength,
    termBufferLength: r.termBufferLength,
    mtuLength: r.mtuLength,
    sessionId: r.sessionId,
    streamId: r.streamId,
    strippedChannel: r.strippedChannel,
    originalChannel: r.originalChannel,
    sourceIdentity: r.sourceIdentity,
    controlSessionId: r.controlSessionId,
    correlationId: r.correlationId,
    ...(r.checksum === undefined ? {} : { checksum: r.checksum }),
  };
}

async function run(command: Command, context: CliContext, options: RecordingsOptions): Promise<void> {
  const { out } = globalOptions(command, context);
  const fromRecordingId = options.from === undefined ? 0 : parseCount('--from', options.from);
  const recordCount = options.count === undefined ? Number.MAX_SAFE_INTEGER : parseCount('--count', options.count);
  const streamId = options.stream === undefined ? undefined : parseInteger('--stream', options.stream);
  const source = recordingSourceFor(options.archiveDir);
  const recordings = await fromSource(() =>
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
    `${recordings.length} recordings in the ${source.description}.`,
  ]);
}

export const recordingsCommand: CliCommand = {
  name: 'recordings',
  register(program, context) {
    program
      .command('recordings')
      .description("the archive's recordings, read from its catalog (--archive-dir)")
      .option('--archive-dir <dir>', 'read the catalog (archive.catalog) in this archive directory')
      .option('--from <id>', 'first recording id (default 0)')
      .option('--count <n>', 'at most this many recordings (default all)')
      .option('--stream <id>', 'only recordings of this stream id')
      .option('--channel <substring>', 'only recordings whose original channel contains this text')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ aeron-ts recordings --archive-dir /var/lib/aeron-archive',
          '  $ aeron-ts recordings --archive-dir ./archive --stream 1001 --json',
        ].join('\n'),
      )
      .action((options: RecordingsOptions, command: Command) => run(command, context, options));
  },
};
