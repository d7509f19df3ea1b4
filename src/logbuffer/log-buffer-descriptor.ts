/**
 * Layout of a log buffer file and the arithmetic on positions and tails (Java: `LogBufferDescriptor`; every
 * offset below was checked against its source).
 *
 * ```
 *  +----------------------------+  0
 *  |           Term 0           |
 *  +----------------------------+  termLength
 *  |           Term 1           |
 *  +----------------------------+  2 × termLength
 *  |           Term 2           |
 *  +----------------------------+  (gap up to the file page size)
 *  |        Log Meta Data       |  fileLength − 4096 (always the LAST 4096 bytes)
 *  +----------------------------+
 * ```
 *
 * Log metadata (offsets within the 4096-byte block):
 *
 * | Offset | Type | Field |
 * |---|---|---|
 * | 0, 8, 16 | int64 ×3 | raw tail per partition: `termId << 32 \| termOffset` |
 * | 24 | int32 | active term count |
 * | 128 | int64 | end-of-stream position |
 * | 136 | int32 | is connected |
 * | 140 | int32 | active transport count |
 * | 256 | int64 | correlation (registration) id |
 * | 264 | int32 | initial term id |
 * | 268 | int32 | default frame header length |
 * | 272 | int32 | MTU length |
 * | 276 | int32 | term length |
 * | 280 | int32 | page size |
 * | 284 | int32 | publication window length |
 * | 288 | int32 | receiver window length |
 * | 292 | int32 | socket SO_SNDBUF length |
 * | 296 | int32 | OS default SO_SNDBUF length |
 * | 300 | int32 | OS max SO_SNDBUF length |
 * | 304 | int32 | socket SO_RCVBUF length |
 * | 308 | int32 | OS default SO_RCVBUF length |
 * | 312 | int32 | OS max SO_RCVBUF length |
 * | 316 | int32 | max resend |
 * | 320 | 128 bytes | default frame header (first 32 used) |
 * | 448 | int64 | entity tag |
 * | 456 | int64 | response correlation id |
 * | 464 | int64 | linger timeout ns |
 * | 472 | int64 | untethered window limit timeout ns |
 * | 480 | int64 | untethered resting timeout ns |
 * | 488..497 | int8 each | group, is response, rejoin, reliable, sparse, signal EOS, spies simulate connection, tether, is publication revoked, log type |
 * | 500 | int64 | untethered linger timeout ns (4-byte aligned only) |
 *
 * Positions are JS `number`s. A position is `termCount × termLength + termOffset`; the largest possible
 * is `termLength × 2^31` (2^47 for 64 KiB terms, 2^61 for 1 GiB terms). Doubles are exact to 2^53, so
 * positions are exact for every term length ≤ 4 MiB, and for larger terms up to 2^53 bytes (8 PiB) of
 * stream — more than a stream can carry in practice. Beyond 2^53 results round.
 *
 * Raw tails are 64-bit with a signed int32 term id in the high word: they are not exact as doubles, so
 * this module never turns one into a `number`. The hot path reads the two 32-bit halves into a reused
 * `Int64Halves` (`readRawTailVolatile`: the high word is the term id, the low word the raw term offset); the `bigint`
 * helpers here are for the control path.
 */

