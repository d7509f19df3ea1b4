/**
 * One soak round against the real ArchivingMediaDriver: record a fresh publication, publish a batch and check
 * it live, stop the recording, replay it and check it again; sometimes truncate and replay the rest; purge
 * recordings older than the last few. Every resource the round makes is closed before it returns, so a leak
 * in any of them grows from round to round.
 *
 * Variants (round r):
 *
 * | r % 4 | publication channel                               | publication | recorded as           |
 * |-------|---------------------------------------------------|-------------|-----------------------|
 * | 0     | aeron:ipc?term-length=128k                        | exclusive   | LOCAL                 |
 * | 1     | aeron:udp?endpoint=localhost:P|term-length=128k   | concurrent  | REMOTE (over the wire)|
 * | 2     | aeron:ipc?term-length=128k                        | concurrent  | LOCAL                 |
 * | 3     | aeron:udp?endpoint=localhost:P|term-length=128k   | exclusive   | LOCAL (spy)           |
 *
 * | r % 3 | replay                                                             | ends with            |
 * |-------|--------------------------------------------------------------------|----------------------|
 * | 0     | full: default ReplayParams (from the start, to the stop position)  | end of stream        |
 * | 1     | ranged: position = start of message a, length = up to end of b    | end of stream        |
 * | 2     | bounded: from message a, limit counter set to the end of message b | stopAllReplays       |
 * Replay channel: aeron:ipc when ⌊r / 3⌋ is even, else aeron:udp?endpoint=localhost:Q.
 * r % 5 == 4: the recording is then truncated to the start of the middle message and replayed whole.
 *
 * Term length 128 KiB (max message 16 KiB) and archive segments of 1 MiB make every round rotate terms and
 * cross segment files; messages are 8..5000 bytes on even rounds (most fragmented: MTU 1408) and 8..600 on
 * odd ones. Stream ids change every round, so nothing of one round can be taken for the next.
 *
 * Deadlines: every archive call has `timeoutMs`; waits poll with a deadline; message streams give up after
 * `stallMs` without progress (what is missing is then counted as lost, not thrown).
 */
import { setTimeout as sleep, setImmediate as yieldImmediate } from 'node:timers/promises';
import {
  type AeronArchive,
  RecordingSignal,
  type RecordingSignalEvent,
  replayChannelFor,
  SourceLocation,
} from '../../src/archive/index.ts';
import {
  type Aeron,
  CLOSED,
  type Counter,
  FragmentAssembler,
  type FragmentHandler,
  MAX_POSITION_EXCEEDED,
  type Publication,
  type Subscription,
} from '../../src/client/index.ts';
import { fillMessage, MessageSizes } from '../support/message-pattern.ts';
import { addTotals, type CheckTotals, emptyTotals, SequenceChecker } from './sequence-checker.ts';

export const SOAK_TERM_LENGTH = '128k';
const LIVE_STREAM_BASE = 3000;
const REPLAY_STREAM_BASE = 6000;
const STREAM_SPAN = 2000;
const BOUNDED_COUNTER_TYPE_ID = 1101;
const FRAGMENT_LIMIT = 256;
const OFFER_BURST = 64;

/** What rounds share: the clients, the signals the archive sent, ports, limits and the kept recordings. */
export interface SoakContext {
  readonly aeron: Aeron;
  readonly archive: AeronArchive;
  /** Recording signals as the archive client delivers them (cleared at the start of each round). */
  readonly signals: RecordingSignalEvent[];
  /** Two loopback UDP ports for live channels and two for replay channels. */
  readonly livePorts: readonly [number, number];
  readonly replayPorts: readonly [number, number];
  readonly messagesPerRound: number;
  /** Deadline of every archive call and wait. */
  readonly timeoutMs: number;
  /** A message stream that makes no progress for this long is over. */
  readonly stallMs: number;
  /** Recordings kept; older ones are purged. */
  readonly keepRecordings: number;
  /** Ids of the recordings not yet purged, oldest first. */
  readonly recordings: number[];
}

export interface RoundResult {
  readonly variant: string;
  readonly published: number;
  readonly live: CheckTotals;
  readonly replay: CheckTotals;
  readonly replays: number;
  readonly truncated: boolean;
  readonly purged: number;
  /** Replays whose image did not reach end of stream within the deadline (not a message error). */
  readonly replaysWithoutEos: number;
  /** Descriptions of every problem (message errors, position mismatches, leaked recording subscriptions). */
  readonly problems: string[];
}

type ReplayMode = 'full' | 'ranged' | 'bounded';

