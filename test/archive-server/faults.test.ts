/**
 * The archive server's fault handling (issue 18's fault rows), first without a JVM:
 *
 * - a corrupt catalog (major version 4, alignment 48, a descriptor cut by truncation, a file shorter than its
 *   header, an empty file) refuses `Catalog.open` and `Archive.launch` with ArchiveServerError INCOMPATIBLE_CATALOG
 *   (a version other than 3) or CORRUPT_CATALOG (the rest)
 *   and Java's text where Java has one, leaving the file as found and nothing of the launch behind;
 * - a catalog torn mid-`replaceRecording` (the file between each of its writes, Java's order): the ids intact, or
 *   (a longer descriptor whose header length is not yet written) the new body read as the next frame, refused; a
 *   descriptor whose body was zeroed under its header (the former order) or whose id is negative is refused with
 *   the texts of Java's `CatalogIndex.add`;
 * - the last segment of a recording left active: a zeroed tail recovers to the last whole fragment; a fragment cut
 *   by a truncated file ends the recording before it; a fragment straddling a page whose second page is zeros
 *   refuses the start with Java's PAGE_STRADDLE text;
 * - `Archive.launch(options, aeron, { signal })`: an aborted signal, an abort while the client connects and one
 *   while the counters are allocated each reject with AeronAbortedError and leave no mark file lock, no counter
 *   and no client of the launch's own;
 * - Java's "found existing archive for archiveId=<id>" check;
 * - the archive counters 101-112 with Java's type ids and labels; the recording sessions count follows a
 *   recording; a RecordingWriter given the recorder's totals counts its bytes (a padding frame as its header);
 * - disk full (a 2 MiB tmpfs mounted for the archive dir): the recording stops at its last whole block with a
 *   STORAGE_SPACE error in the error log (in Java's words: "io.aeron.archive.client.ArchiveException: ERROR -
 *   java.io.IOException - No space left on device", caused by the JVM's IOException, then Node's error), the STOP
 *   signal goes out, the catalog holds that stop, and the archive still lists and replays it to another session;
 * - Node's errno errors as the JVM's IOException texts on Linux (strerror: ENOSPC, EIO, EACCES, EPERM, ENOENT,
 *   EMFILE, EROFS, …; a failed open as FileNotFoundException "<path> (<text>)").
 *
 * Then Java 1.51.0's archive on the same faults (describeInterop): the same refusal texts for a catalog of another major
 * version and an empty one, the same recovered stop for a zeroed segment tail, the same refusal of a torn last
 * fragment; for a fragment cut by truncation Java's recovery counts it (a stop past the data) where the TS archive
 * stops before it; on a full disk it sends the recording's session ERROR 11 with the text `recordingErrorResponse`
 * makes and its error log's entry starts with the lines the TS archive's does; Java's `ArchiveTool verify` opens the
 * torn catalogs the TS archive opens and refuses the others with the exceptions the TS refusals name. Java's
 * AeronStat lists the TS archive's counters with Java's labels.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, type DriverHandle, startArchive, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import {
  ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
  ARCHIVE_ERROR_COUNT_TYPE_ID,
  ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID,
  ARCHIVE_VERSION_INFO,
  findArchiveCounter,
  IoTotals,
} from '../../src/archive-server/archive-counters.ts';
import { ArchiveServerError, errorLogText, ioError } from '../../src/archive-server/archive-server-error.ts';
import { Catalog } from '../../src/archive-server/catalog.ts';
import { NULL_LENGTH, RecordingReader } from '../../src/archive-server/recording-reader.ts';
import { recordingErrorResponse } from '../../src/archive-server/recording-session.ts';
import { RecordingWriter } from '../../src/archive-server/recording-writer.ts';
import { segmentFileName } from '../../src/archive-server/segment-file.ts';
import { openArchiveMarkErrors } from '../../src/cli/archive-mark-file.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { AeronAbortedError } from '../../src/client/errors.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import { HEADER_LENGTH } from '../../src/logbuffer/data-header-flyweight.ts';
import { align } from '../../src/transport/bit-util.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import {
  connectLocalArchive,
  listAll,
  receive,
  replayPayloads,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import {
  payloadOf,
  removeScratch,
  SYNTHETIC_SEGMENT_LENGTH,
  SYNTHETIC_TERM_LENGTH,
  SyntheticImage,
  scratchDir,
  type WrittenRecording,
  writeSyntheticArchive,
} from './support.ts';

const PAGE = 4096;
/** Disk-full messages: 992 bytes, 1,024-byte frames, 64 to a 64 KiB term (no padding: positions count them). */
const MESSAGE_LENGTH = 992;
const FRAME_LENGTH = 1024;
const LOCAL_CONTROL = 'aeron:ipc?term-length=64k';
/** The ERROR Java 1.51.0's archive sends a recording's session when the disk fills (STORAGE_SPACE, code 11). */
const JAVA_DISK_FULL_TEXT = 'ERROR - java.io.IOException - No space left on device';
/**
 * The first line of the error-log entry Java 1.51.0's archive records when the disk fills (the ArchiveException
 * `RecordingWriter.checkErrorType` throws), and the line of its cause, the JVM's IOException.
 */
const JAVA_DISK_FULL_LOG_LINES = [
  'io.aeron.archive.client.ArchiveException: ERROR - java.io.IOException - No space left on device',
  'Caused by: java.io.IOException: No space left on device',
];

/** The entries of the distinct error log in the archive mark file of `markFileDir`, read by our reader. */
function loggedErrors(markFileDir: string): string[] {
  const mark = openArchiveMarkErrors(markFileDir);
  try {
    return readAllErrors(mark.errorLog).map((o) => o.encodedException);
  } finally {
    mark.close();
  }
}

/** The disk-full entry of `entries` (the one naming ENOSPC's text), as its lines. */
function diskFullEntry(entries: readonly string[]): string[] {
  const entry = entries.find((e) => e.includes('No space left on device'));
  expect(entry, `error log: ${entries.join('\n---\n')}`).toBeDefined();
  return (entry as string).split('\n');
}

const dirs: string[] = [];
function dir(role: string): string {
  const d = scratchDir(role);
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) removeScratch(d);
});

