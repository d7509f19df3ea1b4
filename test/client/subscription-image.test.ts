import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { FakeConductor } from '../../harness/fake-conductor.ts';
import { createLogFile, FakeCounters, FakeIpcDriver, type LogFileOptions } from '../../harness/fake-driver.ts';
import { copy, IpcFixture, payload, type Received, SUBSCRIBER_COUNTER_ID } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import type { ConcurrentPublication } from '../../src/client/concurrent-publication.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Image } from '../../src/client/image.ts';
import { ImageControlledFragmentAssembler, ImageFragmentAssembler } from '../../src/client/image-fragment-assembler.ts';
import type { SubscriptionMessage } from '../../src/client/message-iterator.ts';
import {
  ControlledAction,
  type ControlledFragmentHandler,
  type FragmentHandler,
  type Header,
  setEndOfStreamPosition,
  setIsPublicationRevoked,
} from '../../src/logbuffer/index.ts';
import { LONG_MAX_VALUE } from '../../src/transport/index.ts';

const dir = makeTestDir('subscription-image');
afterAll(() => removeDir(dir));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fixture(options: LogFileOptions = {}): IpcFixture<ExclusivePublication> {
  const f = new IpcFixture('exclusive', dir, options) as IpcFixture<ExclusivePublication>;
  cleanups.push(() => f.close());
  return f;
}

function collect(into: Received[]): FragmentHandler {
  return (buffer, offset, length, header) => into.push(copy(buffer, offset, length, header));
}

function controlled(into: Received[], actions: ControlledAction[]): ControlledFragmentHandler {
  return (buffer, offset, length, header) => {
    const action = actions.shift() ?? ControlledAction.CONTINUE;
    if (action !== ControlledAction.ABORT) into.push(copy(buffer, offset, length, header));
    return action;
  };
}

describe('Image poll', () => {
  it('delivers fragments with a reused header carrying session, stream, term, position, flags, reserved value', () => {
    const f = fixture({ sessionId: -9, streamId: 1234, initialTermId: 500 });
    f.publication.offer(payload(5, 1), 0, 5, () => -7);
    f.publication.offer(payload(6, 1));
    const headers: Header[] = [];
    const seen: [number, number, number, number, number, number, number][] = [];
    const n = f.image.poll((_b, _o, _l, header) => {
      headers.push(header);
      seen.push([
        header.sessionId(),
        header.streamId(),
        header.termId(),
        header.termOffset(),
        header.position(),
        header.flags(),
        header.reservedValue(),
      ]);
    }, 10);
    expect(n).toBe(2);
    expect(headers[0]).toBe(headers[1]);
    expect(headers[0]!.context).toBe(f.image);
    expect(seen).toEqual([
      [-9, 1234, 500, 0, 64, 0xc0, -7],
      [-9, 1234, 500, 64, 128, 0xc0, 0],
    ]);
    expect(f.image.position).toBe(128);
    expect(f.counters.get(SUBSCRIBER_COUNTER_ID)).toBe(128);
  });

  it('respects the fragment limit and continues where it stopped', () => {
    const f = fixture();
    for (let i = 0; i < 5; i++) f.publication.offer(payload(1, i));
    const got: Received[] = [];
    expect(f.image.poll(collect(got), 2)).toBe(2);
    expect(f.image.poll(collect(got), 2)).toBe(2);
    expect(f.image.poll(collect(got), 2)).toBe(1);
    expect(f.image.poll(collect(got), 2)).toBe(0);
    expect(got.map((r) => r.bytes[0])).toEqual([0, 1, 2, 3, 4].map((i) => payload(1, i)[0]));
  });

  it('reports handler errors to the error handler and moves past the fragment', () => {
    const f = fixture();
    f.publication.offer(payload(1, 1));
    f.publication.offer(payload(1, 2));
    const boom = new Error('boom');
    expect(
      f.image.poll(() => {
        throw boom;
      }, 10),
    ).toBe(1);
    expect(f.conductor.errors).toEqual([boom]);
    expect(f.image.position).toBe(64);
    const got: Received[] = [];
    f.image.poll(collect(got), 10);
    expect(got.map((r) => r.bytes)).toEqual([payload(1, 2)]);
  });

  it('boundedPoll stops at the limit position', () => {
    const f = fixture();
    for (let i = 0; i < 4; i++) f.publication.offer(payload(1, i));
    const got: Received[] = [];
    expect(f.image.boundedPoll(collect(got), 128, 10)).toBe(2);
    expect(f.image.boundedPoll(collect(got), 128, 10)).toBe(0);
    expect(f.image.boundedPoll(collect(got), 1000, 10)).toBe(2);
  });
});

