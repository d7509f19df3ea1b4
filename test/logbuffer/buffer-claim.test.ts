/**
 * `BufferClaim` on a claimed frame: `putBytes` of a whole array of up to 64 bytes goes as int32 words on the term's
 * words (the second use of the same array; the first goes through the buffer), every other form through the buffer's
 * own `putBytes` with its checks; `commit` release-stores the length on the term's words; a claim of a buffer
 * without an int32 view (or at an unaligned offset) falls back to the buffer's ordered store and its errors.
 */
import { describe, expect, it } from 'vitest';
import { BufferClaim } from '../../src/logbuffer/buffer-claim.ts';
import { HDR_TYPE_PAD, HEADER_LENGTH } from '../../src/logbuffer/data-header-flyweight.ts';
import { ExclusiveTermAppender } from '../../src/logbuffer/exclusive-term-appender.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { createTestLog, type TestMemory } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;

function claimFrame(payloadLength: number): { claim: BufferClaim; term: TestMemory } {
  const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 5 });
  const appender = new ExclusiveTermAppender({
    termBuffers: log.terms,
    metadata: log.metadata,
    headerWriter: new HeaderWriter(log.defaultHeader),
    initialTermId: 5,
    maxPayloadLength: 1376,
  });
  const claim = new BufferClaim();
  expect(appender.claim(payloadLength, claim)).toBeGreaterThan(0);
  return { claim, term: log.terms[0]! };
}

function bytesAt(term: TestMemory, index: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  term.getBytes(index, out, 0, length);
  return out;
}

const pattern = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

describe('BufferClaim', () => {
  it('copies a reused whole array of ≤ 64 bytes into the payload (first through the buffer, then as words)', () => {
    const { claim, term } = claimFrame(64);
    const src = pattern(32, 3);
    claim.putBytes(0, src, 0, 32); // first sight of `src`: the buffer's copy
    claim.putBytes(32, src, 0, 32); // second: int32 words
    expect(bytesAt(term, HEADER_LENGTH, 32)).toEqual(src);
    expect(bytesAt(term, HEADER_LENGTH + 32, 32)).toEqual(src);
    expect(term.getInt32(0)).toBe(-(HEADER_LENGTH + 64));
    claim.commit();
    expect(term.getInt32Volatile(0)).toBe(HEADER_LENGTH + 64);
  });

  it('copies parts, odd lengths and unaligned payload offsets through the buffer', () => {
    const { claim, term } = claimFrame(100);
    const odd = pattern(13, 1);
    claim.putBytes(0, odd, 0, 13);
    claim.putBytes(13, odd, 0, 13); // same array, unaligned payload offset
    const long = pattern(80, 2);
    claim.putBytes(20, long, 0, 80);
    claim.putBytes(20, long, 4, 8); // a part
    const at = HEADER_LENGTH;
    expect(bytesAt(term, at, 13)).toEqual(odd);
    expect(bytesAt(term, at + 13, 7)).toEqual(odd.subarray(0, 7));
    expect(bytesAt(term, at + 20, 8)).toEqual(long.subarray(4, 12));
    expect(bytesAt(term, at + 28, 72)).toEqual(long.subarray(8, 80));
  });

  it('leaves the checks of a bad range to the buffer', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(256));
    const claim = new BufferClaim();
    claim.wrap(buffer, 64, 64);
    const src = pattern(32, 4);
    claim.putBytes(0, src, 0, 32);
    claim.putBytes(0, src, 0, 32);
    expect(() => claim.putBytes(200, src, 0, 32)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    expect(() => claim.putBytes(0, src, 4, 32)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
  });

  it('commits and aborts on any aligned wrap; an unaligned wrap keeps the buffer MISALIGNED error', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(256));
    const claim = new BufferClaim();
    claim.wrap(buffer, 32, 40);
    claim.commit();
    expect(buffer.getInt32Volatile(32)).toBe(40);
    claim.wrap(buffer, 64, 48);
    claim.abort();
    expect(buffer.getInt32Volatile(64)).toBe(48);
    expect(buffer.getInt16(64 + 6)).toBe(HDR_TYPE_PAD);
    claim.wrap(buffer, 2, 40);
    expect(() => claim.commit()).toThrow(expect.objectContaining({ code: 'MISALIGNED' }));
  });

  it('throws ILLEGAL_STATE before it is wrapped', () => {
    const claim = new BufferClaim();
    expect(() => claim.commit()).toThrow(expect.objectContaining({ code: 'ILLEGAL_STATE' }));
    expect(() => claim.putBytes(0, new Uint8Array(8), 0, 8)).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_STATE' }),
    );
  });
});