/** Runs round `round`; rejects only when the infrastructure fails (an archive call or a wait times out). */
export async function runRound(ctx: SoakContext, round: number): Promise<RoundResult> {
  const udp = round % 2 === 1;
  const exclusive = round % 4 === 0 || round % 4 === 3;
  const location = round % 4 === 1 ? SourceLocation.REMOTE : SourceLocation.LOCAL;
  const livePort = ctx.livePorts[(round >> 1) % 2] ?? 0;
  const channel = udp
    ? `aeron:udp?endpoint=localhost:${livePort}|term-length=${SOAK_TERM_LENGTH}`
    : `aeron:ipc?term-length=${SOAK_TERM_LENGTH}`;
  const streamId = LIVE_STREAM_BASE + (round % STREAM_SPAN);
  const seed = (0x50a4 * 65_536 + round) | 0;
  const sizes = new MessageSizes(`random:${seed}:8:${round % 2 === 0 ? 5000 : 600}`);
  const count = ctx.messagesPerRound;
  const mode: ReplayMode = (['full', 'ranged', 'bounded'] as const)[round % 3] ?? 'full';
  const replayUdp = Math.floor(round / 3) % 2 === 1;
  const variant = `${udp ? 'udp' : 'ipc'}/${exclusive ? 'exclusive' : 'concurrent'}/${location === SourceLocation.REMOTE ? 'remote' : 'local'} replay ${mode}/${replayUdp ? 'udp' : 'ipc'}`;

  const call = { timeoutMs: ctx.timeoutMs };
  const problems: string[] = [];
  const liveTotals = emptyTotals();
  const replayTotals = emptyTotals();
  ctx.signals.length = 0;

  let recordingSubscriptionId = -1;
  let recordingStopped = false;
  let publication: Publication | null = null;
  let live: Subscription | null = null;
  /** ends[i] = stream position just after message i (what its offer returned). */
  const ends = new Float64Array(count);
  let recordingId = -1;
  try {
    recordingSubscriptionId = await ctx.archive.startRecording(channel, streamId, location, call);
    live = await ctx.aeron.addSubscription(channel, streamId);
    publication = exclusive
      ? await ctx.aeron.addExclusivePublication(channel, streamId)
      : await ctx.aeron.addPublication(channel, streamId);
    const subscriptionId = recordingSubscriptionId;
    const pub = publication;
    const sub = live;
    await waitUntil(
      () => pub.isConnected() && sub.isConnected() && findSignal(ctx, RecordingSignal.START, subscriptionId) !== null,
      `${variant}: publication connected, live image and recording START`,
      ctx.timeoutMs,
    );
    const start = findSignal(ctx, RecordingSignal.START, subscriptionId);
    recordingId = start?.recordingId ?? -1;
    if (start?.position !== 0) problems.push(`${variant}: recording starts at ${start?.position}, not 0`);

    const liveChecker = new SequenceChecker(`live ${variant}`, seed, sizes, 0, count);
    await publishAndConsume(pub, sub, liveChecker, seed, sizes, count, ends, ctx.stallMs);
    settle(liveChecker, liveTotals, problems);
    const published = countPublished(ends);
    const finalPosition = ends[count - 1] ?? 0;

    await waitUntilAsync(
      async () => (await ctx.archive.getRecordingPosition(recordingId, call)) >= finalPosition,
      `${variant}: recording ${recordingId} to reach ${finalPosition}`,
      ctx.timeoutMs,
    );
    await ctx.archive.stopRecordingBySubscriptionId(subscriptionId, call);
    recordingStopped = true;
    await waitUntil(
      () => findSignal(ctx, RecordingSignal.STOP, subscriptionId) !== null,
      `${variant}: recording STOP`,
      ctx.timeoutMs,
    );
    const stopPosition = await ctx.archive.getStopPosition(recordingId, call);
    if (stopPosition !== finalPosition) {
      problems.push(`${variant}: recording ${recordingId} stopped at ${stopPosition}, published to ${finalPosition}`);
    }
    pub.close();
    publication = null;
    sub.close();
    live = null;
    ctx.recordings.push(recordingId);

    // Replay: indices a..b (inclusive) of the messages.
    const startOf = (i: number): number => (i === 0 ? 0 : (ends[i - 1] ?? 0));
    const a = mode === 'full' ? 0 : (seed >>> 3) % Math.floor(count / 2);
    const b = mode === 'full' ? count - 1 : count - 2 - ((seed >>> 5) % Math.floor(count / 4));
    const replayChannel = replayUdp ? `aeron:udp?endpoint=localhost:${ctx.replayPorts[round % 2] ?? 0}` : 'aeron:ipc';
    const replayStreamId = REPLAY_STREAM_BASE + (round % STREAM_SPAN);
    const checker = new SequenceChecker(`replay ${mode} ${a}..${b} ${variant}`, seed, sizes, a, b + 1);
    let replays = 1;
    let withoutEos = 0;
    if (mode === 'bounded') {
      await boundedReplay(ctx, recordingId, startOf(a), ends[b] ?? 0, replayChannel, replayStreamId, checker);
    } else {
      const params = mode === 'full' ? {} : { position: startOf(a), length: (ends[b] ?? 0) - startOf(a) };
      const replay = await ctx.archive.replay(recordingId, replayChannel, replayStreamId, params, call);
      try {
        if (!(await consumeToEnd(replay, checker, ctx.stallMs, ctx.timeoutMs))) withoutEos++;
      } finally {
        replay.close();
      }
    }
    settle(checker, replayTotals, problems);

    let truncated = false;
    if (round % 5 === 4) {
      const k = Math.floor(count / 2);
      await truncateWithRetry(ctx, recordingId, startOf(k));
      const after = await ctx.archive.getStopPosition(recordingId, call);
      if (after !== startOf(k)) problems.push(`${variant}: truncated to ${startOf(k)} but stop position is ${after}`);
      const rest = new SequenceChecker(`replay truncated 0..${k - 1} ${variant}`, seed, sizes, 0, k);
      const replay = await ctx.archive.replay(recordingId, 'aeron:ipc', replayStreamId + STREAM_SPAN, {}, call);
      try {
        if (!(await consumeToEnd(replay, rest, ctx.stallMs, ctx.timeoutMs))) withoutEos++;
      } finally {
        replay.close();
      }
      settle(rest, replayTotals, problems);
      replays++;
      truncated = true;
    }

    let purged = 0;
    while (ctx.recordings.length > ctx.keepRecordings) {
      const oldest = ctx.recordings.shift() ?? -1;
      await ctx.archive.purgeRecording(oldest, call);
      purged++;
    }

    if (round % 10 === 9) {
      let active = 0;
      await ctx.archive.listRecordingSubscriptions(0, 100, '', 0, false, () => active++, call);
      if (active !== 0) problems.push(`after round ${round}: ${active} recording subscriptions still active`);
    }

    return {
      variant,
      published,
      live: liveTotals,
      replay: replayTotals,
      replays,
      truncated,
      purged,
      replaysWithoutEos: withoutEos,
      problems,
    };
  } finally {
    publication?.close();
    live?.close();
    if (recordingSubscriptionId >= 0 && !recordingStopped) {
      await ctx.archive.tryStopRecordingBySubscriptionId(recordingSubscriptionId, call).catch(() => false);
    }
  }
}

