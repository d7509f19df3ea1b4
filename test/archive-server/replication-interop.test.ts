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
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import type { ReplicationParams } from '../../src/archive/replication-params.ts';
import { awaitRecorded, listAll, messagePayload } from '../archive/support/archive-interop.ts';
import {
  type LiveRecording,
  liveChannel,
  startLiveRecording,
  startTwoArchives,
  type TwoArchives,
} from '../archive/support/two-archives.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import {
  type ArchiveClient,
  type ArchiveTarget,
  connectClient,
  descriptorOf,
  expectReplayed,
  javaLocalTarget,
  launchTsArchive,
  recordStopped,
  replicateToStop,
  type TsArchive,
  udpControlChannel,
} from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';
const SEGMENT = '1m';

/** The signal sequences 1.51.0 gives a replication of a stopped recording (SYNC may be skipped by its race). */
const STOPPED_RECORDING_SEQUENCES = [
  ['REPLICATE', 'EXTEND', 'SYNC', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
];

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

/** What a replica takes over from its source's descriptor (the stripped channel aside). */
function streamOf(d: RecordingDescriptor) {
  const { startPosition, stopPosition, sessionId, streamId, initialTermId, termBufferLength, originalChannel } = d;
  return { startPosition, stopPosition, sessionId, streamId, initialTermId, termBufferLength, originalChannel };
}

describeInterop('TypeScript Archive server: replication from and to Java 1.51.0 archives', () => {
  let classes: string;
  let two: TwoArchives | undefined;
  let tsArchive: TsArchive;
  let tsControlChannel: string;
  let tsSide: ArchiveClient;

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveReplicateProbe.java'], classpath: [aeronJarPath()] });
    two = await startTwoArchives({ properties: { 'aeron.archive.segment.file.length': SEGMENT } });
    tsControlChannel = await udpControlChannel();
    tsArchive = await launchTsArchive('replication', {
      controlChannel: tsControlChannel,
      segmentFileLength: 1024 * 1024,
    });
    tsSide = await connectClient(tsArchive.aeron, tsArchive.local, IPC);
  }, 240_000);

  afterAll(async () => {
    tsSide?.archive.close();
    await tsArchive?.close();
    await two?.close();
    expect(tsArchive?.server.errors ?? []).toEqual([]);
    assertNoLeftovers();
  }, 60_000);

  async function probe(
    target: ArchiveTarget,
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

  /** The probe asks the Java destination, then the TS one, to replicate the Java source's `srcRecordingId` (`mode`). */
  async function probeBoth(srcRecordingId: number, mode: string): Promise<{ java: ProbeOutput; ts: ProbeOutput }> {
    const { src, dst } = two!;
    const { controlStreamId, controlChannel } = src.driver;
    const java = await probe(javaLocalTarget(dst.driver), srcRecordingId, controlStreamId, controlChannel, mode);
    const ts = await probe(tsArchive.local, srcRecordingId, controlStreamId, controlChannel, mode);
    return { java, ts };
  }

  /** `side` replicates the Java source's `srcRecordingId` (`params`) and waits for REPLICATE_END and STOP. */
  function replicateFromJava(side: ArchiveClient, srcRecordingId: number, params: ReplicationParams = {}) {
    const { controlStreamId, controlChannel } = two!.src.driver;
    return replicateToStop(side, srcRecordingId, controlStreamId, controlChannel, params);
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
    const { java, ts } = await probeBoth(live.recordingId, 'replicate');
    expectSameReplication(ts, java, STOPPED_RECORDING_SEQUENCES);

    const srcDescriptor = await descriptorOf(src.archive, live.recordingId);
    const replica = await lastRecording(tsSide.archive);
    expect(streamOf(replica)).toEqual(streamOf(srcDescriptor));
    expect(replica.strippedChannel).toBe(srcDescriptor.strippedChannel);
    await expectReplayed(tsSide, replica, live.payloads, REPLAY_CHANNEL, 3101);
  }, 240_000);

  it('TS source → Java destination: Java’s ReplicationSession replays from the TS archive; every message replayed from Java', async () => {
    const { dst } = two!;
    // a recording made in the TS archive by our client over IPC
    const streamId = 2102;
    const payloads = Array.from({ length: 400 }, (_, i) => messagePayload(streamId, i, 4 + ((i * 53) % 900)));
    const { recordingId: tsRecordingId } = await recordStopped(tsSide, IPC, streamId, payloads);

    const java = await probe(javaLocalTarget(dst.driver), tsRecordingId, 10, tsControlChannel, 'replicate');
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(java.names);
    const source = await descriptorOf(tsSide.archive, tsRecordingId);
    expect(java.lines).toContain(`recording start=${source.startPosition} stop=${source.stopPosition}`);

    const replica = await lastRecording(dst.archive);
    expect(replica.stopPosition).toBe(source.stopPosition);
    expect(replica.sessionId).toBe(source.sessionId);
    await expectReplayed(dst, replica, payloads, REPLAY_CHANNEL, 3102);
  }, 240_000);

  it('TS source → TS destination (the archive replicates from its own UDP control channel, our client asks)', async () => {
    const live = await stoppedJavaRecording(2103, 120);
    // first into TS from Java, then TS → TS from that replica
    const first = await replicateFromJava(tsSide, live.recordingId);
    const second = await replicateToStop(tsSide, first.replicaId, 10, tsControlChannel);
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(second.names);
    const replica = await descriptorOf(tsSide.archive, second.replicaId);
    await expectReplayed(tsSide, replica, live.payloads, REPLAY_CHANNEL, 3103);
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
    const { java, ts } = await probeBoth(live.recordingId, 'stop');
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
    const error = await tsSide.archive.stopReplication(424_242).then(
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
    const { java, ts } = await probeBoth(live.recordingId, `stopAt:${half}`);
    const javaReplica = await lastRecording(dst.archive);
    const tsReplica = await lastRecording(tsSide.archive);
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
    const javaExtension = await replicateFromJava(dst, live.recordingId, { dstRecordingId: javaReplica.recordingId });
    const tsExtension = await replicateFromJava(tsSide, live.recordingId, { dstRecordingId: tsReplica.recordingId });
    expect(extensionSequences).toContainEqual(javaExtension.names);
    expect(extensionSequences).toContainEqual(tsExtension.names);
    const extended = await descriptorOf(tsSide.archive, tsReplica.recordingId);
    const source = await descriptorOf(src.archive, live.recordingId);
    expect(extended.stopPosition).toBe(source.stopPosition);
    await expectReplayed(tsSide, extended, live.payloads, REPLAY_CHANNEL, 3105);
  }, 240_000);

  it('into an empty destination recording (dstRecordingId, start = stop): the descriptor becomes the source’s, as Java’s replaceRecording; every message replayed', async () => {
    const { src, dst } = two!;
    const live = await stoppedJavaRecording(2107, 80);
    /** An empty recording (START then STOP with nothing published) through `side`; its id. */
    const emptyRecording = async (side: ArchiveClient, streamId: number) =>
      (await recordStopped(side, IPC, streamId, [])).recordingId;
    const replicateInto = async (side: ArchiveClient, dstRecordingId: number) =>
      [...(await replicateFromJava(side, live.recordingId, { dstRecordingId })).names].sort();
    const javaEmpty = await emptyRecording(dst, 2207);
    const tsEmpty = await emptyRecording(tsSide, 2307);
    const javaNames = await replicateInto(dst, javaEmpty);
    const tsNames = await replicateInto(tsSide, tsEmpty);
    expect(tsNames).toEqual(javaNames);

    const source = await descriptorOf(src.archive, live.recordingId);
    const javaReplica = await descriptorOf(dst.archive, javaEmpty);
    const tsReplica = await descriptorOf(tsSide.archive, tsEmpty);
    for (const replica of [javaReplica, tsReplica]) expect(streamOf(replica)).toEqual(streamOf(source));
    await expectReplayed(tsSide, tsReplica, live.payloads, REPLAY_CHANNEL, 3107);
  }, 240_000);

  it('TAGGED_REPLICATE (channel and subscription tags: an MDS subscription with the replay as a destination) as Java', async () => {
    const live = await stoppedJavaRecording(2106, 80);
    const { java, ts } = await probeBoth(live.recordingId, 'tagged');
    expectSameReplication(ts, java, STOPPED_RECORDING_SEQUENCES);
    const replica = await lastRecording(tsSide.archive);
    await expectReplayed(tsSide, replica, live.payloads, REPLAY_CHANNEL, 3106);
  }, 240_000);

  it('live merge: an active Java recording replicated into TS merges with the live stream (MERGE), then follows it', async () => {
    const { src } = two!;
    const { archive: tsClient, signals: tsSignals } = tsSide;
    const live = await startLiveRecording(src, await liveChannel(), 2107);
    const before = await live.publish(20);
    await awaitRecorded(src.archive, live.recordingId, before);
    const replicationId = await tsClient.replicate(
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
    await awaitRecorded(tsClient, replicaId, after);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();
    await tsSignals.await('STOP', ofReplica);
    expect(await tsClient.getStopPosition(replicaId)).toBe(after);
    const replica = { recordingId: replicaId, startPosition: 0, stopPosition: after };
    await expectReplayed(tsSide, replica, live.payloads, REPLAY_CHANNEL, 3107);
  }, 240_000);

  it('live merge from a TS source: Java’s archive replicates an active TS recording, merges (MERGE) and follows it', async () => {
    const { dst } = two!;
    const { aeron: tsAeron, archive: tsClient, signals: tsSignals } = tsSide;
    const streamId = 2108;
    const channel = await liveChannel();
    // the TS archive records the dynamic MDC stream as a remote subscriber (the publication connects to it)
    const subscriptionId = await tsClient.startRecording(channel, streamId, SourceLocation.REMOTE);
    const publication = await tsAeron.addPublication(channel, streamId);
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
      await tsClient.awaitRecordingPosition(tsRecordingId, before, { timeoutMs: 60_000 });
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
      await tsClient.stopRecordingBySubscriptionId(subscriptionId);
      await tsSignals.await('STOP', (e) => e.recordingId === tsRecordingId);
      publication.close();
      await dst.signals.await('STOP', ofReplica);
      expect(await dst.archive.getStopPosition(replicaId)).toBe(after);
      const replica = { recordingId: replicaId, startPosition: 0, stopPosition: after };
      await expectReplayed(dst, replica, payloads, REPLAY_CHANNEL, 3108);
    } finally {
      publication.close();
    }
  }, 240_000);

  it('live merge with a live destination the driver refuses: as Java, no ERROR and no end; the replay is followed until STOP_REPLICATION', async () => {
    const { src, dst } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2109);
    const before = await live.publish(20);
    await awaitRecorded(src.archive, live.recordingId, before);
    // `mtu` is one of the keys a destination may not have: the driver refuses ADD_RCV_DESTINATION
    const refused = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|mtu=1408`;
    const sides = [
      { name: 'java', side: dst },
      { name: 'ts', side: tsSide },
    ];
    const replications = [];
    for (const { name, side } of sides) {
      const replicationId = await side.archive.replicate(
        live.recordingId,
        src.driver.controlStreamId,
        src.driver.controlChannel,
        { liveDestination: refused },
      );
      const replicaId = (await side.signals.await('REPLICATE', (e) => e.correlationId === replicationId)).recordingId;
      await side.signals.await('EXTEND', (e) => e.recordingId === replicaId);
      replications.push({ name, side, replicationId, replicaId });
    }
    // each replica follows the source through the replay (the live join stays attempted: one transport, no MERGE)
    const after = await live.publish(20);
    for (const { side, replicaId } of replications) await awaitRecorded(side.archive, replicaId, after);
    await new Promise((r) => setTimeout(r, 1500));
    const more = await live.publish(10);
    for (const { name, side, replicationId, replicaId } of replications) {
      await awaitRecorded(side.archive, replicaId, more);
      expect({ name, error: side.archive.pollForErrorResponse() }).toEqual({ name, error: null });
      expect({ name, signals: side.signals.names((e) => e.correlationId === replicationId) }).toEqual({
        name,
        signals: ['REPLICATE', 'EXTEND'],
      });
    }
    const sequences = [
      ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
      ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
    ];
    for (const { name, side, replicationId, replicaId } of replications) {
      await side.archive.stopReplication(replicationId);
      await side.signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
      await side.signals.await('STOP', (e) => e.recordingId === replicaId);
      const names = side.signals.names((e) => e.correlationId === replicationId);
      expect(sequences, `${name}: ${names.join(',')}`).toContainEqual(names);
      // stopped where the replay had brought it: everything the source recorded
      expect({ name, stop: await side.archive.getStopPosition(replicaId) }).toEqual({ name, stop: more });
    }
    const tsReplicaId = (replications[1] as (typeof replications)[number]).replicaId;
    const replica = { recordingId: tsReplicaId, startPosition: 0, stopPosition: more };
    await expectReplayed(tsSide, replica, live.payloads, REPLAY_CHANNEL, 3109);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();
  }, 240_000);

  it('refusals: unknown source recording (after OK, as an ERROR for the replication), unknown destination, response channel, no source archive', async () => {
    const { src } = two!;
    const { archive: tsClient, signals: tsSignals } = tsSide;
    const unknown = 987_654;
    const replicationId = await tsClient.replicate(unknown, src.driver.controlStreamId, src.driver.controlChannel);
    expect(replicationId).toBeGreaterThan(0);
    let message: string | null = null;
    await awaitCondition('the replication error', () => {
      message = tsClient.pollForErrorResponse();
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
      tsClient.replicate(1, src.driver.controlStreamId, src.driver.controlChannel, { dstRecordingId: 777 }),
    );
    expect(unknownDst?.errorCodeName).toBe('UNKNOWN_RECORDING');
    expect(unknownDst?.message).toContain('unknown destination recording id 777');
    const responseLive = await refusal(
      tsClient.replicate(1, src.driver.controlStreamId, src.driver.controlChannel, {
        replicationChannel: 'aeron:udp?control-mode=response|control=localhost:10001',
        liveDestination: 'aeron:udp?endpoint=localhost:10002',
      }),
    );
    expect(responseLive?.message).toContain("response channels can't be used with live destinations");

    // no archive on the source control channel: the connect times out (10 s message timeout)
    const nowhere = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const failed = await tsClient.replicate(1, 10, nowhere);
    let failure: string | null = null;
    await awaitCondition(
      'the connection failure',
      () => {
        failure = tsClient.pollForErrorResponse();
        return failure !== null;
      },
      60_000,
    );
    expect(failure).toMatch(/^Replication connection failed=/);
    await tsSignals.await('REPLICATE_END', (e) => e.correlationId === failed);
  }, 120_000);
});
