/**
 * Layout of Agrona's broadcast buffer (the CnC to-clients buffer).
 *
 * ```
 *  0                                         capacity (power of two)          capacity + 128
 *  |<--------------------- records -------------------->|<---------- trailer ---------->|
 *
 *  trailer (offsets from `capacity`):
 *    +0   int64 tail intent counter  (transmitter: where the tail will be once the record in flight is done)
 *    +8   int64 tail counter         (transmitter, release store after the record is written)
 *    +16  int64 latest counter       (start position of the most recent record; new receivers join here)
 *    +24  padding to 128 bytes
 *
 *  record (8-byte aligned; stride align(length, 8)):
 *    +0  int32 length   header + message, unaligned
 *    +4  int32 msgTypeId  >= 1; -1 = padding to the end of the buffer
 *    +8  message
 * ```
 */
import { isPowerOfTwo } from './bit-util.ts';
import { RingBufferError } from './transport-error.ts';

/**
 * Offset from `capacity` of the int64 tail intent counter: where the tail will be once the record in flight is
 * written. Java: `BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET`.
 */
export const BROADCAST_TAIL_INTENT_COUNTER_OFFSET = 0;
/**
 * Offset from `capacity` of the int64 tail counter, stored (release) after a record is written.
 * Java: `BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET`.
 */
export const BROADCAST_TAIL_COUNTER_OFFSET = 8;
/**
 * Offset from `capacity` of the int64 latest counter: the start of the most recent record, where a new receiver
 * joins. Java: `BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET`.
 */
export const BROADCAST_LATEST_COUNTER_OFFSET = 16;
/**
 * Length in bytes of the trailer after the records (two cache lines). Java: `BroadcastBufferDescriptor.TRAILER_LENGTH`.
 */
export const BROADCAST_TRAILER_LENGTH = 128;

/** Offset in a record of its int32 length (header + message, unaligned). Java: `RecordDescriptor.LENGTH_OFFSET`. */
export const BROADCAST_RECORD_LENGTH_OFFSET = 0;
/** Offset in a record of its int32 message type id. Java: `RecordDescriptor.TYPE_OFFSET`. */
export const BROADCAST_RECORD_TYPE_OFFSET = 4;
/** Length in bytes of a record's header (length and type id). Java: `RecordDescriptor.HEADER_LENGTH`. */
export const BROADCAST_RECORD_HEADER_LENGTH = 8;
/** Records start on multiples of this many bytes. Java: `RecordDescriptor.RECORD_ALIGNMENT`. */
export const BROADCAST_RECORD_ALIGNMENT = BROADCAST_RECORD_HEADER_LENGTH;
/**
 * Message type id of a padding record that fills to the end of the buffer. Java:
 * `RecordDescriptor.PADDING_MSG_TYPE_ID`.
 */
export const BROADCAST_PADDING_MSG_TYPE_ID = -1;

/**
 * Data capacity of a broadcast region of `totalLength` bytes (`totalLength` - {@link BROADCAST_TRAILER_LENGTH}).
 * Java: `BroadcastBufferDescriptor.checkCapacity`, which takes the data capacity.
 *
 * @throws RingBufferError `INVALID_CAPACITY` unless that capacity is a positive power of two.
 */
export function broadcastCapacity(totalLength: number): number {
  const capacity = totalLength - BROADCAST_TRAILER_LENGTH;
  if (!isPowerOfTwo(capacity)) {
    throw new RingBufferError(
      'INVALID_CAPACITY',
      `capacity must be a positive power of 2 + TRAILER_LENGTH: capacity=${capacity}`,
    );
  }
  return capacity;
}

/** Largest message, in bytes, a broadcast buffer of data capacity `capacity` carries: capacity / 8. */
export function broadcastMaxMessageLength(capacity: number): number {
  return capacity >> 3;
}