function findSignal(ctx: SoakContext, signal: number, subscriptionId: number): RecordingSignalEvent | null {
  return ctx.signals.find((s) => s.signal === signal && s.subscriptionId === subscriptionId) ?? null;
}

function settle(checker: SequenceChecker, totals: CheckTotals, problems: string[]): void {
  checker.finish();
  addTotals(totals, checker);
  if (checker.problems > 0) problems.push(checker.describe());
}

function countPublished(ends: Float64Array): number {
  let n = 0;
  while (n < ends.length && (ends[n] ?? 0) > 0) n++;
  return n;
}

/** A fragment handler that reassembles messages into the checker's scratch buffer and checks them. */
function checkingHandler(checker: SequenceChecker): FragmentHandler {
  const scratch = checker.scratch;
  return new FragmentAssembler((buffer, offset, length) => {
    if (length > scratch.length) {
      checker.unexpected++;
      return;
    }
    buffer.getBytes(offset, scratch, 0, length);
    checker.onMessage(length);
  }).onFragment;
}

/**
 * Offers messages 0..count-1 (retrying on back pressure) while polling the live subscription, until every
 * message is published and checked or nothing moves for `stallMs`.
 */
async function publishAndConsume(
  publication: Publication,
  subscription: Subscription,
  checker: SequenceChecker,
  seed: number,
  sizes: MessageSizes,
  count: number,
  ends: Float64Array,
  stallMs: number,
): Promise<void> {
  const handler = checkingHandler(checker);
  const buffer = new Uint8Array(sizes.max);
  let next = 0;
  let filled = -1;
  let lastProgress = Date.now();
  let busyTurns = 0;
  while (next < count || !checker.done) {
    let work = 0;
    for (let burst = 0; burst < OFFER_BURST && next < count; burst++) {
      const length = sizes.sizeOf(next);
      if (filled !== next) {
        fillMessage(buffer, 0, length, seed, next);
        filled = next;
      }
      const result = publication.offer(buffer, 0, length);
      if (result > 0) {
        ends[next] = result;
        next++;
        work++;
      } else if (result === CLOSED || result === MAX_POSITION_EXCEEDED) {
        throw new Error(`offer of message ${next} failed: ${result}`);
      } else {
        break; // NOT_CONNECTED, BACK_PRESSURED, ADMIN_ACTION: poll, then retry.
      }
    }
    work += subscription.poll(handler, FRAGMENT_LIMIT);
    if (work > 0) {
      lastProgress = Date.now();
      if (++busyTurns % 16 === 0) await yieldImmediate();
    } else {
      if (Date.now() - lastProgress > stallMs) {
        if (next < count) throw new Error(`publication stalled at message ${next} of ${count} for ${stallMs} ms`);
        return; // all published, some never arrived: the checker counts them as lost.
      }
      await sleep(1);
    }
  }
}

