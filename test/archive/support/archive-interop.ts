/**
 * Shared pieces of the archive interop suites against a real archive (the pinned jar's ArchivingMediaDriver, or the
 * archive `AERON_TEST_ARCHIVE` selects, harness/driver.ts):
 * connecting our archive client over a real Aeron client, waiting for recording signals and recorded positions,
 * publishing a known message stream, and reading messages back from a subscription or a replay.
 *
 * The gate of these suites is `describeInterop` (test/support/describe-interop.ts); bounded waits and offers are
 * in test/support/wait.ts. Every wait has a deadline; nothing asserts time.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import {
  type ArchivingDriverHandle,
  archiveKind,
  type DriverHandle,
  startArchivingMediaDriver,
} from '../../../harness/driver.ts';
import { freeUdpPort } from '../../../harness/ports.ts';
import { makeAeronDir, makeArchiveDir, removeDir } from '../../../harness/temp-dir.ts';
import { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import type { ArchiveOptions } from '../../../src/archive/archive-context.ts';
import type { RecordingDescriptor } from '../../../src/archive/recording-descriptor.ts';
import type { RecordingSignalEvent } from '../../../src/archive/recording-signal.ts';
import { Aeron } from '../../../src/client/aeron.ts';
import type { Publication } from '../../../src/client/publication.ts';
import type { Subscription } from '../../../src/client/subscription.ts';
import type { Header } from '../../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, pollUntil, WAIT_MS } from '../../support/wait.ts';

/**
 * `describeInterop` for a suite that needs what only some archives have: `notApplicable` is a fact of the selected
 * archive (`archiveKind().facts`, harness/archive-kind.ts), null when the suite applies to it, else the reason it
 * cannot, which the skipped suite's title then carries with the archive's name (never a silent skip).
 */
export function describeArchiveInterop(name: string, notApplicable: string | null, body: () => void): void {
  if (notApplicable === null) describeInterop(name, body);
  else describe.skip(`${name} (not applicable to the ${archiveKind().title}: ${notApplicable})`, body);
}

/** Client driver timeout: the driver heartbeats ~1/s, so stay well above 2 s on a loaded 2-core machine. */
export const DRIVER_TIMEOUT_MS = 10_000;

/**
 * Starts an ArchivingMediaDriver on the dirs `properties` name (`aeron.dir`, `aeron.archive.dir`: those of one that
 * ran before, stopped or killed). 1.51.0 refuses to start while the previous archive's mark file still looks alive
 * ("active mark file detected": its activity timestamp is younger than 10 × the 1 s mark file update interval), so
 * exactly that is retried, 1 s apart, for up to `timeoutMs`; any other start error is thrown. Before each attempt
 * the previous driver's cnc.dat is removed: it would satisfy the harness's readiness checks (and a client) before
 * the new driver recreates the directory. The archive dir is reused untouched.
 */
