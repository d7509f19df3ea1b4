/**
 * Layout of Agrona's `ManyToOneRingBuffer` (the CnC to-driver buffer).
 *
 * ```
 *  0                                                capacity (power of two)            capacity + 768
 *  |<------------------------- records ---------------------->|<------------ trailer ------------>|
 *
 *  trailer (offsets from `capacity`; each field alone in a 128-byte slot):
 *    +0    padding (2 cache lines)
 *    +128  int64 tail position        (producers CAS it)
 *    +256  int64 head cache position  (producers' cached copy of head)
 *    +384  int64 head position        (consumer, release store)
 *    +512  int64 correlation counter  (getAndAdd 1 per id)
 *    +640  int64 consumer heartbeat   (epoch ms, consumer release store; -1 after driver shutdown)
 *
 *  record (8-byte aligned; stride align(length, 8)):
 *    +0  int32 length   header + payload, unaligned; negative while being written (0 = not yet written)
 *    +4  int32 msgTypeId  >= 1; -1 = padding
 *    +8  payload
 * ```
 */
import { isPowerOfTwo } from './bit-util.ts';
import { RingBufferError } from './transport-error.ts';

const CACHE_LINE_LENGTH = 64;

/**
 * Offset from `capacity` of the int64 tail position, which producers CAS (128). Java:
 * `RingBufferDescriptor.TAIL_POSITION_OFFSET`.
 */
export const RING_TAIL_POSITION_OFFSET = CACHE_LINE_LENGTH * 2;
/**
 * Offset from `capacity` of the int64 head cache position, the producers' cached copy of the head (256).
 * Java: `RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET`.
 */
export const RING_HEAD_CACHE_POSITION_OFFSET = CACHE_LINE_LENGTH * 4;
/**
 * Offset from `capacity` of the int64 head position, stored (release) by the consumer (384).
 * Java: `RingBufferDescriptor.HEAD_POSITION_OFFSET`.
 */
export const RING_HEAD_POSITION_OFFSET = CACHE_LINE_LENGTH * 6;
/**
 * Offset from `capacity` of the int64 correlation counter, incremented once per id handed out (512).
 * Java: `RingBufferDescriptor.CORRELATION_COUNTER_OFFSET`.
 */
export const RING_CORRELATION_COUNTER_OFFSET = CACHE_LINE_LENGTH * 8;
/**
 * Offset from `capacity` of the int64 consumer heartbeat: epoch ms stored by the consumer, -1 after the driver
 * shut down (640). Java: `RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET`.
 */
export const RING_CONSUMER_HEARTBEAT_OFFSET = CACHE_LINE_LENGTH * 10;
/** Length in bytes of the trailer after the records (768). Java: `RingBufferDescriptor.TRAILER_LENGTH`. */
export const RING_TRAILER_LENGTH = CACHE_LINE_LENGTH * 12;

/**
 * Offset in a record of its int32 length (header + payload, unaligned; negative while the record is being written,
 * 0 before). Java: `RecordDescriptor.LENGTH_OFFSET`.
 */
export const RECORD_LENGTH_OFFSET = 0;
/** Offset in a record of its int32 message type id. Java: `RecordDescriptor.TYPE_OFFSET`. */
export const RECORD_TYPE_OFFSET = 4;
/** Length in bytes of a record's header (length and type id). Java: `RecordDescriptor.HEADER_LENGTH`. */
export const RECORD_HEADER_LENGTH = 8;
/** Records start on multiples of this many bytes. Java: `RecordDescriptor.ALIGNMENT`. */
export const RECORD_ALIGNMENT = RECORD_HEADER_LENGTH;

/** Message type id of padding records; real type ids are >= 1. */
export const PADDING_MSG_TYPE_ID = -1;
/** Returned by `tryClaim` when there is no room. Java: `RingBuffer.INSUFFICIENT_CAPACITY`. */
export const INSUFFICIENT_CAPACITY = -2;
/** Smallest data capacity Agrona accepts. */
export const RING_MIN_CAPACITY = RECORD_HEADER_LENGTH;

/**
 * The data capacity of a ring buffer whose whole region is `totalLength` bytes (`totalLength` -
 * {@link RING_TRAILER_LENGTH}). Java: `RingBufferDescriptor.checkCapacity`, which takes the data capacity.
 *
 * @throws RingBufferError `INVALID_CAPACITY` unless that capacity is a power of two of at least
 * {@link RING_MIN_CAPACITY}.
 */
export function ringBufferCapacity(totalLength: number): number {
  const capacity = totalLength - RING_TRAILER_LENGTH;
  if (!isPowerOfTwo(capacity)) {
    throw new RingBufferError(
      'INVALID_CAPACITY',
      `capacity must be a positive power of 2 + TRAILER_LENGTH: capacity=${totalLength}`,
    );
  }
  if (capacity < RING_MIN_CAPACITY) {
    throw new RingBufferError(
      'INVALID_CAPACITY',
      `insufficient capacity: minCapacity=${RING_MIN_CAPACITY + RING_TRAILER_LENGTH}, capacity=${totalLength}`,
    );
  }
  return capacity;
}

/**
 * Checks a message type id before it is written. Java: `RingBufferDescriptor.checkTypeId`.
 *
 * @throws RingBufferError `INVALID_MSG_TYPE_ID` unless `msgTypeId` is an integer >= 1.
 */
export function checkMsgTypeId(msgTypeId: number): void {
  if (!(msgTypeId >= 1) || !Number.isInteger(msgTypeId)) {
    throw new RingBufferError(
      'INVALID_MSG_TYPE_ID',
      `message type id must be greater than zero, msgTypeId=${msgTypeId}`,
    );
  }
}
