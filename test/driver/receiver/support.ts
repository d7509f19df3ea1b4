/**
 * Shared helpers of the receiver tests: counters, an in-memory image log, frames written the way a sender
 * writes them, and a fake receive endpoint that records what the image sends.
 */

import { StaticWindowCongestionControl } from '../../../src/driver/congestion-control.ts';
import { DataPacketDispatcher } from '../../../src/driver/data-packet-dispatcher.ts';
import { StaticDelayGenerator } from '../../../src/driver/feedback-delay-generator.ts';
import type { LossGenerator } from '../../../src/driver/media/loss-generator.ts';
import { ReceiveChannelEndpoint } from '../../../src/driver/media/receive-channel-endpoint.ts';
import { UdpChannel } from '../../../src/driver/media/udp-channel.ts';
import type { ImageConnection, ImageLog } from '../../../src/driver/publication-image.ts';
import { type ImageConductor, PublicationImage } from '../../../src/driver/publication-image.ts';
import { Receiver } from '../../../src/driver/receiver.ts';
import type { ReceiverConductorProxy } from '../../../src/driver/receiver-conductor-proxy.ts';
import type { SystemCounterName } from '../../../src/driver/system-counters.ts';
import { SystemCounters } from '../../../src/driver/system-counters.ts';
import { UnsafeBufferPosition } from '../../../src/driver/unsafe-buffer-position.ts';
import {
  BEGIN_AND_END_FLAGS,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
} from '../../../src/logbuffer/data-header-flyweight.ts';
import { LOG_META_DATA_LENGTH, PARTITION_COUNT } from '../../../src/logbuffer/log-buffer-descriptor.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { AtomicCounter } from '../../../src/transport/atomic-counter.ts';
import { CountersManager } from '../../../src/transport/counters-manager.ts';
import { HeapGrowthMeter } from '../../support/heap-growth.ts';

/** A counters manager and the driver's system counters over heap buffers. */
export function makeCounters(): { manager: CountersManager; systemCounters: SystemCounters } {
  const metadata = new AtomicBuffer(new ArrayBuffer(512 * 1024));
  const values = new AtomicBuffer(new ArrayBuffer(128 * 1024));
  const manager = new CountersManager(metadata, values);
  const systemCounters = new SystemCounters(manager, {
    threadingMode: 'SHARED',
    conductorCycleThresholdNs: 1e9,
    senderCycleThresholdNs: 1e9,
    receiverCycleThresholdNs: 1e9,
    nameResolverThresholdNs: 1e9,
  });
  return { manager, systemCounters };
}

/** A new position counter. */
export function makePosition(manager: CountersManager, label: string): UnsafeBufferPosition {
  return new UnsafeBufferPosition(manager, manager.allocate(label));
}

/** An image log in heap memory. */
export function makeLog(termLength: number): ImageLog & { freed: boolean } {
  const memory = new ArrayBuffer(termLength * PARTITION_COUNT + LOG_META_DATA_LENGTH);
  const termBuffers = [0, 1, 2].map((i) => new AtomicBuffer(memory, i * termLength, termLength));
  return {
    fileName: '/nonexistent/images/1.logbuffer',
    termLength,
    termBuffers,
    metaData: new AtomicBuffer(memory, termLength * PARTITION_COUNT, LOG_META_DATA_LENGTH),
    freed: false,
    free() {
      this.freed = true;
      return true;
    },
  };
}

/** Writes a DATA frame (payload = `payloadLength` bytes of `fill`) at offset 0 of `buffer`; returns its length. */
export function writeDataFrame(
  buffer: AtomicBuffer,
  sessionId: number,
  streamId: number,
  termId: number,
  termOffset: number,
  payloadLength: number,
  fill = 0x5a,
  flags = BEGIN_AND_END_FLAGS,
): number {
  const length = HEADER_LENGTH + payloadLength;
  buffer.putInt32(0, length);
  buffer.putInt8(4, 0);
  buffer.putInt8(5, flags);
  buffer.putInt16(6, HDR_TYPE_DATA);
  buffer.putInt32(8, termOffset);
  buffer.putInt32(12, sessionId);
  buffer.putInt32(16, streamId);
  buffer.putInt32(20, termId);
  buffer.putInt64(24, 0);
  buffer.setMemory(HEADER_LENGTH, payloadLength, fill);
  return length;
}

