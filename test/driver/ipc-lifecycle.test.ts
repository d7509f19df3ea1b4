/**
 * The life of IPC publications and images in the TypeScript media driver, beyond the data path:
 * - a producer that claimed space and never committed it blocks the log until the driver pads over the claim
 *   after `publicationUnblockTimeoutNs` (UNBLOCKED_PUBLICATIONS + 1); the subscriber then continues;
 * - a closed publication ends its stream (the image reaches end of stream), goes unavailable and its log is deleted;
 *   a revoked one ends at once (PUBLICATIONS_REVOKED + 1);
 * - a Java client killed with SIGKILL is timed out and everything it held is released: its subscription's
 *   position (the publication is no longer connected), its publication (the image goes unavailable, the log is
 *   deleted), its counters;
 * - Java's `AeronStat` lists the publication and subscription counters with their labels.
 * Short timers: timer 100 ms, client liveness 5 s (our own client must keep its heartbeat on 2 busy cores), unblock 6 s.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Image } from '../../src/client/image.ts';
import { BufferClaim } from '../../src/logbuffer/buffer-claim.ts';
import { describeInterop, interop } from '../support/describe-interop.ts';
import { MessageSizes } from '../support/message-pattern.ts';
import {
  type ProbeProcess,
  pubSubProbeClasspath,
  startJavaPublisher,
  startJavaSubscriber,
} from '../support/pubsub-probe.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';
const UNBLOCKED_PUBLICATIONS = 19;
const CLIENT_TIMEOUTS = 24;
const PUBLICATIONS_REVOKED = 40;
const PUB_LMT_TYPE_ID = 1;
const PUB_POS_TYPE_ID = 12;
const SUB_POS_TYPE_ID = 4;
const WAIT_MS = 60_000;

let nextStreamId = 4001;
const streamId = (): number => nextStreamId++;

describe('IPC publication life in the TS driver', () => {
  let driver: TestDriver;
  let aeron: Aeron;
  const running: ProbeProcess[] = [];

  beforeAll(async () => {
    driver = await launchTestDriver({
      timerIntervalNs: 100_000_000,
      clientLivenessTimeoutNs: 5_000_000_000,
      publicationUnblockTimeoutNs: 6_000_000_000,
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ipc-lifecycle' });
    if (interop().mode === 'run') pubSubProbeClasspath();
  });

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
    assertNoLeftovers();
  });

  it('pads over a claim that is never committed: the subscriber gets the next message, UNBLOCKED_PUBLICATIONS + 1', async () => {
    const stream = streamId();
    const counters = driver.driver.countersManager;
    const subscription = await aeron.addSubscription(CHANNEL, stream);
    const publication = await aeron.addPublication(CHANNEL, stream);
    try {
      await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
      await offerUntilAccepted(publication, new Uint8Array([1, 1, 1]));
      const claim = new BufferClaim();
      expect(publication.tryClaim(100, claim)).toBeGreaterThan(0); // never committed: a producer died here
      await offerUntilAccepted(publication, new Uint8Array([2, 2, 2, 2]));
      const received: number[] = [];
      const handler = (_b: unknown, _o: number, length: number): void => {
        received.push(length);
      };
      await pollUntil(
        'the message behind the abandoned claim',
        () => subscription.poll(handler, 10),
        () => received.length === 2,
        WAIT_MS,
      );
      expect(received).toEqual([3, 4]);
      expect(counters.getCounterValue(UNBLOCKED_PUBLICATIONS)).toBe(1);
    } finally {
      publication.close();
      subscription.close();
    }
  });

  it('a closed publication ends its stream: the image reaches end of stream, goes unavailable, the log is deleted', async () => {
    const stream = streamId();
    const unavailable: Image[] = [];
    const subscription = await aeron.addSubscription(CHANNEL, stream, {
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addExclusivePublication(CHANNEL, stream);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
    const image = subscription.images[0]!;
    const logFile = image.logBuffers.path;
    const end = await offerUntilAccepted(publication, new Uint8Array(500));
    publication.close();
    await pollUntil(
      'end of stream',
      () => subscription.poll(() => {}, 10),
      () => image.isEndOfStream,
      WAIT_MS,
    );
    expect(image.position).toBe(end);
    await awaitCondition('the image to go', () => unavailable.length === 1, WAIT_MS);
    await awaitCondition('the log to be deleted', () => !existsSync(logFile), WAIT_MS);
    expect(
      driver.driver.countersManager.findByTypeIdAndRegistrationId(PUB_LMT_TYPE_ID, publication.registrationId),
    ).toBe(-1);
    subscription.close();
  });

  it('a revoked publication ends at once: image unavailable, PUBLICATIONS_REVOKED + 1, log deleted', async () => {
    const stream = streamId();
    const counters = driver.driver.countersManager;
    const unavailable: Image[] = [];
    const subscription = await aeron.addSubscription(CHANNEL, stream, {
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addExclusivePublication(CHANNEL, stream);
    try {
      await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
      const logFile = subscription.images[0]!.logBuffers.path;
      await offerUntilAccepted(publication, new Uint8Array(64));
      publication.revoke();
      await awaitCondition('the image to go', () => unavailable.length === 1, WAIT_MS);
      await awaitCondition('the log to be deleted', () => !existsSync(logFile), WAIT_MS);
      expect(counters.getCounterValue(PUBLICATIONS_REVOKED)).toBe(1);
    } finally {
      publication.close();
      subscription.close();
    }
  });

  describeInterop('with the Java client', () => {
    it('a SIGKILLed Java subscriber is timed out and its position released: the publication is no longer connected', async () => {
      const stream = streamId();
      const counters = driver.driver.countersManager;
      const timeoutsBefore = counters.getCounterValue(CLIENT_TIMEOUTS);
      const subscriber = await startJavaSubscriber({
        aeronDir: driver.aeronDir,
        channel: CHANNEL,
        streamId: stream,
        sizes: '8',
        seed: 1,
        count: 1_000_000,
        timeoutMs: 90_000,
      });
      running.push(subscriber);
      const publication = await aeron.addPublication(CHANNEL, stream);
      try {
        await awaitCondition('the Java subscriber to connect', () => publication.isConnected(), WAIT_MS);
        const subscriberPositions = (): number => {
          let count = 0;
          counters.forEach((_id, typeId, _key, label) => {
            if (typeId === SUB_POS_TYPE_ID && label.includes(` ${stream} `)) count++;
          });
          return count;
        };
        expect(subscriberPositions()).toBe(1);
        await subscriber.kill();
        await awaitCondition('the publication to lose its subscriber', () => !publication.isConnected(), WAIT_MS);
        expect(counters.getCounterValue(CLIENT_TIMEOUTS)).toBe(timeoutsBefore + 1);
        expect(subscriberPositions()).toBe(0);
        expect(driver.driver.clientCount).toBe(1);
      } finally {
        publication.close();
      }
    });

    it('a SIGKILLed Java publisher is timed out: its image goes unavailable and its log is deleted', async () => {
      const stream = streamId();
      const unavailable: Image[] = [];
      const subscription = await aeron.addSubscription(CHANNEL, stream, {
        unavailableImageHandler: (image) => unavailable.push(image),
      });
      try {
        const publisher = startJavaPublisher({
          aeronDir: driver.aeronDir,
          channel: CHANNEL,
          streamId: stream,
          sizes: new MessageSizes([64, 3000]),
          seed: 2,
          count: 100_000_000,
          exclusive: false,
          timeoutMs: 90_000,
        });
        running.push(publisher);
        await pollUntil(
          'some messages',
          () => subscription.poll(() => {}, 100),
          () => (subscription.images[0]?.position ?? 0) > 100_000,
          WAIT_MS,
        );
        const logFile = subscription.images[0]!.logBuffers.path;
        const registrationId = subscription.images[0]!.correlationId;
        // Kill it while it is back-pressured, not mid-offer: a producer killed between reserving its frame at the
        // tail and writing the header leaves nothing after the hole to unblock against (Java 1.51.0's
        // TermUnblocker returns NO_ACTION there too), and the publication would never drain. With this test's
        // subscriber not polling, the publisher stops at its limit; once pub-pos has stood at or past pub-lmt
        // for a second, no reservation is open.
        const counters = driver.driver.countersManager;
        const pubPos = counters.findByTypeIdAndRegistrationId(PUB_POS_TYPE_ID, registrationId);
        const pubLmt = counters.findByTypeIdAndRegistrationId(PUB_LMT_TYPE_ID, registrationId);
        let atLimitSince = Number.POSITIVE_INFINITY;
        await awaitCondition(
          'the publisher to stand at its limit',
          () => {
            if (counters.getCounterValue(pubPos) < counters.getCounterValue(pubLmt))
              atLimitSince = Number.POSITIVE_INFINITY;
            else atLimitSince = Math.min(atLimitSince, Date.now());
            return Date.now() - atLimitSince >= 1_000;
          },
          WAIT_MS,
        );
        await publisher.kill();
        await pollUntil(
          'the image to go',
          () => subscription.poll(() => {}, 100),
          () => unavailable.length === 1,
          WAIT_MS,
        );
        await awaitCondition('the log to be deleted', () => !existsSync(logFile), WAIT_MS);
        expect(counters.findByTypeIdAndRegistrationId(PUB_LMT_TYPE_ID, registrationId)).toBe(-1);
        expect(driver.driver.clientCount).toBe(1);
      } finally {
        subscription.close();
      }
    });

    it("AeronStat lists the publication and subscription counters with Java's labels", async () => {
      const stream = streamId();
      const subscription = await aeron.addSubscription(CHANNEL, stream);
      const publication = await aeron.addPublication(CHANNEL, stream);
      try {
        await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
        const position = await offerUntilAccepted(publication, new Uint8Array(100));
        await pollUntil(
          'the message',
          () => subscription.poll(() => {}, 10),
          () => subscription.images[0]!.position === position,
        );
        const result = await runJava({
          classpath: [aeronJarPath()],
          mainClass: 'io.aeron.samples.AeronStat',
          args: ['watch=false'],
          jvmArgs: [...AERON_JVM_FLAGS, `-Daeron.dir=${driver.aeronDir}`],
          timeoutMs: 120_000,
        });
        expect(result.code).toBe(0);
        const out = result.stdout;
        const registrationId = publication.registrationId;
        const sessionId = publication.sessionId;
        const id = '\\s+\\d+:\\s+';
        expect(out).toMatch(
          new RegExp(
            `^${id}[\\d,]+ - pub-pos \\(concurrent\\): ${registrationId} ${sessionId} ${stream} aeron:ipc\\?term-length=64k$`,
            'm',
          ),
        );
        expect(out).toMatch(
          new RegExp(
            `^${id}[\\d,]+ - pub-lmt: ${registrationId} ${sessionId} ${stream} aeron:ipc\\?term-length=64k$`,
            'm',
          ),
        );
        expect(out).toMatch(
          new RegExp(
            `^${id}${position} - sub-pos: ${subscription.registrationId} ${sessionId} ${stream} aeron:ipc\\?term-length=64k @0$`,
            'm',
          ),
        );
      } finally {
        publication.close();
        subscription.close();
      }
    });
  });
});
