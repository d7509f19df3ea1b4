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
  broadcastMaxMessageLength,
} from './broadcast-descriptor.ts';
import { checkMsgTypeId } from './ring-buffer-descriptor.ts';
import { RingBufferError } from './transport-error.ts';

/**
 * Agrona `BroadcastTransmitter`: the single writer of a broadcast buffer (the media driver's role). Here for
 * tests and a future TS driver. Layout in `broadcast-descriptor.ts`.
 *
 * transmit: tailIntent := new tail (+ padding if the record wraps) with a release store *before* touching the
 * records, so receivers can detect that what they are reading may be overwritten; write a padding record at the
 * end if needed; write length, type, message; latest := record start; tail := record end.
 */
export class BroadcastTransmitter {
  /** The whole broadcast region: records, then the trailer. */
  readonly buffer: AtomicBuffer;
  /** Data capacity in bytes (a power of two): the region's length less the trailer. */
  readonly capacity: number;
  /** Largest message in bytes `transmit` accepts: capacity / 8. Java: `BroadcastTransmitter.maxMsgLength`. */
  readonly maxMsgLength: number;
  readonly #tailIntentIndex: number;
  readonly #tailIndex: number;
  readonly #latestIndex: number;

  /**
   * @param buffer the whole broadcast region (records and trailer), 8-byte aligned.
   * @throws RingBufferError `INVALID_CAPACITY` unless the data capacity is a power of two.
   * @throws AtomicBufferError `MISALIGNED` unless `buffer` starts on an 8-byte boundary.
   */
  constructor(buffer: AtomicBuffer) {
    this.capacity = broadcastCapacity(buffer.capacity);
    buffer.verifyAlignment();
    this.buffer = buffer;
    this.maxMsgLength = broadcastMaxMessageLength(this.capacity);
    this.#tailIntentIndex = this.capacity + BROADCAST_TAIL_INTENT_COUNTER_OFFSET;
    this.#tailIndex = this.capacity + BROADCAST_TAIL_COUNTER_OFFSET;
    this.#latestIndex = this.capacity + BROADCAST_LATEST_COUNTER_OFFSET;
  }

  /**
   * Broadcasts `length` bytes of `src` from `srcIndex` as one message of type `msgTypeId` (>= 1).
   * Java: `BroadcastTransmitter.transmit`.
   *
   * @throws RingBufferError `INVALID_MSG_TYPE_ID` for a type id below 1, `MESSAGE_TOO_LONG` for a length outside
   * 0..{@link maxMsgLength}.
   */
  transmit(msgTypeId: number, src: AtomicBuffer | Uint8Array, srcIndex: number, length: number): void {
    checkMsgTypeId(msgTypeId);
    if (!Number.isInteger(length) || length < 0 || length > this.maxMsgLength) {
      throw new RingBufferError(
        'MESSAGE_TOO_LONG',
        `encoded message exceeds maxMsgLength of ${this.maxMsgLength}, length=${length}`,
      );
    }
    const buffer = this.buffer;
    let currentTail = buffer.getInt64(this.#tailIndex);
    let recordOffset = currentTail & (this.capacity - 1);
    const recordLength = BROADCAST_RECORD_HEADER_LENGTH + length;
    const recordLengthAligned = align(recordLength, BROADCAST_RECORD_ALIGNMENT);
    const newTail = currentTail + recordLengthAligned;
    const toEndOfBuffer = this.capacity - recordOffset;

    if (toEndOfBuffer < recordLengthAligned) {
      buffer.putInt64Ordered(this.#tailIntentIndex, newTail + toEndOfBuffer);
      buffer.putInt32(recordOffset, toEndOfBuffer);
      buffer.putInt32(recordOffset + BROADCAST_RECORD_TYPE_OFFSET, BROADCAST_PADDING_MSG_TYPE_ID);
      currentTail += toEndOfBuffer;
      recordOffset = 0;
    } else {
      buffer.putInt64Ordered(this.#tailIntentIndex, newTail);
    }

    buffer.putInt32(recordOffset, recordLength);
    buffer.putInt32(recordOffset + BROADCAST_RECORD_TYPE_OFFSET, msgTypeId);
    buffer.putBytes(recordOffset + BROADCAST_RECORD_HEADER_LENGTH, src, srcIndex, length);
    buffer.putInt64Ordered(this.#latestIndex, currentTail);
    buffer.putInt64Ordered(this.#tailIndex, currentTail + recordLengthAligned);
  }
}
