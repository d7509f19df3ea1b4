import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { LogFileOptions } from '../../harness/fake-driver.ts';
import { IpcFixture, LIMIT_COUNTER_ID, payload } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import type { ConcurrentPublication } from '../../src/client/concurrent-publication.ts';
import { MessageTooLongError } from '../../src/client/errors.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import {
  ADMIN_ACTION,
  BACK_PRESSURED,
  CLOSED,
  MAX_POSITION_EXCEEDED,
  NOT_CONNECTED,
  publicationErrorString,
} from '../../src/client/publication.ts';
import {
  BufferClaim,
  HDR_TYPE_DATA,
  HEADER_LENGTH,
  InvalidBlockError,
  setIsConnected,
} from '../../src/logbuffer/index.ts';

const dir = makeTestDir('publication');
afterAll(() => removeDir(dir));

const fixtures: IpcFixture<ConcurrentPublication | ExclusivePublication>[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.close();
});

function fixture<K extends 'concurrent' | 'exclusive'>(
  kind: K,
  options: LogFileOptions = {},
): IpcFixture<K extends 'exclusive' ? ExclusivePublication : ConcurrentPublication> {
  const f = new IpcFixture(kind, dir, options) as IpcFixture<
    K extends 'exclusive' ? ExclusivePublication : ConcurrentPublication
  >;
  fixtures.push(f);
  return f;
}

const KINDS = ['concurrent', 'exclusive'] as const;

