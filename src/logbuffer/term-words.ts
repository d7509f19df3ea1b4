/**
 * Word-indexed access to a log for the hot paths (appenders and readers). When every buffer of a log
 * exposes an `int32View: Int32Array` covering it (the transport's `AtomicBuffer` does; `LogBufferMemory` does
 * not require it), the hot paths index Int32 words directly
 * instead of calling a bounds-checked accessor per header field:
 *
 * ```
 *  frame at term offset o (32-aligned), w = o >> 2:
 *  words[w]     frame length        Atomics.load (reader) / Atomics.store (writer, -length then +length)
 *  words[w + 1] version|flags|type  plain (type = word >>> 16, flags = (word >>> 8) & 0xff)
 *  words[w + 2] term offset         plain
 *  words[w + 3] session id          plain
 *  words[w + 4] stream id           plain
 *  words[w + 5] term id             plain
 *  words[w + 6..7] reserved value   plain
 *  bytes [o + 32, o + frameLength)  payload
 * ```
 *
 * Every volatile/ordered access stays an explicit `Atomics` call on the same words; the plain fields are
 * published by the release store of the frame length (written last) and read after its acquire load, as
 * in Aeron. Words are native order, which is little-endian on every platform Aeron supports (the
 * transport checks it at load).
 */
import { copyByWords, WordViews } from '../transport/byte-copy.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/** Parts of arrays up to this many bytes are copied with a word loop; longer ones with `subarray` + `set`. */
export const SMALL_PAYLOAD_LENGTH = 64;

/** The views of a log the hot paths index directly (see the module comment); made once per log. */
export interface FastPathViews {
  /** Int32 words of each term, by partition index. */
  readonly termWords: readonly Int32Array[];
  /** Bytes of each term (the same memory as `termWords`), by partition index. */
  readonly termBytes: readonly Uint8Array[];
  /** Int32 words of the log metadata block. */
  readonly metaWords: Int32Array;
}

/** The buffer's `int32View` when it has one covering all of it (an `AtomicBuffer`), else null. */
export function int32ViewOf(buffer: LogBufferMemory): Int32Array | null {
  const view = (buffer as LogBufferMemory & { readonly int32View?: unknown }).int32View;
  return view instanceof Int32Array && view.length === buffer.capacity >> 2 ? view : null;
}

/** The word and byte views of a log, or null when a buffer has no `int32View` covering it. */
export function fastPathViews(
  termBuffers: readonly LogBufferMemory[],
  metadata: LogBufferMemory,
  termLength: number,
): FastPathViews | null {
  const metaWords = int32ViewOf(metadata);
  if (metaWords === null) return null;
  const termWords: Int32Array[] = [];
  const termBytes: Uint8Array[] = [];
  for (const term of termBuffers) {
    const words = int32ViewOf(term);
    if (words === null || words.length * 4 !== termLength) return null;
    termWords.push(words);
    termBytes.push(new Uint8Array(words.buffer, words.byteOffset, termLength));
  }
  return { termWords, termBytes, metaWords };
}

/** Word views of the last term and the last source array a long part was copied between (one thread). */
const termViews = new WordViews();
const srcViews = new WordViews();

/**
 * Copies `src[srcOffset, srcOffset + length)` to byte `dstOffset` (4-aligned) of the term. A whole array
 * goes through one `set` (measured faster than any loop, even at 32 bytes: ~105 vs ~125 ns per offer); a
 * part of an array through a word loop up to `SMALL_PAYLOAD_LENGTH` bytes (a `subarray` view would
 * allocate), a longer part through word views of both arrays when `srcOffset` is 4-aligned (transport/byte-copy.ts:
 * views cached, so the fragments of a message copy without allocating), else one `subarray` + `set`. The
 * caller has checked both ranges. (Short copies never touch `src.buffer`: that materialises an ArrayBuffer
 * for small on-heap arrays, i.e. allocates; a long part does, once per source array.)
 */
export function copyPayload(
  words: Int32Array,
  bytes: Uint8Array,
  dstOffset: number,
  src: Uint8Array,
  srcOffset: number,
  length: number,
): void {
  if (srcOffset === 0 && length === src.length) {
    bytes.set(src, dstOffset);
    return;
  }
  if (length > SMALL_PAYLOAD_LENGTH) {
    if (!copyByWords(bytes, termViews.of(bytes), dstOffset, src, srcViews.of(src), srcOffset, length)) {
      bytes.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    }
    return;
  }
  const fullWords = length >> 2;
  const w = dstOffset >> 2;
  let s = srcOffset;
  for (let i = 0; i < fullWords; i++, s += 4) {
    words[w + i] = src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16) | (src[s + 3]! << 24);
  }
  for (let i = fullWords << 2; i < length; i++) bytes[dstOffset + i] = src[srcOffset + i]!;
}
