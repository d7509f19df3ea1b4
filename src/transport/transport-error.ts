/**
 * Typed errors of the transport layer.
 *
 * Every error carries a stable string `code` callers can switch on; messages are for humans and may change.
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';

/** Stable codes of every transport error. */
export type TransportErrorCode =
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'TOO_SHORT'
  | 'MAP_FAILED'
  | 'CLOSED'
  | 'OUT_OF_BOUNDS'
  | 'MISALIGNED'
  | 'INVALID_CAPACITY'
  | 'INVALID_MSG_TYPE_ID'
  | 'MESSAGE_TOO_LONG'
  | 'INVALID_CLAIM'
  | 'BROADCAST_LAPPED'
  | 'BROADCAST_CORRUPT'
  | 'INVALID_COUNTER_ID'
  | 'CNC_VERSION_MISMATCH'
  | 'CNC_VERSION_INSUFFICIENT'
  | 'CNC_NOT_READY'
  | 'CNC_MALFORMED';

/** Base class of every error thrown by `src/transport`. */
export class TransportError extends AeronError {
  /** Which condition it is. */
  declare readonly code: TransportErrorCode;

  /**
   * @param code the condition.
   * @param message human-readable details.
   */
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this class's codes
  constructor(code: TransportErrorCode, message: string) {
    super(code, message);
  }
}

/** A buffer access outside the buffer, or an atomic access at an address the hardware cannot do atomically. */
export class AtomicBufferError extends TransportError {}

/** A ring buffer or broadcast buffer was used against its contract (bad type id, length, capacity, claim). */
export class RingBufferError extends TransportError {}

/**
 * The broadcast transmitter overwrote records this receiver had not read yet. Fatal for an Aeron client:
 * it has missed driver responses and must be closed.
 */
export class BroadcastLappedError extends TransportError {
  /** @param message human-readable details; default `unable to keep up with broadcast` (Java's wording). */
  constructor(message = 'unable to keep up with broadcast') {
    super('BROADCAST_LAPPED', message);
  }
}

/**
 * A broadcast record claims a length that cannot fit in the buffer while the receiver was not lapped:
 * the to-clients buffer is corrupt. As fatal for an Aeron client as being lapped.
 */
export class BroadcastCorruptError extends TransportError {
  /** @param message which record claimed which length. */
  constructor(message: string) {
    super('BROADCAST_CORRUPT', message);
  }
}

/** Counter id outside `0..maxCounterId`. */
export class CountersError extends TransportError {}

/** The CnC file's version is not compatible with this client. */
export class CncVersionError extends TransportError {
  /** The raw semantic version int found in the file. */
  readonly fileVersion: number;

  /**
   * @param code `CNC_VERSION_MISMATCH` (another major version) or `CNC_VERSION_INSUFFICIENT` (an older minor).
   * @param fileVersion the raw semantic version int found in the file.
   * @param message human-readable details.
   */
  constructor(code: 'CNC_VERSION_MISMATCH' | 'CNC_VERSION_INSUFFICIENT', fileVersion: number, message: string) {
    super(code, message);
    this.fileVersion = fileVersion;
  }
}

/** The CnC file is not (yet) a valid CnC file: not initialised, garbage version, or region lengths that do not fit. */
export class CncFormatError extends TransportError {}
