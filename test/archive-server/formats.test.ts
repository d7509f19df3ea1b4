/**
 * The archive server's on-disk formats, without Java: the catalog written by `Catalog` read back by the
 * offline reader (`CatalogView`), its growth, reopening, state changes, findLast; segment files written by
 * `RecordingWriter` across terms and segments and read back by `RecordingReader`; crash recovery of an active
 * recording's stop position (and the page-straddle refusal); the mark file's liveness lock.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingState } from '../../codecs/generated/archive/RecordingState.ts';
import { CatalogView } from '../../src/archive/catalog/catalog-view.ts';
import { ArchiveMarkFile } from '../../src/archive-server/archive-mark-file.ts';
import { ArchiveServerError } from '../../src/archive-server/archive-server-error.ts';
import { ARCHIVE_SEMANTIC_VERSION, Catalog, type NewRecording } from '../../src/archive-server/catalog.ts';
import { CRC32 } from '../../src/archive-server/checksum.ts';
import { NULL_LENGTH, RecordingReader } from '../../src/archive-server/recording-reader.ts';
import { RecordingWriter } from '../../src/archive-server/recording-writer.ts';
import { HEADER_LENGTH } from '../../src/logbuffer/data-header-flyweight.ts';
import { payloadOf, removeScratch, SyntheticImage, scratchDir } from './support.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeScratch(d);
});
function dir(role: string): string {
  const d = scratchDir(role);
  dirs.push(d);
  return d;
}

function recording(i: number, overrides: Partial<NewRecording> = {}): NewRecording {
  return {
    startPosition: 0,
    startTimestamp: 1_700_000_000_000 + i,
    initialTermId: 100 + i,
    segmentFileLength: 128 * 1024,
    termBufferLength: 64 * 1024,
    mtuLength: 1408,
    sessionId: 1000 + i,
    streamId: 10 + i,
    strippedChannel: 'aeron:ipc',
    originalChannel: `aeron:ipc?term-length=64k|alias=r${i}`,
    sourceIdentity: 'aeron:ipc',
    ...overrides,
  };
}

/** Records `count` messages of stream `seed` into recording `id`; returns the image (messages, position). */
function record(archiveDir: string, r: NewRecording, id: number, seed: number, count: number): SyntheticImage {
  const image = new SyntheticImage({
    termLength: r.termBufferLength,
    initialTermId: r.initialTermId,
    sessionId: r.sessionId,
    streamId: r.streamId,
    startPosition: r.startPosition,
  });
  const writer = new RecordingWriter({
    recordingId: id,
    startPosition: r.startPosition,
    joinPosition: r.startPosition,
    termLength: r.termBufferLength,
    segmentLength: r.segmentFileLength,
    archiveDir,
  });
  writer.init();
  for (let i = 0; i < count; i++) image.append(writer, payloadOf(seed, i));
  image.flush(writer);
  expect(writer.position).toBe(image.position);
  writer.close();
  return image;
}

function readAll(archiveDir: string, catalog: Catalog, id: number, position = -1): Uint8Array[] {
  const reader = new RecordingReader(catalog.recordingSummary(id), archiveDir, position, NULL_LENGTH);
  const out: Uint8Array[] = [];
  try {
    while (!reader.isDone) {
      const n = reader.poll((segment, offset, length) => {
        if (segment.getInt16(offset + 6) !== 1) return; // padding
        const copy = new Uint8Array(length - HEADER_LENGTH);
        segment.getBytes(offset + HEADER_LENGTH, copy, 0, copy.length);
        out.push(copy);
      }, 100);
      if (n === 0) break;
    }
  } finally {
    reader.close();
  }
  return out;
}

