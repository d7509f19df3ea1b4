/**
 * Replication between two real Java ArchivingMediaDrivers 1.51.0 (each with its own media driver), driven by our
 * archive client on the destination: a stopped recording (signals REPLICATE, EXTEND, SYNC, REPLICATE_END, STOP as
 * 1.51.0 sends them; the replica's positions and bytes equal the source's), a live recording merged into the live
 * stream (REPLICATE, EXTEND, MERGE; the replica then follows live), stopReplication of a live replication (STOP,
 * REPLICATE_END; a second stop answers UNKNOWN_REPLICATION), a tagged replicate, and an unknown source recording.
 *
 * Signals from a ReplicationSession carry correlationId = the replication id; the recording's own signals
 * (EXTEND, STOP) carry the destination recording id, so tests match on recordingId.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { awaitRecorded, listAll, replayPayloads } from './support/archive-interop.ts';
import { liveChannel, startLiveRecording, startTwoArchives, type TwoArchives } from './support/two-archives.ts';

const REPLAY_CHANNEL = 'aeron:ipc?term-length=64k';

describeInterop('archive replication between two Java ArchivingMediaDrivers', () => {
  let two: TwoArchives | undefined;

  beforeAll(async () => {
    two = await startTwoArchives();
  }, 120_000);

  afterAll(async () => {
    await two?.close();
    assertNoLeftovers();
  }, 60_000);

  it('replicates a stopped recording: signals in Java order (SYNC unless the replay image closed first), same positions and payloads', async () => {
    const { src, dst } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2001);
    const stopPosition = await live.publish(50, 300);
    await awaitRecorded(src.archive, live.recordingId, stopPosition);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    await src.signals.await('STOP', (e) => e.recordingId === live.recordingId);
    live.publication.close();
    const srcDescriptor = (await listAll(src.archive)).find((d) => d.recordingId === live.recordingId);
    expect(srcDescriptor?.stopPosition).toBe(stopPosition);

    const replicationId = await dst.archive.replicate(
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
    );
    const replicate = await dst.signals.await('REPLICATE', (e) => e.correlationId === replicationId);
    const dstRecordingId = replicate.recordingId;
    const ofReplica = (e: { recordingId: number }) => e.recordingId === dstRecordingId;
    await dst.signals.await('STOP', ofReplica);
    await dst.signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
    // ReplicationSession.replicate() (1.49.3 to 1.52.2) signals SYNC only when a duty cycle sees the replay
    // image's position at the source's stop position; when the image closes first (the source's replay ended
    // and the recorder stopped), it goes DONE on `isClosed` without SYNC, and STOP can come before
    // REPLICATE_END. Seen once in 7 runs under load. So SYNC is optional, and when sent it carries the stop
    // position; the replica's stop position below is what proves the copy complete.
    const names = dst.signals.names(ofReplica);
    const expected = names.includes('SYNC')
      ? [['REPLICATE', 'EXTEND', 'SYNC', 'REPLICATE_END', 'STOP']]
      : [
          ['REPLICATE', 'EXTEND', 'REPLICATE_END', 'STOP'],
          ['REPLICATE', 'EXTEND', 'STOP', 'REPLICATE_END'],
        ];
    expect(expected).toContainEqual(names);
    if (names.includes('SYNC')) expect((await dst.signals.await('SYNC', ofReplica)).position).toBe(stopPosition);

    const replica = (await listAll(dst.archive)).find((d) => d.recordingId === dstRecordingId);
    expect(replica).toBeDefined();
    expect(replica!.startPosition).toBe(srcDescriptor!.startPosition);
    expect(replica!.stopPosition).toBe(stopPosition);
    expect(replica!.streamId).toBe(live.streamId);
    expect(replica!.initialTermId).toBe(srcDescriptor!.initialTermId);
    expect(replica!.termBufferLength).toBe(srcDescriptor!.termBufferLength);
    expect(replica!.sessionId).toBe(srcDescriptor!.sessionId);
    expect(replica!.originalChannel).toBe(srcDescriptor!.originalChannel);

    const replayed = await replayPayloads(
      dst.aeron,
      dst.archive,
      dstRecordingId,
      replica!.startPosition,
      stopPosition - replica!.startPosition,
      live.payloads.length,
      REPLAY_CHANNEL,
      3001,
    );
    expect(replayed).toEqual(live.payloads);
  }, 120_000);

  it('replicates a live recording and merges with the live stream, then follows it', async () => {
    const { src, dst } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2002);
    const before = await live.publish(20);
    await awaitRecorded(src.archive, live.recordingId, before);

    const replicationId = await dst.archive.replicate(
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      {
        liveDestination: live.channel,
      },
    );
    await live.publish(20);
    const replicate = await dst.signals.await('REPLICATE', (e) => e.correlationId === replicationId);
    const dstRecordingId = replicate.recordingId;
    const ofReplica = (e: { recordingId: number }) => e.recordingId === dstRecordingId;
    await dst.signals.await('EXTEND', ofReplica);
    const merge = await dst.signals.await('MERGE', ofReplica);
    expect(merge.correlationId).toBe(replicationId);

    // merged: the replica now records the live stream directly
    const after = await live.publish(20);
    await awaitRecorded(dst.archive, dstRecordingId, after);
    expect(await dst.archive.getRecordingPosition(dstRecordingId)).toBe(after);
    expect(dst.signals.names(ofReplica).slice(0, 3)).toEqual(['REPLICATE', 'EXTEND', 'MERGE']);

    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    await src.signals.await('STOP', (e) => e.recordingId === live.recordingId);
    live.publication.close();
    // the live image ends for the replica too once the publication is gone
    await dst.signals.await('STOP', ofReplica);
    expect(await dst.archive.getStopPosition(dstRecordingId)).toBe(after);

    const replayed = await replayPayloads(
      dst.aeron,
      dst.archive,
      dstRecordingId,
      0,
      after,
      live.payloads.length,
      REPLAY_CHANNEL,
      3002,
    );
    expect(replayed).toEqual(live.payloads);
  }, 120_000);

  it('stops a live replication: STOP and REPLICATE_END, then the replication is unknown', async () => {
    const { src, dst } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2003);
    const first = await live.publish(10);
    await awaitRecorded(src.archive, live.recordingId, first);

    const replicationId = await dst.archive.replicate(
      live.recordingId,
      src.driver.controlStreamId,
      src.driver.controlChannel,
    );
    const replicate = await dst.signals.await('REPLICATE', (e) => e.correlationId === replicationId);
    const dstRecordingId = replicate.recordingId;
    const ofReplica = (e: { recordingId: number }) => e.recordingId === dstRecordingId;
    await dst.signals.await('EXTEND', ofReplica);
    const second = await live.publish(10);
    await awaitRecorded(dst.archive, dstRecordingId, second);

    await dst.archive.stopReplication(replicationId);
    await dst.signals.await('STOP', ofReplica);
    await dst.signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
    expect(dst.signals.names(ofReplica)).not.toContain('MERGE');
    expect(await dst.archive.getStopPosition(dstRecordingId)).toBe(second);

    expect(await dst.archive.tryStopReplication(replicationId)).toBe(false);
    const error = await dst.archive.stopReplication(replicationId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).errorCodeName).toBe('UNKNOWN_REPLICATION');

    // the source keeps recording: the replication only read from it
    const third = await live.publish(5);
    await awaitRecorded(src.archive, live.recordingId, third);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();
  }, 120_000);

  it('tagged replicate (channel and subscription tag ids) of a stopped recording completes like an untagged one', async () => {
    const { src, dst } = two!;
    const live = await startLiveRecording(src, await liveChannel(), 2004);
    const stopPosition = await live.publish(10);
    await awaitRecorded(src.archive, live.recordingId, stopPosition);
    await src.archive.stopRecordingBySubscriptionId(live.subscriptionId);
    live.publication.close();

    const channelTag = dst.aeron.nextCorrelationId();
    const subscriptionTag = dst.aeron.nextCorrelationId();
    const replicationId = await dst.archive.taggedReplicate(
      live.recordingId,
      -1,
      channelTag,
      subscriptionTag,
      src.driver.controlStreamId,
      src.driver.controlChannel,
      null,
    );
    const replicate = await dst.signals.await('REPLICATE', (e) => e.correlationId === replicationId);
    await dst.signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
    const replica = (await listAll(dst.archive)).find((d) => d.recordingId === replicate.recordingId);
    expect(replica?.stopPosition).toBe(stopPosition);
  }, 120_000);

  it('an unknown source recording id is reported as an error for the replication', async () => {
    const { src, dst } = two!;
    const errors: ArchiveError[] = [];
    const unknown = 987_654;
    const replicationId = await dst.archive.replicate(unknown, src.driver.controlStreamId, src.driver.controlChannel);
    await awaitCondition('the replication error', () => {
      const message = dst.archive.pollForErrorResponse();
      if (message !== null) errors.push(new ArchiveError(message));
      return errors.length > 0;
    });
    expect(errors[0]?.message).toBe(`unknown src recording id ${unknown}`);
    expect(replicationId).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
