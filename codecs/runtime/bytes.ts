/**
 * Byte copies between a flyweight's buffer (read or written through its cached `DataView`) and a caller's
 * `Uint8Array`, for var data and char arrays. Nothing here allocates per call.
 *
 * ```
 * copyToView   (putX):  src (caller)  --whole array-->  dst.set(src, at)               (memmove, no view)
 *                                      --view cached-->  getInt32 / setInt32 per word
 *                                      --otherwise--->   4 byte loads, one setInt32 per word
 * copyFromView (getX):  src (flyweight view) --> dst (caller): view cached: getInt32 / setInt32 per word
 *                                                             otherwise: one getInt32, 4 byte stores
 * either way, more than SET_COPY_THRESHOLD bytes: dst.set(src.subarray(...))  (one view, then memmove)
 * ```
 *
 * `dst.set(src.subarray(...))` allocates a typed-array view per call (plus its GC), and a byte-at-a-time
 * loop costs a bounds-checked load and store per byte. Words are little-endian on both sides, so byte `k`
 * of a word is `array[at + k]` whatever the schema's byte order. The two ranges must not overlap (they are
 * in different arrays in every generated accessor's use).
 *
 * The caller's side goes a word at a time through a `DataView` from `callerView` (`caller-view.ts`), a
 * two-entry cache that only creates a view for an array used again and again (a reused scratch array),
 * so no call pattern creates one per call.
 */
import { callerView } from './caller-view.ts';
import { checkBounds } from './codec-error.ts';

/** Copies longer than this use `Uint8Array.prototype.set` over a `subarray` (one view allocation, then memmove). */
const SET_COPY_THRESHOLD = 256;

/**
 * Copies `length` bytes from `src[srcOffset]` to `dst[dstOffset]`, `srcView` being a DataView over exactly
 * the bytes of `src`. The caller has checked both ranges.
 */
export function copyFromView(
  src: Uint8Array,
  srcView: DataView,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  length: number,
): void {
  if (length > SET_COPY_THRESHOLD) {
    dst.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    return;
  }
  const dstView = callerView(dst);
  if (dstView === null) {
    copyFromViewBytes(src, srcView, srcOffset, dst, dstOffset, length);
    return;
  }
  copyViewWords(src, srcView, srcOffset, dst, dstView, dstOffset, length);
}

/** `copyFromView` without a view of `dst`: one word read, four byte stores per step. */
function copyFromViewBytes(
  src: Uint8Array,
  srcView: DataView,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  length: number,
): void {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const word = srcView.getInt32(srcOffset + i, true);
    const at = dstOffset + i;
    dst[at] = word;
    dst[at + 1] = word >> 8;
    dst[at + 2] = word >> 16;
    dst[at + 3] = word >> 24;
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i]!;
}

/**
 * Copies `length` bytes from `src[srcOffset]` to `dst[dstOffset]`, `dstView` being a DataView over exactly
 * the bytes of `dst`. The caller has checked both ranges.
 */
export function copyToView(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstView: DataView,
  dstOffset: number,
  length: number,
): void {
  if (srcOffset === 0 && length === src.length) {
    // The whole source array: `set` takes it as is (no view to create) and moves it with memmove.
    dst.set(src, dstOffset);
    return;
  }
  if (length > SET_COPY_THRESHOLD) {
    dst.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    return;
  }
  const srcView = callerView(src);
  if (srcView === null) {
    copyToViewBytes(src, srcOffset, dst, dstView, dstOffset, length);
    return;
  }
  copyViewWords(src, srcView, srcOffset, dst, dstView, dstOffset, length);
}

/** Copies between two arrays through DataViews over exactly their bytes: two words per step, then the tail. */
function copyViewWords(
  src: Uint8Array,
  srcView: DataView,
  srcOffset: number,
  dst: Uint8Array,
  dstView: DataView,
  dstOffset: number,
  length: number,
): void {
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    dstView.setInt32(dstOffset + i, srcView.getInt32(srcOffset + i, true), true);
    dstView.setInt32(dstOffset + i + 4, srcView.getInt32(srcOffset + i + 4, true), true);
  }
  if (i + 4 <= length) {
    dstView.setInt32(dstOffset + i, srcView.getInt32(srcOffset + i, true), true);
    i += 4;
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i]!;
}

/** `copyToView` without a view of `src`: four byte loads, one word write per step. */
function copyToViewBytes(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstView: DataView,
  dstOffset: number,
  length: number,
): void {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = srcOffset + i;
    dstView.setInt32(dstOffset + i, src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24), true);
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i]!;
}

/**
 * A var data `getX(dst, dstOffset, length)`'s copy, after the generated accessor has read the length
 * header: checks that the `available` bytes at `src[srcOffset]` are there, then the range of `dst`
 * (CodecError SHORT_BUFFER), and copies `min(length, available)` bytes (`srcView` over `src`); returns
 * the count. Out of the accessor, so V8 inlines the accessor more readily.
 */
export function copyOut(
  src: Uint8Array,
  srcView: DataView,
  srcOffset: number,
  available: number,
  dst: Uint8Array,
  dstOffset: number,
  length: number,
): number {
  checkBounds(src.length, srcOffset, available);
  const copied = Math.min(length, available);
  checkBounds(dst.length, dstOffset, copied);
  copyFromView(src, srcView, srcOffset, dst, dstOffset, copied);
  return copied;
}

/**
 * A var data `putX(src, srcOffset, length)`'s checks and copy: the source range, then `headerLength +
 * length` bytes of `dst` at `limit` (CodecError SHORT_BUFFER either way), then the data goes to
 * `dst[limit + headerLength]` (`dstView` over `dst`). The accessor writes the header after it.
 */
export function copyIn(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstView: DataView,
  limit: number,
  headerLength: number,
  length: number,
): void {
  checkBounds(src.length, srcOffset, length);
  checkBounds(dst.length, limit, headerLength + length);
  copyToView(src, srcOffset, dst, dstView, limit + headerLength, length);
}
