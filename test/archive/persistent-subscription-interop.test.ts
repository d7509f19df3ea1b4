/**
 * PersistentSubscription against the real Java ArchivingMediaDriver 1.51.0, porting the scenarios of Aeron's
 * `PersistentSubscriptionTest` (system tests) with the driver settings of that test (64k terms, 2 s image
 * liveness, 1 s untethered timeouts). Every scenario checks that each message (numbered and checksummed, see
 * `persistent-subscription-fixtures.ts`) arrives once and in order across every replay/live switch.
 *
 * - shouldSwitchFromReplayToLiveAndFallBackToReplay: replay from 0, join live, a faster consumer on a second
 *   driver makes the unpolled subscription drop off live, fall back to replay, rejoin; the counters count it;
 * - shouldReplayOverConfiguredChannel: session-specific UDP, `endpoint=localhost:0`, IPC, and
 *   `control-mode=response` (UDP and IPC) replay channels, FROM_START, with a fragmented message;
 *   the state and join-difference counters (type ids 114–117, Java's labels);
 * - FROM_LIVE (no old messages), a mid-recording start position, joining live when there is nothing to replay;
 * - a `control-mode=response` replay stopped by StopReplayRequest with the session id of `replayWithSessionId`;
 *   `close()` (own or caller's Aeron client) sends StopReplayRequest for its follow replay, then closes the
 *   control session (seen by a spy on the control request channel);
 * - failures: unknown recording, stream id mismatch, start before the recording start, after its stop, after
 *   its live position, not on a frame boundary; option checks of `Context.conclude()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { type AeronArchive, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import {
  FROM_LIVE,
  FROM_START,
  PersistentSubscription,
  type PersistentSubscriptionOptions,
} from '../../src/archive/persistent-subscription.ts';
import type { PersistentSubscriptionArchiveOptions } from '../../src/archive/persistent-subscription-archive.ts';
import { LONG_MIN_VALUE } from '../../src/archive/persistent-subscription-counters.ts';
import { PersistentSubscriptionError } from '../../src/archive/persistent-subscription-error.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Counter } from '../../src/client/counter.ts';
import { ControlledAction } from '../../src/logbuffer/fragment-handler.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, pollUntil } from '../support/wait.ts';
import {
  mdcChannels,
  ONE_KB_MESSAGE_LENGTH,
  PS_DRIVER_PROPERTIES,
  Receiver,
  recordedPublisher,
  TrackedSubscription,
} from './persistent-subscription-fixtures.ts';
import { connectAeron, connectArchive, DRIVER_TIMEOUT_MS } from './support/archive-interop.ts';
import { decodeArchiveMessage } from './support/fake-archive.ts';

let nextStreamId = 2000;

/** Java `AeronCounters.ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID` (1.51.0): the archive's active replay sessions. */
const ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID = 112;

