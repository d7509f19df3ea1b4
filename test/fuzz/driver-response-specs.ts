/**
 * Every driver response the client reads from the to-clients broadcast (Aeron 1.51.0 control protocol), as
 * a spec the fuzz targets drive: values to encode, an encoder (the flyweight's setters where it has them,
 * the layout constants otherwise) and a reader that calls EVERY getter of the flyweight.
 *
 * ```
 *  ErrorResponseFlyweight            ON_ERROR
 *  PublicationBuffersReadyFlyweight  ON_PUBLICATION_READY, ON_EXCLUSIVE_PUBLICATION_READY
 *  IdIntResponseFlyweight            ON_SUBSCRIPTION_READY, ON_COUNTER_READY, ON_UNAVAILABLE_COUNTER, ON_STATIC_COUNTER
 *  IdResponseFlyweight               ON_OPERATION_SUCCESS, ON_CLIENT_TIMEOUT
 *  ImageBuffersReadyFlyweight        ON_AVAILABLE_IMAGE
 *  ImageMessageFlyweight             ON_UNAVAILABLE_IMAGE
 *  PublicationErrorFrameFlyweight    ON_PUBLICATION_ERROR
 *  NextAvailableSessionIdFlyweight   ON_NEXT_AVAILABLE_SESSION_ID
 * ```
 */
import fc from 'fast-check';
import {
  ErrorResponseFlyweight,
  IdIntResponseFlyweight,
  IdResponseFlyweight,
  ImageBuffersReadyFlyweight,
  ImageMessageFlyweight,
  NextAvailableSessionIdFlyweight,
  ON_AVAILABLE_IMAGE,
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_EXCLUSIVE_PUBLICATION_READY,
  ON_NEXT_AVAILABLE_SESSION_ID,
  ON_OPERATION_SUCCESS,
  ON_PUBLICATION_ERROR,
  ON_PUBLICATION_READY,
  ON_STATIC_COUNTER,
  ON_SUBSCRIPTION_READY,
  ON_UNAVAILABLE_COUNTER,
  ON_UNAVAILABLE_IMAGE,
  PUBLICATION_ERROR_ADDRESS_OFFSET,
  PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET,
  PUBLICATION_ERROR_CODE_OFFSET,
  PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET,
  PUBLICATION_ERROR_GROUP_TAG_OFFSET,
  PUBLICATION_ERROR_MESSAGE_OFFSET,
  PUBLICATION_ERROR_PORT_OFFSET,
  PUBLICATION_ERROR_RECEIVER_ID_OFFSET,
  PUBLICATION_ERROR_REGISTRATION_ID_OFFSET,
  PUBLICATION_ERROR_SESSION_ID_OFFSET,
  PUBLICATION_ERROR_STREAM_ID_OFFSET,
  PublicationBuffersReadyFlyweight,
  PublicationErrorFrameFlyweight,
} from '../../src/client/command/index.ts';
import type { AtomicBuffer } from '../../src/transport/index.ts';
import { asciiStringArb } from '../support/sbe-arbitraries.ts';

/** Field values by getter name (extra keys, e.g. raw address bytes, are encoder-only). */
export type ResponseValues = Readonly<Record<string, unknown>>;

export interface ResponseSpec {
  /** The flyweight's class name (the fuzz target is `client:<name>`). */
  readonly name: string;
  /** The message type ids carrying this response. */
  readonly msgTypeIds: readonly number[];
  readonly values: fc.Arbitrary<ResponseValues>;
  /** Encodes `values` at `offset`; returns the encoded length. */
  encode(buffer: AtomicBuffer, offset: number, values: ResponseValues): number;
  /** Points the spec's flyweight at the message at `offset`. */
  wrap(buffer: AtomicBuffer, offset: number): void;
  /**
   * Every getter of the wrapped flyweight, keyed by the value it reads (the encoded values' keys, plus
   * derived ones such as `length`, the encoded length).
   */
  readonly getters: Readonly<Record<string, () => unknown>>;
}

