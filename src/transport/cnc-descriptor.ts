/**
 * The media driver's command-and-control file `<aeron dir>/cnc.dat` (Java: `CncFileDescriptor`).
 *
 * ```
 *  header, 128 bytes:
 *    +0   int32 cncVersion            semantic version, written last by the driver (volatile)
 *    +4   int32 toDriverBufferLength  ring capacity + 768
 *    +8   int32 toClientsBufferLength broadcast capacity + 128
 *    +12  int32 countersMetadataBufferLength
 *    +16  int32 countersValuesBufferLength
 *    +20  int32 errorLogBufferLength
 *    +24  int64 clientLivenessTimeout  nanoseconds
 *    +32  int64 startTimestamp         epoch ms
 *    +40  int64 pid
 *    +48  int32 filePageSize           0 from old drivers = 4096
 *    +52..127 unused
 *
 *  regions, contiguous from offset 128:
 *    to-driver ring | to-clients broadcast | counters metadata | counters values | error log
 * ```
 */
import type { AtomicBuffer } from './atomic-buffer.ts';
import {
  composeSemanticVersion,
  semanticVersionMajor,
  semanticVersionMinor,
  semanticVersionToString,
} from './semantic-version.ts';
import { CncFormatError, CncVersionError } from './transport-error.ts';

/** Name of the CnC file in the Aeron directory. Java: `CncFileDescriptor.CNC_FILE`. */
export const CNC_FILE = 'cnc.dat';
/** CnC layout version this client speaks: 0.2.0 (= 512). Java: `CncFileDescriptor.CNC_VERSION`. */
export const CNC_VERSION: number = composeSemanticVersion(0, 2, 0);

/**
 * Offset of the int32 `cncVersion`, written last (volatile) by the driver (+0). Java:
 * `CncFileDescriptor.CNC_VERSION_FIELD_OFFSET`.
 */
export const CNC_VERSION_FIELD_OFFSET = 0;
/**
 * Offset of the int32 length of the to-driver ring buffer region (+4). Java:
 * `CncFileDescriptor.TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET`.
 */
export const TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET = 4;
/**
 * Offset of the int32 length of the to-clients broadcast region (+8). Java:
 * `CncFileDescriptor.TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET`.
 */
export const TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET = 8;
/**
 * Offset of the int32 length of the counters metadata region (+12). Java:
 * `CncFileDescriptor.COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET`.
 */
export const COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET = 12;
/**
 * Offset of the int32 length of the counters values region (+16). Java:
 * `CncFileDescriptor.COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET`.
 */
export const COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET = 16;
/**
 * Offset of the int32 length of the error log region (+20). Java:
 * `CncFileDescriptor.ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET`.
 */
export const ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET = 20;
/**
 * Offset of the int64 client liveness timeout, in nanoseconds (+24). Java:
 * `CncFileDescriptor.CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET`.
 */
export const CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET = 24;
/** Offset of the int64 driver start time, epoch ms (+32). Java: `CncFileDescriptor.START_TIMESTAMP_FIELD_OFFSET`. */
export const START_TIMESTAMP_FIELD_OFFSET = 32;
/** Offset of the int64 process id of the driver (+40). Java: `CncFileDescriptor.PID_FIELD_OFFSET`. */
export const PID_FIELD_OFFSET = 40;
/**
 * Offset of the int32 file page size (0 from drivers that predate it) (+48). Java:
 * `CncFileDescriptor.FILE_PAGE_SIZE_FIELD_OFFSET`.
 */
export const FILE_PAGE_SIZE_FIELD_OFFSET = 48;
/** Length of the header; also the offset of the first region. Java: `CncFileDescriptor.META_DATA_LENGTH`. */
export const CNC_METADATA_LENGTH = 128;
/** Page size assumed when the header's `filePageSize` is 0 (an older driver). */
export const DEFAULT_FILE_PAGE_SIZE = 4096;