describeInterop('PersistentSubscription against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle | undefined;
  let otherDriver: DriverHandle | undefined;
  let aeron: Aeron | undefined;
  let archive: AeronArchive | undefined;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      properties: { ...PS_DRIVER_PROPERTIES, 'aeron.archive.segment.file.length': '65536' },
    });
    aeron = await connectAeron(driver);
    archive = await connectArchive(aeron, driver);
  }, 120_000);

  afterAll(async () => {
    await releaseAll(archive, aeron, otherDriver, driver);
    assertNoLeftovers();
  }, 60_000);

  const archiveOptions = (overrides: Partial<PersistentSubscriptionArchiveOptions> = {}) => ({
    controlRequestChannel: driver!.controlChannel,
    controlRequestStreamId: driver!.controlStreamId,
    controlResponseChannel: driver!.responseChannel,
    messageTimeoutMs: 10_000,
    ...overrides,
  });

  /** A recorded exclusive publication on `channel` with a fresh stream id. */
  async function recorded(channel = 'aeron:ipc?term-length=64k') {
    const streamId = nextStreamId++;
    const publication = await archive!.addRecordedExclusivePublication(channel, streamId);
    const publisher = await recordedPublisher(archive!, publication);
    const { recordingId, persist } = publisher;
    return { streamId, publication, recordingId, publisher, persist };
  }

  /**
   * A tracked persistent subscription on this archive (IPC live, UDP replay on stream -5 unless `options` say
   * otherwise) whose receiver expects message `nextSequence` first.
   */
  function create(
    options: Partial<PersistentSubscriptionOptions> & { recordingId: number; liveStreamId: number },
    nextSequence = 0,
  ): Promise<TrackedSubscription> {
    const receiver = new Receiver();
    receiver.count = nextSequence;
    return TrackedSubscription.create(
      {
        aeron: aeron!,
        archive: archiveOptions(),
        liveChannel: 'aeron:ipc',
        replayChannel: 'aeron:udp?endpoint=localhost:0',
        replayStreamId: -5,
        ...options,
      },
      receiver,
    );
  }

  it('from its fragment handler: poll() throws ArchiveReentrantCallError, close() takes effect when the poll returns', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(10);
    const { persistent } = await create({ recordingId, liveStreamId: streamId, startPosition: FROM_START });
    let received = 0;
    let nested: unknown = null;
    const handler = (): void => {
      received++;
      if (received === 1) {
        try {
          persistent.poll(() => {}, 10);
        } catch (error) {
          nested = error;
        }
      }
      if (received === 3) persistent.close();
    };
    try {
      await pollUntil(
        'three replayed messages',
        () => persistent.poll(handler, 10),
        () => received >= 3,
      );
      expect(nested).toMatchObject({ code: 'ARCHIVE_REENTRANT_CALL' });
      // Nothing is delivered after the close, though the poll had up to 10 messages to give.
      expect(received).toBe(3);
      expect(persistent.poll(handler, 10)).toBe(0);
      expect(received).toBe(3);
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('shouldSwitchFromReplayToLiveAndFallBackToReplay: no gap, no duplicate, counted', async () => {
    const { liveChannel, publicationChannel } = await mdcChannels();
    const { streamId, publication, recordingId, publisher, persist } = await recorded(publicationChannel);
    const tracked = await create({ recordingId, liveStreamId: streamId, startPosition: 0, liveChannel });
    const { persistent, receiver } = tracked;
    let fast: Aeron | undefined;
    try {
      await persist(5);

      await tracked.pollUntil('the first replayed message', () => receiver.count >= 1, 30_000, 1);
      expect(persistent.isReplaying()).toBe(true);
      await tracked.untilLive();
      expect(tracked.events).toEqual(['joined']);
      expect(receiver.count).toBe(5);

      await persist(5);
      await tracked.pollUntil('10 messages', () => receiver.count >= 10);
      expect(persistent.isLive()).toBe(true);

      // A faster consumer on another driver; the persistent subscription is not polled meanwhile.
      otherDriver = await startMediaDriver({ properties: PS_DRIVER_PROPERTIES });
      fast = await Aeron.connect({ aeronDir: otherDriver.aeronDir, driverTimeoutMs: DRIVER_TIMEOUT_MS });
      const fastConsumer = await fast.addSubscription(liveChannel, streamId);
      await awaitCondition('the fast consumer to connect', () => fastConsumer.isConnected());
      let fastCount = 0;
      const fastHandler = (): void => {
        fastCount++;
      };
      for (let batch = 0; batch < 3; batch++) {
        await publisher.publish(32);
        const target = (batch + 1) * 32;
        await pollUntil(
          `fast consumer ${target}`,
          () => fastConsumer.poll(fastHandler, 10),
          () => fastCount >= target,
        );
      }

      await tracked.pollUntil('falling back to replay', () => persistent.isReplaying(), 60_000);
      expect(tracked.events).toEqual(['joined', 'left']);

      await persist(5);
      await tracked.pollUntil(
        `all ${publisher.published} messages and live again`,
        () => receiver.count >= publisher.published && persistent.isLive(),
        60_000,
      );
      expect(tracked.events).toEqual(['joined', 'left', 'joined']);
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(publisher.published);
      expect(persistent.hasFailed()).toBe(false);
      expect(persistent.liveJoinedCounter.get()).toBe(2);
      expect(persistent.liveLeftCounter.get()).toBe(1);
    } finally {
      persistent.close();
      fast?.close();
      publication.close();
    }
  }, 240_000);

  const replayChannels: ReadonlyArray<{
    name: string;
    channel: () => Promise<string>;
    response?: boolean;
    ipc?: boolean;
  }> = [
    { name: 'endpoint=localhost:0', channel: async () => 'aeron:udp?endpoint=localhost:0' },
    { name: 'session-specific UDP', channel: async () => `aeron:udp?endpoint=localhost:${await freeUdpPort()}` },
    { name: 'IPC', channel: async () => 'aeron:ipc' },
    {
      name: 'control-mode=response over UDP',
      channel: async () => `aeron:udp?control=localhost:${await freeUdpPort()}|control-mode=response`,
      response: true,
    },
    {
      name: 'control-mode=response over IPC',
      channel: async () => 'aeron:ipc?control-mode=response',
      response: true,
      ipc: true,
    },
  ];

  describe.each(replayChannels)('shouldReplayOverConfiguredChannel: $name', ({ channel, response, ipc }) => {
    it('replays from the start (with a fragmented message), joins live, keeps the counters', async () => {
      const { streamId, publication, recordingId, publisher, persist } = await recorded();
      const replayChannel = await channel();
      await persist(2);
      await persist(1, 5000); // fragmented: 4 frames with the default 1408 MTU
      await persist(2);
      const archiveOverrides: Partial<PersistentSubscriptionArchiveOptions> =
        response === true
          ? ipc === true
            ? {
                controlRequestChannel: driver!.localControlChannel,
                controlRequestStreamId: driver!.localControlStreamId,
                controlResponseChannel: 'aeron:ipc?control-mode=response',
              }
            : { controlResponseChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}` }
          : {};
      const tracked = await create({
        recordingId,
        liveStreamId: streamId,
        startPosition: FROM_START,
        replayChannel,
        replayStreamId: -11,
        archive: archiveOptions(archiveOverrides),
      });
      const { persistent, receiver } = tracked;
      try {
        const c = aeron!.countersReader;
        const label = (counter: Counter) => c.getCounterLabel(counter.id);
        const suffix = `: -11 ${persistent.replayChannel} ${streamId} aeron:ipc`;
        expect(persistent.replayChannel).toContain('rejoin=false');
        expect(
          [
            persistent.stateCounter,
            persistent.joinDifferenceCounter,
            persistent.liveLeftCounter,
            persistent.liveJoinedCounter,
          ].map((x) => c.getCounterTypeId(x.id)),
        ).toEqual([114, 115, 116, 117]);
        expect(label(persistent.stateCounter)).toBe(`Persistent Subscription State${suffix}`);
        expect(label(persistent.joinDifferenceCounter)).toBe(`Persistent Subscription Join Difference${suffix}`);
        expect(label(persistent.liveLeftCounter)).toBe(`Persistent Subscription Live Left Count${suffix}`);
        expect(label(persistent.liveJoinedCounter)).toBe(`Persistent Subscription Live Joined Count${suffix}`);
        expect(persistent.stateCounter.get()).toBe(0); // AWAIT_ARCHIVE_CONNECTION
        expect(persistent.joinDifferenceCounter.get()).toBe(LONG_MIN_VALUE);

        await tracked.pollUntil('the first replayed message', () => receiver.count >= 1, 30_000, 1);
        expect(persistent.isReplaying()).toBe(true);
        expect(persistent.stateCounter.get()).toBeGreaterThanOrEqual(12); // REPLAY or ATTEMPT_SWITCH
        await tracked.untilLive();
        expect(receiver.count).toBe(5);
        expect(persistent.stateCounter.get()).toBe(16);
        expect(persistent.joinDifferenceCounter.get()).toBe(persistent.joinDifference);
        expect(persistent.joinDifference).not.toBe(LONG_MIN_VALUE);
        expect(persistent.liveJoinedCounter.get()).toBe(1);

        await publisher.publish(3);
        await tracked.pollUntil('live messages', () => receiver.count >= 8);
        expect(receiver.errors).toEqual([]);
        expect(receiver.count).toBe(8);
        expect(tracked.events).toEqual(['joined']);
        expect(tracked.errors).toEqual([]);
      } finally {
        persistent.close();
        publication.close();
      }
    }, 120_000);
  });

  it('shouldNotReplayOldMessagesWhenStartingFromLive (FROM_LIVE is the default)', async () => {
    const { streamId, publication, recordingId, publisher, persist } = await recorded();
    await persist(5);
    const tracked = await create({ recordingId, liveStreamId: streamId }, 5);
    const { persistent, receiver } = tracked;
    try {
      await tracked.untilLive();
      expect(persistent.joinDifference).toBe(0);
      await publisher.publish(5);
      await tracked.pollUntil('5 live messages', () => receiver.count >= 10);
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(10);
      expect(tracked.events).toEqual(['joined']);
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('canReplayFromSpecifiedPosition: starts mid-recording on a frame boundary', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(6);
    const tracked = await create({ recordingId, liveStreamId: streamId, startPosition: 4 * 1024 }, 4);
    const { persistent, receiver } = tracked;
    try {
      await tracked.untilLive();
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(6);
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('shouldJoinLiveWhenThereIsNoDataToReplay: start at the live position', async () => {
    const { streamId, publication, recordingId, publisher, persist } = await recorded();
    await persist(3);
    const tracked = await create({ recordingId, liveStreamId: streamId, startPosition: publication.position() }, 3);
    const { persistent, receiver } = tracked;
    try {
      await tracked.untilLive();
      await publisher.publish(2);
      await tracked.pollUntil('2 live messages', () => receiver.count >= 5);
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(5);
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('fallbackFromLiveFailsWhenRecordingStoppedBeforeLivePosition: INVALID_START_POSITION after live is lost', async () => {
    const { streamId, publication, recordingId, publisher, persist } = await recorded();
    await persist(1);
    const tracked = await create({ recordingId, liveStreamId: streamId, startPosition: FROM_LIVE }, 1);
    const { persistent, receiver } = tracked;
    try {
      await tracked.untilLive(30_000, 1);
      await archive!.stopRecordingPublication(publication);
      await publisher.publish(3); // live moves past the recording's stop position
      await tracked.pollUntil('3 live messages', () => receiver.count >= 4, 30_000, 1);
      publication.close();
      await tracked.pollUntil('failure', () => persistent.hasFailed(), 30_000, 1);
      expect(persistent.failureReason()).toMatchObject({ reason: 'INVALID_START_POSITION' });
      expect(tracked.events).toEqual(['joined', 'left']);
      expect(persistent.liveLeftCounter.get()).toBe(1);
      expect(receiver.errors).toEqual([]);
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('shouldCloseArchiveConnectionOnFailureInCaseApplicationKeepsPolling', async () => {
    const { streamId, publication, recordingId } = await recorded();
    const c = aeron!.countersReader;
    const sessionsCounter = aeron!.findCounters(102)[0]; // ARCHIVE_CONTROL_SESSIONS_TYPE_ID
    expect(sessionsCounter).toBeDefined();
    const sessions = () => c.getCounterValue(sessionsCounter ?? -1);
    const before = sessions();
    const { persistent } = await create({ recordingId, liveStreamId: streamId, startPosition: 8192 });
    try {
      await pollUntil(
        'failure',
        () => persistent.poll(() => {}, 1),
        () => persistent.hasFailed(),
      );
      await pollUntil(
        'the control session to close',
        () => persistent.poll(() => {}, 1),
        () => sessions() === before,
      );
    } finally {
      persistent.close();
      publication.close();
    }
  }, 60_000);

  it('shouldCreateOwnAeronInstanceWhenNotSupplied (and closes it), controlledPoll', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(2);
    const receiver = new Receiver();
    const persistent = await PersistentSubscription.create({
      aeronDir: driver!.aeronDir,
      archive: archiveOptions(),
      recordingId,
      startPosition: FROM_START,
      liveChannel: 'aeron:ipc',
      liveStreamId: streamId,
      replayChannel: 'aeron:udp?endpoint=localhost:0',
      replayStreamId: -5,
    });
    const own = persistent.aeron;
    expect(own).not.toBe(aeron);
    const controlled = (b: ReadableBuffer, o: number, l: number, h: Header) => {
      receiver.handler(b, o, l, h);
      return ControlledAction.CONTINUE;
    };
    try {
      await pollUntil(
        'live',
        () => persistent.controlledPoll(controlled, 10),
        () => persistent.isLive(),
      );
      expect(receiver.count).toBe(2);
      expect(receiver.errors).toEqual([]);
    } finally {
      persistent.close();
      publication.close();
    }
    expect(own.isClosed).toBe(true);
    expect(aeron!.isClosed).toBe(false);
  }, 60_000);

  it('response-channel replay: replayWithSessionId gives the replay session id, StopReplayRequest ends the replay', async () => {
    const { publication, recordingId, persist } = await recorded();
    await persist(3);
    const responseArchive = await connectArchive(aeron!, driver!, {
      controlResponseChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
    });
    const receiver = new Receiver();
    try {
      const replayChannel = `aeron:udp?control=localhost:${await freeUdpPort()}|control-mode=response`;
      // Replay and follow the live recording: only a StopReplayRequest ends it while the subscription is open.
      const { subscription, replaySessionId } = await responseArchive.replayWithSessionId(
        recordingId,
        replayChannel,
        -13,
        { position: 0, length: -1 },
      );
      try {
        await pollUntil(
          'the replayed messages',
          () => subscription.poll(receiver.handler, 10),
          () => receiver.count >= 3,
        );
        expect(receiver.errors).toEqual([]);
        expect(subscription.imageCount).toBe(1);
        expect(subscription.imageAtIndex(0).sessionId).toBe(replayImageSessionId(replaySessionId));
        expect(aeron!.findCounters(ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID)).toHaveLength(1);
        expect(replaySessions()).toBeGreaterThanOrEqual(1);
        await responseArchive.stopReplay(replaySessionId); // the archive knows the session: answered OK
        await pollUntil(
          'the replay image to go',
          () => subscription.poll(receiver.handler, 10),
          () => subscription.imageCount === 0,
        );
        expect(subscription.isClosed).toBe(false);
        expect(receiver.count).toBe(3);
      } finally {
        subscription.close();
      }
    } finally {
      responseArchive.close();
      publication.close();
    }
  }, 60_000);

  /** Active replay sessions of the archive (its counter, type id 112). */
  function replaySessions(): number {
    const c = aeron!.countersReader;
    return aeron!
      .findCounters(ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID)
      .reduce((sum, id) => sum + c.getCounterValue(id), 0);
  }

  /** An archive control request seen on the wire: its template name, fields and the publication it came from. */
  interface SeenRequest {
    readonly name: string;
    readonly json: Record<string, unknown>;
    readonly publicationSessionId: number;
  }

  /**
   * A spy on the archive's control request channel: every request any client of this driver sends there, decoded
   * (the spy subscribes before the client's publication exists, so it links to it; the driver drains a closed
   * publication to its spies before letting it go).
   */
  async function controlRequestSpy(): Promise<{ seen: SeenRequest[]; poll: () => number; close: () => void }> {
    const spy = await aeron!.addSubscription(`aeron-spy:${driver!.controlChannel}`, driver!.controlStreamId);
    const seen: SeenRequest[] = [];
    const handler = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
      const bytes = new Uint8Array(length);
      buffer.getBytes(offset, bytes, 0, length);
      const { name, json } = decodeArchiveMessage(bytes);
      seen.push({ name, json, publicationSessionId: header.sessionId() });
    };
    return { seen, poll: () => spy.poll(handler, 10), close: () => spy.close() };
  }

  describe.each([
    { name: 'its own Aeron client', owned: true },
    { name: "the caller's Aeron client", owned: false },
  ])('close() with $name', ({ owned }) => {
    // What is proven is the request on the wire, not the archive's answer to it: as Java's close(), close()
    // offers StopReplayRequest and closes the archive connection at once. The archive polls requests and checks
    // its sessions in one duty cycle; when it sees the response channel gone (the closed client's image sends
    // end-of-stream) before it has read the request, it ends the control session and drops the request (Java
    // `ControlSession.sendResponses` / `onStopReplay`). The archive acting on StopReplayRequest is proven by the
    // response-channel replay test above (stopReplay, answered).
    it('sends StopReplayRequest for its follow replay, then CloseSessionRequest, on its control session', async () => {
      const { streamId, publication, recordingId, persist } = await recorded();
      await persist(40); // 40 KB of a 64 KB term: a replay from 0 is not close enough to add the live subscription
      const port = await freeUdpPort();
      const replayStreamId = -15;
      // A second subscriber of the replay stream (any session): it sees the replay's image session id.
      const replayWatcher = await aeron!.addSubscription(
        `aeron:udp?endpoint=localhost:${port}|rejoin=false`,
        replayStreamId,
      );
      const requests = await controlRequestSpy();
      const receiver = new Receiver();
      const persistent = await PersistentSubscription.create({
        ...(owned ? { aeronDir: driver!.aeronDir } : { aeron: aeron! }),
        archive: archiveOptions(),
        recordingId,
        startPosition: FROM_START,
        liveChannel: 'aeron:ipc',
        liveStreamId: streamId,
        replayChannel: `aeron:udp?endpoint=localhost:${port}`,
        replayStreamId,
      });
      let closed = false;
      try {
        await pollUntil(
          'the first replayed message',
          () => persistent.poll(receiver.handler, 1),
          () => receiver.count >= 1,
          30_000,
          { detail: () => `state=${persistent.state}` },
        );
        expect(persistent.state).toBe('REPLAY');
        await pollUntil(
          'the watcher to see the replay',
          () => replayWatcher.poll(() => {}, 10),
          () => replayWatcher.imageCount === 1,
        );
        const replayImageSession = replayWatcher.imageAtIndex(0).sessionId;
        persistent.close();
        closed = true;
        const isStop = (r: SeenRequest): boolean =>
          r.name === 'StopReplayRequest' &&
          replayImageSessionId(BigInt(r.json.replaySessionId as number)) === replayImageSession;
        await pollUntil('the StopReplayRequest', requests.poll, () => requests.seen.some(isStop));
        const stop = requests.seen.find(isStop)!;
        const fromSubscription = (name: string) =>
          requests.seen.filter(
            (r) =>
              r.name === name &&
              r.publicationSessionId === stop.publicationSessionId &&
              r.json.controlSessionId === stop.json.controlSessionId,
          );
        await pollUntil(
          'the CloseSessionRequest',
          requests.poll,
          () => fromSubscription('CloseSessionRequest').length > 0,
        );
        // The replay it stops is the one it asked for on the same control session; the session closes after.
        const replayRequests = fromSubscription('ReplayRequest');
        expect(replayRequests.map((r) => [r.json.recordingId, r.json.replayStreamId])).toEqual([
          [recordingId, replayStreamId],
        ]);
        const order = (r: SeenRequest) => requests.seen.indexOf(r);
        expect(order(replayRequests[0]!)).toBeLessThan(order(stop));
        expect(order(stop)).toBeLessThan(order(fromSubscription('CloseSessionRequest')[0]!));
        expect(fromSubscription('StopReplayRequest')).toHaveLength(1);
        expect(receiver.errors).toEqual([]);
        expect(persistent.aeron.isClosed).toBe(owned);
      } finally {
        if (!closed) persistent.close();
        requests.close();
        replayWatcher.close();
        publication.close();
      }
    }, 60_000);
  });

  async function expectFailure(
    options: Partial<PersistentSubscriptionOptions> & { recordingId: number; liveStreamId: number },
    reason: string | null,
  ): Promise<void> {
    const tracked = await create(options);
    const { persistent } = tracked;
    try {
      await pollUntil(
        'failure',
        () => persistent.poll(() => {}, 1),
        () => persistent.hasFailed(),
        30_000,
        { detail: () => `state=${persistent.state}` },
      );
      expect(tracked.errors).toHaveLength(1);
      expect(tracked.errors[0]).toBe(persistent.failureReason());
      expect(persistent.failureReason()).toBeInstanceOf(PersistentSubscriptionError);
      if (reason !== null) expect(persistent.failureReason()).toMatchObject({ reason });
      expect(persistent.stateCounter.get()).toBe(17);
      expect(persistent.poll(() => {}, 1)).toBe(0);
    } finally {
      persistent.close();
    }
  }

  it('recordingMustExist: RECORDING_NOT_FOUND', async () => {
    await expectFailure({ recordingId: 987_654, liveStreamId: 1, startPosition: 0 }, 'RECORDING_NOT_FOUND');
  }, 60_000);

  it('recordingStreamMustMatchLiveStream: STREAM_ID_MISMATCH', async () => {
    const { streamId, publication, recordingId } = await recorded();
    try {
      await expectFailure({ recordingId, liveStreamId: streamId + 1000 }, 'STREAM_ID_MISMATCH');
    } finally {
      publication.close();
    }
  }, 60_000);

  it('replayStartPositionMustNotBeBeforeRecordingStartPosition: INVALID_START_POSITION', async () => {
    const { streamId, publication, recordingId } = await recorded(
      'aeron:ipc?term-length=64k|init-term-id=0|term-id=0|term-offset=1024',
    );
    try {
      await expectFailure({ recordingId, liveStreamId: streamId, startPosition: 0 }, 'INVALID_START_POSITION');
    } finally {
      publication.close();
    }
  }, 60_000);

  it('replayStartPositionMustNotBeAfterRecordingStopPosition: INVALID_START_POSITION', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(1);
    await archive!.stopRecordingPublication(publication);
    const stop = await archive!.getStopPosition(recordingId);
    expect(stop).toBeGreaterThan(0);
    try {
      await expectFailure({ recordingId, liveStreamId: streamId, startPosition: stop * 2 }, 'INVALID_START_POSITION');
    } finally {
      publication.close();
    }
  }, 60_000);

  it('replayStartPositionMustNotBeAfterRecordingLivePosition: the replay request fails', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(1);
    try {
      await expectFailure({ recordingId, liveStreamId: streamId, startPosition: publication.position() * 2 }, null);
    } finally {
      publication.close();
    }
  }, 60_000);

  it('replayStartPositionMustBeAlignedOnFrameBoundary: the replay request fails', async () => {
    const { streamId, publication, recordingId, persist } = await recorded();
    await persist(2);
    try {
      await expectFailure({ recordingId, liveStreamId: streamId, startPosition: ONE_KB_MESSAGE_LENGTH - 32 }, null);
    } finally {
      publication.close();
    }
  }, 60_000);

  it('checks its options as Java Context.conclude() does', async () => {
    const base = {
      aeron: aeron!,
      archive: archiveOptions(),
      recordingId: 1,
      liveChannel: 'aeron:ipc',
      liveStreamId: 1,
      replayChannel: 'aeron:ipc',
      replayStreamId: 2,
    };
    await expect(PersistentSubscription.create({ ...base, startPosition: -3 })).rejects.toThrow(
      'invalid startPosition -3',
    );
    await expect(PersistentSubscription.create({ ...base, recordingId: -5 })).rejects.toThrow('invalid recordingId -5');
    await expect(PersistentSubscription.create({ ...base, liveChannel: '' })).rejects.toThrow(
      'liveChannel must be set',
    );
    await expect(PersistentSubscription.create({ ...base, replayStreamId: -1 })).rejects.toThrow(
      'replayStreamId must be set',
    );
    await expect(
      PersistentSubscription.create({ ...base, replayChannel: 'aeron:ipc?control-mode=response' }),
    ).rejects.toThrow('Channel media type mismatch');
  });
});
