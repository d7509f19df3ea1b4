/**
 * Agrona `CountersReader` over the CnC counters metadata and values regions (layout in
 * `counters-descriptor.ts`). Reads only: counters are allocated by the media driver.
 *
 * Scanning follows Aeron's rule: iterate ids from 0, skip records that are not ALLOCATED, stop at the first
 * UNUSED record. `getCounterValue` and the registration-id reads are 64-bit volatile reads without BigInt
 * (hot-path safe; see `AtomicBuffer.getInt64Volatile` for exactness). Labels are US-ASCII, as the Aeron client
 * reads them.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import {
  COUNTER_LENGTH,
  counterOffset,
  FREE_FOR_REUSE_DEADLINE_OFFSET,
  KEY_OFFSET,
  LABEL_OFFSET,
  MAX_KEY_LENGTH,
  MAX_LABEL_LENGTH,
  METADATA_LENGTH,
  metadataOffset,
  NULL_COUNTER_ID,
  OWNER_ID_OFFSET,
  RECORD_ALLOCATED,
  RECORD_UNUSED,
  REFERENCE_ID_OFFSET,
  REGISTRATION_ID_OFFSET,
  TYPE_ID_OFFSET,
} from './counters-descriptor.ts';
import { CountersError } from './transport-error.ts';

/** Visits one allocated counter. `key` is a 112-byte window onto the metadata record's key. */
export type CounterMetadataVisitor = (counterId: number, typeId: number, key: AtomicBuffer, label: string) => void;

export class CountersReader {
  readonly metadataBuffer: AtomicBuffer;
  readonly valuesBuffer: AtomicBuffer;
  /** Highest valid counter id: valuesLength / 128 - 1. */
  readonly maxCounterId: number;

  constructor(metadataBuffer: AtomicBuffer, valuesBuffer: AtomicBuffer) {
    this.metadataBuffer = metadataBuffer;
    this.valuesBuffer = valuesBuffer;
    this.maxCounterId = Math.floor(valuesBuffer.capacity / COUNTER_LENGTH) - 1;
  }

  /** Visits every ALLOCATED counter, stopping at the first UNUSED record. Control path: allocates. */
  forEach(visitor: CounterMetadataVisitor): void {
    const metadata = this.metadataBuffer;
    const limit = Math.min(metadata.capacity, (this.maxCounterId + 1) * METADATA_LENGTH);
    for (let offset = 0, counterId = 0; offset < limit; offset += METADATA_LENGTH, counterId++) {
      const state = metadata.getInt32Volatile(offset);
      if (state === RECORD_ALLOCATED) {
        const typeId = metadata.getInt32(offset + TYPE_ID_OFFSET);
        visitor(counterId, typeId, metadata.slice(offset + KEY_OFFSET, MAX_KEY_LENGTH), this.#label(offset));
      } else if (state === RECORD_UNUSED) {
        break;
      }
    }
  }

  /** Id of the first ALLOCATED counter with this registration id, or -1. */
  findByRegistrationId(registrationId: number): number {
    return this.#find(-1, registrationId, false);
  }

  /** Id of the first ALLOCATED counter with this type id and registration id, or -1. */
  findByTypeIdAndRegistrationId(typeId: number, registrationId: number): number {
    return this.#find(typeId, registrationId, true);
  }

  #find(typeId: number, registrationId: number, matchType: boolean): number {
    const metadata = this.metadataBuffer;
    const values = this.valuesBuffer;
    const limit = Math.min(metadata.capacity, (this.maxCounterId + 1) * METADATA_LENGTH);
    for (let offset = 0, counterId = 0; offset < limit; offset += METADATA_LENGTH, counterId++) {
      const state = metadata.getInt32Volatile(offset);
      if (state === RECORD_ALLOCATED) {
        if (
          (!matchType || metadata.getInt32(offset + TYPE_ID_OFFSET) === typeId) &&
          values.getInt64Volatile(counterOffset(counterId) + REGISTRATION_ID_OFFSET) === registrationId
        ) {
          return counterId;
        }
      } else if (state === RECORD_UNUSED) {
        break;
      }
    }
    return NULL_COUNTER_ID;
  }

  /** Volatile read of a counter's value. */
  getCounterValue(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64Volatile(counterOffset(counterId));
  }

  getCounterRegistrationId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64Volatile(counterOffset(counterId) + REGISTRATION_ID_OFFSET);
  }

  getCounterOwnerId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64(counterOffset(counterId) + OWNER_ID_OFFSET);
  }

  getCounterReferenceId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64(counterOffset(counterId) + REFERENCE_ID_OFFSET);
  }

  /** RECORD_UNUSED (0), RECORD_ALLOCATED (1) or RECORD_RECLAIMED (-1). */
  getCounterState(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt32Volatile(metadataOffset(counterId));
  }

  getCounterTypeId(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt32(metadataOffset(counterId) + TYPE_ID_OFFSET);
  }

  /** Epoch ms after which a reclaimed id may be reused; `LONG_MAX_VALUE` (2^63) while allocated. */
  getFreeForReuseDeadline(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt64(metadataOffset(counterId) + FREE_FOR_REUSE_DEADLINE_OFFSET);
  }

  getCounterLabel(counterId: number): string {
    this.#validate(counterId);
    return this.#label(metadataOffset(counterId));
  }

  /** A 112-byte window onto the counter's key. */
  getCounterKey(counterId: number): AtomicBuffer {
    this.#validate(counterId);
    return this.metadataBuffer.slice(metadataOffset(counterId) + KEY_OFFSET, MAX_KEY_LENGTH);
  }

  #label(recordOffset: number): string {
    const metadata = this.metadataBuffer;
    const length = metadata.getInt32Volatile(recordOffset + LABEL_OFFSET);
    const clamped = Math.max(0, Math.min(length, MAX_LABEL_LENGTH));
    return metadata.getStringWithoutLengthAscii(recordOffset + LABEL_OFFSET + 4, clamped);
  }

  #validate(counterId: number): void {
    if (!Number.isInteger(counterId) || counterId < 0 || counterId > this.maxCounterId) {
      throw new CountersError(
        'INVALID_COUNTER_ID',
        `counter id ${counterId} out of range: 0 - maxCounterId=${this.maxCounterId}`,
      );
    }
  }
}
