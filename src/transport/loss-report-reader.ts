/**
 * Reader of the media driver's loss report (`<aeron dir>/loss-report.dat`, Aeron `LossReport`).
 *
 * ```
 *  entry (64-byte aligned; next entry at align(40 + align(4 + channelLen, 4) + 4 + sourceLen, 64)):
 *    +0   int64 observationCount  written last (release); 0 = end of report
 *    +8   int64 totalBytesLost
 *    +16  int64 firstObservationTimestamp  epoch ms
 *    +24  int64 lastObservationTimestamp   epoch ms
 *    +32  int32 sessionId
 *    +36  int32 streamId
 *    +40  int32 channel length, channel ASCII
 *    +40 + align(4 + channelLen, 4): int32 source length, source ASCII
 * ```
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { align } from './bit-util.ts';

/**
 * Offset in an entry of its int64 observation count, written last (0: end of report). Java:
 * `LossReport.OBSERVATION_COUNT_OFFSET`.
 */
export const LOSS_OBSERVATION_COUNT_OFFSET = 0;
/** Offset in an entry of its int64 total bytes lost. Java: `LossReport.TOTAL_BYTES_LOST_OFFSET`. */
export const LOSS_TOTAL_BYTES_LOST_OFFSET = 8;
/** Offset in an entry of its int64 first observation time, epoch ms. Java: `LossReport.FIRST_OBSERVATION_OFFSET`. */
export const LOSS_FIRST_OBSERVATION_OFFSET = 16;
/** Offset in an entry of its int64 last observation time, epoch ms. Java: `LossReport.LAST_OBSERVATION_OFFSET`. */
export const LOSS_LAST_OBSERVATION_OFFSET = 24;
/** Offset in an entry of its int32 session id. Java: `LossReport.SESSION_ID_OFFSET`. */
export const LOSS_SESSION_ID_OFFSET = 32;
/** Offset in an entry of its int32 stream id. Java: `LossReport.STREAM_ID_OFFSET`. */
export const LOSS_STREAM_ID_OFFSET = 36;
/**
 * Offset in an entry of its channel (int32 length, then ASCII), followed by the source. Java:
 * `LossReport.CHANNEL_OFFSET`.
 */
export const LOSS_CHANNEL_OFFSET = 40;
/** Entries start on multiples of this many bytes (a cache line). Java: `LossReport.ENTRY_ALIGNMENT`. */
export const LOSS_ENTRY_ALIGNMENT = 64;

/**
 * One loss report entry: the loss seen on one image. Java: the arguments of `LossReportReader.EntryConsumer.accept`.
 */
export interface LossReportEntry {
  /** How many loss observations were made (gaps the receiver saw). */
  readonly observationCount: number;
  /** Total bytes lost across them. */
  readonly totalBytesLost: number;
  /** When loss was first seen, epoch ms. */
  readonly firstObservationTimestamp: number;
  /** When loss was last seen, epoch ms. */
  readonly lastObservationTimestamp: number;
  /** Session id of the image. */
  readonly sessionId: number;
  /** Stream id of the image. */
  readonly streamId: number;
  /** Channel of the image. */
  readonly channel: string;
  /** Source address of the image's sender. */
  readonly source: string;
}

/** Calls `consumer` per entry; returns the number of entries. Control path. Java: `LossReportReader.read`. */
export function readLossReport(buffer: AtomicBuffer, consumer: (entry: LossReportEntry) => void): number {
  const capacity = buffer.capacity;
  let recordsRead = 0;
  let offset = 0;
  while (offset + LOSS_CHANNEL_OFFSET + 4 <= capacity) {
    const observationCount = buffer.getInt64Volatile(offset + LOSS_OBSERVATION_COUNT_OFFSET);
    if (observationCount <= 0) break;
    ++recordsRead;
    const channel = buffer.getStringAscii(offset + LOSS_CHANNEL_OFFSET);
    const sourceOffset = offset + LOSS_CHANNEL_OFFSET + align(4 + channel.length, 4);
    const source = buffer.getStringAscii(sourceOffset);
    consumer({
      observationCount,
      totalBytesLost: buffer.getInt64Volatile(offset + LOSS_TOTAL_BYTES_LOST_OFFSET),
      firstObservationTimestamp: buffer.getInt64(offset + LOSS_FIRST_OBSERVATION_OFFSET),
      lastObservationTimestamp: buffer.getInt64Volatile(offset + LOSS_LAST_OBSERVATION_OFFSET),
      sessionId: buffer.getInt32(offset + LOSS_SESSION_ID_OFFSET),
      streamId: buffer.getInt32(offset + LOSS_STREAM_ID_OFFSET),
      channel,
      source,
    });
    const recordLength = LOSS_CHANNEL_OFFSET + align(4 + channel.length, 4) + 4 + source.length;
    offset += align(recordLength, LOSS_ENTRY_ALIGNMENT);
  }
  return recordsRead;
}
