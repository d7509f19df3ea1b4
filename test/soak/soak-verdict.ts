/**
 * The soak's verdict: every message intact (0 lost, 0 duplicated, 0 corrupted, 0 unexpected, live and
 * replayed), no failed round, and flat resources: the last report against the first report after warm-up.
 *
 * Tolerances (last − warm-up baseline), and why:
 *
 * | measure          | allowed growth              | why                                                              |
 * |------------------|-----------------------------|------------------------------------------------------------------|
 * | heapUsed (GC'd)  | max(8 MiB, 25 % of baseline)| V8 keeps optimising code and growing feedback/IC state for a while |
 * |                  |                             | after warm-up (a few MiB); a leak of one object graph per round   |
 * |                  |                             | (≥ 10 KiB × ≥ 20 rounds/min) passes 8 MiB within a 30-min run     |
 * | arrayBuffers     | 8 MiB                       | mapped log buffers are ~0.4 MiB each (3 × 128 KiB terms + meta):  |
 * |                  |                             | a couple of in-flight ones are noise, a leak is one per round     |
 * | aeron mappings   | 0                           | sampled after every resource is closed and lingered: only the CnC  |
 * |                  |                             | and the archive client's control streams remain, a fixed set      |
 * | all mappings     | max(64, 10 %)               | V8 maps and unmaps heap/code pages in chunks; a leaked placeholder |
 * |                  |                             | mapping per round is hundreds per minute                          |
 * | open fds         | 2                           | mapping closes its descriptor at once; Node opens none per round  |
 * | active handles   | 4                           | timers of the clients and the sampler come and go                 |
 * | driver counters  | 64                          | counters of publications/images closed in the last ~10 s (driver  |
 * |                  |                             | linger 5 s, image liveness 10 s) are still allocated: ~10 a round |
 * | external         | 8 MiB                       | steady at ~49 MiB in practice; a leaked log buffer view or copy   |
 * |                  |                             | would add ~0.4 MiB a round                                       |
 *
 * Also: the driver's Errors and the archive's error count counters may not grow from the first sample (the
 * soak does nothing either side should log an error for), and the archive has one control session (ours).
 */

import { mib, type ResourceSample } from './resource-sample.ts';
import { type CheckTotals, emptyTotals } from './sequence-checker.ts';

export interface SoakTotals {
  rounds: number;
  published: number;
  live: CheckTotals;
  replay: CheckTotals;
  replays: number;
  truncations: number;
  purges: number;
  replaysWithoutEos: number;
  /** Problems reported by rounds (message errors, position mismatches, leaked recording subscriptions). */
  problems: string[];
  /** The error that ended the soak early, if any. */
  failure: string | null;
}

export function emptySoakTotals(): SoakTotals {
  return {
    rounds: 0,
    published: 0,
    live: emptyTotals(),
    replay: emptyTotals(),
    replays: 0,
    truncations: 0,
    purges: 0,
    replaysWithoutEos: 0,
    problems: [],
    failure: null,
  };
}

export interface Tolerances {
  readonly heapBytes: number;
  readonly heapFraction: number;
  readonly arrayBufferBytes: number;
  readonly externalBytes: number;
  readonly aeronMappings: number;
  readonly mappings: number;
  readonly mappingsFraction: number;
  readonly fds: number;
  readonly handles: number;
  readonly counters: number;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  heapBytes: 8 * 1024 * 1024,
  heapFraction: 0.25,
  arrayBufferBytes: 8 * 1024 * 1024,
  externalBytes: 8 * 1024 * 1024,
  aeronMappings: 0,
  mappings: 64,
  mappingsFraction: 0.1,
  fds: 2,
  handles: 4,
  counters: 64,
};

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The baseline: the first sample taken at or after `warmupMs`, else the last one. */
export function baselineOf(samples: readonly ResourceSample[], warmupMs: number): ResourceSample | undefined {
  return samples.find((s) => s.elapsedMs >= warmupMs) ?? samples[samples.length - 1];
}

