/**
 * A plain, growable, process-local byte buffer implementing `ReadableBuffer` (plus the few writes the
 * fragment assembler needs). Not shared memory and not atomic: used for reassembled messages and
 * captured headers. Little-endian.
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import {
  copyByWords,
  copySmallFromView,
  SMALL_COPY_LENGTH,
  type WordViewSet,
  WordViews,
  wordViewsOf,
} from '../transport/byte-copy.ts';
import { int64 } from '../transport/int64-words.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

const asciiDecoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8');

/** A growable process-local byte buffer: the buffer of a `BufferBuilder` (reassembled messages). */
export class HeapBuffer implements ReadableBuffer {
  #bytes: Uint8Array;
  #view: DataView;
  #words: WordViewSet;
  readonly #peerViews = new WordViews();

  constructor(capacity: number) {
    this.#bytes = new Uint8Array(capacity);
    this.#view = new DataView(this.#bytes.buffer);
    this.#words = wordViewsOf(this.#bytes);
  }

  /** Length in bytes. */
  get capacity(): number {
    return this.#bytes.length;
  }

  /** The backing bytes (valid until the next `resize`). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Grows or shrinks to `newCapacity`, keeping the first `keep` bytes. */
  resize(newCapacity: number, keep: number): void {
    const next = new Uint8Array(newCapacity);
    next.set(this.#bytes.subarray(0, Math.min(keep, newCapacity)));
    this.#bytes = next;
    this.#view = new DataView(next.buffer);
    this.#words = wordViewsOf(next);
  }

  /** The signed byte at `index`. */
  getInt8(index: number): number {
    return this.#view.getInt8(index);
  }
  /** The little-endian int16 at `index`. */
  getInt16(index: number): number {
    return this.#view.getInt16(index, true);
  }
  /** The little-endian int32 at `index`. */
  getInt32(index: number): number {
    return this.#view.getInt32(index, true);
  }
  /** The little-endian int64 at `index` as a `number` (exact while |value| ≤ 2^53). */
  getInt64(index: number): number {
    return int64(this.#view.getInt32(index + 4, true), this.#view.getInt32(index, true));
  }
  /** The little-endian int64 at `index` as a `bigint` (allocates). */
  getInt64BigInt(index: number): bigint {
    return this.#view.getBigInt64(index, true);
  }
  /**
   * Copies bytes out; up to `SMALL_COPY_LENGTH` bytes with a word loop, longer ones through word views when
   * both offsets are 4-aligned (the views of `dst` are cached: a reused destination allocates nothing), else
   * (and for bad ranges, which `set` rejects) one `subarray` view and `set`.
   */
  getBytes(index: number, dst: Uint8Array, dstOffset: number, length: number): void {
    const bytes = this.#bytes;
    const inRange =
      index >= 0 && length >= 0 && index + length <= bytes.length && dstOffset >= 0 && dstOffset + length <= dst.length;
    if (length > SMALL_COPY_LENGTH || !inRange || dst.buffer === bytes.buffer) {
      if (
        !inRange ||
        dst.buffer === bytes.buffer ||
        !copyByWords(dst, this.#peerViews.of(dst), dstOffset, bytes, this.#words, index, length)
      ) {
        dst.set(bytes.subarray(index, index + length), dstOffset);
      }
      return;
    }
    copySmallFromView(this.#view, index, dst, dstOffset, length);
  }
  /** `length` bytes at `index` as ASCII (a byte above 127 reads as U+FFFD, as Java's US-ASCII decoding). */
  getStringWithoutLengthAscii(index: number, length: number): string {
    const bytes = this.#range(index, length);
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! > 127) return asciiDecoder.decode(bytes).replace(/[\u0080-\u00ff]/g, '\ufffd');
    }
    return asciiDecoder.decode(bytes);
  }
  /** `length` bytes at `index` as UTF-8. */
  getStringWithoutLengthUtf8(index: number, length: number): string {
    return utf8Decoder.decode(this.#range(index, length));
  }
  /** A view of `[index, index + length)`; throws `InvalidArgumentError` outside the buffer. */
  #range(index: number, length: number): Uint8Array {
    if (
      !Number.isInteger(index) ||
      !Number.isInteger(length) ||
      index < 0 ||
      length < 0 ||
      index + length > this.#bytes.length
    ) {
      throw new InvalidArgumentError(
        `index=${index} length=${length} outside buffer of capacity=${this.#bytes.length}`,
      );
    }
    return this.#bytes.subarray(index, index + length);
  }
  /** Writes the signed byte `value` at `index`. */
  putInt8(index: number, value: number): void {
    this.#view.setInt8(index, value);
  }
  /** Writes the little-endian int32 `value` at `index`. */
  putInt32(index: number, value: number): void {
    this.#view.setInt32(index, value, true);
  }
  /**
   * Copies `length` bytes from a readable buffer into this one at `index` (through the source's `getBytes`:
   * an `AtomicBuffer` source keeps this buffer's word views, so aligned fragments copy without allocating).
   */
  putFrom(index: number, src: ReadableBuffer, srcIndex: number, length: number): void {
    src.getBytes(srcIndex, this.#bytes, index, length);
  }
}
