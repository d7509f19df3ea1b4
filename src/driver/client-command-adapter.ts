/**
 * Reads client commands from the to-driver ring buffer and hands them to the conductor (Aeron 1.51.0
 * `ClientCommandAdapter`): at most `COMMAND_DRAIN_LIMIT` (1) command per duty cycle, decoded in place by
 * reused decoders, so nothing is allocated for a well-formed command.
 *
 * ```
 *  command                      handled by                    answer
 *  ADD_PUBLICATION    0x01      onAddIpcPublication          ON_PUBLICATION_READY (aeron:ipc; other channels:
 *                               / onAddNetworkPublication    ON_ERROR NOT_SUPPORTED)
 *  REMOVE_PUBLICATION 0x02      onRemovePublication          ON_OPERATION_SUCCESS
 *  ADD_EXCLUSIVE_PUBLICATION 0x03  as ADD_PUBLICATION        ON_EXCLUSIVE_PUBLICATION_READY
 *  ADD_SUBSCRIPTION   0x04      onAddIpcSubscription         ON_SUBSCRIPTION_READY, ON_AVAILABLE_IMAGE per image
 *                               / onAddSpySubscription (ON_SUBSCRIPTION_READY, channel status -1)
 *                               / onAddNetworkSubscription (ON_ERROR NOT_SUPPORTED)
 *  REMOVE_SUBSCRIPTION 0x05     onRemoveSubscription         ON_OPERATION_SUCCESS
 *  GET_NEXT_AVAILABLE_SESSION_ID 0x12  onNextAvailableSessionId  ON_NEXT_AVAILABLE_SESSION_ID
 *  CLIENT_KEEPALIVE   0x06      onClientKeepalive            none
 *  ADD_COUNTER        0x09      onAddCounter                 ON_COUNTER_READY (after the client's own
 *                                                            heartbeat ON_COUNTER_READY the first time)
 *  REMOVE_COUNTER     0x0A      onRemoveCounter              ON_OPERATION_SUCCESS, ON_UNAVAILABLE_COUNTER
 *  ADD_STATIC_COUNTER 0x0F      onAddStaticCounter           ON_STATIC_COUNTER (the existing counter of that type
 *                                                            and registration id, else a new one without owner)
 *  CLIENT_CLOSE       0x0B      onClientClose                none
 *  TERMINATE_DRIVER   0x0E      onTerminateDriver            none (the driver closes if its validator allows)
 *  ADD_DESTINATION 0x07 / REMOVE_DESTINATION 0x08 / REMOVE_DESTINATION_BY_ID 0x11
 *                               onAdd/RemoveSendDestination  ON_OPERATION_SUCCESS on a manual MDC publication;
 *                                                            ON_ERROR UNKNOWN_PUBLICATION (none by that id)
 *  ADD_RCV_DESTINATION 0x0C / REMOVE_RCV_DESTINATION 0x0D
 *                               onAdd/RemoveRcvDestination   ON_OPERATION_SUCCESS on an MDS subscription;
 *                                                            ON_ERROR UNKNOWN_SUBSCRIPTION (none by that id)
 *  REJECT_IMAGE       0x10      onRejectImage                see DriverConductor.onRejectImage
 *  unknown type id              -                            ON_ERROR UNKNOWN_COMMAND_TYPE_ID (6)
 * ```
 *
 * A command that fails (malformed, unknown registration id, or any error thrown while applying it) is
 * recorded in the distinct error log, counted in the ERRORS system counter and answered with ON_ERROR for
 * its correlation id (0 when it failed before the correlation id was read), as Aeron does:
 * `ControlProtocolError` carries its `ErrorCode` and message `ERROR - <message>` (an `InvalidChannelError` its
 * message as is: Java's `InvalidChannelException` is the parser's exception text); anything else is GENERIC_ERROR
 * with `<name> : <message>`.
 */
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import type { ClientProxy } from './client-proxy.ts';
import {
  ADD_COUNTER,
  ADD_DESTINATION,
  ADD_EXCLUSIVE_PUBLICATION,
  ADD_PUBLICATION,
  ADD_RCV_DESTINATION,
  ADD_STATIC_COUNTER,
  ADD_SUBSCRIPTION,
  CLIENT_CLOSE,
  CLIENT_KEEPALIVE,
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_MALFORMED_COMMAND,
  ERROR_CODE_UNKNOWN_COMMAND_TYPE_ID,
  GET_NEXT_AVAILABLE_SESSION_ID,
  REJECT_IMAGE,
  REMOVE_COUNTER,
  REMOVE_DESTINATION,
  REMOVE_DESTINATION_BY_ID,
  REMOVE_PUBLICATION,
  REMOVE_RCV_DESTINATION,
  REMOVE_SUBSCRIPTION,
  TERMINATE_DRIVER,
} from './command/control-protocol.ts';
import { CorrelatedMessageDecoder } from './command/correlated-message.ts';
import { CounterMessageDecoder } from './command/counter-message.ts';
import { ChannelMessageDecoder } from './command/publication-message.ts';
import { COMMAND_DRAIN_LIMIT } from './configuration.ts';
import { ControlProtocolError } from './driver-error.ts';
import { InvalidChannelError } from './media/invalid-channel-error.ts';

