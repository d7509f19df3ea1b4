/**
 * REMOVE_PUBLICATION (0x02), REMOVE_SUBSCRIPTION (0x05), REMOVE_COUNTER (0x0A) (Java:
 * `RemoveMessageFlyweight`, `RemovePublicationFlyweight`).
 *
 * ```
 *  0        8             16                24            32
 *  | client | correlation | registrationId  | flags int64 |     <- flags: REMOVE_PUBLICATION only
 * ```
 * REMOVE_SUBSCRIPTION / REMOVE_COUNTER: 24 bytes. REMOVE_PUBLICATION: 32 bytes; flags bit 0x1 = revoke
 * (the driver reads flags only when the message is >= 32 bytes).
 */
import { CorrelatedMessageFlyweight } from './correlated-message-flyweight.ts';

/**
 * Offset of the int64 registration id of what is removed (16). Java:
 * `RemoveMessageFlyweight.REGISTRATION_ID_FIELD_OFFSET`.
 */
export const REMOVE_REGISTRATION_ID_OFFSET = 16;
/**
 * REMOVE_PUBLICATION: offset of the int64 flags (24). Java: `RemovePublicationFlyweight.FLAGS_FIELD_OFFSET` (private).
 */
export const REMOVE_PUBLICATION_FLAGS_OFFSET = 24;
/** Length of REMOVE_SUBSCRIPTION and REMOVE_COUNTER (24). Java: `RemoveMessageFlyweight.MINIMUM_LENGTH` (private). */
export const REMOVE_MESSAGE_LENGTH = 24;
/** Length of REMOVE_PUBLICATION. */
export const REMOVE_PUBLICATION_LENGTH = 32;
/** REMOVE_PUBLICATION flag: revoke the publication (0x1). Java: `RemovePublicationFlyweight.FLAG_REVOKE` (private). */
export const REMOVE_PUBLICATION_FLAG_REVOKE = 0x1;

/**
 * REMOVE_SUBSCRIPTION and REMOVE_COUNTER (and the start of REMOVE_PUBLICATION): what to remove, by registration id.
 * Java: `RemoveMessageFlyweight`.
 */
export class RemoveMessageFlyweight extends CorrelatedMessageFlyweight {
  /**
   * Registration id of the publication, subscription or counter to remove. Java:
   * `RemoveMessageFlyweight.registrationId`.
   */
  registrationId(): number {
    return this.buffer.getInt64(this.offset + REMOVE_REGISTRATION_ID_OFFSET);
  }

  /** Writes the registration id; returns `this`. Java: `RemoveMessageFlyweight.registrationId(long)`. */
  setRegistrationId(registrationId: number): this {
    this.buffer.putInt64(this.offset + REMOVE_REGISTRATION_ID_OFFSET, registrationId);
    return this;
  }
}

/** REMOVE_PUBLICATION: a remove message plus flags (revoke). Java: `RemovePublicationFlyweight`. */
export class RemovePublicationFlyweight extends RemoveMessageFlyweight {
  /**
   * Whether the revoke flag is set (only meaningful when the message length is >= 32). Java:
   * `RemovePublicationFlyweight.revoke`.
   */
  revoke(): boolean {
    return (this.buffer.getInt32(this.offset + REMOVE_PUBLICATION_FLAGS_OFFSET) & REMOVE_PUBLICATION_FLAG_REVOKE) !== 0;
  }

  /**
   * Writes the whole flags field: revoke bit set or clear, other bits zero. Returns `this`. Java:
   * `RemovePublicationFlyweight.revoke(boolean)`.
   */
  setRevoke(revoke: boolean): this {
    this.buffer.putInt64(this.offset + REMOVE_PUBLICATION_FLAGS_OFFSET, revoke ? REMOVE_PUBLICATION_FLAG_REVOKE : 0);
    return this;
  }
}
