/**
 * Where `recordings` and `describe-recording` read recordings from: offline from an archive directory's
 * catalog (`--archive-dir`), else through the running archive (the archive options of `options.ts`). Both
 * come through a `RecordingSource`, so the two print the same thing; this module also gives the one JSON
 * form of a recording both commands print.
 */
import type { Command } from 'commander';
import { ArchiveRecordingSource } from '../archive/catalog/archive-recording-source.ts';
import {
  CatalogRecordingSource,
  type RecordingListing,
  type RecordingSource,
} from '../archive/catalog/recording-source.ts';
import { connectArchive } from './archive-connection.ts';
import type { CliContext } from './command.ts';
import { globalOptions, type RecordingSourceFlags, resolveArchiveEndpoint } from './options.ts';

/** A source and what to close after using it (the archive connection, for the online source). */
export interface OpenRecordingSource extends Disposable {
  /** Where recordings are read from: the catalog files, or the running archive. */
  readonly source: RecordingSource;
}

/**
 * The offline catalog source for `--archive-dir`, else the online source through the archive reached via
 * the driver in the Aeron directory (connecting may fail with a one-line `CliError`).
 */
export async function openRecordingSource(
  command: Command,
  context: CliContext,
  flags: RecordingSourceFlags,
): Promise<OpenRecordingSource> {
  if (flags.archiveDir !== undefined) {
    return { source: new CatalogRecordingSource(flags.archiveDir), [Symbol.dispose]: () => {} };
  }
  const { aeronDir } = globalOptions(command, context);
  const endpoint = resolveArchiveEndpoint(flags, context.env);
  const connection = await connectArchive(aeronDir, endpoint, context.now(), context.signal);
  return {
    source: new ArchiveRecordingSource(connection.archive, connection.description),
    [Symbol.dispose]: () => connection.close(),
  };
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
