/**
 * Decoder of the ADD_COUNTER and ADD_STATIC_COUNTER commands (Aeron 1.51.0 `CounterMessageFlyweight`,
 * `StaticCounterMessageFlyweight`), read in place from the to-driver ring buffer: one reused instance, nothing
 * allocated per command. ADD_STATIC_COUNTER has an int64 registration id after the correlated prefix; every
 * later field moves 8 bytes on (`base` = 16 for ADD_COUNTER, 24 for ADD_STATIC_COUNTER).
 *
 * ```
 *  +0                      int64 clientId
 *  +8                      int64 correlationId   (ADD_COUNTER: becomes the counter's registration id)
 *  +16                     int64 registrationId  (ADD_STATIC_COUNTER only)
 *  +base                   int32 typeId
 *  +base + 4               int32 keyLength
 *  +base + 8               key bytes
 *  +base + 8 + align(keyLength, 4)      int32 labelLength
 *  +base + 12 + align(keyLength, 4)     label bytes (ASCII)
 *  minimum length base + 12; encoded length = base + 12 + align(keyLength, 4) + labelLength
 *  (Java clients send 4 more)
 * ```
 */
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { align } from '../../transport/bit-util.ts';
import { ControlProtocolError } from '../driver-error.ts';
import {
  CLIENT_ID_FIELD_OFFSET,
  CORRELATION_ID_FIELD_OFFSET,
  ERROR_CODE_MALFORMED_COMMAND,
} from './control-protocol.ts';

/** Offset of ADD_STATIC_COUNTER's int64 registration id. */
const REGISTRATION_ID_FIELD_OFFSET = 16;
/** Offset of the type id in ADD_COUNTER (`CounterMessageFlyweight`). */
const COUNTER_TYPE_ID_OFFSET = 16;
/** Offset of the type id in ADD_STATIC_COUNTER (`StaticCounterMessageFlyweight`: after the registration id). */
const STATIC_COUNTER_TYPE_ID_OFFSET = REGISTRATION_ID_FIELD_OFFSET + 8;
/** From the type id: the key length. */
const KEY_LENGTH_DELTA = 4;
/** From the type id: the key bytes. */
const KEY_BUFFER_DELTA = 8;

/** Reads one ADD_COUNTER or ADD_STATIC_COUNTER command; the wraps validate its lengths against the record length. */
export class CounterMessageDecoder {
  #buffer: AtomicBuffer | null = null;
  #offset = 0;
  #typeIdOffset = COUNTER_TYPE_ID_OFFSET;
  #labelLengthOffset = 0;

  /**
   * Wraps the ADD_COUNTER at `offset` (record payload of `length` bytes). Throws `ControlProtocolError`
   * (MALFORMED_COMMAND) when the key or label lengths do not fit in `length`.
   */
  wrap(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, COUNTER_TYPE_ID_OFFSET);
  }

  /**
   * Wraps the ADD_STATIC_COUNTER at `offset` (record payload of `length` bytes). Throws `ControlProtocolError`
   * (MALFORMED_COMMAND) when the key or label lengths do not fit in `length`.
   */
  wrapStatic(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    return this.#wrap(buffer, offset, length, msgTypeId, STATIC_COUNTER_TYPE_ID_OFFSET);
  }

  #wrap(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number, typeIdOffset: number): this {
    const keyBufferOffset = typeIdOffset + KEY_BUFFER_DELTA;
    if (length < keyBufferOffset + 4) {
      throw new ControlProtocolError(ERROR_CODE_MALFORMED_COMMAND, `command=${msgTypeId} too short: length=${length}`);
    }
    const keyLength = buffer.getInt32(offset + typeIdOffset + KEY_LENGTH_DELTA);
    const labelLengthOffset = keyBufferOffset + align(keyLength, 4);
    if (keyLength < 0 || length - labelLengthOffset < 4) {
      throw new ControlProtocolError(
        ERROR_CODE_MALFORMED_COMMAND,
        `command=${msgTypeId} too short for key: length=${length}`,
      );
    }
    const labelLength = buffer.getInt32(offset + labelLengthOffset);
    const encodedLength = labelLengthOffset + 4 + labelLength;
    if (labelLength < 0 || length < encodedLength) {
      throw new ControlProtocolError(
        ERROR_CODE_MALFORMED_COMMAND,
        `command=${msgTypeId} too short for label: length=${length} encodedLength=${encodedLength}`,
      );
    }
    this.#buffer = buffer;
    this.#offset = offset;
    this.#typeIdOffset = typeIdOffset;
    this.#labelLengthOffset = labelLengthOffset;
    return this;
  }

  /** The sending client's id (its `clientId`, from the to-driver buffer's correlation counter). */
  get clientId(): number {
    return this.#buffer!.getInt64(this.#offset + CLIENT_ID_FIELD_OFFSET);
  }

  /** The command's correlation id, echoed in the driver's response. */
  get correlationId(): number {
    return this.#buffer!.getInt64(this.#offset + CORRELATION_ID_FIELD_OFFSET);
  }

  /** ADD_STATIC_COUNTER only (after `wrapStatic`): the registration id the static counter is known by. */
  get registrationId(): number {
    return this.#buffer!.getInt64(this.#offset + REGISTRATION_ID_FIELD_OFFSET);
  }

  /** The counter's type id. */
  get typeId(): number {
    return this.#buffer!.getInt32(this.#offset + this.#typeIdOffset);
  }

  /** Offset of the key bytes in the wrapped buffer. */
  get keyBufferOffset(): number {
    return this.#offset + this.#typeIdOffset + KEY_BUFFER_DELTA;
  }

  /** Length of the key bytes. */
  get keyBufferLength(): number {
    return this.#buffer!.getInt32(this.#offset + this.#typeIdOffset + KEY_LENGTH_DELTA);
  }

  /** Offset of the label bytes in the wrapped buffer. */
  get labelBufferOffset(): number {
    return this.#offset + this.#labelLengthOffset + 4;
  }

  /** Length of the label bytes. */
  get labelBufferLength(): number {
    return this.#buffer!.getInt32(this.#offset + this.#labelLengthOffset);
  }
}