/**
 * Wraps and calls every getter. Without `onError` the first error propagates; with it, each getter's error
 * goes to `onError` and the others are still read (their values are left out of the result).
 */
export function readResponse(
  spec: ResponseSpec,
  buffer: AtomicBuffer,
  offset: number,
  onError?: (error: unknown) => void,
): Record<string, unknown> {
  spec.wrap(buffer, offset);
  const values: Record<string, unknown> = {};
  for (const [key, get] of Object.entries(spec.getters)) {
    if (onError === undefined) {
      values[key] = get();
      continue;
    }
    try {
      values[key] = get();
    } catch (e) {
      onError(e);
    }
  }
  return values;
}

/**
 * A 64-bit id as the client sees it (a JS number): mostly 0..20 so that responses hit the ids a client
 * has in flight, else any safe integer or a 64-bit extreme (which reads back rounded: 2^63 for MAX).
 */
export const idArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 2, arbitrary: fc.maxSafeInteger() },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 63, -(2 ** 63), 2 ** 53) },
);
const int32Arb = fc.oneof(fc.integer({ min: -1, max: 100 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const textArb = asciiStringArb(120);

function n(values: ResponseValues, key: string): number {
  return values[key] as number;
}

function s(values: ResponseValues, key: string): string {
  return values[key] as string;
}

function errorSpec(): ResponseSpec {
  const fw = new ErrorResponseFlyweight();
  return {
    name: 'ErrorResponseFlyweight',
    msgTypeIds: [ON_ERROR],
    values: fc.record({ correlationId: idArb, errorCode: fc.oneof(fc.nat(12), int32Arb), message: textArb }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset)
        .setOffendingCommandCorrelationId(n(v, 'correlationId'))
        .setErrorCode(n(v, 'errorCode'))
        .setErrorMessage(s(v, 'message'));
      return fw.length();
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.offendingCommandCorrelationId(),
      errorCode: () => fw.errorCode(),
      message: () => fw.errorMessage(),
      length: () => fw.length(),
    },
  };
}

function publicationReadySpec(): ResponseSpec {
  const fw = new PublicationBuffersReadyFlyweight();
  return {
    name: 'PublicationBuffersReadyFlyweight',
    msgTypeIds: [ON_PUBLICATION_READY, ON_EXCLUSIVE_PUBLICATION_READY],
    values: fc.record({
      correlationId: idArb,
      registrationId: idArb,
      sessionId: int32Arb,
      streamId: int32Arb,
      publicationLimitCounterId: int32Arb,
      channelStatusIndicatorId: int32Arb,
      logFileName: textArb,
    }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset)
        .setCorrelationId(n(v, 'correlationId'))
        .setRegistrationId(n(v, 'registrationId'))
        .setSessionId(n(v, 'sessionId'))
        .setStreamId(n(v, 'streamId'))
        .setPublicationLimitCounterId(n(v, 'publicationLimitCounterId'))
        .setChannelStatusIndicatorId(n(v, 'channelStatusIndicatorId'))
        .setLogFileName(s(v, 'logFileName'));
      return fw.length();
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.correlationId(),
      registrationId: () => fw.registrationId(),
      sessionId: () => fw.sessionId(),
      streamId: () => fw.streamId(),
      publicationLimitCounterId: () => fw.publicationLimitCounterId(),
      channelStatusIndicatorId: () => fw.channelStatusIndicatorId(),
      logFileName: () => fw.logFileName(),
      length: () => fw.length(),
    },
  };
}

function idIntSpec(): ResponseSpec {
  const fw = new IdIntResponseFlyweight();
  return {
    name: 'IdIntResponseFlyweight',
    msgTypeIds: [ON_SUBSCRIPTION_READY, ON_COUNTER_READY, ON_UNAVAILABLE_COUNTER, ON_STATIC_COUNTER],
    values: fc.record({ correlationId: idArb, value: int32Arb }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset).setCorrelationId(n(v, 'correlationId')).setValue(n(v, 'value'));
      return 12;
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.correlationId(),
      value: () => fw.value(),
    },
  };
}

