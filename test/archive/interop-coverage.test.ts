/**
 * The rows of docs/archive-api-coverage.md that no other suite covered against the real ArchivingMediaDriver
 * (pinned 1.51.0): `asyncConnect` driven by `poll()` (with `session-id` pinned), every context option, the typed
 * error path of each stop / extend / replay / segment / replication call, listings that find nothing, and the
 * polling-style classes (`ControlResponsePoller`, `RecordingDescriptorPoller`, `RecordingSubscriptionDescriptorPoller`,
 * `RecordingSignalPoller`, `RecordingEventsAdapter`) used on their own over a second subscription to the session's
 * IPC response stream. Archive settings: 128 KiB segment files, recording events on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ControlResponseCode, SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, driverKind, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import { AeronControlSubscription } from '../../src/archive/aeron-transport.ts';
import { type ArchiveOptions, getChannelParam } from '../../src/archive/archive-context.ts';
import {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveErrorCode,
  ArchiveTimeoutError,
} from '../../src/archive/archive-error.ts';
import { ControlResponsePoller } from '../../src/archive/control-response-poller.ts';
import type { RecordingDescriptor, RecordingSubscriptionDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingDescriptorPoller } from '../../src/archive/recording-descriptor-poller.ts';
import { RecordingEventsAdapter } from '../../src/archive/recording-events-adapter.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { RecordingSignalPoller } from '../../src/archive/recording-signal-poller.ts';
import { RecordingSubscriptionDescriptorPoller } from '../../src/archive/recording-subscription-descriptor-poller.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import { yieldToEventLoop } from '../../src/client/index.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, pollUntil } from '../support/wait.ts';
import { awaitRecorded, awaitSignal, publishFilled, receive } from './support/archive-interop.ts';

const SEGMENT = 128 * 1024;
const TERM = 64 * 1024;
const CHANNEL = `aeron:ipc?term-length=${TERM}`;
const UNKNOWN = 987_654;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function expectCode(error: unknown, codeName: string): ArchiveError {
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).errorCodeName).toBe(codeName);
  return error as ArchiveError;
}

describeInterop('AeronArchive API coverage against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  const signals: RecordingSignalEvent[] = [];
  let nextStreamId = 4000;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      readyTimeoutMs: 120_000,
      recordingEvents: true,
      properties: { 'aeron.archive.segment.file.length': String(SEGMENT) },
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await AeronArchive.connect(local({ recordingSignalConsumer: (s) => signals.push(s) }));
  }, 180_000);

  afterAll(() => releaseAll(archive, aeron, driver), 30_000);

  function udp(extra: Partial<ArchiveOptions> = {}): ArchiveOptions {
    return {
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
      ...extra,
    };
  }

  function local(extra: Partial<ArchiveOptions> = {}): ArchiveOptions {
    return {
      aeron,
      controlRequestChannel: driver.localControlChannel,
      controlRequestStreamId: driver.localControlStreamId,
      controlResponseChannel: 'aeron:ipc',
      ...extra,
    };
  }

  /** An active recording (publication still open) of `count` messages on a fresh stream. */
  async function startRecorded(count: number, length: number) {
    const streamId = nextStreamId++;
    const from = signals.length;
    const publication = await archive.addRecordedExclusivePublication(CHANNEL, streamId);
    let start: RecordingSignalEvent | undefined;
    await awaitCondition(`START for stream ${streamId}`, () => {
      start = signals.slice(from).find((s) => s.signal === RecordingSignal.START);
      return start !== undefined;
    });
    const recordingId = (start as RecordingSignalEvent).recordingId;
    const position = await publishFilled(publication, count, length);
    await awaitRecorded(archive, recordingId, position);
    return { recordingId, streamId, position, publication, from };
  }

  /** A stopped recording of `count` messages. */
  async function makeRecording(count: number, length: number) {
    const r = await startRecorded(count, length);
    await archive.stopRecordingPublication(r.publication);
    await awaitSignal(signals, RecordingSignal.STOP, r.recordingId, r.from);
    r.publication.close();
    return r;
  }

  /** A second subscription to this session's IPC response stream (sees what the archive sends from now on). */
  async function tapResponses(): Promise<Subscription> {
    const tap = await aeron.addSubscription(
      archive.context.controlResponseChannel,
      archive.context.controlResponseStreamId,
    );
    await awaitCondition('tap on the control response stream', () => tap.isConnected());
    return tap;
  }

  // ---------------------------------------------------------------- connect and context

  it('asyncConnect(options) with an Aeron client pins session-id on both control channels and connects by poll()', async () => {
    for (const [name, options] of [
      ['udp', { controlRequestChannel: driver.controlChannel, controlRequestStreamId: driver.controlStreamId }],
      [
        'ipc',
        { controlRequestChannel: driver.localControlChannel, controlRequestStreamId: driver.localControlStreamId },
      ],
    ] as const) {
      const asyncConnect = AeronArchive.asyncConnect({
        aeron,
        ...options,
        controlResponseChannel: name === 'udp' ? driver.responseChannel : 'aeron:ipc',
      });
      let connected: AeronArchive | null = null;
      await pollUntil(
        `asyncConnect over ${name}`,
        () => {
          connected = asyncConnect.poll();
          return 0;
        },
        () => connected !== null,
      );
      const client = connected as unknown as AeronArchive;
      try {
        const sessionId = getChannelParam(client.context.controlRequestChannel, 'session-id');
        expect(sessionId, name).toMatch(/^-?\d+$/);
        expect(getChannelParam(client.context.controlResponseChannel, 'session-id'), name).toBe(sessionId);
        expect(String(client.archiveId)).toBe(driver.archiveId);
        expect(client.state()).toBe('CONNECTED');
        expectCode(await failure(client.getStopPosition(UNKNOWN)), 'UNKNOWN_RECORDING');
      } finally {
        client.close();
      }
      expect(client.state()).toBe('CLOSED');
    }
  }, 90_000);

  it('asyncConnect to a stream no archive serves: poll() throws ArchiveTimeoutError within the message timeout', async () => {
    const asyncConnect = AeronArchive.asyncConnect(local({ controlRequestStreamId: 9_999, messageTimeoutMs: 1_500 }));
    let error: unknown = null;
    const deadline = Date.now() + 30_000;
    while (error === null && Date.now() < deadline) {
      try {
        expect(asyncConnect.poll()).toBeNull();
      } catch (e) {
        error = e;
      }
      await sleep(5);
    }
    expect(error).toBeInstanceOf(ArchiveTimeoutError);
    expect((error as Error).message).toMatch(/Archive connect timeout: step=AWAIT_PUBLICATION_CONNECTED/);
    expect(() => asyncConnect.poll()).toThrow(ArchiveError);
  }, 60_000);

  it('takes every context option: client name, retry attempts, message timeout, term length, MTU, sparse', async () => {
    const client = await AeronArchive.connect(
      udp({
        clientName: 'coverage-client',
        messageRetryAttempts: 5,
        messageTimeoutMs: 20_000,
        controlTermBufferLength: 128 * 1024,
        controlMtuLength: 4096,
        controlTermBufferSparse: false,
      }),
    );
    try {
      const c = client.context;
      expect([c.clientName, c.messageRetryAttempts, c.messageTimeoutMs]).toEqual(['coverage-client', 5, 20_000]);
      for (const channel of [c.controlRequestChannel, c.controlResponseChannel]) {
        expect(getChannelParam(channel, 'term-length')).toBe('131072');
        expect(getChannelParam(channel, 'mtu')).toBe('4096');
        expect(getChannelParam(channel, 'sparse')).toBe('false');
      }
      expectCode(await failure(client.getStartPosition(UNKNOWN)), 'UNKNOWN_RECORDING');
    } finally {
      client.close();
    }
    // Java's defaults when nothing is given.
    const defaults = await AeronArchive.connect(udp());
    try {
      const c = defaults.context;
      expect([c.clientName, c.messageRetryAttempts, c.messageTimeoutMs]).toEqual(['', 3, 10_000]);
      expect(getChannelParam(c.controlRequestChannel, 'term-length')).toBe('65536');
      expect(getChannelParam(c.controlRequestChannel, 'mtu')).toBe('1408');
      expect(getChannelParam(c.controlRequestChannel, 'sparse')).toBe('true');
    } finally {
      defaults.close();
    }
  }, 60_000);

  it('rejects bad context options: a long client name, 0 retry attempts, a term length the driver refuses', async () => {
    expect(await failure(AeronArchive.connect(local({ clientName: 'x'.repeat(101) })))).toBeInstanceOf(ArchiveError);
    expect(await failure(AeronArchive.connect(local({ messageRetryAttempts: 0 })))).toBeInstanceOf(ArchiveError);
    const refused = await failure(AeronArchive.connect(udp({ controlTermBufferLength: 1000 })));
    // The driver's refusal of the control publication, as Java's RegistrationException (not retried: only
    // RESOURCE_TEMPORARILY_UNAVAILABLE is, since 1.52.2).
    expect(refused).toBeInstanceOf(RegistrationError);
    expect((refused as RegistrationError).driverMessage).toMatch(driverKind().facts.termLengthBelowMinimumMessage);
    // The shared client is untouched by the failed connects.
    expect(aeron.isClosed).toBe(false);
    expect(await archive.getRecordingPosition(UNKNOWN).catch((e: unknown) => e)).toBeInstanceOf(ArchiveError);
  }, 60_000);

  it('ownsAeronClient: closing the archive client closes the given Aeron client (default: leaves it open)', async () => {
    const own = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    const client = await AeronArchive.connect({ ...local(), aeron: own, ownsAeronClient: true });
    expect(client.context.ownsAeronClient).toBe(true);
    client.close();
    expect(own.isClosed).toBe(true);

    const shared = await AeronArchive.connect(local());
    expect(shared.context.ownsAeronClient).toBe(false);
    shared.close();
    expect(aeron.isClosed).toBe(false);
  }, 60_000);

  it('errorHandler, checkForErrorResponse and pollForRecordingSignals get the error of a failed replication', async () => {
    const seen: unknown[] = [];
    const withHandler = await AeronArchive.connect(local({ errorHandler: (e) => seen.push(e) }));
    const without = await AeronArchive.connect(local());
    try {
      // The source is this archive itself: the unknown source recording fails after the OK.
      await withHandler.replicate(UNKNOWN, driver.controlStreamId, driver.controlChannel);
      await pollUntil(
        'error handler',
        () => withHandler.pollForRecordingSignals(),
        () => seen.length > 0,
      );
      expectCode(seen[0], 'UNKNOWN_RECORDING');

      const replicationId = await without.taggedReplicate(
        UNKNOWN,
        -1,
        aeron.nextCorrelationId(),
        aeron.nextCorrelationId(),
        driver.controlStreamId,
        driver.controlChannel,
        null,
      );
      let thrown: unknown = null;
      let signalCount = 0;
      await pollUntil(
        'checkForErrorResponse',
        () => {
          try {
            signalCount += without.pollForRecordingSignals();
            without.checkForErrorResponse();
          } catch (e) {
            thrown = e;
          }
          return 0;
        },
        () => thrown !== null,
      );
      const error = expectCode(thrown, 'UNKNOWN_RECORDING');
      expect(error.message).toBe(`unknown src recording id ${UNKNOWN}`);
      expect(error.correlationId).toBe(replicationId);
      expect(signalCount).toBeGreaterThanOrEqual(0);
      expect(without.pollForErrorResponse()).toBeNull();
      expect(await without.tryStopReplication(replicationId)).toBe(false);
      expectCode(await failure(without.stopReplication(replicationId)), 'UNKNOWN_REPLICATION');
    } finally {
      withHandler.close();
      without.close();
    }
  }, 90_000);

  it('pollForErrorResponse returns the text of a failed replication even with an errorHandler set (Java)', async () => {
    const seen: unknown[] = [];
    // No idle service during the test: it would consume the ERROR first and give it to the handler (documented).
    const client = await AeronArchive.connect(
      local({ errorHandler: (e) => seen.push(e), idleServiceIntervalMs: 60_000 }),
    );
    try {
      await client.replicate(UNKNOWN, driver.controlStreamId, driver.controlChannel);
      const signal = AbortSignal.timeout(20_000);
      let text = client.pollForErrorResponse();
      while (text === null) {
        await yieldToEventLoop(signal);
        text = client.pollForErrorResponse();
      }
      expect(text).toBe(`unknown src recording id ${UNKNOWN}`);
      expect(seen).toEqual([]);
    } finally {
      client.close();
    }
  }, 60_000);

  it('awaitRecordingPosition: resolves at the recorded or stop position, else ArchiveTimeoutError / ArchiveAbortedError / ArchiveError', async () => {
    const r = await startRecorded(5, 100);
    const position = await publishFilled(r.publication, 5, 100);
    expect(await archive.awaitRecordingPosition(r.recordingId, position)).toBeGreaterThanOrEqual(position);

    let started = performance.now();
    const timedOut = await failure(archive.awaitRecordingPosition(r.recordingId, position + 1024, { timeoutMs: 300 }));
    expect(timedOut).toBeInstanceOf(ArchiveTimeoutError);
    expect(performance.now() - started).toBeLessThan(2_000);

    const reason = new Error('no longer needed');
    started = performance.now();
    const aborted = await failure(
      archive.awaitRecordingPosition(r.recordingId, position + 1024, { signal: AbortSignal.timeout(100) }),
    );
    expect(aborted).toBeInstanceOf(ArchiveAbortedError);
    expect(performance.now() - started).toBeLessThan(2_000);
    const controller = new AbortController();
    controller.abort(reason);
    expect(
      await failure(archive.awaitRecordingPosition(r.recordingId, position, { signal: controller.signal })),
    ).toMatchObject({ code: 'ARCHIVE_ABORTED', cause: reason });

    // Waited for before the stop, nothing is lost: the stop position is the publication's position.
    const last = await publishFilled(r.publication, 3, 100);
    await archive.awaitRecordingPosition(r.recordingId, last);
    await archive.stopRecordingPublication(r.publication);
    await awaitSignal(signals, RecordingSignal.STOP, r.recordingId, r.from);
    expect(await archive.getStopPosition(r.recordingId)).toBe(last);
    expect(await archive.awaitRecordingPosition(r.recordingId, last)).toBe(last);
    const short = await failure(archive.awaitRecordingPosition(r.recordingId, last + 32));
    expect(short).toMatchObject({ code: 'ARCHIVE_ERROR' });
    expect((short as Error).message).toContain(`stopped at position ${last}`);
    expectCode(await failure(archive.awaitRecordingPosition(UNKNOWN, 0)), 'UNKNOWN_RECORDING');
    r.publication.close();
  }, 60_000);

  it('startReplay(recordingId, channel, streamId, params): the Java form replays the range asked for', async () => {
    const { recordingId, position } = await makeRecording(6, 1000);
    const perMessage = position / 6;
    const replaySessionId = await archive.startReplay(recordingId, 'aeron:ipc', 4106, {
      position: 2 * perMessage,
      length: 2 * perMessage,
    });
    expect(typeof replaySessionId).toBe('bigint');
    const subscription = await aeron.addSubscription(
      `aeron:ipc?session-id=${replayImageSessionId(replaySessionId)}`,
      4106,
    );
    try {
      const messages = await receive(subscription, 2);
      expect(messages.map((m) => m[0])).toEqual([2, 3]);
    } finally {
      subscription.close();
    }
  }, 60_000);

  it('every call rejects with ArchiveAbortedError for an aborted signal and ArchiveClosedError once closed', async () => {
    const client = await AeronArchive.connect(local());
    const aborted = AbortSignal.abort(new Error('not wanted'));
    expect(await failure(client.getStopPosition(0, { signal: aborted }))).toBeInstanceOf(ArchiveAbortedError);
    expect(await failure(client.listRecordings(0, 10, () => {}, { signal: aborted }))).toBeInstanceOf(
      ArchiveAbortedError,
    );
    client.close();
    for (const call of [
      () => client.getStopPosition(0),
      () => client.addRecordedExclusivePublication(CHANNEL, nextStreamId++),
      () => client.addRecordedPublication(CHANNEL, nextStreamId++),
      () => client.replay(0, 'aeron:ipc', 4999),
      () => client.stopAllReplays(-1),
    ]) {
      expect(await failure(call())).toBeInstanceOf(ArchiveClosedError);
    }
  }, 60_000);

  // ---------------------------------------------------------------- recording

  it('stopRecording(channel, stream) and stopRecordingBySubscriptionId: success, then UNKNOWN_SUBSCRIPTION', async () => {
    const streamId = nextStreamId++;
    const subscriptionId = await archive.startRecording(CHANNEL, streamId, SourceLocation.LOCAL, { autoStop: false });
    await archive.stopRecording(CHANNEL, streamId);
    expectCode(await failure(archive.stopRecording(CHANNEL, streamId)), 'UNKNOWN_SUBSCRIPTION');
    expectCode(await failure(archive.stopRecordingBySubscriptionId(subscriptionId)), 'UNKNOWN_SUBSCRIPTION');
    expect(await archive.tryStopRecording(CHANNEL, streamId)).toBe(false);
    expectCode(await failure(archive.tryStopRecordingByIdentity(UNKNOWN)), 'UNKNOWN_RECORDING');
  }, 60_000);

  it('startRecording with autoStop stops the recording when the publication goes (STOP signal, no stopRecording)', async () => {
    const streamId = nextStreamId++;
    const from = signals.length;
    const subscriptionId = await archive.startRecording(CHANNEL, streamId, SourceLocation.LOCAL, { autoStop: true });
    const publication = await aeron.addExclusivePublication(CHANNEL, streamId);
    await awaitCondition('START', () =>
      signals.slice(from).some((s) => s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId),
    );
    const start = signals.slice(from).find((s) => s.signal === RecordingSignal.START) as RecordingSignalEvent;
    const position = await publishFilled(publication, 3, 100);
    await awaitRecorded(archive, start.recordingId, position);
    publication.close();
    await awaitSignal(signals, RecordingSignal.STOP, start.recordingId, from);
    expect(await archive.tryStopRecordingBySubscriptionId(subscriptionId)).toBe(false);
    expect(await archive.getStopPosition(start.recordingId)).toBe(position);
  }, 60_000);

  it('addRecordedPublication / addRecordedExclusivePublication / stopRecordingPublication: success and errors', async () => {
    const streamId = nextStreamId++;
    const from = signals.length;
    const publication = await archive.addRecordedPublication(CHANNEL, streamId);
    await awaitCondition('START', () => signals.slice(from).some((s) => s.signal === RecordingSignal.START));
    // A second add of the same channel and stream is not the original publication: refused, as in Java.
    const again = await failure(archive.addRecordedPublication(CHANNEL, streamId));
    expect(again).toBeInstanceOf(ArchiveError);
    expect((again as Error).message).toMatch(/already added/);
    const position = await publishFilled(publication, 2, 64);
    const recordingId = await archive.findLastMatchingRecording(0, 'aeron:ipc', streamId, publication.sessionId);
    await awaitRecorded(archive, recordingId, position);
    await archive.stopRecordingPublication(publication);
    expectCode(await failure(archive.stopRecordingPublication(publication)), 'UNKNOWN_SUBSCRIPTION');
    publication.close();

    const exclusive = await archive.addRecordedExclusivePublication(CHANNEL, streamId);
    await archive.stopRecordingPublication(exclusive);
    expectCode(await failure(archive.stopRecordingPublication(exclusive)), 'UNKNOWN_SUBSCRIPTION');
    exclusive.close();
  }, 60_000);

  it('extendRecording: UNKNOWN_RECORDING for an unknown id or another stream, ACTIVE_RECORDING while active; updateChannel while active', async () => {
    const active = await startRecorded(2, 100);
    expectCode(
      await failure(archive.extendRecording(UNKNOWN, CHANNEL, active.streamId, SourceLocation.LOCAL)),
      'UNKNOWN_RECORDING',
    );
    expectCode(
      await failure(archive.extendRecording(active.recordingId, CHANNEL, active.streamId + 500, SourceLocation.LOCAL)),
      'UNKNOWN_RECORDING',
    );
    expectCode(
      await failure(archive.extendRecording(active.recordingId, CHANNEL, active.streamId, SourceLocation.LOCAL)),
      'ACTIVE_RECORDING',
    );
    // 1.51.0 updates the channel of an active recording too (no ACTIVE_RECORDING check).
    await archive.updateChannel(active.recordingId, `${CHANNEL}|alias=while-active`);
    const listed: RecordingDescriptor[] = [];
    await archive.listRecording(active.recordingId, (d) => listed.push(d));
    expect(listed[0]?.originalChannel).toBe(`${CHANNEL}|alias=while-active`);
    await archive.stopRecordingPublication(active.publication);
    active.publication.close();
  }, 60_000);

  it('extendRecording with an image that does not continue the recording: INVALID_EXTENSION for the extend request', async () => {
    const { recordingId, streamId } = await makeRecording(2, 100);
    // ExtendRecordingRequest2 (autoStop): its error path is the same as the plain request's.
    const extendId = await archive.extendRecording(recordingId, CHANNEL, streamId, SourceLocation.LOCAL, {
      autoStop: true,
    });
    const extendCorrelationId = archive.lastCorrelationId();
    // A fresh publication with another term length: joins at 0, not at the stop position, and its terms differ.
    const publication = await aeron.addExclusivePublication(`aeron:ipc?term-length=${2 * TERM}`, streamId);
    let thrown: unknown = null;
    await pollUntil(
      'INVALID_EXTENSION',
      () => {
        try {
          archive.checkForErrorResponse();
        } catch (e) {
          thrown = e;
        }
        return 0;
      },
      () => thrown !== null,
    );
    const error = expectCode(thrown, 'INVALID_EXTENSION');
    expect(error.correlationId).toBe(extendCorrelationId);
    expect(error.message).toMatch(/cannot extend recording/);
    publication.close();
    await archive.tryStopRecordingBySubscriptionId(extendId);
  }, 60_000);

  // ---------------------------------------------------------------- replay

  it('replay calls: UNKNOWN_RECORDING for startReplayWithParams, startBoundedReplay and a response-channel replay', async () => {
    expectCode(
      await failure(archive.startReplayWithParams(UNKNOWN, 'aeron:ipc', 4101, { position: 0 })),
      'UNKNOWN_RECORDING',
    );
    const limit = await aeron.addCounter(1001, 'coverage limit');
    try {
      expectCode(
        await failure(archive.startBoundedReplay(UNKNOWN, 0, -1, limit.id, 'aeron:ipc', 4102)),
        'UNKNOWN_RECORDING',
      );
    } finally {
      limit.close();
    }
    // The 1.51.0 archive hands out a replay token for any recording id; the replay itself is refused.
    expect(typeof (await archive.requestReplayToken(UNKNOWN))).toBe('bigint');
    const overUdp = await AeronArchive.connect(udp());
    try {
      const channel = `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
      expectCode(await failure(overUdp.replay(UNKNOWN, channel, 4103)), 'UNKNOWN_RECORDING');
    } finally {
      overUdp.close();
    }
  }, 60_000);

  it('stopReplay / stopAllReplays: stop a running replay; an unknown replay session is answered OK (1.51.0)', async () => {
    const { recordingId, position } = await makeRecording(4, 1000);
    const limit = await aeron.addCounter(1001, 'hold the replay');
    limit.set(0);
    const replaySessionId = await archive.startBoundedReplay(recordingId, 0, position, limit.id, 'aeron:ipc', 4104);
    const replay = await aeron.addSubscription(`aeron:ipc?session-id=${replayImageSessionId(replaySessionId)}`, 4104);
    await awaitCondition('replay image', () => replay.isConnected());
    await archive.stopReplay(replaySessionId);
    await awaitCondition('replay image gone after stopReplay', () => !replay.isConnected());
    await archive.stopReplay(replaySessionId);
    await archive.stopReplay(BigInt(UNKNOWN));

    const second = await archive.startBoundedReplay(recordingId, 0, position, limit.id, 'aeron:ipc', 4105);
    const replay2 = await aeron.addSubscription(`aeron:ipc?session-id=${replayImageSessionId(second)}`, 4105);
    await awaitCondition('second replay image', () => replay2.isConnected());
    await archive.stopAllReplays(UNKNOWN);
    await archive.stopAllReplays(recordingId);
    await awaitCondition('replay image gone after stopAllReplays', () => !replay2.isConnected());
    await archive.stopAllReplays(-1);
    replay.close();
    replay2.close();
    limit.close();
  }, 60_000);

  it('replay with image handlers (Java replay(..., availableImageHandler, unavailableImageHandler))', async () => {
    const { recordingId, position } = await makeRecording(3, 256);
    let available = 0;
    let unavailable = 0;
    const replay = await archive.replay(
      recordingId,
      'aeron:ipc',
      4106,
      { position: 0, length: position },
      { availableImageHandler: () => available++, unavailableImageHandler: () => unavailable++ },
    );
    const received = await receive(replay, 3);
    expect(received.map((m) => m[0])).toEqual([0, 1, 2]);
    await awaitCondition('image handlers called once each', () => available === 1 && unavailable === 1);
    replay.close();
  }, 60_000);

  it('replicate with every ReplicationParams field into this same archive; replay with fileIoMaxLength', async () => {
    const { recordingId, position } = await makeRecording(6, 1000);
    const perMessage = position / 6;
    const from = signals.length;
    const replicationSessionId = 0x5eed;
    const replicationId = await archive.replicate(recordingId, driver.controlStreamId, driver.controlChannel, {
      stopPosition: 4 * perMessage,
      replicationChannel: `aeron:udp?endpoint=localhost:${await freeUdpPort()}`,
      fileIoMaxLength: 4096,
      replicationSessionId,
      channelTagId: aeron.nextCorrelationId(),
      subscriptionTagId: aeron.nextCorrelationId(),
    });
    let replica = -1;
    await awaitCondition('REPLICATE', () => {
      const s = signals
        .slice(from)
        .find((e) => e.signal === RecordingSignal.REPLICATE && e.correlationId === replicationId);
      if (s !== undefined) replica = s.recordingId;
      return s !== undefined;
    });
    await awaitCondition('REPLICATE_END', () =>
      signals.slice(from).some((e) => e.signal === RecordingSignal.REPLICATE_END && e.correlationId === replicationId),
    );
    expect(replica).not.toBe(recordingId);
    expect(await archive.getStopPosition(replica)).toBe(4 * perMessage);
    const listed: RecordingDescriptor[] = [];
    await archive.listRecording(replica, (d) => listed.push(d));
    expect(listed[0]?.sessionId).toBe(replicationSessionId);

    const replay = await archive.replay(replica, 'aeron:ipc', 4107, { position: 0, fileIoMaxLength: 4096 });
    expect((await receive(replay, 4)).map((m) => m[0])).toEqual([0, 1, 2, 3]);
    replay.close();
  }, 90_000);

  it('replicate with srcResponseChannel: the replication talks to the source over a control-mode=response channel', async () => {
    const { recordingId, position } = await makeRecording(3, 500);
    const from = signals.length;
    const replicationId = await archive.replicate(recordingId, driver.controlStreamId, driver.controlChannel, {
      srcResponseChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
    });
    const ofThis = (e: RecordingSignalEvent, signal: number) =>
      e.signal === signal && e.correlationId === replicationId;
    await awaitCondition('REPLICATE_END', () =>
      signals.slice(from).some((e) => ofThis(e, RecordingSignal.REPLICATE_END)),
    );
    const replicate = signals.slice(from).find((e) => ofThis(e, RecordingSignal.REPLICATE)) as RecordingSignalEvent;
    expect(await archive.getStopPosition(replicate.recordingId)).toBe(position);
    expect(archive.pollForErrorResponse()).toBeNull();
  }, 90_000);

  // ---------------------------------------------------------------- listing

  it('listings and lookups that match nothing answer 0 / -1 / an empty iterator, as Java (no error)', async () => {
    const { recordingId, streamId } = await makeRecording(1, 64);
    const all: RecordingDescriptor[] = [];
    expect(await archive.listRecordings(recordingId, 5, (d) => all.push(d))).toBe(1);
    expect(all[0]).toMatchObject({ recordingId, streamId, segmentFileLength: SEGMENT, termBufferLength: TERM });
    expect(await archive.listRecordings(UNKNOWN, 5, () => {})).toBe(0);
    expect(await archive.listRecordingsForUri(0, 100, 'no-such-channel', streamId, () => {})).toBe(0);
    expect(await archive.listRecordingSubscriptions(0, 10, 'no-such-channel', 1, true, () => {})).toBe(0);
    expect(await archive.findLastMatchingRecording(0, 'no-such-channel', streamId, -1)).toBe(-1);
    const none: RecordingDescriptor[] = [];
    for await (const d of archive.recordingsForUri(0, 10, 'no-such-channel', streamId)) none.push(d);
    expect(none).toEqual([]);
  }, 60_000);

  // ---------------------------------------------------------------- segments

  it('segmentFileBasePosition gives the detach point; segment calls answer UNKNOWN_RECORDING / refuse bad positions', async () => {
    const { recordingId, position } = await makeRecording(40, 8 * 1024 - 32);
    expect(position).toBeGreaterThan(2 * SEGMENT);
    const descriptor: RecordingDescriptor[] = [];
    await archive.listRecording(recordingId, (d) => descriptor.push(d));
    const d = descriptor[0] as RecordingDescriptor;
    const base = AeronArchive.segmentFileBasePosition(d.startPosition, position, d.termBufferLength, SEGMENT);
    expect(base).toBe(Math.floor(position / SEGMENT) * SEGMENT);
    const middle = AeronArchive.segmentFileBasePosition(d.startPosition, SEGMENT + 4096, d.termBufferLength, SEGMENT);
    expect(middle).toBe(SEGMENT);
    await archive.detachSegments(recordingId, middle);
    expect(await archive.getStartPosition(recordingId)).toBe(SEGMENT);

    expectCode(await failure(archive.deleteDetachedSegments(UNKNOWN)), 'UNKNOWN_RECORDING');
    expectCode(await failure(archive.attachSegments(UNKNOWN)), 'UNKNOWN_RECORDING');
    expectCode(await failure(archive.purgeSegments(UNKNOWN, SEGMENT)), 'UNKNOWN_RECORDING');
    expectCode(await failure(archive.detachSegments(UNKNOWN, SEGMENT)), 'UNKNOWN_RECORDING');
    const unaligned = await failure(archive.purgeSegments(recordingId, 2 * SEGMENT + 32));
    expect(unaligned).toBeInstanceOf(ArchiveError);
    const beyond = await failure(archive.purgeSegments(recordingId, base + SEGMENT));
    expect(beyond).toBeInstanceOf(ArchiveError);
    expect(await archive.getStartPosition(recordingId)).toBe(SEGMENT);
    expect(await archive.purgeSegments(recordingId, 2 * SEGMENT)).toBeGreaterThanOrEqual(1);
    expect(await archive.getStartPosition(recordingId)).toBe(2 * SEGMENT);
  }, 90_000);

  // ---------------------------------------------------------------- polling-style classes

  it('ControlResponsePoller and RecordingSignalPoller read the session stream on their own (OK, ERROR, signals)', async () => {
    const tap = await tapResponses();
    const control = new AeronControlSubscription(tap, archive.context.controlResponseChannel);
    try {
      const responses = new ControlResponsePoller(control);
      const stopPosition = await archive.getStopPosition(UNKNOWN).catch((e: unknown) => e);
      expectCode(stopPosition, 'UNKNOWN_RECORDING');
      const errorCorrelationId = archive.lastCorrelationId();
      await pollUntil(
        'the ERROR response',
        () => responses.poll(),
        () => responses.isPollComplete() && responses.correlationId() === errorCorrelationId,
      );
      expect(responses.controlSessionId()).toBe(archive.controlSessionId);
      expect(responses.code()).toBe(ControlResponseCode.ERROR);
      expect(responses.relevantId()).toBe(ArchiveErrorCode.UNKNOWN_RECORDING);
      expect(responses.errorMessage()).toMatch(/unknown recording id/);

      const signalPoller = new RecordingSignalPoller(archive.controlSessionId, control);
      const { recordingId, position } = await makeRecording(2, 100);
      const seen: number[] = [];
      await pollUntil(
        'START and STOP through RecordingSignalPoller',
        () => signalPoller.poll(),
        () => {
          if (signalPoller.isPollComplete() && signalPoller.recordingId() === recordingId) {
            if (!seen.includes(signalPoller.recordingSignal())) seen.push(signalPoller.recordingSignal());
          }
          return seen.includes(RecordingSignal.STOP);
        },
      );
      expect(seen).toEqual([RecordingSignal.START, RecordingSignal.STOP]);
      expect(signalPoller.recordingPosition()).toBe(position);
    } finally {
      tap.close();
    }
  }, 60_000);

  it('RecordingDescriptorPoller and RecordingSubscriptionDescriptorPoller dispatch a listing on their own', async () => {
    const { recordingId, streamId } = await makeRecording(1, 64);
    const liveStream = nextStreamId++;
    const subscriptionId = await archive.startRecording(CHANNEL, liveStream, SourceLocation.LOCAL);
    const tap = await tapResponses();
    const control = new AeronControlSubscription(tap, archive.context.controlResponseChannel);
    try {
      expect(await archive.listRecording(recordingId, () => {})).toBe(1);
      const descriptors = new RecordingDescriptorPoller(control, archive.controlSessionId, null, null);
      const found: RecordingDescriptor[] = [];
      descriptors.reset(archive.lastCorrelationId(), 1, (d) => found.push(d));
      await pollUntil(
        'descriptor',
        () => descriptors.poll(),
        () => descriptors.isDispatchComplete(),
      );
      expect(found.map((d) => [d.recordingId, d.streamId])).toEqual([[recordingId, streamId]]);
      expect(descriptors.remainingRecordCount()).toBe(0);

      expect(await archive.listRecordingSubscriptions(0, 10, 'aeron:ipc', liveStream, true, () => {})).toBe(1);
      const subscriptions = new RecordingSubscriptionDescriptorPoller(control, archive.controlSessionId, null, null);
      const listed: RecordingSubscriptionDescriptor[] = [];
      subscriptions.reset(archive.lastCorrelationId(), 10, (d) => listed.push(d));
      await pollUntil(
        'subscription descriptor',
        () => subscriptions.poll(),
        () => subscriptions.isDispatchComplete(),
      );
      expect(listed.map((d) => [d.subscriptionId, d.streamId])).toEqual([[subscriptionId, liveStream]]);
      expect(subscriptions.error()).toBeNull();
    } finally {
      tap.close();
      await archive.stopRecordingBySubscriptionId(subscriptionId);
    }
  }, 60_000);

  it('RecordingEventsAdapter delivers started, progress and stopped to its listener; a poll from it is refused', async () => {
    const events = await aeron.addSubscription(
      driver.recordingEventsChannel as string,
      driver.recordingEventsStreamId as number,
    );
    try {
      await awaitCondition('recording events connection', () => events.isConnected());
      const seen: string[] = [];
      let stopPosition = -1;
      let target = -1;
      let nested: unknown = null;
      const adapter: RecordingEventsAdapter = new RecordingEventsAdapter(events, {
        onStart: (id) => {
          if (id === target) seen.push('started');
          if (nested === null) {
            try {
              adapter.poll();
              nested = 'returned';
            } catch (error) {
              nested = error;
            }
          }
        },
        onProgress: (id) => {
          if (id === target && seen.at(-1) !== 'progress') seen.push('progress');
        },
        onStop: (id, _start, stop) => {
          if (id === target) {
            seen.push('stopped');
            stopPosition = stop;
          }
        },
      });
      const r = await startRecorded(3, 2000);
      target = r.recordingId;
      // Nothing was polled before `target` was known: the subscription holds every event in order.
      await archive.stopRecordingPublication(r.publication);
      r.publication.close();
      await pollUntil(
        'stopped event',
        () => adapter.poll(),
        () => seen.includes('stopped'),
      );
      expect(seen.at(-1)).toBe('stopped');
      expect(stopPosition).toBe(r.position);
      // A poll from the listener is refused (the listener runs inside the adapter's poll).
      expect(nested).toMatchObject({ code: 'ARCHIVE_REENTRANT_CALL' });
    } finally {
      events.close();
    }
  }, 60_000);
});
