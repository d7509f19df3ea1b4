/**
 * The small fixed-length driver responses:
 *
 * ```
 *  ON_OPERATION_SUCCESS   0x0F04  0 correlationId i64                          length 8   OperationSucceededFlyweight
 *  ON_CLIENT_TIMEOUT      0x0F0A  0 clientId i64                               length 8   ClientTimeoutFlyweight
 *  ON_SUBSCRIPTION_READY  0x0F07  0 correlationId i64 | 8 channelStatusId i32  length 12  SubscriptionReadyFlyweight
 *  ON_COUNTER_READY       0x0F08  0 correlationId i64 | 8 counterId i32        length 12  CounterUpdateFlyweight
 *  ON_UNAVAILABLE_COUNTER 0x0F09  same as ON_COUNTER_READY                     length 12  CounterUpdateFlyweight
 *  ON_STATIC_COUNTER      0x0F0B  0 correlationId i64 | 8 counterId i32        length 12  StaticCounterFlyweight
 * ```
 * ON_COUNTER_READY's correlation id is the counter's registration id; for a client heartbeat counter it is
 * the client id.
 */
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 id (0). Java: `OperationSucceededFlyweight.CORRELATION_ID_FIELD_OFFSET`,
 * `ClientTimeoutFlyweight.CLIENT_ID_FIELD_OFFSET`, `CounterUpdateFlyweight.CORRELATION_ID_OFFSET` (private).
 */
export const ID_RESPONSE_ID_OFFSET = 0;
/**
 * Offset of the int32 after the id (8). Java: `SubscriptionReadyFlyweight.CHANNEL_STATUS_INDICATOR_ID_OFFSET`,
 * `CounterUpdateFlyweight.COUNTER_ID_OFFSET` (private).
 */
export const ID_RESPONSE_INT_OFFSET = 8;
/** Length of an id-only response (8). Java: `OperationSucceededFlyweight.LENGTH`, `ClientTimeoutFlyweight.LENGTH`. */
export const ID_RESPONSE_LENGTH = 8;
/**
 * Length of an id + int32 response (12). Java: `SubscriptionReadyFlyweight.LENGTH`, `CounterUpdateFlyweight.LENGTH`,
 * `StaticCounterFlyweight.LENGTH`.
 */
export const ID_INT_RESPONSE_LENGTH = 12;

/** An int64 id at 0 (correlation id or client id). */
export class IdResponseFlyweight extends Flyweight {
  /** The int64 at offset 0: correlation id (ON_OPERATION_SUCCESS) or client id (ON_CLIENT_TIMEOUT). */
  id(): number {
    return this.buffer.getInt64(this.offset + ID_RESPONSE_ID_OFFSET);
  }

  /**
   * Writes the id; returns `this`. Java: `OperationSucceededFlyweight.correlationId(long)`,
   * `ClientTimeoutFlyweight.clientId(long)`.
   */
  setId(id: number): this {
    this.buffer.putInt64(this.offset + ID_RESPONSE_ID_OFFSET, id);
    return this;
  }
}

/** An int64 correlation id at 0 and an int32 at 8 (channel status id or counter id). */
export class IdIntResponseFlyweight extends Flyweight {
  /**
   * Correlation id of the command answered (ON_COUNTER_READY: the counter's registration id). Java:
   * `SubscriptionReadyFlyweight.correlationId`, `CounterUpdateFlyweight.correlationId`.
   */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + ID_RESPONSE_ID_OFFSET);
  }

  /** Writes the correlation id; returns `this`. */
  setCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + ID_RESPONSE_ID_OFFSET, id);
    return this;
  }

  /** Counter id (counter responses) or channel status indicator id (ON_SUBSCRIPTION_READY). */
  value(): number {
    return this.buffer.getInt32(this.offset + ID_RESPONSE_INT_OFFSET);
  }

  /** Writes the int32 value; returns `this`. */
  setValue(value: number): this {
    this.buffer.putInt32(this.offset + ID_RESPONSE_INT_OFFSET, value);
    return this;
  }
}
