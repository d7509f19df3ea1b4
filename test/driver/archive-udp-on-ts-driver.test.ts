/**
 * The Java archive over UDP on the TypeScript media driver (issue 17): Aeron 1.51.0's `io.aeron.archive.Archive` runs
 * in its own JVM as a plain client of a TS driver in this process (SHARED: the driver's worker thread), with its UDP
 * control channel on (`aeron:udp?endpoint=localhost:<free port>`, stream 10). A TS `AeronArchive` and a Java
 * `AeronArchive` (test/driver/java/ArchiveUdpProbe.java) connect over it with UDP response channels, record a UDP
 * stream the archive subscribes to over the wire (`SourceLocation.REMOTE`) and replay it over UDP: every message
 * checked in order. Every channel goes through the TS driver's sender and receiver on loopback:
 *
 * ```
 *  TS / Java AeronArchive --udp localhost:C stream 10-->  Archive JVM  --udp localhost:R (responses)-->  the client
 *  TS / Java exclusive publication --udp localhost:S-->  Archive JVM recording subscription (REMOTE)
 *  Archive JVM replay publication  --udp localhost:P-->  TS / Java replay subscription: every message checked
 * ```
 *
 * The driver's error log stays empty throughout, and once the archive and the clients are gone the driver has
 * released every log file, client counter and UDP endpoint. The setup and the steps shared with the IPC suite:
 * `java-archive-on-ts-driver.ts`.
 */
import { beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import {
  ERRORS_COUNTER_ID as ERRORS,
  ARCHIVE_TERM_LENGTH as TERM_LENGTH,
  ARCHIVE_TEST_TIMEOUT_MS as TEST_TIMEOUT_MS,
  useJavaArchiveOnTsDriver,
} from './java-archive-on-ts-driver.ts';

const MESSAGE_COUNT = 3_000;
/** 0..3000 bytes: empty messages, one-frame messages and messages fragmented over up to 3 frames (MTU 1408). */
const SIZES = 'random:15:0:3000';
const SEED = 0x17e1;

/** A unicast UDP channel on a free loopback port with 64 KiB terms. */
async function udpChannel(): Promise<string> {
  return `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
}

describeInterop('The Java Archive over UDP control, recording and replay channels on the TS media driver', () => {
  // The harness's archive settings: UDP control channel on a free port (stream 10), recording events off.
  const suite = useJavaArchiveOnTsDriver({
    javaSources: ['test/driver/java/ArchiveUdpProbe.java'],
    control: 'udp',
    responseChannel: udpChannel,
  });

  beforeAll(() => {
    expect(suite.archive.controlChannel).toMatch(/^aeron:udp\?endpoint=localhost:\d+$/);
  });

  it(
    'TS AeronArchive over UDP control: records a UDP stream (REMOTE) and replays it over UDP, every message checked',
    async () => {
      const { aeron, archive, client } = suite;
      expect(client.state()).toBe('CONNECTED');
      expect(String(client.archiveId)).toBe(archive.archiveId);
      const channel = await udpChannel();
      const streamId = 1701;
      const subscriptionId = await client.startRecording(channel, streamId, SourceLocation.REMOTE);
      const publication = await aeron.addExclusivePublication(channel, streamId);
      const recordingId = await suite.startedRecording(subscriptionId);

      const sizes = new MessageSizes(SIZES);
      const position = await suite.publishPattern(publication, sizes, SEED, MESSAGE_COUNT);
      expect(position).toBeGreaterThan(4 * TERM_LENGTH);
      await client.awaitRecordingPosition(recordingId, position, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await suite.stoppedRecording(recordingId);
      publication.close();

      const listed: RecordingDescriptor[] = [];
      await client.listRecordingsForUri(0, 10, channel.split('|')[0]!, streamId, (d) => listed.push(d));
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        recordingId,
        startPosition: 0,
        stopPosition: position,
        sessionId: publication.sessionId,
        termBufferLength: TERM_LENGTH,
      });
      // The source identity of a UDP recording is the sender's address as the receiving driver saw it.
      expect(listed[0]!.sourceIdentity).toMatch(/^127\.0\.0\.1:\d+$/);

      const replay = await client.replay(recordingId, await udpChannel(), streamId + 1, {
        position: 0,
        length: position,
      });
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
    'Java AeronArchive over UDP control records (REMOTE) and replays over UDP; the TS client replays its recording over UDP',
    async () => {
      const { archive, client, view } = suite;
      const count = 200;
      const streamId = 1801;
      const probe = await runJava({
        classpath: [suite.classes, aeronJarPath()],
        mainClass: 'ArchiveUdpProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [
          suite.driver.aeronDir,
          archive.controlChannel,
          String(archive.controlStreamId),
          await udpChannel(),
          String(count),
          await udpChannel(),
          String(streamId),
          await udpChannel(),
          String(streamId + 1),
        ],
        timeoutMs: 150_000,
      });
      expect(probe.code, `${probe.stdout}\n${probe.stderr}`).toBe(0);
      expect(probe.stdout).toContain(`archive id=${archive.archiveId} `);
      const recording = /recording id=(\d+) stop=(\d+) session=(-?\d+)/.exec(probe.stdout);
      expect(recording).not.toBeNull();
      const recordingId = Number(recording![1]);
      const position = Number(recording![2]);
      const lines = probe.stdout.split('\n').filter((line) => line.startsWith('message '));
      const expected = Array.from({ length: count }, (_, i) => `message udp probe message ${i}`);
      expect(lines).toEqual(expected);
      expect(probe.stdout.trimEnd().endsWith('done')).toBe(true);

      const replay = await client.replay(recordingId, await udpChannel(), streamId + 2, {
        position: 0,
        length: position,
      });
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
    'releases everything the archive and its clients held once they are gone: no log file, no client counter, no endpoint',
    async () => {
      await suite.closeAndAwaitReleased();
      expect(suite.errors()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
