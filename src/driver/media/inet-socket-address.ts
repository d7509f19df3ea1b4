/**
 * `InetAddress` and `InetSocketAddress`: immutable IP addresses and address/port pairs as the channel parser
 * produces them (Java: `java.net.InetAddress` / `java.net.InetSocketAddress`), printed exactly as Java prints them,
 * because Java's driver puts them in canonical channel forms, counter labels and messages.
 *
 * ```
 *  host      numeric text as Java's getHostAddress: 127.0.0.1 | 0:0:0:0:0:0:0:1 | fe80:0:0:0:fc:ff:fe00:1%eth0
 *  hostname  the name it was resolved from (localhost), or null for a literal
 *  hostString()  hostname ?? host                      (Java getHostString: used by canonical forms)
 *  toString()    <hostname or ''>/<host>:<port>        IPv6 host in brackets: /[0:0:0:0:0:0:0:1]:40123
 * ```
 *
 * They are control-path values: the send and receive paths use the mutable native `SocketAddress`
 * (`socket-address.ts`), made from one of these with `SocketAddress.of(address)`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ILLEGAL_ARGUMENT, InvalidChannelError } from './invalid-channel-error.ts';

/** IPv4 (4) or IPv6 (6). Java: `StandardProtocolFamily.INET` / `INET6`. */
export type AddressFamily = 4 | 6;

/** The bytes of an IPv4 dotted quad, or null when `text` is not one. */
function parseIpv4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  const bytes = new Uint8Array(4);
  const parts = text.split('.');
  for (let i = 0; i < 4; i++) bytes[i] = Number(parts[i]);
  return bytes;
}

/** The 16 bytes of an IPv6 literal (no brackets, no scope), or null when `text` is not one. */
function parseIpv6(text: string): Uint8Array | null {
  if (!isIPv6(text)) return null;
  let head = text;
  let tailBytes: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === null) return null;
    tailBytes = [...v4];
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  const left = halves[0] === '' ? [] : halves[0]!.split(':');
  const right = halves.length > 1 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...new Array<string>(halves.length > 1 ? missing : 0).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const word = Number.parseInt(groups[i] ?? '0', 16);
    bytes[2 * i] = word >>> 8;
    bytes[2 * i + 1] = word & 0xff;
  }
  if (tailBytes.length === 4) bytes.set(tailBytes, 12);
  return bytes;
}

/** Java's `Inet6Address.numericToTextFormat`: eight hex groups without leading zeros, no `::` compression. */
function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** True for `::ffff:a.b.c.d`, which Java's `InetAddress` turns into the IPv4 address a.b.c.d. */
function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** An immutable IP address (Java: `InetAddress`); see the module comment for the text forms. */
export class InetAddress {
  /** 4 or 6. */
  readonly family: AddressFamily;
  /** Numeric text as Java's `getHostAddress` prints it (IPv6: eight groups, scope after `%` if any). */
  readonly host: string;
  /** The name the address was resolved from, or null for a literal. Java: the `InetAddress` host name. */
  readonly hostname: string | null;
  /** IPv6 scope (interface name or number) or null. */
  readonly scope: string | null;
  readonly #bytes: Uint8Array;

  /**
   * @param bytes 4 (IPv4) or 16 (IPv6) address bytes, network order (copied).
   * @param hostname the name it was resolved from, or null for a literal.
   * @param scope IPv6 scope (interface name or number), or null.
   */
  constructor(bytes: Uint8Array, hostname: string | null = null, scope: string | null = null) {
    if (bytes.length === 16 && isIpv4Mapped(bytes)) bytes = bytes.subarray(12);
    this.#bytes = Uint8Array.from(bytes);
    this.family = bytes.length === 4 ? 4 : 6;
    this.hostname = hostname;
    this.scope = this.family === 6 ? scope : null;
    this.host =
      this.family === 4 ? bytes.join('.') : `${ipv6Text(this.#bytes)}${this.scope !== null ? `%${this.scope}` : ''}`;
  }

  /**
   * The address of a numeric literal: IPv4 dotted quad, or IPv6 with or without brackets and `%scope`; null when
   * `text` is not a literal. Java: `InetAddress.getByName` of a literal (no host name).
   */
  static parseNumeric(text: string): InetAddress | null {
    const v4 = parseIpv4(text);
    if (v4 !== null) return new InetAddress(v4);
    let body = text;
    if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
    const percent = body.indexOf('%');
    const scope = percent >= 0 ? body.slice(percent + 1) : null;
    const v6 = parseIpv6(percent >= 0 ? body.slice(0, percent) : body);
    if (v6 === null || scope === '') return null;
    return new InetAddress(v6, null, scope);
  }

