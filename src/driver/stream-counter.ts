/**
 * The counters of a stream: publisher limit, publisher position and subscriber position (Aeron 1.51.0
 * `StreamCounter.allocateCounterId`, `PublisherLimit`, `PublisherPos`, `SubscriberPos`).
 *
 * ```
 *  key:    +0 int64 registrationId  +8 int32 sessionId  +12 int32 streamId
 *          +16 int32 channel length  +20 channel (ASCII, at most 92 bytes)
 *  label:  "<name>: <registrationId> <sessionId> <streamId> <channel>" (+ " @<joinPosition>" for sub-pos,
 *          when the label is shorter than 360 bytes), at most 380 bytes
 *  registration id = the stream's registration id, owner id = the client id
 *
 *  name                    type id
 *  pub-lmt                 1   DRIVER_PUBLISHER_LIMIT_TYPE_ID
 *  pub-pos (concurrent)    12  DRIVER_PUBLISHER_POS_TYPE_ID   ("pub-pos (exclusive)" for exclusive publications)
 *  sub-pos                 4   DRIVER_SUBSCRIBER_POSITION_TYPE_ID
 *  snd-pos                 2   DRIVER_SENDER_POSITION_TYPE_ID         (network publication)
 *  snd-lmt                 9   DRIVER_SENDER_LIMIT_TYPE_ID            (network publication)
 *  snd-bpe                 13  DRIVER_SENDER_BPE_TYPE_ID              (network publication)
 *  snd-naks-received       19  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID    (network publication)
 *  rcv-hwm                 3   DRIVER_RECEIVER_HWM_TYPE_ID            (publication image)
 *  rcv-pos                 5   DRIVER_RECEIVER_POS_TYPE_ID            (publication image)
 *  rcv-naks-sent           20  DRIVER_RECEIVER_NAKS_SENT_TYPE_ID      (publication image)
 * ```
 *
 * A network publication's counters carry the publication's registration id; an image's carry the image's
 * correlation id and its session id (Java `SenderPos`, `SenderLimit`, `SenderBpe`, `SenderNaksReceived`,
 * `ReceiverHwm`, `ReceiverPos`, `ReceiverNaksSent`).
 */
import {
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_RECEIVER_HWM_TYPE_ID,
  DRIVER_RECEIVER_NAKS_SENT_TYPE_ID,
  DRIVER_RECEIVER_POS_TYPE_ID,
  DRIVER_SENDER_BPE_TYPE_ID,
  DRIVER_SENDER_LIMIT_TYPE_ID,
  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
  DRIVER_SENDER_POSITION_TYPE_ID,
  DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
} from '../transport/aeron-counters.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import { MAX_KEY_LENGTH, MAX_LABEL_LENGTH } from '../transport/counters-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

const REGISTRATION_ID_OFFSET = 0;
const SESSION_ID_OFFSET = 8;
const STREAM_ID_OFFSET = 12;
const CHANNEL_OFFSET = 16;
/** Longest channel kept in the key (`StreamCounter.MAX_CHANNEL_LENGTH`). */
const MAX_CHANNEL_LENGTH = MAX_KEY_LENGTH - (CHANNEL_OFFSET + 4);
/** `PublisherLimit.NAME`. */
export const PUBLISHER_LIMIT_NAME = 'pub-lmt';
/** `PublisherPos` name of a concurrent publication's position. */
export const PUBLISHER_POS_CONCURRENT_NAME = 'pub-pos (concurrent)';
/** `PublisherPos` name of an exclusive publication's position. */
export const PUBLISHER_POS_EXCLUSIVE_NAME = 'pub-pos (exclusive)';
/** `SubscriberPos.NAME`. */
export const SUBSCRIBER_POS_NAME = 'sub-pos';
/** `SenderPos.NAME`. */
export const SENDER_POS_NAME = 'snd-pos';
/** `SenderLimit.NAME`. */
export const SENDER_LIMIT_NAME = 'snd-lmt';
/** `SenderBpe.NAME`: back-pressure events of a network publication. */
export const SENDER_BPE_NAME = 'snd-bpe';
/** `SenderNaksReceived.NAME`. */
export const SENDER_NAKS_RECEIVED_NAME = 'snd-naks-received';
/** `ReceiverHwm.NAME`: the highest position an image has received. */
export const RECEIVER_HWM_NAME = 'rcv-hwm';
/** `ReceiverPos.NAME`: the position an image has rebuilt without gaps. */
export const RECEIVER_POS_NAME = 'rcv-pos';
/** `ReceiverNaksSent.NAME`. */
export const RECEIVER_NAKS_SENT_NAME = 'rcv-naks-sent';

/** The identity of the stream a counter belongs to. */
export interface StreamCounterIdentity {
  /** The owning client (the counter's owner id). */
  readonly clientId: number;
  /** The stream's registration id (publication or subscription). */
  readonly registrationId: number;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Channel URI. */
  readonly channel: string;
}

