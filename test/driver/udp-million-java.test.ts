/**
 * 1,000,000 messages each way over UDP unicast between the TypeScript media driver and the Java media driver (issue
 * 17: "1,000,000 messages each way with every message checked, with term rotation"), over loopback:
 *
 * ```
 *  TS exclusive publication -> TS driver (SHARED) --udp 127.0.0.1:<P1>--> Java driver -> Java subscriber (PubSubProbe)
 *  Java publisher (PubSubProbe) -> Java driver --udp 127.0.0.1:<P2>--> TS driver (SHARED) -> TS subscription
 * ```
 *
 * 64 KiB terms (the minimum) and messages of 0..100 bytes (one frame each, 32..160 bytes framed): a million of
 * them fill ~98 MB of log, so the terms rotate ~1,490 times each way. Every message is checked where it arrives:
 * its length, every byte (bytes 0..3 carry its index, so the order is checked too) and the running CRC-32 of all
 * payloads, each once and in order; both subscribers keep polling until end of stream after the last one, and
 * anything more (a duplicate) fails the test. The end position of each stream is exact: the framed lengths and the
 * padding at each term's end (`endPosition`), so no frame was added or lost either.
 *
 * One TS driver serves both directions (SHARED, the default mode: its own worker thread), the Java driver runs with
 * the harness settings (SHARED, backoff idle). Measured on the 2-core VM at load average 16 (other engineers' runs):
 * 13 s TS -> Java, 9 s Java -> TS; the per-test deadline (5 min) leaves room for a far slower machine.
 */
import { expect, it } from 'vitest';
import { freeUdpPort } from '../../harness/ports.ts';
import type { Image } from '../../src/client/image.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { FRAME_ALIGNMENT } from '../../src/logbuffer/frame-descriptor.ts';
import { align } from '../../src/transport/bit-util.ts';
import {
  awaitConnected,
  createReceiver,
  publishMessages,
  type Receiver,
  receiveMessages,
} from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { startJavaPublisher, startJavaSubscriber } from '../support/pubsub-probe.ts';
import { useTsAndJavaDrivers } from './support.ts';

const COUNT = 1_000_000;
const TERM_LENGTH = 64 * 1024;
/** Aeron's data frame header. */
const HEADER_LENGTH = 32;
/** Payloads of 0..100 bytes: below the MTU payload (1,376), so one frame per message. */
const MAX_LENGTH = 100;
/** The whole test, start to end (a run takes 9-13 s at load 16; see the module comment). */
const TEST_DEADLINE_MS = 300_000;
/** The probes' own deadlines and the waits for them, inside the test's. */
const PROBE_DEADLINE_MS = TEST_DEADLINE_MS - 30_000;

/**
 * The log position after `count` messages of `sizes` from position 0, each one frame (header + payload, aligned),
 * on terms of `TERM_LENGTH`: a frame that does not fit in what is left of a term goes to the next one, the rest of
 * the term padded (Aeron's term appender).
 */
function endPosition(sizes: MessageSizes, count: number): number {
  let position = 0;
  for (let i = 0; i < count; i++) {
    const frameLength = align(HEADER_LENGTH + sizes.sizeOf(i), FRAME_ALIGNMENT);
    const termOffset = position % TERM_LENGTH;
    if (termOffset + frameLength > TERM_LENGTH) position += TERM_LENGTH - termOffset;
    position += frameLength;
  }
  return position;
}

describeInterop('UDP: 1,000,000 messages each way between the TS driver and the Java driver', () => {
  const drivers = useTsAndJavaDrivers('udp-million-java', { ts: { threadingMode: 'SHARED' } });

  it(
    `TS client on the TS driver -> Java client on the Java driver: ${COUNT.toLocaleString('en')} messages, each once and in order`,
    async () => {
      const { javaDriver, aeron, probes } = drivers;
      const channel = `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
      const streamId = 7501;
      const seed = 0x7501;
      const sizes = new MessageSizes(`random:75:0:${MAX_LENGTH}`);
      const subscriber = await startJavaSubscriber({
        aeronDir: javaDriver.aeronDir,
        channel,
        streamId,
        sizes,
        seed,
        count: COUNT,
        untilEos: true,
        timeoutMs: PROBE_DEADLINE_MS,
      });
      probes.push(subscriber);
      const publication = await aeron.addExclusivePublication(channel, streamId);
      let published: Awaited<ReturnType<typeof publishMessages>>;
      try {
        const deadlineMs = Date.now() + PROBE_DEADLINE_MS;
        await awaitConnected(publication, deadlineMs);
        published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
      } finally {
        publication.close(); // end of stream: the Java subscriber stops once it has seen it
      }
      const received = await subscriber.received(PROBE_DEADLINE_MS);
      const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
      expect(crcHex(published.checksum)).toBe(expected);
      expect(received).toMatchObject({ count: COUNT, checksum: expected, errors: 0 });
      expect(published.position).toBe(endPosition(sizes, COUNT));
      expect(published.position).toBeGreaterThan(1_000 * TERM_LENGTH);
    },
    TEST_DEADLINE_MS,
  );

  it(
    `Java client on the Java driver -> TS client on the TS driver: ${COUNT.toLocaleString('en')} messages, each once and in order`,
    async () => {
      const { javaDriver, aeron, api, probes } = drivers;
      const channel = `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
      const streamId = 7502;
      const seed = 0x7502;
      const sizes = new MessageSizes(`random:76:0:${MAX_LENGTH}`);
      const subscription = await aeron.addSubscription(channel, streamId);
      try {
        const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
        const receiver = createReceiver(api, verifier);
        const publisher = startJavaPublisher({
          aeronDir: javaDriver.aeronDir,
          channel,
          streamId,
          sizes,
          seed,
          count: COUNT,
          exclusive: false,
          timeoutMs: PROBE_DEADLINE_MS,
        });
        probes.push(publisher);
        const deadlineMs = Date.now() + PROBE_DEADLINE_MS;
        await receiveMessages(receiver, subscription, { deadlineMs });
        const image = subscription.images[0];
        const published = await publisher.published(PROBE_DEADLINE_MS);
        await pollUntilEndOfStream(receiver, subscription, image, deadlineMs);
        const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
        expect(published).toMatchObject({ count: COUNT, checksum: expected });
        expect(verifier.errors).toEqual([]);
        expect(verifier.errorCount).toBe(0);
        expect(verifier.received).toBe(COUNT);
        expect(crcHex(verifier.checksum())).toBe(expected);
        expect(published.position).toBe(endPosition(sizes, COUNT));
        expect(image?.position).toBe(published.position);
        expect(published.position).toBeGreaterThan(1_000 * TERM_LENGTH);
      } finally {
        subscription.close();
      }
    },
    TEST_DEADLINE_MS,
  );
});

/**
 * Keeps polling (into the same verifier, which counts anything more as an error) until `image`, the Java
 * publication's, reached end of stream: the publisher closed and everything up to its end was consumed.
 */
async function pollUntilEndOfStream(
  receiver: Receiver,
  subscription: Subscription,
  image: Image | undefined,
  deadlineMs: number,
): Promise<void> {
  if (image === undefined) throw new Error('no image after the last message');
  while (!image.isEndOfStream) {
    if (Date.now() > deadlineMs) throw new Error(`no end of stream: image at ${image.position}`);
    if (subscription.poll(receiver.handler, 256) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  subscription.poll(receiver.handler, 256);
}
