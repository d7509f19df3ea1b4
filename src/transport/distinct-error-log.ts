/**
 * Writer of Agrona's `DistinctErrorLog` (the CnC error log region, also the error buffer of
 * archive mark files). Read back by `distinct-error-log-reader.ts`, Java's `ErrorLogReader` and `ErrorStat`.
 *
 * ```
 *  record (8-byte aligned; next record at align(offset + length, 8)):
 *    +0   int32 length          24 + encoded error length; written last, release store
 *    +4   int32 observationCount atomic add per observation
 *    +8   int64 lastObservationTimestamp  epoch ms, release store per observation
 *    +16  int64 firstObservationTimestamp epoch ms, written once before the length
 *    +24  encoded error, US-ASCII (chars > 127 become '?'), as the Java media driver writes it
 * ```
 *
 * Each distinct error gets one record; seeing it again only bumps the count and the last timestamp. Errors are
 * distinct by their encoded text: an `Error`'s stack (which starts `Name: message`) followed by
 * `Caused by: <cause stack>` per cause, which is what Java compares (class, message, stack trace, causes) in
 * the form Java prints it. A new error that does not fit in the space left is not recorded (`record` returns
 * false), as in Agrona. Error path only: encoding allocates.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { align } from './bit-util.ts';
import type { EpochClock } from './counters-manager.ts';
import {
  ERROR_ENCODED_ERROR_OFFSET,
  ERROR_FIRST_OBSERVATION_TIMESTAMP_OFFSET,
  ERROR_LAST_OBSERVATION_TIMESTAMP_OFFSET,
  ERROR_LENGTH_OFFSET,
  ERROR_OBSERVATION_COUNT_OFFSET,
  ERROR_RECORD_ALIGNMENT,
} from './distinct-error-log-reader.ts';

/** Causes followed when encoding an error (a cycle or a very deep chain stops here). */
const MAX_CAUSE_DEPTH = 16;

/** The text an error is recorded as: its stack, then `Caused by: ` and each cause's stack. */
export function encodeError(error: unknown): string {
  let text = describe(error);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSE_DEPTH; depth++) {
    text += `\nCaused by: ${describe(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return String(value);
}

/** Records distinct errors into an error log buffer; see the module comment. Single writer. */
export class DistinctErrorLog {
  /** The log's buffer (8-byte aligned). */
  readonly buffer: AtomicBuffer;
  readonly #clock: EpochClock;
  /** Offset of each recorded error's record, by encoded text. */
  readonly #offsets = new Map<string, number>();
  #nextOffset = 0;

  /**
   * @param buffer the error log region, zero-filled where nothing was recorded yet.
   * @param clock epoch-millisecond clock for the observation timestamps.
   */
  constructor(buffer: AtomicBuffer, clock: EpochClock = Date.now) {
    buffer.verifyAlignment();
    this.buffer = buffer;
    this.#clock = clock;
  }

  /** Records an observation of `error`; false when it is new and does not fit. */
  record(error: unknown): boolean {
    return this.recordEncoded(encodeError(error));
  }

  /** Records an observation of an error already encoded as text (as the C driver records its descriptions). */
  recordEncoded(encodedError: string): boolean {
    const timestampMs = this.#clock();
    let offset = this.#offsets.get(encodedError);
    if (offset === undefined) {
      offset = this.#newObservation(timestampMs, encodedError);
      if (offset < 0) return false;
    }
    const buffer = this.buffer;
    buffer.getAndAddInt32(offset + ERROR_OBSERVATION_COUNT_OFFSET, 1);
    buffer.putInt64Ordered(offset + ERROR_LAST_OBSERVATION_TIMESTAMP_OFFSET, timestampMs);
    return true;
  }

  #newObservation(timestampMs: number, encodedError: string): number {
    const offset = this.#nextOffset;
    const buffer = this.buffer;
    const length = ERROR_ENCODED_ERROR_OFFSET + encodedError.length;
    if (offset + length > buffer.capacity) return -1;
    buffer.putStringWithoutLengthAscii(offset + ERROR_ENCODED_ERROR_OFFSET, encodedError);
    buffer.putInt64(offset + ERROR_FIRST_OBSERVATION_TIMESTAMP_OFFSET, timestampMs);
    this.#nextOffset = align(offset + length, ERROR_RECORD_ALIGNMENT);
    this.#offsets.set(encodedError, offset);
    buffer.putInt32Ordered(offset + ERROR_LENGTH_OFFSET, length);
    return offset;
  }
}
