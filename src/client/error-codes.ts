/**
 * Aeron's `ErrorCode`: the int32 the media driver puts in an ON_ERROR response (and the UDP ERR
 * frame). `errorCodeName` maps a value to its name; unrecognised values map to `UNKNOWN_CODE_VALUE` (-1),
 * as Java's `ErrorCode.get` does.
 */
export const ErrorCode = {
  /** Old generic value, no longer sent (0 clashes with success); kept for compatibility. */
  UNUSED: 0,
  /** Creating a channel, or parsing the channel string, failed. */
  INVALID_CHANNEL: 1,
  /** The subscription a command refers to does not exist. */
  UNKNOWN_SUBSCRIPTION: 2,
  /** The publication a command refers to does not exist. */
  UNKNOWN_PUBLICATION: 3,
  /**
   * A channel endpoint could not be opened. Special: the ON_ERROR "offending correlation id" holds the channel status
   * indicator counter id.
   */
  CHANNEL_ENDPOINT_ERROR: 4,
  /** The counter a command refers to does not exist. */
  UNKNOWN_COUNTER: 5,
  /** The driver does not know the command's type id. */
  UNKNOWN_COMMAND_TYPE_ID: 6,
  /** The command is malformed (typically too short). */
  MALFORMED_COMMAND: 7,
  /** The driver knows the command but does not support it. */
  NOT_SUPPORTED: 8,
  /** A host name in the command could not be resolved. */
  UNKNOWN_HOST: 9,
  /** A resource the command refers to is unavailable for now. */
  RESOURCE_TEMPORARILY_UNAVAILABLE: 10,
  /** Any other error in the driver. */
  GENERIC_ERROR: 11,
  /** Not enough storage space to add the resource (e.g. for a log buffer file). */
  STORAGE_SPACE: 12,
  /** An image was rejected (`Image.reject`). */
  IMAGE_REJECTED: 13,
  /** A publication was revoked. */
  PUBLICATION_REVOKED: 14,
  /** What `errorCodeName` answers for a value Aeron does not define (never sent by a driver). */
  UNKNOWN_CODE_VALUE: -1,
} as const;

/** Name of an Aeron error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

const NAMES: readonly ErrorCodeName[] = (Object.keys(ErrorCode) as ErrorCodeName[]).filter((n) => ErrorCode[n] >= 0);

/** The name of an error code value; `UNKNOWN_CODE_VALUE` for values Aeron does not define. */
export function errorCodeName(value: number): ErrorCodeName {
  return Number.isInteger(value) && value >= 0 && value < NAMES.length
    ? (NAMES[value] ?? 'UNKNOWN_CODE_VALUE')
    : 'UNKNOWN_CODE_VALUE';
}
