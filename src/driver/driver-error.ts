/**
 * Typed errors of the TypeScript media driver.
 *
 * Each carries a stable `code`; messages are for people and may change.
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** Stable codes of `MediaDriverError`. */
export type MediaDriverErrorCode =
  /** The Aeron directory holds the `cnc.dat` of a driver whose heartbeat is fresh (Java `ActiveDriverException`). */
  | 'ACTIVE_DRIVER'
  /** An existing `cnc.dat` kept version 0 for the whole driver timeout (Java `DriverTimeoutException`). */
  | 'CNC_NOT_INITIALISED'
  /** An option outside what Aeron accepts (Java `ConfigurationException` / `IllegalArgumentException`). */
  | 'INVALID_CONFIGURATION'
  /** The Aeron directory or one of its files cannot be created or removed. */
  | 'DIRECTORY'
  /** A client command the driver refuses; answered with `ON_ERROR` (see `ControlProtocolError`). */
  | 'CONTROL_PROTOCOL'
  /** The driver was used after `close()`, or its worker thread did not start. */
  | 'CLOSED'
  /** `launch` was aborted by its `signal` (`cause` = the signal's reason); nothing is left running. */
  | 'ABORTED';

/** Base class of every error the media driver raises. */
export class MediaDriverError extends AeronError {
  /** What went wrong: one of the {@link MediaDriverErrorCode} values. */
  declare readonly code: MediaDriverErrorCode;

  /**
   * @param code stable code of the condition.
   * @param message human-readable description.
   * @param options standard `ErrorOptions` (`cause`).
   */
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: MediaDriverErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/**
 * A client command the driver refuses (Java `ControlProtocolException`): the conductor records it in the error
 * log and answers the command's correlation id with `ON_ERROR` carrying `errorCode`.
 */
export class ControlProtocolError extends MediaDriverError {
  /** Aeron's `ErrorCode` value sent to the client (`error-codes.ts`). */
  readonly errorCode: number;
  /**
   * The Java exception class Aeron's driver throws for the same refusal when it is not a
   * `ControlProtocolException` (e.g. `java.lang.IllegalStateException`): the ON_ERROR text is then
   * `<class> : <message>` as Java's adapter writes it, else `ERROR - <message>`. Null for a `ControlProtocolException`.
   */
  readonly javaExceptionClass: string | null;

  /**
   * @param errorCode Aeron `ErrorCode` value.
   * @param message the text sent to the client in `ON_ERROR`.
   * @param options standard `ErrorOptions` (`cause`), and the Java exception class (see `javaExceptionClass`).
   */
  constructor(errorCode: number, message: string, options?: ErrorOptions & { javaExceptionClass?: string }) {
    super('CONTROL_PROTOCOL', message, options);
    this.errorCode = errorCode;
    this.javaExceptionClass = options?.javaExceptionClass ?? null;
  }
}
