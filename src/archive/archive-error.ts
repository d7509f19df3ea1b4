/**
 * Errors raised by the archive client. Every class carries a stable string `code`; catch `ArchiveError` for all.
 *
 * | class                      | code                   | raised when                                             |
 * |----------------------------|------------------------|---------------------------------------------------------|
 * | `ArchiveError`             | ARCHIVE_ERROR          | the archive answered ERROR (see `errorCode`), or a local protocol failure |
 * | `ArchiveTimeoutError`      | ARCHIVE_TIMEOUT        | no answer within the message timeout / the per-call deadline |
 * | `ArchiveClosedError`       | ARCHIVE_CLOSED         | the client was closed (pending calls are rejected with it) |
 * | `ArchiveAbortedError`      | ARCHIVE_ABORTED        | the call's `AbortSignal` fired                           |
 * | `ArchiveNotConnectedError` | ARCHIVE_NOT_CONNECTED  | the request publication or response subscription is not connected |
 * | `ArchiveValueRangeError`   | ARCHIVE_VALUE_RANGE    | the archive sent a 64-bit value a `number` cannot hold exactly |
 * | `ArchiveReentrantCallError`| ARCHIVE_REENTRANT_CALL | a synchronous poll of the session was called from one of its own callbacks |
 *
 * `errorCode` is the archive's error code (Java `ArchiveException` constants, {@link ArchiveErrorCode});
 * local errors use `GENERIC` (0). `correlationId` is the request's correlation id, or -1.
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** Java `ArchiveException` error codes. */
export const ArchiveErrorCode = {
  /** A generic error, the detail likely in the message; also every local failure. */
  GENERIC: 0,
  /** A listing of recordings is already in progress on the session. */
  ACTIVE_LISTING: 1,
  /** The recording is active, so the operation is not valid. */
  ACTIVE_RECORDING: 2,
  /** A recording subscription is already active for the channel and stream id. */
  ACTIVE_SUBSCRIPTION: 3,
  /** The subscription of the operation is not known to the archive. */
  UNKNOWN_SUBSCRIPTION: 4,
  /** The recording id of the operation is not known to the archive. */
  UNKNOWN_RECORDING: 5,
  /** The replay session id of the operation is not known to the archive. */
  UNKNOWN_REPLAY: 6,
  /** The archive is at its maximum of concurrent replays. */
  MAX_REPLAYS: 7,
  /** The archive is at its maximum of concurrent recordings. */
  MAX_RECORDINGS: 8,
  /** The extend-recording request does not fit the existing recording. */
  INVALID_EXTENSION: 9,
  /** The archive rejected the session: authentication failed. */
  AUTHENTICATION_REJECTED: 10,
  /** The archive's storage is at its minimum threshold or exhausted. */
  STORAGE_SPACE: 11,
  /** The replication id of the operation is not known to the archive. */
  UNKNOWN_REPLICATION: 12,
  /** The principal is not authorised to take the action. */
  UNAUTHORISED_ACTION: 13,
  /** The replication could not connect to the source archive. */
  REPLICATION_CONNECTION_FAILURE: 14,
  /** The recording specified for replay is empty (Java declares it, `errorCodeAsString` does not name it). */
  EMPTY_RECORDING: 15,
  /** The position is not valid for the operation: not frame-aligned, below the start or above the stop. */
  INVALID_POSITION: 16,
} as const;

/** The name of an archive error code, e.g. `UNKNOWN_RECORDING`. */
export type ArchiveErrorCodeName = keyof typeof ArchiveErrorCode;

const NAMES = new Map<number, ArchiveErrorCodeName>(
  (Object.entries(ArchiveErrorCode) as [ArchiveErrorCodeName, number][]).map(([name, value]) => [value, name]),
);

/** The name of an archive error code, or `unknown error code: <n>` as Java's `errorCodeAsString`. */
export function archiveErrorCodeName(errorCode: number): string {
  return NAMES.get(errorCode) ?? `unknown error code: ${errorCode}`;
}

/** The stable `code` of every archive client error class (see the table above). */
export type ArchiveErrorKind =
  | 'ARCHIVE_ERROR'
  | 'ARCHIVE_TIMEOUT'
  | 'ARCHIVE_CLOSED'
  | 'ARCHIVE_ABORTED'
  | 'ARCHIVE_NOT_CONNECTED'
  | 'ARCHIVE_VALUE_RANGE'
  | 'ARCHIVE_REENTRANT_CALL'
  | 'REPLAY_STALLED'
  | 'PERSISTENT_SUBSCRIPTION';

