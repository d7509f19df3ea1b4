/**
 * A TypeScript stand-in for the media driver's side of the data plane, for tests without a driver:
 *
 * - `createLogFile` formats a `.logbuffer` file as the driver does for a new publication (tails, active term
 *   count, term length, page size, MTU, initial term id, default frame header, end-of-stream = Long.MAX),
 *   optionally starting at any stream position (as the driver does for `init-term-id|term-id|term-offset`).
 * - `FakeCounters` is a counters metadata + values pair (publication limits, subscriber positions).
 * - `FakeIpcDriver` plays the driver's IPC duty: publication limit = min subscriber position + window, and
 *   zeroing of the log one term behind the slowest subscriber so reused partitions start clean.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeLogLength,
  computeTermOffsetFromPosition,
  createDefaultHeader,
  indexByPosition,
  initialiseTailWithTermId,
  LOG_META_DATA_LENGTH,
  PARTITION_COUNT,
  positionBitsToShift,
  setActiveTermCountOrdered,
  setCorrelationId,
  setEndOfStreamPositionMax,
  setInitialTermId,
  setIsConnected,
  setLogType,
  setMtuLength,
  setPageSize,
  setRawTail,
  setTermLength,
  storeDefaultFrameHeader,
} from '../src/logbuffer/index.ts';
import { AtomicBuffer, CountersReader, MappedFile } from '../src/transport/index.ts';

export interface LogFileOptions {
  readonly termLength?: number;
  readonly pageSize?: number;
  readonly mtu?: number;
  readonly initialTermId?: number;
  readonly sessionId?: number;
  readonly streamId?: number;
  readonly correlationId?: number;
  /** Stream position the log starts at (frame aligned), default 0. */
  readonly startPosition?: number;
  readonly connected?: boolean;
  /** 0 concurrent, 1 exclusive, 2 image. */
  readonly logType?: number;
}

export interface LogFileDescription {
  readonly path: string;
  readonly termLength: number;
  readonly mtu: number;
  readonly initialTermId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly startPosition: number;
}

let fileCounter = 0;

/** Creates and formats a `.logbuffer` file in `dir`. */
export function createLogFile(dir: string, options: LogFileOptions = {}): LogFileDescription {
  const termLength = options.termLength ?? 64 * 1024;
  const pageSize = options.pageSize ?? 4096;
  const mtu = options.mtu ?? 1408;
  const initialTermId = options.initialTermId ?? 7;
  const sessionId = options.sessionId ?? 1001;
  const streamId = options.streamId ?? 10;
  const startPosition = options.startPosition ?? 0;
  const path = join(dir, `${options.correlationId ?? ++fileCounter}-${sessionId}.logbuffer`);
  const fileLength = computeLogLength(termLength, pageSize);
  using file = MappedFile.create(path, fileLength);
  const metadata = new AtomicBuffer(file.buffer, fileLength - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
  const shift = positionBitsToShift(termLength);
  const termCount = Math.floor(startPosition / termLength);
  const termId = (initialTermId + termCount) | 0;
  const termOffset = computeTermOffsetFromPosition(startPosition, shift);
  const activeIndex = indexByPosition(startPosition, shift);
  setRawTail(metadata, activeIndex, termId, termOffset);
  for (let k = 1; k < PARTITION_COUNT; k++) {
    initialiseTailWithTermId(metadata, (activeIndex + k) % PARTITION_COUNT, (termId + k - PARTITION_COUNT) | 0);
  }
  setActiveTermCountOrdered(metadata, termCount | 0);
  setInitialTermId(metadata, initialTermId);
  setMtuLength(metadata, mtu);
  setTermLength(metadata, termLength);
  setPageSize(metadata, pageSize);
  setCorrelationId(metadata, options.correlationId ?? fileCounter);
  setLogType(metadata, options.logType ?? 0);
  storeDefaultFrameHeader(metadata, createDefaultHeader(sessionId, streamId, initialTermId));
  setEndOfStreamPositionMax(metadata);
  setIsConnected(metadata, options.connected ?? true);
  return { path, termLength, mtu, initialTermId, sessionId, streamId, startPosition };
}

/** Writes `bytes` at `offset` in a file (tests that corrupt a log file). */
export function writeFileBytes(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Counters metadata + values buffers on the heap (counter ids 0..capacity-1). */
export class FakeCounters {
  readonly values: AtomicBuffer;
  readonly reader: CountersReader;

  constructor(capacity = 64) {
    this.values = new AtomicBuffer(new ArrayBuffer(capacity * 128));
    this.reader = new CountersReader(new AtomicBuffer(new ArrayBuffer(capacity * 512)), this.values);
  }

  get(counterId: number): number {
    return this.values.getInt64Volatile(counterId * 128);
  }

  set(counterId: number, value: number): void {
    this.values.putInt64Ordered(counterId * 128, value);
  }
}

/**
 * The driver's IPC publication duty over one log: limit = min(subscriber positions) + window; zero the
 * log up to one term behind the slowest subscriber.
 */
export class FakeIpcDriver {
  readonly #file: MappedFile;
  readonly #termBuffers: AtomicBuffer[] = [];
  readonly #termLength: number;
  readonly #shift: number;
  readonly #counters: FakeCounters;
  readonly #limitCounterId: number;
  readonly #subscriberCounterIds: number[];
  readonly #window: number;
  #cleanPosition: number;

  constructor(options: {
    log: LogFileDescription;
    counters: FakeCounters;
    limitCounterId: number;
    subscriberCounterIds: number[];
    window?: number;
  }) {
    this.#file = MappedFile.open(options.log.path);
    this.#termLength = options.log.termLength;
    this.#shift = positionBitsToShift(this.#termLength);
    for (let i = 0; i < PARTITION_COUNT; i++) {
      this.#termBuffers.push(new AtomicBuffer(this.#file.buffer, i * this.#termLength, this.#termLength));
    }
    this.#counters = options.counters;
    this.#limitCounterId = options.limitCounterId;
    this.#subscriberCounterIds = options.subscriberCounterIds;
    this.#window = options.window ?? this.#termLength / 2;
    this.#cleanPosition =
      options.log.startPosition - computeTermOffsetFromPosition(options.log.startPosition, this.#shift);
    for (const id of this.#subscriberCounterIds) options.counters.set(id, options.log.startPosition);
    this.duty();
  }

  /** One duty cycle. */
  duty(): void {
    let min = Number.MAX_SAFE_INTEGER;
    for (const id of this.#subscriberCounterIds) min = Math.min(min, this.#counters.get(id));
    this.#counters.set(this.#limitCounterId, min + this.#window);
    this.#cleanTo(min - this.#termLength);
  }

  #cleanTo(target: number): void {
    while (this.#cleanPosition < target) {
      const index = indexByPosition(this.#cleanPosition, this.#shift);
      const offset = computeTermOffsetFromPosition(this.#cleanPosition, this.#shift);
      const length = Math.min(this.#termLength - offset, target - this.#cleanPosition);
      this.#termBuffers[index]!.setMemory(offset, length, 0);
      this.#cleanPosition += length;
    }
  }

  close(): void {
    this.#file.close();
  }
}
