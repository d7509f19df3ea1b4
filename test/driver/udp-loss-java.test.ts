/**
 * The TS driver's sender under loss: a TS client publishes through the TS driver over UDP unicast to a Java
 * subscriber on a Java driver that drops 10 % of the frames it receives (seeded, Java's
 * `DebugReceiveChannelEndpoint`); the Java receiver NAKs the gaps and the TS sender's retransmits fill them, so
 * every message arrives once and in order. The TS driver's NAK and retransmit counters move.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { awaitConnected, publishMessages } from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes } from '../support/message-pattern.ts';
import { type ProbeProcess, pubSubProbeClasspath, startJavaSubscriber } from '../support/pubsub-probe.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const PROBE_DEADLINE_MS = 180_000;
const COUNT = 50_000;

describeInterop('the TS driver sender with 10 % loss at the Java receiver', () => {
  let tsDriver: TestDriver;
  let javaDriver: DriverHandle;
  let aeron: Aeron;
  const running: ProbeProcess[] = [];

  beforeAll(async () => {
    pubSubProbeClasspath();
    [tsDriver, javaDriver] = await Promise.all([
      launchTestDriver(),
      startMediaDriver({ driver: JAVA_DRIVER, loss: { rate: 0.1, seed: 0x7301 } }),
    ]);
    aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-loss-java' });
  }, 120_000);

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    aeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  it(
    `${COUNT} messages arrive once and in order; NAKs received and retransmits sent`,
    async () => {
      const channel = `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
      const stream = 7301;
      const sizes = new MessageSizes('random:23:0:3000');
      const seed = 0x7300;
      const subscriber = await startJavaSubscriber({
        aeronDir: javaDriver.aeronDir,
        channel,
        streamId: stream,
        sizes,
        seed,
        count: COUNT,
        untilEos: true,
        timeoutMs: PROBE_DEADLINE_MS - 10_000,
      });
      running.push(subscriber);
      const publication = await aeron.addPublication(channel, stream);
      let published: Awaited<ReturnType<typeof publishMessages>>;
      try {
        const deadlineMs = Date.now() + PROBE_DEADLINE_MS - 20_000;
        await awaitConnected(publication, deadlineMs);
        published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
      } finally {
        publication.close();
      }
      const received = await subscriber.received(PROBE_DEADLINE_MS);
      const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
      expect(crcHex(published.checksum)).toBe(expected);
      expect(received).toMatchObject({ count: COUNT, checksum: expected, errors: 0 });
      const counters = tsDriver.driver.systemCounters;
      expect(counters.get('NAK_MESSAGES_RECEIVED').get()).toBeGreaterThan(0);
      expect(counters.get('RETRANSMITS_SENT').get()).toBeGreaterThan(0);
      expect(counters.get('RETRANSMITTED_BYTES').get()).toBeGreaterThan(0);
    },
    PROBE_DEADLINE_MS,
  );
});
