/**
 * Archive faults against the real Java ArchivingMediaDriver 1.51.0:
 *
 * - SIGKILL mid-replay: a call in flight when the archive dies, and the next call, reject with a typed error
 *   (ArchiveTimeoutError after the message timeout, or ArchiveNotConnectedError): no hang, and both clients
 *   close. The archive is SIGSTOPped before the pending call is sent, so the call is certainly in flight at
 *   the kill.
 * - restart: an archive SIGKILLed and started again on the same aeron dir, archive dir, control port and
 *   archive id takes a new `AeronArchive.connect`, still lists the recordings made before, and replays them.
 *   1.51.0 refuses to start until the dead archive's mark file is stale (up to 10 s): see
 *   `restartArchivingDriver` (support/archive-interop.ts).
 * - a control session that is not serviced: the 1.51.0 client sends no keepalives; the archive ends a session
 *   only when it cannot send to it (`ControlSession`: a Ping or response not accepted by the control response
 *   publication for `aeron.archive.connect.timeout` → abort "failed to send response for more than
 *   connectTimeoutMs=…"; or that publication not connected). SIGSTOP of our own process is impossible
 *   in-process, so the test blocks this process's event loop (Atomics.wait): for the client it is the same,
 *   nothing polls and nothing is sent. To make the archive's Pings back up quickly: a small receiver window on
 *   the response channel (`rcv-wnd=2048`), a 4 KiB publication window on the archive's driver
 *   (`aeron.publication.term.window.length`: how far the archive's publication may run ahead of its sender)
 *   and a 10 ms liveness-check (Ping) interval, so 64-byte Pings stop being accepted after about 1 s and the
 *   2 s connect timeout then aborts the session. The stall (7 s) stays below the driver's client liveness
 *   timeout (10 s), so only the archive session dies. Running again, the client reports it:
 *   `pollForErrorResponse()` answers 'not connected', state DISCONNECTED, the next call rejects with
 *   ArchiveNotConnectedError; the archive's error log (archive-mark.dat) names the cause.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { startArchivingMediaDriver } from '../../harness/driver.ts';
import { allThreadsStopped, assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { failure } from '../reliability/support/archive-faults.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, within } from '../support/wait.ts';
import {
  awaitRecorded,
  connectAeron,
  connectArchive,
  listAll,
  messagePayload,
  OwnArchives,
  replayPayloads,
  restartArchivingDriver,
  SignalLog,
} from './support/archive-interop.ts';

const RECORDED_CHANNEL = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const MESSAGE_TIMEOUT_MS = 2_000;
/** Below the driver's 10 s client liveness timeout; well above the archive's fill-the-window + 2 s connect timeout. */
const STALL_MS = 7_000;
/** Hang detector only: a typed error must come well before this. */
const NO_HANG_MS = MESSAGE_TIMEOUT_MS + 20_000;

/** Records `count` messages on IPC `streamId`, stops the recording; returns its id, stop position and payloads. */
async function recordStopped(aeron: Aeron, archive: AeronArchive, signals: SignalLog, streamId: number, count: number) {
  const subscriptionId = await archive.startRecording(RECORDED_CHANNEL, streamId, SourceLocation.LOCAL);
  const publication = await aeron.addExclusivePublication(RECORDED_CHANNEL, streamId);
  const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId);
  const payloads: Uint8Array[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    const payload = messagePayload(streamId, i, 256);
    position = await offerUntilAccepted(publication, payload, 20_000);
    payloads.push(payload);
  }
  await awaitRecorded(archive, start.recordingId, position);
  await archive.stopRecordingBySubscriptionId(subscriptionId);
  await signals.await('STOP', (e) => e.recordingId === start.recordingId);
  publication.close();
  return { recordingId: start.recordingId, stopPosition: position, payloads };
}

function expectTypedFailure(error: unknown): ArchiveError {
  expect(error).toBeInstanceOf(ArchiveError);
  const archiveError = error as ArchiveError;
  expect(['ARCHIVE_TIMEOUT', 'ARCHIVE_NOT_CONNECTED']).toContain(archiveError.code);
  return archiveError;
}

