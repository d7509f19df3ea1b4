/**
 * Multi-destination subscriptions on the TS driver (issue 17; `aeron:udp?control-mode=manual` and
 * ADD/REMOVE_RCV_DESTINATION), over loopback, every message checked in order (`MessageVerifier`):
 *
 * ```
 *  Java client on the Java driver publishes unicast to <S1>        -> TS MDS subscription (destinations S1, S2)
 *  TS MDC publication (control-mode=manual, destinations S1', S2')  -> TS MDS subscription (destinations S1', S2'):
 *     every frame arrives twice, once per transport; the image keeps one copy, its status messages and NAKs
 *     leave through each transport; removing a destination drops the image's active transport count at once
 * ```
 *
 * The MDS subscription lives on TS driver T2, the TS publication on TS driver T1 (SHARED both).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { freeUdpPort } from '../../harness/ports.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import { awaitConnected, publishMessages } from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { startJavaPublisher } from '../support/pubsub-probe.ts';
import { useMixedDrivers } from './mixed-drivers.ts';
import { waitFor } from './support.ts';

const DEADLINE_MS = 180_000;
const COUNT = 30_000;
const SIZES = 'random:61:0:500';

describeInterop('MDS subscriptions on the TS driver', () => {
  const drivers = useMixedDrivers('udp-mds');
  const { probes } = drivers;

  /** An MDS subscription on T2 with a destination per port. */
  async function mdsSubscription(streamId: number, ports: readonly number[]): Promise<Subscription> {
    const subscription = await drivers.subscriberClient.addSubscription('aeron:udp?control-mode=manual', streamId);
    for (const port of ports) await subscription.addDestination(`aeron:udp?endpoint=127.0.0.1:${port}`);
    return subscription;
  }

  /** Polls until COUNT messages of (sizes, seed) were checked; returns the verifier. */
  async function receiveAll(subscription: Subscription, sizes: MessageSizes, seed: number): Promise<MessageVerifier> {
    const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
    const scratch = new Uint8Array(Math.max(8, sizes.max));
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    });
    const deadline = Date.now() + DEADLINE_MS - 20_000;
    while (!verifier.done && Date.now() < deadline) {
      if (subscription.poll(assembler.onFragment, 256) === 0) await sleep(1);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < 50; i++) {
      subscription.poll(assembler.onFragment, 256);
      await sleep(2);
    }
    return verifier;
  }

  it(
    `Java unicast publisher -> TS MDS subscription with two destinations: ${COUNT} messages once and in order`,
    async () => {
      const streamId = 7901;
      const seed = 0x7901;
      const sizes = new MessageSizes(SIZES);
      const ports = [await freeUdpPort(), await freeUdpPort()];
      const subscription = await mdsSubscription(streamId, ports);
      try {
        const publisher = startJavaPublisher({
          aeronDir: drivers.javaDriver.aeronDir,
          channel: `aeron:udp?endpoint=127.0.0.1:${ports[0]}|term-length=64k`,
          streamId,
          count: COUNT,
          sizes,
          seed,
          exclusive: false,
          timeoutMs: DEADLINE_MS - 10_000,
        });
        probes.push(publisher);
        const verifier = await receiveAll(subscription, sizes, seed);
        const published = await publisher.published(60_000);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(COUNT);
        expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
        await subscription.removeDestination(`aeron:udp?endpoint=127.0.0.1:${ports[1]}`);
      } finally {
        subscription.close();
      }
    },
    DEADLINE_MS,
  );

  it(
    `TS MDC publication to two destinations -> TS MDS subscription on both: ${COUNT} messages once and in order`,
    async () => {
      const streamId = 7902;
      const seed = 0x7902;
      const sizes = new MessageSizes(SIZES);
      const ports = [await freeUdpPort(), await freeUdpPort()];
      const subscription = await mdsSubscription(streamId, ports);
      try {
        const publication = await drivers.publisherClient.addPublication(
          'aeron:udp?control-mode=manual|term-length=64k',
          streamId,
        );
        let published: Awaited<ReturnType<typeof publishMessages>>;
        const receiving = receiveAll(subscription, sizes, seed);
        try {
          for (const port of ports) await publication.addDestination(`aeron:udp?endpoint=127.0.0.1:${port}`);
          const deadlineMs = Date.now() + DEADLINE_MS - 20_000;
          await awaitConnected(publication, deadlineMs);
          published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
          await receiving;
          // Removing a destination tells the image at once (Java Receiver.onRemoveDestination): its active
          // transport count drops while the publication still heartbeats to both, long before the removed
          // transport's connection would time out (image liveness, 10 s).
          const image = subscription.images[0]!;
          await waitFor('two active transports', () => image.activeTransportCount === 2, 10_000);
          await subscription.removeDestination(`aeron:udp?endpoint=127.0.0.1:${ports[1]}`);
          await waitFor('one active transport', () => image.activeTransportCount === 1, 3_000);
        } finally {
          // the subscriber drains what was sent before the publication closes
          await receiving;
          publication.close();
        }
        const verifier = await receiving;
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(COUNT);
        const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
        expect(crcHex(published.checksum)).toBe(expected);
        expect(crcHex(verifier.crcs[0]!.value())).toBe(expected);
      } finally {
        subscription.close();
      }
    },
    DEADLINE_MS,
  );
});