/** A dir with two stopped synthetic recordings. */
function twoRecordings(role: string): string {
  const d = dir(role);
  writeSyntheticArchive(d, [
    [0, 300, true],
    [0, 200, true],
  ]);
  return d;
}

/** A dir with three stopped synthetic recordings (ids 0, 1, 2). */
function threeRecordings(role: string): string {
  const d = dir(role);
  writeSyntheticArchive(d, [
    [0, 300, true],
    [0, 200, true],
    [0, 100, true],
  ]);
  return d;
}

/** What the TS archive's `Catalog.open` makes of a dir: the recording ids it indexes, or its refusal. */
type TsOpen = { readonly ids: number[] } | { readonly code: string; readonly message: string };

function tsOpen(archiveDir: string): TsOpen {
  try {
    const catalog = Catalog.open({ archiveDir });
    try {
      const ids: number[] = [];
      catalog.forEach((_offset, header, descriptor) => {
        if (header.stateRaw() === 1) ids.push(descriptor.recordingId());
      });
      return { ids };
    } finally {
      catalog.close();
    }
  } catch (e) {
    return { code: (e as ArchiveServerError).code, message: (e as Error).message };
  }
}

/** A catalog in the state a crash would leave: `name` says where. */
interface TornCatalog {
  readonly name: string;
  readonly dir: string;
}

/**
 * The TS archive's catalog as a crash during `Catalog.replaceRecording` (UPDATE_CHANNEL; a replication into an
 * empty recording) leaves it: the file after each of the replacement's writes but the last (captured at every
 * `fill` / `copyWithin` on the mapped bytes, the points between its writes), for a longer descriptor of the
 * middle recording (its follower shifted right), a shorter one, and a longer one of the last; then two states
 * Java's write order never leaves: the middle descriptor's body zeroed under its header (what this archive's
 * former order, zeros first, left mid-way) and a negative recording id. Each is a copy of the three-recording dir
 * with its segment files.
 */
function tornCatalogs(role: string): TornCatalog[] {
  const base = threeRecordings(`${role}-base`);
  const longChannel = `aeron:ipc?alias=${'x'.repeat(300)}`;
  const cases: { name: string; prepare?: (c: Catalog) => void; replace: (c: Catalog) => void }[] = [
    { name: 'longer-middle', replace: (c) => c.replaceChannels(1, 'aeron:ipc', longChannel) },
    {
      name: 'shorter-middle',
      prepare: (c) => c.replaceChannels(1, 'aeron:ipc', longChannel),
      replace: (c) => c.replaceChannels(1, 'aeron:ipc', 'aeron:ipc'),
    },
    { name: 'longer-last', replace: (c) => c.replaceChannels(2, 'aeron:ipc', longChannel) },
  ];
  const torn: TornCatalog[] = [];
  const copyWith = (name: string, catalogBytes: Buffer): void => {
    const d = dir(`${role}-${name}`);
    cpSync(base, d, { recursive: true });
    writeFileSync(join(d, 'archive.catalog'), catalogBytes);
    torn.push({ name, dir: d });
  };
  const proto = Uint8Array.prototype as unknown as Record<'fill' | 'copyWithin', unknown>;
  for (const { name, prepare, replace } of cases) {
    const work = dir(`${role}-${name}-work`);
    cpSync(base, work, { recursive: true });
    const path = join(work, 'archive.catalog');
    const catalog = Catalog.open({ archiveDir: work });
    const states: Buffer[] = [];
    try {
      prepare?.(catalog);
      let capturing = false;
      for (const method of ['fill', 'copyWithin'] as const) {
        const original = Object.getPrototypeOf(Uint8Array.prototype)[method] as (...a: unknown[]) => unknown;
        proto[method] = function (this: Uint8Array, ...args: unknown[]) {
          const result = original.apply(this, args);
          if (!capturing) {
            capturing = true;
            states.push(readFileSync(path));
            capturing = false;
          }
          return result;
        };
      }
      try {
        replace(catalog);
      } finally {
        delete proto.fill;
        delete proto.copyWithin;
      }
    } finally {
      catalog.close();
    }
    expect(states.length, `${name}: writes captured`).toBeGreaterThan(0);
    for (const [i, bytes] of states.entries()) copyWith(`${name}-${i + 1}`, bytes);
  }
  const bytes = readFileSync(join(base, 'archive.catalog'));
  const catalog = Catalog.open({ archiveDir: base });
  const middle = catalog.recordingDescriptorOffset(1);
  const last = catalog.recordingDescriptorOffset(2);
  const middleFrame = catalog.frameLengthAt(middle);
  catalog.close();
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, middle + 32 + 16, middle + middleFrame);
  copyWith('zeroed-body-middle', zeroed);
  const negative = Buffer.from(bytes);
  negative.writeBigInt64LE(-5n, last + 32 + 16);
  copyWith('negative-id-last', negative);
  return torn;
}

/** Java's refusal text for what `tsOpen` refused in `dir`, or null for what it opened (the Java side's reference). */
function javaRefusalFor(ts: TsOpen): string | null {
  if ('ids' in ts) return null;
  const past =
    /^truncated catalog: recording descriptor at offset=(\d+) frameLength=(\d+) ends past the end of .* \(length=(\d+)\)$/.exec(
      ts.message,
    );
  if (past !== null) {
    const [, offset, frameLength, length] = past;
    return `java.lang.IndexOutOfBoundsException: Range [${offset}, ${offset} + ${frameLength}) out of bounds for length ${length}`;
  }
  return `java.lang.IllegalArgumentException: ${ts.message.replace(/ \(recording descriptor at offset=.*\)$/, '')}`;
}

function putInt32(path: string, offset: number, value: number): void {
  const bytes = readFileSync(path);
  bytes.writeInt32LE(value, offset);
  writeFileSync(path, bytes);
}

/** Runs `open` expecting `code` with `message`; the catalog file must be left as it was. */
function expectRefused(archiveDir: string, message: string, code = 'CORRUPT_CATALOG'): void {
  const path = join(archiveDir, 'archive.catalog');
  const before = readFileSync(path);
  let error: unknown;
  try {
    Catalog.open({ archiveDir }).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ArchiveServerError);
  expect((error as ArchiveServerError).code).toBe(code);
  expect((error as Error).message).toBe(message);
  expect(readFileSync(path).equals(before), 'catalog file unchanged').toBe(true);
}

