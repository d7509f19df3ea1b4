/**
 * Agrona `ManyToOneRingBuffer`, bit-compatible with the Java and C implementations, so a TS client can write
 * commands into the media driver's to-driver buffer concurrently with other processes (layout in
 * `ring-buffer-descriptor.ts`). The consumer side (`read`) is here for tests and a future TS driver.
 *
 * Producer claim (Agrona's `claimCapacity`):
 * 1. required = align(length + 8, 8); head = volatile head cache.
 * 2. loop: tail = volatile tail. If required > capacity - (tail - head): head = volatile head; still no room ->
 *    INSUFFICIENT; else release-store head cache = head.
 *    If the record does not fit before the end (required > capacity - tailIndex) it wraps: it needs
 *    headIndex >= required at the start, re-reading the real head once if not; if still no room the tail is
 *    moved over the padding only and the claim fails (Java behaviour). CAS tail -> tail + required + padding.
 * 3. A padding record, if any, is written: length = -padding (release), type = -1, length = +padding (release).
 * 4. The record: length = -recordLength (release) marks it in progress; payload and type; length =
 *    +recordLength (release) commits it.
 *
 * The 64-bit tail CAS and head-cache store allocate small BigInts (`AtomicBuffer`): fine for commands, which
 * are control-path.
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import { align } from './bit-util.ts';
import {
  checkMsgTypeId,
  INSUFFICIENT_CAPACITY,
  PADDING_MSG_TYPE_ID,
  RECORD_ALIGNMENT,
  RECORD_HEADER_LENGTH,
  RECORD_TYPE_OFFSET,
  RING_CONSUMER_HEARTBEAT_OFFSET,
  RING_CORRELATION_COUNTER_OFFSET,
  RING_HEAD_CACHE_POSITION_OFFSET,
  RING_HEAD_POSITION_OFFSET,
  RING_MIN_CAPACITY,
  RING_TAIL_POSITION_OFFSET,
  ringBufferCapacity,
} from './ring-buffer-descriptor.ts';
import { RingBufferError } from './transport-error.ts';

/** Receives one message: its type and where its payload lies in `buffer`. */
export type MessageHandler = (msgTypeId: number, buffer: AtomicBuffer, index: number, length: number) => void;

/** Many-producer, one-consumer ring buffer over an `AtomicBuffer` (data capacity + 768-byte trailer). */
export class ManyToOneRingBuffer {
  /** The whole region, records and trailer. */
  readonly buffer: AtomicBuffer;
  /** Data capacity (a power of two). */
  readonly capacity: number;
  /** Largest payload `write`/`tryClaim` accept: capacity / 8. */
  readonly maxMsgLength: number;

  readonly #tailPositionIndex: number;
  readonly #headCachePositionIndex: number;
  readonly #headPositionIndex: number;
  readonly #correlationCounterIndex: number;
  readonly #consumerHeartbeatIndex: number;

  /**
   * @param buffer the whole ring buffer region (records and 768-byte trailer), 8-byte aligned.
   * @throws RingBufferError `INVALID_CAPACITY` unless the data capacity is a power of two of at least 8.
   * @throws AtomicBufferError `MISALIGNED` unless `buffer` starts on an 8-byte boundary.
   */
  constructor(buffer: AtomicBuffer) {
    this.capacity = ringBufferCapacity(buffer.capacity);
    buffer.verifyAlignment();
    this.buffer = buffer;
    this.maxMsgLength = this.capacity === RING_MIN_CAPACITY ? 0 : Math.max(RECORD_HEADER_LENGTH, this.capacity >> 3);
    this.#tailPositionIndex = this.capacity + RING_TAIL_POSITION_OFFSET;
    this.#headCachePositionIndex = this.capacity + RING_HEAD_CACHE_POSITION_OFFSET;
    this.#headPositionIndex = this.capacity + RING_HEAD_POSITION_OFFSET;
    this.#correlationCounterIndex = this.capacity + RING_CORRELATION_COUNTER_OFFSET;
    this.#consumerHeartbeatIndex = this.capacity + RING_CONSUMER_HEARTBEAT_OFFSET;
  }

