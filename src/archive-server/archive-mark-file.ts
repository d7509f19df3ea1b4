/**
 * The archive's mark file, `<markFileDir>/archive-mark.dat`, written as Java's `ArchiveMarkFile` writes it (the
 * CLI's `src/cli/archive-mark-file.ts` and Java's `ArchiveTool` read it).
 *
 * ```
 *  0      MessageHeader (8): blockLength 128, templateId 200, schemaId 100, version 2
 *  8      MarkFileHeader (block 128): version @0 (int32, 3.1.0 once ready), activityTimestamp @8 (int64 epoch ms,
 *         -1 once terminated), startTimestamp @16, pid @24, controlStreamId @32, localControlStreamId @36,
 *         eventsStreamId @40, headerLength @44 (8192), errorBufferLength @48, archiveId @56
 *  136    var-ascii controlChannel, localControlChannel, eventsChannel, aeronDirectory (uint32 length each)
 *  8192   distinct error log, errorBufferLength bytes (default 1 MiB)
 *  file length = align(8192 + errorBufferLength, filePageSize)
 * ```
 * Liveness (Agrona `MarkFile`, timeout 10 s = 10 × the 1 s update interval): an existing file whose activity
 * timestamp is less than 10 s old belongs to a live archive, and the directory is refused (ACTIVE_MARK_FILE,
 * "active Mark file detected"). `signalReady` stores the activity timestamp, then the version (release
 * order), then msyncs; the conductor calls `updateActivityTimestamp` on its duty cycle once a second;
 * `signalTerminated` (close) sets the timestamp to -1 so the next archive may start at once.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MarkFileHeaderEncoder } from '../../codecs/generated/archive-mark/MarkFileHeaderEncoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive-mark/MessageHeaderEncoder.ts';
import { align } from '../transport/bit-util.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import { ArchiveServerError, ioError } from './archive-server-error.ts';
import { ARCHIVE_SEMANTIC_VERSION } from './catalog.ts';

/** `ArchiveMarkFile.FILENAME`. */
export const ARCHIVE_MARK_FILE_NAME = 'archive-mark.dat';
/** `ArchiveMarkFile.HEADER_LENGTH`: where the error log starts. */
export const MARK_FILE_HEADER_LENGTH = 8 * 1024;
/** `Archive.Configuration.ERROR_BUFFER_LENGTH_DEFAULT`. */
export const DEFAULT_ERROR_BUFFER_LENGTH = 1024 * 1024;
/** `MARK_FILE_UPDATE_INTERVAL_MS`: how often the conductor updates the activity timestamp. */
export const MARK_FILE_UPDATE_INTERVAL_MS = 1000;
/** `LIVENESS_TIMEOUT_MS`: an activity timestamp younger than this means a live archive. */
export const LIVENESS_TIMEOUT_MS = 10 * MARK_FILE_UPDATE_INTERVAL_MS;

const HEADER_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH;
const VERSION_OFFSET = HEADER_OFFSET + MarkFileHeaderEncoder.versionEncodingOffset();
const ACTIVITY_TIMESTAMP_OFFSET = HEADER_OFFSET + MarkFileHeaderEncoder.activityTimestampEncodingOffset();

/** What the mark file records about the archive (Java `ArchiveMarkFile.encode`). */
export interface ArchiveMarkFileOptions {
  /** Directory of the mark file (Java `markFileDir`, default the archive dir). */
  readonly markFileDir: string;
  /** The archive's id. */
  readonly archiveId: number;
  /** Control channel (null when the archive has no remote control). */
  readonly controlChannel: string | null;
  /** Control stream id. */
  readonly controlStreamId: number;
  /** Local (IPC) control channel. */
  readonly localControlChannel: string;
  /** Local control stream id. */
  readonly localControlStreamId: number;
  /** Recording events channel (null when disabled). */
  readonly recordingEventsChannel: string | null;
  /** Recording events stream id. */
  readonly recordingEventsStreamId: number;
  /** The driver's directory. */
  readonly aeronDirectoryName: string;
  /** Error log length; default 1 MiB. */
  readonly errorBufferLength?: number;
  /** The driver's file page size; default 4096. */
  readonly filePageSize?: number;
  /** Epoch ms; default `Date.now`. */
  readonly epochClock?: () => number;
}

/** The archive's mark file, open for writing (module comment). */
export class ArchiveMarkFile implements Disposable {
  /** The file's path. */
  readonly path: string;
  readonly #file: MappedFile;
  readonly #words: Int32Array;
  readonly #errorBufferLength: number;

