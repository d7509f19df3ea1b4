/**
 * TERMINATE_DRIVER (0x0E) (Aeron 1.51.0 `TerminateDriverFlyweight`); correlation id -1.
 *
 * ```
 *  0 client | 8 correlation | 16 tokenLength i32 | 20 token bytes ...      length = 20 + tokenLength
 * ```
 * The driver's default termination validator denies every request.
 */

import { InvalidArgumentError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

export const TERMINATE_TOKEN_LENGTH_OFFSET = 16;
export const TERMINATE_TOKEN_BUFFER_OFFSET = 20;

export class TerminateDriverFlyweight extends CorrelatedMessageFlyweight {
  static computeLength(tokenLength: number): number {
    if (!Number.isInteger(tokenLength) || tokenLength < 0) {
      throw new InvalidArgumentError(`token length must be >= 0: ${tokenLength}`);
    }
    return TERMINATE_TOKEN_BUFFER_OFFSET + tokenLength;
  }

  tokenLength(): number {
    return this.buffer.getInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET);
  }

  setToken(token: Uint8Array | AtomicBuffer, tokenOffset = 0, tokenLength?: number): this {
    const length = tokenLength ?? (token instanceof Uint8Array ? token.length : token.capacity);
    this.buffer.putInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET, length);
    if (length > 0) this.buffer.putBytes(this.offset + TERMINATE_TOKEN_BUFFER_OFFSET, token, tokenOffset, length);
    return this;
  }

  length(): number {
    return TERMINATE_TOKEN_BUFFER_OFFSET + this.tokenLength();
  }
}
