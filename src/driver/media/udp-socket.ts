/**
 * `UdpSocket`: a non-blocking UDP socket that the driver's duty cycle polls (Java's `DatagramChannel` in
 * non-blocking mode under `UdpChannelTransport`). No callbacks and no event loop: `sendTo` and `receive` are
 * plain `sendmsg`/`recvmsg` system calls through koffi (`libc-socket.ts`), straight from and into the native
 * memory of an `AtomicBuffer` (a log buffer's mapped file, a heap `ArrayBuffer`, or `allocateDirectBuffer`),
 * and allocate nothing (the addresses travel in native message headers, `message-header.ts`). So a socket works
 * the same on the event loop (INVOKER) and in the driver's worker thread (SHARED).
 *
 * ```
 *  sendTo(buffer, offset, length, to)      ──► sendmsg(fd, { to, iov: address(buffer) + offset, length }, 0)
 *     bytes sent | 0 = would block (EAGAIN, ENOBUFS) or port unreachable (ECONNREFUSED) | SocketError
 *  receive(buffer, offset, capacity, from) ──► recvmsg(fd, { from, iov: address(buffer) + offset, capacity }, 0)
 *     bytes received | 0 = nothing (EAGAIN) or port unreachable | SocketError; `from` filled in place
 * ```
 *
 * `ECONNREFUSED` (an ICMP port unreachable reported on a connected socket) counts as nothing sent/received,
 * as Java ignores `PortUnreachableException`. A datagram of 0 bytes is indistinguishable from "nothing"; Aeron
 * never sends one.
 *
 * `open` follows Java's `UdpChannelTransport.openDatagramChannel`: `SO_REUSEADDR`, bind, multicast group join on
 * an interface, `IP_MULTICAST_IF`/`TTL`/`LOOP`, connect, `SO_SNDBUF`/`SO_RCVBUF`. A multicast transport with a
 * connect address uses two sockets, as Java does: a receive socket (`reuseAddress`, bind to the wildcard and the
 * port, `multicast.group` joined) and a send socket (`multicast.interfaceAddress`/`ttl`, `connect` to the group).
 * The buffer lengths are read back as Java reads them (the JDK halves Linux's doubled `getsockopt` figure).
 * `connect(address)` moves an open socket's association (a re-resolved `endpoint=`), keeping its bound port.
 */
