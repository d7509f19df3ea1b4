/**
 * The libc functions behind the driver's UDP media layer, bound through `koffi` 3.3.4: BSD sockets (`socket`,
 * `bind`, `connect`, `setsockopt`/`getsockopt`, `getsockname`, `sendmsg`/`recvmsg`, `sendmmsg`/`recvmmsg`,
 * `close`; `send`/`sendto`/`recvfrom` for comparison only), `if_nametoindex`, and the anonymous `mmap`/`munmap` behind `allocateDirectBuffer`.
 *
 * koffi is loaded in two modules of the library: `src/transport/mapped-file.ts` (mapped files) and this one
 * (sockets and native memory of the driver's media layer; `native-buffer.ts`, `socket-address.ts` and
 * `udp-socket.ts` call through it).
 *
 * ## Calling convention
 *
 * Control-path pointer parameters are declared `intptr_t` and passed as JS numbers (a user-space address is
 * below 2^47, so exact). On the data path that is not good enough: a number above 2^31 passed to a native
 * function is boxed in a fresh heap number per call (V8 has no other way to hand a double to C++), so `sendto`
 * and `recvfrom` with buffer addresses allocate per datagram (measured: 13 bytes per send+receive). The data
 * path therefore uses `sendmsg`/`recvmsg` (and `sendmmsg`/`recvmmsg`) whose only pointer is a `Uint8Array` over
 * native message headers (`message-header.ts`; koffi passes a typed array's data pointer without allocating):
 * addresses go into native memory, the arguments are small integers. A result that fits 32 bits (`ssize_t`
 * byte counts, `-1`) comes back as a small integer. `errno()` must be read straight after the failing call
 * (anything in between, even Node's own I/O, may overwrite it).
 *
 * Constants are Linux's (x86-64 and arm64 share them; package.json `os` is linux only):
 *
 * ```
 *  AF_INET 2  AF_INET6 10  SOCK_DGRAM 2 | SOCK_NONBLOCK 0x800 | SOCK_CLOEXEC 0x80000
 *  SOL_SOCKET 1: SO_REUSEADDR 2  SO_SNDBUF 7  SO_RCVBUF 8  SO_REUSEPORT 15
 *  IPPROTO_IP 0: IP_MULTICAST_IF 32  IP_MULTICAST_TTL 33  IP_MULTICAST_LOOP 34  IP_ADD_MEMBERSHIP 35
 *                IP_MULTICAST_ALL 49
 *  IPPROTO_IPV6 41: IPV6_MULTICAST_IF 17  IPV6_MULTICAST_HOPS 18  IPV6_MULTICAST_LOOP 19  IPV6_JOIN_GROUP 20
 *                   IPV6_MULTICAST_ALL 29
 * ```
 */
import koffi from 'koffi';

/** `AF_INET`. */
export const AF_INET = 2;
/** `AF_INET6`. */
export const AF_INET6 = 10;
/** `SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC`: a non-blocking datagram socket closed on exec. */
export const SOCK_DGRAM_NONBLOCK = 2 | 0x800 | 0x80000;
/** `SOL_SOCKET`. */
export const SOL_SOCKET = 1;
/** `SO_REUSEADDR`. */
export const SO_REUSEADDR = 2;
/** `SO_REUSEPORT`. */
export const SO_REUSEPORT = 15;
/** `SO_SNDBUF`. */
export const SO_SNDBUF = 7;
/** `SO_RCVBUF`. */
export const SO_RCVBUF = 8;
/** `IPPROTO_IP`. */
export const IPPROTO_IP = 0;
/** `IPPROTO_IPV6`. */
export const IPPROTO_IPV6 = 41;
/** `IP_MULTICAST_IF` (value: `struct ip_mreqn`: the interface's address and/or index). */
export const IP_MULTICAST_IF = 32;
/** `IP_MULTICAST_TTL` (value: int). */
export const IP_MULTICAST_TTL = 33;
/** `IP_MULTICAST_LOOP` (value: int). */
export const IP_MULTICAST_LOOP = 34;
/** `IP_ADD_MEMBERSHIP` (value: `struct ip_mreqn { in_addr group; in_addr address; int ifindex; }`). */
export const IP_ADD_MEMBERSHIP = 35;
/** `IP_MULTICAST_ALL` (value: int; 0: receive only the groups this socket joined). */
export const IP_MULTICAST_ALL = 49;
/** `IPV6_MULTICAST_ALL` (value: int). */
export const IPV6_MULTICAST_ALL = 29;
/** `ENOPROTOOPT`: a socket option this kernel does not know. */
export const ENOPROTOOPT = 92;
/** `IPV6_MULTICAST_IF` (value: int interface index). */
export const IPV6_MULTICAST_IF = 17;
/** `IPV6_MULTICAST_HOPS` (value: int). */
export const IPV6_MULTICAST_HOPS = 18;
/** `IPV6_MULTICAST_LOOP` (value: int). */
export const IPV6_MULTICAST_LOOP = 19;
/** `IPV6_JOIN_GROUP` (value: `struct ipv6_mreq { in6_addr group; unsigned ifindex; }`). */
export const IPV6_JOIN_GROUP = 20;

