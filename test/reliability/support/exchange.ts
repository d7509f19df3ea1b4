/** Sending a verified message pattern through a publication and reading it back from a subscription. */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Publication } from '../../../src/client/publication.ts';
import type { Subscription } from '../../../src/client/subscription.ts';
import { fillMessage, type MessageVerifier } from '../../support/message-pattern.ts';

/**
 * Offers `verifier`'s messages on `publication` and polls `subscription` until the verifier has them all (20 s
 * deadline), yielding to the event loop every round (the client conductor, images and keepalives run on it); then
 * expects no verifier error and every message received.
 */
export async function sendAndVerify(
  publication: Publication,
  subscription: Subscription,
  verifier: MessageVerifier,
): Promise<void> {
  const scratch = new Uint8Array(verifier.sizes.max);
  const message = new Uint8Array(verifier.sizes.max);
  let sent = 0;
  const deadline = Date.now() + 20_000;
  while (!verifier.done) {
    if (Date.now() > deadline) throw new Error(`exchange stalled at ${verifier.received}/${verifier.expectedTotal}`);
    if (sent < verifier.countPerSource) {
      const length = verifier.sizes.sizeOf(sent);
      fillMessage(message, 0, length, verifier.baseSeed, sent);
      if (publication.offer(message, 0, length) > 0) sent++;
    }
    const fragments = subscription.poll((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    }, 10);
    if (fragments === 0) await sleep(1);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(verifier.errors).toEqual([]);
  expect(verifier.received).toBe(verifier.expectedTotal);
}
