/**
 * The TS media driver's UDP receiver against the Java driver's sender (issue 17): a Java client on the JAVA media
 * driver publishes `aeron:udp?endpoint=localhost:<port>` (`test/java/PubSubProbe.java`), a TS client subscribes
 * through the TS driver (INVOKER, in this process), every message checked for content, length and order
 * (`MessageVerifier`), with term rotation (64 KiB terms).
 *
 * Loss: the Java driver drops 10 % of the frames it sends, seeded (`DebugSendChannelEndpointSupplier` with
 * `aeron.debug.send.data.loss.rate/seed`: DATA, heartbeats, SETUP and retransmits alike); the TS receiver must NAK
 * the gaps and still deliver every message exactly once and in order, its NAK counters moving.
 *
 * Each test has its own Java driver, port (`freeUdpPort`) and stream id. Two TS drivers serve the file: one INVOKER
 * in this process (its duty cycle on this event loop, its parts inspectable) and one SHARED (its own worker thread,
 * the default mode; counters read through the client's CnC view). Under loss the INVOKER driver is slow: every gap
 * waits for the sender's retransmit while its idle turns back off on ~1 ms timers (EventLoopAgentRunner).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { type ProbeProcess, pubSubProbeClasspath, startJavaPublisher } from '../support/pubsub-probe.ts';
import { launchTestDriver, systemCounter, type TestDriver } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const MTU = 1408;
const DEADLINE_MS = 240_000;
const JAVA_SEND_LOSS = {
  'aeron.SendChannelEndpoint.supplier': 'io.aeron.driver.ext.DebugSendChannelEndpointSupplier',
  'aeron.debug.send.data.loss.rate': '0.1',
  'aeron.debug.send.data.loss.seed': '1717',
};

describeInterop('UDP: Java client on the Java driver -> TS client on the TS driver', () => {
  let tsDriver: TestDriver;
  let aeron: Aeron;
  let sharedDriver: TestDriver;
  let sharedAeron: Aeron;
  const javaDrivers: DriverHandle[] = [];
  const probes: ProbeProcess[] = [];
  let nextStreamId = 7001;

  beforeAll(async () => {
    pubSubProbeClasspath();
    tsDriver = await launchTestDriver();
    aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-receive-java' });
    sharedDriver = await launchTestDriver({ threadingMode: 'SHARED' });
    sharedAeron = await Aeron.connect({ aeronDir: sharedDriver.aeronDir, clientName: 'udp-receive-java-shared' });
  });

  afterEach(async () => {
    for (const probe of probes.splice(0)) await probe.kill();
    for (const driver of javaDrivers.splice(0)) await driver.stop();
  });

  afterAll(async () => {
    aeron?.close();
    sharedAeron?.close();
    await tsDriver?.close();
    await sharedDriver?.close();
    assertNoLeftovers();
  });

  /** Java publishes `count` messages of `sizes` through a Java driver with `properties`; the TS side checks all. */
  async function javaToTs(options: {
    client: Aeron;
    count: number;
    sizes: MessageSizes;
    seed: number;
    properties?: Record<string, string>;
  }): Promise<{ verifier: MessageVerifier; position: number }> {
    const javaDriver = await startMediaDriver({ driver: JAVA_DRIVER, properties: options.properties ?? {} });
    javaDrivers.push(javaDriver);
    const streamId = nextStreamId++;
    const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k|mtu=${MTU}`;
    const subscription = await options.client.addSubscription(channel, streamId);
    try {
      const verifier = new MessageVerifier({ sizes: options.sizes, seed: options.seed, count: options.count });
      const scratch = new Uint8Array(Math.max(8, options.sizes.max));
      const assembler = new FragmentAssembler((buffer, offset, length) => {
        buffer.getBytes(offset, scratch, 0, length);
        verifier.onMessage(scratch, 0, length);
      });
      const publisher = startJavaPublisher({
        aeronDir: javaDriver.aeronDir,
        channel,
        streamId,
        count: options.count,
        sizes: options.sizes,
        seed: options.seed,
        exclusive: false,
        timeoutMs: DEADLINE_MS - 10_000,
      });
      probes.push(publisher);
      const deadline = Date.now() + DEADLINE_MS;
      let polls = 0;
      while (!verifier.done) {
        if (Date.now() > deadline) {
          throw new Error(
            `${verifier.received} of ${options.count} messages before the deadline\n${publisher.describe()}`,
          );
        }
        const fragments = subscription.poll(assembler.onFragment, 256);
        if (fragments === 0 || (++polls & 7) === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const published = await publisher.published(60_000);
      expect(published.count).toBe(options.count);
      expect(verifier.errors).toEqual([]);
      expect(verifier.errorCount).toBe(0);
      expect(verifier.received).toBe(options.count);
      expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
      // nothing more arrives: no duplicate after the last message
      for (let i = 0; i < 50; i++) {
        subscription.poll(assembler.onFragment, 256);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(verifier.received).toBe(options.count);
      return { verifier, position: published.position };
    } finally {
      subscription.close();
    }
  }

  it('100,000 messages of 0..300 bytes, term rotation, every message once and in order', async () => {
    const { position } = await javaToTs({
      client: aeron,
      count: 100_000,
      sizes: new MessageSizes('random:11:0:300'),
      seed: 4242,
    });
    expect(position).toBeGreaterThan(50 * TERM_LENGTH);
  });

  it('INVOKER driver, 10 % seeded loss on the Java sender: NAKs repair every gap, each message once and in order', async () => {
    const counters = tsDriver.driver.systemCounters;
    const naksBefore = counters.get('NAK_MESSAGES_SENT').get();
    const { position } = await javaToTs({
      client: aeron,
      count: 30_000, // ~50 s for 100,000 here (see the module comment); the SHARED case runs 100,000
      sizes: new MessageSizes('random:12:0:300'),
      seed: 4343,
      properties: JAVA_SEND_LOSS,
    });
    expect(position).toBeGreaterThan(15 * TERM_LENGTH);
    expect(counters.get('NAK_MESSAGES_SENT').get() - naksBefore).toBeGreaterThan(30);
  });

  it('SHARED driver, 10 % seeded loss on the Java sender: every message once and in order, NAKs sent', async () => {
    const naksBefore = systemCounter(sharedAeron.countersReader, 'NAKs sent');
    const { position } = await javaToTs({
      client: sharedAeron,
      count: 100_000,
      sizes: new MessageSizes('random:13:0:300'),
      seed: 4444,
      properties: JAVA_SEND_LOSS,
    });
    expect(position).toBeGreaterThan(50 * TERM_LENGTH);
    expect(systemCounter(sharedAeron.countersReader, 'NAKs sent') - naksBefore).toBeGreaterThan(100);
  });
});
