/**
 * `DatagramBatch`: up to `capacity` datagrams for one `sendmmsg` (`UdpSocket.sendBatch`) or `recvmmsg`
 * (`UdpSocket.receiveBatch`) system call: each entry is a window of an `AtomicBuffer` and a `SocketAddress`
 * (the destination when sending, filled with the source when receiving). Aeron's C driver does the same with
 * its io vectors (`aeron.sender.io.vector.capacity`, `aeron.receiver.io.vector.capacity`, default 4); the
 * measurement behind it is bench/README.md, "UDP sockets".
 *
 * ```
 *  batch.set(0, term, 0, 1408, to); batch.set(1, term, 1408, 1408, to)   ──► socket.sendBatch(batch, 2)
 *  batch.set(i, rcvBuf, i * 65536, 65536, from[i]) once                  ──► n = socket.receiveBatch(batch, 4)
 *                                                                            batch.length(0 .. n-1), from[i]
 * ```
 *
 * Setting an entry writes its addresses into native message headers (`message-header.ts`) and allocates
 * nothing; a receive batch keeps its entries across calls (the kernel only writes lengths and addresses).
 */

import { InvalidArgumentError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { MessageHeaders } from './message-header.ts';
import { arrayBufferAddress } from './native-buffer.ts';
import { SOCKADDR_IN6_LENGTH, type SocketAddress } from './socket-address.ts';

/** A batch of datagram entries; see the module comment. */
export class DatagramBatch {
  /** Number of entries. */
  readonly capacity: number;
  /** The native `struct mmsghdr` vector (for `UdpSocket`). */
  readonly headers: MessageHeaders;
  readonly #addresses: Array<SocketAddress | null>;

  /** @param capacity entries, 1..1024 (`UIO_MAXIOV`). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1024) {
      throw new InvalidArgumentError(`datagram batch capacity must be 1..1024: ${capacity}`);
    }
    this.capacity = capacity;
    this.headers = new MessageHeaders(capacity);
    this.#addresses = new Array<SocketAddress | null>(capacity).fill(null);
  }

  /**
   * Sets entry `index`: the datagram `buffer[offset, offset + length)` and its address (send: destination,
   * null for the connected peer; receive: where the source is written, required). Allocates nothing.
   *
   * @throws InvalidArgumentError for an index or a range outside bounds.
   */
  set(index: number, buffer: AtomicBuffer, offset: number, length: number, address: SocketAddress | null): void {
    if (index < 0 || index >= this.capacity) {
      throw new InvalidArgumentError(`index ${index} outside batch of ${this.capacity}`);
    }
    if (offset < 0 || length < 0 || offset + length > buffer.capacity) {
      throw new InvalidArgumentError(
        `range [${offset}, ${offset + length}) outside buffer of ${buffer.capacity} bytes`,
      );
    }
    const headers = this.headers;
    headers.setData(index, arrayBufferAddress(buffer.arrayBuffer) + buffer.byteOffset + offset, length);
    if (address === null) headers.setName(index, 0, 0);
    else headers.setName(index, address.nativeAddress, address.nativeLength);
    this.#addresses[index] = address;
  }

  /** The address of entry `index` (as last set). */
  address(index: number): SocketAddress | null {
    return this.#addresses[index] ?? null;
  }

  /** Bytes sent or received for entry `index` by the last batch call. */
  length(index: number): number {
    return this.headers.messageLength(index);
  }

  /** Whether entry `index`'s received datagram was longer than its window (and was cut). */
  isTruncated(index: number): boolean {
    return this.headers.isTruncated(index);
  }

  /**
   * Prepares entries `[0, count)` for a receive: each address's length slot set to a full `sockaddr_in6` and the
   * flags cleared (the kernel overwrote them on the last receive). Used by `UdpSocket.receiveBatch`.
   *
   * @throws InvalidArgumentError when an entry has no address.
   */
  prepareReceive(count: number): void {
    const headers = this.headers;
    for (let i = 0; i < count; i++) {
      const address = this.#addresses[i];
      if (address === null || address === undefined) {
        throw new InvalidArgumentError(`receive batch entry ${i} has no source address`);
      }
      headers.setName(i, address.nativeAddress, SOCKADDR_IN6_LENGTH);
      headers.clearFlags(i);
    }
  }
}