  /** Creates or takes over the mark file; throws ACTIVE_MARK_FILE when a live archive holds it. */
  constructor(options: ArchiveMarkFileOptions) {
    const errorBufferLength = options.errorBufferLength ?? DEFAULT_ERROR_BUFFER_LENGTH;
    const filePageSize = options.filePageSize ?? 4096;
    const epochClock = options.epochClock ?? Date.now;
    this.path = join(options.markFileDir, ARCHIVE_MARK_FILE_NAME);
    this.#errorBufferLength = errorBufferLength;
    const headerLength =
      HEADER_OFFSET +
      MarkFileHeaderEncoder.BLOCK_LENGTH +
      4 * 4 +
      (options.controlChannel?.length ?? 0) +
      options.localControlChannel.length +
      (options.recordingEventsChannel?.length ?? 0) +
      options.aeronDirectoryName.length;
    if (headerLength > MARK_FILE_HEADER_LENGTH) {
      throw new ArchiveServerError(
        'INVALID_OPTION',
        `ArchiveMarkFile headerLength=${headerLength} > headerLengthCapacity=${MARK_FILE_HEADER_LENGTH}`,
      );
    }
    const totalLength = align(MARK_FILE_HEADER_LENGTH + errorBufferLength, filePageSize);
    if (existsSync(this.path)) checkNotActive(this.path, epochClock());
    let fd: number;
    try {
      fd = openSync(this.path, existsSync(this.path) ? 'r+' : 'w+', 0o644);
      try {
        if (fstatSync(fd).size !== totalLength) ftruncateSync(fd, totalLength);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw ioError(e);
    }
    this.#file = MappedFile.open(this.path);
    const bytes = new Uint8Array(this.#file.buffer);
    bytes.fill(0);
    this.#words = new Int32Array(this.#file.buffer);
    new MarkFileHeaderEncoder()
      .wrapAndApplyHeader(bytes, 0, new MessageHeaderEncoder())
      .pid(process.pid)
      .startTimestamp(epochClock())
      .controlStreamId(options.controlStreamId)
      .localControlStreamId(options.localControlStreamId)
      .eventsStreamId(options.recordingEventsStreamId)
      .headerLength(MARK_FILE_HEADER_LENGTH)
      .errorBufferLength(errorBufferLength)
      .archiveId(options.archiveId)
      .controlChannel(options.controlChannel ?? '')
      .localControlChannel(options.localControlChannel)
      .eventsChannel(options.recordingEventsChannel ?? '')
      .aeronDirectory(options.aeronDirectoryName);
  }

  /** The error log window (after the 8 KiB header), for a `DistinctErrorLog`. */
  errorBuffer(): Uint8Array {
    return new Uint8Array(this.#file.buffer, MARK_FILE_HEADER_LENGTH, this.#errorBufferLength);
  }

  /** Stores the activity timestamp, then the version 3.1.0 (Java `signalReady(activityTimestamp)`). */
  signalReady(activityTimestampMs: number): void {
    if (this.#file.isClosed) return;
    this.updateActivityTimestamp(activityTimestampMs);
    Atomics.store(this.#words, VERSION_OFFSET >> 2, ARCHIVE_SEMANTIC_VERSION);
  }

  /** Stores the activity timestamp (release order: high word, then low word). */
  updateActivityTimestamp(nowMs: number): void {
    if (this.#file.isClosed) return;
    const lo = nowMs | 0;
    Atomics.store(this.#words, (ACTIVITY_TIMESTAMP_OFFSET >> 2) + 1, Math.floor((nowMs - (lo >>> 0)) / 4294967296));
    Atomics.store(this.#words, ACTIVITY_TIMESTAMP_OFFSET >> 2, lo);
  }

  /** The activity timestamp as stored. */
  activityTimestamp(): number {
    const w = this.#words;
    const i = ACTIVITY_TIMESTAMP_OFFSET >> 2;
    return Atomics.load(w, i + 1) * 4294967296 + (Atomics.load(w, i) >>> 0);
  }

  /** Marks the archive gone: activity timestamp -1 (Java `signalTerminated`). */
  signalTerminated(): void {
    this.signalReady(-1);
  }

  /** Signals termination and unmaps. Idempotent. */
  close(): void {
    if (this.#file.isClosed) return;
    this.signalTerminated();
    this.#file.close();
  }

  /** Same as `close`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Throws ACTIVE_MARK_FILE (or MARK_FILE_VERSION) when the mark file at `path` belongs to a live archive. */
function checkNotActive(path: string, nowMs: number): void {
  let file: MappedFile;
  try {
    file = MappedFile.open(path, { readOnly: true });
  } catch {
    return; // empty or unreadable: nobody is alive behind it
  }
  try {
    if (file.length < ACTIVITY_TIMESTAMP_OFFSET + 8) return;
    const view = new DataView(file.buffer);
    const templateId = view.getUint16(2, true);
    const base = templateId === MarkFileHeaderEncoder.TEMPLATE_ID ? HEADER_OFFSET : 0;
    const version = view.getInt32(base, true);
    if (version !== 0 && ((version >>> 16) & 0xff) !== 3) {
      throw new ArchiveServerError(
        'MARK_FILE_VERSION',
        `mark file (${path}) major version ${(version >>> 16) & 0xff} does not match software: 3`,
      );
    }
    const timestamp = view.getInt32(base + 12, true) * 4294967296 + view.getUint32(base + 8, true);
    if (version !== 0 && nowMs - timestamp < LIVENESS_TIMEOUT_MS) {
      throw new ArchiveServerError('ACTIVE_MARK_FILE', 'active mark file detected');
    }
  } finally {
    file.close();
  }
}
