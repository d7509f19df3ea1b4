/**
 * TaggedMulticastFlowControl (`fc=tagged`, src/driver/flow-control/tagged-multicast-flow-control.ts) through the
 * scenarios of Aeron 1.51.0's TaggedMulticastFlowControlTest, in our words: `g:<tag>/<min>` and `t:` parsing with
 * the context's defaults (tag -1), refused values, the sender's own limit until enough tagged receivers, untagged
 * receivers ignored, a receiver more than a window behind left out, removal on end of stream and on an error frame
 * carrying the tag; plus the legacy 4-byte preferred ASF match.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FLOW_CONTROL_CONTEXT_DEFAULTS,
  FLOW_CONTROL_GROUP_TAG_DEFAULT,
  FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS,
} from '../../../src/driver/flow-control/flow-control-context.ts';
import { TaggedMulticastFlowControl } from '../../../src/driver/flow-control/tagged-multicast-flow-control.ts';
import {
  SM_GROUP_TAG_FIELD_OFFSET,
  STATUS_MESSAGE_HEADER_LENGTH,
} from '../../../src/driver/protocol/status-message-flyweight.ts';
import type { CountersManager } from '../../../src/transport/counters-manager.ts';
import { errorFrame, multicastChannel, newCountersManager, statusMessage } from './support.ts';

const WINDOW_LENGTH = 16 * 1024;
const DEFAULT_GROUP_SIZE = 0;
const MS = 1_000_000;

describe('TaggedMulticastFlowControl', () => {
  let countersManager: CountersManager;
  let flowControl: TaggedMulticastFlowControl;

  function initialize(fc: string): void {
    flowControl.initialize(FLOW_CONTROL_CONTEXT_DEFAULTS, countersManager, multicastChannel(fc), 0, 0, 0, 0, 0);
  }

  function onStatusMessage(
    receiverId: number,
    termOffset: number,
    senderLimit: number,
    groupTag: bigint | null,
    eos = false,
  ): number {
    const sm = statusMessage({
      receiverId: BigInt(receiverId),
      termOffset,
      windowLength: WINDOW_LENGTH,
      groupTag,
      eos,
    });
    return flowControl.onStatusMessage(sm, null, senderLimit, 0, 0, 0);
  }

  function onIdle(senderLimit: number): number {
    return flowControl.onIdle(0, senderLimit, 0, false);
  }

  beforeEach(() => {
    countersManager = newCountersManager();
    flowControl = new TaggedMulticastFlowControl();
  });

  it.each([
    ['tagged', FLOW_CONTROL_GROUP_TAG_DEFAULT, DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['tagged,t:100ms', FLOW_CONTROL_GROUP_TAG_DEFAULT, DEFAULT_GROUP_SIZE, 100 * MS],
    ['tagged,g:123', 123n, DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['tagged,g:3000000000', 3_000_000_000n, DEFAULT_GROUP_SIZE, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['tagged,g:123,t:100ms', 123n, DEFAULT_GROUP_SIZE, 100 * MS],
    ['tagged,g:100/10', 100n, 10, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['tagged,g:/10', FLOW_CONTROL_GROUP_TAG_DEFAULT, 10, FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS],
    ['tagged,g:100/10,t:100ms', 100n, 10, 100 * MS],
  ])('parses fc=%s: tag %s, group min size %d, timeout %d ns', (fc, groupTag, groupSize, timeoutNs) => {
    initialize(fc);
    expect(flowControl.groupTag()).toBe(groupTag);
    expect(flowControl.groupMinSize()).toBe(groupSize);
    expect(flowControl.receiverTimeoutNs()).toBe(timeoutNs);
    expect(flowControl.hasGroupTag()).toBe(true);
  });

  it('defaults the group tag to -1 (the legacy preferred ASF FF x 8)', () => {
    expect(FLOW_CONTROL_GROUP_TAG_DEFAULT).toBe(-1n);
    initialize('tagged');
    expect(onStatusMessage(1, 1000, 0, -1n)).toBe(1000 + WINDOW_LENGTH);
    expect(flowControl.receiverCount()).toBe(1);
  });

  it.each([
    ['tagged,g:', 'org.agrona.AsciiNumberFormatException'],
    ['tagged,g:100/', 'org.agrona.AsciiNumberFormatException'],
    ['tagged,g:/', 'org.agrona.AsciiNumberFormatException'],
    ['tagged,t:', 'java.lang.NumberFormatException'],
    ['tagged,g:100,t:', 'java.lang.NumberFormatException'],
    ['tagged,t:100ms,g:100/', 'org.agrona.AsciiNumberFormatException'],
  ])('refuses fc=%s (%s, as Java)', (fc, javaExceptionClass) => {
    expect(() => initialize(fc)).toThrow(expect.objectContaining({ javaExceptionClass }));
  });

  it("keeps the sender's own limit until the group min size of tagged receivers is met", () => {
    initialize('tagged,g:123/3');
    const senderLimit = 5000;
    const termOffset = 10_000;
    expect(onStatusMessage(0, termOffset, senderLimit, null)).toBe(senderLimit);
    expect(onIdle(senderLimit)).toBe(senderLimit);
    expect(onStatusMessage(1, termOffset, senderLimit, 123n)).toBe(senderLimit);
    expect(onIdle(senderLimit)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset, senderLimit, 123n)).toBe(senderLimit);
    expect(onIdle(senderLimit)).toBe(senderLimit);
    expect(onStatusMessage(3, termOffset, senderLimit, null)).toBe(senderLimit);
    expect(onIdle(senderLimit)).toBe(senderLimit);
    expect(flowControl.hasRequiredReceivers()).toBe(false);
    expect(onStatusMessage(4, termOffset, senderLimit, 123n)).toBe(termOffset + WINDOW_LENGTH);
    expect(onIdle(senderLimit)).toBe(termOffset + WINDOW_LENGTH);
    expect(flowControl.hasRequiredReceivers()).toBe(true);
  });

  it("follows an untagged receiver's window until a tagged receiver is tracked (no group min size)", () => {
    initialize('tagged,g:123');
    const senderLimit = 5000;
    expect(onStatusMessage(0, 10_000, senderLimit, null)).toBe(10_000 + WINDOW_LENGTH);
    expect(onStatusMessage(1, 9_999, senderLimit, 123n)).toBe(9_999 + WINDOW_LENGTH);
    expect(onStatusMessage(0, 10_000, senderLimit, null)).toBe(9_999 + WINDOW_LENGTH);
    expect(onStatusMessage(5, 10_000, senderLimit, 124n)).toBe(9_999 + WINDOW_LENGTH); // another tag: ignored
    expect(flowControl.receiverCount()).toBe(1);
  });

  it('leaves out a tagged receiver more than a window behind the slowest tracked one', () => {
    initialize('min,g:123/2');
    const senderLimit = 5000;
    const termOffset0 = WINDOW_LENGTH * 2;
    expect(onStatusMessage(1, termOffset0, senderLimit, 123n)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset0 - (WINDOW_LENGTH + 1), senderLimit, 123n)).toBe(senderLimit);
    expect(onStatusMessage(3, termOffset0 - WINDOW_LENGTH, senderLimit, 123n)).toBe(
      termOffset0 - WINDOW_LENGTH + WINDOW_LENGTH,
    );
  });

  it('drops a receiver at end of stream at the next onIdle', () => {
    initialize('min,g:123/2');
    const senderLimit = 5000;
    const termOffset1 = WINDOW_LENGTH;
    const termOffset2 = WINDOW_LENGTH + 1;
    expect(onStatusMessage(1, termOffset1, senderLimit, 123n)).toBe(senderLimit);
    expect(onStatusMessage(2, termOffset2, senderLimit, 123n)).toBe(termOffset1 + WINDOW_LENGTH);
    expect(onStatusMessage(3, WINDOW_LENGTH + 2, senderLimit, 123n)).toBe(termOffset1 + WINDOW_LENGTH);
    expect(onStatusMessage(1, termOffset1, senderLimit, 123n, true)).toBe(termOffset1 + WINDOW_LENGTH);
    expect(onIdle(senderLimit)).toBe(termOffset2 + WINDOW_LENGTH);
  });

  it('drops a receiver whose error frame carries the group tag, not one whose frame does not', () => {
    initialize('min,g:123/2');
    const senderLimit = 5000;
    const termOffset1 = WINDOW_LENGTH;
    const termOffset2 = WINDOW_LENGTH + 1;
    onStatusMessage(1, termOffset1, senderLimit, 123n);
    onStatusMessage(2, termOffset2, senderLimit, 123n);
    onStatusMessage(3, WINDOW_LENGTH + 2, senderLimit, 123n);
    flowControl.onError(errorFrame(1n, null), null, 0); // no tag flag
    flowControl.onError(errorFrame(1n, 124n), null, 0); // another tag
    expect(onIdle(senderLimit)).toBe(termOffset1 + WINDOW_LENGTH);
    flowControl.onError(errorFrame(1n, 123n), null, 0);
    expect(onIdle(senderLimit)).toBe(termOffset2 + WINDOW_LENGTH);
  });

  it('matches the deprecated preferred ASF: 4 bytes FF FF FF FF instead of an 8-byte tag', () => {
    initialize('tagged,g:123');
    const sm = statusMessage({ receiverId: 7n, termOffset: 2000, windowLength: WINDOW_LENGTH });
    const buffer = sm.buffer();
    sm.setFrameLength(STATUS_MESSAGE_HEADER_LENGTH + 4);
    for (let i = 0; i < 4; i++) buffer.putInt8(SM_GROUP_TAG_FIELD_OFFSET + i, -2);
    flowControl.onStatusMessage(sm, null, 0, 0, 0, 0);
    expect(flowControl.receiverCount()).toBe(0);
    for (let i = 0; i < 4; i++) buffer.putInt8(SM_GROUP_TAG_FIELD_OFFSET + i, -1);
    expect(flowControl.onStatusMessage(sm, null, 0, 0, 0, 0)).toBe(2000 + WINDOW_LENGTH);
    expect(flowControl.receiverCount()).toBe(1);
  });

  it('only counts a SETUP limit when a tagged receiver asked for it', () => {
    initialize('tagged,g:123');
    onStatusMessage(1, 10_000, 0, 123n);
    const untagged = statusMessage({ receiverId: 2n, termOffset: 0, windowLength: WINDOW_LENGTH });
    flowControl.onTriggerSendSetup(untagged, null, 0);
    flowControl.onSetup(null as never, 3000, 0, 0, 0);
    expect(onIdle(0)).toBe(10_000 + WINDOW_LENGTH);
    const tagged = statusMessage({ receiverId: 2n, termOffset: 0, windowLength: WINDOW_LENGTH, groupTag: 123n });
    flowControl.onTriggerSendSetup(tagged, null, 0);
    flowControl.onSetup(null as never, 3000, 0, 0, 0);
    expect(onIdle(0)).toBe(3000);
  });
});
