import { describe, expect, it } from 'vitest';
import { RecordingSignal } from '../../codecs/generated/archive/index.ts';
import {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveErrorCode,
  ArchiveNotConnectedError,
  ArchiveTimeoutError,
} from '../../src/archive/archive-error.ts';
import type { RecordingDescriptor, RecordingSubscriptionDescriptor } from '../../src/archive/recording-descriptor.ts';
import type { RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { awaitCondition } from '../support/wait.ts';
import { connectFake } from './support/connect.ts';
import type { FakeArchive, MemoryPublication } from './support/fake-archive.ts';

/** The deadline of a wait on the in-memory fake archive (it answers at once). */
const FAKE_WAIT_MS = 5_000;

const recordings = (fake: FakeArchive, n: number) => {
  for (let i = 0; i < n; i++)
    fake.recordings.push({ recordingId: i, streamId: 1000 + (i % 2), channel: `aeron:ipc?alias=r${i}` });
};

describe('archive errors', () => {
  it('an ERROR answer rejects with ArchiveError carrying the archive error code by name', async () => {
    const { fake, archive } = await connectFake();
    fake.errors.set(15, { errorCode: ArchiveErrorCode.UNKNOWN_RECORDING, message: 'unknown recording id: 42' });
    const error = await archive.getStopPosition(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error).toMatchObject({
      code: 'ARCHIVE_ERROR',
      errorCode: 5,
      errorCodeName: 'UNKNOWN_RECORDING',
      correlationId: archive.lastCorrelationId(),
    });
    expect((error as Error).message).toContain('unknown recording id: 42');
    expect(await archive.getRecordingPosition(1)).toBe(0);
  });

  it('try* calls resolve false on their allowed error code and reject on others', async () => {
    const { fake, archive } = await connectFake();
    fake.errors.set(5, { errorCode: ArchiveErrorCode.UNKNOWN_SUBSCRIPTION, message: 'no sub' });
    fake.errors.set(14, { errorCode: ArchiveErrorCode.UNKNOWN_SUBSCRIPTION, message: 'no sub' });
    fake.errors.set(51, { errorCode: ArchiveErrorCode.UNKNOWN_REPLICATION, message: 'no replication' });
    expect(await archive.tryStopRecording('aeron:ipc', 1)).toBe(false);
    expect(await archive.tryStopRecordingBySubscriptionId(5)).toBe(false);
    expect(await archive.tryStopReplication(5)).toBe(false);
    expect(await archive.tryStopRecordingByIdentity(5)).toBe(false);
    fake.errors.set(51, { errorCode: ArchiveErrorCode.GENERIC, message: 'boom' });
    await expect(archive.tryStopReplication(5)).rejects.toMatchObject({ errorCodeName: 'GENERIC' });
  });

  it('ERRORs for other requests go to the errorHandler, or to pollForErrorResponse / checkForErrorResponse', async () => {
    const handled: unknown[] = [];
    const { fake, archive } = await connectFake({}, { errorHandler: (e) => handled.push(e) });
    fake.sendResponse(5, 1, ArchiveErrorCode.MAX_REPLAYS, 'too many replays');
    await awaitCondition('the ERROR at the errorHandler', () => handled.length === 1, FAKE_WAIT_MS);
    expect(handled[0]).toMatchObject({ errorCodeName: 'MAX_REPLAYS', correlationId: 5 });

    const { fake: fake2, archive: archive2 } = await connectFake();
    expect(archive2.pollForErrorResponse()).toBeNull();
    fake2.sendResponse(6, 1, ArchiveErrorCode.STORAGE_SPACE, 'disk full');
    await awaitCondition(
      'the ERROR text from pollForErrorResponse',
      () => archive2.pollForErrorResponse() === 'disk full' || false,
      FAKE_WAIT_MS,
    );
    fake2.sendResponse(7, 1, ArchiveErrorCode.STORAGE_SPACE, 'disk full again');
    let thrown: unknown;
    await awaitCondition(
      'checkForErrorResponse to throw',
      () => {
        try {
          archive2.checkForErrorResponse();
          return false;
        } catch (e) {
          thrown = e;
          return true;
        }
      },
      FAKE_WAIT_MS,
    );
    expect(thrown).toMatchObject({ errorCodeName: 'STORAGE_SPACE', correlationId: 7 });
    expect(archive.state()).toBe('CONNECTED');
  });

  it('pollForErrorResponse returns the text of the ERROR it polls even with an errorHandler set (Java)', async () => {
    const handled: unknown[] = [];
    // The idle service would otherwise consume the ERROR first and pass it to the handler (documented).
    const { fake, archive } = await connectFake(
      {},
      { errorHandler: (e) => handled.push(e), idleServiceIntervalMs: 60_000 },
    );
    fake.sendResponse(8, 1, ArchiveErrorCode.STORAGE_SPACE, 'disk full');
    expect(archive.pollForErrorResponse()).toBe('disk full');
    expect(archive.pollForErrorResponse()).toBeNull();
    expect(handled).toEqual([]);
  });
});

describe('timeouts and aborts', () => {
  it('no answer ends in ArchiveTimeoutError within the message timeout; the client stays usable', async () => {
    const { fake, archive } = await connectFake({}, { messageTimeoutMs: 50 });
    fake.silent.add(12);
    const error = await archive.getRecordingPosition(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveTimeoutError);
    expect(error).toMatchObject({ code: 'ARCHIVE_TIMEOUT', correlationId: archive.lastCorrelationId() });
    fake.silent.clear();
    fake.answers.set(15, 3);
    expect(await archive.getStopPosition(1)).toBe(3);
  });

  it('a per-call deadline rejects with ArchiveTimeoutError', async () => {
    const { fake, archive } = await connectFake();
    fake.silent.add(12);
    await expect(archive.getRecordingPosition(1, { timeoutMs: 20 })).rejects.toBeInstanceOf(ArchiveTimeoutError);
  });

  it('an AbortSignal rejects in-flight, queued and pre-aborted calls with ArchiveAbortedError', async () => {
    const { fake, archive } = await connectFake();
    fake.silent.add(12);
    const controller = new AbortController();
    const inFlight = archive.getRecordingPosition(1, { signal: controller.signal });
    const queued = archive.getRecordingPosition(2, { signal: controller.signal });
    await awaitCondition(
      'the RecordingPositionRequest',
      () => fake.lastRequest().name === 'RecordingPositionRequest',
      FAKE_WAIT_MS,
    );
    controller.abort(new Error('stop'));
    await expect(inFlight).rejects.toBeInstanceOf(ArchiveAbortedError);
    await expect(queued).rejects.toBeInstanceOf(ArchiveAbortedError);
    expect(fake.requestsNamed('RecordingPositionRequest')).toHaveLength(1);
    await expect(archive.getStopPosition(1, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ARCHIVE_ABORTED',
    });
    fake.answers.set(15, 8);
    expect(await archive.getStopPosition(1)).toBe(8);
  });
});

describe('listing', () => {
  it('delivers descriptors to a callback and resolves the count, ending on RECORDING_UNKNOWN', async () => {
    const { fake, archive } = await connectFake();
    recordings(fake, 5);
    const seen: RecordingDescriptor[] = [];
    expect(await archive.listRecordings(2, 10, (d) => seen.push(d))).toBe(3);
    expect(seen.map((d) => d.recordingId)).toEqual([2, 3, 4]);
    expect(seen[0]).toMatchObject({
      controlSessionId: 777,
      correlationId: archive.lastCorrelationId(),
      startTimestamp: 1_700_000_000_002,
      stopTimestamp: -1,
      startPosition: 0,
      stopPosition: -1,
      initialTermId: 7,
      segmentFileLength: 128 * 1024 * 1024,
      termBufferLength: 65536,
      mtuLength: 1408,
      sessionId: 102,
      streamId: 1000,
      strippedChannel: 'aeron:ipc?alias=r2',
      originalChannel: 'aeron:ipc?alias=r2|alias=rec2',
      sourceIdentity: 'aeron:ipc',
    });
    expect(fake.lastRequest().json).toMatchObject({ fromRecordingId: 2, recordCount: 10 });
    expect(await archive.listRecordings(0, 2, () => {})).toBe(2);
  });

  it('lists by URI and a single recording; an unknown recording lists 0', async () => {
    const { fake, archive } = await connectFake();
    recordings(fake, 4);
    const ids: number[] = [];
    expect(await archive.listRecordingsForUri(0, 10, 'alias=r', 1001, (d) => ids.push(d.recordingId))).toBe(2);
    expect(ids).toEqual([1, 3]);
    expect(fake.lastRequest().json).toMatchObject({
      fromRecordingId: 0,
      recordCount: 10,
      streamId: 1001,
      channel: 'alias=r',
    });
    expect(await archive.listRecording(3, (d) => ids.push(d.recordingId))).toBe(1);
    expect(await archive.listRecording(99, () => {})).toBe(0);
    expect(fake.lastRequest()).toMatchObject({ name: 'ListRecordingRequest', json: { recordingId: 99 } });
  });

  it('lists as an async iterator, and a listing ERROR is thrown from it', async () => {
    const { fake, archive } = await connectFake();
    recordings(fake, 3);
    const ids: number[] = [];
    for await (const d of archive.recordings(0, 100)) ids.push(d.recordingId);
    expect(ids).toEqual([0, 1, 2]);
    fake.errors.set(8, { errorCode: ArchiveErrorCode.ACTIVE_LISTING, message: 'active listing already in progress' });
    const iterate = async () => {
      for await (const _ of archive.recordings(0, 100)) {
        /* none */
      }
    };
    await expect(iterate()).rejects.toMatchObject({ errorCodeName: 'ACTIVE_LISTING' });
  });

  it('lists recording subscriptions, ending on SUBSCRIPTION_UNKNOWN', async () => {
    const { fake, archive } = await connectFake();
    fake.recordingSubscriptions.push(
      { subscriptionId: 50, streamId: 1, channel: 'aeron:ipc' },
      { subscriptionId: 51, streamId: 2, channel: 'aeron:udp?endpoint=localhost:1' },
      { subscriptionId: 52, streamId: 1, channel: 'aeron:udp?endpoint=localhost:2' },
    );
    const seen: RecordingSubscriptionDescriptor[] = [];
    expect(await archive.listRecordingSubscriptions(0, 10, 'aeron', 1, true, (d) => seen.push(d))).toBe(2);
    expect(seen.map((d) => d.subscriptionId)).toEqual([50, 52]);
    expect(seen[1]).toEqual({
      controlSessionId: 777,
      correlationId: archive.lastCorrelationId(),
      subscriptionId: 52,
      streamId: 1,
      strippedChannel: 'aeron:udp?endpoint=localhost:2',
    });
    expect(fake.lastRequest().json).toMatchObject({
      pseudoIndex: 0,
      subscriptionCount: 10,
      applyStreamId: 'TRUE',
      streamId: 1,
      channel: 'aeron',
    });
    const all: number[] = [];
    for await (const d of archive.recordingSubscriptions(0, 10, '', 0, false)) all.push(d.subscriptionId);
    expect(all).toEqual([50, 51, 52]);
  });
});

describe('recording signals', () => {
  it('are delivered to the consumer and the async iterator, while idle and during calls', async () => {
    const consumed: RecordingSignalEvent[] = [];
    const { fake, archive } = await connectFake({}, { recordingSignalConsumer: (e) => consumed.push(e) });
    const iterator = archive.recordingSignals();
    fake.sendSignal(1, 3, 50, 0, RecordingSignal.START);
    await awaitCondition('the START signal at the consumer', () => consumed.length === 1, FAKE_WAIT_MS);
    const first = await iterator.next();
    expect(first.value).toEqual({
      controlSessionId: 777,
      correlationId: 1,
      recordingId: 3,
      subscriptionId: 50,
      position: 0,
      signal: RecordingSignal.START,
      signalName: 'START',
    });
    // A signal queued ahead of a response is dispatched while the call waits.
    fake.sendSignal(2, 3, 50, 4096, RecordingSignal.STOP);
    fake.answers.set(15, 4096);
    expect(await archive.getStopPosition(3)).toBe(4096);
    expect(consumed.map((e) => e.signalName)).toEqual(['START', 'STOP']);
    expect((await iterator.next()).value).toMatchObject({ signalName: 'STOP', position: 4096 });
    await iterator.return?.();
  });

  it('pollForRecordingSignals dispatches a waiting signal and counts it', async () => {
    const consumed: RecordingSignalEvent[] = [];
    const { fake, archive } = await connectFake(
      {},
      {
        recordingSignalConsumer: (e) => consumed.push(e),
        idleServiceIntervalMs: 60_000,
      },
    );
    fake.sendSignal(1, 9, 51, 128, RecordingSignal.REPLICATE_END);
    expect(archive.pollForRecordingSignals()).toBe(1);
    expect(consumed[0]?.signalName).toBe('REPLICATE_END');
    expect(archive.pollForRecordingSignals()).toBe(0);
  });
});

describe('offers and connection loss', () => {
  it('retries back pressure up to messageRetryAttempts, then fails with "failed to send"', async () => {
    const { fake, archive } = await connectFake();
    const publication = fake.publications[0] as MemoryPublication;
    fake.answers.set(12, 1);
    publication.scriptedResults.push(-2, -3);
    expect(await archive.getRecordingPosition(1)).toBe(1);
    publication.scriptedResults.push(-2, -2, -2);
    const error = await archive.getRecordingPosition(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toBe('failed to send get recording position request');
    publication.scriptedResults.push(-1);
    await expect(archive.getRecordingPosition(1)).rejects.toBeInstanceOf(ArchiveNotConnectedError);
  });

  it('a lost response stream rejects the call with ArchiveNotConnectedError and marks the client DISCONNECTED', async () => {
    const { fake, archive } = await connectFake();
    fake.silent.add(12);
    const pending = archive.getRecordingPosition(1);
    await awaitCondition(
      'the RecordingPositionRequest',
      () => fake.lastRequest().name === 'RecordingPositionRequest',
      FAKE_WAIT_MS,
    );
    fake.responses.connected = false;
    await expect(pending).rejects.toBeInstanceOf(ArchiveNotConnectedError);
    expect(archive.state()).toBe('DISCONNECTED');
    expect(archive.pollForErrorResponse()).toBe('not connected');
  });
});

describe('close', () => {
  it('rejects pending calls with ArchiveClosedError, sends CloseSessionRequest and closes channels (the service timer: control-session-engine.test)', async () => {
    const { fake, archive } = await connectFake();
    fake.silent.add(12);
    const iterator = archive.recordingSignals();
    const inFlight = archive.getRecordingPosition(1);
    const queued = archive.getStopPosition(1);
    await awaitCondition(
      'the RecordingPositionRequest',
      () => fake.lastRequest().name === 'RecordingPositionRequest',
      FAKE_WAIT_MS,
    );
    archive.close();
    await expect(inFlight).rejects.toBeInstanceOf(ArchiveClosedError);
    await expect(queued).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(fake.lastRequest()).toMatchObject({ name: 'CloseSessionRequest', json: { controlSessionId: 777 } });
    expect(fake.publications[0]?.closed).toBe(true);
    expect(fake.subscriptions[0]?.closed).toBe(true);
    expect(archive.state()).toBe('CLOSED');
    await expect(archive.getStopPosition(1)).rejects.toBeInstanceOf(ArchiveClosedError);
    expect(() => archive.pollForErrorResponse()).toThrow(ArchiveClosedError);
    archive.close();
    expect(fake.requestsNamed('CloseSessionRequest')).toHaveLength(1);
  });
});
