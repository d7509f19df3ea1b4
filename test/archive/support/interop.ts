/** Shared pieces of the archive interop suites (real ArchivingMediaDriver from the pinned jar). */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { interopGate } from '../../../harness/aeron-jars.ts';
import type { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import type { RecordingSignalEvent } from '../../../src/archive/recording-signal.ts';
import type { Publication } from '../../../src/client/publication.ts';
import type { Subscription } from '../../../src/client/subscription.ts';
import type { Header } from '../../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../../src/logbuffer/log-buffer-memory.ts';

const gate = interopGate(['aeron']);

/** `describe` that runs with Java and the jar, skips locally without, and fails in CI without. */
export function describeInterop(name: string, body: () => void): void {
  if (gate.mode === 'fail') {
    describe(name, () => {
      it('has Java and the pinned Aeron jar', () => {
        throw new Error(gate.missing);
      });
    });
  } else {
    describe.skipIf(gate.mode === 'skip')(name, body);
  }
}

/** Waits (1 ms steps) until `condition()` is true; throws `what` after `timeoutMs` (generous by default). */
export async function awaitCondition(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(1);
  }
}

/** Offers one message, retrying on back pressure / not connected until `timeoutMs`; returns the new position. */
export async function offerAll(
  publication: Publication,
  buffer: Uint8Array,
  offset = 0,
  length = buffer.length - offset,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = publication.offer(buffer, offset, length);
    if (result > 0) return result;
    if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
    if (Date.now() > deadline) throw new Error(`offer timed out: ${result}`);
    await sleep(0);
  }
}

/** Copies of every fragment payload received until `count` arrived (or `timeoutMs`). */
export async function receive(subscription: Subscription, count: number, timeoutMs = 30_000): Promise<Uint8Array[]> {
  const messages: Uint8Array[] = [];
  const handler = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
    const copy = new Uint8Array(length);
    buffer.getBytes(offset, copy, 0, length);
    messages.push(copy);
  };
  await pollUntil(subscription, handler, () => messages.length >= count, `${count} messages`, timeoutMs);
  return messages;
}

/** Polls `subscription` with `handler` until `done()`; throws after `timeoutMs`. */
export async function pollUntil(
  subscription: Subscription,
  handler: (buffer: ReadableBuffer, offset: number, length: number, header: Header) => void,
  done: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (subscription.poll(handler, 100) === 0) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(1);
    }
  }
}

/** Waits for `signal` about `recordingId` among `signals[from..]` (a log the archive client appends to). */
export async function awaitSignal(
  signals: readonly RecordingSignalEvent[],
  signal: number,
  recordingId: number,
  from = 0,
): Promise<RecordingSignalEvent> {
  let found: RecordingSignalEvent | undefined;
  await awaitCondition(() => {
    found = signals.slice(from).find((s) => s.signal === signal && s.recordingId === recordingId);
    return found !== undefined;
  }, `signal ${signal} for recording ${recordingId}`);
  return found as RecordingSignalEvent;
}

/**
 * Waits until `archive` reports `recordingId` recorded to at least `position`: its recording position, or
 * its stop position once it has stopped (`AeronArchive.awaitRecordingPosition`).
 */
export async function awaitRecorded(
  archive: AeronArchive,
  recordingId: number,
  position: number,
  timeoutMs = 30_000,
): Promise<void> {
  await archive.awaitRecordingPosition(recordingId, position, { timeoutMs });
}

/** Offers `count` messages of `length` bytes, message `i` filled with `i & 0xff`; returns the last position. */
export async function publishFilled(publication: Publication, count: number, length: number): Promise<number> {
  const message = new Uint8Array(length);
  let position = 0;
  for (let i = 0; i < count; i++) {
    message.fill(i & 0xff);
    position = await offerAll(publication, message);
  }
  return position;
}
