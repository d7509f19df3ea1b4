/**
 * Reliability rows A1, A2, A10, A14, A15 (see README.md): requests the real Java ArchivingMediaDriver 1.51.0
 * must refuse, against one archive shared by the file (each case uses its own stream ids; the archive runs with
 * `max.concurrent.replays=2` and `max.concurrent.recordings=2` for the A15 limits).
 *
 * A10: raw bytes published from our client on the archive's control channel and stream (a separate
 * publication, so a separate image in the archive): wrong schemaId, garbage, a valid StopPositionRequest with an
 * unknown controlSessionId, an unknown template. 1.51.0 answers none (a response needs a session), logs the
 * first three in its error log (archive-mark.dat: "expected schemaId=101, actual=…", "control request for
 * unknown session: controlSessionId=… templateId=15") and drops an unknown template silently; our session is
 * unaffected. (a) a raw ConnectRequest with protocol version 2.0.0 whose response channel is a subscription of
 * ours: the archive answers ERROR "invalid client version 2.0.0, archive is 1.12.0" (ControlResponse code ERROR),
 * read with our `ControlResponsePoller`.
 *
 * Every case asserts the typed error (ArchiveError, `code` ARCHIVE_ERROR, the archive's `errorCode` and text),
 * bounded time (every call runs under `within`), that the acknowledged data is intact afterwards (a replay of
 * the recording checks sequence numbers and checksums) and that the session stays usable; resources are
 * checked released after each case (`SharedDriverCase`: nothing the case mapped, no timer, no process) and after
 * the file (`assertNoLeftovers`, the client closed with no pending calls).
 *
 * 1.51.0 facts (`ArchiveConductor`): an unaligned replay position is a GENERIC error ("… is not a multiple of
 * FRAME_ALIGNMENT (32) …"); before start / at or past stop → INVALID_POSITION (16); a negative length →
 * GENERIC "replay length must be positive…"; REPLAY_ALL_AND_STOP (-2) on an empty recording: the position
 * check (position 0 ≥ stop 0) answers INVALID_POSITION first; EMPTY_RECORDING (15) is only reachable with
 * NULL_POSITION as the start (it skips the position check). Then 1.51.0 does NOT return after sending that
 * error (`ArchiveConductor` ~834): it still starts a zero-length replay, which fails seconds later with a second,
 * asynchronous ERROR "no connection established for replayChannel=…" (seen through `errorHandler`).
 * A14: the replication's failure is asynchronous: `replicate` resolves the replication id, then an ERROR with
 * that correlation id and REPLICATION_CONNECTION_FAILURE (14) ("Replication connection failed=… Archive connect
 * timeout: step=AWAIT_PUBLICATION_CONNECTED …", after the archive's own 5 s connect timeout), and a
 * REPLICATE_END signal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ConnectRequestEncoder } from '../../codecs/generated/archive/ConnectRequestEncoder.ts';
import { ControlResponseCode } from '../../codecs/generated/archive/ControlResponseCode.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { AeronControlSubscription } from '../../src/archive/aeron-transport.ts';
import { ArchiveErrorCode } from '../../src/archive/archive-error.ts';
import { ControlResponsePoller } from '../../src/archive/control-response-poller.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { connectAeron, connectArchive, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted, within } from '../support/wait.ts';
import {
  expectArchiveErrorResponse,
  failure,
  type RecordedStream,
  readVerified,
  recordStream,
} from './support/archive-faults.ts';
import { SharedDriverCase } from './support/resources.ts';
import { sbeHeader } from './support/sbe-header.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';
/** Recording with a non-zero start position (1024) for "before start". */
const OFFSET_CHANNEL = 'aeron:ipc?term-length=64k|init-term-id=7|term-id=7|term-offset=1024';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const CALL_MS = 15_000;
const UNKNOWN_ID = 9_999_999;

