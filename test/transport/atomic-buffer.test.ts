import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtomicBuffer, LONG_MAX_VALUE, LONG_MIN_VALUE } from '../../src/transport/atomic-buffer.ts';
import { AtomicBufferError } from '../../src/transport/transport-error.ts';

const newBuffer = (length = 64): AtomicBuffer => new AtomicBuffer(new ArrayBuffer(length));

describe('AtomicBuffer', () => {
  it('stores little-endian plain values', () => {
    const b = newBuffer();
    b.putInt32(0, 0x01020304);
    expect([...b.bytes.subarray(0, 4)]).toEqual([4, 3, 2, 1]);
    b.putInt16(8, -2);
    expect(b.getInt16(8)).toBe(-2);
    expect(b.getUint16(8)).toBe(0xfffe);
    b.putInt8(10, -1);
    expect(b.getUint8(10)).toBe(255);
    b.putFloat64(16, Math.PI);
    expect(b.getFloat64(16)).toBe(Math.PI);
    b.putFloat32(24, 1.5);
    expect(b.getFloat32(24)).toBe(1.5);
  });

  it('round-trips safe 64-bit integers through every accessor pair', () => {
    const b = newBuffer();
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom(0, 8, 16, 24), (value, index) => {
        b.putInt64(index, value);
        expect(b.getInt64(index)).toBe(value);
        expect(b.getInt64Volatile(index)).toBe(value);
        expect(b.getInt64VolatileBigInt(index)).toBe(BigInt(value));
        b.putInt64Ordered(index, value);
        expect(b.getInt64BigInt(index)).toBe(BigInt(value));
        expect(b.getInt64Volatile(index)).toBe(value);
        return true;
      }),
    );
  });

  it('reads arbitrary 64-bit words as the nearest double, exactly within 2^53', () => {
    const b = newBuffer();
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        b.putInt64BigInt(0, value);
        expect(b.getInt64Volatile(0)).toBe(Number(value));
        expect(b.getInt64(0)).toBe(Number(value));
        return true;
      }),
    );
  });

  it('documents Long.MAX/MIN semantics: MAX reads as 2^63 and writes saturate back to MAX', () => {
    const b = newBuffer();
    b.putInt64BigInt(0, 2n ** 63n - 1n);
    expect(b.getInt64Volatile(0)).toBe(LONG_MAX_VALUE);
    b.putInt64(8, LONG_MAX_VALUE);
    expect(b.getInt64BigInt(8)).toBe(2n ** 63n - 1n);
    b.putInt64Ordered(16, LONG_MAX_VALUE);
    expect(b.getInt64BigInt(16)).toBe(2n ** 63n - 1n);
    b.putInt64Ordered(24, LONG_MIN_VALUE);
    expect(b.getInt64BigInt(24)).toBe(-(2n ** 63n));
    expect(b.getInt64Volatile(24)).toBe(LONG_MIN_VALUE);
    b.putInt64(0, -1);
    expect(b.getInt64BigInt(0)).toBe(-1n);
  });

  it('does 32- and 64-bit atomic read-modify-write', () => {
    const b = newBuffer();
    expect(b.compareAndSetInt32(4, 0, 7)).toBe(true);
    expect(b.compareAndSetInt32(4, 0, 8)).toBe(false);
    expect(b.getAndAddInt32(4, 3)).toBe(7);
    expect(b.getInt32Volatile(4)).toBe(10);
    b.putInt32Ordered(4, -5);
    expect(b.getInt32(4)).toBe(-5);
    expect(b.compareAndSetInt64(8, 0, 2 ** 40)).toBe(true);
    expect(b.compareAndSetInt64(8, 0, 1)).toBe(false);
    expect(b.getAndAddInt64(8, 5)).toBe(2 ** 40);
    expect(b.getInt64Volatile(8)).toBe(2 ** 40 + 5);
  });

  it('rejects out-of-bounds and misaligned accesses with typed errors', () => {
    const b = newBuffer(16);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(AtomicBufferError);
        return (e as AtomicBufferError).code;
      }
      return undefined;
    };
    expect(code(() => b.getInt32(13))).toBe('OUT_OF_BOUNDS');
    expect(code(() => b.getInt64(-1))).toBe('OUT_OF_BOUNDS');
    expect(code(() => b.putBytes(10, new Uint8Array(8), 0, 8))).toBe('OUT_OF_BOUNDS');
    expect(code(() => b.getInt32Volatile(2))).toBe('MISALIGNED');
    expect(code(() => b.getInt64Volatile(4))).toBe('MISALIGNED');
    expect(code(() => new AtomicBuffer(new ArrayBuffer(8), 4, 8))).toBe('OUT_OF_BOUNDS');
    const odd = new AtomicBuffer(new ArrayBuffer(32), 4, 16);
    expect(code(() => odd.getInt64Volatile(0))).toBe('MISALIGNED');
    expect(odd.getInt32Volatile(0)).toBe(0);
    expect(code(() => odd.verifyAlignment())).toBe('MISALIGNED');
  });

  it('works on a window of a larger buffer', () => {
    const ab = new ArrayBuffer(64);
    const outer = new AtomicBuffer(ab);
    const inner = outer.slice(16, 16);
    inner.putInt64Ordered(8, 42);
    expect(outer.getInt64(24)).toBe(42);
    expect(inner.capacity).toBe(16);
  });

  it('puts and gets ASCII strings as Agrona does (int32 length + bytes, non-ASCII -> ?)', () => {
    const b = newBuffer();
    expect(b.putStringAscii(0, 'aeron:ipc')).toBe(13);
    expect(b.getInt32(0)).toBe(9);
    expect(b.getStringAscii(0)).toBe('aeron:ipc');
    b.putStringAscii(20, 'café');
    expect(b.getStringAscii(20)).toBe('caf?');
    b.putInt8(24, -56);
    expect(b.getStringAscii(20)).toBe('\ufffdaf?');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019:/?=&'.split('')), maxLength: 40 }), (s) => {
        b.putStringAscii(8, s);
        return b.getStringAscii(8) === s;
      }),
    );
  });

  it('copies bytes in and out', () => {
    const b = newBuffer();
    b.putBytes(3, Uint8Array.of(1, 2, 3, 4, 5), 1, 3);
    const out = new Uint8Array(6);
    b.getBytes(2, out, 1, 5);
    expect([...out]).toEqual([0, 0, 2, 3, 4, 0]);
    b.setMemory(0, 8, 0xff);
    expect(b.getInt64(0)).toBe(-1);
  });
});