describe('Catalog', () => {
  it('creates a catalog as Java does and the offline reader reads every field back', () => {
    const archiveDir = dir('create');
    const catalog = Catalog.open({ archiveDir, epochClock: () => 42 });
    expect(catalog.capacity).toBe(1024 * 1024);
    expect(catalog.alignment).toBe(64);
    const ids = [0, 1, 2].map((i) => catalog.addNewRecording(recording(i)));
    expect(ids).toEqual([0, 1, 2]);
    catalog.recordingStopped(1, 4096, 1_700_000_000_999);
    catalog.close();
    const bytes = readFileSync(join(archiveDir, 'archive.catalog'));
    expect(bytes.length).toBe(1024 * 1024);
    const view = new CatalogView(new Uint8Array(bytes));
    expect(view.header.version).toBe(ARCHIVE_SEMANTIC_VERSION);
    expect(view.header.versionText).toBe('3.1.0');
    expect(view.header.alignment).toBe(64);
    expect(view.header.firstFrameOffset).toBe(32);
    expect(view.header.nextRecordingId).toBe(3);
    const entries = [...view.entries()];
    expect(entries.map((e) => [e.recordingId, e.state, e.frameOffset])).toEqual([
      [0, 'VALID', 32],
      [1, 'VALID', 32 + 192],
      [2, 'VALID', 32 + 2 * 192],
    ]);
    const one = entries[1];
    expect(one).toMatchObject({
      controlSessionId: 0,
      correlationId: 0,
      startTimestamp: 1_700_000_000_001,
      stopTimestamp: 1_700_000_000_999,
      startPosition: 0,
      stopPosition: 4096,
      initialTermId: 101,
      segmentFileLength: 128 * 1024,
      termBufferLength: 64 * 1024,
      mtuLength: 1408,
      sessionId: 1001,
      streamId: 11,
      strippedChannel: 'aeron:ipc',
      originalChannel: 'aeron:ipc?term-length=64k|alias=r1',
      sourceIdentity: 'aeron:ipc',
      checksum: 0,
    });
    expect(entries[0]).toMatchObject({ stopPosition: -1, stopTimestamp: -1 });
  });

  it('grows by halves when full, reopens, continues ids, invalidates, deletes, extends and finds the last match', () => {
    const archiveDir = dir('grow');
    let catalog = Catalog.open({ archiveDir, catalogCapacity: 256, recover: false });
    for (let i = 0; i < 5; i++) catalog.addNewRecording(recording(i, { stopPosition: 0, stopTimestamp: 1 }));
    // 32 + 5 frames of 192 = 992: 256 → 384 → 576 → 864 → 1296
    expect(catalog.capacity).toBe(1296);
    catalog.close();
    catalog = Catalog.open({ archiveDir, catalogCapacity: 256, recover: false });
    expect(catalog.capacity).toBe(1296);
    expect(catalog.nextRecordingId).toBe(5);
    expect(catalog.entryCount).toBe(5);
    expect(catalog.addNewRecording(recording(5, { sessionId: 1001, streamId: 11 }))).toBe(5);
    expect(catalog.findLast(0, 1001, 11, 'alias=r')).toBe(5);
    expect(catalog.findLast(0, 1001, 11, 'alias=r1')).toBe(1);
    expect(catalog.findLast(2, 1001, 11, 'alias=r1')).toBe(-1);
    expect(catalog.changeState(5, RecordingState.INVALID)).toBe(true);
    expect(catalog.changeState(5, RecordingState.INVALID)).toBe(false);
    expect(catalog.changeState(3, RecordingState.DELETED)).toBe(true);
    expect(catalog.hasRecording(3)).toBe(false);
    catalog.extendRecording(2, 77, 88, 4242);
    expect(catalog.stopPosition(2)).toBe(-1);
    expect(() => catalog.stopPosition(3)).toThrow(ArchiveServerError);
    catalog.close();
    const view = new CatalogView(new Uint8Array(readFileSync(join(archiveDir, 'archive.catalog'))));
    const entries = [...view.entries()];
    expect(entries.map((e) => e.state)).toEqual(['VALID', 'VALID', 'VALID', 'DELETED', 'VALID', 'INVALID']);
    expect(entries[2]).toMatchObject({
      controlSessionId: 77,
      correlationId: 88,
      sessionId: 4242,
      stopPosition: -1,
      stopTimestamp: -1,
    });
    catalog = Catalog.open({ archiveDir, recover: false });
    expect(catalog.recordingIdsFrom(0)).toEqual([0, 1, 2, 4]);
    expect(catalog.nextRecordingId).toBe(6);
    catalog.close();
  });

  it('checksums descriptors with CRC-32 when asked (header checksum = crc32 of the descriptor bytes)', () => {
    const archiveDir = dir('checksum');
    const catalog = Catalog.open({ archiveDir, checksum: CRC32 });
    catalog.addNewRecording(recording(0));
    catalog.recordingStopped(0, 0, 5);
    const offset = catalog.recordingDescriptorOffset(0);
    const length = catalog.descriptorLengthAt(offset);
    const expected = CRC32.compute(catalog.bytes, offset + 32, length);
    catalog.close();
    const view = new CatalogView(new Uint8Array(readFileSync(join(archiveDir, 'archive.catalog'))));
    expect([...view.entries()][0]?.checksum).toBe(expected);
    expect(expected).not.toBe(0);
  });

  it('refuses a capacity out of range and a catalog of another major version', () => {
    const archiveDir = dir('refuse');
    expect(() => Catalog.open({ archiveDir, catalogCapacity: 16 })).toThrow(/Invalid catalog capacity provided/);
    Catalog.open({ archiveDir }).close();
    const path = join(archiveDir, 'archive.catalog');
    const bytes = readFileSync(path);
    bytes.writeInt32LE((2 << 16) | (9 << 8), 0);
    writeFileSync(path, bytes);
    expect(() => Catalog.open({ archiveDir })).toThrow(
      'incompatible catalog file version 2.9.0, archive software is 3.1.0',
    );
  });
});

