import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyFromView, copyToView } from '../../codecs/runtime/bytes.ts';
import { callerView } from '../../codecs/runtime/caller-view.ts';

/**
 * The var data / char array copy paths of `codecs/runtime/bytes.ts`: whole-array `set`, word copies with
 * a cached view of the caller's array (`caller-view.ts`), the byte fallback before a view is cached, and
 * `set` over a `subarray` above 256 bytes. Every path must copy exactly `length` bytes and touch nothing
 * else, for any length and any (unaligned) offset on either side.
 */

const view = (a: Uint8Array): DataView => new DataView(a.buffer, a.byteOffset, a.byteLength);

/** A caller array that is itself a window into a larger buffer (a non-zero, odd `byteOffset`). */
function windowed(bytes: Uint8Array, lead: number): Uint8Array {
  const backing = new Uint8Array(lead + bytes.length + 3).fill(0xee);
  const window = backing.subarray(lead, lead + bytes.length);
  window.set(bytes);
  return window;
}

const copyCase = fc.record({
  data: fc.uint8Array({ minLength: 0, maxLength: 300 }),
  start: fc.nat(16),
  trim: fc.nat(16),
  at: fc.nat(13),
  lead: fc.nat(7),
  /** How many times the copy repeats with the same caller array (a cached view appears after a few). */
  repeats: fc.integer({ min: 1, max: 12 }),
});

describe('copyToView (caller array -> flyweight buffer)', () => {
  it('copies whole and partial arrays at unaligned offsets, every path, and writes nothing else', () => {
    fc.assert(
      fc.property(copyCase, fc.boolean(), ({ data, start, trim, at, lead, repeats }, whole) => {
        const src = windowed(data, lead);
        const srcOffset = whole ? 0 : Math.min(start, src.length);
        const length = whole ? src.length : Math.max(0, src.length - srcOffset - trim);
        const dst = new Uint8Array(at + length + 9).fill(0xa5);
        const dstView = view(dst);
        for (let r = 0; r < repeats; r++) {
          dst.fill(0xa5);
          copyToView(src, srcOffset, dst, dstView, at, length);
          expect(Array.from(dst.subarray(at, at + length))).toEqual(
            Array.from(src.subarray(srcOffset, srcOffset + length)),
          );
          expect(dst.subarray(0, at).every((b) => b === 0xa5)).toBe(true);
          expect(dst.subarray(at + length).every((b) => b === 0xa5)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('copyFromView (flyweight buffer -> caller array)', () => {
  it('copies any length from unaligned offsets into unaligned windows, every path, and writes nothing else', () => {
    fc.assert(
      fc.property(copyCase, ({ data, start, at, lead, repeats }) => {
        const src = windowed(new Uint8Array([...new Uint8Array(start).fill(0x11), ...data]), lead);
        const srcView = view(src);
        const length = data.length;
        const dst = windowed(new Uint8Array(at + length + 5).fill(0x5a), lead);
        for (let r = 0; r < repeats; r++) {
          dst.fill(0x5a);
          copyFromView(src, srcView, start, dst, at, length);
          expect(Array.from(dst.subarray(at, at + length))).toEqual(Array.from(data));
          expect(dst.subarray(0, at).every((b) => b === 0x5a)).toBe(true);
          expect(dst.subarray(at + length).every((b) => b === 0x5a)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('round trips through a flyweight buffer with caller arrays taking turns (cached and uncached views)', () => {
    const arrays = [0, 1, 2].map((lead) => windowed(new Uint8Array(320), lead));
    const buffer = new Uint8Array(700);
    const bufferView = view(buffer);
    fc.assert(
      fc.property(
        fc.array(fc.record({ data: fc.uint8Array({ maxLength: 300 }), which: fc.nat(2), at: fc.nat(9) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (steps) => {
          for (const { data, which, at } of steps) {
            const caller = arrays[which]!;
            caller.set(data, at % 7);
            copyToView(caller, at % 7, buffer, bufferView, 3 + at, data.length);
            caller.fill(0);
            copyFromView(buffer, bufferView, 3 + at, caller, at, data.length);
            expect(Array.from(caller.subarray(at, at + data.length))).toEqual(Array.from(data));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('callerView', () => {
  it('caches a view only for an array missed again and again, over exactly its bytes', () => {
    const a = windowed(new Uint8Array([1, 2, 3, 4, 5]), 3);
    const b = new Uint8Array(8);
    let first: DataView | null = null;
    for (let i = 0; i < 20 && first === null; i++) first = callerView(a);
    expect(first).not.toBeNull();
    expect(first!.byteOffset).toBe(a.byteOffset);
    expect(first!.byteLength).toBe(a.byteLength);
    expect(first!.buffer).toBe(a.buffer);
    expect(callerView(a)).toBe(first); // a hit: the same view, no new one
    // Another array used once in between does not evict it or get a view of its own.
    expect(callerView(b)).toBeNull();
    expect(callerView(a)).toBe(first);
  });

  it('creates no view for arrays that take turns with a cached one', () => {
    const hot = new Uint8Array(16);
    const others = [new Uint8Array(16), new Uint8Array(16)];
    let hotView: DataView | null = null;
    for (let i = 0; i < 20 && hotView === null; i++) hotView = callerView(hot);
    for (let i = 0; i < 1000; i++) {
      expect(callerView(others[i & 1]!)).toBeNull();
      expect(callerView(hot)).toBe(hotView);
    }
  });
});