describe('a corrupt catalog is refused with a typed error, the file left as found', () => {
  it('major version 4: Java text', () => {
    const d = twoRecordings('catalog-version');
    putInt32(join(d, 'archive.catalog'), 0, (4 << 16) | (2 << 8) | 1);
    expectRefused(d, 'incompatible catalog file version 4.2.1, archive software is 3.1.0', 'INCOMPATIBLE_CATALOG');
  });

  it('alignment 48 (not a power of two)', () => {
    const d = twoRecordings('catalog-alignment');
    const path = join(d, 'archive.catalog');
    putInt32(path, 16, 48);
    expectRefused(d, `invalid catalog alignment=48: expected a power of 2 >= 32, or 0 (legacy) in ${path}`);
  });

  it('a descriptor cut by truncation', () => {
    const d = twoRecordings('catalog-truncated');
    const path = join(d, 'archive.catalog');
    const catalog = Catalog.open({ archiveDir: d });
    const offset = catalog.recordingDescriptorOffset(1);
    const frameLength = catalog.frameLengthAt(offset);
    catalog.close();
    truncateSync(path, offset + 40);
    expectRefused(
      d,
      `truncated catalog: recording descriptor at offset=${offset} frameLength=${frameLength} ends past the end of ${path} (length=${offset + 40})`,
    );
    expect(statSync(path).size).toBe(offset + 40);
  });

  it("torn mid-replaceRecording: each state between its writes opens with ids 0, 1, 2 or is refused as Java refuses it (a frame past the end); a zeroed or negative id is refused with Java's text", () => {
    const results = tornCatalogs('torn').map(({ name, dir: d }) => ({ name, ts: tsOpen(d) }));
    const byName = new Map(results.map((r) => [r.name, r.ts]));
    // between the writes (Java's order): the recording ids intact, or the longer body read as the next frame
    // because the header's length is written last, which Java refuses too (the Java side below)
    for (const { name, ts } of results.filter((r) => !/^(zeroed|negative)-/.test(r.name))) {
      if ('ids' in ts) expect({ name, ids: ts.ids }).toEqual({ name, ids: [0, 1, 2] });
      else {
        expect({ name, code: ts.code }).toEqual({ name, code: 'CORRUPT_CATALOG' });
        expect(ts.message, name).toMatch(
          /^truncated catalog: recording descriptor at offset=\d+ frameLength=\d+ ends past/,
        );
      }
    }
    expect(results.filter((r) => 'ids' in r.ts).length).toBeGreaterThan(2);
    const zeroed = byName.get('zeroed-body-middle') as TsOpen;
    expect(zeroed).toMatchObject({ code: 'CORRUPT_CATALOG' });
    expect((zeroed as { message: string }).message).toMatch(
      /^recordingId 0 is less than or equal to the last recordingId 0 \(recording descriptor at offset=\d+ in .*archive\.catalog\)$/,
    );
    expect((byName.get('negative-id-last') as { message: string }).message).toMatch(
      /^recordingId cannot be negative: value=-5 \(recording descriptor at offset=/,
    );
  });

  it('a file shorter than its header, and an empty one (Java: version 0.0.0)', () => {
    const d = twoRecordings('catalog-short');
    const path = join(d, 'archive.catalog');
    truncateSync(path, 20);
    expectRefused(d, `truncated catalog: ${path} has 20 bytes, less than its 32-byte header`);
    truncateSync(path, 0);
    expectRefused(d, 'incompatible catalog file version 0.0.0, archive software is 3.1.0', 'INCOMPATIBLE_CATALOG');
  });
});

/** The synthetic ACTIVE recording's last segment, and the messages whose frames start in it. */
function lastSegment(d: string, w: WrittenRecording): { path: string; base: number } {
  const end = w.image.position;
  const base = Math.floor((end - 1) / SYNTHETIC_SEGMENT_LENGTH) * SYNTHETIC_SEGMENT_LENGTH;
  return { path: join(d, segmentFileName(w.id, base)), base };
}

function frameEnd(w: WrittenRecording, m: number): number {
  const message = w.image.messages[m];
  if (message === undefined) throw new Error(`no message ${m}`);
  return message.position + align(HEADER_LENGTH + message.payload.length, 32);
}

/** Payloads RecordingReader reads back from the (recovered) recording. */
function readBack(d: string, recordingId: number): Uint8Array[] {
  const catalog = Catalog.open({ archiveDir: d });
  const read: Uint8Array[] = [];
  try {
    const reader = new RecordingReader(catalog.recordingSummary(recordingId), d, -1, NULL_LENGTH);
    try {
      while (!reader.isDone) {
        const n = reader.poll((segment, offset, length) => {
          if (segment.getInt16(offset + 6) !== 1) return;
          const copy = new Uint8Array(length - HEADER_LENGTH);
          segment.getBytes(offset + HEADER_LENGTH, copy, 0, copy.length);
          read.push(copy);
        }, 64);
        if (n === 0) break;
      }
    } finally {
      reader.close();
    }
  } finally {
    catalog.close();
  }
  return read;
}

/** An archive dir with one recording of 1500 messages left ACTIVE over ~5 segments. */
function activeRecording(role: string): { d: string; w: WrittenRecording } {
  const d = dir(role);
  const [w] = writeSyntheticArchive(d, [[0, 1500, false]]);
  return { d, w: w as WrittenRecording };
}

/**
 * The first message past the first page of the last segment (`base`) that follows a data frame directly (not a
 * term's padding) and whose frame (offset in the segment, aligned length) `test` accepts.
 */
function pickMessage(w: WrittenRecording, base: number, test: (offset: number, length: number) => boolean): number {
  const messages = w.image.messages;
  const index = messages.findIndex((m, i) => {
    const offset = m.position - base;
    return i > 0 && offset > PAGE && frameEnd(w, i - 1) === m.position && test(offset, frameEnd(w, i) - m.position);
  });
  if (index < 0) throw new Error('no message fits');
  return index;
}

function straddles(offset: number, length: number): boolean {
  return Math.floor(offset / PAGE) !== Math.floor((offset + length - 1) / PAGE);
}

describe('the last segment of an active recording, damaged', () => {
  it('a zeroed tail from a fragment boundary: recovered to the last whole fragment before it', () => {
    const { d, w } = activeRecording('segment-zeroed');
    const { path, base } = lastSegment(d, w);
    const m = pickMessage(w, base, () => true);
    const cut = (w.image.messages[m]?.position ?? 0) - base;
    const bytes = readFileSync(path);
    bytes.fill(0, cut);
    writeFileSync(path, bytes);
    const catalog = Catalog.open({ archiveDir: d });
    expect(catalog.stopPosition(w.id)).toBe(base + cut);
    catalog.close();
    const read = readBack(d, w.id);
    expect(read.length).toBe(m);
    const bad = read.findIndex((p, i) => !Buffer.from(p).equals(payloadOf(w.id, i)));
    expect(bad, 'first message read back differently').toBe(-1);
  });

  it('a fragment cut by a truncated file: the recording ends before it', () => {
    const { d, w } = activeRecording('segment-truncated');
    const { path, base } = lastSegment(d, w);
    const m = pickMessage(w, base, (offset, length) => length > 64 && !straddles(offset, length));
    const start = (w.image.messages[m]?.position ?? 0) - base;
    truncateSync(path, start + 40);
    const catalog = Catalog.open({ archiveDir: d });
    expect(catalog.stopPosition(w.id)).toBe(base + start);
    catalog.close();
    expect(readBack(d, w.id).length).toBe(m);
  });

  it("a last fragment straddling a page whose second page is zeros refuses the start with Java's text", () => {
    const { d, w } = activeRecording('segment-torn');
    const { path, base } = lastSegment(d, w);
    const m = pickMessage(w, base, (offset, length) => straddles(offset, length));
    const start = (w.image.messages[m]?.position ?? 0) - base;
    const boundary = (Math.floor(start / PAGE) + 1) * PAGE;
    const bytes = readFileSync(path);
    bytes.fill(0, boundary);
    writeFileSync(path, bytes);
    expect(() => Catalog.open({ archiveDir: d })).toThrow(
      new ArchiveServerError(
        'PAGE_STRADDLE',
        `Found potentially incomplete last fragment straddling page boundary in file: ${path}\nRun \`ArchiveTool verify\` for corrective action!`,
      ),
    );
  });
});

describe('RecordingWriter with the recorder totals', () => {
  it('adds each block: bytes written (a padding frame as its header) and a time', () => {
    const d = dir('totals');
    const totals = new IoTotals();
    const writer = new RecordingWriter({
      recordingId: 0,
      startPosition: 0,
      joinPosition: 0,
      termLength: SYNTHETIC_TERM_LENGTH,
      segmentLength: SYNTHETIC_SEGMENT_LENGTH,
      archiveDir: d,
      totals,
    });
    writer.init();
    const image = new SyntheticImage({
      termLength: SYNTHETIC_TERM_LENGTH,
      initialTermId: 7,
      sessionId: 1,
      streamId: 2,
      startPosition: 0,
    });
    for (let m = 0; m < 400; m++) image.append(writer, payloadOf(0, m), 4);
    image.flush(writer);
    writer.close();
    expect(totals.bytes).toBe(writer.bytesWritten);
    // the first term ends with a padding frame: counted as its 32-byte header, the position moves past it
    expect(totals.bytes).toBeLessThan(image.position);
    expect(totals.timeNs).toBeGreaterThan(0);
    expect(totals.maxTimeNs).toBeGreaterThan(0);
    expect(totals.maxTimeNs).toBeLessThanOrEqual(totals.timeNs);
  });
});

/** [typeId, label] of the allocated counters whose key is `archiveId`, for the archive's type ids 100-113. */
function archiveCounters(aeron: Aeron, archiveId: number): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  aeron.countersReader.forEach((_id, typeId, key, label) => {
    if (typeId >= 101 && typeId <= 112 && key.getInt64(0) === archiveId) found.push([typeId, label]);
  });
  return found.sort((a, b) => a[0] - b[0]);
}