describe('Image controlledPoll', () => {
  it('ABORT leaves the fragment for the next poll', () => {
    const f = fixture();
    f.publication.offer(payload(3, 1));
    f.publication.offer(payload(3, 2));
    const got: Received[] = [];
    expect(f.image.controlledPoll(controlled(got, [ControlledAction.CONTINUE, ControlledAction.ABORT]), 10)).toBe(1);
    expect(f.image.position).toBe(64);
    expect(f.image.controlledPoll(controlled(got, []), 10)).toBe(1);
    expect(got.map((r) => r.bytes)).toEqual([payload(3, 1), payload(3, 2)]);
    expect(f.image.position).toBe(128);
  });

  it('BREAK consumes the fragment and stops', () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) f.publication.offer(payload(3, i));
    const got: Received[] = [];
    expect(f.image.controlledPoll(controlled(got, [ControlledAction.BREAK]), 10)).toBe(1);
    expect(f.image.position).toBe(64);
    expect(f.image.controlledPoll(controlled(got, []), 10)).toBe(2);
  });

  it('COMMIT publishes the position before the handler sees the next fragment', () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) f.publication.offer(payload(3, i));
    const positionsSeen: number[] = [];
    const handler: ControlledFragmentHandler = () => {
      positionsSeen.push(f.counters.get(SUBSCRIBER_COUNTER_ID));
      return positionsSeen.length === 1 ? ControlledAction.COMMIT : ControlledAction.CONTINUE;
    };
    expect(f.image.controlledPoll(handler, 10)).toBe(3);
    expect(positionsSeen).toEqual([0, 64, 64]);
    expect(f.image.position).toBe(192);
  });

  it('controlledPeek reads without consuming; setPosition then moves the subscriber', () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) f.publication.offer(payload(3, i));
    const got: Received[] = [];
    const peeked = f.image.controlledPeek(
      0,
      controlled(got, [ControlledAction.CONTINUE, ControlledAction.ABORT]),
      1000,
    );
    expect(peeked).toBe(64);
    expect(f.image.position).toBe(0);
    f.image.setPosition(peeked);
    expect(f.image.position).toBe(64);
    expect(() => f.image.setPosition(65)).toThrow(InvalidArgumentError);
    expect(() => f.image.setPosition(0)).toThrow(InvalidArgumentError);
  });
});

describe('Image blockPoll and rawPoll', () => {
  it('blockPoll hands whole frames and consumes them', () => {
    const f = fixture({ sessionId: 31, initialTermId: 8 });
    for (let i = 0; i < 3; i++) f.publication.offer(payload(10, i));
    const blocks: [number, number, number, number][] = [];
    const consumed = f.image.blockPoll((buffer, offset, length, sessionId, termId) => {
      blocks.push([offset, length, sessionId, termId]);
      expect(buffer.getInt32(offset)).toBe(42);
    }, 100);
    expect(consumed).toBe(64);
    expect(blocks).toEqual([[0, 64, 31, 8]]);
    expect(f.subscription.blockPoll(() => {}, 1000)).toBe(128);
    expect(f.image.position).toBe(192);
  });

  it('rawPoll tells where the block lies in the log file', () => {
    const termLength = 64 * 1024;
    const f = fixture({ termLength, startPosition: termLength + 128 });
    f.publication.offer(payload(20, 3));
    let where: [string, number, number] | null = null;
    const consumed = f.image.rawPoll((file, fileOffset, _termBuffer, termOffset, length) => {
      where = [file, fileOffset, length];
      expect(termOffset).toBe(128);
    }, 4096);
    expect(consumed).toBe(64);
    expect(where).toEqual([f.log.path, termLength + 128, 64]);
    const onDisk = readFileSync(f.log.path).subarray(termLength + 128 + 32, termLength + 128 + 52);
    expect(new Uint8Array(onDisk)).toEqual(payload(20, 3));
  });
});

