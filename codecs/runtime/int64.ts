/**
 * 64-bit integers as `number` without BigInt, so the common path allocates nothing.
 *
 * A 64-bit value is read as two 32-bit words: `hi * 2^32 + lo`. That is exact for |v| <= 2^53 and
 * correctly rounded beyond. The sentinels Aeron uses survive a decode -> encode round trip at the byte
 * level: int64 `Long.MIN_VALUE` (-2^63) is a double exactly; `Long.MAX_VALUE` reads as 2^63 and the
 * writer saturates 2^63 and above back to `Long.MAX_VALUE`; uint64 `2^64 - 1` reads as 2^64 and is
 * saturated back to all ones. For other values beyond 2^53 use the BigInt accessors, which are exact.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;

/** Reads a signed 64-bit integer as a number (see the module comment for exactness). */
export function getInt64(view: DataView, offset: number, littleEndian: boolean): number {
  const hi = view.getInt32(littleEndian ? offset + 4 : offset, littleEndian);
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  return hi * TWO_POW_32 + lo;
}

/** Reads an unsigned 64-bit integer as a number (see the module comment for exactness). */
export function getUint64(view: DataView, offset: number, littleEndian: boolean): number {
  const hi = view.getUint32(littleEndian ? offset + 4 : offset, littleEndian);
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  return hi * TWO_POW_32 + lo;
}

/** Writes a number as a signed 64-bit integer, saturating at -2^63 and 2^63 - 1; fractions are floored. */
export function setInt64(view: DataView, offset: number, value: number, littleEndian: boolean): void {
  let hi: number;
  let lo: number;
  if (value >= TWO_POW_63) {
    hi = 0x7fffffff;
    lo = 0xffffffff;
  } else if (value <= -TWO_POW_63) {
    hi = -0x80000000;
    lo = 0;
  } else {
    const whole = Math.floor(value);
    hi = Math.floor(whole / TWO_POW_32) | 0;
    lo = whole >>> 0;
  }
  view.setInt32(littleEndian ? offset + 4 : offset, hi, littleEndian);
  view.setUint32(littleEndian ? offset : offset + 4, lo, littleEndian);
}

/** Writes a number as an unsigned 64-bit integer, saturating at 2^64 - 1; negative values wrap (two's complement). */
export function setUint64(view: DataView, offset: number, value: number, littleEndian: boolean): void {
  let hi: number;
  let lo: number;
  if (value >= TWO_POW_64) {
    hi = 0xffffffff;
    lo = 0xffffffff;
  } else {
    const whole = Math.floor(value);
    hi = Math.floor(whole / TWO_POW_32) >>> 0;
    lo = whole >>> 0;
  }
  view.setUint32(littleEndian ? offset + 4 : offset, hi, littleEndian);
  view.setUint32(littleEndian ? offset : offset + 4, lo, littleEndian);
}

/** JSON form of a 64-bit value: a number when it is a safe integer, else its exact decimal string. */
export function int64ToJson(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}
