/**
 * ADD_COUNTER (0x09) (Java: `CounterMessageFlyweight`) and ADD_STATIC_COUNTER (0x0F)
 * (`StaticCounterMessageFlyweight`).
 *
 * ```
 *  ADD_COUNTER:
 *   0 client | 8 correlation | 16 typeId i32 | 20 keyLength i32 | 24 key (keyLength bytes, padded to 4)
 *   | 24 + align(keyLength, 4): labelLength i32 | label ASCII ...
 *  ADD_STATIC_COUNTER:
 *   0 client | 8 correlation | 16 registrationId i64 | 24 typeId i32 | 28 keyLength i32 | 32 key (padded to 4)
 *   | 32 + align(keyLength, 4): labelLength i32 | label ASCII ...
 * ```
 * Java claims `computeLength(k, l)` = keyOffset + 4 + align(k, 4) + 4 + l for the ring record: 4 bytes more
 * than the encoded message (harmless, the driver reads the lengths). We claim the same, for identical bytes.
 */
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { align, SIZE_OF_INT } from '../../transport/bit-util.ts';
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/**
 * ADD_COUNTER: offset of the int32 counter type id (16). Java: `CounterMessageFlyweight.COUNTER_TYPE_ID_FIELD_OFFSET`
 * (private).
 */
export const COUNTER_TYPE_ID_OFFSET = 16;
/** ADD_COUNTER: offset of the int32 key length (20). Java: `CounterMessageFlyweight.KEY_LENGTH_OFFSET` (private). */
export const COUNTER_KEY_LENGTH_OFFSET = 20;
/** ADD_COUNTER: offset of the key bytes (24). Java: `CounterMessageFlyweight.KEY_BUFFER_OFFSET`. */
export const COUNTER_KEY_BUFFER_OFFSET = 24;
/**
 * ADD_STATIC_COUNTER: offset of the int64 registration id (16). Java:
 * `StaticCounterMessageFlyweight.REGISTRATION_ID_FIELD_OFFSET` (private).
 */
export const STATIC_COUNTER_REGISTRATION_ID_OFFSET = 16;
/**
 * ADD_STATIC_COUNTER: offset of the int32 counter type id (24). Java:
 * `StaticCounterMessageFlyweight.COUNTER_TYPE_ID_FIELD_OFFSET` (private).
 */
export const STATIC_COUNTER_TYPE_ID_OFFSET = 24;
/**
 * ADD_STATIC_COUNTER: offset of the int32 key length (28). Java: `StaticCounterMessageFlyweight.KEY_LENGTH_OFFSET`
 * (private).
 */
export const STATIC_COUNTER_KEY_LENGTH_OFFSET = 28;
/** ADD_STATIC_COUNTER: offset of the key bytes (32). Java: `StaticCounterMessageFlyweight.KEY_BUFFER_OFFSET`. */
export const STATIC_COUNTER_KEY_BUFFER_OFFSET = 32;

/** Shared key/label encoding of the two counter commands; subclasses fix the field offsets. */
abstract class KeyLabelMessageFlyweight extends CorrelatedMessageFlyweight {
  protected abstract readonly typeIdOffset: number;
  protected abstract readonly keyLengthOffset: number;
  protected abstract readonly keyOffset: number;

  /** Counter type id. Java: `CounterMessageFlyweight.typeId`. */
  typeId(): number {
    return this.buffer.getInt32(this.offset + this.typeIdOffset);
  }

  /** Writes the counter type id; returns `this`. Java: `CounterMessageFlyweight.typeId(int)`. */
  setTypeId(typeId: number): this {
    this.buffer.putInt32(this.offset + this.typeIdOffset, typeId);
    return this;
  }

  /** Key length in bytes. Java: `CounterMessageFlyweight.keyBufferLength`. */
  keyLength(): number {
    return this.buffer.getInt32(this.offset + this.keyLengthOffset);
  }

  /** Offset of the key bytes, relative to the message start. Java: `CounterMessageFlyweight.keyBufferOffset`. */
  keyBufferOffset(): number {
    return this.keyOffset;
  }

