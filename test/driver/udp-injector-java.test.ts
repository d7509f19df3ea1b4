/**
 * The TS driver's own fault injector (issue 17; `MediaDriverOptions.debugFaultProperties`, the properties of
 * `src/driver/media/debug/debug-channel-endpoint-configuration.ts`) against a Java peer on a clean Java driver over
 * UDP unicast, in each direction and on each frame kind:
 *
 * ```
 *  TS driver's faults (seeded)                          direction        proof
 *  send data loss 10 %                                  TS -> Java       every message once, in order (Java probe
 *  send data 10 % + send control (SM/NAK/RTTM) 10 %     TS -> Java       checks count, CRC and EOS);
 *  send duplicate 5 % + reorder 5 %                     TS -> Java       TS NAKs received and retransmits move
 *  receive data loss 10 %                               Java -> TS       every message once, in order (MessageVerifier),
 *  receive data 10 % + receive control (its SM/NAK) 10% Java -> TS       nothing after the last; TS NAKs sent move
 *  receive duplicate 5 % + reorder 5 %                  Java -> TS
 * ```
 *
 * Each case has its own TS driver (SHARED: its own worker thread; counters read through the client's CnC view),
 * Java driver, port and stream id. 64 KiB terms: the streams rotate terms many times.
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
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
import { launchTestDriver, systemCounter, type TestDriver } from './support.ts';

const DEADLINE_MS = 240_000;
const COUNT = 30_000;
const TERM_LENGTH = 64 * 1024;
const SIZES = 'random:31:0:300';

/** The counters a case reads after its stream finished. */
interface Counts {
  readonly naksSent: number;
  readonly naksReceived: number;
  readonly retransmitsSent: number;
  readonly position: number;
}

