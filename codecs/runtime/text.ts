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

/** Decodes `buffer[start, end)` as US-ASCII. */
export function decodeAscii(buffer: Uint8Array, start: number, end: number): string {
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

function latin1(buffer: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 0) return '';
  if (length <= 32) {
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(buffer[i]!);
    return text;
  }
  return Buffer.from(buffer.buffer, buffer.byteOffset + start, length).toString('latin1');
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
  const ascii = encoding === 'US-ASCII' || encoding === 'ASCII';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    buffer[offset + i] = c > (ascii ? 0x7f : 0xff) ? QUESTION_MARK : c;
  }
  return value.length;
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
