/**
 * snapshotStreams (src/cli/stream-snapshot.ts) over counters a CountersManager allocates as the driver does:
 * every stream counter type lands in its view's field, the derived windows, backlog and lag follow, other counter
 * types are ignored.
 */
import { describe, expect, it } from 'vitest';
import {
  STREAM_KEY_CHANNEL_OFFSET,
  STREAM_KEY_REGISTRATION_ID_OFFSET,
  STREAM_KEY_SESSION_ID_OFFSET,
  STREAM_KEY_STREAM_ID_OFFSET,
} from '../../src/cli/counter-types.ts';
import { snapshotStreams } from '../../src/cli/stream-snapshot.ts';
import { CountersManager } from '../../src/transport/counters-manager.ts';
import {
  AtomicBuffer,
  DRIVER_HEARTBEAT_TYPE_ID,
  DRIVER_PUBLISHER_LIMIT_TYPE_ID,
  DRIVER_PUBLISHER_POS_TYPE_ID,
  DRIVER_RECEIVER_HWM_TYPE_ID,
  DRIVER_RECEIVER_NAKS_SENT_TYPE_ID,
  DRIVER_RECEIVER_POS_TYPE_ID,
  DRIVER_SENDER_BPE_TYPE_ID,
  DRIVER_SENDER_LIMIT_TYPE_ID,
  DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID,
  DRIVER_SENDER_POSITION_TYPE_ID,
  DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
} from '../../src/transport/index.ts';

const CHANNEL = 'aeron:udp?endpoint=localhost:20121';

function countersWith(entries: readonly [typeId: number, registrationId: number, value: number, label?: string][]) {
  const manager = new CountersManager(
    new AtomicBuffer(new ArrayBuffer(32 * 512)),
    new AtomicBuffer(new ArrayBuffer(32 * 128)),
  );
  for (const [typeId, registrationId, value, label] of entries) {
    const id = manager.allocate(label ?? `counter: ${registrationId} 7 1001 ${CHANNEL}`, typeId, (key) => {
      key.putInt64(STREAM_KEY_REGISTRATION_ID_OFFSET, registrationId);
      key.putInt32(STREAM_KEY_SESSION_ID_OFFSET, 7);
      key.putInt32(STREAM_KEY_STREAM_ID_OFFSET, 1001);
      key.putInt32(STREAM_KEY_CHANNEL_OFFSET, CHANNEL.length);
      key.putStringWithoutLengthAscii(STREAM_KEY_CHANNEL_OFFSET + 4, CHANNEL);
    });
    manager.setCounterValue(id, value);
  }
  return manager;
}

describe('snapshotStreams', () => {
  it('fills each view field from its counter type and derives window, backlog and lag', () => {
    const counters = countersWith([
      [DRIVER_PUBLISHER_POS_TYPE_ID, 10, 4096],
      [DRIVER_PUBLISHER_LIMIT_TYPE_ID, 10, 65536],
      [DRIVER_SENDER_POSITION_TYPE_ID, 10, 1024],
      [DRIVER_SENDER_LIMIT_TYPE_ID, 10, 8192],
      [DRIVER_SENDER_BPE_TYPE_ID, 10, 3],
      [DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID, 10, 2],
      [DRIVER_RECEIVER_HWM_TYPE_ID, 20, 5000],
      [DRIVER_RECEIVER_POS_TYPE_ID, 20, 4000],
      [DRIVER_RECEIVER_NAKS_SENT_TYPE_ID, 20, 1],
      [DRIVER_SUBSCRIBER_POSITION_TYPE_ID, 30, 3000, `sub-pos: 30 7 1001 ${CHANNEL} @64`],
      [DRIVER_HEARTBEAT_TYPE_ID, 40, 123],
    ]);
    expect(snapshotStreams(counters)).toEqual([
      {
        sessionId: 7,
        streamId: 1001,
        channel: CHANNEL,
        publisher: { registrationId: 10, position: 4096, limit: 65536, remainingWindow: 65536 - 4096 },
        sender: {
          registrationId: 10,
          position: 1024,
          limit: 8192,
          window: 8192 - 1024,
          backlog: 4096 - 1024,
          backPressureEvents: 3,
          naksReceived: 2,
        },
        receiver: { registrationId: 20, highWaterMark: 5000, position: 4000, naksSent: 1 },
        subscribers: [{ registrationId: 30, counterId: 9, position: 3000, joinPosition: 64, lag: 2000 }],
      },
    ]);
  });

  it('leaves the missing counters null: an IPC stream with a publisher and a subscriber', () => {
    const counters = countersWith([
      [DRIVER_PUBLISHER_LIMIT_TYPE_ID, 10, 65536],
      [DRIVER_SUBSCRIBER_POSITION_TYPE_ID, 30, 0],
    ]);
    const [view] = snapshotStreams(counters);
    expect(view?.publisher).toEqual({ registrationId: 10, position: null, limit: 65536, remainingWindow: null });
    expect(view?.sender).toBeNull();
    expect(view?.receiver).toBeNull();
    expect(view?.subscribers).toEqual([
      { registrationId: 30, counterId: 1, position: 0, joinPosition: null, lag: null },
    ]);
  });
});
