/**
 * Unblocks a log left blocked by a producer that claimed space and never committed it (Aeron 1.51.0
 * `LogBufferUnblocker`, `TermUnblocker`): the driver pads over the claim so subscribers and other producers
 * continue. Used by the driver on a publication whose consumer position has not moved for
 * `publicationUnblockTimeoutNs` while the producer position is ahead of it.
 *
 * ```
 *  blocked at (termCount, offset) of the consumer position:
 *   active term count = blocked term count - 1 and offset 0   -> the log never rotated: rotate it       (true)
 *   frame length at offset < 0 (claimed, length -L)           -> padding frame of L at offset          (true)
 *   frame length at offset = 0, the next non-zero frame at X < tail, all between zero
 *                                                             -> padding frame of X - offset           (true)
 *   zero up to the end of the term                            -> padding to the end, then rotate       (true)
 *   otherwise                                                 -> nothing                               (false)
 *  padding frame: the default header, type PAD, term offset, term id; its length written last (release)
 * ```
 *
 * Control path: called at most once per timer tick per publication; the BigInt of `rotateLog`'s CAS is fine.
 */

import { Int64Halves } from '../transport/int64-words.ts';
import {
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from './frame-descriptor.ts';
import {
  activeTermCount,
  computeTermIdFromPosition,
  computeTermOffsetFromPosition,
  defaultFrameHeader,
  indexByTermCount,
  positionBitsToShift,
  rawTailTermOffset,
  readRawTailVolatile,
  rotateLog,
} from './log-buffer-descriptor.ts';
import { int32ViewOf, type LogBufferMemory } from './log-buffer-memory.ts';
import { frameLengthOrdered, frameLengthVolatile } from './term-words.ts';

const tail = new Int64Halves();

/** `unblockTerm`: nothing to unblock (Java `TermUnblocker.Status.NO_ACTION`). */
export const TERM_UNBLOCK_NO_ACTION = 0;
/** `unblockTerm`: a padding frame now covers the blocked claim (`UNBLOCKED`). */
export const TERM_UNBLOCK_UNBLOCKED = 1;
/** `unblockTerm`: padding covers the rest of the term; the log must rotate (`UNBLOCKED_TO_END`). */
export const TERM_UNBLOCK_UNBLOCKED_TO_END = 2;

/**
 * Pads over a blocked claim at `blockedPosition` if there is one (Java `LogBufferUnblocker.unblock`); true when it
 * did something.
 */
export function unblockLog(
  termBuffers: readonly LogBufferMemory[],
  metaData: LogBufferMemory,
  blockedPosition: number,
  termLength: number,
): boolean {
  const shift = positionBitsToShift(termLength);
  const blockedTermCount = computeTermIdFromPosition(blockedPosition, shift, 0);
  const blockedOffset = computeTermOffsetFromPosition(blockedPosition, shift);
  const currentTermCount = activeTermCount(metaData);
  const metaWords = int32ViewOf(metaData);
  if (currentTermCount === ((blockedTermCount - 1) | 0) && blockedOffset === 0) {
    const currentTermId = readRawTailVolatile(metaWords, indexByTermCount(currentTermCount), tail).high;
    rotateLog(metaData, currentTermCount, currentTermId);
    return true;
  }
  const blockedIndex = indexByTermCount(blockedTermCount);
  readRawTailVolatile(metaWords, blockedIndex, tail);
  const termId = tail.high;
  const tailOffset = rawTailTermOffset(tail, termLength);
  switch (unblockTerm(metaData, termBuffers[blockedIndex]!, blockedOffset, tailOffset, termId)) {
    case TERM_UNBLOCK_UNBLOCKED_TO_END:
      rotateLog(metaData, blockedTermCount, termId);
      return true;
    case TERM_UNBLOCK_UNBLOCKED:
      return true;
    default:
      return false;
  }
}

/** Java `TermUnblocker.unblock` on one term (see the module comment). */
export function unblockTerm(
  metaData: LogBufferMemory,
  termBuffer: LogBufferMemory,
  blockedOffset: number,
  tailOffset: number,
  termId: number,
): number {
  const words = int32ViewOf(termBuffer);
  let status = TERM_UNBLOCK_NO_ACTION;
  let frameLength = frameLengthVolatile(words, blockedOffset);
  if (frameLength < 0) {
    resetHeader(metaData, termBuffer, words, blockedOffset, termId, -frameLength);
    status = TERM_UNBLOCK_UNBLOCKED;
  } else if (frameLength === 0) {
    let currentOffset = blockedOffset + FRAME_ALIGNMENT;
    while (currentOffset < tailOffset) {
      frameLength = frameLengthVolatile(words, currentOffset);
      if (frameLength !== 0) {
        if (scanBackToConfirmZeroed(words, currentOffset, blockedOffset)) {
          resetHeader(metaData, termBuffer, words, blockedOffset, termId, currentOffset - blockedOffset);
          status = TERM_UNBLOCK_UNBLOCKED;
        }
        break;
      }
      currentOffset += FRAME_ALIGNMENT;
    }
    if (currentOffset === termBuffer.capacity && frameLengthVolatile(words, blockedOffset) === 0) {
      resetHeader(metaData, termBuffer, words, blockedOffset, termId, currentOffset - blockedOffset);
      status = TERM_UNBLOCK_UNBLOCKED_TO_END;
    }
  }
  return status;
}

function resetHeader(
  metaData: LogBufferMemory,
  termBuffer: LogBufferMemory,
  words: Int32Array,
  termOffset: number,
  termId: number,
  frameLength: number,
): void {
  termBuffer.putBytes(termOffset, defaultFrameHeader(metaData), 0, HEADER_LENGTH);
  termBuffer.putInt16(termOffset + TYPE_FIELD_OFFSET, HDR_TYPE_PAD);
  termBuffer.putInt32(termOffset + TERM_OFFSET_FIELD_OFFSET, termOffset);
  termBuffer.putInt32(termOffset + TERM_ID_FIELD_OFFSET, termId);
  frameLengthOrdered(words, termOffset, frameLength);
}

function scanBackToConfirmZeroed(words: Int32Array, from: number, limit: number): boolean {
  for (let i = from - FRAME_ALIGNMENT; i >= limit; i -= FRAME_ALIGNMENT) {
    if (frameLengthVolatile(words, i) !== 0) return false;
  }
  return true;
}
