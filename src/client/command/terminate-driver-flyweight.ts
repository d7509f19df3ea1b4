/**
 * TERMINATE_DRIVER (0x0E) (Java: `TerminateDriverFlyweight`); correlation id -1.
 *
 * ```
 *  0 client | 8 correlation | 16 tokenLength i32 | 20 token bytes ...      length = 20 + tokenLength
 * ```
 * The driver's default termination validator denies every request.
 */

import { InvalidArgumentError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/** Offset of the int32 token length (16). Java: `TerminateDriverFlyweight.TOKEN_LENGTH_OFFSET` (private). */
export const TERMINATE_TOKEN_LENGTH_OFFSET = 16;
/** Offset of the token bytes (20). Java: `TerminateDriverFlyweight.TOKEN_BUFFER_OFFSET`. */
export const TERMINATE_TOKEN_BUFFER_OFFSET = 20;

/**
 * TERMINATE_DRIVER: asks the driver to terminate, with a token its termination validator checks. Java:
 * `TerminateDriverFlyweight`.
 */
export class TerminateDriverFlyweight extends CorrelatedMessageFlyweight {
  /**
   * Encoded length for a token of `tokenLength` bytes (20 + length). Throws `InvalidArgumentError` (`INVALID_ARGUMENT`)
   * unless `tokenLength` is an integer ≥ 0.
   */
  static computeLength(tokenLength: number): number {
    if (!Number.isInteger(tokenLength) || tokenLength < 0) {
      throw new InvalidArgumentError(`token length must be >= 0: ${tokenLength}`);
    }
    return TERMINATE_TOKEN_BUFFER_OFFSET + tokenLength;
  }

  /** Token length in bytes. Java: `TerminateDriverFlyweight.tokenBufferLength`. */
  tokenLength(): number {
    return this.buffer.getInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET);
  }

  /**
   * Writes the token length and bytes (`tokenLength` bytes of `token` from `tokenOffset`; default all of it); returns
   * `this`. Java: `TerminateDriverFlyweight.tokenBuffer`.
   */
  setToken(token: Uint8Array | AtomicBuffer, tokenOffset = 0, tokenLength?: number): this {
    const length = tokenLength ?? (token instanceof Uint8Array ? token.length : token.capacity);
    this.buffer.putInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET, length);
    if (length > 0) this.buffer.putBytes(this.offset + TERMINATE_TOKEN_BUFFER_OFFSET, token, tokenOffset, length);
    return this;
  }

  /** Encoded length (20 + token length). Java: `TerminateDriverFlyweight.length`. */
  length(): number {
    return TERMINATE_TOKEN_BUFFER_OFFSET + this.tokenLength();
  }
}
