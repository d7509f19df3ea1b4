/**
 * One view of every stream the driver knows, from its counters: Java's StreamStat and BacklogStat samples in
 * one model.
 *
 * Counters are grouped by (sessionId, streamId, channel). Per stream:
 * - publisher: `pub-pos` (12) and `pub-lmt` (1); `remainingWindow = limit - position` is how far it can
 *   go before back pressure;
 * - sender (UDP publications): `snd-pos` (2), `snd-lmt` (9), `snd-bpe` (13), `snd-naks-received` (19);
 *   `backlog = publisher.position - sender.position` is what is still to send, `window = limit - position`;
 * - receiver (UDP images): `rcv-hwm` (3), `rcv-pos` (5), `rcv-naks-sent` (20);
 * - subscribers: one per `sub-pos` (4); `lag` is the bytes it has still to consume: the receiver's
 *   high-water mark for a network image, else the publisher's position (IPC), else null.
 */
import {
  type CountersReader,
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
} from '../transport/index.ts';
import { channelFromLabel, isStreamCounterType, joinPositionFromLabel, readStreamCounterKey } from './counter-types.ts';

/** A stream's publication, from its `pub-pos` and `pub-lmt` counters (null: that counter is missing). */
export interface PublisherView {
  /** Registration id of the publication. */
  registrationId: number;
  /** The publication's position (`pub-pos`, updated once a second). */
  position: number | null;
  /** The publication's limit (`pub-lmt`): past it, offers are back pressured. */
  limit: number | null;
  /** `limit - position`: how far the publication can go before back pressure. */
  remainingWindow: number | null;
}

/** A UDP publication's sender, from its `snd-*` counters (null: that counter is missing). */
export interface SenderView {
  /** Registration id of the publication. */
  registrationId: number;
  /** The sender's position (`snd-pos`): sent up to here. */
  position: number | null;
  /** The sender's limit (`snd-lmt`): flow control lets it send up to here. */
  limit: number | null;
  /** `limit - position`: what the sender may still send now. */
  window: number | null;
  /** `publisher.position - position`: what is still to send. */
  backlog: number | null;
  /** Back-pressure events (`snd-bpe`). */
  backPressureEvents: number | null;
  /** NAKs received (`snd-naks-received`). */
  naksReceived: number | null;
}

/** A UDP image's receiver, from its `rcv-*` counters (null: that counter is missing). */
export interface ReceiverView {
  /** Registration id of the image. */
  registrationId: number;
  /** The highest position received, gaps included (`rcv-hwm`). */
  highWaterMark: number | null;
  /** The position rebuilt without gaps (`rcv-pos`). */
  position: number | null;
  /** NAKs sent (`rcv-naks-sent`). */
  naksSent: number | null;
}

/** One subscriber of a stream, from its `sub-pos` counter. */
export interface SubscriberView {
  /** Registration id of the subscription. */
  registrationId: number;
  /** Id of its `sub-pos` counter. */
  counterId: number;
  /** How far it has consumed. */
  position: number;
  /** The position it joined at (from the counter's label), or null when the label has none. */
  joinPosition: number | null;
  /**
   * Bytes still to consume: the receiver's high-water mark (UDP) or the publisher's position (IPC) minus `position`;
   * null when neither is known.
   */
  lag: number | null;
}

/** Everything the counters say about one stream: (sessionId, streamId, channel). */
export interface StreamView {
  /** The session id. */
  sessionId: number;
  /** The stream id. */
  streamId: number;
  /** The channel, in full when a counter's label carries it (keys hold at most 92 bytes). */
  channel: string;
  /** The publication's counters, or null when the driver has none for this stream. */
  publisher: PublisherView | null;
  /** The sender's counters (UDP publications), or null. */
  sender: SenderView | null;
  /** The receiver's counters (UDP images), or null. */
  receiver: ReceiverView | null;
  /** One per subscriber position counter. */
  subscribers: SubscriberView[];
}

function emptyPublisher(registrationId: number): PublisherView {
  return { registrationId, position: null, limit: null, remainingWindow: null };
}