describe('RecordingWriter and RecordingReader', () => {
  it('writes terms and segments as Java lays them out and reads every message back, from any fragment', () => {
    const archiveDir = dir('segments');
    const catalog = Catalog.open({ archiveDir });
    const r = recording(0, { startPosition: 3 * 64 * 1024 + 4096 }); // starts mid-term, in term 3
    const id = catalog.addNewRecording(r);
    const image = record(archiveDir, r, id, 7, 2000);
    catalog.recordingStopped(id, image.position, 99);
    // segment bases from the start term's base (3 × 64 KiB), every 128 KiB
    const files = readdirSync(archiveDir)
      .filter((f) => f.endsWith('.rec'))
      .sort((a, b) => a.length - b.length || a.localeCompare(b));
    const base = 3 * 64 * 1024;
    const expected: string[] = [];
    for (let b = base; b < image.position; b += 128 * 1024) expected.push(`0-${b}.rec`);
    expect(files.sort()).toEqual(expected.sort());
    for (const f of files) expect(statSync(join(archiveDir, f)).size).toBe(128 * 1024);
    const all = readAll(archiveDir, catalog, id);
    expect(all.length).toBe(2000);
    expect(all.findIndex((p, i) => !Buffer.from(p).equals(payloadOf(7, i)))).toBe(-1);
    // from a fragment in the middle: the rest; from a non-fragment position: refused
    const mid = image.messages[1234];
    if (mid === undefined) throw new Error('no message 1234');
    const rest = readAll(archiveDir, catalog, id, mid.position);
    expect(rest.length).toBe(2000 - 1234);
    expect(rest[0]).toEqual(payloadOf(7, 1234));
    expect(() => readAll(archiveDir, catalog, id, mid.position + 32)).toThrow(/position not aligned to valid fragment/);
    catalog.close();
  });

  it('writes the frame checksum into sessionId with a record checksum', () => {
    const archiveDir = dir('frame-checksum');
    const r = recording(0);
    const image = new SyntheticImage({
      termLength: 65536,
      initialTermId: 100,
      sessionId: 1000,
      streamId: 10,
      startPosition: 0,
    });
    const writer = new RecordingWriter({
      recordingId: 0,
      startPosition: 0,
      joinPosition: 0,
      termLength: r.termBufferLength,
      segmentLength: r.segmentFileLength,
      archiveDir,
      checksum: CRC32,
    });
    writer.init();
    image.append(writer, payloadOf(1, 0));
    image.flush(writer);
    writer.close();
    const bytes = readFileSync(join(archiveDir, '0-0.rec'));
    const frameLength = bytes.readInt32LE(0);
    const aligned = (frameLength + 31) & ~31;
    expect(bytes.readInt32LE(12)).toBe(CRC32.compute(new Uint8Array(bytes), 32, aligned - 32));
  });
});

