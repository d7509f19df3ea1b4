/**
 * Bit and size arithmetic shared by every layer (Java: Agrona's `BitUtil`).
 *
 * `align` is the int32 bit trick, exact while `value + alignment` stays below 2^31 (frames, records, keys, buffer
 * capacities). `alignLarge` rounds with a division instead, exact for every safe integer (file lengths above 2 GiB).
 */

/** Bytes in an int32 (4). Java: `BitUtil.SIZE_OF_INT`. */
export const SIZE_OF_INT = 4;
/** Bytes in an int64 (8). Java: `BitUtil.SIZE_OF_LONG`. */
export const SIZE_OF_LONG = 8;

/** `value` rounded up to a multiple of `alignment` (a power of two; the sum below 2^31). Java: `BitUtil.align`. */
export function align(value: number, alignment: number): number {
  return (value + (alignment - 1)) & ~(alignment - 1);
}

/**
 * `value` rounded up to a multiple of `alignment`, for values beyond int32 (exact for every safe integer). Java:
 * `BitUtil.align(long, long)`.
 */
export function alignLarge(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Whether `value` is a positive power of two. Java: `BitUtil.isPowerOfTwo`. */
export function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}