import { networkInterfaces } from 'node:os';
import { InvalidArgumentError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import type { DatagramBatch } from './datagram-batch.ts';
import {
  AF_INET,
  AF_INET6,
  EAGAIN,
  ECONNREFUSED,
  EINTR,
  ENOBUFS,
  ENOPROTOOPT,
  IP_ADD_MEMBERSHIP,
  IP_MULTICAST_ALL,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPV6_JOIN_GROUP,
  IPV6_MULTICAST_ALL,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_IF,
  IPV6_MULTICAST_LOOP,
  type LibcSocket,
  libcSocket,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOCK_DGRAM_NONBLOCK,
  SOL_SOCKET,
} from './libc-socket.ts';
import { MessageHeaders } from './message-header.ts';
import { arrayBufferAddress } from './native-buffer.ts';
import { SOCKADDR_IN6_LENGTH, SocketAddress } from './socket-address.ts';
import { errnoName, openErrorCode, SocketError } from './socket-error.ts';

/** Multicast settings of `UdpSocket.open`. */
export interface UdpMulticastOptions {
  /** The group to join (`IP_ADD_MEMBERSHIP` / `IPV6_JOIN_GROUP`) on `interfaceAddress`; null or absent: no join. */
  readonly group?: SocketAddress | null;
  /**
   * The local interface, by one of its addresses (port ignored): the join's interface and `IP_MULTICAST_IF`.
   * Null or absent (and no `interfaceIndex`): the kernel's choice (the route to the group) for the join, and no
   * `IP_MULTICAST_IF`.
   */
  readonly interfaceAddress?: SocketAddress | null;
  /**
   * The local interface by index (`if_nametoindex`; the channel parser's `NetworkInterface.index`), used instead
   * of or with `interfaceAddress` (IPv4: `struct ip_mreqn`'s `imr_ifindex`; IPv6: the index itself). 0 or
   * absent: none.
   */
  readonly interfaceIndex?: number;
  /** `IP_MULTICAST_TTL` / `IPV6_MULTICAST_HOPS`; 0 or absent keeps the OS default (1). */
  readonly ttl?: number;
  /** `IP_MULTICAST_LOOP` / `IPV6_MULTICAST_LOOP`; absent keeps the OS default (on). */
  readonly loopback?: boolean;
  /**
   * `IP_MULTICAST_ALL` / `IPV6_MULTICAST_ALL` (Linux): false makes a socket bound to the wildcard address receive
   * only the groups it joined itself, not every group any socket of the host joined on its port (Aeron's C
   * driver sets false on its multicast receive sockets; Java leaves the default). Absent keeps the OS default
   * (true). Ignored where the kernel does not know the option (`ENOPROTOOPT`).
   */
  readonly multicastAll?: boolean;
}

/** Options of `UdpSocket.open`. */
export interface UdpSocketOptions {
  /** Local address to bind (port 0: an ephemeral port, read back in `localAddress`); null or absent: no bind. */
  readonly bind?: SocketAddress | null;
  /** Remote address to connect (then `sendTo(…, null)` sends there, and only its datagrams arrive). */
  readonly connect?: SocketAddress | null;
  /** `SO_REUSEADDR` before the bind (Java sets it on multicast receive sockets). Default false. */
  readonly reuseAddress?: boolean;
  /**
   * `SO_REUSEPORT` before the bind (Aeron's C driver sets it on multicast receive sockets). Default false.
   * Caution: with two multicast sockets of one port both set, Linux was seen to hand a group's datagram to the
   * socket that had not joined that group (udp-multicast-netns.test.ts, with `multicastAll` off); `reuseAddress`
   * alone does not.
   */
  readonly reusePort?: boolean;
  /** `SO_RCVBUF` to ask for; 0 or absent keeps the OS default. The granted value is `socketRcvbufLength`. */
  readonly socketRcvbufLength?: number;
  /** `SO_SNDBUF` to ask for; 0 or absent keeps the OS default. The granted value is `socketSndbufLength`. */
  readonly socketSndbufLength?: number;
  /** Multicast group join and send settings; see {@link UdpMulticastOptions}. */
  readonly multicast?: UdpMulticastOptions | null;
}

/** Scratch native memory for option values and `socklen_t`s (control path; one per thread). */
let scratch: { readonly view: DataView; readonly address: number } | undefined;

function scratchMemory(): { readonly view: DataView; readonly address: number } {
  if (scratch === undefined) {
    const buffer = new ArrayBuffer(64);
    scratch = { view: new DataView(buffer), address: arrayBufferAddress(buffer) };
  }
  return scratch;
}

/** Closes the descriptor of a socket that was garbage collected without `close()`. */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  libcSocket().close(fd);
});

