/**
 * `migrateSegments` against the real ArchivingMediaDriver (pinned 1.51.0), after Aeron's `MigrateSegmentsTest`.
 *
 * The 1.51.0 archive (`ArchiveConductor.migrateSegments`) checks, in this order, each failure an ERROR response:
 * ```
 *  src and dst exist                                   else UNKNOWN_RECORDING
 *  src stopped (dst may be live)                       else GENERIC "recording <id> is still active"
 *  equal segmentFileLength, termBufferLength, initialTermId, streamId, mtuLength
 *                                                      else GENERIC "invalid migrate: src<X>=.. dst<X>=.."
 *  src.stop == dst.start (prepend) or src.start == dst.stop (append)
 *                                                      else GENERIC "invalid migrate: src and dst are not contiguous .."
 *  the join position is a segment file base position of src and of dst
 *                                                      else GENERIC "invalid migrate: join position is not on
 *                                                           segment boundary of src|dst recording .."
 * ```
 * Then it renames src's segment files to dst's (OK relevantId = the count), sets dst's start (prepend) or stop
 * (append) to src's, sets src's stop to src's start (src stays in the catalog, empty), and signals DELETE for src:
 * at once, or when the empty segment file following src's stop has been deleted.
 *
 * Scenario: 64 KiB terms, 128 KiB segments, one stream and initial term id. src records [0, 2 segments), dst
 * records [2 segments, 4 segments) from an exclusive publication that starts exactly at src's stop position.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { ChannelUri } from '../../src/client/channel-uri.ts';
import { ChannelUriStringBuilder } from '../../src/client/channel-uri-string-builder.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { awaitRecorded, awaitSignal, connectLocalArchive, receive } from './support/archive-interop.ts';

const TERM = 64 * 1024;
const SEGMENT = 2 * TERM;
const FRAME = 1024;
/** Payload filling one 1 KiB frame (32-byte header). */
const PAYLOAD = FRAME - 32;
const STREAM_ID = 1033;
const INITIAL_TERM_ID = 77;