/** Options of the archive error constructors (plus the standard `cause`). */
export interface ArchiveErrorOptions extends ErrorOptions {
  /** The archive's error code ({@link ArchiveErrorCode}); default GENERIC. */
  readonly errorCode?: number;
  /** Correlation id of the request the error answers; default -1. */
  readonly correlationId?: number;
}

/** Base of every archive client error; also the archive's own ERROR responses. */
export class ArchiveError extends AeronError {
  /** The stable code of the error class (see the table in the module comment). */
  declare readonly code: ArchiveErrorKind;
  /** Archive error code ({@link ArchiveErrorCode}); GENERIC for local failures. */
  readonly errorCode: number;
  /** e.g. 'UNKNOWN_RECORDING'. */
  readonly errorCodeName: string;
  /** Correlation id of the request this error answers, or -1. */
  readonly correlationId: number;

  constructor(message: string, options: ArchiveErrorOptions = {}, code: ArchiveErrorKind = 'ARCHIVE_ERROR') {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorCode = options.errorCode ?? ArchiveErrorCode.GENERIC;
    this.errorCodeName = archiveErrorCodeName(this.errorCode);
    this.correlationId = options.correlationId ?? -1;
  }
}

/** No response within the message timeout (Java `TimeoutException`) or the call's own deadline. */
export class ArchiveTimeoutError extends ArchiveError {
  constructor(message: string, options: ArchiveErrorOptions = {}) {
    super(message, options, 'ARCHIVE_TIMEOUT');
  }
}

/** The client is closed; calls pending at close are rejected with this. */
export class ArchiveClosedError extends ArchiveError {
  constructor(message = 'client is closed', options: ArchiveErrorOptions = {}) {
    super(message, options, 'ARCHIVE_CLOSED');
  }
}

/** The call's AbortSignal fired; `cause` is the signal's reason (pass it as `options.cause`). */
export class ArchiveAbortedError extends ArchiveError {
  constructor(message = 'archive operation aborted', options: ArchiveErrorOptions = {}) {
    super(message, options, 'ARCHIVE_ABORTED');
  }
}

/** The control request publication or the control response subscription is not connected. */
export class ArchiveNotConnectedError extends ArchiveError {
  constructor(message: string, options: ArchiveErrorOptions = {}) {
    super(message, options, 'ARCHIVE_NOT_CONNECTED');
  }
}

/**
 * The archive sent a 64-bit value (an id or a position) that the API returns as a `number` but that a double cannot
 * hold exactly (beyond 2^53 and not a multiple of the spacing there). The response is refused instead of being
 * rounded: the bounds that make this impossible against a healthy archive are in `docs/archive-api-coverage.md`
 * ("64-bit ids and positions"). `value` is the exact value as sent.
 */
export class ArchiveValueRangeError extends ArchiveError {
  /** The exact value the archive sent. */
  readonly value: bigint;

  /**
   * @param what the field, e.g. `relevantId of the response to get recording position`.
   * @param value the exact value as sent.
   */
  constructor(what: string, value: bigint, options: ArchiveErrorOptions = {}) {
    super(`${what} = ${value} is not exactly representable as a number`, options, 'ARCHIVE_VALUE_RANGE');
    this.value = value;
  }
}

/**
 * A synchronous poll of the control session (`pollForErrorResponse`, `checkForErrorResponse`,
 * `pollForRecordingSignals`, `ReplayMerge.poll`, `PersistentSubscription.poll`) was called from inside a callback
 * that the same poll is dispatching (a listing consumer, the recording signal consumer, the error handler, a
 * fragment handler). Java throws `AeronException("reentrant calls not permitted during callbacks")` for the
 * listing callbacks. Requests (Promises) and `close()` are allowed in callbacks: requests are queued behind the
 * one in flight, `close()` releases the channels once the poll has returned.
 */
export class ArchiveReentrantCallError extends ArchiveError {
  /** @param call the method that was called re-entrantly. */
  constructor(call: string, options: ArchiveErrorOptions = {}) {
    super(`${call}: reentrant calls not permitted during callbacks`, options, 'ARCHIVE_REENTRANT_CALL');
  }
}