/** A non-blocking UDP socket polled by the duty cycle; see the module comment. */
export class UdpSocket implements Disposable {
  /** The bound local address (`getsockname` after bind/connect: port 0 resolved to the ephemeral port). */
  readonly localAddress: SocketAddress;
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Granted `SO_SNDBUF` as Java reports it (Linux's `getsockopt` value halved, as the JDK does). */
  readonly socketSndbufLength: number;
  /** Granted `SO_RCVBUF` as Java reports it (Linux's `getsockopt` value halved, as the JDK does). */
  readonly socketRcvbufLength: number;
  /** The multicast TTL read back after setting it, or 0 when `multicast.ttl` was not set. */
  readonly multicastTtl: number;
  readonly #libc: LibcSocket;
  #connectedAddress: SocketAddress | null;
  #fd: number;
  readonly #token: object = {};
  #sendBuffer: AtomicBuffer | null = null;
  #sendBase = 0;
  #receiveBuffer: AtomicBuffer | null = null;
  #receiveBase = 0;
  readonly #sendHeader = new MessageHeaders(1);
  readonly #receiveHeader = new MessageHeaders(1);

  private constructor(
    libc: LibcSocket,
    fd: number,
    family: 4 | 6,
    localAddress: SocketAddress,
    sndbuf: number,
    rcvbuf: number,
    ttl: number,
    connected: SocketAddress | null,
  ) {
    this.#libc = libc;
    this.#fd = fd;
    this.family = family;
    this.localAddress = localAddress;
    this.socketSndbufLength = sndbuf;
    this.socketRcvbufLength = rcvbuf;
    this.multicastTtl = ttl;
    this.#connectedAddress = connected;
    closeWhenCollected.register(this, fd, this.#token);
  }

  /**
   * Opens a non-blocking UDP socket (control path).
   *
   * @throws SocketError `PORT_IN_USE` (bind on a taken address; the message names it), `PERMISSION_DENIED`,
   *   `ADDRESS_NOT_AVAILABLE`, `INVALID_ADDRESS` (mixed families, unknown interface), `NO_MEMORY`,
   *   `SOCKET_FAILED`. Nothing is left open on failure.
   */
  static open(options: UdpSocketOptions = {}): UdpSocket {
    const c = libcSocket();
    const multicast = options.multicast ?? null;
    const family = familyOf(options, multicast);
    const fd = c.socket(family === 6 ? AF_INET6 : AF_INET, SOCK_DGRAM_NONBLOCK, 0);
    if (fd < 0) throw errnoError(c, c.errno(), 'socket', null);
    try {
      if (options.reuseAddress === true) setIntOption(c, fd, SOL_SOCKET, SO_REUSEADDR, 1, 'SO_REUSEADDR');
      if (options.reusePort === true) setIntOption(c, fd, SOL_SOCKET, SO_REUSEPORT, 1, 'SO_REUSEPORT');
      const rcvbuf = options.socketRcvbufLength ?? 0;
      const sndbuf = options.socketSndbufLength ?? 0;
      if (rcvbuf > 0) setIntOption(c, fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, 'SO_RCVBUF');
      if (sndbuf > 0) setIntOption(c, fd, SOL_SOCKET, SO_SNDBUF, sndbuf, 'SO_SNDBUF');
      const bind = options.bind ?? null;
      if (bind !== null && c.bind(fd, bind.nativeAddress, bind.nativeLength) !== 0) {
        throw errnoError(c, c.errno(), 'bind', bind);
      }
      let ttl = 0;
      if (multicast !== null) ttl = configureMulticast(c, fd, family, multicast);
      const connect = options.connect ?? null;
      if (connect !== null && c.connect(fd, connect.nativeAddress, connect.nativeLength) !== 0) {
        throw errnoError(c, c.errno(), 'connect', connect);
      }
      const local = new SocketAddress();
      local.setLengthSlot(SOCKADDR_IN6_LENGTH);
      if (c.getsockname(fd, local.nativeAddress, local.nativeLengthSlot) !== 0) {
        throw errnoError(c, c.errno(), 'getsockname', null);
      }
      const grantedSndbuf = getIntOption(c, fd, SOL_SOCKET, SO_SNDBUF, 'SO_SNDBUF') >> 1;
      const grantedRcvbuf = getIntOption(c, fd, SOL_SOCKET, SO_RCVBUF, 'SO_RCVBUF') >> 1;
      return new UdpSocket(c, fd, family, local, grantedSndbuf, grantedRcvbuf, ttl, connect?.clone() ?? null);
    } catch (e) {
      c.close(fd);
      throw e;
    }
  }

  /** The connected remote address, or null. */
  get connectedAddress(): SocketAddress | null {
    return this.#connectedAddress;
  }

  /**
   * Connects the socket to `address` instead (control path; Java `UdpChannelTransport.updateEndpoint` after a
   * re-resolution). Linux re-associates a connected UDP socket on a second `connect`, keeping its bound address and
   * port (Java disconnects first, and the JDK rebinds the port a disconnect loses on Linux).
   *
   * @throws SocketError `SOCKET_FAILED` (or the errno's code) when the connect fails; `CLOSED` after close.
   */
  connect(address: SocketAddress): void {
    const fd = this.#fd;
    if (fd < 0) throw closedError();
    const c = this.#libc;
    if (c.connect(fd, address.nativeAddress, address.nativeLength) !== 0) {
      throw errnoError(c, c.errno(), 'connect', address);
    }
    this.#connectedAddress = address.clone();
  }

  /** The OS file descriptor, or -1 after `close()`. */
  get fd(): number {
    return this.#fd;
  }

  /** True once `close()` has run. */
  get isClosed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Sends `buffer[offset, offset + length)` as one datagram to `to` (null: to the connected address). Allocates
   * nothing.
   *
   * @returns the bytes sent (`length`), or 0 when the send would block (`EAGAIN`, `ENOBUFS`) or the connected
   *   peer's port is unreachable (`ECONNREFUSED`): the caller counts a short send.
   * @throws SocketError `SEND_FAILED` for any other errno (`EMSGSIZE`, `ENETUNREACH`, …), `CLOSED` after close.
   * @throws InvalidArgumentError when the range is outside `buffer`.
   */
  sendTo(buffer: AtomicBuffer, offset: number, length: number, to: SocketAddress | null): number {
    const fd = this.#fd;
    if (fd < 0) throw closedError();
    if (offset < 0 || length < 0 || offset + length > buffer.capacity) throw rangeError(buffer, offset, length);
    if (buffer !== this.#sendBuffer) {
      this.#sendBase = arrayBufferAddress(buffer.arrayBuffer) + buffer.byteOffset;
      this.#sendBuffer = buffer;
    }
    const c = this.#libc;
    const header = this.#sendHeader;
    if (to === null) header.setName(0, 0, 0);
    else header.setName(0, to.nativeAddress, to.nativeLength);
    header.setData(0, this.#sendBase + offset, length);
    const result = c.sendmsg(fd, header.bytes, 0);
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno === EAGAIN || errno === ENOBUFS || errno === ECONNREFUSED || errno === EINTR) return 0;
    throw ioError(c, errno, 'SEND_FAILED', `failed to send datagram to ${to ?? this.#connectedAddress}`, to);
  }

  /**
   * Receives one datagram into `buffer[offset, offset + capacity)` and its source into `from`. Allocates nothing.
   * A datagram longer than `capacity` is truncated (size receive buffers for the largest UDP payload).
   *
   * @returns the bytes received, or 0 when nothing is waiting (`EAGAIN`) or a port-unreachable report was
   *   consumed (`ECONNREFUSED`); `from` is only meaningful when the result is positive.
   * @throws SocketError `RECEIVE_FAILED` for any other errno, `CLOSED` after close.
   * @throws InvalidArgumentError when the range is outside `buffer`.
   */
  receive(buffer: AtomicBuffer, offset: number, capacity: number, from: SocketAddress): number {
    const fd = this.#fd;
    if (fd < 0) throw closedError();
    if (offset < 0 || capacity < 0 || offset + capacity > buffer.capacity) throw rangeError(buffer, offset, capacity);
    if (buffer !== this.#receiveBuffer) {
      this.#receiveBase = arrayBufferAddress(buffer.arrayBuffer) + buffer.byteOffset;
      this.#receiveBuffer = buffer;
    }
    const c = this.#libc;
    const header = this.#receiveHeader;
    header.setName(0, from.nativeAddress, SOCKADDR_IN6_LENGTH);
    header.setData(0, this.#receiveBase + offset, capacity);
    const result = c.recvmsg(fd, header.bytes, 0);
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno === EAGAIN || errno === ECONNREFUSED || errno === EINTR) return 0;
    throw ioError(c, errno, 'RECEIVE_FAILED', `failed to receive on ${this.localAddress}`, null);
  }

  /**
   * Sends entries `[0, count)` of `batch` with one `sendmmsg`, in order. Allocates nothing.
   *
   * @returns the datagrams sent: `count`, fewer when the socket filled up part way, 0 when the first would block
   *   (or the connected peer's port is unreachable). Their lengths are `batch.length(i)`.
   * @throws SocketError `SEND_FAILED` (the first datagram failed otherwise), `CLOSED` after close.
   */
  sendBatch(batch: DatagramBatch, count: number): number {
    const fd = this.#fd;
    if (fd < 0) throw closedError();
    if (count < 0 || count > batch.capacity) throw batchError(batch, count);
    if (count === 0) return 0;
    const c = this.#libc;
    const result = c.sendmmsg(fd, batch.headers.bytes, count, 0);
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno === EAGAIN || errno === ENOBUFS || errno === ECONNREFUSED || errno === EINTR) return 0;
    const to = batch.address(0);
    throw ioError(c, errno, 'SEND_FAILED', `failed to send datagram to ${to ?? this.#connectedAddress}`, to);
  }

  /**
   * Receives up to `count` datagrams with one `recvmmsg` into entries `[0, count)` of `batch` (each entry's
   * window and source address as set; the windows should hold the largest UDP payload). Allocates nothing.
   *
   * @returns the datagrams received (0 when nothing is waiting); entry `i`'s length is `batch.length(i)`, its
   *   source `batch.address(i)`.
   * @throws SocketError `RECEIVE_FAILED`, `CLOSED` after close.
   */
  receiveBatch(batch: DatagramBatch, count: number): number {
    const fd = this.#fd;
    if (fd < 0) throw closedError();
    if (count < 0 || count > batch.capacity) throw batchError(batch, count);
    if (count === 0) return 0;
    batch.prepareReceive(count);
    const c = this.#libc;
    const result = c.recvmmsg(fd, batch.headers.bytes, count, 0);
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno === EAGAIN || errno === ECONNREFUSED || errno === EINTR) return 0;
    throw ioError(c, errno, 'RECEIVE_FAILED', `failed to receive on ${this.localAddress}`, null);
  }

