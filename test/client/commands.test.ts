/**
 * Every client -> driver command as `DriverProxy` writes it into a to-driver ring, checked byte by byte
 * against layouts computed by hand from Aeron 1.51.0's `command/*Flyweight.java` (offsets in comments), and
 * the driver -> client flyweights read back from hand-built bytes.
 */
import { describe, expect, it } from 'vitest';
import * as C from '../../src/client/command/index.ts';
import { DriverProxy } from '../../src/client/driver-proxy.ts';
import { BufferFullError } from '../../src/client/errors.ts';
import { AtomicBuffer, ManyToOneRingBuffer } from '../../src/transport/index.ts';

const CLIENT_ID = 0x0102030405;

interface Record {
  readonly type: number;
  readonly bytes: DataView;
  readonly length: number;
}

function harness(capacity = 64 * 1024): { proxy: DriverProxy; ring: ManyToOneRingBuffer; next: () => Record } {
  const ring = new ManyToOneRingBuffer(new AtomicBuffer(new ArrayBuffer(capacity + 768)));
  ring.nextCorrelationId(); // the driver takes id 0 at start
  const proxy = new DriverProxy(ring, CLIENT_ID);
  const next = (): Record => {
    let record: Record | undefined;
    ring.read((type, buffer, index, length) => {
      const copy = new Uint8Array(length);
      buffer.getBytes(index, copy, 0, length);
      record = { type, bytes: new DataView(copy.buffer), length };
    }, 1);
    if (record === undefined) throw new Error('no record');
    return record;
  };
  return { proxy, ring, next };
}

const i32 = (r: Record, o: number): number => r.bytes.getInt32(o, true);
const i64 = (r: Record, o: number): number => Number(r.bytes.getBigInt64(o, true));
const ascii = (r: Record, o: number, n: number): string =>
  new TextDecoder('ascii').decode(new Uint8Array(r.bytes.buffer, o, n));

function expectPrefix(r: Record, correlationId: number): void {
  expect(i64(r, 0)).toBe(CLIENT_ID); // clientId @0
  expect(i64(r, 8)).toBe(correlationId); // correlationId @8
}

