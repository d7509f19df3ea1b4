/**
 * The memory operations the log-buffer layer needs, declared here so this layer does not depend on a
 * concrete buffer class. The transport layer's `AtomicBuffer` satisfies `LogBufferMemory` (and the client
 * maps its logs into `AtomicBuffer`s); tests use a small SharedArrayBuffer-backed implementation.
 *
 * All multi-byte accesses are little-endian (Aeron only supports little-endian shared memory).
 *
 * Ordering contract:
 * - `getInt32Volatile` / `getInt64Volatile` are acquire loads, `putInt32Ordered` a release store (`Atomics`).
 * - `getAndAddInt32` / `compareAndSetInt32` / `compareAndSetInt64BigInt` are sequentially consistent RMWs,
 *   atomic against other processes mapping the same memory.
 * - Plain `get*`/`put*` carry no ordering; the log-buffer code publishes them with a later release store.
 * - `int32View` indexes the same memory by int32 word: the appenders and readers use it directly
 *   (`term-words.ts`), every acquire/release access through `Atomics` on it.
 *
 * 64-bit values are `number`s (exact to 2^53) or `bigint`s (exact, allocating). Raw tails are never turned
 * into a `number` (a raw tail `termId << 32 | offset` with a negative or large term id is not exact as a
 * double): they are read as two words. See `log-buffer-descriptor.ts`.
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

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
  /** Little-endian int64 as a `number` (exact while |value| ≤ 2^53). */
  getInt64(index: number): number;
  /** Little-endian int64 as a `bigint` (exact; allocates). */
  getInt64BigInt(index: number): bigint;
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
  /**
   * Int32 view of exactly this buffer (word `i` = bytes `[4i, 4i + 4)`, native order = little-endian), or null when
   * the buffer does not start on a 4-byte boundary. The appenders and readers need it (a log is page aligned).
   */
  readonly int32View: Int32Array | null;
  /** Writes the signed byte `value` at `index`. */
  putInt8(index: number, value: number): void;
  /** Little-endian. */
  putInt16(index: number, value: number): void;
  /** Little-endian. */
  putInt32(index: number, value: number): void;
  /** Little-endian int64 from a safe integer `number` (plain: two int32 stores). */
  putInt64(index: number, value: number): void;
  /** Little-endian int64 from a `bigint` (modulo 2^64). */
  putInt64BigInt(index: number, value: bigint): void;
  /** Acquire load of an aligned int32. */
  getInt32Volatile(index: number): number;
  /**
   * Acquire load of an aligned int64 as a `number` (high, low, high words: exact while |value| ≤ 2^53, see
   * `src/transport/int64-words.ts`).
   */
  getInt64Volatile(index: number): number;
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

/**
 * The buffer's `int32View`, checked to cover all of it.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` when the buffer has none (it does not start on a 4-byte boundary).
 */
export function int32ViewOf(buffer: LogBufferMemory): Int32Array {
  const view = buffer.int32View;
  if (view === null || view.length !== buffer.capacity >> 2) {
    throw new InvalidArgumentError(`log buffer of ${buffer.capacity} bytes has no int32 view covering it`);
  }
  return view;
}
