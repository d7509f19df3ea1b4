/**
 * Aeron's `ErrorCode` (1.51.0): the int32 the media driver puts in an ON_ERROR response (and the UDP ERR
 * frame). `errorCodeName` maps a value to its name; unrecognised values map to `UNKNOWN_CODE_VALUE` (-1),
 * as Java's `ErrorCode.get` does.
 */
export const ErrorCode = {
  UNUSED: 0,
  INVALID_CHANNEL: 1,
  UNKNOWN_SUBSCRIPTION: 2,
  UNKNOWN_PUBLICATION: 3,
  /** Special: the ON_ERROR "offending correlation id" holds the channel status indicator counter id. */
  CHANNEL_ENDPOINT_ERROR: 4,
  UNKNOWN_COUNTER: 5,
  UNKNOWN_COMMAND_TYPE_ID: 6,
  MALFORMED_COMMAND: 7,
  NOT_SUPPORTED: 8,
  UNKNOWN_HOST: 9,
  RESOURCE_TEMPORARILY_UNAVAILABLE: 10,
  GENERIC_ERROR: 11,
  STORAGE_SPACE: 12,
  IMAGE_REJECTED: 13,
  PUBLICATION_REVOKED: 14,
  UNKNOWN_CODE_VALUE: -1,
} as const;

/** Name of an Aeron error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

const NAMES: readonly ErrorCodeName[] = (Object.keys(ErrorCode) as ErrorCodeName[]).filter((n) => ErrorCode[n] >= 0);

/** The name of an error code value; `UNKNOWN_CODE_VALUE` for values Aeron 1.51.0 does not define. */
export function errorCodeName(value: number): ErrorCodeName {
  return Number.isInteger(value) && value >= 0 && value < NAMES.length
    ? (NAMES[value] ?? 'UNKNOWN_CODE_VALUE')
    : 'UNKNOWN_CODE_VALUE';
}