describe('client -> driver commands (1.51.0 layouts)', () => {
  it('ADD_PUBLICATION 0x01 / ADD_EXCLUSIVE_PUBLICATION 0x03: streamId @16, channel @20, length 24 + n', () => {
    const { proxy, next } = harness();
    const channel = 'aeron:udp?endpoint=localhost:40123';
    const id = proxy.addPublication(channel, 1001);
    expect(id).toBe(1);
    let r = next();
    expect(r.type).toBe(0x01);
    expect(r.length).toBe(24 + channel.length);
    expectPrefix(r, id);
    expect(i32(r, 16)).toBe(1001);
    expect(i32(r, 20)).toBe(channel.length);
    expect(ascii(r, 24, channel.length)).toBe(channel);
    const ex = proxy.addExclusivePublication('aeron:ipc', 7);
    r = next();
    expect(r.type).toBe(0x03);
    expect(r.length).toBe(24 + 9);
    expectPrefix(r, ex);
    expect(i32(r, 16)).toBe(7);
  });

  it('REMOVE_PUBLICATION 0x02: registrationId @16, flags @24 (revoke 0x1), length 32', () => {
    const { proxy, next } = harness();
    const id = proxy.removePublication(99, true);
    const r = next();
    expect([r.type, r.length]).toEqual([0x02, 32]);
    expectPrefix(r, id);
    expect(i64(r, 16)).toBe(99);
    expect(i64(r, 24)).toBe(1);
    proxy.removePublication(100, false);
    expect(i64(next(), 24)).toBe(0);
  });

  it('ADD_SUBSCRIPTION 0x04: registrationCorrelationId -1 @16, streamId @24, channel @28', () => {
    const { proxy, next } = harness();
    const id = proxy.addSubscription('aeron:ipc', 42);
    const r = next();
    expect([r.type, r.length]).toEqual([0x04, 32 + 9]);
    expectPrefix(r, id);
    expect(i64(r, 16)).toBe(-1);
    expect(i32(r, 24)).toBe(42);
    expect(i32(r, 28)).toBe(9);
    expect(ascii(r, 32, 9)).toBe('aeron:ipc');
  });

  it('REMOVE_SUBSCRIPTION 0x05 / REMOVE_COUNTER 0x0A: registrationId @16, length 24', () => {
    const { proxy, next } = harness();
    const a = proxy.removeSubscription(5);
    let r = next();
    expect([r.type, r.length, i64(r, 16)]).toEqual([0x05, 24, 5]);
    expectPrefix(r, a);
    const b = proxy.removeCounter(6);
    r = next();
    expect([r.type, r.length, i64(r, 16)]).toEqual([0x0a, 24, 6]);
    expectPrefix(r, b);
  });

  it('destinations 0x07 0x08 0x0C 0x0D: registrationId @16, channel @24; 0x11 by id: @16, @24, length 32', () => {
    const { proxy, next } = harness();
    const channel = 'aeron:udp?endpoint=localhost:5000';
    const cases: Array<[number, () => number]> = [
      [0x07, () => proxy.addDestination(11, channel)],
      [0x08, () => proxy.removeDestination(11, channel)],
      [0x0c, () => proxy.addRcvDestination(11, channel)],
      [0x0d, () => proxy.removeRcvDestination(11, channel)],
    ];
    for (const [type, send] of cases) {
      const id = send();
      const r = next();
      expect([r.type, r.length]).toEqual([type, 28 + channel.length]);
      expectPrefix(r, id);
      expect(i64(r, 16)).toBe(11);
      expect(i32(r, 24)).toBe(channel.length);
      expect(ascii(r, 28, channel.length)).toBe(channel);
    }
    const id = proxy.removeDestinationById(11, 12);
    const r = next();
    expect([r.type, r.length, i64(r, 16), i64(r, 24)]).toEqual([0x11, 32, 11, 12]);
    expectPrefix(r, id);
  });

  it('ADD_COUNTER 0x09: typeId @16, keyLength @20, key @24, label length @24+align(k,4); claims 4 spare bytes', () => {
    const { proxy, next } = harness();
    const key = new Uint8Array([9, 8, 7, 6, 5]);
    const id = proxy.addCounter(1001, 'label!', key);
    const r = next();
    expect(r.type).toBe(0x09);
    expect(r.length).toBe(28 + 8 + 4 + 6); // Java computeLength: 24 + 4 + align(5,4) + 4 + 6
    expectPrefix(r, id);
    expect(i32(r, 16)).toBe(1001);
    expect(i32(r, 20)).toBe(5);
    expect([...new Uint8Array(r.bytes.buffer, 24, 5)]).toEqual([9, 8, 7, 6, 5]);
    expect(i32(r, 32)).toBe(6);
    expect(ascii(r, 36, 6)).toBe('label!');
    const flyweight = new C.CounterMessageFlyweight().wrap(new AtomicBuffer(r.bytes.buffer as ArrayBuffer), 0);
    expect([flyweight.typeId(), flyweight.keyLength(), flyweight.label(), flyweight.length()]).toEqual([
      1001,
      5,
      'label!',
      42,
    ]);
  });

  it('ADD_STATIC_COUNTER 0x0F: registrationId @16, typeId @24, keyLength @28, key @32, label after', () => {
    const { proxy, next } = harness();
    const id = proxy.addStaticCounter(2002, 'st', 555);
    const r = next();
    expect(r.type).toBe(0x0f);
    expect(r.length).toBe(36 + 0 + 4 + 2);
    expectPrefix(r, id);
    expect([i64(r, 16), i32(r, 24), i32(r, 28), i32(r, 32)]).toEqual([555, 2002, 0, 2]);
    expect(ascii(r, 36, 2)).toBe('st');
  });

  it('CLIENT_KEEPALIVE 0x06, CLIENT_CLOSE 0x0B (correlation -1), TERMINATE_DRIVER 0x0E (token @20)', () => {
    const { proxy, next } = harness();
    expect(proxy.clientKeepalive()).toBe(true);
    let r = next();
    expect([r.type, r.length, i64(r, 0)]).toEqual([0x06, 16, CLIENT_ID]);
    expect(proxy.clientClose()).toBe(true);
    r = next();
    expect([r.type, r.length]).toEqual([0x0b, 16]);
    expectPrefix(r, -1);
    expect(proxy.terminateDriver(new Uint8Array([1, 2, 3]))).toBe(true);
    r = next();
    expect([r.type, r.length, i32(r, 16)]).toEqual([0x0e, 23, 3]);
    expectPrefix(r, -1);
    expect([...new Uint8Array(r.bytes.buffer, 20, 3)]).toEqual([1, 2, 3]);
  });

  it('REJECT_IMAGE 0x10: imageCorrelationId @16, position @24, reason @32; GET_NEXT_AVAILABLE_SESSION_ID 0x12', () => {
    const { proxy, next } = harness();
    const id = proxy.rejectImage(77, 4096, 'bad');
    let r = next();
    expect([r.type, r.length, i64(r, 16), i64(r, 24), i32(r, 32)]).toEqual([0x10, 39, 77, 4096, 3]);
    expectPrefix(r, id);
    expect(ascii(r, 36, 3)).toBe('bad');
    const sid = proxy.nextAvailableSessionId(123);
    r = next();
    expect([r.type, r.length, i32(r, 16)]).toEqual([0x12, 20, 123]);
    expectPrefix(r, sid);
  });

  it('non-ASCII channel characters become ?, as Java putStringAscii', () => {
    const { proxy, next } = harness();
    proxy.addPublication('aeron:ipc?alias=é', 1);
    const r = next();
    expect(ascii(r, 24, 17)).toBe('aeron:ipc?alias=?');
  });

  it('a full ring throws BufferFullError', () => {
    const { proxy } = harness(1024);
    const channel = 'x'.repeat(100);
    expect(() => {
      for (let i = 0; i < 100; i++) proxy.addPublication(channel, 1);
    }).toThrow(BufferFullError);
  });
});