/** `EAGAIN` (= `EWOULDBLOCK`): nothing to receive, or no room to send, on a non-blocking socket. */
export const EAGAIN = 11;
/** `EINTR`. */
export const EINTR = 4;
/** `ENOBUFS`: the interface's queue is full (a send that would block). */
export const ENOBUFS = 105;
/** `ECONNREFUSED`: an ICMP port unreachable reported on a connected socket (Java's `PortUnreachableException`). */
export const ECONNREFUSED = 111;

/** `sizeof(struct mmsghdr)` on LP64 (a 56-byte `struct msghdr` and `msg_len`, padded); layout in `message-header.ts`. */
export const MMSGHDR_LENGTH = 64;
/** `struct iovec { void *iov_base; size_t iov_len; }`: 16 bytes on LP64. */
export const IOVEC_LENGTH = 16;

/** The bound functions (see the module comment for the calling convention). */
export interface LibcSocket {
  /** `int socket(int domain, int type, int protocol)`. */
  readonly socket: (domain: number, type: number, protocol: number) => number;
  /** `int bind(int fd, const struct sockaddr *addr, socklen_t len)`. */
  readonly bind: (fd: number, addr: number, len: number) => number;
  /** `int connect(int fd, const struct sockaddr *addr, socklen_t len)`. */
  readonly connect: (fd: number, addr: number, len: number) => number;
  /** `int setsockopt(int fd, int level, int name, const void *value, socklen_t len)`. */
  readonly setsockopt: (fd: number, level: number, name: number, value: number, len: number) => number;
  /** `int getsockopt(int fd, int level, int name, void *value, socklen_t *len)`. */
  readonly getsockopt: (fd: number, level: number, name: number, value: number, lenPtr: number) => number;
  /** `int getsockname(int fd, struct sockaddr *addr, socklen_t *len)`. */
  readonly getsockname: (fd: number, addr: number, lenPtr: number) => number;
  /** `ssize_t send(int fd, const void *buf, size_t len, int flags)`; allocates per call (module comment). */
  readonly send: (fd: number, buf: number, len: number, flags: number) => number;
  /** `ssize_t sendto(int fd, const void *buf, size_t len, int flags, const sockaddr *to, socklen_t tolen)`; allocates. */
  readonly sendto: (fd: number, buf: number, len: number, flags: number, to: number, toLen: number) => number;
  /** `ssize_t recvfrom(int fd, void *buf, size_t len, int flags, sockaddr *from, socklen_t *fromLen)`; allocates. */
  readonly recvfrom: (fd: number, buf: number, len: number, flags: number, from: number, fromLenPtr: number) => number;
  /** `ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)`, the header in native memory. */
  readonly sendmsg: (fd: number, msg: Uint8Array, flags: number) => number;
  /** `ssize_t recvmsg(int fd, struct msghdr *msg, int flags)`, the header in native memory. */
  readonly recvmsg: (fd: number, msg: Uint8Array, flags: number) => number;
  /** `int sendmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags)`, the vector in native memory. */
  readonly sendmmsg: (fd: number, vec: Uint8Array, vlen: number, flags: number) => number;
  /** `int recvmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags, NULL)`, the vector in native memory. */
  readonly recvmmsg: (fd: number, vec: Uint8Array, vlen: number, flags: number) => number;
  /** `int close(int fd)`. */
  readonly close: (fd: number) => number;
  /** `unsigned if_nametoindex(const char *name)`: 0 when there is no such interface. */
  readonly ifNameToIndex: (name: string) => number;
  /** `char *strerror(int errnum)`, as a string. */
  readonly strerror: (errnum: number) => string;
  /** Anonymous private read-write `mmap` of `length` bytes: the address, or -1 (`MAP_FAILED`). */
  readonly mmapAnonymous: (length: number) => number;
  /** `int munmap(void *addr, size_t length)`. */
  readonly munmap: (addr: number, length: number) => number;
  /**
   * The address of an `ArrayBuffer`'s (or `SharedArrayBuffer`'s) memory: `memmove(buf, buf, 0)` returns its first
   * argument, and koffi passes a buffer's own memory, not a copy (a `SharedArrayBuffer` through a `Uint8Array`).
   */
  readonly addressOf: (buffer: ArrayBufferLike) => number;
  /** `errno` of the last call through koffi on this thread. */
  readonly errno: () => number;
}

