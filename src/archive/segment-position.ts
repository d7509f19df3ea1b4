/**
 * Segment file arithmetic (Java `AeronArchive.segmentFileBasePosition`).
 *
 * ```
 *  startTermBase = startPosition - (startPosition mod termBufferLength)
 *  fromBase      = position - startTermBase
 *  base          = startTermBase + fromBase - (fromBase mod segmentFileLength)
 * ```
 *
 * Java masks with `length - 1` on 64-bit longs; positions here are doubles up to 2^53, so the mask is a floor
 * modulo (equal to Java's two's-complement mask for negative values as well).
 */

/** The stream position at the start of the segment file holding `position`. */
export function segmentFileBasePosition(
  startPosition: number,
  position: number,
  termBufferLength: number,
  segmentFileLength: number,
): number {
  const startTermBasePosition = startPosition - floorMod(startPosition, termBufferLength);
  const lengthFromBasePosition = position - startTermBasePosition;
  return startTermBasePosition + lengthFromBasePosition - floorMod(lengthFromBasePosition, segmentFileLength);
}

function floorMod(value: number, modulus: number): number {
  const r = value % modulus;
  return r < 0 ? r + modulus : r;
}
