/**
 * Reliability row P6 (see README.md): positions above 2^53, against the real Java ArchivingMediaDriver 1.51.0
 * (one for the file: its media driver serves the client part, its archive the archive part).
 *
 * Positions are JS numbers. A position is a multiple of FRAME_ALIGNMENT (32 = 2^5), so every position up to
 * 2^58 is exact in a double. With `term-length=16m` (2^24) the largest position is 2^24 · 2^31 = 2^55; the
 * streams here start 64 KiB below 2^53, so the term that ends exactly at 2^53 rotates mid-test and every
 * later position is above `Number.MAX_SAFE_INTEGER`.
 *
 * ```
 *   2^53 − 64 KiB                 2^53 (term boundary)                              ≈ 2^53 + 250 KiB
 *   |── term 2^29−1 (tail) ───────|── term 2^29 ─────────────────────────────────────|
 *    160-byte frames, padding before the boundary (65536 is not a multiple of 160)
 * ```
 *
 * Every expected value is computed with BigInt in the test (frame alignment, term-end padding) and compared
 * with `BigInt(actual)`: offer results, `publication.position()`, the limit, `header.position()`, `image.position`,
 * the subscriber and publisher position counters through the `CountersReader`; then the archive: its
 * recording position counter, the recording's
 * start/stop positions (listRecording, getStartPosition, getStopPosition), and a replay started at a message
 * boundary above 2^53 (join position, header positions, content by sequence and checksum).
 *
 * Resources: the ResourceTracker checks no log mapping and no timer is left per case; `assertNoLeftovers()`
 * after the file (no driver JVM, no directory).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import {
  ADMIN_ACTION,
  type Aeron,
  BACK_PRESSURED,
  ChannelUriStringBuilder,
  MAX_POSITION_EXCEEDED,
} from '../../src/client/index.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { connectAeron, connectArchive, messagePayload, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { ResourceTracker } from './support/resources.ts';

const TERM_LENGTH = 16 * 1024 * 1024;
const TERM_LENGTH_N = BigInt(TERM_LENGTH);
const TWO_53 = 2n ** 53n;
const START_POSITION = TWO_53 - 64n * 1024n;
const INITIAL_TERM_ID = -1234;
const PAYLOAD_LENGTH = 100;
/** align(100 + 32, 32) */
const FRAME_LENGTH = 160n;
const COUNT = 2_000;
/** Counter type of the driver's publisher position (`AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID`). */
const PUBLISHER_POS_TYPE_ID = 12;
const CALL_MS = 20_000;
/** Counter type of the archive's recording position (`AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`); key: recordingId int64 @0. */
const RECORDING_POSITION_TYPE_ID = 100;

/** Channel of a stream starting at START_POSITION (built with our builder from a safe-integer position). */
function channel(): string {
  return new ChannelUriStringBuilder()
    .media('ipc')
    .initialPosition(Number(START_POSITION), INITIAL_TERM_ID, TERM_LENGTH)
    .build();
}

/**
 * The position after each of `count` frames of FRAME_LENGTH from `start` (a frame that does not fit the rest
 * of its term goes to the next one after padding), and each frame's start position.
 */
function expectedPositions(start: bigint, count: number): { begin: bigint[]; end: bigint[] } {
  const begin: bigint[] = [];
  const end: bigint[] = [];
  let position = start;
  for (let i = 0; i < count; i++) {
    const termOffset = position % TERM_LENGTH_N;
    if (termOffset + FRAME_LENGTH > TERM_LENGTH_N) position += TERM_LENGTH_N - termOffset;
    begin.push(position);
    position += FRAME_LENGTH;
    end.push(position);
  }
  return { begin, end };
}

/** `BigInt(n)`, failing the test (not throwing a RangeError) on a non-integer. */
function big(n: number): bigint {
  expect(Number.isInteger(n), `${n} is an integer`).toBe(true);
  return BigInt(n);
}

function payloadEquals(buffer: ReadableBuffer, offset: number, length: number, expected: Uint8Array): boolean {
  if (length !== expected.length) return false;
  const copy = new Uint8Array(length);
  buffer.getBytes(offset, copy, 0, length);
  for (let i = 0; i < length; i++) if (copy[i] !== expected[i]) return false;
  return true;
}

