/**
 * Layout of Agrona's broadcast buffer (the CnC to-clients buffer), as of Agrona 2.4.1 (Aeron 1.51.0).
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
import { isPowerOfTwo } from './ring-buffer-descriptor.ts';
import { RingBufferError } from './transport-error.ts';

export const BROADCAST_TAIL_INTENT_COUNTER_OFFSET = 0;
export const BROADCAST_TAIL_COUNTER_OFFSET = 8;
export const BROADCAST_LATEST_COUNTER_OFFSET = 16;
export const BROADCAST_TRAILER_LENGTH = 128;

export const BROADCAST_RECORD_LENGTH_OFFSET = 0;
export const BROADCAST_RECORD_TYPE_OFFSET = 4;
export const BROADCAST_RECORD_HEADER_LENGTH = 8;
export const BROADCAST_RECORD_ALIGNMENT = BROADCAST_RECORD_HEADER_LENGTH;
export const BROADCAST_PADDING_MSG_TYPE_ID = -1;

/** Data capacity of a broadcast region of `totalLength` bytes; throws unless it is a power of two. */
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

/** Largest message a broadcast buffer of data capacity `capacity` carries. */
export function broadcastMaxMessageLength(capacity: number): number {
  return capacity >> 3;
}
