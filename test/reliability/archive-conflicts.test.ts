/**
 * Reliability rows A2 (bounded replay), A13 (response channel never connects), A14 (replication refused by the
 * source) and A15 (state conflicts) against two real Java ArchivingMediaDrivers 1.51.0 shared by the file:
 * `main` (our Aeron client and archive client run on its driver) and `authSrc`, an archive that authenticates
 * with our challenge authenticator (`test/java/ChallengeAuthenticator.java`).
 *
 * 1.51.0 facts (`ArchiveConductor`, `ReplicationSession`, `ReplicationCredentialsSupplier`):
 * - A2: a bounded replay reads only up to the value of its limit counter (a counter of the archive's driver,
 *   found by id); it waits there and continues when the counter advances. An unallocated counter id →
 *   GENERIC "unable to create replay limit counter id= N because of: Counter id is not allocated: N".
 * - A15: `isValidTruncate` / `isValidPurge` refuse a recording with an active replay: ACTIVE_RECORDING (2)
 *   "cannot truncate recording with active replay N" / "cannot purge recording with active replay N" (the
 *   matrix's "truncate to 0 ends the replays" is not what 1.51.0 does). A truncate answers OK at once and
 *   deletes the segment files afterwards, one per duty cycle (`DeleteSegmentsSession`, DELETE signal at the
 *   end); an extend while those deletes are outstanding → GENERIC "cannot extend recording N due to an
 *   outstanding delete operation". To get both requests into one conductor poll, they are written raw, with
 *   our controlSessionId, to the archive's IPC local control channel while the archive JVM is SIGSTOPped.
 * - A14: an unknown source recording → an asynchronous ERROR for the replication id with UNKNOWN_RECORDING (5)
 *   "unknown src recording id N", then REPLICATE_END. A source that challenges → REPLICATION_CONNECTION_FAILURE
 *   (14) "Replication connection failed=Replication does not support challenge/response authentication"; a
 *   source that rejects the credentials → REPLICATION_CONNECTION_FAILURE "… authentication rejected"; both
 *   then REPLICATE_END.
 * - A13: a ConnectRequest whose response channel the archive's publication can never reach (IPC on ANOTHER
 *   driver): the archive never answers; our connect rejects with ArchiveTimeoutError "Archive connect timeout:
 *   step=…" after its message timeout, and closes its control publication and response subscription.
 *
 * Every case: typed error (class, `code`, `errorCode`, text), a deadline on every wait, the data read back
 * checked by sequence and checksum, resources released (per case `SharedDriverCase`: nothing the case mapped, no
 * timer, no process; after the file `assertNoLeftovers`; A13 also the driver's counters).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ExtendRecordingRequestEncoder } from '../../codecs/generated/archive/ExtendRecordingRequestEncoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { TruncateRecordingRequestEncoder } from '../../codecs/generated/archive/TruncateRecordingRequestEncoder.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { readCounters } from '../../harness/driver-files.ts';
import { compileJava } from '../../harness/java.ts';
import { allThreadsStopped, assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveErrorCode, ArchiveTimeoutError } from '../../src/archive/archive-error.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { connectAeron, connectArchive, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { expectArchiveErrorResponse, failure, publishMore, recordStream } from './support/archive-faults.ts';
import { VerifiedReader } from './support/archive-replay-reader.ts';
import { SharedDriverCase } from './support/resources.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const CALL_MS = 15_000;
/** 256-byte messages: 288-byte frames. */
const FRAME = 288;
const UNKNOWN_ID = 9_999_999;
const utf8 = new TextEncoder();