/** Writes a heartbeat (DATA, frame length 0, 32 bytes) with `flags` at offset 0 of `buffer`. */
export function writeHeartbeat(
  buffer: AtomicBuffer,
  sessionId: number,
  streamId: number,
  termId: number,
  termOffset: number,
  flags = BEGIN_AND_END_FLAGS,
): number {
  writeDataFrame(buffer, sessionId, streamId, termId, termOffset, 0, 0, flags);
  buffer.putInt32(0, 0);
  return HEADER_LENGTH;
}

/** Writes a PAD frame header claiming `padLength` bytes. */
export function writePadFrame(
  buffer: AtomicBuffer,
  sessionId: number,
  streamId: number,
  termId: number,
  termOffset: number,
  padLength: number,
): number {
  writeDataFrame(buffer, sessionId, streamId, termId, termOffset, 0);
  buffer.putInt16(6, HDR_TYPE_PAD);
  buffer.putInt32(0, padLength);
  return HEADER_LENGTH;
}

/** A sent control frame as the fake endpoint records it. */
export type SentFrame =
  | { type: 'SM'; termId: number; termOffset: number; window: number; flags: number }
  | { type: 'NAK'; termId: number; termOffset: number; length: number }
  | { type: 'ERR'; code: number; message: string }
  | { type: 'RTTM' }
  | { type: 'RSP_SETUP'; responseSessionId: number };

/** An endpoint recording what images send; satisfies `ImageChannelEndpoint`. */
export class FakeImageEndpoint {
  readonly sent: SentFrame[] = [];
  readonly removed: unknown[] = [];
  imageRefs = 1;
  /** False: frames are only counted (allocation measurements). */
  record = true;
  /** Frames sent. */
  count = 0;
  originalUriString(): string {
    return 'aeron:udp?endpoint=localhost:40123';
  }
  sendStatusMessage(
    _c: readonly (ImageConnection | null)[],
    _s: number,
    _st: number,
    termId: number,
    termOffset: number,
    window: number,
    flags: number,
  ): void {
    this.count++;
    if (this.record) this.sent.push({ type: 'SM', termId, termOffset, window, flags });
  }
  sendNakMessage(
    _c: readonly (ImageConnection | null)[],
    _s: number,
    _st: number,
    termId: number,
    termOffset: number,
    length: number,
  ): void {
    this.count++;
    if (this.record) this.sent.push({ type: 'NAK', termId, termOffset, length });
  }
  sendRttMeasurement(): void {
    this.count++;
    if (this.record) this.sent.push({ type: 'RTTM' });
  }
  sendErrorFrame(
    _c: readonly (ImageConnection | null)[],
    _s: number,
    _st: number,
    code: number,
    message: string,
  ): void {
    this.count++;
    if (this.record) this.sent.push({ type: 'ERR', code, message });
  }
  sendResponseSetup(_c: readonly (ImageConnection | null)[], _s: number, _st: number, responseSessionId: number): void {
    this.count++;
    if (this.record) this.sent.push({ type: 'RSP_SETUP', responseSessionId });
  }
  hasDestination(index: number): boolean {
    return index === 0;
  }
  decRefImages(): void {
    this.imageRefs--;
  }
  dispatcher(): { removePublicationImage(image: unknown): void } {
    return { removePublicationImage: (image) => this.removed.push(image) };
  }
  /** Sent frames of one type. */
  ofType<T extends SentFrame['type']>(type: T): Extract<SentFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<SentFrame, { type: T }> => f.type === type);
  }
}

/**
 * Heap growth over a synchronous `run` during which no garbage collection ran (retried up to 10 times; null if
 * every attempt saw one): the way test/driver/ipc-allocation.test.ts measures the hot path.
 */
export async function heapGrowthWithoutGc(run: () => void): Promise<number | null> {
  using meter = new HeapGrowthMeter();
  run(); // warm up
  for (let attempt = 0; attempt < 10; attempt++) {
    const growth = await meter.measure(run);
    if (growth !== null) return growth;
  }
  return null;
}

/** The fixture's clock (ns). */
export function nanoClock(): number {
  return performance.now() * 1_000_000;
}

/**
 * A receiver side without a conductor: ReceiveChannelEndpoint + DataPacketDispatcher + Receiver, one subscription
 * to `streamId`, and a `createPublicationImage` that builds the PublicationImage (heap log, counters) as the conductor
 * would. `duty()` runs one SHARED duty cycle's receiver part and the conductor's trackRebuild.
 */
