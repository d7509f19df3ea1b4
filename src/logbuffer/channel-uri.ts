/**
 * Aeron channel URIs: parse, inspect, modify and print them exactly as Java's `ChannelUri` does.
 *
 * Grammar (Java's parse rules, not RFC 3986):
 * ```
 *   uri    = [ "aeron-spy:" ] "aeron:" media [ "?" param *( "|" param ) ]
 *   media  = *( any char except ":", "|", "=", "?" )     e.g. "udp", "ipc"
 *   param  = key "=" value
 *   key    = 1*( any char except "=" and "|" )           ("?" and ":" are allowed)
 *   value  = *( any char except "|" )                    ("=" is allowed; may be empty)
 * ```
 * - at most {@link MAX_URI_LENGTH} (4095) UTF-16 units;
 * - a repeated key keeps its last value;
 * - the media is checked (`udp` or `ipc`) only when there is no `?`: `aeron:foo?x=1` parses;
 * - `aeron:udp?` and a trailing `|` are errors (a key was started but has no `=`).
 *
 * `toString()` lists parameters in the iteration order of the Agrona `Object2ObjectHashMap` Java keeps them
 * in (open addressing, linear probing, iterated backwards), so a URI normalises to the same string as in Java.
 * The map is reproduced by {@link ParamMap} below.
 */

import { ChannelUriError } from './channel-uri-error.ts';
import { FRAME_ALIGNMENT } from './frame-descriptor.ts';
import { computeTermIdFromPosition } from './log-buffer-descriptor.ts';

// ---------------------------------------------------------------------------------------------------
// Names (io.aeron.CommonContext).
// ---------------------------------------------------------------------------------------------------

/** Scheme of every Aeron channel URI (`aeron`). Java: `ChannelUri.AERON_SCHEME`. */
export const AERON_SCHEME = 'aeron';
/**
 * Qualifier of a spy subscription's URI (`aeron-spy`), which reads a local publication's log. Java:
 * `ChannelUri.SPY_QUALIFIER`.
 */
export const SPY_QUALIFIER = 'aeron-spy';
/** Prefix of a spy subscription's channel (`aeron-spy:`). Java: `CommonContext.SPY_PREFIX`. */
export const SPY_PREFIX = 'aeron-spy:';
/** Prefix of every non-spy channel (`aeron:`). Java: `ChannelUri.AERON_PREFIX` (private). */
export const AERON_PREFIX = 'aeron:';
/** Media of shared-memory channels (`ipc`). Java: `CommonContext.IPC_MEDIA`. */
export const IPC_MEDIA = 'ipc';
/** Media of network channels (`udp`). Java: `CommonContext.UDP_MEDIA`. */
export const UDP_MEDIA = 'udp';
/** The IPC channel with no parameters (`aeron:ipc`). Java: `CommonContext.IPC_CHANNEL`. */
export const IPC_CHANNEL = 'aeron:ipc';
/** The UDP channel prefix with no parameters (`aeron:udp`). Java: `CommonContext.UDP_CHANNEL`. */
export const UDP_CHANNEL = 'aeron:udp';
/** Longest URI `parse` accepts, in UTF-16 units. Java: `ChannelUri.MAX_URI_LENGTH`. */
export const MAX_URI_LENGTH = 4095;
/** What `getTag` returns for an untagged value. Java: `ChannelUri.INVALID_TAG`. */
export const INVALID_TAG = -1;
/** Prefix of a parameter value that refers to a tag, e.g. `session-id=tag:7`. Java: `CommonContext.TAG_PREFIX`. */
export const TAG_PREFIX = 'tag:';

/**
 * Parameter (`endpoint`): the UDP address and port a publication sends to or a subscription receives on. Java:
 * `CommonContext.ENDPOINT_PARAM_NAME`.
 */
export const ENDPOINT_PARAM_NAME = 'endpoint';
/**
 * Parameter (`interface`): the network interface the socket is routed through. Java:
 * `CommonContext.INTERFACE_PARAM_NAME`.
 */
export const INTERFACE_PARAM_NAME = 'interface';
/**
 * Parameter (`init-term-id`): initial term id of an exclusive publication. Java:
 * `CommonContext.INITIAL_TERM_ID_PARAM_NAME`.
 */
