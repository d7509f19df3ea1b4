/**
 * `UdpChannel`: an `aeron:udp` channel URI parsed into what the driver's endpoints need (Java:
 * `io.aeron.driver.media.UdpChannel`, 1.51.0): the four addresses, the multicast interface and TTL, the control
 * mode, tags, socket buffer and receiver window lengths, and the canonical form that names the endpoint in counter
 * labels, endpoint matching and image source identities.
 *
 * ```
 *  channel                                        local/remote data & control           canonicalForm
 *  aeron:udp?endpoint=localhost:40123             0.0.0.0:0 → localhost/127.0.0.1:40123  UDP-0.0.0.0:0-localhost:40123
 *  aeron:udp?endpoint=224.0.1.1:40457             if-addr:0 → 224.0.1.1:40457           UDP-<if-addr>:0-224.0.1.1:40457
 *     (remote control: 224.0.1.2:40457, the data address + 1; the data address must be odd)
 *  aeron:udp?control=localhost:40124|control-mode=dynamic
 *                                                 localhost:40124 → 0.0.0.0:0            UDP-localhost:40124-0.0.0.0:0
 *  aeron:udp?control-mode=manual                  0.0.0.0:0 → 0.0.0.0:0                  UDP-0.0.0.0:0-0.0.0.0:0-<n>
 *  aeron:udp?tags=7                               0.0.0.0:0 → 0.0.0.0:0                  UDP-0.0.0.0:0-0.0.0.0:0#7
 * ```
 *
 * Canonical form `UDP-<local>-<remote>`: each side is the parameter's own text when the channel has it (`endpoint`,
 * `control`), else the address's host string (name if it has one, else numeric) and port. A channel with port 0 or
 * no address at all gets a suffix: `#<tag>` with a channel tag, else `-<n>` from a process-wide counter, so two such
 * channels never share an endpoint (MDS destinations never get one).
 *
 * Refusals are `InvalidChannelError` (ErrorCode INVALID_CHANNEL) whose message is Java's: the cause's class and
 * message, as `InvalidChannelException(cause)` builds it.
 */
import { AeronError } from '../../../codecs/runtime/aeron-error.ts';
import {
  CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME,
  CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME,
  ChannelUri,
  CONTROL_MODE_RESPONSE,
  ENDPOINT_PARAM_NAME,
  GROUP_TAG_PARAM_NAME,
  INTERFACE_PARAM_NAME,
  MDC_CONTROL_MODE_DYNAMIC,
  MDC_CONTROL_MODE_MANUAL,
  MDC_CONTROL_MODE_PARAM_NAME,
  MDC_CONTROL_PARAM_NAME,
  NAK_DELAY_PARAM_NAME,
  RECEIVER_WINDOW_LENGTH_PARAM_NAME,
  RESERVED_OFFSET,
  SOCKET_RCVBUF_PARAM_NAME,
  SOCKET_SNDBUF_PARAM_NAME,
  TTL_PARAM_NAME,
} from '../../logbuffer/channel-uri.ts';
import { ChannelUriError } from '../../logbuffer/channel-uri-error.ts';
import { parseDuration, parseSize } from '../system-util.ts';
import { type AddressFamily, InetAddress, InetSocketAddress } from './inet-socket-address.ts';
import { InterfaceSearchAddress, parseInterface } from './interface-search.ts';
import { ILLEGAL_ARGUMENT, InvalidChannelError, NUMBER_FORMAT, UNKNOWN_HOST } from './invalid-channel-error.ts';
import { DefaultNameResolver, type NameResolver } from './name-resolver.ts';
import { type NetworkInterface, type NetworkInterfaceSource, systemNetworkInterfaces } from './network-interface.ts';
import { isMulticastAddress, type ParsedSocketAddress, parseSocketAddress } from './socket-address-parser.ts';

/** How a channel's control address is used. Java: `ControlMode`. */
export type ControlMode = 'NONE' | 'DYNAMIC' | 'MANUAL' | 'RESPONSE';

