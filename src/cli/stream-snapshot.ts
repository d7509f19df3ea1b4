/**
 * One view of every stream the driver knows, from its counters: StreamStat and BacklogStat (Aeron 1.51.0
 * samples) in one model.
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
import type { CountersReader } from '../transport/index.ts';
import {
  channelFromLabel,
  isStreamCounterType,
  joinPositionFromLabel,
  PUBLISHER_LIMIT_TYPE_ID,
  PUBLISHER_POS_TYPE_ID,
  RECEIVER_HWM_TYPE_ID,
  RECEIVER_NAKS_SENT_TYPE_ID,
  RECEIVER_POS_TYPE_ID,
  readStreamCounterKey,
  SENDER_BPE_TYPE_ID,
  SENDER_LIMIT_TYPE_ID,
  SENDER_NAKS_RECEIVED_TYPE_ID,
  SENDER_POSITION_TYPE_ID,
  SUBSCRIBER_POSITION_TYPE_ID,
} from './counter-types.ts';

export interface PublisherView {
  registrationId: number;
  position: number | null;
  limit: number | null;
  remainingWindow: number | null;
}

export interface SenderView {
  registrationId: number;
  position: number | null;
  limit: number | null;
  window: number | null;
  backlog: number | null;
  backPressureEvents: number | null;
  naksReceived: number | null;
}

export interface ReceiverView {
  registrationId: number;
  highWaterMark: number | null;
  position: number | null;
  naksSent: number | null;
}

export interface SubscriberView {
  registrationId: number;
  counterId: number;
  position: number;
  joinPosition: number | null;
  lag: number | null;
}

export interface StreamView {
  sessionId: number;
  streamId: number;
  channel: string;
  publisher: PublisherView | null;
  sender: SenderView | null;
  receiver: ReceiverView | null;
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
    switch (typeId) {
      case PUBLISHER_POS_TYPE_ID:
        view.publisher ??= emptyPublisher(id);
        view.publisher.position = value;
        break;
      case PUBLISHER_LIMIT_TYPE_ID:
        view.publisher ??= emptyPublisher(id);
        view.publisher.limit = value;
        break;
      case SENDER_POSITION_TYPE_ID:
        view.sender ??= emptySender(id);
        view.sender.position = value;
        break;
      case SENDER_LIMIT_TYPE_ID:
        view.sender ??= emptySender(id);
        view.sender.limit = value;
        break;
      case SENDER_BPE_TYPE_ID:
        view.sender ??= emptySender(id);
        view.sender.backPressureEvents = value;
        break;
      case SENDER_NAKS_RECEIVED_TYPE_ID:
        view.sender ??= emptySender(id);
        view.sender.naksReceived = value;
        break;
      case RECEIVER_HWM_TYPE_ID:
        view.receiver ??= emptyReceiver(id);
        view.receiver.highWaterMark = value;
        break;
      case RECEIVER_POS_TYPE_ID:
        view.receiver ??= emptyReceiver(id);
        view.receiver.position = value;
        break;
      case RECEIVER_NAKS_SENT_TYPE_ID:
        view.receiver ??= emptyReceiver(id);
        view.receiver.naksSent = value;
        break;
      case SUBSCRIBER_POSITION_TYPE_ID:
        view.subscribers.push({
          registrationId: id,
          counterId,
          position: value,
          joinPosition: joinPositionFromLabel(label),
          lag: null,
        });
        break;
      default:
        break;
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
