/**
 * Java → TS, the archive itself: the TypeScript `Archive` started on a directory Java 1.51.0's `Archive` wrote.
 *
 * The Java archive (its own JVM, on the harness's driver; 128 KiB segments) records three streams our client
 * publishes over IPC: A over five segments, B starting mid-term in term 3 of a publication created at that
 * position, both stopped; C recorded up to the last published byte and then left ACTIVE by SIGKILLing the Java
 * archive. The TS archive launched on the same directory (once the dead archive's mark file is stale) recovers C
 * to its recorded position, lists A and B with exactly Java's descriptors and C with Java's fields plus the
 * recovered stop, and replays each byte-exact to our client. With the TS archive closed, Java's
 * `ArchiveTool verify -a` passes on the directory.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, type DriverHandle, startArchive, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import type { Archive } from '../../src/archive-server/archive.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { connectAeron, connectLocalArchive, listAll, receive, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';
import { launchAfterKilledArchive, payloadOf, removeScratch, scratchDir } from './support.ts';

const TERM = 64 * 1024;
const SEGMENT = 128 * 1024;
const LOCAL_CONTROL = 'aeron:ipc?term-length=64k';

interface Stream {
  readonly name: string;
  readonly streamId: number;
  readonly count: number;
  /** Extra publication parameters (B's initial position). */
  readonly publicationParams: string;
  readonly stop: boolean;
}

const STREAMS: readonly Stream[] = [
  { name: 'A', streamId: 7400, count: 1500, publicationParams: '', stop: true },
  {
    name: 'B',
    streamId: 7401,
    count: 400,
    publicationParams: '|init-term-id=100|term-id=103|term-offset=4096',
    stop: true,
  },
  { name: 'C', streamId: 7402, count: 700, publicationParams: '', stop: false },
];

interface Recorded {
  readonly stream: Stream;
  readonly recordingId: number;
  readonly startPosition: number;
  readonly stopPosition: number;
  readonly payloads: Uint8Array[];
}

/** A descriptor without the fields a listing fills from its request. */
function stored(d: RecordingDescriptor): RecordingDescriptor {
  return { ...d, controlSessionId: 0, correlationId: 0 };
}

