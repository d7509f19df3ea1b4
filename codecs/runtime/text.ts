/**
 * Text <-> bytes for char arrays and var data.
 *
 * US-ASCII follows Java's charset: bytes above 0x7f decode to U+FFFD, and characters above 0x7f encode
 * as '?'. UTF-8 uses the platform TextEncoder/TextDecoder (invalid sequences decode to U+FFFD).
 */
import { CodecError } from './codec-error.ts';

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
const QUESTION_MARK = 0x3f;

/**
 * Decodes `buffer[start, end)` as US-ASCII. The bytes are checked for 0x80 four at a time (through the
 * cached DataView below) and an all-ASCII run, the usual case, becomes a string in one `latin1Slice`;
 * otherwise each byte above 0x7f decodes to U+FFFD, as Java's US-ASCII decoder does.
 */
export function decodeAscii(buffer: Uint8Array, start: number, end: number): string {
  if (buffer !== cachedArray) cache(buffer);
  const view = cachedView;
  let bits = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) bits |= view.getInt32(i, true);
  for (; i < end; i++) bits |= buffer[i]!;
  return (bits & 0x80808080) === 0 ? latin1(buffer, start, end) : decodeMixedAscii(buffer, start, end);
}

/** `decodeAscii` of text with bytes above 0x7f: U+FFFD for each of them. */
function decodeMixedAscii(buffer: Uint8Array, start: number, end: number): string {
  let text = '';
  let runStart = start;
  for (let i = start; i < end; i++) {
    if (buffer[i]! > 0x7f) {
      text += latin1(buffer, runStart, i);
      text += '\ufffd';
      runStart = i + 1;
    }
  }
  return text + latin1(buffer, runStart, end);
}

/**
 * One-entry cache of a Node `Buffer` over the last array decoded from: decoders read many strings from the
 * same buffer, and `Buffer#latin1Slice` copies straight into a new one-byte string (one allocation, the
 * string itself) where building it from char codes makes a string per step.
 */
let cachedArray: Uint8Array = new Uint8Array(0);
let cachedBuffer: Latin1Slicer = Buffer.alloc(0) as unknown as Latin1Slicer;
/** A DataView over the same bytes as `cachedArray`, for `decodeAscii`'s four-byte checks. */
let cachedView: DataView = new DataView(cachedArray.buffer);

function cache(buffer: Uint8Array): void {
  cachedBuffer = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength) as unknown as Latin1Slicer;
  cachedView = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  cachedArray = buffer;
}

/**
 * `Buffer#latin1Slice(start, end)`: the method `toString('latin1', start, end)` ends in, without its
 * argument and encoding dispatch. Present on every Node `Buffer` since Node 6, but not in @types/node;
 * `HAS_LATIN1_SLICE` falls back to `toString` should it ever go.
 */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
  toString(encoding: 'latin1', start: number, end: number): string;
}

const HAS_LATIN1_SLICE = typeof (cachedBuffer as Partial<Latin1Slicer>).latin1Slice === 'function';

function latin1(buffer: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 0) return '';
  if (length <= 8) {
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(buffer[i]!);
    return text;
  }
  if (buffer !== cachedArray) cache(buffer);
  return HAS_LATIN1_SLICE ? cachedBuffer.latin1Slice(start, end) : cachedBuffer.toString('latin1', start, end);
}

/** Decodes `buffer[start, end)` as Latin-1 (ISO-8859-1). */
export function decodeLatin1(buffer: Uint8Array, start: number, end: number): string {
  return latin1(buffer, start, end);
}

/** Decodes `buffer[start, end)` as UTF-8. */
export function decodeUtf8(buffer: Uint8Array, start: number, end: number): string {
  if (end <= start) return '';
  return utf8Decoder.decode(buffer.subarray(start, end));
}

/** Decodes with the named character encoding (`US-ASCII`, `UTF-8`, or anything else as Latin-1). */
export function decodeText(encoding: string, buffer: Uint8Array, start: number, end: number): string {
  if (encoding === 'UTF-8') return decodeUtf8(buffer, start, end);
  if (encoding === 'US-ASCII' || encoding === 'ASCII') return decodeAscii(buffer, start, end);
  return latin1(buffer, start, end);
}

/** Decodes a NUL padded char array: the text up to the first NUL byte. */
export function decodeCharArray(encoding: string, buffer: Uint8Array, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && buffer[end] !== 0) end++;
  return decodeText(encoding, buffer, start, end);
}

/** Number of bytes `value` takes in the named encoding. */
export function encodedTextLength(encoding: string, value: string): number {
  if (encoding !== 'UTF-8') return value.length;
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Writes `value` at `buffer[offset]` in the named encoding; returns the byte count. The caller has checked
 * that `encodedTextLength(encoding, value)` bytes fit.
 */
export function encodeText(encoding: string, value: string, buffer: Uint8Array, offset: number): number {
  if (encoding === 'UTF-8') {
    const result = utf8Encoder.encodeInto(value, buffer.subarray(offset));
    if (result.read < value.length) {
      throw new CodecError('SHORT_BUFFER', `text of ${value.length} chars does not fit at ${offset}`);
    }
    return result.written;
  }
  if (encoding === 'US-ASCII' || encoding === 'ASCII') return encodeAscii(value, buffer, offset);
  return encodeLatin1(value, buffer, offset);
}

/** Writes `value` as US-ASCII (characters above 0x7f as '?'); returns the byte count, `value.length`. */
export function encodeAscii(value: string, buffer: Uint8Array, offset: number): number {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    buffer[offset + i] = c > 0x7f ? QUESTION_MARK : c;
  }
  return length;
}

/**
 * Writes `value` as US-ASCII at `buffer[offset]`, `view` being a DataView over exactly the bytes of
 * `buffer`: four characters per 32-bit store (little-endian, so character `k` lands at `offset + k`),
 * their codes OR-ed together; if any was above 0x7f the text is written again by `encodeAscii`, which puts
 * '?' for it, as Java does. Returns the byte count, `value.length`. The caller has checked the bounds.
 */
export function encodeAsciiView(value: string, buffer: Uint8Array, view: DataView, offset: number): number {
  const length = value.length;
  let bits = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const c0 = value.charCodeAt(i);
    const c1 = value.charCodeAt(i + 1);
    const c2 = value.charCodeAt(i + 2);
    const c3 = value.charCodeAt(i + 3);
    bits |= c0 | c1 | c2 | c3;
    view.setInt32(offset + i, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
  }
  for (; i < length; i++) {
    const c = value.charCodeAt(i);
    bits |= c;
    buffer[offset + i] = c;
  }
  return bits > 0x7f ? encodeAscii(value, buffer, offset) : length;
}

/** Writes `value` as Latin-1 (characters above 0xff as '?'); returns the byte count, `value.length`. */
export function encodeLatin1(value: string, buffer: Uint8Array, offset: number): number {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    buffer[offset + i] = c > 0xff ? QUESTION_MARK : c;
  }
  return length;
}

/** Writes a char array of `length` bytes: `value` then NUL padding. Throws `BAD_LENGTH` if it is too long. */
export function encodeCharArray(
  encoding: string,
  value: string,
  buffer: Uint8Array,
  offset: number,
  length: number,
): void {
  const size = encodedTextLength(encoding, value);
  if (size > length) {
    throw new CodecError('BAD_LENGTH', `text of ${size} bytes is longer than the ${length} byte char array`);
  }
  encodeText(encoding, value, buffer, offset);
  buffer.fill(0, offset + size, offset + length);
}

/** Lower case hex of `bytes`, used by toJSON for binary var data. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
