/**
 * ON_ERROR (0x0F01) (Aeron 1.51.0 `ErrorResponseFlyweight`).
 *
 * ```
 *  0 offendingCommandCorrelationId i64 | 8 errorCode i32 | 12 message len i32 | 16 message ASCII ...
 * ```
 * Length = 16 + message length. For CHANNEL_ENDPOINT_ERROR (4) the first field holds the channel status
 * indicator counter id instead of a correlation id.
 */
import { Flyweight } from './flyweight.ts';

export const ERROR_OFFENDING_CORRELATION_ID_OFFSET = 0;
export const ERROR_CODE_OFFSET = 8;
export const ERROR_MESSAGE_OFFSET = 12;

export class ErrorResponseFlyweight extends Flyweight {
  offendingCommandCorrelationId(): number {
    return this.buffer.getInt64(this.offset + ERROR_OFFENDING_CORRELATION_ID_OFFSET);
  }

  setOffendingCommandCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + ERROR_OFFENDING_CORRELATION_ID_OFFSET, id);
    return this;
  }

  errorCode(): number {
    return this.buffer.getInt32(this.offset + ERROR_CODE_OFFSET);
  }

  setErrorCode(code: number): this {
    this.buffer.putInt32(this.offset + ERROR_CODE_OFFSET, code);
    return this;
  }

  errorMessage(): string {
    return this.buffer.getStringAscii(this.offset + ERROR_MESSAGE_OFFSET);
  }

  setErrorMessage(message: string): this {
    this.buffer.putStringAscii(this.offset + ERROR_MESSAGE_OFFSET, message);
    return this;
  }

  length(): number {
    return ERROR_MESSAGE_OFFSET + 4 + this.buffer.getInt32(this.offset + ERROR_MESSAGE_OFFSET);
  }
}
