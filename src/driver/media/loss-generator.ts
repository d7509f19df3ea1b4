/**
 * Loss injection for tests, in the driver itself (Java: `io.aeron.driver.ext.LossGenerator`,
 * `RandomLossGenerator`, `FixedLossGenerator`, `MultiGapLossGenerator`, used by the debug channel endpoints).
 *
 * The channel endpoints call `shouldDropFrame` once per datagram, before they send it or before they dispatch it,
 * and drop it on `true`. Every generator is deterministic from its arguments (the random one from its seed, with
 * `java.util.Random`'s sequence, so the same seed drops the same frames as Java's) and allocates nothing per call.
 *
 * ```
 *  RandomLossGenerator(rate, seed, frameTypes?)   drops when nextDouble() <= rate (Java's test), counting only
 *                                                 datagrams whose type is in frameTypes (all when null)
 *  FixedLossGenerator(termId, termOffset, length) drops the DATA frames overlapping one range of one term, once
 *                                                 (a retransmission of them passes)
 *  MultiGapLossGenerator(termId, gapRadix, gapLength, totalGaps)
 *                                                 drops gapLength bytes at every gapRadix (a power of two) of one
 *                                                 term, totalGaps times, once each
 * ```
 *
 * The fixed and multi-gap generators read the DATA header of the datagram (stream, session, term id, term offset)
 * as Java's receive endpoint passes them; other frame types are never dropped by them.
 */