  /**
   * Writes one message: `length` bytes of `src` from `srcIndex`. Returns false when the buffer is full.
   * Throws `RingBufferError` for a type id < 1 (`INVALID_MSG_TYPE_ID`) or a length above `maxMsgLength`
   * (`MESSAGE_TOO_LONG`). Java: `ManyToOneRingBuffer.write`.
   */
  write(msgTypeId: number, src: AtomicBuffer | Uint8Array, srcIndex: number, length: number): boolean {
    checkMsgTypeId(msgTypeId);
    this.#checkMsgLength(length);
    const buffer = this.buffer;
    const recordLength = length + RECORD_HEADER_LENGTH;
    const recordIndex = this.#claimCapacity(recordLength);
    if (recordIndex === INSUFFICIENT_CAPACITY) return false;

    buffer.putInt32Ordered(recordIndex, -recordLength);
    buffer.putBytes(recordIndex + RECORD_HEADER_LENGTH, src, srcIndex, length);
    buffer.putInt32(recordIndex + RECORD_TYPE_OFFSET, msgTypeId);
    buffer.putInt32Ordered(recordIndex, recordLength);
    return true;
  }

  /**
   * Claims room for a `length`-byte message. Returns the index in `buffer` where the payload must be written,
   * then `commit(index)` or `abort(index)`; or `INSUFFICIENT_CAPACITY` (-2). Throws as `write` does.
   * Java: `ManyToOneRingBuffer.tryClaim`.
   */
  tryClaim(msgTypeId: number, length: number): number {
    checkMsgTypeId(msgTypeId);
    this.#checkMsgLength(length);
    const buffer = this.buffer;
    const recordLength = length + RECORD_HEADER_LENGTH;
    const recordIndex = this.#claimCapacity(recordLength);
    if (recordIndex === INSUFFICIENT_CAPACITY) return recordIndex;

    buffer.putInt32Ordered(recordIndex, -recordLength);
    buffer.putInt32(recordIndex + RECORD_TYPE_OFFSET, msgTypeId);
    return recordIndex + RECORD_HEADER_LENGTH;
  }

  /**
   * Publishes a message claimed with `tryClaim`. Java: `ManyToOneRingBuffer.commit`.
   *
   * @throws RingBufferError `INVALID_CLAIM` for an index outside the buffer, or a claim already committed or
   * aborted.
   */
  commit(index: number): void {
    const recordIndex = this.#claimedRecordIndex(index);
    const recordLength = this.#claimedLength(recordIndex);
    this.buffer.putInt32Ordered(recordIndex, -recordLength);
  }

  /**
   * Turns a claimed message into padding, which the consumer skips. Java: `ManyToOneRingBuffer.abort`.
   *
   * @throws RingBufferError `INVALID_CLAIM`, as `commit` does.
   */
  abort(index: number): void {
    const recordIndex = this.#claimedRecordIndex(index);
    const recordLength = this.#claimedLength(recordIndex);
    this.buffer.putInt32(recordIndex + RECORD_TYPE_OFFSET, PADDING_MSG_TYPE_ID);
    this.buffer.putInt32Ordered(recordIndex, -recordLength);
  }

