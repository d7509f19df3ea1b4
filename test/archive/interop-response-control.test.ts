/**
 * A control session over a `control-mode=response` control response channel against the real ArchivingMediaDriver
 * (pinned 1.51.0), as Aeron's `ArchiveResponseClientTest` does it:
 *
 * ```
 *  controlRequestChannel  = the archive's control channel   aeron:udp?endpoint=localhost:<archive port>
 *  controlResponseChannel = aeron:udp?control-mode=response|control=localhost:<P>
 *
 *  client: add the response subscription first ─▶ request publication with
 *          response-correlation-id=<its registration id> (and no session-id pinning)
 *  archive: response publication with response-correlation-id=<the request image's correlation id>
 * ```
 * Two clients connect at once on the SAME response channel: the driver routes each archive response publication to
 * its own subscription, so each sees only its session's responses and signals.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { getChannelParam } from '../../src/archive/archive-context.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { awaitRecorded, receive } from './support/archive-interop.ts';

describeInterop('control-mode=response control sessions against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let responseChannel: string;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    responseChannel = `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
  }, 60_000);

  afterAll(() => releaseAll(aeron, driver), 30_000);

  interface Client {
    readonly archive: AeronArchive;
    readonly signals: RecordingSignalEvent[];
  }

  async function connect(): Promise<Client> {
    const signals: RecordingSignalEvent[] = [];
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: responseChannel,
      recordingSignalConsumer: (s) => signals.push(s),
    });
    return { archive, signals };
  }

  /** Records `count` messages tagged `tag` on a fresh stream; returns the stopped recording's id and stop. */
  async function record(client: Client, streamId: number, tag: string, count: number) {
    const { archive, signals } = client;
    const publication: ExclusivePublication = await archive.addRecordedExclusivePublication('aeron:ipc', streamId);
    let position = 0;
    for (let i = 0; i < count; i++)
      position = await offerUntilAccepted(publication, new TextEncoder().encode(`${tag}-${i}`));
    await awaitCondition(`${tag} START`, () => signals.some((s) => s.signal === RecordingSignal.START));
    const recordingId = await archive.findLastMatchingRecording(0, 'aeron:ipc', streamId, publication.sessionId);
    await awaitRecorded(archive, recordingId, position);
    await archive.stopRecordingPublication(publication);
    await awaitCondition(`${tag} STOP`, () => signals.some((s) => s.signal === RecordingSignal.STOP));
    publication.close();
    return { recordingId, position };
  }

  it('connects with response-correlation-id on the request channel; records, lists, replays and closes', async () => {
    const client = await connect();
    const { archive } = client;
    try {
      const request = archive.context.controlRequestChannel;
      expect(getChannelParam(request, 'response-correlation-id')).toMatch(/^\d+$/);
      expect(getChannelParam(request, 'session-id')).toBeNull();
      expect(getChannelParam(archive.context.controlResponseChannel, 'session-id')).toBeNull();
      expect(String(archive.archiveId)).toBe(driver.archiveId);

      const { recordingId, position } = await record(client, 1101, 'solo', 5);
      const found: RecordingDescriptor[] = [];
      expect(await archive.listRecording(recordingId, (d) => found.push({ ...d }))).toBe(1);
      expect(found[0]).toMatchObject({ recordingId, startPosition: 0, stopPosition: position, streamId: 1101 });

      // A replay over its own response channel as well.
      const replayChannel = `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
      const replay = await archive.replay(recordingId, replayChannel, 1102, { position: 0, length: position });
      const messages = await receive(replay, 5);
      expect(messages.map((m) => new TextDecoder().decode(m))).toEqual([0, 1, 2, 3, 4].map((i) => `solo-${i}`));
      replay.close();
      expect(client.signals.every((s) => s.controlSessionId === archive.controlSessionId)).toBe(true);
    } finally {
      archive.close();
    }
    expect(archive.state()).toBe('CLOSED');
  }, 90_000);

  it('keeps two sessions on the same response channel apart', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      expect(a.archive.controlSessionId).not.toBe(b.archive.controlSessionId);
      expect(getChannelParam(a.archive.context.controlRequestChannel, 'response-correlation-id')).not.toBe(
        getChannelParam(b.archive.context.controlRequestChannel, 'response-correlation-id'),
      );

      const [ra, rb] = await Promise.all([record(a, 1111, 'alpha', 4), record(b, 1112, 'beta', 6)]);
      // Signals go to the session that asked for the recording only.
      for (const [client, recordingId] of [
        [a, ra.recordingId],
        [b, rb.recordingId],
      ] as const) {
        expect(client.signals.length).toBeGreaterThan(0);
        expect(client.signals.every((s) => s.controlSessionId === client.archive.controlSessionId)).toBe(true);
        expect(client.signals.every((s) => s.recordingId === recordingId)).toBe(true);
      }

      // Interleaved requests on both sessions: every answer is the asking session's.
      const asks: Promise<void>[] = [];
      for (let i = 0; i < 10; i++) {
        asks.push(a.archive.getStopPosition(ra.recordingId).then((p) => expect(p).toBe(ra.position)));
        asks.push(b.archive.getStopPosition(rb.recordingId).then((p) => expect(p).toBe(rb.position)));
      }
      await Promise.all(asks);

      const replayChannel = `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
      const [replayA, replayB] = await Promise.all([
        a.archive.replay(ra.recordingId, replayChannel, 1113, { position: 0, length: ra.position }),
        b.archive.replay(rb.recordingId, replayChannel, 1113, { position: 0, length: rb.position }),
      ]);
      const [ma, mb] = await Promise.all([receive(replayA, 4), receive(replayB, 6)]);
      expect(ma.map((m) => new TextDecoder().decode(m))).toEqual([0, 1, 2, 3].map((i) => `alpha-${i}`));
      expect(mb.map((m) => new TextDecoder().decode(m))).toEqual([0, 1, 2, 3, 4, 5].map((i) => `beta-${i}`));
      replayA.close();
      replayB.close();

      a.archive.close();
      // b's session survives a's close.
      expect(await b.archive.getStopPosition(rb.recordingId)).toBe(rb.position);
      expect(b.archive.state()).toBe('CONNECTED');
    } finally {
      a.archive.close();
      b.archive.close();
    }
  }, 120_000);
});
