/**
 * `MessageHeaders`: a vector of native `struct mmsghdr`, each with its one `struct iovec`, in page-aligned
 * memory: what `sendmsg`/`recvmsg` (entry 0) and `sendmmsg`/`recvmmsg` (entries 0..n-1) take.
 *
 * Why not `sendto(fd, buf, len, flags, addr, addrlen)`: an address is a number above 2^31, so passing it as an
 * argument to a native function boxes it in a fresh heap number on every call (measured: 13 bytes allocated per
 * send+receive through `sendto`/`recvfrom`, none through `sendmsg`/`recvmsg`). Here every address is written
 * into native memory as two 32-bit halves instead, and the call takes only small integers and this block's
 * `Uint8Array` (koffi passes its data pointer): nothing allocates.
 *
 * ```
 *  entry i at i * 64 (struct mmsghdr, LP64):
 *   0  msg_name (sockaddr *)     8  msg_namelen   16  msg_iov (-> the iovec below)   24  msg_iovlen = 1
 *  32  msg_control = 0          40  msg_controllen = 0                48  msg_flags (MSG_TRUNC on receive)
 *  56  msg_len (bytes, filled by sendmmsg/recvmmsg)
 *  iovec i at capacity * 64 + i * 16:   0  iov_base    8  iov_len
 * ```
 */
import { IOVEC_LENGTH, MMSGHDR_LENGTH } from './libc-socket.ts';
import { allocateDirectBuffer, nativeAddress } from './native-buffer.ts';

const MSG_NAME_OFFSET = 0;
const MSG_NAMELEN_OFFSET = 8;
const MSG_IOV_OFFSET = 16;
const MSG_IOVLEN_OFFSET = 24;
const MSG_FLAGS_OFFSET = 48;
const MSG_LEN_OFFSET = 56;
const IOV_BASE_OFFSET = 0;
const IOV_LEN_OFFSET = 8;
const TWO_POW_32 = 4294967296;
/** `MSG_TRUNC` in `msg_flags`: the datagram was longer than the buffer. */
const MSG_TRUNC = 0x20;

/** A vector of `capacity` native message headers; see the module comment. */
export class MessageHeaders {
  /** Number of entries. */
  readonly capacity: number;
  /** The native memory (pass it to `sendmsg`/`recvmsg`/`sendmmsg`/`recvmmsg` as the `msghdr *`). */
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  readonly #iovecOffset: number;

  /** @param capacity number of entries (1 for `sendmsg`/`recvmsg`). */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#iovecOffset = capacity * MMSGHDR_LENGTH;
    const buffer = allocateDirectBuffer(this.#iovecOffset + capacity * IOVEC_LENGTH);
    this.bytes = buffer.bytes;
    this.#view = new DataView(buffer.arrayBuffer, buffer.byteOffset, buffer.capacity);
    const base = nativeAddress(buffer);
    for (let i = 0; i < capacity; i++) {
      const entry = i * MMSGHDR_LENGTH;
      this.#put64(entry + MSG_IOV_OFFSET, base + this.#iovecOffset + i * IOVEC_LENGTH);
      this.#view.setUint32(entry + MSG_IOVLEN_OFFSET, 1, true);
    }
  }

  /** Sets entry `index`'s peer address (`msg_name`, `msg_namelen`); address 0 and length 0 for none. */
  setName(index: number, address: number, length: number): void {
    const entry = index * MMSGHDR_LENGTH;
    this.#put64(entry + MSG_NAME_OFFSET, address);
    this.#view.setUint32(entry + MSG_NAMELEN_OFFSET, length, true);
  }

  /** Sets entry `index`'s data (`iov_base`, `iov_len`) and clears its `msg_flags`. */
  setData(index: number, address: number, length: number): void {
    const iovec = this.#iovecOffset + index * IOVEC_LENGTH;
    this.#put64(iovec + IOV_BASE_OFFSET, address);
    this.#put64(iovec + IOV_LEN_OFFSET, length);
    this.#view.setInt32(index * MMSGHDR_LENGTH + MSG_FLAGS_OFFSET, 0, true);
  }

  /** Clears entry `index`'s `msg_flags` (the kernel sets `MSG_TRUNC` there on a receive). */
  clearFlags(index: number): void {
    this.#view.setInt32(index * MMSGHDR_LENGTH + MSG_FLAGS_OFFSET, 0, true);
  }

  /** `msg_len` of entry `index`: bytes sent or received by `sendmmsg`/`recvmmsg`. */
  messageLength(index: number): number {
    return this.#view.getUint32(index * MMSGHDR_LENGTH + MSG_LEN_OFFSET, true);
  }

  /** Whether the kernel truncated entry `index`'s received datagram (`MSG_TRUNC`). */
  isTruncated(index: number): boolean {
    return (this.#view.getInt32(index * MMSGHDR_LENGTH + MSG_FLAGS_OFFSET, true) & MSG_TRUNC) !== 0;
  }

  #put64(offset: number, value: number): void {
    const low = value >>> 0;
    this.#view.setUint32(offset, low, true);
    this.#view.setUint32(offset + 4, (value - low) / TWO_POW_32, true);
  }
}
