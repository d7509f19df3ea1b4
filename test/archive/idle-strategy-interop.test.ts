/**
 * The archive client's idle strategy against the real ArchivingMediaDriver (pinned 1.51.0): with
 * `ArchiveIdleStrategies.sleeping(50)` (a 50 ms timer after every poll that found nothing) the connect and every
 * call still complete, and the strategy is what paced them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveIdleStrategies, type ArchiveIdleStrategy } from '../../src/archive/archive-idle-strategy.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { awaitRecorded, receive } from './support/archive-interop.ts';

describeInterop('AeronArchive with a sleeping idle strategy against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 60_000);

  afterAll(() => releaseAll(aeron, driver), 30_000);

  it('connects, records, lists and replays with sleeping(50)', async () => {
    const sleeping = ArchiveIdleStrategies.sleeping(50);
    const answers: number[] = [];
    const counted: ArchiveIdleStrategy = {
      idle: (workCount) => {
        const delay = sleeping.idle(workCount);
        answers.push(delay);
        return delay;
      },
      reset: () => sleeping.reset(),
    };
    const signals: RecordingSignalEvent[] = [];
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
      idleStrategy: counted,
      recordingSignalConsumer: (s) => signals.push(s),
    });
    try {
      expect(String(archive.archiveId)).toBe(driver.archiveId);
      const streamId = 1201;
      const subscriptionId = await archive.startRecording('aeron:ipc', streamId, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication('aeron:ipc', streamId);
      let position = 0;
      for (let i = 0; i < 5; i++)
        position = await offerUntilAccepted(publication, new TextEncoder().encode(`slow-${i}`));
      await awaitCondition('START signal', () => signals.some((s) => s.signal === RecordingSignal.START));
      const recordingId = signals.find((s) => s.signal === RecordingSignal.START)?.recordingId ?? -1;
      await awaitRecorded(archive, recordingId, position);
      await archive.stopRecordingBySubscriptionId(subscriptionId);
      publication.close();
      expect(await archive.getStopPosition(recordingId)).toBe(position);

      const found: RecordingDescriptor[] = [];
      expect(await archive.listRecordingsForUri(0, 10, 'aeron:ipc', streamId, (d) => found.push({ ...d }))).toBe(1);
      expect(found[0]).toMatchObject({ recordingId, stopPosition: position });

      const replay = await archive.replay(recordingId, 'aeron:ipc', 1202, { position: 0, length: position });
      const messages = await receive(replay, 5);
      expect(messages.map((m) => new TextDecoder().decode(m))).toEqual([0, 1, 2, 3, 4].map((i) => `slow-${i}`));
      replay.close();

      // The strategy paced the waits: it was asked, and every empty poll was answered with its 50 ms.
      expect(answers.filter((d) => d === 50).length).toBeGreaterThan(0);
      expect(answers.every((d) => d === 50 || d === 0)).toBe(true);
    } finally {
      archive.close();
    }
  }, 120_000);
});
