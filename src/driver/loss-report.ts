/**
 * Writer of the media driver's loss report, `<aeron dir>/loss-report.dat` (Aeron 1.51.0
 * `io.aeron.driver.reports.LossReport`): one entry per image (session, stream, channel, source) that saw loss.
 * Read back by `loss-report-reader.ts`, Java's `LossReportReader` and `LossStat`.
 *
 * ```
 *  entry (64-byte aligned; next entry at align(40 + align(4 + channelLen, 4) + 4 + sourceLen, 64)):
 *    +0   int64 observationCount  1 written last with a release store when the entry is created;
 *                                 0 = end of the report
 *    +8   int64 totalBytesLost    atomic add per observation
 *    +16  int64 firstObservationTimestamp  epoch ms
 *    +24  int64 lastObservationTimestamp   epoch ms, release store per observation
 *    +32  int32 sessionId
 *    +36  int32 streamId
 *    +40  int32 channel length, channel US-ASCII
 *    +40 + align(4 + channelLen, 4): int32 source length, source US-ASCII
 * ```
 *
 * An entry is created once per image that loses data, then updated per observation
 * (`LossReportEntry.recordObservation`: last timestamp, then bytes lost, then count). When the file is full
 * `createEntry` returns null and the loss goes unreported, as in Java. Each observation allocates small
 * BigInts for its 64-bit atomic writes (`AtomicBuffer`): loss is an event, not a per-message path.
 */
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { align } from '../transport/bit-util.ts';
import {
  LOSS_CHANNEL_OFFSET,
  LOSS_ENTRY_ALIGNMENT,
  LOSS_FIRST_OBSERVATION_OFFSET,
  LOSS_LAST_OBSERVATION_OFFSET,
  LOSS_OBSERVATION_COUNT_OFFSET,
  LOSS_SESSION_ID_OFFSET,
  LOSS_STREAM_ID_OFFSET,
  LOSS_TOTAL_BYTES_LOST_OFFSET,
} from '../transport/loss-report-reader.ts';

/** The loss report's file name in the Aeron directory (`LossReportUtil.LOSS_REPORT_FILE_NAME`). */
export const LOSS_REPORT_FILE_NAME = 'loss-report.dat';

/** One entry of the report, updated per observation of loss. */
export class LossReportEntry {
  readonly #buffer: AtomicBuffer;
  /** Offset of the entry in the report. */
  readonly offset: number;

  /** @internal created by `LossReport.createEntry`. */
  constructor(buffer: AtomicBuffer, offset: number) {
    this.#buffer = buffer;
    this.offset = offset;
  }

  /** Adds one observation of `bytesLost` bytes lost at `timestampMs` (epoch ms). */
  recordObservation(bytesLost: number, timestampMs: number): void {
    const buffer = this.#buffer;
    const offset = this.offset;
    buffer.putInt64Ordered(offset + LOSS_LAST_OBSERVATION_OFFSET, timestampMs);
    buffer.getAndAddInt64(offset + LOSS_TOTAL_BYTES_LOST_OFFSET, bytesLost);
    buffer.getAndAddInt64(offset + LOSS_OBSERVATION_COUNT_OFFSET, 1);
  }
}

/** Appends entries to a loss report buffer; see the module comment. Single writer. */
export class LossReport {
  /** The report's buffer (8-byte aligned). */
  readonly buffer: AtomicBuffer;
  #nextRecordOffset = 0;

  /** @param buffer the mapped `loss-report.dat`, zero-filled. */
  constructor(buffer: AtomicBuffer) {
    buffer.verifyAlignment();
    this.buffer = buffer;
  }

  /**
   * Creates the entry of one image with its first observation (count 1). Returns null when the report is
   * full. Channel and source are written as US-ASCII (chars > 127 become '?').
   */
  createEntry(
    initialBytesLost: number,
    timestampMs: number,
    sessionId: number,
    streamId: number,
    channel: string,
    source: string,
  ): LossReportEntry | null {
    const buffer = this.buffer;
    const requiredCapacity = LOSS_CHANNEL_OFFSET + align(4 + channel.length, 4) + 4 + source.length;
    const offset = this.#nextRecordOffset;
    if (requiredCapacity > buffer.capacity - offset) return null;

    buffer.putInt64(offset + LOSS_TOTAL_BYTES_LOST_OFFSET, initialBytesLost);
    buffer.putInt64(offset + LOSS_FIRST_OBSERVATION_OFFSET, timestampMs);
    buffer.putInt64(offset + LOSS_LAST_OBSERVATION_OFFSET, timestampMs);
    buffer.putInt32(offset + LOSS_SESSION_ID_OFFSET, sessionId);
    buffer.putInt32(offset + LOSS_STREAM_ID_OFFSET, streamId);
    const channelLength = buffer.putStringAscii(offset + LOSS_CHANNEL_OFFSET, channel);
    buffer.putStringAscii(offset + LOSS_CHANNEL_OFFSET + align(channelLength, 4), source);
    buffer.putInt64Ordered(offset + LOSS_OBSERVATION_COUNT_OFFSET, 1);

    this.#nextRecordOffset += align(requiredCapacity, LOSS_ENTRY_ALIGNMENT);
    return new LossReportEntry(buffer, offset);
  }
}
