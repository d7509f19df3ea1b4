/**
 * The driver's side of the to-clients broadcast buffer (Aeron 1.51.0 `ClientProxy`): encodes each response
 * into one reused scratch buffer and broadcasts it to every client through the `BroadcastTransmitter`.
 *
 * ```
 *  ON_ERROR             +0 int64 offendingCommandCorrelationId  +8 int32 errorCode
 *                       +12 int32 message length  +16 message (ASCII)
 *  ON_OPERATION_SUCCESS +0 int64 correlationId
 *  ON_COUNTER_READY     +0 int64 correlationId (the counter's registration id; the client id for a
 *                            client's heartbeat counter)  +8 int32 counterId
 *  ON_UNAVAILABLE_COUNTER  same layout as ON_COUNTER_READY (registration id, counter id)
 *  ON_STATIC_COUNTER    +0 int64 correlationId (of the ADD_STATIC_COUNTER)  +8 int32 counterId
 *  ON_CLIENT_TIMEOUT    +0 int64 clientId
 *  ON_PUBLICATION_READY / ON_EXCLUSIVE_PUBLICATION_READY
 *                       +0 int64 correlationId  +8 int64 registrationId  +16 int32 sessionId  +20 int32 streamId
 *                       +24 int32 publisher limit counter id  +28 int32 channel status indicator id (-1 for IPC)
 *                       +32 int32 log file name length  +36 log file name (ASCII)
 *  ON_SUBSCRIPTION_READY +0 int64 correlationId  +8 int32 channel status indicator id (-1 for IPC)
 *  ON_AVAILABLE_IMAGE   +0 int64 correlationId (the image's: the publication's registration id for IPC)
 *                       +8 int32 sessionId  +12 int32 streamId  +16 int64 subscription registration id
 *                       +24 int32 subscriber position counter id  +28 int32 log file name length, name
 *                       then at 4-aligned: int32 source identity length, source identity ("aeron:ipc" for IPC)
 *  ON_NEXT_AVAILABLE_SESSION_ID +0 int64 correlationId  +8 int32 sessionId
 *  ON_UNAVAILABLE_IMAGE +0 int64 correlationId (the image's)  +8 int64 subscription registration id
 *                       +16 int32 streamId  +20 int32 channel length  +24 channel (ASCII)
 * ```
 *
 * Nothing is allocated per response except the BigInts of the transmitter's 64-bit release stores
 * (`AtomicBuffer`); responses are control-path. Error messages longer than the broadcast's largest message
 * are truncated.
 */
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { align } from '../transport/bit-util.ts';
import type { BroadcastTransmitter } from '../transport/broadcast-transmitter.ts';
import {
  ON_AVAILABLE_IMAGE,
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_EXCLUSIVE_PUBLICATION_READY,
  ON_NEXT_AVAILABLE_SESSION_ID,
  ON_OPERATION_SUCCESS,
  ON_PUBLICATION_ERROR,
  ON_PUBLICATION_READY,
  ON_STATIC_COUNTER,
  ON_SUBSCRIPTION_READY,
  ON_UNAVAILABLE_COUNTER,
  ON_UNAVAILABLE_IMAGE,
} from './command/control-protocol.ts';
import type { SocketAddress } from './media/socket-address.ts';

