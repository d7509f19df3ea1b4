/**
 * `aeron-ts stat`: the driver's counters, refreshed live (AeronStat). `--once` prints one snapshot;
 * `--json` prints one JSON document per snapshot (JSON lines when live).
 */
import type { Command } from 'commander';
import { semanticVersionToString } from '../../transport/index.ts';
import { CliError } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { counterTypeName } from '../counter-types.ts';
import { assessLiveness, type DriverCnc, openLiveCnc } from '../driver-cnc.ts';
import { formatGrouped } from '../format.ts';
import {
  addLivenessOptions,
  globalOptions,
  type LivenessFlags,
  livenessPolicy,
  parseCount,
  parseInteger,
} from '../options.ts';
import type { Output } from '../output.ts';
import { refreshSnapshots } from '../refresh-loop.ts';

interface StatOptions extends LivenessFlags {
  readonly interval: string;
  readonly once?: boolean;
  readonly count?: string;
  readonly type?: string[];
  readonly label?: string;
}

/** One counter as `stat` reports it. */
export interface CounterSample {
  /** The counter id. */
  readonly id: number;
  /** The counter's type id. */
  readonly typeId: number;
  /** A name for the type id (see `counterTypeName`). */
  readonly typeName: string;
  /** The counter's label. */
  readonly label: string;
  /** Its value (volatile read). */
  readonly value: number;
  /** Its registration id (0 when none). */
  readonly registrationId: number;
  /** Its owner id (the client id for a client's counters, else 0). */
  readonly ownerId: number;
  /** Its reference id (0 when none). */
  readonly referenceId: number;
}

interface CounterFilter {
  readonly typeIds: ReadonlySet<number> | null;
  readonly label: RegExp | null;
}

function parseFilter(options: StatOptions): CounterFilter {
  let typeIds: Set<number> | null = null;
  if (options.type !== undefined && options.type.length > 0) {
    typeIds = new Set();
    for (const part of options.type.flatMap((t) => t.split(','))) {
      if (part.trim() !== '') typeIds.add(parseInteger('--type', part));
    }
  }
  let label: RegExp | null = null;
  if (options.label !== undefined) {
    try {
      label = new RegExp(options.label);
    } catch (e) {
      throw new CliError(`--label is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return { typeIds, label };
}

/** Reads every allocated counter that passes the filter. */
export function sampleCounters(cnc: DriverCnc, filter: CounterFilter): CounterSample[] {
  const samples: CounterSample[] = [];
  const counters = cnc.counters;
  counters.forEach((id, typeId, _key, label) => {
    if (filter.typeIds !== null && !filter.typeIds.has(typeId)) return;
    if (filter.label !== null && !filter.label.test(label)) return;
    samples.push({
      id,
      typeId,
      typeName: counterTypeName(typeId),
      label,
      value: counters.getCounterValue(id),
      registrationId: counters.getCounterRegistrationId(id),
      ownerId: counters.getCounterOwnerId(id),
      referenceId: counters.getCounterReferenceId(id),
    });
  });
  return samples;
}

function printSnapshot(out: Output, now: number, cnc: DriverCnc, filter: CounterFilter, driverTimeoutMs: number): void {
  const liveness = assessLiveness(cnc.heartbeatMs(), now, driverTimeoutMs);
  const samples = sampleCounters(cnc, filter);
  if (out.json) {
    out.document({
      timestampMs: now,
      aeronDir: cnc.aeronDir,
      cncVersion: semanticVersionToString(cnc.header.cncVersion),
      pid: cnc.header.pid,
      heartbeatAgeMs: liveness.heartbeatAgeMs,
      alive: liveness.alive,
      counters: samples,
    });
    return;
  }
  const idWidth = String(cnc.counters.maxCounterId).length;
  const lines = [
    `${new Date(now).toISOString()} - aeron-ts stat (CnC v${semanticVersionToString(cnc.header.cncVersion)}), pid ${cnc.header.pid}, heartbeat age ${liveness.heartbeatAgeMs ?? '-'}ms`,
    '======================================================================',
  ];
  for (const s of samples) {
    lines.push(`${String(s.id).padStart(idWidth)}: ${formatGrouped(s.value).padStart(26)} - ${s.label}`);
  }
  lines.push('--');
  out.lines(lines);
}

async function run(command: Command, context: CliContext, options: StatOptions): Promise<void> {
  const { aeronDir, out } = globalOptions(command, context);
  const intervalMs = parseCount('--interval', options.interval);
  const liveness = livenessPolicy(options);
  const count =
    options.once === true
      ? 1
      : options.count === undefined
        ? Number.POSITIVE_INFINITY
        : parseCount('--count', options.count);
  const filter = parseFilter(options);
  using cnc = openLiveCnc(aeronDir, context.now(), liveness);
  await refreshSnapshots(context, out, { count, intervalMs }, () =>
    printSnapshot(out, context.now(), cnc, filter, liveness.driverTimeoutMs),
  );
}

/** `aeron-ts stat`: the driver's counters, refreshed live (like Java's `AeronStat`). */
export const statCommand: CliCommand = {
  name: 'stat',
  register(program, context) {
    addLivenessOptions(
      program
        .command('stat')
        .description("the driver's counters, refreshed live (like AeronStat)")
        .option('--interval <ms>', 'milliseconds between refreshes', '1000')
        .option('--once', 'print one snapshot and exit')
        .option('--count <n>', 'print n snapshots and exit')
        .option('--type <ids...>', 'only counters of these type ids (comma or space separated)')
        .option('--label <regex>', 'only counters whose label matches this regular expression'),
    )
      .addHelpText(
        'after',
        [
          '',
          'Type ids: 0 system, 1 pub-lmt, 2 snd-pos, 3 rcv-hwm, 4 sub-pos, 5 rcv-pos, 6 snd-channel, 7 rcv-channel,',
          '          9 snd-lmt, 10 per-image, 11 client-heartbeat, 12 pub-pos, 13 snd-bpe, 100+ archive',
          '',
          'Examples:',
          '  $ aeron-ts stat                          live view, refreshed every second',
          '  $ aeron-ts stat --once --json            one JSON snapshot',
          '  $ aeron-ts stat --type 1,4,12 --once     publisher limits, subscriber and publisher positions',
          "  $ aeron-ts stat --label 'Errors|NAK'     counters whose label matches",
        ].join('\n'),
      )
      .action((options: StatOptions, command: Command) => run(command, context, options));
  },
};