/** `aeron:ipc`: channels that start with it are IPC (Java `CommonContext.IPC_CHANNEL`). */
const IPC_CHANNEL_PREFIX = 'aeron:ipc';
/** `aeron-spy`: subscriptions that start with it are spies (Java `ChannelUri.SPY_QUALIFIER`). */
const SPY_QUALIFIER = 'aeron-spy';

/** The conductor operations the adapter drives. */
export interface ClientCommandHandler {
  /** ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on an IPC channel (Java `DriverConductor.onAddIpcPublication`). */
  onAddIpcPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void;
  /** ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on any other channel (Java `onAddNetworkPublication`). */
  onAddNetworkPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void;
  /** REMOVE_PUBLICATION (Java `onRemovePublication`). */
  onRemovePublication(registrationId: number, correlationId: number, revoke: boolean): void;
  /** ADD_SUBSCRIPTION on an IPC channel (Java `onAddIpcSubscription`). */
  onAddIpcSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void;
  /** ADD_SUBSCRIPTION on an `aeron-spy:` channel (Java `onAddSpySubscription`). */
  onAddSpySubscription(channel: string, streamId: number, registrationId: number, clientId: number): void;
  /** ADD_SUBSCRIPTION on a network channel (Java `onAddNetworkSubscription`). */
  onAddNetworkSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void;
  /** REMOVE_SUBSCRIPTION (Java `onRemoveSubscription`). */
  onRemoveSubscription(registrationId: number, correlationId: number): void;
  /** GET_NEXT_AVAILABLE_SESSION_ID (Java `onNextAvailableSessionId`). */
  onNextAvailableSessionId(correlationId: number, streamId: number): void;
  /** CLIENT_KEEPALIVE from `clientId` (Java `DriverConductor.onClientKeepalive`). */
  onClientKeepalive(clientId: number): void;
  /**
   * ADD_COUNTER (Java `DriverConductor.onAddCounter`): the key and label are byte ranges of the command in the
   * ring buffer, valid only during the call. What it throws is answered with ON_ERROR for `correlationId`.
   */
  onAddCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    correlationId: number,
    clientId: number,
  ): void;
  /**
   * REMOVE_COUNTER of the counter registered as `registrationId` (Java `DriverConductor.onRemoveCounter`); what it
   * throws is answered with ON_ERROR for `correlationId`.
   */
  onRemoveCounter(registrationId: number, correlationId: number): void;
  /**
   * ADD_STATIC_COUNTER (Java `DriverConductor.onAddStaticCounter`): the key and label are byte ranges of the command
   * in the ring buffer, valid only during the call. What it throws is answered with ON_ERROR for `correlationId`.
   */
  onAddStaticCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    registrationId: number,
    correlationId: number,
    clientId: number,
  ): void;
  /** CLIENT_CLOSE from `clientId` (Java `DriverConductor.onClientClose`). */
  onClientClose(clientId: number): void;
  /** TERMINATE_DRIVER with its token, bytes of the ring buffer valid only during the call (`onTerminateDriver`). */
  onTerminateDriver(tokenBuffer: AtomicBuffer, tokenOffset: number, tokenLength: number): void;
  /** ADD_DESTINATION to the publication `registrationId` (Java `onAddSendDestination`). */
  onAddSendDestination(registrationId: number, channel: string, correlationId: number): void;
  /** REMOVE_DESTINATION from the publication `registrationId` (Java `onRemoveSendDestination`). */
  onRemoveSendDestination(registrationId: number, channel: string, correlationId: number): void;
  /** REMOVE_DESTINATION_BY_ID (Java `onRemoveSendDestination(long, long, long)`). */
  onRemoveSendDestinationById(
    publicationRegistrationId: number,
    destinationRegistrationId: number,
    correlationId: number,
  ): void;
  /** ADD_RCV_DESTINATION to the subscription `registrationId` (Java `onAddRcvDestination`). */
  onAddRcvDestination(registrationId: number, channel: string, correlationId: number): void;
  /** REMOVE_RCV_DESTINATION from the subscription `registrationId` (Java `onRemoveRcvDestination`). */
  onRemoveRcvDestination(registrationId: number, channel: string, correlationId: number): void;
  /** REJECT_IMAGE of the image `imageCorrelationId` (Java `onRejectImage`). */
  onRejectImage(correlationId: number, imageCorrelationId: number, position: number, reason: string): void;
}

