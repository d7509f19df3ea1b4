/**
 * ReplayMerge against the real Java ArchivingMediaDriver 1.51.0, with the channels of Aeron's own
 * ReplayMergeTest: a dynamic-MDC publication, a remote recording of it, an MDS subscription `control-mode=manual` with a replay destination on a wildcard port
 * and the live destination on the publication's control endpoint.
 *
 * The publisher keeps publishing sequence-numbered messages while the merge runs and until well after it merged;
 * every message 0..N-1 must arrive exactly once and in order across the switch from replay to live.
 * As Aeron's test does, a failed attempt (merge progress timeout on a loaded machine) is retried from the
 * position received so far, which keeps the exactly-once check intact.
 *
 * Flow control is `min` (Aeron's test uses tagged flow control gated by the recording): the publisher keeps
 * publishing after the merge, and with only the recording gating it a loaded machine let it run more than a term
 * ahead of the merged live receiver, which then lost data beyond the publisher's retransmit reach and stalled.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ReplayMerge } from '../../src/archive/replay-merge.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition } from '../support/wait.ts';
import { awaitRecorded, awaitRecordingId, connectAeron, connectArchive } from './support/archive-interop.ts';

const STREAM_ID = 1033;
const MESSAGE_LENGTH = 200;
const INITIAL_MESSAGES = 600; // ~2 terms of 64k recorded before the merge starts
const AFTER_MERGE_MESSAGES = 400;
const MAX_ATTEMPTS = 5;
const TEST_TIMEOUT_MS = 180_000;

describeInterop('ReplayMerge against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle | undefined;
  let aeron: Aeron | undefined;
  let archive: AeronArchive | undefined;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({ properties: { 'aeron.spies.simulate.connection': 'false' } });
    aeron = await connectAeron(driver);
    archive = await connectArchive(aeron, driver);
  }, 120_000);

  afterAll(async () => {
    await releaseAll(archive, aeron, driver);
    assertNoLeftovers();
  }, 60_000);

  it(
    'merges a replay from position 0 into the live stream: every message once, in order, then isMerged()',
    async () => {
      const [controlPort, recordingPort, livePort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
      const publicationChannel = `aeron:udp?control=localhost:${controlPort}|control-mode=dynamic|term-length=64k|fc=min,t:10s`;
      const publication = await aeron!.addPublication(publicationChannel, STREAM_ID);
      const sessionId = publication.sessionId;
      const recordingChannel =
        `aeron:udp?endpoint=localhost:${recordingPort}|control=localhost:${controlPort}` + `|session-id=${sessionId}`;
      const subscriptionChannel = `aeron:udp?control-mode=manual|session-id=${sessionId}`;
      const liveDestination = `aeron:udp?endpoint=localhost:${livePort}|control=localhost:${controlPort}`;
      const replayDestination = 'aeron:udp?endpoint=localhost:0';
      const replayChannel = `aeron:udp?session-id=${sessionId}`;
      try {
        await archive!.startRecording(recordingChannel, STREAM_ID, SourceLocation.REMOTE, { autoStop: true });
        const recordingId = await awaitRecordingId(archive!, STREAM_ID, sessionId);
        await awaitCondition('publication connected to the recording', () => publication.isConnected());

        const publisher = new SequencePublisher(publication);
        while (publisher.published < INITIAL_MESSAGES) await publisher.publishOne();
        await awaitRecorded(archive!, recordingId, publication.position());

        const receiver = new SequenceReceiver();
        let attempts = 0;
        let mergedAt = -1;
        while (mergedAt < 0) {
          attempts += 1;
          expect(attempts, `replay merge attempts (${receiver.failures.join('; ')})`).toBeLessThanOrEqual(MAX_ATTEMPTS);
          const subscription = await aeron!.addSubscription(subscriptionChannel, STREAM_ID);
          const merge = new ReplayMerge(
            subscription,
            archive!,
            replayChannel,
            replayDestination,
            liveDestination,
            recordingId,
            receiver.position,
            { mergeProgressTimeoutMs: 10_000 },
          );
          try {
            const deadline = Date.now() + 60_000;
            while (!merge.isMerged()) {
              await publisher.publishOne();
              merge.poll(receiver.handler, 10);
              if (Date.now() > deadline) throw new Error(`not merged in time: ${merge}`);
              await yieldToLoop();
            }
            mergedAt = receiver.count;
            const image = merge.image();
            expect(image).not.toBeNull();
            expect(merge.isLiveAdded()).toBe(true);
            const total = publisher.published + AFTER_MERGE_MESSAGES;
            const liveDeadline = Date.now() + 60_000;
            while (receiver.count < total) {
              if (publisher.published < total) await publisher.publishOne();
              if (image!.poll(receiver.handler, 10) === 0) {
                if (Date.now() > liveDeadline) throw new Error(`live: ${receiver.count} of ${total} received`);
                await yieldToLoop();
              }
            }
            expect(receiver.errors).toEqual([]);
            expect(receiver.count).toBe(total);
            expect(receiver.position).toBe(publication.position());
            expect(merge.isMerged()).toBe(true);
            expect(mergedAt).toBeGreaterThan(0);
            expect(total - mergedAt).toBeGreaterThanOrEqual(AFTER_MERGE_MESSAGES);
          } catch (error) {
            if (!merge.hasFailed()) throw error;
            receiver.failures.push(String(error));
          } finally {
            merge.close();
            subscription.close();
          }
        }
      } finally {
        publication.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it('from its fragment handler: a nested poll() throws ArchiveReentrantCallError, close() is safe', async () => {
    const streamId = STREAM_ID + 10;
    const [controlPort, recordingPort, livePort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const publication = await aeron!.addPublication(
      `aeron:udp?control=localhost:${controlPort}|control-mode=dynamic|term-length=64k|fc=min,t:10s`,
      streamId,
    );
    const sessionId = publication.sessionId;
    const subscription = await aeron!.addSubscription(
      `aeron:udp?control-mode=manual|session-id=${sessionId}`,
      streamId,
    );
    let merge: ReplayMerge | null = null;
    try {
      await archive!.startRecording(
        `aeron:udp?endpoint=localhost:${recordingPort}|control=localhost:${controlPort}|session-id=${sessionId}`,
        streamId,
        SourceLocation.REMOTE,
        { autoStop: true },
      );
      const recordingId = await awaitRecordingId(archive!, streamId, sessionId);
      await awaitCondition('publication connected to the recording', () => publication.isConnected());
      const publisher = new SequencePublisher(publication);
      while (publisher.published < 50) await publisher.publishOne();
      await awaitRecorded(archive!, recordingId, publication.position());

      const running = new ReplayMerge(
        subscription,
        archive!,
        `aeron:udp?session-id=${sessionId}`,
        'aeron:udp?endpoint=localhost:0',
        `aeron:udp?endpoint=localhost:${livePort}|control=localhost:${controlPort}`,
        recordingId,
        0,
        { mergeProgressTimeoutMs: 10_000 },
      );
      merge = running;
      let received = 0;
      let nested: unknown = null;
      const handler = (): void => {
        received++;
        if (received === 1) {
          try {
            running.poll(() => {}, 10);
          } catch (error) {
            nested = error;
          }
        }
        if (received === 3) running.close();
      };
      const deadline = Date.now() + 60_000;
      while (received < 3) {
        running.poll(handler, 1);
        if (Date.now() > deadline) throw new Error(`no replayed messages: ${running}`);
        await yieldToLoop();
      }
      expect(nested).toMatchObject({ code: 'ARCHIVE_REENTRANT_CALL' });
      expect(running.state).toBe('CLOSED');
      expect(subscription.isClosed).toBe(false);
      expect(archive!.state()).toBe('CONNECTED');
    } finally {
      merge?.close();
      subscription.close();
      publication.close();
    }
  }, 120_000);

  it('rejects IPC and a subscription without control-mode=manual', async () => {
    const subscription = await aeron!.addSubscription('aeron:udp?endpoint=localhost:0', STREAM_ID + 1);
    try {
      expect(
        () =>
          new ReplayMerge(
            subscription,
            archive!,
            'aeron:udp',
            'aeron:udp?endpoint=localhost:0',
            'aeron:udp?endpoint=localhost:1|control=localhost:2',
            0,
            0,
          ),
      ).toThrow(/control-mode=manual/);
    } finally {
      subscription.close();
    }
    const ipc = await aeron!.addSubscription('aeron:ipc', STREAM_ID + 2);
    try {
      expect(() => new ReplayMerge(ipc, archive!, 'aeron:ipc', 'aeron:ipc', 'aeron:ipc', 0, 0)).toThrow(/IPC/);
    } finally {
      ipc.close();
    }
  });
});

/** Publishes message i (its sequence number in the first 4 bytes) one at a time, retrying back pressure. */
class SequencePublisher {
  published = 0;
  private readonly buffer = new Uint8Array(MESSAGE_LENGTH);
  private readonly view = new DataView(this.buffer.buffer);

  constructor(private readonly publication: Publication) {}

  /** Offers the next message once; true when it was accepted. */
  async publishOne(): Promise<boolean> {
    this.view.setInt32(0, this.published, true);
    this.buffer.fill(this.published & 0xff, 4);
    const result = this.publication.offer(this.buffer, 0, MESSAGE_LENGTH);
    if (result > 0) {
      this.published += 1;
      return true;
    }
    if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
    await yieldToLoop();
    return false;
  }
}

/** Checks each message is the next in sequence; remembers the position after the last one. */
class SequenceReceiver {
  count = 0;
  position = 0;
  readonly errors: string[] = [];
  readonly failures: string[] = [];
  readonly handler = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
    const sequence = buffer.getInt32(offset);
    if (sequence !== this.count || length !== MESSAGE_LENGTH) {
      if (this.errors.length < 10) this.errors.push(`expected ${this.count}, got ${sequence} (length ${length})`);
    }
    this.count += 1;
    this.position = header.position();
  };
}
