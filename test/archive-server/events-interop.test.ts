/**
 * The TypeScript Archive server's recording events, counters and error log, checked as Java's archive gives them:
 * - `recordingEventsEnabled` on an IPC events channel: our `RecordingEventsAdapter` and Java's (ArchiveOpsProbe
 *   `events`) both see RecordingStarted (id, start, session, stream, original channel, source identity),
 *   RecordingProgress up to the stop position and RecordingStopped for a recording of 1,000 messages;
 * - the counters Java's archive allocates: "Archive Control Sessions - archiveId=<id>" (type 102) counting the
 *   control sessions, "Archive Errors - archiveId=<id> version=… commit=…" (type 101) counting errors;
 * - an error of the duty cycle (a CONNECT whose response channel does not parse) is counted and logged in the
 *   mark file's distinct error log, which Java's `ArchiveTool errors` prints.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRequestEncoder } from '../../codecs/generated/archive/ConnectRequestEncoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { PROTOCOL_SEMANTIC_VERSION } from '../../src/archive/archive-context.ts';
import { type RecordingEvent, RecordingEventsAdapter } from '../../src/archive/recording-events-adapter.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { payloadOf, removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const EVENTS_CHANNEL = 'aeron:ipc?term-length=64k|alias=events';
const EVENTS_STREAM = 31;
const ARCHIVE_ID = 4242;
const SUBSCRIBER_POSITION_TYPE_ID = 4;

describeInterop('TypeScript Archive server: recording events, counters and the error log', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;
  let client: AeronArchive;
  let classes: string;
  const signals = new SignalLog();

  function counter(typeId: number): { label: string; value: number } | null {
    let found: { label: string; value: number } | null = null;
    aeron.countersReader.forEach((counterId, type, _key, label) => {
      if (type === typeId && label.includes(`archiveId=${ARCHIVE_ID}`)) {
        found = { label, value: aeron.countersReader.getCounterValue(counterId) };
      }
    });
    return found;
  }

  function eventSubscribers(): number {
    let n = 0;
    aeron.countersReader.forEach((_id, type, _key, label) => {
      if (type === SUBSCRIBER_POSITION_TYPE_ID && label.includes(` ${EVENTS_STREAM} aeron:ipc`)) n++;
    });
    return n;
  }

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
    driver = await startMediaDriver();
    archiveDir = scratchDir('events');
    server = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir,
      archiveId: ARCHIVE_ID,
      segmentFileLength: 128 * 1024,
      recordingEventsEnabled: true,
      recordingEventsChannel: EVENTS_CHANNEL,
      recordingEventsStreamId: EVENTS_STREAM,
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
      recordingSignalConsumer: signals.consumer,
    });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    aeron?.close();
    await server?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  it('counts control sessions and errors on counters labelled as Java labels them', async () => {
    await awaitCondition('the control sessions counter at 1', () => counter(102)?.value === 1, 30_000);
    expect(counter(102)?.label).toBe(`Archive Control Sessions - archiveId=${ARCHIVE_ID}`);
    expect(counter(101)).toEqual({
      label: `Archive Errors - archiveId=${ARCHIVE_ID} version=0.1.0 commit=aeron-ts`,
      value: 0,
    });
    const second = await AeronArchive.connect({
      aeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
    });
    await awaitCondition('the control sessions counter at 2', () => counter(102)?.value === 2, 30_000);
    second.close();
    await awaitCondition('the control sessions counter back at 1', () => counter(102)?.value === 1, 30_000);
  }, 120_000);

  it('publishes RecordingStarted, RecordingProgress and RecordingStopped to our adapter and Java', async () => {
    const events: RecordingEvent[] = [];
    const subscription = await aeron.addSubscription('aeron:ipc', EVENTS_STREAM);
    const adapter = new RecordingEventsAdapter(
      subscription,
      {
        onStart: (recordingId, startPosition, sessionId, streamId, channel, sourceIdentity) =>
          events.push({ type: 'started', recordingId, startPosition, sessionId, streamId, channel, sourceIdentity }),
        onProgress: (recordingId, startPosition, position) =>
          events.push({ type: 'progress', recordingId, startPosition, position }),
        onStop: (recordingId, startPosition, stopPosition) =>
          events.push({ type: 'stopped', recordingId, startPosition, stopPosition }),
      },
      100,
    );
    try {
      await awaitCondition('our events subscriber', () => eventSubscribers() >= 1, 30_000);
      const java = runJava({
        classpath: [classes, aeronJarPath()],
        mainClass: 'ArchiveOpsProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [driver.aeronDir, IPC, '10', IPC, `events~aeron:ipc~${EVENTS_STREAM}`],
        timeoutMs: 120_000,
      });
      await awaitCondition('the Java events subscriber', () => eventSubscribers() >= 2, 60_000);

      const subscriptionId = await client.startRecording(IPC, 8301, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, 8301);
      let recordingId: number;
      let stop = 0;
      try {
        recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
        for (let i = 0; i < 1_000; i++) stop = await offerUntilAccepted(publication, payloadOf(31, i));
        await client.awaitRecordingPosition(recordingId, stop, { timeoutMs: 60_000 });
        await client.stopRecordingBySubscriptionId(subscriptionId);
        await signals.await('STOP', (e) => e.recordingId === recordingId, 30_000);
      } finally {
        publication.close();
      }
      await pollUntil(
        'RecordingStopped on our adapter',
        () => adapter.poll(),
        () => events.some((e) => e.type === 'stopped'),
        30_000,
      );
      expect(events[0]).toEqual({
        type: 'started',
        recordingId,
        startPosition: 0,
        sessionId: publication.sessionId,
        streamId: 8301,
        channel: IPC,
        sourceIdentity: 'aeron:ipc',
      });
      const progress = events.filter((e) => e.type === 'progress').map((e) => e.position);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p, i) => i === 0 || p > (progress[i - 1] as number))).toBe(true);
      expect(progress[progress.length - 1]).toBeLessThanOrEqual(stop);
      expect(events[events.length - 1]).toEqual({ type: 'stopped', recordingId, startPosition: 0, stopPosition: stop });

      const result = await java;
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines).toContain(
        `started id=${recordingId} start=0 session=${publication.sessionId} stream=8301 channel=${IPC} source=aeron:ipc`,
      );
      expect(lines).toContain(`stopped id=${recordingId} start=0 stop=${stop}`);
      expect(lines.find((l) => l.startsWith('progress count='))).toMatch(/^progress count=[1-9]\d* last=\d+$/);
    } finally {
      subscription.close();
    }
  }, 180_000);

  it('counts an error of the duty cycle and logs it in the mark file, where ArchiveTool errors finds it', async () => {
    // a CONNECT whose response channel does not parse: the conductor's error handler gets the parser's error
    const request = await aeron.addExclusivePublication(IPC, 10);
    try {
      const buffer = new Uint8Array(256);
      const encoder = new ConnectRequestEncoder()
        .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
        .correlationId(77)
        .responseStreamId(20)
        .version(PROTOCOL_SEMANTIC_VERSION)
        .responseChannel('bogus-channel');
      await offerUntilAccepted(
        { offer: (b: Uint8Array, o: number, l: number) => request.offer(b, o, l) },
        buffer.subarray(0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()),
      );
      await awaitCondition('the error counter at 1', () => counter(101)?.value === 1, 30_000);
    } finally {
      request.close();
    }
    expect(server.errors.map(String)).toEqual([
      "ChannelUriError: Aeron URIs must start with 'aeron:', found: bogus-channel",
    ]);
    client.close();
    await server.close();
    const tool = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.archive.ArchiveTool',
      args: [archiveDir, 'errors'],
      jvmArgs: AERON_JVM_FLAGS,
      timeoutMs: 120_000,
    });
    expect(tool.code, `${tool.stdout}${tool.stderr}`).toBe(0);
    expect(tool.stdout).toContain('1 observations from');
    expect(tool.stdout).toContain("Aeron URIs must start with 'aeron:', found: bogus-channel");
  }, 120_000);
});
