/**
 * Typed, validating builder of channel URIs, as Java's `ChannelUriStringBuilder`.
 *
 * Each parameter has one method: called with no argument it returns the current value (null when unset),
 * called with a value (null clears) it validates, stores and returns the builder. `build()` prints the set
 * parameters in a fixed order:
 * ```
 *   [aeron-spy:]aeron:<media>?tags|endpoint|interface|control|control-mode|mtu|term-length|init-term-id|
 *   term-id|term-offset|session-id|ttl|reliable|linger|alias|cc|fc|gtag|sparse|eos|tether|group|rejoin|ssc|
 *   so-sndbuf|so-rcvbuf|rcv-wnd|media-rcv-ts-offset|channel-rcv-ts-offset|channel-snd-ts-offset|
 *   response-endpoint|response-correlation-id|nak-delay|untethered-window-limit-timeout|
 *   untethered-linger-timeout|untethered-resting-timeout|max-resend|stream-id|pub-wnd
 * ```
 * Sizes print with the shortest k/m/g suffix (`65536` → `64k`), durations with s/ms/us/ns (`5000000` → `5ms`).
 * Java longs (durations, tags, gtag) are kept as bigint; this is control-path code.
 *
 * `new ChannelUriStringBuilder(uri)` reads every known parameter of a URI with Java's number rules and
 * throws the same class of error Java does (see `ChannelUriError.javaException`).
 */
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import {
  AERON_SCHEME,
  ALIAS_PARAM_NAME,
  CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME,
  CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME,
  ChannelUri,
  CONGESTION_CONTROL_PARAM_NAME,
  CONTROL_MODE_RESPONSE,
  ENDPOINT_PARAM_NAME,
  EOS_PARAM_NAME,
  FLOW_CONTROL_PARAM_NAME,
  GROUP_PARAM_NAME,
  GROUP_TAG_PARAM_NAME,
  INITIAL_TERM_ID_PARAM_NAME,
  INTERFACE_PARAM_NAME,
  IPC_MEDIA,
  LINGER_PARAM_NAME,
  MAX_RESEND_PARAM_NAME,
  MDC_CONTROL_MODE_DYNAMIC,
  MDC_CONTROL_MODE_MANUAL,
  MDC_CONTROL_MODE_PARAM_NAME,
  MDC_CONTROL_PARAM_NAME,
  MEDIA_RCV_TIMESTAMP_OFFSET_PARAM_NAME,
  MTU_LENGTH_PARAM_NAME,
  NAK_DELAY_PARAM_NAME,
  PROTOTYPE_CORRELATION_ID,
  PUBLICATION_WINDOW_LENGTH_PARAM_NAME,
  parseLongAscii,
  RECEIVER_WINDOW_LENGTH_PARAM_NAME,
  REJOIN_PARAM_NAME,
  RELIABLE_STREAM_PARAM_NAME,
  RESERVED_OFFSET,
  RESPONSE_CORRELATION_ID_PARAM_NAME,
  RESPONSE_ENDPOINT_PARAM_NAME,
  SESSION_ID_PARAM_NAME,
  SOCKET_RCVBUF_PARAM_NAME,
  SOCKET_SNDBUF_PARAM_NAME,
  SPARSE_PARAM_NAME,
  SPIES_SIMULATE_CONNECTION_PARAM_NAME,
  SPY_QUALIFIER,
  STREAM_ID_PARAM_NAME,
  TAG_PREFIX,
  TAGS_PARAM_NAME,
  TERM_ID_PARAM_NAME,
  TERM_LENGTH_PARAM_NAME,
  TERM_OFFSET_PARAM_NAME,
  TETHER_PARAM_NAME,
  TTL_PARAM_NAME,
  termLengthBits,
  UDP_MEDIA,
  UNTETHERED_LINGER_TIMEOUT_PARAM_NAME,
  UNTETHERED_RESTING_TIMEOUT_PARAM_NAME,
  UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME,
} from './channel-uri.ts';
import { ChannelUriError } from './channel-uri-error.ts';

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const TERM_MIN_LENGTH = 64 * 1024;
const TERM_MAX_LENGTH = 1024 * 1024 * 1024;
const KB = 1024n;
const MB = 1024n * 1024n;
const GB = 1024n * 1024n * 1024n;
const US = 1000n;
const MS = 1000n * 1000n;
const S = 1000n * 1000n * 1000n;

// ---------------------------------------------------------------------------------------------------
// Java number rules (java.lang.Integer/Long/Boolean, Agrona SystemUtil). ASCII digits only: Java would
// also take other Unicode decimal digits in Integer.parseInt.
// ---------------------------------------------------------------------------------------------------

function nfe(message: string, input: string): ChannelUriError {
  return new ChannelUriError(message, input, -1, 'NumberFormatException');
}

/** java.lang.Long.parseLong / Integer.parseInt: optional sign, ASCII digits, in [min, max]; null if not. */
function javaParseIntegral(s: string, min: bigint, max: bigint): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const value = BigInt(s);
  return value < min || value > max ? null : value;
}

function javaParseInt(s: string): number | null {
  const v = javaParseIntegral(s, BigInt(INT_MIN), BigInt(INT_MAX));
  return v === null ? null : Number(v);
}

function javaParseLong(s: string): bigint | null {
  return javaParseIntegral(s, LONG_MIN, LONG_MAX);
}

/** java.lang.Boolean.valueOf(String). */
function javaBoolean(s: string): boolean {
  return s.length === 4 && s.toLowerCase() === 'true';
}

function validateNonNegative(name: string, value: string): void {
  if (value === '') throw nfe(`${name} must be non-empty: ${value}`, value);
  if (value.charCodeAt(0) === 0x2d) throw nfe(`${name} must be positive: ${value}`, value);
}

