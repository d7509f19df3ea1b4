/**
 * Holds the harness's external-command driver mode in CI, where the C driver cannot be built: the Java media
 * driver is started through the same path as `AERON_TEST_DRIVER_COMMAND=/path/to/aeronmd`, as the command
 * `java <flags> -cp <jar> io.aeron.driver.MediaDriver` given the harness's settings in a properties file
 * (`DriverKind.propertyPassing`), and the archive runs as a Java `Archive` client of that driver. Whatever
 * AERON_TEST_DRIVER selects, this file always uses that Java command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { AERON_VERSION, aeronJarPath } from '../../harness/aeron-jars.ts';
import {
  externalDriver,
  MEDIA_DRIVER_MAIN_CLASS,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { JAVA_DRIVER_KIND } from '../../harness/driver-kind.ts';
import { AERON_JVM_FLAGS } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers, isAlive } from '../../harness/processes.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { awaitRecorded, receive } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';

/** cnc.dat header: `long clientLivenessTimeoutNs` at offset 24 (CncFileDescriptor, as in driver-files.ts). */
const CLIENT_LIVENESS_TIMEOUT_OFFSET = 24;

describeInterop('external-command driver mode (the Java MediaDriver started as a command)', () => {
  const javaByCommand = externalDriver(JAVA_DRIVER_KIND, [
    'java',
    ...AERON_JVM_FLAGS,
    '-cp',
    aeronJarPath(),
    MEDIA_DRIVER_MAIN_CLASS,
  ]);

  afterEach(() => {
    assertNoLeftovers();
  });

  it('the command gets the settings as a properties file; TS clients exchange messages over UDP through it', async () => {
    const driver = await startMediaDriver({
      driver: javaByCommand,
      properties: { 'aeron.client.liveness.timeout': '7s' },
    });
    try {
      expect(driver.name).toBe('java');
      expect(driver.softwareVersion).toBe(AERON_VERSION);
      // the process is the command itself, its last argument the settings file, which the driver applied
      const argv = readFileSync(`/proc/${driver.pid}/cmdline`, 'latin1')
        .split('\0')
        .filter((a) => a !== '');
      expect(argv.slice(-2, -1)).toEqual([MEDIA_DRIVER_MAIN_CLASS]);
      const settings = readFileSync(argv.at(-1) ?? '', 'utf8');
      expect(settings).toContain(`aeron.dir=${driver.aeronDir}\n`);
      const cnc = readFileSync(join(driver.aeronDir, 'cnc.dat'));
      expect(cnc.readBigInt64LE(CLIENT_LIVENESS_TIMEOUT_OFFSET)).toBe(7_000_000_000n);

      await using aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
      const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
      const subscription = await aeron.addSubscription(channel, 2001);
      const publication = await aeron.addExclusivePublication(channel, 2001);
      const sent = ['one', 'two', 'three'];
      for (const text of sent) await offerUntilAccepted(publication, new TextEncoder().encode(text));
      const received = await receive(subscription, sent.length);
      expect(received.map((m) => new TextDecoder().decode(m))).toEqual(sent);
    } finally {
      await driver.stop();
    }
    expect(isAlive(driver.pid)).toBe(false);
  }, 120_000);

  it('the archive runs as a Java Archive client of that driver: record, list, replay, then both stop', async () => {
    const archiving = await startArchivingMediaDriver({ driver: javaByCommand });
    const mediaDriver = archiving.mediaDriver;
    try {
      expect(archiving.name).toBe('Archive');
      expect(mediaDriver?.name).toBe('java');
      expect(mediaDriver?.pid).not.toBe(archiving.pid);
      expect(archiving.aeronDir).toBe(mediaDriver?.aeronDir);

      await using aeron = await Aeron.connect({ aeronDir: archiving.aeronDir, driverTimeoutMs: 10_000 });
      const signals: RecordingSignalEvent[] = [];
      const archive = await AeronArchive.connect({
        aeron,
        controlRequestChannel: archiving.controlChannel,
        controlRequestStreamId: archiving.controlStreamId,
        controlResponseChannel: archiving.responseChannel,
        recordingSignalConsumer: (s) => signals.push(s),
      });
      try {
        expect(String(archive.archiveId)).toBe(archiving.archiveId);
        const subscriptionId = await archive.startRecording('aeron:ipc', 3001, SourceLocation.LOCAL);
        const publication = await aeron.addExclusivePublication('aeron:ipc', 3001);
        await awaitCondition('START signal', () =>
          signals.some((s) => s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId),
        );
        const recordingId = signals.find((s) => s.signal === RecordingSignal.START)?.recordingId ?? -1;
        let position = 0;
        for (let i = 0; i < 5; i++)
          position = await offerUntilAccepted(publication, new TextEncoder().encode(`message ${i}`));
        await awaitRecorded(archive, recordingId, position);
        await archive.stopRecordingBySubscriptionId(subscriptionId);
        expect(await archive.getStopPosition(recordingId)).toBe(position);

        const replay = await archive.replay(recordingId, `aeron:udp?endpoint=localhost:${await freeUdpPort()}`, 3002, {
          position: 0,
          length: position,
        });
        const replayed = await receive(replay, 5);
        expect(replayed.map((m) => new TextDecoder().decode(m))).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
        replay.close();
        publication.close();
      } finally {
        archive.close();
      }
    } finally {
      await archiving.stop();
    }
    expect(isAlive(archiving.pid)).toBe(false);
    expect(mediaDriver !== undefined && isAlive(mediaDriver.pid)).toBe(false);
  }, 180_000);
});
