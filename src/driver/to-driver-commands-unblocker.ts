/**
 * Frees the to-driver ring buffer from a client that died between claiming a record and committing it
 * (Agrona 2.4.1 `ManyToOneRingBuffer.unblock`, called by Aeron 1.51.0 `DriverConductor
 * .checkForBlockedToDriverCommands` when the head has not moved for a client liveness timeout while the tail
 * is ahead).
 *
 * ```
 *  at the head record:
 *    length < 0  (claimed, never committed)      -> type := padding, length := -length (release)
 *    length == 0 (tail moved, header not written) -> scan forward (8-byte steps, up to the tail or the end of
 *                 the buffer) to the first non-zero word; if everything from the head to it is still zero,
 *                 write a padding record over the gap
 * ```
 *
 * The consumer then skips the padding as usual. Only the ring's consumer (the conductor) may call this.
 */

import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import {
  PADDING_MSG_TYPE_ID,
  RECORD_ALIGNMENT,
  RECORD_LENGTH_OFFSET,
  RECORD_TYPE_OFFSET,
} from '../transport/ring-buffer-descriptor.ts';

/** Turns a blocking record at the head into padding; true when it did. */
export function unblockToDriverCommands(ring: ManyToOneRingBuffer): boolean {
  const buffer = ring.buffer;
  const headPosition = ring.consumerPosition();
  const tailPosition = ring.producerPosition();
  if (headPosition === tailPosition) return false;

  const capacity = ring.capacity;
  const mask = capacity - 1;
  const consumerIndex = headPosition & mask;
  const producerIndex = tailPosition & mask;

  let length = buffer.getInt32Volatile(consumerIndex + RECORD_LENGTH_OFFSET);
  if (length < 0) {
    buffer.putInt32(consumerIndex + RECORD_TYPE_OFFSET, PADDING_MSG_TYPE_ID);
    buffer.putInt32Ordered(consumerIndex + RECORD_LENGTH_OFFSET, -length);
    return true;
  }
  if (length === 0) {
    const limit = producerIndex > consumerIndex ? producerIndex : capacity;
    for (let i = consumerIndex + RECORD_ALIGNMENT; i < limit; i += RECORD_ALIGNMENT) {
      length = buffer.getInt32Volatile(i);
      if (length !== 0) {
        if (stillZeroed(ring, i, consumerIndex)) {
          buffer.putInt32(consumerIndex + RECORD_TYPE_OFFSET, PADDING_MSG_TYPE_ID);
          buffer.putInt32Ordered(consumerIndex + RECORD_LENGTH_OFFSET, i - consumerIndex);
          return true;
        }
        return false;
      }
    }
  }
  return false;
}

function stillZeroed(ring: ManyToOneRingBuffer, index: number, consumerIndex: number): boolean {
  const buffer = ring.buffer;
  for (let i = index - RECORD_ALIGNMENT; i >= consumerIndex; i -= RECORD_ALIGNMENT) {
    if (buffer.getInt32Volatile(i) !== 0) return false;
  }
  return true;
}