describe('Archive.launch on a TS driver in this process', () => {
  let driver: MediaDriver;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await MediaDriver.launchEmbedded({ threadingMode: 'SHARED' });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
  }, 60_000);

  async function awaitNoCounters(archiveId: number): Promise<void> {
    await awaitCondition(
      `no counters of archive ${archiveId}`,
      () => archiveCounters(aeron, archiveId).length === 0,
      30_000,
    );
  }

  it('allocates the archive counters with Java type ids and labels; the recording sessions count follows a recording', async () => {
    const archiveDir = dir('counters');
    const archive = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 5150 }, undefined);
    try {
      const s = ' - archiveId=5150';
      expect(archiveCounters(aeron, 5150)).toEqual([
        [101, `Archive Errors${s} ${ARCHIVE_VERSION_INFO}`],
        [102, `Archive Control Sessions${s}`],
        [103, `archive-conductor max cycle time in ns: SHARED${s}`],
        [104, `archive-conductor work cycle time exceeded count: threshold=100ms SHARED${s}`],
        [105, `archive-recorder max write time in ns${s}`],
        [106, `archive-recorder total write bytes${s}`],
        [107, `archive-recorder total write time in ns${s}`],
        [108, `archive-replayer max read time in ns${s}`],
        [109, `archive-replayer total read bytes${s}`],
        [110, `archive-replayer total read time in ns${s}`],
        [111, `Archive Recording Sessions${s}`],
        [112, `Archive Replay Sessions${s}`],
      ]);
      const reader = aeron.countersReader;
      const recordingSessions = findArchiveCounter(reader, ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID, 5150);
      const maxCycleTime = findArchiveCounter(reader, 103, 5150);
      const signals = new SignalLog();
      const client = await AeronArchive.connect({
        aeron,
        controlRequestChannel: LOCAL_CONTROL,
        controlRequestStreamId: 10,
        controlResponseChannel: 'aeron:ipc',
        messageTimeoutMs: 15_000,
        recordingSignalConsumer: signals.consumer,
      });
      try {
        const subscriptionId = await client.startRecording('aeron:ipc', 7700, SourceLocation.LOCAL);
        const publication = await aeron.addExclusivePublication('aeron:ipc', 7700);
        const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId);
        await awaitCondition('1 recording session', () => reader.getCounterValue(recordingSessions) === 1, 30_000);
        let position = 0;
        for (let i = 0; i < 100; i++) position = await offerUntilAccepted(publication, payloadOf(77, i));
        await client.awaitRecordingPosition(start.recordingId, position, { timeoutMs: 30_000 });
        publication.close();
        await signals.await('STOP', (e) => e.recordingId === start.recordingId);
        await awaitCondition('0 recording sessions', () => reader.getCounterValue(recordingSessions) === 0, 30_000);
        expect(reader.getCounterValue(maxCycleTime)).toBeGreaterThan(0);
        const value = (typeId: number): number => reader.getCounterValue(findArchiveCounter(reader, typeId, 5150));
        // every byte recorded was written (no padding in 100 small messages of one term)
        expect(value(ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID)).toBe(position);
        expect(value(ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID)).toBeGreaterThan(0);
        expect(value(ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID)).toBeGreaterThan(0);
        const replayed = await replayPayloads(aeron, client, start.recordingId, 0, position, 100, 'aeron:ipc', 7701);
        expect(replayed.length).toBe(100);
        await awaitCondition(
          'replayer totals',
          () => value(ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID) >= position,
          30_000,
        );
        expect(value(ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID)).toBeGreaterThan(0);
        await awaitCondition('0 replay sessions', () => value(ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID) === 0, 30_000);
        expect(findArchiveCounter(reader, ARCHIVE_CONTROL_SESSIONS_TYPE_ID, 5150)).toBeGreaterThanOrEqual(0);
      } finally {
        client.close();
      }
    } finally {
      await archive.close();
    }
    await awaitNoCounters(5150);
  }, 120_000);

  it('refuses an archive id the driver already has an archive of: "found existing archive for archiveId=<id>"', async () => {
    const first = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir: dir('id-first'), archiveId: 6160 });
    const secondDir = dir('id-second');
    try {
      const refused = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir: secondDir, archiveId: 6160 }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ArchiveServerError);
      expect((refused as ArchiveServerError).code).toBe('EXISTING_ARCHIVE');
      expect((refused as Error).message).toBe('found existing archive for archiveId=6160');
      expect(findArchiveCounter(aeron.countersReader, ARCHIVE_ERROR_COUNT_TYPE_ID, 6160)).toBeGreaterThanOrEqual(0);
    } finally {
      await first.close();
    }
    await awaitNoCounters(6160);
    // the refused launch left the second dir free: it launches at once now the id is free
    const again = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir: secondDir, archiveId: 6160 });
    await again.close();
    await awaitNoCounters(6160);
  }, 120_000);

  it('a corrupt catalog refuses the launch; nothing of the launch is left behind', async () => {
    const archiveDir = twoRecordings('launch-corrupt');
    const path = join(archiveDir, 'archive.catalog');
    const good = readFileSync(path);
    putInt32(path, 0, 4 << 16);
    const refused = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 7170 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ArchiveServerError);
    expect((refused as ArchiveServerError).code).toBe('INCOMPATIBLE_CATALOG');
    expect((refused as Error).message).toBe('incompatible catalog file version 4.0.0, archive software is 3.1.0');
    await awaitNoCounters(7170);
    writeFileSync(path, good);
    const archive = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 7170 });
    await archive.close();
  }, 120_000);

  it('an already aborted signal rejects at once and creates nothing', async () => {
    const archiveDir = join(dir('abort-at-once'), 'not-created');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const refused = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir }, undefined, {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AeronAbortedError);
    expect((refused as Error).message).toBe('Archive.launch aborted');
    expect((refused as Error).cause).toEqual(new Error('stop'));
    expect(() => statSync(archiveDir)).toThrow();
  });

  it('an abort while its client connects (no driver there) rejects, and the dir stays free', async () => {
    const archiveDir = dir('abort-connect');
    const noDriver = join(dir('no-driver'), 'aeron');
    mkdirSync(noDriver);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('give up')), 200);
    const refused = await Archive.launch({ aeronDir: noDriver, archiveDir }, undefined, {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AeronAbortedError);
    const archive = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 8180 });
    await archive.close();
    await awaitNoCounters(8180);
  }, 60_000);

  it('an abort while the counters are allocated frees them, releases the mark file and keeps the given client', async () => {
    const archiveDir = dir('abort-counters');
    const controller = new AbortController();
    const real = aeron.addCounter.bind(aeron);
    let calls = 0;
    const patched = aeron as unknown as { addCounter: (...args: unknown[]) => Promise<unknown> };
    patched.addCounter = async (...args: unknown[]) => {
      const counter = await (real as (...a: unknown[]) => Promise<unknown>)(...args);
      calls++;
      if (calls === 4) controller.abort(new Error('abort mid-way'));
      return counter;
    };
    try {
      const refused = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 9190 }, aeron, {
        signal: controller.signal,
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AeronAbortedError);
      expect(calls).toBe(4);
    } finally {
      Reflect.deleteProperty(patched, 'addCounter');
    }
    expect(aeron.isClosed).toBe(false);
    await awaitNoCounters(9190);
    const archive = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 9190 }, aeron);
    await archive.close();
    expect(aeron.isClosed).toBe(false);
    await awaitNoCounters(9190);
  }, 60_000);
});

