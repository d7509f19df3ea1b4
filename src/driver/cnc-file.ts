/**
 * The writer side of `<aeron dir>/cnc.dat` (Aeron 1.51.0 `CncFileDescriptor.fillMetaData` / `signalCncReady`,
 * `MediaDriver.Context.conclude`); the layout and the reader are `transport/cnc-descriptor.ts`.
 *
 * ```
 *  0      128-byte header: +0 cncVersion (written LAST, release) +4..+20 five region lengths
 *         +24 clientLivenessTimeout ns  +32 start timestamp ms  +40 pid  +48 filePageSize
 *  128    to-driver ring buffer      conductorBufferLength      (1 MiB + 768)
 *         to-clients broadcast       toClientsBufferLength      (1 MiB + 128)
 *         counters metadata          4 x counterValuesBufferLength
 *         counters values            counterValuesBufferLength  (8 MiB)
 *         distinct error log         errorBufferLength          (4 MiB)
 *  end    file length = align(128 + sum of the regions, filePageSize)
 * ```
 *
 * Start-up order, as Aeron's: `create` maps a new zero-filled file and fills every header field but the version;
 * the driver then allocates its counters, takes correlation id 0 from the to-driver ring (so ids handed to
 * clients start at 1), stamps the consumer heartbeat, and only then `signalReady` release-stores the version:
 * a client that sees a non-zero version sees everything before it.
 */
import { join } from 'node:path';
import { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { alignLarge } from '../transport/bit-util.ts';
import {
  CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET,
  CNC_FILE,
  CNC_METADATA_LENGTH,
  CNC_VERSION,
  CNC_VERSION_FIELD_OFFSET,
  type CncHeader,
  type CncRegions,
  COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET,
  COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET,
  cncRegions,
  ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET,
  FILE_PAGE_SIZE_FIELD_OFFSET,
  PID_FIELD_OFFSET,
  START_TIMESTAMP_FIELD_OFFSET,
  TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET,
  TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET,
} from '../transport/cnc-descriptor.ts';
import { MappedFile } from '../transport/mapped-file.ts';
import type { MediaDriverContext } from './media-driver-context.ts';

/** The region lengths and header values of a CnC file to create. */
export type CncFileLayout = Omit<CncHeader, 'cncVersion'>;

/** The header values a driver with this context writes (pid and start time given). */
export function cncFileLayout(context: MediaDriverContext, startTimestampMs: number, pid: number): CncFileLayout {
  return {
    toDriverBufferLength: context.conductorBufferLength,
    toClientsBufferLength: context.toClientsBufferLength,
    countersMetadataBufferLength: context.countersMetadataBufferLength,
    countersValuesBufferLength: context.counterValuesBufferLength,
    errorLogBufferLength: context.errorBufferLength,
    clientLivenessTimeoutNs: context.clientLivenessTimeoutNs,
    startTimestampMs,
    pid,
    filePageSize: context.filePageSize,
  };
}

/** Length of the CnC file for a layout: header + regions, aligned to the file page size. */
export function cncFileLength(layout: CncFileLayout): number {
  const unaligned =
    CNC_METADATA_LENGTH +
    layout.toDriverBufferLength +
    layout.toClientsBufferLength +
    layout.countersMetadataBufferLength +
    layout.countersValuesBufferLength +
    layout.errorLogBufferLength;
  return alignLarge(unaligned, layout.filePageSize);
}

/** A CnC file created and mapped by this driver. */
export class CncFile {
  /** The file's path (`<aeron dir>/cnc.dat`). */
  readonly path: string;
  /** The whole mapped file. */
  readonly buffer: AtomicBuffer;
  /** Windows onto the five regions. */
  readonly regions: CncRegions;
  /** The header values written. */
  readonly layout: CncFileLayout;
  readonly #mapping: MappedFile;

  private constructor(path: string, mapping: MappedFile, layout: CncFileLayout) {
    this.path = path;
    this.#mapping = mapping;
    this.layout = layout;
    this.buffer = new AtomicBuffer(mapping.buffer);
    this.regions = cncRegions(this.buffer, { ...layout, cncVersion: 0 });
  }

  /** Creates (or truncates) `<aeronDir>/cnc.dat`, maps it and fills the header except the version. */
  static create(aeronDir: string, layout: CncFileLayout): CncFile {
    const path = join(aeronDir, CNC_FILE);
    const mapping = MappedFile.create(path, cncFileLength(layout));
    const cnc = new CncFile(path, mapping, layout);
    const buffer = cnc.buffer;
    buffer.putInt32(TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, layout.toDriverBufferLength);
    buffer.putInt32(TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, layout.toClientsBufferLength);
    buffer.putInt32(COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, layout.countersMetadataBufferLength);
    buffer.putInt32(COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, layout.countersValuesBufferLength);
    buffer.putInt32(ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET, layout.errorLogBufferLength);
    buffer.putInt64(CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET, layout.clientLivenessTimeoutNs);
    buffer.putInt64(START_TIMESTAMP_FIELD_OFFSET, layout.startTimestampMs);
    buffer.putInt64(PID_FIELD_OFFSET, layout.pid);
    buffer.putInt32(FILE_PAGE_SIZE_FIELD_OFFSET, layout.filePageSize);
    return cnc;
  }

  /** The mapped length in bytes. */
  get length(): number {
    return this.#mapping.length;
  }

  /** Publishes the file: release-stores the CnC version (0.2.0), after everything else was written. */
  signalReady(): void {
    this.buffer.putInt32Ordered(CNC_VERSION_FIELD_OFFSET, CNC_VERSION);
  }

  /** Unmaps the file (it stays on disk). Idempotent. */
  close(): void {
    this.#mapping.close();
  }
}
