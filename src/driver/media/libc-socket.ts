/**
 * The libc functions behind the driver's UDP media layer, bound through `koffi` 3.3.4: BSD sockets (`socket`,
 * `bind`, `connect`, `setsockopt`/`getsockopt`, `getsockname`, `sendto`/`recvfrom`, `sendmmsg`/`recvmmsg`,
 * `close`), `if_nametoindex`, and the anonymous `mmap`/`munmap` behind `allocateDirectBuffer`.
 *
 * koffi is loaded in two modules of the library: `src/transport/mapped-file.ts` (mapped files) and this one
 * (sockets and native memory of the driver's media layer; `native-buffer.ts`, `socket-address.ts` and
 * `udp-socket.ts` call through it).
 *
 * ## Calling convention
 *
 * Every pointer parameter is declared `intptr_t` and passed as a JS number (a user-space address is below
 * 2^47, so exact), and every length as a number: a call allocates nothing on the JS heap, and a result that
 * fits 32 bits (`ssize_t` byte counts, `-1`) comes back as a small integer. `errno()` must be read straight
 * after the failing call (anything in between, even Node's own I/O, may overwrite it).
 *
 * Constants are Linux's (x86-64 and arm64 share them; package.json `os` is linux only):
 *
 * ```
 *  AF_INET 2  AF_INET6 10  SOCK_DGRAM 2 | SOCK_NONBLOCK 0x800 | SOCK_CLOEXEC 0x80000
 *  SOL_SOCKET 1: SO_REUSEADDR 2  SO_SNDBUF 7  SO_RCVBUF 8
 *  IPPROTO_IP 0: IP_MULTICAST_IF 32  IP_MULTICAST_TTL 33  IP_MULTICAST_LOOP 34  IP_ADD_MEMBERSHIP 35
 *  IPPROTO_IPV6 41: IPV6_MULTICAST_IF 17  IPV6_MULTICAST_HOPS 18  IPV6_MULTICAST_LOOP 19  IPV6_JOIN_GROUP 20
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
/** `SO_SNDBUF`. */
export const SO_SNDBUF = 7;
/** `SO_RCVBUF`. */
export const SO_RCVBUF = 8;
/** `IPPROTO_IP`. */
export const IPPROTO_IP = 0;
/** `IPPROTO_IPV6`. */
export const IPPROTO_IPV6 = 41;
/** `IP_MULTICAST_IF` (value: `struct in_addr`, the interface's address). */
export const IP_MULTICAST_IF = 32;
/** `IP_MULTICAST_TTL` (value: int). */
export const IP_MULTICAST_TTL = 33;
/** `IP_MULTICAST_LOOP` (value: int). */
export const IP_MULTICAST_LOOP = 34;
/** `IP_ADD_MEMBERSHIP` (value: `struct ip_mreq { in_addr group; in_addr interface; }`). */
export const IP_ADD_MEMBERSHIP = 35;
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

/**
 * `struct mmsghdr` (64 bytes on LP64) as `sendmmsg`/`recvmmsg` take it:
 *
 * ```
 *   0  void *msg_name        8  socklen_t msg_namelen   16  struct iovec *msg_iov   24  size_t msg_iovlen
 *  32  void *msg_control    40  size_t msg_controllen   48  int msg_flags            56  unsigned msg_len
 * ```
 */
export const MMSGHDR_LENGTH = 64;
/** Offset of `msg_name` in `struct mmsghdr`. */
export const MMSGHDR_NAME_OFFSET = 0;
/** Offset of `msg_namelen`. */
export const MMSGHDR_NAMELEN_OFFSET = 8;
/** Offset of `msg_iov`. */
export const MMSGHDR_IOV_OFFSET = 16;
/** Offset of `msg_iovlen`. */
export const MMSGHDR_IOVLEN_OFFSET = 24;
/** Offset of `msg_len` (bytes sent or received, filled by the kernel). */
export const MMSGHDR_LEN_OFFSET = 56;
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
  /** `ssize_t send(int fd, const void *buf, size_t len, int flags)`. */
  readonly send: (fd: number, buf: number, len: number, flags: number) => number;
  /** `ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)`. */
  readonly sendto: (fd: number, buf: number, len: number, flags: number, to: number, toLen: number) => number;
  /** `ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromLen)`. */
  readonly recvfrom: (fd: number, buf: number, len: number, flags: number, from: number, fromLenPtr: number) => number;
  /** `int sendmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags)`. */
  readonly sendmmsg: (fd: number, vec: number, vlen: number, flags: number) => number;
  /** `int recvmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags, struct timespec *timeout)`. */
  readonly recvmmsg: (fd: number, vec: number, vlen: number, flags: number, timeout: number) => number;
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
  /** The address of an `ArrayBuffer`'s memory (`memmove(buf, buf, 0)` returns its first argument). */
  readonly addressOf: (buffer: ArrayBuffer) => number;
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
    sendmmsg: lib.func('int sendmmsg(int fd, intptr_t vec, uint32_t vlen, int flags)'),
    recvmmsg: lib.func('int recvmmsg(int fd, intptr_t vec, uint32_t vlen, int flags, intptr_t timeout)'),
    close: lib.func('int close(int fd)'),
    ifNameToIndex: (name) => ifNameToIndex(name) as number,
    strerror: lib.func('const char *strerror(int errnum)'),
    mmapAnonymous: (length) => mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0) as number,
    munmap: lib.func('int munmap(intptr_t addr, size_t length)'),
    addressOf: (buffer) => Number(memmove(buffer, buffer, 0)),
    errno: () => koffi.errno(),
  };
  return bound;
}
