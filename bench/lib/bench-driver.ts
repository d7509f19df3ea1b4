/**
 * A standalone media driver for data-path cases (IPC/UDP throughput, ping-pong, archive), started
 * through the test harness (`harness/driver.ts`: fresh aeron dir, stop by PID, no leftovers) with the
 * 2-core benchmark settings of perf-anchors.md §1.1: SHARED threading, backoff idle, no sparse term
 * files, pre-touched memory, 8k MTU, 2m socket buffers and receiver window.
 *
 * Which driver is the harness's choice (`AERON_TEST_DRIVER`, default the Java one): with `ts` it is the
 * TypeScript driver's CLI (`aeron-ts driver <properties file>`, SHARED worker), which takes the same properties
 * and ignores the `aeron.*` names it does not read (`aeron.shared.idle.strategy`: its idle is Agrona's backoff
 * anyway; `aeron.pre.touch.mapped.memory`) and the JVM settings.
 *
 * The harness's JVM flags cap the JIT at C1 and use SerialGC; the flags added here lift both, so the
 * Java driver runs at full speed. Use the same driver for the TS and Java sides of a case, never both at once.
 */
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';

export const BENCH_DRIVER_PROPERTIES: Readonly<Record<string, string>> = {
  'aeron.threading.mode': 'SHARED',
  'aeron.shared.idle.strategy': 'backoff',
  'aeron.term.buffer.sparse.file': 'false',
  'aeron.pre.touch.mapped.memory': 'true',
  'aeron.mtu.length': '8k',
  'aeron.ipc.mtu.length': '8k',
  'aeron.socket.so_sndbuf': '2m',
  'aeron.socket.so_rcvbuf': '2m',
  'aeron.rcv.initial.window.length': '2m',
  'agrona.disable.bounds.checks': 'true',
  'java.net.preferIPv4Stack': 'true',
};

/** Overrides the harness's C1-only / SerialGC / 256m flags (later flags win). */
export const BENCH_DRIVER_JVM_ARGS: readonly string[] = [
  '-XX:TieredStopAtLevel=4',
  '-XX:-UseSerialGC',
  '-XX:+UseParallelGC',
  '-Xmx1g',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:GuaranteedSafepointInterval=300000',
];

export interface BenchDriverOptions {
  /** Extra or overriding driver properties. */
  readonly properties?: Readonly<Record<string, string>>;
}

export function startBenchMediaDriver(options: BenchDriverOptions = {}): Promise<DriverHandle> {
  return startMediaDriver({
    properties: { ...BENCH_DRIVER_PROPERTIES, ...options.properties },
    jvmArgs: BENCH_DRIVER_JVM_ARGS,
    readyTimeoutMs: 60_000,
  });
}

/** Archive settings from perf-anchors.md §1.1 on top of the driver's. */
export function startBenchArchivingMediaDriver(options: BenchDriverOptions = {}): Promise<ArchivingDriverHandle> {
  return startArchivingMediaDriver({
    properties: {
      ...BENCH_DRIVER_PROPERTIES,
      'aeron.archive.file.sync.level': '0',
      'aeron.archive.file.io.max.length': '1m',
      'aeron.archive.segment.file.length': '1g',
      'aeron.spies.simulate.connection': 'true',
      ...options.properties,
    },
    jvmArgs: BENCH_DRIVER_JVM_ARGS,
    readyTimeoutMs: 60_000,
  });
}
