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
 * the clients are gone the driver has released every publication, log file and client counter.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchive, TS_DRIVER } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
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
/** Recordings, replays and control responses on 64 KiB terms: small logs, and terms rotate within a test. */
const IPC = `aeron:ipc?term-length=${TERM_LENGTH}`;
const MESSAGE_COUNT = 3_000;
/** 0..3000 bytes: empty messages, one-frame messages and messages fragmented over up to 3 frames (MTU 1408). */
const SIZES = 'random:15:0:3000';
const SEED = 0x15a;
/** Java's `AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`. */
const RECORDING_POSITION_TYPE_ID = 100;
/** System counter 15 (ERRORS). */
const ERRORS = 15;
/** Counters 0..45 are the driver's system counters. */
const SYSTEM_COUNTER_COUNT = 46;
const TEST_TIMEOUT_MS = 180_000;

describeInterop('The Java Archive (io.aeron.archive.Archive) as a client of the TS media driver', () => {
  let driver: TestDriver;
  let archive: ArchivingDriverHandle;
  let aeron: Aeron;
  let client: AeronArchive;
  let view: CncView;
  let classes: string;
  const signals: RecordingSignalEvent[] = [];

  beforeAll(async () => {
    classes = compileJava({
      sources: ['test/java/ArchiveProbe.java', 'test/java/ArchiveReplayProbe.java'],
      classpath: [aeronJarPath()],
    });
    driver = await launchTestDriver({ threadingMode: 'SHARED', ipcTermBufferLength: TERM_LENGTH });
    view = new CncView(driver.aeronDir);
    archive = await startArchive(driver.aeronDir, {
      driver: TS_DRIVER,
      properties: {
        'aeron.archive.control.channel.enabled': 'false',
        'aeron.archive.local.control.channel': IPC,
        'aeron.archive.local.control.stream.id': '10',
        // Required by Archive.Context.conclude, opened only by a replication request (none here).
        'aeron.archive.replication.channel': 'aeron:udp?endpoint=localhost:0',
        'aeron.archive.control.response.channel': 'aeron:udp?endpoint=localhost:0',
        'aeron.archive.recording.events.enabled': 'false',
      },
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: archive.localControlChannel,
      controlRequestStreamId: archive.localControlStreamId,
      controlResponseChannel: IPC,
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
  }, 60_000);

  /** The recording id of the first START signal for `subscriptionId`. */
  async function startedRecording(subscriptionId: number): Promise<number> {
    const started = (s: RecordingSignalEvent): boolean =>
      s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId;
    await awaitCondition('the START signal', () => signals.some(started));
    return signals.find(started)!.recordingId;
  }

  /** Polls `replay` through a fragment assembler into `verifier` until it has every message or the replay ended. */
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
    'records an IPC stream from a TS publication and replays it over aeron:ipc: every message checked (TS AeronArchive)',
    async () => {
      const streamId = 1101;
      const subscriptionId = await client.startRecording(IPC, streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, streamId);
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
      // While it records, the archive's recording position counter (key: recording id first) is in our counters.
      let recordingPosition = -1;
      view.counters.forEach((id, typeId, key) => {
        if (typeId === RECORDING_POSITION_TYPE_ID && key.getInt64(0) === recordingId) recordingPosition = id;
      });
      expect(recordingPosition).toBeGreaterThanOrEqual(SYSTEM_COUNTER_COUNT);
      expect(view.counters.getCounterValue(recordingPosition)).toBe(position);
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await awaitCondition('the STOP signal', () =>
        signals.some((s) => s.signal === RecordingSignal.STOP && s.recordingId === recordingId),
      );
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
    'serves the Java AeronArchive over aeron:ipc: it records and replays, and the TS client replays its recording',
    async () => {
      const streamId = 1201;
      const count = 100;
      const args = [driver.aeronDir, archive.localControlChannel, String(archive.localControlStreamId), IPC];
      const recorded = await runJava({
        classpath: [classes, aeronJarPath()],
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
        classpath: [classes, aeronJarPath()],
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
    'releases everything the archive and its clients held once they are gone: no log file, no client counter',
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