import { AeronError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { highWord, Int64Halves, lowWord } from '../transport/int64-words.ts';
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import { alignFrameLength } from './frame-descriptor.ts';
import { int32ViewOf, type LogBufferMemory } from './log-buffer-memory.ts';

/** Number of terms (partitions) a log is divided into (3). Java: `LogBufferDescriptor.PARTITION_COUNT`. */
export const PARTITION_COUNT = 3;
/** Smallest term length in bytes (64 KiB). Java: `LogBufferDescriptor.TERM_MIN_LENGTH`. */
export const TERM_MIN_LENGTH = 64 * 1024;
/** Largest term length in bytes (1 GiB). Java: `LogBufferDescriptor.TERM_MAX_LENGTH`. */
export const TERM_MAX_LENGTH = 1024 * 1024 * 1024;
/** Smallest file page size in bytes (4 KiB). Java: `LogBufferDescriptor.PAGE_MIN_SIZE`. */
export const PAGE_MIN_SIZE = 4 * 1024;
/** Largest file page size in bytes (1 GiB). Java: `LogBufferDescriptor.PAGE_MAX_SIZE`. */
export const PAGE_MAX_SIZE = 1024 * 1024 * 1024;

/**
 * Log type (byte at {@link LOG_TYPE_OFFSET}) of a concurrent publication's log (0). Java:
 * `LogBufferDescriptor.LOG_BUFFER_TYPE_CONCURRENT_PUBLICATION`.
 */
export const LOG_BUFFER_TYPE_CONCURRENT_PUBLICATION = 0;
/**
 * Log type (byte at {@link LOG_TYPE_OFFSET}) of an exclusive publication's log (1). Java:
 * `LogBufferDescriptor.LOG_BUFFER_TYPE_EXCLUSIVE_PUBLICATION`.
 */
export const LOG_BUFFER_TYPE_EXCLUSIVE_PUBLICATION = 1;
/**
 * Log type (byte at {@link LOG_TYPE_OFFSET}) of a publication image's log, the one a subscription reads (2). Java:
 * `LogBufferDescriptor.LOG_BUFFER_TYPE_PUBLICATION_IMAGE`.
 */
export const LOG_BUFFER_TYPE_PUBLICATION_IMAGE = 2;

/**
 * Offset in the log metadata of the three int64 raw tails, one per partition, 8 bytes apart (0). Java:
 * `LogBufferDescriptor.TERM_TAIL_COUNTERS_OFFSET`.
 */
export const TERM_TAIL_COUNTERS_OFFSET = 0;
/**
 * Offset in the log metadata of the int32 active term count, whose value modulo {@link PARTITION_COUNT} is the
 * active partition (24). Java: `LogBufferDescriptor.LOG_ACTIVE_TERM_COUNT_OFFSET`.
 */
export const LOG_ACTIVE_TERM_COUNT_OFFSET = 24;
/**
 * Offset in the log metadata of the int64 end-of-stream position (128). Java:
 * `LogBufferDescriptor.LOG_END_OF_STREAM_POSITION_OFFSET`.
 */
export const LOG_END_OF_STREAM_POSITION_OFFSET = 128;
/** The high word of Long.MAX_VALUE: the end-of-stream position of a live stream. */
const LONG_MAX_HIGH_WORD = 0x7fffffff;
/**
 * Offset in the log metadata of the int32 is-connected flag, 1 when connected (136). Java:
 * `LogBufferDescriptor.LOG_IS_CONNECTED_OFFSET`.
 */
export const LOG_IS_CONNECTED_OFFSET = 136;
/**
 * Offset in the log metadata of the int32 count of active transports (140; the name has no `_OFFSET`, as in Java).
 * Java: `LogBufferDescriptor.LOG_ACTIVE_TRANSPORT_COUNT`.
 */
export const LOG_ACTIVE_TRANSPORT_COUNT = 140;
/**
 * Offset in the log metadata of the int64 correlation (registration) id (256). Java:
 * `LogBufferDescriptor.LOG_CORRELATION_ID_OFFSET`.
 */
export const LOG_CORRELATION_ID_OFFSET = 256;
/**
 * Offset in the log metadata of the int32 initial term id (264). Java:
 * `LogBufferDescriptor.LOG_INITIAL_TERM_ID_OFFSET`.
 */
export const LOG_INITIAL_TERM_ID_OFFSET = 264;
/**
 * Offset in the log metadata of the int32 length of the default frame header (268). Java:
 * `LogBufferDescriptor.LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET`.
 */
export const LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET = 268;
/** Offset in the log metadata of the int32 MTU length (272). Java: `LogBufferDescriptor.LOG_MTU_LENGTH_OFFSET`. */
export const LOG_MTU_LENGTH_OFFSET = 272;
/** Offset in the log metadata of the int32 term length (276). Java: `LogBufferDescriptor.LOG_TERM_LENGTH_OFFSET`. */
export const LOG_TERM_LENGTH_OFFSET = 276;
/** Offset in the log metadata of the int32 file page size (280). Java: `LogBufferDescriptor.LOG_PAGE_SIZE_OFFSET`. */
export const LOG_PAGE_SIZE_OFFSET = 280;
/**
 * Offset in the log metadata of the int32 publication window length (284). Java:
 * `LogBufferDescriptor.LOG_PUBLICATION_WINDOW_LENGTH_OFFSET`.
 */
export const LOG_PUBLICATION_WINDOW_LENGTH_OFFSET = 284;
/**
 * Offset in the log metadata of the int32 receiver window length (288). Java:
 * `LogBufferDescriptor.LOG_RECEIVER_WINDOW_LENGTH_OFFSET`.
 */
export const LOG_RECEIVER_WINDOW_LENGTH_OFFSET = 288;
/**
 * Offset in the log metadata of the int32 socket send buffer (SO_SNDBUF) length (292). Java:
 * `LogBufferDescriptor.LOG_SOCKET_SNDBUF_LENGTH_OFFSET`.
 */
export const LOG_SOCKET_SNDBUF_LENGTH_OFFSET = 292;
/**
 * Offset in the log metadata of the int32 OS default SO_SNDBUF length (296). Java:
 * `LogBufferDescriptor.LOG_OS_DEFAULT_SOCKET_SNDBUF_LENGTH_OFFSET`.
 */
export const LOG_OS_DEFAULT_SOCKET_SNDBUF_LENGTH_OFFSET = 296;
/**
 * Offset in the log metadata of the int32 OS maximum SO_SNDBUF length (300). Java:
 * `LogBufferDescriptor.LOG_OS_MAX_SOCKET_SNDBUF_LENGTH_OFFSET`.
 */
export const LOG_OS_MAX_SOCKET_SNDBUF_LENGTH_OFFSET = 300;
/**
 * Offset in the log metadata of the int32 socket receive buffer (SO_RCVBUF) length (304). Java:
 * `LogBufferDescriptor.LOG_SOCKET_RCVBUF_LENGTH_OFFSET`.
 */
export const LOG_SOCKET_RCVBUF_LENGTH_OFFSET = 304;
/**
 * Offset in the log metadata of the int32 OS default SO_RCVBUF length (308). Java:
 * `LogBufferDescriptor.LOG_OS_DEFAULT_SOCKET_RCVBUF_LENGTH_OFFSET`.
 */
export const LOG_OS_DEFAULT_SOCKET_RCVBUF_LENGTH_OFFSET = 308;
/**
 * Offset in the log metadata of the int32 OS maximum SO_RCVBUF length (312). Java:
 * `LogBufferDescriptor.LOG_OS_MAX_SOCKET_RCVBUF_LENGTH_OFFSET`.
 */
export const LOG_OS_MAX_SOCKET_RCVBUF_LENGTH_OFFSET = 312;
/** Offset in the log metadata of the int32 max resend (316). Java: `LogBufferDescriptor.LOG_MAX_RESEND_OFFSET`. */
export const LOG_MAX_RESEND_OFFSET = 316;
/**
 * Offset in the log metadata of the default frame header, a 128-byte slot of which the 32-byte data header uses the
 * start (320). Java: `LogBufferDescriptor.LOG_DEFAULT_FRAME_HEADER_OFFSET`.
 */
export const LOG_DEFAULT_FRAME_HEADER_OFFSET = 320;
/**
 * Length in bytes of the default frame header's slot (128). Java:
 * `LogBufferDescriptor.LOG_DEFAULT_FRAME_HEADER_MAX_LENGTH`.
 */
export const LOG_DEFAULT_FRAME_HEADER_MAX_LENGTH = 128;
/** Offset in the log metadata of the int64 entity tag (448). Java: `LogBufferDescriptor.LOG_ENTITY_TAG_OFFSET`. */
export const LOG_ENTITY_TAG_OFFSET = 448;
/**
 * Offset in the log metadata of the int64 response correlation id (456). Java:
 * `LogBufferDescriptor.LOG_RESPONSE_CORRELATION_ID_OFFSET`.
 */
export const LOG_RESPONSE_CORRELATION_ID_OFFSET = 456;
/**
 * Offset in the log metadata of the int64 linger timeout in nanoseconds (464). Java:
 * `LogBufferDescriptor.LOG_LINGER_TIMEOUT_NS_OFFSET`.
 */
export const LOG_LINGER_TIMEOUT_NS_OFFSET = 464;
/**
 * Offset in the log metadata of the int64 untethered window limit timeout in nanoseconds (472). Java:
 * `LogBufferDescriptor.LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET`.
 */
export const LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET = 472;
/**
 * Offset in the log metadata of the int64 untethered resting timeout in nanoseconds (480). Java:
 * `LogBufferDescriptor.LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET`.
 */
export const LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET = 480;
/** Offset in the log metadata of the int8 group flag (488). Java: `LogBufferDescriptor.LOG_GROUP_OFFSET`. */
export const LOG_GROUP_OFFSET = 488;
/**
 * Offset in the log metadata of the int8 is-response flag (489). Java: `LogBufferDescriptor.LOG_IS_RESPONSE_OFFSET`.
 */
export const LOG_IS_RESPONSE_OFFSET = 489;
/** Offset in the log metadata of the int8 rejoin flag (490). Java: `LogBufferDescriptor.LOG_REJOIN_OFFSET`. */
export const LOG_REJOIN_OFFSET = 490;
/** Offset in the log metadata of the int8 reliable flag (491). Java: `LogBufferDescriptor.LOG_RELIABLE_OFFSET`. */
export const LOG_RELIABLE_OFFSET = 491;
/** Offset in the log metadata of the int8 sparse flag (492). Java: `LogBufferDescriptor.LOG_SPARSE_OFFSET`. */
export const LOG_SPARSE_OFFSET = 492;
/**
 * Offset in the log metadata of the int8 signal-EOS flag (493). Java: `LogBufferDescriptor.LOG_SIGNAL_EOS_OFFSET`.
 */
export const LOG_SIGNAL_EOS_OFFSET = 493;
/**
 * Offset in the log metadata of the int8 spies-simulate-connection flag (494). Java:
 * `LogBufferDescriptor.LOG_SPIES_SIMULATE_CONNECTION_OFFSET`.
 */
export const LOG_SPIES_SIMULATE_CONNECTION_OFFSET = 494;
/** Offset in the log metadata of the int8 tether flag (495). Java: `LogBufferDescriptor.LOG_TETHER_OFFSET`. */
export const LOG_TETHER_OFFSET = 495;
/**
 * Offset in the log metadata of the int8 publication-revoked flag, set by the driver (496). Java:
 * `LogBufferDescriptor.LOG_IS_PUBLICATION_REVOKED_OFFSET`.
 */
export const LOG_IS_PUBLICATION_REVOKED_OFFSET = 496;
/**
 * Offset in the log metadata of the int8 log type, one of the `LOG_BUFFER_TYPE_*` values (497). Java:
 * `LogBufferDescriptor.LOG_TYPE_OFFSET`.
 */
export const LOG_TYPE_OFFSET = 497;
/**
 * Offset in the log metadata of the int64 untethered linger timeout in nanoseconds (500: 4-byte aligned only).
 * Java: `LogBufferDescriptor.LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET`.
 */
export const LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET = 500;
/**
 * Length in bytes of the log metadata block at the end of a log file (4096, {@link PAGE_MIN_SIZE}). Java:
 * `LogBufferDescriptor.LOG_META_DATA_LENGTH`.
 */
export const LOG_META_DATA_LENGTH = PAGE_MIN_SIZE;

/** Stable codes of `LogBufferDescriptorError`. */
export type LogBufferDescriptorErrorCode = 'INVALID_TERM_LENGTH' | 'INVALID_PAGE_SIZE';

/** A term length or page size that Aeron's log buffer layout does not allow. */
export class LogBufferDescriptorError extends AeronError {
  /** Which limit was broken: `INVALID_TERM_LENGTH` or `INVALID_PAGE_SIZE`. */
  declare readonly code: LogBufferDescriptorErrorCode;
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: LogBufferDescriptorErrorCode, message: string) {
    super(code, message);
  }
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}