describeInterop('the TS archive opens a directory the Java archive wrote (a recording left active by SIGKILL)', () => {
  let driver: DriverHandle;
  let javaArchive: ArchivingDriverHandle | undefined;
  let archive: Archive | undefined;
  let archiveDir: string;
  const recorded: Recorded[] = [];
  let javaListing: RecordingDescriptor[] = [];

  beforeAll(async () => {
    driver = await startMediaDriver({ properties: { 'aeron.client.liveness.timeout': '3s' } });
    archiveDir = scratchDir('java-written');
  }, 120_000);

  afterAll(async () => {
    await archive?.close();
    await javaArchive?.stop();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  it('the Java archive records A and B, and C until it is SIGKILLed', async () => {
    javaArchive = await startArchive(driver.aeronDir, {
      properties: { 'aeron.archive.dir': archiveDir, 'aeron.archive.segment.file.length': String(SEGMENT) },
    });
    const aeron: Aeron = await connectAeron(driver);
    const signals = new SignalLog();
    const open: ExclusivePublication[] = [];
    try {
      const client = await connectLocalArchive(aeron, javaArchive, { recordingSignalConsumer: signals.consumer });
      for (const stream of STREAMS) {
        const channel = `aeron:ipc?term-length=64k|alias=java-${stream.name}`;
        const subscriptionId = await client.startRecording(channel, stream.streamId, SourceLocation.LOCAL);
        const publication = await aeron.addExclusivePublication(
          `${channel}${stream.publicationParams}`,
          stream.streamId,
        );
        open.push(publication);
        const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId, 60_000);
        const payloads: Uint8Array[] = [];
        let position = start.position;
        for (let i = 0; i < stream.count; i++) {
          const p = payloadOf(stream.streamId, i);
          payloads.push(p);
          position = await offerUntilAccepted(publication, p);
        }
        await client.awaitRecordingPosition(start.recordingId, position, { timeoutMs: 60_000 });
        if (stream.stop) {
          await client.stopRecordingBySubscriptionId(subscriptionId);
          await signals.await('STOP', (e) => e.recordingId === start.recordingId, 60_000);
        }
        recorded.push({
          stream,
          recordingId: start.recordingId,
          startPosition: start.position,
          stopPosition: position,
          payloads,
        });
      }
      javaListing = await listAll(client);
      client.close();
      const B = recorded[1] as Recorded;
      expect(B.startPosition).toBe(3 * TERM + 4096);
      expect(javaListing.map((d) => [d.recordingId, d.startPosition, d.stopPosition])).toEqual(
        recorded.map((r) => [r.recordingId, r.startPosition, r.stream.stop ? r.stopPosition : -1]),
      );
      // C is still active: the archive dies with it recording
      const exited = javaArchive.exited;
      expect(javaArchive.kill('SIGKILL')).toBe(true);
      await exited;
    } finally {
      for (const p of open) p.close();
      aeron.close();
    }
  }, 240_000);

  it('the TS archive recovers C, lists every recording as Java did, and replays each byte-exact', async () => {
    if (recorded.length !== STREAMS.length) throw new Error('the Java recording case failed');
    archive = await launchAfterKilledArchive({ aeronDir: driver.aeronDir, archiveDir, segmentFileLength: SEGMENT });
    const aeron = await connectAeron(driver);
    try {
      const client = await AeronArchive.connect({
        aeron,
        controlRequestChannel: LOCAL_CONTROL,
        controlRequestStreamId: 10,
        controlResponseChannel: 'aeron:ipc',
        messageTimeoutMs: 15_000,
      });
      try {
        const listed = await listAll(client);
        expect(listed.length).toBe(recorded.length);
        recorded.forEach((r, i) => {
          const ours = stored(listed[i] as RecordingDescriptor);
          const java = stored(javaListing[i] as RecordingDescriptor);
          if (r.stream.stop) {
            expect(ours, `recording ${r.stream.name}`).toEqual(java);
          } else {
            expect(ours.stopPosition, 'C recovered to its last fragment').toBe(r.stopPosition);
            expect(ours.stopTimestamp).toBeGreaterThanOrEqual(java.startTimestamp);
            expect({ ...ours, stopPosition: -1, stopTimestamp: -1 }).toEqual(java);
          }
        });
        for (const r of recorded) {
          const streamId = 7500 + r.recordingId;
          const subscription = await aeron.addSubscription('aeron:ipc', streamId);
          try {
            await client.startReplay(
              r.recordingId,
              r.startPosition,
              r.stopPosition - r.startPosition,
              'aeron:ipc',
              streamId,
            );
            const received = await receive(subscription, r.payloads.length, 60_000, `replay of ${r.stream.name}`);
            expect(received.length).toBe(r.payloads.length);
            const bad = received.findIndex((p, j) => !Buffer.from(p).equals(r.payloads[j] as Uint8Array));
            expect(bad, `replay of ${r.stream.name}: first differing message`).toBe(-1);
          } finally {
            subscription.close();
          }
        }
      } finally {
        client.close();
      }
    } finally {
      aeron.close();
    }
    await archive.close();
    expect(archive.errors).toEqual([]);
    archive = undefined;
    const tool = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.archive.ArchiveTool',
      args: [archiveDir, 'verify', '-a'],
      jvmArgs: AERON_JVM_FLAGS,
      stdin: 'n\n',
      timeoutMs: 120_000,
    });
    expect(tool.code, `${tool.stdout}${tool.stderr}`).toBe(0);
    for (const r of recorded) expect(tool.stdout).toContain(`(recordingId=${r.recordingId}) OK`);
  }, 240_000);
});
