/**
 * REJECT_IMAGE (0x10, since 1.47.0) (Aeron 1.51.0 `RejectImageFlyweight`).
 *
 * ```
 *  0 client | 8 correlation | 16 imageCorrelationId i64 | 24 position i64 | 32 reason len i32 | 36 reason ...
 * ```
 * Length = 36 + reason length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

export const REJECT_IMAGE_CORRELATION_ID_OFFSET = 16;
export const REJECT_IMAGE_POSITION_OFFSET = 24;
export const REJECT_IMAGE_REASON_OFFSET = 32;

export class RejectImageFlyweight extends CorrelatedMessageFlyweight {
  static computeLength(reason: string): number {
    return REJECT_IMAGE_REASON_OFFSET + 4 + reason.length;
  }

  imageCorrelationId(): number {
    return this.buffer.getInt64(this.offset + REJECT_IMAGE_CORRELATION_ID_OFFSET);
  }

  setImageCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + REJECT_IMAGE_CORRELATION_ID_OFFSET, id);
    return this;
  }

  position(): number {
    return this.buffer.getInt64(this.offset + REJECT_IMAGE_POSITION_OFFSET);
  }

  setPosition(position: number): this {
    this.buffer.putInt64(this.offset + REJECT_IMAGE_POSITION_OFFSET, position);
    return this;
  }

  reason(): string {
    return this.buffer.getStringAscii(this.offset + REJECT_IMAGE_REASON_OFFSET);
  }

  setReason(reason: string): this {
    this.buffer.putStringAscii(this.offset + REJECT_IMAGE_REASON_OFFSET, reason);
    return this;
  }
}
