/**
 * Measurement functions of the archive cases, each run in a fresh TS child process (bench/lib/ts-child.ts)
 * against the case's Java ArchivingMediaDriver. `bench/java/ArchiveBench.java` does the same steps with the
 * Java client, so both sides are timed by one definition:
 *
 * - `measureArchiveRecord`: exclusive publication on the IPC channel, a recording of exactly that session
 *   (`startRecording(aeron:ipc?session-id=<sid>, LOCAL)`), the RecordingPos counter found by session id and
 *   archive id. Warm-up: publish `warmupBytes` and wait for the recording to catch up. Timed: from the first
 *   offer of `bytes` more until the RecordingPos counter reaches the publication's position; MB/s =
 *   position delta (headers included, as Aeron's EmbeddedRecordingThroughput counts it) / elapsed, MB = 2^20
 *   bytes. Back pressure is busy-spun (the client conductor's duty cycle every 1024 refusals). Then the
 *   recording is stopped and, unless `keepRecording`, purged so repetitions do not fill the disk.
 * - `measureArchiveReplay`: replays an existing recording (made once per case by `makeArchiveRecording`)
 *   from position 0 for its whole length to `aeron:ipc` stream `replayStreamId` and consumes it, checking
 *   each message's sequence number (the int32 at offset 0 counts messages from 0). One untimed replay warms
 *   up; the timed one runs from the replay request until the last message arrived (request and connection
 *   setup included, as EmbeddedReplayThroughput measures); `requestMs` is the part until `replay()` returned the
 *   subscription, `firstMessageMs` until the first message arrived; `polls`/`emptyPolls` count the timed polls
 *   and those that found nothing (a consumer waiting on the archive polls empty most of the time).
 *
 * Every message carries its sequence number as a little-endian int64 at offset 0 (the low 32 bits are read
 * back).
 */
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import type { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import type { Sample } from '../lib/bench-case.ts';

const SETUP_TIMEOUT_MS = 60_000;
const FRAGMENT_LIMIT = 256;
const MB = 1024 * 1024;

/** Aeron's `AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`. */
export const RECORDING_POSITION_TYPE_ID = 100;
/**
 * RecordingPos counter key (RecordingPos.java, 1.51.0):
 * ```
 *  0: recordingId (int64)   8: sessionId (int32)   12: sourceIdentityLength (int32)
 * 16: sourceIdentity (ASCII, sourceIdentityLength bytes)   16 + sourceIdentityLength: archiveId (int64)
 * ```
 */
const KEY_RECORDING_ID_OFFSET = 0;
const KEY_SESSION_ID_OFFSET = 8;
const KEY_SOURCE_IDENTITY_LENGTH_OFFSET = 12;
const KEY_SOURCE_IDENTITY_OFFSET = 16;

export interface ArchiveConnectArgs {
  readonly aeronDir: string;
  /** The archive's local control channel (`aeron:ipc?term-length=64k`) and stream. */
  readonly controlChannel: string;
  readonly controlStreamId: number;
}

async function connect(args: ArchiveConnectArgs): Promise<{ aeron: Aeron; archive: AeronArchive }> {
  const aeron = await Aeron.connect({ aeronDir: args.aeronDir, driverTimeoutMs: 20_000 });
  try {
    const archive = await AeronArchive.connect(
      {
        aeron,
        controlRequestChannel: args.controlChannel,
        controlRequestStreamId: args.controlStreamId,
        controlResponseChannel: 'aeron:ipc',
      },
      { timeoutMs: SETUP_TIMEOUT_MS },
    );
    return { aeron, archive };
  } catch (e) {
    aeron.close();
    throw e;
  }
}

async function waitFor(what: string, aeron: Aeron, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + SETUP_TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    aeron.doWork();
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Counter id of the RecordingPos of `sessionId` on archive `archiveId`, or -1 (RecordingPos.findCounterIdBySession). */
export function findRecordingPosCounter(aeron: Aeron, sessionId: number, archiveId: bigint): number {
  const ids = aeron.findCounters(RECORDING_POSITION_TYPE_ID, (key: AtomicBuffer) => {
    if (key.getInt32(KEY_SESSION_ID_OFFSET) !== sessionId) return false;
    const identityLength = key.getInt32(KEY_SOURCE_IDENTITY_LENGTH_OFFSET);
    return key.getInt64BigInt(KEY_SOURCE_IDENTITY_OFFSET + identityLength) === archiveId;
  });
  return ids[0] ?? -1;
}

export interface RecordArgs extends ArchiveConnectArgs {
  /** Publication channel, e.g. `aeron:ipc?term-length=16777216`. */
  readonly channel: string;
  readonly streamId: number;
  readonly messageLength: number;
  readonly warmupBytes: number;
  readonly bytes: number;
  /** Keep the recording (for the replay case) instead of purging it. */
  readonly keepRecording?: boolean;
}

/** Offers `count` messages numbered from `firstSequence`, spinning on back pressure; returns the position. */
function publish(
  aeron: Aeron,
  publication: ExclusivePublication,
  message: Uint8Array,
  view: DataView,
  firstSequence: number,
  count: number,
): number {
  let position = 0;
  for (let i = 0; i < count; i++) {
    view.setInt32(0, firstSequence + i, true);
    position = publication.offer(message, 0, message.length);
    for (let refusals = 1; position < 0; refusals++) {
      if ((refusals & 1023) === 0) {
        aeron.doWork();
        if (publication.isClosed) throw new Error('publication closed while publishing');
      }
      position = publication.offer(message, 0, message.length);
    }
    if ((i & 1023) === 0) aeron.doWork();
  }
  return position;
}

/** Spins until the counter reaches `position`, the conductor's duty cycle every 1024 reads. */
function awaitCounter(aeron: Aeron, counterId: number, position: number): void {
  const counters = aeron.countersReader;
  const deadline = performance.now() + SETUP_TIMEOUT_MS * 5;
  for (let reads = 1; counters.getCounterValue(counterId) < position; reads++) {
    if ((reads & 1023) === 0) {
      aeron.doWork();
      if (performance.now() > deadline) throw new Error(`recording did not reach ${position}`);
    }
  }
}

/** Frame length of a message: payload + 32-byte header, aligned to 32. */
function frameLength(messageLength: number): number {
  return (messageLength + 32 + 31) & ~31;
}

export async function measureArchiveRecord(args: RecordArgs): Promise<Sample> {
  const { aeron, archive } = await connect(args);
  const publication = await aeron.addExclusivePublication(args.channel, args.streamId);
  const recordingChannel = `aeron:ipc?session-id=${publication.sessionId}`;
  const subscriptionId = await archive.startRecording(recordingChannel, args.streamId, SourceLocation.LOCAL, {
    timeoutMs: SETUP_TIMEOUT_MS,
  });
  let counterId = -1;
  await waitFor('RecordingPos counter', aeron, () => {
    counterId = findRecordingPosCounter(aeron, publication.sessionId, archive.archiveId);
    return counterId >= 0;
  });
  await waitFor('publication connected', aeron, () => publication.isConnected());
  const recordingId = aeron.countersReader.getCounterKey(counterId).getInt64(KEY_RECORDING_ID_OFFSET);

  const message = new Uint8Array(args.messageLength);
  const view = new DataView(message.buffer);
  const perMessage = frameLength(args.messageLength);
  const warmupMessages = Math.ceil(args.warmupBytes / perMessage);
  const messages = Math.ceil(args.bytes / perMessage);

  const warmPosition = publish(aeron, publication, message, view, 0, warmupMessages);
  awaitCounter(aeron, counterId, warmPosition);
  const startPosition = publication.position();
  const start = performance.now();
  const endPosition = publish(aeron, publication, message, view, warmupMessages, messages);
  awaitCounter(aeron, counterId, endPosition);
  const elapsedMs = performance.now() - start;

  await archive.stopRecordingBySubscriptionId(subscriptionId, { timeoutMs: SETUP_TIMEOUT_MS });
  publication.close();
  if (args.keepRecording !== true) {
    await waitFor(
      'recording stopped',
      aeron,
      () => findRecordingPosCounter(aeron, publication.sessionId, archive.archiveId) < 0,
    );
    await archive.purgeRecording(recordingId, { timeoutMs: SETUP_TIMEOUT_MS });
  }
  archive.close();
  aeron.close();
  const recordedBytes = endPosition - startPosition;
  return {
    value: recordedBytes / MB / (elapsedMs / 1000),
    detail: {
      recordedBytes,
      messages,
      messagesPerSecond: (messages * 1000) / elapsedMs,
      elapsedMs,
      recordingId,
      stopPosition: endPosition,
      totalMessages: warmupMessages + messages,
    },
  };
}

/** Makes the recording the replay case replays: `bytes` of numbered messages, kept. */
export function makeArchiveRecording(args: Omit<RecordArgs, 'keepRecording' | 'warmupBytes'>): Promise<Sample> {
  return measureArchiveRecord({ ...args, warmupBytes: 0, keepRecording: true });
}

export interface ReplayArgs extends ArchiveConnectArgs {
  readonly recordingId: number;
  /** Recording length in bytes (its stop position; it starts at 0). */
  readonly length: number;
  /** Messages in the recording, numbered 0..messages-1. */
  readonly messages: number;
  readonly replayChannel: string;
  readonly replayStreamId: number;
}

async function replayOnce(
  aeron: Aeron,
  archive: AeronArchive,
  args: ReplayArgs,
): Promise<{
  elapsedMs: number;
  requestMs: number;
  firstMessageMs: number;
  polls: number;
  emptyPolls: number;
  received: number;
}> {
  const start = performance.now();
  const subscription: Subscription = await archive.replay(
    args.recordingId,
    args.replayChannel,
    args.replayStreamId,
    { position: 0, length: args.length },
    { timeoutMs: SETUP_TIMEOUT_MS },
  );
  const requestMs = performance.now() - start;
  let expected = 0;
  let badSequence = -1;
  const onMessage = (buffer: ReadableBuffer, offset: number, _length: number): void => {
    if (buffer.getInt32(offset) !== expected && badSequence < 0) badSequence = expected;
    expected++;
  };
  const deadline = performance.now() + SETUP_TIMEOUT_MS * 5;
  let emptyPolls = 0;
  let firstMessageMs = -1;
  let polls = 1;
  for (; expected < args.messages; polls++) {
    if (subscription.poll(onMessage, FRAGMENT_LIMIT) === 0) emptyPolls++;
    else if (firstMessageMs < 0) firstMessageMs = performance.now() - start;
    if ((polls & 1023) === 0) {
      aeron.doWork();
      if (performance.now() > deadline) throw new Error(`replay stalled at message ${expected} of ${args.messages}`);
    }
  }
  const elapsedMs = performance.now() - start;
  subscription.close();
  if (badSequence >= 0) throw new Error(`replayed message ${badSequence} out of sequence`);
  return { elapsedMs, requestMs, firstMessageMs, polls: polls - 1, emptyPolls, received: expected };
}

export async function measureArchiveReplay(args: ReplayArgs): Promise<Sample> {
  const { aeron, archive } = await connect(args);
  await replayOnce(aeron, archive, args);
  const { elapsedMs, requestMs, firstMessageMs, polls, emptyPolls, received } = await replayOnce(aeron, archive, args);
  archive.close();
  aeron.close();
  return {
    value: args.length / MB / (elapsedMs / 1000),
    detail: {
      replayedBytes: args.length,
      messages: received,
      messagesPerSecond: (received * 1000) / elapsedMs,
      elapsedMs,
      requestMs,
      firstMessageMs,
      polls,
      emptyPolls,
    },
  };
}
