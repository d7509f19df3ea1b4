/**
 * Allocation-free byte copies: short ranges (up to {@link SMALL_COPY_LENGTH}) word by word through the
 * little-endian int32 of four bytes, longer ones through Int32 views of both arrays.
 *
 * `dst.set(src.subarray(from, to), at)` allocates one typed-array view per copy (a fragment copied into a
 * reassembly buffer, a payload copied out): fine once, a steady stream of minor GCs per message. Here a
 * range is moved through `Int32Array` views of both arrays, 4 bytes at a time, when both start offsets are
 * 4-aligned, the tail byte by byte. The views are made once per array and kept in a `WordViews` (one entry:
 * the last array seen), so repeated copies into or out of the same array allocate nothing.
 *
 * The Int32 word loop is faster than `subarray` + `set` up to about 1 KiB and allocates nothing at any length (the
 * bench docs have the figures). Float64 words would be faster still up to 4 KiB, but ECMAScript lets an implementation store any NaN for a NaN
 * (SetValueInBuffer), so a payload whose 8-byte words happen to be NaN patterns is not guaranteed to survive:
 * a copy must be exact, so only integer words are used. Copies run forward: never use them for overlapping
 * ranges of the same memory (callers send those to `set`, which is a memmove).
 */

/**
 * Ranges up to this many bytes are copied with a word loop (no view made: a `subarray` for a short part of an array
 * would allocate); longer ones through word views (`copyByWords`) or one `set`.
 */
export const SMALL_COPY_LENGTH = 64;

/** The little-endian int32 at `offset` of a byte array (Java: `UnsafeBuffer.getInt` on a byte array). */
export function readInt32LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24);
}

/**
 * Copies `length` (≤ {@link SMALL_COPY_LENGTH}) bytes at `index` of `view` to `dst[dstOffset..]`: whole words read
 * as little-endian int32s, the tail byte by byte. The caller has checked both ranges.
 */
export function copySmallFromView(
  view: DataView,
  index: number,
  dst: Uint8Array,
  dstOffset: number,
  length: number,
): void {
  const words = length - 3;
  let i = 0;
  for (; i < words; i += 4) {
    const word = view.getInt32(index + i, true);
    const at = dstOffset + i;
    dst[at] = word;
    dst[at + 1] = word >> 8;
    dst[at + 2] = word >> 16;
    dst[at + 3] = word >> 24;
  }
  for (; i < length; i++) dst[dstOffset + i] = view.getUint8(index + i);
}

/**
 * Copies `length` (≤ {@link SMALL_COPY_LENGTH}) bytes of `src[srcOffset..]` to `index` of `view`: whole words as
 * little-endian int32s, the tail byte by byte. The caller has checked both ranges.
 */
export function copySmallToView(
  view: DataView,
  index: number,
  src: Uint8Array,
  srcOffset: number,
  length: number,
): void {
  const words = length - 3;
  let i = 0;
  for (; i < words; i += 4) view.setInt32(index + i, readInt32LE(src, srcOffset + i), true);
  for (; i < length; i++) view.setUint8(index + i, src[srcOffset + i]!);
}

/** Word views of one byte array (null when its start is not aligned to that word size). */
export interface WordViewSet {
  /** Int32 view over the whole 4-byte words of the array, or null when its `byteOffset` is not 4-aligned. */
  readonly i32: Int32Array | null;
}

const NO_VIEWS: WordViewSet = { i32: null };

/** The Int32 view over exactly `bytes` (made here: allocates; call once per array). */
export function wordViewsOf(bytes: Uint8Array): WordViewSet {
  const { buffer, byteOffset, length } = bytes;
  return { i32: byteOffset % 4 === 0 ? new Int32Array(buffer, byteOffset, length >>> 2) : null };
}

/**
 * A one-entry cache of `wordViewsOf`: the views of the last array asked for. An array seen for the first
 * time gets no views (the caller copies with `set`): views are made on its second use in a row, so a fresh
 * array per copy costs what it did before (one view) and a reused one nothing from then on.
 */
export class WordViews {
  #bytes: Uint8Array | null = null;
  #views: WordViewSet = NO_VIEWS;

  /**
   * The views of `bytes`: none (the shared empty set) the first time an array is seen, its views (made once) when it
   * is the same array as on the previous call.
   */
  of(bytes: Uint8Array): WordViewSet {
    if (bytes === this.#bytes) {
      if (this.#views === NO_VIEWS) this.#views = wordViewsOf(bytes);
      return this.#views;
    }
    this.#bytes = bytes;
    this.#views = NO_VIEWS;
    return NO_VIEWS;
  }
}

/**
 * Copies `srcBytes[srcIndex, srcIndex + length)` to `dstBytes[dstIndex..)` through the word views (of the
 * same arrays) when both offsets are 4-aligned; returns false, copying nothing, when they are not.
 * The caller has checked both ranges.
 */
export function copyByWords(
  dstBytes: Uint8Array,
  dst: WordViewSet,
  dstIndex: number,
  srcBytes: Uint8Array,
  src: WordViewSet,
  srcIndex: number,
  length: number,
): boolean {
  const dstI32 = dst.i32;
  const srcI32 = src.i32;
  if (dstI32 === null || srcI32 === null || ((dstIndex | srcIndex) & 3) !== 0) return false;
  let s = srcIndex >> 2;
  let d = dstIndex >> 2;
  const end = s + (length >> 2);
  for (const end8 = end - 7; s < end8; s += 8, d += 8) {
    dstI32[d] = srcI32[s]!;
    dstI32[d + 1] = srcI32[s + 1]!;
    dstI32[d + 2] = srcI32[s + 2]!;
    dstI32[d + 3] = srcI32[s + 3]!;
    dstI32[d + 4] = srcI32[s + 4]!;
    dstI32[d + 5] = srcI32[s + 5]!;
    dstI32[d + 6] = srcI32[s + 6]!;
    dstI32[d + 7] = srcI32[s + 7]!;
  }
  for (; s < end; s++, d++) dstI32[d] = srcI32[s]!;
  const done = length & ~3;
  for (let i = done; i < length; i++) dstBytes[dstIndex + i] = srcBytes[srcIndex + i]!;
  return true;
}