describeInterop(
  'reliability A2/A13/A14/A15: bounded replay, unreachable response, refused replication, conflicts',
  () => {
    let main: ArchivingDriverHandle;
    let authSrc: ArchivingDriverHandle;
    let aeron: Aeron;
    let archive: AeronArchive;
    const signals = new SignalLog();
    const asyncErrors: unknown[] = [];

    beforeAll(async () => {
      const classes = compileJava({
        sources: ['test/java/ChallengeAuthenticator.java', 'test/java/ChallengeAuthenticatorSupplier.java'],
        classpath: [aeronJarPath()],
      });
      main = await startArchivingMediaDriver();
      authSrc = await startArchivingMediaDriver({
        classpath: [classes],
        properties: {
          'aeron.archive.authenticator.supplier': 'ChallengeAuthenticatorSupplier',
          // A13 checks that our closed control publication's counters go: keep its linger short
          'aeron.publication.linger.timeout': '1s',
        },
      });
      aeron = await connectAeron(main);
      archive = await connectArchive(aeron, main, {
        recordingSignalConsumer: signals.consumer,
        errorHandler: (error) => asyncErrors.push(error),
      });
    }, 120_000);

    afterAll(async () => {
      await releaseAll(archive, aeron, main, authSrc);
      assertNoLeftovers();
    }, 60_000);

    let resources: SharedDriverCase;
    beforeEach(() => {
      resources = new SharedDriverCase([main.aeronDir, authSrc.aeronDir]);
    });
    afterEach(async () => {
      await resources.release();
      expect(archive.state()).toBe('CONNECTED');
    }, 60_000);

    /** The asynchronous ERRORs (errorHandler) carrying `correlationId`. */
    const errorsFor = (correlationId: number) =>
      asyncErrors.filter((e) => (e as { correlationId?: number }).correlationId === correlationId);

    it('A2 bounded replay past its limit counter: stops at the limit, continues when it advances; bad counter → GENERIC', async () => {
      const live = await recordStream(aeron, archive, signals, CHANNEL, 6201, 40, 256, true);
      const limit = await aeron.addCounter(9_001, 'reliability A2 replay limit');
      const subscription = await aeron.addSubscription(REPLAY_CHANNEL, 6202);
      let replaySessionId = -1n;
      try {
        // a counter id nobody allocated: typed refusal
        const bad = await within(
          'bounded replay, bad counter',
          CALL_MS,
          failure(archive.startBoundedReplay(live.recordingId, 0, -1, 60_000, REPLAY_CHANNEL, 6299)),
        );
        expectArchiveErrorResponse(
          bad,
          ArchiveErrorCode.GENERIC,
          /unable to create replay limit counter id= 60000 because of: .*not allocated/,
        );

        limit.set(20 * FRAME);
        // every frame must end at or before the counter's value when it arrives
        const reader = new VerifiedReader(live.checksums, 0, () => limit.get());
        replaySessionId = await within(
          'bounded replay',
          CALL_MS,
          archive.startBoundedReplay(live.recordingId, live.startPosition, -1, limit.id, REPLAY_CHANNEL, 6202),
        );
        await reader.readTo(subscription, 20, 'the replay up to the limit');
        expect(reader.lastPosition).toBe(20 * FRAME);
        await reader.expectQuiet(subscription, 500);

        // the live recording goes on past the limit: still nothing beyond the limit is replayed
        expect(await publishMore(archive, live, 6201, 20)).toBe(60 * FRAME);
        await reader.expectQuiet(subscription, 500);

        // the limit advances, twice: the replay follows it exactly
        limit.set(50 * FRAME);
        await reader.readTo(subscription, 50, 'the replay up to the second limit');
        expect(reader.lastPosition).toBe(50 * FRAME);
        await reader.expectQuiet(subscription, 300);
        limit.set(60 * FRAME);
        await reader.readTo(subscription, 60, 'the replay up to the end');
        expect(reader.lastPosition).toBe(60 * FRAME);
        expect(archive.state()).toBe('CONNECTED');
      } finally {
        subscription.close();
        if (replaySessionId !== -1n) await archive.stopReplay(replaySessionId).catch(() => {});
        await archive.stopRecordingBySubscriptionId(live.subscriptionId);
        live.close();
        limit.close();
      }
    }, 90_000);

    it('A15 truncate / purge while a replay of the recording runs → ACTIVE_RECORDING; the replay completes intact', async () => {
      const recorded = await recordStream(aeron, archive, signals, CHANNEL, 6301, 50);
      // a bounded replay held at a limit: certainly still active while we truncate
      const limit = await aeron.addCounter(9_001, 'reliability A15 replay hold');
      limit.set(10 * FRAME);
      const subscription = await aeron.addSubscription(REPLAY_CHANNEL, 6302);
      try {
        const reader = new VerifiedReader(recorded.checksums, 0, () => limit.get());
        const replaySessionId = await within(
          'bounded replay',
          CALL_MS,
          archive.startBoundedReplay(recorded.recordingId, 0, recorded.stopPosition, limit.id, REPLAY_CHANNEL, 6302),
        );
        await reader.readTo(subscription, 10, 'the replay up to the hold');

        const truncate = await within('truncate', CALL_MS, failure(archive.truncateRecording(recorded.recordingId, 0)));
        expectArchiveErrorResponse(
          truncate,
          ArchiveErrorCode.ACTIVE_RECORDING,
          `cannot truncate recording with active replay ${recorded.recordingId}`,
        );
        const purge = await within('purge', CALL_MS, failure(archive.purgeRecording(recorded.recordingId)));
        expectArchiveErrorResponse(
          purge,
          ArchiveErrorCode.ACTIVE_RECORDING,
          `cannot purge recording with active replay ${recorded.recordingId}`,
        );

        // the replay was not disturbed: released, it delivers the rest exactly once
        limit.set(recorded.stopPosition);
        await reader.readTo(subscription, 50, 'the rest of the replay');
        expect(reader.lastPosition).toBe(recorded.stopPosition);
        await archive.stopReplay(replaySessionId).catch(() => {}); // may have ended already (UNKNOWN_REPLAY)
      } finally {
        subscription.close();
        limit.close();
      }
      // once the replay session is gone the truncate is accepted (sessions are reaped on the archive's duty cycle)
      const deadline = Date.now() + 30_000;
      for (;;) {
        const outcome = await within('truncate', CALL_MS, failure(archive.truncateRecording(recorded.recordingId, 0)));
        if (!String(outcome).includes('active replay')) {
          // failure() yields an Error when the call resolved
          expect(String(outcome)).toMatch(/expected the call to fail, it resolved \d+/);
          break;
        }
        if (Date.now() > deadline) throw new Error(`truncate still refused: ${String(outcome)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await signals.await('DELETE', (e) => e.recordingId === recorded.recordingId);
      expect(await within('stop position', CALL_MS, archive.getStopPosition(recorded.recordingId))).toBe(0);
    }, 90_000);

    it('A15 extend while a truncate still deletes segment files → GENERIC "outstanding delete operation"', async () => {
      // data: the truncate removes the recording on purpose; what is checked is that it and only it happened
      const recorded = await recordStream(aeron, archive, signals, CHANNEL, 6401, 20);
      const raw = await aeron.addExclusivePublication(main.localControlChannel, main.localControlStreamId);
      const truncateId = 7_770_001;
      const extendId = 7_770_002;
      try {
        await awaitCondition('the raw control publication to connect', () => raw.isConnected(), 20_000);
        const header = new MessageHeaderEncoder();
        const truncate = new Uint8Array(256);
        const t = new TruncateRecordingRequestEncoder().wrapAndApplyHeader(truncate, 0, header);
        t.controlSessionId(archive.controlSessionId)
          .correlationId(truncateId)
          .recordingId(recorded.recordingId)
          .position(0);
        const extend = new Uint8Array(256);
        const x = new ExtendRecordingRequestEncoder().wrapAndApplyHeader(extend, 0, header);
        x.controlSessionId(archive.controlSessionId)
          .correlationId(extendId)
          .recordingId(recorded.recordingId)
          .streamId(6401)
          .sourceLocation(SourceLocation.LOCAL)
          .channel(CHANNEL);
        // both requests must reach one poll of the archive's conductor: write them while the JVM is stopped
        // (every thread: kill() returns before a conductor spinning on the other core has stopped)
        expect(main.kill('SIGSTOP')).toBe(true);
        await awaitCondition('archive threads stopped', () => allThreadsStopped(main.pid), 10_000);
        let results: number[];
        try {
          results = [raw.offer(truncate, 0, 8 + t.encodedLength()), raw.offer(extend, 0, 8 + x.encodedLength())];
        } finally {
          main.kill('SIGCONT');
        }
        expect(results.every((r) => r > 0)).toBe(true);

        await awaitCondition('the extend to be refused', () => errorsFor(extendId).length > 0, 20_000);
        expectArchiveErrorResponse(
          errorsFor(extendId)[0],
          ArchiveErrorCode.GENERIC,
          `cannot extend recording ${recorded.recordingId} due to an outstanding delete operation`,
        );
        // the truncate itself went through: its DELETE signal, stop position 0, no error for it
        await signals.await('DELETE', (e) => e.correlationId === truncateId);
        expect(errorsFor(truncateId)).toEqual([]);
        expect(await within('stop position', CALL_MS, archive.getStopPosition(recorded.recordingId))).toBe(0);
        expect(archive.state()).toBe('CONNECTED');
      } finally {
        raw.close();
      }
    }, 60_000);

    /** Waits for REPLICATE_END of `replicationId`; returns the asynchronous ERRORs for it. */
    async function replicationOutcome(replicationId: number): Promise<unknown[]> {
      await signals.await('REPLICATE_END', (e) => e.correlationId === replicationId, 60_000);
      return errorsFor(replicationId);
    }

    it('A14 replicate an unknown src recording id → UNKNOWN_RECORDING "unknown src recording id" + REPLICATE_END', async () => {
      // the source is this archive itself (its own control channel); no data flows: nothing is replicated
      const replicationId = await within(
        'replicate',
        CALL_MS,
        archive.replicate(UNKNOWN_ID, main.controlStreamId, main.controlChannel),
      );
      const errors = await replicationOutcome(replicationId);
      expect(errors).toHaveLength(1);
      expectArchiveErrorResponse(
        errors[0],
        ArchiveErrorCode.UNKNOWN_RECORDING,
        `unknown src recording id ${UNKNOWN_ID}`,
      );
      expect(await within('try stop', CALL_MS, archive.tryStopReplication(replicationId))).toBe(false);
    }, 90_000);

    const authCases = [
      [
        'challenges',
        'challenge-me:eve',
        /Replication connection failed=.*Replication does not support challenge\/response authentication/,
      ],
      ['rejects the credentials', 'mallory:guess', /Replication connection failed=.*authentication rejected/],
    ] as const;
    for (const [what, credentials, message] of authCases) {
      it(`A14 replicate from a src archive that ${what} → REPLICATION_CONNECTION_FAILURE + REPLICATE_END`, async () => {
        // no data flows: the replication fails before any recording is read
        const replicationId = await within(
          'replicate',
          CALL_MS,
          archive.replicate(0, authSrc.controlStreamId, authSrc.controlChannel, {
            encodedCredentials: utf8.encode(credentials),
          }),
        );
        const errors = await replicationOutcome(replicationId);
        expect(errors).toHaveLength(1);
        expectArchiveErrorResponse(errors[0], ArchiveErrorCode.REPLICATION_CONNECTION_FAILURE, message);
        expect(await within('try stop', CALL_MS, archive.tryStopReplication(replicationId))).toBe(false);
        // the source archive saw the credentials and decided (its authenticator logs every decision)
        const user = credentials.startsWith('challenge-me:')
          ? /auth challenged session=\d+ challenge=nonce:eve/
          : /auth rejected session=\d+/;
        expect(authSrc.output()).toMatch(user);
        expect(authSrc.hasExited()).toBe(false);
      }, 90_000);
    }

    it('A13b response channel the archive can never reach → ArchiveTimeoutError "Archive connect timeout", nothing left open', async () => {
      // our client on the OTHER driver: the archive's response publication (IPC on its own driver) never connects.
      // No data flows: the session never exists.
      const other = await connectAeron(authSrc);
      const cnc = join(authSrc.aeronDir, 'cnc.dat');
      const controlEndpoint = main.controlChannel.replace(/^.*endpoint=/, '');
      const ours = () =>
        readCounters(cnc)
          .map((c) => c.label)
          .filter((label) => label.includes(controlEndpoint) || / 6620 aeron:ipc/.test(label));
      try {
        expect(ours()).toEqual([]);
        const error = await within(
          'connect outcome',
          30_000,
          failure(
            AeronArchive.connect({
              aeron: other,
              controlRequestChannel: main.controlChannel,
              controlRequestStreamId: main.controlStreamId,
              controlResponseChannel: 'aeron:ipc?term-length=64k',
              controlResponseStreamId: 6620,
              messageTimeoutMs: 3_000,
            }),
          ),
        );
        expect(error).toBeInstanceOf(ArchiveTimeoutError);
        const timeout = error as ArchiveTimeoutError;
        expect(timeout.code).toBe('ARCHIVE_TIMEOUT');
        expect(timeout.message).toMatch(/Archive connect timeout: step=/);
        // the control publication and the response subscription were closed (counters go after the linger)
        await awaitCondition(`our counters to go (left: ${ours().join(' | ')})`, () => ours().length === 0, 30_000, 50);
      } finally {
        other.close();
      }
      // the archive keeps serving its other sessions
      expect(
        await within(
          'call',
          CALL_MS,
          archive.getStopPosition(UNKNOWN_ID).catch((e: unknown) => e),
        ),
      ).toMatchObject({
        errorCode: ArchiveErrorCode.UNKNOWN_RECORDING,
      });
    }, 90_000);
  },
);
