/**
 * Client callbacks that call back into the client, against the real Java media driver (1.51.0).
 *
 * 1. Nested polls: every poll form of a subscription or of its image, called from inside a handler of every
 *    poll form of the same subscription, throws `ReentrantPollError` and changes nothing; the outer poll
 *    delivers every fragment exactly once. Before the guard, a nested `subscription.poll` re-delivered what
 *    the outer poll had read but not yet published (`0,1,0,1,2,2,3,…`).
 * 2. A handler that lets the error (or any error) propagate: the subscriber error handler gets it, the
 *    position moves past the fragment that threw (as Java's `TermReader.read`), nothing is re-delivered.
 * 3. The other callback surfaces (image, counter, close, error and publication error frame handlers, the
 *    assemblers, the message iterator) calling poll, close and add* (see the audit in the describe names).
 *
 * One driver for the file; each case has its own stream id and closes its client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Aeron } from '../../src/client/aeron.ts';
import type { AeronOptions } from '../../src/client/aeron-context.ts';
import { ReentrantPollError } from '../../src/client/errors.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Image } from '../../src/client/image.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { ControlledAction, HEADER_LENGTH, type ReadableBuffer } from '../../src/logbuffer/index.ts';
import { interopGate } from '../support/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../support/driver.ts';
import { assertNoLeftovers } from '../support/processes.ts';
import { awaitCondition } from './support/await.ts';

const gate = interopGate(['aeron']);
const CHANNEL = 'aeron:ipc?term-length=64k';
const MESSAGES_PER_CASE = 12;
const FRAGMENT_LIMIT = 10;
const BLOCK_LIMIT = 1024;

/** Every way of reading a subscription, outer (delivering sequence numbers) or inner (the nested call). */
const POLL_FORMS = [
  'subscription.poll',
  'subscription.controlledPoll',
  'subscription.blockPoll',
  'subscription.rawPoll',
  'image.poll',
  'image.boundedPoll',
  'image.controlledPoll',
  'image.boundedControlledPoll',
  'image.blockPoll',
  'image.rawPoll',
] as const;
type PollForm = (typeof POLL_FORMS)[number];
/** Inner calls: every poll form, plus the image calls that read or move the position. */
const INNER_FORMS = [...POLL_FORMS, 'image.controlledPeek', 'image.setPosition'] as const;
type InnerForm = (typeof INNER_FORMS)[number];

/** Calls `onMessage(sequence)` for each data frame of a block of whole frames. */
function forEachFrame(buffer: ReadableBuffer, offset: number, length: number, onMessage: (seq: number) => void): void {
  let at = offset;
  const end = offset + length;
  while (at < end) {
    const frameLength = buffer.getInt32(at);
    const type = buffer.getInt16(at + 6);
    if (type === 1) onMessage(buffer.getInt32(at + HEADER_LENGTH));
    at += (frameLength + 31) & ~31;
  }
}

/** One poll of `form`, handing each message's sequence number to `onMessage`; returns the poll's result. */
function pollOnce(form: PollForm, subscription: Subscription, image: Image, onMessage: (seq: number) => void): number {
  const fragment = (buffer: ReadableBuffer, offset: number): void => onMessage(buffer.getInt32(offset));
  const controlled = (buffer: ReadableBuffer, offset: number): ControlledAction => {
    onMessage(buffer.getInt32(offset));
    return ControlledAction.CONTINUE;
  };
  const block = (buffer: ReadableBuffer, offset: number, length: number): void =>
    forEachFrame(buffer, offset, length, onMessage);
  const raw = (_file: string, _fileOffset: number, buffer: ReadableBuffer, offset: number, length: number): void =>
    forEachFrame(buffer, offset, length, onMessage);
  const limit = image.position + 64 * 1024;
  switch (form) {
    case 'subscription.poll':
      return subscription.poll(fragment, FRAGMENT_LIMIT);
    case 'subscription.controlledPoll':
      return subscription.controlledPoll(controlled, FRAGMENT_LIMIT);
    case 'subscription.blockPoll':
      return subscription.blockPoll(block, BLOCK_LIMIT);
    case 'subscription.rawPoll':
      return subscription.rawPoll(raw, BLOCK_LIMIT);
    case 'image.poll':
      return image.poll(fragment, FRAGMENT_LIMIT);
    case 'image.boundedPoll':
      return image.boundedPoll(fragment, limit, FRAGMENT_LIMIT);
    case 'image.controlledPoll':
      return image.controlledPoll(controlled, FRAGMENT_LIMIT);
    case 'image.boundedControlledPoll':
      return image.boundedControlledPoll(controlled, limit, FRAGMENT_LIMIT);
    case 'image.blockPoll':
      return image.blockPoll(block, BLOCK_LIMIT);
    case 'image.rawPoll':
      return image.rawPoll(raw, BLOCK_LIMIT);
  }
}