/**
 * Checks a term length. Java: `LogBufferDescriptor.checkTermLength`.
 *
 * @throws LogBufferDescriptorError `INVALID_TERM_LENGTH` unless `termLength` is an integer power of two from
 * {@link TERM_MIN_LENGTH} (64 KiB) to {@link TERM_MAX_LENGTH} (1 GiB).
 */
export function checkTermLength(termLength: number): void {
  if (!Number.isInteger(termLength) || termLength < TERM_MIN_LENGTH) {
    throw new LogBufferDescriptorError(
      'INVALID_TERM_LENGTH',
      `Term length less than min length of ${TERM_MIN_LENGTH}: length=${termLength}`,
    );
  }
  if (termLength > TERM_MAX_LENGTH) {
    throw new LogBufferDescriptorError(
      'INVALID_TERM_LENGTH',
      `Term length more than max length of ${TERM_MAX_LENGTH}: length=${termLength}`,
    );
  }
  if (!isPowerOfTwo(termLength)) {
    throw new LogBufferDescriptorError('INVALID_TERM_LENGTH', `Term length not a power of 2: length=${termLength}`);
  }
}

/**
 * Checks a file page size. Java: `LogBufferDescriptor.checkPageSize`.
 *
 * @throws LogBufferDescriptorError `INVALID_PAGE_SIZE` unless `pageSize` is an integer power of two from
 * {@link PAGE_MIN_SIZE} (4 KiB) to {@link PAGE_MAX_SIZE} (1 GiB).
 */
