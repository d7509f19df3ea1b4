/**
 * Message type ids of the client <-> media driver control protocol (Java: `ControlProtocolEvents`).
 * Client -> driver commands go through the to-driver ring buffer; driver -> client responses arrive on the
 * to-clients broadcast buffer, which every client sees (filter by your own ids).
 */
import { composeSemanticVersion } from './semantic-version.ts';

/**
 * Control protocol 1.0.0; the driver publishes it as system counter 43. Java:
 * `ControlProtocolEvents.CONTROL_PROTOCOL_SEMANTIC_VERSION`.
 */
export const CONTROL_PROTOCOL_SEMANTIC_VERSION: number = composeSemanticVersion(1, 0, 0);

// client -> driver
/**
 * Add a publication (`PublicationMessageFlyweight`); answered by ON_PUBLICATION_READY or ON_ERROR. Message type id
 * 0x01. Java: `ControlProtocolEvents.ADD_PUBLICATION`.
 */
export const ADD_PUBLICATION = 0x01;
/**
 * Remove a publication (`RemovePublicationFlyweight`); answered by ON_OPERATION_SUCCESS or ON_ERROR. Message type id
 * 0x02. Java: `ControlProtocolEvents.REMOVE_PUBLICATION`.
 */
export const REMOVE_PUBLICATION = 0x02;
/**
 * Add an exclusive publication (`PublicationMessageFlyweight`); answered by ON_EXCLUSIVE_PUBLICATION_READY or ON_ERROR.
 * Message type id 0x03. Java: `ControlProtocolEvents.ADD_EXCLUSIVE_PUBLICATION`.
 */
export const ADD_EXCLUSIVE_PUBLICATION = 0x03;
/**
 * Add a subscription (`SubscriptionMessageFlyweight`); answered by ON_SUBSCRIPTION_READY or ON_ERROR. Message type id
 * 0x04. Java: `ControlProtocolEvents.ADD_SUBSCRIPTION`.
 */
export const ADD_SUBSCRIPTION = 0x04;
/**
 * Remove a subscription (`RemoveMessageFlyweight`); answered by ON_OPERATION_SUCCESS or ON_ERROR. Message type id 0x05.
 * Java: `ControlProtocolEvents.REMOVE_SUBSCRIPTION`.
 */
export const REMOVE_SUBSCRIPTION = 0x05;
/**
 * Legacy keepalive: clients now write their heartbeat counter directly (0x06). Java:
 * `ControlProtocolEvents.CLIENT_KEEPALIVE`.
 */
export const CLIENT_KEEPALIVE = 0x06;
/**
 * Add a destination to a (multi-destination-cast) publication (`DestinationMessageFlyweight`). Message type id 0x07.
 * Java: `ControlProtocolEvents.ADD_DESTINATION`.
 */
export const ADD_DESTINATION = 0x07;
/**
 * Remove a destination from a publication, by channel (`DestinationMessageFlyweight`). Message type id 0x08. Java:
 * `ControlProtocolEvents.REMOVE_DESTINATION`.
 */
export const REMOVE_DESTINATION = 0x08;
/**
 * Add a counter (`CounterMessageFlyweight`); answered by ON_COUNTER_READY or ON_ERROR. Message type id 0x09. Java:
 * `ControlProtocolEvents.ADD_COUNTER`.
 */
export const ADD_COUNTER = 0x09;
/**
 * Remove a counter (`RemoveMessageFlyweight`); answered by ON_OPERATION_SUCCESS or ON_ERROR. Message type id 0x0a.
 * Java: `ControlProtocolEvents.REMOVE_COUNTER`.
 */
export const REMOVE_COUNTER = 0x0a;
/**
 * A client closes (`CorrelatedMessageFlyweight`, correlation id -1); the driver frees its resources. Message type id
 * 0x0b. Java: `ControlProtocolEvents.CLIENT_CLOSE`.
 */
export const CLIENT_CLOSE = 0x0b;
/**
 * Add a destination to a (multi-destination) subscription (`DestinationMessageFlyweight`). Message type id 0x0c. Java:
 * `ControlProtocolEvents.ADD_RCV_DESTINATION`.
 */
export const ADD_RCV_DESTINATION = 0x0c;
/**
 * Remove a destination from a subscription (`DestinationMessageFlyweight`). Message type id 0x0d. Java:
 * `ControlProtocolEvents.REMOVE_RCV_DESTINATION`.
 */
export const REMOVE_RCV_DESTINATION = 0x0d;
/**
 * Ask the driver to terminate (`TerminateDriverFlyweight`); the driver's termination validator decides. Message type id
 * 0x0e. Java: `ControlProtocolEvents.TERMINATE_DRIVER`.
 */
export const TERMINATE_DRIVER = 0x0e;
/**
 * Add a static counter, one that outlives its client (`StaticCounterMessageFlyweight`); answered by ON_STATIC_COUNTER
 * (0x0F). Java: `ControlProtocolEvents.ADD_STATIC_COUNTER`.
 */
