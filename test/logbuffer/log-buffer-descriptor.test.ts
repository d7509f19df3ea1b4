import { describe, expect, it } from 'vitest';
import {
  checkPageSize,
  checkTermLength,
  computeFragmentedFrameLength,
  computeLogLength,
  computeMaxPossiblePosition,
  computePosition,
  computeTermBeginPosition,
  computeTermIdFromPosition,
  computeTermOffsetFromPosition,
  correlationId,
  endOfStreamPosition,
  hasReachedEndOfStream,
  indexByPosition,
  indexByTermCount,
  isPublicationRevoked,
  LOG_ACTIVE_TERM_COUNT_OFFSET,
  LOG_DEFAULT_FRAME_HEADER_OFFSET,
  LOG_END_OF_STREAM_POSITION_OFFSET,
  LOG_ENTITY_TAG_OFFSET,
  LOG_GROUP_OFFSET,
  LOG_INITIAL_TERM_ID_OFFSET,
  LOG_IS_CONNECTED_OFFSET,
  LOG_IS_PUBLICATION_REVOKED_OFFSET,
  LOG_MAX_RESEND_OFFSET,
  LOG_PUBLICATION_WINDOW_LENGTH_OFFSET,
  LOG_TETHER_OFFSET,
  LOG_TYPE_OFFSET,
  LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET,
  LogBufferDescriptorError,
  packTail,
  positionBitsToShift,
  rawTailVolatile,
  rotateLog,
  setCorrelationId,
  setEndOfStreamPosition,
  setIsPublicationRevoked,
  setUntetheredLingerTimeoutNs,
  termId,
  termOffset,
  untetheredLingerTimeoutNs,
} from '../../src/logbuffer/log-buffer-descriptor.ts';
import { createTestLog, TestMemory } from './support/test-memory.ts';

const INT_MAX = 0x7fffffff;
const INT_MIN = -0x80000000;

describe('log buffer descriptor constants (1.51.0)', () => {
  it('has the 1.51.0 metadata offsets', () => {
    expect(LOG_ACTIVE_TERM_COUNT_OFFSET).toBe(24);
    expect(LOG_END_OF_STREAM_POSITION_OFFSET).toBe(128);
    expect(LOG_IS_CONNECTED_OFFSET).toBe(136);
    expect(LOG_INITIAL_TERM_ID_OFFSET).toBe(264);
    expect(LOG_PUBLICATION_WINDOW_LENGTH_OFFSET).toBe(284);
    expect(LOG_MAX_RESEND_OFFSET).toBe(316);
    expect(LOG_DEFAULT_FRAME_HEADER_OFFSET).toBe(320);
    expect(LOG_ENTITY_TAG_OFFSET).toBe(448);
    expect(LOG_GROUP_OFFSET).toBe(488);
    expect(LOG_TETHER_OFFSET).toBe(495);
    expect(LOG_IS_PUBLICATION_REVOKED_OFFSET).toBe(496);
    expect(LOG_TYPE_OFFSET).toBe(497);
    expect(LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET).toBe(500);
  });
});

describe('term length and page size rules', () => {
  it('accepts powers of two in range and rejects the rest with a typed error', () => {
    expect(() => checkTermLength(64 * 1024)).not.toThrow();
    expect(() => checkTermLength(1024 * 1024 * 1024)).not.toThrow();
    for (const bad of [32 * 1024, 64 * 1024 + 1, 3 * 64 * 1024, 2 * 1024 * 1024 * 1024]) {
      expect(() => checkTermLength(bad)).toThrow(LogBufferDescriptorError);
    }
    expect(() => checkPageSize(4096)).not.toThrow();
    expect(() => checkPageSize(2048)).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_SIZE' }));
    expect(() => checkPageSize(12288)).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_SIZE' }));
  });

  it('positionBitsToShift is log2(termLength)', () => {
    expect(positionBitsToShift(64 * 1024)).toBe(16);
    expect(positionBitsToShift(16 * 1024 * 1024)).toBe(24);
    expect(positionBitsToShift(1024 * 1024 * 1024)).toBe(30);
    expect(() => positionBitsToShift(1000)).toThrow(LogBufferDescriptorError);
  });

  it('computes log length and metadata location', () => {
    expect(computeLogLength(64 * 1024, 4096)).toBe(3 * 65536 + 4096);
    expect(computeLogLength(64 * 1024, 2 * 1024 * 1024)).toBe(2 * 1024 * 1024);
    expect(computeLogLength(1024 * 1024 * 1024, 4096)).toBe(3 * 2 ** 30 + 4096);
  });
});

