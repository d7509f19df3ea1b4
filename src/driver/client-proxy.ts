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
 *  ON_CLIENT_TIMEOUT    +0 int64 clientId
 * ```
 *
 * Nothing is allocated per response except the BigInts of the transmitter's 64-bit release stores
 * (`AtomicBuffer`); responses are control-path. Error messages longer than the broadcast's largest message
 * are truncated.
 */
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { BroadcastTransmitter } from '../transport/broadcast-transmitter.ts';
import {
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_OPERATION_SUCCESS,
  ON_UNAVAILABLE_COUNTER,
} from './command/control-protocol.ts';

const ERROR_CODE_OFFSET = 8;
const ERROR_MESSAGE_OFFSET = 12;
/** Length of ON_COUNTER_READY / ON_UNAVAILABLE_COUNTER (`CounterUpdateFlyweight.LENGTH`). */
const COUNTER_UPDATE_LENGTH = 12;
const COUNTER_ID_OFFSET = 8;

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

  /** ON_UNAVAILABLE_COUNTER: counter `counterId` of registration id `registrationId` is going away. */
  onUnavailableCounter(registrationId: number, counterId: number): void {
    this.#counterUpdate(ON_UNAVAILABLE_COUNTER, registrationId, counterId);
  }

  /** ON_CLIENT_TIMEOUT: the driver timed client `clientId` out. */
  onClientTimeout(clientId: number): void {
    this.#buffer.putInt64(0, clientId);
    this.#transmitter.transmit(ON_CLIENT_TIMEOUT, this.#buffer, 0, 8);
  }

  #counterUpdate(msgTypeId: number, correlationId: number, counterId: number): void {
    const buffer = this.#buffer;
    buffer.putInt64(0, correlationId);
    buffer.putInt32(COUNTER_ID_OFFSET, counterId);
    this.#transmitter.transmit(msgTypeId, buffer, 0, COUNTER_UPDATE_LENGTH);
  }
}
