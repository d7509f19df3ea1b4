/**
 * Untethered IPC subscriptions through the TypeScript media driver (Aeron 1.51.0
 * `IpcPublication.checkUntetheredSubscriptions`, `UntetheredSubscription`), with our own client on both ends: a
 * `tether=false` subscriber that stops polling holds the publication back for `untetheredWindowLimitTimeoutNs` at
 * most, then gets ON_UNAVAILABLE_IMAGE, stops counting for the publisher limit after the linger, and (with
 * `rejoin`, the default) gets ON_AVAILABLE_IMAGE again after `untetheredRestingTimeoutNs`, at the stream's current
 * position, with the same subscriber position counter; `rejoin=false` drops it for good and frees its counter. A
 * tethered subscriber that stops polling keeps the publication at its limit. The same cases run against the Java
 * 1.51.0 media driver (describeInterop, the same timeouts as `-D` properties): both drivers behave alike.
 *
 * ```
 *  64 KiB terms: term window 32 KiB; untethered window limit = consumer position - 32 KiB + 8 KiB
 * ```
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Image } from '../../src/client/image.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { CncView, DEADLINE_MS, launchTestDriver } from './support.ts';

const PUBLICATION_CHANNEL = 'aeron:ipc?term-length=64k';
const TERM_WINDOW = 32 * 1024;
const WINDOW_LIMIT_TIMEOUT_NS = 300_000_000;
const RESTING_TIMEOUT_NS = 600_000_000;
const MESSAGE = new Uint8Array(1000);
/** One message's frame: 32-byte header + 1000 bytes, 32-byte aligned. An offer below the limit may cross it by one. */
const FRAME_LENGTH = 1056;

/** Offers and drains `tethered` until `done()`, yielding to the event loop (the INVOKER driver runs there). */
async function publishUntil(
  what: string,
  publication: Publication,
  tethered: Subscription,
  done: () => boolean,
): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  const handler = (): void => {};
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    for (let i = 0; i < 8; i++) publication.offer(MESSAGE, 0, MESSAGE.length);
    tethered.poll(handler, 100);
    await yieldToLoop();
  }
}

/** A running driver for the suite: its directory, a view of its CnC file, and how to stop it. */
interface SuiteDriver {
  readonly aeronDir: string;
  close(): Promise<void>;
}

function untetheredSuite(name: string, start: () => Promise<SuiteDriver>): void {
  describe(name, () => {
    let driver: SuiteDriver;
    let view: CncView;
    let aeron: Aeron;

    beforeAll(async () => {
      driver = await start();
      view = new CncView(driver.aeronDir);
      aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'untethered' });
    }, 120_000);

    afterAll(async () => {
      aeron?.close();
      view?.[Symbol.dispose]();
      await driver?.close();
    }, 60_000);

    untetheredCases(() => ({ aeron, view }));
  });
}