describe('position arithmetic', () => {
  it('matches the Java formulas on known values', () => {
    expect(computePosition(5, 100, 16, 3)).toBe(2 * 65536 + 100);
    expect(computeTermBeginPosition(5, 16, 3)).toBe(2 * 65536);
    expect(computeTermIdFromPosition(2 * 65536 + 100, 16, 3)).toBe(5);
    expect(computeTermOffsetFromPosition(2 * 65536 + 100, 16)).toBe(100);
    // Java: termCount is an int subtraction, so a term id before the initial one gives a negative position.
    expect(computePosition(2, 0, 16, 3)).toBe(-65536);
  });

  it('wraps term ids through int32 like Java', () => {
    expect(computePosition(INT_MIN, 64, 16, INT_MAX)).toBe(65536 + 64);
    expect(computePosition(INT_MIN + 5, 0, 16, INT_MAX)).toBe(6 * 65536);
    expect(computeTermIdFromPosition(2 * 65536, 16, INT_MAX)).toBe(INT_MIN + 1);
  });

  it('stays exact for large positions up to 2^53', () => {
    const shift = 30;
    const termCount = 2 ** 22 + 3;
    const position = computePosition((7 + termCount) | 0, 12345 * 32, shift, 7);
    expect(position).toBe(termCount * 2 ** 30 + 12345 * 32);
    expect(computeTermIdFromPosition(position, shift, 7)).toBe((7 + termCount) | 0);
    expect(computeTermOffsetFromPosition(position, shift)).toBe(12345 * 32);
    expect(indexByPosition(position, shift)).toBe(termCount % 3);
    expect(computeMaxPossiblePosition(64 * 1024)).toBe(2 ** 47);
  });

  it('indexes partitions by term count and position', () => {
    expect(indexByTermCount(0)).toBe(0);
    expect(indexByTermCount(4)).toBe(1);
    expect(indexByPosition(5 * 65536 + 32, 16)).toBe(2);
  });

  it('computes fragmented and assembled lengths', () => {
    expect(computeFragmentedFrameLength(3000, 1376)).toBe(2 * 1408 + 288);
    expect(computeFragmentedFrameLength(2752, 1376)).toBe(2 * 1408);
  });
});

describe('raw tails', () => {
  it('packs and unpacks term id and offset, including negative ids and overshoot', () => {
    const raw = packTail(-5, 70000);
    expect(termId(raw)).toBe(-5);
    expect(termOffset(raw, 65536)).toBe(65536);
    expect(termOffset(packTail(INT_MIN, 4096), 65536)).toBe(4096);
    expect(termId(packTail(INT_MAX, 0xffffffff))).toBe(INT_MAX);
    expect(termOffset(packTail(INT_MAX, 0xffffffff), 2 ** 30)).toBe(2 ** 30);
  });

  it('rotates the log cooperatively and only once', () => {
    const log = createTestLog({ termLength: 65536, initialTermId: 10 });
    expect(termId(rawTailVolatile(log.metadata, 1))).toBe(8);
    expect(rotateLog(log.metadata, 0, 10)).toBe(true);
    expect(rawTailVolatile(log.metadata, 1)).toBe(packTail(11, 0));
    expect(log.metadata.getInt32Volatile(LOG_ACTIVE_TERM_COUNT_OFFSET)).toBe(1);
    // A second producer that saw the same trip: no change, CAS of the count fails.
    expect(rotateLog(log.metadata, 0, 10)).toBe(false);
    expect(rawTailVolatile(log.metadata, 1)).toBe(packTail(11, 0));
    expect(rotateLog(log.metadata, 1, 11)).toBe(true);
    expect(rotateLog(log.metadata, 2, 12)).toBe(true);
    expect(rawTailVolatile(log.metadata, 0)).toBe(packTail(13, 0));
  });

  it('rotates across the int32 term id wrap', () => {
    const log = createTestLog({ termLength: 65536, initialTermId: INT_MAX });
    expect(rotateLog(log.metadata, 0, INT_MAX)).toBe(true);
    expect(rawTailVolatile(log.metadata, 1)).toBe(packTail(INT_MIN, 0));
  });
});

describe('metadata fields', () => {
  it('round-trips 64-bit fields as numbers and reads the revoked flag', () => {
    const meta = TestMemory.allocate(4096);
    setCorrelationId(meta, 2 ** 40 + 17);
    expect(correlationId(meta)).toBe(2 ** 40 + 17);
    setUntetheredLingerTimeoutNs(meta, 5_000_000_000);
    expect(untetheredLingerTimeoutNs(meta)).toBe(5_000_000_000);
    setEndOfStreamPosition(meta, 123456789 * 32);
    expect(endOfStreamPosition(meta)).toBe(123456789 * 32);
    expect(isPublicationRevoked(meta)).toBe(false);
    setIsPublicationRevoked(meta, true);
    expect(isPublicationRevoked(meta)).toBe(true);
  });

  it('reports Long.MAX_VALUE end of stream as a value above any position', () => {
    const log = createTestLog({ termLength: 65536, initialTermId: 0 });
    expect(endOfStreamPosition(log.metadata)).toBeGreaterThanOrEqual(2 ** 63 - 1);
  });

  it('hasReachedEndOfStream: never on a live stream, at and past a set end, across the high word', () => {
    const log = createTestLog({ termLength: 65536, initialTermId: 0 });
    expect(hasReachedEndOfStream(log.metadata, 2 ** 53)).toBe(false);
    setEndOfStreamPosition(log.metadata, 4096);
    expect(hasReachedEndOfStream(log.metadata, 4064)).toBe(false);
    expect(hasReachedEndOfStream(log.metadata, 4096)).toBe(true);
    expect(hasReachedEndOfStream(log.metadata, 8192)).toBe(true);
    setEndOfStreamPosition(log.metadata, 2 ** 40 + 32);
    expect(hasReachedEndOfStream(log.metadata, 2 ** 40)).toBe(false);
    expect(hasReachedEndOfStream(log.metadata, 2 ** 40 + 32)).toBe(true);
  });
});
