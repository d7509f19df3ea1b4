/**
 * The receiver side over real UDP sockets, without a conductor: a ReceiveChannelEndpoint + DataPacketDispatcher +
 * Receiver + PublicationImage assembled by a small fixture (its `createPublicationImage` plays the conductor),
 * fed SETUP/DATA/heartbeat frames from a raw `UdpSocket` that plays the sender and reads back what the receiver
 * sends (SM with SEND_SETUP, status messages, NAKs). Loopback only; the port comes from `freeUdpPort()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freeUdpPort } from '../../../harness/ports.ts';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import { NakFlyweight } from '../../../src/driver/protocol/nak-flyweight.ts';
import { SETUP_HEADER_LENGTH, SetupFlyweight } from '../../../src/driver/protocol/setup-flyweight.ts';
import {
  END_OF_STREAM_FLAG,
  SEND_SETUP_FLAG,
  StatusMessageFlyweight,
} from '../../../src/driver/protocol/status-message-flyweight.ts';
import {
  BEGIN_AND_END_FLAGS,
  EOS_FLAG,
  HDR_TYPE_NAK,
  HDR_TYPE_SETUP,
  HDR_TYPE_SM,
} from '../../../src/logbuffer/data-header-flyweight.ts';
import type { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { heapGrowthWithoutGc, ReceiverFixture, writeDataFrame, writeHeartbeat } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const STREAM_ID = 3001;
const SESSION_ID = 0x1234;
const INITIAL_TERM_ID = -7;
const DEADLINE_MS = 20_000;

/** The raw sender: a bound socket, frames written into one native buffer. */
class RawSender {
  readonly socket = UdpSocket.open({ bind: SocketAddress.of({ host: '127.0.0.1', port: 0, family: 4 }) });
  readonly out: AtomicBuffer = allocateDirectBuffer(2048);
  readonly in: AtomicBuffer = allocateDirectBuffer(65536);
  readonly from = new SocketAddress();
  readonly to: SocketAddress;
  readonly received: { type: number; flags: number; a: number; b: number; c: number; window: number }[] = [];

  constructor(port: number) {
    this.to = SocketAddress.of({ host: '127.0.0.1', port, family: 4 });
  }

  send(length: number): void {
    const sent = this.socket.sendTo(this.out, 0, length, this.to);
    if (sent !== length) throw new Error(`sent ${sent} of ${length} bytes`);
  }

  data(termId: number, termOffset: number, fill: number, flags = BEGIN_AND_END_FLAGS): void {
    this.send(writeDataFrame(this.out, SESSION_ID, STREAM_ID, termId, termOffset, 96, fill, flags));
  }

  heartbeat(termId: number, termOffset: number, flags = BEGIN_AND_END_FLAGS): void {
    this.send(writeHeartbeat(this.out, SESSION_ID, STREAM_ID, termId, termOffset, flags));
  }

  setup(activeTermId: number, termOffset: number): void {
    this.send(this.writeSetup(activeTermId, termOffset));
  }

