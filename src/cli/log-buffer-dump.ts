/**
 * Walks a log buffer file (`publications/<id>.logbuffer`, `images/<id>.logbuffer`) frame by frame for
 * `dump-log`, never trusting what it reads: every length is bounds-checked, so a torn, partial or garbage
 * frame becomes a frame with `status` other than `'ok'` instead of an exception.
 *
 * ```
 *  file: | term 0 | term 1 | term 2 | (page padding) | metadata, last 4096 bytes |
 *  term: | frame | frame | ... | padding frame to term end | or unwritten zeros
 *  frame: 32-byte data header (see DataHeaderFlyweight), payload, aligned to 32
 * ```
 *
 * Frame status:
 * - `ok`: positive length >= 32 that fits in the term;
 * - `in-progress`: negative length (a concurrent publisher has claimed the space and not committed it);
 *   walking continues after it when its claimed length is plausible;
 * - `malformed`: length 1..31, or an in-progress claim too short or past the term end: the walk of this
 *   term stops;
 * - `truncated`: the length runs past the end of the term (or file): the walk of this term stops.
 * A length of 0 is either the end of what has been written to the term, or a zeroed region: the driver
 * cleans (zeroes) what every consumer has passed (IPC publications all of it, network publications and images
 * all but the last term). The walk scans on, 32 bytes at a time, for the next frame whose header term offset
 * equals where it sits; the skipped bytes are reported as a `Gap`, and a term ends when no frame follows.
 * `warnings` flags header fields that disagree with where the frame sits or with Aeron's values (term offset,
 * version, frame type).
 *
 * Partitions are visited in stream order: by the term count of the term id in their first frame.
 */

import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import {
  alignFrameLength,
  checkTermLength,
  computePosition,
  computeTermCount,
  FLAGS_FIELD_OFFSET,
  FRAME_ALIGNMENT,
  frameTypeName,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  LOG_ACTIVE_TERM_COUNT_OFFSET,
  LOG_CORRELATION_ID_OFFSET,
  LOG_DEFAULT_FRAME_HEADER_OFFSET,
  LOG_END_OF_STREAM_POSITION_OFFSET,
  LOG_INITIAL_TERM_ID_OFFSET,
  LOG_IS_CONNECTED_OFFSET,
  LOG_META_DATA_LENGTH,
  LOG_MTU_LENGTH_OFFSET,
  LOG_PAGE_SIZE_OFFSET,
  LOG_TERM_LENGTH_OFFSET,
  LOG_TYPE_OFFSET,
  PARTITION_COUNT,
  positionBitsToShift,
  RESERVED_VALUE_OFFSET,
  rawTailVolatile,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
  termId as tailTermId,
  termOffset as tailTermOffset,
  VERSION_FIELD_OFFSET,
} from '../logbuffer/index.ts';
import type { AtomicBuffer } from '../transport/index.ts';
import { LONG_MAX_VALUE } from '../transport/index.ts';

const LOG_TYPE_NAMES: readonly string[] = ['concurrent publication', 'exclusive publication', 'publication image'];

/** The metadata of a log buffer, decoded. */
export interface LogBufferMetadata {
  /** Length of the file in bytes. */
  readonly fileLength: number;
  /** Length of each of the three terms in bytes. */
  readonly termLength: number;
  /** The term id of the stream's first term. */
  readonly initialTermId: number;
  /** The MTU: the largest frame, header included, in bytes. */
  readonly mtuLength: number;
  /** The page size the file was created with. */
  readonly pageSize: number;
  /** The log's correlation id (the registration id of its publication or image). */
  readonly correlationId: number;
  /** How many times the active term has rotated (the active partition is this modulo 3). */
  readonly activeTermCount: number;
  /** The end-of-stream position, or null while the stream has not ended (stored as `Long.MAX_VALUE`). */
  readonly endOfStreamPosition: number | null;
  /** The driver's is-connected flag. */
  readonly isConnected: boolean;
  /** `concurrent publication`, `exclusive publication`, `publication image`, or `unknown (<n>)`. */
  readonly logType: string;
  /** Session id from the default frame header. */
  readonly sessionId: number;
  /** Stream id from the default frame header. */
  readonly streamId: number;
  /** Each partition's tail counter: its term id and the term offset it reached (at most the term length). */
  readonly tails: readonly { readonly partition: number; readonly termId: number; readonly termOffset: number }[];
}

/** How a frame was found: see the module comment above for each status. */
export type FrameStatus = 'ok' | 'in-progress' | 'malformed' | 'truncated';

