/**
 * ON_PUBLICATION_ERROR (0x0F0C) (Java: `PublicationErrorFrameFlyweight`): an ERR frame
 * a receiver sent to a publication.
 *
 * ```
 *  0  registrationId i64            8  destinationRegistrationId i64
 *  16 sessionId i32                 20 streamId i32
 *  24 receiverId i64                32 groupTag i64
 *  40 addressType i16 (1 IPv4, 2 IPv6)   42 port u16
 *  44 address, 16 bytes (IPv4 in the first 4)
 *  60 errorCode i32                 64 message len i32 | 68 message ASCII ...     length = 68 + n
 * ```
 */
import { Flyweight } from './flyweight.ts';

/**
 * Offset of the int64 registration id of the publication (0). Java:
 * `PublicationErrorFrameFlyweight.REGISTRATION_ID_OFFSET` (private).
 */
export const PUBLICATION_ERROR_REGISTRATION_ID_OFFSET = 0;
/**
 * Offset of the int64 registration id of the destination (8). Java:
 * `PublicationErrorFrameFlyweight.DESTINATION_REGISTRATION_ID_OFFSET` (private).
 */
export const PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET = 8;
/** Offset of the int32 session id (16). Java: `PublicationErrorFrameFlyweight.SESSION_ID_OFFSET` (private). */
export const PUBLICATION_ERROR_SESSION_ID_OFFSET = 16;
/** Offset of the int32 stream id (20). Java: `PublicationErrorFrameFlyweight.STREAM_ID_OFFSET` (private). */
export const PUBLICATION_ERROR_STREAM_ID_OFFSET = 20;
/** Offset of the int64 receiver id (24). Java: `PublicationErrorFrameFlyweight.RECEIVER_ID_OFFSET` (private). */
export const PUBLICATION_ERROR_RECEIVER_ID_OFFSET = 24;
/** Offset of the int64 group tag (32). Java: `PublicationErrorFrameFlyweight.GROUP_TAG_OFFSET` (private). */
export const PUBLICATION_ERROR_GROUP_TAG_OFFSET = 32;
/**
 * Offset of the int16 address type, {@link ADDRESS_TYPE_IPV4} or {@link ADDRESS_TYPE_IPV6} (40). Java:
 * `PublicationErrorFrameFlyweight.ADDRESS_TYPE_OFFSET` (private).
 */
export const PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET = 40;
/** Offset of the uint16 source port (42). Java: `PublicationErrorFrameFlyweight.ADDRESS_PORT_OFFSET` (private). */
export const PUBLICATION_ERROR_PORT_OFFSET = 42;
/**
 * Offset of the 16-byte source address, IPv4 in the first 4 bytes (44). Java:
 * `PublicationErrorFrameFlyweight.ADDRESS_OFFSET` (private).
 */
export const PUBLICATION_ERROR_ADDRESS_OFFSET = 44;
/** Offset of the int32 error code (60). Java: `PublicationErrorFrameFlyweight.ERROR_CODE_OFFSET` (private). */
export const PUBLICATION_ERROR_CODE_OFFSET = 60;
/**
 * Offset of the int32 message length, the ASCII message after it (64). Java:
 * `PublicationErrorFrameFlyweight.ERROR_MESSAGE_OFFSET` (private).
 */
export const PUBLICATION_ERROR_MESSAGE_OFFSET = 64;
/** Address type of an IPv4 source (1). Java: `PublicationErrorFrameFlyweight.ADDRESS_TYPE_IPV4` (private). */
export const ADDRESS_TYPE_IPV4 = 1;
/** Address type of an IPv6 source (2). Java: `PublicationErrorFrameFlyweight.ADDRESS_TYPE_IPV6` (private). */
export const ADDRESS_TYPE_IPV6 = 2;

/**
 * ON_PUBLICATION_ERROR: an error frame a receiver sent to a publication, passed on by the driver (read-only here).
 * Java: `PublicationErrorFrameFlyweight`.
 */
export class PublicationErrorFrameFlyweight extends Flyweight {
  /** Registration id of the publication. Java: `PublicationErrorFrameFlyweight.registrationId`. */
  registrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_REGISTRATION_ID_OFFSET);
  }

  /**
   * Registration id of the destination the error came through. Java:
   * `PublicationErrorFrameFlyweight.destinationRegistrationId`.
   */
  destinationRegistrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET);
  }

  /** Session id of the publication. Java: `PublicationErrorFrameFlyweight.sessionId`. */
  sessionId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_SESSION_ID_OFFSET);
  }

  /** Stream id. Java: `PublicationErrorFrameFlyweight.streamId`. */
  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_STREAM_ID_OFFSET);
  }

  /** Id of the receiver that sent the error frame. Java: `PublicationErrorFrameFlyweight.receiverId`. */
  receiverId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_RECEIVER_ID_OFFSET);
  }

  /** Group tag of the receiver. Java: `PublicationErrorFrameFlyweight.groupTag`. */
  groupTag(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_GROUP_TAG_OFFSET);
  }

  /** Address type of the source: {@link ADDRESS_TYPE_IPV4} or {@link ADDRESS_TYPE_IPV6}. */
  addressType(): number {
    return this.buffer.getInt16(this.offset + PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET);
  }

  /** UDP port the error frame came from. Java: the port of `PublicationErrorFrameFlyweight.sourceAddress`. */
  sourcePort(): number {
    return this.buffer.getUint16(this.offset + PUBLICATION_ERROR_PORT_OFFSET);
  }

  /**
   * Address the error frame came from: dotted IPv4, or IPv6 as eight uncompressed hex groups; empty for an unknown
   * address type. Java: `PublicationErrorFrameFlyweight.sourceAddress` (an `InetSocketAddress`).
   */
  sourceAddress(): string {
    const base = this.offset + PUBLICATION_ERROR_ADDRESS_OFFSET;
    const type = this.addressType();
    if (type === ADDRESS_TYPE_IPV4) {
      const parts: number[] = [];
      for (let i = 0; i < 4; i++) parts.push(this.buffer.getUint8(base + i));
      return parts.join('.');
    }
    if (type === ADDRESS_TYPE_IPV6) {
      const parts: string[] = [];
      for (let i = 0; i < 16; i += 2) {
        parts.push(((this.buffer.getUint8(base + i) << 8) | this.buffer.getUint8(base + i + 1)).toString(16));
      }
      return parts.join(':');
    }
    return '';
  }

  /** The error code value (`ErrorCode`). Java: `PublicationErrorFrameFlyweight.errorCodeValue`. */
  errorCode(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_CODE_OFFSET);
  }

  /** The error message (ASCII). Java: `PublicationErrorFrameFlyweight.errorMessage`. */
  errorMessage(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_ERROR_MESSAGE_OFFSET);
  }

  /** Encoded length (68 + message length). Java: `PublicationErrorFrameFlyweight.length`. */
  length(): number {
    return PUBLICATION_ERROR_MESSAGE_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_ERROR_MESSAGE_OFFSET);
  }
}