describeInterop('archive faults against the Java ArchivingMediaDriver', () => {
  const drivers = new OwnArchives();

  afterEach(async () => {
    await drivers.stopAll();
    assertNoLeftovers();
  }, 60_000);

  afterAll(() => assertNoLeftovers());

  it('archive SIGKILLed mid-replay: pending and next calls reject with a typed error, clients close', async () => {
    const driver = await startArchivingMediaDriver();
    drivers.track(driver);
    const aeronErrors: unknown[] = [];
    const aeron = await connectAeron(driver, aeronErrors);
    const signals = new SignalLog();
    const archive = await connectArchive(aeron, driver, {
      messageTimeoutMs: MESSAGE_TIMEOUT_MS,
      recordingSignalConsumer: signals.consumer,
    });
    try {
      const recorded = await recordStopped(aeron, archive, signals, 4001, 2_000);
      // a replay that is flowing: read part of it
      const replaySubscription = await aeron.addSubscription(REPLAY_CHANNEL, 4002);
      await archive.startReplay(recorded.recordingId, 0, -1, REPLAY_CHANNEL, 4002);
      let received = 0;
      await awaitCondition('replay flowing', () => {
        received += replaySubscription.poll(() => {}, 10);
        return received >= 100;
      });

      // freeze the archive, put a call in flight, then kill it. kill() returns before every JVM thread has
      // stopped (a conductor spinning on the other core could still answer), so wait until /proc shows them all.
      expect(driver.kill('SIGSTOP')).toBe(true);
      await awaitCondition('archive threads stopped', () => allThreadsStopped(driver.pid), 10_000);
      const pending = failure(archive.getRecordingPosition(recorded.recordingId));
      await new Promise((r) => setTimeout(r, 200));
      expect(driver.kill('SIGKILL')).toBe(true);
      await within('archive exit', 30_000, driver.exited);

      const pendingError = expectTypedFailure(await within('pending call outcome', NO_HANG_MS, pending));
      expect(pendingError.code).toBe('ARCHIVE_TIMEOUT');
      const nextError = expectTypedFailure(
        await within('next call outcome', NO_HANG_MS, failure(archive.listRecordings(0, 10, () => {}))),
      );
      expect(nextError.correlationId).not.toBe(pendingError.correlationId);

      replaySubscription.close();
    } finally {
      archive.close();
      aeron.close();
    }
    expect(archive.state()).toBe('CLOSED');
    await expect(archive.getStopPosition(0)).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
  }, 120_000);

  it('archive restarted on the same dirs and port: a new connect works and recordings are still listed', async () => {
    const { archiveDir, properties, driver: first } = await drivers.start();
    let recorded: Awaited<ReturnType<typeof recordStopped>>;
    {
      const aeron = await connectAeron(first);
      const signals = new SignalLog();
      const archive = await connectArchive(aeron, first, { recordingSignalConsumer: signals.consumer });
      try {
        recorded = await recordStopped(aeron, archive, signals, 4101, 100);
        expect((await listAll(archive)).map((d) => d.recordingId)).toEqual([recorded.recordingId]);
      } finally {
        archive.close();
        aeron.close();
      }
    }
    expect(first.kill('SIGKILL')).toBe(true);
    await within('archive exit', 30_000, first.exited);
    await first.stop();
    const second = await restartArchivingDriver(properties);
    drivers.track(second);
    expect(second.archiveDir).toBe(archiveDir);
    const aeron = await connectAeron(second);
    const archive = await connectArchive(aeron, second);
    try {
      expect(String(archive.archiveId)).toBe(properties['aeron.archive.id']);
      const listed = await listAll(archive);
      expect(listed).toHaveLength(1);
      expect(listed[0]?.recordingId).toBe(recorded.recordingId);
      expect(listed[0]?.stopPosition).toBe(recorded.stopPosition);
      expect(listed[0]?.streamId).toBe(4101);
      const replayed = await replayPayloads(
        aeron,
        archive,
        recorded.recordingId,
        0,
        recorded.stopPosition,
        recorded.payloads.length,
        REPLAY_CHANNEL,
        4102,
      );
      expect(replayed).toEqual(recorded.payloads);
    } finally {
      archive.close();
      aeron.close();
    }
  }, 180_000);

  it('a control session that is not serviced is closed by the archive, and the client reports it', async () => {
    const driver = await startArchivingMediaDriver({
      properties: {
        'aeron.archive.session.liveness.check.interval': '10ms',
        'aeron.archive.connect.timeout': '2s',
        // the archive's response publication may run this far ahead of what the (stalled) client consumed
        'aeron.publication.term.window.length': '4k',
      },
    });
    drivers.track(driver);
    const aeronErrors: unknown[] = [];
    const aeron = await connectAeron(driver, aeronErrors);
    const archive = await connectArchive(aeron, driver, {
      controlResponseChannel: 'aeron:udp?endpoint=localhost:0|rcv-wnd=2048',
      messageTimeoutMs: 5_000,
    });
    try {
      // serviced (idle polling consumes the Pings), the session outlives the connect timeout without keepalives
      await new Promise((r) => setTimeout(r, 3_000));
      expect(archive.pollForErrorResponse()).toBeNull();
      expect(await listAll(archive)).toEqual([]);
      expect(archive.state()).toBe('CONNECTED');

      // not serviced: block this process (client conductor and archive client alike)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS);

      let reported: string | null = null;
      await awaitCondition(
        'the client to report the closed session',
        () => {
          reported = archive.pollForErrorResponse();
          return reported !== null;
        },
        30_000,
        20,
      );
      expect(reported).toBe('not connected');
      expect(archive.state()).toBe('DISCONNECTED');
      const error = await within('next call', NO_HANG_MS, failure(archive.getStopPosition(0)));
      expect(error).toBeInstanceOf(ArchiveError);
      expect((error as ArchiveError).code).toBe('ARCHIVE_NOT_CONNECTED');

      // the archive says why it closed the session (its distinct error log in archive-mark.dat)
      const mark = readFileSync(join(driver.archiveDir, 'archive-mark.dat')).toString('latin1');
      expect(mark).toContain('failed to send response for more than connectTimeoutMs=2000');
      expect(aeronErrors).toEqual([]);
    } finally {
      archive.close();
      aeron.close();
    }
  }, 120_000);
});
