/**
 * The IPC data path through the TypeScript media driver allocates nothing per message, the conductor's per-cycle
 * publication work nothing per cycle, and an idle duty cycle nothing (issue 15's hot-path rule). Measured with the
 * V8 heap's used size around a synchronous run with no garbage collection inside it: 160,000 messages offered and
 * polled (our client) through 64 KiB terms, and 320,000 runs of the publication's per-cycle work
 * (`updatePublisherPositionAndLimit`: positions read, pub-pos and pub-lmt stored, consumed terms cleaned) moving its
 * limit; then 320,000 idle duty cycles of the whole conductor (`doWork` with the default clock, a publication and a
 * subscription linked). An object per cycle (>= 16 bytes) would exceed the bound 20 times over (and collect). A
 * clock read allocates on Node 20 (a boxed double, 16 bytes), so an idle streak reads the clock once every
 * IDLE_CYCLES_PER_CLOCK_READ (64) cycles (DriverConductor.doWork): 0.25 bytes a cycle, 80 KB over the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aeron } from '../../src/client/aeron.ts';
import { HeapGrowthMeter } from '../support/heap-growth.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const ROUNDS = 20_000;
const CYCLES_PER_ROUND = 16;
/** Bytes a measured run may allocate: far below one small object per cycle (>= 16 B x 320,000 = 5 MB). */
const BOUND_BYTES = 256 * 1024;

describe('IPC data path allocation through the TS driver', () => {
  let driver: TestDriver;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await launchTestDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ipc-allocation' });
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
  });

  it('offers and polls allocate nothing per message, the per-cycle publication work and idle duty cycles nothing per cycle', async () => {
    const channel = 'aeron:ipc?term-length=64k';
    const subscription = await aeron.addSubscription(channel, 5001);
    const publication = await aeron.addExclusivePublication(channel, 5001);
    using meter = new HeapGrowthMeter();
    try {
      await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
      const ipcPublication = driver.driver.core.conductor.ipcPublications[0]!;
      const message = new Uint8Array(200);
      const handler = (): void => {};
      const run = (): void => {
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < 8; i++) publication.offer(message, 0, message.length);
          subscription.poll(handler, 16);
          for (let i = 0; i < CYCLES_PER_ROUND; i++) ipcPublication.updatePublisherPositionAndLimit();
        }
      };
      run(); // warm up: optimised code
      // A path that allocated per cycle or per message would collect in most runs and exceed the bound in the others.
      let growth: number | null = null;
      for (let attempt = 0; attempt < 10 && growth === null; attempt++) growth = await meter.measure(run);
      expect(publication.position()).toBeGreaterThan(40 * 64 * 1024); // terms rotated and cleaned many times
      expect(growth, 'a run without garbage collection').not.toBeNull();
      expect(growth).toBeLessThan(BOUND_BYTES);

      // Idle duty cycles of the whole conductor: nothing to do but its timers and clock.
      const conductor = driver.driver.core.conductor;
      const idle = (): void => {
        for (let i = 0; i < ROUNDS * CYCLES_PER_ROUND; i++) conductor.doWork();
      };
      for (let i = 0; i < 3; i++) idle(); // warm up (tier-up compiles the loop)
      // The least growth of up to 5 collection-free runs: a per-cycle allocation shows in every run, whereas a
      // background compilation finishing inside a run (late on loaded cores) adds its code objects to one run only.
      let idleBytes: number | null = null;
      let measured = 0;
      for (let attempt = 0; attempt < 20 && measured < 5; attempt++) {
        const growth = await meter.measure(idle);
        if (growth === null) continue;
        measured++;
        if (idleBytes === null || growth < idleBytes) idleBytes = growth;
      }
      expect(idleBytes, 'an idle run without garbage collection').not.toBeNull();
      expect(idleBytes).toBeLessThan(BOUND_BYTES);
    } finally {
      publication.close();
      subscription.close();
    }
  });
});
