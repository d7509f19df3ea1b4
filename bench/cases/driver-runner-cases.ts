/**
 * Where the TS driver's duty cycle runs, measured (docs/driver.md "Where the duty cycle runs"): for each
 * threading mode of the TS driver (SHARED: a worker thread; INVOKER: the event loop), the command round trip
 * ADD_COUNTER -> ON_COUNTER_READY with an idle and with a busy application main thread, and the idle CPU, each
 * beside the Java driver (SHARED, backoff idle) measured the same way in the same run (the "java" column).
 * Command-RTT cases report p99 in µs (p50/p90/max in `detail`); CPU cases % of one core over 10 s.
 *
 * `npm run bench -- driver` runs them all (5 repetitions per side, fresh processes).
 */
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { runTsChild } from '../../harness/ts-child.ts';
import type { ThreadingMode } from '../../src/driver/media-driver-context.ts';
import type { BenchCase } from '../lib/bench-case.ts';
import { BENCH_DRIVER_JVM_ARGS } from '../lib/bench-driver.ts';
import { javaIdleCpu } from './driver-runner-measure.ts';

const MEASURE_MODULE = new URL('./driver-runner-measure.ts', import.meta.url).href;
const CHILD_TIMEOUT_MS = 180_000;
const IDLE_SECONDS = 10;

/** The Java driver of one case: the harness's settings (SHARED, backoff idle), full-JIT JVM flags. */
function javaDriverFor(): { start(): Promise<void>; stop(): Promise<void>; handle(): DriverHandle } {
  let driver: DriverHandle | null = null;
  return {
    async start() {
      driver = await startMediaDriver({ driver: JAVA_DRIVER, jvmArgs: BENCH_DRIVER_JVM_ARGS, readyTimeoutMs: 90_000 });
    },
    async stop() {
      await driver?.stop();
      driver = null;
    },
    handle() {
      if (driver === null) throw new Error('the Java driver is not started');
      return driver;
    },
  };
}

function commandRttCase(mode: ThreadingMode, busy: boolean): BenchCase {
  const java = javaDriverFor();
  return {
    name: `driver-cmd-rtt-${busy ? 'busy' : 'idle'}-${mode.toLowerCase()}`,
    description: `ADD_COUNTER -> ON_COUNTER_READY, app main thread ${busy ? 'busy (5 ms chunks)' : 'idle'}: TS driver ${mode} vs Java driver`,
    metric: 'p99 round trip',
    unit: 'µs',
    higherIsBetter: false,
    timing: { full: { warmupMs: 1_000, measureMs: 5_000 }, quick: { warmupMs: 300, measureMs: 1_500 } },
    setup: () => java.start(),
    runTs: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureCommandRtt',
        args: { driver: mode, busy, warmupMs: options.warmupMs, measureMs: options.measureMs },
        timeoutMs: CHILD_TIMEOUT_MS,
      }),
    runJava: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureCommandRtt',
        args: {
          driver: 'java',
          aeronDir: java.handle().aeronDir,
          busy,
          warmupMs: options.warmupMs,
          measureMs: options.measureMs,
        },
        timeoutMs: CHILD_TIMEOUT_MS,
      }),
    teardown: () => java.stop(),
  };
}

function idleCpuCase(mode: ThreadingMode): BenchCase {
  const java = javaDriverFor();
  return {
    name: `driver-idle-cpu-${mode.toLowerCase()}`,
    description: `CPU of an idle driver over ${IDLE_SECONDS} s: TS driver ${mode} (whole Node process) vs Java driver process`,
    metric: 'CPU',
    unit: '% core',
    higherIsBetter: false,
    setup: async () => {
      await java.start();
    },
    runTs: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureIdleCpu',
        args: { driver: mode, seconds: options.quick ? 3 : IDLE_SECONDS },
        timeoutMs: CHILD_TIMEOUT_MS,
      }),
    runJava: (options) => javaIdleCpu(java.handle().pid, options.quick ? 3 : IDLE_SECONDS),
    teardown: () => java.stop(),
  };
}

/** The cases, SHARED then INVOKER. */
export const DRIVER_RUNNER_CASES: readonly BenchCase[] = [
  commandRttCase('SHARED', false),
  commandRttCase('INVOKER', false),
  commandRttCase('SHARED', true),
  commandRttCase('INVOKER', true),
  idleCpuCase('SHARED'),
  idleCpuCase('INVOKER'),
];
