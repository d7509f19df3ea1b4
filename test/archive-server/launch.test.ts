/**
 * The archive's launch forms without a JVM:
 *
 * - `archiveServerOptionsFromProperties`: AERON_DIR / AERON_ARCHIVE_* variables, then property sets in order;
 *   Java's value syntax (sizes, durations: ns options kept in ns, ms options rounded up to ms);
 *   `aeron.archive.control.channel.enabled=false`; unknown `aeron.*` names reported; a bad value is
 *   ArchiveServerError INVALID_OPTION naming the property; Java's ALLOW_ALL / DENY_ALL authorisation services, a
 *   Java class named as an authenticator or authorisation supplier refused;
 * - `ArchivingMediaDriver.launch()`: a TS media driver (embedded: a fresh directory) with the TS archive on it; our
 *   `AeronArchive` records and replays 2,000 messages over the local control channel; close (or `await using`)
 *   stops both and removes the embedded directory; a second archive on the same archive dir is refused and stops
 *   the driver it started.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeArchiveDir, removeDir } from '../../harness/temp-dir.ts';
import { ARCHIVE_PROPERTIES, archiveServerOptionsFromProperties } from '../../src/archive-server/archive-properties.ts';
import { ArchiveServerError } from '../../src/archive-server/archive-server-error.ts';
import { ArchivingMediaDriver } from '../../src/archive-server/archiving-media-driver.ts';
import { localControl, recordAndReplayWithOurClient } from './launch-support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

function archiveDir(): string {
  const dir = makeArchiveDir();
  dirs.push(dir);
  return dir;
}

describe('archive properties', () => {
  it('reads AERON_DIR and AERON_ARCHIVE_* first, then each set in order, with Java value syntax', () => {
    const { options, ignored } = archiveServerOptionsFromProperties(
      [
        { 'aeron.archive.dir': '/tmp/first', 'aeron.archive.segment.file.length': '64m', 'aeron.archive.id': '9' },
        {
          'aeron.archive.dir': '/tmp/second',
          'aeron.archive.connect.timeout': '2500us',
          'aeron.archive.replay.linger.timeout': '2s',
          'aeron.archive.session.liveness.check.interval': '250ms',
          'aeron.archive.control.term.buffer.sparse': 'false',
          'aeron.archive.replication.channel': 'aeron:udp?endpoint=localhost:0',
          'aeron.archive.low.storage.space.threshold': '1g',
          'aeron.threading.mode': 'SHARED',
          'some.other.name': 'x',
        },
      ],
      {
        AERON_DIR: '/dev/shm/env-dir',
        AERON_ARCHIVE_DIR: '/tmp/env',
        AERON_ARCHIVE_CONTROL_CHANNEL: 'aeron:udp?endpoint=localhost:8010',
        AERON_ARCHIVE_CONTROL_STREAM_ID: '11',
        AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL: 'aeron:udp?endpoint=localhost:0',
      },
    );
    expect(options).toEqual({
      aeronDir: '/dev/shm/env-dir',
      archiveDir: '/tmp/second',
      controlChannel: 'aeron:udp?endpoint=localhost:8010',
      controlStreamId: 11,
      segmentFileLength: 64 * 1024 * 1024,
      archiveId: 9,
      connectTimeoutMs: 3,
      replayLingerTimeoutNs: 2_000_000_000,
      sessionLivenessCheckIntervalMs: 250,
      controlTermBufferSparse: false,
      lowStorageSpaceThreshold: 1024 * 1024 * 1024,
      replicationChannel: 'aeron:udp?endpoint=localhost:0',
      archiveClientControlResponseChannel: 'aeron:udp?endpoint=localhost:0',
    });
    expect(ignored).toEqual(['aeron.threading.mode']);
  });

  it('aeron.archive.control.channel.enabled=false leaves the local control channel only', () => {
    const { options } = archiveServerOptionsFromProperties([{ 'aeron.archive.control.channel.enabled': 'false' }], {
      AERON_ARCHIVE_CONTROL_CHANNEL: 'aeron:udp?endpoint=localhost:8010',
    });
    expect(options.controlChannel).toBeNull();
  });

  it('names every option once, every name under aeron.archive. but aeron.dir', () => {
    const options = ARCHIVE_PROPERTIES.map((p) => p.option);
    expect(new Set(options).size).toBe(options.length);
    for (const { name } of ARCHIVE_PROPERTIES)
      expect(name === 'aeron.dir' || name.startsWith('aeron.archive.')).toBe(true);
  });

  it("reads Java's ALLOW_ALL / DENY_ALL authorisation services and refuses a Java class as a supplier", () => {
    const read = (name: string, value: string) => archiveServerOptionsFromProperties([{ [name]: value }]);
    const service = (value: string) => read('aeron.archive.authorisation.service.supplier', value).options;
    expect(service('DENY_ALL').authorisationService?.isAuthorised(101, 2, null, null)).toBe(false);
    expect(service('ALLOW_ALL').authorisationService?.isAuthorised(101, 2, null, null)).toBe(true);
    expect(service('').authorisationService).toBeUndefined();
    expect(() => service('com.example.MyAuthorisationSupplier')).toThrow(
      'aeron.archive.authorisation.service.supplier=com.example.MyAuthorisationSupplier names a Java class',
    );
    const authenticator = (value: string) => () => read('aeron.archive.authenticator.supplier', value);
    expect(authenticator('io.aeron.security.DefaultAuthenticatorSupplier')().ignored).toEqual([]);
    expect(authenticator('ChallengeAuthenticatorSupplier')).toThrow(
      new ArchiveServerError(
        'INVALID_OPTION',
        'aeron.archive.authenticator.supplier=ChallengeAuthenticatorSupplier names a Java class, which the ' +
          'TypeScript archive cannot load (accepted: io.aeron.security.DefaultAuthenticatorSupplier; set the ' +
          'authenticator option in code instead)',
      ),
    );
  });

  it('refuses a bad value with ArchiveServerError INVALID_OPTION naming the property', () => {
    const read = (name: string, value: string) => () => archiveServerOptionsFromProperties([{ [name]: value }]);
    expect(read('aeron.archive.segment.file.length', 'lots')).toThrow(
      new ArchiveServerError('INVALID_OPTION', 'aeron.archive.segment.file.length=lots should end with: k, m, or g'),
    );
    expect(read('aeron.archive.control.stream.id', '1.5')).toThrow(
      'aeron.archive.control.stream.id=1.5 is not a 32-bit integer',
    );
    expect(read('aeron.archive.dir.delete.on.start', 'yes')).toThrow(
      'aeron.archive.dir.delete.on.start=yes must be true or false',
    );
    try {
      read('aeron.archive.connect.timeout', '-1s')();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ArchiveServerError);
      expect((e as ArchiveServerError).code).toBe('INVALID_OPTION');
    }
  });
});

describe('ArchivingMediaDriver (TS driver + TS archive, no JVM)', () => {
  it('records and replays through our client, then closes both and removes the embedded directory', async () => {
    const dir = archiveDir();
    let aeronDir: string;
    {
      await using archiving = await ArchivingMediaDriver.launch({
        driver: { threadingMode: 'SHARED' },
        archive: { archiveDir: dir, segmentFileLength: 256 * 1024 },
      });
      aeronDir = archiving.aeronDir;
      expect(archiving.archive.aeron.context.aeronDir).toBe(aeronDir);
      expect(existsSync(join(dir, 'archive-mark.dat'))).toBe(true);
      const recordingId = await recordAndReplayWithOurClient(localControl(aeronDir), 1101, 2_000);
      expect(recordingId).toBe(0);
    }
    expect(existsSync(aeronDir)).toBe(false);
    // The dir is free again: a second launch opens the catalog with the recording in it.
    const again = await ArchivingMediaDriver.launch({ archive: { archiveDir: dir } });
    try {
      expect(await recordAndReplayWithOurClient(localControl(again.aeronDir), 1201, 10)).toBe(1);
    } finally {
      await again.close();
      await again.close();
    }
    expect(again.archive.isClosed).toBe(true);
    expect(again.driver.isClosed).toBe(true);
  }, 180_000);

  it('a refused archive stops the driver it started', async () => {
    const dir = archiveDir();
    const first = await ArchivingMediaDriver.launch({ archive: { archiveDir: dir } });
    try {
      const error = await ArchivingMediaDriver.launch({ archive: { archiveDir: dir } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveServerError);
      expect((error as ArchiveServerError).code).toBe('ACTIVE_MARK_FILE');
    } finally {
      await first.close();
    }
  }, 120_000);
});
