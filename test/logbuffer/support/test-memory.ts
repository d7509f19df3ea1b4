/**
 * A simple `LogBufferMemory` over a (Shared)ArrayBuffer region for tests: DataView for plain access,
 * Int32Array + Atomics for 32-bit ordered/RMW ops, BigInt64Array + Atomics for the 64-bit CAS.
 * `createTestLog({ dir })` lays the log out in a mapped file instead, so that a real `Image` can read it
 * (`TestSubscriber` in log-harness.ts).
 */
import { join } from 'node:path';

import { createDefaultHeader } from '../../../src/logbuffer/data-header-flyweight.ts';
import {
  initialiseTailWithTermId,
  LOG_META_DATA_LENGTH,
  PARTITION_COUNT,
  setActiveTermCountOrdered,
  setEndOfStreamPositionMax,
  setInitialTermId,
  setMtuLength,
  setPageSize,
  setTermLength,
  storeDefaultFrameHeader,
} from '../../../src/logbuffer/log-buffer-descriptor.ts';
import type { LogBufferMemory } from '../../../src/logbuffer/log-buffer-memory.ts';
import { MappedFile } from '../../../src/transport/mapped-file.ts';

export class TestMemory implements LogBufferMemory {
  readonly capacity: number;
  readonly int32View: Int32Array;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly ints: Int32Array;
  private readonly longs: BigInt64Array;
  private readonly byteOffset: number;

  constructor(buffer: ArrayBufferLike, byteOffset: number, length: number) {
    this.capacity = length;
    this.byteOffset = byteOffset;
    this.view = new DataView(buffer, byteOffset, length);
    this.bytes = new Uint8Array(buffer, byteOffset, length);
    this.ints = new Int32Array(buffer, byteOffset, length >> 2);
    this.int32View = this.ints;
    this.longs = new BigInt64Array(buffer, byteOffset, length >> 3);
  }

  static allocate(length: number): TestMemory {
    return new TestMemory(new SharedArrayBuffer(length), 0, length);
  }

  private check(index: number, size: number): void {
    if (index < 0 || index + size > this.capacity || !Number.isInteger(index)) {
      throw new RangeError(`index ${index} size ${size} outside capacity ${this.capacity}`);
    }
  }
  private aligned(index: number, size: number): number {
    this.check(index, size);
    if (index % size !== 0) throw new RangeError(`unaligned atomic access at ${index}`);
    return index / size;
  }

  getInt8(index: number): number {
    this.check(index, 1);
    return this.view.getInt8(index);
  }
  putInt8(index: number, value: number): void {
    this.check(index, 1);
    this.view.setInt8(index, value);
  }
  getInt16(index: number): number {
    this.check(index, 2);
    return this.view.getInt16(index, true);
  }
  putInt16(index: number, value: number): void {
    this.check(index, 2);
    this.view.setInt16(index, value, true);
  }
  getInt32(index: number): number {
    this.check(index, 4);
    return this.view.getInt32(index, true);
  }
  putInt32(index: number, value: number): void {
    this.check(index, 4);
    this.view.setInt32(index, value, true);
  }
  getInt64(index: number): number {
    this.check(index, 8);
    return this.view.getInt32(index + 4, true) * 2 ** 32 + this.view.getUint32(index, true);
  }
  getInt64BigInt(index: number): bigint {
    this.check(index, 8);
    return this.view.getBigInt64(index, true);
  }
  putInt64(index: number, value: number): void {
    this.putInt64BigInt(index, BigInt(value));
  }
  putInt64BigInt(index: number, value: bigint): void {
    this.check(index, 8);
    this.view.setBigInt64(index, value, true);
  }
  getInt64Volatile(index: number): number {
    return Number(Atomics.load(this.longs, this.aligned(index, 8)));
  }
  getInt32Volatile(index: number): number {
    return Atomics.load(this.ints, this.aligned(index, 4));
  }
  putInt32Ordered(index: number, value: number): void {
    Atomics.store(this.ints, this.aligned(index, 4), value);
  }
  getAndAddInt32(index: number, delta: number): number {
    return Atomics.add(this.ints, this.aligned(index, 4), delta);
  }
  compareAndSetInt32(index: number, expected: number, update: number): boolean {
    return Atomics.compareExchange(this.ints, this.aligned(index, 4), expected, update) === expected;
  }
  compareAndSetInt64BigInt(index: number, expected: bigint, update: bigint): boolean {
    return Atomics.compareExchange(this.longs, this.aligned(index, 8), expected, update) === expected;
  }
  getBytes(index: number, dst: Uint8Array, dstOffset: number, length: number): void {
    this.check(index, length);
    dst.set(this.bytes.subarray(index, index + length), dstOffset);
  }
  getStringWithoutLengthAscii(index: number, length: number): string {
    this.check(index, length);
    return String.fromCharCode(...this.bytes.subarray(index, index + length)).replace(/[\u0080-\u00ff]/g, '\ufffd');
  }
  getStringWithoutLengthUtf8(index: number, length: number): string {
    this.check(index, length);
    return new TextDecoder().decode(this.bytes.slice(index, index + length));
  }
  putBytes(index: number, src: Uint8Array, srcOffset: number, length: number): void {
    this.check(index, length);
    this.bytes.set(src.subarray(srcOffset, srcOffset + length), index);
  }
  get offsetInBuffer(): number {
    return this.byteOffset;
  }
}

