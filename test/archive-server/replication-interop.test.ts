/**
 * Replication with the TypeScript Archive server on either side (issue 18), against Java 1.51.0 ArchivingMediaDrivers:
 *
 * ```
 *   Java src ArchivingMediaDriver ──replicate──▶ Java dst ArchivingMediaDriver   (the reference)
 *                                 └─replicate──▶ TS archive (own Java media driver, UDP control channel)
 *   TS archive ──replicate──▶ Java dst;   TS archive ──replicate──▶ TS archive (itself, over its UDP control)
 * ```
 * Java's `AeronArchive` (test/java/ArchiveReplicateProbe.java) asks each destination for the same replication and
 * prints the replication's signals (name, position, whether a subscription id is set) and the replica's start and
 * stop: the TS destination's lines equal the Java destination's, allowing only the race 1.51.0 itself has (SYNC
 * is sent only when a duty cycle sees the replay image at the source's stop before the image closes; see
 * test/archive/replication-interop.test.ts). Every replica is replayed by our client and compared message for
 * message with what was published.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import {
  awaitRecorded,
  listAll,
  messagePayload,
  replayPayloads,
  SignalLog,
} from '../archive/support/archive-interop.ts';
import {
  type LiveRecording,
  liveChannel,
  startLiveRecording,
  startTwoArchives,
  type TwoArchives,
} from '../archive/support/two-archives.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const SEGMENT = '1m';

/** The signal sequences 1.51.0 gives a replication of a stopped recording (SYNC may be skipped by its race). */
const STOPPED_RECORDING_SEQUENCES = [
  ['REPLICATE', 'EXTEND', 'SYNC', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
];

/** One destination as the probe reaches it (over IPC on its driver). */
interface ProbeTarget {
  readonly aeronDir: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
}

/** What the probe printed: the signal lines, by name, and the other lines. */
interface ProbeOutput {
  readonly lines: string[];
  readonly names: string[];
  readonly byName: Map<string, string>;
}

function parseProbe(stdout: string): ProbeOutput {
  const lines = stdout.split('\n').filter((l) => l.length > 0 && l !== 'done');
  const signals = lines.filter((l) => l.startsWith('signal '));
  const names = signals.map((l) => l.split(' ')[1] as string);
  return { lines, names, byName: new Map(signals.map((l) => [l.split(' ')[1] as string, l])) };
}

/** The TS output matches Java's: a sequence 1.51.0 gives, and each signal both sent equal, and the replica equal. */
function expectSameReplication(ts: ProbeOutput, java: ProbeOutput, sequences: string[][]): void {
  expect(sequences).toContainEqual(java.names);
  expect(sequences).toContainEqual(ts.names);
  for (const [name, line] of ts.byName) {
    if (java.byName.has(name)) expect(line).toBe(java.byName.get(name));
  }
  const rest = (o: ProbeOutput) => o.lines.filter((l) => !l.startsWith('signal '));
  expect(rest(ts)).toEqual(rest(java));
}

describeInterop('TypeScript Archive server: replication from and to Java 1.51.0 archives', () => {
  let classes: string;
  let two: TwoArchives | undefined;
  let tsDriver: DriverHandle | undefined;
  let tsArchiveDir: string | undefined;
  let tsArchive: Archive | undefined;
  let tsAeron: Aeron | undefined;
  let tsClient: AeronArchive | undefined;
  let tsControlChannel = '';
  const tsSignals = new SignalLog();

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveReplicateProbe.java'], classpath: [aeronJarPath()] });
    two = await startTwoArchives({ properties: { 'aeron.archive.segment.file.length': SEGMENT } });
    tsDriver = await startMediaDriver();
    tsArchiveDir = scratchDir('replication');
    tsControlChannel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    tsArchive = await Archive.launch({
      aeronDir: tsDriver.aeronDir,
      archiveDir: tsArchiveDir,
      controlChannel: tsControlChannel,
      segmentFileLength: 1024 * 1024,
    });
    tsAeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, driverTimeoutMs: 10_000 });
    tsClient = await AeronArchive.connect({
      aeron: tsAeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
      recordingSignalConsumer: tsSignals.consumer,
    });
  }, 240_000);

  afterAll(async () => {
    tsClient?.close();
    tsAeron?.close();
    await tsArchive?.close();
    await tsDriver?.stop();
    if (tsArchiveDir !== undefined) removeScratch(tsArchiveDir);
    await two?.close();
    expect(tsArchive?.errors ?? []).toEqual([]);
    assertNoLeftovers();
  }, 60_000);

  const tsTarget = (): ProbeTarget => ({
    aeronDir: (tsDriver as DriverHandle).aeronDir,
    controlChannel: IPC,
    controlStreamId: 10,
  });
  const javaDstTarget = (): ProbeTarget => ({
    aeronDir: two!.dst.driver.aeronDir,
    controlChannel: two!.dst.driver.localControlChannel,
    controlStreamId: two!.dst.driver.localControlStreamId,
  });

  async function probe(
    target: ProbeTarget,
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    mode: string,
  ): Promise<ProbeOutput> {
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveReplicateProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [
        target.aeronDir,
        target.controlChannel,
        String(target.controlStreamId),
        IPC,
        String(srcRecordingId),
        String(srcControlStreamId),
        srcControlChannel,
        mode,
      ],
      timeoutMs: 120_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return parseProbe(result.stdout);
  }

  /** A stopped recording of `count` messages in the Java source archive. */
  async function stoppedJavaRecording(streamId: number, count: number): Promise<LiveRecording> {
    const { src } = two!;
    const live = await startLiveRecording(src, await liveChannel(), streamId);
    const stopPosition = await live.publish(count, 300);
    await awaitRecorded(src.archive, live.recordingId, stopPosition);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    await src.signals.await('STOP', (e) => e.recordingId === live.recordingId);
    live.publication.close();
    return live;
  }

  /** The last recording in an archive (a replica just made). */
  async function lastRecording(client: AeronArchive) {
    const all = await listAll(client);
    const last = all[all.length - 1];
    expect(last).toBeDefined();
    return last as NonNullable<typeof last>;
  }

  it('Java source → TS destination (Java AeronArchive asks both): the Java destination’s signals and replica; every message replayed', async () => {
    const { src } = two!;
    const live = await stoppedJavaRecording(2101, 300);
    const java = await probe(
      javaDstTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      'replicate',
    );
    const ts = await probe(
      tsTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      'replicate',
    );
    expectSameReplication(ts, java, STOPPED_RECORDING_SEQUENCES);

    const srcDescriptor = (await listAll(src.archive)).find((d) => d.recordingId === live.recordingId);
    const replica = await lastRecording(tsClient!);
    expect(replica.startPosition).toBe(srcDescriptor!.startPosition);
    expect(replica.stopPosition).toBe(srcDescriptor!.stopPosition);
    expect(replica.initialTermId).toBe(srcDescriptor!.initialTermId);
    expect(replica.termBufferLength).toBe(srcDescriptor!.termBufferLength);
    expect(replica.sessionId).toBe(srcDescriptor!.sessionId);
    expect(replica.streamId).toBe(srcDescriptor!.streamId);
    expect(replica.originalChannel).toBe(srcDescriptor!.originalChannel);
    expect(replica.strippedChannel).toBe(srcDescriptor!.strippedChannel);
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      replica.recordingId,
      replica.startPosition,
      replica.stopPosition - replica.startPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3101,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('TS source → Java destination: Java’s ReplicationSession replays from the TS archive; every message replayed from Java', async () => {
    const { dst } = two!;
    // a recording made in the TS archive by our client over IPC
    const streamId = 2102;
    const subscriptionId = await tsClient!.startRecording(IPC, streamId, SourceLocation.LOCAL);
    const publication = await tsAeron!.addExclusivePublication(IPC, streamId);
    const payloads: Uint8Array[] = [];
    let tsRecordingId = -1;
    try {
      tsRecordingId = (await tsSignals.await('START', (e) => e.subscriptionId === subscriptionId)).recordingId;
      let end = 0;
      for (let i = 0; i < 400; i++) {
        const payload = messagePayload(streamId, i, 4 + ((i * 53) % 900));
        end = await offerUntilAccepted(publication, payload);
        payloads.push(payload);
      }
      await tsClient!.awaitRecordingPosition(tsRecordingId, end, { timeoutMs: 60_000 });
      await tsClient!.stopRecordingBySubscriptionId(subscriptionId);
      await tsSignals.await('STOP', (e) => e.recordingId === tsRecordingId);
    } finally {
      publication.close();
    }

    const java = await probe(javaDstTarget(), tsRecordingId, 10, tsControlChannel, 'replicate');
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(java.names);
    const source = (await listAll(tsClient!)).find((d) => d.recordingId === tsRecordingId);
    expect(java.lines).toContain(`recording start=${source!.startPosition} stop=${source!.stopPosition}`);

    const replica = await lastRecording(dst.archive);
    expect(replica.stopPosition).toBe(source!.stopPosition);
    expect(replica.sessionId).toBe(source!.sessionId);
    const replayed = await replayPayloads(
      dst.aeron,
      dst.archive,
      replica.recordingId,
      replica.startPosition,
      replica.stopPosition - replica.startPosition,
      payloads.length,
      REPLAY_CHANNEL,
      3102,
    );
    expect(replayed).toEqual(payloads);
  }, 240_000);

  it('TS source → TS destination (the archive replicates from its own UDP control channel, our client asks)', async () => {
    const { src } = two!;
    const live = await stoppedJavaRecording(2103, 120);
    // first into TS from Java, then TS → TS from that replica
    const first = await tsClient!.replicate(live.recordingId, src.driver.controlStreamId, src.driver.controlChannel);
    const firstReplicaId = (await tsSignals.await('REPLICATE', (e) => e.correlationId === first)).recordingId;
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === first);
    await tsSignals.await('STOP', (e) => e.recordingId === firstReplicaId);

    const second = await tsClient!.replicate(firstReplicaId, 10, tsControlChannel);
    const replicaId = (await tsSignals.await('REPLICATE', (e) => e.correlationId === second)).recordingId;
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === second);
    await tsSignals.await('STOP', (e) => e.recordingId === replicaId);
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(tsSignals.names((e) => e.correlationId === second));
    const replica = (await listAll(tsClient!)).find((d) => d.recordingId === replicaId);
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      replicaId,
      replica!.startPosition,
      replica!.stopPosition - replica!.startPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3103,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('STOP_REPLICATION of an active source recording: REPLICATE_END and STOP as from Java; a second stop is unknown', async () => {
    const { src } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2104);
    const first = await live.publish(30, 300);
    await awaitRecorded(src.archive, live.recordingId, first);
    const sequences = [
      ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
      ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
    ];
    const java = await probe(
      javaDstTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      'stop',
    );
    const ts = await probe(tsTarget(), live.recordingId, src.driver.controlStreamId, src.driver.controlChannel, 'stop');
    expect(sequences).toContainEqual(java.names);
    expect(sequences).toContainEqual(ts.names);
    expect(ts.lines).toContain('second stop false');
    expect(java.lines).toContain('second stop false');
    // the replica stopped where its STOP signal says, at a position the source had recorded
    const stopLine = ts.byName.get('STOP') as string;
    const stopped = Number(/position=(\d+)/.exec(stopLine)?.[1]);
    expect(ts.lines).toContain(`recording start=0 stop=${stopped}`);
    expect(stopped).toBeLessThanOrEqual(first);

    // our client: Java's code and text for an unknown replication id
    const error = await tsClient!.stopReplication(424_242).then(
      () => null,
      (e: unknown) => e as { errorCodeName: string; message: string },
    );
    expect(error?.errorCodeName).toBe('UNKNOWN_REPLICATION');
    expect(error?.message).toContain('unknown replication id 424242');
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();
  }, 240_000);

  it('stopPosition, then an extension of the replica (dstRecordingId) to the source’s end: as Java, all messages replayed', async () => {
    const { src, dst } = two!;
    const live = await stoppedJavaRecording(2105, 120);
    const frame = 352; // 300-byte payloads: 332-byte frames, 32-aligned
    const half = 50 * frame;
    const java = await probe(
      javaDstTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      `stopAt:${half}`,
    );
    const javaReplica = await lastRecording(dst.archive);
    const ts = await probe(
      tsTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      `stopAt:${half}`,
    );
    const tsReplica = await lastRecording(tsClient!);
    const stopAtSequences = [
      ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
      ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
    ];
    expectSameReplication(ts, java, stopAtSequences);
    expect(ts.lines).toContain(`recording start=0 stop=${half}`);
    expect(tsReplica.stopPosition).toBe(half);

    // extend each replica from the source (our client on both destinations)
    const extensionSequences = [
      ['EXTEND', 'SYNC', 'REPLICATE_END', 'STOP'],
      ['EXTEND', 'REPLICATE_END', 'STOP'],
      ['EXTEND', 'STOP', 'REPLICATE_END'],
    ];
    const extend = async (client: AeronArchive, signals: SignalLog, dstRecordingId: number): Promise<string[]> => {
      const replicationId = await client.replicate(
        live.recordingId,
        src.driver.controlStreamId,
        src.driver.controlChannel,
        { dstRecordingId },
      );
      await signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
      await signals.await('STOP', (e) => e.correlationId === replicationId);
      return signals.names((e) => e.correlationId === replicationId);
    };
    const javaNames = await extend(dst.archive, dst.signals, javaReplica.recordingId);
    const tsNames = await extend(tsClient!, tsSignals, tsReplica.recordingId);
    expect(extensionSequences).toContainEqual(javaNames);
    expect(extensionSequences).toContainEqual(tsNames);
    const extended = (await listAll(tsClient!)).find((d) => d.recordingId === tsReplica.recordingId);
    const source = (await listAll(src.archive)).find((d) => d.recordingId === live.recordingId);
    expect(extended!.stopPosition).toBe(source!.stopPosition);
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      tsReplica.recordingId,
      0,
      extended!.stopPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3105,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('into an empty destination recording (dstRecordingId, start = stop): the descriptor becomes the source’s, as Java’s replaceRecording; every message replayed', async () => {
    const { src, dst } = two!;
    const live = await stoppedJavaRecording(2107, 80);
    /** An empty recording (START then STOP with nothing published) through `client` on `aeron`. */
    const emptyRecording = async (client: AeronArchive, aeron: Aeron, signals: SignalLog, streamId: number) => {
      const subscriptionId = await client.startRecording(IPC, streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, streamId);
      try {
        const recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId)).recordingId;
        await client.stopRecordingBySubscriptionId(subscriptionId);
        await signals.await('STOP', (e) => e.recordingId === recordingId);
        return recordingId;
      } finally {
        publication.close();
      }
    };
    const replicateInto = async (client: AeronArchive, signals: SignalLog, dstRecordingId: number) => {
      const replicationId = await client.replicate(
        live.recordingId,
        src.driver.controlStreamId,
        src.driver.controlChannel,
        { dstRecordingId },
      );
      await signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
      await signals.await('STOP', (e) => e.correlationId === replicationId);
      return [...signals.names((e) => e.correlationId === replicationId)].sort();
    };
    const javaEmpty = await emptyRecording(dst.archive, dst.aeron, dst.signals, 2207);
    const tsEmpty = await emptyRecording(tsClient!, tsAeron!, tsSignals, 2307);
    const javaNames = await replicateInto(dst.archive, dst.signals, javaEmpty);
    const tsNames = await replicateInto(tsClient!, tsSignals, tsEmpty);
    expect(tsNames).toEqual(javaNames);

    const source = (await listAll(src.archive)).find((d) => d.recordingId === live.recordingId)!;
    const javaReplica = (await listAll(dst.archive)).find((d) => d.recordingId === javaEmpty)!;
    const tsReplica = (await listAll(tsClient!)).find((d) => d.recordingId === tsEmpty)!;
    for (const replica of [javaReplica, tsReplica]) {
      expect({
        start: replica.startPosition,
        stop: replica.stopPosition,
        sessionId: replica.sessionId,
        streamId: replica.streamId,
        initialTermId: replica.initialTermId,
        termBufferLength: replica.termBufferLength,
        originalChannel: replica.originalChannel,
      }).toEqual({
        start: source.startPosition,
        stop: source.stopPosition,
        sessionId: source.sessionId,
        streamId: source.streamId,
        initialTermId: source.initialTermId,
        termBufferLength: source.termBufferLength,
        originalChannel: source.originalChannel,
      });
    }
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      tsEmpty,
      tsReplica.startPosition,
      tsReplica.stopPosition - tsReplica.startPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3107,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('TAGGED_REPLICATE (channel and subscription tags: an MDS subscription with the replay as a destination) as Java', async () => {
    const { src } = two!;
    const live = await stoppedJavaRecording(2106, 80);
    const java = await probe(
      javaDstTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      'tagged',
    );
    const ts = await probe(
      tsTarget(),
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      'tagged',
    );
    expectSameReplication(ts, java, STOPPED_RECORDING_SEQUENCES);
    const replica = await lastRecording(tsClient!);
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      replica.recordingId,
      replica.startPosition,
      replica.stopPosition - replica.startPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3106,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('live merge: an active Java recording replicated into TS merges with the live stream (MERGE), then follows it', async () => {
    const { src } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2107);
    const before = await live.publish(20);
    await awaitRecorded(src.archive, live.recordingId, before);
    const replicationId = await tsClient!.replicate(
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      { liveDestination: live.channel },
    );
    await live.publish(20);
    const replicaId = (await tsSignals.await('REPLICATE', (e) => e.correlationId === replicationId)).recordingId;
    const ofReplica = (e: { recordingId: number }) => e.recordingId === replicaId;
    await tsSignals.await('MERGE', ofReplica);
    expect(tsSignals.names(ofReplica).slice(0, 3)).toEqual(['REPLICATE', 'EXTEND', 'MERGE']);
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === replicationId);

    const after = await live.publish(20);
    await awaitRecorded(tsClient!, replicaId, after);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();
    await tsSignals.await('STOP', ofReplica);
    expect(await tsClient!.getStopPosition(replicaId)).toBe(after);
    const replayed = await replayPayloads(
      tsAeron!,
      tsClient!,
      replicaId,
      0,
      after,
      live.payloads.length,
      REPLAY_CHANNEL,
      3107,
    );
    expect(replayed).toEqual(live.payloads);
  }, 240_000);

  it('live merge from a TS source: Java’s archive replicates an active TS recording, merges (MERGE) and follows it', async () => {
    const { dst } = two!;
    const streamId = 2108;
    const channel = await liveChannel();
    // the TS archive records the dynamic MDC stream as a remote subscriber (the publication connects to it)
    const subscriptionId = await tsClient!.startRecording(channel, streamId, SourceLocation.REMOTE);
    const publication = await tsAeron!.addPublication(channel, streamId);
    const payloads: Uint8Array[] = [];
    const publish = async (count: number): Promise<number> => {
      let position = 0;
      for (let i = 0; i < count; i++) {
        const payload = messagePayload(streamId, payloads.length, 200);
        position = await offerUntilAccepted(publication, payload, 20_000);
        payloads.push(payload);
      }
      return position;
    };
    try {
      const tsRecordingId = (await tsSignals.await('START', (e) => e.subscriptionId === subscriptionId)).recordingId;
      const before = await publish(20);
      await tsClient!.awaitRecordingPosition(tsRecordingId, before, { timeoutMs: 60_000 });
      const replicationId = await dst.archive.replicate(tsRecordingId, 10, tsControlChannel, {
        liveDestination: channel,
      });
      await publish(20);
      const replicaId = (await dst.signals.await('REPLICATE', (e) => e.correlationId === replicationId)).recordingId;
      const ofReplica = (e: { recordingId: number }) => e.recordingId === replicaId;
      await dst.signals.await('MERGE', ofReplica);
      expect(dst.signals.names(ofReplica).slice(0, 3)).toEqual(['REPLICATE', 'EXTEND', 'MERGE']);
      const after = await publish(20);
      await awaitRecorded(dst.archive, replicaId, after);
      await tsClient!.stopRecordingBySubscriptionId(subscriptionId);
      await tsSignals.await('STOP', (e) => e.recordingId === tsRecordingId);
      publication.close();
      await dst.signals.await('STOP', ofReplica);
      expect(await dst.archive.getStopPosition(replicaId)).toBe(after);
      const replayed = await replayPayloads(
        dst.aeron,
        dst.archive,
        replicaId,
        0,
        after,
        payloads.length,
        REPLAY_CHANNEL,
        3108,
      );
      expect(replayed).toEqual(payloads);
    } finally {
      publication.close();
    }
  }, 240_000);

  it('refusals: unknown source recording (after OK, as an ERROR for the replication), unknown destination, response channel, no source archive', async () => {
    const { src } = two!;
    const unknown = 987_654;
    const replicationId = await tsClient!.replicate(unknown, src.driver.controlStreamId, src.driver.controlChannel);
    expect(replicationId).toBeGreaterThan(0);
    let message: string | null = null;
    await awaitCondition('the replication error', () => {
      message = tsClient!.pollForErrorResponse();
      return message !== null;
    });
    expect(message).toBe(`unknown src recording id ${unknown}`);
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === replicationId);

    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => null,
        (e: unknown) => e as { errorCodeName: string; message: string },
      );
    const unknownDst = await refusal(
      tsClient!.replicate(1, src.driver.controlStreamId, src.driver.controlChannel, { dstRecordingId: 777 }),
    );
    expect(unknownDst?.errorCodeName).toBe('UNKNOWN_RECORDING');
    expect(unknownDst?.message).toContain('unknown destination recording id 777');
    const responseLive = await refusal(
      tsClient!.replicate(1, src.driver.controlStreamId, src.driver.controlChannel, {
        replicationChannel: 'aeron:udp?control-mode=response|control=localhost:10001',
        liveDestination: 'aeron:udp?endpoint=localhost:10002',
      }),
    );
    expect(responseLive?.message).toContain("response channels can't be used with live destinations");

    // no archive on the source control channel: the connect times out (10 s message timeout)
    const nowhere = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const failed = await tsClient!.replicate(1, 10, nowhere);
    let failure: string | null = null;
    await awaitCondition(
      'the connection failure',
      () => {
        failure = tsClient!.pollForErrorResponse();
        return failure !== null;
      },
      60_000,
    );
    expect(failure).toMatch(/^Replication connection failed=/);
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === failed);
  }, 120_000);
});