/** A tmpfs of `size` mounted on a fresh dir (you are root in this project's test environment). */
function mountTmpfs(role: string, size: string): string {
  const mountPoint = dir(role);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]);
  return mountPoint;
}

function unmount(mountPoint: string | undefined): void {
  if (mountPoint === undefined) return;
  try {
    execFileSync('umount', [mountPoint]);
  } catch {
    execFileSync('umount', ['-l', mountPoint]);
  }
}

interface DiskFullRecording {
  readonly recordingId: number;
  /** The messages the publication accepted, in order. */
  readonly sent: Uint8Array[];
}

/**
 * Our client records `aeron:ipc` stream `streamId` through the archive on `control` and offers 992-byte messages
 * until the archive signals STOP (the disk filled) or 4,000 were accepted; ERRORs for no request in flight go to
 * `clientErrors`.
 */
async function recordUntilDiskFull(
  aeron: Aeron,
  control: { readonly channel: string; readonly streamId: number },
  streamId: number,
  clientErrors: unknown[],
): Promise<DiskFullRecording> {
  const signals = new SignalLog();
  const client = await AeronArchive.connect({
    aeron,
    controlRequestChannel: control.channel,
    controlRequestStreamId: control.streamId,
    controlResponseChannel: 'aeron:ipc',
    messageTimeoutMs: 15_000,
    recordingSignalConsumer: signals.consumer,
    errorHandler: (e) => clientErrors.push(e),
  });
  const channel = 'aeron:ipc?term-length=64k';
  const sent: Uint8Array[] = [];
  try {
    const subscriptionId = await client.startRecording(channel, streamId, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(channel, streamId);
    try {
      const recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId)).recordingId;
      const stopped = () => signals.events.some((e) => e.signalName === 'STOP' && e.recordingId === recordingId);
      const deadline = Date.now() + 60_000;
      for (let i = 0; i < 4000 && !stopped(); ) {
        const message = new Uint8Array(MESSAGE_LENGTH);
        const payload = payloadOf(streamId, i);
        message.set(payload.subarray(0, Math.min(payload.length, MESSAGE_LENGTH)));
        new DataView(message.buffer).setInt32(0, i, true);
        if (publication.offer(message, 0, message.length) > 0) {
          sent.push(message);
          i++;
        } else {
          if (Date.now() > deadline) throw new Error(`no STOP after ${sent.length} messages`);
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      await signals.await('STOP', (e) => e.recordingId === recordingId, 60_000);
      return { recordingId, sent };
    } finally {
      publication.close();
    }
  } finally {
    client.close();
  }
}

describe('disk full: the archive dir on a 2 MiB tmpfs', () => {
  let driver: MediaDriver;
  let aeron: Aeron;
  let mountPoint: string | undefined;

  beforeAll(async () => {
    mountPoint = mountTmpfs('tmpfs', '2m');
    driver = await MediaDriver.launchEmbedded({ threadingMode: 'SHARED' });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
    unmount(mountPoint);
  }, 60_000);

  it('stops the recording at its last whole block with STORAGE_SPACE in the error log; the archive serves on', async () => {
    const archiveDir = join(mountPoint as string, 'archive');
    const markFileDir = dir('disk-full-mark');
    const archive = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir,
      markFileDir,
      archiveId: 1010,
      segmentFileLength: 256 * 1024,
      lowStorageSpaceThreshold: 0,
    });
    try {
      const clientErrors: unknown[] = [];
      const { recordingId, sent } = await recordUntilDiskFull(
        aeron,
        { channel: LOCAL_CONTROL, streamId: 10 },
        7800,
        clientErrors,
      );
      const storage = archive.errors.find((e) => e instanceof ArchiveServerError && e.code === 'STORAGE_SPACE');
      expect(storage, `errors: ${archive.errors.map(String).join('; ')}`).toBeDefined();
      expect((storage as Error).message).toBe('java.io.IOException - No space left on device');
      // the mark file's error log: Java's ArchiveException over the JVM's IOException, then Node's error (detail)
      const logged = diskFullEntry(loggedErrors(markFileDir));
      expect(logged[0]).toBe(JAVA_DISK_FULL_LOG_LINES[0]);
      expect(logged).toContain(JAVA_DISK_FULL_LOG_LINES[1]);
      expect(logged.filter((l) => l.startsWith('Caused by: '))).toEqual([
        JAVA_DISK_FULL_LOG_LINES[1],
        'Caused by: Error: ENOSPC: no space left on device, write',
      ]);
      // what the recording's control session is sent (Java's ERROR, code and text; see the Java case below)
      expect(recordingErrorResponse(storage)).toEqual({ code: 11, message: JAVA_DISK_FULL_TEXT });
      const sessionErrors = clientErrors.map((e) => ({
        code: (e as { errorCode?: number }).errorCode,
        message: (e as Error).message,
      }));
      expect(sessionErrors).toContainEqual({ code: 11, message: JAVA_DISK_FULL_TEXT });

      // another session: the recording is listed stopped where its last whole block ended, and replays byte-exact
      const aeron2 = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
      try {
        const other = await AeronArchive.connect({
          aeron: aeron2,
          controlRequestChannel: LOCAL_CONTROL,
          controlRequestStreamId: 10,
          controlResponseChannel: 'aeron:ipc',
          messageTimeoutMs: 15_000,
        });
        try {
          const [listed] = await listAll(other);
          expect(listed?.recordingId).toBe(recordingId);
          const stop = listed?.stopPosition ?? -1;
          expect(stop).toBeGreaterThan(256 * 1024);
          expect(stop).toBeLessThan(sent.length * FRAME_LENGTH);
          const count = stop / FRAME_LENGTH;
          expect(Number.isInteger(count)).toBe(true);
          const subscription = await aeron2.addSubscription('aeron:ipc', 7801);
          try {
            await other.startReplay(recordingId, 0, stop, 'aeron:ipc', 7801);
            const received = await receive(subscription, count, 60_000, `${count} replayed`);
            expect(received.length).toBe(count);
            expect(received.findIndex((p, i) => !Buffer.from(p).equals(sent[i] as Uint8Array))).toBe(-1);
          } finally {
            subscription.close();
          }
        } finally {
          other.close();
        }
      } finally {
        aeron2.close();
      }
    } finally {
      await archive.close();
    }
    const catalog = Catalog.open({ archiveDir });
    try {
      expect(catalog.stopPosition(0) % FRAME_LENGTH).toBe(0);
    } finally {
      catalog.close();
    }
  }, 180_000);
});

