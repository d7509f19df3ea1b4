/**
 * The TypeScript Archive server's first control session, over IPC on a media driver started by the harness (the
 * Java driver by default; `AERON_TEST_DRIVER=ts` runs it on the TS driver):
 *
 * - our `AeronArchive` connects on the local control channel, gets the archive id, records 10,000 messages of
 *   varied lengths (1..700 bytes) on `aeron:ipc` (RecordingSignal START and STOP, the rec-pos counter), stops
 *   the recording, lists it (LIST_RECORDINGS, LIST_RECORDING, LIST_RECORDINGS_FOR_URI, FIND_LAST_MATCHING),
 *   replays it over IPC (every message checked), replays the second half from a fragment's position, and gets
 *   Java's errors for an unknown recording and a misaligned replay position;
 * - Java's `AeronArchive` (test/java/ArchiveProbe.java, ArchiveReplayProbe.java) records 10,000 messages through our
 *   archive (finding our rec-pos counter by session and archive id), stops it by subscription, lists it for its
 *   URI and replays it, every message in order;
 * - the archive dir the TS archive wrote passes Java's `ArchiveTool verify` afterwards.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { listAll, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { payloadOf, removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const COUNT = 10_000;

describeInterop('TypeScript Archive server: a control session over IPC (TS and Java AeronArchive clients)', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;
  let client: AeronArchive;
  const signals = new SignalLog();

  beforeAll(async () => {
    driver = await startMediaDriver();
    archiveDir = scratchDir('server');
    server = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir,
      archiveId: 777,
      segmentFileLength: 256 * 1024,
    });
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

  async function replay(recordingId: number, position: number, length: number, streamId: number, count: number) {
    const subscription = await aeron.addSubscription('aeron:ipc', streamId);
    const received: Uint8Array[] = [];
    try {
      await client.startReplay(recordingId, position, length, 'aeron:ipc', streamId);
      const handler = (buffer: ReadableBuffer, offset: number, len: number, _header: Header): void => {
        const copy = new Uint8Array(len);
        buffer.getBytes(offset, copy, 0, len);
        received.push(copy);
      };
      await pollUntil(
        `${count} replayed messages`,
        () => subscription.poll(handler, 256),
        () => received.length >= count,
        60_000,
      );
    } finally {
      subscription.close();
    }
    return received;
  }

  it('connects, records 10,000 messages with START/STOP signals, lists, replays every message, and answers errors as Java', async () => {
    expect(client.archiveId).toBe(777n);
    expect(server.controlSessionCount).toBe(1);
    const subscriptionId = await client.startRecording(IPC, 5001, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(IPC, 5001);
    const payloads: Uint8Array[] = [];
    const positions: number[] = [];
    let position = 0;
    try {
      const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000);
      expect(start.position).toBe(0);
      for (let i = 0; i < COUNT; i++) {
        const p = payloadOf(5, i);
        payloads.push(p);
        positions.push(position);
        position = await offerUntilAccepted(publication, p);
      }
      await client.awaitRecordingPosition(start.recordingId, position, { timeoutMs: 60_000 });
      expect(await client.getRecordingPosition(start.recordingId)).toBe(position);
      await client.stopRecordingBySubscriptionId(subscriptionId);
      const stop = await signals.await('STOP', (e) => e.recordingId === start.recordingId, 30_000);
      expect(stop.position).toBe(position);
      expect(await client.getStopPosition(start.recordingId)).toBe(position);
      expect(await client.getMaxRecordedPosition(start.recordingId)).toBe(position);

      const listed = await listAll(client);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        recordingId: start.recordingId,
        startPosition: 0,
        stopPosition: position,
        streamId: 5001,
        sessionId: publication.sessionId,
        termBufferLength: 64 * 1024,
        segmentFileLength: 256 * 1024,
        strippedChannel: 'aeron:ipc',
        originalChannel: IPC,
        sourceIdentity: 'aeron:ipc',
      });
      const one: unknown[] = [];
      expect(await client.listRecording(start.recordingId, (d) => one.push({ ...d }))).toBe(1);
      expect(one[0]).toMatchObject({ recordingId: start.recordingId, stopPosition: position });
      expect(await client.listRecordingsForUri(0, 10, 'aeron:ipc', 5001, () => {})).toBe(1);
      expect(await client.listRecordingsForUri(0, 10, 'aeron:ipc', 5002, () => {})).toBe(0);
      expect(await client.findLastMatchingRecording(0, 'aeron:ipc', 5001, publication.sessionId)).toBe(
        start.recordingId,
      );

      const all = await replay(start.recordingId, 0, position, 6001, COUNT);
      expect(all.length).toBe(COUNT);
      expect(all.findIndex((p, i) => !Buffer.from(p).equals(payloads[i] as Uint8Array))).toBe(-1);
      const from = positions[COUNT / 2] as number;
      const half = await replay(start.recordingId, from, position - from, 6002, COUNT / 2);
      expect(half.findIndex((p, i) => !Buffer.from(p).equals(payloads[COUNT / 2 + i] as Uint8Array))).toBe(-1);

      const unknown = await client.getStopPosition(999).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(ArchiveError);
      expect(String((unknown as Error).message)).toContain('unknown recording id: 999');
      const misaligned = await client
        .startReplay(start.recordingId, from + 32, 100, 'aeron:ipc', 6003)
        .catch((e: unknown) => e);
      expect(misaligned).toBeInstanceOf(ArchiveError);
      expect(String((misaligned as Error).message)).toContain('does not point to a valid frame');
      const replayError = async (at: number, length: number) =>
        String(
          await client.startReplay(start.recordingId, at, length, 'aeron:ipc', 6004).then(
            () => 'no error',
            (e: unknown) => (e as Error).message,
          ),
        );
      expect(await replayError(16, 100)).toContain(
        `requested replay start position=16 is not a multiple of FRAME_ALIGNMENT (32) for recording ${start.recordingId}`,
      );
      expect(await replayError(position, 100)).toContain(
        `requested replay start position=${position} must be less than the limit position=${position} for recording ${start.recordingId}`,
      );
    } finally {
      publication.close();
    }
  }, 180_000);

  it("Java's AeronArchive records through the TS archive, stops, lists for its URI and replays every message", async () => {
    const classes = compileJava({
      sources: ['test/java/ArchiveProbe.java', 'test/java/ArchiveReplayProbe.java'],
      classpath: [aeronJarPath()],
    });
    const args = [driver.aeronDir, IPC, '10', IPC];
    const recorded = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [...args, String(COUNT), IPC, '1201'],
      timeoutMs: 120_000,
    });
    expect(recorded.code, `${recorded.stdout}\n${recorded.stderr}`).toBe(0);
    expect(recorded.stdout).toContain('archive id=777');
    const stop = /published position=(\d+) messages=10000/.exec(recorded.stdout);
    const recording = /recording id=(\d+) start=0 stop=(\d+) stream=1201/.exec(recorded.stdout);
    expect(recording?.[2]).toBe(stop?.[1]);
    const replayed = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveReplayProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [...args, 'aeron:ipc', '1201'],
      timeoutMs: 120_000,
    });
    expect(replayed.code, `${replayed.stdout}\n${replayed.stderr}`).toBe(0);
    const lines = replayed.stdout.split('\n').filter((l) => l.startsWith('message '));
    expect(lines).toEqual(Array.from({ length: COUNT }, (_, i) => `message probe message ${i}`));
  }, 240_000);

  it('replays an active recording live (REPLAY_ALL_AND_FOLLOW) and ends the replay when the recording stops', async () => {
    const subscriptionId = await client.startRecording(IPC, 5101, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(IPC, 5101);
    const replayed = await aeron.addSubscription('aeron:ipc', 6101);
    const payloads: Uint8Array[] = [];
    const received: Uint8Array[] = [];
    const handler = (buffer: ReadableBuffer, offset: number, len: number): void => {
      const copy = new Uint8Array(len);
      buffer.getBytes(offset, copy, 0, len);
      received.push(copy);
    };
    try {
      const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000);
      let position = 0;
      for (let i = 0; i < 2_000; i++) {
        payloads.push(payloadOf(6, i));
        position = await offerUntilAccepted(publication, payloads[i] as Uint8Array);
      }
      await client.awaitRecordingPosition(start.recordingId, position, { timeoutMs: 60_000 });
      await client.startReplay(start.recordingId, 0, -1, 'aeron:ipc', 6101); // REPLAY_ALL_AND_FOLLOW
      await pollUntil(
        'the recorded half',
        () => replayed.poll(handler, 256),
        () => received.length >= 2_000,
        60_000,
      );
      for (let i = 2_000; i < 4_000; i++) {
        payloads.push(payloadOf(6, i));
        position = await offerUntilAccepted(publication, payloads[i] as Uint8Array);
        if (i % 100 === 0) replayed.poll(handler, 256);
      }
      await pollUntil(
        'the live half',
        () => replayed.poll(handler, 256),
        () => received.length >= 4_000,
        60_000,
      );
      expect(received.findIndex((p, i) => !Buffer.from(p).equals(payloads[i] as Uint8Array))).toBe(-1);
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === start.recordingId, 30_000);
      // the replay ends at the final stop position: its publication closes, the image goes
      await awaitCondition('the replay image to go', () => replayed.imageCount === 0, 30_000);
      expect(received.length).toBe(4_000);
    } finally {
      replayed.close();
      publication.close();
    }
  }, 180_000);

  it('the directory the TS archive wrote passes ArchiveTool verify once it is closed', async () => {
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
    expect(tool.stdout).toContain('(recordingId=0) OK');
    expect(tool.stdout).toContain('(recordingId=1) OK');
    expect(tool.stdout).toContain('(recordingId=2) OK');
  }, 180_000);
});
