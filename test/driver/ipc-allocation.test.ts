/**
 * The IPC data path through the TypeScript media driver allocates nothing per message, and the conductor's
 * per-cycle publication work nothing per cycle (issue 15's hot-path rule). Measured with the V8 heap's used size
 * around a synchronous run with no garbage collection inside it:
 * - offers and polls (our client) moving 160,000 messages through 64 KiB terms: the heap may not grow by more
 *   than the bound;
 * - 320,000 duty cycles of a driver whose publication limit those messages keep moving (positions read, pub-pos and
 *   pub-lmt stored, consumed terms cleaned, terms rotated), against as many cycles of an idle driver of the same
 *   build: the difference may not exceed the bound. (A duty cycle itself allocates about 16 bytes today, idle or
 *   not: docs/driver.md, "Rules the code follows".)
 * An object per cycle (>= 16 bytes) would exceed the bound 20 times over.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aeron } from '../../src/client/aeron.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const ROUNDS = 20_000;
const CYCLES_PER_ROUND = 16;
/** Bytes a measured run may allocate: far below one small object per cycle (>= 16 B x 320,000 = 5 MB). */
const BOUND_BYTES = 256 * 1024;

describe('IPC data path allocation through the TS driver', () => {
  let driver: TestDriver;
  let idle: TestDriver;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await launchTestDriver();
    idle = await launchTestDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ipc-allocation' });
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
    await idle?.close();
  });

  it('offers and polls allocate nothing per message; the publication work nothing per duty cycle', async () => {
    const channel = 'aeron:ipc?term-length=64k';
    const subscription = await aeron.addSubscription(channel, 5001);
    const publication = await aeron.addExclusivePublication(channel, 5001);
    let gcs: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcs.push(entry.startTime);
    });
    observer.observe({ entryTypes: ['gc'] });
    try {
      await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
      const conductor = driver.driver.core.conductor;
      const idleConductor = idle.driver.core.conductor;
      const message = new Uint8Array(200);
      const handler = (): void => {};
      const run = (): void => {
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < 8; i++) publication.offer(message, 0, message.length);
          subscription.poll(handler, 16);
          for (let i = 0; i < CYCLES_PER_ROUND; i++) conductor.doWork();
        }
      };
      const runIdle = (): void => {
        for (let i = 0; i < ROUNDS * CYCLES_PER_ROUND; i++) idleConductor.doWork();
      };
      /** Heap growth over `work`, or null when a collection ran meanwhile (the figure then says nothing). */
      const heapGrowth = async (work: () => void): Promise<number | null> => {
        await yieldToLoop();
        gcs = [];
        const start = performance.now();
        const before = process.memoryUsage().heapUsed;
        work();
        const after = process.memoryUsage().heapUsed;
        const end = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return gcs.some((t) => t >= start && t <= end) ? null : after - before;
      };
      run(); // warm up: optimised code
      runIdle();
      // A path that allocated per cycle or per message would collect in most runs and exceed the bound in the others.
      let busy: number | null = null;
      let quiet: number | null = null;
      for (let attempt = 0; attempt < 10 && (busy === null || quiet === null); attempt++) {
        busy ??= await heapGrowth(run);
        quiet ??= await heapGrowth(runIdle);
      }
      expect(publication.position()).toBeGreaterThan(40 * 64 * 1024); // terms rotated and cleaned many times
      expect(busy, 'a busy run without garbage collection').not.toBeNull();
      expect(quiet, 'an idle run without garbage collection').not.toBeNull();
      expect(busy! - quiet!, `busy ${busy} B, idle ${quiet} B`).toBeLessThan(BOUND_BYTES);
    } finally {
      observer.disconnect();
      publication.close();
      subscription.close();
    }
  });
});
