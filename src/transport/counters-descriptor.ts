/**
 * Layout of Agrona's counters (CnC counters metadata and values regions), Agrona 2.4.1 / Aeron 1.51.0.
 *
 * ```
 *  metadata record, 512 bytes, at counterId * 512:
 *    +0    int32 state         0 UNUSED, 1 ALLOCATED, -1 RECLAIMED (volatile)
 *    +4    int32 typeId
 *    +8    int64 freeForReuseDeadline  epoch ms; Long.MAX_VALUE while allocated
 *    +16   key, 112 bytes
 *    +128  int32 label length (volatile)
 *    +132  label, up to 380 bytes (US-ASCII in Aeron)
 *
 *  value record, 128 bytes, at counterId * 128:
 *    +0    int64 value           (volatile / release)
 *    +8    int64 registrationId  (volatile; default 0)
 *    +16   int64 ownerId         (client id for client counters; default 0)
 *    +24   int64 referenceId     (default 0)
 *    +32   padding to 128
 * ```
 */
export const RECORD_UNUSED = 0;
export const RECORD_ALLOCATED = 1;
export const RECORD_RECLAIMED = -1;

export const METADATA_LENGTH = 512;
export const COUNTER_LENGTH = 128;

export const TYPE_ID_OFFSET = 4;
export const FREE_FOR_REUSE_DEADLINE_OFFSET = 8;
export const KEY_OFFSET = 16;
export const LABEL_OFFSET = 128;
export const FULL_LABEL_LENGTH = 384;
export const MAX_LABEL_LENGTH = FULL_LABEL_LENGTH - 4;
export const MAX_KEY_LENGTH = 112;

export const REGISTRATION_ID_OFFSET = 8;
export const OWNER_ID_OFFSET = 16;
export const REFERENCE_ID_OFFSET = 24;

export const NULL_COUNTER_ID = -1;
export const DEFAULT_TYPE_ID = 0;
export const DEFAULT_REGISTRATION_ID = 0;
export const DEFAULT_OWNER_ID = 0;
export const DEFAULT_REFERENCE_ID = 0;

/** Offset of a counter's value record in the values buffer. */
export function counterOffset(counterId: number): number {
  return counterId * COUNTER_LENGTH;
}

/** Offset of a counter's metadata record in the metadata buffer. */
export function metadataOffset(counterId: number): number {
  return counterId * METADATA_LENGTH;
}
