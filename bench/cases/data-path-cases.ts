/**
 * The data-path cases: throughput over IPC and UDP loopback, ping-pong round trips, and heap allocation on
 * offer + poll. Each case starts one benchmark-tuned media driver (bench/lib/bench-driver.ts: the Java one, or
 * the TypeScript one with `AERON_TEST_DRIVER=ts`) in setup; every TS and Java repetition connects to THAT driver
 * in a fresh process (TS child with a `worker_threads` worker / JVM running bench/java/DataPathBench.java), one
 * side at a time.
 *
 * Both sides: two busy-spinning threads (publisher + subscriber, or ping + pong), the same channel, stream,
 * message length, fragment limit (256), clock reads every 1024 polls, and the driver's default term length
 * and MTU (8k, set on the driver).
 */
import { fileURLToPath } from 'node:url';
import type { DriverHandle } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { runTsChild } from '../../harness/ts-child.ts';
import type { BenchCase, BenchOptions, Sample } from '../lib/bench-case.ts';
import { startBenchMediaDriver } from '../lib/bench-driver.ts';
import { compileBenchJava, runBenchJava } from '../lib/bench-java.ts';
import { PERCENTILE_KEYS, RTT_RANK_KEYS } from './rtt-stats.ts';

const MEASURE_MODULE = fileURLToPath(new URL('./data-path-measure.ts', import.meta.url));
const STREAM_ID = 1001;
const PING_STREAM_ID = 1002;
const PONG_STREAM_ID = 1003;

let javaClasspath: string[] | null = null;

function classpath(): string[] {
  javaClasspath ??= compileBenchJava(['DataPathBench.java']);
  return javaClasspath;
}

function num(fields: Record<string, unknown>, name: string): number {
  const value = fields[name];
  if (typeof value !== 'number') throw new Error(`DataPathBench printed no ${name}: ${JSON.stringify(fields)}`);
  return value;
}