export const INITIAL_TERM_ID_PARAM_NAME = 'init-term-id';
/** Parameter (`term-id`): current term id of an exclusive publication. Java: `CommonContext.TERM_ID_PARAM_NAME`. */
export const TERM_ID_PARAM_NAME = 'term-id';
/**
 * Parameter (`term-offset`): current term offset of an exclusive publication. Java:
 * `CommonContext.TERM_OFFSET_PARAM_NAME`.
 */
export const TERM_OFFSET_PARAM_NAME = 'term-offset';
/** Parameter (`term-length`): term length in bytes. Java: `CommonContext.TERM_LENGTH_PARAM_NAME`. */
export const TERM_LENGTH_PARAM_NAME = 'term-length';
/**
 * Parameter (`mtu`): MTU length in bytes (above the network MTU, UDP packets fragment). Java:
 * `CommonContext.MTU_LENGTH_PARAM_NAME`.
 */
export const MTU_LENGTH_PARAM_NAME = 'mtu';
/** Parameter (`ttl`): time to live of multicast datagrams. Java: `CommonContext.TTL_PARAM_NAME`. */
export const TTL_PARAM_NAME = 'ttl';
/**
 * Parameter (`control`): the control address and port of multi-destination-cast. Java:
 * `CommonContext.MDC_CONTROL_PARAM_NAME`.
 */
export const MDC_CONTROL_PARAM_NAME = 'control';
/** Parameter (`control-mode`): `manual`, `dynamic` or `response`. Java: `CommonContext.MDC_CONTROL_MODE_PARAM_NAME`. */
export const MDC_CONTROL_MODE_PARAM_NAME = 'control-mode';
/**
 * Value of `control-mode` for manual control (`manual`): destinations added by the application. Java:
 * `CommonContext.MDC_CONTROL_MODE_MANUAL`.
 */
export const MDC_CONTROL_MODE_MANUAL = 'manual';
/**
 * Value of `control-mode` for dynamic control (`dynamic`, the default). Java: `CommonContext.MDC_CONTROL_MODE_DYNAMIC`.
 */
export const MDC_CONTROL_MODE_DYNAMIC = 'dynamic';
/** Value of `control-mode` for response channels (`response`). Java: `CommonContext.CONTROL_MODE_RESPONSE`. */
export const CONTROL_MODE_RESPONSE = 'response';
/**
 * Parameter (`session-id`): session id of a publication or a restricted subscription. Java:
 * `CommonContext.SESSION_ID_PARAM_NAME`.
 */
export const SESSION_ID_PARAM_NAME = 'session-id';
/**
 * Parameter (`linger`): how long a publication lingers after draining, in ns (or with a unit suffix). Java:
 * `CommonContext.LINGER_PARAM_NAME`.
 */
export const LINGER_PARAM_NAME = 'linger';
/**
 * Parameter (`reliable`): `true` recovers loss, `false` gap-fills (subscriptions). Java:
 * `CommonContext.RELIABLE_STREAM_PARAM_NAME`.
 */
export const RELIABLE_STREAM_PARAM_NAME = 'reliable';
/**
 * Parameter (`tags`): the channel's tags, `<channel tag>[,<publication/subscription tag>]`. Java:
 * `CommonContext.TAGS_PARAM_NAME`.
 */
export const TAGS_PARAM_NAME = 'tags';
/** Parameter (`sparse`): whether term buffers are sparse files. Java: `CommonContext.SPARSE_PARAM_NAME`. */
export const SPARSE_PARAM_NAME = 'sparse';
/**
 * Parameter (`alias`): an application-level name for the channel, not interpreted by Aeron. Java:
 * `CommonContext.ALIAS_PARAM_NAME`.
 */
export const ALIAS_PARAM_NAME = 'alias';
/** Parameter (`eos`): whether End of Stream is sent. Java: `CommonContext.EOS_PARAM_NAME`. */
export const EOS_PARAM_NAME = 'eos';
/** Parameter (`tether`): whether a subscription tethers local flow control. Java: `CommonContext.TETHER_PARAM_NAME`. */
export const TETHER_PARAM_NAME = 'tether';
/**
 * Parameter (`group`): whether a subscription is a group member (informs loss handling). Java:
 * `CommonContext.GROUP_PARAM_NAME`.
 */
