/**
 * Measurements behind the choice of where the TypeScript driver's duty cycle runs (docs/driver.md "Where the
 * duty cycle runs"), each in a fresh Node process (`runTsChild`):
 *
 * - `measureCommandRtt`: ADD_COUNTER -> ON_COUNTER_READY round trips of a bare command client in a worker
 *   thread (bench/workers/command-client-worker.ts), with the main thread idle or busy (blocking 5 ms chunks,
 *   a `setImmediate` turn between them, as an application doing CPU work); the driver is a TS driver launched
 *   in this process (`SHARED`: worker thread, `INVOKER`: this event loop) or the Java driver of the case's
 *   setup (`java`).
 * - `measureIdleCpu`: CPU time of this process over `seconds` with a TS driver launched in it and no client:
 *   `process.cpuUsage()` counts every thread of the process, the driver's worker included.
 * - `javaIdleCpu` (run by the case itself): the Java driver process's utime + stime from `/proc/<pid>/stat`.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep, setImmediate as yieldTurn } from 'node:timers/promises';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import type { ThreadingMode } from '../../src/driver/media-driver-context.ts';
import type { Sample } from '../lib/bench-case.ts';
import type { CommandClientWorkerData } from '../workers/command-client-worker.ts';
import { firstMessage, startTsWorker } from '../workers/spawn-ts-worker.ts';

/** Which driver serves the commands. */
export type DriverUnderTest = ThreadingMode | 'java';

/** Arguments of `measureCommandRtt`. */
export interface CommandRttArgs {
  readonly driver: DriverUnderTest;
  /** The Java driver's directory (driver `java`). */
  readonly aeronDir?: string;
  /** Main thread blocks in 5 ms chunks while the client measures. */
  readonly busy: boolean;
  readonly warmupMs: number;
  readonly measureMs: number;
}

const BUSY_CHUNK_MS = 5;
const MAX_SAMPLES = 100_000;
const CLIENT_TIMEOUT_MS = 120_000;

async function launchTsDriver(threadingMode: ThreadingMode): Promise<MediaDriver> {
  const aeronDir = makeAeronDir();
  try {
    return await MediaDriver.launch({ aeronDir, threadingMode, dirDeleteOnShutdown: true });
  } catch (e) {
    removeDir(aeronDir);
    throw e;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Round trips in µs; value = p99, detail p50/p90/p99/max/count. */
export async function measureCommandRtt(args: CommandRttArgs): Promise<Sample> {
  const driver = args.driver === 'java' ? null : await launchTsDriver(args.driver);
  const aeronDir = driver?.aeronDir ?? args.aeronDir;
  if (aeronDir === undefined) throw new Error('measureCommandRtt: the java driver needs aeronDir');
  try {
    const data: CommandClientWorkerData = {
      aeronDir,
      warmupMs: args.warmupMs,
      measureMs: args.measureMs,
      maxSamples: MAX_SAMPLES,
    };
    const worker = startTsWorker(new URL('../workers/command-client-worker.ts', import.meta.url), data);
    let done = false;
    const result = firstMessage<{ samplesUs: number[] }>(worker, CLIENT_TIMEOUT_MS, 'command client').finally(() => {
      done = true;
    });
    let busyMs = 0;
    if (args.busy) {
      while (!done) {
        const until = performance.now() + BUSY_CHUNK_MS;
        while (performance.now() < until) {
          // an application's CPU work: nothing else runs on this thread meanwhile
        }
        busyMs += BUSY_CHUNK_MS;
        await yieldTurn();
      }
    }
    const { samplesUs } = await result;
    await worker.terminate();
    const sorted = [...samplesUs].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    return {
      value: p99,
      detail: {
        driver: args.driver,
        busy: args.busy,
        count: sorted.length,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99,
        max: sorted.at(-1) ?? Number.NaN,
        busyMs,
      },
    };
  } finally {
    await driver?.close();
  }
}

/** Arguments of `measureIdleCpu`. */
export interface IdleCpuArgs {
  readonly driver: ThreadingMode;
  readonly seconds: number;
}

/** CPU of this process (every thread) with an idle TS driver, as % of one core; 1 s settle first. */
export async function measureIdleCpu(args: IdleCpuArgs): Promise<Sample> {
  const driver = await launchTsDriver(args.driver);
  try {
    await sleep(1_000);
    const before = process.cpuUsage();
    const t0 = performance.now();
    await sleep(args.seconds * 1_000);
    const used = process.cpuUsage(before);
    const elapsedMs = performance.now() - t0;
    const cpuMs = (used.user + used.system) / 1_000;
    return { value: (100 * cpuMs) / elapsedMs, detail: { driver: args.driver, cpuMs, elapsedMs } };
  } finally {
    await driver.close();
  }
}

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command: state(0) ... utime(11) stime(12), in clock ticks
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU of the Java driver process `pid` over `seconds`, as % of one core. */
export async function javaIdleCpu(pid: number, seconds: number): Promise<Sample> {
  const before = processCpuMs(pid);
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const cpuMs = processCpuMs(pid) - before;
  const elapsedMs = performance.now() - t0;
  return { value: (100 * cpuMs) / elapsedMs, detail: { driver: 'java', cpuMs, elapsedMs } };
}