  /**
   * Writes the key length and bytes; must come before the label. `key` may be empty. Returns `this`. Java:
   * `CounterMessageFlyweight.keyBuffer`.
   */
  setKey(key: Uint8Array | AtomicBuffer, keyOffset = 0, keyLength = keyLengthOf(key)): this {
    this.buffer.putInt32(this.offset + this.keyLengthOffset, keyLength);
    if (keyLength > 0) this.buffer.putBytes(this.offset + this.keyOffset, key, keyOffset, keyLength);
    return this;
  }

  /**
   * Offset of the label length field, relative to the message start (after the key, 4-aligned). Java:
   * `CounterMessageFlyweight.labelBufferOffset` points 4 bytes further, at the label bytes.
   */
  labelLengthOffset(): number {
    return this.keyOffset + align(this.keyLength(), SIZE_OF_INT);
  }

  /** Label length in bytes. Java: `CounterMessageFlyweight.labelBufferLength`. */
  labelLength(): number {
    return this.buffer.getInt32(this.offset + this.labelLengthOffset());
  }

  /** The label (ASCII). Java: the label `CounterMessageFlyweight.labelBuffer` points at. */
  label(): string {
    return this.buffer.getStringAscii(this.offset + this.labelLengthOffset());
  }

  /**
   * Writes the label (ASCII; chars > 127 become `?`) after the key. Returns `this`. Java:
   * `CounterMessageFlyweight.label(String)`.
   */
  setLabel(label: string): this {
    this.buffer.putStringAscii(this.offset + this.labelLengthOffset(), label);
    return this;
  }

  /** Encoded length: up to the end of the label. Java: `CounterMessageFlyweight.length`. */
  length(): number {
    return this.labelLengthOffset() + SIZE_OF_INT + this.labelLength();
  }
}

function keyLengthOf(key: Uint8Array | AtomicBuffer): number {
  return key instanceof Uint8Array ? key.length : key.capacity;
}

/**
 * ADD_COUNTER: a counter with type id, key and label, owned by the client that adds it. Java:
 * `CounterMessageFlyweight`.
 */
export class CounterMessageFlyweight extends KeyLabelMessageFlyweight {
  protected readonly typeIdOffset = COUNTER_TYPE_ID_OFFSET;
  protected readonly keyLengthOffset = COUNTER_KEY_LENGTH_OFFSET;
  protected readonly keyOffset = COUNTER_KEY_BUFFER_OFFSET;

  /** Ring record length Java claims (see the module comment). */
  static computeLength(keyLength: number, labelLength: number): number {
    return COUNTER_KEY_BUFFER_OFFSET + SIZE_OF_INT + align(keyLength, SIZE_OF_INT) + SIZE_OF_INT + labelLength;
  }
}

/**
 * ADD_STATIC_COUNTER: like ADD_COUNTER plus a registration id; the counter outlives its client. Java:
 * `StaticCounterMessageFlyweight`.
 */
export class StaticCounterMessageFlyweight extends KeyLabelMessageFlyweight {
  protected readonly typeIdOffset = STATIC_COUNTER_TYPE_ID_OFFSET;
  protected readonly keyLengthOffset = STATIC_COUNTER_KEY_LENGTH_OFFSET;
  protected readonly keyOffset = STATIC_COUNTER_KEY_BUFFER_OFFSET;

  /** Ring record length Java claims (see the module comment). */
  static computeLength(keyLength: number, labelLength: number): number {
    return STATIC_COUNTER_KEY_BUFFER_OFFSET + SIZE_OF_INT + align(keyLength, SIZE_OF_INT) + SIZE_OF_INT + labelLength;
  }

  /** Registration id the static counter is found by. Java: `StaticCounterMessageFlyweight.registrationId`. */
  registrationId(): number {
    return this.buffer.getInt64(this.offset + STATIC_COUNTER_REGISTRATION_ID_OFFSET);
  }

  /** Writes the registration id; returns `this`. Java: `StaticCounterMessageFlyweight.registrationId(long)`. */
  setRegistrationId(registrationId: number): this {
    this.buffer.putInt64(this.offset + STATIC_COUNTER_REGISTRATION_ID_OFFSET, registrationId);
    return this;
  }
}
