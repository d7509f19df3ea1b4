import { describe, expect, it } from 'vitest';
import { ControlledFragmentAssembler } from '../../src/logbuffer/controlled-fragment-assembler.ts';
import { HDR_TYPE_PAD } from '../../src/logbuffer/data-header-flyweight.ts';
import { ExclusiveTermAppender } from '../../src/logbuffer/exclusive-term-appender.ts';
import { ControlledAction } from '../../src/logbuffer/fragment-handler.ts';
import { Header } from '../../src/logbuffer/header.ts';
import { scanTermBlock } from '../../src/logbuffer/term-block-scanner.ts';
import { scanForGap } from '../../src/logbuffer/term-gap-scanner.ts';
import { scanForAvailability, TermScanResult } from '../../src/logbuffer/term-scanner.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { messageBytes } from './support/log-harness.ts';
import { createTestLog, type TestLog, TestMemory } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;

/** Term 0 holds: frame 64 B @0, frame 128 B @64, padding 256 B @192, frame 64 B @448; tail 512. */
function layout(): TestLog {
  const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 0 });
  const appender = new ExclusiveTermAppender({
    termBuffers: log.terms,
    metadata: log.metadata,
    headerWriter: new HeaderWriter(log.defaultHeader),
    initialTermId: 0,
    maxPayloadLength: 1376,
  });
  appender.append(messageBytes(0, 32), 0, 32);
  appender.append(messageBytes(1, 96), 0, 96);
  appender.appendPadding(224);
  appender.append(messageBytes(2, 32), 0, 32);
  return log;
}

describe('term scanner (block availability)', () => {
  it('stops at padding and reports it separately', () => {
    const term = layout().terms[0]!;
    const result = new TermScanResult();
    expect(scanForAvailability(term, 0, 4096, result)).toBe(192 + 32);
    expect(result.padding).toBe(256 - 32);
    expect(scanForAvailability(term, 448, 4096, result)).toBe(64);
    expect(result.padding).toBe(0);
  });

  it('respects the max length, returning a negative length for an oversize first frame', () => {
    const term = layout().terms[0]!;
    const result = new TermScanResult();
    expect(scanForAvailability(term, 0, 100, result)).toBe(64);
    expect(scanForAvailability(term, 64, 100, result)).toBe(-128);
  });
});

describe('term block scanner', () => {
  it('finds whole frames up to the limit and consumes a leading padding frame alone', () => {
    const term = layout().terms[0]!;
    expect(scanTermBlock(term, 0, 4096)).toBe(192);
    expect(scanTermBlock(term, 0, 150)).toBe(64);
    expect(scanTermBlock(term, 192, 4096)).toBe(448);
    expect(scanTermBlock(term, 448, 4096)).toBe(512);
  });
});

describe('gap scanner', () => {
  it('reports the first gap of a term filled out of order', () => {
    const source = layout().terms[0]!;
    const term = TestMemory.allocate(TERM_LENGTH);
    /** Copies the frame at `offset` of the source term, its length released last (as a receiver does). */
    const copyFrame = (offset: number, length: number): void => {
      const bytes = new Uint8Array(length);
      source.getBytes(offset, bytes, 0, length);
      term.putBytes(offset + 4, bytes, 4, length - 4);
      term.putInt32Ordered(offset, source.getInt32(offset));
    };
    copyFrame(0, 64);
    copyFrame(448, 64);
    const gaps: number[][] = [];
    expect(scanForGap(term, 0, 0, 512, (id, off, len) => gaps.push([id, off, len]))).toBe(64);
    expect(gaps).toEqual([[0, 64, 384]]);
    copyFrame(64, 128);
    copyFrame(192, 256);
    expect(term.getInt16(192 + 6)).toBe(HDR_TYPE_PAD);
    gaps.length = 0;
    expect(scanForGap(term, 0, 0, 512, (id, off, len) => gaps.push([id, off, len]))).toBe(512);
    expect(gaps).toEqual([]);
  });
});

describe('controlled fragment assembler', () => {
  it('re-delivers the completed message after ABORT without duplicating the last fragment', () => {
    const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: 0 });
    const appender = new ExclusiveTermAppender({
      termBuffers: log.terms,
      metadata: log.metadata,
      headerWriter: new HeaderWriter(log.defaultHeader),
      initialTermId: 0,
      maxPayloadLength: 1376,
    });
    const message = messageBytes(5, 3000);
    appender.append(message, 0, message.length);
    const received: Uint8Array[] = [];
    let aborts = 1;
    const assembler = new ControlledFragmentAssembler((buffer, offset, length) => {
      if (aborts-- > 0) return ControlledAction.ABORT;
      const copy = new Uint8Array(length);
      buffer.getBytes(offset, copy, 0, length);
      received.push(copy);
      return ControlledAction.CONTINUE;
    });
    const header = new Header(0, 16);
    const term = log.terms[0]!;
    header.buffer = term;
    const frames = [0, 1408, 2816];
    const deliver = (frameOffset: number): number => {
      header.offset = frameOffset;
      return assembler.onFragment(term, frameOffset + 32, term.getInt32(frameOffset) - 32, header);
    };
    expect(deliver(frames[0]!)).toBe(ControlledAction.CONTINUE);
    expect(deliver(frames[1]!)).toBe(ControlledAction.CONTINUE);
    expect(deliver(frames[2]!)).toBe(ControlledAction.ABORT);
    expect(deliver(frames[2]!)).toBe(ControlledAction.CONTINUE);
    expect(received).toHaveLength(1);
    expect(Buffer.from(received[0]!).equals(Buffer.from(message))).toBe(true);
  });
});
