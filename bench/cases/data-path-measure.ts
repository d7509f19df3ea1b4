/**
 * Measurement functions of the data-path cases, each run in a fresh TS child process (bench/lib/ts-child.ts)
 * against the case's Java media driver:
 *
 * - `measureThroughput`: publisher in a `worker_threads` worker (bench/workers/publisher-worker.ts), subscriber
 *   here on the main thread, both busy-spinning with their own client in invoker mode. Messages received per
 *   second over `measureMs` after `warmupMs`; the clock is read once per 1024 polls, never per message. The
 *   detail adds the process's CPU time (all threads) per wall time and messages per CPU-second, as the Java
 *   side does: on the shared 2-core box the two spinning threads rarely get two cores.
 * - `measurePingPong`: pong in a worker (bench/workers/pong-worker.ts), ping here: one message in flight,
 *   RTT = `performance.now()` after the reply minus before the offer, raw samples kept and summarised by
 *   `percentiles` (rtt-stats.ts), exactly as DataPathBench.java does.
 * - `measureDataPathAlloc`: one thread, exclusive IPC publication and subscription of one client: offer a
 *   burst then poll it, heap growth per chunk of messages (chunks overlapping a GC left out), as codec-alloc.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { Aeron } from '../../src/client/aeron.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import type { ReadableBuffer } from '../../src/logbuffer/index.ts';
import type { Sample } from '../lib/bench-case.ts';
import { firstMessage, startTsWorker } from '../workers/spawn-ts-worker.ts';
import {
  newControl,
  type PongWorkerData,
  type PublisherReport,
  type PublisherWorkerData,
  READY,
  STOP,
} from '../workers/worker-control.ts';
import { percentiles } from './rtt-stats.ts';

const SETUP_TIMEOUT_MS = 60_000;
const FRAGMENT_LIMIT = 256;

async function waitFor(what: string, aeron: Aeron, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + SETUP_TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    aeron.doWork();
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function stopWorker<T>(worker: Worker, control: Int32Array, what: string): Promise<T> {
  const report = firstMessage<T>(worker, SETUP_TIMEOUT_MS, what);
  Atomics.store(control, STOP, 1);
  const result = await report;
  await worker.terminate();
  return result;
}

export interface ThroughputArgs {
  readonly aeronDir: string;
  readonly channel: string;
  readonly streamId: number;
  readonly exclusive: boolean;
  readonly messageLength: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** Polls until `endMs`, reading the clock every 1024 polls; returns the time it stopped. */
function pollUntil(
  aeron: Aeron,
  subscription: Subscription,
  handler: (b: ReadableBuffer, o: number, l: number) => void,
  endMs: number,
): number {
  for (let iteration = 1; ; iteration++) {
    subscription.poll(handler, FRAGMENT_LIMIT);
    if ((iteration & 1023) === 0) {
      aeron.doWork();
      const now = performance.now();
      if (now >= endMs) return now;
    }
  }
}

export async function measureThroughput(args: ThroughputArgs): Promise<Sample> {
  const aeron = await Aeron.connect({
    aeronDir: args.aeronDir,
    useConductorAgentInvoker: true,
    driverTimeoutMs: 20_000,
    preTouchMappedMemory: true,
  });
  const subscription = await aeron.addSubscription(args.channel, args.streamId);
  const control = newControl();
  const data: PublisherWorkerData = { control, ...args };
  const worker = startTsWorker(new URL('../workers/publisher-worker.ts', import.meta.url), data);
  worker.on('error', (e) => process.stderr.write(`publisher worker: ${String(e)}\n`));
  await waitFor(
    'publisher ready and image available',
    aeron,
    () => Atomics.load(control, READY) === 1 && subscription.imageCount > 0,
  );

  let received = 0;
  let bytes = 0;
  const handler = (_buffer: ReadableBuffer, _offset: number, length: number): void => {
    received++;
    bytes += length;
  };
  pollUntil(aeron, subscription, handler, performance.now() + args.warmupMs);
  const startCount = received;
  const startBytes = bytes;
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const end = pollUntil(aeron, subscription, handler, start + args.measureMs);
  const cpu = process.cpuUsage(startCpu);
  const messages = received - startCount;
  const elapsedMs = end - start;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const report = await stopWorker<PublisherReport>(worker, control, 'publisher report');
  subscription.close();
  aeron.close();
  return {
    value: (messages * 1000) / elapsedMs,
    detail: {
      messages,
      elapsedMs,
      payloadBytesPerSecond: ((bytes - startBytes) * 1000) / elapsedMs,
      sent: report.sent,
      backPressureRatio: report.backPressured / (report.sent + report.backPressured),
      cpuPerWall: cpuMs / elapsedMs,
      messagesPerCpuSecond: (messages * 1000) / Math.max(1e-3, cpuMs),
    },
  };
}

