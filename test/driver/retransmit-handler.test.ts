/**
 * RetransmitHandler (src/driver/retransmit-handler.ts) through the scenarios of Aeron 1.51.0's
 * RetransmitHandlerTest, in our words: delay then resend, linger ignoring duplicate and covered NAKs, the flow
 * control clamp, immediate retransmits with a zero delay, cancellation by a seen retransmit, the group pool's
 * overflow counter, invalid and empty NAKs; plus unicast's single action and the allocation-free steady path.
 * Java's test fills a term buffer first; the handler never reads it, so these tests work on offsets alone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { StaticDelayGenerator } from '../../src/driver/feedback-delay-generator.ts';
import { RetransmitHandler, type RetransmitSender } from '../../src/driver/retransmit-handler.ts';
import { HEADER_LENGTH } from '../../src/logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../../src/logbuffer/frame-descriptor.ts';
import { TERM_MIN_LENGTH } from '../../src/logbuffer/log-buffer-descriptor.ts';
import { align } from '../../src/transport/bit-util.ts';
import {
  CountingCounter,
  FakeRetransmitLimit,
  heapGrowthOf,
  RecordingRetransmitSender,
} from './flow-control/support.ts';

const MS = 1_000_000;
const MTU_LENGTH = 1024;
const TERM_LENGTH = TERM_MIN_LENGTH;
const ALIGNED_FRAME_LENGTH = align(HEADER_LENGTH + 16, FRAME_ALIGNMENT);
const TWO_FRAMES = 2 * ALIGNED_FRAME_LENGTH;
const TERM_ID = 0x7f003355;

const DELAY = new StaticDelayGenerator(20 * MS);
const LINGER = new StaticDelayGenerator(40 * MS);

function offsetOfFrame(index: number): number {
  return index * ALIGNED_FRAME_LENGTH;
}

describe('RetransmitHandler', () => {
  let now: number;
  let sender: RecordingRetransmitSender;
  let flowControl: FakeRetransmitLimit;
  let invalidPackets: CountingCounter;
  let overflow: CountingCounter;
  let handler: RetransmitHandler;

  function newHandler(delay: StaticDelayGenerator, hasGroupSemantics = true, maxRetransmits = 16): RetransmitHandler {
    return new RetransmitHandler(() => now, invalidPackets, delay, LINGER, hasGroupSemantics, maxRetransmits, overflow);
  }

  function nak(termOffset: number, length: number, termLength = TERM_LENGTH): void {
    handler.onNak(TERM_ID, termOffset, length, termLength, MTU_LENGTH, flowControl, sender);
  }

  function advanceTo(ms: number): void {
    now = ms * MS;
    handler.processTimeouts(now, sender);
  }

  beforeEach(() => {
    now = 0;
    sender = new RecordingRetransmitSender();
    flowControl = new FakeRetransmitLimit();
    invalidPackets = new CountingCounter();
    overflow = new CountingCounter();
    handler = newHandler(DELAY);
  });

  it('retransmits a NAKed frame once the delay has passed, not before', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    expect(sender.resends).toEqual([]);
    advanceTo(20); // expiry is exclusive: 20 ms - 20 ms is not < 0
    expect(sender.resends).toEqual([]);
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH }]);
  });

  it('asks flow control for the length and retransmits the clamped length', () => {
    flowControl.clampTo = 32;
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(100);
    expect(flowControl.calls).toEqual([[0, ALIGNED_FRAME_LENGTH, TERM_LENGTH, MTU_LENGTH]]);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: 32 }]);
  });

  it('ignores a NAK for the same frame while lingering after the retransmit', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(40); // resent at 40 ms, lingering until 80 ms
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH }]);
  });

  it('ignores a NAK at another offset inside the range being lingered on', () => {
    nak(offsetOfFrame(0), TWO_FRAMES);
    advanceTo(40);
    nak(offsetOfFrame(1), ALIGNED_FRAME_LENGTH);
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: TWO_FRAMES }]);
  });

  it('ignores a NAK starting inside the lingering range even when it reaches past it', () => {
    nak(offsetOfFrame(0), TWO_FRAMES);
    advanceTo(40);
    nak(offsetOfFrame(1), TWO_FRAMES);
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: TWO_FRAMES }]);
  });

  it('retransmits a NAK starting just past the lingering range', () => {
    nak(offsetOfFrame(0), TWO_FRAMES);
    advanceTo(40);
    nak(offsetOfFrame(2), TWO_FRAMES);
    advanceTo(100);
    expect(sender.resends).toEqual([
      { termId: TERM_ID, termOffset: 0, length: TWO_FRAMES },
      { termId: TERM_ID, termOffset: offsetOfFrame(2), length: TWO_FRAMES },
    ]);
  });

  it('retransmits the same frame again once the linger is over', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(40); // resent, lingering until 80 ms
    advanceTo(100); // linger over: the action is free
    expect(handler.activeRetransmitCount).toBe(0);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(200);
    const resend = { termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH };
    expect(sender.resends).toEqual([resend, resend]);
  });

  it('retransmits several NAKed frames in the order of the pool', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    nak(offsetOfFrame(1), ALIGNED_FRAME_LENGTH);
    advanceTo(100);
    expect(sender.resends).toEqual([
      { termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH },
      { termId: TERM_ID, termOffset: offsetOfFrame(1), length: ALIGNED_FRAME_LENGTH },
    ]);
  });

  it('retransmits a NAK spanning several frames, and one spanning several MTUs, as one range', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH * 5);
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH * 5 }]);

    sender.resends.length = 0;
    handler = newHandler(DELAY);
    nak(offsetOfFrame(0), MTU_LENGTH * 2);
    advanceTo(200);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: MTU_LENGTH * 2 }]);
  });

  it('cancels a delayed retransmit when the retransmit is seen', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    handler.onRetransmitReceived(TERM_ID, offsetOfFrame(0));
    expect(handler.activeRetransmitCount).toBe(0);
    advanceTo(100);
    expect(sender.resends).toEqual([]);
  });

  it('cancels only the delayed retransmit that was seen', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    nak(offsetOfFrame(1), ALIGNED_FRAME_LENGTH);
    handler.onRetransmitReceived(TERM_ID, offsetOfFrame(0));
    advanceTo(100);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: offsetOfFrame(1), length: ALIGNED_FRAME_LENGTH }]);
  });

  it('keeps a lingering action when its retransmit is seen (only DELAYED ones are cancelled)', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(40);
    handler.onRetransmitReceived(TERM_ID, offsetOfFrame(0));
    expect(handler.activeRetransmitCount).toBe(1);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(60);
    expect(sender.resends).toHaveLength(1);
  });

  it('retransmits at once, inside onNak, when the delay is zero', () => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: ALIGNED_FRAME_LENGTH }]);
  });

  it('lingers after an immediate retransmit: a repeated NAK inside the linger is ignored, after it resent', () => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    advanceTo(39);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    expect(sender.resends).toHaveLength(1);
    advanceTo(41); // linger (40 ms from 0) over
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    expect(sender.resends).toHaveLength(2);
  });

  it('sends nothing on a NAK until its delay expires', () => {
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    expect(sender.resends).toEqual([]);
    expect(handler.activeRetransmitCount).toBe(1);
  });

  it('counts a retransmit overflow when a NAK finds all max-resend actions busy (group semantics)', () => {
    const termLength = 128 * 1024;
    for (let i = 0; i < 16; i++) nak(offsetOfFrame(i * 64), ALIGNED_FRAME_LENGTH, termLength);
    expect(overflow.value).toBe(0);
    nak(offsetOfFrame(16 * 64), ALIGNED_FRAME_LENGTH, termLength);
    expect(overflow.value).toBe(1);
    expect(handler.activeRetransmitCount).toBe(16);
    advanceTo(100);
    expect(sender.resends).toHaveLength(16);
    expect(sender.resends.some((r) => r.termOffset === offsetOfFrame(16 * 64))).toBe(false);
  });

  it('sizes the group pool by max-resend', () => {
    handler = newHandler(DELAY, true, 2);
    nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
    nak(offsetOfFrame(1), ALIGNED_FRAME_LENGTH);
    nak(offsetOfFrame(2), ALIGNED_FRAME_LENGTH);
    expect(overflow.value).toBe(1);
    expect(handler.activeRetransmitCount).toBe(2);
  });

  it.each([
    ['an offset less than a header before the end of the term', TERM_LENGTH - 16, ALIGNED_FRAME_LENGTH],
    ['a negative offset', -128, ALIGNED_FRAME_LENGTH],
    ['a negative length', 0, -ALIGNED_FRAME_LENGTH],
  ])('counts a NAK with %s as an invalid packet and sends nothing', (_what, termOffset, length) => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(termOffset, length);
    expect(invalidPackets.value).toBe(1);
    expect(sender.resends).toEqual([]);
    expect(flowControl.calls).toEqual([]);
  });

  it('accepts a NAK at the last header-sized offset of the term', () => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(TERM_LENGTH - HEADER_LENGTH, HEADER_LENGTH);
    expect(invalidPackets.value).toBe(0);
    expect(sender.resends).toEqual([
      { termId: TERM_ID, termOffset: TERM_LENGTH - HEADER_LENGTH, length: HEADER_LENGTH },
    ]);
  });

  it('ignores an empty NAK without counting it invalid', () => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(0, 0);
    expect(invalidPackets.value).toBe(0);
    expect(sender.resends).toEqual([]);
  });

  it('treats the same offset in another term as another range', () => {
    handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR);
    nak(0, ALIGNED_FRAME_LENGTH);
    handler.onNak(TERM_ID + 1, 0, ALIGNED_FRAME_LENGTH, TERM_LENGTH, MTU_LENGTH, flowControl, sender);
    expect(sender.resends.map((r) => r.termId)).toEqual([TERM_ID, TERM_ID + 1]);
  });

  describe('unicast (no group semantics): one action', () => {
    beforeEach(() => {
      handler = newHandler(DELAY, false);
    });

    it('replaces a delayed retransmit by a NAK it does not cover (the previous one is taken as done)', () => {
      nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
      nak(offsetOfFrame(3), ALIGNED_FRAME_LENGTH);
      expect(handler.activeRetransmitCount).toBe(1);
      advanceTo(100);
      expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: offsetOfFrame(3), length: ALIGNED_FRAME_LENGTH }]);
      expect(overflow.value).toBe(0);
    });

    it('ignores a NAK covered by the delayed or lingering retransmit', () => {
      nak(offsetOfFrame(0), TWO_FRAMES);
      nak(offsetOfFrame(1), ALIGNED_FRAME_LENGTH);
      advanceTo(30);
      nak(offsetOfFrame(0), ALIGNED_FRAME_LENGTH);
      advanceTo(60);
      expect(sender.resends).toEqual([{ termId: TERM_ID, termOffset: 0, length: TWO_FRAMES }]);
    });

    it('replaces a lingering retransmit by a new range, ignores max-resend and never overflows', () => {
      handler = newHandler(StaticDelayGenerator.ZERO_DELAY_GENERATOR, false, 16);
      for (let i = 0; i < 20; i++) nak(offsetOfFrame(i * 2), ALIGNED_FRAME_LENGTH);
      expect(sender.resends).toHaveLength(20);
      expect(handler.activeRetransmitCount).toBe(1);
      expect(overflow.value).toBe(0);
    });
  });

  it('creates no object per NAK, retransmit or timeout once constructed', async () => {
    // Times in small integers (1 unit a cycle, delay 20, linger 40): V8 boxes a double past 2^31 that is passed to
    // or returned from a call it does not inline (a clock read), which would blur what the handler itself creates.
    let sent = 0;
    const countingSender: RetransmitSender = {
      resend: () => {
        sent++;
      },
    };
    const limit = { maxRetransmissionLength: (_o: number, length: number) => length };
    const clock = { now: 0 };
    const nanoClock = (): number => clock.now;
    const linger = new StaticDelayGenerator(40);
    const group = new RetransmitHandler(
      nanoClock,
      invalidPackets,
      new StaticDelayGenerator(0),
      linger,
      true,
      16,
      overflow,
    );
    const delayed = new RetransmitHandler(
      nanoClock,
      invalidPackets,
      new StaticDelayGenerator(20),
      linger,
      true,
      16,
      overflow,
    );
    const run = (): void => {
      for (let i = 0; i < 50_000; i++) {
        const nowNs = ++clock.now;
        const termOffset = (i & 1023) * ALIGNED_FRAME_LENGTH;
        group.onNak(TERM_ID, termOffset, ALIGNED_FRAME_LENGTH, TERM_LENGTH, MTU_LENGTH, limit, countingSender);
        delayed.onNak(TERM_ID, termOffset, ALIGNED_FRAME_LENGTH, TERM_LENGTH, MTU_LENGTH, limit, countingSender);
        group.processTimeouts(nowNs, countingSender);
        delayed.processTimeouts(nowNs, countingSender);
      }
    };
    const growth = await heapGrowthOf(run);
    expect(sent).toBeGreaterThan(100_000); // ~32,000 retransmits a run (pools of 16, busy 21-61 cycles each)
    expect(growth, 'a run without garbage collection').not.toBeNull();
    // An object per NAK (>= 16 B x 100,000 NAKs a run) would be 1.6 MB.
    expect(growth).toBeLessThan(64 * 1024);
  });
});