/** One frame as found in a term. */
export interface FrameRecord {
  /** The partition (0..2) whose term holds the frame. */
  readonly partition: number;
  /** Offset of the frame in its term. */
  readonly termOffset: number;
  /** Stream position of the frame: from its header's term id and its actual offset. */
  readonly position: number;
  /** The frame length field as stored (negative while in progress). */
  readonly frameLength: number;
  /** Whether the frame is whole, being written, malformed or truncated. */
  readonly status: FrameStatus;
  /** The header's version byte. */
  readonly version: number;
  /** The header's flags byte (BEGIN 0x80, END 0x40, EOS 0x20, REVOKED 0x10). */
  readonly flags: number;
  /** The header's frame type. */
  readonly type: number;
  /** The frame type's name (`frameTypeName` of the log-buffer layer). */
  readonly typeName: string;
  /** The term offset the header states (a warning is added when it is not `termOffset`). */
  readonly headerTermOffset: number;
  /** The header's session id. */
  readonly sessionId: number;
  /** The header's stream id. */
  readonly streamId: number;
  /** The header's term id. */
  readonly termId: number;
  /** int64; a string when beyond 2^53. */
  readonly reservedValue: number | string;
  /** Payload bytes available (a view; empty for padding). */
  readonly payload: Uint8Array;
  /**
   * What looks wrong in the header, in words: a term offset that is not where it sits, a version other than 0, a type
   * other than DATA or PAD.
   */
  readonly warnings: readonly string[];
}

/** A file that is not a readable log buffer (too short, or metadata that does not describe its length). */
export class LogBufferFormatError extends AeronError {
  /** Always `LOG_BUFFER_FORMAT`. */
  declare readonly code: 'LOG_BUFFER_FORMAT';

  /** @param message what does not fit. */
  constructor(message: string) {
    super('LOG_BUFFER_FORMAT', message);
  }
}