function emptySender(registrationId: number): SenderView {
  return {
    registrationId,
    position: null,
    limit: null,
    window: null,
    backlog: null,
    backPressureEvents: null,
    naksReceived: null,
  };
}

function emptyReceiver(registrationId: number): ReceiverView {
  return { registrationId, highWaterMark: null, position: null, naksSent: null };
}

/** The publisher field each publication counter type fills. */
const PUBLISHER_FIELDS: ReadonlyMap<number, 'position' | 'limit'> = new Map([
  [DRIVER_PUBLISHER_POS_TYPE_ID, 'position'],
  [DRIVER_PUBLISHER_LIMIT_TYPE_ID, 'limit'],
]);

/** The sender field each sender counter type fills. */
const SENDER_FIELDS: ReadonlyMap<number, 'position' | 'limit' | 'backPressureEvents' | 'naksReceived'> = new Map([
  [DRIVER_SENDER_POSITION_TYPE_ID, 'position'],
  [DRIVER_SENDER_LIMIT_TYPE_ID, 'limit'],
  [DRIVER_SENDER_BPE_TYPE_ID, 'backPressureEvents'],
  [DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID, 'naksReceived'],
]);

/** The receiver field each receiver counter type fills. */
const RECEIVER_FIELDS: ReadonlyMap<number, 'highWaterMark' | 'position' | 'naksSent'> = new Map([
  [DRIVER_RECEIVER_HWM_TYPE_ID, 'highWaterMark'],
  [DRIVER_RECEIVER_POS_TYPE_ID, 'position'],
  [DRIVER_RECEIVER_NAKS_SENT_TYPE_ID, 'naksSent'],
]);

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** Reads every stream counter once and builds the views, sorted by session, stream and channel. */
export function snapshotStreams(counters: CountersReader): StreamView[] {
  const byKey = new Map<string, StreamView>();
  counters.forEach((counterId, typeId, keyBuffer, label) => {
    if (!isStreamCounterType(typeId)) return;
    const key = readStreamCounterKey(keyBuffer);
    const mapKey = `${key.sessionId}\u0000${key.streamId}\u0000${key.channel}`;
    let view = byKey.get(mapKey);
    if (view === undefined) {
      view = {
        sessionId: key.sessionId,
        streamId: key.streamId,
        channel: key.channel,
        publisher: null,
        sender: null,
        receiver: null,
        subscribers: [],
      };
      byKey.set(mapKey, view);
    }
    const fullChannel = channelFromLabel(typeId, label, key.channel);
    if (fullChannel.length > view.channel.length) view.channel = fullChannel;
    const value = counters.getCounterValue(counterId);
    const id = key.registrationId;
    const publisherField = PUBLISHER_FIELDS.get(typeId);
    const senderField = SENDER_FIELDS.get(typeId);
    const receiverField = RECEIVER_FIELDS.get(typeId);
    if (publisherField !== undefined) {
      view.publisher ??= emptyPublisher(id);
      view.publisher[publisherField] = value;
    } else if (senderField !== undefined) {
      view.sender ??= emptySender(id);
      view.sender[senderField] = value;
    } else if (receiverField !== undefined) {
      view.receiver ??= emptyReceiver(id);
      view.receiver[receiverField] = value;
    } else if (typeId === DRIVER_SUBSCRIBER_POSITION_TYPE_ID) {
      view.subscribers.push({
        registrationId: id,
        counterId,
        position: value,
        joinPosition: joinPositionFromLabel(label),
        lag: null,
      });
    }
  });
  const views = [...byKey.values()];
  for (const view of views) {
    const { publisher, sender, receiver } = view;
    if (publisher !== null) publisher.remainingWindow = difference(publisher.limit, publisher.position);
    if (sender !== null) {
      sender.window = difference(sender.limit, sender.position);
      sender.backlog = difference(publisher?.position ?? null, sender.position);
    }
    const head = receiver?.highWaterMark ?? publisher?.position ?? null;
    for (const subscriber of view.subscribers) subscriber.lag = difference(head, subscriber.position);
  }
  views.sort(
    (a, b) =>
      a.sessionId - b.sessionId ||
      a.streamId - b.streamId ||
      (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0),
  );
  return views;
}