describeInterop('reliability A1/A2/A10/A14/A15: refused archive requests (Java ArchivingMediaDriver 1.51.0)', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  const signals = new SignalLog();
  /** ERRORs not tied to a call (the archive's asynchronous errors, e.g. a failed replication). */
  const asyncErrors: unknown[] = [];
  let recorded: RecordedStream;

  /** The recording is still whole and the session still serves: replays it, checking every message. */
  async function expectRecordingIntact(streamId: number): Promise<void> {
    const subscription = await aeron.addSubscription(REPLAY_CHANNEL, streamId);
    try {
      await within(
        'replay',
        CALL_MS,
        archive.startReplay(recorded.recordingId, recorded.startPosition, -2, REPLAY_CHANNEL, streamId),
      );
      const n = await readVerified(
        subscription,
        recorded.checksums,
        0,
        (k) => k >= recorded.checksums.length,
        'the whole recording replayed',
      );
      expect(n).toBe(recorded.checksums.length);
    } finally {
      subscription.close();
    }
    expect(archive.state()).toBe('CONNECTED');
  }

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      properties: { 'aeron.archive.max.concurrent.replays': '2', 'aeron.archive.max.concurrent.recordings': '2' },
    });
    aeron = await connectAeron(driver);
    archive = await connectArchive(aeron, driver, {
      recordingSignalConsumer: signals.consumer,
      errorHandler: (error) => asyncErrors.push(error),
    });
    recorded = await recordStream(aeron, archive, signals, OFFSET_CHANNEL, 5001, 50);
    expect(recorded.startPosition).toBe(1024);
  }, 120_000);

  afterAll(async () => {
    await releaseAll(archive, aeron, driver);
    assertNoLeftovers();
  }, 60_000);

  let resources: SharedDriverCase;
  beforeEach(() => {
    resources = new SharedDriverCase([driver.aeronDir]);
  });
  afterEach(async () => {
    await resources.release();
  }, 60_000);

  const UNKNOWN = /unknown recording id: 9999999/;

  it('A1 unknown recording id: getStartPosition', async () => {
    const e = await within('call', CALL_MS, failure(archive.getStartPosition(UNKNOWN_ID)));
    expectArchiveErrorResponse(e, ArchiveErrorCode.UNKNOWN_RECORDING, UNKNOWN);
    await expectRecordingIntact(5101);
  }, 60_000);

  it('A1 unknown recording id: replay', async () => {
    const e = await within('call', CALL_MS, failure(archive.startReplay(UNKNOWN_ID, 0, -1, REPLAY_CHANNEL, 5102)));
    expectArchiveErrorResponse(e, ArchiveErrorCode.UNKNOWN_RECORDING, UNKNOWN);
    await expectRecordingIntact(5103);
  }, 60_000);

  it('A1 unknown recording id: listRecording finds nothing (Java: count 0, no error)', async () => {
    let seen = 0;
    const count = await within(
      'call',
      CALL_MS,
      archive.listRecording(UNKNOWN_ID, () => {
        seen++;
      }),
    );
    expect(count).toBe(0);
    expect(seen).toBe(0);
    await expectRecordingIntact(5104);
  }, 60_000);

  it('A2 replay position before the start → INVALID_POSITION', async () => {
    const e = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(recorded.recordingId, 0, -2, REPLAY_CHANNEL, 5201)),
    );
    expectArchiveErrorResponse(e, ArchiveErrorCode.INVALID_POSITION, /before start|start position/i);
    await expectRecordingIntact(5202);
  }, 60_000);

  it('A2 replay position at the stop position → INVALID_POSITION', async () => {
    const e = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(recorded.recordingId, recorded.stopPosition, -2, REPLAY_CHANNEL, 5203)),
    );
    expectArchiveErrorResponse(e, ArchiveErrorCode.INVALID_POSITION, /exceed|stop|limit/i);
    await expectRecordingIntact(5204);
  }, 60_000);

  it('A2 unaligned replay position → GENERIC', async () => {
    const e = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(recorded.recordingId, recorded.startPosition + 8, -2, REPLAY_CHANNEL, 5205)),
    );
    expectArchiveErrorResponse(e, ArchiveErrorCode.GENERIC, /not a multiple of FRAME_ALIGNMENT \(32\)/);
    await expectRecordingIntact(5206);
  }, 60_000);

  it('A2 negative replay length → GENERIC "replay length must be positive"', async () => {
    const e = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(recorded.recordingId, recorded.startPosition, -5, REPLAY_CHANNEL, 5207)),
    );
    expectArchiveErrorResponse(e, ArchiveErrorCode.GENERIC, /replay length must be positive/);
    await expectRecordingIntact(5208);
  }, 60_000);

  it('A2 REPLAY_ALL_AND_STOP on an empty recording → EMPTY_RECORDING (NULL_POSITION start) / INVALID_POSITION', async () => {
    const empty = await recordStream(aeron, archive, signals, CHANNEL, 5209, 0);
    expect(empty.stopPosition).toBe(0);
    const fromNull = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(empty.recordingId, -1, -2, REPLAY_CHANNEL, 5210)),
    );
    const fromZero = await within(
      'call',
      CALL_MS,
      failure(archive.startReplay(empty.recordingId, 0, -2, REPLAY_CHANNEL, 5211)),
    );
    expectArchiveErrorResponse(fromZero, ArchiveErrorCode.INVALID_POSITION, /exceed|stop|limit/i);
    // 1.51.0: NULL_POSITION skips the position check, the length check answers EMPTY_RECORDING (15)
    expectArchiveErrorResponse(fromNull, ArchiveErrorCode.EMPTY_RECORDING, /replay length must be non-zero/);
    await expectRecordingIntact(5212);
  }, 60_000);

  it('A14 replicate from an unreachable src control endpoint → REPLICATION_CONNECTION_FAILURE + REPLICATE_END', async () => {
    const port = await freeUdpPort();
    const replicationId = await within(
      'replicate',
      CALL_MS,
      archive.replicate(recorded.recordingId, 10, `aeron:udp?endpoint=localhost:${port}`),
    );
    // the failure arrives asynchronously: an error response for the replication id, then REPLICATE_END. It is
    // reported once: to the errorHandler when the client's idle service reads it, or (Java) as the text
    // pollForErrorResponse returns when that poll reads it first.
    const polled: string[] = [];
    await awaitCondition(
      'the replication failure to be reported',
      () => {
        const text = archive.pollForErrorResponse();
        if (text !== null) polled.push(text);
        return signals.events.some((e) => e.correlationId === replicationId && e.signalName === 'REPLICATE_END');
      },
      60_000,
      20,
    );
    expect(signals.names((e) => e.correlationId === replicationId)).toContain('REPLICATE_END');
    const replicationErrors = asyncErrors.filter(
      (e) => (e as { correlationId?: number }).correlationId === replicationId,
    );
    // (pollForErrorResponse returns the text only, so its errors are told apart by it; others may be left over
    // from earlier cases, e.g. a replay nobody subscribed to)
    const polledReplicationErrors = polled.filter((text) => text.startsWith('Replication connection failed'));
    expect(replicationErrors.length + polledReplicationErrors.length).toBe(1);
    if (replicationErrors.length === 1) {
      expectArchiveErrorResponse(replicationErrors[0], ArchiveErrorCode.REPLICATION_CONNECTION_FAILURE, /.+/);
    }
    await expectRecordingIntact(5401);
    // no replication is left behind
    await expect(within('stop', CALL_MS, archive.stopReplication(replicationId))).rejects.toMatchObject({
      code: 'ARCHIVE_ERROR',
      errorCode: ArchiveErrorCode.UNKNOWN_REPLICATION,
    });
  }, 120_000);

  it('A15 purge of an active recording → ACTIVE_RECORDING; the recording keeps going', async () => {
    const live = await recordStream(aeron, archive, signals, CHANNEL, 5501, 20, 256, true);
    try {
      const e = await within('purge', CALL_MS, failure(archive.purgeRecording(live.recordingId)));
      expectArchiveErrorResponse(e, ArchiveErrorCode.ACTIVE_RECORDING, /active/i);
      expect(await within('position', CALL_MS, archive.getRecordingPosition(live.recordingId))).toBe(live.stopPosition);
    } finally {
      await archive.stopRecordingBySubscriptionId(live.subscriptionId);
      live.close();
    }
    await expectRecordingIntact(5502);
  }, 60_000);

  it('A15 truncate of an active recording → ACTIVE_RECORDING', async () => {
    const live = await recordStream(aeron, archive, signals, CHANNEL, 5503, 20, 256, true);
    try {
      const e = await within('truncate', CALL_MS, failure(archive.truncateRecording(live.recordingId, 0)));
      expectArchiveErrorResponse(e, ArchiveErrorCode.ACTIVE_RECORDING, /active/i);
      expect(await within('position', CALL_MS, archive.getRecordingPosition(live.recordingId))).toBe(live.stopPosition);
    } finally {
      await archive.stopRecordingBySubscriptionId(live.subscriptionId);
      live.close();
    }
    await expectRecordingIntact(5504);
  }, 60_000);

  it('A15 start recording twice on the same channel and stream → ACTIVE_SUBSCRIPTION', async () => {
    const subscriptionId = await archive.startRecording(CHANNEL, 5505, SourceLocation.LOCAL);
    try {
      const e = await within('call', CALL_MS, failure(archive.startRecording(CHANNEL, 5505, SourceLocation.LOCAL)));
      expectArchiveErrorResponse(e, ArchiveErrorCode.ACTIVE_SUBSCRIPTION, /recording exists/i);
    } finally {
      await archive.stopRecordingBySubscriptionId(subscriptionId);
    }
    await expectRecordingIntact(5506);
  }, 60_000);

  it('A15 a third concurrent replay with max.concurrent.replays=2 → MAX_REPLAYS; the others stop cleanly', async () => {
    // replays to streams nobody subscribes to stay active (waiting for a connection) for the archive's connect timeout
    const ids: bigint[] = [];
    try {
      for (const streamId of [5601, 5602]) {
        ids.push(
          await within(
            'replay',
            CALL_MS,
            archive.startReplay(recorded.recordingId, recorded.startPosition, -2, REPLAY_CHANNEL, streamId),
          ),
        );
      }
      const e = await within(
        'third replay',
        CALL_MS,
        failure(archive.startReplay(recorded.recordingId, recorded.startPosition, -2, REPLAY_CHANNEL, 5603)),
      );
      expectArchiveErrorResponse(e, ArchiveErrorCode.MAX_REPLAYS, /max concurrent replays reached 2/);
    } finally {
      for (const id of ids) await archive.stopReplay(id).catch(() => {});
    }
    // once they are gone, replays are accepted again (the closed sessions are reaped on the archive's duty cycle)
    let intact = false;
    const deadline = Date.now() + 30_000;
    while (!intact) {
      try {
        await expectRecordingIntact(5604);
        intact = true;
      } catch (error) {
        if (Date.now() > deadline || !String(error).includes('max concurrent replays')) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 90_000);

  it('A15 a third concurrent recording with max.concurrent.recordings=2 → MAX_RECORDINGS', async () => {
    const live = [
      await recordStream(aeron, archive, signals, CHANNEL, 5701, 5, 256, true),
      await recordStream(aeron, archive, signals, CHANNEL, 5702, 5, 256, true),
    ];
    try {
      const e = await within(
        'third recording',
        CALL_MS,
        failure(archive.startRecording(CHANNEL, 5703, SourceLocation.LOCAL)),
      );
      expectArchiveErrorResponse(e, ArchiveErrorCode.MAX_RECORDINGS, /max concurrent recordings reached/);
    } finally {
      for (const r of live) {
        await archive.stopRecordingBySubscriptionId(r.subscriptionId);
        r.close();
      }
    }
    await expectRecordingIntact(5704);
  }, 90_000);

  const a10 = [
    ['b', 'wrong schemaId', () => sbeHeader(24, 15, 999, 13, 24), 'expected schemaId=101, actual=999'],
    // bytes 4-5 (schemaId) are 0x01 and the frame's zero padding
    ['c', 'garbage (5 bytes)', () => new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x01]), 'expected schemaId=101, actual=1'],
    [
      'd',
      'valid request with an unknown controlSessionId',
      () => stopPositionRequest(123_456_789, 77, recorded.recordingId),
      'control request for unknown session: controlSessionId=123456789 templateId=15',
    ],
    ['e', 'unknown templateId', () => sbeHeader(16, 9_999, 101, 13, 16), null],
  ] as const;
  it('A10a ConnectRequest with major version 2 → ERROR response "invalid client version"', async () => {
    const port = await freeUdpPort();
    const responseChannel = `aeron:udp?endpoint=localhost:${port}`;
    const responses = await aeron.addSubscription(responseChannel, 5900);
    const raw = await aeron.addPublication(driver.controlChannel, driver.controlStreamId);
    try {
      const bytes = new Uint8Array(512);
      const enc = new ConnectRequestEncoder().wrapAndApplyHeader(bytes, 0, new MessageHeaderEncoder());
      enc
        .correlationId(424_242)
        .responseStreamId(5900)
        .version(2 << 16)
        .responseChannel(responseChannel);
      await offerUntilAccepted(raw, bytes.slice(0, 8 + enc.encodedLength()), 20_000);
      const poller = new ControlResponsePoller(new AeronControlSubscription(responses, responseChannel));
      await awaitCondition(
        'the error response',
        () => {
          poller.poll();
          return poller.isPollComplete() && poller.correlationId() === 424_242;
        },
        20_000,
        1,
      );
      expect(poller.code()).toBe(ControlResponseCode.ERROR);
      expect(poller.errorMessage()).toMatch(/invalid client version 2\.0\.0, archive is 1\.12\.0/);
    } finally {
      raw.close();
      responses.close();
    }
    await expectRecordingIntact(5901);
  }, 60_000);

  for (const [part, what, bytes, logged] of a10) {
    it(`A10${part} ${what} sent raw to the archive's control channel: ignored, our session unaffected`, async () => {
      // typed error: none can reach us (1.51.0 answers no session-less request), so its ABSENCE is asserted
      const before = asyncErrors.length;
      const raw = await aeron.addPublication(driver.controlChannel, driver.controlStreamId);
      try {
        await offerUntilAccepted(raw, bytes(), 20_000);
        await offerUntilAccepted(raw, bytes(), 20_000);
      } finally {
        raw.close();
      }
      // the archive keeps serving us, and nothing about the raw requests reaches our session
      await expectRecordingIntact(5800 + part.charCodeAt(0));
      expect(asyncErrors.slice(before)).toEqual([]);
      expect(archive.pollForErrorResponse()).toBeNull();
      expect(driver.kill('SIGCONT')).toBe(true); // still alive
      const mark = readFileSync(join(driver.archiveDir, 'archive-mark.dat')).toString('latin1');
      // the archive's distinct error log (archive-mark.dat) names it; an unknown template is dropped silently
      if (logged !== null) expect(mark).toContain(logged);
    }, 60_000);
  }
});

/** StopPositionRequest (template 15: controlSessionId, correlationId, recordingId int64s). */
function stopPositionRequest(controlSessionId: number, correlationId: number, recordingId: number): Uint8Array {
  const bytes = sbeHeader(24, 15, 101, 13, 24);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(8, BigInt(controlSessionId), true);
  view.setBigInt64(16, BigInt(correlationId), true);
  view.setBigInt64(24, BigInt(recordingId), true);
  return bytes;
}
