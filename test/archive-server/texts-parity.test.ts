/**
 * The same requests to Java 1.51.0's archive and to the TypeScript archive get the same answers: a recording of
 * 522 messages (1,024-byte frames, 64 KiB terms, 128 KiB segments) made by our client in each, then Java's
 * `AeronArchive` (test/java/ArchiveOpsProbe.java) runs one list of operations against each (segment requests with
 * their refusals, positions, an unknown recording, the subscription listing, an update of an unknown recording) and
 * the two outputs, with correlation ids masked (the recording ids are equal), are equal line for line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { connectAeron } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import {
  type ArchiveTarget,
  connectClient,
  javaLocalTarget,
  launchTsArchive,
  recordStopped,
  type TsArchive,
} from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const SEG = 128 * 1024;
const COUNT = 4 * 128 + 10;

describeInterop('TypeScript Archive server: the same answers as the Java archive', () => {
  let classes: string;
  let javaArchive: ArchivingDriverHandle;
  let ts: TsArchive;

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
    javaArchive = await startArchivingMediaDriver({
      properties: { 'aeron.archive.segment.file.length': '128k' },
    });
    ts = await launchTsArchive('parity', { segmentFileLength: SEG });
  }, 180_000);

  afterAll(async () => {
    await ts?.close();
    await javaArchive?.stop();
  }, 60_000);

  /** Records COUNT messages of 992 bytes (1,024-byte frames) with our client; returns the recording id. */
  async function record(target: ArchiveTarget): Promise<number> {
    const aeron = await connectAeron(target);
    try {
      const side = await connectClient(aeron, target, IPC);
      try {
        const payloads = new Array<Uint8Array>(COUNT).fill(new Uint8Array(992));
        return (await recordStopped(side, IPC, 9501, payloads)).recordingId;
      } finally {
        side.archive.close();
      }
    } finally {
      aeron.close();
    }
  }

  async function operations(target: ArchiveTarget, id: number): Promise<string[]> {
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
    const javaTarget = javaLocalTarget(javaArchive);
    const tsTarget = ts.local;
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