export const GROUP_PARAM_NAME = 'group';
/**
 * Parameter (`rejoin`): whether images that went unavailable may rejoin after a cooldown. Java:
 * `CommonContext.REJOIN_PARAM_NAME`.
 */
export const REJOIN_PARAM_NAME = 'rejoin';
/**
 * Parameter (`cc`): the congestion control algorithm of a subscription (`static`, `cubic`). Java:
 * `CommonContext.CONGESTION_CONTROL_PARAM_NAME`.
 */
export const CONGESTION_CONTROL_PARAM_NAME = 'cc';
/**
 * Parameter (`fc`): the flow control strategy of a publication, e.g. `min` or `max`. Java:
 * `CommonContext.FLOW_CONTROL_PARAM_NAME`.
 */
export const FLOW_CONTROL_PARAM_NAME = 'fc';
/**
 * Parameter (`gtag`): the receiver group tag a subscription sends in status messages. Java:
 * `CommonContext.GROUP_TAG_PARAM_NAME`.
 */
export const GROUP_TAG_PARAM_NAME = 'gtag';
/**
 * Parameter (`ssc`): whether spies simulate a connection for a publication. Java:
 * `CommonContext.SPIES_SIMULATE_CONNECTION_PARAM_NAME`.
 */
export const SPIES_SIMULATE_CONNECTION_PARAM_NAME = 'ssc';
/** Parameter (`so-sndbuf`): the OS socket send buffer length. Java: `CommonContext.SOCKET_SNDBUF_PARAM_NAME`. */
export const SOCKET_SNDBUF_PARAM_NAME = 'so-sndbuf';
/** Parameter (`so-rcvbuf`): the OS socket receive buffer length. Java: `CommonContext.SOCKET_RCVBUF_PARAM_NAME`. */
export const SOCKET_RCVBUF_PARAM_NAME = 'so-rcvbuf';
/**
 * Parameter (`rcv-wnd`): the initial receiver window length of congestion control. Java:
 * `CommonContext.RECEIVER_WINDOW_LENGTH_PARAM_NAME`.
 */
export const RECEIVER_WINDOW_LENGTH_PARAM_NAME = 'rcv-wnd';
/**
 * Parameter (`media-rcv-ts-offset`): where in an incoming message the media receive timestamp goes (or `reserved`).
 * Java: `CommonContext.MEDIA_RCV_TIMESTAMP_OFFSET_PARAM_NAME`.
 */
export const MEDIA_RCV_TIMESTAMP_OFFSET_PARAM_NAME = 'media-rcv-ts-offset';
/**
 * Parameter (`channel-rcv-ts-offset`): where in an incoming message the channel receive timestamp goes (or `reserved`).
 * Java: `CommonContext.CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME`.
 */
export const CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME = 'channel-rcv-ts-offset';
/**
 * Parameter (`channel-snd-ts-offset`): where in an outgoing message the channel send timestamp goes (or `reserved`).
 * Java: `CommonContext.CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME`.
 */
export const CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME = 'channel-snd-ts-offset';
/**
 * Value of the timestamp-offset parameters that puts the timestamp in the frame's reserved value. Java:
 * `CommonContext.RESERVED_OFFSET`.
 */
export const RESERVED_OFFSET = 'reserved';
/**
 * Parameter (`response-endpoint`): the response endpoint of a response "server". Java:
 * `CommonContext.RESPONSE_ENDPOINT_PARAM_NAME`.
 */
export const RESPONSE_ENDPOINT_PARAM_NAME = 'response-endpoint';
/**
 * Parameter (`response-correlation-id`): the image correlation id a response publication connects to.
 * Java: `CommonContext.RESPONSE_CORRELATION_ID_PARAM_NAME`.
 */
export const RESPONSE_CORRELATION_ID_PARAM_NAME = 'response-correlation-id';
/**
 * Value of `response-correlation-id` for a prototype response publication. Java:
 * `CommonContext.PROTOTYPE_CORRELATION_ID`.
 */
export const PROTOTYPE_CORRELATION_ID = 'prototype';
/**
 * Parameter (`nak-delay`): an explicit NAK delay, e.g. `nak-delay=200ms`. Java:
 * `CommonContext.NAK_DELAY_PARAM_NAME`.
 */
export const NAK_DELAY_PARAM_NAME = 'nak-delay';
/**
 * Parameter (`untethered-window-limit-timeout`), e.g. `10s`. Java:
 * `CommonContext.UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME`.
 */
