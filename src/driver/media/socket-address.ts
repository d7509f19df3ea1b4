/**
 * `SocketAddress`: a mutable, reusable native `sockaddr_in` / `sockaddr_in6` that `UdpSocket` passes to `sendto`,
 * fills in place on `recvfrom`, and compares without allocating (Java uses `InetSocketAddress`, immutable; the
 * receive path here must not allocate one per datagram).
 *
 * Its 32 bytes live in their own `ArrayBuffer` (outside the JS heap, never moved; address from
 * `arrayBufferAddress`), laid out as Linux's structures plus the `socklen_t` that `recvfrom`/`getsockname`
 * read and write:
 *
 * ```
 *   0                   2                   4                               8
 *  +-------------------+-------------------+-------------------------------+
 *  | sa_family (host)  | port (big-endian) | IPv4: sin_addr  IPv6: flowinfo|
 *  +-------------------+-------------------+-------------------------------+
 *  |                 IPv6: sin6_addr (16 bytes, offsets 8-23)              |
 *  +---------------------------------------+-------------------------------+
 *  | IPv6: sin6_scope_id (24)              | socklen_t (28, in/out)        |
 *  +---------------------------------------+-------------------------------+
 * ```
 *
 * Hosts are numeric only (`127.0.0.1`, `::1`, `fe80::1%eth0`; a scope by interface name or number); resolving
 * names is the channel parser's business. `host()`, `port()` and `toString()` decode on demand (control path);
 * `equals`, `copyFrom`, `hash` and the family and port reads allocate nothing.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { AF_INET, AF_INET6, libcSocket } from './libc-socket.ts';
import { arrayBufferAddress } from './native-buffer.ts';
import { SocketError } from './socket-error.ts';

/** Bytes of the native block: `sockaddr_in6` (28) and a `socklen_t`. */
export const SOCKET_ADDRESS_BLOCK_LENGTH = 32;
/** `sizeof(struct sockaddr_in)`. */
export const SOCKADDR_IN_LENGTH = 16;
/** `sizeof(struct sockaddr_in6)`. */
export const SOCKADDR_IN6_LENGTH = 28;
/** Offset of the `socklen_t` slot in the block. */
export const SOCKLEN_OFFSET = 28;

/** A numeric host, a port and an address family: what `SocketAddress.of` takes (the channel parser's shape). */
export interface InetAddressSpec {
  /** Numeric IPv4 (`127.0.0.1`) or IPv6 (`::1`, `fe80::1%eth0`; brackets allowed) host. */
  readonly host: string;
  /** Port, 0-65535 (0 = any, for a bind). */
  readonly port: number;
  /** 4 or 6; must match the host's form. */
  readonly family: 4 | 6;
}

/** A mutable native socket address; see the module comment. */
export class SocketAddress {
  /** The native address of the `sockaddr` (block offset 0), for `sendto`, `bind`, `connect`. */
  readonly nativeAddress: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #words: Int32Array;

  /** An IPv4 `0.0.0.0:0`, to be filled by `UdpSocket.receive` or `copyFrom`. */
  constructor() {
    const buffer = new ArrayBuffer(SOCKET_ADDRESS_BLOCK_LENGTH);
    this.#bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
    this.#words = new Int32Array(buffer);
    this.nativeAddress = arrayBufferAddress(buffer);
    this.#view.setUint16(0, AF_INET, true);
  }

  /**
   * A socket address from a numeric host, a port and a family.
   *
   * @throws SocketError `INVALID_ADDRESS` for a host that is not numeric in that family, a port out of range,
   *   or an unknown IPv6 scope interface.
   */
  static of(address: InetAddressSpec): SocketAddress {
    const result = new SocketAddress();
    result.set(address);
    return result;
  }