  /**
   * Consumer: delivers up to `messageCountLimit` messages from the head up to the end of the contiguous
   * block, zeroes the consumed bytes and advances the head. Returns the number of messages delivered.
   * Only one consumer may call this.
   */
  read(handler: MessageHandler, messageCountLimit = Number.MAX_SAFE_INTEGER): number {
    const buffer = this.buffer;
    const head = buffer.getInt64(this.#headPositionIndex);
    const capacity = this.capacity;
    const headIndex = head & (capacity - 1);
    const maxBlockLength = capacity - headIndex;
    let messagesRead = 0;
    let bytesRead = 0;
    try {
      while (bytesRead < maxBlockLength && messagesRead < messageCountLimit) {
        const recordIndex = headIndex + bytesRead;
        const recordLength = buffer.getInt32Volatile(recordIndex);
        if (recordLength <= 0) break;
        bytesRead += align(recordLength, RECORD_ALIGNMENT);
        const msgTypeId = buffer.getInt32(recordIndex + RECORD_TYPE_OFFSET);
        if (msgTypeId === PADDING_MSG_TYPE_ID) continue;
        handler(msgTypeId, buffer, recordIndex + RECORD_HEADER_LENGTH, recordLength - RECORD_HEADER_LENGTH);
        ++messagesRead;
      }
    } finally {
      if (bytesRead > 0) {
        buffer.setMemory(headIndex, bytesRead, 0);
        buffer.putInt64Ordered(this.#headPositionIndex, head + bytesRead);
      }
    }
    return messagesRead;
  }

  /** Next id from the shared correlation counter (atomic fetch-and-add; unique across all processes). */
  nextCorrelationId(): number {
    return this.buffer.getAndAddInt64(this.#correlationCounterIndex, 1);
  }

  /** Consumer heartbeat: epoch ms of the consumer's last sign of life (-1 after a clean driver shutdown). */
  consumerHeartbeatTime(): number {
    return this.buffer.getInt64Volatile(this.#consumerHeartbeatIndex);
  }

  /** Sets the consumer heartbeat (consumer side). */
  setConsumerHeartbeatTime(timeMs: number): void {
    this.buffer.putInt64Ordered(this.#consumerHeartbeatIndex, timeMs);
  }

  /** Tail position (bytes ever claimed). */
  producerPosition(): number {
    return this.buffer.getInt64Volatile(this.#tailPositionIndex);
  }

  /** Head position (bytes ever consumed). */
  consumerPosition(): number {
    return this.buffer.getInt64Volatile(this.#headPositionIndex);
  }

  /** Bytes currently between head and tail, clamped to [0, capacity]. */
  size(): number {
    const buffer = this.buffer;
    let headAfter = buffer.getInt64Volatile(this.#headPositionIndex);
    let headBefore: number;
    let tail: number;
    do {
      headBefore = headAfter;
      tail = buffer.getInt64Volatile(this.#tailPositionIndex);
      headAfter = buffer.getInt64Volatile(this.#headPositionIndex);
    } while (headAfter !== headBefore);
    const size = tail - headAfter;
    return size < 0 ? 0 : size > this.capacity ? this.capacity : size;
  }

  #checkMsgLength(length: number): void {
    if (!Number.isInteger(length) || length < 0) {
      throw new RingBufferError('MESSAGE_TOO_LONG', `invalid message length=${length}`);
    }
    if (length > this.maxMsgLength) {
      throw new RingBufferError(
        'MESSAGE_TOO_LONG',
        `encoded message exceeds maxMsgLength=${this.maxMsgLength}, length=${length}`,
      );
    }
  }

  #claimCapacity(recordLength: number): number {
    const buffer = this.buffer;
    const requiredCapacity = align(recordLength, RECORD_ALIGNMENT);
    const capacity = this.capacity;
    const mask = capacity - 1;
    let head = buffer.getInt64Volatile(this.#headCachePositionIndex);
    let tail: number;
    let newTail: number;
    let tailIndex: number;
    let padding: number;
    let writeIndex: number;
    do {
      tail = buffer.getInt64Volatile(this.#tailPositionIndex);
      if (requiredCapacity > capacity - (tail - head)) {
        head = buffer.getInt64Volatile(this.#headPositionIndex);
        if (requiredCapacity > capacity - (tail - head)) return INSUFFICIENT_CAPACITY;
        buffer.putInt64Ordered(this.#headCachePositionIndex, head);
      }
      newTail = tail + requiredCapacity;
      padding = 0;
      tailIndex = tail & mask;
      writeIndex = tailIndex;
      const toBufferEndLength = capacity - tailIndex;
      if (requiredCapacity > toBufferEndLength) {
        let headIndex = head & mask;
        writeIndex = 0;
        if (requiredCapacity > headIndex) {
          head = buffer.getInt64Volatile(this.#headPositionIndex);
          headIndex = head & mask;
          if (requiredCapacity > headIndex) {
            writeIndex = INSUFFICIENT_CAPACITY;
            newTail = tail; // claim nothing but the padding to the end of the buffer
          }
          buffer.putInt64Ordered(this.#headCachePositionIndex, head);
        }
        padding = toBufferEndLength;
        newTail += padding;
      }
    } while (!buffer.compareAndSetInt64(this.#tailPositionIndex, tail, newTail));

    if (padding !== 0) {
      buffer.putInt32Ordered(tailIndex, -padding);
      buffer.putInt32(tailIndex + RECORD_TYPE_OFFSET, PADDING_MSG_TYPE_ID);
      buffer.putInt32Ordered(tailIndex, padding);
    }
    return writeIndex;
  }

  #claimedRecordIndex(index: number): number {
    const recordIndex = index - RECORD_HEADER_LENGTH;
    if (!Number.isInteger(index) || recordIndex < 0 || recordIndex > this.capacity - RECORD_HEADER_LENGTH) {
      throw new RingBufferError('INVALID_CLAIM', `invalid message index ${index}`);
    }
    return recordIndex;
  }

  #claimedLength(recordIndex: number): number {
    const recordLength = this.buffer.getInt32(recordIndex);
    if (recordLength < 0) return recordLength;
    const aborted = this.buffer.getInt32(recordIndex + RECORD_TYPE_OFFSET) === PADDING_MSG_TYPE_ID;
    throw new RingBufferError('INVALID_CLAIM', `claimed space previously ${aborted ? 'aborted' : 'committed'}`);
  }
}
