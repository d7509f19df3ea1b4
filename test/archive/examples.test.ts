import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { runExample } from '../support/run-example.ts';

describeInterop('examples/replay-merge.ts and examples/replicate.ts against Java ArchivingMediaDrivers', () => {
  let first: ArchivingDriverHandle | undefined;
  let second: ArchivingDriverHandle | undefined;

  beforeAll(async () => {
    first = await startArchivingMediaDriver();
    second = await startArchivingMediaDriver();
  }, 120_000);

  afterAll(async () => {
    await releaseAll(second, first);
    assertNoLeftovers();
  }, 60_000);

  it('replay-merge: merges the replay into live and receives every message once, in order', async () => {
    const driver = first!;
    const { code, output } = await runExample(
      'replay-merge.ts',
      [
        '--aeron-dir',
        driver.aeronDir,
        '--control-channel',
        driver.controlChannel,
        '--control-stream-id',
        String(driver.controlStreamId),
        '--response-channel',
        driver.responseChannel,
        '--live-control-endpoint',
        `localhost:${await freeUdpPort()}`,
        '--recording-endpoint',
        `localhost:${await freeUdpPort()}`,
        '--live-endpoint',
        `localhost:${await freeUdpPort()}`,
      ],
      120_000,
    );
    expect(output).toMatch(/merged after \d+ replayed messages, \d+ live/);
    const [, replayed, live] = /merged after (\d+) replayed messages, (\d+) live/.exec(output) ?? [];
    expect(Number(replayed)).toBeGreaterThanOrEqual(500);
    expect(Number(live)).toBeGreaterThanOrEqual(500);
    expect(output).toMatch(/received (\d+) of \1 messages, 0 out of order/);
    expect(code, output).toBe(0);
  }, 150_000);

  it('replicate: copies a recording to a second archive and replays 50 of 50 from the copy', async () => {
    const source = first!;
    const destination = second!;
    const { code, output } = await runExample(
      'replicate.ts',
      [
        '--src-aeron-dir',
        source.aeronDir,
        '--src-control-channel',
        source.controlChannel,
        '--src-control-stream-id',
        String(source.controlStreamId),
        '--dst-aeron-dir',
        destination.aeronDir,
        '--dst-control-channel',
        destination.controlChannel,
        '--dst-control-stream-id',
        String(destination.controlStreamId),
        '--response-channel',
        destination.responseChannel,
      ],
      120_000,
    );
    expect(output).toMatch(/replicated recording \d+ to \d+: replayed 50 of 50 messages/);
    expect(code, output).toBe(0);
  }, 150_000);
});
