/**
 * GET_NEXT_AVAILABLE_SESSION_ID (0x12) and its answer ON_NEXT_AVAILABLE_SESSION_ID (0x0F0D)
 * (Java: `GetNextAvailableSessionIdMessageFlyweight`, `NextAvailableSessionIdFlyweight`).
 *
 * ```
 *  command:  0 client | 8 correlation | 16 streamId i32            length 20
 *  response: 0 correlationId i64      | 8 nextSessionId i32        length 12
 * ```
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';
import { Flyweight } from './flyweight.ts';

/**
 * GET_NEXT_AVAILABLE_SESSION_ID: offset of the int32 stream id (16). Java:
 * `GetNextAvailableSessionIdMessageFlyweight.STREAM_ID_OFFSET` (private).
 */
export const GET_NEXT_SESSION_ID_STREAM_ID_OFFSET = 16;
/** Length of GET_NEXT_AVAILABLE_SESSION_ID (20). Java: `GetNextAvailableSessionIdMessageFlyweight.LENGTH`. */
export const GET_NEXT_SESSION_ID_LENGTH = 20;
/**
 * ON_NEXT_AVAILABLE_SESSION_ID: offset of the int64 correlation id (0). Java:
 * `NextAvailableSessionIdFlyweight.CORRELATION_ID_OFFSET` (private).
 */
export const NEXT_SESSION_ID_CORRELATION_ID_OFFSET = 0;
/**
 * ON_NEXT_AVAILABLE_SESSION_ID: offset of the int32 session id (8). Java:
 * `NextAvailableSessionIdFlyweight.SESSION_ID_OFFSET` (private).
 */
export const NEXT_SESSION_ID_SESSION_ID_OFFSET = 8;
/** Length of ON_NEXT_AVAILABLE_SESSION_ID (12). Java: `NextAvailableSessionIdFlyweight.LENGTH`. */
export const NEXT_SESSION_ID_LENGTH = 12;

/**
 * GET_NEXT_AVAILABLE_SESSION_ID: asks for a session id not in use on a stream. Java:
 * `GetNextAvailableSessionIdMessageFlyweight`.
 */
export class GetNextAvailableSessionIdMessageFlyweight extends CorrelatedMessageFlyweight {
  /** Stream id asked about. Java: `GetNextAvailableSessionIdMessageFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + GET_NEXT_SESSION_ID_STREAM_ID_OFFSET);
  }

  /** Writes the stream id; returns `this`. Java: `GetNextAvailableSessionIdMessageFlyweight.streamId(int)`. */
  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + GET_NEXT_SESSION_ID_STREAM_ID_OFFSET, streamId);
    return this;
  }
}

/**
 * ON_NEXT_AVAILABLE_SESSION_ID: the answer to GET_NEXT_AVAILABLE_SESSION_ID. Java: `NextAvailableSessionIdFlyweight`.
 */
export class NextAvailableSessionIdFlyweight extends Flyweight {
  /** Correlation id of the command answered. Java: `NextAvailableSessionIdFlyweight.correlationId`. */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + NEXT_SESSION_ID_CORRELATION_ID_OFFSET);
  }

  /** Writes the correlation id; returns `this`. Java: `NextAvailableSessionIdFlyweight.correlationId(long)`. */
  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + NEXT_SESSION_ID_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** The next available session id. Java: `NextAvailableSessionIdFlyweight.nextSessionId`. */
  nextSessionId(): number {
    return this.buffer.getInt32(this.offset + NEXT_SESSION_ID_SESSION_ID_OFFSET);
  }

  /** Writes the session id; returns `this`. Java: `NextAvailableSessionIdFlyweight.nextSessionId(int)`. */
  setNextSessionId(sessionId: number): this {
    this.buffer.putInt32(this.offset + NEXT_SESSION_ID_SESSION_ID_OFFSET, sessionId);
    return this;
  }
}
