import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { runExample } from '../support/run-example.ts';

describeInterop('examples/record-and-replay.ts against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
  }, 60_000);

  afterAll(async () => {
    await driver?.stop();
  }, 30_000);

  it('records 11 messages and replays 11 of 11', async () => {
    const { code, output } = await runExample(
      'record-and-replay.ts',
      [
        '--aeron-dir',
        driver.aeronDir,
        '--control-channel',
        driver.controlChannel,
        '--control-stream-id',
        String(driver.controlStreamId),
        '--response-channel',
        driver.responseChannel,
      ],
      90_000,
    );
    expect(output).toContain('replayed 11 of 11 messages');
    expect(code).toBe(0);
  }, 120_000);
});
