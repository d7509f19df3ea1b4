/**
 * Agrona's `SystemUtil` value syntax for driver properties (Agrona 2.4.1 `SystemUtil.parseSize` /
 * `parseDuration`), the syntax Java's `MediaDriver` reads its `aeron.*` sizes and durations in.
 *
 * ```
 *  size:      <digits>[k|K|m|M|g|G]          1024, 64k, 16m, 1g           (bytes)
 *  duration:  <digits>[ns|us|ms|s] (any case) 1000, 500us, 10ms, 5s        (nanoseconds; no suffix = ns)
 *  refused:   empty, a leading '-', another suffix, a non-digit, a value past 2^53 - 1
 * ```
 *
 * Java parses into a `long`; these return numbers and refuse anything above `Number.MAX_SAFE_INTEGER` (2^53 - 1
 * ns is 104 days), so every accepted value is exact.
 */
import { MediaDriverError } from './driver-error.ts';

const KILOBYTE = 1024;
const MEGABYTE = 1024 * 1024;
const GIGABYTE = 1024 * 1024 * 1024;
const DIGITS = /^[0-9]+$/;

const SIZE_MULTIPLIERS: Readonly<Record<string, number>> = { k: KILOBYTE, m: MEGABYTE, g: GIGABYTE };
const DURATION_MULTIPLIERS: Readonly<Record<string, number>> = { ns: 1, us: 1_000, ms: 1_000_000, s: 1_000_000_000 };

/** A size in bytes from `value` (`SystemUtil.parseSize`); `MediaDriverError` INVALID_CONFIGURATION naming `name`. */
export function parseSize(name: string, value: string): number {
  const text = nonNegative(name, value);
  const last = text.charAt(text.length - 1);
  if (isDigit(last)) return exact(name, value, digits(name, value, text), 1);
  const multiplier = SIZE_MULTIPLIERS[last.toLowerCase()];
  if (multiplier === undefined) throw invalid(name, value, 'should end with: k, m, or g');
  return exact(name, value, digits(name, value, text.slice(0, -1)), multiplier);
}

/** A duration in ns from `value` (`SystemUtil.parseDuration`); `MediaDriverError` INVALID_CONFIGURATION naming `name`. */
export function parseDuration(name: string, value: string): number {
  const text = nonNegative(name, value);
  const match = /^(.*?)(ns|us|ms|s)?$/i.exec(text);
  const number = match?.[1] ?? '';
  const suffix = (match?.[2] ?? 'ns').toLowerCase();
  const multiplier = DURATION_MULTIPLIERS[suffix];
  if (multiplier === undefined || number === '') {
    throw invalid(name, value, "is not a duration: digits with an optional 'ns', 'us', 'ms' or 's' suffix");
  }
  return exact(name, value, digits(name, value, number), multiplier);
}

/** A plain non-negative integer (Java `Long.getLong`, as `aeron.driver.timeout` is read). */
export function parseLong(name: string, value: string): number {
  const text = nonNegative(name, value);
  return exact(name, value, digits(name, value, text), 1);
}

/** `true` or `false`, any case (Java reads `"true".equals(...)`; this refuses other words rather than reading false). */
export function parseBoolean(name: string, value: string): boolean {
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(name, value, 'must be true or false');
}

function nonNegative(name: string, value: string): string {
  const text = value.trim();
  if (text === '') throw invalid(name, value, 'must be non-empty');
  if (text.startsWith('-')) throw invalid(name, value, 'must be positive');
  return text;
}

function digits(name: string, value: string, text: string): number {
  if (!DIGITS.test(text)) throw invalid(name, value, 'is not a number');
  return Number(text);
}

function exact(name: string, value: string, n: number, multiplier: number): number {
  const result = n * multiplier;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(result)) throw invalid(name, value, 'is too large');
  return result;
}

function invalid(name: string, value: string, why: string): MediaDriverError {
  return new MediaDriverError('INVALID_CONFIGURATION', `${name}=${value} ${why}`);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
