/**
 * ON_PUBLICATION_READY (0x0F03) and ON_EXCLUSIVE_PUBLICATION_READY (0x0F06) (Java:
 * `PublicationBuffersReadyFlyweight`).
 *
 * ```
 *  0  correlationId i64            the add command's correlation id
 *  8  registrationId i64           original registration (shared by every add of one concurrent publication)
 *  16 sessionId i32
 *  20 streamId i32
 *  24 publicationLimitCounterId i32
 *  28 channelStatusIndicatorId i32
 *  32 logFileName len i32 | 36 logFileName ASCII ...        length = 36 + n
 * ```
 */
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 correlation id of the add command (0). Java:
 * `PublicationBuffersReadyFlyweight.CORRELATION_ID_OFFSET` (private).
 */
export const PUBLICATION_READY_CORRELATION_ID_OFFSET = 0;
/**
 * Offset of the int64 registration id of the publication (8). Java:
 * `PublicationBuffersReadyFlyweight.REGISTRATION_ID_OFFSET` (private).
 */
export const PUBLICATION_READY_REGISTRATION_ID_OFFSET = 8;
/** Offset of the int32 session id (16). Java: `PublicationBuffersReadyFlyweight.SESSION_ID_OFFSET` (private). */
export const PUBLICATION_READY_SESSION_ID_OFFSET = 16;
/** Offset of the int32 stream id (20). Java: `PublicationBuffersReadyFlyweight.STREAM_ID_FIELD_OFFSET` (private). */
export const PUBLICATION_READY_STREAM_ID_OFFSET = 20;
/**
 * Offset of the int32 counter id of the publication limit (24). Java:
 * `PublicationBuffersReadyFlyweight.PUBLICATION_LIMIT_COUNTER_ID_OFFSET` (private).
 */
export const PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET = 24;
/**
 * Offset of the int32 counter id of the channel status indicator (28). Java:
 * `PublicationBuffersReadyFlyweight.CHANNEL_STATUS_INDICATOR_ID_OFFSET` (private).
 */
export const PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET = 28;
/**
 * Offset of the int32 log file name length, the ASCII name after it (32). Java:
 * `PublicationBuffersReadyFlyweight.LOGFILE_FIELD_OFFSET` (private).
 */
export const PUBLICATION_READY_LOG_FILE_OFFSET = 32;

/**
 * ON_PUBLICATION_READY and ON_EXCLUSIVE_PUBLICATION_READY: a publication's log file and counters. Java:
 * `PublicationBuffersReadyFlyweight`.
 */
export class PublicationBuffersReadyFlyweight extends Flyweight {
  /** Correlation id of the add command answered. Java: `PublicationBuffersReadyFlyweight.correlationId`. */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_READY_CORRELATION_ID_OFFSET);
  }

  /** Writes the correlation id; returns `this`. Java: `PublicationBuffersReadyFlyweight.correlationId(long)`. */
  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + PUBLICATION_READY_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /**
   * Registration id of the publication (shared by every add of one concurrent publication). Java:
   * `PublicationBuffersReadyFlyweight.registrationId`.
   */
  registrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_READY_REGISTRATION_ID_OFFSET);
  }

  /** Writes the registration id; returns `this`. Java: `PublicationBuffersReadyFlyweight.registrationId(long)`. */
  setRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + PUBLICATION_READY_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  /** Session id of the publication. Java: `PublicationBuffersReadyFlyweight.sessionId`. */
  sessionId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_SESSION_ID_OFFSET);
  }

  /** Writes the session id; returns `this`. Java: `PublicationBuffersReadyFlyweight.sessionId(int)`. */
  setSessionId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_SESSION_ID_OFFSET, id);
    return this;
  }

  /** Stream id. Java: `PublicationBuffersReadyFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `PublicationBuffersReadyFlyweight.streamId(int)`. */
  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_STREAM_ID_OFFSET, id);
    return this;
  }

  /**
   * Counter id of the publication limit (how far the publication may write). Java:
   * `PublicationBuffersReadyFlyweight.publicationLimitCounterId`.
   */
  publicationLimitCounterId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET);
  }

  /**
   * Writes the publication limit counter id; returns `this`. Java:
   * `PublicationBuffersReadyFlyweight.publicationLimitCounterId(int)`.
   */
  setPublicationLimitCounterId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET, id);
    return this;
  }

  /** Counter id of the channel status indicator. Java: `PublicationBuffersReadyFlyweight.channelStatusCounterId`. */
  channelStatusIndicatorId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET);
  }

  /**
   * Writes the channel status indicator counter id; returns `this`. Java:
   * `PublicationBuffersReadyFlyweight.channelStatusCounterId(int)`.
   */
  setChannelStatusIndicatorId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET, id);
    return this;
  }

  /** Path of the publication's log buffer file. Java: `PublicationBuffersReadyFlyweight.logFileName`. */
  logFileName(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET);
  }

  /**
   * Writes the log file name (length-prefixed ASCII); returns `this`. Java:
   * `PublicationBuffersReadyFlyweight.logFileName(String)`.
   */
  setLogFileName(name: string): this {
    this.buffer.putStringAscii(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET, name);
    return this;
  }

  /** Encoded length (36 + log file name length). Java: `PublicationBuffersReadyFlyweight.length`. */
  length(): number {
    return (
      PUBLICATION_READY_LOG_FILE_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET)
    );
  }
}
