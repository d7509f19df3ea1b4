/**
 * Replay-merge with a running Aeron ArchivingMediaDriver (the channels of Aeron's ReplayMergeTest):
 *
 *   1. publish on a dynamic-MDC channel (min flow control: never ahead of the slowest receiver) and record it REMOTE,
 *   2. publish the first 500 sequence-numbered messages and wait until they are recorded,
 *   3. ReplayMerge from position 0 into an MDS subscription (`control-mode=manual`): replay first, then the live
 *      destination joins and the replay is stopped, while the publisher keeps publishing,
 *   4. after the merge, 500 more messages arrive live; every message must arrive once and in order.
 *
 * Prints "merged after N replayed messages, M live" and exits 0 when every message came back once in order.
 *
 * Usage (flags win over the environment, which wins over the defaults):
 *   tsx examples/replay-merge.ts [--aeron-dir DIR] [--control-channel URI] [--control-stream-id N]
 *                                [--response-channel URI] [--live-control-endpoint HOST:PORT]
 *                                [--recording-endpoint HOST:PORT] [--live-endpoint HOST:PORT]
 *   AERON_DIR, AERON_ARCHIVE_CONTROL_CHANNEL, AERON_ARCHIVE_CONTROL_STREAM_ID, AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL,
 *   REPLAY_MERGE_LIVE_CONTROL_ENDPOINT, REPLAY_MERGE_RECORDING_ENDPOINT, REPLAY_MERGE_LIVE_ENDPOINT
 */
import { parseArgs } from 'node:util';
import { SourceLocation } from '../codecs/generated/archive/index.ts';
import { AeronArchive, ReplayMerge } from '../src/archive/index.ts';
import { Aeron, type Header } from '../src/client/index.ts';
import type { ReadableBuffer } from '../src/logbuffer/log-buffer-memory.ts';

const STREAM_ID = 1001;
const MESSAGE_LENGTH = 128;
const BEFORE_MERGE = 500;
const AFTER_MERGE = 500;
const TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    'aeron-dir': { type: 'string' },
    'control-channel': { type: 'string' },
    'control-stream-id': { type: 'string' },
    'response-channel': { type: 'string' },
    'live-control-endpoint': { type: 'string' },
    'recording-endpoint': { type: 'string' },
    'live-endpoint': { type: 'string' },
  },
});
const env = process.env;
const aeronDir = values['aeron-dir'] ?? env.AERON_DIR;
const controlChannel =
  values['control-channel'] ?? env.AERON_ARCHIVE_CONTROL_CHANNEL ?? 'aeron:udp?endpoint=localhost:8010';
const controlStreamId = Number(values['control-stream-id'] ?? env.AERON_ARCHIVE_CONTROL_STREAM_ID ?? '10');
const responseChannel =
  values['response-channel'] ?? env.AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL ?? 'aeron:udp?endpoint=localhost:0';
const liveControl = values['live-control-endpoint'] ?? env.REPLAY_MERGE_LIVE_CONTROL_ENDPOINT ?? 'localhost:23265';
const recordingEndpoint = values['recording-endpoint'] ?? env.REPLAY_MERGE_RECORDING_ENDPOINT ?? 'localhost:23266';
const liveEndpoint = values['live-endpoint'] ?? env.REPLAY_MERGE_LIVE_ENDPOINT ?? 'localhost:23267';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

async function main(): Promise<number> {
  const aeron = await Aeron.connect({ ...(aeronDir === undefined ? {} : { aeronDir }), driverTimeoutMs: 10_000 });
  const archive = await AeronArchive.connect({
    aeron,
    controlRequestChannel: controlChannel,
    controlRequestStreamId: controlStreamId,
    controlResponseChannel: responseChannel,
  });
  try {
    const publication = await aeron.addPublication(
      `aeron:udp?control=${liveControl}|control-mode=dynamic|term-length=64k|fc=min,t:10s`,
      STREAM_ID,
    );
    const sessionId = publication.sessionId;
    await archive.startRecording(
      `aeron:udp?endpoint=${recordingEndpoint}|control=${liveControl}|session-id=${sessionId}`,
      STREAM_ID,
      SourceLocation.REMOTE,
      { autoStop: true },
    );
    let recordingId = -1;
    await until(async () => {
      recordingId = await archive.findLastMatchingRecording(0, '', STREAM_ID, sessionId);
      return recordingId !== -1 && publication.isConnected();
    }, 'the recording to start');
    console.log(`recording ${recordingId} of session ${sessionId} started`);

    const message = new Uint8Array(MESSAGE_LENGTH);
    const view = new DataView(message.buffer);
    let published = 0;
    const publishOne = (): void => {
      view.setInt32(0, published, true);
      const result = publication.offer(message, 0, MESSAGE_LENGTH);
      if (result > 0) published++;
      else if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
    };
    await until(() => {
      publishOne();
      return published >= BEFORE_MERGE;
    }, 'the first messages to be published');
    const recorded = publication.position();
    await archive.awaitRecordingPosition(recordingId, recorded, { timeoutMs: TIMEOUT_MS });

    let received = 0;
    let outOfOrder = 0;
    const onMessage = (buffer: ReadableBuffer, offset: number, _length: number, _header: Header): void => {
      if (buffer.getInt32(offset) !== received) outOfOrder++;
      received++;
    };
    const subscription = await aeron.addSubscription(
      `aeron:udp?control-mode=manual|session-id=${sessionId}`,
      STREAM_ID,
    );
    const merge = new ReplayMerge(
      subscription,
      archive,
      `aeron:udp?session-id=${sessionId}`,
      'aeron:udp?endpoint=localhost:0',
      `aeron:udp?endpoint=${liveEndpoint}|control=${liveControl}`,
      recordingId,
      0,
      { mergeProgressTimeoutMs: 20_000 },
    );
    try {
      await until(() => {
        publishOne();
        merge.poll(onMessage, 10);
        return merge.isMerged();
      }, `the merge (${merge})`);
      const replayed = received;
      const image = merge.image();
      if (image === null) throw new Error('merged without an image');
      const total = published + AFTER_MERGE;
      await until(() => {
        if (published < total) publishOne();
        image.poll(onMessage, 10);
        return received >= total;
      }, 'the live messages');
      console.log(`merged after ${replayed} replayed messages, ${received - replayed} live`);
      console.log(`received ${received} of ${published} messages, ${outOfOrder} out of order`);
      return received === published && outOfOrder === 0 ? 0 : 1;
    } finally {
      merge.close();
      subscription.close();
      publication.close();
    }
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
