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
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { allThreadsStopped, assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { AeronOptions } from '../../src/client/aeron-context.ts';
import { ConductorServiceTimeoutError, ReentrantPollError } from '../../src/client/errors.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Image } from '../../src/client/image.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { ControlledAction, HEADER_LENGTH, type ReadableBuffer } from '../../src/logbuffer/index.ts';
import type { CountersReader } from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

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

/**
 * How a promise settled: the error's `code` (or class name), or `resolved`. Never the resolved value itself, so a
 * failing expectation does not pretty-print a client resource (its mapped log) into the report.
 */
function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (e as { code?: string }).code ?? (e as Error).constructor.name,
  );
}

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

describeInterop('client reentrancy against the Java media driver', () => {
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

  describe('3. other callbacks calling back into the client', () => {
    const readSeq = (buffer: ReadableBuffer, offset: number): number => buffer.getInt32(offset);

    it('fragment handler: closes its subscription → the poll stops after that fragment, later polls read 0', async () => {
      const unavailable: Image[] = [];
      const s = await stream({ onUnavailableImage: (image) => unavailable.push(image) });
      const sent = await s.offer(5);
      const seen: number[] = [];
      const read = s.subscription.poll((buffer, offset) => {
        seen.push(readSeq(buffer, offset));
        if (seen.length === 2) s.subscription.close();
      }, 10);
      expect(read).toBe(2);
      expect(seen).toEqual(sent.slice(0, 2));
      expect(s.subscription.isClosed).toBe(true);
      expect(s.subscription.poll(() => seen.push(-1), 10)).toBe(0);
      expect(s.image.poll(() => seen.push(-1), 10)).toBe(0);
      expect(unavailable).toEqual([s.image]);
      expect(s.errors).toEqual([]);
    });

    it('fragment handler: closes the client → the poll stops, nothing is reported, the client is closed', async () => {
      const s = await stream();
      await s.offer(5);
      const seen: number[] = [];
      const read = s.subscription.poll((buffer, offset) => {
        seen.push(readSeq(buffer, offset));
        s.aeron.close();
      }, 10);
      expect(read).toBe(1);
      expect(s.aeron.isClosed).toBe(true);
      expect(s.subscription.poll(() => seen.push(-1), 10)).toBe(0);
      expect(s.errors).toEqual([]);
    });

    it('fragment handler: polls another subscription, adds a publication, offers → all work', async () => {
      const s = await stream();
      const otherStream = streamId();
      const other = await s.aeron.addSubscription(CHANNEL, otherStream);
      const otherPublication = await s.aeron.addExclusivePublication(CHANNEL, otherStream);
      await awaitCondition('other image', () => other.imageCount === 1);
      const sent = await s.offer(3);
      const echoed: number[] = [];
      const adds: Promise<unknown>[] = [];
      const seen: number[] = [];
      s.subscription.poll((buffer, offset, length) => {
        seen.push(readSeq(buffer, offset));
        const copy = new Uint8Array(length);
        buffer.getBytes(offset, copy, 0, length);
        expect(otherPublication.offer(copy)).toBeGreaterThan(0);
        other.poll((b, o) => echoed.push(readSeq(b, o)), 10);
        adds.push(s.aeron.addExclusivePublication(CHANNEL, streamId()));
      }, 10);
      expect(seen).toEqual(sent);
      expect(echoed).toEqual(sent);
      await Promise.all(adds);
      expect(s.errors).toEqual([]);
    });

    it('available image handler: polls the image, adds a subscription, closes its subscription', async () => {
      const errors: unknown[] = [];
      const aeron = await connect({ errorHandler: (e) => errors.push(e) });
      const id = streamId();
      const publication = await aeron.addExclusivePublication(CHANNEL, id);
      const payload = new Uint8Array(8);
      await awaitCondition('offer before the subscriber', () => publication.offer(payload) !== 0, 1_000, 1);
      const polled: number[] = [];
      const added: Promise<Subscription>[] = [];
      const unavailable: Image[] = [];
      let subscription: Subscription | null = null;
      subscription = await aeron.addSubscription(CHANNEL, id, {
        availableImageHandler: (image) => {
          polled.push(image.poll(() => {}, 10));
          added.push(aeron.addSubscription(CHANNEL, streamId()));
          subscription?.close();
          image.subscription.close();
        },
        unavailableImageHandler: (image) => {
          unavailable.push(image);
          polled.push(image.poll(() => {}, 10)); // closed: 0
        },
      });
      await awaitCondition('closed by its handler', () => subscription.isClosed);
      expect(polled).toEqual([0, 0]);
      expect(unavailable).toHaveLength(1);
      expect(await outcomeOf(added[0]!)).toBe('resolved');
      expect(errors).toEqual([]);
    });

    it('available image handler: closes the client → no error, the duty cycle stops cleanly', async () => {
      const errors: unknown[] = [];
      const aeron = await connect({ errorHandler: (e) => errors.push(e) });
      const id = streamId();
      let calls = 0;
      await aeron.addSubscription(CHANNEL, id, () => {
        calls++;
        aeron.close();
      });
      const publisher = await connect();
      await publisher.addExclusivePublication(CHANNEL, id);
      await awaitCondition('closed by the image handler', () => aeron.isClosed);
      expect(calls).toBe(1);
      expect(await outcomeOf(aeron.addPublication(CHANNEL, id))).toBe('CLOSED');
      expect(errors).toEqual([]);
    });

    it('onNewPublication / onNewSubscription handler closes the client → the add rejects with CLOSED (no closed resource)', async () => {
      for (const kind of ['publication', 'subscription'] as const) {
        const errors: unknown[] = [];
        let aeron: Aeron | null = null;
        aeron = await connect({
          errorHandler: (e) => errors.push(e),
          onNewPublication: () => aeron?.close(),
          onNewSubscription: () => aeron?.close(),
        });
        const adding =
          kind === 'publication'
            ? aeron.addPublication(CHANNEL, streamId())
            : aeron.addSubscription(CHANNEL, streamId());
        expect(await outcomeOf(adding), kind).toBe('CLOSED');
        expect(aeron.isClosed).toBe(true);
        expect(errors).toEqual([]);
      }
    });

    it('counter handlers: add a counter, remove themselves, add a handler, close a counter → each event once to the handlers registered when it arrived', async () => {
      const errors: unknown[] = [];
      const aeron = await connect({ errorHandler: (e) => errors.push(e) });
      const typeId = 9101;
      const calls: string[] = [];
      const counters: Promise<unknown>[] = [];
      const ours = (reader: CountersReader, counterId: number): boolean =>
        reader.getCounterTypeId(counterId) === typeId;
      const late = (reader: CountersReader, _registrationId: number, counterId: number): void => {
        if (ours(reader, counterId)) calls.push('late');
      };
      const first = (reader: CountersReader, registrationId: number, counterId: number): void => {
        if (!ours(reader, counterId)) return;
        calls.push(`first ${registrationId}`);
        aeron.removeAvailableCounterHandler(first);
        aeron.removeAvailableCounterHandler(second); // still called for this event (registered when it arrived)
        aeron.addAvailableCounterHandler(late); // from the next event on
      };
      const second = (reader: CountersReader, registrationId: number, counterId: number): void => {
        if (!ours(reader, counterId)) return;
        calls.push(`second ${registrationId}`);
        counters.push(aeron.addCounter(typeId, 'added from a counter handler'));
      };
      aeron.addAvailableCounterHandler(first);
      aeron.addAvailableCounterHandler(second);
      const counter = await aeron.addCounter(typeId, 'first');
      await awaitCondition('counter added from the handler', () => counters.length === 1);
      const nested = (await counters[0]) as { registrationId: number; close(): void };
      expect(calls).toEqual([`first ${counter.registrationId}`, `second ${counter.registrationId}`, 'late']);
      aeron.addUnavailableCounterHandler((reader, _registrationId, counterId) => {
        if (!ours(reader, counterId)) return;
        calls.push('unavailable');
        nested.close();
      });
      counter.close();
      await awaitCondition('both counters gone', () => calls.filter((c) => c === 'unavailable').length === 2);
      expect(errors).toEqual([]);
    });

    it('close-time callbacks: an unavailable counter or close handler that closes the client again, or adds, is harmless', async () => {
      const errors: unknown[] = [];
      const aeron = await connect({ errorHandler: (e) => errors.push(e) });
      await aeron.addCounter(9102, 'closed with the client');
      const adds: Promise<unknown>[] = [];
      let unavailable = 0;
      let closes = 0;
      aeron.addUnavailableCounterHandler(() => {
        unavailable++;
        aeron.close();
        adds.push(aeron.addCounter(9102, 'during close'));
      });
      aeron.addCloseHandler(() => {
        closes++;
        aeron.close();
        adds.push(aeron.addPublication(CHANNEL, streamId()));
      });
      aeron.close();
      expect([unavailable, closes]).toEqual([1, 1]);
      for (const add of adds) expect(await outcomeOf(add)).toBe('CLOSED');
      expect(errors).toEqual([]);
    });

    it('message iterator: leaving the loop after a message leaves every later message to the next poll', async () => {
      const s = await stream();
      const sent = await s.offer(6);
      const got: number[] = [];
      for await (const message of s.subscription) {
        got.push(new DataView(message.data.buffer).getInt32(0, true));
        if (got.length === 2) break;
      }
      expect(got).toEqual(sent.slice(0, 2));
      const rest: number[] = [];
      s.subscription.poll((buffer, offset) => rest.push(readSeq(buffer, offset)), 10);
      expect(rest).toEqual(sent.slice(2));
    });

    it('message iterator: the loop body polls and closes the subscription → the poll works, the loop ends', async () => {
      const s = await stream();
      const sent = await s.offer(4);
      const got: number[] = [];
      const polled: number[] = [];
      for await (const message of s.subscription.messages({ fragmentLimit: 10 })) {
        got.push(new DataView(message.data.buffer).getInt32(0, true));
        s.subscription.poll((buffer, offset) => polled.push(readSeq(buffer, offset)), 1);
        if (got.length + polled.length === sent.length) s.subscription.close();
      }
      expect([...got, ...polled].sort((a, b) => a - b)).toEqual(sent);
      expect(got).toEqual([sent[0], sent[2]]);
    });

    it('message iterator from inside a poll handler of the same subscription → ReentrantPollError', async () => {
      const s = await stream();
      await s.offer(1);
      const iterator = s.subscription.messages();
      let result: Promise<unknown> | null = null;
      await awaitCondition(
        'polled',
        () =>
          s.subscription.poll(() => {
            result = iterator.next();
          }, 1) === 1,
      );
      expect(await outcomeOf(result!)).toBe('REENTRANT_POLL');
    });
  });

  describe('4. the error handler', () => {
    it('closes the client on a fatal error → pending commands still get the fatal error, not CLOSED', async () => {
      // A driver of our own: its client liveness timeout (our inter-service timeout) is 2 s.
      const local = await startMediaDriver({ properties: { 'aeron.client.liveness.timeout': '2s' } });
      try {
        const errors: unknown[] = [];
        const aeron: Aeron = await Aeron.connect({
          aeronDir: local.aeronDir,
          errorHandler: (e) => {
            errors.push(e);
            aeron.close();
          },
        });
        clients.push(aeron);
        expect(local.kill('SIGSTOP')).toBe(true); // no answer to the command below
        await awaitCondition('driver stopped', () => allThreadsStopped(local.pid));
        const pending = aeron.addPublication(CHANNEL, streamId());
        pending.catch(() => {});
        // The conductor does not run for longer than the inter-service timeout: fatal on its next duty cycle.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_500);
        expect(await outcomeOf(pending)).toBe('CONDUCTOR_SERVICE_TIMEOUT');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(ConductorServiceTimeoutError);
        expect(aeron.isClosed).toBe(true);
      } finally {
        local.kill('SIGCONT');
        await local.stop();
      }
    }, 60_000);

    it('the subscriber error handler polls the same subscription → ReentrantPollError out of the poll, position kept', async () => {
      let s: Stream | null = null;
      const caught: unknown[] = [];
      s = await stream({
        subscriberErrorHandler: (e) => {
          caught.push(e);
          s?.subscription.poll(() => {}, 10);
        },
      });
      const sent = await s.offer(3);
      const seen: number[] = [];
      expect(() =>
        s.subscription.poll((buffer, offset) => {
          seen.push(buffer.getInt32(offset));
          if (seen.length === 1) throw new Error('handler failed');
        }, 10),
      ).toThrow(ReentrantPollError);
      expect((caught[0] as Error).message).toBe('handler failed');
      s.subscription.poll((buffer, offset) => seen.push(buffer.getInt32(offset)), 10);
      expect(seen).toEqual(sent);
    });
  });
});
