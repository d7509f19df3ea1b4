/**
 * Writes the header of each new frame of a publication from its default header (Java: `HeaderWriter`), on the
 * term's Int32 words (`term-words.ts`'s `writeFrameHeader`):
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
import { readInt32LE } from '../transport/byte-copy.ts';
import {
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import { PADDING_FRAME_TYPE } from './frame-descriptor.ts';
import { frameLengthOrdered, writeFrameHeader } from './term-words.ts';

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
   * Writes the header of a frame of `length` bytes (header included) at `offset` (frame aligned) of a term's words in
   * term `termId`, the frame length stored as −length (release) so readers see it as being written. Java:
   * `HeaderWriter.write`.
   */
  write(termWords: Int32Array, offset: number, length: number, termId: number): void {
    writeFrameHeader(termWords, offset, length, termId, this.versionFlagsType, this.sessionId, this.streamId);
  }

  /**
   * Writes and publishes a padding frame of `length` bytes at `offset`: `write` with the type `PADDING_FRAME_TYPE`,
   * then the release store of the length. Java: `headerWriter.write`, `frameType(…, PADDING_FRAME_TYPE)` and
   * `frameLengthOrdered`, as the publications pad a term (the type here goes in with the header's first store).
   */
  writePaddingFrame(termWords: Int32Array, offset: number, length: number, termId: number): void {
    const versionFlagsPadding = (this.versionFlagsType & 0xffff) | (PADDING_FRAME_TYPE << 16);
    writeFrameHeader(termWords, offset, length, termId, versionFlagsPadding, this.sessionId, this.streamId);
    frameLengthOrdered(termWords, offset, length);
  }
}
