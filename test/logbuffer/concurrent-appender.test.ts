import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { APPEND_ADMIN_ACTION } from '../../src/logbuffer/append-result.ts';
import { BufferClaim } from '../../src/logbuffer/buffer-claim.ts';
import { HDR_TYPE_PAD } from '../../src/logbuffer/data-header-flyweight.ts';
import {
  activeTermCount,
  computePosition,
  packTail,
  rawTailTermOffset,
  rawTailVolatile,
  readRawTailVolatile,
  rotateLog,
  setRawTail,
} from '../../src/logbuffer/log-buffer-descriptor.ts';
import { TermAppender } from '../../src/logbuffer/term-appender.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { Int64Halves } from '../../src/transport/int64-words.ts';
import { frameType, messageBytes, TestSubscriber } from './support/log-harness.ts';
import { createTestLog, type TestLog } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;
/** Logs a `TestSubscriber` reads are files here (its `Image` maps them). */
const dir = makeTestDir('logbuffer');
afterAll(() => removeDir(dir));

const realAtomicsAdd = Atomics.add;
afterEach(() => {
  Atomics.add = realAtomicsAdd;
});

/**
 * Runs `before` / `after` around the next `Atomics.add` on `words` (the appender's add on the tail), to simulate
 * another producer acting just before or just after it.
 */
function aroundNextAdd(words: Int32Array, hooks: { before?: () => void; after?: () => void }): void {
  Atomics.add = ((array: Int32Array, index: number, value: number): number => {
    if (array !== words) return realAtomicsAdd(array, index, value);
    Atomics.add = realAtomicsAdd;
    hooks.before?.();
    const result = realAtomicsAdd(array, index, value);
    hooks.after?.();
    return result;
  }) as typeof Atomics.add;
}

function appenderFor(log: TestLog, initialTermId: number): TermAppender {
  return new TermAppender({
    termBuffers: log.terms,
    metadata: log.metadata,
    headerWriter: new HeaderWriter(log.defaultHeader),
    initialTermId,
    maxPayloadLength: 1376,
  });
}

describe('concurrent appender: 32-bit tail add with hi-before/hi-after term id resolution', () => {
  it('uses the new term id when a rotation re-used the partition before the add landed', () => {
    const initialTermId = 100;
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId });
    const meta = log.metadata;
    const appender = appenderFor(log, initialTermId);
    // Term 100 in partition 0 is tripped, and the log has moved on to 102; a stalled producer now adds
    // to partition 0 just after the rotation to 103 re-initialised it.
    setRawTail(meta, 0, 100, TERM_LENGTH + 64);
    rotateLog(meta, 0, 100);
    rotateLog(meta, 1, 101);
    aroundNextAdd(meta.int32View, { before: () => rotateLog(meta, 2, 102) }); // partition 0 becomes (103, 0)
    const message = messageBytes(1, 100);
    const position = appender.appendUnfragmented(0, message, 0, message.length);
    expect(position).toBe(computePosition(103, 160, 16, initialTermId));
    expect(log.terms[0]!.getInt32(0)).toBe(132);
    expect(log.terms[0]!.getInt32(20)).toBe(103);
  });

  it('treats an add that landed on a tripped term just before the rotation as an overshoot', () => {
    const initialTermId = 100;
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId });
    const meta = log.metadata;
    const appender = appenderFor(log, initialTermId);
    setRawTail(meta, 0, 100, TERM_LENGTH + 64);
    rotateLog(meta, 0, 100);
    rotateLog(meta, 1, 101);
    // The rotation CAS saw our add (expected value includes it): emulate by re-reading and rotating.
    aroundNextAdd(meta.int32View, { after: () => rotateLog(meta, 2, 102) });
    const message = messageBytes(1, 100);
    const result = appender.appendUnfragmented(0, message, 0, message.length);
    expect(result).toBe(APPEND_ADMIN_ACTION);
    expect(rawTailVolatile(meta, 0)).toBe(packTail(103, 0));
    expect(log.terms[0]!.getInt32(0)).toBe(0); // nothing written into the new term
    expect(activeTermCount(meta)).toBe(3);
  });

  it('never carries into the term id: the low word wraps on its own', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 5 });
    const meta = log.metadata;
    setRawTail(meta, 0, 5, 0xffffffe0);
    meta.getAndAddInt32(0, 64);
    expect(rawTailVolatile(log.metadata, 0)).toBe(packTail(5, 32));
  });
});

