/**
 * Reader of the media driver's loss report (`<aeron dir>/loss-report.dat`, Aeron 1.51.0 `LossReport`).
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
import { align } from './ring-buffer-descriptor.ts';

export const LOSS_OBSERVATION_COUNT_OFFSET = 0;
export const LOSS_TOTAL_BYTES_LOST_OFFSET = 8;
export const LOSS_FIRST_OBSERVATION_OFFSET = 16;
export const LOSS_LAST_OBSERVATION_OFFSET = 24;
export const LOSS_SESSION_ID_OFFSET = 32;
export const LOSS_STREAM_ID_OFFSET = 36;
export const LOSS_CHANNEL_OFFSET = 40;
export const LOSS_ENTRY_ALIGNMENT = 64;

export interface LossReportEntry {
  readonly observationCount: number;
  readonly totalBytesLost: number;
  readonly firstObservationTimestamp: number;
  readonly lastObservationTimestamp: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly channel: string;
  readonly source: string;
}

/** Calls `consumer` per entry; returns the number of entries. Control path. */
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
