import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { BufferBuilder } from '../../src/logbuffer/buffer-builder.ts';
import { HeapBuffer } from '../../src/logbuffer/heap-buffer.ts';

describe('BufferBuilder', () => {
  it('appends fragments and grows by doubling from 4096', () => {
    const src = new HeapBuffer(6000);
    for (let i = 0; i < 6000; i++) src.putInt8(i, i & 0x7f);
    const builder = new BufferBuilder();
    builder.append(src, 0, 100).append(src, 100, 5000);
    expect(builder.limit).toBe(5100);
    expect(builder.capacity).toBe(8192);
    expect(builder.buffer.getInt8(5099)).toBe(5099 & 0x7f);
  });

  // Regression (found by the fuzzer's term-reader target, now `client:image-poll`): a corrupt BEGIN frame length
  // near 2^31 grew the builder to ~2 GiB before the copy's bounds check failed. The source range is now checked first.
  it('refuses a fragment longer than its source before growing (no 2 GiB allocation)', () => {
    const src = new HeapBuffer(64);
    const builder = new BufferBuilder();
    expect(() => builder.append(src, 0, 0x7fffffff - 64)).toThrow(InvalidArgumentError);
    expect(() => builder.append(src, 32, 64)).toThrow(/fragment outside source: offset=32 length=64 capacity=64/);
    expect(() => builder.append(src, -1, 8)).toThrow(InvalidArgumentError);
    expect(builder.capacity).toBe(0);
    expect(builder.limit).toBe(0);
  });
});
