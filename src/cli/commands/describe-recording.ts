/**
 * `aeron-ts describe-recording <id> --archive-dir <dir>`: every catalog field of one recording (any state),
 * and the segment files (`<id>-<segmentBasePosition>.rec`) the archive directory holds for it.
 */
import type { Command } from 'commander';
import { listSegmentFiles } from '../../archive/catalog/segment-files.ts';
import { type CliCommand, type CliContext, globalOptions, parseCount } from '../command.ts';
import { formatBytes, formatGrouped, formatKeyValues, formatTimestamp } from '../format.ts';
import { fromSource, recordingJson, recordingSourceFor } from './recordings.ts';

interface DescribeRecordingOptions {
  readonly archiveDir?: string;
}

async function run(
  command: Command,
  context: CliContext,
  idText: string,
  options: DescribeRecordingOptions,
): Promise<void> {
  const { out } = globalOptions(command, context);
  const recordingId = parseCount('recording id', idText);
  const source = recordingSourceFor(options.archiveDir);
  const r = await fromSource(() => source.describeRecording(recordingId));
  const segments = options.archiveDir === undefined ? [] : listSegmentFiles(options.archiveDir, recordingId);
  if (out.json) {
    out.document({
      source: source.description,
      recording: recordingJson(r),
      segmentFiles: segments.map((s) => ({ name: s.name, segmentBasePosition: s.segmentBasePosition, size: s.size })),
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
    ['control session id', String(r.controlSessionId)],
    ['correlation id', String(r.correlationId)],
    ...(r.checksum === undefined ? [] : [['checksum', String(r.checksum)] as const]),
  ]);
  lines.push('', `${segments.length} segment files:`);
  for (const s of segments) {
    lines.push(`  ${s.name}  base ${formatGrouped(s.segmentBasePosition)}  ${formatGrouped(s.size)} bytes`);
  }
  out.lines(lines);
}

export const describeRecordingCommand: CliCommand = {
  name: 'describe-recording',
  register(program, context) {
    program
      .command('describe-recording')
      .description('every catalog field of one recording, and its segment files (--archive-dir)')
      .argument('<recordingId>', 'the recording id')
      .option('--archive-dir <dir>', 'read the catalog and segment files in this archive directory')
      .addHelpText(
        'after',
        ['', 'Examples:', '  $ aeron-ts describe-recording 3 --archive-dir /var/lib/aeron-archive'].join('\n'),
      )
      .action((idText: string, options: DescribeRecordingOptions, command: Command) =>
        run(command, context, idText, options),
      );
  },
};
