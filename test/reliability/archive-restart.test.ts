/**
 * Reliability rows A3 (archive SIGKILLed mid-listing), A5 (archive SIGKILLed mid-replay, restarted, the replay
 * resumed) and A6 (page-straddle refusal, issue #1812) against real Java ArchivingMediaDrivers 1.51.0.
 *
 * For A3 and A5 our Aeron client runs on its OWN media driver (a plain `MediaDriver`, image liveness 2 s) and
 * talks to the archive over UDP, so killing the archive's JVM does not kill our driver: the archive's response
 * and replay images on our driver go unavailable after the image liveness timeout, as for a standalone
 * archive on another host.
 *
 * - A3: the response channel has a 4 KiB receiver window (`rcv-wnd=4096`), so the archive can only run a few
 *   descriptors ahead of what we consumed; the archive is SIGKILLed from the listing's consumer at the first
 *   descriptor of 120. The listing rejects with ArchiveNotConnectedError ("response channel from archive is not
 *   connected", once the image is gone) or ArchiveTimeoutError ("awaiting descriptors"); it never resolves a
 *   partial count; the client is DISCONNECTED and the next call rejects typed.
 * - A5: a 2000-message recording replayed to a 4 KiB receiver window; 500 read, then the archive SIGKILLed; what
 *   our image still holds is read until the unavailable-image handler fires. The archive restarts on the same
 *   dirs, control port and archive id (retrying while 1.51.0 says "active mark file detected"), a new archive
 *   client on the SAME Aeron client lists the recording and replays from the last position received: every
 *   message exactly once across both replays (sequence numbers and checksums).
 * - A6: 1.51.0 `Catalog.refreshAndFixDescriptor` (at archive start, for each recording without a stop
 *   position, i.e. active at the crash) scans the last segment file; when the last fragment straddles a 4 KiB
 *   page boundary (`fragmentStraddlesPageBoundary`) and is not valid (no checksum configured, and a page after
 *   the boundary is all zeros: `hasDataInAllPagesAfterStraddle`), the archive refuses to start:
 *   ArchiveException "Found potentially incomplete last fragment straddling page boundary in file: <path>
 *   \nRun `ArchiveTool verify` for corrective action!". Crafted: 15 × 288-byte frames (the 15th spans
 *   4032..4320, across 4096), SIGKILL while recording, bytes 4096..4320 zeroed (a page never flushed). Our
 *   connect to the control endpoint (a plain driver, no archive) → ArchiveTimeoutError. `ArchiveTool <dir>
 *   verify`, answered "y", truncates the segment at the straddling fragment; the archive then starts and lists
 *   the recording stopped at 4032, which replays 14 messages intact.
 */
import { closeSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import { ArchiveError, ArchiveTimeoutError } from '../../src/archive/archive-error.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import {
  connectAeron,
  connectArchive,
  listAll,
  OwnArchives,
  restartArchivingDriver,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { failure, recordStream } from './support/archive-faults.ts';
import { VerifiedReader } from './support/archive-replay-reader.ts';
import { SharedDriverCase } from './support/resources.ts';

const FRAME = 288;
const NO_HANG_MS = 30_000;
const CALL_MS = 15_000;

/** A typed archive failure of a call cut off by the archive's death. */
function expectCutOff(error: unknown): ArchiveError {
  expect(error).toBeInstanceOf(ArchiveError);
  const e = error as ArchiveError;
  expect(['ARCHIVE_NOT_CONNECTED', 'ARCHIVE_TIMEOUT']).toContain(e.code);
  expect(e.message).toMatch(/response channel from archive is not connected|awaiting (descriptors|response)/);
  return e;
}

describeInterop('reliability A3/A5/A6: archive killed mid-request, restarted, refusing to start', () => {
  let clientDriver: DriverHandle;
  let aeron: Aeron;
  const drivers = new OwnArchives();
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    clientDriver = await startMediaDriver({ properties: { 'aeron.image.liveness.timeout': '2s' } });
    aeron = await connectAeron(clientDriver);
  }, 60_000);

  let resources: SharedDriverCase;
  beforeEach(() => {
    resources = new SharedDriverCase([clientDriver.aeronDir]);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await drivers.stopAll();
    // no mapping, process, harness dir or timer of the case left (the shared client driver excepted)
    await resources.release();
  }, 60_000);

  afterAll(async () => {
    await releaseAll(aeron, clientDriver);
    assertNoLeftovers();
  }, 60_000);

  /**
   * Starts the archive again on its dirs (`restartArchivingDriver`: retried while 1.51.0 still sees the killed
   * archive's mark file as active). Resolves the driver, or the start error.
   */
  async function restart(properties: Record<string, string>): Promise<ArchivingDriverHandle> {
    const driver = await restartArchivingDriver(properties);
    drivers.track(driver);
    return driver;
  }

  it('A3 archive SIGKILLed in the middle of listRecordings (120 descriptors): typed error, no partial result, next call typed', async () => {
    const driver = await startArchivingMediaDriver();
    drivers.track(driver);
    const signals = new SignalLog();
    const archive = await connectArchive(aeron, driver, {
      controlResponseChannel: 'aeron:udp?endpoint=localhost:0|rcv-wnd=4096',
      recordingSignalConsumer: signals.consumer,
      messageTimeoutMs: 10_000,
    });
    clients.push(archive);
    // 120 recordings: one recorded UDP channel, 120 publications (sessions) from our driver, 30 at a time
    const port = await freeUdpPort();
    const channel = `aeron:udp?endpoint=localhost:${port}|term-length=64k`;
    const subscriptionId = await archive.startRecording(channel, 6801, SourceLocation.REMOTE);
    const total = 120;
    for (let batch = 0; batch < total / 30; batch++) {
      const publications = [];
      for (let i = 0; i < 30; i++) publications.push(await aeron.addExclusivePublication(channel, 6801));
      await awaitCondition(
        `${(batch + 1) * 30} recordings started`,
        () => signals.names((e) => e.signalName === 'START').length >= (batch + 1) * 30,
        60_000,
      );
      for (const p of publications) p.close();
    }
    await archive.stopRecordingBySubscriptionId(subscriptionId);

    let delivered = 0;
    const ids: number[] = [];
    const outcome = await within(
      'the listing outcome',
      NO_HANG_MS,
      failure(
        archive.listRecordings(0, 1_000, (d) => {
          delivered++;
          ids.push(d.recordingId);
          if (delivered === 1) driver.kill('SIGKILL');
        }),
      ),
    );
    const error = expectCutOff(outcome);
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(total);
    // what was delivered before the cut is neither lost nor duplicated: recordings 0, 1, 2, … in order
    expect(ids).toEqual(ids.map((_, i) => i));
    await within('archive exit', NO_HANG_MS, driver.exited);
    // the client knows the session is gone: DISCONNECTED (image unavailable), the next call typed at once
    await awaitCondition('DISCONNECTED', () => archive.state() === 'DISCONNECTED', NO_HANG_MS, 20);
    const next = await within('next call', NO_HANG_MS, failure(archive.getStopPosition(0)));
    expect(next).toBeInstanceOf(ArchiveError);
    expect((next as ArchiveError).code).toBe('ARCHIVE_NOT_CONNECTED');
    if (error.code === 'ARCHIVE_TIMEOUT') expect(error.correlationId).toBeGreaterThan(0);
    else expect(error.message).toBe('response channel from archive is not connected');
  }, 150_000);

  it('A5 archive SIGKILLed during a replay, restarted on the same dirs: the replay resumes from the last position, every message once', async () => {
    const { properties, driver } = await drivers.start();
    const signals = new SignalLog();
    const archive = await connectArchive(aeron, driver, { recordingSignalConsumer: signals.consumer });
    clients.push(archive);
    const recPort = await freeUdpPort();
    const count = 2_000;
    const recorded = await recordStream(
      aeron,
      archive,
      signals,
      `aeron:udp?endpoint=localhost:${recPort}|term-length=64k`,
      6901,
      count,
      256,
      false,
      SourceLocation.REMOTE,
    );
    // (64 KiB terms: each term ends with a padding frame, so positions are not count × FRAME)

    // the replay to us, through a 4 KiB receiver window: the archive can not run far ahead of our reading
    const replayPort = await freeUdpPort();
    const unavailable: number[] = [];
    const subscription = await aeron.addSubscription(
      `aeron:udp?endpoint=localhost:${replayPort}|rcv-wnd=4096`,
      6902,
      null,
      (image) => unavailable.push(image.sessionId),
    );
    clients.push(subscription);
    const replaySessionId = await within(
      'replay',
      CALL_MS,
      archive.startReplay(
        recorded.recordingId,
        0,
        recorded.stopPosition,
        `aeron:udp?endpoint=localhost:${replayPort}`,
        6902,
      ),
    );
    const reader = new VerifiedReader(recorded.checksums);
    await reader.readTo(subscription, 500, 'the first 500 replayed messages');
    expect(driver.kill('SIGKILL')).toBe(true);
    await within('archive exit', NO_HANG_MS, driver.exited);
    // what our image still holds is read; then the image goes (liveness), the handler fires
    await awaitCondition(
      'the replay image to become unavailable',
      () => {
        reader.poll(subscription);
        return unavailable.length > 0;
      },
      NO_HANG_MS,
      1,
    );
    reader.poll(subscription);
    expect(reader.problems).toEqual([]);
    expect(unavailable).toEqual([replayImageSessionId(replaySessionId)]);
    const received = reader.next;
    expect(received).toBeGreaterThanOrEqual(500);
    expect(received).toBeLessThan(count); // cut off mid-replay
    expect(reader.lastPosition).toBeLessThan(recorded.stopPosition);
    // the old session reports it, typed
    const cut = await within('call on the dead session', NO_HANG_MS, failure(archive.getStopPosition(0)));
    expectCutOff(cut);

    const second = await restart(properties);
    const archive2 = await connectArchive(aeron, second);
    clients.push(archive2);
    expect(String(archive2.archiveId)).toBe(properties['aeron.archive.id']);
    const listed = await within('listing', CALL_MS, listAll(archive2));
    expect(listed.map((d) => [d.recordingId, d.stopPosition])).toEqual([[recorded.recordingId, recorded.stopPosition]]);

    const resumed = await aeron.addSubscription(`aeron:udp?endpoint=localhost:${replayPort}`, 6903);
    clients.push(resumed);
    await within(
      'resumed replay',
      CALL_MS,
      archive2.startReplay(
        recorded.recordingId,
        reader.lastPosition,
        recorded.stopPosition - reader.lastPosition,
        `aeron:udp?endpoint=localhost:${replayPort}`,
        6903,
      ),
    );
    const rest = new VerifiedReader(recorded.checksums, received);
    await rest.readTo(resumed, count, 'the rest of the recording');
    expect(rest.lastPosition).toBe(recorded.stopPosition);
  }, 180_000);

  it('A6 last fragment straddling a page boundary after a crash: archive refuses to start (#1812), connect → ArchiveTimeoutError; ArchiveTool verify recovers', async () => {
    const { aeronDir, archiveDir, properties, driver } = await drivers.start();
    const local = await connectAeron(driver);
    const signals = new SignalLog();
    const archive = await connectArchive(local, driver, { recordingSignalConsumer: signals.consumer });
    let recorded: Awaited<ReturnType<typeof recordStream>>;
    try {
      recorded = await recordStream(local, archive, signals, 'aeron:ipc?term-length=64k', 7301, 15, 256, true);
      expect(recorded.stopPosition).toBe(15 * FRAME); // the 15th frame spans 4032..4320, across 4096
      expect(driver.kill('SIGKILL')).toBe(true);
      await within('archive exit', NO_HANG_MS, driver.exited);
    } finally {
      archive.close();
      local.close();
    }
    const name = readdirSync(archiveDir).find((f) => f.startsWith(`${recorded.recordingId}-`) && f.endsWith('.rec'));
    if (name === undefined) throw new Error('no segment file');
    const segment = join(archiveDir, name);
    const fd = openSync(segment, 'r+');
    try {
      writeSync(fd, new Uint8Array(15 * FRAME - 4096), 0, undefined, 4096); // the page after the boundary: unflushed
    } finally {
      closeSync(fd);
    }

    const refused = await within('archive start outcome', 120_000, failure(restart(properties)));
    expect(String(refused)).toContain(
      `Found potentially incomplete last fragment straddling page boundary in file: ${segment}`,
    );
    expect(String(refused)).toContain('Run `ArchiveTool verify` for corrective action!');

    // our client, on a driver with no archive behind the control endpoint: typed, bounded
    rmSync(join(aeronDir, 'cnc.dat'), { force: true });
    const plain = await startMediaDriver({ properties: { 'aeron.dir': aeronDir } });
    drivers.track(plain);
    const onPlain = await connectAeron(plain);
    try {
      const error = await within(
        'connect outcome',
        NO_HANG_MS,
        failure(
          AeronArchive.connect({
            aeron: onPlain,
            controlRequestChannel: properties['aeron.archive.control.channel'],
            controlRequestStreamId: 10,
            controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
            messageTimeoutMs: 3_000,
          }),
        ),
      );
      expect(error).toBeInstanceOf(ArchiveTimeoutError);
      expect((error as ArchiveTimeoutError).code).toBe('ARCHIVE_TIMEOUT');
      expect((error as Error).message).toMatch(/Archive connect timeout: step=/);
    } finally {
      onPlain.close();
    }
    await plain.stop();

    // the operator's fix: ArchiveTool verify, answering "y" to the truncation
    const tool = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.archive.ArchiveTool',
      args: [archiveDir, 'verify'],
      jvmArgs: AERON_JVM_FLAGS,
      stdin: 'y\n',
      timeoutMs: 60_000,
    });
    expect(`${tool.stdout}${tool.stderr}`).toContain('straddles a page boundary');

    const fixed = await restart(properties);
    const local2 = await connectAeron(fixed);
    clients.push(local2);
    const archive2 = await connectArchive(local2, fixed);
    clients.push(archive2);
    const listed = await within('listing', CALL_MS, listAll(archive2));
    expect(listed.map((d) => [d.recordingId, d.stopPosition])).toEqual([[recorded.recordingId, 14 * FRAME]]);
    const subscription = await local2.addSubscription('aeron:ipc?term-length=64k', 7302);
    clients.push(subscription);
    await within(
      'replay',
      CALL_MS,
      archive2.startReplay(recorded.recordingId, 0, 14 * FRAME, 'aeron:ipc?term-length=64k', 7302),
    );
    const reader = new VerifiedReader(recorded.checksums);
    await reader.readTo(subscription, 14, 'the 14 intact messages');
    await reader.expectQuiet(subscription, 300);
  }, 240_000);
});