describe('Image end of stream, revocation and close', () => {
  it('is at end of stream once the publisher ended it and everything was consumed', () => {
    const f = fixture();
    f.publication.offer(payload(10, 1));
    const metadata = f.image.logBuffers.metaDataBuffer;
    expect(f.image.endOfStreamPosition).toBe(LONG_MAX_VALUE);
    expect(f.image.isEndOfStream).toBe(false);
    setEndOfStreamPosition(metadata, 64);
    expect(f.image.isEndOfStream).toBe(false);
    f.drain();
    expect(f.image.isEndOfStream).toBe(true);
    expect(f.image.isPublicationRevoked).toBe(false);
    setIsPublicationRevoked(metadata, true);
    expect(f.image.isPublicationRevoked).toBe(true);
  });

  it('answers from a snapshot after close and polls nothing', () => {
    const f = fixture();
    f.publication.offer(payload(10, 1));
    f.drain();
    setEndOfStreamPosition(f.image.logBuffers.metaDataBuffer, 64);
    f.publication.offer(payload(10, 2));
    const image = f.image;
    expect(f.conductor.removeImage(f.subscription, image.correlationId)).toBe(image);
    expect(f.conductor.removeImage(f.subscription, image.correlationId)).toBeNull();
    expect(image.isClosed).toBe(true);
    expect(image.logBuffers.isClosed).toBe(true);
    expect(image.position).toBe(64);
    expect(image.isEndOfStream).toBe(true);
    expect(image.endOfStreamPosition).toBe(64);
    expect(image.activeTransportCount).toBe(0);
    expect(image.poll(() => {}, 10)).toBe(0);
    expect(image.controlledPoll(() => ControlledAction.CONTINUE, 10)).toBe(0);
    expect(image.blockPoll(() => {}, 100)).toBe(0);
    expect(f.subscription.imageCount).toBe(0);
    expect(f.subscription.isConnected()).toBe(false);
  });

  it('a handler that closes the subscription stops its own poll', () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) f.publication.offer(payload(1, i));
    let calls = 0;
    const n = f.subscription.poll(() => {
      calls++;
      f.subscription.close();
    }, 10);
    expect(n).toBe(1);
    expect(calls).toBe(1);
    expect(f.subscription.isClosed).toBe(true);
    expect(f.conductor.unavailable).toEqual([f.image]);
    expect(f.subscription.poll(() => {}, 10)).toBe(0);
  });

  it('reject goes through the conductor, spies may not reject', async () => {
    const f = fixture();
    await f.image.reject('go away');
    expect(f.conductor.calls).toEqual([`rejectImage ${f.image.correlationId} 0 go away`]);
    const spy = f.conductor.newSubscription({ channel: 'aeron-spy:aeron:udp?endpoint=localhost:1' });
    await expect(spy.rejectImage(1, 0, 'no')).rejects.toMatchObject({ code: 'UNKNOWN' });
  });
});

describe('Subscription with several images', () => {
  function twoSessions() {
    const counters = new FakeCounters();
    const conductor = new FakeConductor(counters);
    const logs = [createLogFile(dir, { sessionId: 1 }), createLogFile(dir, { sessionId: 2 })];
    const drivers = logs.map(
      (log, i) => new FakeIpcDriver({ log, counters, limitCounterId: 10 + i, subscriberCounterIds: [20 + i] }),
    );
    const publications = logs.map((log, i) =>
      conductor.newPublication('concurrent', log, 10 + i),
    ) as ConcurrentPublication[];
    const available: Image[] = [];
    const unavailable: Image[] = [];
    const subscription = conductor.newSubscription({
      available: (image) => available.push(image),
      unavailable: (image) => unavailable.push(image),
    });
    const images = logs.map((log, i) => conductor.addImage(subscription, log, 20 + i));
    cleanups.push(() => {
      for (const d of drivers) d.close();
      conductor.closeAll();
    });
    return { conductor, publications, subscription, images, available, unavailable };
  }

  it('polls images round robin within the fragment limit', () => {
    const { publications, subscription, images, available } = twoSessions();
    expect(available).toEqual(images);
    for (let i = 0; i < 3; i++) for (const p of publications) p.offer(payload(1, i));
    const sessions: number[] = [];
    const handler: FragmentHandler = (_b, _o, _l, header) => sessions.push(header.sessionId());
    expect(subscription.poll(handler, 2)).toBe(2);
    expect(subscription.poll(handler, 2)).toBe(2);
    expect(subscription.poll(handler, 10)).toBe(2);
    expect(sessions.filter((s) => s === 1)).toHaveLength(3);
    expect(sessions.filter((s) => s === 2)).toHaveLength(3);
    // The second poll started at the second image.
    expect(sessions.slice(0, 4)).toEqual([1, 1, 2, 2]);
  });

  it('finds images, removes one, and closes the rest on close', () => {
    const { conductor, subscription, images, unavailable } = twoSessions();
    expect(subscription.imageCount).toBe(2);
    expect(subscription.hasNoImages).toBe(false);
    expect(subscription.imageBySessionId(2)).toBe(images[1]);
    expect(subscription.imageBySessionId(3)).toBeNull();
    expect(subscription.imageAtIndex(0)).toBe(images[0]);
    expect(() => subscription.imageAtIndex(5)).toThrow(InvalidArgumentError);
    const before = subscription.images;
    conductor.removeImage(subscription, images[0]!.correlationId);
    expect(before).toHaveLength(2);
    expect(subscription.images).toEqual([images[1]]);
    expect(unavailable).toEqual([images[0]]);
    subscription.close();
    subscription.close();
    expect(conductor.removedSubscriptions).toEqual([subscription]);
    expect(unavailable).toEqual(images);
    expect(images.every((image) => image.isClosed)).toBe(true);
    expect(subscription.channelStatus()).toBe(-1);
  });
});

