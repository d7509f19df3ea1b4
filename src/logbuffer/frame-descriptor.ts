/**
 * Frame-level rules of a term buffer (Java: `FrameDescriptor`): alignment, maximum message length, and the
 * ordered/volatile frame-length protocol that publishes a frame to readers.
 *
 * A frame becomes visible when its (positive) length is release-stored into its first 4 bytes; readers
 * acquire-load that length and treat ≤ 0 as "nothing here yet". Frames start on 32-byte boundaries:
 * the next frame is at `alignFrameLength(frameLength)`. The acquire/release accessors of the frame length
 * and the padding check on a term's Int32 words, which the appenders and readers use, are in `term-words.ts`.
 */
import { FLAGS_FIELD_OFFSET, HDR_TYPE_PAD, TYPE_FIELD_OFFSET } from './data-header-flyweight.ts';
import type { LogBufferMemory, ReadableBuffer } from './log-buffer-memory.ts';

/**
 * Largest message a publication accepts, whatever the term length (16 MiB). Java: `FrameDescriptor.MAX_MESSAGE_LENGTH`.
 */
export const MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;
/** Frames start on 32-byte boundaries. Java: `FrameDescriptor.FRAME_ALIGNMENT`. */
export const FRAME_ALIGNMENT = 32;
/** Flag of the first fragment of a message (0x80). Java: `FrameDescriptor.BEGIN_FRAG_FLAG`. */
export const BEGIN_FRAG_FLAG = 0x80;
/** Flag of the last fragment of a message (0x40). Java: `FrameDescriptor.END_FRAG_FLAG`. */
export const END_FRAG_FLAG = 0x40;
/** Flags of a message in one frame: begin and end (0xc0). Java: `FrameDescriptor.UNFRAGMENTED`. */
export const UNFRAGMENTED = 0xc0;
/** Frame type of padding, `HDR_TYPE_PAD` (0). Java: `FrameDescriptor.PADDING_FRAME_TYPE`. */
export const PADDING_FRAME_TYPE = HDR_TYPE_PAD;

/**
 * FRAME_ALIGNMENT − 1, not exported: `alignFrameLength` then runs with it folded in where the hot loops inline it
 * (see `term-words.ts`); the generic `align(frameLength, FRAME_ALIGNMENT)` of `bit-util.ts` measured slower there.
 */
const FRAME_ALIGNMENT_MASK = FRAME_ALIGNMENT - 1;

/**
 * `frameLength` rounded up to `FRAME_ALIGNMENT`: the bytes a frame occupies in its term, so where the next frame
 * starts. Java: `BitUtil.align(frameLength, FRAME_ALIGNMENT)`.
 */
export function alignFrameLength(frameLength: number): number {
  return (frameLength + FRAME_ALIGNMENT_MASK) & ~FRAME_ALIGNMENT_MASK;
}

/**
 * Largest message a publication with terms of `termLength` bytes accepts: min(termLength / 8, 16 MiB). Java:
 * `FrameDescriptor.computeMaxMessageLength`.
 */
export function computeMaxMessageLength(termLength: number): number {
  return Math.min(termLength >> 3, MAX_MESSAGE_LENGTH);
}

/** Whether the frame at `termOffset` of `buffer` is padding. Java: `FrameDescriptor.isPaddingFrame`. */
export function isPaddingFrame(buffer: ReadableBuffer, termOffset: number): boolean {
  return buffer.getInt16(termOffset + TYPE_FIELD_OFFSET) === PADDING_FRAME_TYPE;
}

/** Writes the flags byte of the frame at `termOffset`. Java: `FrameDescriptor.frameFlags(buffer, offset, byte)`. */
export function setFrameFlags(buffer: LogBufferMemory, termOffset: number, flags: number): void {
  buffer.putInt8(termOffset + FLAGS_FIELD_OFFSET, flags);
}
