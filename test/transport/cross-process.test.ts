import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';
import { RING_TRAILER_LENGTH } from '../../src/transport/ring-buffer-descriptor.ts';
import { type ChildResult, freshDir, runTsChild } from './support.ts';

const tmp = freshDir('xproc');
afterAll(() => tmp.remove());

const CAPACITY = 4096; // small, so producers wrap and wait for the consumer many times
const WRITERS = 2;
const MESSAGES = 10_000;
const ADDS = 20_000;

describe('cross-process exactness', () => {
  it('two producer processes and one consumer: every record exactly once, in per-producer order; exact 64-bit sum', async () => {
    const path = join(tmp.dir, 'ring.dat');
    using file = MappedFile.create(path, CAPACITY + RING_TRAILER_LENGTH + 64);
    const whole = new AtomicBuffer(file.buffer);
    const ring = new ManyToOneRingBuffer(whole.slice(0, CAPACITY + RING_TRAILER_LENGTH));
    const counterIndex = CAPACITY + RING_TRAILER_LENGTH;
    whole.putInt64Ordered(counterIndex, 2 ** 32 - 10_000); // the sum crosses the 32-bit boundary

    let finished = 0;
    const results: ChildResult[] = [];
    const children = Array.from({ length: WRITERS }, (_, w) =>
      runTsChild('ring-writer.ts', [path, String(CAPACITY), String(w), String(MESSAGES), String(ADDS)], 90_000).then(
        (r) => {
          results.push(r);
          finished++;
          return r;
        },
      ),
    );

    const nextSeq = new Array<number>(WRITERS).fill(0);
    let received = 0;
    let outOfOrder = 0;
    const deadline = Date.now() + 90_000;
    const handler = (type: number, buffer: AtomicBuffer, index: number, length: number): void => {
      expect(type).toBe(1);
      expect(length).toBe(8);
      const writer = buffer.getInt32(index);
      const seq = buffer.getInt32(index + 4);
      if (nextSeq[writer] !== seq) outOfOrder++;
      nextSeq[writer] = seq + 1;
      received++;
    };
    while (received < WRITERS * MESSAGES && Date.now() < deadline) {
      if (ring.read(handler) === 0) await new Promise((r) => setImmediate(r));
      if (finished === WRITERS && ring.size() === 0 && received < WRITERS * MESSAGES) break;
    }
    await Promise.all(children);
    while (ring.read(handler) > 0) {
      // drain what is left
    }
    for (const r of results) expect(r.stderr).toBe('');
    for (const r of results) expect(r.code).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(received).toBe(WRITERS * MESSAGES);
    expect(nextSeq).toEqual(new Array(WRITERS).fill(MESSAGES));
    expect(whole.getInt64VolatileBigInt(counterIndex)).toBe(BigInt(2 ** 32 - 10_000 + WRITERS * ADDS));
    expect(ring.producerPosition()).toBe(ring.consumerPosition());
  }, 120_000);

  it('hi-lo-hi volatile reads never observe a torn 64-bit value written by another process', async () => {
    const path = join(tmp.dir, 'int64.dat');
    using file = MappedFile.create(path, 4096);
    const buffer = new AtomicBuffer(file.buffer);
    const base = 2 ** 40;
    const step = 2 ** 32 + 12_345; // both halves change on every write
    const count = 2_000_000;
    buffer.putInt64Ordered(0, base);
    const child = runTsChild('int64-writer.ts', [path, String(base), String(step), String(count)], 90_000);
    let last = base;
    let reads = 0;
    let torn = 0;
    let backwards = 0;
    const deadline = Date.now() + 90_000;
    while (buffer.getInt32Volatile(8) === 0 && Date.now() < deadline) {
      for (let k = 0; k < 10_000; k++) {
        const v = buffer.getInt64Volatile(0);
        if ((v - base) % step !== 0) torn++;
        if (v < last) backwards++;
        last = v;
        reads++;
      }
      await new Promise((r) => setImmediate(r));
    }
    const result = await child;
    expect(result.code).toBe(0);
    expect(torn).toBe(0);
    expect(backwards).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(buffer.getInt64Volatile(0)).toBe(base + count * step);
  }, 120_000);
});