function isDigitChar(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Agrona SystemUtil.parseSize: `<n>[kKmMgG]`, non-negative, in long range. */
export function parseSize(name: string, value: string): bigint {
  validateNonNegative(name, value);
  const suffixIndex = value.length - 1;
  const last = value.charCodeAt(suffixIndex);
  if (isDigitChar(last)) return parseLongAscii(value, 0, value.length);
  const n = parseLongAscii(value, 0, suffixIndex);
  let unit: bigint;
  switch (value[suffixIndex]) {
    case 'k':
    case 'K':
      unit = KB;
      break;
    case 'm':
    case 'M':
      unit = MB;
      break;
    case 'g':
    case 'G':
      unit = GB;
      break;
    default:
      throw nfe(`${name}: ${value} should end with: k, m, or g.`, value);
  }
  if (n > LONG_MAX / unit) throw nfe(`${name} would overflow a long: ${value}`, value);
  return n * unit;
}

/** Agrona SystemUtil.parseDuration: `<n>[s|ms|us|ns]` (any case), non-negative; saturates at Long.MAX_VALUE. */
export function parseDuration(name: string, value: string): bigint {
  validateNonNegative(name, value);
  const length = value.length;
  const last = value.charCodeAt(length - 1);
  if (isDigitChar(last)) return parseLongAscii(value, 0, length);
  const invalid = (): ChannelUriError => nfe(`${name}: ${value} should end with: s, ms, us, or ns.`, value);
  let suffixIndex = length - 1;
  let suffixStart = value[length - 1]!;
  if ((suffixStart === 's' || suffixStart === 'S') && length > 1) {
    const before = value.charCodeAt(length - 2);
    if (!isDigitChar(before)) {
      if (--suffixIndex <= 0) throw invalid();
      suffixStart = value[length - 2]!;
    }
  } else {
    throw invalid();
  }
  const n = parseLongAscii(value, 0, suffixIndex);
  let unit: bigint;
  switch (suffixStart) {
    case 'n':
    case 'N':
      return n;
    case 'u':
    case 'U':
      unit = US;
      break;
    case 'm':
    case 'M':
      unit = MS;
      break;
    case 's':
    case 'S':
      unit = S;
      break;
    default:
      throw invalid();
  }
  return n > LONG_MAX / unit ? LONG_MAX : n * unit;
}

/** Agrona SystemUtil.formatSize: shortest exact g/m/k form. */
export function formatSize(size: number | bigint): string {
  const v = BigInt(size);
  if (v < 0n) throw new ChannelUriError(`size must be positive: ${v}`, String(v));
  for (const [unit, suffix] of [
    [GB, 'g'],
    [MB, 'm'],
    [KB, 'k'],
  ] as const) {
    if (v >= unit && v % unit === 0n) return `${v / unit}${suffix}`;
  }
  return String(v);
}

/** Agrona SystemUtil.formatDuration: shortest exact s/ms/us form, else ns. */
export function formatDuration(durationNs: number | bigint): string {
  const v = BigInt(durationNs);
  if (v < 0n) throw new ChannelUriError(`duration must be positive: ${v}`, String(v));
  for (const [unit, suffix] of [
    [S, 's'],
    [MS, 'ms'],
    [US, 'us'],
  ] as const) {
    if (v >= unit && v % unit === 0n) return `${v / unit}${suffix}`;
  }
  return `${v}ns`;
}

// ---------------------------------------------------------------------------------------------------
// Argument checks for values given from TypeScript.
// ---------------------------------------------------------------------------------------------------

function requireInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
    throw new ChannelUriError(`\`${name}\` must be a 32-bit integer: ${value}`, String(value));
  }
  return value;
}

function requireLong(value: number | bigint, name: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new ChannelUriError(`\`${name}\` must be a safe integer or a bigint: ${value}`, String(value));
  }
  const v = BigInt(value);
  if (v < LONG_MIN || v > LONG_MAX) {
    throw new ChannelUriError(`\`${name}\` must be a 64-bit integer: ${value}`, String(value));
  }
  return v;
}

function nonNegativeInt(value: number | null, name: string): number | null {
  if (value === null) return null;
  requireInt(value, name);
  if (value < 0) throw new ChannelUriError(`\`${name}\` value cannot be negative: ${value}`, String(value));
  return value;
}

function nonNegativeLong(value: number | bigint | null, name: string): bigint | null {
  if (value === null) return null;
  const v = requireLong(value, name);
  if (v < 0n) throw new ChannelUriError(`\`${name}\` value cannot be negative: ${v}`, String(v));
  return v;
}

function checkTimestampOffset(value: string | null, label: string): string | null {
  if (value !== null && value !== RESERVED_OFFSET && javaParseInt(value) === null) {
    throw new ChannelUriError(`${label} must be a number or the value '${RESERVED_OFFSET}' found: ${value}`, value);
  }
  return value;
}

/** Size parameter read from a URI: parseSize, then at most Integer.MAX_VALUE. */
function sizeFromUri(name: string, value: string, tooLarge: (v: bigint) => string): number {
  const v = parseSize(name, value);
  if (v > BigInt(INT_MAX)) throw new ChannelUriError(tooLarge(v), value);
  return Number(v);
}

function intFromUri(value: string, message: string): number {
  const v = javaParseInt(value);
  if (v === null) throw new ChannelUriError(message, value);
  return v;
}

// ---------------------------------------------------------------------------------------------------
// The builder.
// ---------------------------------------------------------------------------------------------------

/**
 * Builds a channel URI parameter by parameter, validating each value as Java does (see the module comment). Java:
 * `ChannelUriStringBuilder`.
 *
 * ```ts
 * const channel = new ChannelUriStringBuilder().media('udp').endpoint('localhost:40123').termLength(65536).build();
 * // aeron:udp?endpoint=localhost:40123|term-length=64k
 * ```
 *
 * Setters (and the constructor, for a URI's values) throw `ChannelUriError` (`INVALID_CHANNEL_URI`) for a value Java
 * rejects.
 */
