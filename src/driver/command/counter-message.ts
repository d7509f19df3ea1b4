/**
 * Decoder of the ADD_COUNTER command (Aeron 1.51.0 `CounterMessageFlyweight`), read in place from the to-driver
 * ring buffer: one reused instance, nothing allocated per command.
 *
 * ```
 *  +0                      int64 clientId
 *  +8                      int64 correlationId   (becomes the counter's registration id)
 *  +16                     int32 typeId
 *  +20                     int32 keyLength
 *  +24                     key bytes
 *  +24 + align(keyLength, 4)      int32 labelLength
 *  +28 + align(keyLength, 4)      label bytes (ASCII)
 *  minimum length 28; encoded length = 28 + align(keyLength, 4) + labelLength (Java clients send 4 more)
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

const TYPE_ID_OFFSET = 16;
const KEY_LENGTH_OFFSET = 20;
const KEY_BUFFER_OFFSET = 24;
const MINIMUM_LENGTH = KEY_BUFFER_OFFSET + 4;

/** Reads one ADD_COUNTER command; `wrap` validates its lengths against the record length. */
export class CounterMessageDecoder {
  #buffer: AtomicBuffer | null = null;
  #offset = 0;
  #labelLengthOffset = 0;

  /**
   * Wraps the command at `offset` (record payload of `length` bytes). Throws `ControlProtocolError`
   * (MALFORMED_COMMAND) when the key or label lengths do not fit in `length`.
   */
  wrap(buffer: AtomicBuffer, offset: number, length: number, msgTypeId: number): this {
    if (length < MINIMUM_LENGTH) {
      throw new ControlProtocolError(ERROR_CODE_MALFORMED_COMMAND, `command=${msgTypeId} too short: length=${length}`);
    }
    const keyLength = buffer.getInt32(offset + KEY_LENGTH_OFFSET);
    const labelLengthOffset = KEY_BUFFER_OFFSET + align(keyLength, 4);
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

  /** The counter's type id. */
  get typeId(): number {
    return this.#buffer!.getInt32(this.#offset + TYPE_ID_OFFSET);
  }

  /** Offset of the key bytes in the wrapped buffer. */
  get keyBufferOffset(): number {
    return this.#offset + KEY_BUFFER_OFFSET;
  }

  /** Length of the key bytes. */
  get keyBufferLength(): number {
    return this.#buffer!.getInt32(this.#offset + KEY_LENGTH_OFFSET);
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
