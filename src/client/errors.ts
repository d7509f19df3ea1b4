/**
 * Every error the Aeron client raises. Each class carries a stable string `code` (the rusteron-archive error
 * kinds); messages are for humans and may change. Catch `AeronError` for all of them.
 *
 * | class                          | code                       | raised when                                           |
 * |--------------------------------|----------------------------|-------------------------------------------------------|
 * | `DriverTimeoutError`           | DRIVER_TIMEOUT             | no CnC / no driver heartbeat / no response in time    |
 * | `ClientTimeoutError`           | CLIENT_TIMEOUT             | the driver timed this client out (ON_CLIENT_TIMEOUT)   |
 * | `ConductorServiceTimeoutError` | CONDUCTOR_SERVICE_TIMEOUT  | duty cycle not run within the inter-service timeout   |
 * | `RegistrationError`            | REGISTRATION               | the driver answered a command with ON_ERROR           |
 * | `AeronTimeoutError`            | TIMED_OUT                  | a wait other than a driver response timed out          |
 * | `AeronClosedError`             | CLOSED                     | the client (or resource) is closed                    |
 * | `AeronAbortedError`            | ABORTED                    | the call's `AbortSignal` fired (`cause`: its reason)  |
 * | `ReentrantPollError`           | REENTRANT_POLL             | a poll inside a poll handler of the same subscription |
 * | `BufferFullError`              | BUFFER_FULL                | the to-driver command buffer is full                  |
 * | `NotConnectedError`            | NOT_CONNECTED              | offer result NOT_CONNECTED (-1)                       |
 * | `BackPressuredError`           | BACK_PRESSURED             | offer result BACK_PRESSURED (-2)                      |
 * | `AdminActionError`             | ADMIN_ACTION               | offer result ADMIN_ACTION (-3)                        |
 * | `MaxPositionExceededError`     | MAX_POSITION_EXCEEDED      | offer result MAX_POSITION_EXCEEDED (-5)               |
 * | `MessageTooLongError`          | MESSAGE_TOO_LONG           | offer > maxMessageLength, or claim > maxPayloadLength |
 * | `PublicationError`             | PUBLICATION_ERROR          | a publication error frame / other publication failure |
 * | `DriverEventsInvalidError`     | DRIVER_EVENTS_INVALID      | lapped on (or corrupt) to-clients broadcast: closed   |
 * | `UnknownAeronError`            | UNKNOWN                    | anything else (wraps the cause)                       |
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { type ErrorCodeName, errorCodeName } from './error-codes.ts';

/** Stable codes of every client error. */
export type AeronErrorCode =
  | 'DRIVER_TIMEOUT'
  | 'CLIENT_TIMEOUT'
  | 'CONDUCTOR_SERVICE_TIMEOUT'
  | 'REGISTRATION'
  | 'TIMED_OUT'
  | 'CLOSED'
  | 'ABORTED'
  | 'REENTRANT_POLL'
  | 'BUFFER_FULL'
  | 'NOT_CONNECTED'
  | 'BACK_PRESSURED'
  | 'ADMIN_ACTION'
  | 'MAX_POSITION_EXCEEDED'
  | 'MESSAGE_TOO_LONG'
  | 'PUBLICATION_ERROR'
  | 'DRIVER_EVENTS_INVALID'
  | 'UNKNOWN';

export { AeronError, IllegalStateError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

/** The media driver is absent, dead, or did not answer within the driver timeout. */
export class DriverTimeoutError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('DRIVER_TIMEOUT', message, options);
  }
}

/**
 * An offer longer than the publication's `maxMessageLength`, or a `tryClaim` longer than its
 * `maxPayloadLength` (Java throws IllegalArgumentException). Nothing was written.
 */
export class MessageTooLongError extends AeronError {
  /** Length of the rejected message or claim, in bytes. */
  readonly length: number;
  /** The limit it broke: `maxMessageLength` for an offer, `maxPayloadLength` for a claim. */
  readonly maxLength: number;

  constructor(what: 'message' | 'claim', length: number, maxLength: number) {
    const limit = what === 'message' ? 'maxMessageLength' : 'maxPayloadLength';
    super('MESSAGE_TOO_LONG', `${what} exceeds ${limit} of ${maxLength}, length=${length}`);
    this.length = length;
    this.maxLength = maxLength;
  }
}

/** The media driver timed this client out (it did not see the client's heartbeat in time). */
export class ClientTimeoutError extends AeronError {
  constructor(message = 'client timeout from driver', options?: ErrorOptions) {
    super('CLIENT_TIMEOUT', message, options);
  }
}

/** The client's duty cycle was not run within the inter-service timeout (the CnC client liveness timeout). */
export class ConductorServiceTimeoutError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONDUCTOR_SERVICE_TIMEOUT', message, options);
  }
}

/** The driver rejected a command with ON_ERROR: Aeron's error code, its name, and the driver's message. */
export class RegistrationError extends AeronError {
  /** Correlation id of the offending command. */
  readonly correlationId: number;
  /** Aeron `ErrorCode` value. */
  readonly errorCode: number;
  /** Aeron `ErrorCode` name (`UNKNOWN_CODE_VALUE` for values this client does not know). */
  readonly errorCodeName: ErrorCodeName;
  /** The driver's message, as sent. */
  readonly driverMessage: string;

