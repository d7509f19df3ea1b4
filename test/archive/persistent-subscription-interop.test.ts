/**
 * PersistentSubscription against the real Java ArchivingMediaDriver 1.51.0, following Aeron's own
 * `PersistentSubscriptionTest.shouldSwitchFromReplayToLiveAndFallBackToReplay`: a recorded dynamic-MDC
 * publication with `fc=max`, the driver settings of that test (64k terms, 2 s image liveness, 1 s untethered
 * timeouts), a session-specific replay channel.
 *
 *   1. 5 messages recorded → the persistent subscription replays them from position 0, then joins live,
 *   2. 5 more arrive live,
 *   3. a faster consumer on a second media driver takes 96 x 1 KiB messages while the persistent subscription
 *      is not polled: it falls behind and drops off live (onLiveLeft) and back to a replay,
 *   4. 5 more messages: it replays what it missed and rejoins live (onLiveJoined again).
 * Every message must arrive once, in order.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { PersistentSubscription } from '../../src/archive/persistent-subscription.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../support/driver.ts';
import { freeUdpPort } from '../support/ports.ts';
import { assertNoLeftovers } from '../support/processes.ts';
import { connectAeron, connectArchive, DRIVER_TIMEOUT_MS } from './support/archive-interop.ts';
import { describeInterop } from './support/interop.ts';

const STREAM_ID = 1000;
const MESSAGE_LENGTH = 1024;
const DRIVER_PROPERTIES: Record<string, string> = {
  'aeron.term.buffer.length': '65536',
  'aeron.ipc.term.buffer.length': '65536',
  'aeron.term.buffer.sparse.file': 'true',
  'aeron.image.liveness.timeout': '2s',
  'aeron.timer.interval': '100ms',
  'aeron.untethered.window.limit.timeout': '1s',
  'aeron.untethered.linger.timeout': '1s',
  'aeron.publication.linger.timeout': '1s',
  'aeron.spies.simulate.connection': 'true',
};

describeInterop('PersistentSubscription against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle | undefined;
  let otherDriver: DriverHandle | undefined;
  let aeron: Aeron | undefined;
  let archive: AeronArchive | undefined;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      properties: { ...DRIVER_PROPERTIES, 'aeron.archive.segment.file.length': '65536' },
    });
    aeron = await connectAeron(driver);
    archive = await connectArchive(aeron, driver);
  }, 120_000);

  afterAll(async () => {
    archive?.close();
    aeron?.close();
    await otherDriver?.stop();
    await driver?.stop();
    assertNoLeftovers();
  }, 60_000);

  it('replays, joins live, falls back to replay when it drops off live, rejoins: no gap, no duplicate', async () => {
    const controlPort = await freeUdpPort();
    const replayPort = await freeUdpPort();
    const publication = await archive!.addRecordedExclusivePublication(
      `aeron:udp?control=localhost:${controlPort}|control-mode=dynamic|fc=max|term-length=64k`,
      STREAM_ID,
    );
    const recordingId = await awaitRecordingId(archive!, publication.sessionId);
    const publisher = new Publisher(publication);
    const receiver = new Receiver();
    const events: string[] = [];
    const errors: unknown[] = [];
    const persistent = new PersistentSubscription({
      aeron: aeron!,
      archive: archive!,
      recordingId,
      startPosition: 0,
      liveChannel: `aeron:udp?control=localhost:${controlPort}`,
      liveStreamId: STREAM_ID,
      replayChannel: `aeron:udp?endpoint=localhost:${replayPort}`,
      replayStreamId: -5,
      listener: {
        onLiveJoined: () => events.push('joined'),
        onLiveLeft: () => events.push('left'),
        onError: (e) => errors.push(e),
      },
    });
    let fast: Aeron | undefined;
    try {
      await publisher.publish(5);
      await awaitRecorded(archive!, recordingId, publication.position());
      const poll = () => persistent.poll(receiver.handler, 10);

      await pollUntil('the first replayed message', poll, () => receiver.count >= 1);
      expect(persistent.isReplaying()).toBe(true);
      await pollUntil('live', poll, () => persistent.isLive());
      expect(events).toEqual(['joined']);
      expect(receiver.count).toBe(5);

      await publisher.publish(5);
      await pollUntil('10 messages', poll, () => receiver.count >= 10);
      expect(persistent.isLive()).toBe(true);

      // A faster consumer on another driver; the persistent subscription is not polled meanwhile.
      otherDriver = await startMediaDriver({ properties: DRIVER_PROPERTIES });
      fast = await Aeron.connect({ aeronDir: otherDriver.aeronDir, driverTimeoutMs: DRIVER_TIMEOUT_MS });
      const fastConsumer = await fast.addSubscription(`aeron:udp?control=localhost:${controlPort}`, STREAM_ID);
      await pollUntil(
        'the fast consumer to connect',
        () => 0,
        () => fastConsumer.isConnected(),
      );
      let fastCount = 0;
      const fastHandler = (): void => {
        fastCount++;
      };
      for (let batch = 0; batch < 3; batch++) {
        await publisher.publish(32);
        const target = (batch + 1) * 32;
        await pollUntil(
          `fast consumer ${target}`,
          () => fastConsumer.poll(fastHandler, 10),
          () => fastCount >= target,
        );
      }

      await pollUntil(
        'falling back to replay',
        poll,
        () => persistent.isReplaying(),
        60_000,
        () =>
          `state=${persistent.state} received=${receiver.count} events=${events.join(',')} errors=${errors.map(String).join(';')}`,
      );
      expect(events).toEqual(['joined', 'left']);

      await publisher.publish(5);
      await awaitRecorded(archive!, recordingId, publication.position());
      await pollUntil(
        `all ${publisher.published} messages and live again`,
        poll,
        () => receiver.count >= publisher.published && persistent.isLive(),
        60_000,
      );
      expect(events).toEqual(['joined', 'left', 'joined']);
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(publisher.published);
      expect(persistent.hasFailed()).toBe(false);
    } finally {
      persistent.close();
      fast?.close();
      publication.close();
    }
  }, 240_000);

  it('fails with RECORDING_NOT_FOUND for an unknown recording', async () => {
    const errors: unknown[] = [];
    const persistent = new PersistentSubscription({
      aeron: aeron!,
      archive: archive!,
      recordingId: 987_654,
      liveChannel: 'aeron:udp?control=localhost:1',
      liveStreamId: STREAM_ID,
      replayChannel: `aeron:udp?endpoint=localhost:${await freeUdpPort()}`,
      replayStreamId: -5,
      listener: { onError: (e) => errors.push(e) },
    });
    try {
      await pollUntil(
        'failure',
        () => persistent.poll(() => {}, 10),
        () => persistent.hasFailed(),
      );
      expect(persistent.failureReason()).toMatchObject({ reason: 'RECORDING_NOT_FOUND' });
      expect(errors).toHaveLength(1);
    } finally {
      persistent.close();
    }
  }, 60_000);
});

class Publisher {
  published = 0;
  private readonly buffer = new Uint8Array(MESSAGE_LENGTH);
  private readonly view = new DataView(this.buffer.buffer);
  constructor(private readonly publication: ExclusivePublication) {}

  async publish(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.view.setInt32(0, this.published, true);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const result = this.publication.offer(this.buffer, 0, MESSAGE_LENGTH);
        if (result > 0) break;
        if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
        if (Date.now() > deadline) throw new Error(`offer not accepted: ${result}`);
        await sleep(1);
      }
      this.published++;
    }
  }
}

class Receiver {
  count = 0;
  readonly errors: string[] = [];
  readonly handler = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
    const sequence = buffer.getInt32(offset);
    if ((sequence !== this.count || length !== MESSAGE_LENGTH) && this.errors.length < 10) {
      this.errors.push(`expected ${this.count}, got ${sequence} (length ${length})`);
    }
    this.count++;
  };
}

async function pollUntil(
  what: string,
  poll: () => number,
  done: () => boolean,
  timeoutMs = 30_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (poll() === 0) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
      await sleep(1);
    }
  }
}

async function awaitRecordingId(archive: AeronArchive, sessionId: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const id = await archive.findLastMatchingRecording(0, '', STREAM_ID, sessionId);
    if (id !== -1) return id;
    if (Date.now() > deadline) throw new Error(`no recording of session ${sessionId}`);
    await sleep(20);
  }
}

async function awaitRecorded(archive: AeronArchive, recordingId: number, position: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if ((await archive.getRecordingPosition(recordingId)) >= position) return;
    if (Date.now() > deadline) throw new Error(`recording ${recordingId} did not reach ${position}`);
    await sleep(20);
  }
}
