import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import {
  BROADCAST_LATEST_COUNTER_OFFSET,
  BROADCAST_TAIL_COUNTER_OFFSET,
  BROADCAST_TAIL_INTENT_COUNTER_OFFSET,
  BROADCAST_TRAILER_LENGTH,
} from '../../src/transport/broadcast-descriptor.ts';
import { BroadcastReceiver } from '../../src/transport/broadcast-receiver.ts';
import { BroadcastTransmitter } from '../../src/transport/broadcast-transmitter.ts';
import { CopyBroadcastReceiver } from '../../src/transport/copy-broadcast-receiver.ts';
import { BroadcastLappedError } from '../../src/transport/transport-error.ts';

interface Msg {
  readonly type: number;
  readonly bytes: number[];
}

function newBroadcast(capacity: number): AtomicBuffer {
  return new AtomicBuffer(new ArrayBuffer(capacity + BROADCAST_TRAILER_LENGTH));
}

function receiveAll(receiver: CopyBroadcastReceiver): Msg[] {
  const out: Msg[] = [];
  while (
    receiver.receive((type, buffer, index, length) => {
      out.push({ type, bytes: [...buffer.bytes.subarray(index, index + length)] });
    }) > 0
  ) {
    // keep receiving
  }
  return out;
}

describe('broadcast buffer', () => {
  it('has the Agrona trailer offsets', () => {
    expect([
      BROADCAST_TAIL_INTENT_COUNTER_OFFSET,
      BROADCAST_TAIL_COUNTER_OFFSET,
      BROADCAST_LATEST_COUNTER_OFFSET,
      BROADCAST_TRAILER_LENGTH,
    ]).toEqual([0, 8, 16, 128]);
  });

  it('transmits records in the Agrona format and pads at the end', () => {
    const buffer = newBroadcast(64);
    const tx = new BroadcastTransmitter(buffer);
    expect(tx.maxMsgLength).toBe(8);
    tx.transmit(3, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0, 8); // 0..16
    tx.transmit(3, Uint8Array.of(1), 0, 1); // 16..32
    tx.transmit(3, Uint8Array.of(1), 0, 1); // 32..48
    tx.transmit(3, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0, 8); // 48..64
    tx.transmit(4, Uint8Array.of(9), 0, 1); // 64..80 at index 0
    expect(buffer.getInt32(0)).toBe(9);
    expect(buffer.getInt32(4)).toBe(4);
    expect(buffer.getInt64(64 + BROADCAST_TAIL_COUNTER_OFFSET)).toBe(80);
    expect(buffer.getInt64(64 + BROADCAST_LATEST_COUNTER_OFFSET)).toBe(64);
    expect(buffer.getInt64(64 + BROADCAST_TAIL_INTENT_COUNTER_OFFSET)).toBe(80);
  });

  it('a new receiver joins at the latest record', () => {
    const buffer = newBroadcast(1024);
    const tx = new BroadcastTransmitter(buffer);
    tx.transmit(1, Uint8Array.of(1), 0, 1);
    tx.transmit(2, Uint8Array.of(2), 0, 1);
    const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
    tx.transmit(3, Uint8Array.of(3), 0, 1);
    expect(receiveAll(rx)).toEqual([
      { type: 2, bytes: [2] },
      { type: 3, bytes: [3] },
    ]);
  });

  it('throws BroadcastLappedError when the transmitter laps the receiver', () => {
    const buffer = newBroadcast(256);
    const tx = new BroadcastTransmitter(buffer);
    const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
    for (let k = 0; k < 40; k++) tx.transmit(1, new Uint8Array(16), 0, 16);
    let error: unknown;
    try {
      receiveAll(rx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BroadcastLappedError);
    expect((error as BroadcastLappedError).code).toBe('BROADCAST_LAPPED');
    expect(rx.receiver.lappedCount).toBe(1);
  });

  it('detects a record overwritten while it is being copied', () => {
    const buffer = newBroadcast(256);
    const tx = new BroadcastTransmitter(buffer);
    const receiver = new BroadcastReceiver(buffer);
    tx.transmit(1, new Uint8Array(16), 0, 16);
    expect(receiver.receiveNext()).toBe(true);
    expect(receiver.validate()).toBe(true);
    for (let k = 0; k < 11; k++) tx.transmit(1, new Uint8Array(16), 0, 16);
    expect(receiver.validate()).toBe(false);
  });

  it('grows the scratch buffer for large messages', () => {
    const buffer = newBroadcast(65536);
    const tx = new BroadcastTransmitter(buffer);
    const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer), 16);
    const big = Uint8Array.from({ length: 5000 }, (_, k) => k & 0xff);
    tx.transmit(9, big, 0, big.length);
    const got = receiveAll(rx);
    expect(got).toHaveLength(1);
    expect(got[0]!.bytes).toEqual([...big]);
  });

  it('property: a receiver that keeps up gets every message in order; one that falls behind is told', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('tx' as const),
        type: fc.integer({ min: 1, max: 99 }),
        length: fc.integer({ min: 0, max: 32 }),
      }),
      fc.record({ kind: fc.constant('rx' as const) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(256, 512), fc.array(op, { maxLength: 150 }), (capacity, ops) => {
        const buffer = newBroadcast(capacity);
        const tx = new BroadcastTransmitter(buffer);
        const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
        const expected: Msg[] = [];
        const received: Msg[] = [];
        let unreadBytes = 0;
        let lapped = false;
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'tx') {
            const bytes = Array.from({ length: o.length }, (_, k) => (seq * 7 + k) & 0xff);
            seq++;
            tx.transmit(o.type, Uint8Array.from(bytes), 0, bytes.length);
            expected.push({ type: o.type, bytes });
            unreadBytes += Math.ceil((8 + o.length) / 8) * 8;
          } else {
            try {
              received.push(...receiveAll(rx));
              unreadBytes = 0;
            } catch (e) {
              expect(e).toBeInstanceOf(BroadcastLappedError);
              // only possible if more than a buffer's worth (incl. padding) was written since the last read
              expect(unreadBytes).toBeGreaterThan(capacity - 40);
              lapped = true;
              break;
            }
          }
        }
        if (!lapped) {
          try {
            received.push(...receiveAll(rx));
          } catch (e) {
            expect(e).toBeInstanceOf(BroadcastLappedError);
            lapped = true;
          }
        }
        if (!lapped) expect(received).toEqual(expected);
        else expect(received).toEqual(expected.slice(0, received.length));
      }),
      { numRuns: 300 },
    );
  });
});
