/**
 * UDP unicast between the TypeScript media driver and the Java media driver (aeron-all 1.51.0, SHARED threading,
 * backoff idle), over loopback: a TS client publishing through the TS driver to a Java subscriber on the Java
 * driver, and a Java publisher on the Java driver to a TS subscriber on the TS driver. 64 KiB terms, so 120,000
 * messages of 0-1500 bytes (fragmented above the MTU payload) rotate the terms many times; every message is checked
 * (content, order, CRC). The Java subscriber waits for end of stream, so the TS sender's EOS is seen by Java.
 *
 * Two TS drivers run: one in this process (INVOKER: its parts are inspected) and one SHARED (its own worker thread,
 * the default mode). Each test has its own port (`freeUdpPort`) and stream id.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import {
  DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_SEND_CHANNEL_STATUS_TYPE_ID,
  DRIVER_SENDER_BPE_TYPE_ID,
  DRIVER_SENDER_LIMIT_TYPE_ID,
  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
  DRIVER_SENDER_POSITION_TYPE_ID,
} from '../../src/transport/aeron-counters.ts';
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
} from '../support/pubsub-probe.ts';
import { launchTestDriver, type TestDriver, waitFor } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const PROBE_DEADLINE_MS = 180_000;
const COUNT = 120_000;
const SHARED_COUNT = 50_000;

const PUBLICATION_COUNTER_TYPES = new Set([
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_SENDER_POSITION_TYPE_ID,
  DRIVER_SENDER_LIMIT_TYPE_ID,
  DRIVER_SENDER_BPE_TYPE_ID,
  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
  DRIVER_SEND_CHANNEL_STATUS_TYPE_ID,
  DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
]);

/**
 * The counters of publication `registrationId` a client sees (the channel status and local address counters of its
 * endpoint carry its registration id too): type, value sign, label with every number (ids, ports) as N; sorted.
 */
function publicationCounters(client: Aeron, registrationId: number): string[] {
  const counters: string[] = [];
  const reader = client.countersReader;
  reader.forEach((counterId, typeId, _key, label) => {
    if (PUBLICATION_COUNTER_TYPES.has(typeId) && reader.getCounterRegistrationId(counterId) === registrationId) {
      const value = reader.getCounterValue(counterId) > 0 ? '+' : '0';
      counters.push(`${typeId} ${value} ${label.replace(/-?\d+/g, 'N')}`);
    }
  });
  return counters.sort();
}

let nextStreamId = 7101;
const streamId = (): number => nextStreamId++;

async function udpChannel(): Promise<string> {
  return `aeron:udp?endpoint=127.0.0.1:${await freeUdpPort()}|term-length=64k`;
}

