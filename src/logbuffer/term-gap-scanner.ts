/**
 * Finds the first gap (unwritten region) in [termOffset, limitOffset) of a term being rebuilt from the
 * network (Java: `TermGapScanner.scanForGap`): skip complete frames; if the scan stops before the
 * limit, the gap runs from there over 32-byte slots whose length word is still 0, and is reported to
 * `handler(termId, gapOffset, gapLength)`. Returns the offset where the gap begins (or the limit).
 *
 * In Java its user is the media driver's receiver: `LossDetector.scan` finds the gap to NAK between an image's
 * rebuild position and its high-water mark; this driver's UDP receiver (issue 17) is to call it there. No client
 * code uses it; until the receiver exists, test/logbuffer/term-scanners.test.ts and the fuzzer exercise it.
 */
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import { alignFrameLength } from './frame-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/** Receives a gap: `length` bytes missing at `offset` in term `termId`. Java: `TermGapScanner.GapHandler.onGap`. */
export type GapHandler = (termId: number, offset: number, length: number) => void;

/**
 * Reports the first gap in `[termOffset, limitOffset)` of term `termId` to `handler`; returns where the gap begins
 * (or where the scan stopped). Java: `TermGapScanner.scanForGap`.
 */
export function scanForGap(
  termBuffer: LogBufferMemory,
  termId: number,
  termOffset: number,
  limitOffset: number,
  handler: GapHandler,
): number {
  let offset = termOffset;
  do {
    const frameLength = termBuffer.getInt32Volatile(offset);
    if (frameLength <= 0) break;
    offset += alignFrameLength(frameLength);
  } while (offset < limitOffset);
  const gapBeginOffset = offset;
  if (offset < limitOffset) {
    offset += HEADER_LENGTH;
    while (offset < limitOffset) {
      if (termBuffer.getInt32Volatile(offset) !== 0) break;
      offset += HEADER_LENGTH;
    }
    handler(termId, gapBeginOffset, offset - gapBeginOffset);
  }
  return gapBeginOffset;
}
