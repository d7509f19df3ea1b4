/**
 * Shared pieces of the archive server tests: a synthetic image that lays messages out in terms exactly as a
 * publication would (data frames, a padding frame closing each term) and hands them to a `RecordingWriter` in
 * blocks the way `Image.blockPoll` does (a padding frame on its own); a whole synthetic archive directory written
 * with it; a scratch archive directory; and a launch that waits out a killed archive's mark file.
 *
 * And the setup of the interop suites: our archive launched on a harness driver ({@link launchTsArchive}), Java's
 * ArchivingMediaDriver with our client on it ({@link startJavaArchive}), our client on any archive
 * ({@link connectClient}), a stopped recording made through it ({@link recordStopped}), a replication waited out
 * ({@link replicateToStop}) and a replay compared message for message ({@link expectReplayed}).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import {
  type ArchivingDriverHandle,
  type ArchivingDriverOptions,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import type { ReplicationParams } from '../../src/archive/replication-params.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { ArchiveMarkFile } from '../../src/archive-server/archive-mark-file.ts';
import type { ArchiveServerOptions } from '../../src/archive-server/archive-options.ts';
import { ArchiveServerError } from '../../src/archive-server/archive-server-error.ts';
import { Catalog, type NewRecording } from '../../src/archive-server/catalog.ts';
import type { Checksum } from '../../src/archive-server/checksum.ts';
import { RecordingWriter } from '../../src/archive-server/recording-writer.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import {
  BEGIN_AND_END_FLAGS,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
} from '../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { align } from '../../src/transport/bit-util.ts';
import {
  type ArchiveClientOptions,
  connectAeron,
  listAll,
  replayPayloads,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import type { ArchiveSide } from '../archive/support/two-archives.ts';
import { offerUntilAccepted, WAIT_MS } from '../support/wait.ts';

/** A fresh directory under the OS temp dir; remove it with `rmSync(dir, { recursive: true })`. */
export function scratchDir(role: string): string {
  return mkdtempSync(join(tmpdir(), `aeron-ts-test-archive-server-${role}-`));
}

/** Removes a scratch dir. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** One message as recorded: where its frame starts, and its payload. */
export interface RecordedMessage {
  /** Stream position of the frame header. */
  readonly position: number;
  /** The payload. */
  readonly payload: Uint8Array;
}

/** Parameters of a {@link SyntheticImage}. */
export interface SyntheticImageParams {
  readonly termLength: number;
  readonly initialTermId: number;
  readonly sessionId: number;
  readonly streamId: number;
  /** Where the stream starts (a frame-aligned position: the recording's start position). */
  readonly startPosition: number;
}

/** Payload `i` of test stream `seed`: 1 + ((i * 37 + seed) mod 700) bytes, deterministic content. */
export function payloadOf(seed: number, i: number): Uint8Array {
  const length = 1 + ((i * 37 + seed) % 700);
  const bytes = new Uint8Array(length);
  let x = (Math.imul(seed + 1, 0x9e3779b9) + i) | 0;
  for (let j = 0; j < length; j++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + j) | 0;
    bytes[j] = (x >>> 16) & 0xff;
  }
  if (length >= 4) new DataView(bytes.buffer).setInt32(0, i, true);
  return bytes;
}

/** Terms filled the way a publication fills them, written to a recording writer block by block. */
export class SyntheticImage {
  readonly params: SyntheticImageParams;
  readonly term: AtomicBuffer;
  readonly messages: RecordedMessage[] = [];
  #termId: number;
  #termOffset: number;
  #blockStart: number;
  #position: number;

  constructor(params: SyntheticImageParams) {
    this.params = params;
    this.term = new AtomicBuffer(new ArrayBuffer(params.termLength));
    const shift = Math.log2(params.termLength);
    this.#termId = (params.initialTermId + Math.floor(params.startPosition / 2 ** shift)) | 0;
    this.#termOffset = params.startPosition & (params.termLength - 1);
    this.#blockStart = this.#termOffset;
    this.#position = params.startPosition;
  }

  /** Position after the last frame appended. */
  get position(): number {
    return this.#position;
  }

