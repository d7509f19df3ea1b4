/** The error a generated codec throws, and the checks that throw it out of line. */
import { AeronError } from './aeron-error.ts';

/**
 * The condition a {@link CodecError} reports:
 * - `SHORT_BUFFER`: a read or write would pass the end of the buffer (or start before it).
 * - `WRONG_TEMPLATE` / `WRONG_SCHEMA`: `wrapAndApplyHeader` found another message or schema in the header.
 * - `UNKNOWN_ENUM_VALUE`: a typed enum getter met a value the schema does not list (the `*Raw` getter never throws).
 * - `BAD_LENGTH`: a length is out of the range the schema allows (var data, group count, char array).
 * - `BAD_INDEX`: an array index, or a group `next()` past the last element.
 */
export type CodecErrorCode =
  | 'SHORT_BUFFER'
  | 'WRONG_TEMPLATE'
  | 'WRONG_SCHEMA'
  | 'UNKNOWN_ENUM_VALUE'
  | 'BAD_LENGTH'
  | 'BAD_INDEX';

/**
 * The only exception a generated codec throws. `code` ({@link CodecErrorCode}) is stable and meant for programs;
 * `message` (`<code>: <details>`) is for people. (Java's SBE codecs throw standard Java exceptions instead, so there
 * is no Java counterpart.)
 */
export class CodecError extends AeronError {
  /** Which condition it is. */
  declare readonly code: CodecErrorCode;

  /**
   * @param code the condition.
   * @param message the details; the error's message is `<code>: <message>`.
   */
  constructor(code: CodecErrorCode, message: string) {
    super(code, `${code}: ${message}`);
  }
}

/**
 * Throws `SHORT_BUFFER` unless `[offset, offset + length)` lies inside a buffer of `capacity` bytes.
 *
 * Kept tiny on purpose: every generated accessor inlines it, and V8 inlines by bytecode size against a
 * budget per optimised function (920 bytes in Node 20), so the message building lives in `shortBuffer`.
 */
export function checkBounds(capacity: number, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > capacity) shortBuffer(capacity, offset, length);
}

/** Throws the `SHORT_BUFFER` error `checkBounds` reports (out of line, see there). */
export function shortBuffer(capacity: number, offset: number, length: number): never {
  throw new CodecError('SHORT_BUFFER', `need ${length} bytes at ${offset}, buffer has ${capacity}`);
}

/** Throws `BAD_LENGTH` for var data `name` of `length` bytes, longer than the schema's `max`. */
export function badLength(name: string, length: number, max: number): never {
  throw new CodecError('BAD_LENGTH', `${name}: ${length} > ${max}`);
}

/** Throws `UNKNOWN_ENUM_VALUE` for a raw `value` enum `name` does not list (out of line: keeps `xOf` small). */
export function unknownEnumValue(name: string, value: number): never {
  throw new CodecError('UNKNOWN_ENUM_VALUE', `${value} is not a ${name}`);
}

/** Throws `WRONG_TEMPLATE`: a flat decode found template `actual` in the header where it expects `expected`. */
export function wrongTemplate(expected: number, actual: number): never {
  throw new CodecError('WRONG_TEMPLATE', `expected template ${expected}, got ${actual}`);
}

/** Throws `WRONG_SCHEMA`: a flat decode found schema `actual` in the header where it expects `expected`. */
export function wrongSchema(expected: number, actual: number): never {
  throw new CodecError('WRONG_SCHEMA', `expected schema ${expected}, got ${actual}`);
}
