/**
 * Word-indexed access to a log for the hot paths (appenders and readers), and the `HeaderWriter` that writes each
 * frame's header: every buffer of a log has an `int32View` covering it (`LogBufferMemory`), and the hot paths index
 * its Int32 words directly instead of calling a bounds-checked accessor per header field:
 *
 * ```
 *  frame at term offset o (32-aligned), w = o >> 2:
 *  words[w + FRAME_LENGTH_WORD]        (0)  frame length        Atomics.load (reader) / release store (writer, -length then +length)
 *  words[w + VERSION_FLAGS_TYPE_WORD]  (1)  version|flags|type  plain (type = word >>> 16, flags = (word >>> 8) & 0xff)
 *  words[w + TERM_OFFSET_WORD]         (2)  term offset         plain
 *  words[w + SESSION_ID_WORD]          (3)  session id          plain
 *  words[w + STREAM_ID_WORD]           (4)  stream id           plain
 *  words[w + TERM_ID_WORD]             (5)  term id             plain
 *  words[w + 6..7]                          reserved value      plain
 *  bytes [o + 32, o + frameLength)          payload
 * ```
 *
 * Acquire loads are `Atomics.load` on the same words; release stores go through `putInt32Release`
 * (`src/transport/memory-ordering.ts`: a plain store on x86-64, `Atomics.store` elsewhere). The plain fields are
 * published by the release store of the frame length (written last) and read after its acquire load, as
 * in Aeron. Words are native order, which is little-endian on every platform Aeron supports (the
 * transport checks it at load).
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { copyByWords, readInt32LE, SMALL_COPY_LENGTH, WordViews } from '../transport/byte-copy.ts';
import { putInt32Release } from '../transport/memory-ordering.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from './data-header-flyweight.ts';
import { int32ViewOf, type LogBufferMemory } from './log-buffer-memory.ts';

// The word of each header field (its byte offset / 4) and the padding type, as module constants that are not
// exported: V8 folds a module's own non-exported constants into the functions below when it inlines them into a
// hot loop, but loads an exported or imported constant from its module cell on every use (measurably slower per
// polled fragment). Hence the word-indexed accesses, `HeaderWriter` included, live here next to the constants.
const FRAME_LENGTH_WORD = FRAME_LENGTH_FIELD_OFFSET >> 2;
const VERSION_FLAGS_TYPE_WORD = VERSION_FIELD_OFFSET >> 2;
const TERM_OFFSET_WORD = TERM_OFFSET_FIELD_OFFSET >> 2;
const SESSION_ID_WORD = SESSION_ID_FIELD_OFFSET >> 2;
const STREAM_ID_WORD = STREAM_ID_FIELD_OFFSET >> 2;
const TERM_ID_WORD = TERM_ID_FIELD_OFFSET >> 2;
const PADDING_TYPE = HDR_TYPE_PAD;

/**
 * Acquire load of the length of the frame at `frameOffset` (≤ 0: nothing there yet) in a term's words. Java:
 * `FrameDescriptor.frameLengthVolatile`.
 */
export function frameLengthVolatile(termWords: Int32Array, frameOffset: number): number {
  return Atomics.load(termWords, (frameOffset >> 2) + FRAME_LENGTH_WORD);
}

/**
 * Release store of the length of the frame at `frameOffset` in a term's words: publishes everything written to the
 * frame before it. Java: `FrameDescriptor.frameLengthOrdered`.
 */
export function frameLengthOrdered(termWords: Int32Array, frameOffset: number, frameLength: number): void {
  putInt32Release(termWords, (frameOffset >> 2) + FRAME_LENGTH_WORD, frameLength);
}

/**
 * Whether the frame at `frameOffset` of a term's words is padding (its length acquire-loaded first): the type is the
 * high half of the version/flags/type word. Java: `FrameDescriptor.isPaddingFrame`, as `frame-descriptor.ts`'s
 * `isPaddingFrame` on a buffer.
 */
