/**
 * `aeron-ts dump-log <file.logbuffer>`: a log buffer's metadata and every frame (LogInspector), with the
 * payload as hex and text. Torn, partial or garbage frames are reported, never fatal (see
 * `log-buffer-dump.ts`).
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { AtomicBuffer } from '../../transport/index.ts';
import { CliError } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { formatFrameFlags, formatKeyValues, hexDump, printableText, toHex } from '../format.ts';
import {
  type FrameRecord,
  type Gap,
  LogBufferFormatError,
  type LogBufferMetadata,
  readLogBufferMetadata,
  walkLogBuffer,
} from '../log-buffer-dump.ts';
import { mapReadOnly } from '../map-read-only.ts';
import { globalOptions, parseCount, parseInteger } from '../options.ts';

interface DumpLogOptions {
  readonly from?: string;
  readonly limit?: string;
  readonly payloadBytes: string;
}

function metadataLines(path: string, m: LogBufferMetadata): string[] {
  return [
    `Log buffer ${path}`,
    ...formatKeyValues([
      ['file length', String(m.fileLength)],
      ['log type', m.logType],
      ['term length', String(m.termLength)],
      ['initial term id', String(m.initialTermId)],
      ['mtu length', String(m.mtuLength)],
      ['page size', String(m.pageSize)],
      ['correlation id', String(m.correlationId)],
      ['session id', String(m.sessionId)],
      ['stream id', String(m.streamId)],
      ['active term count', String(m.activeTermCount)],
      ['end of stream position', m.endOfStreamPosition === null ? 'none' : String(m.endOfStreamPosition)],
      ['connected', String(m.isConnected)],
      ...m.tails.map((t): [string, string] => [
        `tail ${t.partition}`,
        `term id ${t.termId}, term offset ${t.termOffset}`,
      ]),
    ]).map((l) => `  ${l}`),
  ];
}

function frameLines(f: FrameRecord, payloadBytes: number): string[] {
  const status = f.status === 'ok' ? '' : ` ${f.status.toUpperCase()}`;
  const lines = [
    `[${f.position}] partition ${f.partition} offset ${f.termOffset}: ${f.typeName}${status} length ${f.frameLength} flags ${formatFrameFlags(f.flags)} term ${f.termId} session ${f.sessionId} stream ${f.streamId} reserved ${f.reservedValue}`,
  ];
  for (const w of f.warnings) lines.push(`  ! ${w}`);
  if (f.payload.length > 0 && payloadBytes > 0) {
    const shown = f.payload.subarray(0, payloadBytes);
    lines.push(...hexDump(shown, 0, '    '));
    if (shown.length < f.payload.length) lines.push(`    ... ${f.payload.length - shown.length} more bytes`);
  }
  return lines;
}

function frameJson(f: FrameRecord, payloadBytes: number): Record<string, unknown> {
  const shown = f.payload.subarray(0, payloadBytes);
  return {
    position: f.position,
    partition: f.partition,
    termOffset: f.termOffset,
    frameLength: f.frameLength,
    status: f.status,
    type: f.type,
    typeName: f.typeName,
    flags: f.flags,
    version: f.version,
    termId: f.termId,
    headerTermOffset: f.headerTermOffset,
    sessionId: f.sessionId,
    streamId: f.streamId,
    reservedValue: f.reservedValue,
    payloadLength: f.payload.length,
    payloadHex: toHex(shown),
    payloadText: printableText(shown),
    warnings: f.warnings,
  };
}

function run(file: string, command: Command, context: CliContext, options: DumpLogOptions): void {
  const { out } = globalOptions(command, context);
  const fromPosition = options.from === undefined ? undefined : parseInteger('--from', options.from);
  const limit = options.limit === undefined ? undefined : parseCount('--limit', options.limit);
  const payloadBytes = parseCount('--payload-bytes', options.payloadBytes);
  if (!existsSync(file)) throw new CliError(`no such log buffer file: ${file}`);
  if (!statSync(file).isFile()) throw new CliError(`${file} is not a file (expected a .logbuffer file)`);
  using mapped = mapReadOnly(file);
  const buffer = new AtomicBuffer(mapped.buffer);
  let metadata: LogBufferMetadata;
  try {
    metadata = readLogBufferMetadata(buffer);
  } catch (e) {
    if (e instanceof LogBufferFormatError) throw new CliError(`${file} is not a log buffer: ${e.message}`);
    throw e;
  }
  const walk = { ...(fromPosition === undefined ? {} : { fromPosition }), ...(limit === undefined ? {} : { limit }) };
  const counts = { frames: 0, data: 0, padding: 0, problems: 0, payloadBytes: 0, gaps: 0 };
  const frames: Record<string, unknown>[] = [];
  const gaps: Gap[] = [];
  const onFrame = (f: FrameRecord): void => {
    counts.frames++;
    if (f.type === 0) counts.padding++;
    else if (f.type === 1) {
      counts.data++;
      counts.payloadBytes += f.payload.length;
    }
    if (f.status !== 'ok' || f.warnings.length > 0) counts.problems++;
    if (out.json) frames.push(frameJson(f, payloadBytes));
    else out.lines(frameLines(f, payloadBytes));
  };
  const onGap = (g: Gap): void => {
    counts.gaps++;
    gaps.push(g);
    if (out.json) return;
    out.line(
      `... partition ${g.partition} offset ${g.termOffset}: ${g.length} zero bytes (cleaned by the driver, or not written)`,
    );
  };
  if (!out.json) {
    out.lines(metadataLines(file, metadata));
    out.line();
  }
  walkLogBuffer(buffer, metadata, walk, onFrame, onGap);
  if (out.json) {
    out.document({ file, metadata, frames, gaps, summary: counts });
    return;
  }
  out.line();
  out.line(
    `${counts.frames} frames: ${counts.data} data (${counts.payloadBytes} payload bytes), ${counts.padding} padding, ${counts.problems} with problems, ${counts.gaps} zeroed gaps`,
  );
}

/** `aeron-ts dump-log <file>`: decodes a log buffer file, its metadata and every frame (payload as hex and text). */
export const dumpLogCommand: CliCommand = {
  name: 'dump-log',
  register(program, context) {
    program
      .command('dump-log')
      .description('decode a log buffer file: metadata and every frame, payload as hex and text')
      .argument('<file>', 'a .logbuffer file, e.g. <aeron dir>/publications/<id>.logbuffer or images/<id>.logbuffer')
      .option('--from <position>', 'skip frames before this stream position')
      .option('--limit <n>', 'print at most n frames')
      .option('--payload-bytes <n>', 'payload bytes to show per frame', '64')
      .addHelpText(
        'after',
        [
          '',
          'Frame status: ok, IN-PROGRESS (negative length: claimed, not yet committed), MALFORMED, TRUNCATED.',
          '',
          'Examples:',
          '  $ aeron-ts dump-log /dev/shm/aeron-me/publications/42.logbuffer',
          '  $ aeron-ts dump-log images/7.logbuffer --from 65536 --limit 10 --payload-bytes 256',
          '  $ aeron-ts dump-log 42.logbuffer --json | jq ".frames[] | .payloadText"',
        ].join('\n'),
      )
      .action((file: string, options: DumpLogOptions, command: Command) => run(file, command, context, options));
  },
};
