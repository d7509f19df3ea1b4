/**
 * Inserts a received data frame into a term at its offset unless something is already there
 * (1.51.0 `TermRebuilder.insert`): copy payload and header bytes 4..31, then release-store the frame
 * length so readers see a complete frame. For a receiver/driver side; `packet[packetOffset..]` holds
 * the frame as received (header + payload, `length` bytes).
 */
import { HEADER_LENGTH, VERSION_FIELD_OFFSET } from './data-header-flyweight.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/**
 * Inserts the frame `packet[packetOffset, packetOffset + length)` at `termOffset` unless a frame is already there.
 * Java: `TermRebuilder.insert`.
 */
export function insertFrame(
  termBuffer: LogBufferMemory,
  termOffset: number,
  packet: Uint8Array,
  packetOffset: number,
  length: number,
): void {
  if (termBuffer.getInt32(termOffset) !== 0) return;
  if (length > HEADER_LENGTH) {
    termBuffer.putBytes(termOffset + HEADER_LENGTH, packet, packetOffset + HEADER_LENGTH, length - HEADER_LENGTH);
  }
  termBuffer.putBytes(
    termOffset + VERSION_FIELD_OFFSET,
    packet,
    packetOffset + VERSION_FIELD_OFFSET,
    HEADER_LENGTH - 4,
  );
  const frameLength =
    packet[packetOffset]! |
    (packet[packetOffset + 1]! << 8) |
    (packet[packetOffset + 2]! << 16) |
    (packet[packetOffset + 3]! << 24) |
    0;
  termBuffer.putInt32Ordered(termOffset, frameLength);
}