const ERROR_CODE_OFFSET = 8;
const ERROR_MESSAGE_OFFSET = 12;
/** Length of ON_COUNTER_READY / ON_UNAVAILABLE_COUNTER (`CounterUpdateFlyweight.LENGTH`). */
const COUNTER_UPDATE_LENGTH = 12;
const COUNTER_ID_OFFSET = 8;
const PUBLICATION_REGISTRATION_ID_OFFSET = 8;
const PUBLICATION_SESSION_ID_OFFSET = 16;
const PUBLICATION_STREAM_ID_OFFSET = 20;
const PUBLICATION_LIMIT_COUNTER_ID_OFFSET = 24;
const PUBLICATION_CHANNEL_STATUS_ID_OFFSET = 28;
const PUBLICATION_LOG_FILE_NAME_OFFSET = 32;
const SUBSCRIPTION_CHANNEL_STATUS_ID_OFFSET = 8;
const NEXT_SESSION_ID_OFFSET = 8;
const NEXT_SESSION_ID_LENGTH = 12;
const SUBSCRIPTION_READY_LENGTH = 12;
const IMAGE_SESSION_ID_OFFSET = 8;
const IMAGE_STREAM_ID_OFFSET = 12;
const IMAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 16;
const IMAGE_SUBSCRIBER_POSITION_ID_OFFSET = 24;
const IMAGE_LOG_FILE_NAME_OFFSET = 28;
const IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 8;
const IMAGE_MESSAGE_STREAM_ID_OFFSET = 16;
const IMAGE_MESSAGE_CHANNEL_OFFSET = 20;
const PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET = 8;
const PUBLICATION_ERROR_SESSION_ID_OFFSET = 16;
const PUBLICATION_ERROR_STREAM_ID_OFFSET = 20;
const PUBLICATION_ERROR_RECEIVER_ID_OFFSET = 24;
const PUBLICATION_ERROR_GROUP_TAG_OFFSET = 32;
const PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET = 40;
const PUBLICATION_ERROR_PORT_OFFSET = 42;
const PUBLICATION_ERROR_ADDRESS_OFFSET = 44;
const PUBLICATION_ERROR_ADDRESS_LENGTH = 16;
const PUBLICATION_ERROR_CODE_OFFSET = 60;
const PUBLICATION_ERROR_MESSAGE_OFFSET = 64;
const ADDRESS_TYPE_IPV4 = 1;
const ADDRESS_TYPE_IPV6 = 2;
const LOOPBACK_FIRST_OCTET = 127;

/** Sends the driver's responses and notifications to all clients. */
export class ClientProxy {
  readonly #transmitter: BroadcastTransmitter;
  readonly #buffer: AtomicBuffer;

  /** @param transmitter the to-clients broadcast transmitter (the driver is its only writer). */
  constructor(transmitter: BroadcastTransmitter) {
    this.#transmitter = transmitter;
    this.#buffer = new AtomicBuffer(new ArrayBuffer(Math.max(transmitter.maxMsgLength, 64)));
  }

  /** ON_ERROR: the command `correlationId` failed with Aeron `ErrorCode` `errorCode`. */
  onError(correlationId: number, errorCode: number, message: string): void {
    const buffer = this.#buffer;
    const maxMessage = this.#transmitter.maxMsgLength - ERROR_MESSAGE_OFFSET - 4;
    const text = message.length <= maxMessage ? message : message.slice(0, Math.max(0, maxMessage));
    buffer.putInt64(0, correlationId);
    buffer.putInt32(ERROR_CODE_OFFSET, errorCode);
    const length = ERROR_MESSAGE_OFFSET + buffer.putStringAscii(ERROR_MESSAGE_OFFSET, text);
    this.#transmitter.transmit(ON_ERROR, buffer, 0, length);
  }

  /** ON_OPERATION_SUCCESS for the command `correlationId`. */
  operationSucceeded(correlationId: number): void {
    this.#buffer.putInt64(0, correlationId);
    this.#transmitter.transmit(ON_OPERATION_SUCCESS, this.#buffer, 0, 8);
  }

  /** ON_COUNTER_READY: counter `counterId` is allocated for registration id `correlationId`. */
  onCounterReady(correlationId: number, counterId: number): void {
    this.#counterUpdate(ON_COUNTER_READY, correlationId, counterId);
  }

  /** ON_STATIC_COUNTER: the static counter asked for by `correlationId` is counter `counterId`. */
  onStaticCounter(correlationId: number, counterId: number): void {
    this.#counterUpdate(ON_STATIC_COUNTER, correlationId, counterId);
  }

  /** ON_UNAVAILABLE_COUNTER: counter `counterId` of registration id `registrationId` is going away. */
  onUnavailableCounter(registrationId: number, counterId: number): void {
    this.#counterUpdate(ON_UNAVAILABLE_COUNTER, registrationId, counterId);
  }

  /** ON_CLIENT_TIMEOUT: the driver timed client `clientId` out. */
  onClientTimeout(clientId: number): void {
    this.#buffer.putInt64(0, clientId);
    this.#transmitter.transmit(ON_CLIENT_TIMEOUT, this.#buffer, 0, 8);
  }

