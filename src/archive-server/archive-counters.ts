/**
 * The archive's own counters (Java `ArchiveCounters`): key = archiveId (int64), label = name + " - archiveId=<id>";
 * the error counter's label ends with the version info, as Java's `allocateErrorCounter` appends it.
 *
 * | type id | Java (`AeronCounters`)              | label                                                       |
 * |---------|-------------------------------------|-------------------------------------------------------------|
 * | 101     | ARCHIVE_ERROR_COUNT_TYPE_ID         | `Archive Errors - archiveId=<id> version=<v> commit=<sha>`  |
 * | 102     | ARCHIVE_CONTROL_SESSIONS_TYPE_ID    | `Archive Control Sessions - archiveId=<id>`                 |
 */
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';

/** `AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID`. */
export const ARCHIVE_ERROR_COUNT_TYPE_ID = 101;
/** `AeronCounters.ARCHIVE_CONTROL_SESSIONS_TYPE_ID`. */
export const ARCHIVE_CONTROL_SESSIONS_TYPE_ID = 102;
/** `ArchiveCounters.ARCHIVE_ID_LABEL_SUFFIX`. */
export const ARCHIVE_ID_LABEL_SUFFIX = ' - archiveId=';
/** This archive's version info in the error counter's label (Java: `version=<v> commit=<sha>`). */
export const ARCHIVE_VERSION_INFO = 'version=0.1.0 commit=aeron-ts';

/** The key of an archive counter: the archive id as int64. */
function archiveIdKey(archiveId: number): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigInt64(0, BigInt(archiveId), true);
  return key;
}

/** An archive counter of `typeId` named `name` (Java `ArchiveCounters.allocate`). */
export function allocateArchiveCounter(
  aeron: Aeron,
  typeId: number,
  name: string,
  archiveId: number,
): Promise<Counter> {
  return aeron.addCounter(typeId, `${name}${ARCHIVE_ID_LABEL_SUFFIX}${archiveId}`, archiveIdKey(archiveId));
}

/** The archive's error counter (Java `ArchiveCounters.allocateErrorCounter`). */
export function allocateErrorCounter(aeron: Aeron, archiveId: number): Promise<Counter> {
  return aeron.addCounter(
    ARCHIVE_ERROR_COUNT_TYPE_ID,
    `Archive Errors${ARCHIVE_ID_LABEL_SUFFIX}${archiveId} ${ARCHIVE_VERSION_INFO}`,
    archiveIdKey(archiveId),
  );
}