export function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < PAGE_MIN_SIZE) {
    throw new LogBufferDescriptorError(
      'INVALID_PAGE_SIZE',
      `Page size less than min size of ${PAGE_MIN_SIZE}: page size=${pageSize}`,
    );
  }
  if (pageSize > PAGE_MAX_SIZE) {
    throw new LogBufferDescriptorError(
      'INVALID_PAGE_SIZE',
      `Page size more than max size of ${PAGE_MAX_SIZE}: page size=${pageSize}`,
    );
  }
  if (!isPowerOfTwo(pageSize)) {
    throw new LogBufferDescriptorError('INVALID_PAGE_SIZE', `Page size not a power of 2: page size=${pageSize}`);
  }
}

/**
 * log2(termLength) for a valid term length (16 for 64 KiB … 30 for 1 GiB): the shift between a term count and a
 * position. Java: `LogBufferDescriptor.positionBitsToShift`.
 *
 * @throws LogBufferDescriptorError `INVALID_TERM_LENGTH` as {@link checkTermLength}.
 */
export function positionBitsToShift(termLength: number): number {
  checkTermLength(termLength);
  return 31 - Math.clz32(termLength);
}

/**
 * Length in bytes of a log file: align(3 × termLength + 4096, filePageSize). Exact as a `number` (≤ ~3 GiB). Java:
 * `LogBufferDescriptor.computeLogLength`.
 */
export function computeLogLength(termLength: number, filePageSize: number): number {
  const raw = PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH;
  return Math.ceil(raw / filePageSize) * filePageSize;
}

// ---------------------------------------------------------------------------------------------------
// Position arithmetic (int32 term-id wrap as in Java: termCount = (termId − initialTermId) as int32).
// Shifts go through POWERS_OF_TWO: V8 compiles `2 ** bits` with a variable `bits` to a pow call, and
// `1 << bits` would overflow int32 once multiplied by a term count.
// ---------------------------------------------------------------------------------------------------

/**
 * `POWERS_OF_TWO[i]` = 2^i (exact) for every shift 0..63; a term length's shift is 16..30. Not exported, so the
 * position functions inlined into the hot paths read it as a constant (see `src/transport/int64-words.ts`).
 */
const POWERS_OF_TWO: Float64Array = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);

/** (termId − initialTermId) with Java int32 wrap-around. */
export function computeTermCount(termId: number, initialTermId: number): number {
  return (termId - initialTermId) | 0;
}

/**
 * Position of `termOffset` in term `termId`: `termCount × 2^shift + termOffset`, the term count an int32
 * subtraction. Java: `LogBufferDescriptor.computePosition`.
 */
export function computePosition(
  termId: number,
  termOffset: number,
  positionBitsToShift: number,
  initialTermId: number,
): number {
  return ((termId - initialTermId) | 0) * POWERS_OF_TWO[positionBitsToShift]! + termOffset;
}

/**
 * Position at which term `termId` begins: `computePosition(termId, 0, …)`. Java:
 * `LogBufferDescriptor.computeTermBeginPosition`.
 */
export function computeTermBeginPosition(termId: number, positionBitsToShift: number, initialTermId: number): number {
  return computePosition(termId, 0, positionBitsToShift, initialTermId);
}

/** Term id containing `position` (≥ 0): `int32(position >>> shift) + initialTermId`, wrapping. */
export function computeTermIdFromPosition(
  position: number,
  positionBitsToShift: number,
  initialTermId: number,
): number {
  return ((Math.floor(position / POWERS_OF_TWO[positionBitsToShift]!) | 0) + initialTermId) | 0;
}

/** Offset of `position` within its term: `position & (termLength − 1)`. */
export function computeTermOffsetFromPosition(position: number, positionBitsToShift: number): number {
  const termLength = POWERS_OF_TWO[positionBitsToShift]!;
  return position - Math.floor(position / termLength) * termLength;
}

/** Largest position a stream can reach: termLength × 2^31. */
export function computeMaxPossiblePosition(termLength: number): number {
  return termLength * 2 ** 31;
}

/** The partition after `currentIndex` (0 → 1 → 2 → 0). Java: `LogBufferDescriptor.nextPartitionIndex`. */
export function nextPartitionIndex(currentIndex: number): number {
  return (currentIndex + 1) % PARTITION_COUNT;
}

/**
 * Partition of the term with term count `termCount` (≥ 0): `termCount % 3`. Java:
 * `LogBufferDescriptor.indexByTermCount`.
 */
