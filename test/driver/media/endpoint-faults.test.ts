/**
 * The channel endpoints apply the test-only fault injection exactly as the seeded `FrameFaultGenerator` decides:
 * DROP not sent / not handled, DUPLICATE twice, DELAY after the next datagram (a reorder). A twin generator with
 * the same seed predicts the sequence a peer sees; the receive endpoint's dispatcher and a raw socket behind the
 * send endpoint record what really happened, over loopback.
 *
 * ```
 *  ReceiveChannelEndpoint(lossGenerator: FrameFaultGenerator)  <- raw socket sends DATA 0..N-1  -> recorded dispatch
 *  SendChannelEndpoint(data generator: FrameFaultGenerator)    -> raw socket receives            -> recorded order
 *  ReceiveChannelEndpoint(controlLossGenerator)                -> its SMs dropped at the seeded rate, counted sent
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { freeUdpPort } from '../../../harness/ports.ts';
import type { DataPacketDispatcher } from '../../../src/driver/data-packet-dispatcher.ts';
import {
  FRAME_FAULT_DELAY,
  FRAME_FAULT_DROP,
  FRAME_FAULT_DUPLICATE,
  FrameFaultGenerator,
  type FrameFaultOptions,
} from '../../../src/driver/media/debug/frame-fault-generator.ts';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { ReceiveChannelEndpoint } from '../../../src/driver/media/receive-channel-endpoint.ts';
import { SendChannelEndpoint } from '../../../src/driver/media/send-channel-endpoint.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpChannel } from '../../../src/driver/media/udp-channel.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import type { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { makeCounter, makeCounters, writeDataFrame } from '../receiver/support.ts';

const FRAMES = 400;
/** Few enough to sit in the receive socket's default buffer at once. */
const RECEIVE_FRAMES = 120;
const SESSION = 11;
const STREAM = 12;
const DEADLINE_MS = 20_000;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

/** The term offsets a peer sees when datagrams 0..n-1 (term offset 32 i) go through `options`' decisions. */
function predicted(options: FrameFaultOptions, n: number, frame: AtomicBuffer): number[] {
  const twin = new FrameFaultGenerator(options);
  const seen: number[] = [];
  let held = -1;
  for (let i = 0; i < n; i++) {
    const length = writeDataFrame(frame, SESSION, STREAM, 0, i * 32, 0);
    const decision = twin.decide(null, frame, 0, length);
    if (decision === FRAME_FAULT_DROP) continue;
    if (decision === FRAME_FAULT_DELAY && held < 0) {
      held = i * 32;
      continue;
    }
    seen.push(i * 32);
    if (decision === FRAME_FAULT_DUPLICATE) seen.push(i * 32);
    if (held >= 0) {
      seen.push(held);
      held = -1;
    }
  }
  if (held >= 0) seen.push(held);
  return seen;
}

const FAULTS: FrameFaultOptions = { dropRate: 0.05, duplicateRate: 0.1, delayRate: 0.1, seed: 4711n };

