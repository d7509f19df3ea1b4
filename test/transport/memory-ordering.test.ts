import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { MEMORY_ORDERING_ENV } from '../../src/transport/memory-ordering.ts';
import { freshDir, runTsChild } from './support.ts';

const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

/** Values 0 ≤ v < 2^53, weighted towards the multiples of 2^32 (where a torn pair of 32-bit stores would show). */
const int64Values = fc.oneof(
  fc.integer({ min: 0, max: TWO_POW_53 - 1 }),
  fc
    .tuple(fc.integer({ min: 0, max: 2 ** 21 - 1 }), fc.integer({ min: -3, max: 3 }))
    .map(([high, delta]) => Math.min(TWO_POW_53 - 1, Math.max(0, high * TWO_POW_32 + delta))),
  fc.constantFrom(0, 1, TWO_POW_32 - 1, TWO_POW_32, TWO_POW_32 + 1, 2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, TWO_POW_53 - 1),
);

/** Every reader of a 64-bit word agrees that the word holds exactly `value`. */
function expectWordHolds(buffer: AtomicBuffer, index: number, value: number): void {
  const view = new DataView(buffer.arrayBuffer, buffer.byteOffset, buffer.capacity);
  expect(view.getBigInt64(index, true)).toBe(BigInt(value));
  expect(buffer.getInt64VolatileBigInt(index)).toBe(BigInt(value));
  expect(buffer.getInt64Volatile(index)).toBe(value);
  const low = view.getUint32(index, true);
  const high = view.getInt32(index + 4, true);
  expect(high * TWO_POW_32 + low).toBe(value);
}

function describeRelease(load: () => Promise<typeof AtomicBuffer>): void {
  it('writes exactly the value every reader sees, across multiples of 2^32', async () => {
    const Buffer = await load();
    const buffer = new Buffer(new ArrayBuffer(64));
    fc.assert(
      fc.property(int64Values, fc.constantFrom(0, 8, 32, 56), (value, index) => {
        buffer.putInt64Release(index, value);
        expectWordHolds(buffer, index, value);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes −1, −0 as 0, other negatives and values beyond 2^53 exactly (those through a BigInt)', async () => {
    const Buffer = await load();
    const buffer = new Buffer(new ArrayBuffer(16));
    buffer.putInt64Release(8, -1);
    expect(buffer.getInt64VolatileBigInt(8)).toBe(-1n);
    buffer.putInt64Release(8, -0);
    expect(buffer.getInt64VolatileBigInt(8)).toBe(0n);
    buffer.putInt64Release(8, -(2 ** 40) - 7);
    expect(buffer.getInt64VolatileBigInt(8)).toBe(-(2n ** 40n) - 7n);
    buffer.putInt64Release(8, 2 ** 60);
    expect(buffer.getInt64VolatileBigInt(8)).toBe(2n ** 60n);
    buffer.putInt64Release(8, 2 ** 63);
    expect(buffer.getInt64VolatileBigInt(8)).toBe(0x7fff_ffff_ffff_ffffn);
  });

  it('checks bounds, alignment and (outside [0, 2^53)) integrality', async () => {
    const Buffer = await load();
    const buffer = new Buffer(new ArrayBuffer(16));
    // Codes, not classes: the forced-Atomics run loads fresh copies of the modules.
    expect(() => buffer.putInt64Release(12, 1)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    expect(() => buffer.putInt64Release(4, 1)).toThrow(expect.objectContaining({ code: 'MISALIGNED' }));
    expect(() => buffer.putInt64Release(16, 1)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    expect(() => buffer.putInt64Release(0, -1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
}

describe('AtomicBuffer.putInt64Release', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  describe('with the platform choice', () => {
    describeRelease(async () => AtomicBuffer);
  });

  describe(`with ${MEMORY_ORDERING_ENV}=atomics`, () => {
    describeRelease(async () => {
      vi.stubEnv(MEMORY_ORDERING_ENV, 'atomics');
      vi.resetModules();
      const ordering = await import('../../src/transport/memory-ordering.ts');
      expect(ordering.PLAIN_STORE_IS_RELEASE).toBe(false);
      return (await import('../../src/transport/atomic-buffer.ts')).AtomicBuffer;
    });
  });
});

const tmp = freshDir('memory-ordering');
afterAll(() => tmp.remove());

describe.each([
  { ordering: 'the platform choice', forceAtomics: false },
  { ordering: `${MEMORY_ORDERING_ENV}=atomics`, forceAtomics: true },
])('putInt64Release across processes with $ordering', ({ forceAtomics }) => {
  it('a reader doing ONE 64-bit load (as Java does) never sees a torn value', async () => {
    // fixtures/int64-writer.ts stores base + i × step with putInt64Ordered, the same store as putInt64Release; both
    // halves change on every write, so a value written as two 32-bit stores shows up here (a mutant writer storing
    // the halves one after the other gave ~1 M torn reads of 2 M values, with either ordering).
    const path = join(tmp.dir, `int64-${forceAtomics}.dat`);
    using file = MappedFile.create(path, 4096);
    const buffer = new AtomicBuffer(file.buffer);
    const words = new BigInt64Array(file.buffer, 0, 1);
    const base = 2 ** 40;
    const step = 2 ** 32 + 12_345;
    const count = 2_000_000;
    buffer.putInt64Release(0, base);
    const previous = process.env[MEMORY_ORDERING_ENV];
    if (forceAtomics) process.env[MEMORY_ORDERING_ENV] = 'atomics';
    else delete process.env[MEMORY_ORDERING_ENV];
    let child: ReturnType<typeof runTsChild>;
    try {
      child = runTsChild('int64-writer.ts', [path, String(base), String(step), String(count)], 90_000);
    } finally {
      if (previous === undefined) delete process.env[MEMORY_ORDERING_ENV];
      else process.env[MEMORY_ORDERING_ENV] = previous;
    }
    const bigBase = BigInt(base);
    const bigStep = BigInt(step);
    let last = bigBase;
    let reads = 0;
    let torn = 0;
    let backwards = 0;
    const deadline = Date.now() + 90_000;
    while (buffer.getInt32Volatile(8) === 0 && Date.now() < deadline) {
      for (let k = 0; k < 10_000; k++) {
        const value = Atomics.load(words, 0);
        if ((value - bigBase) % bigStep !== 0n) torn++;
        if (value < last) backwards++;
        last = value;
        reads++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(torn).toBe(0);
    expect(backwards).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(Atomics.load(words, 0)).toBe(bigBase + BigInt(count) * bigStep);
  }, 120_000);
});
