/**
 * Publications and subscriptions against the real Java media driver and client (pinned 1.51.0 jar).
 *
 * Baseline (Java → Java): `PubSubProbe.java` publishes and subscribes through the driver, proving the
 * probe and that `message-pattern.ts` computes exactly what the Java side does (the publisher's CRC
 * equals the one computed here without any transport).
 *
 * TS ↔ Java: TS publication → Java subscription and Java publication → TS subscription (see the second
 * part of this file), on IPC and UDP, concurrent and exclusive.
 *
 * Channels use `term-length=64k|mtu=1408`, so maxPayload = 1408 − 32 = 1376 and maxMessageLength =
 * termLength / 8 = 8192; every stream id is unique in this file and every UDP port comes from
 * `freeUdpPort()`; one driver serves the whole file.
 */
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { describeInterop, interop } from '../support/describe-interop.ts';
import {
  Crc32,
  checkMessage,
  crcHex,
  expectedChecksum,
  fillMessage,
  MessageSizes,
  MessageVerifier,
} from '../support/message-pattern.ts';
import {
  type ProbeProcess,
  pubSubProbeClasspath,
  startJavaPublisher,
  startJavaSubscriber,
  startTsPublisher,
} from '../support/pubsub-probe.ts';
import {
  awaitConnected,
  createReceiver,
  drain,
  loadTsClient,
  publishMessages,
  receiveMessages,
  type TsAeron,
  type TsClientApi,
} from './fixtures/ts-client.ts';

/** Loaded up front: the TS ↔ Java part is skipped only when the client API does not exist yet. */
const gate = interop();
const tsClient = gate.mode === 'run' ? await loadTsClient() : null;

const TERM_LENGTH = 64 * 1024;
const MTU = 1408;
const MAX_PAYLOAD = MTU - 32;
const MAX_MESSAGE = TERM_LENGTH / 8;
/** 0, 1, around one frame alignment, around one MTU (the last fragmented), and the largest message. */
const EDGE_SIZES = [0, 1, 31, 32, 33, MAX_PAYLOAD - 1, MAX_PAYLOAD, MAX_PAYLOAD + 1, MAX_MESSAGE] as const;
const PROBE_DEADLINE_MS = 90_000;

let nextStreamId = 1001;
const streamId = (): number => nextStreamId++;

type Transport = 'ipc' | 'udp';

async function channelFor(transport: Transport, extra = ''): Promise<string> {
  const params = `term-length=64k|mtu=${MTU}${extra}`;
  if (transport === 'ipc') return `aeron:ipc?${params}`;
  return `aeron:udp?endpoint=localhost:${await freeUdpPort()}|${params}`;
}

describe('message pattern (no Java needed)', () => {
  it('Crc32 equals zlib.crc32 over the same bytes, streamed in pieces', () => {
    const bytes = new Uint8Array(5000);
    fillMessage(bytes, 0, bytes.length, 77, 3);
    const crc = new Crc32();
    crc.update(bytes, 0, 1);
    crc.update(bytes, 1, 2999);
    crc.update(bytes, 3000, 2000);
    expect(crc.value()).toBe(crc32(bytes));
  });

  it('carries index and seed little-endian in bytes 0..7; sizes cycle or are random within bounds', () => {
    const bytes = new Uint8Array(16);
    fillMessage(bytes, 0, 16, -2, 0x01020304);
    expect([...bytes.subarray(0, 8)]).toEqual([4, 3, 2, 1, 0xfe, 0xff, 0xff, 0xff]);
    expect(checkMessage(bytes, 0, 16, -2, 0x01020304)).toBe(true);
    expect(checkMessage(bytes, 0, 16, -2, 0x01020305)).toBe(false);
    const cycled = new MessageSizes(EDGE_SIZES);
    expect([0, 1, 8, 9].map((i) => cycled.sizeOf(i))).toEqual([0, 1, MAX_MESSAGE, 0]);
    const random = new MessageSizes('random:5:8:300');
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(random.sizeOf(i));
    expect(Math.min(...seen)).toBe(8);
    expect(Math.max(...seen)).toBe(300);
  });

  it('the verifier flags a gap, a duplicate, a wrong length and a foreign source', () => {
    const sizes = new MessageSizes('random:1:8:64');
    const verifier = new MessageVerifier({ sizes, seed: 10, count: 5, sources: 2 });
    const buf = new Uint8Array(64);
    const send = (seed: number, index: number, length = sizes.sizeOf(index)): void => {
      fillMessage(buf, 0, length, seed, index);
      verifier.onMessage(buf, 0, length);
    };
    send(10, 0);
    send(11, 0);
    send(10, 1);
    expect(verifier.errorCount).toBe(0);
    send(10, 1); // duplicate: expected 2
    send(11, 2); // gap: expected 1
    send(12, 0); // unknown source
    send(11, 2, sizes.sizeOf(2) + 1); // wrong length
    expect(verifier.errorCount).toBe(4);
    expect(verifier.errors.join('\n')).toMatch(/seed 10 message 2\b.*carries index 1 seed 10/);
  });
});

