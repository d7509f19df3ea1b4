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

/**
 * Agrona `CountersReader` over the CnC counters metadata and values regions (layout in
 * `counters-descriptor.ts`). Reads only: counters are allocated by the media driver.
 *
 * Scanning follows Aeron's rule: iterate ids from 0, skip records that are not ALLOCATED, stop at the first
 * UNUSED record. `getCounterValue` and the registration-id reads are 64-bit volatile reads without BigInt
 * (hot-path safe; see `AtomicBuffer.getInt64Volatile` for exactness). Labels are US-ASCII, as the Aeron client
 * reads them.
 *
 * Every per-counter getter throws CountersError `INVALID_COUNTER_ID` for an id outside 0..{@link maxCounterId}.
 * Java: `org.agrona.concurrent.status.CountersReader`.
 */
export class CountersReader {
  /** The metadata region: a 512-byte record per counter (state, type id, key, label). */
  readonly metadataBuffer: AtomicBuffer;
  /** The values region: a 128-byte record per counter (value, registration id, owner id, reference id). */
  readonly valuesBuffer: AtomicBuffer;
  /** Highest valid counter id: valuesLength / 128 - 1. */
  readonly maxCounterId: number;

  /**
   * @param metadataBuffer the CnC counters metadata region.
   * @param valuesBuffer the CnC counters values region; its length sets {@link maxCounterId}.
   */
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

  /**
   * Volatile read of a counter's value. Java: `getCounterValue`. Throws CountersError `INVALID_COUNTER_ID` for an id
   * outside 0..maxCounterId.
   */
  getCounterValue(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64Volatile(counterOffset(counterId));
  }

  /**
   * Volatile read of the registration id of a counter (0 when it was allocated without one).
   * Java: `getCounterRegistrationId`. Throws CountersError `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterRegistrationId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64Volatile(counterOffset(counterId) + REGISTRATION_ID_OFFSET);
  }

  /**
   * The owner id of a counter: the client id for a client's counters, else 0. Java: `getCounterOwnerId`. Throws
   * CountersError `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterOwnerId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64(counterOffset(counterId) + OWNER_ID_OFFSET);
  }

  /**
   * The reference id of a counter (0 by default). Java: `getCounterReferenceId`. Throws CountersError
   * `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterReferenceId(counterId: number): number {
    this.#validate(counterId);
    return this.valuesBuffer.getInt64(counterOffset(counterId) + REFERENCE_ID_OFFSET);
  }

  /**
   * RECORD_UNUSED (0), RECORD_ALLOCATED (1) or RECORD_RECLAIMED (-1). Java: `getCounterState`. Throws CountersError
   * `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterState(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt32Volatile(metadataOffset(counterId));
  }

  /**
   * The type id of a counter (for example 1 for a publisher limit). Java: `getCounterTypeId`. Throws CountersError
   * `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterTypeId(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt32(metadataOffset(counterId) + TYPE_ID_OFFSET);
  }

  /**
   * Epoch ms after which a reclaimed id may be reused; `LONG_MAX_VALUE` (2^63) while allocated.
   * Java: `getFreeForReuseDeadline`. Throws CountersError `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getFreeForReuseDeadline(counterId: number): number {
    this.#validate(counterId);
    return this.metadataBuffer.getInt64(metadataOffset(counterId) + FREE_FOR_REUSE_DEADLINE_OFFSET);
  }

  /**
   * The label of a counter (US-ASCII, at most 380 bytes). Java: `getCounterLabel`. Throws CountersError
   * `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
  getCounterLabel(counterId: number): string {
    this.#validate(counterId);
    return this.#label(metadataOffset(counterId));
  }

  /**
   * A 112-byte window onto the counter's key (its layout depends on the type id). Throws CountersError
   * `INVALID_COUNTER_ID` for an id outside 0..maxCounterId.
   */
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