  /** Sets host, port and family (control path); see {@link SocketAddress.of} for what is accepted. */
  set(address: InetAddressSpec): this {
    const { port, family } = address;
    let host = address.host;
    const text = `${host}:${port}`;
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
      throw new SocketError('INVALID_ADDRESS', `invalid port ${port} in ${text}`, { address: text });
    }
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    this.#bytes.fill(0);
    if (family === 4) {
      if (!isIPv4(host))
        throw new SocketError('INVALID_ADDRESS', `not a numeric IPv4 host: ${text}`, { address: text });
      this.#view.setUint16(0, AF_INET, true);
      const parts = host.split('.');
      for (let i = 0; i < 4; i++) this.#bytes[4 + i] = Number(parts[i]);
    } else if (family === 6) {
      const percent = host.indexOf('%');
      const scope = percent >= 0 ? host.slice(percent + 1) : '';
      const bare = percent >= 0 ? host.slice(0, percent) : host;
      if (!isIPv6(bare))
        throw new SocketError('INVALID_ADDRESS', `not a numeric IPv6 host: ${text}`, { address: text });
      this.#view.setUint16(0, AF_INET6, true);
      parseIpv6(bare, this.#bytes, 8);
      if (scope !== '') {
        const scopeId = /^\d+$/.test(scope) ? Number(scope) : libcSocket().ifNameToIndex(scope);
        if (scopeId === 0 || scopeId > 0xffff_ffff) {
          throw new SocketError('INVALID_ADDRESS', `unknown IPv6 scope ${scope} in ${text}`, { address: text });
        }
        this.#view.setUint32(24, scopeId, true);
      }
    } else {
      throw new SocketError('INVALID_ADDRESS', `address family must be 4 or 6: ${family}`, { address: text });
    }
    this.#view.setUint16(2, port, false);
    return this;
  }

  /** 4 (`AF_INET`) or 6 (`AF_INET6`). */
  get family(): 4 | 6 {
    return this.#view.getUint16(0, true) === AF_INET6 ? 6 : 4;
  }

  /** The native length of this address: 16 (`sockaddr_in`) or 28 (`sockaddr_in6`). */
  get nativeLength(): number {
    return this.#view.getUint16(0, true) === AF_INET6 ? SOCKADDR_IN6_LENGTH : SOCKADDR_IN_LENGTH;
  }

  /** The native address of the `socklen_t` slot (block offset 28), for `recvfrom` and `getsockname`. */
  get nativeLengthSlot(): number {
    return this.nativeAddress + SOCKLEN_OFFSET;
  }

  /** Stores `length` in the `socklen_t` slot (before a call that reads it as the capacity). */
  setLengthSlot(length: number): void {
    this.#view.setUint32(SOCKLEN_OFFSET, length, true);
  }

  /** The port (host order). No allocation. */
  port(): number {
    return this.#view.getUint16(2, false);
  }

  /** Sets the port, keeping the host. No allocation. */
  setPort(port: number): this {
    this.#view.setUint16(2, port, false);
    return this;
  }

  /** The IPv4 address as an unsigned 32-bit number (`127.0.0.1` = 0x7f000001); 0 for IPv6. No allocation. */
  ipv4(): number {
    return this.family === 4 ? this.#view.getUint32(4, false) : 0;
  }

  /** The IPv6 scope id (interface index), 0 when none or for IPv4. No allocation. */
  scopeId(): number {
    return this.family === 6 ? this.#view.getUint32(24, true) : 0;
  }

  /** Same family and host bytes (port, scope and flow label ignored). No allocation. */
  sameHost(other: SocketAddress): boolean {
    const a = this.#words;
    const b = other.#words;
    if ((a[0]! & 0xffff) !== (b[0]! & 0xffff)) return false;
    if ((a[0]! & 0xffff) !== AF_INET6) return a[1] === b[1];
    return a[2] === b[2] && a[3] === b[3] && a[4] === b[4] && a[5] === b[5];
  }

