/**
 * The archive client's request engine on its own: each `ControlRequests` entry's answer is read as the entry
 * says (typed results, no sentinels), one request is in flight at a time, and close() settles everything and
 * stops the service timer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ControlResponseCode } from '../../codecs/generated/archive/index.ts';
import { ArchiveConnector } from '../../src/archive/archive-connector.ts';
import { ArchiveClosedError, ArchiveError, ArchiveErrorCode } from '../../src/archive/archive-error.ts';
import { ControlRequests } from '../../src/archive/control-requests.ts';
import { ControlSessionEngine } from '../../src/archive/control-session-engine.ts';
import { OfferResult } from '../../src/archive/control-transport.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { resolveReplayParams } from '../../src/archive/replay-params.ts';
import { FakeArchive } from './support/fake-archive.ts';

const REPLAY_REQUEST = 6;
const RECORDING_POSITION_REQUEST = 12;
const STOP_POSITION_REQUEST = 15;
const STOP_REPLICATION_REQUEST = 51;
const STOP_RECORDING_BY_IDENTITY_REQUEST = 65;

const engines: ControlSessionEngine[] = [];

afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  vi.useRealTimers();
});

/** Connects to `fake` by polling the connect state machine (the fake answers at once), then starts an engine. */
function engineOver(fake: FakeArchive): ControlSessionEngine {
  const connector = new ArchiveConnector({
    transport: fake,
    controlRequestChannel: 'aeron:udp?endpoint=localhost:8010',
    controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
    messageTimeoutMs: 5_000,
    idleServiceIntervalMs: 5,
  });
  for (let i = 0; i < 100; i++) {
    const session = connector.poll();
    if (session !== null) {
      const engine = new ControlSessionEngine(
        session.context,
        session.controlResponsePoller,
        session.archiveProxy,
        session.controlSessionId,
      );
      engines.push(engine);
      return engine;
    }
  }
  throw new Error('the fake archive did not connect');
}

describe('ControlSessionEngine', () => {
  it('resolves each request as its ControlRequests entry reads the answer', async () => {
    const fake = new FakeArchive();
    const engine = engineOver(fake);

    await expect(engine.request(ControlRequests.stopRecording, ['aeron:ipc', 10])).resolves.toBeUndefined();

    fake.answers.set(RECORDING_POSITION_REQUEST, 4_096);
    await expect(engine.request(ControlRequests.getRecordingPosition, [1])).resolves.toBe(4_096);

    const replaySessionId = 2n ** 60n + 5n;
    fake.answers.set(REPLAY_REQUEST, replaySessionId);
    const params = resolveReplayParams({});
    await expect(engine.request(ControlRequests.replay, [1, 'aeron:ipc', 20, params])).resolves.toBe(replaySessionId);

    fake.answers.set(STOP_RECORDING_BY_IDENTITY_REQUEST, 0);
    await expect(engine.request(ControlRequests.stopRecordingByIdentity, [1])).resolves.toBe(false);
    fake.answers.set(STOP_RECORDING_BY_IDENTITY_REQUEST, 1);
    await expect(engine.request(ControlRequests.stopRecordingByIdentity, [1])).resolves.toBe(true);
  });

  it("an entry's allowed ERROR resolves its value; any other ERROR rejects with the archive's code", async () => {
    const fake = new FakeArchive();
    const engine = engineOver(fake);
    await expect(engine.request(ControlRequests.tryStopReplication, [9])).resolves.toBe(true);

    fake.errors.set(STOP_REPLICATION_REQUEST, { errorCode: ArchiveErrorCode.UNKNOWN_REPLICATION, message: 'no' });
    await expect(engine.request(ControlRequests.tryStopReplication, [9])).resolves.toBe(false);
    await expect(engine.request(ControlRequests.stopReplication, [9])).rejects.toMatchObject({
      code: 'ARCHIVE_ERROR',
      errorCode: ArchiveErrorCode.UNKNOWN_REPLICATION,
    });

    fake.errors.set(STOP_REPLICATION_REQUEST, { errorCode: ArchiveErrorCode.GENERIC, message: 'busy' });
    await expect(engine.request(ControlRequests.tryStopReplication, [9])).rejects.toBeInstanceOf(ArchiveError);
  });

  it('a listing delivers its descriptors and resolves how many', async () => {
    const fake = new FakeArchive();
    fake.recordings.push(
      { recordingId: 0, streamId: 10, channel: 'aeron:ipc' },
      { recordingId: 1, streamId: 10, channel: 'aeron:ipc' },
    );
    const engine = engineOver(fake);
    const seen: RecordingDescriptor[] = [];
    const count = await engine.list(ControlRequests.listRecordings, [0, 10], 10, (d) => seen.push(d));
    expect(count).toBe(2);
    expect(seen.map((d) => d.recordingId)).toEqual([0, 1]);
  });

  it('sends one request at a time, in the order asked', async () => {
    const fake = new FakeArchive();
    const engine = engineOver(fake);
    fake.silent.add(RECORDING_POSITION_REQUEST);
    const first = engine.request(ControlRequests.getRecordingPosition, [1]);
    const second = engine.request(ControlRequests.getStopPosition, [1]);
    await vi.waitFor(() => expect(fake.lastRequest().name).toBe('RecordingPositionRequest'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.requestsNamed('StopPositionRequest')).toHaveLength(0);

    fake.answers.set(STOP_POSITION_REQUEST, 64);
    fake.sendResponse(engine.lastCorrelationId(), ControlResponseCode.OK, 32);
    await expect(first).resolves.toBe(32);
    await expect(second).resolves.toBe(64);
  });

  it('a request the publication does not take is settled with "failed to send", and the next one goes on', async () => {
    const fake = new FakeArchive();
    const engine = engineOver(fake);
    fake.publications[0]?.scriptedResults.push(
      OfferResult.BACK_PRESSURED,
      OfferResult.BACK_PRESSURED,
      OfferResult.BACK_PRESSURED,
    );
    await expect(engine.request(ControlRequests.stopReplication, [3])).rejects.toThrow(
      'failed to send stop replication request',
    );
    await expect(engine.request(ControlRequests.stopReplication, [3])).resolves.toBeUndefined();
  });

  it('offers a request outside the queue without waiting for its answer; not once closed', () => {
    const fake = new FakeArchive();
    const engine = engineOver(fake);
    expect(engine.offerWithoutAnswer(ControlRequests.stopReplay, [2n ** 62n])).toBe(true);
    expect(fake.lastRequest()).toMatchObject({ name: 'StopReplayRequest' });
    engine.close();
    expect(engine.offerWithoutAnswer(ControlRequests.stopReplay, [1n])).toBe(false);
  });

  it('close() rejects in-flight and queued calls with ArchiveClosedError and stops the service timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const fake = new FakeArchive();
    const engine = engineOver(fake);
    expect(vi.getTimerCount()).toBe(1);
    fake.silent.add(RECORDING_POSITION_REQUEST);
    const inFlight = engine.request(ControlRequests.getRecordingPosition, [1]);
    const queued = engine.request(ControlRequests.getStopPosition, [1]);
    vi.advanceTimersToNextTimer();
    expect(fake.lastRequest().name).toBe('RecordingPositionRequest');
    engine.close();
    await expect(inFlight).rejects.toBeInstanceOf(ArchiveClosedError);
    await expect(queued).rejects.toBeInstanceOf(ArchiveClosedError);
    expect(vi.getTimerCount()).toBe(0);
    expect(engine.state()).toBe('CLOSED');
    await expect(engine.request(ControlRequests.getStopPosition, [1])).rejects.toBeInstanceOf(ArchiveClosedError);
  });
});
