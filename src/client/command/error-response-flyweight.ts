/**
 * ON_ERROR (0x0F01) (Java: `ErrorResponseFlyweight`).
 *
 * ```
 *  0 offendingCommandCorrelationId i64 | 8 errorCode i32 | 12 message len i32 | 16 message ASCII ...
 * ```
 * Length = 16 + message length. For CHANNEL_ENDPOINT_ERROR (4) the first field holds the channel status
 * indicator counter id instead of a correlation id.
 */
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 correlation id of the command that failed (0). Java:
 * `ErrorResponseFlyweight.OFFENDING_COMMAND_CORRELATION_ID_OFFSET` (private).
 */
export const ERROR_OFFENDING_CORRELATION_ID_OFFSET = 0;
/**
 * Offset of the int32 error code, an `ErrorCode` value (8). Java: `ErrorResponseFlyweight.ERROR_CODE_OFFSET` (private).
 */
export const ERROR_CODE_OFFSET = 8;
/**
 * Offset of the int32 message length, the ASCII message after it (12). Java:
 * `ErrorResponseFlyweight.ERROR_MESSAGE_OFFSET` (private).
 */
export const ERROR_MESSAGE_OFFSET = 12;

/** ON_ERROR: the driver's answer to a command that failed. Java: `ErrorResponseFlyweight`. */
export class ErrorResponseFlyweight extends Flyweight {
  /**
   * Correlation id of the command that failed (for CHANNEL_ENDPOINT_ERROR: the channel status indicator counter id).
   * Java: `ErrorResponseFlyweight.offendingCommandCorrelationId`.
   */
  offendingCommandCorrelationId(): number {
    return this.buffer.getInt64(this.offset + ERROR_OFFENDING_CORRELATION_ID_OFFSET);
  }

  /**
   * Writes the offending correlation id; returns `this`. Java:
   * `ErrorResponseFlyweight.offendingCommandCorrelationId(long)`.
   */
  setOffendingCommandCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + ERROR_OFFENDING_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** The error code value (`ErrorCode`; `errorCodeName` names it). Java: `ErrorResponseFlyweight.errorCodeValue`. */
  errorCode(): number {
    return this.buffer.getInt32(this.offset + ERROR_CODE_OFFSET);
  }

  /** Writes the error code value; returns `this`. Java: `ErrorResponseFlyweight.errorCode(ErrorCode)`. */
  setErrorCode(code: number): this {
    this.buffer.putInt32(this.offset + ERROR_CODE_OFFSET, code);
    return this;
  }

  /** The error message (ASCII). Java: `ErrorResponseFlyweight.errorMessage`. */
  errorMessage(): string {
    return this.buffer.getStringAscii(this.offset + ERROR_MESSAGE_OFFSET);
  }

  /**
   * Writes the message (length-prefixed ASCII); returns `this`. Java: `ErrorResponseFlyweight.errorMessage(String)`.
   */
  setErrorMessage(message: string): this {
    this.buffer.putStringAscii(this.offset + ERROR_MESSAGE_OFFSET, message);
    return this;
  }

  /** Encoded length (16 + message length). Java: `ErrorResponseFlyweight.length`. */
  length(): number {
    return ERROR_MESSAGE_OFFSET + 4 + this.buffer.getInt32(this.offset + ERROR_MESSAGE_OFFSET);
  }
}