describe.each(KINDS)('%s publication', (kind) => {
  it('exposes the log parameters', () => {
    const f = fixture(kind, { termLength: 64 * 1024, mtu: 1408, initialTermId: 42, sessionId: 77, streamId: 5 });
    const p = f.publication;
    expect(p.maxPayloadLength).toBe(1408 - HEADER_LENGTH);
    expect(p.maxMessageLength).toBe(8 * 1024);
    expect(p.termBufferLength).toBe(64 * 1024);
    expect(p.initialTermId).toBe(42);
    expect(p.sessionId).toBe(77);
    expect(p.streamId).toBe(5);
    expect(p.maxPossiblePosition).toBe(64 * 1024 * 2 ** 31);
    expect(p.position()).toBe(0);
    expect(p.positionLimit()).toBe(32 * 1024);
    expect(p.positionLimitId).toBe(LIMIT_COUNTER_ID);
    expect(p.availableWindow()).toBe(32 * 1024);
    expect(p.isConnected()).toBe(true);
    expect(p.isOriginal).toBe(true);
    expect(p.channelStatus()).toBe(1);
  });

  it('round-trips messages of any size across term rotations (property)', () => {
    const f = fixture(kind, { termLength: 64 * 1024, mtu: 1408, initialTermId: 0x7ffffffe });
    const p = f.publication;
    const max = p.maxPayloadLength;
    const sizes = fc.oneof(
      fc.constantFrom(0, 1, max - 1, max, max + 1, p.maxMessageLength),
      fc.integer({ min: 0, max: p.maxMessageLength }),
    );
    let seed = 0;
    // Deterministic part: 4 terms' worth of maximum-length messages (rotations and the term-id wrap).
    const fixed: Uint8Array[] = [];
    for (let i = 0; i < 32; i++) {
      const message = payload(p.maxMessageLength, seed++);
      fixed.push(message);
      f.offerAll(message);
    }
    f.drain();
    expect(f.received.map((r) => r.bytes)).toEqual(fixed);
    expect(p.position()).toBeGreaterThan(3 * 64 * 1024);
    fc.assert(
      fc.property(fc.array(sizes, { minLength: 1, maxLength: 40 }), (lengths) => {
        f.received.length = 0;
        const sent: Uint8Array[] = [];
        let lastPosition = 0;
        for (const length of lengths) {
          const message = payload(length, seed++);
          sent.push(message);
          lastPosition = f.offerAll(message);
          if (sent.length % 3 === 0) f.drain();
        }
        f.drain();
        expect(f.received.map((r) => r.bytes)).toEqual(sent);
        expect(f.received.at(-1)!.position).toBe(lastPosition);
        expect(f.image.position).toBe(lastPosition);
        expect(p.position()).toBe(lastPosition);
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  it('fragments a message longer than maxPayloadLength and reassembles it with a B..E header', () => {
    const f = fixture(kind);
    const message = payload(f.publication.maxPayloadLength * 2 + 5, 3);
    const position = f.offerAll(message);
    expect(f.drain()).toBe(3);
    expect(f.received).toHaveLength(1);
    expect(f.received[0]!.bytes).toEqual(message);
    expect(f.received[0]!.flags & 0xc0).toBe(0xc0);
    expect(f.received[0]!.position).toBe(position);
  });

  it('rejects a message longer than maxMessageLength and a negative length', () => {
    const f = fixture(kind);
    const p = f.publication;
    expect(() => p.offer(new Uint8Array(p.maxMessageLength + 1))).toThrow(MessageTooLongError);
    try {
      p.offer(new Uint8Array(p.maxMessageLength + 1));
    } catch (e) {
      expect((e as MessageTooLongError).code).toBe('MESSAGE_TOO_LONG');
      expect((e as MessageTooLongError).maxLength).toBe(p.maxMessageLength);
    }
    expect(() => p.offer(new Uint8Array(10), 0, -1)).toThrow(InvalidArgumentError);
    expect(() => p.offer(new Uint8Array(10), 5, 10)).toThrow(InvalidArgumentError);
  });

  it('offers a sub-range and vectors (fragmented or not)', () => {
    const f = fixture(kind);
    const p = f.publication;
    const whole = payload(100, 9);
    f.offerAll(new Uint8Array(0));
    expect(p.offer(whole, 10, 50)).toBeGreaterThan(0);
    const big = payload(p.maxPayloadLength * 3, 4);
    const parts = [big.subarray(0, 7), big.subarray(7, 7), big.subarray(7, 2000), big.subarray(2000)];
    expect(p.offerVectors(parts)).toBeGreaterThan(0);
    expect(p.offerVectors([whole.subarray(0, 3), whole.subarray(3, 9)])).toBeGreaterThan(0);
    f.drain();
    expect(f.received.map((r) => r.bytes)).toEqual([
      new Uint8Array(0),
      whole.subarray(10, 60),
      big,
      whole.subarray(0, 9),
    ]);
  });

  it('writes the reserved value supplied per frame', () => {
    const f = fixture(kind);
    let calls = 0;
    const supplier = (_buffer: unknown, termOffset: number, frameLength: number): number => {
      calls++;
      return termOffset * 1_000_000 + frameLength;
    };
    f.publication.offer(payload(10, 1), 0, 10, supplier);
    f.drain();
    expect(calls).toBe(1);
    expect(f.received[0]!.reservedValue).toBe(0 * 1_000_000 + 10 + HEADER_LENGTH);
    f.publication.offer(payload(10, 1), 0, 10, () => 2n ** 40n + 3n);
    f.drain();
    expect(f.received[1]!.reservedValue).toBe(2 ** 40 + 3);
  });

  it('tryClaim then commit delivers; abort is skipped as padding', () => {
    const f = fixture(kind);
    const p = f.publication;
    const claim = new BufferClaim();
    const first = p.tryClaim(16, claim);
    expect(first).toBe(64);
    expect(claim.length).toBe(16);
    claim.putBytes(0, payload(16, 5), 0, 16);
    claim.setReservedValue(77);
    claim.commit();
    expect(p.tryClaim(40, claim)).toBe(64 + 96);
    claim.abort();
    expect(p.tryClaim(0, claim)).toBe(64 + 96 + 32);
    claim.commit();
    f.drain();
    expect(f.received.map((r) => r.bytes)).toEqual([payload(16, 5), new Uint8Array(0)]);
    expect(f.received[0]!.reservedValue).toBe(77);
    expect(f.image.position).toBe(192);
    expect(() => p.tryClaim(p.maxPayloadLength + 1, claim)).toThrow(MessageTooLongError);
  });

  it('answers NOT_CONNECTED, then BACK_PRESSURED at the position limit', () => {
    const f = fixture(kind, { connected: false });
    const p = f.publication;
    f.counters.set(LIMIT_COUNTER_ID, 0);
    expect(p.offer(payload(8, 1))).toBe(NOT_CONNECTED);
    expect(p.tryClaim(8, new BufferClaim())).toBe(NOT_CONNECTED);
    expect(p.isConnected()).toBe(false);
    setIsConnected(f.publication.logBuffers.metaDataBuffer, true);
    expect(p.isConnected()).toBe(true);
    expect(p.offer(payload(8, 1))).toBe(BACK_PRESSURED);
    expect(p.offerVectors([payload(8, 1)])).toBe(BACK_PRESSURED);
    f.counters.set(LIMIT_COUNTER_ID, 1);
    expect(p.offer(payload(8, 1))).toBe(64);
    // Anything below the limit may go; the limit is checked before, not after, the append.
    expect(p.offer(payload(8, 1))).toBe(BACK_PRESSURED);
    expect(p.availableWindow()).toBe(1 - 64);
  });

  // Regression guard for limitNear (one load of the limit's low word, the high word from the last full read).
  it('decides back pressure from the exact limit while the limit and position cross 4 GiB boundaries (property)', () => {
    const termLength = 64 * 1024;
    const window = termLength / 2;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.integer({ min: -window, max: window }), fc.integer({ min: 0, max: 6 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (boundary, before, steps) => {
          const f = new IpcFixture(kind, dir, { termLength, startPosition: boundary * 2 ** 32 - before * 64 });
          try {
            const p = f.publication;
            for (const [delta, offers] of steps) {
              const limit = p.position() + delta;
              f.counters.set(LIMIT_COUNTER_ID, limit);
              for (let i = 0; i < offers; i++) {
                const position = p.position();
                const result = p.offer(payload(16, 1));
                // Below the limit: appended, or ADMIN_ACTION when the message trips the term (then it retries).
                if (position < limit) expect([position + 64, ADMIN_ACTION]).toContain(result);
                else expect(result).toBe(BACK_PRESSURED);
              }
            }
          } finally {
            f.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sees a limit that fell or rose across a 4 GiB boundary since its last full read', () => {
    const p0 = 2 ** 32 - 4096;
    const f = fixture(kind, { termLength: 64 * 1024, startPosition: p0 });
    const p = f.publication;
    f.counters.set(LIMIT_COUNTER_ID, 2 ** 32 + 1024); // high word 1
    expect(p.offer(payload(16, 1))).toBe(p0 + 64);
    f.counters.set(LIMIT_COUNTER_ID, p0 + 64); // fell to high word 0 (e.g. the last consumer left)
    expect(p.offer(payload(16, 1))).toBe(BACK_PRESSURED);
    f.counters.set(LIMIT_COUNTER_ID, p0 + 128);
    expect(p.offer(payload(16, 1))).toBe(p0 + 128);
    f.counters.set(LIMIT_COUNTER_ID, 2 ** 32 + 64); // rose to high word 1 again
    expect(p.offer(payload(16, 1))).toBe(p0 + 192);
    f.counters.set(LIMIT_COUNTER_ID, 2 ** 40); // far beyond any window: decided by the full read
    expect(p.offer(payload(16, 1))).toBe(p0 + 256);
    expect(p.availableWindow()).toBe(2 ** 40 - (p0 + 256));
  });

  it('answers ADMIN_ACTION when a message trips the term, then appends in the next term', () => {
    const termLength = 64 * 1024;
    const f = fixture(kind, { termLength, startPosition: termLength - 64 });
    const p = f.publication;
    f.counters.set(LIMIT_COUNTER_ID, 10 * termLength);
    expect(p.position()).toBe(termLength - 64);
    expect(p.offer(payload(100, 1))).toBe(ADMIN_ACTION);
    expect(p.position()).toBe(termLength);
    expect(p.offer(payload(100, 1))).toBe(termLength + 160);
  });

  it('answers MAX_POSITION_EXCEEDED at the end of the last term', () => {
    const termLength = 64 * 1024;
    const maxPosition = termLength * 2 ** 31;
    const f = fixture(kind, { termLength, startPosition: maxPosition - 64, initialTermId: 0 });
    const p = f.publication;
    expect(p.position()).toBe(maxPosition - 64);
    f.counters.set(LIMIT_COUNTER_ID, maxPosition + termLength);
    expect(p.offer(payload(10, 1))).toBe(maxPosition - 64 + 64);
    expect(p.offer(payload(10, 1))).toBe(MAX_POSITION_EXCEEDED);
    // At the limit, the back-pressure status also reports it.
    f.counters.set(LIMIT_COUNTER_ID, 0);
    expect(p.offer(payload(10, 1))).toBe(MAX_POSITION_EXCEEDED);
  });

  it('answers CLOSED after close, also once the log is unmapped', () => {
    const f = fixture(kind);
    const p = f.publication;
    f.offerAll(payload(10, 1));
    p.close();
    p.close();
    expect(f.conductor.released).toEqual([p]);
    expect(p.isClosed).toBe(true);
    expect(p.logBuffers.isClosed).toBe(true);
    expect(p.offer(payload(10, 1))).toBe(CLOSED);
    expect(p.offerVectors([payload(10, 1)])).toBe(CLOSED);
    expect(p.tryClaim(10, new BufferClaim())).toBe(CLOSED);
    expect(p.position()).toBe(CLOSED);
    expect(p.positionLimit()).toBe(CLOSED);
    expect(p.availableWindow()).toBe(CLOSED);
    expect(p.isConnected()).toBe(false);
    expect(p.channelStatus()).toBe(-1);
    expect(p.localSocketAddresses()).toEqual([]);
    return expect(p.addDestination('aeron:udp?endpoint=localhost:1')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('routes destinations and channel status through the conductor', async () => {
    const f = fixture(kind);
    const p = f.publication;
    await p.addDestination('aeron:udp?endpoint=localhost:1');
    await p.removeDestination('aeron:udp?endpoint=localhost:1');
    await p.removeDestinationById(9);
    expect(f.conductor.calls).toEqual([
      `addDestination ${p.originalRegistrationId} aeron:udp?endpoint=localhost:1`,
      `removeDestination ${p.originalRegistrationId} aeron:udp?endpoint=localhost:1`,
      `removeDestinationById ${p.originalRegistrationId} 9`,
    ]);
    const withStatus = f.conductor.newPublication(kind, f.log, LIMIT_COUNTER_ID, 3);
    f.conductor.channelStatusValue = 1;
    expect(withStatus.channelStatusId).toBe(3);
    expect(withStatus.localSocketAddresses()).toEqual(['127.0.0.1:40123']);
    f.conductor.channelStatusValue = -1;
    expect(withStatus.channelStatus()).toBe(-1);
    expect(withStatus.localSocketAddresses()).toEqual([]);
  });
});

describe('exclusive publication extras', () => {
  it('appendPadding advances the stream without delivering anything', () => {
    const f = fixture('exclusive');
    const p = f.publication;
    expect(p.appendPadding(100)).toBe(160);
    expect(p.offer(payload(4, 1))).toBe(160 + 64);
    f.drain();
    expect(f.received.map((r) => r.bytes)).toEqual([payload(4, 1)]);
    expect(() => p.appendPadding(10_000_000)).toThrow(InvalidArgumentError);
  });

  it('offerBlock appends pre-formatted frames and validates the first header', () => {
    const f = fixture('exclusive', { sessionId: 5, streamId: 6, initialTermId: 11 });
    const p = f.publication;
    f.offerAll(payload(8, 1));
    const block = new Uint8Array(64 + 64);
    const view = new DataView(block.buffer);
    for (const [at, length] of [
      [0, 40],
      [64, 33],
    ] as const) {
      view.setInt32(at, length, true);
      view.setInt8(at + 5, 0xc0);
      view.setInt16(at + 6, HDR_TYPE_DATA, true);
      view.setInt32(at + 8, p.termOffset + at, true);
      view.setInt32(at + 12, 5, true);
      view.setInt32(at + 16, 6, true);
      view.setInt32(at + 20, p.termId, true);
      block.fill(at + 1, at + 32, at + length);
    }
    expect(p.offerBlock(block, 0, block.length)).toBe(64 + 128);
    f.drain();
    expect(f.received.map((r) => r.bytes.length)).toEqual([8, 8, 1]);
    expect(f.received[2]!.bytes).toEqual(new Uint8Array([65]));
    // Wrong term offset now.
    expect(() => p.offerBlock(block, 0, 64)).toThrow(InvalidBlockError);
  });

  it('revoke closes with revokeOnClose', () => {
    const f = fixture('exclusive');
    const p = f.publication;
    p.revoke();
    expect(p.isClosed).toBe(true);
    expect(f.conductor.calls).toEqual([`removePublication ${p.registrationId} revoke=true`]);
    p.revoke();
    expect(f.conductor.calls).toHaveLength(1);
  });
});

describe('publicationErrorString', () => {
  it('names the sentinels', () => {
    expect([-1, -2, -3, -4, -5, -6, 0, 100].map(publicationErrorString)).toEqual([
      'NOT_CONNECTED',
      'BACK_PRESSURED',
      'ADMIN_ACTION',
      'CLOSED',
      'MAX_POSITION_EXCEEDED',
      'UNKNOWN',
      'NONE',
      'NONE',
    ]);
  });
});
