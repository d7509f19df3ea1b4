/**
 * Finds the end of a block of whole frames in [termOffset, limitOffset) (Java: `TermBlockScanner`):
 * stops at an unwritten frame, before a frame that would cross `limitOffset`, or at padding — a
 * padding frame at the very start of the scan is consumed alone (so the caller can skip it).
 * Returns the offset at which the block ends.
 */
import { alignFrameLength, isPaddingFrame } from './frame-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/**
 * The offset at which the block of whole frames starting at `termOffset` ends (≤ `limitOffset`); see the module
 * comment. Java: `TermBlockScanner.scan`.
 */
export function scanTermBlock(termBuffer: LogBufferMemory, termOffset: number, limitOffset: number): number {
  let offset = termOffset;
  while (offset < limitOffset) {
    const frameLength = termBuffer.getInt32Volatile(offset);
    if (frameLength <= 0) break;
    const alignedFrameLength = alignFrameLength(frameLength);
    if (isPaddingFrame(termBuffer, offset)) {
      if (termOffset === offset) offset += alignedFrameLength;
      break;
    }
    if (offset + alignedFrameLength > limitOffset) break;
    offset += alignedFrameLength;
  }
  return offset;
}
