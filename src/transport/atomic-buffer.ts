/**
 * `AtomicBuffer`: a bounds-checked, little-endian window onto an `ArrayBuffer` (usually mapped memory shared
 * with the media driver), with plain, volatile (acquire), ordered (release) and atomic read-modify-write
 * accessors, in the manner of Agrona's `AtomicBuffer`.
 *
 * ```
 *  arrayBuffer: |.........[byteOffset ............................ byteOffset+capacity)........|
 *  index 0 ------------------^                          index capacity-1 ------------^
 * ```
 *
 * Plain accesses go through one cached `DataView` (little-endian). Volatile (acquire) loads and atomic
 * read-modify-writes are explicit `Atomics` calls: on an `Int32Array` for 32-bit words, on a `BigInt64Array` for
 * 64-bit words (`Atomics` is sequentially consistent, at least as strong as Java's acquire/release). Ordered
 * (release) stores go through `memory-ordering.ts`, the one module that decides how a publishing write is
 * emitted: a plain store on x86-64, `Atomics.store` elsewhere or when forced.
 *
 * ## 64-bit values as JS numbers
 *
 * The 64-bit accessors take and return `number` so that nothing allocates on the hot path; BigInt variants
 * exist for exactness on the control path.
 *
 * - Values in [-2^53, 2^53] round-trip exactly. Larger magnitudes round to the nearest double:
 *   Java's `Long.MAX_VALUE` reads as `2 ** 63` (=== `LONG_MAX_VALUE` below) and `Long.MIN_VALUE` reads as
 *   `-(2 ** 63)` exactly. Every 64-bit writer saturates numbers >= 2^63 to `Long.MAX_VALUE` (so
 *   `LONG_MAX_VALUE` round-trips); other numbers beyond 2^53 are written as the exact integer value of the
 *   double. A non-integer number makes the atomic writers throw `InvalidArgumentError`.
 * - `getInt64Volatile` does **not** use BigInt: it reads high, low, high with `Atomics.load` on the two
 *   32-bit halves and retries until both high reads agree. This returns a value the word really held, provided
 *   (1) the writer stores the 64-bit word atomically (Aeron's drivers and clients always do: positions,
 *   counters, heartbeats, ring-buffer tails) and (2) the high half does not go A -> B -> A between the two
 *   high reads (an ABA over 2^32 steps). Monotonic values (positions, counters, correlation ids, timestamps)
 *   satisfy (2) always; a value that jumps to -1 (the driver heartbeat on shutdown) is also safe because the
 *   high half changes and the read retries. For arbitrary values use `getInt64VolatileBigInt`.
 * - `putInt64Ordered`/`putInt64Release` write the 64-bit word with one 8-byte store, never torn for a reader in
 *   another process, without allocating for 0 ≤ value < 2^53 and −1 on x86-64 (`memory-ordering.ts` states the
 *   argument); other values take a BigInt. `compareAndSetInt64` and `getAndAddInt64` use `Atomics` on a
 *   `BigInt64Array` and allocate a small BigInt per call: control path only.
 */