function idSpec(): ResponseSpec {
  const fw = new IdResponseFlyweight();
  return {
    name: 'IdResponseFlyweight',
    msgTypeIds: [ON_OPERATION_SUCCESS, ON_CLIENT_TIMEOUT],
    values: fc.record({ id: idArb }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset).setId(n(v, 'id'));
      return 8;
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      id: () => fw.id(),
    },
  };
}

function imageReadySpec(): ResponseSpec {
  const fw = new ImageBuffersReadyFlyweight();
  return {
    name: 'ImageBuffersReadyFlyweight',
    msgTypeIds: [ON_AVAILABLE_IMAGE],
    values: fc.record({
      correlationId: idArb,
      sessionId: int32Arb,
      streamId: int32Arb,
      subscriptionRegistrationId: idArb,
      subscriberPositionId: int32Arb,
      logFileName: textArb,
      sourceIdentity: textArb,
    }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset)
        .setCorrelationId(n(v, 'correlationId'))
        .setSessionId(n(v, 'sessionId'))
        .setStreamId(n(v, 'streamId'))
        .setSubscriptionRegistrationId(n(v, 'subscriptionRegistrationId'))
        .setSubscriberPositionId(n(v, 'subscriberPositionId'))
        .setLogFileName(s(v, 'logFileName'))
        .setSourceIdentity(s(v, 'sourceIdentity'));
      return fw.length();
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.correlationId(),
      sessionId: () => fw.sessionId(),
      streamId: () => fw.streamId(),
      subscriptionRegistrationId: () => fw.subscriptionRegistrationId(),
      subscriberPositionId: () => fw.subscriberPositionId(),
      logFileName: () => fw.logFileName(),
      sourceIdentity: () => fw.sourceIdentity(),
      sourceIdentityOffset: () => fw.sourceIdentityOffset(),
      length: () => fw.length(),
    },
  };
}

function imageMessageSpec(): ResponseSpec {
  const fw = new ImageMessageFlyweight();
  return {
    name: 'ImageMessageFlyweight',
    msgTypeIds: [ON_UNAVAILABLE_IMAGE],
    values: fc.record({
      correlationId: idArb,
      subscriptionRegistrationId: idArb,
      streamId: int32Arb,
      channel: textArb,
    }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset)
        .setCorrelationId(n(v, 'correlationId'))
        .setSubscriptionRegistrationId(n(v, 'subscriptionRegistrationId'))
        .setStreamId(n(v, 'streamId'))
        .setChannel(s(v, 'channel'));
      return fw.length();
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.correlationId(),
      subscriptionRegistrationId: () => fw.subscriptionRegistrationId(),
      streamId: () => fw.streamId(),
      channel: () => fw.channel(),
      length: () => fw.length(),
    },
  };
}

/** `sourceAddress()` as the flyweight renders it (IPv4 dotted, IPv6 8 hex groups, other types ''). */
function renderAddress(type: number, bytes: readonly number[]): string {
  if (type === 1) return bytes.slice(0, 4).join('.');
  if (type !== 2) return '';
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return parts.join(':');
}

