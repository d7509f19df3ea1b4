/**
 * Reader of Agrona's `DistinctErrorLog` (the CnC error log region; same format in archive mark files).
 *
 * ```
 *  record (8-byte aligned; next record at align(offset + length, 8)):
 *    +0   int32 length          24 + encoded error length; written last (release)
 *    +4   int32 observationCount atomically incremented
 *    +8   int64 lastObservationTimestamp  epoch ms (release)
 *    +16  int64 firstObservationTimestamp epoch ms
 *    +24  encoded error text (UTF-8 per Agrona's reader; the Java driver writes US-ASCII stack traces)
 * ```
 *
 * Reading stops at the first record whose length is <= 0, or when fewer than 24 bytes remain. Control path.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { align } from './bit-util.ts';

/**
 * Offset in a record of its int32 length (24 + the encoded error), written last. Java:
 * `DistinctErrorLog.LENGTH_OFFSET`.
 */
export const ERROR_LENGTH_OFFSET = 0;
/** Offset in a record of its int32 observation count. Java: `DistinctErrorLog.OBSERVATION_COUNT_OFFSET`. */
export const ERROR_OBSERVATION_COUNT_OFFSET = 4;
/**
 * Offset in a record of its int64 last observation time, epoch ms.
 * Java: `DistinctErrorLog.LAST_OBSERVATION_TIMESTAMP_OFFSET`.
 */
export const ERROR_LAST_OBSERVATION_TIMESTAMP_OFFSET = 8;
/**
 * Offset in a record of its int64 first observation time, epoch ms.
 * Java: `DistinctErrorLog.FIRST_OBSERVATION_TIMESTAMP_OFFSET`.
 */
export const ERROR_FIRST_OBSERVATION_TIMESTAMP_OFFSET = 16;
/** Offset in a record of the encoded error text. Java: `DistinctErrorLog.ENCODED_ERROR_OFFSET`. */
export const ERROR_ENCODED_ERROR_OFFSET = 24;
/** Records start on multiples of this many bytes. Java: `DistinctErrorLog.RECORD_ALIGNMENT`. */
export const ERROR_RECORD_ALIGNMENT = 8;

/** One distinct error and how often it was seen. Java: the arguments of `ErrorConsumer.accept`. */
export interface ErrorObservation {
  /** How many times the error was seen. */
  readonly observationCount: number;
  /** When it was first seen, epoch ms. */
  readonly firstObservationTimestamp: number;
  /** When it was last seen, epoch ms. */
  readonly lastObservationTimestamp: number;
  /** The error as the writer encoded it (a Java stack trace from the Java driver). */
  readonly encodedException: string;
}

/** True if the log holds at least one error. Java: `ErrorLogReader.hasErrors`. */
export function hasErrors(buffer: AtomicBuffer): boolean {
  return buffer.capacity >= 4 && buffer.getInt32Volatile(ERROR_LENGTH_OFFSET) > 0;
}

/**
 * Calls `consumer` for each distinct error last observed at or after `sinceTimestamp` (epoch ms; default 0, all);
 * returns how many were delivered. Java: `ErrorLogReader.read`.
 */
export function readErrorLog(
  buffer: AtomicBuffer,
  consumer: (observation: ErrorObservation) => void,
  sinceTimestamp = 0,
): number {
  let entries = 0;
  let offset = 0;
  const capacity = buffer.capacity;
  while (offset <= capacity - ERROR_ENCODED_ERROR_OFFSET) {
    const length = Math.min(buffer.getInt32Volatile(offset + ERROR_LENGTH_OFFSET), capacity - offset);
    if (length <= 0) break;
    const lastObservationTimestamp = buffer.getInt64Volatile(offset + ERROR_LAST_OBSERVATION_TIMESTAMP_OFFSET);
    if (lastObservationTimestamp >= sinceTimestamp) {
      ++entries;
      consumer({
        observationCount: buffer.getInt32Volatile(offset + ERROR_OBSERVATION_COUNT_OFFSET),
        firstObservationTimestamp: buffer.getInt64(offset + ERROR_FIRST_OBSERVATION_TIMESTAMP_OFFSET),
        lastObservationTimestamp,
        encodedException: buffer.getStringWithoutLengthUtf8(
          offset + ERROR_ENCODED_ERROR_OFFSET,
          Math.max(0, length - ERROR_ENCODED_ERROR_OFFSET),
        ),
      });
    }
    offset += align(length, ERROR_RECORD_ALIGNMENT);
  }
  return entries;
}

/** All errors, for diagnostics. */
export function readAllErrors(buffer: AtomicBuffer): ErrorObservation[] {
  const out: ErrorObservation[] = [];
  readErrorLog(buffer, (o) => out.push(o));
  return out;
}