describeInterop('migrateSegments against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  const signals: RecordingSignalEvent[] = [];

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({
      properties: { 'aeron.archive.segment.file.length': String(SEGMENT) },
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await connectLocalArchive(aeron, driver, { recordingSignalConsumer: (s) => signals.push(s) });
  }, 60_000);

  afterAll(() => releaseAll(archive, aeron, driver), 30_000);

  /** Message `i` of the whole stream: its index in the first 4 bytes, then a pattern derived from it. */
  function message(i: number): Uint8Array {
    const bytes = new Uint8Array(PAYLOAD);
    for (let j = 4; j < PAYLOAD; j++) bytes[j] = (i * 31 + j) & 0xff;
    new DataView(bytes.buffer).setInt32(0, i, true);
    return bytes;
  }

  /**
   * Records messages [firstMessage, firstMessage + count) of `streamId` from an exclusive publication starting at
   * `startPosition` (a session-specific recording), stops it (or leaves it live) and returns its id and stop.
   */
  async function record(
    streamId: number,
    startPosition: number,
    firstMessage: number,
    count: number,
    stop = true,
  ): Promise<{ recordingId: number; position: number; close: () => Promise<void> }> {
    const channel = new ChannelUriStringBuilder()
      .media('ipc')
      .initialPosition(startPosition, INITIAL_TERM_ID, TERM)
      .build();
    const publication = await aeron.addExclusivePublication(channel, streamId);
    const from = signals.length;
    const recordingChannel = ChannelUri.addSessionId(`aeron:ipc?term-length=${TERM}`, publication.sessionId);
    const subscriptionId = await archive.startRecording(recordingChannel, streamId, SourceLocation.LOCAL);
    let recordingId = -1;
    await awaitCondition(`START of a recording of stream ${streamId}`, () => {
      const start = signals
        .slice(from)
        .find((s) => s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId);
      if (start !== undefined) recordingId = start.recordingId;
      return start !== undefined;
    });
    let position = startPosition;
    for (let i = 0; i < count; i++) position = await offerUntilAccepted(publication, message(firstMessage + i));
    await awaitRecorded(archive, recordingId, position);
    const close = async (): Promise<void> => {
      const stopFrom = signals.length;
      await archive.stopRecordingBySubscriptionId(subscriptionId);
      await awaitSignal(signals, RecordingSignal.STOP, recordingId, stopFrom);
      publication.close();
    };
    if (stop) await close();
    return { recordingId, position, close };
  }

  async function descriptor(recordingId: number): Promise<RecordingDescriptor> {
    const found: RecordingDescriptor[] = [];
    expect(await archive.listRecording(recordingId, (d) => found.push({ ...d }))).toBe(1);
    return found[0] as RecordingDescriptor;
  }

  async function migrateError(src: number, dst: number): Promise<ArchiveError> {
    const error = await archive.migrateSegments(src, dst).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }

  it('prepends a stopped recording to one that starts at its stop position, and replays both in order', async () => {
    const perSegment = SEGMENT / FRAME;
    const src = await record(STREAM_ID, 0, 0, 2 * perSegment);
    expect(src.position).toBe(2 * SEGMENT);
    const srcBefore = await descriptor(src.recordingId);
    expect(srcBefore).toMatchObject({ startPosition: 0, stopPosition: 2 * SEGMENT, initialTermId: INITIAL_TERM_ID });

    const dst = await record(STREAM_ID, srcBefore.stopPosition, 2 * perSegment, 2 * perSegment);
    expect(dst.position).toBe(4 * SEGMENT);
    expect(await descriptor(dst.recordingId)).toMatchObject({
      startPosition: 2 * SEGMENT,
      stopPosition: 4 * SEGMENT,
      initialTermId: INITIAL_TERM_ID,
      termBufferLength: TERM,
      segmentFileLength: SEGMENT,
      mtuLength: srcBefore.mtuLength,
      streamId: STREAM_ID,
    });

    const from = signals.length;
    expect(await archive.migrateSegments(src.recordingId, dst.recordingId)).toBe(2);
    // src stopped on a segment boundary, so the archive deletes the empty segment file after it, then signals.
    const deleted = await awaitSignal(signals, RecordingSignal.DELETE, src.recordingId, from);
    expect(deleted.correlationId).toBe(archive.lastCorrelationId());
    expect(signals.slice(from).filter((s) => s.recordingId === dst.recordingId)).toEqual([]);

    // src stays listed, emptied (stop = its start); dst now starts where src started.
    expect(await descriptor(src.recordingId)).toMatchObject({ startPosition: 0, stopPosition: 0 });
    expect(await descriptor(dst.recordingId)).toMatchObject({ startPosition: 0, stopPosition: 4 * SEGMENT });
    expect(await archive.getStartPosition(dst.recordingId)).toBe(0);

    const replay = await archive.replay(dst.recordingId, 'aeron:ipc', 1034, { position: 0, length: 4 * SEGMENT });
    const messages = await receive(replay, 4 * perSegment, 60_000);
    replay.close();
    expect(messages).toHaveLength(4 * perSegment);
    let mismatches = 0;
    messages.forEach((m, i) => {
      const expected = message(i);
      if (m.length !== expected.length || !m.every((b, j) => b === expected[j])) mismatches++;
    });
    expect(mismatches).toBe(0);
  }, 120_000);

  it('appends a recording to one that stops at its start once the empty segment after dst is truncated away', async () => {
    const perSegment = SEGMENT / FRAME;
    const streamId = STREAM_ID + 10;
    const dst = await record(streamId, 0, 0, 2 * perSegment);
    const src = await record(streamId, 2 * SEGMENT, 2 * perSegment, 2 * perSegment);
    expect(await descriptor(src.recordingId)).toMatchObject({ startPosition: 2 * SEGMENT, stopPosition: 4 * SEGMENT });

    // dst stopped on a segment boundary: its empty next segment file is in the way of src's first one.
    const inTheWay = await migrateError(src.recordingId, dst.recordingId);
    expect(inTheWay.errorCodeName).toBe('GENERIC');
    expect(inTheWay.message).toContain(
      `preexisting dst segment file ${driver.archiveDir}/${dst.recordingId}-${2 * SEGMENT}.rec`,
    );

    const truncated = signals.length;
    await archive.truncateRecording(dst.recordingId, 2 * SEGMENT);
    await awaitSignal(signals, RecordingSignal.DELETE, dst.recordingId, truncated);

    const from = signals.length;
    expect(await archive.migrateSegments(src.recordingId, dst.recordingId)).toBe(2);
    await awaitSignal(signals, RecordingSignal.DELETE, src.recordingId, from);
    expect(await descriptor(src.recordingId)).toMatchObject({ startPosition: 2 * SEGMENT, stopPosition: 2 * SEGMENT });
    expect(await descriptor(dst.recordingId)).toMatchObject({ startPosition: 0, stopPosition: 4 * SEGMENT });

    const replay = await archive.replay(dst.recordingId, 'aeron:ipc', 1035, { position: 0, length: 4 * SEGMENT });
    const messages = await receive(replay, 4 * perSegment, 60_000);
    replay.close();
    expect(messages.map((m) => new DataView(m.buffer, m.byteOffset).getInt32(0, true))).toEqual(
      Array.from({ length: 4 * perSegment }, (_, i) => i),
    );
  }, 120_000);

  it('answers migrations the archive refuses with the 1.51.0 error codes and messages', async () => {
    const streamId = STREAM_ID + 1;
    // a: [0, 1024) stopped; b: [1024, 2048) stopped (seam not on a segment boundary); c: another stream.
    const a = await record(streamId, 0, 0, 1);
    const b = await record(streamId, 1024, 1, 1);
    const c = await record(streamId + 1, 1024, 1, 1);
    const live = await record(streamId, 2048, 2, 1, false);

    const unknown = await migrateError(987_654, b.recordingId);
    expect(unknown.errorCodeName).toBe('UNKNOWN_RECORDING');

    const active = await migrateError(live.recordingId, a.recordingId);
    expect(active.errorCodeName).toBe('GENERIC');
    expect(active.message).toContain(`recording ${live.recordingId} is still active`);

    const otherStream = await migrateError(a.recordingId, c.recordingId);
    expect(otherStream.errorCodeName).toBe('GENERIC');
    expect(otherStream.message).toContain(`invalid migrate: srcStreamId=${streamId} dstStreamId=${streamId + 1}`);

    const gap = await migrateError(a.recordingId, live.recordingId);
    expect(gap.errorCodeName).toBe('GENERIC');
    expect(gap.message).toContain(
      'invalid migrate: src and dst are not contiguous srcStartPosition=0 srcStopPosition=1024' +
        ' dstStartPosition=2048 dstStopPosition=-1',
    );

    const unaligned = await migrateError(a.recordingId, b.recordingId);
    expect(unaligned.errorCodeName).toBe('GENERIC');
    expect(unaligned.message).toContain(
      'invalid migrate: join position is not on segment boundary of src recording seamPosition=1024' +
        ` startPosition=0 stopPosition=1024 termBufferLength=${TERM} segmentFileLength=${SEGMENT}`,
    );

    // Nothing moved: every recording keeps its positions, and the session is still usable.
    expect(await descriptor(a.recordingId)).toMatchObject({ startPosition: 0, stopPosition: 1024 });
    expect(await descriptor(b.recordingId)).toMatchObject({ startPosition: 1024, stopPosition: 2048 });
    expect(archive.state()).toBe('CONNECTED');
    await live.close();
  }, 120_000);
});
