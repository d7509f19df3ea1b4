/**
 * The TS receiver stack against the real Java sender, before the conductor wiring: a Java client on the JAVA media
 * driver publishes `aeron:udp?endpoint=localhost:<port>` (`test/java/PubSubProbe.java`); the receiver side is the
 * conductor-less `ReceiverFixture` (ReceiveChannelEndpoint + DataPacketDispatcher + Receiver + PublicationImage),
 * and this test reads the rebuilt image log as a subscriber would (frames from its sub-pos, which it moves), every
 * message checked for length, content and order (`MessageVerifier`), through many 64 KiB terms.
 *
 * With loss, either the Java driver drops 10 % of the frames it sends, seeded (`DebugSendChannelEndpointSupplier`,
 * `aeron.debug.send.data.loss.rate/seed`: DATA, heartbeats, SETUP and retransmits alike): the receiver's NAKs must
 * repair every gap; or the TS endpoint drops 10 % of the DATA frames it receives (engineer C's seeded
 * `RandomLossGenerator`, the driver's own receive-side injection).
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../../harness/driver.ts';
import { freeUdpPort } from '../../../harness/ports.ts';
import { type LossGenerator, RandomLossGenerator } from '../../../src/driver/media/loss-generator.ts';
import { HDR_TYPE_DATA } from '../../../src/logbuffer/data-header-flyweight.ts';
import { alignFrameLength } from '../../../src/logbuffer/frame-descriptor.ts';
import { indexByPosition, positionBitsToShift } from '../../../src/logbuffer/log-buffer-descriptor.ts';
import { describeInterop } from '../../support/describe-interop.ts';
import { crcHex, MessageSizes, MessageVerifier } from '../../support/message-pattern.ts';
import { type ProbeProcess, pubSubProbeClasspath, startJavaPublisher } from '../../support/pubsub-probe.ts';
import { ReceiverFixture } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const DEADLINE_MS = 180_000;
const JAVA_SEND_LOSS = {
  'aeron.SendChannelEndpoint.supplier': 'io.aeron.driver.ext.DebugSendChannelEndpointSupplier',
  'aeron.debug.send.data.loss.rate': '0.1',
  'aeron.debug.send.data.loss.seed': '2026',
};

describeInterop('Java sender (Java driver) -> TS receiver stack without a conductor', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  let nextStreamId = 6001;

  beforeAll(() => {
    pubSubProbeClasspath();
  });

  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function receiveFromJava(options: {
    count: number;
    sizes: MessageSizes;
    seed: number;
    properties?: Record<string, string>;
    receiveLoss?: LossGenerator;
  }): Promise<{ fixture: ReceiverFixture; position: number }> {
    const javaDriver: DriverHandle = await startMediaDriver({
      driver: JAVA_DRIVER,
      properties: options.properties ?? {},
    });
    cleanup.push(() => javaDriver.stop());
    const streamId = nextStreamId++;
    const port = await freeUdpPort();
    const fixture = new ReceiverFixture(`aeron:udp?endpoint=localhost:${port}`, streamId, options.receiveLoss ?? null);
    cleanup.push(() => fixture.close());
    const publisher: ProbeProcess = startJavaPublisher({
      aeronDir: javaDriver.aeronDir,
      channel: `aeron:udp?endpoint=localhost:${port}|term-length=64k|mtu=1408`,
      streamId,
      count: options.count,
      sizes: options.sizes,
      seed: options.seed,
      exclusive: false,
      timeoutMs: DEADLINE_MS - 10_000,
    });
    cleanup.push(() => publisher.kill());

    const verifier = new MessageVerifier({ sizes: options.sizes, seed: options.seed, count: options.count });
    const deadline = Date.now() + DEADLINE_MS;
    let cycles = 0;
    while (!verifier.done) {
      if (Date.now() > deadline) {
        throw new Error(
          `${verifier.received} of ${options.count} messages before the deadline\n${publisher.describe()}`,
        );
      }
      fixture.duty();
      const image = fixture.images[0];
      if (image !== undefined) {
        // the subscriber: whole frames from sub-pos up to the rebuild position
        const sub = fixture.subscriberPositions[0]!;
        const terms = fixture.logs[0]!.termBuffers;
        const shift = positionBitsToShift(TERM_LENGTH);
        let position = sub.getVolatile();
        const limit = image.rebuildPosition();
        while (position < limit) {
          const term = terms[indexByPosition(position, shift)]!;
          const offset = position % TERM_LENGTH;
          const frameLength = term.getInt32Volatile(offset);
          if (frameLength <= 0) break;
          if (term.getUint16(offset + 6) === HDR_TYPE_DATA) {
            verifier.onMessage(term.bytes, offset + 32, frameLength - 32);
          }
          position += alignFrameLength(frameLength);
        }
        sub.setRelease(position);
      }
      if ((++cycles & 63) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const published = await publisher.published(60_000);
    expect(published.count).toBe(options.count);
    expect(verifier.errors).toEqual([]);
    expect(verifier.received).toBe(options.count);
    expect(crcHex(verifier.crcs[0]!.value())).toBe(published.checksum);
    expect(fixture.errors).toEqual([]);
    return { fixture, position: published.position };
  }

  it('100,000 messages of 0..300 bytes through 64 KiB terms, each once and in order', async () => {
    const { fixture, position } = await receiveFromJava({
      count: 100_000,
      sizes: new MessageSizes('random:21:0:300'),
      seed: 5151,
    });
    expect(position).toBeGreaterThan(50 * TERM_LENGTH);
    expect(fixture.counter('STATUS_MESSAGES_SENT')).toBeGreaterThan(100);
  });

  it('10 % seeded loss on the Java sender: NAKs repair every gap, each message once and in order', async () => {
    const { fixture, position } = await receiveFromJava({
      count: 100_000,
      sizes: new MessageSizes('random:22:0:300'),
      seed: 5252,
      properties: JAVA_SEND_LOSS,
    });
    expect(position).toBeGreaterThan(50 * TERM_LENGTH);
    expect(fixture.counter('NAK_MESSAGES_SENT')).toBeGreaterThan(100);
  });

  it('10 % seeded loss of DATA on the TS receive side (RandomLossGenerator): NAKs repair every gap', async () => {
    const { fixture, position } = await receiveFromJava({
      count: 100_000,
      sizes: new MessageSizes('random:23:0:300'),
      seed: 5353,
      receiveLoss: new RandomLossGenerator(0.1, 77, [HDR_TYPE_DATA]),
    });
    expect(position).toBeGreaterThan(50 * TERM_LENGTH);
    expect(fixture.counter('NAK_MESSAGES_SENT')).toBeGreaterThan(100);
  });
});
