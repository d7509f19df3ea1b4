/**
 * Test-side "image" and "publication" glue over a TestLog: a subscriber that polls the log with the real
 * `Image` + `FragmentAssembler` and cleans each term after consuming it (as the driver would before the term is
 * reused), and a publisher limit (consumer position + window).
 */
import { FakeConductor } from '../../../harness/fake-conductor.ts';
import { FakeCounters } from '../../../harness/fake-driver.ts';
import type { Image } from '../../../src/client/image.ts';
import { APPEND_ADMIN_ACTION, type ReservedValueSupplier } from '../../../src/logbuffer/append-result.ts';
import { TYPE_FIELD_OFFSET } from '../../../src/logbuffer/data-header-flyweight.ts';
import { FragmentAssembler } from '../../../src/logbuffer/fragment-assembler.ts';
import type { FragmentHandler } from '../../../src/logbuffer/fragment-handler.ts';
import {
  activeTermCount,
  computePosition,
  indexByPosition,
  indexByTermCount,
  positionBitsToShift,
  rawTailTermOffset,
  readRawTailVolatile,
} from '../../../src/logbuffer/log-buffer-descriptor.ts';
import type { ReadableBuffer } from '../../../src/logbuffer/log-buffer-memory.ts';
import type { TermAppender } from '../../../src/logbuffer/term-appender.ts';
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

const SUBSCRIBER_POSITION_COUNTER_ID = 1;

/** Reads a file-backed TestLog (`createTestLog({ dir })`) through an `Image`, one subscriber per log. */
export class TestSubscriber {
  readonly delivered: Delivered[] = [];
  readonly #log: TestLog;
  readonly #conductor: FakeConductor;
  readonly #image: Image;
  readonly #assembler: FragmentAssembler;

  constructor(log: TestLog, initialTermId: number) {
    if (log.path === null) throw new Error('TestSubscriber reads a mapped log: createTestLog({ dir })');
    this.#log = log;
    this.#conductor = new FakeConductor(new FakeCounters(4));
    const description = {
      path: log.path,
      termLength: log.termLength,
      mtu: 0,
      initialTermId,
      sessionId: 0,
      streamId: 0,
      startPosition: 0,
    };
    this.#image = this.#conductor.addImage(
      this.#conductor.newSubscription(),
      description,
      SUBSCRIBER_POSITION_COUNTER_ID,
    );
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
    this.#assembler = new FragmentAssembler(onMessage);
  }

  /** What the image's polls reported to its error handler. */
  get errors(): readonly unknown[] {
    return this.#conductor.errors;
  }

  /** The subscriber position. */
  get position(): number {
    return this.#image.position;
  }

  /** One poll of up to `limit` fragments; returns fragments read (at least 1 when only padding moved it). */
  poll(limit = 10): number {
    const before = this.#image.position;
    const n = this.#image.poll(this.#assembler.onFragment, limit);
    const after = this.#image.position;
    const termLength = this.#log.termLength;
    if (after > before && after % termLength === 0) {
      // Term fully consumed: clean it for reuse, as the driver does behind the slowest consumer.
      const index = indexByPosition(before, positionBitsToShift(termLength));
      new Uint8Array(this.#log.buffer, index * termLength, termLength).fill(0);
    }
    return after > before ? Math.max(n, 1) : 0;
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
