/**
 * Reliability rows A9 (authentication rejected / challenge) and A13a (a control session nobody services)
 * against the real Java ArchivingMediaDriver 1.51.0. Focused versions of `test/archive/auth-interop.test.ts` and
 * the unserviced-session case of `test/archive/faults-interop.test.ts`, with the four reliability assertions.
 *
 * A9: the archive authenticates with our challenge authenticator (`test/java/ChallengeAuthenticator.java`):
 * `challenge-me:<user>` gets the Challenge `nonce:<user>:<n>`, answered only by `answer:<user>:<n>`; anything else
 * is rejected. 1.51.0 `ControlSession.sendReject`: ERROR with relevantId AUTHENTICATION_REJECTED (10),
 * "authentication rejected", on the connect or on the challenge response; our connect rejects with ArchiveError
 * code ARCHIVE_ERROR, errorCode 10. A rejected connect must leave nothing open (its control publication and
 * response subscription closed: nothing of the case mapped after the client's resource linger).
 *
 * A13a: 1.51.0 `ControlSession` aborts a session whose Pings or responses its response publication has not
 * accepted for `aeron.archive.connect.timeout` ("failed to send response for more than connectTimeoutMs=…").
 * Our process's event loop is blocked (Atomics.wait: nothing polls, as a SIGSTOPped client) while a small
 * receiver window (`rcv-wnd=2048`), a 4 KiB publication window on the archive's driver and a 10 ms Ping interval
 * make the Pings back up in about 1 s; the 2 s connect timeout then aborts the session. The 7 s stall stays
 * below the driver's client liveness timeout (10 s), so only the archive session dies. Afterwards: the client
 * reports "not connected", DISCONNECTED, the next call ArchiveNotConnectedError; a new session on the same Aeron
 * client replays what was recorded before, every message once (sequence and checksum).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { readCounters } from '../../harness/driver-files.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { type ArchiveError, ArchiveNotConnectedError } from '../../src/archive/archive-error.ts';
import type { CredentialsSupplier } from '../../src/archive/credentials.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { connectAeron, connectArchive, SignalLog } from '../archive/support/archive-interop.ts';
import {
  challengeCredentials,
  expectAuthenticationRejected,
  startChallengeArchive,
} from '../archive/support/challenge-auth.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { failure, readVerified, recordStream } from './support/archive-faults.ts';
import { ResourceTracker, SharedDriverCase } from './support/resources.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
/** Hang detector only: a connect is answered (or times out typed) well before this. */
const CONNECT_MS = 30_000;
const CALL_MS = 15_000;
describeInterop(
  'reliability A9: archive authentication rejected / challenged (Java ArchivingMediaDriver 1.51.0)',
  () => {
    let driver: ArchivingDriverHandle;
    let aeron: Aeron;
    let resources: SharedDriverCase;
    const aeronErrors: unknown[] = [];

    beforeAll(async () => {
      driver = await startChallengeArchive();
      aeron = await connectAeron(driver, aeronErrors);
    }, 120_000);

    afterAll(async () => {
      await releaseAll(aeron, driver);
      assertNoLeftovers();
    }, 60_000);

    beforeEach(() => {
      resources = new SharedDriverCase([driver.aeronDir]);
    });

    afterEach(async () => {
      await resources.release();
      expect(driver.hasExited()).toBe(false);
      expect(aeronErrors).toEqual([]);
    }, 60_000);

    /** Counters of our response subscription on `streamId` (the driver's `sub-pos` / `rcv-pos` labels). */
    const responseCounters = (streamId: number) =>
      readCounters(join(driver.aeronDir, 'cnc.dat'))
        .map((c) => c.label)
        .filter((label) => label.includes(` ${streamId} aeron:udp`));

    /** Connects with `credentials` on response stream `streamId`; resolves the outcome, never hangs. */
    const connectOutcome = (credentials: CredentialsSupplier | undefined, streamId: number) =>
      within(
        'connect outcome',
        CONNECT_MS,
        failure(
          connectArchive(aeron, driver, {
            controlResponseStreamId: streamId,
            ...(credentials === undefined ? {} : { credentialsSupplier: credentials }),
          }),
        ),
      );

    /** Rejected: typed, and the response subscription it made is closed on the driver too. */
    async function expectRejectedAndReleased(error: unknown, streamId: number): Promise<void> {
      expectAuthenticationRejected(error);
      // no data flows on a rejected session; what was opened for it goes (mappings: `resources` after the case)
      await awaitCondition(
        `our response subscription's counters to go (left: ${responseCounters(streamId).join(' | ')})`,
        () => responseCounters(streamId).length === 0,
        CALL_MS,
        50,
      );
    }

    it('A9a wrong connect credentials → ArchiveError AUTHENTICATION_REJECTED (10), no challenge, nothing left open', async () => {
      const credentials = challengeCredentials('mallory:guess');
      await expectRejectedAndReleased(await connectOutcome(credentials, 6901), 6901);
      expect(credentials.challenges).toEqual([]);
      expect(driver.output()).toMatch(/auth rejected session=\d+/);
    }, 60_000);

    it('A9b wrong answer to the challenge → ArchiveError AUTHENTICATION_REJECTED (10), nothing left open', async () => {
      const credentials = challengeCredentials('challenge-me:carol', 'answer:carol:0');
      await expectRejectedAndReleased(await connectOutcome(credentials, 6902), 6902);
      expect(credentials.challenges).toHaveLength(1);
      expect(credentials.challenges[0]).toMatch(/^nonce:carol:\d+$/);
    }, 60_000);

    it('A9c no credentials (the default supplier) → ArchiveError AUTHENTICATION_REJECTED (10), nothing left open', async () => {
      await expectRejectedAndReleased(await connectOutcome(undefined, 6903), 6903);
    }, 60_000);

    it('A9d challenge answered correctly → connected; after the rejections the session records and replays intact', async () => {
      const credentials = challengeCredentials('challenge-me:alice');
      const signals = new SignalLog();
      const archive = await within(
        'connect',
        CONNECT_MS,
        connectArchive(aeron, driver, {
          controlResponseStreamId: 6904,
          credentialsSupplier: credentials,
          recordingSignalConsumer: signals.consumer,
        }),
      );
      const subscription = await within('addSubscription', CALL_MS, aeron.addSubscription(REPLAY_CHANNEL, 6906));
      try {
        expect(credentials.challenges).toHaveLength(1);
        expect(credentials.challenges[0]).toMatch(/^nonce:alice:\d+$/);
        expect(archive.state()).toBe('CONNECTED');
        // the counter filter the rejected cases rely on does see a live response subscription
        expect(responseCounters(6904).length).toBeGreaterThan(0);
        const recorded = await recordStream(aeron, archive, signals, CHANNEL, 6905, 30);
        await within(
          'replay',
          CALL_MS,
          archive.startReplay(recorded.recordingId, recorded.startPosition, -2, REPLAY_CHANNEL, 6906),
        );
        const n = await readVerified(subscription, recorded.checksums, 0, (k) => k >= 30, 'the recording replayed');
        expect(n).toBe(30);
      } finally {
        subscription.close();
        archive.close();
      }
      expect(archive.state()).toBe('CLOSED');
      expect(driver.output()).toMatch(/auth authenticated session=\d+ principal=alice/);
    }, 90_000);
  },
);

