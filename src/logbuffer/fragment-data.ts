/**
 * A fragment's payload as text or bytes, for handlers that do not want to know the buffer's internals.
 *
 * ```ts
 * subscription.poll((buffer, offset, length) => {
 *   const text = fragmentText(buffer, offset, length);   // UTF-8 decoded string
 *   const bytes = fragmentBytes(buffer, offset, length); // a copy, valid after the handler returns
 * }, 10);
 * ```
 *
 * Both allocate (the string, the copy) when called, and only then: the poll itself allocates nothing. Java's
 * `getStringWithoutLengthAscii` / `getStringWithoutLengthUtf8` are on the buffer too (`ReadableBuffer`).
 */
import type { ReadableBuffer } from './log-buffer-memory.ts';

/** The `length` bytes at `offset` of a fragment handler's `buffer`, decoded as UTF-8. */
export function fragmentText(buffer: ReadableBuffer, offset: number, length: number): string {
  return buffer.getStringWithoutLengthUtf8(offset, length);
}

/** A copy of the `length` bytes at `offset` of a fragment handler's `buffer` (it outlives the call). */
export function fragmentBytes(buffer: ReadableBuffer, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  buffer.getBytes(offset, bytes, 0, length);
  return bytes;
}
