/**
 * 64-bit ids and positions are exact (issue 13, item 2), against the fake archive answering with values above
 * 2^53: replay session ids are bigints end to end; every value returned as a number is exact or refused with
 * ArchiveValueRangeError (responses, descriptors, signals), and the session carries on afterwards.
 */
import { describe, expect, it } from 'vitest';
import { RecordingSignal } from '../../codecs/generated/archive/index.ts';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { replayChannelFor, replayImageSessionId } from '../../src/archive/aeron-archive.ts';
import { ArchiveValueRangeError } from '../../src/archive/archive-error.ts';
import type { RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { resolveReplayParams } from '../../src/archive/replay-params.ts';
import { watchReplay } from '../../src/archive/replay-watchdog.ts';
import { connectFake } from './support/connect.ts';

/** A replay session id after 2^21 replays: `(replayId << 32) | sessionId`, past 2^53, odd low bits. */
const BIG_REPLAY_SESSION_ID = (2_100_000n << 32n) | 0xdead_beefn;
/** 2^53 + 1: a double rounds it to 2^53. */
const INEXACT = 2n ** 53n + 1n;
const RECORDING_POSITION_REQUEST = 12;
const REPLAY_REQUEST = 6;
const REPLICATE_REQUEST2 = 66;

describe('replay session ids are bigints', () => {
  it('startReplay resolves the id exactly; stopReplay and trySendStopReplayRequest send it back unchanged', async () => {
    const { fake, archive } = await connectFake();
    fake.answers.set(REPLAY_REQUEST, BIG_REPLAY_SESSION_ID);
    const replaySessionId = await archive.startReplay(1, 0, -1, 'aeron:ipc', 2001);
    expect(replaySessionId).toBe(BIG_REPLAY_SESSION_ID);
    // As a number it would have been rounded: the low 32 bits, the image's session id, would be wrong.
    expect(BigInt(Number(BIG_REPLAY_SESSION_ID))).not.toBe(BIG_REPLAY_SESSION_ID);

    await archive.stopReplay(replaySessionId);
    expect(fake.lastRequest().json.replaySessionId).toBe(String(BIG_REPLAY_SESSION_ID));
    expect(archive.trySendStopReplayRequest(replaySessionId)).toBe(true);
    expect(fake.lastRequest().json.replaySessionId).toBe(String(BIG_REPLAY_SESSION_ID));
  });

  it('the replay image session id is the signed low 32 bits (Java (int)replaySessionId)', () => {
    expect(replayImageSessionId(BIG_REPLAY_SESSION_ID)).toBe(0xdead_beef | 0);
    expect(replayImageSessionId((7n << 32n) | 5n)).toBe(5);
    expect(replayChannelFor('aeron:ipc', BIG_REPLAY_SESSION_ID)).toBe(`aeron:ipc?session-id=${0xdead_beef | 0}`);
  });

  it('the replay watchdog stops a stalled replay with the exact id', async () => {
    const stopped: bigint[] = [];
    const watch = watchReplay(
      {
        getMaxRecordedPosition: async () => 1024,
        stopReplay: async (id) => {
          stopped.push(id);
        },
      },
      { position: 0 },
      1,
      { stallTimeoutMs: 20, checkIntervalMs: 5, replaySessionId: BIG_REPLAY_SESSION_ID },
    );
    await expect(watch.done).rejects.toMatchObject({ code: 'REPLAY_STALLED' });
    expect(stopped).toEqual([BIG_REPLAY_SESSION_ID]);
  });

  it('the archive id is a bigint: any long the archive is configured with', async () => {
    const { archive } = await connectFake({ archiveId: INEXACT });
    expect(archive.archiveId).toBe(INEXACT);
  });
});

describe('numbers are exact or refused', () => {
  it('a replay token given as a number must be a safe integer (InvalidArgumentError), and is sent exactly', () => {
    expect(resolveReplayParams({ replayToken: 42 }).replayToken).toBe(42n);
    expect(resolveReplayParams({ replayToken: 2n ** 62n }).replayToken).toBe(2n ** 62n);
    expect(() => resolveReplayParams({ replayToken: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => resolveReplayParams({ replayToken: 2 ** 60 })).toThrow(InvalidArgumentError);
  });

  it('a response whose relevantId a number cannot hold rejects with ArchiveValueRangeError; the session goes on', async () => {
    const { fake, archive } = await connectFake();
    fake.answers.set(RECORDING_POSITION_REQUEST, INEXACT);
    const error = await archive.getRecordingPosition(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveValueRangeError);
    expect(error).toMatchObject({
      code: 'ARCHIVE_VALUE_RANGE',
      value: INEXACT,
      correlationId: archive.lastCorrelationId(),
    });

    fake.answers.set(RECORDING_POSITION_REQUEST, 2n ** 53n + 64n);
    expect(await archive.getRecordingPosition(1)).toBe(2 ** 53 + 64);
  });

  it('a replication id past the bound is refused, not rounded', async () => {
    const { fake, archive } = await connectFake();
    fake.answers.set(REPLICATE_REQUEST2, INEXACT);
    await expect(archive.replicate(1, 10, 'aeron:ipc')).rejects.toMatchObject({
      code: 'ARCHIVE_VALUE_RANGE',
      value: INEXACT,
    });
  });

  it('a descriptor with an inexact position ends its listing with ArchiveValueRangeError; the next listing works', async () => {
    const { fake, archive } = await connectFake();
    fake.recordings.push({ recordingId: 0, streamId: 1, channel: 'aeron:ipc', stopPosition: 2n ** 53n + 32n });
    fake.recordings.push({ recordingId: 1, streamId: 1, channel: 'aeron:ipc', stopPosition: INEXACT });
    const seen: number[] = [];
    const error = await archive.listRecordings(0, 10, (d) => seen.push(d.stopPosition)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveValueRangeError);
    expect(error).toMatchObject({ value: INEXACT });
    expect(seen).toEqual([2 ** 53 + 32]);

    const listed: number[] = [];
    expect(await archive.listRecording(0, (d) => listed.push(d.recordingId))).toBe(1);
    expect(listed).toEqual([0]);
  });

  it('a signal with an inexact position goes to the error handler, not the consumer; exact ones are delivered', async () => {
    const errors: unknown[] = [];
    const signals: RecordingSignalEvent[] = [];
    const { fake } = await connectFake(
      {},
      { errorHandler: (e) => errors.push(e), recordingSignalConsumer: (s) => signals.push(s) },
    );
    fake.sendSignal(5, 3, 9, INEXACT, RecordingSignal.STOP);
    fake.sendSignal(5, 3, 9, 2n ** 53n + 32n, RecordingSignal.STOP);
    await expect.poll(() => signals.length, { timeout: 5_000 }).toBe(1);
    expect(signals[0]).toMatchObject({ recordingId: 3, position: 2 ** 53 + 32, signalName: 'STOP' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ARCHIVE_VALUE_RANGE', value: INEXACT });
  });
});