export class ChannelUriStringBuilder {
  #prefix: string | null = null;
  #media: string | null = null;
  #endpoint: string | null = null;
  #networkInterface: string | null = null;
  #controlEndpoint: string | null = null;
  #controlMode: string | null = null;
  #tags: string | null = null;
  #alias: string | null = null;
  #cc: string | null = null;
  #fc: string | null = null;
  #mediaRcvTsOffset: string | null = null;
  #channelRcvTsOffset: string | null = null;
  #channelSndTsOffset: string | null = null;
  #responseCorrelationId: string | null = null;
  #responseEndpoint: string | null = null;
  #reliable: boolean | null = null;
  #sparse: boolean | null = null;
  #eos: boolean | null = null;
  #tether: boolean | null = null;
  #group: boolean | null = null;
  #rejoin: boolean | null = null;
  #ssc: boolean | null = null;
  #ttl: number | null = null;
  #mtu: number | null = null;
  #termLength: number | null = null;
  #initialTermId: number | null = null;
  #termId: number | null = null;
  #termOffset: number | null = null;
  #socketSndbuf: number | null = null;
  #socketRcvbuf: number | null = null;
  #receiverWindow: number | null = null;
  #maxResend: number | null = null;
  #streamId: number | null = null;
  #publicationWindow: number | null = null;
  #sessionId: bigint | null = null;
  #groupTag: bigint | null = null;
  #linger: bigint | null = null;
  #nakDelay: bigint | null = null;
  #untetheredWindowLimitTimeout: bigint | null = null;
  #untetheredLingerTimeout: bigint | null = null;
  #untetheredRestingTimeout: bigint | null = null;
  #sessionIdTagged = false;

  /** An empty builder, or one holding every known parameter of `initial` (a URI string or parsed URI). */
  constructor(initial?: string | ChannelUri) {
    if (initial === undefined) return;
    const uri = typeof initial === 'string' ? ChannelUri.parse(initial) : initial;
    const get = (name: string): string | null => uri.get(name) ?? null;
    const opt = <T>(name: string, read: (v: string) => T): T | null => {
      const v = uri.get(name);
      return v === undefined ? null : read(v);
    };

    this.prefix(uri.prefix);
    this.media(uri.media);
    this.endpoint(get(ENDPOINT_PARAM_NAME));
    this.networkInterface(get(INTERFACE_PARAM_NAME));
    this.controlEndpoint(get(MDC_CONTROL_PARAM_NAME));
    this.controlMode(get(MDC_CONTROL_MODE_PARAM_NAME));
    this.tags(get(TAGS_PARAM_NAME));
    this.alias(get(ALIAS_PARAM_NAME));
    this.congestionControl(get(CONGESTION_CONTROL_PARAM_NAME));
    this.flowControl(get(FLOW_CONTROL_PARAM_NAME));
    this.reliable(opt(RELIABLE_STREAM_PARAM_NAME, javaBoolean));
    this.ttl(opt(TTL_PARAM_NAME, (v) => intFromUri(v, "'ttl' must be a value integer")));
    this.mtu(
      opt(MTU_LENGTH_PARAM_NAME, (v) =>
        sizeFromUri(MTU_LENGTH_PARAM_NAME, v, (n) => `${MTU_LENGTH_PARAM_NAME} ${n} > ${INT_MAX}`),
      ),
    );
    this.termLength(
      opt(TERM_LENGTH_PARAM_NAME, (v) =>
        sizeFromUri(
          TERM_LENGTH_PARAM_NAME,
          v,
          (n) => `term length more than max length of ${TERM_MAX_LENGTH}: value=${n}`,
        ),
      ),
    );
    this.initialTermId(
      opt(INITIAL_TERM_ID_PARAM_NAME, (v) => intFromUri(v, "'initial-term-id' must be a valid integer")),
    );
    this.termId(opt(TERM_ID_PARAM_NAME, (v) => intFromUri(v, "'term-id' must be a valid integer")));
    this.termOffset(opt(TERM_OFFSET_PARAM_NAME, (v) => intFromUri(v, "'term-offset' must be a valid integer")));
    this.sessionId(get(SESSION_ID_PARAM_NAME));
    this.group(opt(GROUP_PARAM_NAME, javaBoolean));
    this.linger(opt(LINGER_PARAM_NAME, (v) => parseDuration(LINGER_PARAM_NAME, v)));
    this.sparse(opt(SPARSE_PARAM_NAME, javaBoolean));
    this.eos(opt(EOS_PARAM_NAME, javaBoolean));
    this.tether(opt(TETHER_PARAM_NAME, javaBoolean));
    this.groupTag(
      opt(GROUP_TAG_PARAM_NAME, (v) => {
        const n = javaParseLong(v);
        if (n === null) throw new ChannelUriError("'gtag' must be a valid long value", v);
        return n;
      }),
    );
    this.rejoin(opt(REJOIN_PARAM_NAME, javaBoolean));
    this.spiesSimulateConnection(opt(SPIES_SIMULATE_CONNECTION_PARAM_NAME, javaBoolean));
    const tooLarge = (n: bigint): string => `value exceeds maximum permitted: value=${n}`;
    this.socketRcvbufLength(opt(SOCKET_RCVBUF_PARAM_NAME, (v) => sizeFromUri(SOCKET_RCVBUF_PARAM_NAME, v, tooLarge)));
    this.socketSndbufLength(opt(SOCKET_SNDBUF_PARAM_NAME, (v) => sizeFromUri(SOCKET_SNDBUF_PARAM_NAME, v, tooLarge)));
    this.receiverWindowLength(
      opt(RECEIVER_WINDOW_LENGTH_PARAM_NAME, (v) => sizeFromUri(RECEIVER_WINDOW_LENGTH_PARAM_NAME, v, tooLarge)),
    );
    this.mediaReceiveTimestampOffset(get(MEDIA_RCV_TIMESTAMP_OFFSET_PARAM_NAME));
    this.channelReceiveTimestampOffset(get(CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME));
    this.channelSendTimestampOffset(get(CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME));
    this.responseEndpoint(get(RESPONSE_ENDPOINT_PARAM_NAME));
    const responseCorrelationId = get(RESPONSE_CORRELATION_ID_PARAM_NAME);
    if (responseCorrelationId !== null) this.responseCorrelationId(responseCorrelationId);
    this.nakDelay(get(NAK_DELAY_PARAM_NAME));
    this.untetheredWindowLimitTimeout(get(UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME));
    this.untetheredLingerTimeout(get(UNTETHERED_LINGER_TIMEOUT_PARAM_NAME));
    this.untetheredRestingTimeout(get(UNTETHERED_RESTING_TIMEOUT_PARAM_NAME));
    this.maxResend(opt(MAX_RESEND_PARAM_NAME, (v) => intFromUri(v, `${MAX_RESEND_PARAM_NAME} must be a number`)));
    this.streamId(opt(STREAM_ID_PARAM_NAME, (v) => intFromUri(v, `${STREAM_ID_PARAM_NAME} must be a number`)));
    this.publicationWindowLength(
      opt(PUBLICATION_WINDOW_LENGTH_PARAM_NAME, (v) => sizeFromUri(PUBLICATION_WINDOW_LENGTH_PARAM_NAME, v, tooLarge)),
    );
  }