export function isPaddingFrameInWords(termWords: Int32Array, frameOffset: number): boolean {
  return termWords[(frameOffset >> 2) + VERSION_FLAGS_TYPE_WORD]! >>> 16 === PADDING_TYPE;
}

/**
 * Writes the header of each new frame of a publication, from the 32-byte default header captured once. Java:
 * `HeaderWriter` (its little-endian variant).
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` from the constructor when `defaultHeader` is shorter than 32 bytes.
 */
export class HeaderWriter {
  /** Bytes 4..7 of the default header (version, flags, type) as one little-endian int32. */
  readonly versionFlagsType: number;
  /** Session id written in every frame (from the default header). */
  readonly sessionId: number;
  /** Stream id written in every frame (from the default header). */
  readonly streamId: number;

  /** @param defaultHeader the 32-byte default header (from the log metadata or `createDefaultHeader`). */
  constructor(defaultHeader: Uint8Array) {
    if (defaultHeader.length < HEADER_LENGTH) {
      throw new InvalidArgumentError(`default header must be ${HEADER_LENGTH} bytes: length=${defaultHeader.length}`);
    }
    this.versionFlagsType = readInt32LE(defaultHeader, VERSION_FIELD_OFFSET);
    this.sessionId = readInt32LE(defaultHeader, SESSION_ID_FIELD_OFFSET);
    this.streamId = readInt32LE(defaultHeader, STREAM_ID_FIELD_OFFSET);
  }

  /**
   * Writes the header of a frame of `length` bytes (header included) at `offset` (frame aligned) of a term's words in
   * term `termId`, the frame length stored as −length (release) so readers see it as being written. Java:
   * `HeaderWriter.write`.
   */
  write(termWords: Int32Array, offset: number, length: number, termId: number): void {
    // #writeHeader written out (the offer path's bytecode, which V8's inlining budget counts, not a second call).
    const w = offset >> 2;
    termWords[w + VERSION_FLAGS_TYPE_WORD] = this.versionFlagsType;
    putInt32Release(termWords, w + FRAME_LENGTH_WORD, -length | 0);
    termWords[w + TERM_OFFSET_WORD] = offset;
    termWords[w + SESSION_ID_WORD] = this.sessionId;
    termWords[w + STREAM_ID_WORD] = this.streamId;
    termWords[w + TERM_ID_WORD] = termId;
  }

  /**
   * Writes and publishes a padding frame of `length` bytes at `offset`: `write` with the type `PADDING_FRAME_TYPE`,
   * then the release store of the length. Java: `headerWriter.write`, `frameType(…, PADDING_FRAME_TYPE)` and
   * `frameLengthOrdered`, as the publications pad a term (the type here goes in with the header's first store).
   */
  writePaddingFrame(termWords: Int32Array, offset: number, length: number, termId: number): void {
    this.#writeHeader(termWords, offset, length, termId, (this.versionFlagsType & 0xffff) | (PADDING_TYPE << 16));
    frameLengthOrdered(termWords, offset, length);
  }

  /**
   * The header stores in Java's `HeaderWriter.write` order: the version/flags/type word, a release store of −length
   * (the frame is being written), then term offset, session id, stream id and term id (plain).
   */
  #writeHeader(termWords: Int32Array, offset: number, length: number, termId: number, versionFlagsType: number): void {
    const w = offset >> 2;
    termWords[w + VERSION_FLAGS_TYPE_WORD] = versionFlagsType;
    putInt32Release(termWords, w + FRAME_LENGTH_WORD, -length | 0);
    termWords[w + TERM_OFFSET_WORD] = offset;
    termWords[w + SESSION_ID_WORD] = this.sessionId;
    termWords[w + STREAM_ID_WORD] = this.streamId;
    termWords[w + TERM_ID_WORD] = termId;
  }
}

