/**
 * Message type ids of the client <-> media driver control protocol (Aeron 1.51.0 `ControlProtocolEvents`).
 * Client -> driver commands go through the to-driver ring buffer; driver -> client responses arrive on the
 * to-clients broadcast buffer, which every client sees (filter by your own ids).
 */
import { composeSemanticVersion } from '../../transport/semantic-version.ts';

/** Control protocol 1.0.0 (since 1.49.0); the driver publishes it as system counter 43. */
export const CONTROL_PROTOCOL_SEMANTIC_VERSION: number = composeSemanticVersion(1, 0, 0);

// client -> driver
export const ADD_PUBLICATION = 0x01;
export const REMOVE_PUBLICATION = 0x02;
export const ADD_EXCLUSIVE_PUBLICATION = 0x03;
export const ADD_SUBSCRIPTION = 0x04;
export const REMOVE_SUBSCRIPTION = 0x05;
/** Legacy: clients now write their heartbeat counter directly. */
export const CLIENT_KEEPALIVE = 0x06;
export const ADD_DESTINATION = 0x07;
export const REMOVE_DESTINATION = 0x08;
export const ADD_COUNTER = 0x09;
export const REMOVE_COUNTER = 0x0a;
export const CLIENT_CLOSE = 0x0b;
export const ADD_RCV_DESTINATION = 0x0c;
export const REMOVE_RCV_DESTINATION = 0x0d;
export const TERMINATE_DRIVER = 0x0e;
/** @since 1.45.0 */
export const ADD_STATIC_COUNTER = 0x0f;
/** @since 1.47.0 */
export const REJECT_IMAGE = 0x10;
/** @since 1.47.0 */
export const REMOVE_DESTINATION_BY_ID = 0x11;
/** @since 1.49.0 */
export const GET_NEXT_AVAILABLE_SESSION_ID = 0x12;

// driver -> client
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
/** @since 1.45.0 */
export const ON_STATIC_COUNTER = 0x0f0b;
/** @since 1.47.0 */
export const ON_PUBLICATION_ERROR = 0x0f0c;
/** @since 1.49.0 */
export const ON_NEXT_AVAILABLE_SESSION_ID = 0x0f0d;