export const UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME = 'untethered-window-limit-timeout';
/**
 * Parameter (`untethered-linger-timeout`), e.g. `10s`. Java:
 * `CommonContext.UNTETHERED_LINGER_TIMEOUT_PARAM_NAME`.
 */
export const UNTETHERED_LINGER_TIMEOUT_PARAM_NAME = 'untethered-linger-timeout';
/**
 * Parameter (`untethered-resting-timeout`), e.g. `10s`. Java:
 * `CommonContext.UNTETHERED_RESTING_TIMEOUT_PARAM_NAME`.
 */
export const UNTETHERED_RESTING_TIMEOUT_PARAM_NAME = 'untethered-resting-timeout';
/**
 * Parameter (`max-resend`): the most retransmits a publication has outstanding at once. Java:
 * `CommonContext.MAX_RESEND_PARAM_NAME`.
 */
export const MAX_RESEND_PARAM_NAME = 'max-resend';
/** Parameter (`stream-id`): the stream id of the channel. Java: `CommonContext.STREAM_ID_PARAM_NAME`. */
export const STREAM_ID_PARAM_NAME = 'stream-id';
/**
 * Parameter (`pub-wnd`): how far ahead of the slowest receiver a publication accepts offers. Java:
 * `CommonContext.PUBLICATION_WINDOW_LENGTH_PARAM_NAME`.
 */
export const PUBLICATION_WINDOW_LENGTH_PARAM_NAME = 'pub-wnd';

// ---------------------------------------------------------------------------------------------------
// The parameter map, iterating in the same order as Agrona's Object2ObjectHashMap<String, String>.
// ---------------------------------------------------------------------------------------------------

const MIN_CAPACITY = 8;
/** Agrona's Hashing.DEFAULT_LOAD_FACTOR, a Java float. */
const LOAD_FACTOR = Math.fround(0.65);

/** java.lang.String#hashCode over UTF-16 units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Agrona Hashing.evenHash(int, mask): a mixed hash, doubled so it indexes the key slot of a key/value pair. */
function evenHash(value: number, mask: number): number {
  let x = value | 0;
  x = Math.imul((x >>> 16) ^ x, 0x119de1f3);
  x = Math.imul((x >>> 16) ^ x, 0x119de1f3);
  x = (x >>> 16) ^ x;
  return ((x << 1) - (x << 8)) & mask;
}

/**
 * Open-addressing string map laid out as Agrona's: one array of `2 × capacity` slots,
 * `[key0, value0, key1, value1, …]`, linear probing by 2, capacity doubling when size exceeds
 * `(int)(capacity × 0.65f)`, backward-shift deletion, and iteration that walks the slots backwards
 * starting just before the first empty slot when the last slot is occupied.
 */
class ParamMap {
  #slots: (string | undefined)[];
  #resizeThreshold: number;
  #count = 0;

  constructor() {
    this.#slots = new Array<string | undefined>(MIN_CAPACITY * 2).fill(undefined);
    this.#resizeThreshold = Math.trunc(Math.fround(MIN_CAPACITY * LOAD_FACTOR));
  }

  get size(): number {
    return this.#count;
  }