/**
 * The offset Java's `channel-rcv-ts-offset=reserved` / `channel-snd-ts-offset=reserved` stand for: the reserved
 * value of the data header (-8 from the payload). Java: `UdpChannel.RESERVED_VALUE_MESSAGE_OFFSET`.
 */
export const RESERVED_VALUE_MESSAGE_OFFSET = -8;

/** Java's `Aeron.NULL_VALUE`: a timestamp offset that is not set. */
const NULL_VALUE = -1;

/** Java's `new InetSocketAddress("0.0.0.0", 0)` and `("::", 0)`: the remote of a channel without endpoint. */
const ANY_IPV4 = InetSocketAddress.ANY_IPV4;
const ANY_IPV6 = new InetSocketAddress(new InetAddress(new Uint8Array(16)), 0);

/** Java's `UNIQUE_CANONICAL_FORM_VALUE`: the `-<n>` suffix of channels without distinguishing addresses. */
let uniqueCanonicalFormValue = 0;

/** Options of {@link UdpChannel.parse} beyond the URI. */
export interface UdpChannelParseOptions {
  /** Host name resolution (default `DefaultNameResolver.INSTANCE`). Java: the driver's `NameResolver`. */
  readonly nameResolver?: NameResolver;
  /** True for an MDS destination: never a `-<n>`/`#tag` suffix. Java: `isDestination`. */
  readonly isDestination?: boolean;
  /** The host's interfaces (default: the system's), for `interface=` and multicast. */
  readonly networkInterfaces?: NetworkInterfaceSource;
}

/** Java's `Long.parseLong`: an optional sign and decimal digits within int64; null otherwise. */
function javaParseLong(text: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const value = BigInt(text);
  return value === BigInt.asIntN(64, value) ? value : null;
}

/** Java's `Integer.parseInt`: an optional sign and decimal digits within int32; null otherwise. */
function javaParseInt(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const value = Number(text);
  return value === (value | 0) ? value : null;
}

function forInputString(text: string): InvalidChannelError {
  return new InvalidChannelError(NUMBER_FORMAT, `For input string: "${text}"`);
}

/** The canonical form `UDP-<local>-<remote>` (see the module comment). Java: `UdpChannel.canonicalise`. */
export function canonicalise(
  localParamValue: string | undefined | null,
  localData: InetSocketAddress,
  remoteParamValue: string | undefined | null,
  remoteData: InetSocketAddress,
): string {
  const local = localParamValue ?? `${localData.hostString()}:${localData.port}`;
  const remote = remoteParamValue ?? `${remoteData.hostString()}:${remoteData.port}`;
  return `UDP-${local}-${remote}`;
}

/** The control mode of a channel (`control-mode`; unknown values are NONE, as Java). Java: `parseControlMode`. */
export function parseControlMode(channelUri: ChannelUri): ControlMode {
  switch (channelUri.get(MDC_CONTROL_MODE_PARAM_NAME)) {
    case MDC_CONTROL_MODE_DYNAMIC:
      return 'DYNAMIC';
    case MDC_CONTROL_MODE_MANUAL:
      return 'MANUAL';
    case CONTROL_MODE_RESPONSE:
      return 'RESPONSE';
    default:
      return 'NONE';
  }
}

/**
 * A socket buffer or window length parameter (`so-rcvbuf`, `so-sndbuf`, `rcv-wnd`): a size with an optional
 * k/m/g suffix, 0 when absent. Java: `UdpChannel.parseBufferLength`.
 */
