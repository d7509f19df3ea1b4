/**
 * `InvalidChannelError`: a channel the driver cannot use (Java: `io.aeron.driver.exceptions.InvalidChannelException`,
 * a `ControlProtocolException` with `ErrorCode.INVALID_CHANNEL`).
 *
 * Java builds it around the exception the parser hit, so its message is that exception's `toString()`:
 * `java.lang.IllegalArgumentException: explicit control expected with dynamic control mode: aeron:udp?…`. `message`
 * here is that same text; `javaCause` and `reason` are its two halves. Java's client command adapter sends the
 * message verbatim in ON_ERROR.
 */
import { ERROR_CODE_INVALID_CHANNEL } from '../command/control-protocol.ts';
import { ControlProtocolError } from '../driver-error.ts';

/** A channel the driver refuses: `code` CONTROL_PROTOCOL, `errorCode` INVALID_CHANNEL (see the module comment). */
export class InvalidChannelError extends ControlProtocolError {
  /** The Java exception class of the cause (`java.lang.IllegalArgumentException`, `java.net.UnknownHostException`). */
  readonly javaCause: string;
  /** The cause's message (the text after `<javaCause>: `). */
  readonly reason: string;

  /**
   * @param javaCause the Java exception class Aeron's parser throws for the same input.
   * @param reason that exception's message.
   * @param options standard `ErrorOptions` (`cause`).
   */
  constructor(javaCause: string, reason: string, options?: ErrorOptions) {
    super(ERROR_CODE_INVALID_CHANNEL, `${javaCause}: ${reason}`, options);
    this.javaCause = javaCause;
    this.reason = reason;
  }
}

/** Java's `IllegalArgumentException`, the cause of most channel refusals. */
export const ILLEGAL_ARGUMENT = 'java.lang.IllegalArgumentException';
/** Java's `IllegalStateException`. */
export const ILLEGAL_STATE = 'java.lang.IllegalStateException';
/** Java's `UnknownHostException`: a host that does not resolve. */
export const UNKNOWN_HOST = 'java.net.UnknownHostException';
/** Java's `NumberFormatException`: a number that does not parse. */
export const NUMBER_FORMAT = 'java.lang.NumberFormatException';