export interface PingPongArgs {
  readonly aeronDir: string;
  readonly pingChannel: string;
  readonly pingStreamId: number;
  readonly pongChannel: string;
  readonly pongStreamId: number;
  readonly messageLength: number;
  readonly warmupMessages: number;
  readonly messages: number;
  /** Stop sampling after this long even if fewer than `messages` round trips were made. */
  readonly maxMs: number;
}

/** A round trip that has not completed in this long means a lost message or a dead peer: fail the run. */
const STUCK_MS = 30_000;

export async function measurePingPong(args: PingPongArgs): Promise<Sample> {
  const aeron = await Aeron.connect({
    aeronDir: args.aeronDir,
    useConductorAgentInvoker: true,
    driverTimeoutMs: 20_000,
    preTouchMappedMemory: true,
  });
  const subscription = await aeron.addSubscription(args.pongChannel, args.pongStreamId);
  const publication = await aeron.addExclusivePublication(args.pingChannel, args.pingStreamId);
  const control = newControl();
  const data: PongWorkerData = { control, ...args };
  const worker = startTsWorker(new URL('../workers/pong-worker.ts', import.meta.url), data);
  worker.on('error', (e) => process.stderr.write(`pong worker: ${String(e)}\n`));
  await waitFor(
    'pong ready and both streams connected',
    aeron,
    () => Atomics.load(control, READY) === 1 && subscription.imageCount > 0 && publication.isConnected(),
  );

  const message = new Uint8Array(args.messageLength);
  let replies = 0;
  const onPong = (): void => {
    replies++;
  };
  const roundTrip = (): number => {
    const expected = replies + 1;
    const t0 = performance.now();
    for (let retries = 1; publication.offer(message, 0, message.length) < 0; retries++) {
      if ((retries & 1023) === 0) {
        aeron.doWork();
        if (performance.now() - t0 > STUCK_MS) throw new Error('ping offer refused for 30 s');
      }
    }
    for (let polls = 1; replies < expected; polls++) {
      subscription.poll(onPong, 1);
      if ((polls & 0xffff) === 0) {
        aeron.doWork();
        if (performance.now() - t0 > STUCK_MS) throw new Error('no pong within 30 s');
      }
    }
    return performance.now() - t0;
  };
  const warmupEnd = performance.now() + args.maxMs;
  for (let i = 0; i < args.warmupMessages && performance.now() < warmupEnd; i++) {
    roundTrip();
    if ((i & 1023) === 0) aeron.doWork();
  }
  const samplesNs = new Float64Array(args.messages);
  const end = performance.now() + args.maxMs;
  let count = 0;
  while (count < args.messages) {
    samplesNs[count++] = roundTrip() * 1e6;
    if ((count & 63) === 0) {
      aeron.doWork();
      if (performance.now() >= end) break;
    }
  }
  await stopWorker<{ echoed: number }>(worker, control, 'pong report');
  publication.close();
  subscription.close();
  aeron.close();
  const stats = percentiles(samplesNs.subarray(0, count));
  return { value: stats.p99, detail: { messages: count, ...stats } };
}

