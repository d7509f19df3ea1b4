/**
 * Shared pieces of the PersistentSubscription interop suites: a publisher of numbered, checksummed messages, a
 * receiver that checks every message arrives once and in order, and bounded waits.
 *
 * Message layout (little-endian), any length >= 12:
 * ```
 *   0  int32 sequence (0, 1, 2, … per publisher)
 *   4  length-8 bytes: (sequence * 31 + i) & 0xff for byte i
 *   L-4 int32 FNV-1a of bytes [0, L-4)
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';

/** Java's `ONE_KB_MESSAGE_SIZE`: 1 KiB frames. */
export const ONE_KB_MESSAGE_LENGTH = 1024 - 32;

/** The driver settings of Aeron's PersistentSubscriptionTest (64k terms, short liveness/linger timeouts). */
export const PS_DRIVER_PROPERTIES: Record<string, string> = {
  'aeron.term.buffer.length': '65536',
  'aeron.ipc.term.buffer.length': '65536',
  'aeron.term.buffer.sparse.file': 'true',
  'aeron.image.liveness.timeout': '2s',
  'aeron.timer.interval': '100ms',
  'aeron.untethered.window.limit.timeout': '1s',
  'aeron.untethered.linger.timeout': '1s',
  'aeron.publication.linger.timeout': '1s',
  'aeron.spies.simulate.connection': 'true',
};

function fnv1a(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i] ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function encodeMessage(sequence: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, sequence, true);
  for (let i = 4; i < length - 4; i++) bytes[i] = (sequence * 31 + i) & 0xff;
  view.setInt32(length - 4, fnv1a(bytes, length - 4), true);
  return bytes;
}

export class Publisher {
  published = 0;
  constructor(
    readonly publication: ExclusivePublication,
    private readonly messageLength = ONE_KB_MESSAGE_LENGTH,
  ) {}

  /** Offers `count` messages, retrying back pressure / not connected (30 s deadline per message). */
  async publish(count: number, length = this.messageLength): Promise<void> {
    for (let i = 0; i < count; i++) {
      const message = encodeMessage(this.published, length);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const result = this.publication.offer(message, 0, length);
        if (result > 0) break;
        if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
        if (Date.now() > deadline) throw new Error(`offer not accepted: ${result}`);
        await sleep(1);
      }
      this.published++;
    }
  }
}

/** Checks sequence (no gap, no duplicate), length and checksum of every message. */
export class Receiver {
  count = 0;
  readonly errors: string[] = [];
  readonly handler = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
    const sequence = buffer.getInt32(offset);
    const bytes = new Uint8Array(length);
    buffer.getBytes(offset, bytes, 0, length);
    const expected = fnv1a(bytes, length - 4);
    const actual = new DataView(bytes.buffer).getInt32(length - 4, true);
    if (this.errors.length < 10) {
      if (sequence !== this.count) this.errors.push(`expected ${this.count}, got ${sequence} (length ${length})`);
      else if (actual !== expected) this.errors.push(`checksum mismatch in message ${sequence} (length ${length})`);
    }
    this.count++;
  };
}

export async function pollUntil(
  what: string,
  poll: () => number,
  done: () => boolean,
  timeoutMs = 30_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (poll() === 0) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
      await sleep(1);
    }
  }
}

export async function awaitRecordingId(archive: AeronArchive, streamId: number, sessionId: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const id = await archive.findLastMatchingRecording(0, '', streamId, sessionId);
    if (id !== -1) return id;
    if (Date.now() > deadline) throw new Error(`no recording of session ${sessionId}`);
    await sleep(20);
  }
}

export { awaitRecorded } from './support/archive-interop.ts';