  constructor(correlationId: number, errorCode: number, driverMessage: string, options?: ErrorOptions) {
    const name = errorCodeName(errorCode);
    super(
      'REGISTRATION',
      `correlationId=${correlationId}, errorCodeValue=${errorCode} (${name}): ${driverMessage}`,
      options,
    );
    this.correlationId = correlationId;
    this.errorCode = errorCode;
    this.errorCodeName = name;
    this.driverMessage = driverMessage;
  }
}

/** A wait other than a driver response (e.g. an await helper with a deadline) timed out. */
export class AeronTimeoutError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('TIMED_OUT', message, options);
  }
}

/** The client, or the resource, is closed. */
export class AeronClosedError extends AeronError {
  constructor(message = 'Aeron client is closed', options?: ErrorOptions) {
    super('CLOSED', message, options);
  }
}

/**
 * The call's `AbortSignal` fired before the operation completed; `cause` is the signal's reason. Whatever the
 * call had started (a command sent to the driver, a mapping) has been released or will be on its answer.
 */
export class AeronAbortedError extends AeronError {
  constructor(message = 'operation aborted', options?: ErrorOptions) {
    super('ABORTED', message, options);
  }
}

/**
 * A poll of an image or of a subscription (any form, or `controlledPeek` / `setPosition`) was called from
 * inside a handler of a poll of the same subscription or of one of its images. Nothing was read and no state
 * changed: the outer poll goes on and delivers every fragment once (a nested poll would have delivered again
 * what the outer one had read but not yet published). Read one subscription from one poll at a time; polls of
 * other subscriptions from inside a handler are fine.
 */
export class ReentrantPollError extends AeronError {
  constructor(message = 'poll called from inside a handler of the same poll', options?: ErrorOptions) {
    super('REENTRANT_POLL', message, options);
  }
}

/** The to-driver command ring buffer had no room for a command. */
export class BufferFullError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('BUFFER_FULL', message, options);
  }
}

/**
 * An offer or claim returned `NOT_CONNECTED` (-1): no subscriber is connected. Made by `publicationResultToError`
 * (offers return the sentinel, they do not throw).
 */
export class NotConnectedError extends AeronError {
  constructor(message = 'publication is not connected', options?: ErrorOptions) {
    super('NOT_CONNECTED', message, options);
  }
}

/**
 * An offer or claim returned `BACK_PRESSURED` (-2): the subscribers are behind; retry later. Made by
 * `publicationResultToError`.
 */
export class BackPressuredError extends AeronError {
  constructor(message = 'publication is back pressured', options?: ErrorOptions) {
    super('BACK_PRESSURED', message, options);
  }
}

/**
 * An offer or claim returned `ADMIN_ACTION` (-3): the log rotated; retry at once. Made by `publicationResultToError`.
 */
export class AdminActionError extends AeronError {
  constructor(message = 'publication admin action (log rotation); retry', options?: ErrorOptions) {
    super('ADMIN_ACTION', message, options);
  }
}

/**
 * An offer or claim returned `MAX_POSITION_EXCEEDED` (-5): the stream reached termLength × 2^31. Made by
 * `publicationResultToError`.
 */
export class MaxPositionExceededError extends AeronError {
  constructor(message = 'publication reached its max position', options?: ErrorOptions) {
    super('MAX_POSITION_EXCEEDED', message, options);
  }
}

/**
 * A publication result that is not one of the sentinels (0, or below -5): what `publicationResultToError` returns for
 * it.
 */
export class PublicationError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('PUBLICATION_ERROR', message, options);
  }
}

/**
 * The client could not keep up with the driver's to-clients broadcast (lapped) or read a corrupt record from it,
 * so driver events were lost: the client terminates (Java `ClientConductor.service`:
 * `AeronException("Driver events adapter is invalid", cause)`). The transport error is the `cause`.
 */
export class DriverEventsInvalidError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('DRIVER_EVENTS_INVALID', message, options);
  }
}

/**
 * Anything else: a non-Aeron error wrapped by `toAeronError` (the original as `cause`), a registration id of the wrong
 * kind, a log buffer that could not be mapped.
 */
export class UnknownAeronError extends AeronError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNKNOWN', message, options);
  }
}

// Publication offer/claim sentinels (Java `Publication`; exported by `publication.ts`).
const NOT_CONNECTED = -1;
const BACK_PRESSURED = -2;
const ADMIN_ACTION = -3;
const CLOSED = -4;
const MAX_POSITION_EXCEEDED = -5;

/**
 * Maps an offer/claim result to its error: null for a position (> 0), the sentinel's class for -1..-5, and
 * `PublicationError` for any other value (0 or below -5 is not a valid result).
 */
export function publicationResultToError(result: number): AeronError | null {
  if (result > 0) return null;
  switch (result) {
    case NOT_CONNECTED:
      return new NotConnectedError();
    case BACK_PRESSURED:
      return new BackPressuredError();
    case ADMIN_ACTION:
      return new AdminActionError();
    case CLOSED:
      return new AeronClosedError('publication is closed');
    case MAX_POSITION_EXCEEDED:
      return new MaxPositionExceededError();
    default:
      return new PublicationError(`unknown publication result ${result}`);
  }
}

/** Wraps anything thrown into an `AeronError` (`UnknownAeronError` with the cause) unless it already is one. */
export function toAeronError(e: unknown): AeronError {
  if (e instanceof AeronError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new UnknownAeronError(message, { cause: e });
}
