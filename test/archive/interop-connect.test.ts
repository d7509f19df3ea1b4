/**
 * AeronArchive over the real Aeron client against the real ArchivingMediaDriver (pinned 1.51.0): connect over
 * UDP and over IPC (local control channel), an own client from `aeronDir`, record → signals → list → replay.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { yieldToEventLoop } from '../../src/client/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { awaitRecorded, awaitRecordingId, receive } from './support/archive-interop.ts';

describeInterop('AeronArchive connect against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 60_000);

  afterAll(() => releaseAll(aeron, driver), 30_000);

  it('connects over UDP control channels, reports the archive id, and closes', async () => {
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
    });
    try {
      expect(archive.state()).toBe('CONNECTED');
      expect(archive.controlSessionId).toBeGreaterThanOrEqual(0);
      expect(String(archive.archiveId)).toBe(driver.archiveId);
      expect(archive.context.controlRequestChannel).toMatch(/session-id=-?\d+/);
    } finally {
      archive.close();
    }
    expect(archive.state()).toBe('CLOSED');
    expect(aeron.isClosed).toBe(false);
  }, 60_000);

  it('connects over IPC with its own client from aeronDir, closed with the archive', async () => {
    const archive = await AeronArchive.connect({
      aeronDir: driver.aeronDir,
      controlRequestChannel: driver.localControlChannel,
      controlRequestStreamId: driver.localControlStreamId,
      controlResponseChannel: 'aeron:ipc',
    });
    const own = archive.aeron;
    expect(own).not.toBe(aeron);
    expect(String(archive.archiveId)).toBe(driver.archiveId);
    archive.close();
    expect(own.isClosed).toBe(true);
  }, 60_000);

  it('asyncConnect polled in a Java-style loop connects when the loop yields to the event loop', async () => {
    const asyncConnect = AeronArchive.asyncConnect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
    });
    // A busy loop that never yields gets nowhere: the client's conductor never runs (bounded here to 300 ms).
    const busyUntil = performance.now() + 300;
    let busy: AeronArchive | null = null;
    while (busy === null && performance.now() < busyUntil) busy = asyncConnect.poll();
    expect(busy).toBeNull();
    const signal = AbortSignal.timeout(20_000);
    let polls = 0;
    // Java: while (null == (archive = asyncConnect.poll())) idle(); here the idle is a turn of the event loop.
    let archive = asyncConnect.poll();
    while (archive === null) {
      polls++;
      await yieldToEventLoop(signal);
      archive = asyncConnect.poll();
    }
    try {
      expect(polls).toBeGreaterThan(0);
      expect(archive.state()).toBe('CONNECTED');
      expect(String(archive.archiveId)).toBe(driver.archiveId);
      expect(await archive.findLastMatchingRecording(0, 'no-such-channel', 1, -1)).toBe(-1);
    } finally {
      archive.close();
    }
    asyncConnect.close();
    expect(() => asyncConnect.poll()).toThrow(expect.objectContaining({ code: 'ARCHIVE_CLOSED' }));
  }, 60_000);

  it('records, signals START and STOP, lists, and replays over UDP', async () => {
    const signals: RecordingSignalEvent[] = [];
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
      recordingSignalConsumer: (s) => signals.push(s),
    });
    try {
      const channel = 'aeron:ipc';
      const streamId = 1001;
      const subscriptionId = await archive.startRecording(channel, streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(channel, streamId);
      await awaitCondition('START signal', () =>
        signals.some((s) => s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId),
      );
      const start = signals.find((s) => s.signal === RecordingSignal.START);
      const recordingId = start?.recordingId ?? -1;
      const message = new TextEncoder().encode('hello archive');
      let position = 0;
      for (let i = 0; i < 5; i++) position = await offerUntilAccepted(publication, message);
      await awaitRecorded(archive, recordingId, position);
      await archive.stopRecordingBySubscriptionId(subscriptionId);
      await awaitCondition('STOP signal', () => signals.some((s) => s.signal === RecordingSignal.STOP));
      expect(await archive.getStopPosition(recordingId)).toBe(position);
      expect(await archive.getStartPosition(recordingId)).toBe(0);
      expect(await archive.getMaxRecordedPosition(recordingId)).toBe(position);

      const found: RecordingDescriptor[] = [];
      expect(await archive.listRecordingsForUri(0, 10, channel, streamId, (d) => found.push(d))).toBe(1);
      expect(found[0]?.recordingId).toBe(recordingId);
      expect(found[0]?.stopPosition).toBe(position);
      expect(found[0]?.sessionId).toBe(publication.sessionId);

      const replay = await archive.replay(recordingId, `aeron:udp?endpoint=localhost:${await freeUdpPort()}`, 1002, {
        position: 0,
        length: position,
      });
      const messages = await receive(replay, 5);
      expect(messages.map((m) => new TextDecoder().decode(m))).toEqual(Array(5).fill('hello archive'));
      replay.close();
      publication.close();
    } finally {
      archive.close();
    }
  }, 90_000);

  it('replays over a control-mode=response channel with an exact 64-bit replay token', async () => {
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
    });
    try {
      const channel = 'aeron:ipc';
      const streamId = 1011;
      const publication = await archive.addRecordedExclusivePublication(channel, streamId);
      const message = new TextEncoder().encode('over the response channel');
      let position = 0;
      for (let i = 0; i < 7; i++) position = await offerUntilAccepted(publication, message);
      const recordingId = await awaitRecordingId(archive, streamId, publication.sessionId, channel);
      await awaitRecorded(archive, recordingId, position);
      await archive.stopRecordingPublication(publication);

      const token = await archive.requestReplayToken(recordingId);
      expect(typeof token).toBe('bigint');

      const replayChannel = `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
      const replay = await archive.replay(recordingId, replayChannel, 1012, { position: 0, length: position });
      const messages = await receive(replay, 7);
      expect(messages.map((m) => new TextDecoder().decode(m))).toEqual(Array(7).fill('over the response channel'));
      replay.close();
      publication.close();
    } finally {
      archive.close();
    }
  }, 90_000);
});
