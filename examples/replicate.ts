/**
 * Replicate a recording between two running Aeron ArchivingMediaDrivers:
 *
 *   1. on the source archive: record `aeron:ipc` stream 10, publish 50 messages, stop the recording,
 *   2. on the destination archive: replicate the source recording (REPLICATE … REPLICATE_END signals),
 *   3. replay the copy from the destination archive and count the messages.
 *
 * Prints "replicated recording S to D: replayed 50 of 50 messages" and exits 0 when every message came back.
 *
 * Usage (flags win over the environment, which wins over the defaults):
 *   tsx examples/replicate.ts [--src-aeron-dir DIR] [--src-control-channel URI] [--src-control-stream-id N]
 *                             [--dst-aeron-dir DIR] [--dst-control-channel URI] [--dst-control-stream-id N]
 *                             [--response-channel URI]
 *   SRC_AERON_DIR, SRC_ARCHIVE_CONTROL_CHANNEL, SRC_ARCHIVE_CONTROL_STREAM_ID,
 *   DST_AERON_DIR, DST_ARCHIVE_CONTROL_CHANNEL, DST_ARCHIVE_CONTROL_STREAM_ID, AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL
 */
import { parseArgs } from 'node:util';
import { SourceLocation } from '../codecs/generated/archive/index.ts';
import { AeronArchive, RecordingSignal, type RecordingSignalEvent } from '../src/archive/index.ts';
import { Aeron, type Header } from '../src/client/index.ts';
import type { ReadableBuffer } from '../src/logbuffer/log-buffer-memory.ts';

const CHANNEL = 'aeron:ipc';
const STREAM_ID = 10;
const REPLAY_CHANNEL = 'aeron:ipc';
const REPLAY_STREAM_ID = 46;
const MESSAGE_COUNT = 50;
const TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    'src-aeron-dir': { type: 'string' },
    'src-control-channel': { type: 'string' },
    'src-control-stream-id': { type: 'string' },
    'dst-aeron-dir': { type: 'string' },
    'dst-control-channel': { type: 'string' },
    'dst-control-stream-id': { type: 'string' },
    'response-channel': { type: 'string' },
  },
});
const env = process.env;
const src = {
  aeronDir: values['src-aeron-dir'] ?? env.SRC_AERON_DIR,
  controlChannel:
    values['src-control-channel'] ?? env.SRC_ARCHIVE_CONTROL_CHANNEL ?? 'aeron:udp?endpoint=localhost:8010',
  controlStreamId: Number(values['src-control-stream-id'] ?? env.SRC_ARCHIVE_CONTROL_STREAM_ID ?? '10'),
};
const dst = {
  aeronDir: values['dst-aeron-dir'] ?? env.DST_AERON_DIR,
  controlChannel:
    values['dst-control-channel'] ?? env.DST_ARCHIVE_CONTROL_CHANNEL ?? 'aeron:udp?endpoint=localhost:8011',
  controlStreamId: Number(values['dst-control-stream-id'] ?? env.DST_ARCHIVE_CONTROL_STREAM_ID ?? '10'),
};
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

interface Side {
  readonly aeron: Aeron;
  readonly archive: AeronArchive;
  readonly signals: RecordingSignalEvent[];
}

async function connect(side: typeof src): Promise<Side> {
  const aeron = await Aeron.connect({
    ...(side.aeronDir === undefined ? {} : { aeronDir: side.aeronDir }),
    driverTimeoutMs: 10_000,
  });
  const signals: RecordingSignalEvent[] = [];
  try {
    const archive = await AeronArchive.connect({
      aeron,
      controlRequestChannel: side.controlChannel,
      controlRequestStreamId: side.controlStreamId,
      controlResponseChannel: responseChannel,
      recordingSignalConsumer: (signal) => signals.push(signal),
    });
    return { aeron, archive, signals };
  } catch (error) {
    aeron.close();
    throw error;
  }
}

function close(side: Side | null): void {
  side?.archive.close();
  side?.aeron.close();
}

/** Records MESSAGE_COUNT messages on the source archive; resolves the recording id. */
async function recordOnSource(source: Side): Promise<number> {
  const { aeron, archive, signals } = source;
  const subscriptionId = await archive.startRecording(CHANNEL, STREAM_ID, SourceLocation.LOCAL);
  const publication = await aeron.addExclusivePublication(CHANNEL, STREAM_ID);
  const signalled = (signal: number) => () =>
    signals.some((s) => s.signal === signal && s.subscriptionId === subscriptionId);
  await until(signalled(RecordingSignal.START), 'the START signal');
  const recordingId = signals.find(signalled(RecordingSignal.START))?.recordingId ?? -1;
  const message = new TextEncoder().encode('replicated message');
  let position = 0;
  for (let i = 0; i < MESSAGE_COUNT; i++) {
    await until(() => {
      const result = publication.offer(message, 0, message.length);
      if (result > 0) position = result;
      return result > 0;
    }, 'the publication to accept a message');
  }
  await archive.awaitRecordingPosition(recordingId, position, { timeoutMs: TIMEOUT_MS });
  await archive.stopRecordingBySubscriptionId(subscriptionId);
  await until(signalled(RecordingSignal.STOP), 'the STOP signal');
  publication.close();
  console.log(`recorded ${MESSAGE_COUNT} messages as recording ${recordingId} on the source archive`);
  return recordingId;
}

async function main(): Promise<number> {
  let source: Side | null = null;
  let destination: Side | null = null;
  try {
    source = await connect(src);
    destination = await connect(dst);
    const srcRecordingId = await recordOnSource(source);

    const { archive, signals } = destination;
    const replicationId = await archive.replicate(srcRecordingId, src.controlStreamId, src.controlChannel);
    const ofReplication = (signal: number) => () =>
      signals.some((s) => s.signal === signal && s.correlationId === replicationId);
    await until(ofReplication(RecordingSignal.REPLICATE_END), 'the REPLICATE_END signal');
    const dstRecordingId = signals.find(ofReplication(RecordingSignal.REPLICATE))?.recordingId ?? -1;
    const stopPosition = await archive.getStopPosition(dstRecordingId);
    console.log(`replicated recording ${srcRecordingId} to ${dstRecordingId} (stop position ${stopPosition})`);

    const replay = await archive.replay(dstRecordingId, REPLAY_CHANNEL, REPLAY_STREAM_ID, {
      position: 0,
      length: stopPosition,
    });
    let replayed = 0;
    const onMessage = (_buffer: ReadableBuffer, _offset: number, _length: number, _header: Header): void => {
      replayed++;
    };
    await until(() => {
      replay.poll(onMessage, 10);
      return replayed >= MESSAGE_COUNT || (replay.imageCount > 0 && replay.images[0]?.isEndOfStream === true);
    }, 'the replayed messages').catch((error: unknown) => console.error(String(error)));
    replay.close();
    console.log(
      `replicated recording ${srcRecordingId} to ${dstRecordingId}: replayed ${replayed} of ${MESSAGE_COUNT} messages`,
    );
    return replayed === MESSAGE_COUNT ? 0 : 1;
  } finally {
    close(destination);
    close(source);
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
