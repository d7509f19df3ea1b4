/**
 * The codec cases: `codec-roundtrip` (var data as strings), `codec-roundtrip-bytes` (var data through
 * reused byte arrays), `codec-roundtrip-flat` (the `codec-roundtrip` messages through the generated flat path:
 * `encodeX`/`decodeX` with reused values objects, bench/cases/codec-flat-workload.ts; the Java side is the same
 * `CodecBench string`) and `codec-alloc` (heap bytes per message on the fixed-field path, TS only).
 *
 * Each repetition runs in a fresh process on each side: a TS child (bench/cases/codec-measure.ts) and a
 * JVM running bench/java/CodecBench.java with Aeron's own generated codecs. Setup also checks that both
 * sides encode byte-identical buffers, so they really do the same work.
 */
import { fileURLToPath } from 'node:url';
import { runTsChild } from '../../harness/ts-child.ts';
import type { BenchCase, BenchOptions, Sample } from '../lib/bench-case.ts';
import { compileBenchJava, runBenchJava } from '../lib/bench-java.ts';
import { CodecFlatWorkload } from './codec-flat-workload.ts';
import { type CodecVariant, CodecWorkload } from './codec-workload.ts';

const MEASURE_MODULE = fileURLToPath(new URL('./codec-measure.ts', import.meta.url));
const FLAT_MEASURE_MODULE = fileURLToPath(new URL('./codec-flat-workload.ts', import.meta.url));

let javaClasspath: string[] | null = null;

function classpath(): string[] {
  javaClasspath ??= compileBenchJava(['CodecBench.java']);
  return javaClasspath;
}

/** The buffer the TS workload holds after iterations [0, BATCH), as hex. */
function tsFirstHex(variant: CodecVariant): string {
  const workload = new CodecWorkload();
  workload.batch(variant, 0);
  return workload.hex();
}

/** The buffer the TS flat workload holds after iterations [0, BATCH), as hex; throws if it is not the flyweights'. */
function tsFlatFirstHex(): string {
  const workload = new CodecFlatWorkload();
  if (!workload.sameBytesAsFlyweights('string')) throw new Error('codec flat path: bytes differ from the flyweights');
  return Buffer.from(workload.buffer).toString('hex');
}

function deadline(options: BenchOptions): number {
  return options.warmupMs + options.measureMs + 120_000;
}

async function runJavaThroughput(
  variant: CodecVariant,
  options: BenchOptions,
  tsHex: () => string = () => tsFirstHex(variant),
): Promise<Sample> {
  const fields = await runBenchJava({
    classpath: classpath(),
    mainClass: 'CodecBench',
    args: [variant, String(options.warmupMs), String(options.measureMs)],
    timeoutMs: deadline(options),
  });
  const value = fields.messagesPerSecond;
  if (typeof value !== 'number') throw new Error(`CodecBench printed no messagesPerSecond: ${JSON.stringify(fields)}`);
  const javaHex = String(fields.firstHex);
  if (javaHex !== tsHex()) {
    throw new Error(`CodecBench ${variant}: the Java codecs encoded different bytes from ours; the loops differ`);
  }
  return {
    value,
    detail: {
      messages: Number(fields.messages),
      elapsedMs: Number(fields.elapsedNs) / 1e6,
      cpuMs: Number(fields.cpuNs) / 1e6,
      messagesPerCpuSecond: (Number(fields.messages) * 1e9) / Number(fields.cpuNs),
      sameBytesAsTs: true,
    },
  };
}

function runTsThroughput(variant: CodecVariant, options: BenchOptions): Promise<Sample> {
  return runTsChild({
    module: MEASURE_MODULE,
    exportName: 'measureCodecThroughput',
    args: { variant, warmupMs: options.warmupMs, measureMs: options.measureMs },
    timeoutMs: deadline(options),
  });
}

function throughputCase(name: string, variant: CodecVariant, description: string): BenchCase {
  return {
    name,
    description,
    metric: 'messages encoded+decoded per second',
    unit: 'msg/s',
    higherIsBetter: true,
    async setup() {
      classpath();
    },
    runTs: (options) => runTsThroughput(variant, options),
    runJava: (options) => runJavaThroughput(variant, options),
  };
}

export const codecRoundtrip: BenchCase = throughputCase(
  'codec-roundtrip',
  'string',
  'ReplayRequest + RecordingDescriptor + ControlResponse: encode from strings, decode every field, var data to new strings',
);

export const codecRoundtripBytes: BenchCase = throughputCase(
  'codec-roundtrip-bytes',
  'bytes',
  'same messages, var data put from / copied into reused byte arrays (putX(bytes) / getX(dst))',
);

export const codecRoundtripFlat: BenchCase = {
  name: 'codec-roundtrip-flat',
  description:
    'codec-roundtrip through the generated flat path (encodeX/decodeX into reused values objects); Java: CodecBench string',
  metric: 'messages encoded+decoded per second',
  unit: 'msg/s',
  higherIsBetter: true,
  async setup() {
    classpath();
    tsFlatFirstHex();
  },
  runTs: (options) =>
    runTsChild({
      module: FLAT_MEASURE_MODULE,
      exportName: 'measureCodecFlatThroughput',
      args: { variant: 'string', warmupMs: options.warmupMs, measureMs: options.measureMs },
      timeoutMs: deadline(options),
    }),
  runJava: (options) => runJavaThroughput('string', options, tsFlatFirstHex),
};

const ALLOC_MESSAGES = 10_000_000;

export const codecAlloc: BenchCase = {
  name: 'codec-alloc',
  description: `TS heap bytes per message, StopReplayRequest + ControlResponse (fixed fields), ${ALLOC_MESSAGES / 1e6} M msgs after warm-up`,
  metric: 'heap bytes allocated per message',
  unit: 'B/msg',
  higherIsBetter: false,
  reps: { full: 3, quick: 1 },
  timing: { full: { warmupMs: 0, measureMs: 0 }, quick: { warmupMs: 0, measureMs: 0 } },
  runTs: () =>
    runTsChild({
      module: MEASURE_MODULE,
      exportName: 'measureCodecAlloc',
      args: { variant: 'fixed', messages: ALLOC_MESSAGES, warmupPasses: 1 },
      nodeFlags: ['--expose-gc'],
      timeoutMs: 300_000,
    }),
  runJava: null,
};
