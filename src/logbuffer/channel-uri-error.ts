/**
 * The one error type of channel URI parsing and building.
 *
 * `code` is stable (`INVALID_CHANNEL_URI`) for callers to switch on; the message follows the wording of
 * Aeron's Java client so logs read the same on both sides. `javaException` names the exception class
 * Aeron throws in the same situation (NumberFormatException is itself an IllegalArgumentException
 * in Java), which is what the interop tests compare.
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** The Java exception class Aeron throws for the same input. */
export type ChannelUriJavaException = 'IllegalArgumentException' | 'IllegalStateException' | 'NumberFormatException';

/** Stable code of every channel URI error. */
export type ChannelUriErrorCode = 'INVALID_CHANNEL_URI';

/**
 * A channel URI that does not parse, or a builder value Java rejects: `code` is always `INVALID_CHANNEL_URI`, the
 * message Java's wording. Java: the `IllegalArgumentException` / `IllegalStateException` `ChannelUri` and
 * `ChannelUriStringBuilder` throw (see `javaException`).
 */
export class ChannelUriError extends AeronError {
  /** Always `INVALID_CHANNEL_URI`. */
  declare readonly code: ChannelUriErrorCode;
  /** The offending text: the whole URI for parse errors, the parameter value for builder errors. */
  readonly input: string;
  /** Index in `input` where parsing failed, or -1 when the error is not about one position. */
  readonly position: number;
  /** The exception class Aeron throws for the same input (default `IllegalArgumentException`). */
  readonly javaException: ChannelUriJavaException;

  constructor(
    message: string,
    input: string,
    position = -1,
    javaException: ChannelUriJavaException = 'IllegalArgumentException',
  ) {
    super('INVALID_CHANNEL_URI', message);
    this.input = input;
    this.position = position;
    this.javaException = javaException;
  }
}