/** TERMINATE_DRIVER: int32 token length at +16, the token from +20 (Java `TerminateDriverFlyweight`). */
const TOKEN_LENGTH_OFFSET = 16;
const TOKEN_OFFSET = 20;
/** Destination commands: int64 registration id of the publication or subscription at +16, channel at +24. */
const DESTINATION_REGISTRATION_ID_OFFSET = 16;
const DESTINATION_CHANNEL_OFFSET = 24;
/** REMOVE_DESTINATION_BY_ID: int64 destination registration id at +24 (Java `DestinationByIdMessageFlyweight`). */
const DESTINATION_BY_ID_DESTINATION_OFFSET = 24;
const DESTINATION_BY_ID_LENGTH = 32;
/** REJECT_IMAGE: image correlation id +16, position +24, reason (int32 length, ASCII) +32 (`RejectImageFlyweight`). */
const REJECT_IMAGE_CORRELATION_ID_OFFSET = 16;
const REJECT_POSITION_OFFSET = 24;
const REJECT_REASON_OFFSET = 32;

/** A variable-length field of `fieldLength` bytes after `fixedLength` must fit in the record (MALFORMED_COMMAND). */
function checkVariableLength(msgTypeId: number, length: number, fixedLength: number, fieldLength: number): void {
  if (fieldLength < 0 || fixedLength + fieldLength > length) {
    throw new ControlProtocolError(ERROR_CODE_MALFORMED_COMMAND, `command=${msgTypeId} too short: length=${length}`);
  }
}

