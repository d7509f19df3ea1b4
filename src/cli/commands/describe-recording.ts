/**
 * `aeron-ts describe-recording <id>`: every descriptor field of one recording, through the running archive
 * (`listRecording`), or with `--archive-dir <dir>` from its catalog (any state) plus the segment files
 * (`<id>-<segmentBasePosition>.rec`) the archive directory holds for it.
 */
import type { Command } from 'commander';
import { listSegmentFiles } from '../../archive/catalog/segment-files.ts';
import { withOneLineErrors } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { formatBytes, formatGrouped, formatKeyValues, formatTimestamp } from '../format.ts';
import { addRecordingSourceOptions, globalOptions, parseCount, type RecordingSourceFlags } from '../options.ts';
import { openRecordingSource, recordingJson } from '../recording-source.ts';

async function run(
  command: Command,
  context: CliContext,
  idText: string,
  options: RecordingSourceFlags,
): Promise<void> {
  const { out } = globalOptions(command, context);
  const recordingId = parseCount('recording id', idText);
  using opened = await openRecordingSource(command, context, options);
  const source = opened.source;
  const r = await withOneLineErrors(() => source.describeRecording(recordingId));
  const segments = options.archiveDir === undefined ? [] : listSegmentFiles(options.archiveDir, recordingId);
  if (out.json) {
    out.document({
      source: source.description,
      recording: recordingJson(r),
      ...(options.archiveDir === undefined
        ? {}
        : {
            segmentFiles: segments.map((s) => ({
              name: s.name,
              segmentBasePosition: s.segmentBasePosition,
              size: s.size,
            })),
          }),
    });
    return;
  }
  const active = r.stopPosition === -1;
  const lines = formatKeyValues([
    ['recording id', String(r.recordingId)],
    ['state', `${r.state ?? 'VALID'}${active ? ' (active: no stop position yet)' : ''}`],
    ['start position', formatGrouped(r.startPosition)],
    ['stop position', active ? '-1 (active)' : formatGrouped(r.stopPosition)],
    ['recorded length', active ? '-' : `${formatGrouped(r.stopPosition - r.startPosition)} bytes`],
    ['start timestamp', `${formatTimestamp(r.startTimestamp)} (${r.startTimestamp})`],
    ['stop timestamp', `${formatTimestamp(r.stopTimestamp)} (${r.stopTimestamp})`],
    ['initial term id', String(r.initialTermId)],
    ['segment file length', `${formatGrouped(r.segmentFileLength)} (${formatBytes(r.segmentFileLength)})`],
    ['term buffer length', `${formatGrouped(r.termBufferLength)} (${formatBytes(r.termBufferLength)})`],
    ['mtu length', String(r.mtuLength)],
    ['session id', String(r.sessionId)],
    ['stream id', String(r.streamId)],
    ['stripped channel', r.strippedChannel],
    ['original channel', r.originalChannel],
    ['source identity', r.sourceIdentity],
    // Online, these are the listing request's own session and correlation ids: only the catalog's are shown.
    ...(options.archiveDir === undefined
      ? []
      : [
          ['control session id', String(r.controlSessionId)] as const,
          ['correlation id', String(r.correlationId)] as const,
        ]),
    ...(r.checksum === undefined ? [] : [['checksum', String(r.checksum)] as const]),
  ]);
  if (options.archiveDir !== undefined) lines.push('', `${segments.length} segment files:`);
  for (const s of segments) {
    lines.push(`  ${s.name}  base ${formatGrouped(s.segmentBasePosition)}  ${formatGrouped(s.size)} bytes`);
  }
  out.lines(lines);
}

/**
 * `aeron-ts describe-recording <recordingId>`: every field of one recording, through the running archive or from its
 * catalog (`--archive-dir`).
 */
export const describeRecordingCommand: CliCommand = {
  name: 'describe-recording',
  register(program, context) {
    addRecordingSourceOptions(
      program
        .command('describe-recording')
        .description('every field of one recording, through the running archive or from its catalog (--archive-dir)')
        .argument('<recordingId>', 'the recording id'),
      'read the catalog and segment files in this archive directory instead of asking the running archive',
    )
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ aeron-ts describe-recording 3',
          '  $ aeron-ts describe-recording 3 --archive-dir /var/lib/aeron-archive',
        ].join('\n'),
      )
      .action((idText: string, options: RecordingSourceFlags, command: Command) =>
        run(command, context, idText, options),
      );
  },
};
