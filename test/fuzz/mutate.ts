/**
 * Byte-level mutations for the fuzzer, and cheap seeded fills (generating kilobytes through fast-check for
 * each of a million inputs would dominate the run; a seed is generated instead and the bytes derived from it,
 * so an input stays reproducible from its fast-check seed and path).
 *
 * Mutations: flip a bit, set a byte, set a 16/32/64-bit little-endian word to an extreme (0, 1, -1, MAX, MIN,
 * lengths just past a boundary; the way length fields become hostile), truncate, or append random bytes.
 */
import fc from 'fast-check';

export interface Mutation {
  readonly kind: number;
  readonly at: number;
  readonly value: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.integer({ min: 0, max: 6 }),
  at: fc.nat(),
  value: fc.integer(),
});

export const mutationsArb: fc.Arbitrary<readonly Mutation[]> = fc.array(mutationArb, { minLength: 1, maxLength: 6 });

const EXTREMES_32 = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 8, 32, 4096] as const;
const EXTREMES_16 = [0, 1, 0xffff, 0x7fff, 0x8000, 8, 32] as const;
const EXTREMES_64 = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 32n] as const;

function pick<T>(values: readonly T[], selector: number): T {
  return values[Math.abs(selector) % values.length] as T;
}

/** A small xorshift32 fill: deterministic bytes from a seed. */
export function fillSeeded(bytes: Uint8Array, seed: number, from = 0, to = bytes.length): void {
  let x = seed | 0 || 0x9e3779b9;
  for (let i = from; i < to; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
}

/** Applies mutations to a copy of `input` and returns it (length may change). */
export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const scratch = new Uint8Array(input.length + MAX_GROWTH * mutations.length);
  scratch.set(input, 0);
  return scratch.slice(0, mutateInto(scratch, input.length, mutations));
}

/** Most bytes one mutation appends. */
export const MAX_GROWTH = 64;

/**
 * Applies mutations in place to the first `length` bytes of `bytes` and returns the new length (the same
 * result as `mutate`, without allocating). `bytes` must have room for growth: `length + MAX_GROWTH *
 * mutations.length` bytes. Bytes past the returned length are left as they were.
 */
export function mutateInto(bytes: Uint8Array, length: number, mutations: readonly Mutation[]): number {
  let n = length;
  for (const m of mutations) {
    switch (m.kind) {
      case 0:
        if (n > 0) bytes[m.at % n] = (bytes[m.at % n] ?? 0) ^ (1 << (Math.abs(m.value) % 8));
        break;
      case 1:
        if (n > 0) bytes[m.at % n] = m.value & 0xff;
        break;
      case 2:
        if (n >= 2) putUint16(bytes, m.at % (n - 1), pick(EXTREMES_16, m.value));
        break;
      case 3:
        if (n >= 4) putInt32(bytes, m.at % (n - 3), pick(EXTREMES_32, m.value));
        break;
      case 4:
        if (n >= 8) {
          const value = pick(EXTREMES_64, m.value);
          const at = m.at % (n - 7);
          putInt32(bytes, at, Number(BigInt.asIntN(32, value)));
          putInt32(bytes, at + 4, Number(BigInt.asIntN(32, value >> 32n)));
        }
        break;
      case 5:
        n = n === 0 ? 0 : m.at % (n + 1);
        break;
      default: {
        const extra = 1 + (Math.abs(m.value) % MAX_GROWTH);
        fillSeeded(bytes, m.at ^ m.value, n, n + extra);
        n += extra;
      }
    }
  }
  return n;
}

function putUint16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
}

function putInt32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}
