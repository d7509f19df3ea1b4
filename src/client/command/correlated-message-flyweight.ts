/**
 * The 16-byte prefix of every client -> driver command (Java: `CorrelatedMessageFlyweight`).
 * On its own it is the whole CLIENT_KEEPALIVE and CLIENT_CLOSE command (correlation id -1 for CLIENT_CLOSE).
 *
 * ```
 *   0                   8                   16
 *  +-------------------+-------------------+
 *  | clientId  int64   | correlationId i64 |
 *  +-------------------+-------------------+
 * ```
 */
import { SIZE_OF_LONG } from '../../transport/bit-util.ts';
import { Flyweight } from './flyweight.ts';

/** Offset of the int64 client id (0). Java: `CorrelatedMessageFlyweight.CLIENT_ID_FIELD_OFFSET` (private). */
export const CLIENT_ID_FIELD_OFFSET = 0;
/** Offset of the int64 correlation id (8). Java: `CorrelatedMessageFlyweight.CORRELATION_ID_FIELD_OFFSET`. */
export const CORRELATION_ID_FIELD_OFFSET = 8;
/** Length of the prefix (and of a bare correlated message: 16). Java: `CorrelatedMessageFlyweight.LENGTH`. */
export const CORRELATED_MESSAGE_LENGTH = 2 * SIZE_OF_LONG;

/** The client id and correlation id every client -> driver command starts with. Java: `CorrelatedMessageFlyweight`. */
export class CorrelatedMessageFlyweight extends Flyweight {
  /** Id of the client that sent the command. Java: `CorrelatedMessageFlyweight.clientId`. */
  clientId(): number {
    return this.buffer.getInt64(this.offset + CLIENT_ID_FIELD_OFFSET);
  }

  /** Writes the client id; returns `this`. Java: `CorrelatedMessageFlyweight.clientId(long)`. */
  setClientId(clientId: number): this {
    this.buffer.putInt64(this.offset + CLIENT_ID_FIELD_OFFSET, clientId);
    return this;
  }

  /** Id the driver's response carries back (unique per command). Java: `CorrelatedMessageFlyweight.correlationId`. */
  correlationId(): number {
    return this.buffer.getInt64(this.offset + CORRELATION_ID_FIELD_OFFSET);
  }

  /** Writes the correlation id; returns `this`. Java: `CorrelatedMessageFlyweight.correlationId(long)`. */
  setCorrelationId(correlationId: number): this {
    this.buffer.putInt64(this.offset + CORRELATION_ID_FIELD_OFFSET, correlationId);
    return this;
  }
}
