/**
 * Multicast between the TS and the Java media driver on two "hosts" (issue 17): network namespaces A and B joined
 * by a veth pair (`createVethNamespaces`), the Java driver started in A and the TS driver (the CLI, a child process)
 * in B, each under `ip netns exec`. Their clients run in this namespace: a driver and its clients meet in the CnC
 * file (shared memory), not on the network. The channel is `aeron:udp?endpoint=239.255.44.1:<port>|interface=<the
 * side's veth address>`: DATA and SETUP go to the group, status messages and NAKs to the group's port + 1.
 *
 * ```
 *  Java client -> Java driver (A) --239.255.44.1--> TS driver (B) -> TS client       every message checked in order
 *  TS client   -> TS driver (B)   --239.255.44.1--> Java driver (A) -> Java client   count, CRC, end of stream
 * ```
 *
 * The TS driver drops 5 % of the datagrams it sends and 5 % of the data frames it receives (seeded, its own fault
 * injection): the multicast receivers' NAKs (Java's and the TS driver's OptimalMulticastDelayGenerator backoff) and
 * the senders' retransmits to the group repair every gap.
 *
 * Needs root (`ip netns`) and Java: skipped without them locally, failing in CI.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, externalDriver, startMediaDriver, TS_DRIVER } from '../../harness/driver.ts';
import { JAVA_DRIVER_KIND, TS_DRIVER_KIND } from '../../harness/driver-kind.ts';
import { AERON_JVM_FLAGS } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import { awaitConnected, publishMessages } from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import {
  type ProbeProcess,
  pubSubProbeClasspath,
  startJavaPublisher,
  startJavaSubscriber,
} from '../support/pubsub-probe.ts';
import { createVethNamespaces, netnsUnavailable, systemCounter, type VethNamespaces } from './support.ts';

const DEADLINE_MS = 180_000;
const COUNT = 50_000;
/** The TS driver's own seeded loss, both ways (through its CLI's properties file): multicast NAKs repair it. */
const TS_FAULTS = {
  'aeron.debug.send.data.loss.rate': '0.05',
  'aeron.debug.send.data.loss.seed': '7701',
  'aeron.debug.receive.data.loss.rate': '0.05',
  'aeron.debug.receive.data.loss.seed': '7702',
};
const GROUP = '239.255.44.1';
const SIZES = 'random:41:0:1000';
const TERM_LENGTH = 64 * 1024;

const unavailable = netnsUnavailable();

