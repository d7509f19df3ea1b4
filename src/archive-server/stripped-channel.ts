/**
 * The channel forms the archive derives from a client's channel (Java `ArchiveConductor.strippedChannelBuilder`
 * and `makeKey`): the stripped channel keeps only the parameters that identify the stream's transport (endpoint,
 * interface, control, control-mode, tags, rejoin, group, tether, fc, gtag, cc, socket buffers, receiver window,
 * timestamp offsets, session-id, alias, response-correlation-id, response-endpoint, ttl), dropping term length,
 * MTU, initial position, linger, sparse and eos; the recording key is `<streamId>:<media>?endpoint=…|interface=…|control=…|session-id=…|tags=…` (last
 * separator dropped) used to
 * find a recording subscription again for STOP_RECORDING.
 */
import { ChannelUriStringBuilder } from '../client/channel-uri-string-builder.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';

const STRING_PARAMS: ReadonlyArray<[string, (b: ChannelUriStringBuilder, v: string) => void]> = [
  ['endpoint', (b, v) => b.endpoint(v)],
  ['interface', (b, v) => b.networkInterface(v)],
  ['control', (b, v) => b.controlEndpoint(v)],
  ['control-mode', (b, v) => b.controlMode(v)],
  ['tags', (b, v) => b.tags(v)],
  ['rejoin', (b, v) => b.rejoin(v === 'true')],
  ['group', (b, v) => b.group(v === 'true')],
  ['tether', (b, v) => b.tether(v === 'true')],
  ['fc', (b, v) => b.flowControl(v)],
  ['gtag', (b, v) => b.groupTag(BigInt(v))],
  ['cc', (b, v) => b.congestionControl(v)],
  ['session-id', (b, v) => b.sessionId(v)],
  ['alias', (b, v) => b.alias(v)],
  ['response-correlation-id', (b, v) => b.responseCorrelationId(v)],
  ['response-endpoint', (b, v) => b.responseEndpoint(v)],
  ['ttl', (b, v) => b.ttl(Number(v))],
  ['channel-snd-ts-offset', (b, v) => b.channelSendTimestampOffset(v)],
  ['channel-rcv-ts-offset', (b, v) => b.channelReceiveTimestampOffset(v)],
  ['media-rcv-ts-offset', (b, v) => b.mediaReceiveTimestampOffset(v)],
];

const SIZE_PARAMS: ReadonlyArray<[string, (b: ChannelUriStringBuilder, v: number) => void]> = [
  ['so-rcvbuf', (b, v) => b.socketRcvbufLength(v)],
  ['so-sndbuf', (b, v) => b.socketSndbufLength(v)],
  ['rcv-wnd', (b, v) => b.receiverWindowLength(v)],
];

/** A builder holding the stripped form of `uri` (module comment); add parameters to it before `build()`. */
export function strippedChannelBuilder(uri: ChannelUri): ChannelUriStringBuilder {
  const b = new ChannelUriStringBuilder().media(uri.media);
  for (const [name, set] of STRING_PARAMS) {
    const v = uri.get(name);
    if (v !== undefined) set(b, v);
  }
  for (const [name, set] of SIZE_PARAMS) {
    const v = uri.get(name);
    if (v !== undefined) set(b, parseSize(v));
  }
  return b;
}

/** The stripped channel string of `channel`. */
export function strippedChannel(channel: string): string {
  return strippedChannelBuilder(ChannelUri.parse(channel)).build();
}

/** The key of a recording subscription (Java `makeKey`). */
export function recordingKey(streamId: number, uri: ChannelUri): string {
  let key = `${streamId}:${uri.media}?`;
  const endpoint = uri.get('endpoint');
  if (endpoint !== undefined) key += `endpoint=${endpoint}|`;
  const networkInterface = uri.get('interface');
  if (networkInterface !== undefined) key += `interface=${networkInterface}|`;
  const control = uri.get('control');
  if (control !== undefined) key += `control=${control}|`;
  const sessionId = uri.get('session-id');
  if (sessionId !== undefined) key += `session-id=${sessionId}|`;
  const tags = uri.get('tags');
  if (tags !== undefined) key += `tags=${tags}|`;
  return key.slice(0, -1);
}

/** A channel size parameter (`64k`, `1m`, `1g` or bytes) in bytes. */
export function parseSize(value: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (m === null) return Number(value);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'k' ? n * 1024 : unit === 'm' ? n * 1024 * 1024 : unit === 'g' ? n * 1024 * 1024 * 1024 : n;
}
