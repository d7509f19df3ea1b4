/**
 * The client ⇄ driver control protocol as the driver sees it (Java `ControlProtocolEvents`, `ErrorCode`):
 * the command and response type ids (re-exported from `src/transport/control-protocol-events.ts`, which the
 * client uses too), the error codes carried by `ON_ERROR`, and the correlated prefix every command starts with.
 *
 * ```
 *  every command starts with the 16-byte correlated prefix:
 *    +0  int64 clientId
 *    +8  int64 correlationId
 * ```
 */

// The message type ids (client -> driver commands, driver -> client responses) and the protocol version are
// shared with the client: one definition, in the transport layer.
export * from '../../transport/control-protocol-events.ts';

// ---- ErrorCode (value of ON_ERROR's errorCode) -------------------------------------------------------------
/** Old generic value, no longer used (0 clashes with success); kept for compatibility (Java `ErrorCode.UNUSED`). */
export const ERROR_CODE_UNUSED = 0;
/** Creating a channel or parsing the channel string failed (Java `ErrorCode.INVALID_CHANNEL`). */
export const ERROR_CODE_INVALID_CHANNEL = 1;
/** The subscription referenced was not found (Java `ErrorCode.UNKNOWN_SUBSCRIPTION`). */
export const ERROR_CODE_UNKNOWN_SUBSCRIPTION = 2;
/** The publication referenced was not found (Java `ErrorCode.UNKNOWN_PUBLICATION`). */
export const ERROR_CODE_UNKNOWN_PUBLICATION = 3;
/** A channel endpoint could not be opened (Java `ErrorCode.CHANNEL_ENDPOINT_ERROR`). */
export const ERROR_CODE_CHANNEL_ENDPOINT_ERROR = 4;
/** The counter referenced was not found (Java `ErrorCode.UNKNOWN_COUNTER`). */
export const ERROR_CODE_UNKNOWN_COUNTER = 5;
/** A command type the driver does not know (Java `ErrorCode.UNKNOWN_COMMAND_TYPE_ID`). */
export const ERROR_CODE_UNKNOWN_COMMAND_TYPE_ID = 6;
/** A malformed command, typically too short (Java `ErrorCode.MALFORMED_COMMAND`). */
export const ERROR_CODE_MALFORMED_COMMAND = 7;
/** A command the driver knows but does not support (Java `ErrorCode.NOT_SUPPORTED`). */
export const ERROR_CODE_NOT_SUPPORTED = 8;
/** A host name in the command could not be resolved (Java `ErrorCode.UNKNOWN_HOST`). */
export const ERROR_CODE_UNKNOWN_HOST = 9;
/** The resource referred to is unavailable for now: retry (Java `ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE`). */
export const ERROR_CODE_RESOURCE_TEMPORARILY_UNAVAILABLE = 10;
/** Any other error condition (Java `ErrorCode.GENERIC_ERROR`). */
export const ERROR_CODE_GENERIC_ERROR = 11;
/** Not enough storage space to add the resource (Java `ErrorCode.STORAGE_SPACE`). */
export const ERROR_CODE_STORAGE_SPACE = 12;
/** An image was rejected (Java `ErrorCode.IMAGE_REJECTED`). */
export const ERROR_CODE_IMAGE_REJECTED = 13;
/** A publication was revoked (Java `ErrorCode.PUBLICATION_REVOKED`). */
export const ERROR_CODE_PUBLICATION_REVOKED = 14;

/** Offset of the int64 client id in the correlated prefix every command starts with. */
export const CLIENT_ID_FIELD_OFFSET = 0;
/** Offset of the int64 correlation id in the correlated prefix. */
export const CORRELATION_ID_FIELD_OFFSET = 8;
/** Length of the correlated prefix (`CorrelatedMessageFlyweight.LENGTH`). */
export const CORRELATED_MESSAGE_LENGTH = 16;