describeInterop('UDP unicast between the TS driver and the Java driver', () => {
  let invokerDriver: TestDriver;
  let sharedDriver: TestDriver;
  let javaDriver: DriverHandle;
  let aeron: Aeron;
  let sharedAeron: Aeron;
  let api: TsClientApi;
  const running: ProbeProcess[] = [];

  beforeAll(async () => {
    pubSubProbeClasspath();
    [invokerDriver, sharedDriver, javaDriver] = await Promise.all([
      launchTestDriver(),
      launchTestDriver({ threadingMode: 'SHARED' }),
      startMediaDriver({ driver: JAVA_DRIVER }),
    ]);
    aeron = await Aeron.connect({ aeronDir: invokerDriver.aeronDir, clientName: 'udp-java' });
    sharedAeron = await Aeron.connect({ aeronDir: sharedDriver.aeronDir, clientName: 'udp-java-shared' });
    const loaded = await loadTsClient();
    if (!('api' in loaded)) throw new Error(loaded.missing);
    api = loaded.api;
  }, 120_000);

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    aeron?.close();
    sharedAeron?.close();
    await invokerDriver?.close();
    await sharedDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  /** A TS client publishes `count` messages through `client`'s TS driver to a Java subscriber on the Java driver. */
  async function tsToJava(client: Aeron, count: number, seed: number): Promise<number> {
    const channel = await udpChannel();
    const stream = streamId();
    const sizes = new MessageSizes('random:17:0:1500');
    const subscriber = await startJavaSubscriber({
      aeronDir: javaDriver.aeronDir,
      channel,
      streamId: stream,
      sizes,
      seed,
      count,
      untilEos: true,
      timeoutMs: PROBE_DEADLINE_MS - 10_000,
    });
    running.push(subscriber);
    const publication = await client.addPublication(channel, stream);
    let published: Awaited<ReturnType<typeof publishMessages>>;
    let endPosition: number;
    try {
      const deadlineMs = Date.now() + PROBE_DEADLINE_MS - 20_000;
      await awaitConnected(publication, deadlineMs);
      published = await publishMessages(publication, { count, sizes, seed, deadlineMs });
      endPosition = publication.position();
    } finally {
      publication.close();
    }
    const received = await subscriber.received(PROBE_DEADLINE_MS);
    const expected = crcHex(expectedChecksum(sizes, seed, count));
    expect(crcHex(published.checksum)).toBe(expected);
    expect(received).toMatchObject({ count, checksum: expected, errors: 0 });
    return endPosition;
  }

  /** A Java publisher on the Java driver sends `count` messages to a TS subscriber on `client`'s TS driver. */
  async function javaToTs(client: Aeron, count: number, seed: number): Promise<number> {
    const channel = await udpChannel();
    const stream = streamId();
    const sizes = new MessageSizes('random:17:0:1500');
    const subscription = await client.addSubscription(channel, stream);
    try {
      const verifier = new MessageVerifier({ sizes, seed, count });
      const receiver = createReceiver(api, verifier);
      const publisher = startJavaPublisher({
        aeronDir: javaDriver.aeronDir,
        channel,
        streamId: stream,
        sizes,
        seed,
        count,
        exclusive: false,
        timeoutMs: PROBE_DEADLINE_MS - 10_000,
      });
      running.push(publisher);
      await receiveMessages(receiver, subscription, { deadlineMs: Date.now() + PROBE_DEADLINE_MS - 20_000 });
      const published = await publisher.published(PROBE_DEADLINE_MS);
      await drain(receiver, subscription);
      const expected = crcHex(expectedChecksum(sizes, seed, count));
      expect(published.checksum).toBe(expected);
      expect(verifier.errors).toEqual([]);
      expect(verifier.received).toBe(count);
      expect(crcHex(verifier.checksum())).toBe(expected);
      return published.position;
    } finally {
      subscription.close();
    }
  }

  it(
    `TS client on the TS driver → Java client on the Java driver: ${COUNT} messages, terms rotated, until end of stream`,
    async () => {
      expect(await tsToJava(aeron, COUNT, 0x7100)).toBeGreaterThan(20 * TERM_LENGTH);
    },
    PROBE_DEADLINE_MS,
  );

  it(
    `Java client on the Java driver → TS client on the TS driver: ${COUNT} messages, terms rotated`,
    async () => {
      expect(await javaToTs(aeron, COUNT, 0x7200)).toBeGreaterThan(20 * TERM_LENGTH);
    },
    PROBE_DEADLINE_MS,
  );

  it(
    `SHARED TS driver (worker thread): TS → Java and Java → TS, ${SHARED_COUNT} messages each`,
    async () => {
      expect(await tsToJava(sharedAeron, SHARED_COUNT, 0x7110)).toBeGreaterThan(8 * TERM_LENGTH);
      expect(await javaToTs(sharedAeron, SHARED_COUNT, 0x7210)).toBeGreaterThan(8 * TERM_LENGTH);
    },
    PROBE_DEADLINE_MS,
  );

  it(
    'a spy on the TS driver reads what a TS publication sends to the Java subscriber, every message',
    async () => {
      const channel = await udpChannel();
      const stream = streamId();
      const count = 20_000;
      const sizes = new MessageSizes('random:29:0:2000');
      const seed = 0x7400;
      const subscriber = await startJavaSubscriber({
        aeronDir: javaDriver.aeronDir,
        channel,
        streamId: stream,
        sizes,
        seed,
        count,
        untilEos: true,
        timeoutMs: PROBE_DEADLINE_MS - 10_000,
      });
      running.push(subscriber);
      const spy = await aeron.addSubscription(`aeron-spy:${channel}`, stream);
      const publication = await aeron.addPublication(channel, stream);
      try {
        const verifier = new MessageVerifier({ sizes, seed, count });
        const receiver = createReceiver(api, verifier);
        const deadlineMs = Date.now() + PROBE_DEADLINE_MS - 20_000;
        await awaitConnected(publication, deadlineMs);
        const [published] = await Promise.all([
          publishMessages(publication, { count, sizes, seed, deadlineMs }),
          receiveMessages(receiver, spy, { deadlineMs }),
        ]);
        const expected = crcHex(expectedChecksum(sizes, seed, count));
        expect(crcHex(published.checksum)).toBe(expected);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(count);
        expect(crcHex(verifier.checksum())).toBe(expected);
      } finally {
        publication.close();
        spy.close();
      }
      const received = await subscriber.received(PROBE_DEADLINE_MS);
      expect(received).toMatchObject({ count, errors: 0 });
    },
    PROBE_DEADLINE_MS,
  );

  it('a UDP publication has the counters the Java driver gives it (types, labels, values), freed when it goes', async () => {
    const stream = streamId();
    const javaAeron = await Aeron.connect({ aeronDir: javaDriver.aeronDir, clientName: 'udp-java-counters' });
    try {
      const tsPublication = await aeron.addExclusivePublication(await udpChannel(), stream);
      const javaPublication = await javaAeron.addExclusivePublication(await udpChannel(), stream);
      const ours = publicationCounters(aeron, tsPublication.registrationId);
      expect(ours).toEqual(publicationCounters(javaAeron, javaPublication.registrationId));
      expect(ours.length).toBe(PUBLICATION_COUNTER_TYPES.size);
      tsPublication.close();
      javaPublication.close();
      await waitFor(
        'the TS driver to free the publication and its endpoint',
        () =>
          publicationCounters(aeron, tsPublication.registrationId).length === 0 &&
          invokerDriver.driver.core.conductor.sendChannelEndpointCount === 0,
        30_000,
      );
    } finally {
      javaAeron.close();
    }
  }, 60_000);
});
