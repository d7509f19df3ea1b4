/**
 * A reusable, allocation-free consistent snapshot of one partition's 64-bit raw tail
 * (`termId << 32 | termOffset`), read as two 32-bit halves with the hi-lo-hi pattern: the high word
 * (term id) only changes by a rotation CAS that also resets the low word, so equal high reads around
 * the low read give a consistent pair. Use it where Java does `getLongVolatile(tail)` on the hot path
 * (e.g. the concurrent offer's "is this term still active / what is the position" check).
 */
import { tailCounterOffset } from './log-buffer-descriptor.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/** A reused snapshot of one partition's raw tail (term id and raw offset); `read` fills it without allocating. */
export class RawTail {
  /** Signed int32 term id (high word). */
  termId = 0;
  /** Unsigned low word; may exceed the term length after a concurrent overshoot. */
  rawOffset = 0;

  /** Reads partition `partitionIndex`'s tail into this object. */
  read(metadata: LogBufferMemory, partitionIndex: number): this {
    const offset = tailCounterOffset(partitionIndex);
    let hi = metadata.getInt32Volatile(offset + 4);
    for (;;) {
      const lo = metadata.getInt32Volatile(offset);
      const hi2 = metadata.getInt32Volatile(offset + 4);
      if (hi2 === hi) {
        this.termId = hi;
        this.rawOffset = lo >>> 0;
        return this;
      }
      hi = hi2;
    }
  }

  /** min(rawOffset, termLength). */
  termOffset(termLength: number): number {
    return this.rawOffset < termLength ? this.rawOffset : termLength;
  }
}