/** The header fields (lengths in bytes). */
export interface CncHeader {
  /** Semantic version of the layout (major << 16 | minor << 8 | patch); 0 until the driver is ready. */
  readonly cncVersion: number;
  /** Length in bytes of the to-driver ring buffer region (capacity + 768-byte trailer). */
  readonly toDriverBufferLength: number;
  /** Length in bytes of the to-clients broadcast region (capacity + 128-byte trailer). */
  readonly toClientsBufferLength: number;
  /** Length in bytes of the counters metadata region. */
  readonly countersMetadataBufferLength: number;
  /** Length in bytes of the counters values region. */
  readonly countersValuesBufferLength: number;
  /** Length in bytes of the distinct error log region. */
  readonly errorLogBufferLength: number;
  /** How long the driver waits for a client's keepalive before timing it out, in nanoseconds. */
  readonly clientLivenessTimeoutNs: number;
  /** When the driver started, epoch ms. */
  readonly startTimestampMs: number;
  /** Process id of the driver. */
  readonly pid: number;
  /** As stored; 0 means an old driver (use `DEFAULT_FILE_PAGE_SIZE`). */
  readonly filePageSize: number;
}

/** Windows onto each region of a CnC file. */
export interface CncRegions {
  /** The to-driver ring buffer (clients' commands). */
  readonly toDriver: AtomicBuffer;
  /** The to-clients broadcast buffer (the driver's responses and events). */
  readonly toClients: AtomicBuffer;
  /** The counters metadata (a 512-byte record per counter). */
  readonly countersMetadata: AtomicBuffer;
  /** The counters values (a 128-byte record per counter). */
  readonly countersValues: AtomicBuffer;
  /** The driver's distinct error log. */
  readonly errorLog: AtomicBuffer;
}

/** Volatile read of the version word (0 until the driver has finished initialising the file). */
export function readCncVersion(cnc: AtomicBuffer): number {
  return cnc.getInt32Volatile(CNC_VERSION_FIELD_OFFSET);
}

/** Reads the header. Does not validate it: see `validateCnc`. */
export function readCncHeader(cnc: AtomicBuffer): CncHeader {
  return {
    cncVersion: readCncVersion(cnc),
    toDriverBufferLength: cnc.getInt32(TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET),
    toClientsBufferLength: cnc.getInt32(TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET),
    countersMetadataBufferLength: cnc.getInt32(COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET),
    countersValuesBufferLength: cnc.getInt32(COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET),
    errorLogBufferLength: cnc.getInt32(ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET),
    clientLivenessTimeoutNs: cnc.getInt64(CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET),
    startTimestampMs: cnc.getInt64(START_TIMESTAMP_FIELD_OFFSET),
    pid: cnc.getInt64(PID_FIELD_OFFSET),
    filePageSize: cnc.getInt32(FILE_PAGE_SIZE_FIELD_OFFSET),
  };
}

/**
 * Checks a version word the way the Java client does: the major must equal ours (`CNC_VERSION_MISMATCH`)
 * and the minor must be >= ours (`CNC_VERSION_INSUFFICIENT`). 0 means "not initialised yet" (`CNC_NOT_READY`);
 * bits above the major byte mean the file is not a CnC file (`CNC_MALFORMED`). Java: `CncFileDescriptor.checkVersion`.
 *
 * @throws CncFormatError `CNC_NOT_READY` or `CNC_MALFORMED`.
 * @throws CncVersionError `CNC_VERSION_MISMATCH` or `CNC_VERSION_INSUFFICIENT`.
 */
export function checkCncVersion(cncVersion: number): void {
  if (cncVersion === 0) {
    throw new CncFormatError('CNC_NOT_READY', 'CnC file is created but not initialised (version 0)');
  }
  if ((cncVersion & 0xff000000) !== 0) {
    throw new CncFormatError(
      'CNC_MALFORMED',
      `CnC version word 0x${(cncVersion >>> 0).toString(16)} is not a semantic version`,
    );
  }
  if (semanticVersionMajor(cncVersion) !== semanticVersionMajor(CNC_VERSION)) {
    throw new CncVersionError(
      'CNC_VERSION_MISMATCH',
      cncVersion,
      `CnC version not compatible: app=${semanticVersionToString(CNC_VERSION)} file=${semanticVersionToString(cncVersion)}`,
    );
  }
  if (semanticVersionMinor(cncVersion) < semanticVersionMinor(CNC_VERSION)) {
    throw new CncVersionError(
      'CNC_VERSION_INSUFFICIENT',
      cncVersion,
      `driverVersion=${semanticVersionToString(cncVersion)} insufficient for clientVersion=${semanticVersionToString(CNC_VERSION)}`,
    );
  }
}

