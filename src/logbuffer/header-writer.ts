/**
 * Writes a data frame header from the publication's default header (1.51.0 `HeaderWriter` order):
 *
 * 1. plain store of version/flags/type (bytes 4..7, copied from the default header);
 * 2. release store of the frame length as **−length**: the frame is "being written" (the driver's
 *    unblocker recognises a negative length as a stalled claim);
 * 3. plain stores of term offset, session id (8..15) and stream id, term id (16..23).
 *
 * The writer later publishes the frame with a release store of the positive length
 * (`frameLengthOrdered`). No allocation: the three default words are captured once.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

function readInt32LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24) | 0;
}

/**
 * Writes the header of each new frame of a publication, from the 32-byte default header captured once. Java:
 * `HeaderWriter` (its little-endian variant).
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor when `defaultHeader` is shorter than 32 bytes.
 */
export class HeaderWriter {
  /** Bytes 4..7 of the default header (version, flags, type) as one little-endian int32. */
  readonly versionFlagsType: number;
  /** Session id written in every frame (from the default header). */
  readonly sessionId: number;
  /** Stream id written in every frame (from the default header). */
  readonly streamId: number;

  /** @param defaultHeader the 32-byte default header (from the log metadata or `createDefaultHeader`). */
  constructor(defaultHeader: Uint8Array) {
    if (defaultHeader.length < HEADER_LENGTH) {
      throw new InvalidArgumentError(`default header must be ${HEADER_LENGTH} bytes: length=${defaultHeader.length}`);
    }
    this.versionFlagsType = readInt32LE(defaultHeader, VERSION_FIELD_OFFSET);
    this.sessionId = readInt32LE(defaultHeader, SESSION_ID_FIELD_OFFSET);
    this.streamId = readInt32LE(defaultHeader, STREAM_ID_FIELD_OFFSET);
  }

  /**
   * Writes the header of a frame of `length` bytes (header included) at `offset` in term `termId`, the frame length
   * stored as −length (release) so readers see it as being written. Java: `HeaderWriter.write`.
   */
  write(termBuffer: LogBufferMemory, offset: number, length: number, termId: number): void {
    termBuffer.putInt32(offset + VERSION_FIELD_OFFSET, this.versionFlagsType);
    termBuffer.putInt32Ordered(offset + FRAME_LENGTH_FIELD_OFFSET, -length | 0);
    termBuffer.putInt32(offset + TERM_OFFSET_FIELD_OFFSET, offset);
    termBuffer.putInt32(offset + SESSION_ID_FIELD_OFFSET, this.sessionId);
    termBuffer.putInt32(offset + STREAM_ID_FIELD_OFFSET, this.streamId);
    termBuffer.putInt32(offset + TERM_ID_FIELD_OFFSET, termId);
  }

  /**
   * `write` on the term's Int32 words (term-words.ts; `offset` is frame aligned): the same stores in the
   * same order, the negative length through `Atomics.store`.
   */
  writeWords(words: Int32Array, offset: number, length: number, termId: number): void {
    const w = offset >> 2;
    words[w + 1] = this.versionFlagsType;
    Atomics.store(words, w, -length | 0);
    words[w + 2] = offset;
    words[w + 3] = this.sessionId;
    words[w + 4] = this.streamId;
    words[w + 5] = termId;
  }
}
