/**
 * Control requests of the TypeScript Archive server beyond recording and replay, each asked by our `AeronArchive`
 * and by Java's (test/java/ArchiveOpsProbe.java) over IPC, with Java 1.51.0's answers:
 * - GET_START_POSITION (and Java's "unknown recording id: …");
 * - UPDATE_CHANNEL to a longer channel (the descriptor frame grows, later descriptors shift) and back to a
 *   shorter one: listings show the new original and stripped channels, later recordings are intact;
 * - LIST_RECORDING_SUBSCRIPTIONS: all, by stream id, from a pseudo index past the end (SUBSCRIPTION_UNKNOWN);
 * - BOUNDED_REPLAY: a client counter bounds the replay (the image stops at the counter's value, follows it when
 *   it advances); an unallocated counter id gets "unable to create replay limit counter id= …";
 * - START_RECORDING with autoStop: the recording subscription is removed once its recording stops;
 * - START_RECORDING on an archive whose usable space is at or below `lowStorageSpaceThreshold`: STORAGE_SPACE (11)
 *   "low storage threshold=… <= usableSpace=…";
 * - Java's `ArchiveTool verify -a` passes on the directory afterwards.
 * Messages are 992-byte payloads: 1,024-byte frames, so message i starts at position i * 1024.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { ArchiveError } from '../../src/archive/archive-error.ts';
import type { RecordingDescriptor, RecordingSubscriptionDescriptor } from '../../src/archive/recording-descriptor.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { strippedChannel } from '../../src/archive-server/stripped-channel.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { listAll, receive, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const FRAME = 1024;
const PAYLOAD = FRAME - 32;
const COUNT = 600;

describeInterop(
  'TypeScript Archive server: start position, update channel, subscription listing, bounded replay',
  () => {
    let driver: DriverHandle;
    let archiveDir: string;
    let server: Archive;
    let aeron: Aeron;
    let client: AeronArchive;
    let classes: string;
    const signals = new SignalLog();
    let recordingId = -1;
    let activeId = -1;
    let activeSubscriptionId = -1;
    let idleSubscriptionId = -1;
    let activePublication: ExclusivePublication | undefined;

    async function probe(...ops: string[]): Promise<string[]> {
      const result = await runJava({
        classpath: [classes, aeronJarPath()],
        mainClass: 'ArchiveOpsProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [driver.aeronDir, IPC, '10', IPC, ...ops],
        timeoutMs: 120_000,
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout.split('\n').filter((l) => l.length > 0 && l !== 'done');
    }

    async function publish(publication: ExclusivePublication, count: number): Promise<number> {
      const payload = new Uint8Array(PAYLOAD);
      let position = publication.position();
      for (let i = 0; i < count; i++) {
        new DataView(payload.buffer).setInt32(0, i, true);
        position = await offerUntilAccepted(publication, payload);
      }
      return position;
    }

    async function listOne(id: number): Promise<RecordingDescriptor> {
      const found: RecordingDescriptor[] = [];
      await client.listRecording(id, (d) => found.push({ ...d }));
      expect(found.length).toBe(1);
      return found[0] as RecordingDescriptor;
    }

    beforeAll(async () => {
      classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
      driver = await startMediaDriver();
      archiveDir = scratchDir('requests');
      server = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, segmentFileLength: 128 * 1024 });
      aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
      client = await AeronArchive.connect({
        aeron,
        controlRequestChannel: IPC,
        controlRequestStreamId: 10,
        controlResponseChannel: IPC,
        messageTimeoutMs: 15_000,
        recordingSignalConsumer: signals.consumer,
      });
      // a stopped recording of COUNT messages, then an active one (stream 8002) and an idle subscription (8003)
      const subscriptionId = await client.startRecording(IPC, 8001, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, 8001);
      try {
        recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
        const end = await publish(publication, COUNT);
        expect(end).toBe(COUNT * FRAME);
        await client.awaitRecordingPosition(recordingId, end, { timeoutMs: 60_000 });
        await client.stopRecordingBySubscriptionId(subscriptionId);
        await signals.await('STOP', (e) => e.recordingId === recordingId, 30_000);
      } finally {
        publication.close();
      }
      activeSubscriptionId = await client.startRecording(IPC, 8002, SourceLocation.LOCAL);
      activePublication = await aeron.addExclusivePublication(IPC, 8002);
      activeId = (await signals.await('START', (e) => e.subscriptionId === activeSubscriptionId, 30_000)).recordingId;
      await publish(activePublication, 10);
      idleSubscriptionId = await client.startRecording('aeron:ipc?alias=idle', 8003, SourceLocation.LOCAL);
    }, 180_000);

    afterAll(async () => {
      activePublication?.close();
      client?.close();
      aeron?.close();
      await server?.close();
      await driver?.stop();
      if (archiveDir !== undefined) removeScratch(archiveDir);
    }, 60_000);

    it("GET_START_POSITION answers the start position, and Java's text for an unknown recording", async () => {
      expect(await client.getStartPosition(recordingId)).toBe(0);
      const unknown = await client.getStartPosition(999).catch((e: unknown) => String(e));
      expect(unknown).toContain('unknown recording id: 999');
      const java = await probe(`startPosition~${recordingId}`, 'startPosition~999');
      expect(java[0]).toBe('startPosition 0');
      expect(java[1]).toMatch(/^error code=5 .*unknown recording id: 999/);
    }, 120_000);

    it('UPDATE_CHANNEL replaces the channels (a longer frame shifts the later descriptors), then a shorter one', async () => {
      const before = await listAll(client);
      const longer = `${IPC}|alias=renamed-${'x'.repeat(200)}`;
      await client.updateChannel(recordingId, longer);
      const updated = await listOne(recordingId);
      expect(updated.originalChannel).toBe(longer);
      expect(updated.strippedChannel).toBe(strippedChannel(longer));
      expect(updated.stopPosition).toBe(COUNT * FRAME);
      const after = await listAll(client);
      expect(after.map((d) => d.recordingId)).toEqual(before.map((d) => d.recordingId));
      const activeBefore = before.find((d) => d.recordingId === activeId) as RecordingDescriptor;
      const activeAfter = after.find((d) => d.recordingId === activeId) as RecordingDescriptor;
      expect({ ...activeAfter, controlSessionId: 0, correlationId: 0 }).toEqual({
        ...activeBefore,
        controlSessionId: 0,
        correlationId: 0,
      });
      const java = await probe(`listRecording~${recordingId}`, `updateChannel~${recordingId}~aeron:ipc?alias=short`);
      expect(java[0]).toBe(
        `recording id=${recordingId} start=0 stop=${COUNT * FRAME} stream=8001 original=${longer} stripped=${strippedChannel(longer)}`,
      );
      expect(java[1]).toBe('updateChannel ok');
      const shorter = await listOne(recordingId);
      expect(shorter.originalChannel).toBe('aeron:ipc?alias=short');
      expect(shorter.strippedChannel).toBe('aeron:ipc?alias=short');
      const unknown = await client.updateChannel(999, IPC).catch((e: unknown) => String(e));
      expect(unknown).not.toBe(undefined);
    }, 120_000);

    it('LIST_RECORDING_SUBSCRIPTIONS lists the recording subscriptions, by stream id, and none past the end', async () => {
      const list = async (pseudoIndex: number, streamId: number, apply: boolean) => {
        const found: RecordingSubscriptionDescriptor[] = [];
        const n = await client.listRecordingSubscriptions(pseudoIndex, 10, 'ipc', streamId, apply, (d) =>
          found.push({ ...d }),
        );
        expect(n).toBe(found.length);
        return found.map((d) => `${d.subscriptionId} ${d.streamId} ${d.strippedChannel}`);
      };
      expect(await list(0, 0, false)).toEqual([
        `${activeSubscriptionId} 8002 aeron:ipc`,
        `${idleSubscriptionId} 8003 aeron:ipc?alias=idle`,
      ]);
      expect(await list(0, 8003, true)).toEqual([`${idleSubscriptionId} 8003 aeron:ipc?alias=idle`]);
      expect(await list(1, 0, false)).toEqual([`${idleSubscriptionId} 8003 aeron:ipc?alias=idle`]);
      expect(await list(2, 0, false)).toEqual([]);
      const java = await probe('listSubs~ipc~8002~true', 'listSubs~alias~0~false');
      expect(java).toEqual([
        `sub id=${activeSubscriptionId} stream=8002 channel=aeron:ipc`,
        'subs 1',
        `sub id=${idleSubscriptionId} stream=8003 channel=aeron:ipc?alias=idle`,
        'subs 1',
      ]);
    }, 120_000);

    it('BOUNDED_REPLAY stops at the limit counter and follows it when it advances', async () => {
      const counter = await aeron.addCounter(1001, 'replay limit');
      const subscription = await aeron.addSubscription('aeron:ipc', 8101);
      try {
        counter.set(100 * FRAME);
        const replaySessionId = await client.startBoundedReplay(
          recordingId,
          0,
          COUNT * FRAME,
          counter.id,
          'aeron:ipc',
          8101,
        );
        const first = await receive(subscription, 100, 60_000);
        await new Promise((r) => setTimeout(r, 300));
        expect(subscription.poll(() => {}, 100)).toBe(0);
        expect(first.map((p) => new DataView(p.buffer).getInt32(0, true))).toEqual(
          Array.from({ length: 100 }, (_, i) => i),
        );
        counter.set(300 * FRAME);
        const second = await receive(subscription, 200, 60_000);
        expect(new DataView((second[199] as Uint8Array).buffer).getInt32(0, true)).toBe(299);
        await client.stopReplay(replaySessionId);
      } finally {
        subscription.close();
        counter.close();
      }
      const bad = await client
        .startBoundedReplay(recordingId, 0, COUNT * FRAME, 10_000, 'aeron:ipc', 8102)
        .catch((e: unknown) => String(e));
      expect(bad).toContain('unable to create replay limit counter id= 10000 because of:');
      const java = await probe(`bounded~${recordingId}~0~${COUNT * FRAME}~${200 * FRAME}~${COUNT * FRAME}~8103`);
      expect(java).toEqual([
        `bounded first position=${200 * FRAME} messages=200`,
        `bounded second position=${COUNT * FRAME} messages=${COUNT}`,
      ]);
    }, 180_000);

    it('START_RECORDING with autoStop: the recording subscription goes when its recording stops', async () => {
      const subscriptionId = await client.startRecording(IPC, 8004, SourceLocation.LOCAL, { autoStop: true });
      const publication = await aeron.addExclusivePublication(IPC, 8004);
      const id = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
      try {
        const end = await publish(publication, 20);
        await client.awaitRecordingPosition(id, end, { timeoutMs: 60_000 });
      } finally {
        publication.close();
      }
      await signals.await('STOP', (e) => e.recordingId === id, 30_000);
      const ids: number[] = [];
      await client.listRecordingSubscriptions(0, 10, '', 0, false, (d) => ids.push(d.subscriptionId));
      expect(ids).not.toContain(subscriptionId);
      expect(ids).toContain(activeSubscriptionId);
    }, 120_000);

    it('refuses START_RECORDING with STORAGE_SPACE when usable space is at or below lowStorageSpaceThreshold', async () => {
      const lowDir = scratchDir('requests-low-storage');
      const low = await Archive.launch({
        aeronDir: driver.aeronDir,
        archiveDir: lowDir,
        localControlStreamId: 11,
        lowStorageSpaceThreshold: 2 ** 52,
      });
      const lowClient = await AeronArchive.connect({
        aeron,
        controlRequestChannel: IPC,
        controlRequestStreamId: 11,
        controlResponseChannel: IPC,
        messageTimeoutMs: 15_000,
      });
      try {
        const error = await lowClient
          .startRecording(IPC, 8005, SourceLocation.LOCAL)
          .then(String, (e: unknown) => e as ArchiveError);
        expect((error as ArchiveError).errorCode).toBe(11);
        expect((error as ArchiveError).message).toMatch(/low storage threshold=4503599627370496 <= usableSpace=\d+/);
      } finally {
        lowClient.close();
        await low.close();
        removeScratch(lowDir);
      }
    }, 120_000);

    it('leaves a directory ArchiveTool verify accepts', async () => {
      activePublication?.close();
      activePublication = undefined;
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
      expect(tool.stdout).toContain(`(recordingId=${activeId}) OK`);
    }, 120_000);
  },
);