export class ReceiverFixture {
  readonly counters = makeCounters();
  readonly images: PublicationImage[] = [];
  readonly subscriberPositions: ReturnType<typeof makePosition>[] = [];
  readonly logs: ReturnType<typeof makeLog>[] = [];
  readonly receiver: Receiver;
  readonly endpoint: ReceiveChannelEndpoint;
  readonly errors: unknown[] = [];

  constructor(channel: string, streamId: number, lossGenerator: LossGenerator | null = null) {
    const { manager, systemCounters } = this.counters;
    const lifecycle: ImageConductor = {
      transitionToLinger: () => {},
      cleanupImage: () => {},
      tryCloseReceiveChannelEndpoint: () => {},
      notifyUnavailableImageLink: () => {},
      notifyAvailableImageLink: () => {},
    };
    const conductor: ReceiverConductorProxy = {
      createPublicationImage: (
        sessionId,
        streamId,
        initialTermId,
        activeTermId,
        termOffset,
        termLength,
        _mtu,
        transportIndex,
        flags,
        controlAddress,
        srcAddress,
        channelEndpoint,
      ) => {
        const log = makeLog(termLength);
        const sub = makePosition(manager, 'sub-pos');
        this.logs.push(log);
        this.subscriberPositions.push(sub);
        const image = new PublicationImage({
          correlationId: 100 + this.images.length,
          channelEndpoint,
          transportIndex,
          controlAddress,
          sessionId,
          streamId,
          initialTermId,
          activeTermId,
          termOffset,
          flags,
          isReliable: true,
          rawLog: log,
          lossFeedbackDelayGenerator: new StaticDelayGenerator(1_000_000),
          subscriberPositions: [{ link: { isTether: true, isRejoin: true }, position: sub }],
          hwmPosition: makePosition(manager, 'rcv-hwm'),
          rebuildPosition: makePosition(manager, 'rcv-pos'),
          receiverNaksSent: null,
          sourceIdentity: srcAddress.toString(),
          congestionControl: new StaticWindowCongestionControl(termLength, 0),
          systemCounters,
          lossReport: null,
          conductor: lifecycle,
          imageLivenessTimeoutNs: 10_000_000_000,
          statusMessageTimeoutNs: 200_000_000,
          untetheredWindowLimitTimeoutNs: 5e9,
          untetheredLingerTimeoutNs: 5e9,
          untetheredRestingTimeoutNs: 10e9,
          cachedNanoClock: this.receiver.cachedNanoClock,
          nanoClock,
          epochClock: Date.now,
        });
        sub.setRelease(image.rebuildPosition()); // the subscriber joins where the image starts (Java: joinPosition)
        this.images.push(image);
        channelEndpoint.incRefImages();
        this.receiver.newPublicationImage(channelEndpoint, image);
      },
      receiveChannelEndpointClosed: () => {},
      reResolveControl: () => {},
    };
    this.receiver = new Receiver({ systemCounters, conductorProxy: conductor, nanoClock });
    const dispatcher = new DataPacketDispatcher(conductor, this.receiver);
    this.endpoint = new ReceiveChannelEndpoint(UdpChannel.parse(channel), dispatcher, makeCounter(manager), {
      systemCounters,
      errorHandler: (e) => this.errors.push(e),
      cachedNanoClock: this.receiver.cachedNanoClock,
      lossGenerator,
    });
    this.endpoint.openChannel();
    this.receiver.registerReceiveChannelEndpoint(this.endpoint);
    this.receiver.addSubscription(this.endpoint, streamId);
  }

  /** One duty cycle as the SHARED agent runs it: the conductor's part (trackRebuild), then the receiver. */
  duty(): void {
    const now = nanoClock();
    const images = this.images;
    for (let i = 0; i < images.length; i++) images[i]!.trackRebuild(now);
    this.receiver.doWork();
  }

  counter(name: SystemCounterName): number {
    return this.counters.systemCounters.get(name).get();
  }

  close(): void {
    this.endpoint.close();
  }
}

/** A plain counter (a channel status indicator) from `manager`. */
export function makeCounter(manager: CountersManager): AtomicCounter {
  return new AtomicCounter(manager.valuesBuffer, manager.allocate('rcv-channel'), manager);
}
