/**
 * The 16-byte prefix of every client -> driver command (Aeron 1.51.0 `CorrelatedMessageFlyweight`).
 * On its own it is the whole CLIENT_KEEPALIVE and CLIENT_CLOSE command (correlation id -1 for CLIENT_CLOSE).
 *
 * ```
 *   0                   8                   16
 *  +-------------------+-------------------+
 *  | clientId  int64   | correlationId i64 |
 *  +-------------------+-------------------+
 * ```
 */
import { Flyweight, SIZE_OF_LONG } from './flyweight.ts';

export const CLIENT_ID_FIELD_OFFSET = 0;
export const CORRELATION_ID_FIELD_OFFSET = 8;
/** Length of the prefix (and of a bare correlated message). */
export const CORRELATED_MESSAGE_LENGTH = 2 * SIZE_OF_LONG;

export class CorrelatedMessageFlyweight extends Flyweight {
  clientId(): number {
    return this.buffer.getInt64(this.offset + CLIENT_ID_FIELD_OFFSET);
  }

  setClientId(clientId: number): this {
    this.buffer.putInt64(this.offset + CLIENT_ID_FIELD_OFFSET, clientId);
    return this;
  }

  correlationId(): number {
    return this.buffer.getInt64(this.offset + CORRELATION_ID_FIELD_OFFSET);
  }

  setCorrelationId(correlationId: number): this {
    this.buffer.putInt64(this.offset + CORRELATION_ID_FIELD_OFFSET, correlationId);
    return this;
  }
}
