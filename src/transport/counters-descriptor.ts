/**
 * Layout of Agrona's counters (CnC counters metadata and values regions), as Agrona's `CountersReader` lays them out.
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
/**
 * Metadata `state` of a record never allocated; a reader stops at the first one. Java: `CountersReader.RECORD_UNUSED`.
 */
export const RECORD_UNUSED = 0;
/** Metadata `state` of a counter in use. Java: `CountersReader.RECORD_ALLOCATED`. */
export const RECORD_ALLOCATED = 1;
/** Metadata `state` of a freed counter, reusable after its deadline. Java: `CountersReader.RECORD_RECLAIMED`. */
export const RECORD_RECLAIMED = -1;

/** Length in bytes of a metadata record. Java: `CountersReader.METADATA_LENGTH`. */
export const METADATA_LENGTH = 512;
/** Length in bytes of a value record. Java: `CountersReader.COUNTER_LENGTH`. */
export const COUNTER_LENGTH = 128;

/** Offset in a metadata record of the int32 type id. Java: `CountersReader.TYPE_ID_OFFSET`. */
export const TYPE_ID_OFFSET = 4;
/**
 * Offset in a metadata record of the int64 free-for-reuse deadline, epoch ms (`Long.MAX_VALUE` while allocated). Java:
 * `CountersReader.FREE_FOR_REUSE_DEADLINE_OFFSET`.
 */
export const FREE_FOR_REUSE_DEADLINE_OFFSET = 8;
/** Offset in a metadata record of the key ({@link MAX_KEY_LENGTH} bytes). Java: `CountersReader.KEY_OFFSET`. */
export const KEY_OFFSET = 16;
/**
 * Offset in a metadata record of the int32 label length, followed by the label. Java: `CountersReader.LABEL_OFFSET`.
 */
export const LABEL_OFFSET = 128;
/** Length in bytes of the label field: the int32 length and up to {@link MAX_LABEL_LENGTH} bytes of text. */
export const FULL_LABEL_LENGTH = 384;
/** Longest label in bytes. Java: `CountersReader.MAX_LABEL_LENGTH`. */
export const MAX_LABEL_LENGTH = FULL_LABEL_LENGTH - 4;
/** Longest key in bytes. Java: `CountersReader.MAX_KEY_LENGTH`. */
export const MAX_KEY_LENGTH = 112;

/** Offset in a value record of the int64 registration id. Java: `CountersReader.REGISTRATION_ID_OFFSET`. */
export const REGISTRATION_ID_OFFSET = 8;
/**
 * Offset in a value record of the int64 owner id (the client id, for client counters). Java:
 * `CountersReader.OWNER_ID_OFFSET`.
 */
export const OWNER_ID_OFFSET = 16;
/** Offset in a value record of the int64 reference id. Java: `CountersReader.REFERENCE_ID_OFFSET`. */
export const REFERENCE_ID_OFFSET = 24;

/** The counter id that means none. Java: `CountersReader.NULL_COUNTER_ID`. */
export const NULL_COUNTER_ID = -1;
/** Type id of a counter allocated without one. Java: `CountersReader.DEFAULT_TYPE_ID`. */
export const DEFAULT_TYPE_ID = 0;
/** Registration id of a counter allocated without one. Java: `CountersReader.DEFAULT_REGISTRATION_ID`. */
export const DEFAULT_REGISTRATION_ID = 0;
/** Owner id of a counter allocated without one. Java: `CountersReader.DEFAULT_OWNER_ID`. */
export const DEFAULT_OWNER_ID = 0;
/** Reference id of a counter allocated without one. Java: `CountersReader.DEFAULT_REFERENCE_ID`. */
export const DEFAULT_REFERENCE_ID = 0;

/** Offset of a counter's value record in the values buffer. */
export function counterOffset(counterId: number): number {
  return counterId * COUNTER_LENGTH;
}

/** Offset of a counter's metadata record in the metadata buffer. */
export function metadataOffset(counterId: number): number {
  return counterId * METADATA_LENGTH;
}
