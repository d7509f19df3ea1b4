/**
 * IPC and spy destinations of a multi-destination subscription (issue 17; Java `onAddRcvIpcDestination`,
 * `onAddRcvSpyDestination`, `onRemoveRcvIpcOrSpyDestination`), the same case on the TS driver and on Java's:
 *
 * ```
 *  MDS subscription aeron:udp?control-mode=manual, stream S
 *    + aeron:ipc                                  -> image of the IPC publication (source aeron:ipc), messages in order
 *    + aeron-spy:aeron:udp?endpoint=localhost:P   -> image of the UDP publication to P (ssc=true: no receiver there)
 *    - aeron:ipc                                  -> ON_OPERATION_SUCCESS, then that image unavailable; the spy's stays
 *  an IPC destination on a subscription that is not MDS -> UNKNOWN_SUBSCRIPTION "unknown MDS subscription: <id>"
 * ```
 * The sequence of image events each driver gives is compared.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import type { Image } from '../../src/client/image.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import type { FragmentHandler } from '../../src/logbuffer/fragment-handler.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver } from './support.ts';

const STREAM_ID = 4711;
const COUNT = 200;

/** A driver of the suite: its directory and how to stop it. */
interface SuiteDriver {
  readonly aeronDir: string;
  close(): Promise<void>;
}

/** What one driver gave: the image events in order (kind, source, which publication) and the refusal. */
interface Outcome {
  readonly events: string[];
  readonly refusal: string;
}

/** Offers `count` messages `tag:i` (retrying back pressure), polling `subscription` meanwhile; returns what arrived. */
async function exchange(
  publication: Publication,
  subscription: Subscription,
  sessionId: number,
  tag: string,
  count: number,
): Promise<string[]> {
  const received: string[] = [];
  const decoder = new TextDecoder();
  const handler: FragmentHandler = (buffer, offset, length, header) => {
    if (header.sessionId() !== sessionId) return;
    const bytes = new Uint8Array(length);
    buffer.getBytes(offset, bytes, 0, length);
    received.push(decoder.decode(bytes));
  };
  const encoder = new TextEncoder();
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < count; ) {
    const message = encoder.encode(`${tag}:${i}`);
    if (publication.offer(message, 0, message.length) > 0) i++;
    subscription.poll(handler, 64);
    if (Date.now() > deadline) throw new Error(`timed out offering ${tag}`);
    await yieldToLoop();
  }
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out receiving ${tag}: ${received.length} of ${count}`);
    if (subscription.poll(handler, 64) === 0) await yieldToLoop();
  }
  return received;
}

/** The case (module comment) on the driver at `aeronDir`. */
async function run(aeronDir: string): Promise<Outcome> {
  const aeron = await Aeron.connect({ aeronDir, clientName: 'mds-ipc-spy' });
  const events: string[] = [];
  const names = new Map<number, string>();
  const nameOf = (image: Image): string => names.get(image.correlationId) ?? `?${image.correlationId}`;
  try {
    const ipc = await aeron.addExclusivePublication('aeron:ipc?term-length=64k', STREAM_ID);
    const udp = await aeron.addExclusivePublication(
      `aeron:udp?endpoint=localhost:${await freeUdpPort()}|term-length=64k|ssc=true`,
      STREAM_ID,
    );
    names.set(ipc.registrationId, 'ipc');
    names.set(udp.registrationId, 'udp');
    const mds = await aeron.addSubscription(
      'aeron:udp?control-mode=manual',
      STREAM_ID,
      (image) => events.push(`available ${nameOf(image)} ${image.sourceIdentity}`),
      (image) => events.push(`unavailable ${nameOf(image)}`),
    );
    try {
      await mds.addDestination('aeron:ipc');
      await awaitCondition('the IPC image', () => mds.imageCount === 1);
      const fromIpc = await exchange(ipc, mds, ipc.sessionId, 'ipc', COUNT);
      expect(fromIpc).toEqual(Array.from({ length: COUNT }, (_, i) => `ipc:${i}`));

      await mds.addDestination(`aeron-spy:${udp.channel}`);
      await awaitCondition('the spy image', () => mds.imageCount === 2);
      const fromSpy = await exchange(udp, mds, udp.sessionId, 'udp', COUNT);
      expect(fromSpy).toEqual(Array.from({ length: COUNT }, (_, i) => `udp:${i}`));

      await mds.removeDestination('aeron:ipc');
      await awaitCondition('the IPC image gone', () => mds.imageCount === 1);
      expect(mds.imageBySessionId(udp.sessionId)).not.toBeNull();
      events.push(`after remove: ${mds.imageCount} image(s)`);

      const plain = await aeron.addSubscription('aeron:udp?endpoint=localhost:0', STREAM_ID + 1);
      const refusal = await plain.addDestination('aeron:ipc').then(
        () => 'accepted',
        (e: unknown) =>
          e instanceof RegistrationError ? `${e.errorCodeName} ${e.message.replace(/\d+$/, '<id>')}` : String(e),
      );
      plain.close();
      return { events: [...events], refusal };
    } finally {
      mds.close();
      udp.close();
      ipc.close();
    }
  } finally {
    aeron.close();
  }
}

function suite(name: string, start: () => Promise<SuiteDriver>, outcomes: Map<string, Outcome>): void {
  describe(name, () => {
    let driver: SuiteDriver;
    beforeAll(async () => {
      driver = await start();
    }, 120_000);
    afterAll(async () => {
      await driver?.close();
    }, 60_000);

    it('IPC and spy destinations give images and messages; removing one makes its image unavailable', async () => {
      const outcome = await run(driver.aeronDir);
      expect(outcome.events).toEqual([
        'available ipc aeron:ipc',
        'available udp aeron:ipc',
        'unavailable ipc',
        'after remove: 1 image(s)',
      ]);
      expect(outcome.refusal).toMatch(/^UNKNOWN_SUBSCRIPTION .*unknown MDS subscription: <id>$/);
      outcomes.set(name, outcome);
    }, 180_000);
  });
}

const outcomes = new Map<string, Outcome>();

suite(
  'MDS IPC and spy destinations on the TS driver',
  async () => {
    const driver = await launchTestDriver({ threadingMode: 'SHARED' });
    return { aeronDir: driver.aeronDir, close: () => driver.close() };
  },
  outcomes,
);

describeInterop('MDS IPC and spy destinations: the same on Java 1.51.0', () => {
  suite(
    'Java driver',
    async () => {
      const driver: DriverHandle = await startMediaDriver({ driver: JAVA_DRIVER });
      return { aeronDir: driver.aeronDir, close: () => driver.stop() };
    },
    outcomes,
  );
});
