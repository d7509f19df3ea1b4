/**
 * A log buffer file the driver creates, maps and finally deletes (Aeron 1.51.0 `FileStoreLogFactory`,
 * `MappedRawLog`): `publications/<registrationId>.logbuffer` for a publication.
 *
 * ```
 *  0             termLength      2 x termLength   3 x termLength     fileLength - 4096    fileLength
 *  |--- term 0 ---|--- term 1 ---|--- term 2 ---|.. page padding ..|--- log metadata ---|
 *  fileLength = align(3 x termLength + 4096, filePageSize)      (LogBufferDescriptor.computeLogLength)
 * ```
 *
 * A sparse file (the default, `sparse=true`) is created by `ftruncate` and its pages are allocated as they are
 * first written; a non-sparse one has every page touched once at creation (Java fills the file with zeros).
 * Before creating it the usable space of the file system is checked (Java's `checkStorage`, on by default):
 * less than the log's length refuses the publication with STORAGE_SPACE. The BYTES_CURRENTLY_MAPPED system
 * counter goes up by the log's length when it is mapped and down when it is freed (`MappedRawLog`).
 * `free()` unmaps and deletes the file: clients that still map it keep their mapping (the inode lives on until
 * they unmap), as with Java's driver.
 */
import { rmSync, statfsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeLogLength, LOG_META_DATA_LENGTH, PARTITION_COUNT } from '../logbuffer/log-buffer-descriptor.ts';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ERROR_CODE_STORAGE_SPACE } from './command/control-protocol.ts';
import { PUBLICATIONS_DIR } from './configuration.ts';
import { ControlProtocolError } from './driver-error.ts';

/** File name suffix of log buffers (`FileStoreLogFactory`: `<registrationId>.logbuffer`). */
export const LOG_FILE_SUFFIX = '.logbuffer';

/** A mapped log buffer file; see the module comment. */
export class RawLog {
  /** Absolute path of the file (sent to clients in ON_PUBLICATION_READY / ON_AVAILABLE_IMAGE). */
  readonly fileName: string;
  /** Term length in bytes. */
  readonly termLength: number;
  /** The three terms, by partition index. */
  readonly termBuffers: readonly AtomicBuffer[];
  /** The 4096-byte log metadata. */
  readonly metaData: AtomicBuffer;
  /** Length of the mapping in bytes. */
  readonly fileLength: number;
  readonly #file: MappedFile;
  readonly #mappedBytes: AtomicCounter;
  #freed = false;

  private constructor(file: MappedFile, termLength: number, mappedBytes: AtomicCounter) {
    this.#file = file;
    this.#mappedBytes = mappedBytes;
    mappedBytes.getAndAdd(file.length);
    this.fileName = file.path;
    this.termLength = termLength;
    this.fileLength = file.length;
    const arrayBuffer = file.buffer;
    const terms: AtomicBuffer[] = [];
    for (let i = 0; i < PARTITION_COUNT; i++) terms.push(new AtomicBuffer(arrayBuffer, i * termLength, termLength));
    this.termBuffers = terms;
    this.metaData = new AtomicBuffer(arrayBuffer, file.length - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
  }

  /**
   * Creates `<aeronDir>/publications/<registrationId>.logbuffer` (`FileStoreLogFactory.newPublication`),
   * counting its length in `mappedBytes` (BYTES_CURRENTLY_MAPPED). Throws `ControlProtocolError` STORAGE_SPACE
   * when the file system has less usable space than the log needs, `MappedFileError` when the file cannot be
   * created or mapped.
   */
  static newPublication(
    aeronDir: string,
    registrationId: number,
    termLength: number,
    filePageSize: number,
    sparse: boolean,
    mappedBytes: AtomicCounter,
  ): RawLog {
    const directory = join(resolve(aeronDir), PUBLICATIONS_DIR);
    const logLength = computeLogLength(termLength, filePageSize);
    checkStorage(directory, logLength);
    const file = MappedFile.create(join(directory, `${registrationId}${LOG_FILE_SUFFIX}`), logLength);
    if (!sparse) touchPages(file, filePageSize);
    return new RawLog(file, termLength, mappedBytes);
  }

  /** True once freed. */
  get isFreed(): boolean {
    return this.#freed;
  }

  /** Unmaps and deletes the file (`RawLog.free`); true when done. Idempotent. */
  free(): boolean {
    if (this.#freed) return true;
    this.#freed = true;
    this.#file.close();
    this.#mappedBytes.getAndAdd(-this.fileLength);
    rmSync(this.fileName, { force: true });
    return true;
  }
}

/** Java `FileStoreLogFactory.checkStorage`: STORAGE_SPACE when `directory`'s file system has less than `logLength`. */
function checkStorage(directory: string, logLength: number): void {
  const stats = statfsSync(directory);
  const usableSpace = stats.bavail * stats.bsize;
  if (usableSpace < logLength) {
    throw new ControlProtocolError(
      ERROR_CODE_STORAGE_SPACE,
      `insufficient usable storage for new log of length=${logLength} usable=${usableSpace} in ${directory}`,
    );
  }
}

/** Writes one zero per page so the file system allocates every block now (a non-sparse log). */
function touchPages(file: MappedFile, pageSize: number): void {
  const bytes = new Uint8Array(file.buffer);
  for (let offset = 0; offset < bytes.length; offset += pageSize) bytes[offset] = 0;
}
