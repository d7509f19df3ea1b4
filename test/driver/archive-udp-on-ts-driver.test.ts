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
 * released every log file, client counter and UDP endpoint.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchive, TS_DRIVER } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { fillMessage, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { CncView, launchTestDriver, type TestDriver } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const MESSAGE_COUNT = 3_000;
/** 0..3000 bytes: empty messages, one-frame messages and messages fragmented over up to 3 frames (MTU 1408). */
const SIZES = 'random:15:0:3000';
const SEED = 0x17e1;
/** System counter 15 (ERRORS). */
const ERRORS = 15;
/** Counters 0..45 are the driver's system counters. */
const SYSTEM_COUNTER_COUNT = 46;
const TEST_TIMEOUT_MS = 180_000;

/** A unicast UDP channel on a free loopback port with 64 KiB terms. */
async function udpChannel(): Promise<string> {
  return `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
}

describeInterop('The Java Archive over UDP control, recording and replay channels on the TS media driver', () => {
  let driver: TestDriver;
  let archive: ArchivingDriverHandle;
  let aeron: Aeron;
  let client: AeronArchive;
  let view: CncView;
  let classes: string;
  const signals: RecordingSignalEvent[] = [];

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/driver/java/ArchiveUdpProbe.java'], classpath: [aeronJarPath()] });
    driver = await launchTestDriver({ threadingMode: 'SHARED', ipcTermBufferLength: TERM_LENGTH });
    view = new CncView(driver.aeronDir);
    // The harness's archive settings: UDP control channel on a free port (stream 10), recording events off.
    archive = await startArchive(driver.aeronDir, { driver: TS_DRIVER });
    expect(archive.controlChannel).toMatch(/^aeron:udp\?endpoint=localhost:\d+$/);
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: archive.controlChannel,
      controlRequestStreamId: archive.controlStreamId,
      controlResponseChannel: await udpChannel(),
      messageTimeoutMs: 20_000,
      recordingSignalConsumer: (signal) => signals.push(signal),
    });
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    client?.close();
    aeron?.close();
    await archive?.stop();
    view?.[Symbol.dispose]();
    await driver?.close();
    assertNoLeftovers();
  }, 60_000);

  /** The recording id of the first START signal for `subscriptionId`. */
  async function startedRecording(subscriptionId: number): Promise<number> {
    const started = (s: RecordingSignalEvent): boolean =>
      s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId;
    await awaitCondition('the START signal', () => signals.some(started));
    return signals.find(started)!.recordingId;
  }

  /** Polls `replay` through a fragment assembler into `verifier` until it has every message. */
  async function drain(replay: Subscription, verifier: MessageVerifier): Promise<void> {
    const assembler = new FragmentAssembler((buffer: ReadableBuffer, offset: number, length: number) => {
      const bytes = new Uint8Array(length);
      buffer.getBytes(offset, bytes, 0, length);
      verifier.onMessage(bytes, 0, length);
    });
    await pollUntil(
      `${verifier.expectedTotal} replayed messages`,
      () => replay.poll(assembler.onFragment, 64),
      () => verifier.done,
      60_000,
      { detail: () => `received ${verifier.received}, errors ${verifier.errors.join('; ')}` },
    );
  }

  it(
    'TS AeronArchive over UDP control: records a UDP stream (REMOTE) and replays it over UDP, every message checked',
    async () => {
      expect(client.state()).toBe('CONNECTED');
      expect(String(client.archiveId)).toBe(archive.archiveId);
      const channel = await udpChannel();
      const streamId = 1701;
      const subscriptionId = await client.startRecording(channel, streamId, SourceLocation.REMOTE);
      const publication = await aeron.addExclusivePublication(channel, streamId);
      const recordingId = await startedRecording(subscriptionId);

      const sizes = new MessageSizes(SIZES);
      const buffer = new Uint8Array(sizes.max);
      let position = 0;
      for (let i = 0; i < MESSAGE_COUNT; i++) {
        const length = sizes.sizeOf(i);
        fillMessage(buffer, 0, length, SEED, i);
        position = await offerUntilAccepted(publication, buffer.subarray(0, length));
      }
      expect(position).toBeGreaterThan(4 * TERM_LENGTH);
      await client.awaitRecordingPosition(recordingId, position, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await awaitCondition('the STOP signal', () =>
        signals.some((s) => s.signal === RecordingSignal.STOP && s.recordingId === recordingId),
      );
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
        await drain(replay, verifier);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(MESSAGE_COUNT);
        expect(replay.images[0]!.position).toBe(position);
      } finally {
        replay.close();
      }
      expect(readAllErrors(view.regions.errorLog)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Java AeronArchive over UDP control records (REMOTE) and replays over UDP; the TS client replays its recording over UDP',
    async () => {
      const count = 200;
      const streamId = 1801;
      const probe = await runJava({
        classpath: [classes, aeronJarPath()],
        mainClass: 'ArchiveUdpProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [
          driver.aeronDir,
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
        const texts: string[] = [];
        const decoder = new TextDecoder();
        await pollUntil(
          `${count} messages replayed to TS`,
          () =>
            replay.poll((buffer, offset, length) => {
              const bytes = new Uint8Array(length);
              buffer.getBytes(offset, bytes, 0, length);
              texts.push(decoder.decode(bytes));
            }, 64),
          () => texts.length >= count,
          60_000,
        );
        expect(texts).toEqual(expected.map((line) => line.slice('message '.length)));
      } finally {
        replay.close();
      }
      expect(readAllErrors(view.regions.errorLog)).toEqual([]);
      expect(view.counters.getCounterValue(ERRORS)).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'releases everything the archive and its clients held once they are gone: no log file, no client counter, no endpoint',
    async () => {
      client.close();
      aeron.close();
      await archive.stop();
      await awaitCondition(
        'the archive and client resources released by the driver',
        () => {
          const logs = readdirSync(join(driver.aeronDir, 'publications'));
          let clientCounters = 0;
          view.counters.forEach((id) => {
            if (id >= SYSTEM_COUNTER_COUNT) clientCounters++;
          });
          return logs.length === 0 && clientCounters === 0;
        },
        60_000,
        { intervalMs: 50 },
      );
      expect(readAllErrors(view.regions.errorLog)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
