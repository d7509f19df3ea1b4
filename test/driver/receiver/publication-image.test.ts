import { describe, expect, it } from 'vitest';
import { ERROR_CODE_IMAGE_REJECTED } from '../../../src/driver/command/control-protocol.ts';
import { StaticWindowCongestionControl } from '../../../src/driver/congestion-control.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { END_OF_STREAM_FLAG } from '../../../src/driver/protocol/status-message-flyweight.ts';
import { type ImageConductor, PublicationImage } from '../../../src/driver/publication-image.ts';
import { BEGIN_AND_END_FLAGS, EOS_FLAG, HDR_TYPE_PAD } from '../../../src/logbuffer/data-header-flyweight.ts';
import { endOfStreamPosition } from '../../../src/logbuffer/log-buffer-descriptor.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import {
  FakeImageEndpoint,
  heapGrowthWithoutGc,
  makeCounters,
  makeLog,
  makePosition,
  writeDataFrame,
  writeHeartbeat,
} from './support.ts';

const TERM_LENGTH = 64 * 1024;
const SESSION_ID = 11;
const STREAM_ID = 1001;
const INITIAL_TERM_ID = 5;
const NAK_DELAY_NS = 1_000;
const NAK_RETRY_NS = 100_000;
const SM_TIMEOUT_NS = 200_000_000;
const LIVENESS_NS = 10_000_000_000;

function fixture(options: { isReliable?: boolean; activeTermId?: number; termOffset?: number } = {}) {
  const { manager, systemCounters } = makeCounters();
  const log = makeLog(TERM_LENGTH);
  const clock = { now: 1_000_000_000 };
  const endpoint = new FakeImageEndpoint();
  const sub = makePosition(manager, 'sub-pos');
  const hwm = makePosition(manager, 'rcv-hwm');
  const rcv = makePosition(manager, 'rcv-pos');
  const calls: string[] = [];
  const conductor: ImageConductor = {
    transitionToLinger: () => calls.push('linger'),
    cleanupImage: () => calls.push('cleanup'),
    tryCloseReceiveChannelEndpoint: () => calls.push('tryClose'),
    notifyUnavailableImageLink: () => calls.push('unavailableLink'),
    notifyAvailableImageLink: () => calls.push('availableLink'),
  };
  const activeTermId = options.activeTermId ?? INITIAL_TERM_ID;
  const termOffset = options.termOffset ?? 0;
  const image = new PublicationImage({
    correlationId: 7,
    channelEndpoint: endpoint,
    transportIndex: 0,
    controlAddress: SocketAddress.of({ host: '127.0.0.1', port: 40124, family: 4 }),
    sessionId: SESSION_ID,
    streamId: STREAM_ID,
    initialTermId: INITIAL_TERM_ID,
    activeTermId,
    termOffset,
    flags: 0,
    isReliable: options.isReliable ?? true,
    rawLog: log,
    lossFeedbackDelayGenerator: { generateDelayNs: () => NAK_DELAY_NS, retryDelayNs: () => NAK_RETRY_NS },
    subscriberPositions: [{ link: { isTether: true, isRejoin: true }, position: sub }],
    hwmPosition: hwm,
    rebuildPosition: rcv,
    receiverNaksSent: null,
    sourceIdentity: '127.0.0.1:40124',
    congestionControl: new StaticWindowCongestionControl(TERM_LENGTH, 0),
    systemCounters,
    lossReport: null,
    conductor,
    imageLivenessTimeoutNs: LIVENESS_NS,
    statusMessageTimeoutNs: SM_TIMEOUT_NS,
    untetheredWindowLimitTimeoutNs: 5e9,
    untetheredLingerTimeoutNs: 5e9,
    untetheredRestingTimeoutNs: 10e9,
    cachedNanoClock: () => clock.now,
    nanoClock: () => clock.now,
    epochClock: () => 1_700_000_000_000,
  });
  const packet = new AtomicBuffer(new ArrayBuffer(2048));
  const src = SocketAddress.of({ host: '127.0.0.1', port: 40124, family: 4 });
  /** Inserts a 128-byte frame (96 bytes payload) at `termOffset` of `termId`. */
  const data = (termId: number, offset: number, fill = 0x5a): number => {
    const length = writeDataFrame(packet, SESSION_ID, STREAM_ID, termId, offset, 96, fill);
    return image.insertPacket(termId, offset, packet, length, 0, src);
  };
  const heartbeat = (termId: number, offset: number, flags = BEGIN_AND_END_FLAGS): number => {
    const length = writeHeartbeat(packet, SESSION_ID, STREAM_ID, termId, offset, flags);
    return image.insertPacket(termId, offset, packet, length, 0, src);
  };
  const counter = (name: Parameters<typeof systemCounters.get>[0]): number => systemCounters.get(name).get();
  return { image, log, clock, endpoint, sub, hwm, rcv, calls, data, heartbeat, counter, packet, src };
}

