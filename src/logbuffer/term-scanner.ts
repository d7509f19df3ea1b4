/**
 * Scans a term for a block of available frames (Java: `TermScanner.scanForAvailability`). In Java its user is
 * the media driver's sender: `NetworkPublication.sendData` and `resend` scan for up to an MTU of frames to put in
 * one datagram; this driver's UDP sender (issue 17) is to call it there. No client code uses it (`Image.blockPoll`
 * uses `scanTermBlock`); until the sender exists, test/logbuffer/term-scanners.test.ts and the fuzzer exercise it.
 *
 * From `offset`, sums aligned frame lengths up to min(maxLength, capacity − offset). A padding frame
 * ends the scan: it contributes only its 32-byte header to `available`, and the rest of it is reported
 * as `padding` (to be skipped, not copied). If the first frame alone exceeds the limit, `available` is
 * its negated aligned length (a hint that the block cannot be taken within `maxLength`).
 */
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import { alignFrameLength, isPaddingFrame } from './frame-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/**
 * Outcome of {@link scanForAvailability}, in a reused caller-owned object. Java: the `long`
 * `TermScanner.scanForAvailability` returns, unpacked by `TermScanner.available` and `TermScanner.padding`.
 */
export class TermScanResult {
  /** Bytes available (see class doc for the negative case). */
  available = 0;
  /** Padding bytes following the available block. */
  padding = 0;
}

/**
 * Scans `termBuffer` from `offset` for up to `maxLength` bytes of whole frames; fills `result` and returns
 * `result.available`. Java: `TermScanner.scanForAvailability`.
 */
export function scanForAvailability(
  termBuffer: LogBufferMemory,
  offset: number,
  maxLength: number,
  result: TermScanResult,
): number {
  const limit = Math.min(maxLength, termBuffer.capacity - offset);
  let available = 0;
  let padding = 0;
  do {
    const termOffset = offset + available;
    const frameLength = termBuffer.getInt32Volatile(termOffset);
    if (frameLength <= 0) break;
    let alignedFrameLength = alignFrameLength(frameLength);
    if (isPaddingFrame(termBuffer, termOffset)) {
      padding = alignedFrameLength - HEADER_LENGTH;
      alignedFrameLength = HEADER_LENGTH;
    }
    available += alignedFrameLength;
    if (available > limit) {
      available = alignedFrameLength === available ? -available : available - alignedFrameLength;
      padding = 0;
      break;
    }
  } while (padding === 0 && available < limit);
  result.available = available;
  result.padding = padding;
  return available;
}