/** Below the driver's 10 s client liveness timeout; well above the archive's fill-the-window + 2 s connect timeout. */
const STALL_MS = 7_000;

describeInterop('reliability A13a: a control session nobody services (Java ArchivingMediaDriver 1.51.0)', () => {
  let driver: ArchivingDriverHandle | undefined;
  let tracker: ResourceTracker;

  beforeEach(() => {
    tracker = new ResourceTracker();
  });

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await tracker.settleTimers();
    tracker.release();
    assertNoLeftovers();
  }, 60_000);

  it('A13a unserviced control session aborted by the archive → "not connected", DISCONNECTED, next call ArchiveNotConnectedError; a new session replays intact', async () => {
    driver = await startArchivingMediaDriver({
      properties: {
        'aeron.archive.session.liveness.check.interval': '10ms',
        'aeron.archive.connect.timeout': '2s',
        // the archive's response publication may run this far ahead of what the (stalled) client consumed
        'aeron.publication.term.window.length': '4k',
      },
    });
    tracker.trackFile(join(driver.aeronDir, 'cnc.dat'));
    const aeronErrors: unknown[] = [];
    const aeron = await within('Aeron.connect', CONNECT_MS, connectAeron(driver, aeronErrors));
    const signals = new SignalLog();
    let archive: AeronArchive | undefined;
    let second: AeronArchive | undefined;
    try {
      archive = await within(
        'connect',
        CONNECT_MS,
        connectArchive(aeron, driver, {
          controlResponseChannel: 'aeron:udp?endpoint=localhost:0|rcv-wnd=2048',
          messageTimeoutMs: 5_000,
          recordingSignalConsumer: signals.consumer,
        }),
      );
      const recorded = await recordStream(aeron, archive, signals, CHANNEL, 7001, 40);

      // serviced (idle polling consumes the Pings), the session outlives the connect timeout without keepalives
      await new Promise((r) => setTimeout(r, 3_000));
      expect(archive.pollForErrorResponse()).toBeNull();
      expect(archive.state()).toBe('CONNECTED');

      // not serviced: block this process (client conductor and archive client alike)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS);

      let reported: string | null = null;
      const client = archive;
      await awaitCondition(
        'the client to report the closed session',
        () => {
          reported = client.pollForErrorResponse();
          return reported !== null;
        },
        30_000,
        20,
      );
      expect(reported).toBe('not connected');
      expect(archive.state()).toBe('DISCONNECTED');
      const error = await within('next call', CALL_MS, failure(archive.getStopPosition(recorded.recordingId)));
      expect(error).toBeInstanceOf(ArchiveNotConnectedError);
      expect((error as ArchiveError).code).toBe('ARCHIVE_NOT_CONNECTED');
      // the archive's own error log (archive-mark.dat) names the cause
      const mark = readFileSync(join(driver.archiveDir, 'archive-mark.dat')).toString('latin1');
      expect(mark).toContain('failed to send response for more than connectTimeoutMs=2000');

      // the archive serves a new session: what was recorded before is all there, once each
      second = await within('reconnect', CONNECT_MS, connectArchive(aeron, driver));
      const subscription = await within('addSubscription', CALL_MS, aeron.addSubscription(REPLAY_CHANNEL, 7002));
      try {
        await within(
          'replay',
          CALL_MS,
          second.startReplay(recorded.recordingId, recorded.startPosition, -2, REPLAY_CHANNEL, 7002),
        );
        const n = await readVerified(subscription, recorded.checksums, 0, (k) => k >= 40, 'the recording replayed');
        expect(n).toBe(40);
      } finally {
        subscription.close();
      }
      expect(aeronErrors).toEqual([]);
    } finally {
      second?.close();
      archive?.close();
      aeron.close();
    }
    expect(archive?.state()).toBe('CLOSED');
    expect(aeron.isClosed).toBe(true);
  }, 120_000);
});