/** One driver per case, started in setup and stopped in teardown. */
class DriverSlot {
  #driver: DriverHandle | null = null;
  async start(): Promise<void> {
    this.#driver = await startBenchMediaDriver();
  }
  get aeronDir(): string {
    if (this.#driver === null) throw new Error('driver not started');
    return this.#driver.aeronDir;
  }
  async stop(): Promise<void> {
    await this.#driver?.stop();
    this.#driver = null;
  }
}

type ChannelFactory = () => Promise<string>;

const ipcChannel: ChannelFactory = async () => 'aeron:ipc';
const udpChannel: ChannelFactory = async () => `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;

interface ThroughputSpec {
  readonly name: string;
  readonly description: string;
  readonly channel: ChannelFactory;
  readonly exclusive: boolean;
  readonly messageLength: number;
}

const THROUGHPUT_TIMING = {
  full: { warmupMs: 5_000, measureMs: 5_000 },
  quick: { warmupMs: 1_000, measureMs: 1_000 },
} as const;
const QUICK_REPS = { full: 5, quick: 1 } as const;

function throughputCase(spec: ThroughputSpec): BenchCase {
  const driver = new DriverSlot();
  let channel = '';
  const deadline = (o: BenchOptions): number => o.warmupMs + o.measureMs + 120_000;
  return {
    name: spec.name,
    description: spec.description,
    metric: 'messages received per second',
    unit: 'msg/s',
    higherIsBetter: true,
    reps: QUICK_REPS,
    timing: THROUGHPUT_TIMING,
    async setup() {
      classpath();
      channel = await spec.channel();
      await driver.start();
    },
    runTs: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureThroughput',
        args: {
          aeronDir: driver.aeronDir,
          channel,
          streamId: STREAM_ID,
          exclusive: spec.exclusive,
          messageLength: spec.messageLength,
          warmupMs: options.warmupMs,
          measureMs: options.measureMs,
        },
        timeoutMs: deadline(options),
      }),
    async runJava(options): Promise<Sample> {
      const fields = await runBenchJava({
        classpath: classpath(),
        mainClass: 'DataPathBench',
        args: [
          'throughput',
          driver.aeronDir,
          channel,
          String(STREAM_ID),
          String(spec.exclusive),
          String(spec.messageLength),
          String(options.warmupMs),
          String(options.measureMs),
        ],
        timeoutMs: deadline(options),
      });
      return {
        value: num(fields, 'messagesPerSecond'),
        detail: {
          messages: num(fields, 'messages'),
          elapsedMs: num(fields, 'elapsedMs'),
          payloadBytesPerSecond: num(fields, 'payloadBytesPerSecond'),
          sent: num(fields, 'sent'),
          backPressureRatio: num(fields, 'backPressureRatio'),
          cpuPerWall: num(fields, 'cpuPerWall'),
          messagesPerCpuSecond: num(fields, 'messagesPerCpuSecond'),
        },
      };
    },
    teardown: () => driver.stop(),
  };
}

export const ipcExcl32 = throughputCase({
  name: 'ipc-excl-32',
  description: 'exclusive publication -> subscription, aeron:ipc, 32 B, publisher thread + subscriber thread',
  channel: ipcChannel,
  exclusive: true,
  messageLength: 32,
});

export const ipcConc32 = throughputCase({
  name: 'ipc-conc-32',
  description: 'concurrent publication -> subscription, aeron:ipc, 32 B, publisher thread + subscriber thread',
  channel: ipcChannel,
  exclusive: false,
  messageLength: 32,
});

export const udp32 = throughputCase({
  name: 'udp-32',
  description: 'exclusive publication -> subscription, UDP loopback, 32 B',
  channel: udpChannel,
  exclusive: true,
  messageLength: 32,
});

export const udp1k = throughputCase({
  name: 'udp-1k',
  description: 'exclusive publication -> subscription, UDP loopback, 1024 B',
  channel: udpChannel,
  exclusive: true,
  messageLength: 1024,
});

interface RttSpec {
  readonly name: string;
  readonly description: string;
  readonly channels: () => Promise<readonly [string, string]>;
}

const RTT_MESSAGES = { full: 1_000_000, quick: 50_000 } as const;
const RTT_WARMUP = { full: 100_000, quick: 20_000 } as const;
/** measureMs caps the sampling (and, separately, the warm-up) when round trips are slow. */
const RTT_TIMING = {
  full: { warmupMs: 0, measureMs: 30_000 },
  quick: { warmupMs: 0, measureMs: 3_000 },
} as const;
const RTT_DETAIL_KEYS: readonly string[] = [
  ...PERCENTILE_KEYS.map((key) => `p${key}`),
  'max',
  'mean',
  ...RTT_RANK_KEYS,
  'messages',
];

function rttCase(spec: RttSpec): BenchCase {
  const driver = new DriverSlot();
  let ping = '';
  let pong = '';
  const counts = (o: BenchOptions): { messages: number; warmup: number } => ({
    messages: o.quick ? RTT_MESSAGES.quick : RTT_MESSAGES.full,
    warmup: o.quick ? RTT_WARMUP.quick : RTT_WARMUP.full,
  });
  return {
    name: spec.name,
    description: spec.description,
    metric: 'round-trip time, 99th percentile',
    unit: 'µs p99',
    higherIsBetter: false,
    reps: QUICK_REPS,
    timing: RTT_TIMING,
    async setup() {
      classpath();
      [ping, pong] = await spec.channels();
      await driver.start();
    },
    runTs(options) {
      const { messages, warmup } = counts(options);
      return runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measurePingPong',
        args: {
          aeronDir: driver.aeronDir,
          pingChannel: ping,
          pingStreamId: PING_STREAM_ID,
          pongChannel: pong,
          pongStreamId: PONG_STREAM_ID,
          messageLength: 32,
          warmupMessages: warmup,
          messages,
          maxMs: options.measureMs,
        },
        timeoutMs: 600_000,
      });
    },
    async runJava(options): Promise<Sample> {
      const { messages, warmup } = counts(options);
      const fields = await runBenchJava({
        classpath: classpath(),
        mainClass: 'DataPathBench',
        args: [
          'pingpong',
          driver.aeronDir,
          ping,
          String(PING_STREAM_ID),
          pong,
          String(PONG_STREAM_ID),
          '32',
          String(warmup),
          String(messages),
          String(options.measureMs),
        ],
        timeoutMs: 600_000,
      });
      const detail: Record<string, number> = {};
      for (const key of RTT_DETAIL_KEYS) detail[key] = num(fields, key);
      return { value: num(fields, 'p99'), detail };
    },
    teardown: () => driver.stop(),
  };
}

export const rttIpc32 = rttCase({
  name: 'rtt-ipc-32',
  description: 'ping-pong round trip, aeron:ipc both ways, 32 B, exclusive publications, one message in flight',
  channels: async () => ['aeron:ipc', 'aeron:ipc'],
});

export const rttUdp32 = rttCase({
  name: 'rtt-udp-32',
  description: 'ping-pong round trip, UDP loopback both ways, 32 B, exclusive publications, one message in flight',
  channels: async () => [
    `aeron:udp?endpoint=localhost:${await freeUdpPort()}`,
    `aeron:udp?endpoint=localhost:${await freeUdpPort()}`,
  ],
});

const ALLOC_MESSAGES = 10_000_000;

export const allocDataPath: BenchCase = (() => {
  const driver = new DriverSlot();
  return {
    name: 'alloc-data-path',
    description: `TS heap bytes per message, exclusive IPC offer + poll (32 B) in one thread, ${ALLOC_MESSAGES / 1e6} M msgs after a warm-up pass`,
    metric: 'heap bytes allocated per message',
    unit: 'B/msg',
    higherIsBetter: false,
    reps: { full: 3, quick: 1 },
    async setup() {
      await driver.start();
    },
    runTs: (options) =>
      runTsChild({
        module: MEASURE_MODULE,
        exportName: 'measureDataPathAlloc',
        args: {
          aeronDir: driver.aeronDir,
          channel: 'aeron:ipc',
          streamId: STREAM_ID,
          messageLength: 32,
          messages: options.quick ? 2_000_000 : ALLOC_MESSAGES,
          warmupPasses: 1,
        },
        nodeFlags: ['--expose-gc'],
        timeoutMs: 600_000,
      }),
    runJava: null,
    teardown: () => driver.stop(),
  };
})();
