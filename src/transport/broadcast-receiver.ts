import type { AtomicBuffer } from './atomic-buffer.ts';
import { align } from './bit-util.ts';
import {
  BROADCAST_LATEST_COUNTER_OFFSET,
  BROADCAST_PADDING_MSG_TYPE_ID,
  BROADCAST_RECORD_ALIGNMENT,
  BROADCAST_RECORD_HEADER_LENGTH,
  BROADCAST_RECORD_TYPE_OFFSET,
  BROADCAST_TAIL_COUNTER_OFFSET,
  BROADCAST_TAIL_INTENT_COUNTER_OFFSET,
  broadcastCapacity,
} from './broadcast-descriptor.ts';

/**
 * Agrona `BroadcastReceiver`: one of many readers of a broadcast buffer (layout in `broadcast-descriptor.ts`).
 * The receiver never blocks the transmitter; it detects being overwritten ("lapped") instead.
 *
 * - On creation it joins at `latest` (the most recent record), not at the beginning.
 * - `receiveNext()`: if tail > nextRecord, the record at cursor = nextRecord is still intact only while
 *   cursor + capacity > tailIntent. If not, the receiver was lapped: `lappedCount` grows and it jumps to
 *   `latest`. A padding record makes it continue at offset 0.
 * - The message is read in place, so after copying it out the caller must `validate()` (the transmitter may
 *   have started overwriting it meanwhile). `CopyBroadcastReceiver` does all that.
 */
export class BroadcastReceiver {
  /** The whole broadcast region: records, then the trailer. */
  readonly buffer: AtomicBuffer;
  /** Data capacity in bytes (a power of two): the region's length less the trailer. */
  readonly capacity: number;
  readonly #tailIntentIndex: number;
  readonly #tailIndex: number;
  readonly #latestIndex: number;
  #cursor: number;
  #nextRecord: number;
  #recordOffset: number;
  #lappedCount = 0;

  /**
   * Joins the broadcast at its latest record.
   *
   * @param buffer the whole broadcast region (records and trailer), 8-byte aligned.
   * @throws RingBufferError `INVALID_CAPACITY` unless the data capacity is a power of two.
   * @throws AtomicBufferError `MISALIGNED` unless `buffer` starts on an 8-byte boundary.
   */
  constructor(buffer: AtomicBuffer) {
    this.capacity = broadcastCapacity(buffer.capacity);
    buffer.verifyAlignment();
    this.buffer = buffer;
    this.#tailIntentIndex = this.capacity + BROADCAST_TAIL_INTENT_COUNTER_OFFSET;
    this.#tailIndex = this.capacity + BROADCAST_TAIL_COUNTER_OFFSET;
    this.#latestIndex = this.capacity + BROADCAST_LATEST_COUNTER_OFFSET;
    this.#cursor = buffer.getInt64Volatile(this.#latestIndex);
    this.#nextRecord = this.#cursor;
    this.#recordOffset = this.#cursor & (this.capacity - 1);
  }

  /** How many times this receiver has been lapped by the transmitter. */
  get lappedCount(): number {
    return this.#lappedCount;
  }

  /** Type id of the current message. */
  typeId(): number {
    return this.buffer.getInt32(this.#recordOffset + BROADCAST_RECORD_TYPE_OFFSET);
  }

  /** Index in `buffer` of the current message. */
  offset(): number {
    return this.#recordOffset + BROADCAST_RECORD_HEADER_LENGTH;
  }

  /** Length of the current message. */
  length(): number {
    return this.buffer.getInt32(this.#recordOffset) - BROADCAST_RECORD_HEADER_LENGTH;
  }

  /** Moves to the next message if one is available; true if so. */
  receiveNext(): boolean {
    const buffer = this.buffer;
    const tail = buffer.getInt64Volatile(this.#tailIndex);
    let cursor = this.#nextRecord;
    if (tail <= cursor) return false;

    const mask = this.capacity - 1;
    let recordOffset = cursor & mask;
    if (!this.#isValid(cursor)) {
      this.#lappedCount++;
      cursor = buffer.getInt64Volatile(this.#latestIndex);
      recordOffset = cursor & mask;
    }
    this.#cursor = cursor;
    this.#nextRecord = cursor + align(buffer.getInt32(recordOffset), BROADCAST_RECORD_ALIGNMENT);
    if (buffer.getInt32(recordOffset + BROADCAST_RECORD_TYPE_OFFSET) === BROADCAST_PADDING_MSG_TYPE_ID) {
      recordOffset = 0;
      this.#cursor = this.#nextRecord;
      this.#nextRecord += align(buffer.getInt32(recordOffset), BROADCAST_RECORD_ALIGNMENT);
    }
    this.#recordOffset = recordOffset;
    return true;
  }

  /** True if the current message has not been overwritten (yet). Call after copying it out. */
  validate(): boolean {
    return this.#isValid(this.#cursor);
  }

  #isValid(cursor: number): boolean {
    return cursor + this.capacity > this.buffer.getInt64Volatile(this.#tailIntentIndex);
  }
}
