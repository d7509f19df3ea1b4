import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';
import {
  INSUFFICIENT_CAPACITY,
  PADDING_MSG_TYPE_ID,
  RING_CONSUMER_HEARTBEAT_OFFSET,
  RING_CORRELATION_COUNTER_OFFSET,
  RING_HEAD_POSITION_OFFSET,
  RING_TAIL_POSITION_OFFSET,
  RING_TRAILER_LENGTH,
} from '../../src/transport/ring-buffer-descriptor.ts';
import { RingBufferError } from '../../src/transport/transport-error.ts';

function newRing(capacity: number): ManyToOneRingBuffer {
  return new ManyToOneRingBuffer(new AtomicBuffer(new ArrayBuffer(capacity + RING_TRAILER_LENGTH)));
}

interface Msg {
  readonly type: number;
  readonly bytes: number[];
}

function drain(ring: ManyToOneRingBuffer, limit?: number): Msg[] {
  const out: Msg[] = [];
  ring.read((type, buffer, index, length) => {
    out.push({ type, bytes: [...buffer.bytes.subarray(index, index + length)] });
  }, limit);
  return out;
}

describe('ManyToOneRingBuffer', () => {
  it('has the Agrona trailer offsets', () => {
    expect([
      RING_TAIL_POSITION_OFFSET,
      RING_HEAD_POSITION_OFFSET,
      RING_CORRELATION_COUNTER_OFFSET,
      RING_CONSUMER_HEARTBEAT_OFFSET,
      RING_TRAILER_LENGTH,
    ]).toEqual([128, 384, 512, 640, 768]);
  });

  it('writes a record in the Agrona format', () => {
    const ring = newRing(1024);
    expect(ring.maxMsgLength).toBe(128);
    expect(ring.write(7, Uint8Array.of(1, 2, 3), 0, 3)).toBe(true);
    const b = ring.buffer;
    expect(b.getInt32(0)).toBe(11);
    expect(b.getInt32(4)).toBe(7);
    expect([...b.bytes.subarray(8, 11)]).toEqual([1, 2, 3]);
    expect(b.getInt64(1024 + RING_TAIL_POSITION_OFFSET)).toBe(16);
    expect(drain(ring)).toEqual([{ type: 7, bytes: [1, 2, 3] }]);
    expect(b.getInt64(1024 + RING_HEAD_POSITION_OFFSET)).toBe(16);
    expect(b.getInt32(0)).toBe(0); // consumed bytes are zeroed
  });

  it('pads to the end of the buffer when a record wraps', () => {
    const ring = newRing(256);
    const b = ring.buffer;
    for (let k = 0; k < 6; k++) expect(ring.write(1, new Uint8Array(32), 0, 32)).toBe(true); // 6 x 40 = 240
    expect(drain(ring)).toHaveLength(6);
    expect(ring.write(8, Uint8Array.of(1, 2), 0, 2)).toBe(true); // 16 bytes fit exactly before the end
    expect(ring.write(9, Uint8Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12), 0, 10)).toBe(true); // 24 > 0 left: at 0
    expect(b.getInt32(240)).toBe(10);
    expect(b.getInt32(0)).toBe(18);
    expect(drain(ring).map((m) => m.type)).toEqual([8]);
    expect(drain(ring).map((m) => m.type)).toEqual([9]);
    for (let k = 0; k < 5; k++) expect(ring.write(1, new Uint8Array(32), 0, 32)).toBe(true); // 24 + 200 = 224
    drain(ring);
    expect(
      ring.write(
        7,
        Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25),
        0,
        25,
      ),
    ).toBe(true);
    // 40 bytes needed, 32 left: padding of 32 at 224, the record at 0
    expect(b.getInt32(224)).toBe(32);
    expect(b.getInt32(228)).toBe(PADDING_MSG_TYPE_ID);
    expect(b.getInt32(0)).toBe(33);
    expect(ring.producerPosition()).toBe(512 + 40);
    expect(drain(ring)).toEqual([]); // the padding ends the contiguous block
    expect(drain(ring)[0]!.bytes).toHaveLength(25);
  });

  it('reports insufficient capacity and never overwrites unread records', () => {
    const ring = newRing(256);
    for (let k = 0; k < 8; k++) expect(ring.write(1, new Uint8Array(24), 0, 24)).toBe(true);
    expect(ring.write(1, new Uint8Array(8), 0, 8)).toBe(false);
    expect(ring.tryClaim(1, 8)).toBe(INSUFFICIENT_CAPACITY);
    expect(ring.size()).toBe(256);
    expect(drain(ring, 1)).toHaveLength(1);
    expect(ring.write(1, new Uint8Array(24), 0, 24)).toBe(true);
    expect(ring.write(1, new Uint8Array(8), 0, 8)).toBe(false);
  });

  it('moves the tail over the padding only when a wrapping record does not fit (Java behaviour)', () => {
    const ring = newRing(256);
    for (let k = 0; k < 7; k++) ring.write(1, new Uint8Array(24), 0, 24); // tail 224
    drain(ring, 1); // head 32
    // 40 bytes needed; 32 to the end, and the head index 32 < 40: insufficient, but the tail pads to 256
    expect(ring.write(2, new Uint8Array(32), 0, 32)).toBe(false);
    expect(ring.producerPosition()).toBe(256);
    expect(drain(ring)).toHaveLength(6);
    expect(ring.write(2, new Uint8Array(32), 0, 32)).toBe(true);
  });

  it('validates type ids and lengths with typed errors', () => {
    const ring = newRing(1024);
    expect(() => ring.write(0, new Uint8Array(1), 0, 1)).toThrow(RingBufferError);
    expect(() => ring.write(1, new Uint8Array(200), 0, 129)).toThrow(/maxMsgLength/);
    expect(() => newRing(1000)).toThrow(RingBufferError);
  });

  it('supports tryClaim / commit / abort', () => {
    const ring = newRing(1024);
    const i = ring.tryClaim(5, 4);
    expect(i).toBe(8);
    ring.buffer.putInt32(i, 1234);
    expect(drain(ring)).toEqual([]); // not committed yet
    ring.commit(i);
    expect(() => ring.commit(i)).toThrow(/committed/);
    const j = ring.tryClaim(6, 4);
    ring.abort(j);
    expect(() => ring.abort(j)).toThrow(/aborted/);
    const msgs = drain(ring);
    expect(msgs.map((m) => m.type)).toEqual([5]);
    expect(msgs[0]!.bytes).toEqual([210, 4, 0, 0]);
  });

  it('hands out consecutive correlation ids and reads the consumer heartbeat', () => {
    const ring = newRing(1024);
    expect(ring.nextCorrelationId()).toBe(0);
    expect(ring.nextCorrelationId()).toBe(1);
    ring.buffer.putInt64Ordered(1024 + RING_CORRELATION_COUNTER_OFFSET, 2 ** 40);
    expect(ring.nextCorrelationId()).toBe(2 ** 40);
    ring.setConsumerHeartbeatTime(1_700_000_000_123);
    expect(ring.consumerHeartbeatTime()).toBe(1_700_000_000_123);
    ring.setConsumerHeartbeatTime(-1);
    expect(ring.consumerHeartbeatTime()).toBe(-1);
  });

  it('property: random writes and reads deliver every message once, in order, intact', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('write' as const),
        type: fc.integer({ min: 1, max: 1000 }),
        length: fc.integer({ min: 0, max: 32 }),
      }),
      fc.record({ kind: fc.constant('read' as const), limit: fc.integer({ min: 1, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(256, 512, 1024), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const ring = newRing(capacity);
        const expected: Msg[] = [];
        const received: Msg[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'write') {
            const bytes = Array.from({ length: o.length }, (_, k) => (seq * 31 + k) & 0xff);
            seq++;
            if (ring.write(o.type, Uint8Array.from(bytes), 0, bytes.length)) expected.push({ type: o.type, bytes });
          } else {
            received.push(...drain(ring, o.limit));
          }
        }
        for (let k = 0; k < 10; k++) received.push(...drain(ring));
        expect(received).toEqual(expected);
        expect(ring.producerPosition()).toBe(ring.consumerPosition());
      }),
      { numRuns: 200 },
    );
  });
});