describeInterop('pub/sub interop with the Java media driver', () => {
  let driver: DriverHandle;
  const running: ProbeProcess[] = [];

  beforeAll(async () => {
    pubSubProbeClasspath();
    driver = await startMediaDriver();
  });

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    await driver?.stop();
    assertNoLeftovers();
  });

  /** Java subscriber first (so the publisher connects to it), then Java publisher; both must agree. */
  async function javaToJava(options: {
    channel: string;
    exclusive: boolean;
    count: number;
    sizes: MessageSizes;
    seed: number;
    slow?: { ms: number; every: number };
  }) {
    const stream = streamId();
    const common = { aeronDir: driver.aeronDir, channel: options.channel, streamId: stream, timeoutMs: 60_000 };
    const subscriber = await startJavaSubscriber({
      ...common,
      sizes: options.sizes,
      seed: options.seed,
      count: options.count,
      untilEos: true,
      ...(options.slow !== undefined ? { slow: options.slow } : {}),
    });
    running.push(subscriber);
    const publisher = startJavaPublisher({
      ...common,
      sizes: options.sizes,
      seed: options.seed,
      count: options.count,
      exclusive: options.exclusive,
    });
    running.push(publisher);
    const connected = await publisher.connected(PROBE_DEADLINE_MS);
    const published = await publisher.published(PROBE_DEADLINE_MS);
    const received = await subscriber.received(PROBE_DEADLINE_MS);
    const expected = crcHex(expectedChecksum(options.sizes, options.seed, options.count));
    expect(published.count).toBe(options.count);
    expect(published.checksum).toBe(expected);
    expect(received).toMatchObject({ count: options.count, checksum: expected, errors: 0 });
    return { connected, published, received };
  }

  describe('baseline: Java publication → Java subscription (validates the probe)', () => {
    for (const transport of ['ipc', 'udp'] as const) {
      for (const exclusive of [false, true]) {
        const kind = exclusive ? 'exclusive' : 'concurrent';
        it(`${transport} ${kind}: edge sizes incl. fragmented and maxMessageLength, content and order`, async () => {
          const { connected, published } = await javaToJava({
            channel: await channelFor(transport),
            exclusive,
            count: EDGE_SIZES.length * 200,
            sizes: new MessageSizes(EDGE_SIZES),
            seed: 0x1234 + (exclusive ? 1 : 0),
          });
          expect(connected.maxPayload).toBe(MAX_PAYLOAD);
          expect(connected.maxMessage).toBe(MAX_MESSAGE);
          // Many terms: ~2.3 MiB through 64 KiB terms.
          expect(published.position - connected.position).toBeGreaterThan(8 * TERM_LENGTH);
        });
      }
    }

    it('the probe subscriber detects wrong content: publisher seed differs → exit 1 with errors', async () => {
      const stream = streamId();
      const channel = await channelFor('ipc');
      const common = { aeronDir: driver.aeronDir, channel, streamId: stream, sizes: '8,40', count: 10 };
      const subscriber = await startJavaSubscriber({ ...common, seed: 5 });
      running.push(subscriber);
      const publisher = startJavaPublisher({ ...common, seed: 6, exclusive: false });
      running.push(publisher);
      await publisher.published(PROBE_DEADLINE_MS);
      await expect(subscriber.received(PROBE_DEADLINE_MS)).rejects.toThrow(/subscriber failed \(code 1/);
      expect(subscriber.output()).toContainEqual(
        expect.stringMatching(/^received count=10 checksum=[0-9a-f]{8} errors=10$/),
      );
    });

    it('ipc concurrent: 1,000,000 small messages, none lost or duplicated', async () => {
      await javaToJava({
        channel: await channelFor('ipc'),
        exclusive: false,
        count: 1_000_000,
        sizes: new MessageSizes('random:3:0:40'),
        seed: 1_000_000,
      });
    });

    it('ipc exclusive: random sizes across term-id wrap (init-term-id near int32 max)', async () => {
      const initTermId = 0x7fff_fff0;
      const termId = 0x7fff_fffe;
      const termOffset = TERM_LENGTH - 4096;
      const { connected, published } = await javaToJava({
        channel: await channelFor('ipc', `|init-term-id=${initTermId}|term-id=${termId}|term-offset=${termOffset}`),
        exclusive: true,
        count: 20_000,
        sizes: new MessageSizes(`random:99:0:${MAX_PAYLOAD * 2}`),
        seed: -7,
      });
      expect(connected.position).toBe((termId - initTermId) * TERM_LENGTH + termOffset);
      // Passed at least two term boundaries: term ids 0x7fffffff then 0x80000000 (wrapped) and beyond.
      expect(published.position).toBeGreaterThan((termId - initTermId + 3) * TERM_LENGTH);
    });

    it('udp concurrent: back pressure from a slow subscriber, then recovery, nothing lost', async () => {
      const { published } = await javaToJava({
        channel: await channelFor('udp'),
        exclusive: false,
        count: 20_000,
        sizes: new MessageSizes([64, 200, 1000]),
        seed: 42,
        slow: { ms: 20, every: 500 },
      });
      expect(published.backPressured).toBeGreaterThan(0);
    });
  });

  const tsSuite = tsClient !== null && 'api' in tsClient ? tsClient.api : null;
  const tsSkipReason = tsClient === null ? gate.missing : 'missing' in tsClient ? tsClient.missing : '';
  (tsSuite === null ? describe.skip : describe)(
    `TS ↔ Java${tsSuite === null ? ` (SKIPPED ONLY BECAUSE ${tsSkipReason})` : ''}`,
    () => {
      let api: TsClientApi;
      let aeron: TsAeron;

      beforeAll(async () => {
        if (tsSuite === null) throw new Error(tsSkipReason);
        api = tsSuite;
        aeron = await api.connect(driver.aeronDir);
      });

      afterAll(async () => {
        await aeron?.close();
      });

      /** Java subscriber (until end of stream), TS publication in this process. */
      async function tsToJava(options: {
        channel: string;
        exclusive: boolean;
        count: number;
        sizes: MessageSizes;
        seed: number;
        slow?: { ms: number; every: number };
      }) {
        const stream = streamId();
        const subscriber = await startJavaSubscriber({
          aeronDir: driver.aeronDir,
          channel: options.channel,
          streamId: stream,
          sizes: options.sizes,
          seed: options.seed,
          count: options.count,
          untilEos: true,
          timeoutMs: 60_000,
          ...(options.slow !== undefined ? { slow: options.slow } : {}),
        });
        running.push(subscriber);
        const publication = options.exclusive
          ? await aeron.addExclusivePublication(options.channel, stream)
          : await aeron.addPublication(options.channel, stream);
        const deadlineMs = Date.now() + 60_000;
        let published: Awaited<ReturnType<typeof publishMessages>>;
        const startPosition = publication.position();
        try {
          expect(publication.maxPayloadLength).toBe(MAX_PAYLOAD);
          expect(publication.maxMessageLength).toBe(MAX_MESSAGE);
          await awaitConnected(publication, deadlineMs);
          published = await publishMessages(publication, { ...options, deadlineMs });
        } finally {
          publication.close();
        }
        const received = await subscriber.received(PROBE_DEADLINE_MS);
        const expected = crcHex(expectedChecksum(options.sizes, options.seed, options.count));
        expect(crcHex(published.checksum)).toBe(expected);
        expect(received).toMatchObject({ count: options.count, checksum: expected, errors: 0 });
        return { published, startPosition };
      }

      /** TS subscription in this process, Java publisher; afterwards nothing more may arrive. */
      async function javaToTs(options: {
        channel: string;
        exclusive: boolean;
        count: number;
        sizes: MessageSizes;
        seed: number;
        slow?: { ms: number; every: number };
      }) {
        const stream = streamId();
        const subscription = await aeron.addSubscription(options.channel, stream);
        try {
          const verifier = new MessageVerifier({ sizes: options.sizes, seed: options.seed, count: options.count });
          const receiver = createReceiver(api, verifier);
          const publisher = startJavaPublisher({
            aeronDir: driver.aeronDir,
            channel: options.channel,
            streamId: stream,
            sizes: options.sizes,
            seed: options.seed,
            count: options.count,
            exclusive: options.exclusive,
            timeoutMs: 60_000,
          });
          running.push(publisher);
          await receiveMessages(receiver, subscription, {
            deadlineMs: Date.now() + 60_000,
            ...(options.slow !== undefined ? { slow: options.slow } : {}),
          });
          const published = await publisher.published(PROBE_DEADLINE_MS);
          await drain(receiver, subscription);
          const expected = crcHex(expectedChecksum(options.sizes, options.seed, options.count));
          expect(published.checksum).toBe(expected);
          expect(verifier.errors).toEqual([]);
          expect(verifier.errorCount).toBe(0);
          expect(verifier.received).toBe(options.count);
          expect(crcHex(verifier.checksum())).toBe(expected);
          return { published };
        } finally {
          subscription.close();
        }
      }

      for (const transport of ['ipc', 'udp'] as const) {
        for (const exclusive of [false, true]) {
          const kind = exclusive ? 'exclusive' : 'concurrent';
          it(`TS ${kind} publication → Java subscription over ${transport}: edge sizes, content and order`, async () => {
            const { published, startPosition } = await tsToJava({
              channel: await channelFor(transport),
              exclusive,
              count: EDGE_SIZES.length * 200,
              sizes: new MessageSizes(EDGE_SIZES),
              seed: 0x2000 + (exclusive ? 1 : 0),
            });
            expect(published.position - startPosition).toBeGreaterThan(8 * TERM_LENGTH);
          });

          it(`Java ${kind} publication → TS subscription over ${transport}: edge sizes, content and order`, async () => {
            await javaToTs({
              channel: await channelFor(transport),
              exclusive,
              count: EDGE_SIZES.length * 200,
              sizes: new MessageSizes(EDGE_SIZES),
              seed: 0x3000 + (exclusive ? 1 : 0),
            });
          });
        }
      }

      it('TS concurrent publication → Java subscription over ipc: 1,000,000 messages, none lost or duplicated', async () => {
        await tsToJava({
          channel: await channelFor('ipc'),
          exclusive: false,
          count: 1_000_000,
          sizes: new MessageSizes('random:11:0:40'),
          seed: 0x4000,
        });
      });

      it('Java publication → TS subscription over ipc: 1,000,000 messages, none lost or duplicated', async () => {
        await javaToTs({
          channel: await channelFor('ipc'),
          exclusive: false,
          count: 1_000_000,
          sizes: new MessageSizes('random:12:0:40'),
          seed: 0x4001,
        });
      });

      for (const transport of ['ipc', 'udp'] as const) {
        it(`two Node processes publish concurrently to one ${transport} stream: exact counts per publisher`, async () => {
          const channel = await channelFor(transport);
          const stream = streamId();
          const sizes = new MessageSizes('random:13:8:300');
          const count = 50_000;
          const seed = 0x5000;
          const subscriber = await startJavaSubscriber({
            aeronDir: driver.aeronDir,
            channel,
            streamId: stream,
            sizes,
            seed,
            count,
            sources: 2,
            untilEos: true,
            timeoutMs: 90_000,
          });
          running.push(subscriber);
          const publishers = [0, 1].map((k) =>
            startTsPublisher({
              aeronDir: driver.aeronDir,
              channel,
              streamId: stream,
              sizes,
              seed: seed + k,
              count,
              exclusive: false,
              timeoutMs: 90_000,
            }),
          );
          running.push(...publishers);
          const results = await Promise.all(publishers.map((p) => p.published(PROBE_DEADLINE_MS)));
          const received = await subscriber.received(PROBE_DEADLINE_MS);
          expect(received.count).toBe(2 * count);
          expect(received.errors).toBe(0);
          for (const [k, result] of results.entries()) {
            const expected = crcHex(expectedChecksum(sizes, seed + k, count));
            expect(result).toMatchObject({ count, checksum: expected });
            expect(received.sources.get(seed + k)).toEqual({ count, checksum: expected });
          }
        });
      }

      const wrapParams = (initTermId: number, termId: number, termOffset: number) =>
        `|init-term-id=${initTermId}|term-id=${termId}|term-offset=${termOffset}`;

      for (const exclusive of [false, true]) {
        const kind = exclusive ? 'exclusive' : 'concurrent';
        it(`TS ${kind} publication across term rotation and term-id wrap (int32 max) → Java subscription`, async () => {
          const initTermId = 0x7fff_fff0;
          const termId = 0x7fff_fffe;
          const termOffset = TERM_LENGTH - 4096;
          const { published, startPosition } = await tsToJava({
            channel: await channelFor('ipc', wrapParams(initTermId, termId, termOffset)),
            exclusive,
            count: 20_000,
            sizes: new MessageSizes(`random:21:0:${MAX_PAYLOAD * 2}`),
            seed: 0x6000 + (exclusive ? 1 : 0),
          });
          expect(startPosition).toBe((termId - initTermId) * TERM_LENGTH + termOffset);
          expect(published.position).toBeGreaterThan((termId - initTermId + 3) * TERM_LENGTH);
        });
      }

      it('Java exclusive publication across term-id wrap (int32 max) → TS subscription over udp', async () => {
        const { published } = await javaToTs({
          channel: await channelFor('udp', wrapParams(0x7fff_fff0, 0x7fff_fffe, 1024)),
          exclusive: true,
          count: 20_000,
          sizes: new MessageSizes(`random:22:0:${MAX_PAYLOAD * 2}`),
          seed: 0x6002,
        });
        expect(published.count).toBe(20_000);
      });

      it('back pressure: TS publication → slow Java subscription, then recovery, nothing lost', async () => {
        const { published } = await tsToJava({
          channel: await channelFor('udp'),
          exclusive: false,
          count: 20_000,
          sizes: new MessageSizes([64, 200, 1000]),
          seed: 0x7000,
          slow: { ms: 20, every: 500 },
        });
        expect(published.backPressured).toBeGreaterThan(0);
      });

      it('back pressure: Java publication → slow TS subscription, then recovery, nothing lost', async () => {
        const { published } = await javaToTs({
          channel: await channelFor('ipc'),
          exclusive: true,
          count: 20_000,
          sizes: new MessageSizes([64, 200, 1000]),
          seed: 0x7001,
          slow: { ms: 20, every: 500 },
        });
        expect(published.backPressured).toBeGreaterThan(0);
      });
    },
  );
});