  /** Unsets every parameter (Java leaves ssc, nak-delay and the untethered timeouts set; we do not). */
  clear(): this {
    this.#prefix = null;
    this.#media = null;
    this.#endpoint = null;
    this.#networkInterface = null;
    this.#controlEndpoint = null;
    this.#controlMode = null;
    this.#tags = null;
    this.#alias = null;
    this.#cc = null;
    this.#fc = null;
    this.#mediaRcvTsOffset = null;
    this.#channelRcvTsOffset = null;
    this.#channelSndTsOffset = null;
    this.#responseCorrelationId = null;
    this.#responseEndpoint = null;
    this.#reliable = null;
    this.#sparse = null;
    this.#eos = null;
    this.#tether = null;
    this.#group = null;
    this.#rejoin = null;
    this.#ssc = null;
    this.#ttl = null;
    this.#mtu = null;
    this.#termLength = null;
    this.#initialTermId = null;
    this.#termId = null;
    this.#termOffset = null;
    this.#socketSndbuf = null;
    this.#socketRcvbuf = null;
    this.#receiverWindow = null;
    this.#maxResend = null;
    this.#streamId = null;
    this.#publicationWindow = null;
    this.#sessionId = null;
    this.#groupTag = null;
    this.#linger = null;
    this.#nakDelay = null;
    this.#untetheredWindowLimitTimeout = null;
    this.#untetheredLingerTimeout = null;
    this.#untetheredRestingTimeout = null;
    this.#sessionIdTagged = false;
    return this;
  }