describe('PublicationImage', () => {
  it('starts at the SETUP position: hwm, rebuild position, first status message at once', () => {
    const f = fixture({ activeTermId: INITIAL_TERM_ID + 2, termOffset: 1024 });
    const expected = 2 * TERM_LENGTH + 1024;
    expect(f.hwm.get()).toBe(expected);
    expect(f.rcv.get()).toBe(expected);
    f.image.activate();
    expect(f.image.sendPendingStatusMessage(f.clock.now)).toBe(1);
    expect(f.endpoint.ofType('SM')).toEqual([
      { type: 'SM', termId: INITIAL_TERM_ID + 2, termOffset: 1024, window: TERM_LENGTH / 2, flags: 0 },
    ]);
    expect(f.counter('STATUS_MESSAGES_SENT')).toBe(1);
    // none again before the status message timeout
    expect(f.image.sendPendingStatusMessage(f.clock.now + 1)).toBe(0);
    f.clock.now += SM_TIMEOUT_NS + 1;
    expect(f.image.sendPendingStatusMessage(f.clock.now)).toBe(1);
  });

  it('rebuilds frames in order into the term, hwm and rebuild position follow', () => {
    const f = fixture();
    f.image.activate();
    for (let i = 0; i < 4; i++) expect(f.data(INITIAL_TERM_ID, i * 128, i + 1)).toBe(128);
    expect(f.hwm.get()).toBe(512);
    f.image.trackRebuild(f.clock.now);
    expect(f.rcv.get()).toBe(512);
    const term = f.log.termBuffers[0]!;
    for (let i = 0; i < 4; i++) {
      expect(term.getInt32(i * 128)).toBe(128);
      expect(term.getInt32(i * 128 + 12)).toBe(SESSION_ID);
      expect(term.getUint8(i * 128 + 32)).toBe(i + 1);
    }
    // a duplicate changes nothing
    f.data(INITIAL_TERM_ID, 128, 0x77);
    expect(term.getUint8(128 + 32)).toBe(2);
  });

  it('NAKs a gap after the NAK delay, again after the retry delay, and rebuilds once it is filled', () => {
    const f = fixture();
    f.image.activate();
    f.data(INITIAL_TERM_ID, 0);
    f.data(INITIAL_TERM_ID, 256);
    f.image.trackRebuild(f.clock.now);
    expect(f.rcv.get()).toBe(128);
    expect(f.image.processPendingLoss()).toBe(0);
    f.clock.now += NAK_DELAY_NS;
    f.image.trackRebuild(f.clock.now);
    expect(f.image.processPendingLoss()).toBe(1);
    expect(f.endpoint.ofType('NAK')).toEqual([{ type: 'NAK', termId: INITIAL_TERM_ID, termOffset: 128, length: 128 }]);
    expect(f.counter('NAK_MESSAGES_SENT')).toBe(1);
    f.clock.now += NAK_RETRY_NS / 2;
    f.image.trackRebuild(f.clock.now);
    expect(f.image.processPendingLoss()).toBe(0);
    f.clock.now += NAK_RETRY_NS;
    f.image.trackRebuild(f.clock.now);
    expect(f.image.processPendingLoss()).toBe(1);
    expect(f.endpoint.ofType('NAK')).toHaveLength(2);
    f.data(INITIAL_TERM_ID, 128);
    f.image.trackRebuild(f.clock.now);
    expect(f.rcv.get()).toBe(384);
  });

  it('fills a gap with padding instead of NAKing when unreliable', () => {
    const f = fixture({ isReliable: false });
    f.image.activate();
    f.data(INITIAL_TERM_ID, 0);
    f.data(INITIAL_TERM_ID, 384);
    f.image.trackRebuild(f.clock.now);
    f.clock.now += NAK_DELAY_NS;
    f.image.trackRebuild(f.clock.now);
    f.image.processPendingLoss();
    expect(f.endpoint.ofType('NAK')).toHaveLength(0);
    expect(f.counter('LOSS_GAP_FILLS')).toBe(1);
    const term = f.log.termBuffers[0]!;
    expect(term.getInt32(128)).toBe(256);
    expect(term.getUint16(134)).toBe(HDR_TYPE_PAD);
    f.image.trackRebuild(f.clock.now);
    expect(f.rcv.get()).toBe(512);
  });

  it('drops over-runs beyond half a term past the last status message, and under-runs behind it', () => {
    const f = fixture();
    f.image.activate();
    f.image.sendPendingStatusMessage(f.clock.now);
    f.data(INITIAL_TERM_ID, TERM_LENGTH / 2);
    expect(f.counter('FLOW_CONTROL_OVER_RUNS')).toBe(1);
    expect(f.hwm.get()).toBe(0);
    // move the consumer on so a status message at 16 KiB goes out, then send a frame behind it
    for (let offset = 0; offset < 16384; offset += 128) f.data(INITIAL_TERM_ID, offset);
    f.sub.setRelease(16384);
    expect(f.image.trackRebuild(f.clock.now)).toBe(1);
    f.image.sendPendingStatusMessage(f.clock.now);
    expect(f.endpoint.ofType('SM').at(-1)).toMatchObject({ termOffset: 16384 });
    f.data(INITIAL_TERM_ID, 0);
    expect(f.counter('FLOW_CONTROL_UNDER_RUNS')).toBe(1);
  });

  it('moves across terms and cleans the term behind the subscribers', () => {
    const f = fixture();
    f.image.activate();
    const frames = (3 * TERM_LENGTH) / 128;
    for (let i = 0; i < frames; i++) {
      const position = i * 128;
      const termId = INITIAL_TERM_ID + Math.floor(position / TERM_LENGTH);
      expect(f.data(termId, position % TERM_LENGTH, (i % 250) + 1)).toBe(128);
      f.image.trackRebuild(f.clock.now);
      f.image.sendPendingStatusMessage(f.clock.now);
      f.sub.setRelease(f.rcv.get());
    }
    expect(f.rcv.get()).toBe(3 * TERM_LENGTH);
    expect(f.endpoint.ofType('SM').at(-1)).toMatchObject({ termId: INITIAL_TERM_ID + 2 });
    // the first term was cleaned for reuse once the subscribers were a term past it
    expect(f.log.termBuffers[0]!.getInt32(0)).toBe(0);
    expect(f.counter('FLOW_CONTROL_OVER_RUNS')).toBe(0);
  });

  it('EOS: end of stream position, DRAINING with EOS status messages, LINGER, DONE, end of life', () => {
    const f = fixture();
    f.image.activate();
    f.data(INITIAL_TERM_ID, 0);
    f.heartbeat(INITIAL_TERM_ID, 128, BEGIN_AND_END_FLAGS | EOS_FLAG);
    expect(f.image.isEndOfStream()).toBe(true);
    expect(endOfStreamPosition(f.log.metaData)).toBe(128);
    expect(f.counter('HEARTBEATS_RECEIVED')).toBe(1);
    f.image.trackRebuild(f.clock.now);
    f.image.checkEosForDrainTransition(f.clock.now);
    expect(f.image.state).toBe('DRAINING');
    f.image.sendPendingStatusMessage(f.clock.now);
    expect(f.endpoint.ofType('SM').at(-1)?.flags).toBe(END_OF_STREAM_FLAG);
    f.sub.setRelease(128);
    f.image.onTimeEvent(f.clock.now + SM_TIMEOUT_NS, 0, null!);
    expect(f.image.state).toBe('DRAINING');
    f.clock.now += 5 * SM_TIMEOUT_NS + 1;
    f.image.onTimeEvent(f.clock.now, 0, null!);
    expect(f.image.state).toBe('LINGER');
    expect(f.calls).toEqual(['linger', 'tryClose']);
    expect(f.endpoint.imageRefs).toBe(0);
    expect(f.image.isConnected(f.clock.now)).toBe(false);
    f.image.onTimeEvent(f.clock.now + LIVENESS_NS + 1, 0, null!);
    expect(f.image.state).toBe('DONE');
    expect(f.calls).toEqual(['linger', 'tryClose', 'cleanup']);
    expect(f.image.hasReachedEndOfLife()).toBe(false);
    f.image.receiverRelease();
    expect(f.image.hasReachedEndOfLife()).toBe(true);
    expect(f.image.free()).toBe(true);
    expect(f.log.freed).toBe(true);
  });

  it('is not connected after the image liveness timeout without frames', () => {
    const f = fixture();
    f.image.activate();
    expect(f.image.isConnected(f.clock.now + LIVENESS_NS)).toBe(true);
    expect(f.image.isConnected(f.clock.now + LIVENESS_NS + 1)).toBe(false);
    f.clock.now += LIVENESS_NS;
    f.heartbeat(INITIAL_TERM_ID, 0);
    expect(f.image.isConnected(f.clock.now + LIVENESS_NS)).toBe(true);
  });

  it('rejected: DATA dropped, error frames instead of status messages', () => {
    const f = fixture();
    f.image.activate();
    f.image.reject('not wanted');
    expect(f.data(INITIAL_TERM_ID, 0)).toBe(0);
    expect(f.hwm.get()).toBe(0);
    f.image.sendPendingStatusMessage(f.clock.now);
    expect(f.endpoint.ofType('SM')).toHaveLength(0);
    expect(f.endpoint.ofType('ERR')).toEqual([{ type: 'ERR', code: ERROR_CODE_IMAGE_REJECTED, message: 'not wanted' }]);
  });

  it('drops frames that cannot be in the log (unaligned or past the term)', () => {
    const f = fixture();
    f.image.activate();
    const length = writeDataFrame(f.packet, SESSION_ID, STREAM_ID, INITIAL_TERM_ID, 8, 96);
    expect(f.image.insertPacket(INITIAL_TERM_ID, 8, f.packet, length, 0, f.src)).toBe(0);
    expect(f.image.insertPacket(INITIAL_TERM_ID, TERM_LENGTH - 64, f.packet, length, 0, f.src)).toBe(0);
    expect(f.hwm.get()).toBe(0);
  });

  it('allocates nothing per frame on the steady path (insert, rebuild, status messages, term rotation)', async () => {
    const f = fixture();
    f.image.activate();
    f.endpoint.record = false;
    let i = 0;
    const run = (): void => {
      for (let n = 0; n < 40_000; n++, i++) {
        const position = i * 128;
        f.data(INITIAL_TERM_ID + Math.floor(position / TERM_LENGTH), position % TERM_LENGTH);
        f.image.trackRebuild(f.clock.now);
        f.image.sendPendingStatusMessage(f.clock.now);
        f.sub.setRelease(f.rcv.get());
      }
    };
    const growth = await heapGrowthWithoutGc(run);
    expect(f.rcv.get()).toBeGreaterThan(100 * TERM_LENGTH);
    expect(growth, 'a run without garbage collection').not.toBeNull();
    expect(growth).toBeLessThan(256 * 1024); // one 16-byte object per frame would be 640 KB
  });
});
