/**
 * Record and replay with a running Aeron ArchivingMediaDriver:
 *
 *   1. start recording `aeron:ipc` stream 10 and wait for the archive's START signal,
 *   2. publish 11 messages "123456", wait until the archive has recorded them (`awaitRecordingPosition`: a stop
 *      right after the last offer would lose what the archive has not written yet), stop recording (STOP signal),
 *   3. find the recording with list-recordings-for-URI,
 *   4. replay it on stream 45, subscribe with the replay's session id, count the messages.
 *
 * Prints "replayed 11 of 11 messages" and exits 0 when every message came back, else exits 1.
 *
 * Usage (flags win over the environment, which wins over the defaults):
 *   tsx examples/record-and-replay.ts [--aeron-dir DIR] [--control-channel URI] [--control-stream-id N]
 *                                     [--response-channel URI]
 *   AERON_DIR, AERON_ARCHIVE_CONTROL_CHANNEL, AERON_ARCHIVE_CONTROL_STREAM_ID,
 *   AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL
 * `npm run demo` starts an archive, runs this against it, and stops the archive.
 */
import { parseArgs } from 'node:util';
import { SourceLocation } from '../codecs/generated/archive/index.ts';
import {
  AeronArchive,
  type RecordingDescriptor,
  RecordingSignal,
  type RecordingSignalEvent,
} from '../src/archive/index.ts';
import { Aeron, type Header, type Publication } from '../src/client/index.ts';
import type { ReadableBuffer } from '../src/logbuffer/log-buffer-memory.ts';

const CHANNEL = 'aeron:ipc';
const STREAM_ID = 10;
const REPLAY_CHANNEL = 'aeron:ipc';
const REPLAY_STREAM_ID = 45;
const MESSAGE_COUNT = 11;
const MESSAGE = new TextEncoder().encode('123456');
const TIMEOUT_MS = 30_000;

const { values } = parseArgs({
  options: {
    'aeron-dir': { type: 'string' },
    'control-channel': { type: 'string' },
    'control-stream-id': { type: 'string' },
    'response-channel': { type: 'string' },
  },
});
const env = process.env;
const aeronDir = values['aeron-dir'] ?? env.AERON_DIR;
const controlChannel =
  values['control-channel'] ?? env.AERON_ARCHIVE_CONTROL_CHANNEL ?? 'aeron:udp?endpoint=localhost:8010';
const controlStreamId = Number(values['control-stream-id'] ?? env.AERON_ARCHIVE_CONTROL_STREAM_ID ?? '10');
const responseChannel =
  values['response-channel'] ?? env.AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL ?? 'aeron:udp?endpoint=localhost:0';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

async function offer(publication: Publication, message: Uint8Array): Promise<number> {
  let result = 0;
  await until(() => {
    result = publication.offer(message, 0, message.length);
    return result > 0;
  }, 'the publication to accept a message');
  return result;
}

async function main(): Promise<number> {
  const aeron = await Aeron.connect({ ...(aeronDir === undefined ? {} : { aeronDir }), driverTimeoutMs: 10_000 });
  const signals: RecordingSignalEvent[] = [];
  const archive = await AeronArchive.connect({
    aeron,
    controlRequestChannel: controlChannel,
    controlRequestStreamId: controlStreamId,
    controlResponseChannel: responseChannel,
    recordingSignalConsumer: (signal) => signals.push(signal),
  });
  try {
    const subscriptionId = await archive.startRecording(CHANNEL, STREAM_ID, SourceLocation.LOCAL);
    const publication = await aeron.addExclusivePublication(CHANNEL, STREAM_ID);
    const signalled = (signal: number) => () =>
      signals.some((s) => s.signal === signal && s.subscriptionId === subscriptionId);
    await until(signalled(RecordingSignal.START), 'the START signal');
    const recordingId = signals.find(signalled(RecordingSignal.START))?.recordingId ?? -1;
    console.log(`recording ${recordingId} started`);

    let position = 0;
    for (let i = 0; i < MESSAGE_COUNT; i++) position = await offer(publication, MESSAGE);
    // Stopping a recording aborts what the archive has not written yet: wait until it has all of it.
    await archive.awaitRecordingPosition(recordingId, position, { timeoutMs: TIMEOUT_MS });
    await archive.stopRecordingBySubscriptionId(subscriptionId);
    await until(signalled(RecordingSignal.STOP), 'the STOP signal');
    publication.close();

    const found: RecordingDescriptor[] = [];
    await archive.listRecordingsForUri(0, 100, CHANNEL, STREAM_ID, (d) => found.push(d));
    const recording = found.find((d) => d.sessionId === publication.sessionId && d.stopPosition === position);
    if (recording === undefined) throw new Error(`recording not listed for ${CHANNEL} stream ${STREAM_ID}`);
    console.log(`found recording ${recording.recordingId}: ${recording.startPosition}..${recording.stopPosition}`);

    const replay = await archive.replay(recording.recordingId, REPLAY_CHANNEL, REPLAY_STREAM_ID, {
      position: recording.startPosition,
      length: recording.stopPosition - recording.startPosition,
    });
    let replayed = 0;
    const text = new TextDecoder();
    const onMessage = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
      const bytes = new Uint8Array(length);
      buffer.getBytes(offset, bytes, 0, length);
      if (text.decode(bytes) === '123456') replayed++;
    };
    await until(() => {
      replay.poll(onMessage, 10);
      return replayed >= MESSAGE_COUNT || (replay.imageCount > 0 && replay.images[0]?.isEndOfStream === true);
    }, 'the replayed messages').catch((error: unknown) => console.error(String(error)));
    replay.close();
    console.log(`replayed ${replayed} of ${MESSAGE_COUNT} messages`);
    return replayed === MESSAGE_COUNT ? 0 : 1;
  } finally {
    archive.close();
    aeron.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