describeInterop("the TS driver's fault injector against a Java peer over UDP", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let nextStreamId = 7601;

  beforeAll(() => {
    pubSubProbeClasspath();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    assertNoLeftovers();
  });

  async function drivers(faults: Record<string, string>): Promise<{ aeron: Aeron; javaDriver: DriverHandle }> {
    const [tsDriver, javaDriver] = await Promise.all([
      launchTestDriver({ threadingMode: 'SHARED', debugFaultProperties: faults }) as Promise<TestDriver>,
      startMediaDriver({ driver: JAVA_DRIVER }),
    ]);
    cleanups.push(
      () => tsDriver.close(),
      () => javaDriver.stop(),
    );
    const aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-injector-java' });
    cleanups.push(() => aeron.close());
    return { aeron, javaDriver };
  }

  function counts(aeron: Aeron, position: number): Counts {
    const reader = aeron.countersReader;
    return {
      naksSent: systemCounter(reader, 'NAKs sent'),
      naksReceived: systemCounter(reader, 'NAKs received'),
      retransmitsSent: systemCounter(reader, 'Retransmits sent'),
      position,
    };
  }

  /** A TS client on the faulty TS driver publishes COUNT messages to a Java subscriber, which checks them all. */
  async function tsToJava(faults: Record<string, string>, seed: number): Promise<Counts> {
    const { aeron, javaDriver } = await drivers(faults);
    const channel = `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
    const streamId = nextStreamId++;
    const sizes = new MessageSizes(SIZES);
    const subscriber: ProbeProcess = await startJavaSubscriber({
      aeronDir: javaDriver.aeronDir,
      channel,
      streamId,
      sizes,
      seed,
      count: COUNT,
      untilEos: true,
      timeoutMs: DEADLINE_MS - 10_000,
    });
    cleanups.push(() => subscriber.kill());
    const publication = await aeron.addPublication(channel, streamId);
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
    return counts(aeron, published.position);
  }

  /** A Java client on a clean Java driver publishes COUNT messages; a TS client on the faulty TS driver checks all. */
  async function javaToTs(faults: Record<string, string>, seed: number): Promise<Counts> {
    const { aeron, javaDriver } = await drivers(faults);
    const channel = `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
    const streamId = nextStreamId++;
    const sizes = new MessageSizes(SIZES);
    const subscription = await aeron.addSubscription(channel, streamId);
    cleanups.push(() => subscription.close());
    const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
    const scratch = new Uint8Array(Math.max(8, sizes.max));
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    });
    const publisher = startJavaPublisher({
      aeronDir: javaDriver.aeronDir,
      channel,
      streamId,
      count: COUNT,
      sizes,
      seed,
      exclusive: false,
      timeoutMs: DEADLINE_MS - 10_000,
    });
    cleanups.push(() => publisher.kill());
    const deadline = Date.now() + DEADLINE_MS;
    let polls = 0;
    while (!verifier.done) {
      if (Date.now() > deadline) {
        throw new Error(`${verifier.received} of ${COUNT} messages before the deadline\n${publisher.describe()}`);
      }
      const fragments = subscription.poll(assembler.onFragment, 256);
      if (fragments === 0 || (++polls & 7) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const published = await publisher.published(60_000);
    expect(published.count).toBe(COUNT);
    // nothing more arrives (no duplicate after the last message)
    for (let i = 0; i < 50; i++) {
      subscription.poll(assembler.onFragment, 256);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(verifier.errors).toEqual([]);
    expect(verifier.errorCount).toBe(0);
    expect(verifier.received).toBe(COUNT);
    expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
    return counts(aeron, published.position);
  }

  it(
    'TS sender, 10 % seeded send data loss: every message once and in order; NAKs received, retransmits sent',
    async () => {
      const result = await tsToJava(
        { 'aeron.debug.send.data.loss.rate': '0.1', 'aeron.debug.send.data.loss.seed': '7601' },
        0x7601,
      );
      expect(result.position).toBeGreaterThan(10 * TERM_LENGTH);
      expect(result.naksReceived).toBeGreaterThan(10);
      expect(result.retransmitsSent).toBeGreaterThan(10);
    },
    DEADLINE_MS,
  );

  it(
    'TS sender, 10 % send data and 10 % send control (SM/NAK/RTTM) loss: every message once and in order',
    async () => {
      const result = await tsToJava(
        {
          'aeron.debug.send.data.loss.rate': '0.1',
          'aeron.debug.send.data.loss.seed': '7602',
          'aeron.debug.send.control.loss.rate': '0.1',
          'aeron.debug.send.control.loss.seed': '7603',
        },
        0x7602,
      );
      expect(result.naksReceived).toBeGreaterThan(10);
      expect(result.retransmitsSent).toBeGreaterThan(10);
    },
    DEADLINE_MS,
  );

  it(
    'TS sender, 5 % duplicated and 5 % reordered datagrams: every message exactly once and in order',
    async () => {
      const result = await tsToJava(
        {
          'aeron.ts.debug.send.duplicate.rate': '0.05',
          'aeron.ts.debug.send.reorder.rate': '0.05',
          'aeron.debug.send.data.loss.seed': '7604',
        },
        0x7604,
      );
      expect(result.position).toBeGreaterThan(10 * TERM_LENGTH);
    },
    DEADLINE_MS,
  );

  it(
    'TS receiver, 10 % seeded receive data loss: every message once and in order; NAKs sent',
    async () => {
      const result = await javaToTs(
        { 'aeron.debug.receive.data.loss.rate': '0.1', 'aeron.debug.receive.data.loss.seed': '7605' },
        0x7605,
      );
      expect(result.position).toBeGreaterThan(10 * TERM_LENGTH);
      expect(result.naksSent).toBeGreaterThan(10);
    },
    DEADLINE_MS,
  );

  it(
    'TS receiver, 10 % receive data and 10 % receive control (its SM/NAK) loss: every message once and in order',
    async () => {
      const result = await javaToTs(
        {
          'aeron.debug.receive.data.loss.rate': '0.1',
          'aeron.debug.receive.data.loss.seed': '7606',
          'aeron.debug.receive.control.loss.rate': '0.1',
          'aeron.debug.receive.control.loss.seed': '7607',
        },
        0x7606,
      );
      expect(result.naksSent).toBeGreaterThan(10);
    },
    DEADLINE_MS,
  );

  it(
    'TS receiver, 5 % duplicated and 5 % reordered datagrams: every message exactly once and in order',
    async () => {
      const result = await javaToTs(
        {
          'aeron.ts.debug.receive.duplicate.rate': '0.05',
          'aeron.ts.debug.receive.reorder.rate': '0.05',
          'aeron.debug.receive.data.loss.seed': '7608',
        },
        0x7608,
      );
      expect(result.position).toBeGreaterThan(10 * TERM_LENGTH);
    },
    DEADLINE_MS,
  );
});