describe("a file error in Java's words: the JVM's IOException texts on Linux", () => {
  /** A Node errno error as `fs` makes it (libuv's text). */
  const errno = (code: string, text: string, syscall: string, path?: string) =>
    Object.assign(new Error(`${code}: ${text}, ${syscall}${path === undefined ? '' : ` '${path}'`}`), {
      code,
      syscall,
      ...(path === undefined ? {} : { path }),
    });

  it('maps the errno codes the archive can meet to strerror texts; an open as FileNotFoundException "<path> (<text>)"', () => {
    const cases: [NodeJS.ErrnoException, string, string][] = [
      [errno('ENOSPC', 'no space left on device', 'write'), 'STORAGE_SPACE', 'No space left on device'],
      [errno('EDQUOT', 'disk quota exceeded', 'write'), 'STORAGE_SPACE', 'Disk quota exceeded'],
      [errno('EIO', 'i/o error', 'write'), 'IO_ERROR', 'Input/output error'],
      [errno('EACCES', 'permission denied', 'ftruncate'), 'IO_ERROR', 'Permission denied'],
      [errno('EPERM', 'operation not permitted', 'fsync'), 'IO_ERROR', 'Operation not permitted'],
      [errno('EROFS', 'read-only file system', 'write'), 'IO_ERROR', 'Read-only file system'],
      [errno('EMFILE', 'too many open files', 'open', '/a/0-0.rec'), 'IO_ERROR', '/a/0-0.rec (Too many open files)'],
      [
        errno('ENOENT', 'no such file or directory', 'open', '/a/0-0.rec'),
        'IO_ERROR',
        '/a/0-0.rec (No such file or directory)',
      ],
    ];
    for (const [e, code, text] of cases) {
      const error = ioError(e);
      expect({ code: error.code, message: error.message }).toEqual({ code, message: `java.io.IOException - ${text}` });
      expect(recordingErrorResponse(error).message).toBe(`ERROR - java.io.IOException - ${text}`);
      const lines = errorLogText(error).split('\n');
      expect(lines[0]).toBe(`io.aeron.archive.client.ArchiveException: ERROR - java.io.IOException - ${text}`);
      const java = e.syscall === 'open' ? 'java.io.FileNotFoundException' : 'java.io.IOException';
      expect(lines.filter((l) => l.startsWith('Caused by: '))).toEqual([
        `Caused by: ${java}: ${text}`,
        `Caused by: Error: ${e.message}`,
      ]);
    }
  });

  it('a real failed open: the path and "No such file or directory"', () => {
    const path = join(dir('enoent'), 'missing', '0-0.rec');
    let error: unknown;
    try {
      openSync(path, 'w+');
    } catch (e) {
      error = ioError(e);
    }
    expect((error as Error).message).toBe(`java.io.IOException - ${path} (No such file or directory)`);
    // other errors are logged as before: their stack and causes
    const other = new ArchiveServerError('SEGMENT_FILE_EXISTS', 'segment file already exists: x');
    expect(errorLogText(other).split('\n')[0]).toBe('ArchiveServerError: segment file already exists: x');
  });
});