  writeSetup(activeTermId: number, termOffset: number): number {
    new SetupFlyweight()
      .wrap(this.out, 0)
      .setFrameLength(SETUP_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(0)
      .setHeaderType(HDR_TYPE_SETUP)
      .setSessionId(SESSION_ID)
      .setStreamId(STREAM_ID)
      .setInitialTermId(INITIAL_TERM_ID)
      .setActiveTermId(activeTermId)
      .setTermOffset(termOffset)
      .setTermLength(TERM_LENGTH)
      .setMtuLength(1408)
      .setTtl(0);
    return SETUP_HEADER_LENGTH;
  }

  /** Reads what the receiver sent back (SM: a=termId b=termOffset; NAK: a=termId b=termOffset c=length). */
  drain(): void {
    const sm = new StatusMessageFlyweight();
    const nak = new NakFlyweight();
    for (;;) {
      const length = this.socket.receive(this.in, 0, this.in.capacity, this.from);
      if (length === 0) return;
      const type = this.in.getUint16(6);
      if (type === HDR_TYPE_SM) {
        sm.wrap(this.in, 0);
        expect(sm.sessionId() === SESSION_ID || sm.flags() === SEND_SETUP_FLAG).toBe(true);
        this.received.push({
          type,
          flags: sm.flags(),
          a: sm.consumptionTermId(),
          b: sm.consumptionTermOffset(),
          c: 0,
          window: sm.receiverWindowLength(),
        });
      } else if (type === HDR_TYPE_NAK) {
        nak.wrap(this.in, 0);
        this.received.push({ type, flags: 0, a: nak.termId(), b: nak.termOffset(), c: nak.length(), window: 0 });
      }
    }
  }

  close(): void {
    this.socket.close();
  }
}

async function until(
  what: string,
  fixture: ReceiverFixture,
  sender: RawSender,
  condition: () => boolean,
): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    fixture.duty();
    sender.drain();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('receiver over a raw UDP socket (no conductor)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const close of cleanup.splice(0)) close();
  });

  it('elicits SETUP, creates the image, rebuilds with a NAKed gap, sends status messages, counts malformed frames', async () => {
    const port = await freeUdpPort();
    const fixture = new ReceiverFixture(`aeron:udp?endpoint=127.0.0.1:${port}`, STREAM_ID);
    const sender = new RawSender(port);
    cleanup.push(
      () => fixture.close(),
      () => sender.close(),
    );

    // DATA of an unknown session: an SM with SEND_SETUP comes back to the source
    sender.data(INITIAL_TERM_ID + 1, 0, 1);
    await until('setup-eliciting SM', fixture, sender, () => sender.received.some((r) => r.flags === SEND_SETUP_FLAG));
    expect(fixture.images).toHaveLength(0);

    // SETUP at term INITIAL+1, offset 0 -> the image; its first status message names that position
    sender.setup(INITIAL_TERM_ID + 1, 0);
    await until('first status message', fixture, sender, () =>
      sender.received.some((r) => r.type === HDR_TYPE_SM && r.flags === 0),
    );
    expect(fixture.images).toHaveLength(1);
    const image = fixture.images[0]!;
    expect(image.state).toBe('ACTIVE');
    const sm = sender.received.find((r) => r.type === HDR_TYPE_SM && r.flags === 0)!;
    expect(sm).toMatchObject({ a: INITIAL_TERM_ID + 1, b: 0, window: TERM_LENGTH / 2 });

    // frames 0, 1, 3 (2 lost): a NAK for 2, then the retransmit completes the rebuild
    for (const i of [0, 1, 3]) sender.data(INITIAL_TERM_ID + 1, i * 128, i + 1);
    await until('NAK', fixture, sender, () => sender.received.some((r) => r.type === HDR_TYPE_NAK));
    expect(sender.received.find((r) => r.type === HDR_TYPE_NAK)).toMatchObject({
      a: INITIAL_TERM_ID + 1,
      b: 256,
      c: 128,
    });
    expect(fixture.counter('NAK_MESSAGES_SENT')).toBeGreaterThanOrEqual(1);
    sender.data(INITIAL_TERM_ID + 1, 256, 3);
    const base = TERM_LENGTH;
    await until('rebuilt', fixture, sender, () => image.rebuildPosition() === base + 512);
    const term = fixture.logs[0]!.termBuffers[1]!;
    for (let i = 0; i < 4; i++) expect(term.getUint8(i * 128 + 32)).toBe(i + 1);

    // status messages keep coming per status message timeout (the position moves once a quarter window is consumed)
    fixture.subscriberPositions[0]!.setRelease(base + 512);
    const smCount = sender.received.length;
    await until(
      'two periodic status messages',
      fixture,
      sender,
      () => sender.received.slice(smCount).filter((r) => r.type === HDR_TYPE_SM).length >= 2,
    );

    // malformed: too short, wrong version, truncated DATA and SETUP; none reach the image, nothing throws
    const invalidBefore = fixture.counter('INVALID_PACKETS');
    sender.out.setMemory(0, 64, 0);
    sender.send(5);
    sender.out.putInt8(4, 9);
    sender.send(40);
    writeDataFrame(sender.out, SESSION_ID, STREAM_ID, INITIAL_TERM_ID + 1, 512, 96);
    sender.send(20);
    sender.writeSetup(INITIAL_TERM_ID + 1, 0);
    sender.send(30);
    await until(
      'invalid packets counted',
      fixture,
      sender,
      () => fixture.counter('INVALID_PACKETS') - invalidBefore === 4,
    );
    expect(image.hwmPosition()).toBe(base + 512);
    expect(fixture.errors).toEqual([]);

    // end of stream: a heartbeat with EOS at the end -> DRAINING, status messages carry the EOS flag
    sender.heartbeat(INITIAL_TERM_ID + 1, 512, BEGIN_AND_END_FLAGS | EOS_FLAG);
    await until('EOS status message', fixture, sender, () =>
      sender.received.some((r) => r.type === HDR_TYPE_SM && (r.flags & END_OF_STREAM_FLAG) !== 0),
    );
    expect(image.state).toBe('DRAINING');
    expect(fixture.counter('HEARTBEATS_RECEIVED')).toBe(1);
    expect(fixture.counter('BYTES_RECEIVED')).toBeGreaterThan(0);
  });

  it('rotates terms: 3,000 frames across five terms, every one rebuilt in order', async () => {
    const port = await freeUdpPort();
    const fixture = new ReceiverFixture(`aeron:udp?endpoint=127.0.0.1:${port}`, STREAM_ID);
    const sender = new RawSender(port);
    cleanup.push(
      () => fixture.close(),
      () => sender.close(),
    );
    sender.setup(INITIAL_TERM_ID, 0);
    await until('image', fixture, sender, () => fixture.images.length === 1);
    const image = fixture.images[0]!;
    const sub = fixture.subscriberPositions[0]!;
    const log = fixture.logs[0]!;
    let sent = 0;
    let checked = 0;
    const total = 3_000;
    await until('all rebuilt and checked', fixture, sender, () => {
      // send while the window allows (the last SM's position + half a term)
      while (sent < total && sent * 128 < sub.getVolatile() + TERM_LENGTH / 4) {
        const position = sent * 128;
        sender.data(INITIAL_TERM_ID + Math.floor(position / TERM_LENGTH), position % TERM_LENGTH, (sent % 250) + 1);
        sent++;
      }
      // "subscriber": check each rebuilt frame and move sub-pos
      while (checked * 128 < image.rebuildPosition()) {
        const position = checked * 128;
        const term = log.termBuffers[Math.floor(position / TERM_LENGTH) % 3]!;
        const offset = position % TERM_LENGTH;
        expect(term.getInt32(offset)).toBe(128);
        expect(term.getUint8(offset + 32)).toBe((checked % 250) + 1);
        checked++;
        sub.setRelease(checked * 128);
      }
      return checked === total;
    });
    expect(image.rebuildPosition()).toBe(total * 128);
    expect(total * 128).toBeGreaterThan(5 * TERM_LENGTH);
    // the status messages followed the subscriber across the terms
    const lastSm = sender.received.filter((r) => r.type === HDR_TYPE_SM).at(-1)!;
    expect(lastSm.a).toBeGreaterThanOrEqual(INITIAL_TERM_ID + 4);
    expect(fixture.counter('NAK_MESSAGES_SENT')).toBe(0);
  });

  it('allocates nothing per datagram: receive, dispatch, rebuild, status messages over a socket', async () => {
    const port = await freeUdpPort();
    const fixture = new ReceiverFixture(`aeron:udp?endpoint=127.0.0.1:${port}`, STREAM_ID);
    const sender = new RawSender(port);
    cleanup.push(
      () => fixture.close(),
      () => sender.close(),
    );
    sender.setup(INITIAL_TERM_ID, 0);
    await until('image', fixture, sender, () => fixture.images.length === 1);
    const image = fixture.images[0]!;
    const sub = fixture.subscriberPositions[0]!;
    let sent = 0;
    /** 300 rounds of 32 datagrams (when `datagrams`) and 4 duty cycles: the same cycles with and without data. */
    const rounds = (datagrams: boolean) => (): void => {
      for (let round = 0; round < 300; round++) {
        for (let n = 0; datagrams && n < 32; n++, sent++) {
          const position = sent * 128;
          sender.data(INITIAL_TERM_ID + Math.floor(position / TERM_LENGTH), position % TERM_LENGTH, 7);
        }
        for (let cycle = 0; cycle < 4; cycle++) fixture.duty();
        sub.setRelease(image.rebuildPosition());
        while (sender.socket.receive(sender.in, 0, sender.in.capacity, sender.from) > 0) {}
      }
    };
    const withData = await heapGrowthWithoutGc(rounds(true));
    const cyclesOnly = await heapGrowthWithoutGc(rounds(false));
    expect(image.rebuildPosition()).toBe(sent * 128);
    expect(sent * 128).toBeGreaterThan(20 * TERM_LENGTH);
    expect(withData, 'a run without garbage collection').not.toBeNull();
    expect(cyclesOnly, 'a run without garbage collection').not.toBeNull();
    // The duty cycle's clock reads (a boxed double each) are in both runs. What the datagrams add was measured at
    // 5-10 bytes each (doubles boxed across calls, none with a small clock); an object per datagram (>= 16 bytes)
    // would be 150 KB and more.
    expect(withData! - cyclesOnly!).toBeLessThan(9_600 * 14);
  });

  it('channel-rcv-ts-offset=reserved: the first fragment carries the receive time (epoch ns) in its reserved value', async () => {
    const port = await freeUdpPort();
    const fixture = new ReceiverFixture(
      `aeron:udp?endpoint=127.0.0.1:${port}|channel-rcv-ts-offset=reserved`,
      STREAM_ID,
    );
    const sender = new RawSender(port);
    cleanup.push(
      () => fixture.close(),
      () => sender.close(),
    );
    sender.setup(INITIAL_TERM_ID, 0);
    await until('image', fixture, sender, () => fixture.images.length === 1);
    const before = Date.now();
    sender.data(INITIAL_TERM_ID, 0, 1);
    await until('frame', fixture, sender, () => fixture.images[0]!.rebuildPosition() === 128);
    const stamped = fixture.logs[0]!.termBuffers[0]!.getInt64(24) / 1_000_000;
    expect(stamped).toBeGreaterThanOrEqual(before - 1);
    expect(stamped).toBeLessThanOrEqual(Date.now() + 1);
  });
});
