/**
 * Inserts a DATA or PAD frame received from the network into the term of an image's log (Java 1.51.0:
 * `io.aeron.logbuffer.TermRebuilder.insert`), so subscribers reading the term see either nothing or the whole
 * frame.
 *
 * ```
 *  packet (the datagram, frame at offset 0)          term buffer at termOffset
 *  +0   frame length ─────────────────────────────┐  +0   frame length     written LAST, release store
 *  +4   version | flags | type                    │  +4   version | flags | type
 *  +8   term offset                               │  +8   term offset
 *  +12  session id                                │  +12  session id
 *  +16  stream id                                 │  +16  stream id
 *  +20  term id                                   │  +20  term id
 *  +24  reserved value (8 bytes)                  │  +24  reserved value
 *  +32  payload (length - 32 bytes) ──────────────┘  +32  payload, copied FIRST
 * ```
 *
 * The frame is written only if the slot is still empty (frame length word 0): a duplicate or a retransmit of
 * data already rebuilt changes nothing. Java copies the header as four longs and releases the first; here the
 * seven int32 words after the length are plain stores and the length word is the release store that
 * publishes the frame (readers acquire-load it: `term-scanner`, `term-gap-scanner`, the client's readers).
 * Allocation-free: the payload moves through `putBytes` (word views cached per array).
 */
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import type { LogBufferMemory, ReadableBuffer } from './log-buffer-memory.ts';

/** A received datagram: readable words and its bytes (index 0 = the frame's first byte). `AtomicBuffer` fits. */
export interface PacketBuffer extends ReadableBuffer {
  /** The datagram's bytes; `bytes[0]` is the frame's first byte. */
  readonly bytes: Uint8Array;
}

/**
 * Writes the `length`-byte frame at offset 0 of `packet` into `termBuffer` at `termOffset` unless a frame is
 * already there. Java: `TermRebuilder.insert`.
 *
 * @param termBuffer the image's term for the frame's term id.
 * @param termOffset the frame's term offset (from its header).
 * @param packet the received datagram holding the frame at offset 0.
 * @param length the frame length (the datagram length; ≥ 32).
 */
export function insert(termBuffer: LogBufferMemory, termOffset: number, packet: PacketBuffer, length: number): void {
  if (termBuffer.getInt32(termOffset) !== 0) return;
  termBuffer.putBytes(termOffset + HEADER_LENGTH, packet.bytes, HEADER_LENGTH, length - HEADER_LENGTH);
  for (let word = HEADER_LENGTH - 4; word >= 4; word -= 4) {
    termBuffer.putInt32(termOffset + word, packet.getInt32(word));
  }
  termBuffer.putInt32Ordered(termOffset, packet.getInt32(0));
}