export function indexByTermCount(termCount: number): number {
  return termCount % PARTITION_COUNT;
}

/** Partition holding `position` (≥ 0). */
export function indexByPosition(position: number, positionBitsToShift: number): number {
  return Math.floor(position / POWERS_OF_TWO[positionBitsToShift]!) % PARTITION_COUNT;
}

/** Total bytes reserved in a term for a message of `length` split into `maxPayloadSize` chunks. */
export function computeFragmentedFrameLength(length: number, maxPayloadSize: number): number {
  const numMaxPayloads = Math.floor(length / maxPayloadSize);
  const remainingPayload = length % maxPayloadSize;
  const lastFrameLength = remainingPayload > 0 ? alignFrameLength(remainingPayload + HEADER_LENGTH) : 0;
  return numMaxPayloads * (maxPayloadSize + HEADER_LENGTH) + lastFrameLength;
}

// ---------------------------------------------------------------------------------------------------
// Raw tails.
// ---------------------------------------------------------------------------------------------------

/** Byte offset (in the metadata block) of partition `partitionIndex`'s raw tail. */
export function tailCounterOffset(partitionIndex: number): number {
  return TERM_TAIL_COUNTERS_OFFSET + partitionIndex * 8;
}

/** `(termId << 32) | termOffset` as a signed 64-bit bigint (control path / tests). */
export function packTail(termId: number, termOffset: number): bigint {
  return BigInt.asIntN(64, (BigInt(termId | 0) << 32n) | BigInt(termOffset >>> 0));
}

/** Term id (signed int32 high word) of a raw tail. */
export function termId(rawTail: bigint): number {
  return Number(BigInt.asIntN(32, rawTail >> 32n));
}

/** Usable term offset of a raw tail: min(low 32 bits as unsigned, termLength). */
export function termOffset(rawTail: bigint, termLength: number): number {
  return Math.min(Number(rawTail & 0xffffffffn), termLength);
}

/**
 * Consistent (high, low, high) read of partition `partitionIndex`'s raw tail from the log metadata's words into `tail`
 * (reused: allocation free), which it returns: `tail.high` is the term id, `tail.low` the raw term offset (may exceed
 * the term length after a trip; `rawTailTermOffset`). Java: `LogBufferDescriptor.rawTailVolatile`, a `long` there.
 */
export function readRawTailVolatile(metaWords: Int32Array, partitionIndex: number, tail: Int64Halves): Int64Halves {
  return tail.loadVolatile(metaWords, tailCounterOffset(partitionIndex) >> 2);
}

/**
 * Usable term offset of a raw tail read by `readRawTailVolatile`: min(low word as unsigned, termLength). Java:
 * `LogBufferDescriptor.termOffset(rawTail, termLength)`.
 */
export function rawTailTermOffset(tail: Int64Halves, termLength: number): number {
  const rawOffset = tail.low >>> 0;
  return rawOffset < termLength ? rawOffset : termLength;
}

/** The halves of the raw tail last read by `rawTailVolatile` or `rotateLog` (control path, one thread). */
const tailHalves = new Int64Halves();

/** Consistent (high, low, high) read of a raw tail as a bigint. Control path: allocates. */
export function rawTailVolatile(metadata: LogBufferMemory, partitionIndex: number): bigint {
  readRawTailVolatile(int32ViewOf(metadata), partitionIndex, tailHalves);
  return packTail(tailHalves.high, tailHalves.low);
}

/** Plain store of a raw tail (two 32-bit halves; publish with a later release store). */
export function setRawTail(
  metadata: LogBufferMemory,
  partitionIndex: number,
  termId: number,
  termOffset: number,
): void {
  const offset = tailCounterOffset(partitionIndex);
  metadata.putInt32(offset, termOffset | 0);
  metadata.putInt32(offset + 4, termId | 0);
}

/**
 * Compare-and-set of partition `partitionIndex`'s raw tail from `expectedRawTail` to `updateRawTail` (64-bit, via
 * BigInt: control path). Returns whether it was swapped. Java: `LogBufferDescriptor.casRawTail`.
 */
export function casRawTail(
  metadata: LogBufferMemory,
  partitionIndex: number,
  expectedRawTail: bigint,
  updateRawTail: bigint,
): boolean {
  return metadata.compareAndSetInt64BigInt(tailCounterOffset(partitionIndex), expectedRawTail, updateRawTail);
}

/** Sets a partition's tail to (termId, 0). Plain store: used when initialising a log. */
export function initialiseTailWithTermId(metadata: LogBufferMemory, partitionIndex: number, termId: number): void {
  setRawTail(metadata, partitionIndex, termId, 0);
}

/**
 * Moves the log on from term `activeTermId` (term count `termCount`) to the next term, cooperatively with
 * other producers (Java: `LogBufferDescriptor.rotateLog`): CAS the next partition's tail from any
 * (nextTermId − 3, *) to (nextTermId, 0) unless someone already did, then CAS the active term count. Returns whether
 * this caller's active-term-count CAS succeeded. Control path (once per term): the 64-bit CAS uses BigInt.
 */
export function rotateLog(metadata: LogBufferMemory, termCount: number, activeTermId: number): boolean {
  const nextTermId = (activeTermId + 1) | 0;
  const nextTermCount = (termCount + 1) | 0;
  const nextIndex = indexByTermCount(nextTermCount);
  const expectedTermId = (nextTermId - PARTITION_COUNT) | 0;
  const update = packTail(nextTermId, 0);
  const metaWords = int32ViewOf(metadata);
  for (;;) {
    const tail = readRawTailVolatile(metaWords, nextIndex, tailHalves);
    if (tail.high !== expectedTermId) break;
    if (casRawTail(metadata, nextIndex, packTail(tail.high, tail.low), update)) break;
  }
  return metadata.compareAndSetInt32(LOG_ACTIVE_TERM_COUNT_OFFSET, termCount, nextTermCount);
}