  /**
   * Checks the combination: media set; UDP needs `endpoint` or `control`; init-term-id, term-id and
   * term-offset all or none, term-id not before init-term-id, term-offset within term-length.
   */
  validate(): this {
    if (this.#media === null) throw new ChannelUriError('media type is mandatory', '');
    if (this.#media === UDP_MEDIA && this.#endpoint === null && this.#controlEndpoint === null) {
      throw new ChannelUriError("either 'endpoint' or 'control' must be specified for UDP.", this.#media);
    }
    const initialTermId = this.#initialTermId;
    const termId = this.#termId;
    const termOffset = this.#termOffset;
    if (initialTermId !== null || termId !== null || termOffset !== null) {
      if (initialTermId === null || termId === null || termOffset === null) {
        throw new ChannelUriError(
          "either all or none of the parameters ['initialTermId', 'termId', 'termOffset'] must be provided",
          '',
        );
      }
      if (((termId - initialTermId) | 0) < 0) {
        throw new ChannelUriError(
          `difference greater than 2^31 - 1: termId=${termId} - initialTermId=${initialTermId}`,
          String(termId),
        );
      }
      if (this.#termLength !== null && termOffset > this.#termLength) {
        throw new ChannelUriError(`termOffset=${termOffset} > termLength=${this.#termLength}`, String(termOffset));
      }
    }
    return this;
  }

  /** `aeron-spy` for a spy subscription; '' or null for none. */
  prefix(): string | null;
  prefix(prefix: string | null): this;
  prefix(prefix?: string | null): string | null | this {
    if (prefix === undefined) return this.#prefix;
    if (prefix !== null && prefix !== '' && prefix !== SPY_QUALIFIER) {
      throw new ChannelUriError(`invalid prefix: ${prefix}`, prefix);
    }
    this.#prefix = prefix;
    return this;
  }

  /** `udp` or `ipc`. */
  media(): string | null;
  media(media: string): this;
  media(media?: string): string | null | this {
    if (media === undefined) return this.#media;
    if (media !== UDP_MEDIA && media !== IPC_MEDIA) throw new ChannelUriError(`invalid media: ${media}`, media);
    this.#media = media;
    return this;
  }

  /** `endpoint`: `host:port` of the publication's destination or the subscription's bind address. */
  endpoint(): string | null;
  endpoint(endpoint: string | null): this;
  endpoint(endpoint?: string | null): string | null | this {
    if (endpoint === undefined) return this.#endpoint;
    this.#endpoint = endpoint;
    return this;
  }

  /** `interface`: local interface (`address[:port][/prefix]`). */
  networkInterface(): string | null;
  networkInterface(networkInterface: string | null): this;
  networkInterface(networkInterface?: string | null): string | null | this {
    if (networkInterface === undefined) return this.#networkInterface;
    this.#networkInterface = networkInterface;
    return this;
  }

  /** `control`: multi-destination-cast control endpoint. */
  controlEndpoint(): string | null;
  controlEndpoint(controlEndpoint: string | null): this;
  controlEndpoint(controlEndpoint?: string | null): string | null | this {
    if (controlEndpoint === undefined) return this.#controlEndpoint;
    this.#controlEndpoint = controlEndpoint;
    return this;
  }

  /** `control-mode`: `manual`, `dynamic` or `response`. */
  controlMode(): string | null;
  controlMode(controlMode: string | null): this;
  controlMode(controlMode?: string | null): string | null | this {
    if (controlMode === undefined) return this.#controlMode;
    if (
      controlMode !== null &&
      controlMode !== MDC_CONTROL_MODE_MANUAL &&
      controlMode !== MDC_CONTROL_MODE_DYNAMIC &&
      controlMode !== CONTROL_MODE_RESPONSE
    ) {
      throw new ChannelUriError(`invalid control mode: ${controlMode}`, controlMode);
    }
    this.#controlMode = controlMode;
    return this;
  }

  /** `reliable`: false turns off NAK-driven retransmission (gaps are skipped). */
  reliable(): boolean | null;
  reliable(reliable: boolean | null): this;
  reliable(reliable?: boolean | null): boolean | null | this {
    if (reliable === undefined) return this.#reliable;
    this.#reliable = reliable;
    return this;
  }

  /** `ttl`: multicast time to live, 0..255. */
  ttl(): number | null;
  ttl(ttl: number | null): this;
  ttl(ttl?: number | null): number | null | this {
    if (ttl === undefined) return this.#ttl;
    if (ttl !== null && (requireInt(ttl, TTL_PARAM_NAME) < 0 || ttl > 255)) {
      throw new ChannelUriError(`TTL not in range 0-255: ${ttl}`, String(ttl));
    }
    this.#ttl = ttl;
    return this;
  }

  /** `mtu`: 32..65504 bytes, a multiple of 32. */
  mtu(): number | null;
  mtu(mtu: number | null): this;
  mtu(mtu?: number | null): number | null | this {
    if (mtu === undefined) return this.#mtu;
    if (mtu !== null) {
      if (requireInt(mtu, MTU_LENGTH_PARAM_NAME) < 32 || mtu > 65504) {
        throw new ChannelUriError(`MTU not in range 32-65504: ${mtu}`, String(mtu));
      }
      if ((mtu & (FRAME_ALIGNMENT - 1)) !== 0) {
        throw new ChannelUriError(`MTU not a multiple of FRAME_ALIGNMENT: mtu=${mtu}`, String(mtu));
      }
    }
    this.#mtu = mtu;
    return this;
  }

  /** `term-length`: a power of two from 64 KiB to 1 GiB (Java throws IllegalStateException otherwise). */
  termLength(): number | null;
  termLength(termLength: number | null): this;
  termLength(termLength?: number | null): number | null | this {
    if (termLength === undefined) return this.#termLength;
    if (termLength !== null) {
      const input = String(termLength);
      requireInt(termLength, TERM_LENGTH_PARAM_NAME);
      if (termLength < TERM_MIN_LENGTH) {
        throw new ChannelUriError(
          `Term length less than min length of ${TERM_MIN_LENGTH}: length=${termLength}`,
          input,
          -1,
          'IllegalStateException',
        );
      }
      if (termLength > TERM_MAX_LENGTH) {
        throw new ChannelUriError(
          `Term length more than max length of ${TERM_MAX_LENGTH}: length=${termLength}`,
          input,
          -1,
          'IllegalStateException',
        );
      }
      if ((termLength & (termLength - 1)) !== 0) {
        throw new ChannelUriError(
          `Term length not a power of 2: length=${termLength}`,
          input,
          -1,
          'IllegalStateException',
        );
      }
    }
    this.#termLength = termLength;
    return this;
  }

  /** `init-term-id` (set with term-id and term-offset). */
  initialTermId(): number | null;
  initialTermId(initialTermId: number | null): this;
  initialTermId(initialTermId?: number | null): number | null | this {
    if (initialTermId === undefined) return this.#initialTermId;
    this.#initialTermId = initialTermId === null ? null : requireInt(initialTermId, INITIAL_TERM_ID_PARAM_NAME);
    return this;
  }

  /** `term-id` (set with init-term-id and term-offset). */
  termId(): number | null;
  termId(termId: number | null): this;
  termId(termId?: number | null): number | null | this {
    if (termId === undefined) return this.#termId;
    this.#termId = termId === null ? null : requireInt(termId, TERM_ID_PARAM_NAME);
    return this;
  }

  /** `term-offset`: 0..1 GiB, a multiple of 32 (set with init-term-id and term-id). */
  termOffset(): number | null;
  termOffset(termOffset: number | null): this;
  termOffset(termOffset?: number | null): number | null | this {
    if (termOffset === undefined) return this.#termOffset;
    if (termOffset !== null) {
      if (requireInt(termOffset, TERM_OFFSET_PARAM_NAME) < 0 || termOffset > TERM_MAX_LENGTH) {
        throw new ChannelUriError(`term offset not in range 0-1g: ${termOffset}`, String(termOffset));
      }
      if ((termOffset & (FRAME_ALIGNMENT - 1)) !== 0) {
        throw new ChannelUriError(`term offset not multiple of FRAME_ALIGNMENT: ${termOffset}`, String(termOffset));
      }
    }
    this.#termOffset = termOffset;
    return this;
  }

  /**
   * `session-id`: a number sets an untagged int session id; a string is read as Java does: `tag:<n>` sets a
   * tagged session id, anything else must be an int.
   */
  sessionId(): number | null;
  sessionId(sessionId: number | string | null): this;
  sessionId(sessionId?: number | string | null): number | null | this {
    if (sessionId === undefined) return this.#sessionId === null ? null : Number(BigInt.asIntN(32, this.#sessionId));
    if (sessionId === null) {
      this.#sessionId = null;
    } else if (typeof sessionId === 'number') {
      this.#sessionId = BigInt(requireInt(sessionId, SESSION_ID_PARAM_NAME));
    } else if (ChannelUri.isTagged(sessionId)) {
      this.taggedSessionId(parseLongAscii(sessionId, 4, sessionId.length - 4));
    } else {
      this.#sessionIdTagged = false;
      const v = javaParseInt(sessionId);
      if (v === null) throw new ChannelUriError("'session-id' must be a valid integer", sessionId);
      this.#sessionId = BigInt(v);
    }
    return this;
  }

  /** `session-id=tag:<tag>`: the session id of the publication with that tag. */
  taggedSessionId(tag: number | bigint | null): this {
    this.#sessionIdTagged = true;
    this.#sessionId = tag === null ? null : requireLong(tag, SESSION_ID_PARAM_NAME);
    return this;
  }

  /** Whether the session id is printed as `tag:<n>`. */
  isSessionIdTagged(): boolean;
  isSessionIdTagged(tagged: boolean): this;
  isSessionIdTagged(tagged?: boolean): boolean | this {
    if (tagged === undefined) return this.#sessionIdTagged;
    this.#sessionIdTagged = tagged;
    return this;
  }

  /** `linger` in ns, ≥ 0. */
  linger(): bigint | null;
  linger(lingerNs: number | bigint | null): this;
  linger(lingerNs?: number | bigint | null): bigint | null | this {
    if (lingerNs === undefined) return this.#linger;
    this.#linger = nonNegativeLong(lingerNs, LINGER_PARAM_NAME);
    return this;
  }

  /** `sparse`: whether term buffer files may be sparse. */
  sparse(): boolean | null;
  sparse(sparse: boolean | null): this;
  sparse(sparse?: boolean | null): boolean | null | this {
    if (sparse === undefined) return this.#sparse;
    this.#sparse = sparse;
    return this;
  }

  /** `eos`: whether closing the publication signals end of stream. */
  eos(): boolean | null;
  eos(eos: boolean | null): this;
  eos(eos?: boolean | null): boolean | null | this {
    if (eos === undefined) return this.#eos;
    this.#eos = eos;
    return this;
  }

  /** `tether`: whether this subscription holds back the publication (flow control). */
  tether(): boolean | null;
  tether(tether: boolean | null): this;
  tether(tether?: boolean | null): boolean | null | this {
    if (tether === undefined) return this.#tether;
    this.#tether = tether;
    return this;
  }

  /** `group`: whether a subscription joins a receiver group (multicast/MDC). */
  group(): boolean | null;
  group(group: boolean | null): this;
  group(group?: boolean | null): boolean | null | this {
    if (group === undefined) return this.#group;
    this.#group = group;
    return this;
  }

  /**
   * `tags`: a string `<channelTag>[,<entityTag>]`, or the two tags as numbers (the entity tag needs the
   * channel tag).
   */
  tags(): string | null;
  tags(tags: string | null): this;
  tags(channelTag: number | bigint | null, entityTag: number | bigint | null): this;
  tags(tags?: string | number | bigint | null, entityTag?: number | bigint | null): string | null | this {
    if (tags === undefined) return this.#tags;
    if (typeof tags === 'string') {
      this.#tags = tags;
      return this;
    }
    if (tags === null && entityTag !== undefined && entityTag !== null) {
      throw new ChannelUriError('null == channelTag && null != pubSubTag', String(entityTag));
    }
    if (tags === null) {
      this.#tags = null;
      return this;
    }
    const channelTag = requireLong(tags, TAGS_PARAM_NAME);
    this.#tags =
      entityTag === undefined || entityTag === null
        ? `${channelTag}`
        : `${channelTag},${requireLong(entityTag, TAGS_PARAM_NAME)}`;
    return this;
  }

  /** `alias`: a name for tooling, ignored by the driver. */
  alias(): string | null;
  alias(alias: string | null): this;
  alias(alias?: string | null): string | null | this {
    if (alias === undefined) return this.#alias;
    this.#alias = alias;
    return this;
  }

  /** `cc`: congestion control (`static`, `cubic`). */
  congestionControl(): string | null;
  congestionControl(cc: string | null): this;
  congestionControl(cc?: string | null): string | null | this {
    if (cc === undefined) return this.#cc;
    this.#cc = cc;
    return this;
  }

  /** `fc`: flow control strategy (`max`, `min…`, `tagged…`). */
  flowControl(): string | null;
  flowControl(fc: string | null): this;
  flowControl(fc?: string | null): string | null | this {
    if (fc === undefined) return this.#fc;
    this.#fc = fc;
    return this;
  }

  /** `fc=tagged[,g:<groupTag>[/<minGroupSize>]][,t:<timeout>]`. */
  taggedFlowControl(groupTag: number | bigint | null, minGroupSize: number | null, timeout: string | null): this {
    let value = 'tagged';
    if (groupTag !== null || minGroupSize !== null) {
      value += ',g:';
      if (groupTag !== null) value += String(requireLong(groupTag, FLOW_CONTROL_PARAM_NAME));
      if (minGroupSize !== null) value += `/${requireInt(minGroupSize, FLOW_CONTROL_PARAM_NAME)}`;
    }
    if (timeout !== null) value += `,t:${timeout}`;
    return this.flowControl(value);
  }

  /** `fc=min[,g:/<minGroupSize>][,t:<timeout>]`. */
  minFlowControl(minGroupSize: number | null, timeout: string | null): this {
    let value = 'min';
    if (minGroupSize !== null) value += `,g:/${requireInt(minGroupSize, FLOW_CONTROL_PARAM_NAME)}`;
    if (timeout !== null) value += `,t:${timeout}`;
    return this.flowControl(value);
  }

  /** `gtag`: group tag for tagged flow control / receiver groups (Java long). */
  groupTag(): bigint | null;
  groupTag(groupTag: number | bigint | null): this;
  groupTag(groupTag?: number | bigint | null): bigint | null | this {
    if (groupTag === undefined) return this.#groupTag;
    this.#groupTag = groupTag === null ? null : requireLong(groupTag, GROUP_TAG_PARAM_NAME);
    return this;
  }

  /** `rejoin`: whether a subscription may rejoin a stream after an image goes away. */
  rejoin(): boolean | null;
  rejoin(rejoin: boolean | null): this;
  rejoin(rejoin?: boolean | null): boolean | null | this {
    if (rejoin === undefined) return this.#rejoin;
    this.#rejoin = rejoin;
    return this;
  }

  /** `ssc`: whether spies count as a connected subscriber. */
  spiesSimulateConnection(): boolean | null;
  spiesSimulateConnection(ssc: boolean | null): this;
  spiesSimulateConnection(ssc?: boolean | null): boolean | null | this {
    if (ssc === undefined) return this.#ssc;
    this.#ssc = ssc;
    return this;
  }

  /**
   * Sets init-term-id, term-id, term-offset and term-length so a publication starts at `position`
   * (a non-negative multiple of 32, safe integer).
   */
  initialPosition(position: number, initialTermId: number, termLength: number): this {
    // Positions are multiples of 32, exact as doubles up to 2^58: above 2^53 only integrality is checkable.
    if (!Number.isInteger(position)) {
      throw new ChannelUriError(`invalid position=${position} is not an integer`, String(position));
    }
    if (position < 0) {
      throw new ChannelUriError(`invalid position=${position} < 0`, String(position));
    }
    if (position % FRAME_ALIGNMENT !== 0) {
      throw new ChannelUriError(
        `invalid position=${position} does not have frame alignment=${FRAME_ALIGNMENT}`,
        String(position),
      );
    }
    requireInt(initialTermId, INITIAL_TERM_ID_PARAM_NAME);
    const bits = termLengthBits(termLength);
    this.#initialTermId = initialTermId;
    this.#termId = (Math.floor(position / 2 ** bits) + initialTermId) | 0;
    this.#termOffset = position % termLength;
    this.#termLength = termLength;
    return this;
  }

  /** `so-sndbuf`: socket send buffer length, ≥ 0. */
  socketSndbufLength(): number | null;
  socketSndbufLength(length: number | null): this;
  socketSndbufLength(length?: number | null): number | null | this {
    if (length === undefined) return this.#socketSndbuf;
    this.#socketSndbuf = nonNegativeInt(length, SOCKET_SNDBUF_PARAM_NAME);
    return this;
  }

  /** `so-rcvbuf`: socket receive buffer length, ≥ 0. */
  socketRcvbufLength(): number | null;
  socketRcvbufLength(length: number | null): this;
  socketRcvbufLength(length?: number | null): number | null | this {
    if (length === undefined) return this.#socketRcvbuf;
    this.#socketRcvbuf = nonNegativeInt(length, SOCKET_RCVBUF_PARAM_NAME);
    return this;
  }

  /** `rcv-wnd`: receiver window length, ≥ 0. */
  receiverWindowLength(): number | null;
  receiverWindowLength(length: number | null): this;
  receiverWindowLength(length?: number | null): number | null | this {
    if (length === undefined) return this.#receiverWindow;
    this.#receiverWindow = nonNegativeInt(length, RECEIVER_WINDOW_LENGTH_PARAM_NAME);
    return this;
  }

  /** `media-rcv-ts-offset`: an int offset in the frame, or `reserved`. */
  mediaReceiveTimestampOffset(): string | null;
  mediaReceiveTimestampOffset(offset: string | null): this;
  mediaReceiveTimestampOffset(offset?: string | null): string | null | this {
    if (offset === undefined) return this.#mediaRcvTsOffset;
    this.#mediaRcvTsOffset = checkTimestampOffset(offset, 'mediaReceiveTimestampOffset');
    return this;
  }

  /** `channel-rcv-ts-offset`: an int offset in the frame, or `reserved`. */
  channelReceiveTimestampOffset(): string | null;
  channelReceiveTimestampOffset(offset: string | null): this;
  channelReceiveTimestampOffset(offset?: string | null): string | null | this {
    if (offset === undefined) return this.#channelRcvTsOffset;
    this.#channelRcvTsOffset = checkTimestampOffset(offset, 'channelReceiveTimestampOffset');
    return this;
  }

  /** `channel-snd-ts-offset`: an int offset in the frame, or `reserved`. */
  channelSendTimestampOffset(): string | null;
  channelSendTimestampOffset(offset: string | null): this;
  channelSendTimestampOffset(offset?: string | null): string | null | this {
    if (offset === undefined) return this.#channelSndTsOffset;
    this.#channelSndTsOffset = checkTimestampOffset(offset, 'channelSendTimestampOffset');
    return this;
  }

  /** `response-endpoint`: where a response subscription receives. */
  responseEndpoint(): string | null;
  responseEndpoint(endpoint: string | null): this;
  responseEndpoint(endpoint?: string | null): string | null | this {
    if (endpoint === undefined) return this.#responseEndpoint;
    this.#responseEndpoint = endpoint;
    return this;
  }

  /**
   * `response-correlation-id`: a string must be a long ≥ -1 or `prototype`; a number/bigint is taken as is.
   */
  responseCorrelationId(): string | null;
  responseCorrelationId(id: string | number | bigint | null): this;
  responseCorrelationId(id?: string | number | bigint | null): string | null | this {
    if (id === undefined) return this.#responseCorrelationId;
    if (typeof id === 'number' || typeof id === 'bigint') {
      this.#responseCorrelationId = String(requireLong(id, RESPONSE_CORRELATION_ID_PARAM_NAME));
      return this;
    }
    if (id !== null && id !== PROTOTYPE_CORRELATION_ID) {
      const v = javaParseLong(id);
      if (v === null || v < -1n) {
        throw new ChannelUriError(
          `responseCorrelationId must be a number greater than or equal to -1, or the value '${PROTOTYPE_CORRELATION_ID}' found: ${id}`,
          id,
        );
      }
    }
    this.#responseCorrelationId = id;
    return this;
  }

  /** `nak-delay` in ns: a number/bigint (≥ 0) or a duration string such as `100us`. */
  nakDelay(): bigint | null;
  nakDelay(delay: string | number | bigint | null): this;
  nakDelay(delay?: string | number | bigint | null): bigint | null | this {
    if (delay === undefined) return this.#nakDelay;
    this.#nakDelay = durationArg(delay, NAK_DELAY_PARAM_NAME);
    return this;
  }

  /** `untethered-window-limit-timeout` in ns: number/bigint or duration string. */
  untetheredWindowLimitTimeout(): bigint | null;
  untetheredWindowLimitTimeout(timeout: string | number | bigint | null): this;
  untetheredWindowLimitTimeout(timeout?: string | number | bigint | null): bigint | null | this {
    if (timeout === undefined) return this.#untetheredWindowLimitTimeout;
    this.#untetheredWindowLimitTimeout = durationArg(timeout, UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME);
    return this;
  }

  /** `untethered-linger-timeout` in ns: number/bigint or duration string. */
  untetheredLingerTimeout(): bigint | null;
  untetheredLingerTimeout(timeout: string | number | bigint | null): this;
  untetheredLingerTimeout(timeout?: string | number | bigint | null): bigint | null | this {
    if (timeout === undefined) return this.#untetheredLingerTimeout;
    this.#untetheredLingerTimeout = durationArg(timeout, UNTETHERED_LINGER_TIMEOUT_PARAM_NAME);
    return this;
  }

  /** `untethered-resting-timeout` in ns: number/bigint or duration string. */
  untetheredRestingTimeout(): bigint | null;
  untetheredRestingTimeout(timeout: string | number | bigint | null): this;
  untetheredRestingTimeout(timeout?: string | number | bigint | null): bigint | null | this {
    if (timeout === undefined) return this.#untetheredRestingTimeout;
    this.#untetheredRestingTimeout = durationArg(timeout, UNTETHERED_RESTING_TIMEOUT_PARAM_NAME);
    return this;
  }

  /** `max-resend`: retransmissions in flight, ≥ 0. */
  maxResend(): number | null;
  maxResend(maxResend: number | null): this;
  maxResend(maxResend?: number | null): number | null | this {
    if (maxResend === undefined) return this.#maxResend;
    this.#maxResend = nonNegativeInt(maxResend, MAX_RESEND_PARAM_NAME);
    return this;
  }

  /** `stream-id`: for archive replay/record channels. */
  streamId(): number | null;
  streamId(streamId: number | null): this;
  streamId(streamId?: number | null): number | null | this {
    if (streamId === undefined) return this.#streamId;
    this.#streamId = streamId === null ? null : requireInt(streamId, STREAM_ID_PARAM_NAME);
    return this;
  }

  /** `pub-wnd`: publication window length, ≥ 0. */
  publicationWindowLength(): number | null;
  publicationWindowLength(length: number | null): this;
  publicationWindowLength(length?: number | null): number | null | this {
    if (length === undefined) return this.#publicationWindow;
    this.#publicationWindow = nonNegativeInt(length, PUBLICATION_WINDOW_LENGTH_PARAM_NAME);
    return this;
  }

  /** The URI string; unset parameters are left out. */
  build(): string {
    let s = '';
    if (this.#prefix !== null && this.#prefix !== '') s += `${this.#prefix}:`;
    s += `${AERON_SCHEME}:${String(this.#media)}?`;
    const add = (name: string, value: string | number | boolean | bigint | null): void => {
      if (value !== null) s += `${name}=${value}|`;
    };
    const size = (name: string, value: number | null): void => {
      if (value !== null) s += `${name}=${formatSize(value)}|`;
    };
    const duration = (name: string, value: bigint | null): void => {
      if (value !== null) s += `${name}=${formatDuration(value)}|`;
    };

    add(TAGS_PARAM_NAME, this.#tags);
    add(ENDPOINT_PARAM_NAME, this.#endpoint);
    add(INTERFACE_PARAM_NAME, this.#networkInterface);
    add(MDC_CONTROL_PARAM_NAME, this.#controlEndpoint);
    add(MDC_CONTROL_MODE_PARAM_NAME, this.#controlMode);
    size(MTU_LENGTH_PARAM_NAME, this.#mtu);
    size(TERM_LENGTH_PARAM_NAME, this.#termLength);
    add(INITIAL_TERM_ID_PARAM_NAME, this.#initialTermId);
    add(TERM_ID_PARAM_NAME, this.#termId);
    add(TERM_OFFSET_PARAM_NAME, this.#termOffset);
    if (this.#sessionId !== null) {
      add(SESSION_ID_PARAM_NAME, this.#sessionIdTagged ? `${TAG_PREFIX}${this.#sessionId}` : this.#sessionId);
    }
    add(TTL_PARAM_NAME, this.#ttl);
    add(RELIABLE_STREAM_PARAM_NAME, this.#reliable);
    duration(LINGER_PARAM_NAME, this.#linger);
    add(ALIAS_PARAM_NAME, this.#alias);
    add(CONGESTION_CONTROL_PARAM_NAME, this.#cc);
    add(FLOW_CONTROL_PARAM_NAME, this.#fc);
    add(GROUP_TAG_PARAM_NAME, this.#groupTag);
    add(SPARSE_PARAM_NAME, this.#sparse);
    add(EOS_PARAM_NAME, this.#eos);
    add(TETHER_PARAM_NAME, this.#tether);
    add(GROUP_PARAM_NAME, this.#group);
    add(REJOIN_PARAM_NAME, this.#rejoin);
    add(SPIES_SIMULATE_CONNECTION_PARAM_NAME, this.#ssc);
    size(SOCKET_SNDBUF_PARAM_NAME, this.#socketSndbuf);
    size(SOCKET_RCVBUF_PARAM_NAME, this.#socketRcvbuf);
    size(RECEIVER_WINDOW_LENGTH_PARAM_NAME, this.#receiverWindow);
    add(MEDIA_RCV_TIMESTAMP_OFFSET_PARAM_NAME, this.#mediaRcvTsOffset);
    add(CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME, this.#channelRcvTsOffset);
    add(CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME, this.#channelSndTsOffset);
    add(RESPONSE_ENDPOINT_PARAM_NAME, this.#responseEndpoint);
    add(RESPONSE_CORRELATION_ID_PARAM_NAME, this.#responseCorrelationId);
    duration(NAK_DELAY_PARAM_NAME, this.#nakDelay);
    duration(UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME, this.#untetheredWindowLimitTimeout);
    duration(UNTETHERED_LINGER_TIMEOUT_PARAM_NAME, this.#untetheredLingerTimeout);
    duration(UNTETHERED_RESTING_TIMEOUT_PARAM_NAME, this.#untetheredRestingTimeout);
    add(MAX_RESEND_PARAM_NAME, this.#maxResend);
    add(STREAM_ID_PARAM_NAME, this.#streamId);
    size(PUBLICATION_WINDOW_LENGTH_PARAM_NAME, this.#publicationWindow);

    const last = s[s.length - 1];
    return last === '|' || last === '?' ? s.substring(0, s.length - 1) : s;
  }

  /** `build()`. Java: `ChannelUriStringBuilder.toString`. */
  toString(): string {
    return this.build();
  }
}

function durationArg(value: string | number | bigint | null, name: string): bigint | null {
  if (typeof value === 'string') return parseDuration(name, value);
  return nonNegativeLong(value, name);
}
