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
export const ADD_PUBLICATION = 0x01;
export const REMOVE_PUBLICATION = 0x02;
export const ADD_EXCLUSIVE_PUBLICATION = 0x03;
export const ADD_SUBSCRIPTION = 0x04;
export const REMOVE_SUBSCRIPTION = 0x05;
export const CLIENT_KEEPALIVE = 0x06;
export const ADD_DESTINATION = 0x07;
export const REMOVE_DESTINATION = 0x08;
export const ADD_COUNTER = 0x09;
export const REMOVE_COUNTER = 0x0a;
export const CLIENT_CLOSE = 0x0b;
export const ADD_RCV_DESTINATION = 0x0c;
export const REMOVE_RCV_DESTINATION = 0x0d;
export const TERMINATE_DRIVER = 0x0e;
export const ADD_STATIC_COUNTER = 0x0f;
export const REJECT_IMAGE = 0x10;
export const REMOVE_DESTINATION_BY_ID = 0x11;
export const GET_NEXT_AVAILABLE_SESSION_ID = 0x12;

// ---- driver -> clients -----------------------------------------------------------------------------------
export const ON_ERROR = 0x0f01;
export const ON_AVAILABLE_IMAGE = 0x0f02;
export const ON_PUBLICATION_READY = 0x0f03;
export const ON_OPERATION_SUCCESS = 0x0f04;
export const ON_UNAVAILABLE_IMAGE = 0x0f05;
export const ON_EXCLUSIVE_PUBLICATION_READY = 0x0f06;
export const ON_SUBSCRIPTION_READY = 0x0f07;
export const ON_COUNTER_READY = 0x0f08;
export const ON_UNAVAILABLE_COUNTER = 0x0f09;
export const ON_CLIENT_TIMEOUT = 0x0f0a;
export const ON_STATIC_COUNTER = 0x0f0b;
export const ON_PUBLICATION_ERROR = 0x0f0c;
export const ON_NEXT_AVAILABLE_SESSION_ID = 0x0f0d;

// ---- ErrorCode (value of ON_ERROR's errorCode) -------------------------------------------------------------
export const ERROR_CODE_UNUSED = 0;
export const ERROR_CODE_INVALID_CHANNEL = 1;
export const ERROR_CODE_UNKNOWN_SUBSCRIPTION = 2;
export const ERROR_CODE_UNKNOWN_PUBLICATION = 3;
export const ERROR_CODE_CHANNEL_ENDPOINT_ERROR = 4;
export const ERROR_CODE_UNKNOWN_COUNTER = 5;
export const ERROR_CODE_UNKNOWN_COMMAND_TYPE_ID = 6;
export const ERROR_CODE_MALFORMED_COMMAND = 7;
export const ERROR_CODE_NOT_SUPPORTED = 8;
export const ERROR_CODE_UNKNOWN_HOST = 9;
export const ERROR_CODE_RESOURCE_TEMPORARILY_UNAVAILABLE = 10;
export const ERROR_CODE_GENERIC_ERROR = 11;
export const ERROR_CODE_STORAGE_SPACE = 12;
export const ERROR_CODE_IMAGE_REJECTED = 13;
export const ERROR_CODE_PUBLICATION_REVOKED = 14;

/** Offsets of the correlated prefix every command starts with. */
export const CLIENT_ID_FIELD_OFFSET = 0;
export const CORRELATION_ID_FIELD_OFFSET = 8;
/** Length of the correlated prefix (`CorrelatedMessageFlyweight.LENGTH`). */
export const CORRELATED_MESSAGE_LENGTH = 16;
