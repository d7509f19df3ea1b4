/**
 * Cross-language: a recording made through the Java archive client (test/java/ArchiveProbe.java) listed and
 * replayed by aeron-ts, and one made through aeron-ts listed and replayed by the Java client
 * (test/java/ArchiveReplayProbe.java). Same ArchivingMediaDriver for both.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { awaitRecorded, receive } from './support/archive-interop.ts';

describeInterop('archive recordings across aeron-ts and the Java archive client', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  let classes: string;
  const signals: RecordingSignalEvent[] = [];

  beforeAll(async () => {
    classes = compileJava({
      sources: ['test/java/ArchiveProbe.java', 'test/java/ArchiveReplayProbe.java'],
      classpath: [aeronJarPath()],
    });
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: driver.controlChannel,
      controlRequestStreamId: driver.controlStreamId,
      controlResponseChannel: driver.responseChannel,
      recordingSignalConsumer: (s) => signals.push(s),
    });
  }, 120_000);

  afterAll(() => releaseAll(archive, aeron, driver), 30_000);

  function javaArgs(...rest: string[]): string[] {
    return [driver.aeronDir, driver.controlChannel, String(driver.controlStreamId), driver.responseChannel, ...rest];
  }

  it('lists and replays a recording made by the Java archive client', async () => {
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: javaArgs('10', 'aeron:ipc', '5001'),
      timeoutMs: 90_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const listed: RecordingDescriptor[] = [];
    expect(await archive.listRecordingsForUri(0, 10, 'aeron:ipc', 5001, (d) => listed.push(d))).toBe(1);
    const recording = listed[0] as RecordingDescriptor;
    expect(result.stdout).toContain(`recording id=${recording.recordingId} start=0 stop=${recording.stopPosition}`);
    const replay = await archive.replay(recording.recordingId, 'aeron:ipc', 5002, {
      position: 0,
      length: recording.stopPosition,
    });
    const messages = await receive(replay, 10);
    replay.close();
    expect(messages.map((m) => new TextDecoder().decode(m))).toEqual(
      Array.from({ length: 10 }, (_, i) => `probe message ${i}`),
    );
  }, 120_000);

  it('records through aeron-ts and the Java client lists and replays it', async () => {
    const from = signals.length;
    const publication = await archive.addRecordedPublication('aeron:ipc', 5003);
    await awaitCondition('START', () => signals.slice(from).some((s) => s.signal === RecordingSignal.START));
    const recordingId = signals.slice(from).find((s) => s.signal === RecordingSignal.START)?.recordingId ?? -1;
    let position = 0;
    for (let i = 0; i < 7; i++)
      position = await offerUntilAccepted(publication, new TextEncoder().encode(`from ts ${i}`));
    await awaitRecorded(archive, recordingId, position);
    await archive.stopRecordingPublication(publication);
    publication.close();

    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveReplayProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: javaArgs('aeron:ipc', '5003'),
      timeoutMs: 90_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(
      `recording id=${recordingId} start=0 stop=${position} session=${publication.sessionId}`,
    );
    const replayed = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('message '))
      .map((l) => l.slice('message '.length));
    expect(replayed).toEqual(Array.from({ length: 7 }, (_, i) => `from ts ${i}`));
  }, 120_000);
});
