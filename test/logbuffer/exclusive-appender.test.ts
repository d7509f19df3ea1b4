import { afterAll, describe, expect, it } from 'vitest';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { APPEND_ADMIN_ACTION } from '../../src/logbuffer/append-result.ts';
import { BufferClaim } from '../../src/logbuffer/buffer-claim.ts';
import { HDR_TYPE_PAD } from '../../src/logbuffer/data-header-flyweight.ts';
import { ExclusiveTermAppender, InvalidBlockError } from '../../src/logbuffer/exclusive-term-appender.ts';
import { activeTermCount, packTail, rawTailVolatile } from '../../src/logbuffer/log-buffer-descriptor.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { frameType, messageBytes, TestSubscriber } from './support/log-harness.ts';
import { createTestLog, type TestLog } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;
/** Logs a `TestSubscriber` reads are files here (its `Image` maps them). */
const dir = makeTestDir('logbuffer');
afterAll(() => removeDir(dir));

function exclusive(log: TestLog, initialTermId: number): ExclusiveTermAppender {
  return new ExclusiveTermAppender({
    termBuffers: log.terms,
    metadata: log.metadata,
    headerWriter: new HeaderWriter(log.defaultHeader),
    initialTermId,
    maxPayloadLength: 1376,
  });
}

describe('exclusive appender', () => {
  it('publishes the tail before the frame and rotates at the end of the term', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 0x7fffffff });
    const appender = exclusive(log, 0x7fffffff);
    const message = messageBytes(0, 1000);
    expect(appender.append(message, 0, 1000)).toBe(1056);
    expect(rawTailVolatile(log.metadata, 0)).toBe(packTail(0x7fffffff, 1056));
    let result = 0;
    let rotations = 0;
    for (let i = 0; i < 100 && rotations === 0; i++) {
      result = appender.append(message, 0, 1000);
      if (result === APPEND_ADMIN_ACTION) rotations++;
    }
    expect(rotations).toBe(1);
    // Tripped: the remainder of term 0 became padding; the next term id wrapped to INT_MIN.
    const paddingOffset = 62 * 1056;
    expect(frameType(log.terms[0]!, paddingOffset)).toBe(HDR_TYPE_PAD);
    expect(log.terms[0]!.getInt32(paddingOffset)).toBe(TERM_LENGTH - paddingOffset);
    expect(activeTermCount(log.metadata)).toBe(1);
    expect(rawTailVolatile(log.metadata, 1)).toBe(packTail(-0x80000000, 0));
    expect(appender.position()).toBe(TERM_LENGTH);
    expect(appender.append(message, 0, 1000)).toBe(TERM_LENGTH + 1056);
  });

  it('appendPadding inserts a padding frame the reader skips', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 9, dir });
    const appender = exclusive(log, 9);
    const a = messageBytes(1, 10);
    const b = messageBytes(2, 20);
    expect(appender.append(a, 0, a.length)).toBe(64);
    expect(appender.appendPadding(100)).toBe(64 + 160);
    expect(frameType(log.terms[0]!, 64)).toBe(HDR_TYPE_PAD);
    expect(appender.append(b, 0, b.length)).toBe(224 + 64);
    const subscriber = new TestSubscriber(log, 9);
    subscriber.drain();
    expect(subscriber.delivered.map((d) => [d.position, d.bytes.length])).toEqual([
      [64, 10],
      [288, 20],
    ]);
    expect(() => appender.appendPadding(TERM_LENGTH)).toThrow(InvalidBlockError);
  });

  it('appendBlock copies pre-formatted frames from another log of the same stream', () => {
    const source = createTestLog({ termLength: TERM_LENGTH, initialTermId: 3 });
    const sourceAppender = exclusive(source, 3);
    const sizes = [0, 5, 1376, 3000, 77];
    for (const [i, size] of sizes.entries()) {
      const m = messageBytes(i, size);
      sourceAppender.append(m, 0, m.length);
    }
    const blockLength = sourceAppender.position();
    const block = new Uint8Array(blockLength);
    source.terms[0]!.getBytes(0, block, 0, blockLength);

    const target = createTestLog({ termLength: TERM_LENGTH, initialTermId: 3, dir });
    const appender = exclusive(target, 3);
    expect(appender.appendBlock(block, 0, blockLength)).toBe(blockLength);
    expect(rawTailVolatile(target.metadata, 0)).toBe(packTail(3, blockLength));
    const subscriber = new TestSubscriber(target, 3);
    subscriber.drain();
    expect(subscriber.delivered.map((d) => d.bytes.length)).toEqual(sizes);
    subscriber.delivered.forEach((d, i) => {
      expect(Buffer.from(d.bytes).equals(Buffer.from(messageBytes(i, sizes[i]!)))).toBe(true);
    });

    // The same block again does not start at the next term offset: rejected.
    expect(() => appender.appendBlock(block, 0, blockLength)).toThrow(
      expect.objectContaining({ code: 'BLOCK_MALFORMED' }),
    );
  });

  it('appendBlock rejects a block longer than the rest of the term', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 3 });
    const appender = exclusive(log, 3);
    expect(() => appender.appendBlock(new Uint8Array(TERM_LENGTH + 32), 0, TERM_LENGTH + 32)).toThrow(
      expect.objectContaining({ code: 'BLOCK_TOO_LONG' }),
    );
  });

  it('claim + commit publishes the frame; reserved values reach the header', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 1, dir });
    const appender = exclusive(log, 1);
    const claim = new BufferClaim();
    expect(appender.claim(8, claim)).toBe(64);
    expect(log.terms[0]!.getInt32(0)).toBe(-40);
    claim.putBytes(0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0, 8).setReservedValue(-2n);
    claim.commit();
    const m = messageBytes(0, 3000);
    appender.append(m, 0, m.length, (_buffer, termOffset) => 1_700_000_000_000_000_000n + BigInt(termOffset));
    const n = messageBytes(1, 10);
    appender.append(n, 0, n.length, () => 2 ** 52 + 1);
    const subscriber = new TestSubscriber(log, 1);
    subscriber.drain();
    expect(subscriber.delivered.map((d) => d.reservedValue)).toEqual([
      -2n,
      // Reassembled message: header of the first fragment.
      1_700_000_000_000_000_000n + 64n,
      BigInt(2 ** 52 + 1),
    ]);
  });
});
