/**
 * Frame-level rules of a term buffer (Aeron 1.51.0 `FrameDescriptor`): alignment, maximum message
 * length, and the ordered/volatile frame-length protocol that publishes a frame to readers.
 *
 * A frame becomes visible when its (positive) length is release-stored into its first 4 bytes; readers
 * acquire-load that length and treat ≤ 0 as "nothing here yet". Frames start on 32-byte boundaries:
 * the next frame is at `align(frameLength, FRAME_ALIGNMENT)`.
 */
import {
  FLAGS_FIELD_OFFSET,
  HDR_TYPE_PAD,
  SESSION_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from './data-header-flyweight.ts';
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

/** Rounds `value` up to a multiple of `alignment` (a power of two). Java: `BitUtil.align`. */
export function align(value: number, alignment: number): number {
  return (value + (alignment - 1)) & ~(alignment - 1);
}

/**
 * Largest message a publication with terms of `termLength` bytes accepts: min(termLength / 8, 16 MiB). Java:
 * `FrameDescriptor.computeMaxMessageLength`.
 */
export function computeMaxMessageLength(termLength: number): number {
  return Math.min(termLength >> 3, MAX_MESSAGE_LENGTH);
}

/** Acquire load of the frame length at `termOffset`. Java: `FrameDescriptor.frameLengthVolatile`. */
export function frameLengthVolatile(buffer: LogBufferMemory, termOffset: number): number {
  return buffer.getInt32Volatile(termOffset);
}

/**
 * Release store of the frame length at `termOffset`: publishes everything written to the frame before it. Java:
 * `FrameDescriptor.frameLengthOrdered`.
 */
export function frameLengthOrdered(buffer: LogBufferMemory, termOffset: number, frameLength: number): void {
  buffer.putInt32Ordered(termOffset, frameLength);
}

/** Plain load of the frame length at `termOffset`. Java: `FrameDescriptor.frameLength`. */
export function frameLength(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt32(termOffset);
}

/** Version byte (signed) of the frame at `termOffset`. Java: `FrameDescriptor.frameVersion`. */
export function frameVersion(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt8(termOffset + VERSION_FIELD_OFFSET);
}

/** Flags of the frame at `termOffset` as an unsigned byte. Java: `FrameDescriptor.frameFlags`. */
export function frameFlags(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt8(termOffset + FLAGS_FIELD_OFFSET) & 0xff;
}

/** Writes the flags byte of the frame at `termOffset`. Java: `FrameDescriptor.frameFlags(buffer, offset, byte)`. */
export function setFrameFlags(buffer: LogBufferMemory, termOffset: number, flags: number): void {
  buffer.putInt8(termOffset + FLAGS_FIELD_OFFSET, flags);
}

/** Frame type of the frame at `termOffset` as an unsigned 16-bit value. Java: `FrameDescriptor.frameType`. */
export function frameType(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt16(termOffset + TYPE_FIELD_OFFSET) & 0xffff;
}

/** Writes the frame type of the frame at `termOffset`. Java: `FrameDescriptor.frameType(buffer, offset, int)`. */
export function setFrameType(buffer: LogBufferMemory, termOffset: number, type: number): void {
  buffer.putInt16(termOffset + TYPE_FIELD_OFFSET, type);
}

/** Whether the frame at `termOffset` is padding. Java: `FrameDescriptor.isPaddingFrame`. */
export function isPaddingFrame(buffer: ReadableBuffer, termOffset: number): boolean {
  return buffer.getInt16(termOffset + TYPE_FIELD_OFFSET) === PADDING_FRAME_TYPE;
}

/** Writes the frame's own offset into its term-offset field. Java: `FrameDescriptor.frameTermOffset`. */
export function setFrameTermOffset(buffer: LogBufferMemory, termOffset: number): void {
  buffer.putInt32(termOffset + TERM_OFFSET_FIELD_OFFSET, termOffset);
}

/** Term id of the frame at `termOffset`. Java: `FrameDescriptor.frameTermId`. */
export function frameTermId(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt32(termOffset + TERM_ID_FIELD_OFFSET);
}

/** Writes the term id of the frame at `termOffset`. Java: `FrameDescriptor.frameTermId(buffer, offset, int)`. */
export function setFrameTermId(buffer: LogBufferMemory, termOffset: number, termId: number): void {
  buffer.putInt32(termOffset + TERM_ID_FIELD_OFFSET, termId);
}

/** Session id of the frame at `termOffset`. Java: `FrameDescriptor.frameSessionId`. */
export function frameSessionId(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt32(termOffset + SESSION_ID_FIELD_OFFSET);
}

/**
 * Writes the session id of the frame at `termOffset`. Java: `FrameDescriptor.frameSessionId(buffer, offset, int)`.
 */
export function setFrameSessionId(buffer: LogBufferMemory, termOffset: number, sessionId: number): void {
  buffer.putInt32(termOffset + SESSION_ID_FIELD_OFFSET, sessionId);
}