export const ADD_STATIC_COUNTER = 0x0f;
/**
 * Reject (invalidate) an image (`RejectImageFlyweight`) (0x10). Java: `ControlProtocolEvents.REJECT_IMAGE`.
 */
export const REJECT_IMAGE = 0x10;
/**
 * Remove a destination by its registration id (`DestinationByIdMessageFlyweight`) (0x11). Java:
 * `ControlProtocolEvents.REMOVE_DESTINATION_BY_ID`.
 */
export const REMOVE_DESTINATION_BY_ID = 0x11;
/**
 * Ask for the next available session id of a stream (`GetNextAvailableSessionIdMessageFlyweight`); answered by
 * ON_NEXT_AVAILABLE_SESSION_ID (0x12). Java: `ControlProtocolEvents.GET_NEXT_AVAILABLE_SESSION_ID`.
 */
export const GET_NEXT_AVAILABLE_SESSION_ID = 0x12;

// driver -> client
/** A command failed (`ErrorResponseFlyweight`). Message type id 0x0F01. Java: `ControlProtocolEvents.ON_ERROR`. */
export const ON_ERROR = 0x0f01;
/**
 * An image is available to a subscription (`ImageBuffersReadyFlyweight`). Message type id 0x0F02. Java:
 * `ControlProtocolEvents.ON_AVAILABLE_IMAGE`.
 */
export const ON_AVAILABLE_IMAGE = 0x0f02;
/**
 * A publication's log is ready (`PublicationBuffersReadyFlyweight`). Message type id 0x0F03. Java:
 * `ControlProtocolEvents.ON_PUBLICATION_READY`.
 */
export const ON_PUBLICATION_READY = 0x0f03;
/**
 * A command succeeded (`IdResponseFlyweight`: the correlation id; Java `OperationSucceededFlyweight`). Message type id
 * 0x0F04. Java: `ControlProtocolEvents.ON_OPERATION_SUCCESS`.
 */
export const ON_OPERATION_SUCCESS = 0x0f04;
/**
 * An image went away (`ImageMessageFlyweight`). Message type id 0x0F05. Java:
 * `ControlProtocolEvents.ON_UNAVAILABLE_IMAGE`.
 */
export const ON_UNAVAILABLE_IMAGE = 0x0f05;
/**
 * An exclusive publication's log is ready (`PublicationBuffersReadyFlyweight`). Message type id 0x0F06. Java:
 * `ControlProtocolEvents.ON_EXCLUSIVE_PUBLICATION_READY`.
 */
export const ON_EXCLUSIVE_PUBLICATION_READY = 0x0f06;
/**
 * A subscription is ready (`IdIntResponseFlyweight`: correlation id, channel status indicator id; Java
 * `SubscriptionReadyFlyweight`). Message type id 0x0F07. Java: `ControlProtocolEvents.ON_SUBSCRIPTION_READY`.
 */
export const ON_SUBSCRIPTION_READY = 0x0f07;
/**
 * A counter is ready (`IdIntResponseFlyweight`: registration id, counter id; Java `CounterUpdateFlyweight`). Message
 * type id 0x0F08. Java: `ControlProtocolEvents.ON_COUNTER_READY`.
 */
export const ON_COUNTER_READY = 0x0f08;
/**
 * A counter was removed (`IdIntResponseFlyweight`: registration id, counter id; Java `CounterUpdateFlyweight`). Message
 * type id 0x0F09. Java: `ControlProtocolEvents.ON_UNAVAILABLE_COUNTER`.
 */
export const ON_UNAVAILABLE_COUNTER = 0x0f09;
/**
 * The driver timed a client out (`IdResponseFlyweight`: the client id; Java `ClientTimeoutFlyweight`). Message type id
 * 0x0F0a. Java: `ControlProtocolEvents.ON_CLIENT_TIMEOUT`.
 */
export const ON_CLIENT_TIMEOUT = 0x0f0a;
/**
 * A static counter is ready (`IdIntResponseFlyweight`: correlation id, counter id; Java `StaticCounterFlyweight`)
 * (0x0F0B). Java: `ControlProtocolEvents.ON_STATIC_COUNTER`.
 */
export const ON_STATIC_COUNTER = 0x0f0b;
/**
 * A publication received an error frame from a receiver (`PublicationErrorFrameFlyweight`) (0x0F0C). Java:
 * `ControlProtocolEvents.ON_PUBLICATION_ERROR`.
 */
export const ON_PUBLICATION_ERROR = 0x0f0c;
/**
 * The answer to GET_NEXT_AVAILABLE_SESSION_ID (`NextAvailableSessionIdFlyweight`) (0x0F0D). Java:
 * `ControlProtocolEvents.ON_NEXT_AVAILABLE_SESSION_ID`.
 */
export const ON_NEXT_AVAILABLE_SESSION_ID = 0x0f0d;