import { IllegalStateError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import {
  copyByWords,
  copySmallFromView,
  copySmallToView,
  SMALL_COPY_LENGTH,
  type WordViewSet,
  WordViews,
  wordViewsOf,
} from './byte-copy.ts';
import { getInt64Volatile, highWord, int64, lowWord } from './int64-words.ts';
import { putInt32Release, putInt64Release } from './memory-ordering.ts';
import { AtomicBufferError } from './transport-error.ts';

/** Java's `Long.MAX_VALUE` as read into a JS number (rounded to 2^63). */
export const LONG_MAX_VALUE: number = 2 ** 63;
/** Java's `Long.MIN_VALUE` as a JS number (exact). */
export const LONG_MIN_VALUE: number = -(2 ** 63);

const INT64_MAX_BIGINT = 0x7fff_ffff_ffff_ffffn;

/** Number -> int64 BigInt, saturating at `Long.MAX_VALUE` (2^63 itself is not representable). */
function toInt64(value: number): bigint {
  return value >= LONG_MAX_VALUE ? INT64_MAX_BIGINT : BigInt(value);
}

if (new Uint8Array(new Int32Array([1]).buffer)[0] !== 1) {
  throw new IllegalStateError('aeron-ts needs a little-endian platform (Aeron shared memory is little-endian)');
}

const asciiDecoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** A bounds-checked view onto `[byteOffset, byteOffset + capacity)` of an ArrayBuffer. */
export class AtomicBuffer {
  /** The underlying memory. */
  readonly arrayBuffer: ArrayBuffer;
  /** Where index 0 of this buffer sits in `arrayBuffer`. */
  readonly byteOffset: number;
  /** Length in bytes. */
  readonly capacity: number;
  /** Byte view of exactly this window (index 0 = `byteOffset`). Use it for bulk copies. */
  readonly bytes: Uint8Array;
  /**
   * Int32 view of this window (word `i` = bytes `[4i, 4i + 4)`), or `null` when `byteOffset` is not 4-aligned.
   * For hot paths that index words directly: plain reads/writes there are plain accesses, and every
   * volatile/ordered access must still go through `Atomics` on this view (as the accessors below do).
   * Native byte order: little-endian on every platform Aeron supports (checked at module load).
   */
  readonly int32View: Int32Array | null;

  readonly #view: DataView;
  readonly #i32: Int32Array | null;
  readonly #i64: BigInt64Array | null;
  readonly #f64: Float64Array | null;
  #ownWordViews: WordViewSet | null = null;
  #peerWordViews: WordViews | null = null;

  /**
   * @param arrayBuffer the memory (a mapped file's, or a heap `ArrayBuffer`).
   * @param byteOffset where index 0 sits in `arrayBuffer`; default 0.
   * @param capacity length in bytes; default the rest of `arrayBuffer`.
   * @throws AtomicBufferError `OUT_OF_BOUNDS` when the window is not inside `arrayBuffer` (or not integral).
   */
  constructor(arrayBuffer: ArrayBuffer, byteOffset = 0, capacity: number = arrayBuffer.byteLength - byteOffset) {
    if (
      !Number.isInteger(byteOffset) ||
      !Number.isInteger(capacity) ||
      byteOffset < 0 ||
      capacity < 0 ||
      byteOffset + capacity > arrayBuffer.byteLength
    ) {
      throw new AtomicBufferError(
        'OUT_OF_BOUNDS',
        `window [${byteOffset}, ${byteOffset + capacity}) outside ArrayBuffer of ${arrayBuffer.byteLength} bytes`,
      );
    }
    this.arrayBuffer = arrayBuffer;
    this.byteOffset = byteOffset;
    this.capacity = capacity;
    this.bytes = new Uint8Array(arrayBuffer, byteOffset, capacity);
    this.#view = new DataView(arrayBuffer, byteOffset, capacity);
    this.#i32 = byteOffset % 4 === 0 ? new Int32Array(arrayBuffer, byteOffset, capacity >>> 2) : null;
    this.int32View = this.#i32;
    this.#i64 = byteOffset % 8 === 0 ? new BigInt64Array(arrayBuffer, byteOffset, Math.floor(capacity / 8)) : null;
    this.#f64 = byteOffset % 8 === 0 ? new Float64Array(arrayBuffer, byteOffset, Math.floor(capacity / 8)) : null;
  }

  /** A window onto `[index, index + length)` of this buffer. */
  slice(index: number, length: number): AtomicBuffer {
    this.boundsCheck(index, length);
    return new AtomicBuffer(this.arrayBuffer, this.byteOffset + index, length);
  }

  /** Throws `OUT_OF_BOUNDS` unless `[index, index + length)` lies inside the buffer. */
  boundsCheck(index: number, length: number): void {
    if (index < 0 || length < 0 || index + length > this.capacity) {
      throw new AtomicBufferError(
        'OUT_OF_BOUNDS',
        `index=${index} length=${length} outside buffer of capacity=${this.capacity}`,
      );
    }
  }

  /** Throws `MISALIGNED` unless the buffer starts on an 8-byte boundary (needed by ring/broadcast/error log). */
  verifyAlignment(): void {
    if (this.byteOffset % 8 !== 0) {
      throw new AtomicBufferError('MISALIGNED', `buffer byteOffset=${this.byteOffset} is not 8-byte aligned`);
    }
  }

  // ---- plain accessors -------------------------------------------------------------------------------------

  /** Plain read of the int8 at `index`; throws AtomicBufferError `OUT_OF_BOUNDS` past the end. Java: `getByte`. */
  getInt8(index: number): number {
    this.boundsCheck(index, 1);
    return this.#view.getInt8(index);
  }

  /** Plain write of `value` as an int8 at `index` (low 8 bits); throws `OUT_OF_BOUNDS`. Java: `putByte`. */
  putInt8(index: number, value: number): void {
    this.boundsCheck(index, 1);
    this.#view.setInt8(index, value);
  }

  /** Plain read of the uint8 (0..255) at `index`; throws AtomicBufferError `OUT_OF_BOUNDS` past the end. */
  getUint8(index: number): number {
    this.boundsCheck(index, 1);
    return this.#view.getUint8(index);
  }

  /** Plain little-endian read of the int16 at `index`; throws `OUT_OF_BOUNDS`. Java: `getShort`. */
  getInt16(index: number): number {
    this.boundsCheck(index, 2);
    return this.#view.getInt16(index, true);
  }

  /**
   * Plain little-endian write of `value` as an int16 at `index` (low 16 bits); throws `OUT_OF_BOUNDS`. Java:
   * `putShort`.
   */
  putInt16(index: number, value: number): void {
    this.boundsCheck(index, 2);
    this.#view.setInt16(index, value, true);
  }

  /** Plain little-endian read of the uint16 (0..65535) at `index`; throws `OUT_OF_BOUNDS`. Java: `getChar`. */
  getUint16(index: number): number {
    this.boundsCheck(index, 2);
    return this.#view.getUint16(index, true);
  }

  /** Plain little-endian read of the int32 at `index` (any alignment); throws `OUT_OF_BOUNDS`. Java: `getInt`. */
  getInt32(index: number): number {
    this.boundsCheck(index, 4);
    return this.#view.getInt32(index, true);
  }

  /**
   * Plain little-endian write of `value` as an int32 at `index` (low 32 bits); throws `OUT_OF_BOUNDS`. Java: `putInt`.
   */
  putInt32(index: number, value: number): void {
    this.boundsCheck(index, 4);
    this.#view.setInt32(index, value, true);
  }

  /** Plain 64-bit read as a number (two 32-bit loads: may tear against a concurrent writer). */
  getInt64(index: number): number {
    this.boundsCheck(index, 8);
    const view = this.#view;
    return int64(view.getInt32(index + 4, true), view.getInt32(index, true));
  }

  /** Plain 64-bit write of a number (two 32-bit stores: a concurrent reader may see it torn). */
  putInt64(index: number, value: number): void {
    this.boundsCheck(index, 8);
    const view = this.#view;
    if (value >= LONG_MAX_VALUE) {
      view.setUint32(index, 0xffffffff, true);
      view.setInt32(index + 4, 0x7fffffff, true);
      return;
    }
    view.setInt32(index, lowWord(value), true);
    view.setInt32(index + 4, highWord(value), true);
  }

  /** Plain little-endian read of the int64 at `index`, exact, as a bigint; throws `OUT_OF_BOUNDS`. Java: `getLong`. */
  getInt64BigInt(index: number): bigint {
    this.boundsCheck(index, 8);
    return this.#view.getBigInt64(index, true);
  }

  /**
   * Plain little-endian write of `value` as an int64 at `index` (modulo 2^64); throws `OUT_OF_BOUNDS`. Java: `putLong`.
   */
  putInt64BigInt(index: number, value: bigint): void {
    this.boundsCheck(index, 8);
    this.#view.setBigInt64(index, value, true);
  }

  /** Plain little-endian read of the float32 at `index`; throws `OUT_OF_BOUNDS`. Java: `getFloat`. */
  getFloat32(index: number): number {
    this.boundsCheck(index, 4);
    return this.#view.getFloat32(index, true);
  }

  /**
   * Plain little-endian write of `value` as a float32 at `index` (rounded); throws `OUT_OF_BOUNDS`. Java: `putFloat`.
   */
  putFloat32(index: number, value: number): void {
    this.boundsCheck(index, 4);
    this.#view.setFloat32(index, value, true);
  }

  /** Plain little-endian read of the float64 at `index`; throws `OUT_OF_BOUNDS`. Java: `getDouble`. */
  getFloat64(index: number): number {
    this.boundsCheck(index, 8);
    return this.#view.getFloat64(index, true);
  }

  /** Plain little-endian write of `value` as a float64 at `index`; throws `OUT_OF_BOUNDS`. Java: `putDouble`. */
  putFloat64(index: number, value: number): void {
    this.boundsCheck(index, 8);
    this.#view.setFloat64(index, value, true);
  }

  // ---- 32-bit volatile / ordered / atomic -------------------------------------------------------------------

  /**
   * Word index of an aligned int32 at `index`; throws `OUT_OF_BOUNDS`/`MISALIGNED`. The checks are written
   * out in each hot accessor rather than called through this private method: on Node 20 a call through
   * the private method allocated on every access (seen with the data-path allocation benchmark).
   */
  #int32Index(index: number): number {
    this.boundsCheck(index, 4);
    if (this.#i32 === null || (index & 3) !== 0) {
      throw new AtomicBufferError('MISALIGNED', `32-bit atomic access at unaligned index=${index}`);
    }
    return index >>> 2;
  }

  /** Volatile (acquire) 32-bit read. */
  getInt32Volatile(index: number): number {
    const words = this.#i32;
    if (words === null || (index & 3) !== 0 || index < 0 || index + 4 > this.capacity) {
      return Atomics.load(this.#i32!, this.#int32Index(index));
    }
    return Atomics.load(words, index >>> 2);
  }

  /** Ordered (release) 32-bit write (`memory-ordering.ts`). Java: `putIntOrdered` / `putIntRelease`. */
  putInt32Ordered(index: number, value: number): void {
    const words = this.#i32;
    if (words === null || (index & 3) !== 0 || index < 0 || index + 4 > this.capacity) {
      putInt32Release(this.#i32!, this.#int32Index(index), value);
      return;
    }
    putInt32Release(words, index >>> 2, value);
  }

  /** Atomic compare-and-set; true when the word held `expected` and now holds `update`. */
  compareAndSetInt32(index: number, expected: number, update: number): boolean {
    const i = this.#int32Index(index);
    return Atomics.compareExchange(this.#i32!, i, expected, update) === (expected | 0);
  }

  /** Atomic add; returns the previous value. */
  getAndAddInt32(index: number, delta: number): number {
    const words = this.#i32;
    if (words === null || (index & 3) !== 0 || index < 0 || index + 4 > this.capacity) {
      return Atomics.add(this.#i32!, this.#int32Index(index), delta);
    }
    return Atomics.add(words, index >>> 2, delta);
  }

  // ---- 64-bit volatile / ordered / atomic -------------------------------------------------------------------

  #int64Index(index: number): number {
    this.boundsCheck(index, 8);
    if (this.#i64 === null || (index & 7) !== 0) {
      throw new AtomicBufferError('MISALIGNED', `64-bit atomic access at unaligned index=${index}`);
    }
    return index >>> 3;
  }

  /**
   * Volatile 64-bit read without BigInt (high-low-high re-read; see the module comment for when it is exact).
   * Hot-path safe: allocates nothing.
   */
  getInt64Volatile(index: number): number {
    const i =
      (this.#i64 === null || (index & 7) !== 0 || index < 0 || index + 8 > this.capacity
        ? this.#int64Index(index)
        : index >>> 3) << 1;
    return getInt64Volatile(this.#i32!, i);
  }

  /** Volatile 64-bit read, exact for every value (one atomic 64-bit load; allocates a BigInt). Control path. */
  getInt64VolatileBigInt(index: number): bigint {
    const i = this.#int64Index(index);
    return Atomics.load(this.#i64!, i);
  }

  /**
   * Ordered (release) 64-bit write, never torn; `value` must be an integer. The same store as
   * {@link putInt64Release} (allocation free for 0 ≤ value < 2^53 and −1 on x86-64). Java: `putLongOrdered`.
   */
  putInt64Ordered(index: number, value: number): void {
    this.putInt64Release(index, value);
  }

  /**
   * Release 64-bit write of an integer without BigInt, never torn for a reader doing one 64-bit load (Java's
   * `getLongVolatile`, or {@link getInt64Volatile} here): allocation free for 0 ≤ `value` < 2^53 and for −1 on
   * x86-64, exact for every integer up to 2^53 in magnitude. `memory-ordering.ts` states the single-copy atomicity
   * argument (one aligned 8-byte store of the value's bit pattern). For the values a driver publishes per duty
   * cycle (publisher limits, positions). Java: `putLongRelease`.
   */
  putInt64Release(index: number, value: number): void {
    const float64Words = this.#f64;
    if (float64Words === null || (index & 7) !== 0 || index < 0 || index + 8 > this.capacity) {
      putInt64Release(this.#f64!, this.#i64!, this.#int64Index(index), value);
      return;
    }
    putInt64Release(float64Words, this.#i64!, index >>> 3, value);
  }

  /** Ordered (release) 64-bit write of an exact BigInt. Control path. */
  putInt64OrderedBigInt(index: number, value: bigint): void {
    const i = this.#int64Index(index);
    Atomics.store(this.#i64!, i, value);
  }

  /** Atomic 64-bit compare-and-set of safe integers. Control path (allocates BigInts). */
  compareAndSetInt64(index: number, expected: number, update: number): boolean {
    const i = this.#int64Index(index);
    const exp = toInt64(expected);
    return Atomics.compareExchange(this.#i64!, i, exp, toInt64(update)) === exp;
  }

  /**
   * Atomic 64-bit compare-and-set of exact BigInt values (one `Atomics.compareExchange` on the 64-bit word).
   * Control path: the log buffer layer uses it once per term rotation (`LogBufferMemory`).
   */
  compareAndSetInt64BigInt(index: number, expected: bigint, update: bigint): boolean {
    const i = this.#int64Index(index);
    const exp = BigInt.asIntN(64, expected);
    return Atomics.compareExchange(this.#i64!, i, exp, BigInt.asIntN(64, update)) === exp;
  }

  /** Atomic 64-bit add; returns the previous value (rounded if beyond 2^53). Control path (allocates). */
  getAndAddInt64(index: number, delta: number): number {
    const i = this.#int64Index(index);
    return Number(Atomics.add(this.#i64!, i, BigInt(delta)));
  }

  // ---- bytes and strings ------------------------------------------------------------------------------------

  /**
   * Copies `length` bytes from this buffer at `index` into `dst` at `dstOffset`. Allocates nothing up to
   * `SMALL_COPY_LENGTH` bytes (a word loop); longer ones through word views when both offsets are 4-aligned
   * (views of `dst` cached: a reused destination costs nothing), else one `subarray` view and `set`.
   */
  getBytes(index: number, dst: Uint8Array, dstOffset: number, length: number): void {
    this.boundsCheck(index, length);
    if (dstOffset < 0 || dstOffset + length > dst.length) {
      throw new InvalidArgumentError(`destination offset=${dstOffset} length=${length} outside ${dst.length} bytes`);
    }
    if (length > SMALL_COPY_LENGTH || dst.buffer === this.arrayBuffer) {
      if (
        dst.buffer === this.arrayBuffer ||
        !copyByWords(dst, this.#peerViews(dst), dstOffset, this.bytes, this.#wordViews(), index, length)
      ) {
        dst.set(this.bytes.subarray(index, index + length), dstOffset);
      }
      return;
    }
    copySmallFromView(this.#view, index, dst, dstOffset, length);
  }

  /**
   * Copies `length` bytes of `src` (a byte array or another buffer) from `srcIndex` into this buffer at
   * `index`. Allocates nothing when the copy is the whole of a byte array, at most `SMALL_COPY_LENGTH` bytes,
   * or 4-aligned on both sides (word views, cached); otherwise one `subarray` view. Overlapping copies within
   * the same memory behave as `memmove`.
   */
  putBytes(index: number, src: Uint8Array | AtomicBuffer, srcIndex: number, length: number): void {
    this.boundsCheck(index, length);
    const bytes = src instanceof AtomicBuffer ? src.bytes : src;
    if (srcIndex < 0 || length < 0 || srcIndex + length > bytes.length) {
      throw new AtomicBufferError(
        'OUT_OF_BOUNDS',
        `source index=${srcIndex} length=${length} outside source of ${bytes.length} bytes`,
      );
    }
    if (srcIndex === 0 && length === bytes.length) {
      this.bytes.set(bytes, index);
      return;
    }
    if (length > SMALL_COPY_LENGTH || bytes.buffer === this.arrayBuffer) {
      if (bytes.buffer === this.arrayBuffer || !this.#copyInByWords(index, src, bytes, srcIndex, length)) {
        this.bytes.set(bytes.subarray(srcIndex, srcIndex + length), index);
      }
      return;
    }
    copySmallToView(this.#view, index, bytes, srcIndex, length);
  }

  /** Word views of this buffer's bytes, made on the first long copy. */
  #wordViews(): WordViewSet {
    this.#ownWordViews ??= wordViewsOf(this.bytes);
    return this.#ownWordViews;
  }

  /** Word views of a byte array copied to or from (the last one is kept: a reused array costs nothing). */
  #peerViews(bytes: Uint8Array): WordViewSet {
    this.#peerWordViews ??= new WordViews();
    return this.#peerWordViews.of(bytes);
  }

  #copyInByWords(
    index: number,
    src: Uint8Array | AtomicBuffer,
    bytes: Uint8Array,
    srcIndex: number,
    length: number,
  ): boolean {
    const srcViews = src instanceof AtomicBuffer ? src.#wordViews() : this.#peerViews(bytes);
    return copyByWords(this.bytes, this.#wordViews(), index, bytes, srcViews, srcIndex, length);
  }

  /** Fills `[index, index + length)` with `value`. */
  setMemory(index: number, length: number, value: number): void {
    this.boundsCheck(index, length);
    this.bytes.fill(value, index, index + length);
  }

  /** Reads an int32-length-prefixed ASCII string (bytes > 127 decode to U+FFFD, as Java's US-ASCII does). */
  getStringAscii(index: number): string {
    const length = this.getInt32(index);
    return this.getStringWithoutLengthAscii(index + 4, length);
  }

  /** Reads `length` ASCII bytes with no length prefix. */
  getStringWithoutLengthAscii(index: number, length: number): string {
    this.boundsCheck(index, length);
    const bytes = this.bytes.subarray(index, index + length);
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! > 127) return asciiDecoder.decode(bytes).replace(/[\u0080-\u00ff]/g, '\ufffd');
    }
    return asciiDecoder.decode(bytes);
  }

  /** Writes int32 length + ASCII bytes (chars > 127 become `?`, as Agrona); returns bytes written (4 + length). */
  putStringAscii(index: number, value: string): number {
    const length = value.length;
    this.boundsCheck(index, 4 + length);
    this.#view.setInt32(index, length, true);
    this.#putAscii(index + 4, value);
    return 4 + length;
  }

  /** Writes ASCII bytes with no length prefix; returns the number of bytes written. */
  putStringWithoutLengthAscii(index: number, value: string): number {
    this.boundsCheck(index, value.length);
    this.#putAscii(index, value);
    return value.length;
  }

  #putAscii(index: number, value: string): void {
    const bytes = this.bytes;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      bytes[index + i] = c > 127 ? 0x3f : c;
    }
  }

  /** Reads `length` bytes as UTF-8 with no length prefix. */
  getStringWithoutLengthUtf8(index: number, length: number): string {
    this.boundsCheck(index, length);
    return utf8Decoder.decode(this.bytes.subarray(index, index + length));
  }

  /** Writes int32 length + UTF-8 bytes; returns bytes written. */
  putStringUtf8(index: number, value: string): number {
    const encoded = utf8Encoder.encode(value);
    this.boundsCheck(index, 4 + encoded.length);
    this.#view.setInt32(index, encoded.length, true);
    this.bytes.set(encoded, index + 4);
    return 4 + encoded.length;
  }
}
