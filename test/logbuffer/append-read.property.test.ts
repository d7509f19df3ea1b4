import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { APPEND_ADMIN_ACTION } from '../../src/logbuffer/append-result.ts';
import { ExclusiveTermAppender } from '../../src/logbuffer/exclusive-term-appender.ts';
import { computeMaxMessageLength } from '../../src/logbuffer/frame-descriptor.ts';
import { computePosition, positionBitsToShift } from '../../src/logbuffer/log-buffer-descriptor.ts';
import { TermAppender } from '../../src/logbuffer/term-appender.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { Int64Halves } from '../../src/transport/int64-words.ts';
import { concurrentOffer, messageBytes, TestSubscriber } from './support/log-harness.ts';
import { createTestLog } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;
/** Logs a `TestSubscriber` reads are files here (its `Image` maps them). */
const dir = makeTestDir('logbuffer');
afterAll(() => removeDir(dir));
const WINDOW = TERM_LENGTH / 2;
const MAX_MESSAGE = computeMaxMessageLength(TERM_LENGTH);

const initialTermIdArb = fc.oneof(
  fc.constantFrom(0x7fffffff, 0x7ffffffe, 0x7ffffffd, -0x80000000, 0, -1),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
);
const lengthArb = fc.oneof(
  fc.integer({ min: 0, max: MAX_MESSAGE }),
  fc.integer({ min: 0, max: 200 }),
  fc.constantFrom(0, 1, 1375, 1376, 1377, 2752, 2753, MAX_MESSAGE - 1, MAX_MESSAGE),
);
const mtuArb = fc.constantFrom(1408, 4096, 96, 8192 + 32);

function checkDelivery(
  subscriber: TestSubscriber,
  published: { bytes: Uint8Array; position: number }[],
  initialTermId: number,
): void {
  const shift = positionBitsToShift(TERM_LENGTH);
  expect(subscriber.errors).toEqual([]);
  expect(subscriber.delivered.length).toBe(published.length);
  let last = 0;
  for (let i = 0; i < published.length; i++) {
    const got = subscriber.delivered[i]!;
    const want = published[i]!;
    expect(got.position).toBe(want.position);
    expect(got.position).toBeGreaterThan(last);
    last = got.position;
    expect(Buffer.from(got.bytes).equals(Buffer.from(want.bytes))).toBe(true);
    expect(got.flags & 0xc0).toBe(0xc0);
    // The message starts at its header's term offset in its term; position after it matches.
    expect(computePosition(got.termId, got.termOffset, shift, initialTermId)).toBeLessThan(got.position);
  }
}

describe('exclusive appender → term reader + fragment assembler', () => {
  it('delivers every message once, in order, byte-identical, across term rotations', () => {
    fc.assert(
      fc.property(
        initialTermIdArb,
        mtuArb,
        fc.array(lengthArb, { minLength: 1, maxLength: 150, size: 'max' }),
        fc.integer({ min: 1, max: 20 }),
        (initialTermId, mtu, lengths, pollLimit) => {
          const log = createTestLog({ termLength: TERM_LENGTH, initialTermId, mtu, dir });
          const appender = new ExclusiveTermAppender({
            termBuffers: log.terms,
            metadata: log.metadata,
            headerWriter: new HeaderWriter(log.defaultHeader),
            initialTermId,
            maxPayloadLength: mtu - 32,
          });
          const subscriber = new TestSubscriber(log, initialTermId);
          const published: { bytes: Uint8Array; position: number }[] = [];
          let adminActions = 0;
          for (let i = 0; i < lengths.length; i++) {
            const bytes = messageBytes(i, lengths[i]!);
            for (let attempt = 0; ; attempt++) {
              expect(attempt).toBeLessThan(10_000);
              if (appender.position() >= subscriber.position + WINDOW) {
                subscriber.poll(pollLimit);
                continue;
              }
              const result = appender.append(bytes, 0, bytes.length);
              if (result === APPEND_ADMIN_ACTION) {
                adminActions++;
                continue;
              }
              expect(result).toBeGreaterThan(0);
              expect(result).toBe(appender.position());
              published.push({ bytes, position: result });
              break;
            }
            if (i % 3 === 0) subscriber.poll(pollLimit);
          }
          subscriber.drain();
          checkDelivery(subscriber, published, initialTermId);
          expect(subscriber.position).toBe(appender.position());
          expect(adminActions).toBe(Math.floor((appender.position() - 1) / TERM_LENGTH));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('concurrent appender → term reader + fragment assembler', () => {
  it('delivers every message once, in order, byte-identical, across term rotations', () => {
    fc.assert(
      fc.property(
        initialTermIdArb,
        mtuArb,
        fc.array(lengthArb, { minLength: 1, maxLength: 150, size: 'max' }),
        (initialTermId, mtu, lengths) => {
          const log = createTestLog({ termLength: TERM_LENGTH, initialTermId, mtu, dir });
          const options = {
            termBuffers: log.terms,
            metadata: log.metadata,
            headerWriter: new HeaderWriter(log.defaultHeader),
            initialTermId,
            maxPayloadLength: mtu - 32,
          };
          // Two producers sharing the log (as two processes would), alternating.
          const producers = [new TermAppender(options), new TermAppender(options)];
          const tail = new Int64Halves();
          const subscriber = new TestSubscriber(log, initialTermId);
          const published: { bytes: Uint8Array; position: number }[] = [];
          for (let i = 0; i < lengths.length; i++) {
            const bytes = messageBytes(i, lengths[i]!);
            const producer = producers[i % 2]!;
            for (let attempt = 0; ; attempt++) {
              expect(attempt).toBeLessThan(10_000);
              const result = concurrentOffer(log, producer, initialTermId, subscriber.position + WINDOW, bytes, tail);
              if (result === -2) {
                subscriber.poll(7);
                continue;
              }
              if (result === APPEND_ADMIN_ACTION) continue;
              expect(result).toBeGreaterThan(0);
              published.push({ bytes, position: result });
              break;
            }
          }
          subscriber.drain();
          checkDelivery(subscriber, published, initialTermId);
        },
      ),
      { numRuns: 60 },
    );
  });
});
