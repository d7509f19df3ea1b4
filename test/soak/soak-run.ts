/**
 * `runSoak()`: rounds of record → publish → check live → stop → replay → check replayed (see `soak-round.ts`)
 * for `minutes`, against ONE real Java ArchivingMediaDriver started through the harness (SHARED threading,
 * backoff idle strategies, its own directories, stopped by pid at the end and on error; on SIGINT the
 * harness's exit hook kills it by pid), with our `Aeron` client and `AeronArchive` over UDP control channels.
 *
 * ```
 *  t=0  connect ─ sample "start" ─┬─ round ─ round ─ … ─┬─ report ─ round ─ … ─┬─ final report ─ close ─ stop driver
 *                                 └─ every reportEveryMs (between rounds): settle, GC, sample, print one line
 * ```
 *
 * A report is taken between rounds, once every resource of the last round is closed: it first waits (up to
 * `settleMs`) for the client's lingering log buffers to be unmapped, i.e. for the mappings under the Aeron
 * directory to fall back to what they were before the first round, then runs a full GC and samples (see
 * `resource-sample.ts`). The verdict (`soak-verdict.ts`) compares the last report with the first one at or
 * after `warmupMs`.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive, type RecordingSignalEvent } from '../../src/archive/index.ts';
import { Aeron } from '../../src/client/index.ts';
import {
  clock,
  collectGarbage,
  countMappings,
  formatSample,
  type ResourceSample,
  readCounterStats,
  sampleResources,
} from './resource-sample.ts';
import { addTotals } from './sequence-checker.ts';
import { runRound, type SoakContext } from './soak-round.ts';
import {
  type Check,
  DEFAULT_TOLERANCES,
  emptySoakTotals,
  formatSummary,
  heapSlopeMiBPerHour,
  judge,
  type SoakTotals,
  type Tolerances,
} from './soak-verdict.ts';

export interface SoakOptions {
  /** How long to run rounds (fractions allowed). */
  readonly minutes: number;
  /** Report period; default 60 s. */
  readonly reportEveryMs?: number;
  /** The verdict's baseline is the first report at or after this; default `reportEveryMs`. */
  readonly warmupMs?: number;
  /** Messages per round; default 2000. */
  readonly messagesPerRound?: number;
  /** Deadline of every archive call and wait; default 30 s. */
  readonly timeoutMs?: number;
  /** A message stream without progress for this long is over; default 20 s. */
  readonly stallMs?: number;
  /** How long a report waits for closed log buffers to be unmapped; default 15 s. */
  readonly settleMs?: number;
  /** Recordings kept before purging; default 3. */
  readonly keepRecordings?: number;
  readonly tolerances?: Partial<Tolerances>;
  /** Where report lines go; default console.log. */
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly ok: boolean;
  readonly totals: SoakTotals;
  /** The "start" sample, every periodic report, and the final one. */
  readonly samples: readonly ResourceSample[];
  readonly checks: readonly Check[];
  /** The printed summary table with the verdict. */
  readonly summary: string;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const reportEveryMs = options.reportEveryMs ?? 60_000;
  const warmupMs = options.warmupMs ?? reportEveryMs;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const settleMs = options.settleMs ?? 15_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const durationMs = Math.max(0, options.minutes) * 60_000;
  const totals = emptySoakTotals();
  const samples: ResourceSample[] = [];

  let driver: ArchivingDriverHandle | null = null;
  let aeron: Aeron | null = null;
  let archive: AeronArchive | null = null;
  const startedAt = Date.now();
  try {
    driver = await startArchivingMediaDriver({
      properties: { 'aeron.archive.segment.file.length': String(1024 * 1024) },
      readyTimeoutMs: 60_000,
    });
    log(
      `[soak] ArchivingMediaDriver pid ${driver.pid}, aeron dir ${driver.aeronDir}, archive dir ${driver.archiveDir}`,
    );
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 20_000, clientName: 'soak' });
    const signals: RecordingSignalEvent[] = [];
    archive = await AeronArchive.connect(
      {
        aeron,
        controlRequestChannel: driver.controlChannel,
        controlRequestStreamId: driver.controlStreamId,
        controlResponseChannel: driver.responseChannel,
        messageTimeoutMs: timeoutMs,
        recordingSignalConsumer: (signal) => signals.push(signal),
      },
      { timeoutMs },
    );
    const ctx: SoakContext = {
      aeron,
      archive,
      signals,
      livePorts: [await freeUdpPort(), await freeUdpPort()],
      replayPorts: [await freeUdpPort(), await freeUdpPort()],
      messagesPerRound: options.messagesPerRound ?? 2000,
      timeoutMs,
      stallMs: options.stallMs ?? 20_000,
      keepRecordings: options.keepRecordings ?? 3,
      recordings: [],
    };
    const client = aeron;
    const aeronDir = driver.aeronDir;
    const quietMappings = countMappings(aeronDir).under;
    const report = async (label: string): Promise<void> => {
      const deadline = Date.now() + settleMs;
      while (countMappings(aeronDir).under > quietMappings && Date.now() < deadline) await sleep(100);
      const gc = await collectGarbage();
      const sample = sampleResources(Date.now() - startedAt, gc, aeronDir, readCounterStats(client));
      samples.push(sample);
      const t = totals;
      const problems = t.live.lost + t.live.duplicated + t.live.corrupted + t.live.unexpected;
      const replayProblems = t.replay.lost + t.replay.duplicated + t.replay.corrupted + t.replay.unexpected;
      log(
        `[soak ${clock(sample.elapsedMs)}${label}] rounds ${t.rounds} published ${t.published} live ${t.live.received} ` +
          `replayed ${t.replay.received} errors ${problems + replayProblems + t.problems.length} | ${formatSample(sample)}`,
      );
    };

    await report(' start');
    const roundsFrom = Date.now();
    const endAt = roundsFrom + durationMs;
    let nextReportAt = roundsFrom + reportEveryMs;
    for (let round = 0; Date.now() < endAt; round++) {
      try {
        const result = await runRound(ctx, round);
        totals.rounds++;
        totals.published += result.published;
        addTotals(totals.live, result.live);
        addTotals(totals.replay, result.replay);
        totals.replays += result.replays;
        totals.truncations += result.truncated ? 1 : 0;
        totals.purges += result.purged;
        totals.replaysWithoutEos += result.replaysWithoutEos;
        for (const problem of result.problems) {
          totals.problems.push(`round ${round}: ${problem}`);
          log(`[soak] round ${round} problem: ${problem}`);
        }
      } catch (error) {
        totals.failure = `round ${round}: ${error instanceof Error ? error.message : String(error)}`;
        log(`[soak] round ${round} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        break;
      }
      if (Date.now() >= nextReportAt && Date.now() < endAt) {
        await report('');
        while (nextReportAt <= Date.now()) nextReportAt += reportEveryMs;
      }
    }
    await report(' final');
  } catch (error) {
    totals.failure ??= `setup: ${error instanceof Error ? error.message : String(error)}`;
    log(`[soak] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    archive?.close();
    aeron?.close();
    if (driver !== null) {
      try {
        await driver.stop();
      } catch (error) {
        totals.failure ??= `stopping the driver: ${String(error)}`;
      }
    }
  }

  // Samples are relative to the start; the baseline is counted from the first round (connect time excluded).
  const baselineFromMs = warmupMs + (samples[0]?.elapsedMs ?? 0);
  const checks = judge(totals, samples, baselineFromMs, { ...DEFAULT_TOLERANCES, ...options.tolerances });
  const summary = formatSummary(totals, checks, heapSlopeMiBPerHour(samples, baselineFromMs));
  log(summary);
  return { ok: checks.every((c) => c.ok), totals, samples, checks, summary };
}
