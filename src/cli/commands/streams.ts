/**
 * `aeron-ts streams`: every publication, sender, receiver and subscriber per channel/stream with positions,
 * limits and lag (StreamStat and BacklogStat in one view). Model in `stream-snapshot.ts`.
 */
import type { Command } from 'commander';
import type { CliCommand, CliContext } from '../command.ts';
import { openLiveCnc } from '../driver-cnc.ts';
import { formatGrouped } from '../format.ts';
import { addLivenessOptions, globalOptions, type LivenessFlags, livenessPolicy, parseCount } from '../options.ts';
import { refreshSnapshots } from '../refresh-loop.ts';
import { type StreamView, snapshotStreams } from '../stream-snapshot.ts';

interface StreamsOptions extends LivenessFlags {
  readonly interval: string;
  readonly watch?: boolean;
  readonly count?: string;
}

function n(value: number | null): string {
  return value === null ? '-' : formatGrouped(value);
}

/** The text lines for one stream. */
export function formatStream(view: StreamView): string[] {
  const lines = [`session ${view.sessionId}  stream ${view.streamId}  ${view.channel}`];
  const parts: string[][] = [];
  const { publisher, sender, receiver } = view;
  if (publisher !== null) {
    parts.push([
      `publisher ${publisher.registrationId}`,
      `position ${n(publisher.position)}`,
      `limit ${n(publisher.limit)}`,
      `${n(publisher.remainingWindow)} bytes before back pressure`,
    ]);
  }
  if (sender !== null) {
    parts.push([
      `sender ${sender.registrationId}`,
      `position ${n(sender.position)}`,
      `limit ${n(sender.limit)}`,
      `backlog ${n(sender.backlog)} bytes, window ${n(sender.window)}, bpe ${n(sender.backPressureEvents)}, naks received ${n(sender.naksReceived)}`,
    ]);
  } else if (publisher !== null && view.channel.startsWith('aeron:udp')) {
    parts.push(['no sender']);
  }
  if (receiver !== null) {
    parts.push([
      `receiver ${receiver.registrationId}`,
      `position ${n(receiver.position)}`,
      `hwm ${n(receiver.highWaterMark)}`,
      `naks sent ${n(receiver.naksSent)}`,
    ]);
  }
  for (const s of view.subscribers) {
    parts.push([
      `subscriber ${s.registrationId}`,
      `position ${n(s.position)}`,
      `lag ${n(s.lag)} bytes`,
      s.joinPosition === null ? '' : `joined at ${n(s.joinPosition)}`,
    ]);
  }
  if (view.subscribers.length === 0 && publisher !== null) parts.push(['no subscribers']);
  const widths = [0, 0, 0];
  for (const p of parts) {
    for (let i = 0; i < 3; i++) widths[i] = Math.max(widths[i] ?? 0, p[i]?.length ?? 0);
  }
  parts.forEach((p, index) => {
    const branch = index === parts.length - 1 ? '└─' : '├─';
    const cells = p.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell));
    lines.push(`  ${branch} ${cells.join('  ').trimEnd()}`);
  });
  return lines;
}

async function run(command: Command, context: CliContext, options: StreamsOptions): Promise<void> {
  const { aeronDir, out } = globalOptions(command, context);
  const intervalMs = parseCount('--interval', options.interval);
  const liveness = livenessPolicy(options);
  const count =
    options.count !== undefined
      ? parseCount('--count', options.count)
      : options.watch === true
        ? Number.POSITIVE_INFINITY
        : 1;
  using cnc = openLiveCnc(aeronDir, context.now(), liveness);
  await refreshSnapshots(context, out, { count, intervalMs }, () => {
    const streams = snapshotStreams(cnc.counters);
    if (out.json) {
      out.document({ timestampMs: context.now(), aeronDir, streams });
      return;
    }
    if (streams.length === 0) out.line(`no publications or subscriptions in the driver at ${aeronDir}`);
    const lines: string[] = [];
    for (const view of streams) lines.push(...formatStream(view), '');
    out.lines(lines);
  });
}

/**
 * `aeron-ts streams`: publications, senders, receivers and subscribers per channel and stream, with positions, limits
 * and lag.
 */
export const streamsCommand: CliCommand = {
  name: 'streams',
  register(program, context) {
    addLivenessOptions(
      program
        .command('streams')
        .description('publications, senders, receivers and subscribers per channel/stream: positions, limits, lag')
        .option('--watch', 'refresh until interrupted')
        .option('--interval <ms>', 'milliseconds between refreshes with --watch', '1000')
        .option('--count <n>', 'print n snapshots and exit'),
    )
      .addHelpText(
        'after',
        [
          '',
          'Lag: bytes a subscriber has still to consume (receiver high-water mark, or the IPC publisher position,',
          'minus its position). Backlog: bytes a sender has still to send (publisher position - sender position).',
          '',
          'Examples:',
          '  $ aeron-ts streams',
          '  $ aeron-ts streams --watch --interval 500',
          '  $ aeron-ts streams --json | jq ".streams[] | {channel, subscribers}"',
        ].join('\n'),
      )
      .action((options: StreamsOptions, command: Command) => run(command, context, options));
  },
};
