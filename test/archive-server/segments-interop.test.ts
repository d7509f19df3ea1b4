/**
 * Segment requests of the TypeScript Archive server, asked by our `AeronArchive` and by Java's
 * (test/java/ArchiveOpsProbe.java) over IPC, with Java 1.51.0's checks and texts:
 * - DETACH_SEGMENTS (refused off a segment boundary, below the lower bound, past the recorded end, below a
 *   replay in progress), ATTACH_SEGMENTS (the detached files come back, the start moves down),
 *   DELETE_DETACHED_SEGMENTS and PURGE_SEGMENTS (OK with the file count, DELETE signal, files gone), a replay
 *   from the new start yielding the kept messages;
 * - MIGRATE_SEGMENTS: a stopped recording ending on a segment boundary gives its files to the recording that
 *   continues it; the joined recording replays every message of both; a mismatching pair is refused;
 * - Java's `ArchiveTool verify -a` passes on the directory afterwards.
 * Messages are 992-byte payloads (1,024-byte frames): message i of a stream starts at i * 1024; 128 KiB
 * segments hold 128 messages.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { ChannelUriStringBuilder } from '../../src/client/channel-uri-string-builder.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { receive, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const TERM = 64 * 1024;
const FRAME = 1024;
const PAYLOAD = FRAME - 32;
const SEG = 128 * 1024;

describeInterop('TypeScript Archive server: detach, attach, delete detached, purge and migrate segments', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;
  let client: AeronArchive;
  let classes: string;
  const signals = new SignalLog();
  const recordingIds: number[] = [];

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

  /** Records `count` messages numbered from `first` on `channel`/`streamId`, stopped; returns its id. */
  async function record(
    streamId: number,
    count: number,
    first = 0,
    channel = IPC,
  ): Promise<{ id: number; initialTermId: number; stop: number }> {
    const subscriptionId = await client.startRecording(IPC, streamId, SourceLocation.LOCAL);
    const publication: ExclusivePublication = await aeron.addExclusivePublication(channel, streamId);
    try {
      const id = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
      const payload = new Uint8Array(PAYLOAD);
      let position = publication.position();
      for (let i = first; i < first + count; i++) {
        new DataView(payload.buffer).setInt32(0, i, true);
        position = await offerUntilAccepted(publication, payload);
      }
      await client.awaitRecordingPosition(id, position, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === id, 30_000);
      recordingIds.push(id);
      return { id, initialTermId: publication.initialTermId, stop: position };
    } finally {
      publication.close();
    }
  }

  async function replayIndexes(id: number, position: number, count: number, streamId: number): Promise<number[]> {
    const subscription = await aeron.addSubscription('aeron:ipc', streamId);
    try {
      await client.startReplay(id, position, count * FRAME, 'aeron:ipc', streamId);
      const messages = await receive(subscription, count, 60_000);
      return messages.map((m) => new DataView(m.buffer).getInt32(0, true));
    } finally {
      subscription.close();
    }
  }

  const files = (id: number): string[] =>
    readdirSync(archiveDir)
      .filter((f) => f.startsWith(`${id}-`))
      .sort((a, b) => Number(a.split('-')[1]?.split('.')[0]) - Number(b.split('-')[1]?.split('.')[0]));
  const error = (p: Promise<unknown>): Promise<string> => p.then(String, (e: unknown) => String(e));

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
    driver = await startMediaDriver();
    archiveDir = scratchDir('segments');
    server = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, segmentFileLength: SEG });
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

  it('detaches, attaches, deletes detached and purges segments with Java checks, then replays the kept part', async () => {
    const { id, stop } = await record(9001, 6 * 128 + 50);
    expect(stop).toBe((6 * 128 + 50) * FRAME);
    expect(files(id).length).toBe(7);
    expect(await error(client.detachSegments(id, SEG + 32))).toContain(
      `invalid segment start: newStartPosition=${SEG + 32}`,
    );
    expect(await error(client.detachSegments(id, 7 * SEG))).toContain(
      `invalid detach: in use, newStartPosition=${7 * SEG} upperBound=${6 * SEG}`,
    );
    await client.detachSegments(id, 2 * SEG);
    expect(await client.getStartPosition(id)).toBe(2 * SEG);
    expect(await error(client.detachSegments(id, SEG))).toContain(
      `invalid detach: newStartPosition=${SEG} lowerBound=${3 * SEG}`,
    );
    expect(await client.attachSegments(id)).toBe(2);
    expect(await client.getStartPosition(id)).toBe(0);

    await client.detachSegments(id, 2 * SEG);
    let from = signals.events.length;
    expect(await client.deleteDetachedSegments(id)).toBe(2);
    await signals.await('DELETE', (e) => signals.events.indexOf(e) >= from && e.recordingId === id, 30_000);
    expect(files(id)[0]).toBe(`${id}-${2 * SEG}.rec`);
    expect(await client.attachSegments(id)).toBe(0);

    from = signals.events.length;
    expect(await client.purgeSegments(id, 3 * SEG)).toBe(1);
    await signals.await('DELETE', (e) => signals.events.indexOf(e) >= from && e.recordingId === id, 30_000);
    expect(await client.getStartPosition(id)).toBe(3 * SEG);
    expect(files(id).length).toBe(4);
    const kept = await replayIndexes(id, 3 * SEG, 6 * 128 + 50 - 3 * 128, 9101);
    expect(kept).toEqual(Array.from({ length: 6 * 128 + 50 - 3 * 128 }, (_, i) => 3 * 128 + i));

    // a replay reading segment 3 * SEG (stalled: its subscriber never polls) keeps it attached
    const stalled = await aeron.addSubscription('aeron:ipc', 9102);
    try {
      await client.startReplay(id, 3 * SEG, -1, 'aeron:ipc', 9102);
      await awaitCondition('the replay image', () => stalled.imageCount === 1, 30_000);
      const refused = await error(client.detachSegments(id, 4 * SEG));
      expect(refused).toContain(`invalid detach: replay in progress -  state=REPLAY newStartPosition=${4 * SEG}`);
      expect(refused).toContain(`upperBound=${3 * SEG}`);
      expect(refused).toContain('streamId=9102 channel=aeron:ipc');
      await client.stopAllReplays(id);
      await awaitCondition('the replay image to go', () => stalled.imageCount === 0, 30_000);
    } finally {
      stalled.close();
    }
  }, 180_000);

  it("Java's AeronArchive detaches, attaches, purges and deletes detached segments", async () => {
    const { id } = await record(9003, 4 * 128 + 10);
    const java = await probe(
      `detach~${id}~${2 * SEG}`,
      `startPosition~${id}`,
      `attach~${id}`,
      `startPosition~${id}`,
      `detach~${id}~${SEG + 32}`,
      `purgeSegments~${id}~${2 * SEG}`,
      `deleteDetached~${id}`,
      `purgeSegments~${id}~${SEG}`,
      'attach~999',
    );
    expect(java.slice(0, 4)).toEqual(['detach ok', `startPosition ${2 * SEG}`, 'attach 2', 'startPosition 0']);
    expect(java[4]).toMatch(new RegExp(`^error code=0 .*invalid segment start: newStartPosition=${SEG + 32}`));
    expect(java.slice(5, 7)).toEqual(['purgeSegments 2', 'deleteDetached 0']);
    expect(java[7]).toMatch(
      new RegExp(`^error code=0 .*invalid detach: newStartPosition=${SEG} lowerBound=${3 * SEG}`),
    );
    expect(java[8]).toMatch(/^error code=5 .*unknown recording id: 999/);
    expect(files(id).map((f) => f.split('-')[1])).toEqual([`${2 * SEG}.rec`, `${3 * SEG}.rec`, `${4 * SEG}.rec`]);
  }, 180_000);

  it('migrates the segments of a recording ending on a segment boundary into the one continuing it', async () => {
    const src = await record(9002, 256);
    expect(src.stop).toBe(2 * SEG);
    const continuing = new ChannelUriStringBuilder()
      .media('ipc')
      .termLength(TERM)
      .initialPosition(src.stop, src.initialTermId, TERM)
      .build();
    const dst = await record(9002, 100, 256, continuing);
    expect(await client.getStartPosition(dst.id)).toBe(2 * SEG);
    const mismatch = await error(client.migrateSegments(recordingIds[0] as number, dst.id));
    expect(mismatch).toContain('invalid migrate: ');
    const from = signals.events.length;
    expect(await client.migrateSegments(src.id, dst.id)).toBe(2);
    await signals.await('DELETE', (e) => signals.events.indexOf(e) >= from && e.recordingId === src.id, 30_000);
    expect(await client.getStartPosition(dst.id)).toBe(0);
    expect(await client.getStopPosition(dst.id)).toBe(dst.stop);
    expect(await client.getStopPosition(src.id)).toBe(0);
    expect(files(src.id).filter((f) => f.endsWith('.rec'))).toEqual([]);
    expect(existsSync(join(archiveDir, `${dst.id}-0.rec`))).toBe(true);
    const all = await replayIndexes(dst.id, 0, 356, 9103);
    expect(all).toEqual(Array.from({ length: 356 }, (_, i) => i));
  }, 180_000);

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
    for (const id of recordingIds) expect(tool.stdout).toContain(`(recordingId=${id}) OK`);
  }, 120_000);
});
