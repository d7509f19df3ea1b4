/**
 * Test-side "image" and "publication" glue over a TestLog: a subscriber that polls the active term
 * with readTerm + FragmentAssembler and cleans each term after consuming it (as the driver would
 * before the term is reused), and a publisher limit (consumer position + window).
 */
import { APPEND_ADMIN_ACTION, type ReservedValueSupplier } from '../../../src/logbuffer/append-result.ts';
import { TYPE_FIELD_OFFSET } from '../../../src/logbuffer/data-header-flyweight.ts';
import { FragmentAssembler } from '../../../src/logbuffer/fragment-assembler.ts';
import type { FragmentHandler } from '../../../src/logbuffer/fragment-handler.ts';
import { Header } from '../../../src/logbuffer/header.ts';
import {
  activeTermCount,
  computePosition,
  computeTermOffsetFromPosition,
  indexByPosition,
  indexByTermCount,
  positionBitsToShift,
  rawTailTermOffset,
  readRawTailVolatile,
} from '../../../src/logbuffer/log-buffer-descriptor.ts';
import type { ReadableBuffer } from '../../../src/logbuffer/log-buffer-memory.ts';
import type { TermAppender } from '../../../src/logbuffer/term-appender.ts';
import { readTerm, TermReadResult } from '../../../src/logbuffer/term-reader.ts';
import type { Int64Halves } from '../../../src/transport/int64-words.ts';
import type { TestLog } from './test-memory.ts';

/** Frame type (unsigned 16-bit) of the frame at `termOffset`. */
export function frameType(buffer: ReadableBuffer, termOffset: number): number {
  return buffer.getInt16(termOffset + TYPE_FIELD_OFFSET) & 0xffff;
}

export interface Delivered {
  readonly bytes: Uint8Array;
  readonly position: number;
  readonly termId: number;
  readonly termOffset: number;
  readonly flags: number;
  readonly reservedValue: bigint;
}

export class TestSubscriber {
  position = 0;
  readonly delivered: Delivered[] = [];
  private readonly header: Header;
  private readonly result = new TermReadResult();
  private readonly shift: number;
  private readonly assembler: FragmentAssembler;
  readonly errors: unknown[] = [];

  constructor(
    private readonly log: TestLog,
    initialTermId: number,
  ) {
    this.shift = positionBitsToShift(log.termLength);
    this.header = new Header(initialTermId, this.shift);
    const onMessage: FragmentHandler = (buffer, offset, length, header) => {
      const bytes = new Uint8Array(length);
      buffer.getBytes(offset, bytes, 0, length);
      this.delivered.push({
        bytes,
        position: header.position(),
        termId: header.termId(),
        termOffset: header.termOffset(),
        flags: header.flags(),
        reservedValue: header.reservedValueBigInt(),
      });
    };
    this.assembler = new FragmentAssembler(onMessage);
  }

  /** One poll of up to `limit` fragments; returns fragments read. */
  poll(limit = 10): number {
    const index = indexByPosition(this.position, this.shift);
    const termBuffer = this.log.terms[index]!;
    const offset = computeTermOffsetFromPosition(this.position, this.shift);
    const n = readTerm(
      termBuffer,
      offset,
      this.assembler.onFragment,
      limit,
      this.header,
      (e) => this.errors.push(e),
      this.result,
    );
    const consumed = this.result.offset - offset;
    if (consumed > 0) {
      this.position += consumed;
      if (this.result.offset === this.log.termLength) {
        // Term fully consumed: clean it for reuse, as the driver does behind the slowest consumer.
        new Uint8Array(this.log.buffer, index * this.log.termLength, this.log.termLength).fill(0);
      }
    }
    return consumed > 0 ? Math.max(n, 1) : 0;
  }

  /** Polls until nothing more is available (bounded). */
  drain(): void {
    for (let i = 0; i < 1_000_000; i++) {
      if (this.poll(100) === 0) return;
    }
    throw new Error('drain did not finish');
  }
}

/** Concurrent-publication offer glue (the pre-checks `ConcurrentPublication.offer` does). */
export function concurrentOffer(
  log: TestLog,
  appender: TermAppender,
  initialTermId: number,
  limit: number,
  message: Uint8Array,
  tail: Int64Halves,
  supplier: ReservedValueSupplier | null = null,
): number {
  const shift = positionBitsToShift(log.termLength);
  const termCount = activeTermCount(log.metadata);
  const index = indexByTermCount(termCount);
  readRawTailVolatile(log.metadata.int32View, index, tail);
  if (termCount !== ((tail.high - initialTermId) | 0)) return APPEND_ADMIN_ACTION;
  const position = computePosition(tail.high, rawTailTermOffset(tail, log.termLength), shift, initialTermId);
  if (position >= limit) return -2; // back pressured
  return appender.append(index, message, 0, message.length, supplier);
}

/** Deterministic message content for message `i` of `length` bytes. */
export function messageBytes(i: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let j = 0; j < length; j++) bytes[j] = (i * 131 + j * 7 + (j >> 8)) & 0xff;
  return bytes;
}