export function parseBufferLength(channelUri: ChannelUri, paramName: string): number {
  const value = channelUri.get(paramName);
  if (value === undefined) return 0;
  let size: number;
  try {
    size = parseSize(paramName, value);
  } catch (e) {
    throw new InvalidChannelError(NUMBER_FORMAT, e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (size < 0 || size > 0x7fffffff)
    throw new InvalidChannelError(ILLEGAL_ARGUMENT, `Invalid ${paramName} length: ${size}`);
  return size;
}

function parseTimestampOffset(channelUri: ChannelUri, paramName: string): number {
  const value = channelUri.get(paramName);
  if (value === undefined) return NULL_VALUE;
  if (value === RESERVED_OFFSET) return RESERVED_VALUE_MESSAGE_OFFSET;
  const offset = javaParseInt(value);
  if (offset === null) {
    throw new InvalidChannelError(
      ILLEGAL_ARGUMENT,
      "timestamp offset must be a valid integer or the 'reserved' keyword",
    );
  }
  return offset;
}

function parseOptionalLong(channelUri: ChannelUri, paramName: string): bigint | null {
  const value = channelUri.get(paramName);
  if (value === undefined) return null;
  const parsed = javaParseLong(value);
  if (parsed === null) {
    throw new InvalidChannelError(ILLEGAL_ARGUMENT, `'${paramName}' does not contain a valid long value`);
  }
  return parsed;
}

function parseOptionalDurationNs(channelUri: ChannelUri, paramName: string): number | null {
  const value = channelUri.get(paramName);
  if (value === undefined) return null;
  try {
    return parseDuration(paramName, value);
  } catch (e) {
    throw new InvalidChannelError(NUMBER_FORMAT, e instanceof Error ? e.message : String(e), { cause: e });
  }
}

function validateMedia(channelUri: ChannelUri): void {
  if (!channelUri.isUdp) {
    throw new InvalidChannelError(ILLEGAL_ARGUMENT, `UdpChannel only supports UDP media: ${channelUri.toString()}`);
  }
}

/** `endpoint` (or `control`) resolved, null when absent; Java's UnknownHostException when it does not resolve. */
function getAddress(
  channelUri: ChannelUri,
  paramName: string,
  nameResolver: NameResolver,
  resolverName: string,
): InetSocketAddress | null {
  const value = channelUri.get(paramName);
  if (value === undefined) return null;
  const parsed = parseSocketAddress(value, paramName, false, nameResolver);
  if (!parsed.resolved) {
    throw new InvalidChannelError(UNKNOWN_HOST, `unresolved - ${paramName}=${value}, name-resolver=${resolverName}`);
  }
  return parsed.address;
}

/** The remote control address of a multicast group: the data address + 1, which must be odd. */
function getMulticastControlAddress(endpoint: InetSocketAddress): InetSocketAddress {
  const bytes = endpoint.address.bytes();
  const last = bytes.length - 1;
  if ((bytes[last]! & 1) === 0) throw new InvalidChannelError(ILLEGAL_ARGUMENT, 'multicast data address must be odd');
  bytes[last] = (bytes[last]! + 1) & 0xff;
  return new InetSocketAddress(new InetAddress(bytes), endpoint.port);
}

/** Everything the constructor takes. */
interface UdpChannelFields {
  readonly controlMode: ControlMode;
  readonly hasExplicitEndpoint: boolean;
  readonly hasExplicitControl: boolean;
  readonly isMulticast: boolean;
  readonly hasMulticastTtl: boolean;
  readonly multicastTtl: number;
  readonly hasTag: boolean;
  readonly tag: bigint;
  readonly remoteData: InetSocketAddress;
  readonly localData: InetSocketAddress;
  readonly remoteControl: InetSocketAddress;
  readonly localControl: InetSocketAddress;
  readonly originalUriString: string;
  readonly canonicalForm: string;
  readonly localInterface: NetworkInterface | null;
  readonly protocolFamily: AddressFamily;
  readonly channelUri: ChannelUri;
  readonly socketRcvbufLength: number;
  readonly socketSndbufLength: number;
  readonly receiverWindowLength: number;
  readonly channelReceiveTimestampOffset: number;
  readonly channelSendTimestampOffset: number;
  readonly groupTag: bigint | null;
  readonly nakDelayNs: number | null;
}

/** A parsed UDP channel; see the module comment. Build one with {@link UdpChannel.parse}. Java: `UdpChannel`. */
export class UdpChannel {
  /** How the control address is used. Java: `controlMode()`. */
  readonly controlMode: ControlMode;
  /** The channel has an `endpoint`. Java: `hasExplicitEndpoint()`. */
  readonly hasExplicitEndpoint: boolean;
  /** The channel has a `control` (and a unicast endpoint or none). Java: `hasExplicitControl()`. */
  readonly hasExplicitControl: boolean;
  /** The endpoint is a multicast group. Java: `isMulticast()`. */
  readonly isMulticast: boolean;
  /** The channel sets `ttl` (multicast only). Java: `hasMulticastTtl()`. */
  readonly hasMulticastTtl: boolean;
  /** Multicast TTL from `ttl`, 0 when not set. Java: `multicastTtl()`. */
  readonly multicastTtl: number;
  /** The channel has a channel tag (`tags=<tag>[,…]`). Java: `hasTag()`. */
  readonly hasTag: boolean;
  /** The channel tag, 0n when none. Java: `tag()`. */
  readonly tag: bigint;
  /** Where data goes (the endpoint; 0.0.0.0:0 without one). Java: `remoteData()`. */
  readonly remoteData: InetSocketAddress;
  /** The local data address (interface or control address). Java: `localData()`. */
  readonly localData: InetSocketAddress;
  /** Where control frames go (multicast: data address + 1). Java: `remoteControl()`. */
  readonly remoteControl: InetSocketAddress;
  /** The local control address. Java: `localControl()`. */
  readonly localControl: InetSocketAddress;
  /** The URI as given. Java: `originalUriString()`. */
  readonly originalUriString: string;
  /** `UDP-<local>-<remote>[suffix]` (see the module comment). Java: `canonicalForm()`. */
  readonly canonicalForm: string;
  /** The multicast (or `interface`-named) interface, or null. Java: `localInterface()`. */
  readonly localInterface: NetworkInterface | null;
  /** Address family of the endpoint (4 or 6). Java: `protocolFamily()`. */
  readonly protocolFamily: AddressFamily;
  /** The parsed URI. Java: `channelUri()`. */
  readonly channelUri: ChannelUri;
  /** `so-rcvbuf`, 0 when not set. Java: `socketRcvbufLength()`. */
  readonly socketRcvbufLength: number;
  /** `so-sndbuf`, 0 when not set. Java: `socketSndbufLength()`. */
  readonly socketSndbufLength: number;
  /** `rcv-wnd`, 0 when not set. Java: `receiverWindowLength()`. */
  readonly receiverWindowLength: number;
  /** `channel-rcv-ts-offset` (-8 for `reserved`, -1 when not set). Java: `channelReceiveTimestampOffset()`. */
  readonly channelReceiveTimestampOffset: number;
  /** `channel-snd-ts-offset` (-8 for `reserved`, -1 when not set). Java: `channelSendTimestampOffset()`. */
  readonly channelSendTimestampOffset: number;
  /** `gtag`, or null. Java: `groupTag()`. */
  readonly groupTag: bigint | null;
  /** `nak-delay` in ns, or null. Java: `nakDelayNs()`. */
  readonly nakDelayNs: number | null;

  private constructor(fields: UdpChannelFields) {
    this.controlMode = fields.controlMode;
    this.hasExplicitEndpoint = fields.hasExplicitEndpoint;
    this.hasExplicitControl = fields.hasExplicitControl;
    this.isMulticast = fields.isMulticast;
    this.hasMulticastTtl = fields.hasMulticastTtl;
    this.multicastTtl = fields.multicastTtl;
    this.hasTag = fields.hasTag;
    this.tag = fields.tag;
    this.remoteData = fields.remoteData;
    this.localData = fields.localData;
    this.remoteControl = fields.remoteControl;
    this.localControl = fields.localControl;
    this.originalUriString = fields.originalUriString;
    this.canonicalForm = fields.canonicalForm;
    this.localInterface = fields.localInterface;
    this.protocolFamily = fields.protocolFamily;
    this.channelUri = fields.channelUri;
    this.socketRcvbufLength = fields.socketRcvbufLength;
    this.socketSndbufLength = fields.socketSndbufLength;
    this.receiverWindowLength = fields.receiverWindowLength;
    this.channelReceiveTimestampOffset = fields.channelReceiveTimestampOffset;
    this.channelSendTimestampOffset = fields.channelSendTimestampOffset;
    this.groupTag = fields.groupTag;
    this.nakDelayNs = fields.nakDelayNs;
  }

  /**
   * Parses an `aeron:udp` (or `aeron-spy:aeron:udp`) channel. Java: `UdpChannel.parse(uri, nameResolver,
   * isDestination)`.
   * @throws InvalidChannelError (ErrorCode INVALID_CHANNEL) with Java's message when Java's parser refuses it.
   */
  static parse(channelUriString: string, options: UdpChannelParseOptions = {}): UdpChannel {
    try {
      return UdpChannel.#parse(channelUriString, options);
    } catch (e) {
      if (e instanceof InvalidChannelError) throw e;
      if (e instanceof ChannelUriError) {
        throw new InvalidChannelError(`java.lang.${e.javaException}`, e.message, { cause: e });
      }
      if (e instanceof RangeError || e instanceof AeronError) {
        throw new InvalidChannelError(ILLEGAL_ARGUMENT, e.message, { cause: e });
      }
      throw e;
    }
  }

  static #parse(channelUriString: string, options: UdpChannelParseOptions): UdpChannel {
    const nameResolver: NameResolver = options.nameResolver ?? DefaultNameResolver.INSTANCE;
    const isDestination = options.isDestination ?? false;
    const interfaces = options.networkInterfaces ?? systemNetworkInterfaces;
    const channelUri = ChannelUri.parse(channelUriString);
    validateMedia(channelUri);

    let endpointAddress = getAddress(channelUri, ENDPOINT_PARAM_NAME, nameResolver, nameResolver.name());
    // Java names the resolver by `name()` for endpoint= and by its class name for control=
    const controlResolverName = nameResolver.className?.() ?? nameResolver.name();
    const controlAddress = getAddress(channelUri, MDC_CONTROL_PARAM_NAME, nameResolver, controlResolverName);
    const tagIdStr = channelUri.channelTag();
    const controlMode = parseControlMode(channelUri);
    const socketRcvbufLength = parseBufferLength(channelUri, SOCKET_RCVBUF_PARAM_NAME);
    const socketSndbufLength = parseBufferLength(channelUri, SOCKET_SNDBUF_PARAM_NAME);
    const receiverWindowLength = parseBufferLength(channelUri, RECEIVER_WINDOW_LENGTH_PARAM_NAME);

    const requiresAdditionalSuffix =
      !isDestination &&
      ((endpointAddress === null && controlAddress === null) ||
        (endpointAddress !== null && endpointAddress.port === 0) ||
        (controlAddress !== null && controlAddress.port === 0));
    const hasNoDistinguishingCharacteristic =
      endpointAddress === null && controlAddress === null && tagIdStr === undefined;

    if (controlMode === 'DYNAMIC' && controlAddress === null) {
      throw new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `explicit control expected with dynamic control mode: ${channelUriString}`,
      );
    }
    if (hasNoDistinguishingCharacteristic && controlMode !== 'MANUAL' && controlMode !== 'RESPONSE') {
      throw new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `URIs for UDP must specify an endpoint, control, tags, or control-mode=manual/response: ${channelUriString}`,
      );
    }

    let hasExplicitEndpoint = true;
    if (endpointAddress === null) {
      hasExplicitEndpoint = false;
      endpointAddress = controlAddress !== null && controlAddress.family === 6 ? ANY_IPV6 : ANY_IPV4;
    }
    const protocolFamily = endpointAddress.family;

    const nakDelayNs = parseOptionalDurationNs(channelUri, NAK_DELAY_PARAM_NAME);
    let hasTag = false;
    let tag = 0n;
    if (tagIdStr !== undefined) {
      const parsed = javaParseLong(tagIdStr);
      if (parsed === null) throw forInputString(tagIdStr);
      hasTag = true;
      tag = parsed;
    }
    const uniqueSuffix = (): string => {
      if (!requiresAdditionalSuffix) return '';
      if (tagIdStr !== undefined) return `#${tagIdStr}`;
      return `-${uniqueCanonicalFormValue++}`;
    };

    let isMulticast = false;
    let hasExplicitControl = false;
    let hasMulticastTtl = false;
    let multicastTtl = 0;
    let localInterface: NetworkInterface | null = null;
    let remoteControl: InetSocketAddress;
    let localData: InetSocketAddress;
    let canonicalForm: string;

    if (endpointAddress.address.isMulticastAddress) {
      const resolved = UdpChannel.#interfaceOf(channelUri).resolve(true, protocolFamily, interfaces);
      isMulticast = true;
      remoteControl = getMulticastControlAddress(endpointAddress);
      localData = resolved.address;
      localInterface = resolved.localInterface;
      canonicalForm = canonicalise(null, resolved.address, null, endpointAddress);
      const ttlValue = channelUri.get(TTL_PARAM_NAME);
      if (ttlValue !== undefined) {
        const ttl = javaParseInt(ttlValue);
        if (ttl === null) throw forInputString(ttlValue);
        hasMulticastTtl = true;
        multicastTtl = ttl;
      }
    } else if (controlAddress !== null) {
      const suffix = uniqueSuffix();
      canonicalForm =
        canonicalise(
          channelUri.get(MDC_CONTROL_PARAM_NAME),
          controlAddress,
          channelUri.get(ENDPOINT_PARAM_NAME),
          endpointAddress,
        ) + suffix;
      hasExplicitControl = true;
      remoteControl = endpointAddress;
      localData = controlAddress;
    } else {
      const resolved = UdpChannel.#interfaceOf(channelUri).resolve(false, protocolFamily, interfaces);
      const suffix = uniqueSuffix();
      remoteControl = endpointAddress;
      localData = resolved.address;
      canonicalForm =
        canonicalise(null, resolved.address, channelUri.get(ENDPOINT_PARAM_NAME), endpointAddress) + suffix;
    }

    const channelReceiveTimestampOffset = parseTimestampOffset(channelUri, CHANNEL_RECEIVE_TIMESTAMP_OFFSET_PARAM_NAME);
    const channelSendTimestampOffset = parseTimestampOffset(channelUri, CHANNEL_SEND_TIMESTAMP_OFFSET_PARAM_NAME);
    const groupTag = parseOptionalLong(channelUri, GROUP_TAG_PARAM_NAME);

    return new UdpChannel({
      controlMode,
      hasExplicitEndpoint,
      hasExplicitControl,
      isMulticast,
      hasMulticastTtl,
      multicastTtl,
      hasTag,
      tag,
      remoteData: endpointAddress,
      localData,
      remoteControl,
      localControl: localData,
      originalUriString: channelUriString,
      canonicalForm,
      localInterface,
      protocolFamily,
      channelUri,
      socketRcvbufLength,
      socketSndbufLength,
      receiverWindowLength,
      channelReceiveTimestampOffset,
      channelSendTimestampOffset,
      groupTag,
      nakDelayNs,
    });
  }

  static #interfaceOf(channelUri: ChannelUri) {
    const value = channelUri.get(INTERFACE_PARAM_NAME);
    return value === undefined ? InterfaceSearchAddress.WILDCARD : parseInterface(value);
  }

  /**
   * The address of an MDS destination's `endpoint` (Java: `UdpChannel.destinationAddress`).
   * @throws InvalidChannelError as Java's.
   */
  static destinationAddress(channelUri: ChannelUri, nameResolver: NameResolver = DefaultNameResolver.INSTANCE) {
    const parsed = UdpChannel.destinationSocketAddress(channelUri, nameResolver);
    return parsed.resolved ? parsed.address : null;
  }

  /**
   * The `endpoint` of a destination URI, resolved or, when the resolver does not know the host, unresolved (Java
   * `destinationAddress`: `InetSocketAddress.createUnresolved`, which a manual MDC destination keeps until a
   * re-resolution finds it).
   */
  static destinationSocketAddress(
    channelUri: ChannelUri,
    nameResolver: NameResolver = DefaultNameResolver.INSTANCE,
  ): ParsedSocketAddress {
    return UdpChannel.#wrapErrors(() => {
      validateMedia(channelUri);
      return parseSocketAddress(channelUri.get(ENDPOINT_PARAM_NAME) ?? '', ENDPOINT_PARAM_NAME, false, nameResolver);
    });
  }

  /**
   * Whether the `endpoint` of a destination URI is a multicast group, from its text. Java:
   * `UdpChannel.isMulticastDestinationAddress`.
   */
  static isMulticastDestinationAddress(channelUri: ChannelUri): boolean {
    return UdpChannel.#wrapErrors(() => {
      validateMedia(channelUri);
      return isMulticastAddress(channelUri.get(ENDPOINT_PARAM_NAME) ?? '');
    });
  }

  /**
   * Resolves `host:port` text (re-resolution of a name, or a destination's endpoint); null when the host does not
   * resolve. Java: `UdpChannel.resolve`.
   */
  static resolve(
    endpoint: string,
    uriParamName: string,
    isReResolution: boolean,
    nameResolver: NameResolver = DefaultNameResolver.INSTANCE,
  ): InetSocketAddress | null {
    const parsed = parseSocketAddress(endpoint, uriParamName, isReResolution, nameResolver);
    return parsed.resolved ? parsed.address : null;
  }

  static #wrapErrors<T>(body: () => T): T {
    try {
      return body();
    } catch (e) {
      if (e instanceof InvalidChannelError) throw e;
      if (e instanceof AeronError || e instanceof RangeError) {
        throw new InvalidChannelError(ILLEGAL_ARGUMENT, e.message, { cause: e });
      }
      throw e;
    }
  }

  /** Control mode `manual`. Java: `isManualControlMode()`. */
  get isManualControlMode(): boolean {
    return this.controlMode === 'MANUAL';
  }

  /** Control mode `dynamic`. Java: `isDynamicControlMode()`. */
  get isDynamicControlMode(): boolean {
    return this.controlMode === 'DYNAMIC';
  }

  /** Control mode `response`. Java: `isResponseControlMode()`. */
  get isResponseControlMode(): boolean {
    return this.controlMode === 'RESPONSE';
  }

  /** MDC: control mode `dynamic` or `manual`. Java: `isMultiDestination()`. */
  get isMultiDestination(): boolean {
    return this.controlMode === 'DYNAMIC' || this.controlMode === 'MANUAL';
  }

  /** Multicast or MDC: more than one receiver possible. Java: `hasGroupSemantics()`. */
  get hasGroupSemantics(): boolean {
    return this.isMulticast || this.isMultiDestination;
  }

  /** `channel-rcv-ts-offset` is set (`reserved` or ≥ 0). Java: `isChannelReceiveTimestampEnabled()`. */
  get isChannelReceiveTimestampEnabled(): boolean {
    const offset = this.channelReceiveTimestampOffset;
    return offset === RESERVED_VALUE_MESSAGE_OFFSET || offset >= 0;
  }

  /** `channel-snd-ts-offset` is set (`reserved` or ≥ 0). Java: `isChannelSendTimestampEnabled()`. */
  get isChannelSendTimestampEnabled(): boolean {
    const offset = this.channelSendTimestampOffset;
    return offset === RESERVED_VALUE_MESSAGE_OFFSET || offset >= 0;
  }

  /** `so-rcvbuf`, or `defaultValue` when not set. Java: `socketRcvbufLengthOrDefault`. */
  socketRcvbufLengthOrDefault(defaultValue: number): number {
    return this.socketRcvbufLength !== 0 ? this.socketRcvbufLength : defaultValue;
  }

  /** `so-sndbuf`, or `defaultValue` when not set. Java: `socketSndbufLengthOrDefault`. */
  socketSndbufLengthOrDefault(defaultValue: number): number {
    return this.socketSndbufLength !== 0 ? this.socketSndbufLength : defaultValue;
  }

  /** `rcv-wnd`, or `defaultValue` when not set. Java: `receiverWindowLengthOrDefault`. */
  receiverWindowLengthOrDefault(defaultValue: number): number {
    return this.receiverWindowLength !== 0 ? this.receiverWindowLength : defaultValue;
  }

  /**
   * Whether `other` refers to this channel by tag: both have the same channel tag; then their control modes and
   * addresses must agree (this channel a wildcard, or the same local and remote data addresses, `localAddress` /
   * `remoteAddress` standing in for `other`'s when given). Java: `UdpChannel.matchesTag`.
   * @throws InvalidChannelError (IllegalArgumentException) with Java's message when the tag matches but the rest not.
   */
  matchesTag(
    other: UdpChannel,
    localAddress?: InetSocketAddress | null,
    remoteAddress?: InetSocketAddress | null,
  ): boolean {
    if (!this.hasTag || !other.hasTag || this.tag !== other.tag) return false;
    if (this.controlMode !== 'NONE' && this.controlMode !== other.controlMode) {
      throw new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `matching tag=${this.tag} has mismatched control-mode: ${this.originalUriString} <> ${other.originalUriString}`,
      );
    }
    const otherLocal = localAddress ?? other.localData;
    const otherRemote = remoteAddress ?? other.remoteData;
    const isWildcard =
      this.remoteData.address.isAnyLocalAddress &&
      this.remoteData.port === 0 &&
      this.localData.address.isAnyLocalAddress &&
      this.localData.port === 0;
    if (!isWildcard && !(this.remoteData.equals(otherRemote) && this.localData.equals(otherLocal))) {
      throw new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `matching tag=${this.tag} has mismatched endpoint or control: ${this.originalUriString} <> ${other.originalUriString}`,
      );
    }
    return true;
  }

  /** `localData: <addr:port>, remoteData: <addr:port>, ttl: <ttl>`. Java: `description()`. */
  description(): string {
    return (
      `localData: ${this.localData.formatAddressAndPort()}, remoteData: ${this.remoteData.formatAddressAndPort()}` +
      `, ttl: ${this.multicastTtl}`
    );
  }

  /** Same canonical form. Java: `equals`. */
  equals(other: UdpChannel): boolean {
    return this.canonicalForm === other.canonicalForm;
  }

  /** The canonical form. Java: `toString()`. */
  toString(): string {
    return this.canonicalForm;
  }
}

/**
 * Validates the channel of an `aeron-spy:aeron:udp?…` subscription as Java's conductor does (it parses it with
 * `UdpChannel.parse`) and returns the parsed channel; spies match network publications by its canonical form.
 * @throws InvalidChannelError as {@link UdpChannel.parse}.
 */
export function validateSpyChannel(channel: string, options: UdpChannelParseOptions = {}): UdpChannel {
  return UdpChannel.parse(channel, options);
}

/**
 * Whether `endpoint` text (`host:port`) names a multicast group. Java: `UdpChannel.isMulticastEndpoint`.
 * @throws InvalidChannelError for text of neither address shape.
 */
export function isMulticastEndpoint(endpoint: string): boolean {
  return isMulticastAddress(endpoint);
}
