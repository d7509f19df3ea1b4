/**
 * Byte copies between a flyweight's buffer (read or written through its cached `DataView`) and a caller's
 * `Uint8Array`, for var data and char arrays.
 *
 * `dst.set(src.subarray(...))` allocates a typed-array view per call (plus its GC), and a byte-at-a-time
 * loop costs a bounds-checked load and store per byte. These helpers move four bytes per step on the
 * flyweight side (`getInt32` / `setInt32`, little-endian, so byte `k` of the word is `buffer[at + k]`),
 * allocate nothing, and leave copies longer than `SET_COPY_THRESHOLD` to `set`, which is a memmove.
 * The two ranges must not overlap (they are in different arrays in every generated accessor's use).
 */

/** Copies longer than this use `Uint8Array.prototype.set` (one view allocation, then memmove). */
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
  if (length > SET_COPY_THRESHOLD) {
    dst.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    return;
  }
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = srcOffset + i;
    dstView.setInt32(dstOffset + i, src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24), true);
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i]!;
}
