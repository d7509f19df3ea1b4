/**
 * ON_PUBLICATION_READY (0x0F03) and ON_EXCLUSIVE_PUBLICATION_READY (0x0F06) (Aeron 1.51.0
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

export const PUBLICATION_READY_CORRELATION_ID_OFFSET = 0;
export const PUBLICATION_READY_REGISTRATION_ID_OFFSET = 8;
export const PUBLICATION_READY_SESSION_ID_OFFSET = 16;
export const PUBLICATION_READY_STREAM_ID_OFFSET = 20;
export const PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET = 24;
export const PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET = 28;
export const PUBLICATION_READY_LOG_FILE_OFFSET = 32;

export class PublicationBuffersReadyFlyweight extends Flyweight {
  correlationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_READY_CORRELATION_ID_OFFSET);
  }

  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + PUBLICATION_READY_CORRELATION_ID_OFFSET, id);
    return this;
  }

  registrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_READY_REGISTRATION_ID_OFFSET);
  }

  setRegistrationId(id: number): this {
    this.buffer.putInt64(this.offset + PUBLICATION_READY_REGISTRATION_ID_OFFSET, id);
    return this;
  }

  sessionId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_SESSION_ID_OFFSET);
  }

  setSessionId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_SESSION_ID_OFFSET, id);
    return this;
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_STREAM_ID_OFFSET);
  }

  setStreamId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_STREAM_ID_OFFSET, id);
    return this;
  }

  publicationLimitCounterId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET);
  }

  setPublicationLimitCounterId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_LIMIT_COUNTER_ID_OFFSET, id);
    return this;
  }

  channelStatusIndicatorId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET);
  }

  setChannelStatusIndicatorId(id: number): this {
    this.buffer.putInt32(this.offset + PUBLICATION_READY_CHANNEL_STATUS_ID_OFFSET, id);
    return this;
  }

  logFileName(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET);
  }

  setLogFileName(name: string): this {
    this.buffer.putStringAscii(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET, name);
    return this;
  }

  length(): number {
    return (
      PUBLICATION_READY_LOG_FILE_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_READY_LOG_FILE_OFFSET)
    );
  }
}