describe('crash recovery', () => {
  it('gives a recording left active the stop position of its last whole fragment, on the next open', () => {
    const archiveDir = dir('recover');
    let catalog = Catalog.open({ archiveDir });
    const r = recording(0);
    const id = catalog.addNewRecording(r);
    const empty = catalog.addNewRecording(recording(1, { startPosition: 4096 }));
    const image = record(archiveDir, r, id, 3, 900); // active: no recordingStopped (the archive "died")
    catalog.close();
    catalog = Catalog.open({ archiveDir, epochClock: () => 12345 });
    expect(catalog.stopPosition(id)).toBe(image.position);
    expect(catalog.stopPosition(empty)).toBe(4096); // no segment file: its start position
    expect(catalog.descriptor(id)?.stopTimestamp).toBe(12345);
    catalog.close();
  });

  it('refuses to start on a torn last fragment straddling a page (Java message), or truncates when told to', () => {
    const archiveDir = dir('straddle');
    let catalog = Catalog.open({ archiveDir });
    const r = recording(0);
    const id = catalog.addNewRecording(r);
    // frames of 288 bytes: the 15th spans 4032..4320, across the page at 4096
    const image = new SyntheticImage({
      termLength: 65536,
      initialTermId: 100,
      sessionId: 1000,
      streamId: 10,
      startPosition: 0,
    });
    const writer = new RecordingWriter({
      recordingId: id,
      startPosition: 0,
      joinPosition: 0,
      termLength: 65536,
      segmentLength: 131072,
      archiveDir,
    });
    writer.init();
    for (let i = 0; i < 15; i++) image.append(writer, new Uint8Array(256).fill(i + 1));
    image.flush(writer);
    writer.close();
    catalog.close();
    const path = join(archiveDir, '0-0.rec');
    const bytes = readFileSync(path);
    bytes.fill(0, 4096, 15 * 288);
    writeFileSync(path, bytes);
    expect(() => Catalog.open({ archiveDir })).toThrow(
      `Found potentially incomplete last fragment straddling page boundary in file: ${path}\nRun \`ArchiveTool verify\` for corrective action!`,
    );
    catalog = Catalog.open({ archiveDir, onPageStraddle: () => true });
    expect(catalog.stopPosition(id)).toBe(14 * 288);
    expect(statSync(path).size).toBe(131072);
    catalog.close();
  });
});

describe('ArchiveMarkFile', () => {
  it('is written as Java writes it, refuses a second live archive, and frees the dir on close', () => {
    const archiveDir = dir('mark');
    const options = {
      markFileDir: archiveDir,
      archiveId: 77,
      controlChannel: 'aeron:udp?endpoint=localhost:8010',
      controlStreamId: 10,
      localControlChannel: 'aeron:ipc',
      localControlStreamId: 11,
      recordingEventsChannel: null,
      recordingEventsStreamId: 30,
      aeronDirectoryName: '/dev/shm/aeron-x',
    };
    const mark = new ArchiveMarkFile(options);
    mark.signalReady(Date.now());
    const bytes = readFileSync(join(archiveDir, 'archive-mark.dat'));
    expect(bytes.length).toBe(8192 + 1024 * 1024);
    expect(bytes.readUInt16LE(0)).toBe(128); // blockLength
    expect(bytes.readUInt16LE(2)).toBe(200); // templateId
    expect(bytes.readUInt16LE(4)).toBe(100); // schemaId
    expect(bytes.readInt32LE(8)).toBe(ARCHIVE_SEMANTIC_VERSION);
    expect(bytes.readInt32LE(8 + 24)).toBe(process.pid);
    expect(bytes.readInt32LE(8 + 44)).toBe(8192);
    expect(bytes.readBigInt64LE(8 + 56)).toBe(77n);
    expect(bytes.subarray(136).toString('latin1')).toContain('aeron:udp?endpoint=localhost:8010');
    expect(() => new ArchiveMarkFile(options)).toThrow('active mark file detected');
    mark.close();
    expect(readFileSync(join(archiveDir, 'archive-mark.dat')).readBigInt64LE(16)).toBe(-1n);
    const again = new ArchiveMarkFile(options);
    again.close();
    expect(existsSync(join(archiveDir, 'archive-mark.dat'))).toBe(true);
  });
});
