/**
 * Multi-destination cast from the TS driver (issue 17) to three subscribers on mixed drivers, over loopback:
 * a TS client publishes through TS driver T1 on an MDC channel with `fc=min` (the publication waits for the
 * slowest); two Java subscribers on one Java driver (two receive endpoints, two ports) and a TS subscriber on a
 * second TS driver T2 each check every message (the Java probe: count, CRC and end of stream; ours: content,
 * length and order with `MessageVerifier`).
 *
 * ```
 *  control-mode=dynamic  publication aeron:udp?control=127.0.0.1:<P>|control-mode=dynamic|fc=min
 *                        subscriptions aeron:udp?endpoint=127.0.0.1:<S>|control=127.0.0.1:<P>|control-mode=dynamic
 *                        (the receivers' SETUP-eliciting status messages to <P> add them as destinations)
 *  control-mode=manual   publication aeron:udp?control=127.0.0.1:<P>|control-mode=manual|fc=min, then
 *                        addDestination(aeron:udp?endpoint=127.0.0.1:<S>) per subscriber; plain unicast subscriptions
 *  Java publisher        a Java client on the Java driver publishes control-mode=dynamic with fc=min,g:/3 (connected
 *                        once three receivers are there) to TS subscribers on T1 and T2 and a Java one
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { freeUdpPort } from '../../harness/ports.ts';
import type { Publication } from '../../src/client/publication.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import { awaitConnected, publishMessages } from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { type ProbeProcess, startJavaPublisher, startJavaSubscriber } from '../support/pubsub-probe.ts';
import { useMixedDrivers } from './mixed-drivers.ts';

const DEADLINE_MS = 180_000;
const COUNT = 30_000;
const SIZES = 'random:51:0:500';

describeInterop('MDC from the TS driver to three subscribers on TS and Java drivers', () => {
  const drivers = useMixedDrivers('udp-mdc');
  const { probes } = drivers;

  /**
   * Starts the three subscribers on `subscriberChannel(port)`, publishes COUNT messages on `publicationChannel`
   * (after `prepare`, e.g. adding destinations), and checks what each received.
   */
  async function fanOut(options: {
    readonly streamId: number;
    readonly seed: number;
    readonly publicationChannel: string;
    readonly subscriberChannel: (port: number) => string;
    readonly prepare?: (publication: Publication, ports: readonly number[]) => Promise<void>;
  }): Promise<void> {
    const { streamId, seed } = options;
    const sizes = new MessageSizes(SIZES);
    const ports = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const javaSubscribers: ProbeProcess[] = [];
    for (const port of [ports[0]!, ports[2]!]) {
      const probe = await startJavaSubscriber({
        aeronDir: drivers.javaDriver.aeronDir,
        channel: options.subscriberChannel(port),
        streamId,
        sizes,
        seed,
        count: COUNT,
        untilEos: true,
        timeoutMs: DEADLINE_MS - 10_000,
      });
      probes.push(probe);
      javaSubscribers.push(probe);
    }
    const subscription = await drivers.subscriberClient.addSubscription(options.subscriberChannel(ports[1]!), streamId);
    const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
    const scratch = new Uint8Array(Math.max(8, sizes.max));
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    });
    const deadlineMs = Date.now() + DEADLINE_MS - 20_000;
    let pollFailure: unknown = null;
    const polling = (async () => {
      while (!verifier.done && Date.now() < deadlineMs) {
        if (subscription.poll(assembler.onFragment, 256) === 0) await sleep(1);
        else await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch((e: unknown) => {
      pollFailure = e;
    });
    const publication = await drivers.publisherClient.addPublication(options.publicationChannel, streamId);
    let published: Awaited<ReturnType<typeof publishMessages>>;
    try {
      await options.prepare?.(publication, ports);
      await awaitConnected(publication, deadlineMs);
      // all three connected before the first message: min flow control then waits for each
      const connectDeadline = Date.now() + 30_000;
      while (subscription.images.length === 0 && Date.now() < connectDeadline) await sleep(5);
      await sleep(500);
      published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
      await polling;
    } finally {
      publication.close();
    }
    try {
      expect(pollFailure).toBeNull();
      expect(verifier.errors).toEqual([]);
      expect(verifier.received).toBe(COUNT);
      const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
      expect(crcHex(published.checksum)).toBe(expected);
      expect(crcHex(verifier.crcs[0]!.value())).toBe(expected);
      for (const probe of javaSubscribers) {
        expect(await probe.received(DEADLINE_MS)).toMatchObject({ count: COUNT, checksum: expected, errors: 0 });
      }
    } finally {
      subscription.close();
    }
  }

  it(
    `control-mode=dynamic: ${COUNT} messages reach two Java subscribers and a TS subscriber, each checked`,
    async () => {
      const control = `127.0.0.1:${await freeUdpPort()}`;
      await fanOut({
        streamId: 7801,
        seed: 0x7801,
        publicationChannel: `aeron:udp?control=${control}|control-mode=dynamic|fc=min|term-length=64k`,
        subscriberChannel: (port) => `aeron:udp?endpoint=127.0.0.1:${port}|control=${control}|control-mode=dynamic`,
      });
    },
    DEADLINE_MS,
  );

  it(
    `control-mode=manual: ${COUNT} messages to three added destinations (two Java, one TS subscriber), each checked`,
    async () => {
      const control = `127.0.0.1:${await freeUdpPort()}`;
      await fanOut({
        streamId: 7802,
        seed: 0x7802,
        publicationChannel: `aeron:udp?control=${control}|control-mode=manual|fc=min|term-length=64k`,
        subscriberChannel: (port) => `aeron:udp?endpoint=127.0.0.1:${port}`,
        prepare: async (publication, ports) => {
          for (const port of ports) await publication.addDestination(`aeron:udp?endpoint=127.0.0.1:${port}`);
        },
      });
    },
    DEADLINE_MS,
  );

  it(
    `Java MDC publisher (dynamic, fc=min,g:/3) -> TS subscribers on two TS drivers and a Java one: ${COUNT} each`,
    async () => {
      const streamId = 7803;
      const seed = 0x7803;
      const sizes = new MessageSizes(SIZES);
      const control = `127.0.0.1:${await freeUdpPort()}`;
      const ports = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
      const channel = (port: number): string =>
        `aeron:udp?endpoint=127.0.0.1:${port}|control=${control}|control-mode=dynamic`;
      const javaSubscriber = await startJavaSubscriber({
        aeronDir: drivers.javaDriver.aeronDir,
        channel: channel(ports[2]!),
        streamId,
        sizes,
        seed,
        count: COUNT,
        untilEos: true,
        timeoutMs: DEADLINE_MS - 10_000,
      });
      probes.push(javaSubscriber);
      const subscriptions = [
        await drivers.publisherClient.addSubscription(channel(ports[0]!), streamId),
        await drivers.subscriberClient.addSubscription(channel(ports[1]!), streamId),
      ];
      try {
        const verifiers = subscriptions.map(() => new MessageVerifier({ sizes, seed, count: COUNT }));
        const scratch = new Uint8Array(Math.max(8, sizes.max));
        const assemblers = verifiers.map(
          (verifier) =>
            new FragmentAssembler((buffer, offset, length) => {
              buffer.getBytes(offset, scratch, 0, length);
              verifier.onMessage(scratch, 0, length);
            }),
        );
        const publisher = startJavaPublisher({
          aeronDir: drivers.javaDriver.aeronDir,
          channel: `aeron:udp?control=${control}|control-mode=dynamic|fc=min,g:/3|term-length=64k`,
          streamId,
          count: COUNT,
          sizes,
          seed,
          exclusive: false,
          timeoutMs: DEADLINE_MS - 10_000,
        });
        probes.push(publisher);
        const deadline = Date.now() + DEADLINE_MS - 20_000;
        while (!verifiers.every((v) => v.done) && Date.now() < deadline) {
          let fragments = 0;
          for (let i = 0; i < subscriptions.length; i++) {
            fragments += subscriptions[i]!.poll(assemblers[i]!.onFragment, 256);
          }
          if (fragments === 0) await sleep(1);
          else await new Promise((resolve) => setImmediate(resolve));
        }
        const published = await publisher.published(60_000);
        for (const verifier of verifiers) {
          expect(verifier.errors).toEqual([]);
          expect(verifier.received).toBe(COUNT);
          expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
        }
        expect(await javaSubscriber.received(DEADLINE_MS)).toMatchObject({
          count: COUNT,
          checksum: published.checksum,
          errors: 0,
        });
      } finally {
        for (const subscription of subscriptions) subscription.close();
      }
    },
    DEADLINE_MS,
  );
});
