/**
 * The client ⇄ driver control protocol as the driver sees it (Aeron 1.51.0 `ControlProtocolEvents`,
 * `ErrorCode`): command type ids read from the to-driver ring buffer, response type ids broadcast on the
 * to-clients buffer, and the error codes carried by `ON_ERROR`.
 *
 * ```
 *  every command starts with the 16-byte correlated prefix:
 *    +0  int64 clientId
 *    +8  int64 correlationId
 * ```
 */
import { composeSemanticVersion } from '../../transport/semantic-version.ts';

/** Control protocol version 1.0.0, published as system counter 43 (`CONTROL_PROTOCOL_SEMANTIC_VERSION`). */
export const CONTROL_PROTOCOL_SEMANTIC_VERSION: number = composeSemanticVersion(1, 0, 0);

// ---- client -> driver ------------------------------------------------------------------------------------
/** Add a publication (Java `ControlProtocolEvents.ADD_PUBLICATION`). */
export const ADD_PUBLICATION = 0x01;
/** Remove a publication (Java `REMOVE_PUBLICATION`). */
export const REMOVE_PUBLICATION = 0x02;
/** Add an exclusive publication (Java `ADD_EXCLUSIVE_PUBLICATION`). */
export const ADD_EXCLUSIVE_PUBLICATION = 0x03;
/** Add a subscription (Java `ADD_SUBSCRIPTION`). */
export const ADD_SUBSCRIPTION = 0x04;
/** Remove a subscription (Java `REMOVE_SUBSCRIPTION`). */
export const REMOVE_SUBSCRIPTION = 0x05;
/** Keepalive from a client (Java `CLIENT_KEEPALIVE`). */
export const CLIENT_KEEPALIVE = 0x06;
/** Add a destination to an existing publication (Java `ADD_DESTINATION`). */
export const ADD_DESTINATION = 0x07;
/** Remove a destination from an existing publication (Java `REMOVE_DESTINATION`). */
export const REMOVE_DESTINATION = 0x08;
/** Add a counter to the counters manager (Java `ADD_COUNTER`). */
export const ADD_COUNTER = 0x09;
/** Remove a counter from the counters manager (Java `REMOVE_COUNTER`). */
export const REMOVE_COUNTER = 0x0a;
/** A client closing (Java `CLIENT_CLOSE`). */
export const CLIENT_CLOSE = 0x0b;
/** Add a destination to an existing subscription (Java `ADD_RCV_DESTINATION`). */
export const ADD_RCV_DESTINATION = 0x0c;
/** Remove a destination from an existing subscription (Java `REMOVE_RCV_DESTINATION`). */
export const REMOVE_RCV_DESTINATION = 0x0d;
/** Request the driver to terminate (Java `TERMINATE_DRIVER`). */
export const TERMINATE_DRIVER = 0x0e;
/** Add or return a static counter, one no client owns (Java `ADD_STATIC_COUNTER`, 1.45.0). */
export const ADD_STATIC_COUNTER = 0x0f;
/** Reject (invalidate) an image (Java `REJECT_IMAGE`, 1.47.0). */
export const REJECT_IMAGE = 0x10;
/** Remove a destination by its registration id (Java `REMOVE_DESTINATION_BY_ID`, 1.47.0). */
export const REMOVE_DESTINATION_BY_ID = 0x11;
/** Ask the driver for the next available session id (Java `GET_NEXT_AVAILABLE_SESSION_ID`, 1.49.0). */
export const GET_NEXT_AVAILABLE_SESSION_ID = 0x12;

// ---- driver -> clients -----------------------------------------------------------------------------------
/** Error response to a command (Java `ON_ERROR`); carries an `ERROR_CODE_*` value. */
export const ON_ERROR = 0x0f01;
/** An image of a subscription is available (Java `ON_AVAILABLE_IMAGE`). */
export const ON_AVAILABLE_IMAGE = 0x0f02;
/** A publication's buffers are ready (Java `ON_PUBLICATION_READY`). */
export const ON_PUBLICATION_READY = 0x0f03;
/** A command succeeded (Java `ON_OPERATION_SUCCESS`). */
export const ON_OPERATION_SUCCESS = 0x0f04;
/** An image went away (Java `ON_UNAVAILABLE_IMAGE`). */
export const ON_UNAVAILABLE_IMAGE = 0x0f05;
/** An exclusive publication's buffers are ready (Java `ON_EXCLUSIVE_PUBLICATION_READY`). */
export const ON_EXCLUSIVE_PUBLICATION_READY = 0x0f06;
/** A subscription is ready (Java `ON_SUBSCRIPTION_READY`). */
export const ON_SUBSCRIPTION_READY = 0x0f07;
/** A counter is ready (Java `ON_COUNTER_READY`). */
export const ON_COUNTER_READY = 0x0f08;
/** A counter was removed (Java `ON_UNAVAILABLE_COUNTER`). */
export const ON_UNAVAILABLE_COUNTER = 0x0f09;
/** The driver timed a client out (Java `ON_CLIENT_TIMEOUT`). */
export const ON_CLIENT_TIMEOUT = 0x0f0a;
/** Response to ADD_STATIC_COUNTER (Java `ON_STATIC_COUNTER`). */
export const ON_STATIC_COUNTER = 0x0f0b;
/** A publication received an error frame (Java `ON_PUBLICATION_ERROR`). */
export const ON_PUBLICATION_ERROR = 0x0f0c;
/** Response to GET_NEXT_AVAILABLE_SESSION_ID (Java `ON_NEXT_AVAILABLE_SESSION_ID`). */
export const ON_NEXT_AVAILABLE_SESSION_ID = 0x0f0d;

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