/**
 * Polls a replay until the checker has its range, then until the image reaches end of stream (extras that
 * arrive meanwhile are counted). True when end of stream was seen.
 */
async function consumeToEnd(
  subscription: Subscription,
  checker: SequenceChecker,
  stallMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const handler = checkingHandler(checker);
  await pollWhile(subscription, handler, () => !checker.done, stallMs);
  let sawImage = subscription.imageCount > 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    subscription.poll(handler, FRAGMENT_LIMIT);
    if (subscription.imageCount > 0) sawImage = true;
    if (subscription.images.some((image) => image.isEndOfStream)) return true;
    if (sawImage && subscription.imageCount === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(1);
  }
}

/** Polls while `more()` and fragments keep coming (no progress for `stallMs` ends it). */
async function pollWhile(
  subscription: Subscription,
  handler: FragmentHandler,
  more: () => boolean,
  stallMs: number,
): Promise<void> {
  let lastProgress = Date.now();
  let busyTurns = 0;
  while (more()) {
    if (subscription.poll(handler, FRAGMENT_LIMIT) > 0) {
      lastProgress = Date.now();
      if (++busyTurns % 16 === 0) await yieldImmediate();
    } else {
      if (Date.now() - lastProgress > stallMs) return;
      await sleep(1);
    }
  }
}

/**
 * BoundedReplayRequest from `position` with no length, limited by a client counter set to `limit`: the
 * archive replays up to the counter and then waits, so the replay is stopped once the range has arrived.
 */
async function boundedReplay(
  ctx: SoakContext,
  recordingId: number,
  position: number,
  limit: number,
  replayChannel: string,
  replayStreamId: number,
  checker: SequenceChecker,
): Promise<void> {
  const call = { timeoutMs: ctx.timeoutMs };
  let counter: Counter | null = null;
  let subscription: Subscription | null = null;
  try {
    counter = await ctx.aeron.addCounter(BOUNDED_COUNTER_TYPE_ID, `soak replay limit ${recordingId}`);
    counter.set(limit);
    const replaySessionId = await ctx.archive.startBoundedReplay(
      recordingId,
      position,
      -1,
      counter.id,
      replayChannel,
      replayStreamId,
      call,
    );
    subscription = await ctx.aeron.addSubscription(replayChannelFor(replayChannel, replaySessionId), replayStreamId);
    const handler = checkingHandler(checker);
    await pollWhile(subscription, handler, () => !checker.done, ctx.stallMs);
    // Anything past the limit would arrive right behind the range: poll a little longer to see it.
    for (let i = 0; i < 20; i++) {
      subscription.poll(handler, FRAGMENT_LIMIT);
      await sleep(1);
    }
  } finally {
    subscription?.close();
    counter?.close();
    await ctx.archive.stopAllReplays(recordingId, call);
  }
}

/** TruncateRecording, retried while the archive still sees a replay of the recording (it ends asynchronously). */
async function truncateWithRetry(ctx: SoakContext, recordingId: number, position: number): Promise<void> {
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    try {
      await ctx.archive.truncateRecording(recordingId, position, { timeoutMs: ctx.timeoutMs });
      return;
    } catch (error) {
      if (Date.now() > deadline || !/replay/i.test(String(error))) throw error;
      await sleep(50);
    }
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
}

async function waitUntilAsync(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}
