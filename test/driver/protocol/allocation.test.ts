/**
 * The per-frame paths of the UDP foundation allocate nothing: the frame flyweights' field and 64-bit word accessors
 * (a status message with its group tag and receiver id, an RTT reply echoing a timestamp, a NAK, a SETUP), and the
 * per-datagram fault decisions (RandomLossGenerator's java.util.Random draws, FrameFaultGenerator, the fixed and
 * multi-gap generators once their stream/session cells exist). Measured as ipc-allocation.test.ts does: V8 heap
 * growth over a synchronous run of 320,000 frames with no garbage collection inside it; an object per frame
 * (>= 16 bytes) would exceed the bound 20 times over.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { FrameFaultGenerator } from '../../../src/driver/media/debug/frame-fault-generator.ts';
import {
  FixedLossGenerator,
  MultiGapLossGenerator,
  RandomLossGenerator,
} from '../../../src/driver/media/loss-generator.ts';
import { NakFlyweight } from '../../../src/driver/protocol/nak-flyweight.ts';
import { REPLY_FLAG, RttMeasurementFlyweight } from '../../../src/driver/protocol/rtt-measurement-flyweight.ts';
import { SetupFlyweight } from '../../../src/driver/protocol/setup-flyweight.ts';
import { StatusMessageFlyweight } from '../../../src/driver/protocol/status-message-flyweight.ts';
import { DataHeaderFlyweight, HDR_TYPE_DATA } from '../../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';

const FRAMES = 320_000;
/** Far below one object per frame (>= 16 B x 320,000 = 5 MB), above the few hundred KB of warm-up noise. */
const BOUND_BYTES = 1024 * 1024;

const buffer = new AtomicBuffer(new ArrayBuffer(4096));
const sm = new StatusMessageFlyweight();
const rtt = new RttMeasurementFlyweight();
const nak = new NakFlyweight();
const setup = new SetupFlyweight();
const data = new DataHeaderFlyweight().wrap(buffer, 2048);
const random = new RandomLossGenerator(0.1, 5);
const faults = new FrameFaultGenerator({ dropRate: 0.1, duplicateRate: 0.05, delayRate: 0.05, seed: 5 });
const fixed = new FixedLossGenerator(1, 4096, 3000);
const gaps = new MultiGapLossGenerator(1, 4096, 1024, 4);

// One function per frame type, as the endpoints' handlers are. Results are Smis (int32 words, | 0): a double
// returned from a call V8 does not inline is boxed, which is why hot paths use the word accessors.

/** A receiver's status message with its receiver id and group tag, read back as a sender's flow control reads it. */
function statusMessage(i: number): number {
  sm.wrap(buffer, 0)
    .setSessionId(i)
    .setStreamId(7)
    .setConsumptionTermId(i >> 4)
    .setConsumptionTermOffset(i & 0xfff);
  sm.setReceiverWindowLength(1 << 20)
    .setReceiverIdWords(-0x80000000, i)
    .setGroupTagWords(0x7fffffff, -i);
  return (sm.receiverIdHigh() ^ sm.receiverIdLow() ^ sm.groupTagLow() ^ sm.groupTagHigh() ^ sm.asfLength()) | 0;
}

/** An RTT reply echoing the request's timestamp words. */
function rttReply(i: number): number {
  rtt.wrap(buffer, 64).setFlags(REPLY_FLAG).setEchoTimestampNsWords(sm.receiverIdHigh(), i).setReceptionDelta(i);
  return (rtt.echoTimestampNsLow() ^ rtt.echoTimestampNsHigh()) | 0;
}

/** A NAK and a SETUP. */
function nakAndSetup(i: number): number {
  nak
    .wrap(buffer, 128)
    .setTermId(i)
    .setTermOffset(i & 0xffff)
    .setLength(1408);
  setup
    .wrap(buffer, 192)
    .setActiveTermId(i)
    .setTermOffset(i & 0xffff)
    .setMtuLength(1408);
  return (nak.termId() + nak.length() + setup.activeTermId() + setup.ttl()) | 0;
}

/** A DATA frame through the four generators. */
function dataFrame(i: number): number {
  data
    .setFrameLength(1024)
    .setHeaderType(HDR_TYPE_DATA)
    .setStreamId(1001)
    .setSessionId(i & 1);
  data.setTermId(i % 3).setTermOffset((i * 1024) & 0xffff);
  let drops = random.shouldDropFrame(null, buffer, 2048, 1024) ? 1 : 0;
  drops += faults.decide(null, buffer, 2048, 1024);
  if (fixed.shouldDropFrame(null, buffer, 2048, 1024)) drops++;
  if (gaps.shouldDropFrame(null, buffer, 2048, 1024)) drops++;
  return drops;
}

it('flyweight accessors and fault decisions allocate nothing per frame', async () => {
  const sink = new Int32Array(1);
  const run = (): void => {
    for (let i = 0; i < FRAMES; i++) {
      sink[0] = (sink[0]! + statusMessage(i) + rttReply(i) + nakAndSetup(i) + dataFrame(i)) | 0;
    }
  };
  let gcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const heapGrowth = async (): Promise<number | null> => {
      await yieldToLoop();
      gcs = [];
      const start = performance.now();
      const before = process.memoryUsage().heapUsed;
      run();
      const after = process.memoryUsage().heapUsed;
      const end = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
      return gcs.some((t) => t >= start && t <= end) ? null : after - before;
    };
    run(); // warm up: optimised code, every stream/session cell created
    let growth: number | null = null;
    for (let attempt = 0; attempt < 10 && growth === null; attempt++) growth = await heapGrowth();
    expect(growth, 'a run without garbage collection').not.toBeNull();
    expect(growth).toBeLessThan(BOUND_BYTES);
    expect(sink[0]).not.toBe(0);
  } finally {
    observer.disconnect();
  }
}, 120_000);