  /** Index of the key slot holding `key`, or of the empty slot where probing for it stopped. */
  #find(key: string): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let index = evenHash(javaStringHash(key), mask);
    while (slots[index + 1] !== undefined && slots[index] !== key) index = (index + 2) & mask;
    return index;
  }

  get(key: string): string | undefined {
    return this.#slots[this.#find(key) + 1];
  }

  put(key: string, value: string): string | undefined {
    const slots = this.#slots;
    const index = this.#find(key);
    const old = slots[index + 1];
    if (old === undefined) {
      this.#count++;
      slots[index] = key;
    }
    slots[index + 1] = value;
    // Java passes entries.length (= 2 × capacity) as the new capacity: the capacity doubles.
    if (this.#count > this.#resizeThreshold) this.#rehash(slots.length);
    return old;
  }

  remove(key: string): string | undefined {
    const slots = this.#slots;
    const index = this.#find(key);
    const value = slots[index + 1];
    if (value !== undefined) {
      slots[index] = undefined;
      slots[index + 1] = undefined;
      this.#count--;
      this.#compactChain(index);
    }
    return value;
  }

  /** Calls `consumer` for each entry in slot order: Java's `Object2ObjectHashMap.forEach`. */
  forEachInSlotOrder(consumer: (key: string, value: string) => void): void {
    const slots = this.#slots;
    for (let i = 1; i < slots.length; i += 2) {
      const value = slots[i];
      if (value !== undefined) consumer(slots[i - 1]!, value);
    }
  }

  /** Calls `consumer` for each entry in the order of Java's entry-set iterator (used by `toString`). */
  forEach(consumer: (key: string, value: string) => void): void {
    const slots = this.#slots;
    const length = slots.length;
    const mask = length - 1;
    let stop = length;
    if (slots[length - 1] !== undefined) {
      for (let i = 1; i < length; i += 2) {
        if (slots[i] === undefined) {
          stop = i - 1;
          break;
        }
      }
    }
    for (let k = stop + length - 2; k >= stop; k -= 2) {
      const index = k & mask;
      const value = slots[index + 1];
      if (value !== undefined) consumer(slots[index]!, value);
    }
  }

  #rehash(newCapacity: number): void {
    const old = this.#slots;
    const slots = new Array<string | undefined>(newCapacity * 2).fill(undefined);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      const value = old[i + 1];
      if (value === undefined) continue;
      const key = old[i]!;
      let index = evenHash(javaStringHash(key), mask);
      while (slots[index + 1] !== undefined) index = (index + 2) & mask;
      slots[index] = key;
      slots[index + 1] = value;
    }
    this.#slots = slots;
    this.#resizeThreshold = Math.trunc(Math.fround(newCapacity * LOAD_FACTOR));
  }

  #compactChain(deleteIndex: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = deleteIndex;
    let index = deleteIndex;
    for (;;) {
      index = (index + 2) & mask;
      const value = slots[index + 1];
      if (value === undefined) return;
      const key = slots[index]!;
      const hash = evenHash(javaStringHash(key), mask);
      if ((index < hash && (hash <= hole || hole <= index)) || (hash <= hole && hole <= index)) {
        slots[hole] = key;
        slots[hole + 1] = value;
        slots[index] = undefined;
        slots[index + 1] = undefined;
        hole = index;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Numbers as Agrona's AsciiEncoding.parseLongAscii reads them (ASCII digits, optional leading '-').
// ---------------------------------------------------------------------------------------------------

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * Parses `text.substring(index, index + length)` as a Java long the way Agrona does: ASCII digits with an
 * optional leading `-`, no `+`, at most 19 digits, in range. Throws a `NumberFormatException`-kind
 * {@link ChannelUriError} otherwise. Control path only (returns a bigint).
 */
export function parseLongAscii(text: string, index: number, length: number): bigint {
  if (length <= 0) {
    throw new ChannelUriError(`empty string: index=${index} length=${length}`, text, index, 'NumberFormatException');
  }
  const end = index + length;
  const digits = text.substring(index, end);
  const negative = text.charCodeAt(index) === 0x2d;
  const start = negative ? index + 1 : index;
  if (negative && length === 1) {
    throw new ChannelUriError(`error parsing long: ${digits}`, text, index, 'NumberFormatException');
  }
  if (end - start > 19) {
    throw new ChannelUriError(`long overflow parsing: ${digits}`, text, index, 'NumberFormatException');
  }
  for (let i = start; i < end; i++) {
    if (!isAsciiDigit(text.charCodeAt(i))) {
      throw new ChannelUriError(`error parsing long: ${digits}`, text, i, 'NumberFormatException');
    }
  }
  const value = BigInt(digits);
  if (value > LONG_MAX || value < LONG_MIN) {
    throw new ChannelUriError(`long overflow parsing: ${digits}`, text, index, 'NumberFormatException');
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// ChannelUri
// ---------------------------------------------------------------------------------------------------

function validateMedia(media: string, input: string, position: number): void {
  if (media !== IPC_MEDIA && media !== UDP_MEDIA) {
    throw new ChannelUriError(`unknown media: ${media}`, input, position);
  }
}

/** Parser states. */
const MEDIA = 0;
const PARAMS_KEY = 1;
const PARAMS_VALUE = 2;

/** A parsed channel URI; parameters can be read and changed, `toString()` prints it back in Java's form. */
export class ChannelUri {
  #prefix: string;
  #media: string;
  readonly #params: ParamMap;

  private constructor(prefix: string, media: string, params: ParamMap) {
    this.#prefix = prefix;
    this.#media = media;
    this.#params = params;
  }

  /** Parses an Aeron channel URI; throws {@link ChannelUriError} when it is malformed. */
  static parse(uri: string): ChannelUri {
    const length = uri.length;
    if (length > MAX_URI_LENGTH) {
      throw new ChannelUriError(
        `URI length (${length}) exceeds max supported length (${MAX_URI_LENGTH}): ${uri.substring(0, MAX_URI_LENGTH)}`,
        uri,
        MAX_URI_LENGTH,
      );
    }

    let position = 0;
    let prefix = '';
    if (uri.startsWith(SPY_PREFIX)) {
      prefix = SPY_QUALIFIER;
      position = SPY_PREFIX.length;
    }
    if (!uri.startsWith(AERON_PREFIX, position)) {
      throw new ChannelUriError(`Aeron URIs must start with 'aeron:', found: ${uri}`, uri, position);
    }
    position += AERON_PREFIX.length;

    const params = new ParamMap();
    let media = '';
    let key = '';
    let tokenStart = position;
    let state: number = MEDIA;
    for (let i = position; i < length; i++) {
      const c = uri.charCodeAt(i);
      switch (state) {
        case MEDIA:
          if (c === 0x3f /* ? */) {
            media = uri.substring(tokenStart, i);
            tokenStart = i + 1;
            state = PARAMS_KEY;
          } else if (c === 0x3a /* : */ || c === 0x7c /* | */ || c === 0x3d /* = */) {
            throw new ChannelUriError(
              `encountered '${uri[i]}' within media definition at index ${i} in ${uri}`,
              uri,
              i,
            );
          }
          break;
        case PARAMS_KEY:
          if (c === 0x3d /* = */) {
            if (i === tokenStart) {
              throw new ChannelUriError(
                `empty key not allowed at index ${i} in ${uri}`,
                uri,
                i,
                'IllegalStateException',
              );
            }
            key = uri.substring(tokenStart, i);
            tokenStart = i + 1;
            state = PARAMS_VALUE;
          } else if (c === 0x7c /* | */) {
            throw new ChannelUriError(`invalid end of key at index ${i} in ${uri}`, uri, i, 'IllegalStateException');
          }
          break;
        case PARAMS_VALUE:
          if (c === 0x7c /* | */) {
            params.put(key, uri.substring(tokenStart, i));
            tokenStart = i + 1;
            state = PARAMS_KEY;
          }
          break;
      }
    }

    switch (state) {
      case MEDIA:
        media = uri.substring(tokenStart);
        validateMedia(media, uri, tokenStart);
        break;
      case PARAMS_VALUE:
        params.put(key, uri.substring(tokenStart));
        break;
      case PARAMS_KEY:
        throw new ChannelUriError(
          `no more input found, state=PARAMS_KEY in ${uri}`,
          uri,
          length,
          'IllegalStateException',
        );
    }

    return new ChannelUri(prefix, media, params);
  }

  /** `aeron-spy` for spy URIs, otherwise empty. */
  get prefix(): string {
    return this.#prefix;
  }

  /** Sets the prefix: `aeron-spy` makes the URI a spy's, empty removes it. Java: `ChannelUri.prefix(String)`. */
  set prefix(prefix: string) {
    this.#prefix = prefix;
  }

  /** `udp` or `ipc` (or, as in Java, anything without `:|=?` when the URI has parameters). */
  get media(): string {
    return this.#media;
  }

  /** Sets the media; only `udp` and `ipc` are accepted. */
  set media(media: string) {
    validateMedia(media, media, 0);
    this.#media = media;
  }

  /** Always `aeron`. */
  get scheme(): string {
    return AERON_SCHEME;
  }

  /** Whether the media is `udp`. Java: `ChannelUri.isUdp`. */
  get isUdp(): boolean {
    return this.#media === UDP_MEDIA;
  }

  /** Whether the media is `ipc`. Java: `ChannelUri.isIpc`. */
  get isIpc(): boolean {
    return this.#media === IPC_MEDIA;
  }

  /** Number of parameters. */
  get size(): number {
    return this.#params.size;
  }

  /** The value of `key`, or `defaultValue` (undefined unless given) when absent. */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.#params.get(key) ?? defaultValue;
  }

  /** Sets `key` to `value`; returns the previous value. */
  put(key: string, value: string): string | undefined {
    return this.#params.put(key, value);
  }

  /** Removes `key`; returns the previous value. */
  remove(key: string): string | undefined {
    return this.#params.remove(key);
  }

  /** Whether the URI has parameter `key`. Java: `ChannelUri.containsKey`. */
  containsKey(key: string): boolean {
    return this.#params.get(key) !== undefined;
  }

  /**
   * Calls `consumer` for every parameter in Java's `forEachParameter` order, which is NOT the order
   * `toString()` prints (Agrona's forEach walks the slots forwards, its iterator backwards).
   */
  forEachParameter(consumer: (key: string, value: string) => void): void {
    this.#params.forEachInSlotOrder(consumer);
  }

  /** The parameters as `[key, value]` pairs, in the order `toString()` prints them. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    this.#params.forEach((k, v) => {
      out.push([k, v]);
    });
    return out;
  }

  /**
   * First element of the comma separated `tags` value: the channel tag other channels may refer to.
   * Read from the current `tags` value (Java splits the tags once, when the URI is parsed).
   */
  channelTag(): string | undefined {
    return this.#tags()[0];
  }

  /** Second element of the `tags` value: the tag of the publication or subscription. */
  entityTag(): string | undefined {
    return this.#tags()[1];
  }

  /** Whether `control-mode=response`. */
  hasControlModeResponse(): boolean {
    return this.#params.get(MDC_CONTROL_MODE_PARAM_NAME) === CONTROL_MODE_RESPONSE;
  }

  /**
   * Sets init-term-id, term-id, term-offset and term-length so a publication starts at `position`.
   * `position` must be a non-negative multiple of 32 (a safe integer); `termLength` a valid term length.
   */
  initialPosition(position: number, initialTermId: number, termLength: number): void {
    if (!Number.isSafeInteger(position) || position < 0 || position % FRAME_ALIGNMENT !== 0) {
      throw new ChannelUriError(`invalid position: ${position}`, String(position));
    }
    const bitsToShift = termLengthBits(termLength);
    const termId = computeTermIdFromPosition(position, bitsToShift, initialTermId | 0);
    const termOffset = position % termLength;
    this.put(INITIAL_TERM_ID_PARAM_NAME, String(initialTermId | 0));
    this.put(TERM_ID_PARAM_NAME, String(termId));
    this.put(TERM_OFFSET_PARAM_NAME, String(termOffset));
    this.put(TERM_LENGTH_PARAM_NAME, String(termLength));
  }

  /**
   * Resolves a wildcard port: with no endpoint, `resolvedEndpoint` becomes the endpoint; an endpoint ending
   * in `:0` takes the port of `resolvedEndpoint`; any other endpoint is kept.
   */
  replaceEndpointWildcardPort(resolvedEndpoint: string): void {
    const portSeparatorIndex = resolvedEndpoint.lastIndexOf(':');
    if (portSeparatorIndex === -1) {
      throw new ChannelUriError(`No port specified on resolvedEndpoint=${resolvedEndpoint}`, resolvedEndpoint);
    }
    if (resolvedEndpoint.endsWith(':0')) {
      throw new ChannelUriError(`Wildcard port specified on resolvedEndpoint=${resolvedEndpoint}`, resolvedEndpoint);
    }
    const existing = this.#params.get(ENDPOINT_PARAM_NAME);
    if (existing === undefined) {
      this.#params.put(ENDPOINT_PARAM_NAME, resolvedEndpoint);
    } else if (existing.endsWith(':0')) {
      this.#params.put(
        ENDPOINT_PARAM_NAME,
        existing.substring(0, existing.length - 2) + resolvedEndpoint.substring(portSeparatorIndex),
      );
    }
  }

  /** Same prefix, media and parameters (in any order). */
  equals(other: ChannelUri): boolean {
    if (this === other) return true;
    if (this.#prefix !== other.#prefix || this.#media !== other.#media) return false;
    if (this.#params.size !== other.#params.size) return false;
    let same = true;
    this.#params.forEach((k, v) => {
      if (other.#params.get(k) !== v) same = false;
    });
    return same;
  }

  /** `[prefix:]aeron:media[?k=v|k=v…]`, parameters in Java's order. */
  toString(): string {
    let s = '';
    const prefix = this.#prefix;
    if (prefix !== '') {
      s = prefix.endsWith(':') ? prefix : `${prefix}:`;
    }
    s += AERON_PREFIX + this.#media;
    if (this.#params.size > 0) {
      let sep = '?';
      this.#params.forEach((k, v) => {
        s += `${sep}${k}=${v}`;
        sep = '|';
      });
    }
    return s;
  }

  #tags(): string[] {
    const value = this.#params.get(TAGS_PARAM_NAME);
    return value === undefined ? [] : value.split(',');
  }

  // -------------------------------------------------------------------------------------------------
  // Static helpers (ChannelUri's statics in Java).
  // -------------------------------------------------------------------------------------------------

  /** `channel` with `session-id` set. */
  static addSessionId(channel: string, sessionId: number): string {
    const uri = ChannelUri.parse(channel);
    uri.put(SESSION_ID_PARAM_NAME, String(sessionId | 0));
    return uri.toString();
  }

  /** `uri` with `alias` added, unless `alias` is empty or the URI already has one (then `uri` unchanged). */
  static addAliasIfAbsent(uri: string, alias: string | undefined): string {
    if (alias !== undefined && alias !== '') {
      const channelUri = ChannelUri.parse(uri);
      if (!channelUri.containsKey(ALIAS_PARAM_NAME)) {
        channelUri.put(ALIAS_PARAM_NAME, alias);
        return channelUri.toString();
      }
    }
    return uri;
  }

  /** `uri` with its alias replaced by `transform(alias)`; an empty or undefined result removes it. */
  static transformAlias(uri: string, transform: (alias: string | undefined) => string | undefined): string {
    const channelUri = ChannelUri.parse(uri);
    const alias = transform(channelUri.get(ALIAS_PARAM_NAME));
    if (alias === undefined || alias === '') {
      channelUri.remove(ALIAS_PARAM_NAME);
    } else {
      channelUri.put(ALIAS_PARAM_NAME, alias);
    }
    return channelUri.toString();
  }

  /** Whether a parameter value refers to a tag (`tag:<n>`). */
  static isTagged(paramValue: string): boolean {
    return paramValue.startsWith(TAG_PREFIX);
  }

  /**
   * The tag a `tag:<n>` value refers to, or `INVALID_TAG` (-1). `<n>` must be a Java long; values beyond
   * ±2^53 lose precision as a `number`.
   */
  static getTag(paramValue: string): number {
    if (!ChannelUri.isTagged(paramValue)) return INVALID_TAG;
    return Number(parseLongAscii(paramValue, 4, paramValue.length - 4));
  }

  /** `aeron:<media>?endpoint=<endpoint>[|interface=<interface of channel>]`, for adding a destination. */
  static createDestinationUri(channel: string, endpoint: string): string {
    const channelUri = ChannelUri.parse(channel);
    const uri = `${AERON_PREFIX}${channelUri.media}?${ENDPOINT_PARAM_NAME}=${endpoint}`;
    const networkInterface = channelUri.get(INTERFACE_PARAM_NAME);
    return networkInterface !== undefined ? `${uri}|${INTERFACE_PARAM_NAME}=${networkInterface}` : uri;
  }

  /** `host:port` → `host:0`; undefined when there is no `:`. */
  static replacePortWithWildcard(endpoint: string | undefined): string | undefined {
    if (endpoint === undefined) return undefined;
    const i = endpoint.lastIndexOf(':');
    return i === -1 ? undefined : `${endpoint.substring(0, i + 1)}0`;
  }

  /** Whether the channel has `control-mode=response`. */
  static isControlModeResponse(channel: string): boolean {
    return ChannelUri.parse(channel).hasControlModeResponse();
  }
}

/** log2(termLength) for a valid term length (64 KiB … 1 GiB, power of two); throws otherwise. */
export function termLengthBits(termLength: number): number {
  if (
    !Number.isInteger(termLength) ||
    termLength < 64 * 1024 ||
    termLength > 1024 * 1024 * 1024 ||
    (termLength & (termLength - 1)) !== 0
  ) {
    throw new ChannelUriError(`invalid term buffer length: ${termLength}`, String(termLength));
  }
  return 31 - Math.clz32(termLength);
}
