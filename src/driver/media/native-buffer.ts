/**
 * Native memory for the UDP media layer: `allocateDirectBuffer` (page-aligned memory outside the JS heap, for
 * receive buffers and scratch frames) and `nativeAddress` (where an `AtomicBuffer`'s index 0 sits in memory, so
 * `sendto`/`recvfrom` read and write it in place, with no copy).
 *
 * ```
 *  AtomicBuffer ── arrayBuffer ──► backing store at address A (looked up once per ArrayBuffer, then cached)
 *                  byteOffset  ──► index 0 at A + byteOffset
 * ```
 *
 * An `ArrayBuffer`'s backing store never moves in V8 (it lives outside the collected heap; only the small
 * on-heap elements of a typed array created on its own move, and an `ArrayBuffer` is never such a thing), so its
 * address, asked of libc once (`memmove(buf, buf, 0)` returns `buf`), stays valid for the buffer's life. Every
 * kind of `ArrayBuffer` an `AtomicBuffer` holds works: a mapped file's (log buffers, `raw-log.ts`), one from
 * `allocateDirectBuffer`, a plain heap `new ArrayBuffer(n)`, or a `SharedArrayBuffer`. The cache is a `WeakMap`
 * keyed by the buffer: a lookup allocates nothing.
 *
 * `allocateDirectBuffer` maps anonymous memory (so page-aligned and zero-filled) and unmaps it when its
 * `ArrayBuffer` is garbage collected, when no view over it can exist any more (as `MappedFile` does). Never
 * `transfer()` such a buffer (see `mapped-file.ts`: the finalizer would unmap memory the new buffer still uses).
 */
import koffi from 'koffi';
import { InvalidArgumentError } from '../../../codecs/runtime/aeron-error.ts';
import { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import { libcSocket } from './libc-socket.ts';
import { SocketError } from './socket-error.ts';

const PAGE_SIZE = 4096;

const addresses = new WeakMap<ArrayBufferLike, number>();

interface MappingToken {
  readonly address: number;
  readonly length: number;
}

const unmapWhenCollected = new FinalizationRegistry<MappingToken>((token) => {
  libcSocket().munmap(token.address, token.length);
});

/**
 * The native address of an `ArrayBuffer`'s (or a `SharedArrayBuffer`'s) first byte; asked of libc on the first
 * call per buffer, then a `WeakMap` lookup (no allocation).
 */
export function arrayBufferAddress(arrayBuffer: ArrayBufferLike): number {
  let address = addresses.get(arrayBuffer);
  if (address === undefined) {
    address = libcSocket().addressOf(arrayBuffer);
    addresses.set(arrayBuffer, address);
  }
  return address;
}

/** The native address of `buffer`'s index 0 (`arrayBufferAddress(buffer.arrayBuffer) + buffer.byteOffset`). */
export function nativeAddress(buffer: AtomicBuffer): number {
  return arrayBufferAddress(buffer.arrayBuffer) + buffer.byteOffset;
}

/**
 * `length` bytes of zero-filled, page-aligned native memory as an `AtomicBuffer` (index 0 on a page boundary),
 * freed when its `ArrayBuffer` is garbage collected. For receive buffers and scratch frames handed to
 * `UdpSocket.sendTo`/`receive`. Control path (one `mmap`).
 *
 * @throws InvalidArgumentError when `length` is not a positive safe integer.
 * @throws SocketError `NO_MEMORY` when the mapping fails.
 */
export function allocateDirectBuffer(length: number): AtomicBuffer {
  if (!Number.isSafeInteger(length) || length <= 0) {
    throw new InvalidArgumentError(`cannot allocate a direct buffer of ${length} bytes`);
  }
  const c = libcSocket();
  const mappedLength = Math.ceil(length / PAGE_SIZE) * PAGE_SIZE;
  const address = c.mmapAnonymous(mappedLength);
  if (address === -1 || address === 0) {
    const errno = c.errno();
    throw new SocketError('NO_MEMORY', `mmap of ${mappedLength} bytes failed: ${c.strerror(errno)}`, { errno });
  }
  const arrayBuffer = koffi.view(address, length);
  addresses.set(arrayBuffer, address);
  unmapWhenCollected.register(arrayBuffer, { address, length: mappedLength });
  return new AtomicBuffer(arrayBuffer, 0, length);
}