  /** Closes the socket. Idempotent. */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    this.#sendBuffer = null;
    this.#receiveBuffer = null;
    closeWhenCollected.unregister(this.#token);
    this.#libc.close(fd);
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function familyOf(options: UdpSocketOptions, multicast: UdpMulticastOptions | null): 4 | 6 {
  const candidates = [options.bind, options.connect, multicast?.group, multicast?.interfaceAddress];
  let family: 4 | 6 | 0 = 0;
  for (const address of candidates) {
    if (address === null || address === undefined) continue;
    if (family === 0) family = address.family;
    else if (address.family !== family) {
      throw new SocketError('INVALID_ADDRESS', `mixed address families: ${candidates.filter((a) => a).join(', ')}`, {
        address: address.toString(),
      });
    }
  }
  return family === 0 ? 4 : family;
}

function configureMulticast(c: LibcSocket, fd: number, family: 4 | 6, options: UdpMulticastOptions): number {
  const group = options.group ?? null;
  const iface = options.interfaceAddress ?? null;
  const byIndex = options.interfaceIndex ?? 0;
  const hasInterface = iface !== null || byIndex !== 0;
  const ifaceText = iface !== null ? iface.host() : byIndex !== 0 ? `interface #${byIndex}` : 'any interface';
  const { view, address } = scratchMemory();
  const ipv4Level = family === 4;
  const ipv6Index = (): number => (byIndex !== 0 ? byIndex : iface === null ? 0 : interfaceIndexOf(iface));
  view.setBigUint64(0, 0n);
  view.setBigUint64(8, 0n);
  view.setBigUint64(16, 0n);
  if (group !== null) {
    if (ipv4Level) {
      // struct ip_mreqn { in_addr imr_multiaddr; in_addr imr_address; int imr_ifindex; }
      view.setUint32(0, group.ipv4(), false);
      view.setUint32(4, iface?.ipv4() ?? 0, false);
      view.setInt32(8, byIndex, true);
      if (c.setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, address, 12) !== 0) {
        throw errnoError(c, c.errno(), `IP_ADD_MEMBERSHIP on ${ifaceText}`, group);
      }
    } else {
      // struct ipv6_mreq { in6_addr ipv6mr_multiaddr; unsigned ipv6mr_interface; }
      group.copyIpv6HostTo(view, 0);
      view.setUint32(16, ipv6Index(), true);
      if (c.setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, address, 20) !== 0) {
        throw errnoError(c, c.errno(), `IPV6_JOIN_GROUP on ${ifaceText}`, group);
      }
    }
  }
  if (hasInterface) {
    if (ipv4Level) {
      // struct ip_mreqn { 0, imr_address, imr_ifindex }
      view.setUint32(0, 0, false);
      view.setUint32(4, iface?.ipv4() ?? 0, false);
      view.setInt32(8, byIndex, true);
      if (c.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, address, 12) !== 0) {
        throw errnoError(c, c.errno(), `IP_MULTICAST_IF ${ifaceText}`, iface);
      }
    } else {
      setIntOption(c, fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ipv6Index(), 'IPV6_MULTICAST_IF');
    }
  }
  if (options.multicastAll !== undefined) {
    const level = ipv4Level ? IPPROTO_IP : IPPROTO_IPV6;
    view.setInt32(32, options.multicastAll ? 1 : 0, true);
    const name = ipv4Level ? IP_MULTICAST_ALL : IPV6_MULTICAST_ALL;
    if (c.setsockopt(fd, level, name, address + 32, 4) !== 0) {
      const errno = c.errno();
      if (errno !== ENOPROTOOPT) throw errnoError(c, errno, `setsockopt MULTICAST_ALL=${options.multicastAll}`, null);
    }
  }
  if (options.loopback !== undefined) {
    const name = ipv4Level ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP;
    setIntOption(c, fd, ipv4Level ? IPPROTO_IP : IPPROTO_IPV6, name, options.loopback ? 1 : 0, 'MULTICAST_LOOP');
  }
  const ttl = options.ttl ?? 0;
  if (ttl === 0) return 0;
  const level = ipv4Level ? IPPROTO_IP : IPPROTO_IPV6;
  const name = ipv4Level ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS;
  setIntOption(c, fd, level, name, ttl, 'MULTICAST_TTL');
  return getIntOption(c, fd, level, name, 'MULTICAST_TTL');
}