describe('per-image fragment assemblers', () => {
  it('reassemble fragmented messages; controlled ABORT redelivers the whole message', () => {
    const f = fixture();
    const big = payload(f.publication.maxPayloadLength * 2 + 1, 7);
    f.publication.offer(big);
    f.publication.offer(payload(3, 1));
    const got: Received[] = [];
    let aborts = 1;
    const controlledAssembler = new ImageControlledFragmentAssembler((buffer, offset, length, header) => {
      if (length > 100 && aborts-- > 0) return ControlledAction.ABORT;
      got.push(copy(buffer, offset, length, header));
      return ControlledAction.CONTINUE;
    });
    expect(f.image.controlledPoll(controlledAssembler.onFragment, 10)).toBe(2);
    expect(got).toHaveLength(0);
    expect(f.image.controlledPoll(controlledAssembler.onFragment, 10)).toBe(2);
    expect(got.map((r) => r.bytes)).toEqual([big, payload(3, 1)]);
    expect(got[0]!.position).toBe(f.publication.position() - 64);

    const again = fixture();
    again.publication.offer(big);
    const plain: Received[] = [];
    const assembler = new ImageFragmentAssembler((buffer, offset, length, header) =>
      plain.push(copy(buffer, offset, length, header)),
    );
    expect(again.image.poll(assembler.onFragment, 10)).toBe(3);
    expect(plain.map((r) => r.bytes)).toEqual([big]);
    expect(plain[0]!.flags & 0xc0).toBe(0xc0);
  });
});

describe('for await over a subscription', () => {
  it('yields message copies and ends when the subscription closes', async () => {
    const f = fixture();
    const big = payload(f.publication.maxPayloadLength + 10, 2);
    f.publication.offer(payload(4, 1));
    f.publication.offer(big);
    const messages: SubscriptionMessage[] = [];
    setTimeout(() => f.publication.offer(payload(4, 3)), 20);
    for await (const message of f.subscription) {
      messages.push(message);
      if (messages.length === 3) f.subscription.close();
    }
    expect(messages.map((m) => m.data)).toEqual([payload(4, 1), big, payload(4, 3)]);
    expect(messages[1]!.sessionId).toBe(f.log.sessionId);
    expect(messages[1]!.streamId).toBe(f.log.streamId);
    expect(messages[1]!.flags & 0xc0).toBe(0xc0);
    expect(messages[2]!.position).toBe(f.image.position);
  });

  it('ends cleanly when the signal aborts while idle, and on break', async () => {
    const f = fixture();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const seen: SubscriptionMessage[] = [];
    for await (const message of f.subscription.messages({ signal: controller.signal, idleSleepMs: 5 })) {
      seen.push(message);
    }
    expect(seen).toEqual([]);
    expect(f.subscription.isClosed).toBe(false);
    f.publication.offer(payload(2, 1));
    f.publication.offer(payload(2, 2));
    for await (const message of f.subscription) {
      seen.push(message);
      break;
    }
    expect(seen.map((m) => m.data)).toEqual([payload(2, 1)]);
  });
});