describeInterop('reliability P6: positions above 2^53 (Java ArchivingMediaDriver 1.51.0)', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  let tracker: ResourceTracker;
  const clientErrors: unknown[] = [];
  const signals = new SignalLog();
  const expected = expectedPositions(START_POSITION, COUNT);
  const payloads = Array.from({ length: COUNT }, (_, i) => messagePayload(6, i, PAYLOAD_LENGTH));

  beforeAll(async () => {
    driver = await startArchivingMediaDriver({ properties: { 'aeron.timer.interval': '100ms' } });
    aeron = await within('connect', 30_000, connectAeron(driver, clientErrors));
    archive = await within(
      'archive connect',
      30_000,
      connectArchive(aeron, driver, { recordingSignalConsumer: signals.consumer }),
    );
  }, 120_000);

  afterAll(async () => {
    await releaseAll(archive, aeron, driver);
    assertNoLeftovers();
  }, 60_000);

  /** Everything a case opened, closed after it even when it failed; then the logs it mapped must unmap. */
  const opened: Array<Publication | Subscription> = [];
  const logs: string[] = [];
  const noLogMapped = (): boolean => logs.every((path) => tracker.mappings(path) === 0);

  beforeEach(() => {
    tracker = new ResourceTracker();
  });
  afterEach(async () => {
    for (const resource of opened.splice(0)) resource.close();
    // the client unmaps a closed resource's log after its linger (3 s)
    await awaitCondition('logs unmapped after the linger', () => aeron.isClosed || noLogMapped(), CALL_MS);
    logs.length = 0;
    await tracker.settleTimers();
    tracker.release();
    expect(clientErrors).toEqual([]);
  });

  /** Offers message `i` until accepted (retrying ADMIN_ACTION at the rotation and BACK_PRESSURED); its result. */
  async function offer(publication: Publication, i: number, onBackPressure: () => void): Promise<number> {
    const deadline = Date.now() + CALL_MS;
    for (;;) {
      const payload = payloads[i] as Uint8Array;
      const result = publication.offer(payload, 0, payload.length);
      if (result > 0) return result;
      if (result !== ADMIN_ACTION && result !== BACK_PRESSURED) throw new Error(`offer ${i}: ${result}`);
      if (Date.now() > deadline) throw new Error(`offer ${i} not accepted within ${CALL_MS} ms (${result})`);
      onBackPressure();
      if (result === BACK_PRESSURED) await sleep(1);
    }
  }

  it('P6 client: offer results, publication/image/header positions and position counters are exact across 2^53', async () => {
    // typed error: none is expected here; what is asserted is that no position is rounded (vs BigInt)
    const uri = channel();
    expect(uri).toContain(`term-id=${INITIAL_TERM_ID + 2 ** 29 - 1}`);
    expect(uri).toContain(`term-offset=${TERM_LENGTH - 64 * 1024}`);
    const streamId = 6001;
    const subscription = await within('addSubscription', CALL_MS, aeron.addSubscription(uri, streamId));
    opened.push(subscription);
    const publication = await within('addExclusivePublication', CALL_MS, aeron.addExclusivePublication(uri, streamId));
    opened.push(publication);
    logs.push(tracker.trackFile(publication.logBuffers.path));
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1, CALL_MS);
    const image = subscription.imageAtIndex(0);

    expect(big(publication.maxPossiblePosition)).toBe(2n ** 55n);
    expect(big(publication.position())).toBe(START_POSITION);
    expect(big(image.joinPosition)).toBe(START_POSITION);
    expect(big(image.position)).toBe(START_POSITION);

    const problems: string[] = [];
    let received = 0;
    const onFragment = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
      const i = received++;
      if (i >= COUNT) {
        problems.push(`extra fragment at ${header.position()}`);
        return;
      }
      if (BigInt(header.position()) !== expected.end[i]) {
        problems.push(`message ${i}: header.position ${header.position()} expected ${expected.end[i]}`);
      }
      if (!payloadEquals(buffer, offset, length, payloads[i] as Uint8Array)) problems.push(`message ${i}: payload`);
    };
    const drain = (): void => {
      if (subscription.poll(onFragment, 100) > 0) {
        const position = image.position;
        // after the last message of a term the poll also consumes the padding up to the term end
        const exact = BigInt(position);
        if (exact !== expected.end[received - 1] && exact !== expected.begin[received]) {
          problems.push(`image.position ${position} after ${received} messages`);
        }
        const counter = aeron.countersReader.getCounterValue(image.subscriberPositionId);
        if (counter !== position) problems.push(`sub-pos counter ${counter} != image.position ${position}`);
      }
    };

    const limits = new Set<number>();
    for (let i = 0; i < COUNT; i++) {
      const result = await offer(publication, i, drain);
      expect(big(result)).toBe(expected.end[i]);
      expect(big(publication.position())).toBe(expected.end[i]);
      const limit = publication.positionLimit();
      limits.add(limit);
      expect(big(limit) % 32n).toBe(0n);
      expect(aeron.countersReader.getCounterValue(publication.positionLimitId)).toBeGreaterThanOrEqual(limit);
      if (i % 50 === 49) {
        drain();
        await sleep(0);
      }
    }
    await awaitCondition(
      'every message received',
      () => {
        drain();
        return received >= COUNT || problems.length > 0;
      },
      CALL_MS,
      1,
    );
    expect(problems).toEqual([]);
    expect(received).toBe(COUNT);
    const last = expected.end[COUNT - 1] as bigint;
    expect(last).toBeGreaterThan(TWO_53 + 64n * 1024n);
    expect(big(image.position)).toBe(last);
    expect(big(aeron.countersReader.getCounterValue(image.subscriberPositionId))).toBe(last);
    // the limit moved past 2^53 as the subscriber consumed, read exactly from the driver's counter
    expect([...limits].some((l) => BigInt(l) > TWO_53)).toBe(true);
    const pubPosId = aeron.countersReader.findByTypeIdAndRegistrationId(
      PUBLISHER_POS_TYPE_ID,
      publication.originalRegistrationId,
    );
    expect(pubPosId).toBeGreaterThanOrEqual(0);
    await awaitCondition(
      'the driver published pub-pos = last position',
      () => BigInt(aeron.countersReader.getCounterValue(pubPosId)) === last,
      CALL_MS,
    );
  }, 120_000);

  it('P6 client at the top: the last offer returns exactly 2^55 (16m terms), then MAX_POSITION_EXCEEDED', async () => {
    // The parameters are computed with BigInt (term-id = init + (2^55 − 64) / 2^24, term-offset = (2^55 − 64)
    // mod 2^24) and must equal what ChannelUriStringBuilder.initialPosition computes from the double.
    const maxPosition = 2n ** 55n;
    const startAt = maxPosition - 64n;
    const termId = BigInt(INITIAL_TERM_ID) + startAt / TERM_LENGTH_N;
    const termOffset = startAt % TERM_LENGTH_N;
    expect(termId).toBeLessThanOrEqual(2n ** 31n - 1n);
    const uri = `aeron:ipc?term-length=16m|init-term-id=${INITIAL_TERM_ID}|term-id=${termId}|term-offset=${termOffset}`;
    const built = new ChannelUriStringBuilder()
      .media('ipc')
      .initialPosition(Number(startAt), INITIAL_TERM_ID, Number(TERM_LENGTH_N));
    expect([built.termId(), built.termOffset()]).toEqual([Number(termId), Number(termOffset)]);
    const streamId = 6004;
    const subscription = await within('addSubscription', CALL_MS, aeron.addSubscription(uri, streamId));
    opened.push(subscription);
    const publication = await within('addExclusivePublication', CALL_MS, aeron.addExclusivePublication(uri, streamId));
    opened.push(publication);
    logs.push(tracker.trackFile(publication.logBuffers.path));
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1, CALL_MS);
    expect(big(publication.maxPossiblePosition)).toBe(maxPosition);
    expect(big(publication.position())).toBe(startAt);
    expect(big(subscription.imageAtIndex(0).joinPosition)).toBe(startAt);
    const payload = messagePayload(7, 0, 32);
    expect(big(publication.offer(payload, 0, 32))).toBe(maxPosition);
    expect(publication.offer(payload, 0, 32)).toBe(MAX_POSITION_EXCEEDED);
    let header = 0n;
    await awaitCondition(
      'the last message',
      () => {
        subscription.poll((buffer, offset, length, h) => {
          expect(payloadEquals(buffer, offset, length, payload)).toBe(true);
          header = BigInt(h.position());
        }, 10);
        return header !== 0n;
      },
      CALL_MS,
      1,
    );
    expect(header).toBe(maxPosition);
    const image = subscription.imageAtIndex(0);
    expect(big(image.position)).toBe(maxPosition);
    expect(big(aeron.countersReader.getCounterValue(image.subscriberPositionId))).toBe(maxPosition);
  }, 120_000);

  it('P6 archive: recording start/stop positions exact, replay from a position above 2^53 intact', async () => {
    // typed error: none is expected here; what is asserted is that no position is rounded (vs BigInt)
    const uri = channel();
    const streamId = 6002;
    const subscriptionId = await within(
      'startRecording',
      CALL_MS,
      archive.startRecording(uri, streamId, SourceLocation.LOCAL),
    );
    const publication = await within('addExclusivePublication', CALL_MS, aeron.addExclusivePublication(uri, streamId));
    opened.push(publication);
    logs.push(tracker.trackFile(publication.logBuffers.path));
    const start = await signals.await('START', (e) => e.subscriptionId === subscriptionId);
    expect(big(start.position)).toBe(START_POSITION);
    const recordingId = start.recordingId;
    for (let i = 0; i < COUNT; i++) {
      const result = await offer(publication, i, () => {});
      expect(big(result)).toBe(expected.end[i]);
    }
    const last = expected.end[COUNT - 1] as bigint;
    const deadline = Date.now() + CALL_MS;
    for (;;) {
      const recorded = await within('getRecordingPosition', CALL_MS, archive.getRecordingPosition(recordingId));
      expect(big(recorded) % 32n).toBe(0n);
      if (BigInt(recorded) === last) break;
      if (Date.now() > deadline) throw new Error(`recording stuck at ${recorded}, expected ${last}`);
      await sleep(20);
    }
    // the archive's recording position counter (rec-pos), read through our CountersReader
    let recPosId = -1;
    aeron.countersReader.forEach((counterId, typeId, key) => {
      if (typeId === RECORDING_POSITION_TYPE_ID && key.getInt64(0) === recordingId) recPosId = counterId;
    });
    expect(recPosId).toBeGreaterThanOrEqual(0);
    expect(big(aeron.countersReader.getCounterValue(recPosId))).toBe(last);
    await within('stopRecording', CALL_MS, archive.stopRecordingBySubscriptionId(subscriptionId));
    await signals.await('STOP', (e) => e.recordingId === recordingId);
    publication.close();

    const descriptors: RecordingDescriptor[] = [];
    const count = await within(
      'listRecording',
      CALL_MS,
      archive.listRecording(recordingId, (d) => {
        descriptors.push({ ...d });
      }),
    );
    expect(count).toBe(1);
    const descriptor = descriptors[0] as RecordingDescriptor;
    expect(big(descriptor.startPosition)).toBe(START_POSITION);
    expect(big(descriptor.stopPosition)).toBe(last);
    expect(descriptor.termBufferLength).toBe(TERM_LENGTH);
    expect(descriptor.initialTermId).toBe(INITIAL_TERM_ID);
    expect(big(await within('getStartPosition', CALL_MS, archive.getStartPosition(recordingId)))).toBe(START_POSITION);
    expect(big(await within('getStopPosition', CALL_MS, archive.getStopPosition(recordingId)))).toBe(last);

    // replay from the first message that starts above 2^53, to the end
    const first = expected.begin.findIndex((p) => p > TWO_53);
    expect(first).toBeGreaterThan(0);
    const replayFrom = expected.begin[first] as bigint;
    const replayStream = 6003;
    const replaySubscription = await within('replay sub', CALL_MS, aeron.addSubscription('aeron:ipc', replayStream));
    opened.push(replaySubscription);
    await within(
      'startReplay',
      CALL_MS,
      archive.startReplay(recordingId, Number(replayFrom), Number(last - replayFrom), 'aeron:ipc', replayStream),
    );
    await awaitCondition('replay image', () => replaySubscription.imageCount === 1, CALL_MS);
    const image = replaySubscription.imageAtIndex(0);
    logs.push(tracker.trackFile(image.logBuffers.path));
    expect(big(image.joinPosition)).toBe(replayFrom);
    const problems: string[] = [];
    let next = first;
    await awaitCondition(
      'the replay up to the stop position',
      () => {
        replaySubscription.poll((buffer, offset, length, header) => {
          const i = next++;
          const end = expected.end[i];
          if (end === undefined) {
            problems.push(`extra fragment at ${header.position()}`);
            return;
          }
          if (BigInt(header.position()) !== end) problems.push(`replayed ${i}: header.position ${header.position()}`);
          if (new DataView(copyOf(buffer, offset, length).buffer).getInt32(0, true) !== i) {
            problems.push(`replayed ${i}: sequence`);
          }
          if (!payloadEquals(buffer, offset, length, payloads[i] as Uint8Array))
            problems.push(`replayed ${i}: payload`);
        }, 100);
        return next >= COUNT || problems.length > 0;
      },
      CALL_MS,
      1,
    );
    expect(problems).toEqual([]);
    expect(next).toBe(COUNT);
    expect(big(image.position)).toBe(last);
  }, 180_000);
});

function copyOf(buffer: ReadableBuffer, offset: number, length: number): Uint8Array {
  const copy = new Uint8Array(length);
  buffer.getBytes(offset, copy, 0, length);
  return copy;
}