/** The index of the interface holding `address` (its IPv6 scope id when it has one). */
function interfaceIndexOf(address: SocketAddress): number {
  const scope = address.scopeId();
  if (scope !== 0) return scope;
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    for (const info of infos ?? []) {
      const candidate = SocketAddress.of({
        host: info.address,
        port: 0,
        family: info.family === 'IPv6' ? 6 : 4,
      });
      if (candidate.sameHost(address)) {
        const index = libcSocket().ifNameToIndex(name);
        if (index !== 0) return index;
      }
    }
  }
  throw new SocketError('INVALID_ADDRESS', `no network interface has the address ${address.host()}`, {
    address: address.toString(),
  });
}

function setIntOption(c: LibcSocket, fd: number, level: number, name: number, value: number, label: string): void {
  const { view, address } = scratchMemory();
  view.setInt32(0, value, true);
  if (c.setsockopt(fd, level, name, address, 4) !== 0) {
    throw errnoError(c, c.errno(), `setsockopt ${label}=${value}`, null);
  }
}

function getIntOption(c: LibcSocket, fd: number, level: number, name: number, label: string): number {
  const { view, address } = scratchMemory();
  view.setInt32(0, 0, true);
  view.setUint32(4, 4, true);
  if (c.getsockopt(fd, level, name, address, address + 4) !== 0) {
    throw errnoError(c, c.errno(), `getsockopt ${label}`, null);
  }
  // IP_MULTICAST_TTL/LOOP may come back as one byte on some kernels.
  return view.getUint32(4, true) === 1 ? view.getUint8(0) : view.getInt32(0, true);
}

function errnoError(c: LibcSocket, errno: number, op: string, address: SocketAddress | null): SocketError {
  const where = address === null ? op : `${op} ${address}`;
  return new SocketError(openErrorCode(errno), `${c.strerror(errno)} (${errnoName(errno)}): ${where}`, {
    errno,
    address: address?.toString() ?? null,
  });
}

function ioError(
  c: LibcSocket,
  errno: number,
  code: 'SEND_FAILED' | 'RECEIVE_FAILED',
  what: string,
  address: SocketAddress | null,
): SocketError {
  return new SocketError(code, `${what}, cause: ${c.strerror(errno)} (${errnoName(errno)})`, {
    errno,
    address: address?.toString() ?? null,
  });
}

function batchError(batch: DatagramBatch, count: number): InvalidArgumentError {
  return new InvalidArgumentError(`count ${count} outside batch of ${batch.capacity}`);
}

function closedError(): SocketError {
  return new SocketError('CLOSED', 'UDP socket used after close()');
}

function rangeError(buffer: AtomicBuffer, offset: number, length: number): InvalidArgumentError {
  return new InvalidArgumentError(`range [${offset}, ${offset + length}) outside buffer of ${buffer.capacity} bytes`);
}