export interface TestLog {
  readonly buffer: ArrayBufferLike;
  /** The log file when made with `dir` (mapped: the terms and metadata are its memory), else null. */
  readonly path: string | null;
  readonly terms: TestMemory[];
  readonly metadata: TestMemory;
  readonly termLength: number;
  readonly defaultHeader: Uint8Array;
}

/**
 * Initialises the three tails of a fresh log whose first term is `initialTermId` (what the driver does for a
 * publication starting at position 0): partition 0 → (initialTermId, 0), partition 1 → (initialTermId − 2, 0),
 * partition 2 → (initialTermId − 1, 0); active term count 0.
 */
export function initialiseTails(metadata: LogBufferMemory, initialTermId: number): void {
  initialiseTailWithTermId(metadata, 0, initialTermId);
  for (let i = 1; i < PARTITION_COUNT; i++) {
    initialiseTailWithTermId(metadata, i, (initialTermId + i - PARTITION_COUNT) | 0);
  }
  setActiveTermCountOrdered(metadata, 0);
}

let logFiles = 0;

/**
 * A fresh log laid out as the driver would (metadata in the last 4096 bytes), tails initialised: on the heap, or
 * in a new file in `dir` (its mapping lives until garbage collected; the caller removes `dir`).
 */
export function createTestLog(options: {
  termLength: number;
  initialTermId: number;
  sessionId?: number;
  streamId?: number;
  mtu?: number;
  dir?: string;
}): TestLog {
  const { termLength, initialTermId } = options;
  const length = PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH;
  const path = options.dir === undefined ? null : join(options.dir, `${++logFiles}.logbuffer`);
  const buffer = path === null ? new SharedArrayBuffer(length) : MappedFile.create(path, length).buffer;
  const terms = [0, 1, 2].map((i) => new TestMemory(buffer, i * termLength, termLength));
  const metadata = new TestMemory(buffer, length - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
  const defaultHeader = createDefaultHeader(options.sessionId ?? 7, options.streamId ?? 1001, initialTermId);
  storeDefaultFrameHeader(metadata, defaultHeader);
  setInitialTermId(metadata, initialTermId);
  setTermLength(metadata, termLength);
  setPageSize(metadata, 4096);
  setMtuLength(metadata, options.mtu ?? 1408);
  initialiseTails(metadata, initialTermId);
  setEndOfStreamPositionMax(metadata);
  return { buffer, path, terms, metadata, termLength, defaultHeader };
}
