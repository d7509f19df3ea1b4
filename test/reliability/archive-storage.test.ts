/**
 * Reliability rows A6, A7 and A8 (see README.md): damaged archive storage under the real Java
 * ArchivingMediaDriver 1.51.0.
 *
 * - A7: a stopped recording's segment file (`<recordingId>-<segmentBase>.rec`) is damaged while the archive is
 *   down (clean SIGTERM), the archive restarts on the same dirs, and the recording is replayed to its stop
 *   position. (a) the tail overwritten with zeros, as a segment whose last pages were never flushed before a
 *   crash: `ReplaySession` meets a zero frame length and raises "unexpected end of recording at position=…";
 *   (b) the file truncated: measured, the same error (the read past the end leaves zeros in the batch). 1.51.0
 *   sends it as an asynchronous ERROR to the control session (our `errorHandler`), not tied to any call, and
 *   the replay ends; it checks a whole read batch before sending any of it, so even the intact frames of the
 *   failing batch never arrive (they do through a replay bounded to end before the damage). The replay image
 *   stops short of the stop position the catalog still lists, and our
 *   `watchReplay` turns "no progress while the recording says more is there" into `ReplayStalledError`
 *   (code REPLAY_STALLED) and stops the replay (issue #1900). The messages before the damage arrive intact.
 * - A6: the archive SIGKILLed while a recording is active (every offered message already reported recorded),
 *   restarted on the same dirs (retrying while 1.51.0 says "active mark file detected"): the catalog recovery
 *   lists the recording with the stop position of the last complete fragment (= the acknowledged position), and
 *   it replays whole, in order, checksums equal. (The page-straddle refusal, issue #1812, needs a torn last
 *   fragment across a page boundary: tested in `archive-restart.test.ts`.)
 * - A8: `archive.catalog` corrupted while the archive is down: (a) header version with another major,
 *   (b) nextRecordingId below the highest recording id. 1.51.0 refuses to start (`Catalog`: "incompatible
 *   catalog file version …" / "invalid nextRecordingId: expected value greater or equal to …"), so the JVM exits;
 *   on a media driver without an archive, our `AeronArchive.connect` then rejects with ArchiveTimeoutError
 *   (ARCHIVE_TIMEOUT) within its message timeout.
 *
 * Every case asserts the typed error, bounded time (`within`), intact acknowledged data and released
 * resources (clients closed, no timer of the watchdog left, `assertNoLeftovers`).
 */
import { closeSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import { ArchiveTimeoutError } from '../../src/archive/archive-error.ts';
import { ReplayStalledError, watchReplay } from '../../src/archive/replay-watchdog.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import {
  connectAeron,
  connectArchive,
  listAll,
  OwnArchives,
  replayPayloads,
  restartArchivingDriver,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { within } from '../support/wait.ts';
import { checksum, failure, type RecordedStream, recordStream } from './support/archive-faults.ts';
import { SharedDriverCase } from './support/resources.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const MESSAGES = 200;
const MESSAGE_LENGTH = 256;
/** 256 bytes + 32-byte header, 32-aligned. */
const FRAME = 288;
const STALL_MS = 2_000;

const drivers = new OwnArchives();
const clients: { close(): void }[] = [];

let resources: SharedDriverCase;
beforeEach(() => {
  resources = new SharedDriverCase();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await drivers.stopAll();
  assertNoLeftovers();
  // nothing of the (removed) dirs still mapped, no timer (e.g. the watchdog's) left
  await resources.release();
}, 60_000);

/** Records `MESSAGES` messages and stops the archive cleanly (SIGTERM), keeping its dirs. */
async function recordThenStop(driver: ArchivingDriverHandle): Promise<RecordedStream> {
  const aeron = await connectAeron(driver);
  const signals = new SignalLog();
  const archive = await connectArchive(aeron, driver, { recordingSignalConsumer: signals.consumer });
  let recorded: RecordedStream;
  try {
    recorded = await recordStream(aeron, archive, signals, CHANNEL, 7001, MESSAGES, MESSAGE_LENGTH);
  } finally {
    archive.close();
    aeron.close();
  }
  expect(driver.kill('SIGTERM')).toBe(true);
  await within('archive exit', 30_000, driver.exited);
  return recorded;
}

function segmentFile(archiveDir: string, recordingId: number): string {
  const name = readdirSync(archiveDir).find((f) => f.startsWith(`${recordingId}-`) && f.endsWith('.rec'));
  if (name === undefined) throw new Error(`no segment file for recording ${recordingId} in ${archiveDir}`);
  return join(archiveDir, name);
}

/**
 * Replays the whole (listed) recording under `watchReplay`; returns the watchdog's outcome and the messages
 * that arrived (each checked: sequence and checksum).
 */
async function replayWatched(aeron: Aeron, archive: AeronArchive, recorded: RecordedStream, streamId: number) {
  const subscription = await aeron.addSubscription(REPLAY_CHANNEL, streamId);
  clients.push(subscription);
  const replaySessionId = await within(
    'replay',
    15_000,
    archive.startReplay(recorded.recordingId, 0, recorded.stopPosition, REPLAY_CHANNEL, streamId),
  );
  const sessionId = replayImageSessionId(replaySessionId);
  let image = subscription.imageBySessionId(sessionId);
  const received: number[] = [];
  const problems: string[] = [];
  const handler = (
    buffer: { getBytes(i: number, d: Uint8Array, o: number, l: number): void },
    offset: number,
    length: number,
  ) => {
    const copy = new Uint8Array(length);
    buffer.getBytes(offset, copy, 0, length);
    const sequence = new DataView(copy.buffer).getInt32(0, true);
    if (sequence !== received.length) problems.push(`sequence ${sequence}, expected ${received.length}`);
    else if (checksum(copy) !== recorded.checksums[sequence]) problems.push(`checksum of ${sequence}`);
    received.push(sequence);
  };
  const deadline = Date.now() + 15_000;
  while (image === null) {
    if (Date.now() > deadline) throw new Error('replay image never appeared');
    await new Promise((r) => setTimeout(r, 5));
    image = subscription.imageBySessionId(sessionId);
  }
  // the image's position is read even after it closed (last position), so the watch sees no more progress
  const replayImage = image;
  const watch = watchReplay(archive, replayImage, recorded.recordingId, {
    stallTimeoutMs: STALL_MS,
    replaySessionId,
    endPosition: recorded.stopPosition,
  });
  let outcome: unknown = 'done';
  let settled = false;
  watch.done.then(
    () => {
      settled = true;
    },
    (e: unknown) => {
      outcome = e;
      settled = true;
    },
  );
  try {
    await within(
      'the watchdog to settle',
      60_000,
      (async () => {
        while (!settled) {
          if (subscription.poll(handler, 100) === 0) await new Promise((r) => setTimeout(r, 1));
        }
      })(),
    );
  } finally {
    watch.stop();
  }
  expect(problems).toEqual([]);
  return { outcome, received, lastPosition: replayImage.position };
}

describeInterop('reliability A6/A7/A8: damaged archive storage (Java ArchivingMediaDriver 1.51.0)', () => {
  for (const part of ['a zeroed tail (unflushed pages)', 'b truncated file'] as const) {
    it(`A7${part[0]} segment file damaged (${part.slice(2)}), replayed: ReplayStalledError from the watchdog`, async () => {
      const { archiveDir, properties, driver } = await drivers.start();
      const recorded = await recordThenStop(driver);
      expect(recorded.stopPosition).toBe(MESSAGES * FRAME);
      const file = segmentFile(archiveDir, recorded.recordingId);
      const intactMessages = 100;
      const damageAt = intactMessages * FRAME; // 28800: a frame boundary, mid-way
      if (part.startsWith('a')) {
        const fd = openSync(file, 'r+');
        try {
          writeSync(fd, new Uint8Array(statSync(file).size - damageAt), 0, undefined, damageAt);
        } finally {
          closeSync(fd);
        }
      } else {
        truncateSync(file, damageAt);
      }

      const second = drivers.track(await restartArchivingDriver(properties));
      const aeron = await connectAeron(second);
      clients.push(aeron);
      const asyncErrors: unknown[] = [];
      const archive = await connectArchive(aeron, second, { errorHandler: (e) => asyncErrors.push(e) });
      clients.push(archive);
      // the catalog still lists the full stop position: the damage is not detected at start
      const listed = await listAll(archive);
      expect(listed.map((d) => [d.recordingId, d.stopPosition])).toEqual([
        [recorded.recordingId, recorded.stopPosition],
      ]);

      const { outcome, received, lastPosition } = await replayWatched(aeron, archive, recorded, 7101);
      expect(outcome).toBeInstanceOf(ReplayStalledError);
      const stalled = outcome as ReplayStalledError;
      expect(stalled.code).toBe('REPLAY_STALLED');
      expect(stalled.recordingId).toBe(recorded.recordingId);
      expect(stalled.recordedPosition).toBe(recorded.stopPosition);
      expect(stalled.position).toBe(lastPosition);
      // the replay reads whole batches and checks every frame of a batch before sending it, so the first frame
      // with length 0 (zeros, or past the end of a truncated file) fails the batch: nothing after the last sent
      // batch arrives (here: nothing at all, the damage is in the first 1 MiB batch)
      expect(received.length).toBeLessThanOrEqual(intactMessages);
      expect(lastPosition).toBeLessThanOrEqual(damageAt);
      // 1.51.0 does report it, asynchronously, as an ERROR on the control session (not tied to a call)
      expect(asyncErrors.map(String).join('\n')).toMatch(
        new RegExp(`unexpected end of recording at position=${damageAt}\\b`),
      );
      // the acknowledged data before the damage is intact: a replay bounded to it delivers every message once
      const prefix = await replayPayloads(
        aeron,
        archive,
        recorded.recordingId,
        0,
        damageAt,
        intactMessages,
        REPLAY_CHANNEL,
        7102,
      );
      expect(prefix.map((m) => new DataView(m.buffer).getInt32(0, true))).toEqual([...Array(intactMessages).keys()]);
      expect(prefix.map(checksum)).toEqual(recorded.checksums.slice(0, intactMessages));
      // the session is still usable
      expect(archive.state()).toBe('CONNECTED');
      expect(await within('call', 15_000, archive.getStopPosition(recorded.recordingId))).toBe(recorded.stopPosition);
    }, 180_000);
  }

  it('A6 archive SIGKILLed mid-recording, restarted: the recording is listed with its recovered stop position, replays intact', async () => {
    // typed error: none expected, 1.51.0 recovers the catalog at restart (the refusing case is in archive-restart)
    const { properties, driver } = await drivers.start();
    const aeron = await connectAeron(driver);
    const signals = new SignalLog();
    const archive = await connectArchive(aeron, driver, { recordingSignalConsumer: signals.consumer });
    let recorded: RecordedStream & { close(): void };
    try {
      // acknowledged = offered AND reported recorded by the archive; the recording is still active at the kill
      recorded = await recordStream(aeron, archive, signals, CHANNEL, 7201, MESSAGES, MESSAGE_LENGTH, true);
      expect(await within('stop position', 15_000, archive.getStopPosition(recorded.recordingId))).toBe(-1);
      expect(driver.kill('SIGKILL')).toBe(true);
      await within('archive exit', 30_000, driver.exited);
    } finally {
      archive.close();
      aeron.close();
    }
    // 1.51.0 refuses to start while the dead archive's mark file looks alive: retry on exactly that
    const second = await restartArchivingDriver(properties);
    drivers.track(second);
    const aeron2 = await connectAeron(second);
    clients.push(aeron2);
    const archive2 = await connectArchive(aeron2, second);
    clients.push(archive2);
    const listed = await within('listing', 15_000, listAll(archive2));
    expect(listed.map((d) => [d.recordingId, d.startPosition, d.stopPosition])).toEqual([
      [recorded.recordingId, 0, recorded.stopPosition],
    ]);
    const replayed = await replayPayloads(
      aeron2,
      archive2,
      recorded.recordingId,
      0,
      recorded.stopPosition,
      MESSAGES,
      REPLAY_CHANNEL,
      7202,
    );
    expect(replayed.map((m) => new DataView(m.buffer).getInt32(0, true))).toEqual([...Array(MESSAGES).keys()]);
    expect(replayed.map(checksum)).toEqual(recorded.checksums);
  }, 180_000);

  const corruptions = [
    ['a', 'header version with another major', 0, 8, /incompatible catalog file version/],
    ['b', 'nextRecordingId below the highest recording id', 8, 8, /invalid nextRecordingId/],
  ] as const;
  for (const [id, what, offset, _len, javaMessage] of corruptions) {
    it(`A8${id} catalog corruption (${what}): archive refuses to start, our connect → ArchiveTimeoutError`, async () => {
      const { aeronDir, archiveDir, properties, driver } = await drivers.start();
      const recorded = await recordThenStop(driver);
      const catalog = join(archiveDir, 'archive.catalog');
      const view = new DataView(new ArrayBuffer(8));
      if (id === 'a')
        view.setInt32(0, 0x7f_00_00_00, true); // major 127
      else view.setBigInt64(0, -5n, true);
      const fd = openSync(catalog, 'r+');
      try {
        writeSync(fd, new Uint8Array(view.buffer, 0, id === 'a' ? 4 : 8), 0, undefined, offset);
      } finally {
        closeSync(fd);
      }

      rmSync(join(aeronDir, 'cnc.dat'), { force: true });
      const startError = await within(
        'archive start outcome',
        60_000,
        failure(startArchivingMediaDriver({ properties })),
      );
      expect(String(startError)).toMatch(javaMessage);
      // the acknowledged data is not touched by the refusal: the segment file still holds every recorded byte
      expect(statSync(segmentFile(archiveDir, recorded.recordingId)).size).toBeGreaterThanOrEqual(
        recorded.stopPosition,
      );

      // a media driver with no archive on the same control endpoint: our connect must time out, typed
      const plain = await startMediaDriver({ properties: { 'aeron.dir': aeronDir } });
      drivers.track(plain);
      const aeron = await connectAeron(plain);
      clients.push(aeron);
      const error = await within(
        'connect outcome',
        30_000,
        failure(
          AeronArchive.connect({
            aeron,
            controlRequestChannel: properties['aeron.archive.control.channel'],
            controlRequestStreamId: 10,
            controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
            messageTimeoutMs: 3_000,
          }),
        ),
      );
      expect(error).toBeInstanceOf(ArchiveTimeoutError);
      expect((error as ArchiveTimeoutError).code).toBe('ARCHIVE_TIMEOUT');
      expect((error as Error).message).toMatch(/connect/i);
    }, 180_000);
  }
});
