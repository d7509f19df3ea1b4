/**
 * The Java archive on the TypeScript media driver (issue 15): Aeron 1.51.0's `io.aeron.archive.Archive` runs in its
 * own JVM as a plain client of a TS driver in this process (SHARED: the driver's worker thread), not as an
 * ArchivingMediaDriver. Here everything is IPC: its UDP control channel is disabled
 * (`aeron.archive.control.channel.enabled=false`); clients reach it on its local control channel (`aeron:ipc`, stream
 * 10) with responses on `aeron:ipc`; recordings and replays are IPC too. The replication channel must be set; the
 * archive opens it only when asked to replicate; recording events are off. The same archive over UDP control,
 * recording and replay channels: archive-udp-on-ts-driver.test.ts.
 *
 * ```
 *  TS AeronArchive (this process)  --aeron:ipc stream 10-->   Archive JVM  --subscription aeron:ipc stream S-->
 *  TS exclusive publication aeron:ipc stream S (N messages, sizes 0..3000, fragmented above the MTU)
 *  Archive JVM replay publication aeron:ipc stream R  -->  TS replay subscription: every message checked in order
 *  Java AeronArchive (test/java/ArchiveProbe.java, ArchiveReplayProbe.java) over the same local control channel
 * ```
 *
 * The driver's error log must stay empty throughout (nothing the archive asked was refused), and once the archive and
 * the clients are gone the driver has released every publication, log file and client counter. The setup and the
 * steps shared with the UDP suite: `java-archive-on-ts-driver.ts`.
 */
import { expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import {
  ERRORS_COUNTER_ID as ERRORS,
  SYSTEM_COUNTER_COUNT,
  ARCHIVE_TERM_LENGTH as TERM_LENGTH,
  ARCHIVE_TEST_TIMEOUT_MS as TEST_TIMEOUT_MS,
  useJavaArchiveOnTsDriver,
} from './java-archive-on-ts-driver.ts';

/** Recordings, replays and control responses on 64 KiB terms: small logs, and terms rotate within a test. */
const IPC = `aeron:ipc?term-length=${TERM_LENGTH}`;
const MESSAGE_COUNT = 3_000;
/** 0..3000 bytes: empty messages, one-frame messages and messages fragmented over up to 3 frames (MTU 1408). */
const SIZES = 'random:15:0:3000';
const SEED = 0x15a;
/** Java's `AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`. */
const RECORDING_POSITION_TYPE_ID = 100;

describeInterop('The Java Archive (io.aeron.archive.Archive) as a client of the TS media driver', () => {
  const suite = useJavaArchiveOnTsDriver({
    javaSources: ['test/java/ArchiveProbe.java', 'test/java/ArchiveReplayProbe.java'],
    archiveProperties: {
      'aeron.archive.control.channel.enabled': 'false',
      'aeron.archive.local.control.channel': IPC,
      'aeron.archive.local.control.stream.id': '10',
      // Required by Archive.Context.conclude, opened only by a replication request (none here).
      'aeron.archive.replication.channel': 'aeron:udp?endpoint=localhost:0',
      'aeron.archive.control.response.channel': 'aeron:udp?endpoint=localhost:0',
      'aeron.archive.recording.events.enabled': 'false',
    },
    control: 'local',
    responseChannel: () => IPC,
  });

  it(
    'records an IPC stream from a TS publication and replays it over aeron:ipc: every message checked (TS AeronArchive)',
    async () => {
      const { aeron, client, view } = suite;
      const streamId = 1101;
      const subscriptionId = await client.startRecording(IPC, streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, streamId);
      const recordingId = await suite.startedRecording(subscriptionId);

      const sizes = new MessageSizes(SIZES);
      const position = await suite.publishPattern(publication, sizes, SEED, MESSAGE_COUNT);
      expect(position).toBeGreaterThan(4 * TERM_LENGTH);
      await client.awaitRecordingPosition(recordingId, position, { timeoutMs: 60_000 });
      // While it records, the archive's recording position counter (key: recording id first) is in our counters.
      let recordingPosition = -1;
      view.counters.forEach((id, typeId, key) => {
        if (typeId === RECORDING_POSITION_TYPE_ID && key.getInt64(0) === recordingId) recordingPosition = id;
      });
      expect(recordingPosition).toBeGreaterThanOrEqual(SYSTEM_COUNTER_COUNT);
      expect(view.counters.getCounterValue(recordingPosition)).toBe(position);
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await suite.stoppedRecording(recordingId);
      publication.close();

      const listed: RecordingDescriptor[] = [];
      await client.listRecordingsForUri(0, 10, 'aeron:ipc', streamId, (d) => listed.push(d));
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        recordingId,
        startPosition: 0,
        stopPosition: position,
        sessionId: publication.sessionId,
        termBufferLength: TERM_LENGTH,
        sourceIdentity: 'aeron:ipc',
      });

      const replay = await client.replay(recordingId, IPC, streamId + 1, { position: 0, length: position });
      try {
        const verifier = new MessageVerifier({ sizes, seed: SEED, count: MESSAGE_COUNT });
        await suite.replayInto(replay, verifier);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(MESSAGE_COUNT);
        expect(replay.images[0]!.position).toBe(position);
      } finally {
        replay.close();
      }
      expect(suite.errors()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'serves the Java AeronArchive over aeron:ipc: it records and replays, and the TS client replays its recording',
    async () => {
      const { archive, client, view } = suite;
      const streamId = 1201;
      const count = 100;
      const args = [suite.driver.aeronDir, archive.localControlChannel, String(archive.localControlStreamId), IPC];
      const recorded = await runJava({
        classpath: [suite.classes, aeronJarPath()],
        mainClass: 'ArchiveProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [...args, String(count), IPC, String(streamId)],
        timeoutMs: 120_000,
      });
      expect(recorded.code, `${recorded.stdout}\n${recorded.stderr}`).toBe(0);
      const stop = /published position=(\d+) messages=(\d+)/.exec(recorded.stdout);
      expect(stop?.[2]).toBe(String(count));
      const position = Number(stop?.[1]);
      const recording = /recording id=(\d+) start=0 stop=(\d+) stream=(\d+)/.exec(recorded.stdout);
      expect(recording?.[2]).toBe(String(position));
      const recordingId = Number(recording?.[1]);

      // Java replays it (ArchiveReplayProbe: aeron:ipc stream + 1) and prints every message in order.
      const replayed = await runJava({
        classpath: [suite.classes, aeronJarPath()],
        mainClass: 'ArchiveReplayProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [...args, 'aeron:ipc', String(streamId)],
        timeoutMs: 120_000,
      });
      expect(replayed.code, `${replayed.stdout}\n${replayed.stderr}`).toBe(0);
      const lines = replayed.stdout.split('\n').filter((line) => line.startsWith('message '));
      const expected = Array.from({ length: count }, (_, i) => `message probe message ${i}`);
      expect(lines).toEqual(expected);

      // The TS client replays the Java recording.
      const replay = await client.replay(recordingId, IPC, streamId + 2, { position: 0, length: position });
      try {
        const texts = await suite.replayTexts(replay, count);
        expect(texts).toEqual(expected.map((line) => line.slice('message '.length)));
      } finally {
        replay.close();
      }
      expect(suite.errors()).toEqual([]);
      expect(view.counters.getCounterValue(ERRORS)).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'releases everything the archive and its clients held once they are gone: no log file, no client counter',
    async () => {
      await suite.closeAndAwaitReleased();
      expect(suite.errors()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