/** Consumes the to-driver ring buffer; see the module comment. */
export class ClientCommandAdapter {
  readonly #toDriverCommands: ManyToOneRingBuffer;
  readonly #clientProxy: ClientProxy;
  readonly #conductor: ClientCommandHandler;
  readonly #errors: AtomicCounter;
  readonly #errorHandler: (error: unknown) => void;
  readonly #correlated = new CorrelatedMessageDecoder();
  readonly #counterMessage = new CounterMessageDecoder();
  readonly #channelMessage = new ChannelMessageDecoder();
  readonly #onMessage = (msgTypeId: number, buffer: AtomicBuffer, index: number, length: number): void => {
    this.#dispatch(msgTypeId, buffer, index, length);
  };

  /**
   * @param toDriverCommands the to-driver ring buffer (the driver is its only consumer).
   * @param clientProxy where ON_ERROR goes.
   * @param conductor what applies the commands.
   * @param errors the ERRORS system counter.
   * @param errorHandler records an error (the distinct error log).
   */
  constructor(
    toDriverCommands: ManyToOneRingBuffer,
    clientProxy: ClientProxy,
    conductor: ClientCommandHandler,
    errors: AtomicCounter,
    errorHandler: (error: unknown) => void,
  ) {
    this.#toDriverCommands = toDriverCommands;
    this.#clientProxy = clientProxy;
    this.#conductor = conductor;
    this.#errors = errors;
    this.#errorHandler = errorHandler;
  }

  /** Takes up to `COMMAND_DRAIN_LIMIT` commands; returns how many. */
  receive(): number {
    return this.#toDriverCommands.read(this.#onMessage, COMMAND_DRAIN_LIMIT);
  }

  #dispatch(msgTypeId: number, buffer: AtomicBuffer, index: number, length: number): void {
    let correlationId = 0;
    try {
      switch (msgTypeId) {
        case ADD_PUBLICATION:
        case ADD_EXCLUSIVE_PUBLICATION: {
          const message = this.#channelMessage.wrapPublication(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          const channel = message.channel();
          const isExclusive = msgTypeId === ADD_EXCLUSIVE_PUBLICATION;
          if (channel.startsWith(IPC_CHANNEL_PREFIX)) {
            this.#conductor.onAddIpcPublication(
              channel,
              message.streamId,
              correlationId,
              message.clientId,
              isExclusive,
            );
          } else {
            this.#conductor.onAddNetworkPublication(
              channel,
              message.streamId,
              correlationId,
              message.clientId,
              isExclusive,
            );
          }
          break;
        }
        case REMOVE_PUBLICATION: {
          const message = this.#correlated.wrapRemove(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onRemovePublication(message.registrationId, correlationId, message.revoke(length));
          break;
        }
        case ADD_SUBSCRIPTION: {
          const message = this.#channelMessage.wrapSubscription(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          const channel = message.channel();
          if (channel.startsWith(IPC_CHANNEL_PREFIX)) {
            this.#conductor.onAddIpcSubscription(channel, message.streamId, correlationId, message.clientId);
          } else if (channel.startsWith(SPY_QUALIFIER)) {
            this.#conductor.onAddSpySubscription(channel, message.streamId, correlationId, message.clientId);
          } else {
            this.#conductor.onAddNetworkSubscription(channel, message.streamId, correlationId, message.clientId);
          }
          break;
        }
        case REMOVE_SUBSCRIPTION: {
          const message = this.#correlated.wrapRemove(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onRemoveSubscription(message.registrationId, correlationId);
          break;
        }
        case GET_NEXT_AVAILABLE_SESSION_ID: {
          const message = this.#correlated.wrapStreamId(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onNextAvailableSessionId(correlationId, message.streamId);
          break;
        }
        case CLIENT_KEEPALIVE: {
          const message = this.#correlated.wrap(buffer, index, length, msgTypeId);
          this.#conductor.onClientKeepalive(message.clientId);
          break;
        }
        case ADD_COUNTER: {
          const message = this.#counterMessage.wrap(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onAddCounter(
            message.typeId,
            buffer,
            message.keyBufferOffset,
            message.keyBufferLength,
            buffer,
            message.labelBufferOffset,
            message.labelBufferLength,
            correlationId,
            message.clientId,
          );
          break;
        }
        case REMOVE_COUNTER: {
          const message = this.#correlated.wrapRemove(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onRemoveCounter(message.registrationId, correlationId);
          break;
        }
        case ADD_STATIC_COUNTER: {
          const message = this.#counterMessage.wrapStatic(buffer, index, length, msgTypeId);
          correlationId = message.correlationId;
          this.#conductor.onAddStaticCounter(
            message.typeId,
            buffer,
            message.keyBufferOffset,
            message.keyBufferLength,
            buffer,
            message.labelBufferOffset,
            message.labelBufferLength,
            message.registrationId,
            correlationId,
            message.clientId,
          );
          break;
        }
        case CLIENT_CLOSE: {
          const message = this.#correlated.wrap(buffer, index, length, msgTypeId);
          this.#conductor.onClientClose(message.clientId);
          break;
        }
        case TERMINATE_DRIVER: {
          const message = this.#correlated.wrapAtLeast(buffer, index, length, msgTypeId, TOKEN_OFFSET);
          const tokenLength = buffer.getInt32(index + TOKEN_LENGTH_OFFSET);
          checkVariableLength(msgTypeId, length, TOKEN_OFFSET, tokenLength);
          correlationId = message.correlationId;
          this.#conductor.onTerminateDriver(buffer, index + TOKEN_OFFSET, tokenLength);
          break;
        }
        case ADD_DESTINATION:
        case REMOVE_DESTINATION:
        case ADD_RCV_DESTINATION:
        case REMOVE_RCV_DESTINATION: {
          const message = this.#correlated.wrapAtLeast(
            buffer,
            index,
            length,
            msgTypeId,
            DESTINATION_CHANNEL_OFFSET + 4,
          );
          checkVariableLength(
            msgTypeId,
            length,
            DESTINATION_CHANNEL_OFFSET + 4,
            buffer.getInt32(index + DESTINATION_CHANNEL_OFFSET),
          );
          correlationId = message.correlationId;
          const registrationId = buffer.getInt64(index + DESTINATION_REGISTRATION_ID_OFFSET);
          const channel = buffer.getStringAscii(index + DESTINATION_CHANNEL_OFFSET);
          if (msgTypeId === ADD_DESTINATION) {
            this.#conductor.onAddSendDestination(registrationId, channel, correlationId);
          } else if (msgTypeId === REMOVE_DESTINATION) {
            this.#conductor.onRemoveSendDestination(registrationId, channel, correlationId);
          } else if (msgTypeId === ADD_RCV_DESTINATION) {
            this.#conductor.onAddRcvDestination(registrationId, channel, correlationId);
          } else {
            this.#conductor.onRemoveRcvDestination(registrationId, channel, correlationId);
          }
          break;
        }
        case REMOVE_DESTINATION_BY_ID: {
          const message = this.#correlated.wrapAtLeast(buffer, index, length, msgTypeId, DESTINATION_BY_ID_LENGTH);
          correlationId = message.correlationId;
          this.#conductor.onRemoveSendDestinationById(
            buffer.getInt64(index + DESTINATION_REGISTRATION_ID_OFFSET),
            buffer.getInt64(index + DESTINATION_BY_ID_DESTINATION_OFFSET),
            correlationId,
          );
          break;
        }
        case REJECT_IMAGE: {
          const message = this.#correlated.wrapAtLeast(buffer, index, length, msgTypeId, REJECT_REASON_OFFSET + 4);
          checkVariableLength(
            msgTypeId,
            length,
            REJECT_REASON_OFFSET + 4,
            buffer.getInt32(index + REJECT_REASON_OFFSET),
          );
          correlationId = message.correlationId;
          this.#conductor.onRejectImage(
            correlationId,
            buffer.getInt64(index + REJECT_IMAGE_CORRELATION_ID_OFFSET),
            buffer.getInt64(index + REJECT_POSITION_OFFSET),
            buffer.getStringAscii(index + REJECT_REASON_OFFSET),
          );
          break;
        }
        default:
          throw new ControlProtocolError(ERROR_CODE_UNKNOWN_COMMAND_TYPE_ID, `command typeId=${msgTypeId}`);
      }
    } catch (e) {
      this.onError(correlationId, e);
    }
  }

  /** Counts and records `error` and answers `correlationId` with ON_ERROR. */
  onError(correlationId: number, error: unknown): void {
    this.#errors.increment();
    this.#errorHandler(error);
    if (error instanceof InvalidChannelError) {
      // Java's InvalidChannelException wraps the parser's exception: its message is the cause's toString(), sent as is
      this.#clientProxy.onError(correlationId, error.errorCode, error.message);
    } else if (error instanceof ControlProtocolError) {
      const text =
        error.javaExceptionClass === null
          ? `ERROR - ${error.message}`
          : `${error.javaExceptionClass} : ${error.message}`;
      this.#clientProxy.onError(correlationId, error.errorCode, text);
    } else {
      const name = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      this.#clientProxy.onError(correlationId, ERROR_CODE_GENERIC_ERROR, `${name} : ${message}`);
    }
  }
}