  /**
   * ON_PUBLICATION_READY (ON_EXCLUSIVE_PUBLICATION_READY when `isExclusive`) for the command `correlationId`: the
   * publication `registrationId` (the first adder's correlation id when shared) with its log and limit counter.
   */
  onPublicationReady(
    correlationId: number,
    registrationId: number,
    streamId: number,
    sessionId: number,
    logFileName: string,
    publicationLimitId: number,
    channelStatusId: number,
    isExclusive: boolean,
  ): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt64(PUBLICATION_REGISTRATION_ID_OFFSET, registrationId);
    buffer.putInt32(PUBLICATION_SESSION_ID_OFFSET, sessionId);
    buffer.putInt32(PUBLICATION_STREAM_ID_OFFSET, streamId);
    buffer.putInt32(PUBLICATION_LIMIT_COUNTER_ID_OFFSET, publicationLimitId);
    buffer.putInt32(PUBLICATION_CHANNEL_STATUS_ID_OFFSET, channelStatusId);
    const length =
      PUBLICATION_LOG_FILE_NAME_OFFSET + buffer.putStringAscii(PUBLICATION_LOG_FILE_NAME_OFFSET, logFileName);
    this.#transmitter.transmit(isExclusive ? ON_EXCLUSIVE_PUBLICATION_READY : ON_PUBLICATION_READY, buffer, 0, length);
  }

  /** ON_NEXT_AVAILABLE_SESSION_ID: the answer `sessionId` to GET_NEXT_AVAILABLE_SESSION_ID `correlationId`. */
  onNextAvailableSessionId(correlationId: number, sessionId: number): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt32(NEXT_SESSION_ID_OFFSET, sessionId);
    this.#transmitter.transmit(ON_NEXT_AVAILABLE_SESSION_ID, buffer, 0, NEXT_SESSION_ID_LENGTH);
  }

  /** ON_SUBSCRIPTION_READY for the subscription `correlationId`. */
  onSubscriptionReady(correlationId: number, channelStatusId: number): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt32(SUBSCRIPTION_CHANNEL_STATUS_ID_OFFSET, channelStatusId);
    this.#transmitter.transmit(ON_SUBSCRIPTION_READY, buffer, 0, SUBSCRIPTION_READY_LENGTH);
  }

  /**
   * ON_AVAILABLE_IMAGE: image `correlationId` (session `sessionId`) is available to subscription
   * `subscriptionRegistrationId`, read through `logFileName`, its position in counter `positionCounterId`.
   */
  onAvailableImage(
    correlationId: number,
    streamId: number,
    sessionId: number,
    subscriptionRegistrationId: number,
    positionCounterId: number,
    logFileName: string,
    sourceIdentity: string,
  ): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt32(IMAGE_SESSION_ID_OFFSET, sessionId);
    buffer.putInt32(IMAGE_STREAM_ID_OFFSET, streamId);
    buffer.putInt64(IMAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET, subscriptionRegistrationId);
    buffer.putInt32(IMAGE_SUBSCRIBER_POSITION_ID_OFFSET, positionCounterId);
    const sourceIdentityOffset =
      IMAGE_LOG_FILE_NAME_OFFSET + align(buffer.putStringAscii(IMAGE_LOG_FILE_NAME_OFFSET, logFileName), 4);
    const length = sourceIdentityOffset + buffer.putStringAscii(sourceIdentityOffset, sourceIdentity);
    this.#transmitter.transmit(ON_AVAILABLE_IMAGE, buffer, 0, length);
  }

  /** ON_UNAVAILABLE_IMAGE: image `correlationId` is gone from subscription `subscriptionRegistrationId`. */
  onUnavailableImage(
    correlationId: number,
    subscriptionRegistrationId: number,
    streamId: number,
    channel: string,
  ): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt64(IMAGE_MESSAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET, subscriptionRegistrationId);
    buffer.putInt32(IMAGE_MESSAGE_STREAM_ID_OFFSET, streamId);
    const length = IMAGE_MESSAGE_CHANNEL_OFFSET + buffer.putStringAscii(IMAGE_MESSAGE_CHANNEL_OFFSET, channel);
    this.#transmitter.transmit(ON_UNAVAILABLE_IMAGE, buffer, 0, length);
  }

  /**
   * ON_PUBLICATION_ERROR (Java `ClientProxy.onPublicationErrorFrame`) for publication `registrationId`, from an
   * IPC source: the source address is 127.0.0.1 port 0 (Java `IpcPublication`'s `IPC_SRC_ADDRESS`).
   */
  onPublicationErrorFromIpc(
    registrationId: number,
    destinationRegistrationId: number,
    sessionId: number,
    streamId: number,
    receiverId: number,
    groupTag: number,
    errorCode: number,
    errorMessage: string,
  ): void {
    const buffer = this.#buffer;
    this.#publicationErrorIds(registrationId, destinationRegistrationId, sessionId, streamId);
    buffer.putInt64(PUBLICATION_ERROR_RECEIVER_ID_OFFSET, receiverId);
    buffer.putInt64(PUBLICATION_ERROR_GROUP_TAG_OFFSET, groupTag);
    buffer.putInt16(PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET, ADDRESS_TYPE_IPV4);
    buffer.putInt16(PUBLICATION_ERROR_PORT_OFFSET, 0);
    for (let i = 0; i < PUBLICATION_ERROR_ADDRESS_LENGTH; i += 4) {
      buffer.putInt32(PUBLICATION_ERROR_ADDRESS_OFFSET + i, 0);
    }
    buffer.putInt8(PUBLICATION_ERROR_ADDRESS_OFFSET, LOOPBACK_FIRST_OCTET);
    buffer.putInt8(PUBLICATION_ERROR_ADDRESS_OFFSET + 3, 1);
    this.#publicationErrorMessage(errorCode, errorMessage);
  }

  /**
   * ON_PUBLICATION_ERROR (Java `ClientProxy.onPublicationErrorFrame`) for network publication `registrationId`,
   * from the error frame a receiver at `srcAddress` sent: address type 1 (IPv4, 4 bytes then zeros) or 2 (IPv6, 16
   * bytes), the port, the receiver id and group tag (-1 without one) as the frame carried them. Control path.
   */
  onPublicationErrorFrame(
    registrationId: number,
    destinationRegistrationId: number,
    sessionId: number,
    streamId: number,
    receiverId: bigint,
    groupTag: bigint | null,
    srcAddress: SocketAddress,
    errorCode: number,
    errorMessage: string,
  ): void {
    const buffer = this.#buffer;
    this.#publicationErrorIds(registrationId, destinationRegistrationId, sessionId, streamId);
    buffer.putInt64BigInt(PUBLICATION_ERROR_RECEIVER_ID_OFFSET, receiverId);
    buffer.putInt64BigInt(PUBLICATION_ERROR_GROUP_TAG_OFFSET, groupTag ?? -1n);
    buffer.putInt16(
      PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET,
      srcAddress.family === 4 ? ADDRESS_TYPE_IPV4 : ADDRESS_TYPE_IPV6,
    );
    buffer.putInt16(PUBLICATION_ERROR_PORT_OFFSET, srcAddress.port() & 0xffff);
    for (let i = 0; i < PUBLICATION_ERROR_ADDRESS_LENGTH; i += 4) {
      buffer.putInt32(PUBLICATION_ERROR_ADDRESS_OFFSET + i, 0);
    }
    if (srcAddress.family === 4) {
      const ipv4 = srcAddress.ipv4();
      for (let i = 0; i < 4; i++) buffer.putInt8(PUBLICATION_ERROR_ADDRESS_OFFSET + i, (ipv4 >>> (24 - 8 * i)) & 0xff);
    } else {
      const host = new DataView(new ArrayBuffer(PUBLICATION_ERROR_ADDRESS_LENGTH));
      srcAddress.copyIpv6HostTo(host, 0);
      for (let i = 0; i < PUBLICATION_ERROR_ADDRESS_LENGTH; i++) {
        buffer.putInt8(PUBLICATION_ERROR_ADDRESS_OFFSET + i, host.getInt8(i));
      }
    }
    this.#publicationErrorMessage(errorCode, errorMessage);
  }

  #publicationErrorIds(
    registrationId: number,
    destinationRegistrationId: number,
    sessionId: number,
    streamId: number,
  ): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, registrationId);
    buffer.putInt64(PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET, destinationRegistrationId);
    buffer.putInt32(PUBLICATION_ERROR_SESSION_ID_OFFSET, sessionId);
    buffer.putInt32(PUBLICATION_ERROR_STREAM_ID_OFFSET, streamId);
  }

  #publicationErrorMessage(errorCode: number, errorMessage: string): void {
    const buffer = this.#buffer;
    buffer.putInt32(PUBLICATION_ERROR_CODE_OFFSET, errorCode);
    const length =
      PUBLICATION_ERROR_MESSAGE_OFFSET + buffer.putStringAscii(PUBLICATION_ERROR_MESSAGE_OFFSET, errorMessage);
    this.#transmitter.transmit(ON_PUBLICATION_ERROR, buffer, 0, length);
  }

  #counterUpdate(msgTypeId: number, correlationId: number, counterId: number): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt32(COUNTER_ID_OFFSET, counterId);
    this.#transmitter.transmit(msgTypeId, buffer, 0, COUNTER_UPDATE_LENGTH);
  }
}
