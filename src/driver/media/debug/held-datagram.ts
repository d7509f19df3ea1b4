/**
 * `HeldDatagram`: one datagram an endpoint holds back on a `FRAME_FAULT_DELAY` decision and handles after the
 * next one, which reorders the two (aeron-ts test-only fault injection, see `frame-fault-generator.ts`).
 *
 * ```ts
 * const decision = faults.decide(address, buffer, offset, length);
 * if (decision === FRAME_FAULT_DELAY && held.hold(buffer, offset, length, address)) return length;
 * …handle (send or dispatch) the datagram, twice for FRAME_FAULT_DUPLICATE…
 * if (held.isHeld) { …handle held.buffer [0, held.length) from/to held.address()…; held.release(); }
 * ```
 *
 * The bytes are copied into native memory of the endpoint's MTU (so `UdpSocket.sendTo` takes them) and the
 * address into a reusable `SocketAddress`: holding allocates nothing (`AtomicBuffer.putBytes`: word copies when both
 * sides are 4-aligned, as datagrams in receive buffers are; one view otherwise).
 */
import type { AtomicBuffer } from '../../../transport/atomic-buffer.ts';
import { allocateDirectBuffer } from '../native-buffer.ts';
import { SocketAddress } from '../socket-address.ts';

/** One held datagram; see the module comment. */
export class HeldDatagram {
  /** The held bytes, at index 0 (native memory, `capacity` bytes). */
  readonly buffer: AtomicBuffer;
  readonly #address = new SocketAddress();
  #length = 0;
  #hasAddress = false;

  /** @param capacity the longest datagram it can hold (the endpoint's MTU or receive buffer length). */
  constructor(capacity: number) {
    this.buffer = allocateDirectBuffer(capacity);
  }

  /** True while a datagram is held. */
  get isHeld(): boolean {
    return this.#length > 0;
  }

  /** Length of the held datagram (0 when none). */
  get length(): number {
    return this.#length;
  }

  /** The held datagram's peer address, or null when it was held without one (a connected send). */
  address(): SocketAddress | null {
    return this.#hasAddress ? this.#address : null;
  }

  /**
   * Copies the datagram and its address in; false (nothing copied) when one is already held, it is empty or longer
   * than the capacity: the caller then handles it at once.
   */
  hold(buffer: AtomicBuffer, offset: number, length: number, address: SocketAddress | null): boolean {
    if (this.#length > 0 || length <= 0 || length > this.buffer.capacity) return false;
    this.buffer.putBytes(0, buffer, offset, length);
    this.#hasAddress = address !== null;
    if (address !== null) this.#address.copyFrom(address);
    this.#length = length;
    return true;
  }

  /** Forgets the held datagram (after the caller handled it). */
  release(): void {
    this.#length = 0;
    this.#hasAddress = false;
  }
}
