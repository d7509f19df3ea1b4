/**
 * ON_PUBLICATION_ERROR (0x0F0C, since 1.47.0) (Aeron 1.51.0 `PublicationErrorFrameFlyweight`): an ERR frame
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

export const PUBLICATION_ERROR_REGISTRATION_ID_OFFSET = 0;
export const PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET = 8;
export const PUBLICATION_ERROR_SESSION_ID_OFFSET = 16;
export const PUBLICATION_ERROR_STREAM_ID_OFFSET = 20;
export const PUBLICATION_ERROR_RECEIVER_ID_OFFSET = 24;
export const PUBLICATION_ERROR_GROUP_TAG_OFFSET = 32;
export const PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET = 40;
export const PUBLICATION_ERROR_PORT_OFFSET = 42;
export const PUBLICATION_ERROR_ADDRESS_OFFSET = 44;
export const PUBLICATION_ERROR_CODE_OFFSET = 60;
export const PUBLICATION_ERROR_MESSAGE_OFFSET = 64;
export const ADDRESS_TYPE_IPV4 = 1;
export const ADDRESS_TYPE_IPV6 = 2;

export class PublicationErrorFrameFlyweight extends Flyweight {
  registrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_REGISTRATION_ID_OFFSET);
  }

  destinationRegistrationId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET);
  }

  sessionId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_SESSION_ID_OFFSET);
  }

  streamId(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_STREAM_ID_OFFSET);
  }

  receiverId(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_RECEIVER_ID_OFFSET);
  }

  groupTag(): number {
    return this.buffer.getInt64(this.offset + PUBLICATION_ERROR_GROUP_TAG_OFFSET);
  }

  addressType(): number {
    return this.buffer.getInt16(this.offset + PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET);
  }

  sourcePort(): number {
    return this.buffer.getUint16(this.offset + PUBLICATION_ERROR_PORT_OFFSET);
  }

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

  errorCode(): number {
    return this.buffer.getInt32(this.offset + PUBLICATION_ERROR_CODE_OFFSET);
  }

  errorMessage(): string {
    return this.buffer.getStringAscii(this.offset + PUBLICATION_ERROR_MESSAGE_OFFSET);
  }

  length(): number {
    return PUBLICATION_ERROR_MESSAGE_OFFSET + 4 + this.buffer.getInt32(this.offset + PUBLICATION_ERROR_MESSAGE_OFFSET);
  }
}