/** Decodes the metadata block; throws `LogBufferFormatError` when the file is not a log buffer. */
export function readLogBufferMetadata(file: AtomicBuffer): LogBufferMetadata {
  const fileLength = file.capacity;
  if (fileLength < LOG_META_DATA_LENGTH) {
    throw new LogBufferFormatError(`${fileLength} bytes is shorter than the ${LOG_META_DATA_LENGTH}-byte log metadata`);
  }
  const meta = file.slice(fileLength - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
  const termLength = meta.getInt32(LOG_TERM_LENGTH_OFFSET);
  try {
    checkTermLength(termLength);
  } catch (e) {
    throw new LogBufferFormatError(`metadata term length ${termLength} is invalid (${(e as Error).message})`);
  }
  if (PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH > fileLength) {
    throw new LogBufferFormatError(
      `metadata term length ${termLength} needs ${PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH} bytes, file has ${fileLength}`,
    );
  }
  const endOfStream = meta.getInt64(LOG_END_OF_STREAM_POSITION_OFFSET);
  const logType = meta.getInt8(LOG_TYPE_OFFSET);
  const tails = [];
  for (let i = 0; i < PARTITION_COUNT; i++) {
    const rawTail = rawTailVolatile(meta, i);
    tails.push({ partition: i, termId: tailTermId(rawTail), termOffset: tailTermOffset(rawTail, termLength) });
  }
  return {
    fileLength,
    termLength,
    initialTermId: meta.getInt32(LOG_INITIAL_TERM_ID_OFFSET),
    mtuLength: meta.getInt32(LOG_MTU_LENGTH_OFFSET),
    pageSize: meta.getInt32(LOG_PAGE_SIZE_OFFSET),
    correlationId: meta.getInt64(LOG_CORRELATION_ID_OFFSET),
    activeTermCount: meta.getInt32(LOG_ACTIVE_TERM_COUNT_OFFSET),
    endOfStreamPosition: endOfStream >= LONG_MAX_VALUE ? null : endOfStream,
    isConnected: meta.getInt32(LOG_IS_CONNECTED_OFFSET) === 1,
    logType: LOG_TYPE_NAMES[logType] ?? `unknown (${logType})`,
    sessionId: meta.getInt32(LOG_DEFAULT_FRAME_HEADER_OFFSET + SESSION_ID_FIELD_OFFSET),
    streamId: meta.getInt32(LOG_DEFAULT_FRAME_HEADER_OFFSET + STREAM_ID_FIELD_OFFSET),
    tails,
  };
}

/** A zeroed region between frames (cleaned by the driver, or never written). */
export interface Gap {
  /** The partition (0..2) whose term holds it. */
  readonly partition: number;
  /** Where it starts in the term. */
  readonly termOffset: number;
  /** Its length in bytes (a multiple of 32). */
  readonly length: number;
}

/** Options of `walkLogBuffer`. */
export interface WalkOptions {
  /** Skip frames whose position is below this. */
  readonly fromPosition?: number;
  /** Stop after this many frames. */
  readonly limit?: number;
}

function reservedValue(term: AtomicBuffer, offset: number): number | string {
  const big = term.getInt64BigInt(offset + RESERVED_VALUE_OFFSET);
  const asNumber = Number(big);
  return Number.isSafeInteger(asNumber) ? asNumber : big.toString();
}

/** Offset of the next plausible frame after a zero length word at `offset`, or -1 (see the module comment). */
function nextFrameAfterZeros(term: AtomicBuffer, offset: number): number {
  for (let at = offset + FRAME_ALIGNMENT; at <= term.capacity - HEADER_LENGTH; at += FRAME_ALIGNMENT) {
    if (term.getInt32Volatile(at) !== 0 && term.getInt32(at + TERM_OFFSET_FIELD_OFFSET) === at) return at;
  }
  return -1;
}

/** Partition indices in stream order (by the term count of each partition's first frame; empty ones last). */
function partitionOrder(file: AtomicBuffer, metadata: LogBufferMetadata): number[] {
  const keyed = [];
  for (let p = 0; p < PARTITION_COUNT; p++) {
    const term = file.slice(p * metadata.termLength, metadata.termLength);
    const first = term.getInt32Volatile(0) !== 0 ? 0 : nextFrameAfterZeros(term, 0);
    const written = first >= 0;
    const termCount = written
      ? computeTermCount(term.getInt32(first + TERM_ID_FIELD_OFFSET), metadata.initialTermId)
      : 0;
    keyed.push({ p, written, termCount });
  }
  keyed.sort((a, b) => Number(b.written) - Number(a.written) || a.termCount - b.termCount || a.p - b.p);
  return keyed.map((k) => k.p);
}

/**
 * Calls `onFrame` for each frame in stream order; returns the number of frames delivered.
 * `file` is the whole log buffer file.
 */
export function walkLogBuffer(
  file: AtomicBuffer,
  metadata: LogBufferMetadata,
  options: WalkOptions,
  onFrame: (frame: FrameRecord) => void,
  onGap: (gap: Gap) => void = () => {},
): number {
  const { termLength, initialTermId } = metadata;
  const shift = positionBitsToShift(termLength);
  const from = options.fromPosition ?? Number.NEGATIVE_INFINITY;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let delivered = 0;
  for (const partition of partitionOrder(file, metadata)) {
    const term = file.slice(partition * termLength, termLength);
    let offset = 0;
    while (offset <= termLength - HEADER_LENGTH && delivered < limit) {
      const frameLength = term.getInt32Volatile(offset);
      if (frameLength === 0) {
        const resume = nextFrameAfterZeros(term, offset);
        if (resume < 0) break;
        onGap({ partition, termOffset: offset, length: resume - offset });
        offset = resume;
        continue;
      }
      const termId = term.getInt32(offset + TERM_ID_FIELD_OFFSET);
      const position = computePosition(termId, offset, shift, initialTermId);
      const claimed = Math.abs(frameLength);
      let status: FrameStatus = 'ok';
      let next = -1;
      if (claimed < HEADER_LENGTH) {
        status = 'malformed';
      } else if (offset + claimed > termLength) {
        status = frameLength < 0 ? 'malformed' : 'truncated';
      } else {
        status = frameLength < 0 ? 'in-progress' : 'ok';
        next = offset + alignFrameLength(claimed);
      }
      const type = term.getUint16(offset + TYPE_FIELD_OFFSET);
      const headerTermOffset = term.getInt32(offset + TERM_OFFSET_FIELD_OFFSET);
      const version = term.getUint8(offset + VERSION_FIELD_OFFSET);
      const warnings: string[] = [];
      if (headerTermOffset !== offset) warnings.push(`header term offset ${headerTermOffset} != actual ${offset}`);
      if (version !== 0) warnings.push(`version ${version} != 0`);
      if (type !== HDR_TYPE_DATA && type !== HDR_TYPE_PAD)
        warnings.push(`unexpected frame type ${frameTypeName(type)}`);
      const payloadEnd = Math.min(offset + claimed, termLength);
      const payloadStart = Math.min(offset + HEADER_LENGTH, payloadEnd);
      const payload =
        type === HDR_TYPE_PAD || claimed < HEADER_LENGTH
          ? new Uint8Array(0)
          : term.bytes.subarray(payloadStart, payloadEnd);
      if (position >= from) {
        delivered++;
        onFrame({
          partition,
          termOffset: offset,
          position,
          frameLength,
          status,
          version,
          flags: term.getUint8(offset + FLAGS_FIELD_OFFSET),
          type,
          typeName: frameTypeName(type),
          headerTermOffset,
          sessionId: term.getInt32(offset + SESSION_ID_FIELD_OFFSET),
          streamId: term.getInt32(offset + STREAM_ID_FIELD_OFFSET),
          termId,
          reservedValue: reservedValue(term, offset),
          payload,
          warnings,
        });
      }
      if (next < 0) break;
      offset = next;
    }
    if (delivered >= limit) break;
  }
  return delivered;
}