function publicationErrorSpec(): ResponseSpec {
  const fw = new PublicationErrorFrameFlyweight();
  // The client never writes this response, so the flyweight has no setters: encode from the layout.
  return {
    name: 'PublicationErrorFrameFlyweight',
    msgTypeIds: [ON_PUBLICATION_ERROR],
    values: fc
      .record({
        registrationId: idArb,
        destinationRegistrationId: idArb,
        sessionId: int32Arb,
        streamId: int32Arb,
        receiverId: idArb,
        groupTag: idArb,
        addressType: fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: -32768, max: 32767 })),
        sourcePort: fc.integer({ min: 0, max: 0xffff }),
        address: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
        errorCode: int32Arb,
        errorMessage: textArb,
      })
      .map(({ address, ...rest }) => ({ ...rest, sourceAddress: renderAddress(rest.addressType, address), address })),
    encode(buffer, offset, v) {
      buffer.putInt64(offset + PUBLICATION_ERROR_REGISTRATION_ID_OFFSET, n(v, 'registrationId'));
      buffer.putInt64(offset + PUBLICATION_ERROR_DESTINATION_REGISTRATION_ID_OFFSET, n(v, 'destinationRegistrationId'));
      buffer.putInt32(offset + PUBLICATION_ERROR_SESSION_ID_OFFSET, n(v, 'sessionId'));
      buffer.putInt32(offset + PUBLICATION_ERROR_STREAM_ID_OFFSET, n(v, 'streamId'));
      buffer.putInt64(offset + PUBLICATION_ERROR_RECEIVER_ID_OFFSET, n(v, 'receiverId'));
      buffer.putInt64(offset + PUBLICATION_ERROR_GROUP_TAG_OFFSET, n(v, 'groupTag'));
      buffer.putInt16(offset + PUBLICATION_ERROR_ADDRESS_TYPE_OFFSET, n(v, 'addressType'));
      buffer.putInt16(offset + PUBLICATION_ERROR_PORT_OFFSET, n(v, 'sourcePort'));
      const address = v.address as readonly number[];
      for (let i = 0; i < 16; i++) buffer.putInt8(offset + PUBLICATION_ERROR_ADDRESS_OFFSET + i, address[i] ?? 0);
      buffer.putInt32(offset + PUBLICATION_ERROR_CODE_OFFSET, n(v, 'errorCode'));
      return (
        PUBLICATION_ERROR_MESSAGE_OFFSET +
        buffer.putStringAscii(offset + PUBLICATION_ERROR_MESSAGE_OFFSET, s(v, 'errorMessage'))
      );
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      registrationId: () => fw.registrationId(),
      destinationRegistrationId: () => fw.destinationRegistrationId(),
      sessionId: () => fw.sessionId(),
      streamId: () => fw.streamId(),
      receiverId: () => fw.receiverId(),
      groupTag: () => fw.groupTag(),
      addressType: () => fw.addressType(),
      sourcePort: () => fw.sourcePort(),
      errorCode: () => fw.errorCode(),
      errorMessage: () => fw.errorMessage(),
      sourceAddress: () => fw.sourceAddress(),
      length: () => fw.length(),
    },
  };
}

function nextSessionIdSpec(): ResponseSpec {
  const fw = new NextAvailableSessionIdFlyweight();
  return {
    name: 'NextAvailableSessionIdFlyweight',
    msgTypeIds: [ON_NEXT_AVAILABLE_SESSION_ID],
    values: fc.record({ correlationId: idArb, nextSessionId: int32Arb }),
    encode(buffer, offset, v) {
      fw.wrap(buffer, offset).setCorrelationId(n(v, 'correlationId')).setNextSessionId(n(v, 'nextSessionId'));
      return 12;
    },
    wrap(buffer, offset) {
      fw.wrap(buffer, offset);
    },
    getters: {
      correlationId: () => fw.correlationId(),
      nextSessionId: () => fw.nextSessionId(),
    },
  };
}

/** One spec per response flyweight; each owns its flyweight instances (build one list per target). */
export function responseSpecs(): readonly ResponseSpec[] {
  return [
    errorSpec(),
    publicationReadySpec(),
    idIntSpec(),
    idSpec(),
    imageReadySpec(),
    imageMessageSpec(),
    publicationErrorSpec(),
    nextSessionIdSpec(),
  ];
}

/** Every response type id the driver sends, with the spec that encodes it. */
export function specsByMsgTypeId(specs: readonly ResponseSpec[]): ReadonlyMap<number, ResponseSpec> {
  const map = new Map<number, ResponseSpec>();
  for (const spec of specs) for (const id of spec.msgTypeIds) map.set(id, spec);
  return map;
}
