/**
 * IPC through the TypeScript media driver with the real Java client (aeron-all 1.51.0, `test/java/PubSubProbe.java`)
 * on one or both ends: Java → Java, TS → Java, Java → TS; concurrent and exclusive; every size from 0 to the max
 * message length (fragmented above the MTU), 64 KiB terms rotated many times, every message checked (content, order,
 * CRC). The Java subscriber waits for end of stream, so the TS driver's EOS position and image lifecycle are seen by
 * Java too. One TS driver (in this process, INVOKER) serves the file; stream ids are unique in it.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import {
  awaitConnected,
  createReceiver,
  drain,
  loadTsClient,
  publishMessages,
  receiveMessages,
  type TsClientApi,
} from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import {
  type ProbeProcess,
  pubSubProbeClasspath,
  startJavaPublisher,
  startJavaSubscriber,
  startTsPublisher,
} from '../support/pubsub-probe.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const MTU = 1408;
const MAX_PAYLOAD = MTU - 32;
const MAX_MESSAGE = TERM_LENGTH / 8;
const EDGE_SIZES = [0, 1, 31, 32, 33, MAX_PAYLOAD - 1, MAX_PAYLOAD, MAX_PAYLOAD + 1, MAX_MESSAGE] as const;
const CHANNEL = `aeron:ipc?term-length=64k|mtu=${MTU}`;
const PROBE_DEADLINE_MS = 120_000;

let nextStreamId = 3001;
const streamId = (): number => nextStreamId++;

describeInterop('IPC through the TS driver with the Java client', () => {
  let driver: TestDriver;
  let aeron: Aeron;
  let api: TsClientApi;
  const running: ProbeProcess[] = [];

  beforeAll(async () => {
    pubSubProbeClasspath();
    driver = await launchTestDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ipc-java' });
    const loaded = await loadTsClient();
    if (!('api' in loaded)) throw new Error(loaded.missing);
    api = loaded.api;
  }, 120_000);

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
    assertNoLeftovers();
  });

  async function javaToJava(exclusive: boolean, count: number, sizes: MessageSizes, seed: number) {
    const common = { aeronDir: driver.aeronDir, channel: CHANNEL, streamId: streamId(), timeoutMs: 90_000 };
    const subscriber = await startJavaSubscriber({ ...common, sizes, seed, count, untilEos: true });
    running.push(subscriber);
    const publisher = startJavaPublisher({ ...common, sizes, seed, count, exclusive });
    running.push(publisher);
    const connected = await publisher.connected(PROBE_DEADLINE_MS);
    const published = await publisher.published(PROBE_DEADLINE_MS);
    const received = await subscriber.received(PROBE_DEADLINE_MS);
    const expected = crcHex(expectedChecksum(sizes, seed, count));
    expect(published).toMatchObject({ count, checksum: expected });
    expect(received).toMatchObject({ count, checksum: expected, errors: 0 });
    return { connected, published };
  }

  for (const exclusive of [false, true]) {
    const kind = exclusive ? 'exclusive' : 'concurrent';

    it(`Java ${kind} → Java: edge sizes incl. fragmented and max message length, until end of stream`, async () => {
      const { connected, published } = await javaToJava(
        exclusive,
        EDGE_SIZES.length * 200,
        new MessageSizes(EDGE_SIZES),
        0x5100 + (exclusive ? 1 : 0),
      );
      expect(connected.maxPayload).toBe(MAX_PAYLOAD);
      expect(connected.maxMessage).toBe(MAX_MESSAGE);
      expect(published.position - connected.position).toBeGreaterThan(8 * TERM_LENGTH);
    });

    it(`TS ${kind} → Java: edge sizes, content and order, until end of stream`, async () => {
      const stream = streamId();
      const sizes = new MessageSizes(EDGE_SIZES);
      const seed = 0x5200 + (exclusive ? 1 : 0);
      const count = EDGE_SIZES.length * 200;
      const subscriber = await startJavaSubscriber({
        aeronDir: driver.aeronDir,
        channel: CHANNEL,
        streamId: stream,
        sizes,
        seed,
        count,
        untilEos: true,
        timeoutMs: 90_000,
      });
      running.push(subscriber);
      const publication = exclusive
        ? await aeron.addExclusivePublication(CHANNEL, stream)
        : await aeron.addPublication(CHANNEL, stream);
      let published: Awaited<ReturnType<typeof publishMessages>>;
      try {
        expect(publication.maxPayloadLength).toBe(MAX_PAYLOAD);
        const deadlineMs = Date.now() + 90_000;
        await awaitConnected(publication, deadlineMs);
        published = await publishMessages(publication, { count, sizes, seed, deadlineMs });
      } finally {
        publication.close();
      }
      const received = await subscriber.received(PROBE_DEADLINE_MS);
      const expected = crcHex(expectedChecksum(sizes, seed, count));
      expect(crcHex(published.checksum)).toBe(expected);
      expect(received).toMatchObject({ count, checksum: expected, errors: 0 });
    });

    it(`Java ${kind} → TS: edge sizes, content and order`, async () => {
      const stream = streamId();
      const sizes = new MessageSizes(EDGE_SIZES);
      const seed = 0x5300 + (exclusive ? 1 : 0);
      const count = EDGE_SIZES.length * 200;
      const subscription = await aeron.addSubscription(CHANNEL, stream);
      try {
        const verifier = new MessageVerifier({ sizes, seed, count });
        const receiver = createReceiver(api, verifier);
        const publisher = startJavaPublisher({
          aeronDir: driver.aeronDir,
          channel: CHANNEL,
          streamId: stream,
          sizes,
          seed,
          count,
          exclusive,
          timeoutMs: 90_000,
        });
        running.push(publisher);
        await receiveMessages(receiver, subscription, { deadlineMs: Date.now() + 90_000 });
        const published = await publisher.published(PROBE_DEADLINE_MS);
        await drain(receiver, subscription);
        const expected = crcHex(expectedChecksum(sizes, seed, count));
        expect(published.checksum).toBe(expected);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(count);
        expect(crcHex(verifier.checksum())).toBe(expected);
      } finally {
        subscription.close();
      }
    });
  }

  it('a Java and a TS process share one concurrent publication (one session): the Java subscriber gets both streams', async () => {
    const stream = streamId();
    const sizes = new MessageSizes('random:14:8:3000');
    const count = 20_000;
    const seed = 0x5500;
    const common = { aeronDir: driver.aeronDir, channel: CHANNEL, streamId: stream, sizes, count, timeoutMs: 90_000 };
    const subscriber = await startJavaSubscriber({ ...common, seed, sources: 2, untilEos: true });
    running.push(subscriber);
    // This process holds the publication too, so the one publisher that finishes first cannot end the stream
    // before the other has added it (which would give the latecomer a new publication and session).
    const hold = await aeron.addPublication(CHANNEL, stream);
    const javaPublisher = startJavaPublisher({ ...common, seed, exclusive: false });
    running.push(javaPublisher);
    const tsPublisher = startTsPublisher({ ...common, seed: seed + 1, exclusive: false });
    running.push(tsPublisher);
    const [javaConnected, tsConnected] = await Promise.all([
      javaPublisher.connected(PROBE_DEADLINE_MS),
      tsPublisher.connected(PROBE_DEADLINE_MS),
    ]);
    expect(tsConnected.sessionId).toBe(javaConnected.sessionId);
    const [javaPublished, tsPublished] = await Promise.all([
      javaPublisher.published(PROBE_DEADLINE_MS),
      tsPublisher.published(PROBE_DEADLINE_MS),
    ]);
    expect(hold.sessionId).toBe(javaConnected.sessionId);
    hold.close();
    const received = await subscriber.received(PROBE_DEADLINE_MS);
    expect(javaPublished.checksum).toBe(crcHex(expectedChecksum(sizes, seed, count)));
    expect(tsPublished.checksum).toBe(crcHex(expectedChecksum(sizes, seed + 1, count)));
    expect(received).toMatchObject({ count: 2 * count, errors: 0 });
    expect(received.sources.get(seed)?.checksum).toBe(javaPublished.checksum);
    expect(received.sources.get(seed + 1)?.checksum).toBe(tsPublished.checksum);
  });

  it('Java concurrent → Java: 1,000,000 small messages, none lost or duplicated', async () => {
    await javaToJava(false, 1_000_000, new MessageSizes('random:13:0:40'), 0x5400);
  }, 300_000);

  it('Java exclusive → Java across the term-id wrap (init-term-id near int32 max)', async () => {
    const initTermId = 0x7fff_fff0;
    const termId = 0x7fff_fffe;
    const termOffset = TERM_LENGTH - 4096;
    const channel = `${CHANNEL}|init-term-id=${initTermId}|term-id=${termId}|term-offset=${termOffset}`;
    const sizes = new MessageSizes(`random:98:0:${MAX_PAYLOAD * 2}`);
    const common = { aeronDir: driver.aeronDir, channel, streamId: streamId(), timeoutMs: 90_000 };
    const subscriber = await startJavaSubscriber({ ...common, sizes, seed: -8, count: 20_000, untilEos: true });
    running.push(subscriber);
    const publisher = startJavaPublisher({ ...common, sizes, seed: -8, count: 20_000, exclusive: true });
    running.push(publisher);
    const connected = await publisher.connected(PROBE_DEADLINE_MS);
    const published = await publisher.published(PROBE_DEADLINE_MS);
    const received = await subscriber.received(PROBE_DEADLINE_MS);
    const expected = crcHex(expectedChecksum(sizes, -8, 20_000));
    expect(received).toMatchObject({ count: 20_000, checksum: expected, errors: 0 });
    expect(connected.position).toBe((termId - initTermId) * TERM_LENGTH + termOffset);
    expect(published.position).toBeGreaterThan((termId - initTermId + 3) * TERM_LENGTH);
  });
});
