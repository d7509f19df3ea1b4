/**
 * Helpers of the sender-side protocol logic tests (flow control, retransmit handler): recording fakes of the
 * collaborators, status message and error frames, the channels and counters of Java's flow control tests, and the
 * heap-growth check of an allocation-free path.
 */
import { UdpChannel } from '../../../src/driver/media/udp-channel.ts';
import { ErrorFlyweight, MAX_ERROR_FRAME_LENGTH } from '../../../src/driver/protocol/error-flyweight.ts';
import {
  END_OF_STREAM_FLAG,
  STATUS_MESSAGE_HEADER_LENGTH,
  StatusMessageFlyweight,
} from '../../../src/driver/protocol/status-message-flyweight.ts';
import type { RetransmitLengthLimit, RetransmitSender } from '../../../src/driver/retransmit-handler.ts';
import { HDR_TYPE_ERR, HDR_TYPE_SM } from '../../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { CountersManager } from '../../../src/transport/counters-manager.ts';
import { HeapGrowthMeter } from '../../support/heap-growth.ts';

/** The multicast endpoint of Java's flow control tests; `fc` is appended when given. */
export function multicastChannel(fc?: string): UdpChannel {
  const base = 'aeron:udp?endpoint=224.20.30.39:24326|interface=localhost';
  return UdpChannel.parse(fc === undefined ? base : `${base}|fc=${fc}`);
}

/** A counters manager over heap buffers of `counters` counters. */
export function newCountersManager(counters = 128): CountersManager {
  return new CountersManager(
    new AtomicBuffer(new ArrayBuffer(counters * 512)),
    new AtomicBuffer(new ArrayBuffer(counters * 128)),
  );
}

/** What a test status message says. */
export interface StatusMessageFields {
  receiverId: bigint;
  termId?: number;
  termOffset: number;
  windowLength: number;
  /** A group tag (frame length 44); none (36) when left out or null. */
  groupTag?: bigint | null;
  eos?: boolean;
  sessionId?: number;
  streamId?: number;
}

/** A status message frame over a fresh buffer, as a receiver sends it. */
export function statusMessage(fields: StatusMessageFields): StatusMessageFlyweight {
  const flyweight = new StatusMessageFlyweight().wrap(new AtomicBuffer(new ArrayBuffer(64)), 0);
  flyweight
    .setFrameLength(STATUS_MESSAGE_HEADER_LENGTH)
    .setHeaderType(HDR_TYPE_SM)
    .setFlags(fields.eos === true ? END_OF_STREAM_FLAG : 0);
  flyweight
    .setSessionId(fields.sessionId ?? 0)
    .setStreamId(fields.streamId ?? 0)
    .setConsumptionTermId(fields.termId ?? 0)
    .setConsumptionTermOffset(fields.termOffset)
    .setReceiverWindowLength(fields.windowLength)
    .setReceiverId(fields.receiverId)
    .setGroupTag(fields.groupTag ?? null);
  return flyweight;
}

/** An ERROR frame from `receiverId`, with the has-group-tag flag when `groupTag` is given. */
export function errorFrame(receiverId: bigint, groupTag: bigint | null): ErrorFlyweight {
  const flyweight = new ErrorFlyweight().wrap(new AtomicBuffer(new ArrayBuffer(MAX_ERROR_FRAME_LENGTH)), 0);
  flyweight.setHeaderType(HDR_TYPE_ERR);
  return flyweight.setReceiverId(receiverId).setGroupTag(groupTag);
}

/** One resend seen by a `RecordingRetransmitSender`. */
export interface Resend {
  termId: number;
  termOffset: number;
  length: number;
}

/** A RetransmitSender that records its calls in order. */
export class RecordingRetransmitSender implements RetransmitSender {
  readonly resends: Resend[] = [];

  resend(termId: number, termOffset: number, length: number): void {
    this.resends.push({ termId, termOffset, length });
  }
}

/** A counter that counts its increments. */
export class CountingCounter {
  value = 0;

  increment(): number {
    return this.value++;
  }
}

/** Flow control that returns the NAK's length unchanged, or `clampTo` when set. */
export class FakeRetransmitLimit implements RetransmitLengthLimit {
  clampTo: number | null = null;
  readonly calls: number[][] = [];

  maxRetransmissionLength(termOffset: number, resendLength: number, termBufferLength: number, mtuLength: number) {
    this.calls.push([termOffset, resendLength, termBufferLength, mtuLength]);
    return this.clampTo ?? resendLength;
  }
}

/**
 * Heap growth in bytes over a synchronous `run` with no garbage collection inside it: the least of up to five runs
 * without one, after three warm-up runs (null if every run collected). The least, because a run may also hold
 * V8's optimised code for the path (counted in the heap); a path that allocated per call would grow in every run.
 */
export async function heapGrowthOf(run: () => void): Promise<number | null> {
  using meter = new HeapGrowthMeter();
  for (let i = 0; i < 3; i++) run();
  let least: number | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const growth = await meter.measure(run);
    if (growth !== null) least = Math.min(least ?? Number.POSITIVE_INFINITY, growth);
  }
  return least;
}
