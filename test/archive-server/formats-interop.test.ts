/**
 * The archive server's on-disk formats against Java 1.51.0, both ways.
 *
 * TS → Java: an archive directory written by `Catalog`, `ArchiveMarkFile` and `RecordingWriter` (three
 * recordings: one over four 128 KiB segments, one starting mid-term in term 3, one left ACTIVE as after a crash)
 * is opened by the Java `ArchivingMediaDriver` (harness), which recovers the active one to its last fragment,
 * lists all three with our descriptors and replays every one to our client over IPC, every message compared.
 * Java's `ArchiveTool` then `describe`s and `verify`s the directory (every recording OK, exit 0). A second
 * directory written with CRC-32 record and descriptor checksums passes `verify -a -checksum Crc32`.
 *
 * Java → TS: the Java archive records a stream our client publishes on IPC; with the archive stopped, our
 * `Catalog` opens the directory (nothing to recover), its descriptors equal Java's listing field for field, and
 * `RecordingReader` reads the Java-written segment bytes back as the messages published.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { Catalog } from '../../src/archive-server/catalog.ts';
import { CRC32, CRC32_CLASS_NAME } from '../../src/archive-server/checksum.ts';
import { NULL_LENGTH, RecordingReader } from '../../src/archive-server/recording-reader.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { HEADER_LENGTH } from '../../src/logbuffer/data-header-flyweight.ts';
import {
  awaitRecorded,
  connectAeron,
  connectLocalArchive,
  listAll,
  receive,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';
import {
  payloadOf,
  removeScratch,
  SYNTHETIC_SEGMENT_LENGTH,
  SYNTHETIC_TERM_LENGTH,
  scratchDir,
  syntheticRecording,
  type WrittenRecording,
  writeSyntheticArchive,
} from './support.ts';

const TERM = SYNTHETIC_TERM_LENGTH;
const SEGMENT = SYNTHETIC_SEGMENT_LENGTH;

async function archiveTool(args: string[]): Promise<{ code: number | null; out: string }> {
  const result = await runJava({
    classpath: [aeronJarPath()],
    mainClass: 'io.aeron.archive.ArchiveTool',
    args,
    jvmArgs: AERON_JVM_FLAGS,
    stdin: 'n\n',
    timeoutMs: 120_000,
  });
  return { code: result.code, out: `${result.stdout}${result.stderr}` };
}

function samePayloads(actual: readonly Uint8Array[], expected: readonly Uint8Array[], what: string): void {
  expect(actual.length, `${what}: count`).toBe(expected.length);
  const bad = actual.findIndex((p, i) => !Buffer.from(p).equals(Buffer.from(expected[i] as Uint8Array)));
  expect(bad, `${what}: first differing message`).toBe(-1);
}

describeInterop('archive server formats against Java 1.51.0 (ArchiveTool, ArchivingMediaDriver)', () => {
  const dirs: string[] = [];
  let archiveDir: string;
  let written: WrittenRecording[];
  let driver: ArchivingDriverHandle | undefined;
  let aeron: Aeron | undefined;
  let archive: AeronArchive | undefined;
  const signals = new SignalLog();

  beforeAll(() => {
    archiveDir = scratchDir('ts-written');
    dirs.push(archiveDir);
    written = writeSyntheticArchive(archiveDir, [
      [0, 1500, true], // ~4 segments of 128 KiB
      [3 * TERM + 4096, 400, true], // starts mid-term in term 3: segment bases from 3 × 64 KiB
      [0, 300, false], // left ACTIVE, as after a crash
    ]);
  });

  afterAll(async () => {
    archive?.close();
    aeron?.close();
    await driver?.stop();
    for (const d of dirs) removeScratch(d);
  }, 60_000);

  it('the Java archive opens a TS-written directory: recovers the active recording, lists our descriptors, replays every message byte-exact', async () => {
    driver = await startArchivingMediaDriver({ properties: { 'aeron.archive.dir': archiveDir } });
    aeron = await connectAeron(driver);
    archive = await connectLocalArchive(aeron, driver, { recordingSignalConsumer: signals.consumer });
    const listed = await listAll(archive);
    expect(listed.map((d) => [d.recordingId, d.startPosition, d.stopPosition])).toEqual(
      written.map((w) => [w.id, w.image.params.startPosition, w.image.position]),
    );
    listed.forEach((d, i) => {
      const r = syntheticRecording(i, d.startPosition);
      expect(d).toMatchObject({
        initialTermId: r.initialTermId,
        segmentFileLength: SEGMENT,
        termBufferLength: TERM,
        mtuLength: 1408,
        sessionId: r.sessionId,
        streamId: r.streamId,
        strippedChannel: 'aeron:ipc',
        originalChannel: r.originalChannel,
        sourceIdentity: 'aeron:ipc',
      });
    });
    for (const w of written) {
      const streamId = 7100 + w.id;
      const subscription = await aeron.addSubscription('aeron:ipc', streamId);
      try {
        const length = w.image.position - w.image.params.startPosition;
        await archive.startReplay(w.id, w.image.params.startPosition, length, 'aeron:ipc', streamId);
        const received = await receive(subscription, w.image.messages.length, 60_000, `replay of recording ${w.id}`);
        samePayloads(
          received,
          w.image.messages.map((m) => m.payload),
          `replay of recording ${w.id}`,
        );
      } finally {
        subscription.close();
      }
    }
  }, 240_000);

  it('Java → TS: a recording the Java archive wrote opens in our Catalog with the same descriptor and reads back through RecordingReader', async () => {
    if (aeron === undefined || archive === undefined || driver === undefined) throw new Error('previous case failed');
    const channel = 'aeron:ipc?term-length=64k|alias=java-written';
    const subscriptionId = await archive.startRecording(channel, 7300, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(channel, 7300);
    const payloads: Uint8Array[] = [];
    let position = 0;
    try {
      const start = signals.events.length;
      await signals.await('START', (e) => signals.events.indexOf(e) >= start);
      for (let i = 0; i < 1200; i++) {
        const p = payloadOf(99, i);
        payloads.push(p);
        position = await offerUntilAccepted(publication, p);
      }
      const recordingId = signals.events.slice(start).find((e) => e.signalName === 'START')?.recordingId ?? -1;
      await awaitRecorded(archive, recordingId, position);
      await archive.stopRecordingBySubscriptionId(subscriptionId);
    } finally {
      publication.close();
    }
    const javaListing: RecordingDescriptor[] = await listAll(archive);
    archive.close();
    archive = undefined;
    aeron.close();
    aeron = undefined;
    await driver.stop();
    driver = undefined;

    const catalog = Catalog.open({ archiveDir });
    try {
      expect(catalog.nextRecordingId).toBe(written.length + 1);
      const ours = catalog.recordingIdsFrom(0).map((id) => catalog.descriptor(id));
      // Java's listing carries the request's controlSessionId/correlationId; the catalog holds the stored ones
      const strip = (d: RecordingDescriptor | undefined) => ({ ...d, controlSessionId: 0, correlationId: 0 });
      expect(ours.map(strip)).toEqual(javaListing.map(strip));
      const javaId = written.length;
      expect(catalog.stopPosition(javaId)).toBe(position);
      const reader = new RecordingReader(catalog.recordingSummary(javaId), archiveDir, -1, NULL_LENGTH);
      const read: Uint8Array[] = [];
      try {
        while (!reader.isDone) {
          if (
            reader.poll((segment, offset, length) => {
              if (segment.getInt16(offset + 6) !== 1) return;
              const copy = new Uint8Array(length - HEADER_LENGTH);
              segment.getBytes(offset + HEADER_LENGTH, copy, 0, copy.length);
              read.push(copy);
            }, 64) === 0
          ) {
            break;
          }
        }
      } finally {
        reader.close();
      }
      samePayloads(read, payloads, 'Java-written recording read by RecordingReader');
    } finally {
      catalog.close();
    }
  }, 240_000);

  it('ArchiveTool describe and verify pass on the directory (all recordings OK)', async () => {
    const described = await archiveTool([archiveDir, 'describe']);
    expect(described.code, described.out).toBe(0);
    for (let id = 0; id <= written.length; id++) expect(described.out).toContain(`recordingId=${id}`);
    const verified = await archiveTool([archiveDir, 'verify', '-a']);
    expect(verified.code, verified.out).toBe(0);
    for (let id = 0; id <= written.length; id++) expect(verified.out).toContain(`(recordingId=${id}) OK`);
    expect(verified.out).not.toContain('ERR');
  }, 240_000);

  it('ArchiveTool dump prints every fragment of a TS-written directory, and checksum computes CRC-32s verify then accepts', async () => {
    const summed = scratchDir('java-checksummed');
    dirs.push(summed);
    const w = writeSyntheticArchive(summed, [
      [0, 1500, true],
      [TERM + 1024, 200, true],
    ]);
    // no fragment limit: at a limit, ArchiveTool asks on stdin with a new Scanner per question, which finds no
    // second line once the first Scanner buffered the input (a NoSuchElementException in Java's tool)
    const dumped = await archiveTool([summed, 'dump']);
    expect(dumped.code, dumped.out.slice(-2000)).toBe(0);
    for (const r of w) expect(dumped.out).toContain(`recordingId=${r.id}|`);
    expect(dumped.out).not.toContain('Unexpected frame type');
    expect(dumped.out).not.toContain('Exception');
    // Java's `checksum` on a TS-written directory without checksums writes them (segments and descriptors); its
    // own `verify -checksum` then accepts them, and our catalog still opens what Java rewrote
    const checksum = await archiveTool([summed, 'checksum', CRC32_CLASS_NAME, '-a']);
    expect(checksum.code, checksum.out).toBe(0);
    const verified = await archiveTool([summed, 'verify', '-a', '-checksum', CRC32_CLASS_NAME]);
    expect(verified.code, verified.out).toBe(0);
    for (const r of w) expect(verified.out).toContain(`(recordingId=${r.id}) OK`);
    const catalog = Catalog.open({ archiveDir: summed });
    try {
      expect(catalog.recordingIdsFrom(0)).toEqual(w.map((r) => r.id));
    } finally {
      catalog.close();
    }
  }, 240_000);

  it('a TS archive written with CRC-32 record and catalog checksums passes ArchiveTool verify -a -checksum Crc32', async () => {
    const checked = scratchDir('crc32');
    dirs.push(checked);
    const w = writeSyntheticArchive(
      checked,
      [
        [0, 1500, true],
        [TERM + 1024, 200, true],
      ],
      CRC32,
    );
    const verified = await archiveTool([checked, 'verify', '-a', '-checksum', CRC32_CLASS_NAME]);
    expect(verified.code, verified.out).toBe(0);
    for (const r of w) expect(verified.out).toContain(`(recordingId=${r.id}) OK`);
    // and a corrupted payload byte is caught by Java's check of our checksums
    const fd = openSync(`${checked}/0-0.rec`, 'r+');
    writeSync(fd, new Uint8Array([0xee]), 0, 1, 40);
    closeSync(fd);
    const broken = await archiveTool([checked, 'verify', '-a', '-checksum', CRC32_CLASS_NAME]);
    expect(broken.code).not.toBe(0);
    expect(broken.out).toContain(`(recordingId=0, file=${checked}/0-0.rec) ERR: checksum failed`);
    expect(broken.out).toContain('(recordingId=1) OK');
  }, 240_000);
});