/** The views of a log the appenders index directly (see the module comment); made once per log. */
export interface LogViews {
  /** Int32 words of each term, by partition index. */
  readonly termWords: readonly Int32Array[];
  /** Bytes of each term (the same memory as `termWords`), by partition index. */
  readonly termBytes: readonly Uint8Array[];
  /** Int32 words of the log metadata block. */
  readonly metaWords: Int32Array;
}

/**
 * The word and byte views of a log.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` when a buffer has no `int32View` covering it.
 */
export function logViews(termBuffers: readonly LogBufferMemory[], metadata: LogBufferMemory): LogViews {
  const termWords = termBuffers.map(int32ViewOf);
  const termBytes = termWords.map((words) => new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  return { termWords, termBytes, metaWords: int32ViewOf(metadata) };
}

/** Word views of the last term and the last source array a long part was copied between (one thread). */
const termViews = new WordViews();
const srcViews = new WordViews();
/** Word view of the last whole source array `copyWholeArray` copied (one thread). */
const wholeViews = new WordViews();

/** Longest whole source array `copyWholeArray` copies as int32 words (longer ones: one `set`). */
export const WHOLE_ARRAY_WORD_COPY_LENGTH = 64;

/**
 * Copies the whole of `src` to byte `dstOffset` (4-aligned) of the term: up to `WHOLE_ARRAY_WORD_COPY_LENGTH` bytes,
 * a multiple of 4, through an int32 view of `src` made on its second use in a row (a publisher offering one reused
 * array: one view, then plain word loads and stores); otherwise, and the first time an array is seen, one `set`. The
 * caller has checked the range.
 */
export function copyWholeArray(words: Int32Array, bytes: Uint8Array, dstOffset: number, src: Uint8Array): void {
  if (!copyWholeArrayAsWords(words, dstOffset, src)) bytes.set(src, dstOffset);
}

/**
 * The word copy of {@link copyWholeArray}: copies the whole of `src` to byte `dstOffset` (4-aligned) of `words` when it
 * is at most `WHOLE_ARRAY_WORD_COPY_LENGTH` bytes, a multiple of 4, and the array of the previous call (its int32
 * view is made then, once); returns false, copying nothing, otherwise. The caller has checked the range.
 */
export function copyWholeArrayAsWords(words: Int32Array, dstOffset: number, src: Uint8Array): boolean {
  const length = src.length;
  if (length > WHOLE_ARRAY_WORD_COPY_LENGTH || (length & 3) !== 0) return false;
  const srcWords = wholeViews.of(src).i32;
  if (srcWords === null) return false;
  const w = dstOffset >> 2;
  for (let i = 0, n = length >> 2; i < n; i++) words[w + i] = srcWords[i]!;
  return true;
}

/**
 * Copies `src[srcOffset, srcOffset + length)` to byte `dstOffset` (4-aligned) of the term. A whole array
 * goes through one `set` (faster than any loop, even at 32 bytes); a part of an array through a word loop up to
 * `SMALL_COPY_LENGTH` bytes (a `subarray` view would allocate), a longer part through word views of both arrays
 * when `srcOffset` is 4-aligned (`copyByWords`: views cached, so the fragments of a message copy without
 * allocating), else one `subarray` + `set`. The caller has checked both ranges. (Short copies never touch
 * `src.buffer`: that materialises an ArrayBuffer for small on-heap arrays, i.e. allocates; a long part does, once
 * per source array.)
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
  if (length > SMALL_COPY_LENGTH) {
    if (!copyByWords(bytes, termViews.of(bytes), dstOffset, src, srcViews.of(src), srcOffset, length)) {
      bytes.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    }
    return;
  }
  const fullWords = length >> 2;
  const w = dstOffset >> 2;
  for (let i = 0; i < fullWords; i++) words[w + i] = readInt32LE(src, srcOffset + (i << 2));
  for (let i = fullWords << 2; i < length; i++) bytes[dstOffset + i] = src[srcOffset + i]!;
}
