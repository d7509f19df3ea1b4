import { describe, expect, it } from 'vitest';
import { LossDetector } from '../../../src/driver/loss-detector.ts';
import { insert } from '../../../src/logbuffer/term-rebuilder.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { writeDataFrame } from './support.ts';

const TERM_LENGTH = 64 * 1024;

function setup() {
  const term = new AtomicBuffer(new ArrayBuffer(TERM_LENGTH));
  const packet = new AtomicBuffer(new ArrayBuffer(4096));
  const gaps: [number, number, number][] = [];
  const detector = new LossDetector(
    { generateDelayNs: () => 50, retryDelayNs: () => 500 },
    { onGapDetected: (termId, offset, length) => gaps.push([termId, offset, length]) },
  );
  const put = (offset: number, payload = 96): void => {
    const length = writeDataFrame(packet, 1, 2, 3, offset, payload);
    insert(term, offset, packet, length);
  };
  return { term, packet, gaps, detector, put };
}

describe('TermRebuilder.insert', () => {
  it('writes header and payload, the length word last; a duplicate changes nothing', () => {
    const { term, packet, put } = setup();
    put(256, 1000);
    expect(term.getInt32(256)).toBe(1032);
    expect(term.getInt32(256 + 20)).toBe(3);
    expect(term.getUint8(256 + 32 + 999)).toBe(0x5a);
    writeDataFrame(packet, 9, 9, 9, 256, 1000, 0x11);
    insert(term, 256, packet, 1032);
    expect(term.getInt32(256 + 12)).toBe(1);
    expect(term.getUint8(256 + 40)).toBe(0x5a);
  });
});

describe('LossDetector', () => {
  it('finds the first gap, reports it after the delay, then per retry delay; new rebuild offset at the gap', () => {
    const { detector, gaps, put, term } = setup();
    put(0);
    put(384);
    detector.scan(term, 0, 512, 1000, TERM_LENGTH, 3);
    expect(detector.rebuildOffset).toBe(128);
    expect(detector.lossFound).toBe(true);
    expect(gaps).toEqual([]);
    detector.scan(term, 0, 512, 1049, TERM_LENGTH, 3);
    expect(detector.lossFound).toBe(false);
    expect(gaps).toEqual([]);
    detector.scan(term, 0, 512, 1050, TERM_LENGTH, 3);
    expect(gaps).toEqual([[3, 128, 256]]);
    detector.scan(term, 0, 512, 1549, TERM_LENGTH, 3);
    expect(gaps).toHaveLength(1);
    detector.scan(term, 0, 512, 1550, TERM_LENGTH, 3);
    expect(gaps).toHaveLength(2);
    put(128);
    put(256);
    detector.scan(term, 128, 512, 1600, TERM_LENGTH, 3);
    expect(detector.rebuildOffset).toBe(512);
    expect(detector.lossFound).toBe(false);
  });

  it('scans to the end of the term when the hwm is in a later term', () => {
    const { detector, gaps, term } = setup();
    detector.scan(term, TERM_LENGTH - 256, TERM_LENGTH + 64, 0, TERM_LENGTH, 3);
    expect(detector.rebuildOffset).toBe(TERM_LENGTH - 256);
    detector.scan(term, TERM_LENGTH - 256, TERM_LENGTH + 64, 100, TERM_LENGTH, 3);
    expect(gaps).toEqual([[3, TERM_LENGTH - 256, 256]]);
  });

  it('does nothing when rebuilt up to the hwm', () => {
    const { detector, put, term } = setup();
    put(0);
    detector.scan(term, 128, 128, 0, TERM_LENGTH, 3);
    expect(detector.rebuildOffset).toBe(128);
    expect(detector.lossFound).toBe(false);
  });
});
