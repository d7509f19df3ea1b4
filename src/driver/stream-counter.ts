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
 * ```
 */
import {
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
} from '../transport/aeron-counters.ts';
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