/** Allocates a counter in `StreamCounter`'s key and label layout; returns its id. */
export function allocateStreamCounterId(
  manager: CountersManager,
  name: string,
  typeId: number,
  stream: StreamCounterIdentity,
  joinPosition: number | null,
): number {
  const { registrationId, sessionId, streamId, channel } = stream;
  let label = `${name}: ${registrationId} ${sessionId} ${streamId} `;
  label += channel.slice(0, Math.max(0, MAX_LABEL_LENGTH - label.length));
  if (joinPosition !== null && label.length < MAX_LABEL_LENGTH - 20) label += ` @${joinPosition}`;
  const keyChannel = channel.slice(0, MAX_CHANNEL_LENGTH);
  const counterId = manager.allocate(label, typeId, (key) => {
    key.putInt64(REGISTRATION_ID_OFFSET, registrationId);
    key.putInt32(SESSION_ID_OFFSET, sessionId);
    key.putInt32(STREAM_ID_OFFSET, streamId);
    key.putStringAscii(CHANNEL_OFFSET, keyChannel);
  });
  manager.setCounterRegistrationId(counterId, registrationId);
  manager.setCounterOwnerId(counterId, stream.clientId);
  return counterId;
}

/** A publication's limit counter (`PublisherLimit.allocate`). */
export function allocatePublisherLimit(manager: CountersManager, stream: StreamCounterIdentity): UnsafeBufferPosition {
  const id = allocateStreamCounterId(manager, PUBLISHER_LIMIT_NAME, DRIVER_PUBLISHER_LIMIT_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/** A publication's position counter (`PublisherPos.allocate`). */
export function allocatePublisherPosition(
  manager: CountersManager,
  stream: StreamCounterIdentity,
  isExclusive: boolean,
): UnsafeBufferPosition {
  const name = isExclusive ? PUBLISHER_POS_EXCLUSIVE_NAME : PUBLISHER_POS_CONCURRENT_NAME;
  const id = allocateStreamCounterId(manager, name, DRIVER_PUBLISHER_POS_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/**
 * A subscriber's position counter in one image (`SubscriberPos.allocate`); `stream.registrationId` is the
 * subscription's, `stream.sessionId` the image's.
 */
export function allocateSubscriberPosition(
  manager: CountersManager,
  stream: StreamCounterIdentity,
  joinPosition: number,
): UnsafeBufferPosition {
  const id = allocateStreamCounterId(
    manager,
    SUBSCRIBER_POS_NAME,
    DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
    stream,
    joinPosition,
  );
  return new UnsafeBufferPosition(manager, id);
}

/** A network publication's sender position (`SenderPos.allocate`). */
export function allocateSenderPosition(manager: CountersManager, stream: StreamCounterIdentity): UnsafeBufferPosition {
  const id = allocateStreamCounterId(manager, SENDER_POS_NAME, DRIVER_SENDER_POSITION_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/** A network publication's sender limit (`SenderLimit.allocate`). */
export function allocateSenderLimit(manager: CountersManager, stream: StreamCounterIdentity): UnsafeBufferPosition {
  const id = allocateStreamCounterId(manager, SENDER_LIMIT_NAME, DRIVER_SENDER_LIMIT_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/** A network publication's back-pressure events (`SenderBpe.allocate`). */
export function allocateSenderBpe(manager: CountersManager, stream: StreamCounterIdentity): AtomicCounter {
  const id = allocateStreamCounterId(manager, SENDER_BPE_NAME, DRIVER_SENDER_BPE_TYPE_ID, stream, null);
  return new AtomicCounter(manager.valuesBuffer, id, manager);
}

/** NAKs a network publication received (`SenderNaksReceived.allocate`). */
export function allocateSenderNaksReceived(manager: CountersManager, stream: StreamCounterIdentity): AtomicCounter {
  const id = allocateStreamCounterId(
    manager,
    SENDER_NAKS_RECEIVED_NAME,
    DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
    stream,
    null,
  );
  return new AtomicCounter(manager.valuesBuffer, id, manager);
}

/** An image's receiver high-water mark (`ReceiverHwm.allocate`); `stream.registrationId` is the image's. */
export function allocateReceiverHwm(manager: CountersManager, stream: StreamCounterIdentity): UnsafeBufferPosition {
  const id = allocateStreamCounterId(manager, RECEIVER_HWM_NAME, DRIVER_RECEIVER_HWM_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/** An image's receiver position (`ReceiverPos.allocate`); `stream.registrationId` is the image's. */
export function allocateReceiverPosition(
  manager: CountersManager,
  stream: StreamCounterIdentity,
): UnsafeBufferPosition {
  const id = allocateStreamCounterId(manager, RECEIVER_POS_NAME, DRIVER_RECEIVER_POS_TYPE_ID, stream, null);
  return new UnsafeBufferPosition(manager, id);
}

/** NAKs an image's receiver sent (`ReceiverNaksSent.allocate`). */
export function allocateReceiverNaksSent(manager: CountersManager, stream: StreamCounterIdentity): AtomicCounter {
  const id = allocateStreamCounterId(manager, RECEIVER_NAKS_SENT_NAME, DRIVER_RECEIVER_NAKS_SENT_TYPE_ID, stream, null);
  return new AtomicCounter(manager.valuesBuffer, id, manager);
}
