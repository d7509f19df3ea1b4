/**
 * The memory operations the log-buffer layer needs, declared here so this layer does not depend on a
 * concrete buffer class. The transport layer's `AtomicBuffer` is expected to satisfy `LogBufferMemory`
 * (the lead wires it in); tests use a small SharedArrayBuffer-backed implementation.
 *
 * All multi-byte accesses are little-endian (Aeron only supports little-endian shared memory).
 *
 * Ordering contract:
 * - `getInt32Volatile` is an acquire load, `putInt32Ordered` a release store (both `Atomics` based).
 * - `getAndAddInt32` / `compareAndSetInt32` / `compareAndSetInt64BigInt` are sequentially consistent RMWs,
 *   atomic against other processes mapping the same memory.
 * - Plain `get*`/`put*` carry no ordering; the log-buffer code publishes them with a later release store.
 *
 * 64-bit raw tails are never handled as `number` on the hot path (a raw tail `termId << 32 | offset`
 * with a negative or large term id is not exact as a double). See `log-buffer-descriptor.ts`.
 */

/**
 * The read-only view fragment handlers receive (term buffers and the assembler's buffer both satisfy it).
 * Valid only during the handler call: copy what you keep (`fragmentBytes`, `fragmentText`, `getBytes`).
 *
 * ```ts
 * subscription.poll((buffer, offset, length) => {
 *   console.log(buffer.getStringWithoutLengthAscii(offset, length)); // as Java's samples
 *   console.log(fragmentText(buffer, offset, length));                // UTF-8
 * }, 10);
 * ```
 */
export interface ReadableBuffer {
  /** Length in bytes. */
  readonly capacity: number;
  /** The signed byte at `index`. */
  getInt8(index: number): number;
  /** Little-endian. */
  getInt16(index: number): number;
  /** Little-endian. */
  getInt32(index: number): number;
  /** Copies `length` bytes starting at `index` into `dst[dstOffset..]`. */
  getBytes(index: number, dst: Uint8Array, dstOffset: number, length: number): void;
  /**
   * `length` bytes at `index` as ASCII (Java's `getStringWithoutLengthAscii`; a byte above 127 reads as
   * U+FFFD). Allocates the string.
   */
  getStringWithoutLengthAscii(index: number, length: number): string;
  /** `length` bytes at `index` as UTF-8 (Java's `getStringWithoutLengthUtf8`). Allocates the string. */
  getStringWithoutLengthUtf8(index: number, length: number): string;
}

/** Read-write, atomic view of a mapped term or log metadata region. */
export interface LogBufferMemory extends ReadableBuffer {
  /** Writes the signed byte `value` at `index`. */
  putInt8(index: number, value: number): void;
  /** Little-endian. */
  putInt16(index: number, value: number): void;
  /** Little-endian. */
  putInt32(index: number, value: number): void;
  /** Acquire load of an aligned int32. */
  getInt32Volatile(index: number): number;
  /** Release store of an aligned int32. */
  putInt32Ordered(index: number, value: number): void;
  /** Atomic fetch-and-add on an aligned int32; returns the previous value (signed int32). */
  getAndAddInt32(index: number, delta: number): number;
  /** Atomic compare-and-set on an aligned int32. */
  compareAndSetInt32(index: number, expected: number, update: number): boolean;
  /**
   * Atomic compare-and-set on an aligned int64. Control path only (used once per term rotation),
   * so BigInt arguments are acceptable here.
   */
  compareAndSetInt64BigInt(index: number, expected: bigint, update: bigint): boolean;
  /** Copies `length` bytes of `src[srcOffset..]` to `index`. */
  putBytes(index: number, src: Uint8Array, srcOffset: number, length: number): void;
}

const TWO_POW_32 = 4294967296;

/**
 * Reads an aligned int64 as a `number` without BigInt: hi-lo-hi re-read of the two int32 halves with
 * acquire loads, retried while the high word changes. Exact for |value| ≤ 2^53; larger magnitudes
 * (e.g. the end-of-stream sentinel Long.MAX_VALUE) round to the nearest double, which still compares
 * correctly against any real position. Valid when the writer stores the 64-bit word atomically.
 */
export function getInt64VolatileAsNumber(buffer: LogBufferMemory, index: number): number {
  let hi = buffer.getInt32Volatile(index + 4);
  for (;;) {
    const lo = buffer.getInt32Volatile(index);
    const hi2 = buffer.getInt32Volatile(index + 4);
    if (hi2 === hi) {
      return hi * TWO_POW_32 + (lo >>> 0);
    }
    hi = hi2;
  }
}

/** Plain (non-atomic) int64 read as a `number`; exact for |value| ≤ 2^53. */
export function getInt64AsNumber(buffer: ReadableBuffer, index: number): number {
  return buffer.getInt32(index + 4) * TWO_POW_32 + (buffer.getInt32(index) >>> 0);
}

/** Plain int64 write of a safe integer `number` (two int32 halves, low first). */
export function putInt64FromNumber(buffer: LogBufferMemory, index: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buffer.putInt32(index, (value - hi * TWO_POW_32) | 0);
  buffer.putInt32(index + 4, hi | 0);
}

/** Plain int64 read as a `bigint` (allocates: control path / convenience only). */
export function getInt64AsBigInt(buffer: ReadableBuffer, index: number): bigint {
  return (BigInt(buffer.getInt32(index + 4)) << 32n) | BigInt(buffer.getInt32(index) >>> 0);
}

/** Plain int64 write of a `bigint` (two int32 halves, low first). */
export function putInt64FromBigInt(buffer: LogBufferMemory, index: number, value: bigint): void {
  buffer.putInt32(index, Number(BigInt.asIntN(32, value)));
  buffer.putInt32(index + 4, Number(BigInt.asIntN(32, value >> 32n)));
}