// ---------------------------------------------------------------------------------------------------
// Metadata fields.
// ---------------------------------------------------------------------------------------------------

/** Acquire load of the active term count. Java: `LogBufferDescriptor.activeTermCount`. */
export function activeTermCount(metadata: LogBufferMemory): number {
  return metadata.getInt32Volatile(LOG_ACTIVE_TERM_COUNT_OFFSET);
}
/** Release store of the active term count. Java: `LogBufferDescriptor.activeTermCountOrdered`. */
export function setActiveTermCountOrdered(metadata: LogBufferMemory, termCount: number): void {
  metadata.putInt32Ordered(LOG_ACTIVE_TERM_COUNT_OFFSET, termCount);
}

/**
 * Acquire load of the end-of-stream position (Long.MAX_VALUE, i.e. ≈ 9.22e18 as a double, until the stream ends).
 * Java: `LogBufferDescriptor.endOfStreamPosition`.
 */
export function endOfStreamPosition(metadata: LogBufferMemory): number {
  return metadata.getInt64Volatile(LOG_END_OF_STREAM_POSITION_OFFSET);
}
/**
 * True when `position` has reached the end-of-stream position (Java `Image.isEndOfStream`'s test). Allocation free
 * even where not inlined: a live stream's end (Long.MAX_VALUE, high word 0x7fffffff) is answered from the high word
 * alone, and no ≈ 2^63 double is returned through a call (which would box it, 16 bytes per call).
 */
export function hasReachedEndOfStream(metadata: LogBufferMemory, position: number): boolean {
  if (metadata.getInt32Volatile(LOG_END_OF_STREAM_POSITION_OFFSET + 4) === LONG_MAX_HIGH_WORD) return false;
  return position >= metadata.getInt64Volatile(LOG_END_OF_STREAM_POSITION_OFFSET);
}
/**
 * Stores the end-of-stream position (the driver's side): the low word, then a release store of the high word. Java:
 * `LogBufferDescriptor.endOfStreamPosition(buffer, long)`.
 */
export function setEndOfStreamPosition(metadata: LogBufferMemory, position: number): void {
  metadata.putInt32(LOG_END_OF_STREAM_POSITION_OFFSET, lowWord(position));
  metadata.putInt32Ordered(LOG_END_OF_STREAM_POSITION_OFFSET + 4, highWord(position));
}
/** Writes Long.MAX_VALUE (the "not ended" value). */
export function setEndOfStreamPositionMax(metadata: LogBufferMemory): void {
  metadata.putInt32(LOG_END_OF_STREAM_POSITION_OFFSET, -1);
  metadata.putInt32Ordered(LOG_END_OF_STREAM_POSITION_OFFSET + 4, LONG_MAX_HIGH_WORD);
}

/**
 * Whether the log is connected (acquire load of the int32 flag, 1 = connected). Java:
 * `LogBufferDescriptor.isConnected`.
 */
export function isConnected(metadata: LogBufferMemory): boolean {
  return metadata.getInt32Volatile(LOG_IS_CONNECTED_OFFSET) === 1;
}
/** Release store of the is-connected flag (1 or 0). Java: `LogBufferDescriptor.isConnected(buffer, boolean)`. */
export function setIsConnected(metadata: LogBufferMemory, connected: boolean): void {
  metadata.putInt32Ordered(LOG_IS_CONNECTED_OFFSET, connected ? 1 : 0);
}
/** Acquire load of the count of active transports. Java: `LogBufferDescriptor.activeTransportCount`. */
export function activeTransportCount(metadata: LogBufferMemory): number {
  return metadata.getInt32Volatile(LOG_ACTIVE_TRANSPORT_COUNT);
}

/** Registration (correlation) id of the log; exact while ≤ 2^53. */
export function correlationId(metadata: LogBufferMemory): number {
  return metadata.getInt64(LOG_CORRELATION_ID_OFFSET);
}
/**
 * Plain store of the registration (correlation) id; exact while ≤ 2^53. Java:
 * `LogBufferDescriptor.correlationId(buffer, long)`.
 */
export function setCorrelationId(metadata: LogBufferMemory, id: number): void {
  metadata.putInt64(LOG_CORRELATION_ID_OFFSET, id);
}

function intField(offset: number): [(m: LogBufferMemory) => number, (m: LogBufferMemory, v: number) => void] {
  return [(m) => m.getInt32(offset), (m, v) => m.putInt32(offset, v)];
}
function longField(offset: number): [(m: LogBufferMemory) => number, (m: LogBufferMemory, v: number) => void] {
  return [(m) => m.getInt64(offset), (m, v) => m.putInt64(offset, v)];
}
function boolField(offset: number): [(m: LogBufferMemory) => boolean, (m: LogBufferMemory, v: boolean) => void] {
  return [(m) => m.getInt8(offset) === 1, (m, v) => m.putInt8(offset, v ? 1 : 0)];
}

/**
 * Getter and setter of the initial term id (plain int32 at {@link LOG_INITIAL_TERM_ID_OFFSET}). Java:
 * `LogBufferDescriptor.initialTermId`.
 */
export const [initialTermId, setInitialTermId] = intField(LOG_INITIAL_TERM_ID_OFFSET);
/**
 * Getter and setter of the MTU length in bytes (plain int32 at {@link LOG_MTU_LENGTH_OFFSET}). Java:
 * `LogBufferDescriptor.mtuLength`.
 */
