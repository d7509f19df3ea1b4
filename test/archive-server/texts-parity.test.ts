/**
 * The same requests to Java 1.51.0's archive and to the TypeScript archive get the same answers: a recording of
 * 522 messages (1,024-byte frames, 64 KiB terms, 128 KiB segments) made by our client in each, then Java's
 * `AeronArchive` (test/java/ArchiveOpsProbe.java) runs one list of operations against each (segment requests with
 * their refusals, positions, an unknown recording, the subscription listing, an update of an unknown recording) and
 * the two outputs, with correlation ids masked (the recording ids are equal), are equal line for line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const SEG = 128 * 1024;
const COUNT = 4 * 128 + 10;

/** One archive under test: where its driver is and how to reach its control channel over IPC. */
interface Target {
  readonly aeronDir: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
}

describeInterop('TypeScript Archive server: the same answers as the Java archive', () => {
  let classes: string;
  let javaArchive: ArchivingDriverHandle;
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
    javaArchive = await startArchivingMediaDriver({
      properties: { 'aeron.archive.segment.file.length': '128k' },
    });
    driver = await startMediaDriver();
    archiveDir = scratchDir('parity');
    server = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, segmentFileLength: SEG });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await driver?.stop();
    await javaArchive?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  /** Records COUNT messages with our client; returns the recording id. */
  async function record(target: Target): Promise<number> {
    const aeron = await Aeron.connect({ aeronDir: target.aeronDir, driverTimeoutMs: 10_000 });
    const signals = new SignalLog();
    const client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: target.controlChannel,
      controlRequestStreamId: target.controlStreamId,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
      recordingSignalConsumer: signals.consumer,
    });
    try {
      const subscriptionId = await client.startRecording(IPC, 9501, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, 9501);
      try {
        const id = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
        const payload = new Uint8Array(992);
        let end = 0;
        for (let i = 0; i < COUNT; i++) end = await offerUntilAccepted(publication, payload);
        await client.awaitRecordingPosition(id, end, { timeoutMs: 60_000 });
        await client.stopRecordingBySubscriptionId(subscriptionId);
        await signals.await('STOP', (e) => e.recordingId === id, 30_000);
        return id;
      } finally {
        publication.close();
      }
    } finally {
      client.close();
      aeron.close();
    }
  }

  async function operations(target: Target, id: number): Promise<string[]> {
    const ops = [
      `stopPosition~${id}`,
      `detach~${id}~${SEG + 32}`,
      `detach~${id}~${7 * SEG}`,
      `detach~${id}~${2 * SEG}`,
      `startPosition~${id}`,
      `detach~${id}~${SEG}`,
      `attach~${id}`,
      `startPosition~${id}`,
      // Java deletes files over later duty cycles: a delete request right after a purge may find it in progress
      `deleteDetached~${id}`,
      `purgeSegments~${id}~${2 * SEG}`,
      `purgeSegments~${id}~${SEG}`,
      'startPosition~999',
      `migrate~${id}~999`,
      'listSubs~ipc~0~false',
      `updateChannel~${id}~aeron:ipc?alias=renamed`,
      `listRecording~${id}`,
    ];
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveOpsProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [target.aeronDir, target.controlChannel, String(target.controlStreamId), IPC, ...ops],
      timeoutMs: 120_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) =>
        l.replaceAll(/correlationId=-?\d+/g, 'correlationId=N').replaceAll(/\/[^ ]*\/(\d+-\d+\.rec)/g, '<dir>/$1'),
      );
  }

  it('answers the segment, position, listing and update requests of Java AeronArchive as Java does', async () => {
    const javaTarget: Target = {
      aeronDir: javaArchive.aeronDir,
      controlChannel: javaArchive.localControlChannel,
      controlStreamId: javaArchive.localControlStreamId,
    };
    const tsTarget: Target = { aeronDir: driver.aeronDir, controlChannel: IPC, controlStreamId: 10 };
    const javaId = await record(javaTarget);
    const tsId = await record(tsTarget);
    expect(tsId).toBe(javaId);
    const javaLines = await operations(javaTarget, javaId);
    const tsLines = await operations(tsTarget, tsId);
    expect(tsLines).toEqual(javaLines);
    expect(javaLines).toContain('attach 2');
    expect(javaLines).toContain('purgeSegments 2');
  }, 240_000);
});