  /** Appends `payload` as one unfragmented frame (a term-closing padding frame first if it does not fit). */
  append(writer: RecordingWriter, payload: Uint8Array, blockFrames = 8): void {
    const frameLength = HEADER_LENGTH + payload.length;
    const aligned = align(frameLength, 32);
    const termLength = this.params.termLength;
    if (this.#termOffset + aligned > termLength) {
      this.flush(writer);
      const padLength = termLength - this.#termOffset;
      if (padLength > 0) {
        this.#header(this.#termOffset, padLength, HDR_TYPE_PAD);
        writer.onBlock(this.term, this.#termOffset, padLength, this.params.sessionId, this.#termId);
        this.#position += padLength;
      }
      this.#termId = (this.#termId + 1) | 0;
      this.#termOffset = 0;
      this.#blockStart = 0;
      this.term.setMemory(0, termLength, 0);
    }
    this.#header(this.#termOffset, frameLength, HDR_TYPE_DATA);
    this.term.putBytes(this.#termOffset + HEADER_LENGTH, payload, 0, payload.length);
    this.messages.push({ position: this.#position, payload });
    this.#termOffset += aligned;
    this.#position += aligned;
    this.#frames++;
    if (this.#frames >= blockFrames) this.flush(writer);
  }

  /** Hands the frames appended since the last block to the writer. */
  flush(writer: RecordingWriter): void {
    if (this.#termOffset > this.#blockStart) {
      writer.onBlock(
        this.term,
        this.#blockStart,
        this.#termOffset - this.#blockStart,
        this.params.sessionId,
        this.#termId,
      );
      this.#blockStart = this.#termOffset;
    }
    this.#frames = 0;
  }

  #frames = 0;

  #header(offset: number, frameLength: number, type: number): void {
    const t = this.term;
    t.putInt32(offset, frameLength);
    t.putInt8(offset + 4, 0);
    t.putInt8(offset + 5, (BEGIN_AND_END_FLAGS << 24) >> 24);
    t.putInt16(offset + 6, type);
    t.putInt32(offset + 8, offset);
    t.putInt32(offset + 12, this.params.sessionId);
    t.putInt32(offset + 16, this.params.streamId);
    t.putInt32(offset + 20, this.#termId);
    t.putInt64(offset + 24, 0);
  }
}

/**
 * `Archive.launch(options)` on a directory whose previous archive was killed: its mark file refuses the
 * directory (ACTIVE_MARK_FILE) until the activity timestamp is 10 s old, and with the same archive id its counters
 * ("found existing archive for archiveId=…") stay until the driver times its client out; the launch is retried
 * every 500 ms until `deadlineMs` (default 60 s).
 */
export async function launchAfterKilledArchive(options: ArchiveServerOptions, deadlineMs = 60_000): Promise<Archive> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await Archive.launch(options);
    } catch (e) {
      const retry =
        e instanceof ArchiveServerError &&
        (e.code === 'ACTIVE_MARK_FILE' || e.message.startsWith('found existing archive for archiveId='));
      if (!retry || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Term length of the synthetic recordings of {@link writeSyntheticArchive}. */
export const SYNTHETIC_TERM_LENGTH = 64 * 1024;
/** Segment file length of the synthetic recordings of {@link writeSyntheticArchive}. */
export const SYNTHETIC_SEGMENT_LENGTH = 128 * 1024;

/** A recording {@link writeSyntheticArchive} wrote: its id, the image holding its messages, whether stopped. */
export interface WrittenRecording {
  readonly id: number;
  readonly image: SyntheticImage;
  readonly stopped: boolean;
}

/** The descriptor fields of synthetic recording `i` starting at `startPosition`. */
export function syntheticRecording(i: number, startPosition: number): NewRecording {
  return {
    startPosition,
    startTimestamp: Date.now(),
    initialTermId: 1000 * (i + 1),
    segmentFileLength: SYNTHETIC_SEGMENT_LENGTH,
    termBufferLength: SYNTHETIC_TERM_LENGTH,
    mtuLength: 1408,
    sessionId: 5000 + i,
    streamId: 2000 + i,
    strippedChannel: 'aeron:ipc',
    originalChannel: `aeron:ipc?term-length=64k|alias=ts-${i}`,
    sourceIdentity: 'aeron:ipc',
  };
}

/**
 * Writes an archive dir as the TS archive would (a terminated mark file, the catalog, segment files): recordings
 * of (start position, message count, stopped?), messages `payloadOf(id, m)`; an unstopped one is left ACTIVE, as
 * after a crash.
 */
export function writeSyntheticArchive(
  archiveDir: string,
  plan: ReadonlyArray<readonly [number, number, boolean]>,
  checksum: Checksum | null = null,
): WrittenRecording[] {
  const mark = new ArchiveMarkFile({
    markFileDir: archiveDir,
    archiveId: 4242,
    controlChannel: 'aeron:udp?endpoint=localhost:8010',
    controlStreamId: 10,
    localControlChannel: 'aeron:ipc',
    localControlStreamId: 10,
    recordingEventsChannel: null,
    recordingEventsStreamId: 30,
    aeronDirectoryName: '/dev/shm/aeron-ts-archive-server',
  });
  mark.signalReady(Date.now());
  const catalog = Catalog.open({ archiveDir, checksum });
  const written: WrittenRecording[] = [];
  try {
    plan.forEach(([startPosition, count, stopped], i) => {
      const r = syntheticRecording(i, startPosition);
      const id = catalog.addNewRecording(r);
      const image = new SyntheticImage({
        termLength: SYNTHETIC_TERM_LENGTH,
        initialTermId: r.initialTermId,
        sessionId: r.sessionId,
        streamId: r.streamId,
        startPosition,
      });
      const writer = new RecordingWriter({
        recordingId: id,
        startPosition,
        joinPosition: startPosition,
        termLength: SYNTHETIC_TERM_LENGTH,
        segmentLength: SYNTHETIC_SEGMENT_LENGTH,
        archiveDir,
        checksum,
      });
      writer.init();
      for (let m = 0; m < count; m++) image.append(writer, payloadOf(id, m), 1 + (m % 13));
      image.flush(writer);
      writer.close();
      if (stopped) catalog.recordingStopped(id, image.position, Date.now());
      written.push({ id, image, stopped });
    });
  } finally {
    catalog.close();
    mark.close();
  }
  return written;
}

/** Where a client reaches an archive: its media driver's directory, and a control request channel and stream. */
export interface ArchiveTarget {
  readonly aeronDir: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
}

/** The local (IPC) control endpoint of Java's ArchivingMediaDriver `java`. */
export function javaLocalTarget(java: ArchivingDriverHandle): ArchiveTarget {
  return {
    aeronDir: java.aeronDir,
    controlChannel: java.localControlChannel,
    controlStreamId: java.localControlStreamId,
  };
}

/** A UDP control channel on a free port of localhost: `aeron:udp?endpoint=localhost:<port>`. */
export async function udpControlChannel(): Promise<string> {
  return `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
}

/** Our archive client on an archive's media driver, its recording signals logged (an `ArchiveSide` but the driver). */
export type ArchiveClient = Omit<ArchiveSide, 'driver'>;

/**
 * Our `AeronArchive` over `aeron` on `target`'s control channel and stream, with responses on `responseChannel`
 * and a 15 s message timeout (`options` override any field), its recording signals logged.
 */
export async function connectClient(
  aeron: Aeron,
  target: ArchiveTarget,
  responseChannel: string,
  options: ArchiveClientOptions = {},
): Promise<ArchiveClient> {
  const signals = new SignalLog();
  const archive = await AeronArchive.connect({
    aeron,
    controlRequestChannel: target.controlChannel,
    controlRequestStreamId: target.controlStreamId,
    controlResponseChannel: responseChannel,
    messageTimeoutMs: 15_000,
    recordingSignalConsumer: signals.consumer,
    ...options,
  });
  return { aeron, archive, signals };
}

/** Our archive server under test, on a media driver of the harness, with a TS Aeron client on that driver. */
export interface TsArchive extends AsyncDisposable {
  readonly driver: DriverHandle;
  readonly archiveDir: string;
  readonly server: Archive;
  readonly aeron: Aeron;
  /** Its local (IPC) control channel and stream, as launched. */
  readonly local: ArchiveTarget;
  /** Closes the client and the archive, stops the driver and removes the archive dir; `server.errors` stays. */
  close(): Promise<void>;
}

/**
 * Launches our archive (`options`) in a scratch archive dir named for `role`, on a media driver of the harness
 * (`startMediaDriver()`: Java's, or the one `AERON_TEST_DRIVER` names), and connects a TS Aeron client to that
 * driver. Whatever was started is closed again when a step fails.
 */
export async function launchTsArchive(
  role: string,
  options: Omit<ArchiveServerOptions, 'aeronDir' | 'archiveDir'> = {},
): Promise<TsArchive> {
  const driver = await startMediaDriver();
  const archiveDir = scratchDir(role);
  let server: Archive | undefined;
  try {
    server = await Archive.launch({ ...options, aeronDir: driver.aeronDir, archiveDir });
    const aeron = await connectAeron(driver);
    const started = server;
    const close = async (): Promise<void> => {
      aeron.close();
      await started.close();
      await driver.stop();
      removeScratch(archiveDir);
    };
    const local: ArchiveTarget = {
      aeronDir: driver.aeronDir,
      controlChannel: server.context.localControlChannel,
      controlStreamId: server.context.localControlStreamId,
    };
    return { driver, archiveDir, server, aeron, local, close, [Symbol.asyncDispose]: close };
  } catch (e) {
    await server?.close();
    await driver.stop();
    removeScratch(archiveDir);
    throw e;
  }
}

/** Java's ArchivingMediaDriver with our client on its local control channel. */
export interface JavaArchive extends ArchiveSide {
  /** Closes the client and stops the driver. */
  close(): Promise<void>;
}

/**
 * Starts Java's ArchivingMediaDriver (`options`) and connects our client to its local control channel, responses
 * on `aeron:ipc` (`client` overrides any field), its signals logged; the driver is stopped again when that fails.
 */
export async function startJavaArchive(
  options: ArchivingDriverOptions = {},
  client: ArchiveClientOptions = {},
): Promise<JavaArchive> {
  const driver = await startArchivingMediaDriver(options);
  let aeron: Aeron | undefined;
  try {
    aeron = await connectAeron(driver);
    const side = await connectClient(aeron, javaLocalTarget(driver), 'aeron:ipc', client);
    const close = async (): Promise<void> => {
      side.archive.close();
      side.aeron.close();
      await driver.stop();
    };
    return { ...side, driver, close };
  } catch (e) {
    aeron?.close();
    await driver.stop();
    throw e;
  }
}

/** Deadlines of {@link recordStopped}: of each signal, and of the recorded position. */
export interface RecordDeadlines {
  readonly signalTimeoutMs?: number;
  readonly positionTimeoutMs?: number;
}

/**
 * Makes a stopped recording through `side`: a LOCAL recording of `channel`/`streamId` and an exclusive publication
 * of `side.aeron` offering `payloads` in order; waits for the START signal, the last position recorded, and, once
 * stopped by subscription, the STOP signal (each within `signalTimeoutMs`, default 30 s; the position within
 * `positionTimeoutMs`, default 60 s). Returns the recording id and the position after the last message.
 */
export async function recordStopped(
  side: ArchiveClient,
  channel: string,
  streamId: number,
  payloads: readonly Uint8Array[],
  { signalTimeoutMs = WAIT_MS, positionTimeoutMs = 60_000 }: RecordDeadlines = {},
): Promise<{ readonly recordingId: number; readonly position: number }> {
  const { aeron, archive, signals } = side;
  const subscriptionId = await archive.startRecording(channel, streamId, SourceLocation.LOCAL);
  const publication = await aeron.addExclusivePublication(channel, streamId);
  try {
    const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId, signalTimeoutMs);
    const recordingId = start.recordingId;
    let position = 0;
    for (const payload of payloads) position = await offerUntilAccepted(publication, payload);
    await archive.awaitRecordingPosition(recordingId, position, { timeoutMs: positionTimeoutMs });
    await archive.stopRecordingBySubscriptionId(subscriptionId);
    await signals.await('STOP', (e) => e.recordingId === recordingId, signalTimeoutMs);
    return { recordingId, position };
  } finally {
    publication.close();
  }
}

/** The descriptor of `recordingId` in `archive`'s listing; expected there. */
export async function descriptorOf(archive: AeronArchive, recordingId: number): Promise<RecordingDescriptor> {
  const descriptor = (await listAll(archive)).find((d) => d.recordingId === recordingId);
  expect(descriptor, `recording ${recordingId}`).toBeDefined();
  return descriptor as RecordingDescriptor;
}

/**
 * `side`'s archive replicates `srcRecordingId` from the archive on `srcControlChannel`/`srcControlStreamId` with
 * `params`, and the replication is waited out: its REPLICATE_END, then its replica's STOP (each within
 * `timeoutMs`). Returns the replication id, the replica's recording id, and the replication's signal names so far
 * in arrival order.
 */
export async function replicateToStop(
  side: ArchiveClient,
  srcRecordingId: number,
  srcControlStreamId: number,
  srcControlChannel: string,
  params: ReplicationParams = {},
  timeoutMs = WAIT_MS,
): Promise<{ readonly replicationId: number; readonly replicaId: number; readonly names: string[] }> {
  const replicationId = await side.archive.replicate(srcRecordingId, srcControlStreamId, srcControlChannel, params);
  const ofReplication = (e: { correlationId: number }) => e.correlationId === replicationId;
  await side.signals.await('REPLICATE_END', ofReplication, timeoutMs);
  const stop = await side.signals.await('STOP', ofReplication, timeoutMs);
  return { replicationId, replicaId: stop.recordingId, names: side.signals.names(ofReplication) };
}

/**
 * Replays `recording` from its start to its stop through `side` to `channel`/`streamId` and expects exactly
 * `payloads` back, in order.
 */
export async function expectReplayed(
  side: Pick<ArchiveClient, 'aeron' | 'archive'>,
  recording: Pick<RecordingDescriptor, 'recordingId' | 'startPosition' | 'stopPosition'>,
  payloads: readonly Uint8Array[],
  channel: string,
  streamId: number,
): Promise<void> {
  const replayed = await replayPayloads(
    side.aeron,
    side.archive,
    recording.recordingId,
    recording.startPosition,
    recording.stopPosition - recording.startPosition,
    payloads.length,
    channel,
    streamId,
  );
  expect(replayed).toEqual(payloads);
}