export const [mtuLength, setMtuLength] = intField(LOG_MTU_LENGTH_OFFSET);
/**
 * Getter and setter of the term length in bytes (plain int32 at {@link LOG_TERM_LENGTH_OFFSET}). Java:
 * `LogBufferDescriptor.termLength`.
 */
export const [termLength, setTermLength] = intField(LOG_TERM_LENGTH_OFFSET);
/**
 * Getter and setter of the file page size in bytes (plain int32 at {@link LOG_PAGE_SIZE_OFFSET}). Java:
 * `LogBufferDescriptor.pageSize`.
 */
export const [pageSize, setPageSize] = intField(LOG_PAGE_SIZE_OFFSET);
/**
 * Getter and setter of the publication window length in bytes (plain int32 at
 * {@link LOG_PUBLICATION_WINDOW_LENGTH_OFFSET}). Java: `LogBufferDescriptor.publicationWindowLength`.
 */
export const [publicationWindowLength, setPublicationWindowLength] = intField(LOG_PUBLICATION_WINDOW_LENGTH_OFFSET);
/**
 * Getter and setter of the receiver window length in bytes (plain int32 at {@link LOG_RECEIVER_WINDOW_LENGTH_OFFSET}).
 * Java: `LogBufferDescriptor.receiverWindowLength`.
 */
export const [receiverWindowLength, setReceiverWindowLength] = intField(LOG_RECEIVER_WINDOW_LENGTH_OFFSET);
/**
 * Getter and setter of the socket SO_SNDBUF length in bytes (plain int32 at {@link LOG_SOCKET_SNDBUF_LENGTH_OFFSET}).
 * Java: `LogBufferDescriptor.socketSndbufLength`.
 */
export const [socketSndbufLength, setSocketSndbufLength] = intField(LOG_SOCKET_SNDBUF_LENGTH_OFFSET);
/**
 * Getter and setter of the OS default SO_SNDBUF length in bytes (plain int32 at
 * {@link LOG_OS_DEFAULT_SOCKET_SNDBUF_LENGTH_OFFSET}). Java: `LogBufferDescriptor.osDefaultSocketSndbufLength`.
 */
export const [osDefaultSocketSndbufLength, setOsDefaultSocketSndbufLength] = intField(
  LOG_OS_DEFAULT_SOCKET_SNDBUF_LENGTH_OFFSET,
);
/**
 * Getter and setter of the OS maximum SO_SNDBUF length in bytes (plain int32 at
 * {@link LOG_OS_MAX_SOCKET_SNDBUF_LENGTH_OFFSET}). Java: `LogBufferDescriptor.osMaxSocketSndbufLength`.
 */
export const [osMaxSocketSndbufLength, setOsMaxSocketSndbufLength] = intField(LOG_OS_MAX_SOCKET_SNDBUF_LENGTH_OFFSET);
/**
 * Getter and setter of the socket SO_RCVBUF length in bytes (plain int32 at {@link LOG_SOCKET_RCVBUF_LENGTH_OFFSET}).
 * Java: `LogBufferDescriptor.socketRcvbufLength`.
 */
export const [socketRcvbufLength, setSocketRcvbufLength] = intField(LOG_SOCKET_RCVBUF_LENGTH_OFFSET);
/**
 * Getter and setter of the OS default SO_RCVBUF length in bytes (plain int32 at
 * {@link LOG_OS_DEFAULT_SOCKET_RCVBUF_LENGTH_OFFSET}). Java: `LogBufferDescriptor.osDefaultSocketRcvbufLength`.
 */
export const [osDefaultSocketRcvbufLength, setOsDefaultSocketRcvbufLength] = intField(
  LOG_OS_DEFAULT_SOCKET_RCVBUF_LENGTH_OFFSET,
);
/**
 * Getter and setter of the OS maximum SO_RCVBUF length in bytes (plain int32 at
 * {@link LOG_OS_MAX_SOCKET_RCVBUF_LENGTH_OFFSET}). Java: `LogBufferDescriptor.osMaxSocketRcvbufLength`.
 */
export const [osMaxSocketRcvbufLength, setOsMaxSocketRcvbufLength] = intField(LOG_OS_MAX_SOCKET_RCVBUF_LENGTH_OFFSET);
/**
 * Getter and setter of the max resend (plain int32 at {@link LOG_MAX_RESEND_OFFSET}). Java:
 * `LogBufferDescriptor.maxResend`.
 */
export const [maxResend, setMaxResend] = intField(LOG_MAX_RESEND_OFFSET);
/**
 * Getter and setter of the entity tag (plain int64 at {@link LOG_ENTITY_TAG_OFFSET}, as a `number`: exact while ≤
 * 2^53). Java: `LogBufferDescriptor.entityTag`.
 */
export const [entityTag, setEntityTag] = longField(LOG_ENTITY_TAG_OFFSET);
/**
 * Getter and setter of the response correlation id (plain int64 at {@link LOG_RESPONSE_CORRELATION_ID_OFFSET}, as a
 * `number`: exact while ≤ 2^53). Java: `LogBufferDescriptor.responseCorrelationId`.
 */
export const [responseCorrelationId, setResponseCorrelationId] = longField(LOG_RESPONSE_CORRELATION_ID_OFFSET);
/**
 * Getter and setter of the linger timeout in nanoseconds (plain int64 at {@link LOG_LINGER_TIMEOUT_NS_OFFSET}, as a
 * `number`: exact while ≤ 2^53). Java: `LogBufferDescriptor.lingerTimeoutNs`.
 */
