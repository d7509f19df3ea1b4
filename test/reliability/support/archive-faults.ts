/**
 * Helpers for the archive reliability rows (A*): recording a numbered, checksummed message stream through the
 * real ArchivingMediaDriver, reading a replay back with sequence/checksum checks, and typed-failure capture.
 * Builds on `test/archive/support/archive-interop.ts` (connect, signals, offers, bounded waits).
 */
import { expect } from 'vitest';
import { SourceLocation } from '../../../codecs/generated/archive/SourceLocation.ts';
import type { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import { ArchiveError } from '../../../src/archive/archive-error.ts';
import type { Aeron } from '../../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../../src/client/exclusive-publication.ts';
import type { Subscription } from '../../../src/client/subscription.ts';
import { messagePayload, type SignalLog } from '../../archive/support/archive-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../../support/wait.ts';

/** FNV-1a over a payload: the checksum recorded per message. */
export function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

export interface RecordedStream {
  readonly recordingId: number;
  readonly subscriptionId: number;
  readonly startPosition: number;
  /** Position after the last acknowledged (offered and recorded) message. */
  readonly stopPosition: number;
  readonly checksums: number[];
}

/**
 * Starts a LOCAL recording of `channel`/`streamId`, offers `count` messages (`length` bytes, sequence in the
 * first 4 bytes), waits until the archive recorded them all, then stops the recording unless `keepRecording`
 * (then `publication` is the recorded one, to publish more of the same stream). `sourceLocation` REMOTE records
 * a UDP stream published from another driver.
 */
export async function recordStream(
  aeron: Aeron,
  archive: AeronArchive,
  signals: SignalLog,
  channel: string,
  streamId: number,
  count: number,
  length = 256,
  keepRecording = false,
  sourceLocation: SourceLocation = SourceLocation.LOCAL,
): Promise<RecordedStream & { readonly publication: ExclusivePublication; close(): void }> {
  const subscriptionId = await archive.startRecording(channel, streamId, sourceLocation);
  const publication = await aeron.addExclusivePublication(channel, streamId);
  const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId);
  const checksums: number[] = [];
  let position = start.position;
  for (let i = 0; i < count; i++) {
    const payload = messagePayload(streamId, i, length);
    position = await offerUntilAccepted(publication, payload, 20_000);
    checksums.push(checksum(payload));
  }
  const deadline = Date.now() + 30_000;
  while ((await archive.getRecordingPosition(start.recordingId)) < position) {
    if (Date.now() > deadline) throw new Error('recording did not catch up');
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!keepRecording) {
    await archive.stopRecordingBySubscriptionId(subscriptionId);
    await signals.await('STOP', (e) => e.recordingId === start.recordingId);
    publication.close();
  }
  return {
    recordingId: start.recordingId,
    subscriptionId,
    startPosition: start.position,
    stopPosition: position,
    checksums,
    publication,
    close: () => publication.close(),
  };
}

/**
 * Polls `subscription` until `done()` or `timeoutMs`; every fragment must carry the next sequence number
 * (from `firstSequence`) and that message's checksum: nothing lost, duplicated or reordered.
 */
export async function readVerified(
  subscription: Subscription,
  expected: readonly number[],
  firstSequence: number,
  done: (received: number) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<number> {
  let next = firstSequence;
  const problems: string[] = [];
  await awaitCondition(
    what,
    () => {
      subscription.poll((buffer, offset, length) => {
        const copy = new Uint8Array(length);
        buffer.getBytes(offset, copy, 0, length);
        const sequence = new DataView(copy.buffer).getInt32(0, true);
        if (sequence !== next) problems.push(`sequence ${sequence}, expected ${next}`);
        else if (checksum(copy) !== expected[sequence]) problems.push(`checksum of message ${sequence}`);
        next++;
      }, 100);
      return problems.length > 0 || done(next - firstSequence);
    },
    timeoutMs,
    1,
  );
  expect(problems).toEqual([]);
  return next - firstSequence;
}

/** The rejection of `promise` (an Error saying so if it resolved). */
export const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => new Error(`expected the call to fail, it resolved ${String(value)}`),
    (e: unknown) => e,
  );

/** Asserts an archive ERROR response: ArchiveError, code ARCHIVE_ERROR, the archive's `errorCode`, and text. */
export function expectArchiveErrorResponse(error: unknown, errorCode: number, text: string | RegExp): ArchiveError {
  expect(error).toBeInstanceOf(ArchiveError);
  const e = error as ArchiveError;
  expect(e.code).toBe('ARCHIVE_ERROR');
  expect(e.errorCode).toBe(errorCode);
  expect(e.correlationId).toBeGreaterThan(0);
  expect(e.message).toMatch(text);
  return e;
}

/**
 * Offers `count` more messages of a stream recorded by `recordStream` (sequence numbers continue after
 * `recorded.checksums.length`, whose checksums are appended), then waits until the archive recorded them;
 * returns the new position.
 */
export async function publishMore(
  archive: AeronArchive,
  recorded: { readonly recordingId: number; readonly publication: ExclusivePublication; readonly checksums: number[] },
  streamId: number,
  count: number,
  length = 256,
): Promise<number> {
  let position = 0;
  for (let k = 0; k < count; k++) {
    const payload = messagePayload(streamId, recorded.checksums.length, length);
    position = await offerUntilAccepted(recorded.publication, payload, 20_000);
    recorded.checksums.push(checksum(payload));
  }
  const deadline = Date.now() + 30_000;
  while ((await archive.getRecordingPosition(recorded.recordingId)) < position) {
    if (Date.now() > deadline) throw new Error('recording did not catch up');
    await new Promise((r) => setTimeout(r, 20));
  }
  return position;
}
