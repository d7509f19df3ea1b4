/**
 * GET_NEXT_AVAILABLE_SESSION_ID (0x12) and its answer ON_NEXT_AVAILABLE_SESSION_ID (0x0F0D), since 1.49.0
 * (Aeron 1.51.0 `GetNextAvailableSessionIdMessageFlyweight`, `NextAvailableSessionIdFlyweight`).
 *
 * ```
 *  command:  0 client | 8 correlation | 16 streamId i32            length 20
 *  response: 0 correlationId i64      | 8 nextSessionId i32        length 12
 * ```
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';
import { Flyweight } from './flyweight.ts';

export const GET_NEXT_SESSION_ID_STREAM_ID_OFFSET = 16;
export const GET_NEXT_SESSION_ID_LENGTH = 20;
export const NEXT_SESSION_ID_CORRELATION_ID_OFFSET = 0;
export const NEXT_SESSION_ID_SESSION_ID_OFFSET = 8;
export const NEXT_SESSION_ID_LENGTH = 12;

export class GetNextAvailableSessionIdMessageFlyweight extends CorrelatedMessageFlyweight {
  streamId(): number {
    return this.buffer.getInt32(this.offset + GET_NEXT_SESSION_ID_STREAM_ID_OFFSET);
  }

  setStreamId(streamId: number): this {
    this.buffer.putInt32(this.offset + GET_NEXT_SESSION_ID_STREAM_ID_OFFSET, streamId);
    return this;
  }
}

export class NextAvailableSessionIdFlyweight extends Flyweight {
  correlationId(): number {
    return this.buffer.getInt64(this.offset + NEXT_SESSION_ID_CORRELATION_ID_OFFSET);
  }

  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + NEXT_SESSION_ID_CORRELATION_ID_OFFSET, id);
    return this;
  }

  nextSessionId(): number {
    return this.buffer.getInt32(this.offset + NEXT_SESSION_ID_SESSION_ID_OFFSET);
  }

  setNextSessionId(sessionId: number): this {
    this.buffer.putInt32(this.offset + NEXT_SESSION_ID_SESSION_ID_OFFSET, sessionId);
    return this;
  }
}
