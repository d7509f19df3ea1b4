/**
 * A driver-created `.logbuffer` file mapped into this process (Java: `LogBuffers`): three term buffers
 * and the log metadata, each exposed as an `AtomicBuffer` window onto one shared mapping.
 *
 * ```
 *  0                termLength        2×termLength      3×termLength        fileLength−4096   fileLength
 *  |---- term 0 ----|---- term 1 ----|---- term 2 ----|.. page padding ..|--- metadata ---|
 * ```
 *
 * `map()` reads the term length and page size from the metadata (the last 4096 bytes) and validates them,
 * and refuses a file shorter than three terms plus the metadata (`LogBuffersError`). Terms of 1 GiB make a
 * file larger than 3 GiB, which one `ArrayBuffer` mapping may not cover on every platform: such logs are
 * not supported here.
 *
 * Lifecycle: the client conductor owns the instance, counts its users (`incRef`/`decRef`, publications with
 * one registration id share it), lingers it after release (`lingerDeadlineNs`) and then calls `close()`.
 * After `close()` the views read zeros (see `MappedFile`): callers check their own closed flag first.
 */

import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import type { LogBufferMemory } from '../logbuffer/index.ts';
import {
  checkPageSize,
  checkTermLength,
  LOG_META_DATA_LENGTH,
  LogBufferDescriptorError,
  pageSize as metadataPageSize,
  termLength as metadataTermLength,
  PARTITION_COUNT,
} from '../logbuffer/index.ts';
import { AtomicBuffer, MappedFile } from '../transport/index.ts';

/** Stable codes of `LogBuffersError`. */
export type LogBuffersErrorCode = 'TOO_SHORT' | 'INVALID_TERM_LENGTH' | 'INVALID_PAGE_SIZE';

/** A `.logbuffer` file that can not be used. */
export class LogBuffersError extends AeronError {
  /** `TOO_SHORT`, `INVALID_TERM_LENGTH` or `INVALID_PAGE_SIZE`. */
  declare readonly code: LogBuffersErrorCode;
  /** Path of the log buffer file. */
  readonly path: string;

  constructor(code: LogBuffersErrorCode, path: string, message: string) {
    super(code, message);
    this.path = path;
  }
}

// Compile-time proof that AtomicBuffer satisfies the log-buffer layer's memory interface.
const memoryCheck: (buffer: AtomicBuffer) => LogBufferMemory = (buffer) => buffer;
void memoryCheck;

/**
 * A mapped `.logbuffer` file: its three terms and metadata as `AtomicBuffer`s (see the module comment). Made by
 * `LogBuffers.map`; owned and closed by the client conductor. Java: `LogBuffers`.
 */
export class LogBuffers implements Disposable {
  /** Path of the mapped file. */
  readonly path: string;
  /** Length of the file in bytes. */
  readonly fileLength: number;
  /** Term length in bytes, from the metadata. */
  readonly termLength: number;
  /** Page size recorded in the metadata. */
  readonly pageSize: number;
  /** The three term buffers, by partition index. */
  readonly termBuffers: readonly AtomicBuffer[];
  /** The 4096-byte log metadata block. */
  readonly metaDataBuffer: AtomicBuffer;
  /** When (conductor clock, ns) a released instance may be closed; `Number.MAX_VALUE` until released. */
  lingerDeadlineNs: number = Number.MAX_VALUE;
  readonly #file: MappedFile;
  #refCount = 0;

  private constructor(file: MappedFile) {
    const path = file.path;
    const fileLength = file.length;
    if (fileLength < LOG_META_DATA_LENGTH) {
      throw new LogBuffersError(
        'TOO_SHORT',
        path,
        `Log file length less than min length of ${LOG_META_DATA_LENGTH}: length=${fileLength}`,
      );
    }
    const arrayBuffer = file.buffer;
    const metaDataBuffer = new AtomicBuffer(arrayBuffer, fileLength - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
    const termLength = metadataTermLength(metaDataBuffer);
    const pageSize = metadataPageSize(metaDataBuffer);
    try {
      checkTermLength(termLength);
      checkPageSize(pageSize);
    } catch (e) {
      if (e instanceof LogBufferDescriptorError) throw new LogBuffersError(e.code, path, `${path}: ${e.message}`);
      throw e;
    }
    const required = PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH;
    if (fileLength < required) {
      throw new LogBuffersError(
        'TOO_SHORT',
        path,
        `Log file ${path} is ${fileLength} bytes, its metadata (termLength=${termLength}) needs at least ${required}`,
      );
    }
    const termBuffers: AtomicBuffer[] = [];
    for (let i = 0; i < PARTITION_COUNT; i++) {
      termBuffers.push(new AtomicBuffer(arrayBuffer, i * termLength, termLength));
    }
    this.path = path;
    this.fileLength = fileLength;
    this.termLength = termLength;
    this.pageSize = pageSize;
    this.termBuffers = termBuffers;
    this.metaDataBuffer = metaDataBuffer;
    this.#file = file;
  }

  /**
   * Maps an existing `.logbuffer` file read-write (shared with the driver) and validates it. Java: `new LogBuffers`.
   *
   * @throws MappedFileError `NOT_FOUND`, `PERMISSION_DENIED`, `TOO_SHORT` or `MAP_FAILED` when the file cannot be
   * mapped.
   * @throws LogBuffersError `TOO_SHORT` for a file shorter than its metadata says, `INVALID_TERM_LENGTH` /
   * `INVALID_PAGE_SIZE` for metadata values Aeron does not allow.
   */
  static map(path: string): LogBuffers {
    const file = MappedFile.open(path);
    try {
      return new LogBuffers(file);
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /**
   * Faults every page of the mapping into this process (Java: `LogBuffers.preTouch`): a compare-and-set of
   * 0 with 0 on the first word of each page, which writes nothing but makes the page present and writable
   * in this process's page tables. Without it the first write to each page of a term takes a minor page
   * fault on the data path. Called by the conductor when `preTouchMappedMemory` is set.
   */
  preTouch(): void {
    const step = this.pageSize;
    for (const buffer of [...this.termBuffers, this.metaDataBuffer]) {
      for (let offset = 0, capacity = buffer.capacity; offset < capacity; offset += step) {
        buffer.compareAndSetInt32(offset, 0, 0);
      }
    }
  }

  /** Number of users after the increment. */
  incRef(): number {
    return ++this.#refCount;
  }

  /** Number of users after the decrement. */
  decRef(): number {
    return --this.#refCount;
  }

  /** Number of users (publications and images) holding it. */
  get refCount(): number {
    return this.#refCount;
  }

  /** Whether the file is unmapped (`close()` ran). */
  get isClosed(): boolean {
    return this.#file.isClosed;
  }

  /** Unmaps the file (idempotent). Views then read zeros. */
  close(): void {
    this.#file.close();
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