export interface AllocArgs {
  readonly aeronDir: string;
  readonly channel: string;
  readonly streamId: number;
  readonly messageLength: number;
  /** Messages measured after warm-up. */
  readonly messages: number;
  /** Warm-up passes over the same loop, each of `messages`. */
  readonly warmupPasses: number;
}

/** Messages per chunk: offered as one burst, then polled until all are back. */
const CHUNK = 1000;

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * Heap bytes per message on offer + poll, after warm-up, with GC count. One chunk = offer CHUNK messages
 * (retrying on back pressure) then poll until all CHUNK arrived; a chunk's growth of `used_heap_size` is its
 * allocation; chunks overlapping a GC are left out. `aeron.doWork()` runs between chunks, outside them.
 */
export async function measureDataPathAlloc(args: AllocArgs): Promise<Sample> {
  const aeron = await Aeron.connect({
    aeronDir: args.aeronDir,
    useConductorAgentInvoker: true,
    driverTimeoutMs: 20_000,
    preTouchMappedMemory: true,
  });
  const subscription = await aeron.addSubscription(args.channel, args.streamId);
  const publication = await aeron.addExclusivePublication(args.channel, args.streamId);
  await waitFor('image', aeron, () => subscription.imageCount > 0 && publication.isConnected());
  const message = new Uint8Array(args.messageLength);
  let received = 0;
  const handler = (buffer: ReadableBuffer, offset: number, _length: number): void => {
    received += buffer.getInt8(offset) === 0 ? 1 : 1;
  };
  const chunkCount = Math.ceil(args.messages / CHUNK);
  const chunkStart = new Float64Array(chunkCount);
  const chunkEnd = new Float64Array(chunkCount);
  const chunkDelta = new Float64Array(chunkCount);
  let backPressured = 0;
  const runChunk = (): void => {
    const target = received + CHUNK;
    let sent = 0;
    while (sent < CHUNK) {
      if (publication.offer(message, 0, message.length) > 0) sent++;
      else {
        backPressured++;
        subscription.poll(handler, FRAGMENT_LIMIT);
      }
    }
    while (received < target) subscription.poll(handler, FRAGMENT_LIMIT);
  };
  const runPass = (): void => {
    for (let c = 0; c < chunkCount; c++) {
      aeron.doWork();
      chunkStart[c] = performance.now();
      const before = usedHeap();
      runChunk();
      const after = usedHeap();
      chunkEnd[c] = performance.now();
      chunkDelta[c] = after - before;
    }
  };
  for (let pass = 0; pass < args.warmupPasses; pass++) runPass();

  (globalThis as { gc?: () => void }).gc?.();
  let overhead = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 100; i++) {
    const before = usedHeap();
    const after = usedHeap();
    overhead = Math.min(overhead, after - before);
  }
  const gcWindows: Array<readonly [number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcWindows.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  const heapStart = usedHeap();
  const measureStart = performance.now();
  runPass();
  const measureEnd = performance.now();
  const heapEnd = usedHeap();
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();

  let allocated = 0;
  let counted = 0;
  for (let c = 0; c < chunkCount; c++) {
    const t0 = chunkStart[c]!;
    const t1 = chunkEnd[c]!;
    if (gcWindows.some(([g0, g1]) => g0 <= t1 && g1 >= t0)) continue;
    allocated += Math.max(0, chunkDelta[c]! - overhead);
    counted++;
  }
  const gcCount = gcWindows.filter(([g0]) => g0 >= measureStart && g0 <= measureEnd).length;
  publication.close();
  subscription.close();
  aeron.close();
  const countedMessages = counted * CHUNK;
  return {
    value: countedMessages === 0 ? Number.NaN : allocated / countedMessages,
    detail: {
      messages: chunkCount * CHUNK,
      countedMessages,
      gcCount,
      heapGrowthBytes: heapEnd - heapStart,
      statsOverheadBytes: overhead,
      backPressured,
      messagesPerSecond: (chunkCount * CHUNK * 1000) / (measureEnd - measureStart),
    },
  };
}