export function judge(
  totals: SoakTotals,
  samples: readonly ResourceSample[],
  warmupMs: number,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): Check[] {
  const checks: Check[] = [];
  const messages = (name: string, value: number, detail = ''): void => {
    checks.push({ name, ok: value === 0, detail: `${value}${detail}` });
  };
  checks.push({
    name: 'soak ran to the end',
    ok: totals.failure === null,
    detail: totals.failure ?? `${totals.rounds} rounds`,
  });
  checks.push({
    name: 'messages flowed',
    ok: totals.rounds > 0 && totals.live.received > 0 && totals.replay.received > 0,
    detail: `published ${totals.published}, live ${totals.live.received}, replayed ${totals.replay.received}`,
  });
  messages('lost', totals.live.lost + totals.replay.lost, ` (live ${totals.live.lost}, replay ${totals.replay.lost})`);
  messages(
    'duplicated',
    totals.live.duplicated + totals.replay.duplicated,
    ` (live ${totals.live.duplicated}, replay ${totals.replay.duplicated})`,
  );
  messages(
    'corrupted',
    totals.live.corrupted + totals.replay.corrupted,
    ` (live ${totals.live.corrupted}, replay ${totals.replay.corrupted})`,
  );
  messages('unexpected', totals.live.unexpected + totals.replay.unexpected);
  checks.push({
    name: 'other problems',
    ok: totals.problems.length === 0,
    detail: totals.problems.length === 0 ? '0' : totals.problems.slice(0, 3).join(' | '),
  });

  const base = baselineOf(samples, warmupMs);
  const last = samples[samples.length - 1];
  if (base === undefined || last === undefined) {
    checks.push({ name: 'flat memory', ok: false, detail: 'no samples' });
    return checks;
  }
  const at = `(${clockOf(base)} -> ${clockOf(last)})`;
  const flat = (name: string, from: number, to: number, allowed: number, unit: (n: number) => string): void => {
    checks.push({
      name,
      ok: to - from <= allowed,
      detail: `${unit(from)} -> ${unit(to)} (${signed(to - from, unit)}, allowed +${unit(allowed)}) ${at}`,
    });
  };
  const bytes = (n: number): string => `${mib(n)} MiB`;
  const plain = (n: number): string => String(n);
  flat(
    'flat heapUsed after GC',
    base.heapUsed,
    last.heapUsed,
    Math.max(tolerances.heapBytes, tolerances.heapFraction * base.heapUsed),
    bytes,
  );
  flat('flat arrayBuffers', base.arrayBuffers, last.arrayBuffers, tolerances.arrayBufferBytes, bytes);
  flat('flat external', base.external, last.external, tolerances.externalBytes, bytes);
  flat('flat aeron-dir mappings', base.aeronMappings, last.aeronMappings, tolerances.aeronMappings, plain);
  flat(
    'flat process mappings',
    base.mappings,
    last.mappings,
    Math.max(tolerances.mappings, Math.ceil(tolerances.mappingsFraction * base.mappings)),
    plain,
  );
  flat('flat open fds', base.fds, last.fds, tolerances.fds, plain);
  flat('flat active handles', base.handles, last.handles, tolerances.handles, plain);
  flat('flat driver counters', base.counters, last.counters, tolerances.counters, plain);
  const first = samples[0] ?? base;
  checks.push({
    name: 'no new driver errors',
    ok: last.driverErrors === first.driverErrors,
    detail: `${first.driverErrors} -> ${last.driverErrors}`,
  });
  checks.push({
    name: 'no new archive errors',
    ok: last.archiveErrors === first.archiveErrors,
    detail: `${first.archiveErrors} -> ${last.archiveErrors}`,
  });
  checks.push({
    name: 'one archive control session',
    ok: last.controlSessions === 1,
    detail: String(last.controlSessions),
  });
  checks.push({
    name: 'heap measured after GC',
    ok: last.gc && base.gc,
    detail: last.gc && base.gc ? 'yes' : 'no GC available: heap numbers include garbage',
  });
  return checks;
}

/** Shorter spans make the trend mostly GC noise. */
const MIN_TREND_SPAN_MS = 5 * 60_000;

/**
 * heapUsed trend over the samples from the baseline on, in MiB per hour (least squares); null with fewer than
 * 3 samples or when they span less than 5 minutes. Informative only: the verdict compares endpoints.
 */
export function heapSlopeMiBPerHour(samples: readonly ResourceSample[], warmupMs: number): number | null {
  const from = samples.filter((s) => s.elapsedMs >= warmupMs);
  const span = (from[from.length - 1]?.elapsedMs ?? 0) - (from[0]?.elapsedMs ?? 0);
  if (from.length < 3 || span < MIN_TREND_SPAN_MS) return null;
  const n = from.length;
  const mx = from.reduce((a, s) => a + s.elapsedMs, 0) / n;
  const my = from.reduce((a, s) => a + s.heapUsed, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of from) {
    sxy += (s.elapsedMs - mx) * (s.heapUsed - my);
    sxx += (s.elapsedMs - mx) ** 2;
  }
  if (sxx === 0) return null;
  return ((sxy / sxx) * 3_600_000) / (1024 * 1024);
}

/** The summary table: totals, then one row per check. */
export function formatSummary(totals: SoakTotals, checks: readonly Check[], slope: number | null): string {
  const rows: [string, string, string][] = [
    ['rounds', '', String(totals.rounds)],
    ['published', '', String(totals.published)],
    ['received live', '', String(totals.live.received)],
    ['replayed', '', `${totals.replay.received} in ${totals.replays} replays (${totals.truncations} after truncation)`],
    ['recordings purged', '', String(totals.purges)],
    ['replays without EOS', '', String(totals.replaysWithoutEos)],
    ['heap trend', '', slope === null ? 'n/a (needs 3 reports over 5 min)' : `${slope.toFixed(2)} MiB/h`],
    ...checks.map((c): [string, string, string] => [c.name, c.ok ? 'PASS' : 'FAIL', c.detail]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = 4;
  const line = `+-${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+`;
  const body = rows.map(([a, b, c]) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`);
  const verdict = checks.every((c) => c.ok) ? 'SOAK PASSED' : 'SOAK FAILED';
  return [line, ...body, line, verdict].join('\n');
}

function clockOf(s: ResourceSample): string {
  const sec = Math.round(s.elapsedMs / 1000);
  return `${Math.floor(sec / 60)}m${String(sec % 60).padStart(2, '0')}s`;
}

function signed(n: number, unit: (n: number) => string): string {
  return n >= 0 ? `+${unit(n)}` : `-${unit(-n)}`;
}