/** The nested call of `form` (its messages, if it read any, go to `onMessage` too). */
function innerCall(form: InnerForm, subscription: Subscription, image: Image, onMessage: (seq: number) => void): void {
  if (form === 'image.controlledPeek') {
    image.controlledPeek(
      image.position,
      (buffer, offset) => {
        onMessage(buffer.getInt32(offset));
        return ControlledAction.CONTINUE;
      },
      image.position + 64 * 1024,
    );
  } else if (form === 'image.setPosition') {
    image.setPosition(image.position);
  } else {
    pollOnce(form, subscription, image, onMessage);
  }
}

if (gate.mode === 'fail') {
  describe('client reentrancy against the Java media driver', () => {
    it('has Java and the pinned Aeron jar', () => {
      throw new Error(gate.missing);
    });
  });
} else {
  describe.skipIf(gate.mode === 'skip')('client reentrancy against the Java media driver', () => {
    let driver: DriverHandle;
    const clients: Aeron[] = [];
    let nextStreamId = 7000;
    const streamId = (): number => nextStreamId++;

    beforeAll(async () => {
      driver = await startMediaDriver();
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.close();
    });

    afterAll(async () => {
      await driver?.stop();
      assertNoLeftovers();
    });

    async function connect(options: AeronOptions = {}): Promise<Aeron> {
      const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000, ...options });
      clients.push(aeron);
      return aeron;
    }

    interface Stream {
      readonly aeron: Aeron;
      readonly publication: ExclusivePublication;
      readonly subscription: Subscription;
      readonly image: Image;
      readonly errors: unknown[];
      /** Offers `count` messages carrying the next sequence numbers; returns them. */
      offer(count: number): Promise<number[]>;
    }

    async function stream(options: AeronOptions = {}): Promise<Stream> {
      const errors: unknown[] = [];
      const aeron = await connect({ errorHandler: (e) => errors.push(e), ...options });
      const id = streamId();
      const subscription = await aeron.addSubscription(CHANNEL, id);
      const publication = await aeron.addExclusivePublication(CHANNEL, id);
      await awaitCondition('image', () => subscription.imageCount === 1 && publication.isConnected());
      let next = 0;
      const message = new Uint8Array(8);
      const view = new DataView(message.buffer);
      return {
        aeron,
        publication,
        subscription,
        image: subscription.images[0]!,
        errors,
        async offer(count) {
          const sent: number[] = [];
          for (let i = 0; i < count; i++) {
            view.setInt32(0, next, true);
            await awaitCondition('offer', () => publication.offer(message) > 0, 5_000, 1);
            sent.push(next++);
          }
          return sent;
        },
      };
    }

    describe('1. nested polls of the same subscription throw ReentrantPollError and change nothing', () => {
      for (const outer of POLL_FORMS) {
        it(`inside ${outer}: every form throws, every fragment is delivered once`, async () => {
          const s = await stream();
          for (const inner of INNER_FORMS) {
            const sent = await s.offer(MESSAGES_PER_CASE);
            const seen: number[] = [];
            const innerErrors: unknown[] = [];
            let innerCalls = 0;
            const deadline = Date.now() + 5_000;
            while (seen.length < sent.length && Date.now() < deadline) {
              pollOnce(outer, s.subscription, s.image, (seq) => {
                seen.push(seq);
                innerCalls++;
                const before = s.image.position;
                try {
                  innerCall(inner, s.subscription, s.image, (nested) => seen.push(nested));
                } catch (e) {
                  innerErrors.push(e);
                }
                expect(s.image.position, `${inner}: position unchanged`).toBe(before);
              });
            }
            expect(seen, `${inner} inside ${outer}`).toEqual(sent);
            expect(innerErrors.length, `${inner} inside ${outer}: every nested call threw`).toBe(innerCalls);
            for (const e of innerErrors) {
              expect(e).toBeInstanceOf(ReentrantPollError);
              expect((e as ReentrantPollError).code).toBe('REENTRANT_POLL');
            }
          }
          expect(s.errors).toEqual([]);
          // The guard is released: a plain poll after all that reads on.
          const sent = await s.offer(3);
          const after: number[] = [];
          await awaitCondition('plain poll', () => {
            pollOnce('subscription.poll', s.subscription, s.image, (seq) => after.push(seq));
            return after.length === 3;
          });
          expect(after).toEqual(sent);
        });
      }

      it('the sequence that showed the bug: subscription.poll inside subscription.poll', async () => {
        const s = await stream();
        const sent = await s.offer(6);
        const seen: number[] = [];
        const nested = (buffer: ReadableBuffer, offset: number): void => {
          seen.push(buffer.getInt32(offset));
        };
        await awaitCondition('all read', () => {
          s.subscription.poll((buffer, offset) => {
            seen.push(buffer.getInt32(offset));
            try {
              s.subscription.poll(nested, 10);
            } catch {
              // ReentrantPollError, checked above
            }
          }, 10);
          return seen.length >= sent.length;
        });
        expect(seen).toEqual(sent);
      });
    });

    describe('2. a handler exception that propagates (Java: the position moves past the fragment that threw)', () => {
      for (const outer of ['subscription.poll', 'image.controlledPoll'] as const) {
        it(`${outer}: the nested call's ReentrantPollError reaches the subscriber error handler, nothing is re-delivered`, async () => {
          const subscriberErrors: unknown[] = [];
          const s = await stream({ subscriberErrorHandler: (e) => subscriberErrors.push(e) });
          const sent = await s.offer(5);
          const seen: number[] = [];
          let thrown = false;
          await awaitCondition('all read', () => {
            pollOnce(outer, s.subscription, s.image, (seq) => {
              seen.push(seq);
              if (seq === sent[2] && !thrown) {
                thrown = true;
                s.subscription.poll(() => seen.push(-1), 10); // throws out of the handler
              }
            });
            return seen.length >= sent.length;
          });
          expect(seen).toEqual(sent);
          expect(subscriberErrors).toHaveLength(1);
          expect(subscriberErrors[0]).toBeInstanceOf(ReentrantPollError);
          expect(s.image.position).toBe(s.publication.position());
        });
      }

      it('image.blockPoll: the block whose handler threw is consumed whole (as Java), nothing is re-delivered', async () => {
        const subscriberErrors: unknown[] = [];
        const s = await stream({ subscriberErrorHandler: (e) => subscriberErrors.push(e) });
        const sent = await s.offer(5);
        const seen: number[] = [];
        const bytes = s.image.blockPoll((buffer, offset, length) => {
          forEachFrame(buffer, offset, length, (seq) => {
            seen.push(seq);
            if (seq === sent[2]) s.subscription.poll(() => seen.push(-1), 10);
          });
        }, BLOCK_LIMIT);
        expect(bytes).toBe(5 * 64);
        expect(seen).toEqual(sent.slice(0, 3));
        expect(subscriberErrors).toHaveLength(1);
        expect(subscriberErrors[0]).toBeInstanceOf(ReentrantPollError);
        expect(s.image.position).toBe(s.publication.position());
        expect(s.image.blockPoll(() => seen.push(-1), BLOCK_LIMIT)).toBe(0);
      });

      it('subscription.poll: the poll stops at the fragment that threw and returns the fragments read', async () => {
        const subscriberErrors: unknown[] = [];
        const s = await stream({ subscriberErrorHandler: (e) => subscriberErrors.push(e) });
        const sent = await s.offer(5);
        const seen: number[] = [];
        const fragments = s.subscription.poll((buffer, offset) => {
          const seq = buffer.getInt32(offset);
          seen.push(seq);
          if (seq === sent[1]) throw new Error('handler failed');
        }, 10);
        expect(fragments).toBe(2);
        expect(seen).toEqual(sent.slice(0, 2));
        expect((subscriberErrors[0] as Error).message).toBe('handler failed');
        const rest: number[] = [];
        s.subscription.poll((buffer, offset) => rest.push(buffer.getInt32(offset)), 10);
        expect(rest).toEqual(sent.slice(2));
      });
    });
  });
}
