/**
 * REJECT_IMAGE (0x10) (Java: `RejectImageFlyweight`).
 *
 * ```
 *  0 client | 8 correlation | 16 imageCorrelationId i64 | 24 position i64 | 32 reason len i32 | 36 reason ...
 * ```
 * Length = 36 + reason length.
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/**
 * Offset of the int64 correlation id of the image (16). Java: `RejectImageFlyweight.IMAGE_CORRELATION_ID_FIELD_OFFSET`
 * (private).
 */
export const REJECT_IMAGE_CORRELATION_ID_OFFSET = 16;
/**
 * Offset of the int64 position at which the image is rejected (24). Java: `RejectImageFlyweight.POSITION_FIELD_OFFSET`
 * (private).
 */
export const REJECT_IMAGE_POSITION_OFFSET = 24;
/**
 * Offset of the int32 reason length, the ASCII reason after it (32). Java: `RejectImageFlyweight.REASON_FIELD_OFFSET`
 * (private).
 */
export const REJECT_IMAGE_REASON_OFFSET = 32;

/** REJECT_IMAGE: invalidates an image, with a position and a reason. Java: `RejectImageFlyweight`. */
export class RejectImageFlyweight extends CorrelatedMessageFlyweight {
  /** Encoded length for `reason` (36 + its length; ASCII, one byte per character). */
  static computeLength(reason: string): number {
    return REJECT_IMAGE_REASON_OFFSET + 4 + reason.length;
  }

  /** Correlation id of the image to reject. Java: `RejectImageFlyweight.imageCorrelationId`. */
  imageCorrelationId(): number {
    return this.buffer.getInt64(this.offset + REJECT_IMAGE_CORRELATION_ID_OFFSET);
  }

  /** Writes the image correlation id; returns `this`. Java: `RejectImageFlyweight.imageCorrelationId(long)`. */
  setImageCorrelationId(id: number): this {
    this.buffer.putInt64(this.offset + REJECT_IMAGE_CORRELATION_ID_OFFSET, id);
    return this;
  }

  /** Position of the image when it was rejected. Java: `RejectImageFlyweight.position`. */
  position(): number {
    return this.buffer.getInt64(this.offset + REJECT_IMAGE_POSITION_OFFSET);
  }

  /** Writes the position; returns `this`. Java: `RejectImageFlyweight.position(long)`. */
  setPosition(position: number): this {
    this.buffer.putInt64(this.offset + REJECT_IMAGE_POSITION_OFFSET, position);
    return this;
  }

  /** Why the image is rejected (ASCII). Java: `RejectImageFlyweight.reason`. */
  reason(): string {
    return this.buffer.getStringAscii(this.offset + REJECT_IMAGE_REASON_OFFSET);
  }

  /** Writes the reason (length-prefixed ASCII); returns `this`. Java: `RejectImageFlyweight.reason(String)`. */
  setReason(reason: string): this {
    this.buffer.putStringAscii(this.offset + REJECT_IMAGE_REASON_OFFSET, reason);
    return this;
  }
}