/** Sum of the header and the five region lengths: the least length the file must have. */
export function cncRequiredLength(header: CncHeader): number {
  return (
    CNC_METADATA_LENGTH +
    header.toDriverBufferLength +
    header.toClientsBufferLength +
    header.countersMetadataBufferLength +
    header.countersValuesBufferLength +
    header.errorLogBufferLength
  );
}

/**
 * Validates a mapped CnC file: length >= 128, version (see `checkCncVersion`), non-negative 8-byte-aligned
 * region lengths that fit in the file. Returns the header. Throws `CncFormatError`/`CncVersionError`.
 */
export function validateCnc(cnc: AtomicBuffer): CncHeader {
  if (cnc.capacity < CNC_METADATA_LENGTH) {
    throw new CncFormatError('CNC_MALFORMED', `CnC file is ${cnc.capacity} bytes, shorter than its 128-byte header`);
  }
  const header = readCncHeader(cnc);
  checkCncVersion(header.cncVersion);
  const lengths = [
    header.toDriverBufferLength,
    header.toClientsBufferLength,
    header.countersMetadataBufferLength,
    header.countersValuesBufferLength,
    header.errorLogBufferLength,
  ];
  if (lengths.some((l) => l < 0 || l % 8 !== 0)) {
    throw new CncFormatError('CNC_MALFORMED', `CnC region lengths are invalid: ${lengths.join(', ')}`);
  }
  const required = cncRequiredLength(header);
  if (required > cnc.capacity) {
    throw new CncFormatError('CNC_MALFORMED', `CnC file is ${cnc.capacity} bytes but its regions need ${required}`);
  }
  return header;
}

/** Windows onto the five regions (call `validateCnc` first). */
export function cncRegions(cnc: AtomicBuffer, header: CncHeader): CncRegions {
  let offset = CNC_METADATA_LENGTH;
  const next = (length: number): AtomicBuffer => {
    const region = cnc.slice(offset, length);
    offset += length;
    return region;
  };
  return {
    toDriver: next(header.toDriverBufferLength),
    toClients: next(header.toClientsBufferLength),
    countersMetadata: next(header.countersMetadataBufferLength),
    countersValues: next(header.countersValuesBufferLength),
    errorLog: next(header.errorLogBufferLength),
  };
}

/** The page size to use for files of this driver (0 in the header means 4096). */
export function cncFilePageSize(header: CncHeader): number {
  return header.filePageSize === 0 ? DEFAULT_FILE_PAGE_SIZE : header.filePageSize;
}

/** Writes a CnC header (for tests and a future TS driver); the version word is written last, ordered. */
export function writeCncHeader(
  cnc: AtomicBuffer,
  header: Omit<CncHeader, 'cncVersion'>,
  cncVersion = CNC_VERSION,
): void {
  cnc.putInt32(TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, header.toDriverBufferLength);
  cnc.putInt32(TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, header.toClientsBufferLength);
  cnc.putInt32(COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, header.countersMetadataBufferLength);
  cnc.putInt32(COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, header.countersValuesBufferLength);
  cnc.putInt32(ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET, header.errorLogBufferLength);
  cnc.putInt64(CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET, header.clientLivenessTimeoutNs);
  cnc.putInt64(START_TIMESTAMP_FIELD_OFFSET, header.startTimestampMs);
  cnc.putInt64(PID_FIELD_OFFSET, header.pid);
  cnc.putInt32(FILE_PAGE_SIZE_FIELD_OFFSET, header.filePageSize);
  cnc.putInt32Ordered(CNC_VERSION_FIELD_OFFSET, cncVersion);
}