import {
  HDR_TYPE_DATA,
  HEADER_LENGTH,
  MIN_HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from '../../logbuffer/data-header-flyweight.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { MediaDriverError } from '../driver-error.ts';
import { JavaRandom } from './debug/java-random.ts';
import type { InetSocketAddress } from './inet-socket-address.ts';
import type { SocketAddress } from './socket-address.ts';

/** The peer of a datagram as the endpoints have it: a native socket address, a parsed one, or null (connected). */
export type FrameAddress = SocketAddress | InetSocketAddress | null;

/** Decides, per datagram, whether to drop it. Java: `LossGenerator`. */
export interface LossGenerator {
  /**
   * True to drop the datagram of `length` bytes at `offset` in `buffer`, going to or coming from `address`.
   * Called once per datagram; allocates nothing.
   */
  shouldDropFrame(address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): boolean;
}

/** A random seed for `seed = -1` (Java's `new Random()`), from the clock (not `Math.random`). */
function unseeded(): bigint {
  return process.hrtime.bigint() ^ BigInt(process.pid);
}

/** The frame type of the datagram, or -1 when it is shorter than a frame header. */
export function frameTypeOf(buffer: AtomicBuffer, offset: number, length: number): number {
  return length >= MIN_HEADER_LENGTH ? buffer.getUint16(offset + TYPE_FIELD_OFFSET) : -1;
}

/**
 * A per-type filter: a 64 Ki-entry table would be wasteful for 12 types; types above 0x0f (EXT) are matched by an
 * explicit flag.
 */
class FrameTypeFilter {
  readonly #accepts: Uint8Array = new Uint8Array(16);
  #acceptsExt = false;
  readonly #all: boolean;

  constructor(frameTypes: readonly number[] | null | undefined) {
    this.#all = frameTypes === null || frameTypes === undefined;
    for (const type of frameTypes ?? []) {
      if (type >= 0 && type < 16) this.#accepts[type] = 1;
      else this.#acceptsExt = true;
    }
  }

  matches(buffer: AtomicBuffer, offset: number, length: number): boolean {
    if (this.#all) return true;
    const type = frameTypeOf(buffer, offset, length);
    if (type < 0) return false;
    return type < 16 ? this.#accepts[type] === 1 : this.#acceptsExt;
  }
}

/**
 * Drops a random fraction of datagrams: `nextDouble() <= lossRate` per datagram of the chosen types, with
 * `java.util.Random(seed)`'s sequence (seed -1: a random seed). Java: `RandomLossGenerator`.
 */
export class RandomLossGenerator implements LossGenerator {
  /** Fraction of datagrams dropped, 0-1. */
  readonly lossRate: number;
  readonly #limits: Float64Array;
  readonly #random: JavaRandom;
  readonly #filter: FrameTypeFilter;

  /**
   * @param lossRate fraction to drop (0: none, 1: all).
   * @param lossSeed Java `long` seed; -1 (default) for a random one.
   * @param frameTypes the `HDR_TYPE_*` values the generator applies to (others pass without a draw); null = all.
   */
  constructor(lossRate: number, lossSeed: number | bigint = -1, frameTypes: readonly number[] | null = null) {
    this.lossRate = lossRate;
    this.#limits = Float64Array.of(lossRate);
    this.#random = new JavaRandom(lossSeed === -1 || lossSeed === -1n ? unseeded() : lossSeed);
    this.#filter = new FrameTypeFilter(frameTypes);
  }

  /** See {@link LossGenerator.shouldDropFrame}. */
  shouldDropFrame(_address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): boolean {
    if (!this.#filter.matches(buffer, offset, length)) return false;
    return this.#random.nextDoubleIndex(this.#limits) === 0;
  }
}

/** The highest offset dropped so far per (stream id, session id): allocates on a new pair only. */
class MaxDroppedOffsets {
  readonly #byStream = new Map<number, Map<number, Int32Array>>();

  /** The cell of (streamId, sessionId), created with `initial` on first use. */
  cell(streamId: number, sessionId: number, initial: number): Int32Array {
    let bySession = this.#byStream.get(streamId);
    if (bySession === undefined) {
      bySession = new Map();
      this.#byStream.set(streamId, bySession);
    }
    let cell = bySession.get(sessionId);
    if (cell === undefined) {
      cell = Int32Array.of(initial);
      bySession.set(sessionId, cell);
    }
    return cell;
  }
}

/** True when the datagram is a DATA frame with a full header. */
function isDataFrame(buffer: AtomicBuffer, offset: number, length: number): boolean {
  return length >= HEADER_LENGTH && frameTypeOf(buffer, offset, length) === HDR_TYPE_DATA;
}

/**
 * Drops, once, the DATA frames of term `termId` that overlap `[termOffset, termOffset + length)`; their
 * retransmissions pass. Java: `FixedLossGenerator`.
 */
export class FixedLossGenerator implements LossGenerator {
  readonly #termId: number;
  readonly #termOffset: number;
  readonly #length: number;
  readonly #maxDropped = new MaxDroppedOffsets();

  /** @param termId term to drop in. @param termOffset start of the range. @param length bytes in the range. */
  constructor(termId: number, termOffset: number, length: number) {
    this.#termId = termId;
    this.#termOffset = termOffset;
    this.#length = length;
  }

  /** See {@link LossGenerator.shouldDropFrame}. */
  shouldDropFrame(_address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): boolean {
    if (!isDataFrame(buffer, offset, length)) return false;
    if (buffer.getInt32(offset + TERM_ID_FIELD_OFFSET) !== this.#termId) return false;
    const termOffset = buffer.getInt32(offset + TERM_OFFSET_FIELD_OFFSET);
    const cell = this.#maxDropped.cell(
      buffer.getInt32(offset + STREAM_ID_FIELD_OFFSET),
      buffer.getInt32(offset + SESSION_ID_FIELD_OFFSET),
      termOffset,
    );
    if (cell[0]! > termOffset) return false;
    const frameLimit = termOffset + length;
    if (frameLimit > this.#termOffset && termOffset < this.#termOffset + this.#length) {
      cell[0] = frameLimit;
      return true;
    }
    return false;
  }
}

/**
 * Drops, once, `gapLength` bytes at every multiple of `gapRadix` (rounded up to a power of two) of term `termId`,
 * `totalGaps` gaps in all; retransmissions pass. Java: `MultiGapLossGenerator`.
 */
export class MultiGapLossGenerator implements LossGenerator {
  readonly #termId: number;
  readonly #gapRadixBits: number;
  readonly #gapRadixMask: number;
  readonly #gapLength: number;
  readonly #lastGapLimit: number;
  readonly #maxDropped = new MaxDroppedOffsets();

  /**
   * @param termId term to drop in.
   * @param gapRadix distance between gaps (rounded up to a power of two).
   * @param gapLength bytes dropped per gap; must be below the radix.
   * @param totalGaps gaps in all.
   * @throws MediaDriverError INVALID_CONFIGURATION when `gapLength` is not below the radix (Java's message).
   */
  constructor(termId: number, gapRadix: number, gapLength: number, totalGaps: number) {
    const actualGapRadix = gapRadix <= 1 ? 1 : 2 ** Math.ceil(Math.log2(gapRadix));
    if (gapLength >= actualGapRadix) {
      throw new MediaDriverError('INVALID_CONFIGURATION', 'gapLength must be smaller than gapRadix');
    }
    this.#termId = termId;
    this.#gapRadixBits = Math.log2(actualGapRadix);
    this.#gapRadixMask = -actualGapRadix | 0;
    this.#gapLength = gapLength;
    this.#lastGapLimit = totalGaps * actualGapRadix + gapLength;
  }

  /** See {@link LossGenerator.shouldDropFrame}. */
  shouldDropFrame(_address: FrameAddress, buffer: AtomicBuffer, offset: number, length: number): boolean {
    if (!isDataFrame(buffer, offset, length)) return false;
    if (buffer.getInt32(offset + TERM_ID_FIELD_OFFSET) !== this.#termId) return false;
    const termOffset = buffer.getInt32(offset + TERM_OFFSET_FIELD_OFFSET);
    if (termOffset > this.#lastGapLimit) return false;
    const cell = this.#maxDropped.cell(
      buffer.getInt32(offset + STREAM_ID_FIELD_OFFSET),
      buffer.getInt32(offset + SESSION_ID_FIELD_OFFSET),
      termOffset,
    );
    if (cell[0]! > termOffset) return false;
    const frameLimit = termOffset + length;
    if (termOffset !== 0 && trailingZeros(termOffset) >= this.#gapRadixBits) {
      cell[0] = frameLimit;
      return true;
    }
    const previousGapOffset = termOffset & this.#gapRadixMask;
    if (previousGapOffset > 0 && termOffset < previousGapOffset + this.#gapLength) {
      cell[0] = frameLimit;
      return true;
    }
    const nextGapOffset = ((termOffset >> this.#gapRadixBits) + 1) << this.#gapRadixBits;
    if (frameLimit > nextGapOffset && termOffset < nextGapOffset + this.#gapLength) {
      cell[0] = frameLimit;
      return true;
    }
    return false;
  }
}

/** Java's `Integer.numberOfTrailingZeros` (32 for 0). */
function trailingZeros(value: number): number {
  return value === 0 ? 32 : 31 - Math.clz32(value & -value);
}