export async function restartArchivingDriver(
  properties: Readonly<Record<string, string>>,
  timeoutMs = 90_000,
): Promise<ArchivingDriverHandle> {
  const aeronDir = properties['aeron.dir'];
  if (aeronDir === undefined) throw new Error('restartArchivingDriver: properties name no aeron.dir');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    rmSync(join(aeronDir, 'cnc.dat'), { force: true });
    try {
      return await startArchivingMediaDriver({ properties });
    } catch (error) {
      if (!String(error).includes('active mark file detected') || Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** One archive of {@link OwnArchives}: its dirs, the properties to restart it with, and its handle. */
export interface OwnArchive {
  readonly aeronDir: string;
  readonly archiveDir: string;
  /** The settings it was started with beyond the harness defaults: what a restart on the same dirs needs. */
  readonly properties: Readonly<OwnArchiveProperties>;
  readonly driver: ArchivingDriverHandle;
}

/** The settings that pin an {@link OwnArchive} to its dirs, control port and archive id. */
export type OwnArchiveProperties = {
  readonly 'aeron.dir': string;
  readonly 'aeron.archive.dir': string;
  readonly 'aeron.archive.control.channel': string;
  readonly 'aeron.archive.id': string;
};

let ownArchiveSequence = 0;

/**
 * ArchivingMediaDrivers on dirs, a control port and an archive id of the test's choosing, so that each can be
 * restarted on them (`restartArchivingDriver(properties)`, then `track` the new handle). `stopAll()` (an
 * afterEach's job) stops every driver started or tracked and removes the dirs.
 */
export class OwnArchives {
  readonly #drivers: DriverHandle[] = [];
  readonly #dirs: string[] = [];

  /** Starts an archive on fresh dirs and a free control port. */
  async start(): Promise<OwnArchive> {
    const aeronDir = makeAeronDir();
    const archiveDir = makeArchiveDir();
    this.#dirs.push(aeronDir, archiveDir);
    const port = await freeUdpPort();
    ownArchiveSequence += 1;
    const properties: OwnArchiveProperties = {
      'aeron.dir': aeronDir,
      'aeron.archive.dir': archiveDir,
      'aeron.archive.control.channel': `aeron:udp?endpoint=localhost:${port}`,
      // Above the harness's own ids (process.pid * 1000 + its start count).
      'aeron.archive.id': String(process.pid * 1000 + 700 + ownArchiveSequence),
    };
    const driver = this.track(await startArchivingMediaDriver({ properties }));
    return { aeronDir, archiveDir, properties, driver };
  }

  /** Stops `driver` with the others (a restarted archive, or any other driver of the test). */
  track<D extends DriverHandle>(driver: D): D {
    this.#drivers.push(driver);
    return driver;
  }

  /** Stops every driver, then removes the dirs. */
  async stopAll(): Promise<void> {
    for (const driver of this.#drivers.splice(0)) await driver.stop();
    for (const dir of this.#dirs.splice(0)) removeDir(dir);
  }
}

/** A TS Aeron client on the archive's media driver; its asynchronous errors go to `errors` when given. */
export function connectAeron(archive: { readonly aeronDir: string }, errors?: unknown[]): Promise<Aeron> {
  return Aeron.connect({
    aeronDir: archive.aeronDir,
    driverTimeoutMs: DRIVER_TIMEOUT_MS,
    ...(errors === undefined ? {} : { errorHandler: (error: unknown) => errors.push(error) }),
  });
}

export type ArchiveClientOptions = Partial<Omit<ArchiveOptions, 'transport' | 'aeron' | 'aeronDir' | 'aeronOptions'>>;

/**
 * Our archive client over `aeron`, on the archive's UDP control channel with its response channel
 * (`options` override any field).
 */
export function connectArchive(
  aeron: Aeron,
  archive: ArchivingDriverHandle,
  options: ArchiveClientOptions = {},
): Promise<AeronArchive> {
  return AeronArchive.connect({
    aeron,
    controlRequestChannel: archive.controlChannel,
    controlRequestStreamId: archive.controlStreamId,
    controlResponseChannel: archive.responseChannel,
    messageTimeoutMs: 10_000,
    ...options,
  });
}

/** Our archive client over `aeron`, on the archive's local (IPC) control channel with responses on `aeron:ipc`. */
export function connectLocalArchive(
  aeron: Aeron,
  archive: ArchivingDriverHandle,
  options: ArchiveClientOptions = {},
): Promise<AeronArchive> {
  return connectArchive(aeron, archive, {
    controlRequestChannel: archive.localControlChannel,
    controlRequestStreamId: archive.localControlStreamId,
    controlResponseChannel: 'aeron:ipc',
    ...options,
  });
}

/** Collects an archive client's recording signals (from its `recordingSignalConsumer`). */
export class SignalLog {
  readonly events: RecordingSignalEvent[] = [];
  readonly consumer = (event: RecordingSignalEvent): void => {
    this.events.push(event);
  };

  /** Names of the signals so far that match `where`, in arrival order. */
  names(where: (event: RecordingSignalEvent) => boolean = () => true): string[] {
    return this.events.filter(where).map((e) => e.signalName);
  }

  /** Waits until a signal named `name` matching `where` (when given) arrived; returns the first such. */
  async await(
    name: string,
    where: (event: RecordingSignalEvent) => boolean = () => true,
    timeoutMs = WAIT_MS,
  ): Promise<RecordingSignalEvent> {
    const find = () => this.events.find((e) => e.signalName === name && where(e));
    await awaitCondition(`signal ${name} (seen: ${this.names().join(',')})`, () => find() !== undefined, timeoutMs);
    const found = find();
    if (found === undefined) throw new Error(`signal ${name} vanished`);
    return found;
  }
}

/** Waits for `signal` about `recordingId` among `signals[from..]` (a log the archive client appends to). */
export async function awaitSignal(
  signals: readonly RecordingSignalEvent[],
  signal: number,
  recordingId: number,
  from = 0,
): Promise<RecordingSignalEvent> {
  let found: RecordingSignalEvent | undefined;
  await awaitCondition(`signal ${signal} for recording ${recordingId}`, () => {
    found = signals.slice(from).find((s) => s.signal === signal && s.recordingId === recordingId);
    return found !== undefined;
  });
  return found as RecordingSignalEvent;
}

/**
 * Waits until `archive` reports `recordingId` recorded to at least `position`: its recording position, or
 * its stop position once it has stopped (`AeronArchive.awaitRecordingPosition`).
 */
export async function awaitRecorded(
  archive: AeronArchive,
  recordingId: number,
  position: number,
  timeoutMs = WAIT_MS,
): Promise<void> {
  await archive.awaitRecordingPosition(recordingId, position, { timeoutMs });
}

/**
 * Waits until the archive has a recording of `sessionId` on `streamId` (of a channel containing `channel`, any
 * when empty) and returns its id (`findLastMatchingRecording`: a recording starts when the archive sees the image).
 */
export async function awaitRecordingId(
  archive: AeronArchive,
  streamId: number,
  sessionId: number,
  channel = '',
  timeoutMs = WAIT_MS,
): Promise<number> {
  let recordingId = -1;
  await awaitCondition(
    `a recording of session ${sessionId} on stream ${streamId}`,
    async () => {
      recordingId = await archive.findLastMatchingRecording(0, channel, streamId, sessionId);
      return recordingId !== -1;
    },
    timeoutMs,
    20,
  );
  return recordingId;
}

/** Payload of message `i` of a test stream: `length` bytes, deterministic in (`seed`, `i`). */
export function messagePayload(seed: number, i: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = (Math.imul(seed, 0x9e3779b9) + i) | 0;
  for (let j = 0; j < length; j++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + j;
    bytes[j] = (x >>> 16) & 0xff;
  }
  new DataView(bytes.buffer).setInt32(0, i, true);
  return bytes;
}

/** Offers `count` messages of `length` bytes, message `i` filled with `i & 0xff`; returns the last position. */
export async function publishFilled(publication: Publication, count: number, length: number): Promise<number> {
  const message = new Uint8Array(length);
  let position = 0;
  for (let i = 0; i < count; i++) {
    message.fill(i & 0xff);
    position = await offerUntilAccepted(publication, message);
  }
  return position;
}

/** All recordings of an archive, in id order. */
export async function listAll(archive: AeronArchive): Promise<RecordingDescriptor[]> {
  const all: RecordingDescriptor[] = [];
  await archive.listRecordings(0, 1_000, (d) => {
    all.push({ ...d });
  });
  return all;
}

/** Copies of every fragment payload `subscription` delivers until `count` arrived (deadline `timeoutMs`). */
export async function receive(
  subscription: Subscription,
  count: number,
  timeoutMs = WAIT_MS,
  what = `${count} messages`,
): Promise<Uint8Array[]> {
  const messages: Uint8Array[] = [];
  const handler = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
    const copy = new Uint8Array(length);
    buffer.getBytes(offset, copy, 0, length);
    messages.push(copy);
  };
  await pollUntil(
    what,
    () => subscription.poll(handler, 100),
    () => messages.length >= count,
    timeoutMs,
  );
  return messages;
}

/**
 * Replays `[position, position + length)` of a recording to `channel`/`streamId` and returns the payloads in
 * order, until `count` messages have arrived (deadline `timeoutMs`).
 */
export async function replayPayloads(
  aeron: Aeron,
  archive: AeronArchive,
  recordingId: number,
  position: number,
  length: number,
  count: number,
  channel: string,
  streamId: number,
  timeoutMs = WAIT_MS,
): Promise<Uint8Array[]> {
  const subscription = await aeron.addSubscription(channel, streamId);
  try {
    const replaySessionId = await archive.startReplay(recordingId, position, length, channel, streamId);
    const received = await receive(
      subscription,
      count,
      timeoutMs,
      `${count} replayed messages of recording ${recordingId}`,
    );
    await archive.stopReplay(replaySessionId).catch(() => {});
    return received;
  } finally {
    subscription.close();
  }
}
