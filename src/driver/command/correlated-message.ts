/**
 * Decoders of the commands that carry only the correlated prefix (CLIENT_KEEPALIVE, CLIENT_CLOSE) or the prefix
 * and a registration id (REMOVE_COUNTER, REMOVE_SUBSCRIPTION: Aeron 1.51.0 `CorrelatedMessageFlyweight`,
 * `RemoveMessageFlyweight`). Read in place; nothing allocated per command.
 *
 * ```
 *  +0   int64 clientId
 *  +8   int64 correlationId        (-1 in CLIENT_CLOSE)
 *  +16  int64 registrationId       (remove commands only; minimum length 24, else 16)
 *  +24  int64 flags                (REMOVE_PUBLICATION only, when the record is long enough: bit 0 = revoke)
 *  +16  int32 streamId             (GET_NEXT_AVAILABLE_SESSION_ID instead: minimum length 20,
 *                                   Java `GetNextAvailableSessionIdMessageFlyweight`)
 * ```
 */
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { ControlProtocolError } from '../driver-error.ts';
import {
  CLIENT_ID_FIELD_OFFSET,
  CORRELATED_MESSAGE_LENGTH,
  CORRELATION_ID_FIELD_OFFSET,
  ERROR_CODE_MALFORMED_COMMAND,
} from './control-protocol.ts';

const REGISTRATION_ID_FIELD_OFFSET = 16;
/** Minimum length of a remove command (`RemoveMessageFlyweight.MINIMUM_LENGTH`). */
const REMOVE_MESSAGE_MINIMUM_LENGTH = REGISTRATION_ID_FIELD_OFFSET + 8;
const FLAGS_FIELD_OFFSET = REGISTRATION_ID_FIELD_OFFSET + 8;
/** `GetNextAvailableSessionIdMessageFlyweight.LENGTH`: the prefix and an int32 stream id. */
const STREAM_ID_MESSAGE_LENGTH = REGISTRATION_ID_FIELD_OFFSET + 4;
/** `RemovePublicationFlyweight.FLAG_REVOKE`. */
const FLAG_REVOKE = 0x1;

/** Reads the correlated prefix, and the registration id of remove commands. */
export class CorrelatedMessageDecoder {
  #buffer: AtomicBuffer | null = null;
  #offset = 0;

  /** Wraps a command of at least the 16-byte prefix; throws `ControlProtocolError` (MALFORMED_COMMAND) if shorter. */
  wrap(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, CORRELATED_MESSAGE_LENGTH);
  }

  /**
   * Wraps a command of at least `minimum` bytes (the destination, reject image and terminate commands, whose
   * fields the caller reads at their offsets); throws `ControlProtocolError` (MALFORMED_COMMAND) if shorter.
   */
  wrapAtLeast(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number, minimum: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, minimum);
  }

  /** Wraps a remove command (at least 24 bytes); throws `ControlProtocolError` (MALFORMED_COMMAND) if shorter. */
  wrapRemove(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, REMOVE_MESSAGE_MINIMUM_LENGTH);
  }

  /** Wraps a GET_NEXT_AVAILABLE_SESSION_ID (at least 20 bytes); throws `ControlProtocolError` (MALFORMED_COMMAND). */
  wrapStreamId(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, STREAM_ID_MESSAGE_LENGTH);
  }

  /** The stream id of a GET_NEXT_AVAILABLE_SESSION_ID (only after `wrapStreamId`). */
  get streamId(): number {
    return this.#buffer!.getInt32(this.#offset + REGISTRATION_ID_FIELD_OFFSET);
  }

  /** The sending client's id (its `clientId`, from the to-driver buffer's correlation counter). */
  get clientId(): number {
    return this.#buffer!.getInt64(this.#offset + CLIENT_ID_FIELD_OFFSET);
  }

  /** The command's correlation id, echoed in the driver's response. */
  get correlationId(): number {
    return this.#buffer!.getInt64(this.#offset + CORRELATION_ID_FIELD_OFFSET);
  }

  /** The registration id of a remove command (only after `wrapRemove`). */
  get registrationId(): number {
    return this.#buffer!.getInt64(this.#offset + REGISTRATION_ID_FIELD_OFFSET);
  }

  /**
   * REMOVE_PUBLICATION only: whether the flags field is present in a record of `length` bytes and has the revoke bit
   * (Java `RemovePublicationFlyweight.revoke(messageLength)`).
   */
  revoke(length: number): boolean {
    return (
      length >= FLAGS_FIELD_OFFSET + 8 &&
      (this.#buffer!.getInt32(this.#offset + FLAGS_FIELD_OFFSET) & FLAG_REVOKE) !== 0
    );
  }

  #wrap(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number, minimum: number): this {
    if (length < minimum) {
      throw new ControlProtocolError(ERROR_CODE_MALFORMED_COMMAND, `command=${msgTypeId} too short: length=${length}`);
    }
    this.#buffer = buffer;
    this.#offset = offset;
    return this;
  }
}
