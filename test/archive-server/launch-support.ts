/**
 * What the launch-form tests (Archive.launch, ArchivingMediaDriver.launch, `aeron-ts archive` with and without
 * `--with-driver`) check through each form: our `AeronArchive` records a stream and replays it, every message
 * compared; Java's `AeronArchive` (test/java/ArchiveProbe.java, ArchiveReplayProbe.java) does the same.
 */
import { expect } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { listAll, messagePayload, replayPayloads, SignalLog } from '../archive/support/archive-interop.ts';
import { offerUntilAccepted } from '../support/wait.ts';

/** Where an archive's clients send control requests. */
export interface ControlEndpoint {
  readonly aeronDir: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
  /** The clients' response channel (IPC for an IPC control channel, a UDP endpoint with port 0 for UDP). */
  readonly responseChannel: string;
}

/** The local control endpoint of an archive on `aeronDir` with Java's defaults. */
export function localControl(aeronDir: string): ControlEndpoint {
  return { aeronDir, controlChannel: 'aeron:ipc?term-length=64k', controlStreamId: 10, responseChannel: 'aeron:ipc' };
}

/**
 * Our client records `count` messages (1..`count` bytes varying, seeded) on `aeron:ipc` stream `streamId`, stops
 * the recording once all of it is written, finds it for its URI and replays it whole on stream `streamId + 1`;
 * expects every message back in order. Returns the recording id.
 */
export async function recordAndReplayWithOurClient(
  endpoint: ControlEndpoint,
  streamId: number,
  count: number,
): Promise<number> {
  const aeron = await Aeron.connect({ aeronDir: endpoint.aeronDir, driverTimeoutMs: 10_000 });
  const signals = new SignalLog();
  try {
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: endpoint.controlChannel,
      controlRequestStreamId: endpoint.controlStreamId,
      controlResponseChannel: endpoint.responseChannel,
      messageTimeoutMs: 15_000,
      recordingSignalConsumer: signals.consumer,
    });
    try {
      const channel = 'aeron:ipc';
      const subscriptionId = await archive.startRecording(channel, streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(channel, streamId);
      const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId);
      const sent: Uint8Array[] = [];
      let position = 0;
      for (let i = 0; i < count; i++) {
        const payload = messagePayload(streamId, i, 4 + ((i * 37) % 500));
        sent.push(payload);
        position = await offerUntilAccepted(publication, payload);
      }
      await archive.awaitRecordingPosition(start.recordingId, position, { timeoutMs: 30_000 });
      await archive.stopRecordingBySubscriptionId(subscriptionId);
      await signals.await('STOP', (e) => e.recordingId === start.recordingId);
      publication.close();
      const recording = (await listAll(archive)).find((d) => d.recordingId === start.recordingId);
      expect(recording?.stopPosition).toBe(position);
      expect(recording?.streamId).toBe(streamId);
      const replayed = await replayPayloads(
        aeron,
        archive,
        start.recordingId,
        0,
        position,
        count,
        channel,
        streamId + 1,
      );
      expect(replayed.length).toBe(count);
      for (let i = 0; i < count; i++) expect(replayed[i]).toEqual(sent[i]);
      return start.recordingId;
    } finally {
      archive.close();
    }
  } finally {
    aeron.close();
  }
}

let probeClasses: string | undefined;

/**
 * Java's `AeronArchive` records `count` messages on `aeron:ipc` stream `streamId` through the archive (ArchiveProbe:
 * it finds the archive's rec-pos counter, stops by subscription, lists for its URI), then replays them
 * (ArchiveReplayProbe); expects the recording to end at the published position and every message in order.
 */
export async function recordAndReplayWithJavaClient(
  endpoint: ControlEndpoint,
  streamId: number,
  count: number,
): Promise<void> {
  probeClasses ??= compileJava({
    sources: ['test/java/ArchiveProbe.java', 'test/java/ArchiveReplayProbe.java'],
    classpath: [aeronJarPath()],
  });
  const args = [endpoint.aeronDir, endpoint.controlChannel, String(endpoint.controlStreamId), endpoint.responseChannel];
  const recorded = await runJava({
    classpath: [probeClasses, aeronJarPath()],
    mainClass: 'ArchiveProbe',
    jvmArgs: AERON_JVM_FLAGS,
    args: [...args, String(count), 'aeron:ipc', String(streamId)],
    timeoutMs: 120_000,
  });
  expect(recorded.code, `${recorded.stdout}\n${recorded.stderr}`).toBe(0);
  const published = new RegExp(`published position=(\\d+) messages=${count}`).exec(recorded.stdout);
  const recording = new RegExp(`recording id=(\\d+) start=0 stop=(\\d+) stream=${streamId}`).exec(recorded.stdout);
  expect(published).not.toBeNull();
  expect(recording?.[2]).toBe(published?.[1]);
  const replayed = await runJava({
    classpath: [probeClasses, aeronJarPath()],
    mainClass: 'ArchiveReplayProbe',
    jvmArgs: AERON_JVM_FLAGS,
    args: [...args, 'aeron:ipc', String(streamId)],
    timeoutMs: 120_000,
  });
  expect(replayed.code, `${replayed.stdout}\n${replayed.stderr}`).toBe(0);
  const lines = replayed.stdout.split('\n').filter((l) => l.startsWith('message '));
  expect(lines).toEqual(Array.from({ length: count }, (_, i) => `message probe message ${i}`));
}
