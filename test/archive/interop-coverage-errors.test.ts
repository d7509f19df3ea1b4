/**
 * The archive error codes that need an archive configured for them (pinned 1.51.0 ArchivingMediaDriver, one at a
 * time): STORAGE_SPACE (`aeron.archive.low.storage.space.threshold` above the free space: recordings refused) and
 * UNAUTHORISED_ACTION (`aeron.archive.authorisation.service.supplier=DENY_ALL`: every request of a session refused,
 * the first being the connect's ArchiveIdRequest).
 */
import { afterEach, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { connectLocalArchive } from './support/archive-interop.ts';

describeInterop('archive error codes that need a configured Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle | null = null;
  let aeron: Aeron | null = null;

  afterEach(async () => {
    aeron?.close();
    aeron = null;
    await driver?.stop();
    driver = null;
  }, 30_000);

  async function start(properties: Record<string, string>): Promise<{ driver: ArchivingDriverHandle; aeron: Aeron }> {
    driver = await startArchivingMediaDriver({ properties, readyTimeoutMs: 120_000 });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    return { driver, aeron };
  }

  it('STORAGE_SPACE: start recording refused below the storage threshold', async () => {
    // 4 PiB: above any free space, and a size both archives read (the TypeScript one keeps sizes below 2^53).
    const { driver, aeron } = await start({ 'aeron.archive.low.storage.space.threshold': String(2 ** 52) });
    const archive = await connectLocalArchive(aeron, driver);
    try {
      const error = await archive.startRecording('aeron:ipc', 5001, SourceLocation.LOCAL).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArchiveError);
      expect((error as ArchiveError).errorCodeName).toBe('STORAGE_SPACE');
      expect((error as ArchiveError).message).toMatch(/low storage threshold/);
      expect(archive.state()).toBe('CONNECTED');
    } finally {
      archive.close();
    }
  }, 180_000);

  it('UNAUTHORISED_ACTION: an archive that authorises nothing refuses the connect with the code by name', async () => {
    const { driver, aeron } = await start({ 'aeron.archive.authorisation.service.supplier': 'DENY_ALL' });
    const error = await connectLocalArchive(aeron, driver).then(
      (archive) => {
        archive.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).errorCodeName).toBe('UNAUTHORISED_ACTION');
    expect((error as ArchiveError).message).toBe('unauthorised action');
  }, 180_000);
});
