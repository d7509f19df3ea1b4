/**
 * Agrona `CountersManager` (as Java's media driver uses it): the single writer of the
 * CnC counters metadata and values regions. Layout in `counters-descriptor.ts`; readers (`CountersReader`,
 * Java's `CountersReader`, AeronStat) see what this writes.
 *
 * ```
 *  allocate:  id = first freed id whose reuse deadline has passed (its value, registration, owner and
 *             reference ids reset first), else ++highWaterMarkId
 *             metadata: typeId, key, freeForReuseDeadline = Long.MAX_VALUE, label length + label (ASCII,
 *             chars > 127 become '?', at most 380 bytes), then state = ALLOCATED with a release store
 *  free:      state = RECLAIMED (release), key zeroed, freeForReuseDeadline = now + freeToReuseTimeoutMs,
 *             id appended to the free list
 * ```
 *
 * The free-to-reuse cool-down keeps a freed id from being handed out again while a client may still be
 * reading it under its old meaning (Aeron's default is 1 s: `aeron.counters.free.to.reuse.timeout`).
 *
 * Errors are Java's: a full buffer or freeing a counter that is not allocated is an `IllegalStateError`
 * (Java `IllegalStateException`), an id outside `0..maxCounterId` a `CountersError` (`INVALID_COUNTER_ID`), a
 * bad argument an `InvalidArgumentError`. Allocation and free are control-path; they allocate a little.
 */

