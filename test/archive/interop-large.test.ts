/**
 * A large recording from an aeron-ts publication (IPC, 4 MiB terms so the recording spans many term rotations)
 * replayed byte-identical: SHA-256 of every payload byte published equals that of every byte replayed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { awaitRecorded, connectLocalArchive } from './support/archive-interop.ts';

const TOTAL_BYTES = 100 * 1024 * 1024;
const TERM_LENGTH = 4 * 1024 * 1024;
const MESSAGE_LENGTH = 1376;

describeInterop('a large recording from aeron-ts replayed byte-identical', () => {
  let driver: ArchivingDriverHandle;
  let aeron: Aeron;
  let archive: AeronArchive;
  const signals: RecordingSignalEvent[] = [];

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await connectLocalArchive(aeron, driver, { recordingSignalConsumer: (s) => signals.push(s) });
  }, 60_000);

  afterAll(() => releaseAll(archive, aeron, driver), 30_000);

  it(`records ${TOTAL_BYTES / 1024 / 1024} MiB across term rotations and replays it with the same checksum`, async () => {
    const streamId = 4001;
    const publication = await archive.addRecordedExclusivePublication(`aeron:ipc?term-length=${TERM_LENGTH}`, streamId);
    await awaitCondition('START', () => signals.some((s) => s.signal === RecordingSignal.START));
    const recordingId = signals.find((s) => s.signal === RecordingSignal.START)?.recordingId ?? -1;

    const published = createHash('sha256');
    const message = new Uint8Array(MESSAGE_LENGTH);
    let seed = 0x12345678;
    let sent = 0;
    let position = 0;
    while (sent < TOTAL_BYTES) {
      for (let i = 0; i < MESSAGE_LENGTH; i += 4) {
        seed = (Math.imul(seed, 1_103_515_245) + 12_345) | 0;
        message[i] = seed;
        message[i + 1] = seed >>> 8;
        message[i + 2] = seed >>> 16;
        message[i + 3] = seed >>> 24;
      }
      position = await offerUntilAccepted(publication, message, 60_000);
      published.update(message);
      sent += MESSAGE_LENGTH;
    }
    expect(position).toBeGreaterThan(3 * TERM_LENGTH);
    await awaitRecorded(archive, recordingId, position, 60_000);
    await archive.stopRecordingPublication(publication);
    publication.close();
    expect(await archive.getStopPosition(recordingId)).toBe(position);

    const replay = await archive.replay(recordingId, 'aeron:ipc', 4002, { position: 0, length: position });
    const replayed = createHash('sha256');
    let received = 0;
    const chunk = new Uint8Array(MESSAGE_LENGTH);
    const onFragment = (buffer: ReadableBuffer, offset: number, length: number): void => {
      buffer.getBytes(offset, chunk, 0, length);
      replayed.update(chunk.subarray(0, length));
      received += length;
    };
    await pollUntil(
      `${sent} replayed bytes`,
      () => replay.poll(onFragment, 100),
      () => received >= sent,
      120_000,
    );
    replay.close();
    expect(received).toBe(sent);
    expect(replayed.digest('hex')).toBe(published.digest('hex'));
  }, 240_000);
});