function untetheredCases(get: () => { aeron: Aeron; view: CncView }): void {
  it('drops a stalled untethered subscriber (ON_UNAVAILABLE_IMAGE), lets the stream go on, rejoins it at the current position', async () => {
    const streamId = 7001;
    const available: Image[] = [];
    const unavailable: Image[] = [];
    const { aeron } = get();
    const tethered = await aeron.addSubscription('aeron:ipc', streamId);
    const untethered = await aeron.addSubscription('aeron:ipc?tether=false', streamId, {
      availableImageHandler: (image) => available.push(image),
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addPublication(PUBLICATION_CHANNEL, streamId);
    try {
      await awaitCondition('both images', () => tethered.imageCount === 1 && untethered.imageCount === 1);
      const stalled = untethered.images[0]!;
      const positionId = stalled.subscriberPositionId;
      expect(stalled.position).toBe(0);

      // The stalled subscriber holds the publication at its window first, then is left behind.
      await publishUntil('ON_UNAVAILABLE_IMAGE', publication, tethered, () => unavailable.length === 1);
      expect(unavailable[0]).toBe(stalled);
      expect(untethered.imageCount).toBe(0);
      expect(publication.position()).toBeLessThanOrEqual(TERM_WINDOW + FRAME_LENGTH);

      // After the linger its position no longer counts: the stream moves well past its window.
      await publishUntil(
        'the publication past the dropped subscriber',
        publication,
        tethered,
        () => publication.position() > 4 * TERM_WINDOW,
      );

      // After the rest it rejoins where the stream is, with the same sub-pos counter.
      await publishUntil('ON_AVAILABLE_IMAGE again', publication, tethered, () => available.length === 2);
      const rejoined = available[1]!;
      expect(untethered.imageCount).toBe(1);
      expect(rejoined.subscriberPositionId).toBe(positionId);
      expect(rejoined.joinPosition).toBeGreaterThan(4 * TERM_WINDOW);

      // It reads what is published from there on.
      let received = 0;
      await publishUntil('messages on the rejoined image', publication, tethered, () => {
        untethered.poll(() => received++, 100);
        return received >= 10;
      });
    } finally {
      publication.close();
      untethered.close();
      tethered.close();
    }
  });

  it('rejoin=false: a subscriber left behind is dropped for good and its sub-pos counter freed', async () => {
    const streamId = 7002;
    const available: Image[] = [];
    const unavailable: Image[] = [];
    const { aeron, view } = get();
    const tethered = await aeron.addSubscription('aeron:ipc', streamId);
    const untethered = await aeron.addSubscription('aeron:ipc?tether=false|rejoin=false', streamId, {
      availableImageHandler: (image) => available.push(image),
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addPublication(PUBLICATION_CHANNEL, streamId);
    try {
      await awaitCondition('both images', () => tethered.imageCount === 1 && untethered.imageCount === 1);
      const positionId = untethered.images[0]!.subscriberPositionId;
      await publishUntil('ON_UNAVAILABLE_IMAGE', publication, tethered, () => unavailable.length === 1);
      const counters = view.counters;
      await publishUntil(
        'the sub-pos counter freed',
        publication,
        tethered,
        () => counters.getCounterState(positionId) !== RECORD_ALLOCATED,
      );
      // Well past a rest, no rejoin.
      const restEnd = Date.now() + (2 * RESTING_TIMEOUT_NS) / 1e6;
      await publishUntil('two resting timeouts', publication, tethered, () => Date.now() > restEnd);
      expect(available).toHaveLength(1);
      expect(untethered.imageCount).toBe(0);
      expect(publication.position()).toBeGreaterThan(4 * TERM_WINDOW);
    } finally {
      publication.close();
      untethered.close();
      tethered.close();
    }
  });

  it('a tethered subscriber that stops polling holds the publication at its window (the default)', async () => {
    const streamId = 7003;
    const unavailable: Image[] = [];
    const { aeron } = get();
    const reader = await aeron.addSubscription('aeron:ipc', streamId);
    const stalled = await aeron.addSubscription('aeron:ipc', streamId, {
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addPublication(PUBLICATION_CHANNEL, streamId);
    try {
      await awaitCondition('both images', () => reader.imageCount === 1 && stalled.imageCount === 1);
      // Three window limit timeouts: an untethered subscriber would have been dropped twice over.
      const end = Date.now() + (3 * WINDOW_LIMIT_TIMEOUT_NS) / 1e6;
      await publishUntil('three window limit timeouts', publication, reader, () => Date.now() > end);
      expect(unavailable).toHaveLength(0);
      expect(stalled.imageCount).toBe(1);
      expect(publication.position()).toBeLessThanOrEqual(TERM_WINDOW + FRAME_LENGTH);
      expect(publication.position()).toBeGreaterThanOrEqual(TERM_WINDOW);
    } finally {
      publication.close();
      stalled.close();
      reader.close();
    }
  });
}

untetheredSuite('untethered IPC subscriptions through the TS driver (tether=false)', async () => {
  const driver = await launchTestDriver({
    timerIntervalNs: 10_000_000,
    untetheredWindowLimitTimeoutNs: WINDOW_LIMIT_TIMEOUT_NS,
    untetheredRestingTimeoutNs: RESTING_TIMEOUT_NS,
  });
  return { aeronDir: driver.aeronDir, close: () => driver.close() };
});

describeInterop('untethered IPC subscriptions through the Java 1.51.0 driver (the same cases)', () => {
  untetheredSuite('Java driver', async () => {
    const java: DriverHandle = await startMediaDriver({
      driver: JAVA_DRIVER,
      properties: {
        'aeron.timer.interval': '10ms',
        'aeron.untethered.window.limit.timeout': `${WINDOW_LIMIT_TIMEOUT_NS / 1_000_000}ms`,
        'aeron.untethered.resting.timeout': `${RESTING_TIMEOUT_NS / 1_000_000}ms`,
      },
    });
    return { aeronDir: java.aeronDir, close: () => java.stop() };
  });
});