if (unavailable !== null && process.env.CI) {
  describe('multicast between the TS and the Java driver across two network namespaces', () => {
    it('can create network namespaces', () => {
      throw new Error(unavailable);
    });
  });
} else if (unavailable === null) {
  describeInterop('multicast between the TS and the Java driver across two network namespaces', () => {
    let hosts: VethNamespaces;
    let javaDriver: DriverHandle;
    let tsDriver: DriverHandle;
    let aeron: Aeron;
    const probes: ProbeProcess[] = [];

    beforeAll(async () => {
      pubSubProbeClasspath();
      hosts = createVethNamespaces('mc', '10.233.0');
      const [nsA, nsB] = hosts.names;
      javaDriver = await startMediaDriver({
        driver: externalDriver(JAVA_DRIVER_KIND, [
          'ip',
          'netns',
          'exec',
          nsA,
          'java',
          ...AERON_JVM_FLAGS,
          '-cp',
          aeronJarPath(),
          'io.aeron.driver.MediaDriver',
        ]),
      });
      tsDriver = await startMediaDriver({
        properties: TS_FAULTS,
        driver: externalDriver(TS_DRIVER_KIND, ['ip', 'netns', 'exec', nsB, ...TS_DRIVER.command!]),
      });
      aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-multicast-java' });
    }, 180_000);

    afterEach(async () => {
      for (const probe of probes.splice(0)) await probe.kill();
    });

    afterAll(async () => {
      aeron?.close();
      await tsDriver?.stop();
      await javaDriver?.stop();
      hosts?.delete();
      assertNoLeftovers();
    });

    const channelFor = (port: number, side: 0 | 1): string =>
      `aeron:udp?endpoint=${GROUP}:${port}|interface=${hosts.addresses[side]}|term-length=64k`;

    it(
      `Java driver (A) -> TS driver (B): ${COUNT} messages to ${GROUP}, each once and in order through 5 % TS receive loss`,
      async () => {
        const port = await freeUdpPort();
        const streamId = 7701;
        const sizes = new MessageSizes(SIZES);
        const seed = 0x7701;
        const subscription = await aeron.addSubscription(channelFor(port, 1), streamId);
        try {
          const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
          const scratch = new Uint8Array(Math.max(8, sizes.max));
          const assembler = new FragmentAssembler((buffer, offset, length) => {
            buffer.getBytes(offset, scratch, 0, length);
            verifier.onMessage(scratch, 0, length);
          });
          const publisher = startJavaPublisher({
            aeronDir: javaDriver.aeronDir,
            channel: channelFor(port, 0),
            streamId,
            count: COUNT,
            sizes,
            seed,
            exclusive: false,
            timeoutMs: DEADLINE_MS - 10_000,
          });
          probes.push(publisher);
          const deadline = Date.now() + DEADLINE_MS - 10_000;
          while (!verifier.done) {
            if (Date.now() > deadline) {
              throw new Error(`${verifier.received} of ${COUNT} messages before the deadline\n${publisher.describe()}`);
            }
            if (subscription.poll(assembler.onFragment, 256) === 0) await sleep(1);
          }
          const published = await publisher.published(60_000);
          expect(published.count).toBe(COUNT);
          expect(published.position).toBeGreaterThan(20 * TERM_LENGTH);
          for (let i = 0; i < 50; i++) {
            subscription.poll(assembler.onFragment, 256);
            await sleep(2);
          }
          expect(verifier.errors).toEqual([]);
          expect(verifier.errorCount).toBe(0);
          expect(verifier.received).toBe(COUNT);
          expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
          const image = subscription.images[0];
          expect(image?.sourceIdentity).toMatch(/^10\.233\.0\.1:\d+$/);
          expect(systemCounter(aeron.countersReader, 'NAKs sent')).toBeGreaterThan(10);
        } finally {
          subscription.close();
        }
      },
      DEADLINE_MS,
    );

    it(
      `TS driver (B) -> Java driver (A): ${COUNT} messages to ${GROUP}, each once and in order through 5 % TS send loss`,
      async () => {
        const port = await freeUdpPort();
        const streamId = 7702;
        const sizes = new MessageSizes(SIZES);
        const seed = 0x7702;
        const subscriber = await startJavaSubscriber({
          aeronDir: javaDriver.aeronDir,
          channel: channelFor(port, 0),
          streamId,
          sizes,
          seed,
          count: COUNT,
          untilEos: true,
          timeoutMs: DEADLINE_MS - 10_000,
        });
        probes.push(subscriber);
        const publication = await aeron.addPublication(channelFor(port, 1), streamId);
        let published: Awaited<ReturnType<typeof publishMessages>>;
        try {
          const deadlineMs = Date.now() + DEADLINE_MS - 20_000;
          await awaitConnected(publication, deadlineMs);
          published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
        } finally {
          publication.close();
        }
        const received = await subscriber.received(DEADLINE_MS);
        const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
        expect(crcHex(published.checksum)).toBe(expected);
        expect(received).toMatchObject({ count: COUNT, checksum: expected, errors: 0 });
        expect(systemCounter(aeron.countersReader, 'NAKs received')).toBeGreaterThan(10);
        expect(systemCounter(aeron.countersReader, 'Retransmits sent')).toBeGreaterThan(10);
      },
      DEADLINE_MS,
    );
  });
} else {
  describe.skip(`multicast between the TS and the Java driver (${unavailable})`, () => {
    it('needs network namespaces', () => {});
  });
}
