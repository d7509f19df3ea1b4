/**
 * `aeron-ts loss` on a real, non-empty loss report: the driver runs with its seeded loss injection
 * (`DriverKind.lossProperties`: Java's debug receive endpoint, the C driver's loss interceptor) dropping 10 % of
 * data frames, a TS publication streams over UDP loopback to a TS subscription on the same
 * driver, the receiver detects the gaps and records them in `loss-report.dat`, and the CLI (a child process)
 * reports them for that stream and channel.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { runCliProcess } from './support/run-cli.ts';

const STREAM_ID = 7001;
const MESSAGES = 2_000;

interface LossJson {
  readonly entries: ReadonlyArray<{
    readonly observationCount: number;
    readonly totalBytesLost: number;
    readonly streamId: number;
    readonly sessionId: number;
    readonly channel: string;
    readonly source: string;
  }>;
}

describeInterop('aeron-ts loss', () => {
  let driver: DriverHandle;
  let channel: string;
  let sessionId: number;

  beforeAll(async () => {
    driver = await startMediaDriver({ loss: { rate: 0.1, seed: 7 } });
    channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
    const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    try {
      const subscription = await aeron.addSubscription(channel, STREAM_ID);
      const publication = await aeron.addExclusivePublication(channel, STREAM_ID);
      sessionId = publication.sessionId;
      const payload = new Uint8Array(200);
      let sent = 0;
      let received = 0;
      const deadline = Date.now() + 90_000;
      while (received < MESSAGES) {
        if (Date.now() > deadline) throw new Error(`timed out: sent ${sent}, received ${received}`);
        if (sent < MESSAGES && publication.offer(payload, 0, payload.length) > 0) sent++;
        received += subscription.poll(() => {}, 50);
        if (sent === MESSAGES || received % 100 === 0) await new Promise((r) => setImmediate(r));
      }
      publication.close();
      subscription.close();
    } finally {
      aeron.close();
    }
  }, 180_000);

  afterAll(async () => {
    await driver?.stop();
    assertNoLeftovers();
  });

  it('reports the loss the receiver observed, for that stream, session and channel', async () => {
    const result = await runCliProcess(['loss', '--json', '--aeron-dir', driver.aeronDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as LossJson;
    const entry = report.entries.find((e) => e.streamId === STREAM_ID);
    expect(entry).toBeDefined();
    expect(entry?.sessionId).toBe(sessionId);
    expect(entry?.channel).toContain(channel.split('|')[0]!.slice('aeron:udp?'.length));
    expect(entry?.observationCount).toBeGreaterThan(0);
    expect(entry?.totalBytesLost).toBeGreaterThan(0);
    expect(entry?.source).toMatch(/127\.0\.0\.1:\d+/);

    const text = await runCliProcess(['loss', '--aeron-dir', driver.aeronDir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(String(STREAM_ID));
    expect(text.stdout).not.toContain('no loss observed');
  }, 120_000);
});
