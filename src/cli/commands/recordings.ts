/**
 * `aeron-ts recordings`: the archive's recordings as Java's `listRecordings(from, count)` returns them (VALID
 * entries in id order), either through a running archive's control session (default: `--aeron-dir` driver,
 * archive options from `archive-connection.ts`) or offline from an archive directory's catalog
 * (`--archive-dir`). Both come through a `RecordingSource`, so the two print the same thing.
 */
import type { Command } from 'commander';
import { ArchiveRecordingSource } from '../../archive/catalog/archive-recording-source.ts';
import { CatalogError } from '../../archive/catalog/catalog-error.ts';
import {
  CatalogRecordingSource,
  type RecordingListing,
  type RecordingSource,
} from '../../archive/catalog/recording-source.ts';
import {
  type ArchiveConnection,
  type ArchiveConnectionFlags,
  addArchiveOptions,
  connectArchive,
  resolveArchiveEndpoint,
} from '../archive-connection.ts';
import { CliError, oneLine } from '../cli-error.ts';
import { type CliCommand, type CliContext, globalOptions, parseCount, parseInteger } from '../command.ts';
import { formatGrouped, formatTable, formatTimestamp } from '../format.ts';

interface RecordingsOptions extends ArchiveConnectionFlags {
  readonly archiveDir?: string;
  readonly from?: string;
  readonly count?: string;
  readonly stream?: string;
  readonly channel?: string;
}

/** A source and what to close after using it (the archive connection, for the online source). */
export interface OpenRecordingSource extends Disposable {
  /** Where recordings are read from: the catalog files, or the running archive. */
  readonly source: RecordingSource;
}

/**
 * The offline catalog source for `--archive-dir`, else the online source through the archive reached via
 * the driver at `aeronDir` (connecting may fail with a one-line `CliError`).
 */
export async function openRecordingSource(
  command: Command,
  context: CliContext,
  options: RecordingsOptions,
): Promise<OpenRecordingSource> {
  if (options.archiveDir !== undefined) {
    return { source: new CatalogRecordingSource(options.archiveDir), [Symbol.dispose]: () => {} };
  }
  const { aeronDir } = globalOptions(command, context);
  const endpoint = resolveArchiveEndpoint(options, context.env);
  const connection: ArchiveConnection = await connectArchive(aeronDir, endpoint, context.now(), context.signal);
  return {
    source: new ArchiveRecordingSource(connection.archive, connection.description),
    [Symbol.dispose]: () => connection.close(),
  };
}

/** Runs a source call, turning catalog and archive errors into one-line CLI errors. */
export async function fromSource<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof CatalogError) throw new CliError(e.message);
    throw new CliError(oneLine(e));
  }
}

/** Adds the options shared by `recordings` and `describe-recording`: `--archive-dir` or the archive's address. */
export function addSourceOptions(command: Command, archiveDirHelp: string): Command {
  return addArchiveOptions(command.option('--archive-dir <dir>', archiveDirHelp));
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
  using opened = await openRecordingSource(command, context, options);
  const source = opened.source;
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
    `${recordings.length} recording${recordings.length === 1 ? '' : 's'} in the ${source.description}.`,
  ]);
}

/**
 * `aeron-ts recordings`: the archive's recordings, through the running archive or from its catalog (`--archive-dir`).
 */
export const recordingsCommand: CliCommand = {
  name: 'recordings',
  register(program, context) {
    addSourceOptions(
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