const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_PRIVATE_ANONYMOUS = 0x2 | 0x20;

let bound: LibcSocket | undefined;

/** The bindings, loaded once per thread (a worker thread has its own module instance). */
export function libcSocket(): LibcSocket {
  if (bound !== undefined) return bound;
  const lib = koffi.load('libc.so.6');
  const mmap = lib.func('intptr_t mmap(intptr_t addr, size_t length, int prot, int flags, int fd, int64_t offset)');
  const memmove = lib.func('intptr_t memmove(void *dst, void *src, size_t n)');
  const ifNameToIndex = lib.func('uint32_t if_nametoindex(const char *name)');
  const recvmmsg = lib.func('int recvmmsg(int fd, void *vec, uint32_t vlen, int flags, intptr_t timeout)');
  bound = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, intptr_t addr, uint32_t len)'),
    connect: lib.func('int connect(int fd, intptr_t addr, uint32_t len)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, intptr_t value, uint32_t len)'),
    getsockopt: lib.func('int getsockopt(int fd, int level, int name, intptr_t value, intptr_t len)'),
    getsockname: lib.func('int getsockname(int fd, intptr_t addr, intptr_t len)'),
    send: lib.func('intptr_t send(int fd, intptr_t buf, size_t len, int flags)'),
    sendto: lib.func('intptr_t sendto(int fd, intptr_t buf, size_t len, int flags, intptr_t to, uint32_t tolen)'),
    recvfrom: lib.func('intptr_t recvfrom(int fd, intptr_t buf, size_t len, int flags, intptr_t from, intptr_t len)'),
    sendmsg: lib.func('intptr_t sendmsg(int fd, void *msg, int flags)'),
    recvmsg: lib.func('intptr_t recvmsg(int fd, void *msg, int flags)'),
    sendmmsg: lib.func('int sendmmsg(int fd, void *vec, uint32_t vlen, int flags)'),
    recvmmsg: (fd, vec, vlen, flags) => recvmmsg(fd, vec, vlen, flags, 0) as number,
    close: lib.func('int close(int fd)'),
    ifNameToIndex: (name) => ifNameToIndex(name) as number,
    strerror: lib.func('const char *strerror(int errnum)'),
    mmapAnonymous: (length) => mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0) as number,
    munmap: lib.func('int munmap(intptr_t addr, size_t length)'),
    addressOf: (buffer) => {
      const memory = buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer);
      return Number(memmove(memory, memory, 0));
    },
    errno: () => koffi.errno(),
  };
  return bound;
}