export const [lingerTimeoutNs, setLingerTimeoutNs] = longField(LOG_LINGER_TIMEOUT_NS_OFFSET);
/**
 * Getter and setter of the untethered window limit timeout in nanoseconds (plain int64 at
 * {@link LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET}, as a `number`: exact while ≤ 2^53). Java:
 * `LogBufferDescriptor.untetheredWindowLimitTimeoutNs`.
 */
export const [untetheredWindowLimitTimeoutNs, setUntetheredWindowLimitTimeoutNs] = longField(
  LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET,
);
/**
 * Getter and setter of the untethered resting timeout in nanoseconds (plain int64 at
 * {@link LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET}, as a `number`: exact while ≤ 2^53). Java:
 * `LogBufferDescriptor.untetheredRestingTimeoutNs`.
 */
export const [untetheredRestingTimeoutNs, setUntetheredRestingTimeoutNs] = longField(
  LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET,
);
/**
 * Getter and setter of the untethered linger timeout in nanoseconds (plain int64 at
 * {@link LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET}, as a `number`: exact while ≤ 2^53). Java:
 * `LogBufferDescriptor.untetheredLingerTimeoutNs`.
 */
export const [untetheredLingerTimeoutNs, setUntetheredLingerTimeoutNs] = longField(
  LOG_UNTETHERED_LINGER_TIMEOUT_NS_OFFSET,
);
/**
 * Getter and setter of the group flag (int8 at {@link LOG_GROUP_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.group`.
 */
export const [group, setGroup] = boolField(LOG_GROUP_OFFSET);
/**
 * Getter and setter of the is-response flag (int8 at {@link LOG_IS_RESPONSE_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.isResponse`.
 */
export const [isResponse, setIsResponse] = boolField(LOG_IS_RESPONSE_OFFSET);
/**
 * Getter and setter of the rejoin flag (int8 at {@link LOG_REJOIN_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.rejoin`.
 */
export const [rejoin, setRejoin] = boolField(LOG_REJOIN_OFFSET);
/**
 * Getter and setter of the reliable flag (int8 at {@link LOG_RELIABLE_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.reliable`.
 */
export const [reliable, setReliable] = boolField(LOG_RELIABLE_OFFSET);
/**
 * Getter and setter of the sparse flag (int8 at {@link LOG_SPARSE_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.sparse`.
 */
export const [sparse, setSparse] = boolField(LOG_SPARSE_OFFSET);
/**
 * Getter and setter of the signal-EOS flag (int8 at {@link LOG_SIGNAL_EOS_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.signalEos`.
 */
export const [signalEos, setSignalEos] = boolField(LOG_SIGNAL_EOS_OFFSET);
/**
 * Getter and setter of the spies-simulate-connection flag (int8 at {@link LOG_SPIES_SIMULATE_CONNECTION_OFFSET}: 1 =
 * true, 0 = false). Java: `LogBufferDescriptor.spiesSimulateConnection`.
 */
export const [spiesSimulateConnection, setSpiesSimulateConnection] = boolField(LOG_SPIES_SIMULATE_CONNECTION_OFFSET);
/**
 * Getter and setter of the tether flag (int8 at {@link LOG_TETHER_OFFSET}: 1 = true, 0 = false). Java:
 * `LogBufferDescriptor.tether`.
 */
export const [tether, setTether] = boolField(LOG_TETHER_OFFSET);

/** Revoked flag; the driver sets it, so it is read with an acquire load of the containing aligned word. */
export function isPublicationRevoked(metadata: LogBufferMemory): boolean {
  // Byte 496 is the lowest byte of the aligned little-endian int32 at 496.
  return (metadata.getInt32Volatile(LOG_IS_PUBLICATION_REVOKED_OFFSET) & 0xff) === 1;
}
/** Plain store of the revoked flag (the driver's side). Java: the setter `LogBufferDescriptor.isPublicationRevoked`. */
export function setIsPublicationRevoked(metadata: LogBufferMemory, revoked: boolean): void {
  metadata.putInt8(LOG_IS_PUBLICATION_REVOKED_OFFSET, revoked ? 1 : 0);
}

/** Log type: 0 concurrent publication, 1 exclusive publication, 2 publication image. */
export function logType(metadata: LogBufferMemory): number {
  return metadata.getInt8(LOG_TYPE_OFFSET);
}
/** Plain store of the log type (a `LOG_BUFFER_TYPE_*` value). Java: `LogBufferDescriptor.type(buffer, byte)`. */
export function setLogType(metadata: LogBufferMemory, type: number): void {
  metadata.putInt8(LOG_TYPE_OFFSET, type);
}

/** Stores the 32-byte default frame header and its length (268). */
export function storeDefaultFrameHeader(metadata: LogBufferMemory, defaultHeader: Uint8Array): void {
  if (defaultHeader.length !== HEADER_LENGTH) {
    throw new InvalidArgumentError(`Default header length not equal to HEADER_LENGTH: length=${defaultHeader.length}`);
  }
  metadata.putInt32(LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, HEADER_LENGTH);
  metadata.putBytes(LOG_DEFAULT_FRAME_HEADER_OFFSET, defaultHeader, 0, HEADER_LENGTH);
}

/** Copy of the default frame header (allocates: control path). */
export function defaultFrameHeader(metadata: LogBufferMemory): Uint8Array {
  const copy = new Uint8Array(HEADER_LENGTH);
  metadata.getBytes(LOG_DEFAULT_FRAME_HEADER_OFFSET, copy, 0, HEADER_LENGTH);
  return copy;
}
