/**
 * A raw UDP peer for driver fault tests: a `node:dgram` socket on 127.0.0.1 that sends hand-made frames to a
 * driver's port and keeps every datagram it receives, so a test can play a hostile or silent remote end (malformed
 * frames, frames for unknown sessions, a receiver that never answers SETUP) and read what the driver sends back.
 *
 * ```
 *  RawUdpPeer 127.0.0.1:<own port> --sendTo(bytes, port)--> driver endpoint 127.0.0.1:<port>
 *                                   <--SETUP / SM / NAK----  (kept in `received`, decoded by `frameType` etc.)
 * ```
 *
 * Decoding uses the driver's own frame constants (`src/driver/protocol`); test frames are built with
 * `writeDataFrame` (test/driver/receiver/support.ts) or by hand for malformed cases.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { HDR_TYPE_SETUP, HDR_TYPE_SM } from '../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { awaitCondition } from '../support/wait.ts';

/** Offset of the frame type (uint16) in every Aeron frame header. */
const TYPE_OFFSET = 6;
/** Offset of the flags byte in every Aeron frame header. */
const FLAGS_OFFSET = 5;

/** A datagram the peer received. */
export interface RawDatagram {
  readonly bytes: Uint8Array;
  readonly fromPort: number;
}

/** A bound loopback UDP socket that records what it receives. */
export class RawUdpPeer implements AsyncDisposable {
  readonly received: RawDatagram[] = [];
  readonly #socket: Socket;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (message, info) => {
      this.received.push({ bytes: new Uint8Array(message), fromPort: info.port });
    });
  }

  /** Binds a peer on 127.0.0.1:`port` (0: any free port). Rejects with the bind error (e.g. EADDRINUSE). */
  static async bind(port = 0): Promise<RawUdpPeer> {
    const socket = createSocket('udp4');
    const failed = once(socket, 'error');
    const bound = new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    const outcome = await Promise.race([bound.then(() => null), failed.then(([e]) => e as Error)]);
    if (outcome !== null) {
      socket.close();
      throw outcome;
    }
    return new RawUdpPeer(socket);
  }

  /** The port it is bound to. */
  get port(): number {
    return this.#socket.address().port;
  }

  /** Sends `bytes` as one datagram to 127.0.0.1:`port`. */
  async sendTo(bytes: Uint8Array, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.#socket.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  }

  /** Waits (deadline `timeoutMs`) until `count` received datagrams match; returns them. */
  async awaitFrames(
    what: string,
    match: (frame: AtomicBuffer, length: number) => boolean,
    count = 1,
    timeoutMs = 20_000,
  ): Promise<AtomicBuffer[]> {
    const matching = (): AtomicBuffer[] =>
      this.received.map((d) => asAtomicBuffer(d.bytes)).filter((b) => match(b, b.capacity));
    await awaitCondition(what, () => matching().length >= count, timeoutMs, {
      detail: () => `${this.received.length} datagrams received`,
    });
    return matching();
  }

  /** Closes the socket (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A copy of `bytes` in an `AtomicBuffer` (for the driver's flyweights). */
export function asAtomicBuffer(bytes: Uint8Array): AtomicBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new AtomicBuffer(copy);
}

/** The bytes of `length` bytes at the start of `buffer`'s backing array (an `AtomicBuffer` over an `ArrayBuffer`). */
export function bytesOf(buffer: AtomicBuffer, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  buffer.getBytes(0, bytes, 0, length);
  return bytes;
}

/** The frame type of a received frame (0 when shorter than a header's type field). */
export function frameType(frame: AtomicBuffer): number {
  return frame.capacity >= TYPE_OFFSET + 2 ? frame.getUint16(TYPE_OFFSET) : 0;
}

/** The flags byte of a received frame. */
export function frameFlags(frame: AtomicBuffer): number {
  return frame.getUint8(FLAGS_OFFSET);
}

/** Whether a frame is a SETUP. */
export const isSetup = (frame: AtomicBuffer): boolean => frameType(frame) === HDR_TYPE_SETUP;

/** Whether a frame is a STATUS MESSAGE. */
export const isStatusMessage = (frame: AtomicBuffer): boolean => frameType(frame) === HDR_TYPE_SM;
