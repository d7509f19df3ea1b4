import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type DriverHandle, driverKind } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron, FragmentAssembler, type Image, type Publication, type Subscription } from '../../src/client/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { expectedChecksum, fillMessage, MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { ErrorLog } from './support/client-faults.ts';
import { ResourceTracker } from './support/resources.ts';

/** `AeronCounters.SYSTEM_COUNTER_ID_NAK_MESSAGES_SENT` / `SYSTEM_COUNTER_ID_RETRANSMITS_SENT` (1.51.0). */
const NAKS_SENT = 5;
const RETRANSMITS_SENT = 11;

let tracker: ResourceTracker;
const clients: Aeron[] = [];

beforeEach(() => {
  tracker = new ResourceTracker();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await tracker.stopDrivers();
  await tracker.settleTimers();
  tracker.release();
  assertNoLeftovers();
});

function driver(properties: Record<string, string> = {}): Promise<DriverHandle> {
  return tracker.startDriver(properties);
}

/**
 * Client driver timeout: no I case waits for it (I1 closes the publisher's client itself), and 3 s timed a healthy
 * client out when the whole directory ran on 2 loaded cores (AeronClosedError on the first addExclusivePublication).
 */
const CLIENT_DRIVER_TIMEOUT_MS = 10_000;

async function connect(aeronDir: string, errors: ErrorLog): Promise<Aeron> {
  const client = await within(
    'Aeron.connect',
    30_000,
    Aeron.connect({ aeronDir, driverTimeoutMs: CLIENT_DRIVER_TIMEOUT_MS, errorHandler: errors.handler }),
  );
  clients.push(client);
  return client;
}

/** Publishes every message of `verifier` while polling `subscription` through an assembler (bounded). */
async function stream(
  publication: Publication,
  subscription: Subscription,
  verifier: MessageVerifier,
  timeoutMs: number,
): Promise<void> {
  const scratch = new Uint8Array(verifier.sizes.max);
  const message = new Uint8Array(verifier.sizes.max);
  const assembler = new FragmentAssembler((buffer, offset, length) => {
    buffer.getBytes(offset, scratch, 0, length);
    verifier.onMessage(scratch, 0, length);
  });
  let sent = 0;
  const deadline = Date.now() + timeoutMs;
  while (!verifier.done) {
    if (Date.now() > deadline) throw new Error(`stalled: sent=${sent} received=${verifier.received}`);
    let offered = 0;
    while (sent < verifier.countPerSource && offered < 16) {
      const length = verifier.sizes.sizeOf(sent);
      fillMessage(message, 0, length, verifier.baseSeed, sent);
      if (publication.offer(message, 0, length) < 0) break;
      sent++;
      offered++;
    }
    const fragments = subscription.poll(assembler.onFragment, 64);
    if (fragments === 0) await sleep(1);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(verifier.errors).toEqual([]);
  expect(verifier.received).toBe(verifier.expectedTotal);
  expect(verifier.checksum()).toBe(expectedChecksum(verifier.sizes, verifier.baseSeed, verifier.countPerSource));
}

describeInterop('I rows against the Java media driver', () => {
  it('I1 remote publisher crash (SIGKILL): onUnavailableImage exactly once, closed image polls 0, unmapped after linger', async () => {
    const [remote, local] = await Promise.all([
      driver(),
      driver({ 'aeron.image.liveness.timeout': '2s', 'aeron.timer.interval': '100ms' }),
    ]);
    const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
    const remoteErrors = new ErrorLog();
    const localErrors = new ErrorLog();
    const publisher = await connect(remote.aeronDir, remoteErrors);
    const subscriber = await connect(local.aeronDir, localErrors);
    const available: Image[] = [];
    const unavailable: Image[] = [];
    const subscription = await within(
      'addSubscription',
      20_000,
      subscriber.addSubscription(
        channel,
        4001,
        (image) => available.push(image),
        (image) => unavailable.push(image),
      ),
    );
    const publication = await within(
      'addExclusivePublication',
      20_000,
      publisher.addExclusivePublication(channel, 4001),
    );
    await awaitCondition('image available', () => available.length === 1 && publication.isConnected(), 20_000);
    const image = available[0]!;
    tracker.trackFile(image.logBuffers.path);
    expect(image.sessionId).toBe(publication.sessionId);
    await stream(publication, subscription, new MessageVerifier({ sizes: '8,500,3000', seed: 41, count: 200 }), 30_000);

    // typed outcome: Aeron raises no error for a vanished publisher; the onUnavailableImage event is the report
    expect(remote.kill('SIGKILL')).toBe(true);
    await within('remote driver exit', 10_000, remote.exited);
    publisher.close(); // the publisher node is gone; its client would time out on its own (C5)

    await awaitCondition('image unavailable', () => unavailable.length > 0, 20_000);
    expect(unavailable[0]).toBe(image);
    expect(image.isClosed).toBe(true);
    expect(subscription.imageCount).toBe(0);
    // polling a closed image, or the subscription, reads nothing and never touches unmapped memory
    expect(image.poll(() => {}, 10)).toBe(0);
    expect(subscription.poll(() => {}, 10)).toBe(0);
    // unmapped only after the resource linger (3 s)
    await awaitCondition('image log unmapped after the linger', () => image.logBuffers.isClosed, 15_000);
    expect(image.poll(() => {}, 10)).toBe(0);
    await sleep(1_000);
    expect(unavailable).toHaveLength(1);
    expect(available).toHaveLength(1);
    expect(localErrors.errors).toEqual([]);
    expect(subscriber.isClosed).toBe(false);
  });

  it('I2 loss (10%, seeded) → NAK and retransmit; every message, fragmented ones too, arrives once in order', async () => {
    const handle = await driver(driverKind().lossProperties({ rate: 0.1, seed: 42 }));
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, errors);
    const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k`;
    const subscription = await within('addSubscription', 20_000, client.addSubscription(channel, 4002));
    const publication = await within('addExclusivePublication', 20_000, client.addExclusivePublication(channel, 4002));
    tracker.trackFile(publication.logBuffers.path);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1, 20_000);
    const naksBefore = client.countersReader.getCounterValue(NAKS_SENT);
    const retransmitsBefore = client.countersReader.getCounterValue(RETRANSMITS_SENT);

    // 1..5000 bytes: up to 4 frames per message (MTU 1408), through 64 KiB terms (several rotations)
    await stream(
      publication,
      subscription,
      new MessageVerifier({ sizes: 'random:9:1:5000', seed: 42, count: 600 }),
      90_000,
    );

    // typed outcome: loss is repaired, not reported: no error at all (asserted below)
    expect(client.countersReader.getCounterValue(NAKS_SENT)).toBeGreaterThan(naksBefore);
    expect(client.countersReader.getCounterValue(RETRANSMITS_SENT)).toBeGreaterThan(retransmitsBefore);
    expect(errors.errors).toEqual([]);
  });
});
