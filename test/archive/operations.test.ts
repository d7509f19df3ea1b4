import { describe, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/index.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { connectFake } from './support/connect.ts';

const CS = 777;
const creds = new Uint8Array([1, 2, 3]);

interface Case {
  readonly name: string;
  readonly template: number;
  readonly answer?: number | bigint;
  readonly call: (a: AeronArchive) => Promise<unknown>;
  readonly request: string;
  readonly fields: Record<string, unknown>;
  readonly result: unknown;
}

/** Every control operation: the request it sends (every field) and what it resolves. */
const CASES: Case[] = [
  {
    name: 'startRecording',
    template: 4,
    answer: 55,
    call: (a) => a.startRecording('aeron:udp?endpoint=localhost:9000', 1001, SourceLocation.REMOTE),
    request: 'StartRecordingRequest',
    fields: { streamId: 1001, sourceLocation: 'REMOTE', channel: 'aeron:udp?endpoint=localhost:9000' },
    result: 55,
  },
  {
    name: 'startRecording autoStop',
    template: 63,
    answer: 56,
    call: (a) => a.startRecording('aeron:ipc', 7, SourceLocation.LOCAL, { autoStop: true }),
    request: 'StartRecordingRequest2',
    fields: { streamId: 7, sourceLocation: 'LOCAL', autoStop: 'TRUE', channel: 'aeron:ipc' },
    result: 56,
  },
  {
    name: 'extendRecording',
    template: 11,
    answer: 57,
    call: (a) => a.extendRecording(3, 'aeron:ipc', 8, SourceLocation.LOCAL),
    request: 'ExtendRecordingRequest',
    fields: { recordingId: 3, streamId: 8, sourceLocation: 'LOCAL', channel: 'aeron:ipc' },
    result: 57,
  },
  {
    name: 'extendRecording autoStop',
    template: 64,
    answer: 58,
    call: (a) => a.extendRecording(3, 'aeron:ipc', 8, SourceLocation.REMOTE, { autoStop: false }),
    request: 'ExtendRecordingRequest2',
    fields: { recordingId: 3, streamId: 8, sourceLocation: 'REMOTE', autoStop: 'FALSE', channel: 'aeron:ipc' },
    result: 58,
  },
  {
    name: 'stopRecording',
    template: 5,
    call: (a) => a.stopRecording('aeron:ipc', 9),
    request: 'StopRecordingRequest',
    fields: { streamId: 9, channel: 'aeron:ipc' },
    result: undefined,
  },
  {
    name: 'tryStopRecording',
    template: 5,
    call: (a) => a.tryStopRecording('aeron:ipc', 9),
    request: 'StopRecordingRequest',
    fields: { streamId: 9, channel: 'aeron:ipc' },
    result: true,
  },
  {
    name: 'stopRecordingBySubscriptionId',
    template: 14,
    call: (a) => a.stopRecordingBySubscriptionId(1234),
    request: 'StopRecordingSubscriptionRequest',
    fields: { subscriptionId: 1234 },
    result: undefined,
  },
  {
    name: 'tryStopRecordingBySubscriptionId',
    template: 14,
    call: (a) => a.tryStopRecordingBySubscriptionId(1235),
    request: 'StopRecordingSubscriptionRequest',
    fields: { subscriptionId: 1235 },
    result: true,
  },
  {
    name: 'tryStopRecordingByIdentity',
    template: 65,
    answer: 1,
    call: (a) => a.tryStopRecordingByIdentity(12),
    request: 'StopRecordingByIdentityRequest',
    fields: { recordingId: 12 },
    result: true,
  },
  {
    name: 'startReplay',
    template: 6,
    answer: 0x1_0000_0005,
    call: (a) => a.startReplay(4, 1024, -2, 'aeron:udp?endpoint=localhost:9100', 1002),
    request: 'ReplayRequest',
    fields: {
      recordingId: 4,
      position: 1024,
      length: -2,
      replayStreamId: 1002,
      fileIoMaxLength: -1,
      replayToken: -1,
      replayChannel: 'aeron:udp?endpoint=localhost:9100',
    },
    result: 0x1_0000_0005n,
  },
  {
    // Java's replayId counts replays on the archive: after 2^21 of them the session id passes 2^53.
    name: 'startReplay resolves a replay session id above 2^53 exactly',
    template: 6,
    answer: (2_100_000n << 32n) | 0xdead_beefn,
    call: (a) => a.startReplay(4, 0, -1, 'aeron:ipc', 1002),
    request: 'ReplayRequest',
    fields: { recordingId: 4, position: 0, length: -1 },
    result: (2_100_000n << 32n) | 0xdead_beefn,
  },
  {
    name: 'startReplay(recordingId, channel, streamId, params): the Java form',
    template: 6,
    answer: 0x5_0000_0009n,
    call: (a) => a.startReplay(4, 'aeron:ipc', 1005, { position: 64, length: 128 }),
    request: 'ReplayRequest',
    fields: { recordingId: 4, position: 64, length: 128, replayStreamId: 1005, replayChannel: 'aeron:ipc' },
    result: 0x5_0000_0009n,
  },
  {
    name: 'startReplay(recordingId, channel, streamId) with default params (bounded with a counter)',
    template: 18,
    answer: 0x5_0000_000an,
    call: (a) => a.startReplay(4, 'aeron:ipc', 1005, { boundingLimitCounterId: 3 }),
    request: 'BoundedReplayRequest',
    fields: { recordingId: 4, position: -1, length: -1, limitCounterId: 3, replayStreamId: 1005 },
    result: 0x5_0000_000an,
  },
  {
    name: 'startBoundedReplay',
    template: 18,
    answer: 99,
    call: (a) => a.startBoundedReplay(4, 0, -1, 33, 'aeron:ipc', 1003),
    request: 'BoundedReplayRequest',
    fields: {
      recordingId: 4,
      position: 0,
      length: -1,
      limitCounterId: 33,
      replayStreamId: 1003,
      fileIoMaxLength: -1,
      replayToken: -1,
      replayChannel: 'aeron:ipc',
    },
    result: 99n,
  },
  {
    name: 'startReplayWithParams (defaults follow live from the start)',
    template: 6,
    answer: 98,
    call: (a) => a.startReplayWithParams(5, 'aeron:ipc', 1004, { fileIoMaxLength: 4096, replayToken: 77 }),
    request: 'ReplayRequest',
    fields: {
      recordingId: 5,
      position: -1,
      length: -1,
      replayStreamId: 1004,
      fileIoMaxLength: 4096,
      replayToken: 77,
      replayChannel: 'aeron:ipc',
    },
    result: 98n,
  },
  {
    name: 'startReplayWithParams bounded',
    template: 18,
    answer: 97,
    call: (a) =>
      a.startReplayWithParams(5, 'aeron:ipc', 1004, { boundingLimitCounterId: 8, position: 64, length: 128 }),
    request: 'BoundedReplayRequest',
    fields: { recordingId: 5, position: 64, length: 128, limitCounterId: 8, replayStreamId: 1004 },
    result: 97n,
  },
  {
    name: 'stopReplay',
    template: 7,
    call: (a) => a.stopReplay(0x2_0000_0001n),
    request: 'StopReplayRequest',
    fields: { replaySessionId: 0x2_0000_0001 },
    result: undefined,
  },
  {
    name: 'stopReplay writes a replay session id above 2^53 exactly',
    template: 7,
    call: (a) => a.stopReplay((2_100_000n << 32n) | 0xdead_beefn),
    request: 'StopReplayRequest',
    fields: { replaySessionId: String((2_100_000n << 32n) | 0xdead_beefn) },
    result: undefined,
  },
  {
    name: 'stopAllReplays',
    template: 19,
    call: (a) => a.stopAllReplays(-1),
    request: 'StopAllReplaysRequest',
    fields: { recordingId: -1 },
    result: undefined,
  },
  {
    name: 'requestReplayToken',
    template: 105,
    // A random 64-bit token beyond 2^53: it must come back exact (it did not when read as a number).
    answer: 0x7ab1_2345_6789_abcdn,
    call: (a) => a.requestReplayToken(6),
    request: 'ReplayTokenRequest',
    fields: { recordingId: 6 },
    result: 0x7ab1_2345_6789_abcdn,
  },
  {
    name: 'getStartPosition',
    template: 52,
    answer: 4096,
    call: (a) => a.getStartPosition(2),
    request: 'StartPositionRequest',
    fields: { recordingId: 2 },
    result: 4096,
  },
  {
    name: 'getRecordingPosition',
    template: 12,
    answer: 8192,
    call: (a) => a.getRecordingPosition(2),
    request: 'RecordingPositionRequest',
    fields: { recordingId: 2 },
    result: 8192,
  },
  {
    // Positions are multiples of 32: above 2^53 a double still holds them exactly, so they pass.
    name: 'getRecordingPosition above 2^53 (exact in a double)',
    template: 12,
    answer: 2n ** 53n + 32n,
    call: (a) => a.getRecordingPosition(2),
    request: 'RecordingPositionRequest',
    fields: { recordingId: 2 },
    result: 2 ** 53 + 32,
  },
  {
    name: 'getStopPosition',
    template: 15,
    answer: -1,
    call: (a) => a.getStopPosition(2),
    request: 'StopPositionRequest',
    fields: { recordingId: 2 },
    result: -1,
  },
  {
    name: 'getMaxRecordedPosition',
    template: 67,
    answer: 12288,
    call: (a) => a.getMaxRecordedPosition(2),
    request: 'MaxRecordedPositionRequest',
    fields: { recordingId: 2 },
    result: 12288,
  },
  {
    name: 'findLastMatchingRecording',
    template: 16,
    answer: 17,
    call: (a) => a.findLastMatchingRecording(3, 'endpoint=localhost', 1001, -5),
    request: 'FindLastMatchingRecordingRequest',
    fields: { minRecordingId: 3, sessionId: -5, streamId: 1001, channel: 'endpoint=localhost' },
    result: 17,
  },
  {
    name: 'truncateRecording',
    template: 13,
    answer: 2,
    call: (a) => a.truncateRecording(4, 65536),
    request: 'TruncateRecordingRequest',
    fields: { recordingId: 4, position: 65536 },
    result: 2,
  },
  {
    name: 'purgeRecording',
    template: 104,
    answer: 3,
    call: (a) => a.purgeRecording(4),
    request: 'PurgeRecordingRequest',
    fields: { recordingId: 4 },
    result: 3,
  },
  {
    name: 'updateChannel',
    template: 107,
    call: (a) => a.updateChannel(4, 'aeron:udp?endpoint=localhost:9999'),
    request: 'UpdateChannelRequest',
    fields: { recordingId: 4, channel: 'aeron:udp?endpoint=localhost:9999' },
    result: undefined,
  },
  {
    name: 'replicate (defaults)',
    template: 66,
    answer: 88,
    call: (a) => a.replicate(11, 10, 'aeron:udp?endpoint=src:8010'),
    request: 'ReplicateRequest2',
    fields: {
      srcRecordingId: 11,
      dstRecordingId: -1,
      stopPosition: -1,
      channelTagId: -1,
      subscriptionTagId: -1,
      srcControlStreamId: 10,
      fileIoMaxLength: -1,
      replicationSessionId: -1,
      srcControlChannel: 'aeron:udp?endpoint=src:8010',
      liveDestination: '',
      replicationChannel: '',
      encodedCredentials: '',
      srcResponseChannel: '',
    },
    result: 88,
  },
  {
    name: 'replicate (every ReplicationParams field)',
    template: 66,
    answer: 89,
    call: (a) =>
      a.replicate(11, 10, 'aeron:udp?endpoint=src:8010', {
        dstRecordingId: 12,
        stopPosition: 1 << 20,
        channelTagId: 5,
        subscriptionTagId: 6,
        fileIoMaxLength: 65536,
        replicationSessionId: 42,
        replicationChannel: 'aeron:udp?endpoint=dst:0',
        encodedCredentials: creds,
        srcResponseChannel: 'aeron:udp?control-mode=response|control=dst:10001',
      }),
    request: 'ReplicateRequest2',
    fields: {
      srcRecordingId: 11,
      dstRecordingId: 12,
      stopPosition: 1 << 20,
      channelTagId: 5,
      subscriptionTagId: 6,
      srcControlStreamId: 10,
      fileIoMaxLength: 65536,
      replicationSessionId: 42,
      srcControlChannel: 'aeron:udp?endpoint=src:8010',
      liveDestination: '',
      replicationChannel: 'aeron:udp?endpoint=dst:0',
      encodedCredentials: '010203',
      srcResponseChannel: 'aeron:udp?control-mode=response|control=dst:10001',
    },
    result: 89,
  },
  {
    name: 'taggedReplicate',
    template: 66,
    answer: 90,
    call: (a) => a.taggedReplicate(11, 12, 5, 6, 10, 'aeron:udp?endpoint=src:8010', 'aeron:udp?endpoint=live:0'),
    request: 'ReplicateRequest2',
    fields: {
      srcRecordingId: 11,
      dstRecordingId: 12,
      channelTagId: 5,
      subscriptionTagId: 6,
      liveDestination: 'aeron:udp?endpoint=live:0',
      stopPosition: -1,
    },
    result: 90,
  },
  {
    name: 'stopReplication',
    template: 51,
    call: (a) => a.stopReplication(88),
    request: 'StopReplicationRequest',
    fields: { replicationId: 88 },
    result: undefined,
  },
  {
    name: 'tryStopReplication',
    template: 51,
    call: (a) => a.tryStopReplication(88),
    request: 'StopReplicationRequest',
    fields: { replicationId: 88 },
    result: true,
  },
  {
    name: 'detachSegments',
    template: 53,
    call: (a) => a.detachSegments(4, 1 << 27),
    request: 'DetachSegmentsRequest',
    fields: { recordingId: 4, newStartPosition: 1 << 27 },
    result: undefined,
  },
  {
    name: 'deleteDetachedSegments',
    template: 54,
    answer: 2,
    call: (a) => a.deleteDetachedSegments(4),
    request: 'DeleteDetachedSegmentsRequest',
    fields: { recordingId: 4 },
    result: 2,
  },
  {
    name: 'purgeSegments',
    template: 55,
    answer: 3,
    call: (a) => a.purgeSegments(4, 1 << 28),
    request: 'PurgeSegmentsRequest',
    fields: { recordingId: 4, newStartPosition: 1 << 28 },
    result: 3,
  },
  {
    name: 'attachSegments',
    template: 56,
    answer: 4,
    call: (a) => a.attachSegments(4),
    request: 'AttachSegmentsRequest',
    fields: { recordingId: 4 },
    result: 4,
  },
  {
    name: 'migrateSegments',
    template: 57,
    answer: 5,
    call: (a) => a.migrateSegments(4, 9),
    request: 'MigrateSegmentsRequest',
    fields: { srcRecordingId: 4, dstRecordingId: 9 },
    result: 5,
  },
];

describe('AeronArchive operations', () => {
  it.each(CASES)('$name sends $request with every field and resolves the answer', async (c) => {
    const { fake, archive } = await connectFake();
    if (c.answer !== undefined) fake.answers.set(c.template, c.answer);
    const before = fake.requests.length;
    const result = await c.call(archive);
    expect(result).toEqual(c.result);
    expect(fake.requests.length).toBe(before + 1);
    const request = fake.lastRequest();
    expect(request.name).toBe(c.request);
    expect(request.templateId).toBe(c.template);
    expect(request.json).toMatchObject({
      controlSessionId: CS,
      correlationId: archive.lastCorrelationId(),
      ...c.fields,
    });
    // The header carries our schema (101, v13) and the message's own block length.
    const view = new DataView(request.bytes.buffer, request.bytes.byteOffset);
    expect(view.getUint16(2, true)).toBe(c.template);
    expect(view.getUint16(4, true)).toBe(101);
    expect(view.getUint16(6, true)).toBe(13);
  });

  it('uses a fresh correlation id per request and serialises concurrent calls', async () => {
    const { fake, archive } = await connectFake();
    fake.answers.set(12, 10);
    fake.answers.set(15, 20);
    const [a, b] = await Promise.all([archive.getRecordingPosition(1), archive.getStopPosition(1)]);
    expect([a, b]).toEqual([10, 20]);
    const ids = fake.requests.slice(-2).map((r) => r.json.correlationId);
    expect(ids).toEqual([1002, 1003]);
  });

  it('ignores Pings and other sessions while waiting', async () => {
    const { fake, archive } = await connectFake();
    fake.pingEveryAnswer = true;
    fake.sendResponse(5, 0, 999, '', 12345);
    fake.answers.set(12, 77);
    expect(await archive.getRecordingPosition(1)).toBe(77);
    expect(await archive.getRecordingPosition(1)).toBe(77);
  });
});

describe('AeronArchive.isConnected and trySendStopReplayRequest (as Java AsyncAeronArchive uses them)', () => {
  it('isConnected() notices a lost control response stream without a request and marks the client DISCONNECTED', async () => {
    const { fake, archive } = await connectFake();
    expect(archive.isConnected()).toBe(true);
    expect(archive.state()).toBe('CONNECTED');
    const sent = fake.requests.length;
    fake.responses.connected = false;
    expect(archive.isConnected()).toBe(false);
    expect(archive.state()).toBe('DISCONNECTED');
    expect(fake.requests.length).toBe(sent); // noticed without sending anything
    fake.responses.connected = true;
    expect(archive.isConnected()).toBe(false); // DISCONNECTED is final for this client
    archive.close();
    expect(archive.isConnected()).toBe(false);
  });

  it('trySendStopReplayRequest offers StopReplayRequest at once, with a fresh correlation id, ahead of the queue', async () => {
    const { fake, archive } = await connectFake();
    fake.silent.add(12);
    const inFlight = archive.getRecordingPosition(1);
    await expect.poll(() => fake.lastRequest().name, { timeout: 10_000 }).toBe('RecordingPositionRequest');
    const positionRequest = fake.lastRequest();
    expect(archive.trySendStopReplayRequest(0x3_0000_0007n)).toBe(true);
    const stop = fake.lastRequest();
    expect(stop.name).toBe('StopReplayRequest');
    expect(stop.templateId).toBe(7);
    expect(stop.json).toMatchObject({ controlSessionId: CS, replaySessionId: 0x3_0000_0007 });
    expect(stop.json.correlationId).not.toBe(positionRequest.json.correlationId);
    // Its OK answer is not mistaken for the answer of the request in flight.
    fake.sendResponse(positionRequest.json.correlationId as number, 0, 41);
    expect(await inFlight).toBe(41);
  });

  it('trySendStopReplayRequest is false when it cannot send: not connected, closed', async () => {
    const { fake, archive } = await connectFake();
    const publication = fake.requestPublication as { scriptedResults: number[] };
    publication.scriptedResults.push(-1); // NOT_CONNECTED
    expect(archive.trySendStopReplayRequest(5n)).toBe(false);
    fake.responses.connected = false;
    expect(archive.isConnected()).toBe(false);
    expect(archive.trySendStopReplayRequest(5n)).toBe(false);
    archive.close();
    expect(archive.trySendStopReplayRequest(5n)).toBe(false);
    expect(fake.requestsNamed('StopReplayRequest')).toHaveLength(0);
  });
});