describe('concurrent appender: interleaved claims from two producers', () => {
  it('delivers committed claims in position order, aborted claims skipped, across rotations', () => {
    type Op = { producer: 0 | 1; length: number; abort: boolean };
    const opArb = fc.record({
      producer: fc.constantFrom<0 | 1>(0, 1),
      length: fc.integer({ min: 0, max: 1376 }),
      abort: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.array(opArb, { minLength: 1, maxLength: 300, size: 'max' }),
        (initialTermId, ops: Op[]) => {
          const log = createTestLog({ termLength: TERM_LENGTH, initialTermId, dir });
          const producers = [appenderFor(log, initialTermId), appenderFor(log, initialTermId)];
          const claims = [new BufferClaim(), new BufferClaim()];
          const open: ({ bytes: Uint8Array; position: number; abort: boolean } | null)[] = [null, null];
          const expected: { bytes: Uint8Array; position: number }[] = [];
          const subscriber = new TestSubscriber(log, initialTermId);
          const tail = new Int64Halves();
          const settle = (p: number): void => {
            const pending = open[p];
            if (!pending) return;
            const claim = claims[p]!;
            claim.putBytes(0, pending.bytes, 0, pending.bytes.length);
            if (pending.abort) claim.abort();
            else {
              claim.commit();
              expected.push(pending);
            }
            open[p] = null;
          };
          ops.forEach((op, i) => {
            // A producer commits its previous claim before claiming again; the other may still hold one.
            settle(op.producer);
            const bytes = messageBytes(i, op.length);
            for (let attempt = 0; ; attempt++) {
              expect(attempt).toBeLessThan(1000);
              const termCount = activeTermCount(log.metadata);
              const index = termCount % 3;
              readRawTailVolatile(log.metadata.int32View, index, tail);
              if (termCount !== ((tail.high - initialTermId) | 0)) continue;
              const position = computePosition(tail.high, rawTailTermOffset(tail, TERM_LENGTH), 16, initialTermId);
              if (position >= subscriber.position + TERM_LENGTH / 2) {
                // Back pressured: the consumer can only pass claims that are settled.
                settle(op.producer ^ 1);
                subscriber.poll(5);
                continue;
              }
              const result = producers[op.producer]!.claim(index, op.length, claims[op.producer]!);
              if (result === APPEND_ADMIN_ACTION) continue;
              expect(result).toBeGreaterThan(0);
              open[op.producer] = { bytes, position: result, abort: op.abort };
              break;
            }
            if (i % 4 === 0) subscriber.poll(3);
          });
          settle(0);
          settle(1);
          subscriber.drain();
          expected.sort((a, b) => a.position - b.position);
          expect(subscriber.delivered.map((d) => d.position)).toEqual(expected.map((e) => e.position));
          subscriber.delivered.forEach((d, i) => {
            expect(Buffer.from(d.bytes).equals(Buffer.from(expected[i]!.bytes))).toBe(true);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('abort turns the claimed frame into padding', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 0 });
    const claim = new BufferClaim();
    const position = appenderFor(log, 0).claim(0, 64, claim);
    expect(position).toBe(96);
    expect(log.terms[0]!.getInt32(0)).toBe(-96);
    claim.abort();
    expect(log.terms[0]!.getInt32(0)).toBe(96);
    expect(frameType(log.terms[0]!, 0)).toBe(HDR_TYPE_PAD);
  });
});