/** `[label]` lines AeronStat prints for counters whose label ends with ` - archiveId=<id>`. */
function aeronStatLabels(out: string, archiveId: number): string[] {
  const suffix = ` - archiveId=${archiveId}`;
  return out
    .split('\n')
    .map((line) => /^\s*\d+:\s+[\d,]+ - (.*)$/.exec(line)?.[1])
    .filter((label): label is string => label?.includes(suffix) === true && !label.startsWith('rec-pos'));
}

describeInterop("Java 1.51.0's archive and tools on the same faults", () => {
  let driver: DriverHandle;

  beforeAll(async () => {
    driver = await startMediaDriver();
  }, 120_000);

  afterAll(async () => {
    await driver?.stop();
  }, 60_000);

  /** The Java Archive started on `archiveDir`: its handle, or the text of its refusal. */
  async function javaArchiveOn(
    archiveDir: string,
    properties: Readonly<Record<string, string>> = {},
  ): Promise<{ handle?: ArchivingDriverHandle; refusal?: string }> {
    try {
      const handle = await startArchive(driver.aeronDir, {
        properties: {
          'aeron.archive.dir': archiveDir,
          'aeron.archive.segment.file.length': String(SYNTHETIC_SEGMENT_LENGTH),
          ...properties,
        },
        readyTimeoutMs: 60_000,
      });
      return { handle };
    } catch (e) {
      return { refusal: (e as Error).message };
    }
  }

  /** The stop positions Java's archive lists for the recordings of `archiveDir` (it recovers active ones). */
  async function javaStopPositions(archiveDir: string): Promise<number[]> {
    const { handle, refusal } = await javaArchiveOn(archiveDir);
    if (handle === undefined) throw new Error(`the Java archive refused: ${refusal}`);
    try {
      const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
      try {
        const client = await connectLocalArchive(aeron, handle);
        try {
          return (await listAll(client)).map((d) => d.stopPosition);
        } finally {
          client.close();
        }
      } finally {
        aeron.close();
      }
    } finally {
      await handle.stop();
    }
  }

  it('refuses a catalog of major version 4, and an empty catalog, with the texts of the TS archive', async () => {
    const d = twoRecordings('java-catalog-version');
    putInt32(join(d, 'archive.catalog'), 0, (4 << 16) | (2 << 8) | 1);
    const version = await javaArchiveOn(d);
    await version.handle?.stop();
    expect(version.refusal).toContain('incompatible catalog file version 4.2.1, archive software is 3.1.0');
    truncateSync(join(d, 'archive.catalog'), 0);
    const empty = await javaArchiveOn(d);
    await empty.handle?.stop();
    expect(empty.refusal).toContain('incompatible catalog file version 0.0.0, archive software is 3.1.0');
  }, 240_000);

  it("a catalog torn mid-replaceRecording (made by the TS archive): Java's ArchiveTool opens and refuses the same states, with the texts the TS archive's refusals name", async () => {
    for (const { name, dir: d } of tornCatalogs('java-torn')) {
      const ts = tsOpen(d);
      const tool = await runJava({
        classpath: [aeronJarPath()],
        mainClass: 'io.aeron.archive.ArchiveTool',
        args: [d, 'verify'],
        jvmArgs: AERON_JVM_FLAGS,
        timeoutMs: 120_000,
      });
      const refusal = /Exception in thread "main" (.*)/.exec(tool.stderr)?.[1] ?? null;
      expect({ name, refusal }).toEqual({ name, refusal: javaRefusalFor(ts) });
      if ('ids' in ts) {
        expect(tool.code, `${name}: ${tool.stdout}${tool.stderr}`).toBe(0);
        expect(tool.stdout.match(/\(recordingId=(\d+)\) OK/g)?.length, name).toBe(3);
      }
    }
  }, 600_000);

  it('recovers a zeroed segment tail to the stop position the TS archive recovers', async () => {
    const { d, w } = activeRecording('java-segment-zeroed');
    const { path, base } = lastSegment(d, w);
    const m = pickMessage(w, base, () => true);
    const bytes = readFileSync(path);
    bytes.fill(0, (w.image.messages[m]?.position ?? 0) - base);
    writeFileSync(path, bytes);
    const javaCopy = `${d}-java`;
    dirs.push(javaCopy);
    cpSync(d, javaCopy, { recursive: true });
    const catalog = Catalog.open({ archiveDir: d });
    const ours = catalog.stopPosition(w.id);
    catalog.close();
    expect(ours).toBe(w.image.messages[m]?.position);
    expect(await javaStopPositions(javaCopy)).toEqual([ours]);
  }, 240_000);

  it('refuses a torn last fragment with the same text', async () => {
    const { d, w } = activeRecording('java-segment-torn');
    const { base } = lastSegment(d, w);
    const m = pickMessage(w, base, (offset, length) => straddles(offset, length));
    const start = (w.image.messages[m]?.position ?? 0) - base;
    const boundary = (Math.floor(start / PAGE) + 1) * PAGE;
    const file = segmentFileName(w.id, base);
    const bytes = readFileSync(join(d, file));
    bytes.fill(0, boundary);
    writeFileSync(join(d, file), bytes);
    const { handle, refusal } = await javaArchiveOn(d);
    await handle?.stop();
    expect(refusal).toContain(
      `Found potentially incomplete last fragment straddling page boundary in file: ${join(d, file)}`,
    );
    expect(() => Catalog.open({ archiveDir: d })).toThrow(
      `Found potentially incomplete last fragment straddling page boundary in file: ${join(d, file)}`,
    );
  }, 240_000);

  it('a fragment cut by truncation: Java counts it (a stop past the data), the TS archive stops before it', async () => {
    const { d, w } = activeRecording('java-segment-truncated');
    const { path, base } = lastSegment(d, w);
    const m = pickMessage(w, base, (offset, length) => length > 64 && !straddles(offset, length));
    const position = w.image.messages[m]?.position ?? 0;
    truncateSync(path, position - base + 40);
    const javaCopy = `${d}-java`;
    dirs.push(javaCopy);
    cpSync(d, javaCopy, { recursive: true });
    const catalog = Catalog.open({ archiveDir: d });
    expect(catalog.stopPosition(w.id)).toBe(position);
    catalog.close();
    expect(await javaStopPositions(javaCopy)).toEqual([frameEnd(w, m)]);
  }, 240_000);

  it("disk full: Java's archive sends the recording's session ERROR STORAGE_SPACE with the text the TS archive makes", async () => {
    const mountPoint = mountTmpfs('java-tmpfs', '2m');
    const markFileDir = dir('java-disk-full-mark');
    try {
      const { handle, refusal } = await javaArchiveOn(join(mountPoint, 'archive'), {
        'aeron.archive.mark.file.dir': markFileDir,
        'aeron.archive.segment.file.length': String(256 * 1024),
        'aeron.archive.low.storage.space.threshold': '0',
      });
      if (handle === undefined) throw new Error(`the Java archive refused: ${refusal}`);
      try {
        const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
        try {
          const clientErrors: unknown[] = [];
          await recordUntilDiskFull(
            aeron,
            { channel: handle.localControlChannel, streamId: handle.localControlStreamId },
            7900,
            clientErrors,
          );
          const errors = clientErrors.map((e) => ({
            code: (e as { errorCode?: number }).errorCode,
            message: (e as Error).message,
          }));
          expect(errors).toContainEqual({ code: 11, message: JAVA_DISK_FULL_TEXT });
          // Java's error-log entry: the lines the TS archive writes (the test above)
          const logged = diskFullEntry(loggedErrors(markFileDir));
          expect(logged[0]).toBe(JAVA_DISK_FULL_LOG_LINES[0]);
          expect(logged).toContain(JAVA_DISK_FULL_LOG_LINES[1]);
        } finally {
          aeron.close();
        }
      } finally {
        await handle.stop();
      }
    } finally {
      unmount(mountPoint);
    }
  }, 240_000);

  it("AeronStat lists the TS archive's counters with Java's labels", async () => {
    // Its own local control stream: a client of another test still connecting on the default stream would
    // otherwise reach this archive and add a control-session counter to the list.
    const archive = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir: dir('aeronstat'),
      archiveId: 3131,
      localControlStreamId: 3131,
    });
    try {
      const stat = await runJava({
        classpath: [aeronJarPath()],
        mainClass: 'io.aeron.samples.AeronStat',
        args: ['watch=false'],
        jvmArgs: [...AERON_JVM_FLAGS, `-Daeron.dir=${driver.aeronDir}`],
        timeoutMs: 120_000,
      });
      expect(stat.code, stat.stderr).toBe(0);
      const s = ' - archiveId=3131';
      // in counter id order, which need not be the allocation order (freed ids are reused)
      expect(aeronStatLabels(stat.stdout, 3131).sort()).toEqual(
        [
          `Archive Errors${s} ${ARCHIVE_VERSION_INFO}`,
          `archive-conductor max cycle time in ns: SHARED${s}`,
          `archive-conductor work cycle time exceeded count: threshold=100ms SHARED${s}`,
          `Archive Recording Sessions${s}`,
          `Archive Replay Sessions${s}`,
          `archive-recorder max write time in ns${s}`,
          `archive-recorder total write bytes${s}`,
          `archive-recorder total write time in ns${s}`,
          `archive-replayer max read time in ns${s}`,
          `archive-replayer total read bytes${s}`,
          `archive-replayer total read time in ns${s}`,
          `Archive Control Sessions${s}`,
        ].sort(),
      );
    } finally {
      await archive.close();
    }
  }, 240_000);
});
