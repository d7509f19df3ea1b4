/**
 * Recording operations of the TypeScript Archive server beyond start/stop, with our `AeronArchive` over IPC on a
 * harness driver, each checked the way Java's archive behaves:
 * - EXTEND_RECORDING: a publication positioned at the stop position (same initial term id, term length, MTU)
 *   continues the recording (signal EXTEND, then STOP); replay yields both parts in order; an image that does not
 *   continue it is refused with "cannot extend recording … image.joinPosition=… != rec.stopPosition=…";
 * - TRUNCATE_RECORDING to a fragment in the middle: OK with the count of whole segment files deleted, the tail of
 *   the segment erased, signal DELETE; stop position moved; replay yields exactly the kept messages;
 * - PURGE_RECORDING: OK with its file count, signal DELETE, gone from listings, no segment file left;
 * - STOP_ALL_REPLAYS ends a replay stalled on a subscriber that never reads;
 * - Java's `ArchiveTool verify -a` passes on the directory afterwards.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { ChannelUriStringBuilder } from '../../src/client/channel-uri-string-builder.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { listAll, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { payloadOf, removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const SEGMENT = 128 * 1024;

describeInterop('TypeScript Archive server: extend, truncate, purge, stop all replays', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;
  let client: AeronArchive;
  const signals = new SignalLog();
  const payloads: Uint8Array[] = [];
  const positions: number[] = [];
  let recordingId = -1;
  let stopPosition = 0;

  beforeAll(async () => {
    driver = await startMediaDriver();
    archiveDir = scratchDir('operations');
    server = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, segmentFileLength: SEGMENT });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
      recordingSignalConsumer: signals.consumer,
    });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    aeron?.close();
    await server?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  async function publish(publication: ExclusivePublication, from: number, count: number): Promise<number> {
    let position = publication.position();
    for (let i = from; i < from + count; i++) {
      const p = payloadOf(11, i);
      payloads[i] = p;
      positions[i] = position;
      position = await offerUntilAccepted(publication, p);
    }
    return position;
  }

  async function replayAll(id: number, length: number, streamId: number, count: number): Promise<Uint8Array[]> {
    const subscription = await aeron.addSubscription('aeron:ipc', streamId);
    const received: Uint8Array[] = [];
    try {
      await client.startReplay(id, 0, length, 'aeron:ipc', streamId);
      await pollUntil(
        `${count} replayed messages`,
        () =>
          subscription.poll((buffer: ReadableBuffer, offset: number, len: number) => {
            const copy = new Uint8Array(len);
            buffer.getBytes(offset, copy, 0, len);
            received.push(copy);
          }, 256),
        () => received.length >= count,
        60_000,
      );
    } finally {
      subscription.close();
    }
    return received;
  }

  it('extends a stopped recording with a publication positioned at its stop position', async () => {
    const subscriptionId = await client.startRecording(IPC, 7001, SourceLocation.LOCAL);
    const first = await aeron.addExclusivePublication(IPC, 7001);
    let initialTermId: number;
    try {
      recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
      initialTermId = first.initialTermId;
      stopPosition = await publish(first, 0, 1_000);
      await client.awaitRecordingPosition(recordingId, stopPosition, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === recordingId, 30_000);
    } finally {
      first.close();
    }

    const extendChannel = new ChannelUriStringBuilder()
      .media('ipc')
      .termLength(64 * 1024)
      .initialPosition(stopPosition, initialTermId, 64 * 1024)
      .build();
    const extendSubscriptionId = await client.extendRecording(recordingId, extendChannel, 7001, SourceLocation.LOCAL);
    const second = await aeron.addExclusivePublication(extendChannel, 7001);
    try {
      const extend = await signals.await('EXTEND', (e) => e.subscriptionId === extendSubscriptionId, 30_000);
      expect(extend.recordingId).toBe(recordingId);
      expect(extend.position).toBe(stopPosition);
      stopPosition = await publish(second, 1_000, 1_000);
      await client.awaitRecordingPosition(recordingId, stopPosition, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(extendSubscriptionId);
      await signals.await('STOP', (e) => e.subscriptionId === extendSubscriptionId, 30_000);
    } finally {
      second.close();
    }
    expect(await client.getStopPosition(recordingId)).toBe(stopPosition);
    const all = await replayAll(recordingId, stopPosition, 7101, 2_000);
    expect(all.findIndex((p, i) => !Buffer.from(p).equals(payloads[i] as Uint8Array))).toBe(-1);

    // a plain publication (join position 0) does not continue it
    const wrongId = await client.extendRecording(recordingId, IPC, 7001, SourceLocation.LOCAL);
    const wrong = await aeron.addExclusivePublication(IPC, 7001);
    try {
      const error = await new Promise<string>((resolve) => {
        const started = Date.now();
        const poll = (): void => {
          const e = client.pollForErrorResponse();
          if (e !== null || Date.now() - started > 20_000) resolve(String(e));
          else setTimeout(poll, 10);
        };
        poll();
      });
      expect(error).toContain(
        `cannot extend recording ${recordingId} image.joinPosition=0 != rec.stopPosition=${stopPosition}`,
      );
    } finally {
      wrong.close();
      await client.stopRecordingBySubscriptionId(wrongId);
    }
  }, 180_000);

  it('truncates to a fragment in the middle: whole later segments deleted, replay yields the kept messages', async () => {
    const keep = 1_500;
    const position = positions[keep] as number;
    const segmentsBefore = readdirSync(archiveDir).filter((f) => f.startsWith(`${recordingId}-`)).length;
    const from = signals.events.length;
    const deleted = await client.truncateRecording(recordingId, position);
    const expectedDeleted = segmentsBefore - (Math.floor((position - 1) / SEGMENT) + 1);
    expect(deleted).toBe(expectedDeleted);
    await signals.await('DELETE', (e) => signals.events.indexOf(e) >= from && e.recordingId === recordingId, 30_000);
    expect(await client.getStopPosition(recordingId)).toBe(position);
    const kept = await replayAll(recordingId, position, 7102, keep);
    expect(kept.length).toBe(keep);
    expect(kept.findIndex((p, i) => !Buffer.from(p).equals(payloads[i] as Uint8Array))).toBe(-1);
    const invalid = await client.truncateRecording(recordingId, position + 32).catch((e: unknown) => String(e));
    expect(invalid).toContain(`invalid position ${position + 32}: start=0 stop=${position} alignment=32`);
  }, 120_000);

  it('purges a recording: DELETE signal, no descriptor in listings, no segment file', async () => {
    const subscriptionId = await client.startRecording(IPC, 7002, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(IPC, 7002);
    let purgedId: number;
    try {
      purgedId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
      const end = await publish(publication, 5_000, 300);
      await client.awaitRecordingPosition(purgedId, end, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === purgedId, 30_000);
    } finally {
      publication.close();
    }
    const files = readdirSync(archiveDir).filter((f) => f.startsWith(`${purgedId}-`)).length;
    expect(await client.purgeRecording(purgedId)).toBe(files);
    await signals.await('DELETE', (e) => e.recordingId === purgedId, 30_000);
    expect((await listAll(client)).map((d) => d.recordingId)).toEqual([recordingId]);
    expect(readdirSync(archiveDir).filter((f) => f.startsWith(`${purgedId}-`))).toEqual([]);
  }, 120_000);

  it('STOP_ALL_REPLAYS ends a replay stalled on a subscriber that never reads', async () => {
    const subscription = await aeron.addSubscription('aeron:ipc', 7103);
    try {
      await client.startReplay(recordingId, 0, -1, 'aeron:ipc', 7103);
      await awaitCondition('the replay image', () => subscription.imageCount === 1, 30_000);
      await client.stopAllReplays(recordingId);
      await awaitCondition('the replay image to go', () => subscription.imageCount === 0, 30_000);
    } finally {
      subscription.close();
    }
  }, 60_000);

  it('leaves a directory ArchiveTool verify accepts', async () => {
    client.close();
    await server.close();
    expect(server.errors).toEqual([]);
    const tool = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.archive.ArchiveTool',
      args: [archiveDir, 'verify', '-a'],
      jvmArgs: AERON_JVM_FLAGS,
      stdin: 'n\n',
      timeoutMs: 120_000,
    });
    expect(tool.code, `${tool.stdout}${tool.stderr}`).toBe(0);
    expect(tool.stdout).toContain(`(recordingId=${recordingId}) OK`);
    expect(tool.stdout).toContain('skipping: DELETED');
  }, 120_000);
});
