/**
 * The TypeScript Archive server as the SOURCE and as the DESTINATION of a replication over response channels
 * (issue 18). As source, Java 1.51.0's ArchivingMediaDriver is the destination; its `ReplicationSession` connects to our archive's UDP control channel
 * with `srcResponseChannel` (`control-mode=response`), asks REPLAY_TOKEN and replays over the `control-mode=response`
 * replication channel, as Java's archive does against a Java source:
 *
 * ```
 *  our client ─REPLICATE(replicationChannel, srcResponseChannel)─▶ Java dst ─CONNECT (response channel)─▶ TS archive
 *  Java dst ─REPLAY_TOKEN, REPLAY(token) on a new request image─▶ TS archive ─replay (response publication)─▶ Java dst
 * ```
 * The replica's signals end with REPLICATE_END and STOP, its descriptor ends where the source's does, and every
 * message replayed from the Java destination equals what was published into the TS archive; the same replication
 * from a Java source archive is the reference (both signal sequences are ones 1.51.0 gives).
 *
 * As destination, the TS archive's ReplicationSession does what Java's does (REPLAY_TOKEN from the source, then
 * GET_ARCHIVE_PROXY: a request publication to the source's control channel with
 * response-correlation-id=<its recording subscription>, and REPLAY with the token on it), from the Java archive
 * and from itself (its own UDP control channel).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freeUdpPort } from '../../harness/ports.ts';
import { messagePayload } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import {
  type ArchiveClient,
  connectClient,
  descriptorOf,
  expectReplayed,
  type JavaArchive,
  launchTsArchive,
  recordStopped,
  replicateToStop,
  startJavaArchive,
  type TsArchive,
  udpControlChannel,
} from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const TS_CONTROL_STREAM_ID = 10;
/** The signal sequences 1.51.0 gives a replication of a stopped recording (SYNC may be skipped by its race). */
const STOPPED_RECORDING_SEQUENCES = [
  ['REPLICATE', 'EXTEND', 'SYNC', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
];
/** Our clients' message timeout in this suite. */
const CLIENT = { messageTimeoutMs: 20_000 };

describeInterop('TypeScript archive as replication source over response channels (Java destination)', () => {
  let ts: TsArchive;
  let tsControlChannel: string;
  let tsSide: ArchiveClient;
  let dst: JavaArchive;

  beforeAll(async () => {
    tsControlChannel = await udpControlChannel();
    ts = await launchTsArchive('response-replication', {
      controlChannel: tsControlChannel,
      controlStreamId: TS_CONTROL_STREAM_ID,
      localControlStreamId: TS_CONTROL_STREAM_ID + 1,
    });
    tsSide = await connectClient(ts.aeron, ts.local, IPC, CLIENT);
    dst = await startJavaArchive({}, CLIENT);
  }, 240_000);

  afterAll(async () => {
    await dst?.close();
    tsSide?.archive.close();
    await ts?.close();
    expect(ts?.server.errors ?? []).toEqual([]);
  }, 60_000);

  /** Records 200 messages on `IPC` stream `streamId` into an archive through `side`; the stopped recording. */
  async function recordInto(side: ArchiveClient, streamId: number) {
    const payloads = Array.from({ length: 200 }, (_, i) => messagePayload(streamId, i, 4 + ((i * 53) % 900)));
    const { recordingId } = await recordStopped(side, IPC, streamId, payloads);
    return { source: await descriptorOf(side.archive, recordingId), payloads };
  }

  /**
   * The destination (`dst`'s archive unless given) replicates `srcRecordingId` over response channels; returns
   * the replication's signal names after checking the replica ends at `stopPosition` and replays `payloads`.
   */
  async function replicateOverResponseChannels(
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    stopPosition: number,
    payloads: Uint8Array[],
    replayStreamId: number,
    destination: ArchiveClient = dst,
  ): Promise<string[]> {
    const { replicationId, replicaId } = await replicateToStop(
      destination,
      srcRecordingId,
      srcControlStreamId,
      srcControlChannel,
      {
        replicationChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
        srcResponseChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
      },
      60_000,
    );
    const replica = await descriptorOf(destination.archive, replicaId);
    expect(replica.stopPosition).toBe(stopPosition);
    // no session-id pinning over a response channel (Java ReplicationSession puts session-id only otherwise): the
    // replica's session id is the response replay publication's own
    await expectReplayed(destination, replica, payloads, IPC, replayStreamId);
    return destination.signals.names((e) => e.correlationId === replicationId);
  }

  it('Java replicates a stopped TS recording over response channels as from a Java source; every message replayed', async () => {
    const tsRecording = await recordInto(tsSide, 2401);
    const tsNames = await replicateOverResponseChannels(
      tsRecording.source.recordingId,
      TS_CONTROL_STREAM_ID,
      tsControlChannel,
      tsRecording.source.stopPosition,
      tsRecording.payloads,
      2402,
    );

    // the reference: the same replication from a Java source archive
    const src = await startJavaArchive({}, CLIENT);
    try {
      const java = await recordInto(src, 2403);
      const javaNames = await replicateOverResponseChannels(
        java.source.recordingId,
        src.driver.controlStreamId,
        src.driver.controlChannel,
        java.source.stopPosition,
        java.payloads,
        2404,
      );
      expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(javaNames);
      expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(tsNames);
    } finally {
      await src.close();
    }
  }, 240_000);

  it('the TS archive as destination replicates over response channels from a Java archive and from itself; every message replayed', async () => {
    const java = await recordInto(dst, 2405);
    const fromJava = await replicateOverResponseChannels(
      java.source.recordingId,
      dst.driver.controlStreamId,
      dst.driver.controlChannel,
      java.source.stopPosition,
      java.payloads,
      2406,
      tsSide,
    );
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(fromJava);

    const tsRecording = await recordInto(tsSide, 2407);
    const fromItself = await replicateOverResponseChannels(
      tsRecording.source.recordingId,
      TS_CONTROL_STREAM_ID,
      tsControlChannel,
      tsRecording.source.stopPosition,
      tsRecording.payloads,
      2408,
      tsSide,
    );
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(fromItself);
  }, 240_000);
});
