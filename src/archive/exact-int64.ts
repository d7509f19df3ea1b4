/**
 * The rule for the 64-bit values the archive client hands out as `number` (recording ids, positions, registration
 * and correlation ids, counts): a value is returned only when the double is exactly the value the archive sent.
 *
 * The generated codecs read an int64 as `hi * 2^32 + lo`, which is exact up to 2^53 and rounded beyond. Values up
 * to 2^53 pass at the cost of one `Number.isSafeInteger` (no allocation); above it the exact value is read as a
 * bigint and compared, so a position such as 2^53 + 32 (exact in a double) still passes, while 2^53 + 1 is refused
 * with {@link ArchiveValueRangeError}. Ids whose range really passes 2^53 (replay session ids) are bigints instead.
 */
import { ArchiveValueRangeError } from './archive-error.ts';

/**
 * Returns `value` when it is exactly `exactValue()`, else throws `ArchiveValueRangeError` naming `what`.
 * `exactValue` is only called for values beyond 2^53 in magnitude.
 */
export function exactInt64(value: number, exactValue: () => bigint, what: string): number {
  const error = inexactInt64(value, exactValue, what);
  if (error !== null) throw error;
  return value;
}

/**
 * The `ArchiveValueRangeError` for `value` when it is not exactly `exactValue()`, else null (for readers that must
 * not throw inside a poll handler and report it later). `exactValue` is only called beyond 2^53.
 */
export function inexactInt64(value: number, exactValue: () => bigint, what: string): ArchiveValueRangeError | null {
  if (Number.isSafeInteger(value)) return null;
  const exact = exactValue();
  if (Number.isFinite(value) && BigInt(value) === exact) return null;
  return new ArchiveValueRangeError(what, exact);
}