import { IllegalStateError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from './atomic-buffer.ts';
import { LONG_MAX_VALUE } from './atomic-buffer.ts';
import {
  COUNTER_LENGTH,
  counterOffset,
  DEFAULT_OWNER_ID,
  DEFAULT_REFERENCE_ID,
  DEFAULT_REGISTRATION_ID,
  DEFAULT_TYPE_ID,
  FREE_FOR_REUSE_DEADLINE_OFFSET,
  KEY_OFFSET,
  LABEL_OFFSET,
  MAX_KEY_LENGTH,
  MAX_LABEL_LENGTH,
  METADATA_LENGTH,
  metadataOffset,
  OWNER_ID_OFFSET,
  RECORD_ALLOCATED,
  RECORD_RECLAIMED,
  REFERENCE_ID_OFFSET,
  REGISTRATION_ID_OFFSET,
  TYPE_ID_OFFSET,
} from './counters-descriptor.ts';
import { CountersReader } from './counters-reader.ts';
import { CountersError } from './transport-error.ts';

/** `freeForReuseDeadline` of an allocated counter: Java's `Long.MAX_VALUE` (`CountersReader.NOT_FREE_TO_REUSE`). */
export const NOT_FREE_TO_REUSE: number = LONG_MAX_VALUE;

/** Epoch milliseconds now (Agrona `EpochClock`). */
export type EpochClock = () => number;

/** Writes a counter's key into the 112-byte key window. */
export type CounterKeyWriter = (key: AtomicBuffer) => void;

/** Offset of the label bytes in a metadata record (after the int32 label length). */
const LABEL_BYTES_OFFSET = LABEL_OFFSET + 4;

/** Allocates, labels and frees counters; see the module comment. Single writer: one per CnC file. */
export class CountersManager extends CountersReader {
  /** How long a freed id waits before it may be allocated again (ms; 0 = at once). */
  readonly freeToReuseTimeoutMs: number;

  readonly #epochClock: EpochClock;
  readonly #freeList: number[] = [];
  #highWaterMarkId = -1;

  /**
   * @param metadataBuffer the counters metadata region (at least 4 x the values region).
   * @param valuesBuffer the counters values region (8-byte aligned).
   * @param epochClock the clock that stamps reuse deadlines.
   * @param freeToReuseTimeoutMs cool-down of a freed id before it is reused.
   */
  constructor(
    metadataBuffer: AtomicBuffer,
    valuesBuffer: AtomicBuffer,
    epochClock: EpochClock = Date.now,
    freeToReuseTimeoutMs = 0,
  ) {
    super(metadataBuffer, valuesBuffer);
    valuesBuffer.verifyAlignment();
    if (metadataBuffer.capacity < valuesBuffer.capacity * (METADATA_LENGTH / COUNTER_LENGTH)) {
      throw new InvalidArgumentError('metadata buffer is too small');
    }
    if (!Number.isSafeInteger(freeToReuseTimeoutMs) || freeToReuseTimeoutMs < 0) {
      throw new InvalidArgumentError(`freeToReuseTimeoutMs must be a non-negative integer: ${freeToReuseTimeoutMs}`);
    }
    this.#epochClock = epochClock;
    this.freeToReuseTimeoutMs = freeToReuseTimeoutMs;
  }

  /** How many counters the buffers hold: `maxCounterId + 1`. */
  get capacity(): number {
    return this.maxCounterId + 1;
  }

  /** How many counters could be allocated now (never used, plus freed ones past their cool-down). */
  available(): number {
    const nowMs = this.#epochClock();
    let reusable = 0;
    for (const counterId of this.#freeList) {
      if (nowMs >= this.#reuseDeadline(counterId)) reusable++;
    }
    return this.capacity - this.#highWaterMarkId - 1 + reusable;
  }

  /**
   * Allocates a counter with a label (truncated to 380 ASCII bytes), a type id and optionally a key written
   * by `writeKey` into the 112-byte key window. Returns its id. Throws `IllegalStateError` when full.
   */
  allocate(label: string, typeId: number = DEFAULT_TYPE_ID, writeKey?: CounterKeyWriter): number {
    checkTypeId(typeId);
    const counterId = this.#nextCounterId();
    const metadata = this.metadataBuffer;
    const recordOffset = metadataOffset(counterId);
    try {
      metadata.putInt32(recordOffset + TYPE_ID_OFFSET, typeId);
      writeKey?.(metadata.slice(recordOffset + KEY_OFFSET, MAX_KEY_LENGTH));
      metadata.putInt64(recordOffset + FREE_FOR_REUSE_DEADLINE_OFFSET, NOT_FREE_TO_REUSE);
      this.#putLabel(recordOffset, label);
    } catch (e) {
      this.#freeList.push(counterId);
      throw e;
    }
    metadata.putInt32Ordered(recordOffset, RECORD_ALLOCATED);
    return counterId;
  }

  /**
   * Allocates a counter whose key and label are bytes in buffers (as a client's ADD_COUNTER command carries
   * them): the key is truncated to 112 bytes, the label to 380. `keyBuffer` null means no key. Returns the id.
   */
  allocateFromBuffers(
    typeId: number,
    keyBuffer: AtomicBuffer | null,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
  ): number {
    checkTypeId(typeId);
    const keyCopy = keyBuffer === null ? 0 : Math.min(checkLength('key', keyLength), MAX_KEY_LENGTH);
    const labelCopy = Math.min(checkLength('label', labelLength), MAX_LABEL_LENGTH);
    if (keyBuffer !== null) keyBuffer.boundsCheck(keyOffset, keyCopy);
    labelBuffer.boundsCheck(labelOffset, labelCopy);

    const counterId = this.#nextCounterId();
    const metadata = this.metadataBuffer;
    const recordOffset = metadataOffset(counterId);
    metadata.putInt32(recordOffset + TYPE_ID_OFFSET, typeId);
    metadata.putInt64(recordOffset + FREE_FOR_REUSE_DEADLINE_OFFSET, NOT_FREE_TO_REUSE);
    if (keyBuffer !== null && keyCopy > 0) {
      metadata.putBytes(recordOffset + KEY_OFFSET, keyBuffer, keyOffset, keyCopy);
    }
    metadata.putInt32(recordOffset + LABEL_OFFSET, labelCopy);
    if (labelCopy > 0) metadata.putBytes(recordOffset + LABEL_BYTES_OFFSET, labelBuffer, labelOffset, labelCopy);
    metadata.putInt32Ordered(recordOffset, RECORD_ALLOCATED);
    return counterId;
  }

  /**
   * Frees an allocated counter: RECLAIMED, key zeroed, reusable after the cool-down.
   * Throws `IllegalStateError` if it is not allocated.
   */
  free(counterId: number): void {
    this.#validateId(counterId);
    const metadata = this.metadataBuffer;
    const recordOffset = metadataOffset(counterId);
    if (metadata.getInt32Volatile(recordOffset) !== RECORD_ALLOCATED) {
      throw new IllegalStateError(`counter not allocated: id=${counterId}`);
    }
    metadata.putInt32Ordered(recordOffset, RECORD_RECLAIMED);
    metadata.setMemory(recordOffset + KEY_OFFSET, MAX_KEY_LENGTH, 0);
    metadata.putInt64(recordOffset + FREE_FOR_REUSE_DEADLINE_OFFSET, this.#epochClock() + this.freeToReuseTimeoutMs);
    this.#freeList.push(counterId);
  }

  /** Sets a counter's value with a release store. */
  setCounterValue(counterId: number, value: number): void {
    this.#validateId(counterId);
    this.valuesBuffer.putInt64Ordered(counterOffset(counterId), value);
  }

  /** Sets a counter's registration id with a release store. */
  setCounterRegistrationId(counterId: number, registrationId: number): void {
    this.#validateId(counterId);
    this.valuesBuffer.putInt64Ordered(counterOffset(counterId) + REGISTRATION_ID_OFFSET, registrationId);
  }

  /** Sets a counter's owner id (the client id for client counters, -1 for the driver's). */
  setCounterOwnerId(counterId: number, ownerId: number): void {
    this.#validateId(counterId);
    this.valuesBuffer.putInt64(counterOffset(counterId) + OWNER_ID_OFFSET, ownerId);
  }

  /** Sets a counter's reference id. */
  setCounterReferenceId(counterId: number, referenceId: number): void {
    this.#validateId(counterId);
    this.valuesBuffer.putInt64(counterOffset(counterId) + REFERENCE_ID_OFFSET, referenceId);
  }

  /** Replaces a counter's label (truncated to 380 ASCII bytes). */
  setCounterLabel(counterId: number, label: string): void {
    this.#validateId(counterId);
    this.#putLabel(metadataOffset(counterId), label);
  }

  /** Appends to a counter's label, up to the 380-byte limit; returns the bytes appended. */
  appendToLabel(counterId: number, suffix: string): number {
    this.#validateId(counterId);
    const metadata = this.metadataBuffer;
    const recordOffset = metadataOffset(counterId);
    const existing = metadata.getInt32Volatile(recordOffset + LABEL_OFFSET);
    const appended =
      suffix.length <= MAX_LABEL_LENGTH - existing ? suffix : suffix.slice(0, MAX_LABEL_LENGTH - existing);
    metadata.putStringWithoutLengthAscii(recordOffset + LABEL_BYTES_OFFSET + existing, appended);
    metadata.putInt32Ordered(recordOffset + LABEL_OFFSET, existing + appended.length);
    return appended.length;
  }

  /** Rewrites a counter's key through `writeKey` (the 112-byte key window). */
  setCounterKey(counterId: number, writeKey: CounterKeyWriter): void {
    this.#validateId(counterId);
    writeKey(this.metadataBuffer.slice(metadataOffset(counterId) + KEY_OFFSET, MAX_KEY_LENGTH));
  }

  #nextCounterId(): number {
    const freeList = this.#freeList;
    if (freeList.length > 0) {
      const nowMs = this.#epochClock();
      for (let i = 0; i < freeList.length; i++) {
        const counterId = freeList[i]!;
        if (nowMs >= this.#reuseDeadline(counterId)) {
          freeList.splice(i, 1);
          const values = this.valuesBuffer;
          const offset = counterOffset(counterId);
          values.putInt64Ordered(offset + REGISTRATION_ID_OFFSET, DEFAULT_REGISTRATION_ID);
          values.putInt64(offset + OWNER_ID_OFFSET, DEFAULT_OWNER_ID);
          values.putInt64(offset + REFERENCE_ID_OFFSET, DEFAULT_REFERENCE_ID);
          values.putInt64Ordered(offset, 0);
          return counterId;
        }
      }
    }
    if (this.#highWaterMarkId + 1 > this.maxCounterId) {
      throw new IllegalStateError(`unable to allocate counter, buffer is full: maxCounterId=${this.maxCounterId}`);
    }
    return ++this.#highWaterMarkId;
  }

  #reuseDeadline(counterId: number): number {
    return this.metadataBuffer.getInt64(metadataOffset(counterId) + FREE_FOR_REUSE_DEADLINE_OFFSET);
  }

  #putLabel(recordOffset: number, label: string): void {
    const text = label.length <= MAX_LABEL_LENGTH ? label : label.slice(0, MAX_LABEL_LENGTH);
    const metadata = this.metadataBuffer;
    metadata.putStringWithoutLengthAscii(recordOffset + LABEL_BYTES_OFFSET, text);
    metadata.putInt32Ordered(recordOffset + LABEL_OFFSET, text.length);
  }

  #validateId(counterId: number): void {
    if (!Number.isInteger(counterId) || counterId < 0 || counterId > this.maxCounterId) {
      throw new CountersError(
        'INVALID_COUNTER_ID',
        `counter id ${counterId} out of range: 0 - maxCounterId=${this.maxCounterId}`,
      );
    }
  }
}

function checkTypeId(typeId: number): void {
  if (!Number.isInteger(typeId) || typeId < -0x80000000 || typeId > 0x7fffffff) {
    throw new InvalidArgumentError(`counter type id must be an int32: ${typeId}`);
  }
}

function checkLength(what: string, length: number): number {
  if (!Number.isInteger(length) || length < 0) {
    throw new InvalidArgumentError(`counter ${what} length must be a non-negative integer: ${length}`);
  }
  return length;
}
