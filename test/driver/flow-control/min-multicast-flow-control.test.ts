/**
 * MinMulticastFlowControl (`fc=min`, src/driver/flow-control/min-multicast-flow-control.ts and its base) through the
 * scenarios of Aeron 1.51.0's MinMulticastFlowControlTest, in our words: `t:` and `g:` parsing, no connection and
 * the sender's own limit until the group min size is tracked, a receiver more than a window behind left out; plus
 * receiver timeouts and end of stream in onIdle, error frames, the SETUP limit, the `fc-receivers` counter, and the
 * allocation-free steady path.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FLOW_CONTROL_CONTEXT_DEFAULTS,
  FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS,
  type FlowControlContext,
} from '../../../src/driver/flow-control/flow-control-context.ts';
import { FLOW_CONTROL_RECEIVERS_NAME } from '../../../src/driver/flow-control/flow-control-receivers.ts';
import { MinMulticastFlowControl } from '../../../src/driver/flow-control/min-multicast-flow-control.ts';
import { FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID } from '../../../src/transport/aeron-counters.ts';
import { RECORD_ALLOCATED } from '../../../src/transport/counters-descriptor.ts';
import type { CountersManager } from '../../../src/transport/counters-manager.ts';
import { errorFrame, heapGrowthOf, multicastChannel, newCountersManager, statusMessage } from './support.ts';

const WINDOW_LENGTH = 16 * 1024;
const DEFAULT_GROUP_SIZE = 3;
const MS = 1_000_000;

function context(overrides: Partial<FlowControlContext> = {}): FlowControlContext {
  return { ...FLOW_CONTROL_CONTEXT_DEFAULTS, ...overrides };
}

describe('MinMulticastFlowControl', () => {
  let countersManager: CountersManager;
  let flowControl: MinMulticastFlowControl;

  function initialize(fc: string, ctx: FlowControlContext = context()): void {
    flowControl.initialize(ctx, countersManager, multicastChannel(fc), 1001, 2002, 3003, 0, 64 * 1024);
  }

  function onStatusMessage(receiverId: number, termOffset: number, senderLimit: number, timeNs = 0, eos = false) {
    const sm = statusMessage({ receiverId: BigInt(receiverId), termOffset, windowLength: WINDOW_LENGTH, eos });
    return flowControl.onStatusMessage(sm, null, senderLimit, 0, 0, timeNs);
  }

  beforeEach(() => {
    countersManager = newCountersManager();
    flowControl = new MinMulticastFlowControl();
  });

  it.each([
    ['min', DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['min,t:100ms', DEFAULT_GROUP_SIZE, 100 * MS],
    ['min,g:123', DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['min,g:3000000000', DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['min,g:123,t:100ms', DEFAULT_GROUP_SIZE, 100 * MS],
    ['min,g:100/10', 10, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['min,g:/10', 10, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['min,g:100/10,t:100ms', 10, 100 * MS],
  ])('parses fc=%s: group min size %d, receiver timeout %d ns; the tag is not used', (fc, groupSize, timeoutNs) => {
    initialize(fc, context({ flowControlGroupMinSize: DEFAULT_GROUP_SIZE }));
    expect(flowControl.groupMinSize()).toBe(groupSize);
    expect(flowControl.receiverTimeoutNs()).toBe(timeoutNs);
    expect(flowControl.groupTag()).toBe(0n);
    expect(flowControl.hasGroupTag()).toBe(false);
  });

  it('takes the timeout and group min size from the context when fc= has none', () => {
    initialize('min', context({ flowControlReceiverTimeoutNs: 7 * MS, flowControlGroupMinSize: 2 }));
    expect(flowControl.receiverTimeoutNs()).toBe(7 * MS);
    expect(flowControl.groupMinSize()).toBe(2);
    expect(flowControl.hasRequiredReceivers()).toBe(false);
  });

  it('is not connected until the group min size of distinct receivers is reached', () => {
    initialize('min,g:/3');
    onStatusMessage(1, 0, 5000);
    expect(flowControl.hasRequiredReceivers()).toBe(false);
    onStatusMessage(2, 0, 5000);
    expect(flowControl.hasRequiredReceivers()).toBe(false);
    onStatusMessage(2, 0, 5000);
    expect(flowControl.hasRequiredReceivers()).toBe(false);
    onStatusMessage(3, 0, 5000);
    expect(flowControl.hasRequiredReceivers()).toBe(true);
  });

  it('is connected without receivers when there is no group min size', () => {
    initialize('min');
    expect(flowControl.hasRequiredReceivers()).toBe(true);
  });

  it("keeps the sender's own limit until the group min size is reached", () => {
    initialize('min,g:/3');
    const senderLimit = 5000;
    const termOffset = 6000;
    expect(onStatusMessage(1, termOffset, senderLimit)).toBe(senderLimit);
    expect(flowControl.onIdle(0, senderLimit, 0, false)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset, senderLimit)).toBe(senderLimit);
    expect(flowControl.onIdle(0, senderLimit, 0, false)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset, senderLimit)).toBe(senderLimit);
    expect(flowControl.onIdle(0, senderLimit, 0, false)).toBe(senderLimit);
    expect(onStatusMessage(3, termOffset, senderLimit)).toBe(termOffset + WINDOW_LENGTH);
    expect(flowControl.onIdle(0, senderLimit, 0, false)).toBe(termOffset + WINDOW_LENGTH);
  });

  it('leaves out a new receiver more than a window behind the slowest tracked one', () => {
    initialize('min,g:/2');
    const senderLimit = 5000;
    const termOffset0 = WINDOW_LENGTH * 2;
    const termOffset1 = termOffset0 - (WINDOW_LENGTH + 1);
    const termOffset2 = termOffset0 - WINDOW_LENGTH;
    expect(onStatusMessage(1, termOffset0, senderLimit)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset1, senderLimit)).toBe(senderLimit); // not tracked
    expect(flowControl.receiverCount()).toBe(1);
    expect(onStatusMessage(3, termOffset2, senderLimit)).toBe(termOffset2 + WINDOW_LENGTH);
  });

  it('follows the slowest receiver as receivers move, and never lowers the sender limit', () => {
    initialize('min');
    expect(onStatusMessage(1, 1000, 0)).toBe(1000 + WINDOW_LENGTH);
    expect(onStatusMessage(2, 3000, 0)).toBe(1000 + WINDOW_LENGTH);
    expect(onStatusMessage(1, 5000, 0)).toBe(3000 + WINDOW_LENGTH);
    expect(onStatusMessage(1, 6000, 10 ** 6)).toBe(10 ** 6);
  });

  it('drops a receiver without a status message for the receiver timeout (onIdle)', () => {
    initialize('min,t:100ms');
    onStatusMessage(1, 1000, 0, 0);
    onStatusMessage(2, 3000, 0, 50 * MS);
    expect(flowControl.onIdle(100 * MS, 0, 0, false)).toBe(1000 + WINDOW_LENGTH); // 100 ms is not past the timeout
    expect(flowControl.onIdle(100 * MS + 1, 0, 0, false)).toBe(3000 + WINDOW_LENGTH); // receiver 1 timed out
    expect(flowControl.receiverCount()).toBe(1);
    expect(flowControl.onIdle(150 * MS + 1, 777, 0, false)).toBe(777); // none left: the sender's limit
    expect(flowControl.receiverCount()).toBe(0);
  });

  it('keeps every live receiver when several time out in one onIdle', () => {
    initialize('min,t:100ms');
    onStatusMessage(1, 1000, 0, 0); // times out
    onStatusMessage(2, 2000, 0, 90 * MS);
    onStatusMessage(3, 3000, 0, 0); // times out
    onStatusMessage(4, 4000, 0, 90 * MS);
    expect(flowControl.onIdle(150 * MS, 0, 0, false)).toBe(2000 + WINDOW_LENGTH);
    expect(flowControl.receiverCount()).toBe(2);
    expect(onStatusMessage(2, 9000, 0, 150 * MS)).toBe(4000 + WINDOW_LENGTH); // receiver 4 is still tracked
    expect(flowControl.receiverCount()).toBe(2);
  });

  it('drops a receiver at end of stream, and does not track one that starts with it', () => {
    initialize('min');
    onStatusMessage(1, 1000, 0);
    onStatusMessage(2, 3000, 0);
    expect(onStatusMessage(1, 1000, 0, 0, true)).toBe(1000 + WINDOW_LENGTH); // still counted until onIdle
    expect(flowControl.onIdle(0, 0, 0, false)).toBe(3000 + WINDOW_LENGTH);
    onStatusMessage(5, 500, 0, 0, true);
    expect(flowControl.receiverCount()).toBe(1);
  });

  it('drops a receiver that sent an error frame (every receiver matches)', () => {
    initialize('min');
    onStatusMessage(1, 1000, 0);
    onStatusMessage(2, 3000, 0);
    flowControl.onError(errorFrame(1n, null), null, 0);
    expect(flowControl.onIdle(0, 0, 0, false)).toBe(3000 + WINDOW_LENGTH);
    flowControl.onError(errorFrame(99n, null), null, 0); // unknown receiver: nothing
    expect(flowControl.receiverCount()).toBe(1);
  });

  it('tells receivers apart by the whole 64-bit receiver id', () => {
    initialize('min');
    onStatusMessage(0x1_0000_0001, 1000, 0);
    onStatusMessage(0x2_0000_0001, 3000, 0);
    onStatusMessage(0x1_0000_0001, 2000, 0);
    expect(flowControl.receiverCount()).toBe(2);
    expect(flowControl.onIdle(0, 0, 0, false)).toBe(2000 + WINDOW_LENGTH);
  });

  it('caps the limit by the SETUP sent on a send-setup SM for one receiver timeout, until a new receiver comes', () => {
    initialize('min,t:100ms');
    onStatusMessage(1, 10_000, 0, 0);
    const trigger = statusMessage({ receiverId: 2n, termOffset: 0, windowLength: WINDOW_LENGTH });
    flowControl.onTriggerSendSetup(trigger, null, 0);
    expect(flowControl.onSetup(null as never, 4000, 0, 0, 10 * MS)).toBe(4000);
    expect(flowControl.onIdle(20 * MS, 0, 0, false)).toBe(4000);
    expect(onStatusMessage(1, 20_000, 0, 20 * MS)).toBe(4000);
    expect(flowControl.onIdle(110 * MS + 1, 0, 0, false)).toBe(20_000 + WINDOW_LENGTH); // the SETUP limit expired

    flowControl.onTriggerSendSetup(trigger, null, 120 * MS);
    flowControl.onSetup(null as never, 5000, 0, 0, 120 * MS);
    expect(onStatusMessage(1, 20_000, 0, 130 * MS)).toBe(5000);
    expect(onStatusMessage(2, 30_000, 0, 130 * MS)).toBe(5000); // a new receiver clears it, from the next call on
    expect(flowControl.onIdle(131 * MS, 0, 0, false)).toBe(20_000 + WINDOW_LENGTH);
  });

  it('ignores a SETUP nobody asked for, or sent with no receiver tracked', () => {
    initialize('min');
    flowControl.onTriggerSendSetup(statusMessage({ receiverId: 2n, termOffset: 0, windowLength: 0 }), null, 0);
    flowControl.onSetup(null as never, 4000, 0, 0, 0); // no receiver yet
    onStatusMessage(1, 10_000, 0);
    flowControl.onSetup(null as never, 4000, 0, 0, 0); // not asked for
    expect(flowControl.onIdle(0, 0, 0, false)).toBe(10_000 + WINDOW_LENGTH);
  });

  it("counts its receivers in an fc-receivers counter in StreamCounter's layout, freed on close", () => {
    initialize('min');
    const counterId = 0;
    expect(countersManager.getCounterTypeId(counterId)).toBe(FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID);
    expect(countersManager.getCounterLabel(counterId)).toBe(
      `${FLOW_CONTROL_RECEIVERS_NAME}: 3003 2002 1001 aeron:udp?endpoint=224.20.30.39:24326|interface=localhost|fc=min`,
    );
    expect(countersManager.getCounterRegistrationId(counterId)).toBe(3003);
    expect(countersManager.getCounterOwnerId(counterId)).toBe(-1);
    const key = countersManager.getCounterKey(counterId);
    expect([key.getInt64(0), key.getInt32(8), key.getInt32(12)]).toEqual([3003, 2002, 1001]);
    expect(countersManager.getCounterValue(counterId)).toBe(0);
    onStatusMessage(1, 0, 0);
    onStatusMessage(2, 0, 0);
    expect(countersManager.getCounterValue(counterId)).toBe(2);
    onStatusMessage(2, 0, 0, 0, true);
    flowControl.onIdle(0, 0, 0, false);
    expect(countersManager.getCounterValue(counterId)).toBe(1);
    expect(countersManager.getCounterState(counterId)).toBe(RECORD_ALLOCATED);
    flowControl.close();
    expect(countersManager.getCounterState(counterId)).not.toBe(RECORD_ALLOCATED);
  });

  it.each([
    ['min,t:', 'java.lang.NumberFormatException', 'fc receiver timeout must be non-empty: '],
    ['min,t:5x', 'java.lang.NumberFormatException', 'fc receiver timeout: 5x should end with: s, ms, us, or ns.'],
    ['min,t:-5', 'java.lang.NumberFormatException', 'fc receiver timeout must be positive: -5'],
    ['min,t:1.5s', 'org.agrona.AsciiNumberFormatException', 'error parsing long: 1.5'],
    ['min,g:/', 'org.agrona.AsciiNumberFormatException', 'empty string: index=3 length=0'],
    ['min,g:1/', 'org.agrona.AsciiNumberFormatException', 'empty string: index=4 length=0'],
    ['min,g:/x', 'org.agrona.AsciiNumberFormatException', 'error parsing int: x'],
    ['min,g:/3000000000', 'org.agrona.AsciiNumberFormatException', 'int overflow parsing: 3000000000'],
  ])('refuses fc=%s as Java does (%s: %s)', (fc, javaExceptionClass, message) => {
    expect(() => initialize(fc)).toThrow(expect.objectContaining({ javaExceptionClass, message }));
  });

  it('reads t: in any unit Agrona accepts', () => {
    for (const [t, ns] of [
      ['5', 5],
      ['7ns', 7],
      ['250US', 250_000],
      ['100ms', 100 * MS],
      ['2s', 2_000 * MS],
    ] as const) {
      flowControl = new MinMulticastFlowControl();
      initialize(`min,t:${t}`);
      expect(flowControl.receiverTimeoutNs(), t).toBe(ns);
    }
  });

  it('allocates nothing per status message or idle cycle once its receivers are known', async () => {
    initialize('min,g:/4');
    const sms = [1, 2, 3, 4].map((id) => statusMessage({ receiverId: BigInt(id), termOffset: 0, windowLength: 4096 }));
    let limit = 0;
    let timeNs = 0;
    const run = (): void => {
      for (let i = 0; i < 50_000; i++) {
        timeNs += 1000;
        limit = flowControl.onStatusMessage(sms[i & 3]!, null, limit, 0, 16, timeNs & 0x3fff_ffff);
        limit = flowControl.onIdle(timeNs & 0x3fff_ffff, limit, 0, false);
      }
      timeNs = 0;
    };
    const growth = await heapGrowthOf(run);
    expect(flowControl.receiverCount()).toBe(4);
    expect(limit).toBe(4096);
    expect(growth, 'a run without garbage collection').not.toBeNull();
    expect(growth).toBeLessThan(64 * 1024); // an object per call would be >= 1.6 MB
  });
});