  /** Copies the 16 IPv6 host bytes (`sin6_addr`) to `target` at `offset` (zeros for IPv4). */
  copyIpv6HostTo(target: DataView, offset: number): void {
    const ipv6 = this.family === 6;
    for (let i = 0; i < 16; i++) target.setUint8(offset + i, ipv6 ? this.#bytes[8 + i]! : 0);
  }

  /** Whether this is a multicast address (224.0.0.0/4, ff00::/8). */
  isMulticast(): boolean {
    return this.family === 4 ? (this.#bytes[4]! & 0xf0) === 0xe0 : this.#bytes[8] === 0xff;
  }

  /** Whether this is the wildcard address (`0.0.0.0`, `::`). */
  isWildcard(): boolean {
    if (this.family === 4) return this.#words[1] === 0;
    const w = this.#words;
    return w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0;
  }

  /** The numeric host (`127.0.0.1`, `::1`, `fe80::1%3`). Allocates (control path). */
  host(): string {
    const b = this.#bytes;
    if (this.family === 4) return `${b[4]}.${b[5]}.${b[6]}.${b[7]}`;
    const scope = this.#view.getUint32(24, true);
    const text = formatIpv6(b, 8);
    return scope === 0 ? text : `${text}%${scope}`;
  }

  /** `host:port`, or `[host]:port` for IPv6 (as Java's `NetworkUtil.formatAddressAndPort`). */
  toString(): string {
    return this.family === 4 ? `${this.host()}:${this.port()}` : `[${this.host()}]:${this.port()}`;
  }

  /** Same family, port, host (and IPv6 scope); the IPv6 flow label is ignored. No allocation. */
  equals(other: SocketAddress): boolean {
    const a = this.#words;
    const b = other.#words;
    if (a[0] !== b[0]) return false; // family (low half) and port (high half)
    if ((a[0]! & 0xffff) !== AF_INET6) return a[1] === b[1];
    return a[2] === b[2] && a[3] === b[3] && a[4] === b[4] && a[5] === b[5] && a[6] === b[6];
  }

  /** A 32-bit hash of family, port and host, consistent with `equals`. No allocation. */
  hash(): number {
    const w = this.#words;
    let h = w[0]!;
    if ((w[0]! & 0xffff) !== AF_INET6) return Math.imul(h, 31) ^ w[1]!;
    for (let i = 2; i <= 6; i++) h = Math.imul(h, 31) ^ w[i]!;
    return h;
  }

  /** Copies `other` into this address (all 28 bytes). No allocation. */
  copyFrom(other: SocketAddress): this {
    const a = this.#words;
    const b = other.#words;
    for (let i = 0; i < 7; i++) a[i] = b[i]!;
    return this;
  }

  /** A new address equal to this one. */
  clone(): SocketAddress {
    return new SocketAddress().copyFrom(this);
  }
}

/** Parses a valid (already checked) IPv6 text into 16 bytes at `out[offset]`. */
function parseIpv6(text: string, out: Uint8Array, offset: number): void {
  const words = new Array<number>(8).fill(0);
  const double = text.indexOf('::');
  const head = double >= 0 ? text.slice(0, double) : text;
  const tail = double >= 0 ? text.slice(double + 2) : '';
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const result: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
        result.push((a << 8) | b, (c << 8) | d);
      } else {
        result.push(Number.parseInt(group, 16));
      }
    }
    return result;
  };
  const headWords = parse(head);
  const tailWords = parse(tail);
  for (let i = 0; i < headWords.length; i++) words[i] = headWords[i]!;
  for (let i = 0; i < tailWords.length; i++) words[8 - tailWords.length + i] = tailWords[i]!;
  for (let i = 0; i < 8; i++) {
    out[offset + 2 * i] = words[i]! >> 8;
    out[offset + 2 * i + 1] = words[i]! & 0xff;
  }
}

/** Formats 16 bytes as RFC 5952 text (longest zero run compressed, `::ffff:a.b.c.d` for IPv4-mapped). */
function formatIpv6(bytes: Uint8Array, offset: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    words
      .slice(from, to)
      .map((w) => w.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
