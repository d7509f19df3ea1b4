/**
 * Each AeronArchive operation against the real ArchivingMediaDriver (pinned 1.51.0), on its success path and a
 * typed error path: positions, listings, signals START/STOP/EXTEND/DELETE, truncate/purge, segment
 * detach/delete/attach/purge/migrate, bounded replay, max concurrent replays, recorded publications, recording
 * events. Archive settings: 128 KiB segment files, at most 1 concurrent replay, recording events on.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { type AeronArchive, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { RecordingDescriptor, RecordingSubscriptionDescriptor } from '../../src/archive/recording-descriptor.ts';
import { type RecordingEvent, recordingEvents } from '../../src/archive/recording-events-adapter.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition } from '../support/wait.ts';
import { awaitRecorded, awaitSignal, connectLocalArchive, publishFilled, receive } from './support/archive-interop.ts';

const SEGMENT = 128 * 1024;
const TERM = 64 * 1024;
const CHANNEL = `aeron:ipc?term-length=${TERM}`;

describeInterop('AeronArchive operations against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  const signals: RecordingSignalEvent[] = [];
  let nextStreamId = 2000;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      recordingEvents: true,
      properties: {
        'aeron.archive.segment.file.length': String(SEGMENT),
        'aeron.archive.max.concurrent.replays': '1',
      },
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await connectLocalArchive(aeron, driver, { recordingSignalConsumer: (s) => signals.push(s) });
  }, 60_000);

  afterAll(() => releaseAll(archive, aeron, driver), 30_000);

  /** A stopped recording of `count` messages of `length` bytes on a fresh stream. */
  async function makeRecording(count: number, length: number) {
    const streamId = nextStreamId++;
    const from = signals.length;
    const publication = await archive.addRecordedExclusivePublication(CHANNEL, streamId);
    const start = await awaitSignal(signals, RecordingSignal.START, await recordingIdOf(streamId, from), from);
    const position = await publishFilled(publication, count, length);
    await awaitRecorded(archive, start.recordingId, position);
    await archive.stopRecordingPublication(publication);
    await awaitSignal(signals, RecordingSignal.STOP, start.recordingId, from);
    publication.close();
    return { recordingId: start.recordingId, streamId, position };
  }

  async function recordingIdOf(streamId: number, from: number): Promise<number> {
    let id = -1;
    await awaitCondition(`START for stream ${streamId}`, () => {
      const s = signals.slice(from).find((e) => e.signal === RecordingSignal.START);
      if (s !== undefined) id = s.recordingId;
      return s !== undefined;
    });
    return id;
  }

  function expectArchiveError(error: unknown, codeName: string): void {
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).errorCodeName).toBe(codeName);
  }

  it('answers unknown recording ids with ArchiveError UNKNOWN_RECORDING', async () => {
    const unknown = 987_654;
    for (const call of [
      () => archive.getStopPosition(unknown),
      () => archive.getStartPosition(unknown),
      () => archive.getMaxRecordedPosition(unknown),
      () => archive.truncateRecording(unknown, 0),
      () => archive.purgeRecording(unknown),
      () => archive.startReplay(unknown, 0, -1, 'aeron:ipc', 3000),
    ]) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expectArchiveError(error, 'UNKNOWN_RECORDING');
    }
    expect(archive.state()).toBe('CONNECTED');
    expect(await archive.listRecording(unknown, () => {})).toBe(0);
  }, 60_000);

  it('records a publication, reports positions, lists recordings and subscriptions, and finds the last match', async () => {
    const streamId = nextStreamId++;
    const from = signals.length;
    const subscriptionId = await archive.startRecording(CHANNEL, streamId, SourceLocation.LOCAL);
    const subscriptions: RecordingSubscriptionDescriptor[] = [];
    await archive.listRecordingSubscriptions(0, 10, 'ipc', streamId, true, (d) => subscriptions.push(d));
    expect(subscriptions.map((d) => d.subscriptionId)).toContain(subscriptionId);

    const publication = await aeron.addExclusivePublication(CHANNEL, streamId);
    const start = await awaitSignal(signals, RecordingSignal.START, await recordingIdOf(streamId, from), from);
    expect(start.subscriptionId).toBe(subscriptionId);
    const recordingId = start.recordingId;
    const position = await publishFilled(publication, 10, 1000);
    await awaitRecorded(archive, recordingId, position);
    expect(await archive.getStopPosition(recordingId)).toBe(-1);
    expect(await archive.getRecordingPosition(recordingId)).toBe(position);
    expect(await archive.findLastMatchingRecording(0, 'ipc', streamId, publication.sessionId)).toBe(recordingId);

    const active = await archive.truncateRecording(recordingId, 0).then(
      () => null,
      (e: unknown) => e,
    );
    expectArchiveError(active, 'ACTIVE_RECORDING');

    expect(await archive.tryStopRecordingByIdentity(recordingId)).toBe(true);
    await awaitSignal(signals, RecordingSignal.STOP, recordingId, from);
    expect(await archive.tryStopRecordingByIdentity(recordingId)).toBe(false);
    expect(await archive.tryStopRecordingBySubscriptionId(subscriptionId)).toBe(false);
    expect(await archive.getStopPosition(recordingId)).toBe(position);
    expect(await archive.getMaxRecordedPosition(recordingId)).toBe(position);
    expect(await archive.getRecordingPosition(recordingId)).toBe(-1);

    const listed: RecordingDescriptor[] = [];
    for await (const d of archive.recordingsForUri(0, 100, 'ipc', streamId)) listed.push(d);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ recordingId, startPosition: 0, stopPosition: position, streamId });
    publication.close();
  }, 60_000);

  it('extends a stopped recording (EXTEND signal) and replays across both parts', async () => {
    const { recordingId, streamId, position } = await makeRecording(5, 200);
    const descriptor: RecordingDescriptor[] = [];
    await archive.listRecording(recordingId, (d) => descriptor.push(d));
    const d = descriptor[0] as RecordingDescriptor;
    const from = signals.length;
    // A publication that continues exactly where the recording stopped (a new session: the old one lingers).
    const continuing =
      `${CHANNEL}|init-term-id=${d.initialTermId}|term-id=${d.initialTermId}|term-offset=${position}` +
      `|session-id=${d.sessionId + 1}`;
    const extendId = await archive.extendRecording(recordingId, CHANNEL, streamId, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(continuing, streamId);
    const extend = await awaitSignal(signals, RecordingSignal.EXTEND, recordingId, from);
    expect(extend.position).toBe(position);
    const end = await publishFilled(publication, 5, 200);
    await awaitRecorded(archive, recordingId, end);
    await archive.stopRecordingBySubscriptionId(extendId);
    await awaitSignal(signals, RecordingSignal.STOP, recordingId, from);
    publication.close();
    expect(await archive.getStopPosition(recordingId)).toBe(end);
    const replay = await archive.replay(recordingId, 'aeron:ipc', 3001, { position: 0, length: end });
    const messages = await receive(replay, 10);
    expect(messages.map((m) => m[0])).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    replay.close();
  }, 60_000);

  it('rejects a replay past the stop position', async () => {
    const { recordingId, position } = await makeRecording(3, 100);
    const error = await archive.startReplay(recordingId, position + 4096, 1024, 'aeron:ipc', 3002).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).message).toMatch(/position/);
  }, 60_000);

  it('truncates and purges a stopped recording (DELETE signal)', async () => {
    const { recordingId, position } = await makeRecording(4, 1000);
    const half = position / 2;
    await archive.truncateRecording(recordingId, half);
    expect(await archive.getStopPosition(recordingId)).toBe(half);
    const from = signals.length;
    await archive.purgeRecording(recordingId);
    await awaitSignal(signals, RecordingSignal.DELETE, recordingId, from);
    expect(await archive.listRecording(recordingId, () => {})).toBe(0);
  }, 60_000);

  it('detaches, re-attaches, detaches and deletes, and purges segments', async () => {
    const { recordingId, position } = await makeRecording(50, 8 * 1024 - 32);
    expect(position).toBeGreaterThan(3 * SEGMENT);
    const invalid = await archive.detachSegments(recordingId, SEGMENT + 1).then(
      () => null,
      (e: unknown) => e,
    );
    expect(invalid).toBeInstanceOf(ArchiveError);
    await archive.detachSegments(recordingId, SEGMENT);
    expect(await archive.getStartPosition(recordingId)).toBe(SEGMENT);
    expect(await archive.attachSegments(recordingId)).toBe(1);
    expect(await archive.getStartPosition(recordingId)).toBe(0);
    await archive.detachSegments(recordingId, SEGMENT);
    expect(await archive.deleteDetachedSegments(recordingId)).toBe(1);
    expect(await archive.attachSegments(recordingId)).toBe(0);
    expect(await archive.purgeSegments(recordingId, 2 * SEGMENT)).toBe(1);
    expect(await archive.getStartPosition(recordingId)).toBe(2 * SEGMENT);
    const replay = await archive.replay(recordingId, 'aeron:ipc', 3003, { position: 2 * SEGMENT, length: -2 });
    const expected = Math.ceil((position - 2 * SEGMENT) / (8 * 1024)) - 1;
    expect((await receive(replay, expected)).length).toBeGreaterThanOrEqual(expected);
    replay.close();
  }, 90_000);

  it('bounds a replay by a limit counter and refuses a second concurrent replay (MAX_REPLAYS)', async () => {
    const { recordingId, position } = await makeRecording(8, 1000);
    const limit = await aeron.addCounter(1001, 'replay limit');
    const perMessage = position / 8;
    limit.set(3 * perMessage);
    const replay = await archive.replay(recordingId, 'aeron:ipc', 3004, {
      position: 0,
      length: position,
      boundingLimitCounterId: limit.id,
    });
    const messages = await receive(replay, 3);
    expect(messages).toHaveLength(3);
    // The replay waits at the limit: nothing more arrives while the counter stays put, and a second replay
    // exceeds aeron.archive.max.concurrent.replays=1.
    const second = await archive.startReplay(recordingId, 0, position, 'aeron:ipc', 3005).then(
      () => null,
      (e: unknown) => e,
    );
    expectArchiveError(second, 'MAX_REPLAYS');
    let extra = 0;
    for (let i = 0; i < 50; i++) extra += replay.poll(() => {}, 10);
    expect(extra).toBe(0);
    limit.set(position);
    expect(await receive(replay, 5)).toHaveLength(5);
    replay.close();
    limit.close();
    await archive.stopAllReplays(recordingId);
  }, 60_000);

  it('publishes recording events (started, progress, stopped) on the events channel', async () => {
    const channel = driver.recordingEventsChannel as string;
    const events = await aeron.addSubscription(channel, driver.recordingEventsStreamId as number);
    await awaitCondition('recording events connection', () => events.isConnected());
    const iterator = recordingEvents(events);
    const { recordingId, position } = await makeRecording(3, 500);
    const seen: RecordingEvent[] = [];
    for await (const event of iterator) {
      if (event.recordingId !== recordingId) continue;
      seen.push(event);
      if (event.type === 'stopped') break;
    }
    expect(seen[0]).toMatchObject({ type: 'started', recordingId, startPosition: 0 });
    expect(seen.at(-1)).toMatchObject({ type: 'stopped', recordingId, stopPosition: position });
    events.close();
  }, 60_000);

  it('updates the channel of a stopped recording', async () => {
    const { recordingId } = await makeRecording(2, 100);
    const renamed = `${CHANNEL}|alias=renamed-by-test`;
    await archive.updateChannel(recordingId, renamed);
    const found: RecordingDescriptor[] = [];
    expect(await archive.listRecording(recordingId, (d) => found.push(d))).toBe(1);
    expect(found[0]?.originalChannel).toBe(renamed);
    const unknown = await archive.updateChannel(987_654, renamed).then(
      () => null,
      (e: unknown) => e,
    );
    // The 1.51.0 archive answers an unknown id here with GENERIC (not UNKNOWN_RECORDING, as other calls do).
    expectArchiveError(unknown, 'GENERIC');
  }, 60_000);

  it('lists through async iterators and delivers signals through one; tryStopRecording says whether it stopped', async () => {
    const signalIterator = archive.recordingSignals();
    const streamId = nextStreamId++;
    const subscriptionId = await archive.startRecording(CHANNEL, streamId, SourceLocation.LOCAL);
    const subscriptions: RecordingSubscriptionDescriptor[] = [];
    for await (const d of archive.recordingSubscriptions(0, 10, 'aeron:ipc', streamId, true)) subscriptions.push(d);
    expect(subscriptions.map((d) => d.subscriptionId)).toEqual([subscriptionId]);
    expect(subscriptions[0]?.streamId).toBe(streamId);

    const publication = await aeron.addExclusivePublication(CHANNEL, streamId);
    const position = await publishFilled(publication, 3, 200);
    let recordingId = -1;
    for await (const signal of signalIterator) {
      if (signal.signal === RecordingSignal.START && signal.subscriptionId === subscriptionId) {
        recordingId = signal.recordingId;
        break;
      }
    }
    expect(recordingId).toBeGreaterThanOrEqual(0);
    await awaitRecorded(archive, recordingId, position);

    expect(await archive.tryStopRecording(CHANNEL, streamId)).toBe(true);
    expect(await archive.tryStopRecording(CHANNEL, streamId)).toBe(false);
    publication.close();

    const listed: RecordingDescriptor[] = [];
    for await (const d of archive.recordings(recordingId, 1)) listed.push(d);
    expect(listed.map((d) => [d.recordingId, d.streamId, d.stopPosition])).toEqual([[recordingId, streamId, position]]);

    // Healthy session: no stray error; polling for signals is allowed while idle.
    expect(() => archive.checkForErrorResponse()).not.toThrow();
    expect(archive.pollForErrorResponse()).toBeNull();
    expect(archive.pollForRecordingSignals()).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('starts a bounded replay by id and a replay with params, subscribed by the replay session id', async () => {
    const { recordingId, position } = await makeRecording(6, 1000);
    const perMessage = position / 6;
    const limit = await aeron.addCounter(1001, 'bounded replay limit');
    limit.set(2 * perMessage);
    const bounded = await archive.startBoundedReplay(recordingId, 0, position, limit.id, 'aeron:ipc', 3006);
    const boundedSubscription = await aeron.addSubscription(
      `aeron:ipc?session-id=${replayImageSessionId(bounded)}`,
      3006,
    );
    expect(await receive(boundedSubscription, 2)).toHaveLength(2);
    let extra = 0;
    for (let i = 0; i < 50; i++) extra += boundedSubscription.poll(() => {}, 10);
    expect(extra).toBe(0);
    await archive.stopReplay(bounded);
    boundedSubscription.close();
    limit.close();

    const withParams = await archive.startReplayWithParams(recordingId, 'aeron:ipc', 3007, {
      position: 3 * perMessage,
      length: 3 * perMessage,
    });
    const subscription = await aeron.addSubscription(`aeron:ipc?session-id=${replayImageSessionId(withParams)}`, 3007);
    const messages = await receive(subscription, 3);
    expect(messages.map((m) => m[0])).toEqual([3, 4, 5]);
    subscription.close();
  }, 60_000);
});
