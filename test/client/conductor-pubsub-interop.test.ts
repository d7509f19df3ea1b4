/**
 * The conductor's publication/subscription lifecycle against the real Java media driver: ready responses
 * (ids, sessions, log buffers), images, IPC messages end to end, close → REMOVE_*, and client close making
 * offers return CLOSED.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Image } from '../../src/client/image.ts';
import { CLOSED } from '../../src/client/publication.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

const CHANNEL = 'aeron:ipc?term-length=64k';

describeInterop('conductor publications and subscriptions against the Java media driver', () => {
  let driver: DriverHandle | undefined;

  beforeAll(async () => {
    driver = await startMediaDriver();
  });

  afterAll(async () => {
    await driver?.stop();
  });

  it('adds publications and a subscription, exchanges a message over IPC, and removes them', async () => {
    const newPublications: number[] = [];
    const newSubscriptions: number[] = [];
    const images: Image[] = [];
    const gone: Image[] = [];
    await using aeron = await Aeron.connect({
      aeronDir: driver!.aeronDir,
      onNewPublication: (_c, _s, _sid, id) => newPublications.push(id),
      onNewSubscription: (_c, _s, id) => newSubscriptions.push(id),
    });
    const subscription = await aeron.addSubscription(
      CHANNEL,
      1001,
      (image) => images.push(image),
      (image) => gone.push(image),
    );
    expect(newSubscriptions).toEqual([subscription.registrationId]);
    const publication = await aeron.addPublication(CHANNEL, 1001);
    expect(newPublications).toEqual([publication.registrationId]);
    expect(publication.originalRegistrationId).toBe(publication.registrationId);
    expect(publication.streamId).toBe(1001);
    expect(publication.channel).toBe(CHANNEL);
    expect(publication.channelStatus()).toBe(1); // IPC: no status counter = ACTIVE

    // a second add of the same concurrent publication shares the driver's registration and log
    const again = await aeron.addPublication(CHANNEL, 1001);
    expect(again.originalRegistrationId).toBe(publication.registrationId);
    expect(again.sessionId).toBe(publication.sessionId);
    expect(again.logBuffers).toBe(publication.logBuffers);

    await awaitCondition('image', () => images.length === 1);
    expect(images[0]!.sessionId).toBe(publication.sessionId);
    await awaitCondition('connected', () => publication.isConnected());

    const payload = new TextEncoder().encode('hello from aeron-ts');
    let position = -1;
    await awaitCondition('offer', () => {
      position = publication.offer(payload);
      return position > 0;
    });
    const received: string[] = [];
    await awaitCondition('poll', () => {
      subscription.poll((buffer, offset, length) => {
        const bytes = new Uint8Array(length);
        buffer.getBytes(offset, bytes, 0, length);
        received.push(new TextDecoder().decode(bytes));
      }, 10);
      return received.length > 0;
    });
    expect(received).toEqual(['hello from aeron-ts']);

    // exclusive publications have their own registration and session
    const exclusive = await aeron.addExclusivePublication(CHANNEL, 1001);
    expect(exclusive.originalRegistrationId).toBe(exclusive.registrationId);
    expect(exclusive.sessionId).not.toBe(publication.sessionId);

    again.close();
    expect(again.offer(payload)).toBe(CLOSED);
    expect(publication.isClosed).toBe(false);
    publication.close();
    exclusive.close();
    // the shared log lingers (explicit close: 1 s) before it is unmapped
    expect(publication.logBuffers.isClosed).toBe(false);
    await awaitCondition('log unmapped after the linger', () => publication.logBuffers.isClosed, 10_000);
    await awaitCondition('images gone after the publications were removed', () => gone.length >= 1, 20_000);
    subscription.close();
    expect(subscription.isClosed).toBe(true);
  });

  it('the async form: asyncAddPublication → registration id, getPublication null until ready', async () => {
    await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir, useConductorAgentInvoker: true });
    const id = aeron.asyncAddPublication(CHANNEL, 1002);
    expect(aeron.isCommandActive(id) || aeron.getPublication(id) !== null).toBe(true);
    let publication = aeron.getPublication(id);
    const deadline = Date.now() + 20_000;
    while (publication === null && Date.now() < deadline) {
      await sleep(5);
      publication = aeron.getPublication(id);
    }
    expect(publication?.registrationId).toBe(id);
    const subId = aeron.asyncAddSubscription(CHANNEL, 1002);
    await awaitCondition('subscription ready', () => aeron.getSubscription(subId) !== null);
  });

  it('closing the client closes its publications: later offers return CLOSED, never crash', async () => {
    const aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const subscription = await aeron.addSubscription(CHANNEL, 1003);
    const publication = await aeron.addExclusivePublication(CHANNEL, 1003);
    await awaitCondition('connected', () => publication.isConnected());
    aeron.close();
    expect(publication.isClosed).toBe(true);
    expect(subscription.isClosed).toBe(true);
    expect(publication.offer(new Uint8Array(8))).toBe(CLOSED);
    expect(subscription.poll(() => {}, 10)).toBe(0);
    publication.close();
    subscription.close();
  });
});
