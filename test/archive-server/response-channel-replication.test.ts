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
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { listAll, messagePayload, replayPayloads, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const TS_CONTROL_STREAM_ID = 10;
/** The signal sequences 1.51.0 gives a replication of a stopped recording (SYNC may be skipped by its race). */
const STOPPED_RECORDING_SEQUENCES = [
  ['REPLICATE', 'EXTEND', 'SYNC', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
  ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
];

describeInterop('TypeScript archive as replication source over response channels (Java destination)', () => {
  let tsDriver: DriverHandle;
  let tsArchive: Archive;
  let tsArchiveDir: string;
  let tsControlChannel: string;
  let tsAeron: Aeron;
  let tsClient: AeronArchive;
  const tsSignals = new SignalLog();
  let dst: ArchivingDriverHandle;
  let dstAeron: Aeron;
  let dstClient: AeronArchive;
  const dstSignals = new SignalLog();

  beforeAll(async () => {
    tsDriver = await startMediaDriver();
    tsArchiveDir = scratchDir('response-replication');
    tsControlChannel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    tsArchive = await Archive.launch({
      aeronDir: tsDriver.aeronDir,
      archiveDir: tsArchiveDir,
      controlChannel: tsControlChannel,
      controlStreamId: TS_CONTROL_STREAM_ID,
      localControlStreamId: TS_CONTROL_STREAM_ID + 1,
    });
    tsAeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, driverTimeoutMs: 10_000 });
    tsClient = await AeronArchive.connect({
      aeron: tsAeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: TS_CONTROL_STREAM_ID + 1,
      controlResponseChannel: IPC,
      messageTimeoutMs: 20_000,
      recordingSignalConsumer: tsSignals.consumer,
    });
    dst = await startArchivingMediaDriver();
    dstAeron = await Aeron.connect({ aeronDir: dst.aeronDir, driverTimeoutMs: 10_000 });
    dstClient = await AeronArchive.connect({
      aeron: dstAeron,
      controlRequestChannel: dst.localControlChannel,
      controlRequestStreamId: dst.localControlStreamId,
      controlResponseChannel: 'aeron:ipc',
      messageTimeoutMs: 20_000,
      recordingSignalConsumer: dstSignals.consumer,
    });
  }, 240_000);

  afterAll(async () => {
    dstClient?.close();
    dstAeron?.close();
    await dst?.stop();
    tsClient?.close();
    tsAeron?.close();
    await tsArchive?.close();
    await tsDriver?.stop();
    if (tsArchiveDir !== undefined) removeScratch(tsArchiveDir);
    expect(tsArchive?.errors ?? []).toEqual([]);
  }, 60_000);

  /** Records 200 messages on `IPC` stream `streamId` into an archive through `client`; the stopped recording. */
  async function recordInto(aeron: Aeron, client: AeronArchive, signals: SignalLog, streamId: number) {
    const subscriptionId = await client.startRecording(IPC, streamId, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(IPC, streamId);
    const payloads: Uint8Array[] = [];
    let recordingId = -1;
    try {
      recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId)).recordingId;
      let end = 0;
      for (let i = 0; i < 200; i++) {
        const payload = messagePayload(streamId, i, 4 + ((i * 53) % 900));
        end = await offerUntilAccepted(publication, payload);
        payloads.push(payload);
      }
      await client.awaitRecordingPosition(recordingId, end, { timeoutMs: 60_000 });
      await client.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === recordingId);
    } finally {
      publication.close();
    }
    const source = (await listAll(client)).find((d) => d.recordingId === recordingId);
    expect(source).toBeDefined();
    return { source: source!, payloads };
  }

  /**
   * The destination (`dstClient`'s archive unless given) replicates `srcRecordingId` over response channels;
   * returns the replication's signal names after checking the replica ends at `stopPosition` and replays
   * `payloads`.
   */
  async function replicateOverResponseChannels(
    srcRecordingId: number,
    srcControlStreamId: number,
    srcControlChannel: string,
    stopPosition: number,
    payloads: Uint8Array[],
    replayStreamId: number,
    destination: { aeron: Aeron; client: AeronArchive; signals: SignalLog } = {
      aeron: dstAeron,
      client: dstClient,
      signals: dstSignals,
    },
  ): Promise<string[]> {
    const { aeron: toAeron, client: toClient, signals: toSignals } = destination;
    const replicationId = await toClient.replicate(srcRecordingId, srcControlStreamId, srcControlChannel, {
      replicationChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
      srcResponseChannel: `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`,
    });
    await toSignals.await('REPLICATE_END', (e) => e.correlationId === replicationId, 60_000);
    const replica = (await listAll(toClient)).at(-1);
    expect(replica).toBeDefined();
    await toSignals.await('STOP', (e) => e.recordingId === replica!.recordingId, 60_000);
    expect(replica!.stopPosition).toBe(stopPosition);
    // no session-id pinning over a response channel (Java ReplicationSession puts session-id only otherwise): the
    // replica's session id is the response replay publication's own
    const replayed = await replayPayloads(
      toAeron,
      toClient,
      replica!.recordingId,
      replica!.startPosition,
      replica!.stopPosition - replica!.startPosition,
      payloads.length,
      IPC,
      replayStreamId,
    );
    expect(replayed).toEqual(payloads);
    return toSignals.names((e) => e.correlationId === replicationId);
  }

  it('Java replicates a stopped TS recording over response channels as from a Java source; every message replayed', async () => {
    const ts = await recordInto(tsAeron, tsClient, tsSignals, 2401);
    const tsNames = await replicateOverResponseChannels(
      ts.source.recordingId,
      TS_CONTROL_STREAM_ID,
      tsControlChannel,
      ts.source.stopPosition,
      ts.payloads,
      2402,
    );

    // the reference: the same replication from a Java source archive
    const src = await startArchivingMediaDriver();
    const srcAeron = await Aeron.connect({ aeronDir: src.aeronDir, driverTimeoutMs: 10_000 });
    const srcSignals = new SignalLog();
    const srcClient = await AeronArchive.connect({
      aeron: srcAeron,
      controlRequestChannel: src.localControlChannel,
      controlRequestStreamId: src.localControlStreamId,
      controlResponseChannel: 'aeron:ipc',
      messageTimeoutMs: 20_000,
      recordingSignalConsumer: srcSignals.consumer,
    });
    try {
      const java = await recordInto(srcAeron, srcClient, srcSignals, 2403);
      const javaNames = await replicateOverResponseChannels(
        java.source.recordingId,
        src.controlStreamId,
        src.controlChannel,
        java.source.stopPosition,
        java.payloads,
        2404,
      );
      expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(javaNames);
      expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(tsNames);
    } finally {
      srcClient.close();
      srcAeron.close();
      await src.stop();
    }
  }, 240_000);

  it('the TS archive as destination replicates over response channels from a Java archive and from itself; every message replayed', async () => {
    const tsDestination = { aeron: tsAeron, client: tsClient, signals: tsSignals };
    const java = await recordInto(dstAeron, dstClient, dstSignals, 2405);
    const fromJava = await replicateOverResponseChannels(
      java.source.recordingId,
      dst.controlStreamId,
      dst.controlChannel,
      java.source.stopPosition,
      java.payloads,
      2406,
      tsDestination,
    );
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(fromJava);

    const ts = await recordInto(tsAeron, tsClient, tsSignals, 2407);
    const fromItself = await replicateOverResponseChannels(
      ts.source.recordingId,
      TS_CONTROL_STREAM_ID,
      tsControlChannel,
      ts.source.stopPosition,
      ts.payloads,
      2408,
      tsDestination,
    );
    expect(STOPPED_RECORDING_SEQUENCES).toContainEqual(fromItself);
  }, 240_000);
});
