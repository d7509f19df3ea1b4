/**
 * The offline catalog reader over crafted catalogs (written with our generated encoders in the 1.51.0
 * layout): field round trip, states, legacy layout, typed errors, and never anything but a CatalogError on
 * random or mutated bytes. Plus the CLI on crafted archive directories (no Java needed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogHeaderEncoder } from '../../codecs/generated/archive/CatalogHeaderEncoder.ts';
import { RecordingDescriptorEncoder } from '../../codecs/generated/archive/RecordingDescriptorEncoder.ts';
import { RecordingDescriptorHeaderEncoder } from '../../codecs/generated/archive/RecordingDescriptorHeaderEncoder.ts';
import type { RecordingState } from '../../codecs/generated/archive/RecordingState.ts';
import {
  CATALOG_FILE_NAME,
  type CatalogEntry,
  CatalogError,
  CatalogRecordingSource,
  CatalogView,
  listSegmentFiles,
  openCatalog,
} from '../../src/archive/catalog/index.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { runCliProcess } from '../cli/support/run-cli.ts';

type Descriptor = Omit<RecordingDescriptor, 'controlSessionId' | 'correlationId'> & { state: RecordingState };

function descriptor(recordingId: number, overrides: Partial<Descriptor> = {}): Descriptor {
  return {
    recordingId,
    startTimestamp: 1_700_000_000_000 + recordingId,
    stopTimestamp: 1_700_000_000_500 + recordingId,
    startPosition: 0,
    stopPosition: 1024 * (recordingId + 1),
    initialTermId: 100 + recordingId,
    segmentFileLength: 128 * 1024 * 1024,
    termBufferLength: 64 * 1024,
    mtuLength: 1408,
    sessionId: -5 + recordingId,
    streamId: 1000 + recordingId,
    strippedChannel: 'aeron:ipc',
    originalChannel: `aeron:ipc?alias=r${recordingId}`,
    sourceIdentity: 'aeron:ipc',
    state: 1,
    ...overrides,
  };
}

/** A catalog image as the 1.51.0 archive writes it (alignment 64, first frame at 32) or a legacy one. */
function craftCatalog(
  descriptors: readonly Descriptor[],
  options: { alignment?: number; legacy?: boolean; capacity?: number; version?: number } = {},
): Uint8Array {
  const alignment = options.legacy === true ? 1024 : (options.alignment ?? 64);
  const bytes = new Uint8Array(options.capacity ?? 64 * 1024);
  new CatalogHeaderEncoder()
    .wrap(bytes, 0)
    .version(options.version ?? (3 << 16) | (1 << 8))
    .length(32)
    .nextRecordingId(options.legacy === true ? 0 : descriptors.length)
    .alignment(options.legacy === true ? 0 : alignment);
  let offset = options.legacy === true ? 1024 : 32;
  for (const d of descriptors) {
    const encoder = new RecordingDescriptorEncoder()
      .wrap(bytes, offset + 32)
      .controlSessionId(7)
      .correlationId(8)
      .recordingId(d.recordingId)
      .startTimestamp(d.startTimestamp)
      .stopTimestamp(d.stopTimestamp)
      .startPosition(d.startPosition)
      .stopPosition(d.stopPosition)
      .initialTermId(d.initialTermId)
      .segmentFileLength(d.segmentFileLength)
      .termBufferLength(d.termBufferLength)
      .mtuLength(d.mtuLength)
      .sessionId(d.sessionId)
      .streamId(d.streamId)
      .strippedChannel(d.strippedChannel)
      .originalChannel(d.originalChannel)
      .sourceIdentity(d.sourceIdentity);
    const length = encoder.encodedLength();
    new RecordingDescriptorHeaderEncoder().wrap(bytes, offset).length(length).state(d.state).checksum(0);
    offset += Math.ceil((32 + length) / alignment) * alignment;
  }
  return bytes;
}

function strip(e: CatalogEntry): Record<string, unknown> {
  const {
    controlSessionId: _c,
    correlationId: _k,
    stateValue: _v,
    checksum: _s,
    frameOffset: _o,
    frameLength: _l,
    ...rest
  } = e;
  return { ...rest, state: rest.state === 'VALID' ? 1 : rest.state === 'DELETED' ? 2 : 0 };
}