describe('driver -> client flyweights (1.51.0 layouts)', () => {
  const buffer = new AtomicBuffer(new ArrayBuffer(512));

  it('ON_ERROR: offending id @0, code @8, message @12', () => {
    buffer.setMemory(0, 512, 0);
    buffer.putInt64(0, 42);
    buffer.putInt32(8, 1);
    buffer.putStringAscii(12, 'bad channel');
    const f = new C.ErrorResponseFlyweight().wrap(buffer, 0);
    expect([f.offendingCommandCorrelationId(), f.errorCode(), f.errorMessage(), f.length()]).toEqual([
      42,
      1,
      'bad channel',
      27,
    ]);
  });

  it('ON_PUBLICATION_READY: correlation @0, registration @8, session @16, stream @20, limit @24, status @28, log @32', () => {
    buffer.setMemory(0, 512, 0);
    buffer.putInt64(0, 10);
    buffer.putInt64(8, 11);
    buffer.putInt32(16, -5);
    buffer.putInt32(20, 1001);
    buffer.putInt32(24, 7);
    buffer.putInt32(28, -1);
    buffer.putStringAscii(32, '/dev/shm/x/publications/11.logbuffer');
    const f = new C.PublicationBuffersReadyFlyweight().wrap(buffer, 0);
    expect([
      f.correlationId(),
      f.registrationId(),
      f.sessionId(),
      f.streamId(),
      f.publicationLimitCounterId(),
      f.channelStatusIndicatorId(),
      f.logFileName(),
    ]).toEqual([10, 11, -5, 1001, 7, -1, '/dev/shm/x/publications/11.logbuffer']);
  });

  it('ON_AVAILABLE_IMAGE: source identity after the 4-aligned log file name', () => {
    buffer.setMemory(0, 512, 0);
    const f = new C.ImageBuffersReadyFlyweight().wrap(buffer, 0);
    f.setCorrelationId(3).setSessionId(4).setStreamId(5).setSubscriptionRegistrationId(6).setSubscriberPositionId(7);
    f.setLogFileName('abcde').setSourceIdentity('127.0.0.1:4000');
    expect(buffer.getInt32(28)).toBe(5);
    expect(buffer.getInt32(40)).toBe(14); // 28 + 4 + align(5, 4)
    expect([f.subscriptionRegistrationId(), f.subscriberPositionId(), f.sourceIdentity(), f.length()]).toEqual([
      6,
      7,
      '127.0.0.1:4000',
      58,
    ]);
  });

  it('ON_UNAVAILABLE_IMAGE: correlation @0, subscription @8, stream @16, channel @20', () => {
    buffer.setMemory(0, 512, 0);
    new C.ImageMessageFlyweight()
      .wrap(buffer, 0)
      .setCorrelationId(1)
      .setSubscriptionRegistrationId(2)
      .setStreamId(3)
      .setChannel('aeron:ipc');
    expect([buffer.getInt64(8), buffer.getInt32(16), buffer.getInt32(20)]).toEqual([2, 3, 9]);
  });

  it('ON_PUBLICATION_ERROR: address type @40, port @42, address @44, code @60, message @64', () => {
    buffer.setMemory(0, 512, 0);
    buffer.putInt64(0, 9);
    buffer.putInt16(40, 1);
    buffer.putInt16(42, -1); // port 65535 as Java's signed short
    for (const [i, b] of [127, 0, 0, 1].entries()) buffer.putInt8(44 + i, b);
    buffer.putInt32(60, 11);
    buffer.putStringAscii(64, 'err');
    const f = new C.PublicationErrorFrameFlyweight().wrap(buffer, 0);
    expect([
      f.registrationId(),
      f.sourceAddress(),
      f.sourcePort(),
      f.errorCode(),
      f.errorMessage(),
      f.length(),
    ]).toEqual([9, '127.0.0.1', 65535, 11, 'err', 71]);
  });

  it('type ids match ControlProtocolEvents', () => {
    expect([C.ADD_PUBLICATION, C.GET_NEXT_AVAILABLE_SESSION_ID, C.ON_ERROR, C.ON_NEXT_AVAILABLE_SESSION_ID]).toEqual([
      1, 0x12, 0xf01, 0xf0d,
    ]);
    expect(C.CONTROL_PROTOCOL_SEMANTIC_VERSION).toBe(0x010000);
  });
});