  /** A copy of the address bytes (4 or 16, network order). Java: `getAddress()`. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** The same address with `hostname` as its name. */
  withHostname(hostname: string | null): InetAddress {
    return new InetAddress(this.#bytes, hostname, this.scope);
  }

  /** `0.0.0.0` or `::`. Java: `isAnyLocalAddress()`. */
  get isAnyLocalAddress(): boolean {
    return this.#bytes.every((b) => b === 0);
  }

  /** `127.0.0.0/8` or `::1`. Java: `isLoopbackAddress()`. */
  get isLoopbackAddress(): boolean {
    if (this.family === 4) return this.#bytes[0] === 127;
    return this.#bytes[15] === 1 && this.#bytes.subarray(0, 15).every((b) => b === 0);
  }

  /** IPv4 `224.0.0.0/4` or IPv6 `ff00::/8`. Java: `isMulticastAddress()`. */
  get isMulticastAddress(): boolean {
    return this.family === 4 ? (this.#bytes[0]! & 0xf0) === 0xe0 : this.#bytes[0] === 0xff;
  }

  /** Same family and bytes (host name and IPv6 scope ignored, as Java's `InetAddress.equals`). */
  equals(other: InetAddress): boolean {
    const a = this.#bytes;
    const b = other.#bytes;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Java's `InetAddress.toString`: `<hostname or ''>/<host>`. */
  toString(): string {
    return `${this.hostname ?? ''}/${this.host}`;
  }
}

/** An immutable IP address and port (Java: `InetSocketAddress`); see the module comment. */
export class InetSocketAddress {
  /** The address. */
  readonly address: InetAddress;
  /** Port, 0-65535. */
  readonly port: number;

  /**
   * @param address the IP address.
   * @param port 0-65535.
   * @throws InvalidChannelError with Java's message (`java.lang.IllegalArgumentException: port out of range:<port>`)
   *   otherwise.
   */
  constructor(address: InetAddress, port: number) {
    if (!Number.isInteger(port) || port < 0 || port > 0xffff)
      throw new InvalidChannelError(ILLEGAL_ARGUMENT, `port out of range:${port}`);
    this.address = address;
    this.port = port;
  }

  /** `0.0.0.0:0`. Java: `new InetSocketAddress(0)`. */
  static readonly ANY_IPV4: InetSocketAddress = new InetSocketAddress(new InetAddress(new Uint8Array(4)), 0);

  /**
   * The address of a numeric literal and a port (see `InetAddress.parseNumeric`); `hostname` optional.
   * @throws InvalidChannelError (ILLEGAL_ARGUMENT) when `host` is not a numeric address or the port is out of range.
   */
  static of(host: string, port: number, hostname: string | null = null): InetSocketAddress {
    const address = InetAddress.parseNumeric(host);
    if (address === null) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `not a numeric IP address: ${host}`);
    return new InetSocketAddress(hostname === null ? address : address.withHostname(hostname), port);
  }

  /** Numeric host text, Java's `getHostAddress` form (`127.0.0.1`, `0:0:0:0:0:0:0:1`). */
  get host(): string {
    return this.address.host;
  }

  /** 4 or 6. */
  get family(): AddressFamily {
    return this.address.family;
  }

  /** The name the address was resolved from, or null for a literal. */
  get hostname(): string | null {
    return this.address.hostname;
  }

  /** The host name if there is one, else the numeric host. Java: `getHostString()`. */
  hostString(): string {
    return this.address.hostname ?? this.address.host;
  }

  /** `host:port`, IPv6 in brackets. Java: `NetworkUtil.formatAddressAndPort`. */
  formatAddressAndPort(): string {
    return this.family === 6 ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Same address (host name ignored) and port. Java: `InetSocketAddress.equals` of resolved addresses. */
  equals(other: InetSocketAddress): boolean {
    return this.port === other.port && this.address.equals(other.address);
  }

  /** Java's `InetSocketAddress.toString`: `localhost/127.0.0.1:40123`, `/127.0.0.1:40123`, `/[0:0:0:0:0:0:0:1]:5`. */
  toString(): string {
    const host = this.family === 6 ? `[${this.host}]` : this.host;
    return `${this.address.hostname ?? ''}/${host}:${this.port}`;
  }
}