const dirs: string[] = [];
function archiveDirWith(catalog: Uint8Array | undefined, segments: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-test-catalog-'));
  dirs.push(dir);
  if (catalog !== undefined) writeFileSync(join(dir, CATALOG_FILE_NAME), catalog);
  for (const [name, size] of Object.entries(segments)) writeFileSync(join(dir, name), new Uint8Array(size));
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CatalogError) return e.code;
    throw e;
  }
  return 'none';
}

describe('CatalogView', () => {
  it('reads every field of every frame, in order, with its state', () => {
    const ds = [descriptor(0), descriptor(1, { state: 2 }), descriptor(2, { stopPosition: -1, stopTimestamp: -1 })];
    const view = new CatalogView(craftCatalog(ds));
    expect(view.header).toMatchObject({
      alignment: 64,
      firstFrameOffset: 32,
      nextRecordingId: 3,
      versionText: '3.1.0',
    });
    const entries = [...view.entries()];
    expect(entries.map((e) => strip(e))).toEqual(ds);
    expect(entries.map((e) => e.state)).toEqual(['VALID', 'DELETED', 'VALID']);
    expect(entries[0]?.frameOffset).toBe(32);
    expect((entries[0]?.frameLength ?? 1) % 64).toBe(0);
    expect(view.find(1)?.state).toBe('DELETED');
    expect(view.find(9)).toBeUndefined();
  });

  it('reads legacy catalogs (alignment 0: 1024-byte frames from offset 1024) and derives the next id', () => {
    const view = new CatalogView(craftCatalog([descriptor(0), descriptor(1)], { legacy: true }));
    expect(view.header).toMatchObject({ alignment: 1024, firstFrameOffset: 1024 });
    expect([...view.entries()].map((e) => e.frameOffset)).toEqual([1024, 2048]);
    expect(view.nextRecordingId()).toBe(2);
  });

  it('an empty catalog has no entries', () => {
    expect([...new CatalogView(craftCatalog([])).entries()]).toEqual([]);
  });

  it('raises typed errors for short, foreign, misaligned and overrunning catalogs', () => {
    expect(errorCode(() => new CatalogView(new Uint8Array(31)))).toBe('TRUNCATED');
    expect(errorCode(() => new CatalogView(craftCatalog([], { version: 2 << 16 })))).toBe('INCOMPATIBLE_VERSION');
    expect(errorCode(() => new CatalogView(craftCatalog([], { alignment: 48 })))).toBe('BAD_HEADER');
    const full = craftCatalog([descriptor(0)]);
    expect(errorCode(() => [...new CatalogView(full.subarray(0, 100)).entries()])).toBe('TRUNCATED');
    const badString = craftCatalog([descriptor(0)]);
    new DataView(badString.buffer).setUint32(32 + 32 + 80, 5000, true); // strippedChannel length past the frame
    expect(errorCode(() => [...new CatalogView(badString).entries()])).toBe('CORRUPT_DESCRIPTOR');
    const tiny = craftCatalog([descriptor(0)]);
    new DataView(tiny.buffer).setInt32(32, 8, true);
    expect(errorCode(() => [...new CatalogView(tiny).entries()])).toBe('CORRUPT_DESCRIPTOR');
    // a position no double holds exactly (2^53 + 1 at stopPosition, body offset 48) is refused, not rounded
    const inexact = craftCatalog([descriptor(0)]);
    new DataView(inexact.buffer).setBigInt64(32 + 32 + 48, 2n ** 53n + 1n, true);
    expect(errorCode(() => [...new CatalogView(inexact).entries()])).toBe('CORRUPT_DESCRIPTOR');
  });

  it('never throws anything but CatalogError, and always ends, on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), fc.boolean(), (bytes, validVersion) => {
        if (validVersion && bytes.length >= 4) new DataView(bytes.buffer, bytes.byteOffset).setInt32(0, 3 << 16, true);
        const code = errorCode(() => {
          const view = new CatalogView(bytes);
          let n = 0;
          for (const _ of view.entries()) n++;
          return n;
        });
        expect(typeof code).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but CatalogError on mutated real-layout catalogs', () => {
    const base = craftCatalog([descriptor(0), descriptor(1), descriptor(2)], { capacity: 2048 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2047), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(2048), { nil: undefined }),
        (mutations, cut) => {
          const bytes = base.slice(0, cut ?? base.length);
          for (const [at, value] of mutations) if (at < bytes.length) bytes[at] = value;
          const code = errorCode(() => {
            const view = new CatalogView(bytes);
            return [...view.entries()].length + view.nextRecordingId();
          });
          expect(typeof code).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('openCatalog, CatalogRecordingSource and segment files', () => {
  it('maps a catalog file and lists VALID recordings with from/count/stream/channel', async () => {
    const dir = archiveDirWith(
      craftCatalog([descriptor(0), descriptor(1, { state: 2 }), descriptor(2), descriptor(3)]),
    );
    using catalog = openCatalog(dir);
    expect([...catalog.view.entries()]).toHaveLength(4);
    const source = new CatalogRecordingSource(dir);
    const ids = async (q: Parameters<CatalogRecordingSource['listRecordings']>[0]): Promise<number[]> =>
      (await source.listRecordings(q)).map((r) => r.recordingId);
    expect(await ids({ fromRecordingId: 0, recordCount: 100 })).toEqual([0, 2, 3]);
    expect(await ids({ fromRecordingId: 1, recordCount: 1 })).toEqual([2]);
    expect(await ids({ fromRecordingId: 0, recordCount: 100, streamId: 1003 })).toEqual([3]);
    expect(await ids({ fromRecordingId: 0, recordCount: 100, channelFragment: 'alias=r2' })).toEqual([2]);
    expect((await source.describeRecording(1)).state).toBe('DELETED');
    await expect(source.describeRecording(42)).rejects.toMatchObject({ code: 'UNKNOWN_RECORDING' });
  });

  it('raises typed errors for a missing directory, a missing catalog and an empty catalog', () => {
    expect(errorCode(() => openCatalog(join(tmpdir(), 'aeron-ts-test-no-such-archive-dir')))).toBe('NO_ARCHIVE_DIR');
    expect(errorCode(() => openCatalog(archiveDirWith(undefined)))).toBe('NO_CATALOG');
    expect(errorCode(() => openCatalog(archiveDirWith(new Uint8Array(0))))).toBe('TRUNCATED');
  });

  it('finds <recordingId>-<segmentBasePosition>.rec files, ordered, with sizes', () => {
    const dir = archiveDirWith(undefined, {
      '1-65536.rec': 10,
      '1-0.rec': 20,
      '10-0.rec': 5,
      'x-0.rec': 1,
      '1-0.rec.del': 1,
    });
    expect(listSegmentFiles(dir, 1).map((s) => [s.name, s.segmentBasePosition, s.size])).toEqual([
      ['1-0.rec', 0, 20],
      ['1-65536.rec', 65536, 10],
    ]);
    expect(listSegmentFiles(dir).map((s) => s.recordingId)).toEqual([1, 1, 10]);
  });
});

describe('recordings / describe-recording CLI on crafted archive directories', () => {
  it('lists, describes, and reports errors in one line', async () => {
    const dir = archiveDirWith(craftCatalog([descriptor(0), descriptor(1, { stopPosition: -1, stopTimestamp: -1 })]), {
      '1-0.rec': 4096,
    });
    const list = await runCliProcess(['recordings', '--archive-dir', dir, '--json']);
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.stdout) as { recordings: { recordingId: number; active: boolean }[] };
    expect(doc.recordings.map((r) => [r.recordingId, r.active])).toEqual([
      [0, false],
      [1, true],
    ]);
    const described = await runCliProcess(['describe-recording', '1', '--archive-dir', dir]);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^stop position:\s+-1 \(active\)$/m);
    expect(described.stdout).toContain('1-0.rec  base 0  4,096 bytes');

    const garbage = archiveDirWith(new Uint8Array(4096).fill(0x5a));
    const bad = await runCliProcess(['recordings', '--archive-dir', garbage]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^aeron-ts: .*not an Aeron archive catalog.*\n$/);
    // Without --archive-dir, recordings goes through a running archive: with no media driver at the given
    // dir that is one line and exit 2.
    const none = await runCliProcess(['recordings', '--aeron-dir', join(dir, 'no-driver-here')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^aeron-ts: no media driver at .*\n$/);
    const badId = await runCliProcess(['describe-recording', 'x', '--archive-dir', dir]);
    expect(badId.code).toBe(1);
  }, 180_000);
});