describe('channel endpoint fault injection', () => {
  it('the receive endpoint drops, duplicates and reorders received DATA as the seeded generator decides', async () => {
    const port = await freeUdpPort();
    const dispatched: number[] = [];
    const dispatcher = {
      onDataPacket: (_endpoint: unknown, buffer: AtomicBuffer) => {
        dispatched.push(buffer.getInt32(8));
        return 0;
      },
    } as unknown as DataPacketDispatcher;
    const { manager, systemCounters } = makeCounters();
    const endpoint = new ReceiveChannelEndpoint(
      UdpChannel.parse(`aeron:udp?endpoint=127.0.0.1:${port}`),
      dispatcher,
      makeCounter(manager),
      {
        systemCounters,
        errorHandler: (e) => expect.fail(String(e)),
        cachedNanoClock: () => 0,
        lossGenerator: new FrameFaultGenerator(FAULTS),
      },
    );
    endpoint.openChannel();
    closers.push(() => endpoint.close());
    const sender = UdpSocket.open({ bind: SocketAddress.of({ host: '127.0.0.1', port: 0, family: 4 }) });
    closers.push(() => sender.close());
    const to = SocketAddress.of({ host: '127.0.0.1', port, family: 4 });
    const frame = allocateDirectBuffer(64);
    // all sent before the first poll: a held datagram is also released by a poll that finds nothing (not predicted)
    const frames = RECEIVE_FRAMES;
    const expected = predicted(FAULTS, frames, frame);
    const buffer = allocateDirectBuffer(65536);
    const src = new SocketAddress();
    const deadline = Date.now() + DEADLINE_MS;
    for (let i = 0; i < frames; i++) {
      const length = writeDataFrame(frame, SESSION, STREAM, 0, i * 32, 0);
      expect(sender.sendTo(frame, 0, length, to)).toBe(length);
    }
    while (dispatched.length < expected.length && Date.now() < deadline) {
      if (endpoint.poll(buffer, src) === 0) await sleep(1);
    }
    expect(dispatched).toEqual(expected);
    expect(new Set(dispatched).size).toBeLessThan(frames); // some dropped
    expect(dispatched.length).toBeGreaterThan(new Set(dispatched).size); // some twice
  });

  it('the send endpoint drops, duplicates and reorders sent datagrams as the seeded generator decides', async () => {
    const port = await freeUdpPort();
    const receiver = UdpSocket.open({ bind: SocketAddress.of({ host: '127.0.0.1', port, family: 4 }) });
    closers.push(() => receiver.close());
    const { manager, systemCounters } = makeCounters();
    const endpoint = new SendChannelEndpoint(
      UdpChannel.parse(`aeron:udp?endpoint=127.0.0.1:${port}`),
      makeCounter(manager),
      {
        statusMessagesReceived: systemCounters.get('STATUS_MESSAGES_RECEIVED'),
        statusMessagesRejected: systemCounters.get('STATUS_MESSAGES_REJECTED'),
        nakMessagesReceived: systemCounters.get('NAK_MESSAGES_RECEIVED'),
        errorMessagesReceived: systemCounters.get('ERROR_FRAMES_RECEIVED'),
        invalidPackets: systemCounters.get('INVALID_PACKETS'),
      },
      (e) => expect.fail(String(e)),
      new FrameFaultGenerator(FAULTS),
    );
    endpoint.openChannel(manager, 0, 0);
    closers.push(() => endpoint.close());
    const frame = allocateDirectBuffer(64);
    const expected = predicted(FAULTS, FRAMES, frame);
    const received: number[] = [];
    const buffer = allocateDirectBuffer(65536);
    const src = new SocketAddress();
    const drain = (): void => {
      while (receiver.receive(buffer, 0, buffer.capacity, src) > 0) received.push(buffer.getInt32(8));
    };
    for (let i = 0; i < FRAMES; i++) {
      const length = writeDataFrame(frame, SESSION, STREAM, 0, i * 32, 0);
      expect(endpoint.send(frame, 0, length)).toBe(length);
      if ((i & 15) === 15) drain();
    }
    // the last datagram may be held until the next send: a heartbeat-like extra datagram releases it
    const last = writeDataFrame(frame, SESSION, STREAM, 0, FRAMES * 32, 0);
    const deadline = Date.now() + DEADLINE_MS;
    if (expected.length > 0 && expected.at(-1) !== (FRAMES - 1) * 32) endpoint.send(frame, 0, last);
    while (received.filter((o) => o < FRAMES * 32).length < expected.length && Date.now() < deadline) {
      drain();
      await sleep(1);
    }
    expect(received.filter((o) => o < FRAMES * 32)).toEqual(expected);
    expect(expected.length).not.toBe(FRAMES);
  });

  it('the receive endpoint drops its own control frames at the control loss rate and counts them as sent', async () => {
    const port = await freeUdpPort();
    const controlPort = await freeUdpPort();
    const { manager, systemCounters } = makeCounters();
    const endpoint = new ReceiveChannelEndpoint(
      UdpChannel.parse(`aeron:udp?endpoint=127.0.0.1:${port}`),
      {} as DataPacketDispatcher,
      makeCounter(manager),
      {
        systemCounters,
        errorHandler: (e) => expect.fail(String(e)),
        cachedNanoClock: () => 0,
        controlLossGenerator: new FrameFaultGenerator({ dropRate: 0.5, seed: 99n }),
      },
    );
    endpoint.openChannel();
    closers.push(() => endpoint.close());
    const control = UdpSocket.open({ bind: SocketAddress.of({ host: '127.0.0.1', port: controlPort, family: 4 }) });
    closers.push(() => control.close());
    const to = SocketAddress.of({ host: '127.0.0.1', port: controlPort, family: 4 });
    const twin = new FrameFaultGenerator({ dropRate: 0.5, seed: 99n });
    const probe = allocateDirectBuffer(64);
    let expectedSent = 0;
    for (let i = 0; i < 100; i++) {
      endpoint.sendSetupElicitingStatusMessage(0, to, SESSION, STREAM);
      if (twin.decide(null, probe, 0, 36) !== FRAME_FAULT_DROP) expectedSent++;
    }
    const buffer = allocateDirectBuffer(65536);
    const src = new SocketAddress();
    let got = 0;
    const deadline = Date.now() + DEADLINE_MS;
    while (got < expectedSent && Date.now() < deadline) {
      if (control.receive(buffer, 0, buffer.capacity, src) > 0) got++;
      else await sleep(1);
    }
    await sleep(20);
    while (control.receive(buffer, 0, buffer.capacity, src) > 0) got++;
    expect(got).toBe(expectedSent);
    expect(expectedSent).toBeGreaterThan(20);
    expect(expectedSent).toBeLessThan(80);
    expect(systemCounters.get('SHORT_SENDS').get()).toBe(0);
  });
});
