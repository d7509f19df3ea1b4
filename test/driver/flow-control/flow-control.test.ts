/**
 * What every flow control strategy shares (src/driver/flow-control/flow-control.ts, flow-control-supplier.ts,
 * unicast- and max-multicast-flow-control.ts), after Aeron 1.51.0's FlowControlTest and
 * DefaultMulticastFlowControlSupplierTest: the retransmit length clamp, `rrwm` from the channel or the context, the
 * supplier's choice by channel kind and `fc=`, and the max-of-right-edges strategies.
 */
import { describe, expect, it } from 'vitest';
import { ControlProtocolError } from '../../../src/driver/driver-error.ts';
import {
  calculateRetransmissionLength,
  retransmitReceiverWindowMultiple,
} from '../../../src/driver/flow-control/flow-control.ts';
import {
  FLOW_CONTROL_CONTEXT_DEFAULTS,
  type FlowControlContext,
} from '../../../src/driver/flow-control/flow-control-context.ts';
import {
  DefaultMulticastFlowControlSupplier,
  DefaultUnicastFlowControlSupplier,
  newFlowControl,
} from '../../../src/driver/flow-control/flow-control-supplier.ts';
import { MaxMulticastFlowControl } from '../../../src/driver/flow-control/max-multicast-flow-control.ts';
import { MinMulticastFlowControl } from '../../../src/driver/flow-control/min-multicast-flow-control.ts';
import { TaggedMulticastFlowControl } from '../../../src/driver/flow-control/tagged-multicast-flow-control.ts';
import { UnicastFlowControl } from '../../../src/driver/flow-control/unicast-flow-control.ts';
import { UdpChannel } from '../../../src/driver/media/udp-channel.ts';
import { positionBitsToShift } from '../../../src/logbuffer/log-buffer-descriptor.ts';
import { multicastChannel, newCountersManager, statusMessage } from './support.ts';

const MTU_LENGTH = 1024;
const MIB = 1024 * 1024;
/** A NAK long enough that the receiver window multiple decides the retransmit length (8 MiB terms: 128 KiB x rrwm). */
const BIG_TERM = 8 * MIB;
const BIG_NAK = 4 * MIB;

function context(overrides: Partial<FlowControlContext> = {}): FlowControlContext {
  return { ...FLOW_CONTROL_CONTEXT_DEFAULTS, ...overrides };
}

describe('calculateRetransmissionLength', () => {
  it('keeps the NAK length when it is the smallest', () => {
    expect(calculateRetransmissionLength(1024, 64 * 1024, 0, 16)).toBe(1024);
  });

  it('clamps to the end of the term', () => {
    expect(calculateRetransmissionLength(1024, 64 * 1024, 64 * 1024 - 512, 16)).toBe(512);
  });

  it('clamps to the initial receiver window (128 KiB, at most half a term) times the multiple', () => {
    expect(calculateRetransmissionLength(4 * MIB, 8 * MIB, 0, 16)).toBe(128 * 1024 * 16);
    expect(calculateRetransmissionLength(MIB, 128 * 1024, 0, 2)).toBe(128 * 1024); // window 64 KiB x 2, term end
  });
});

describe('retransmitReceiverWindowMultiple (rrwm)', () => {
  it.each(['max', undefined])('is the default without rrwm in fc= (fc=%s)', (fc) => {
    expect(retransmitReceiverWindowMultiple(multicastChannel(fc), 4)).toBe(4);
  });

  it.each(['max,rrwm:8', 'max,foo:bar,rrwm:8,a:b', 'min,rrwm:8', 'tagged,g:100/10,t:100ms,rrwm:8'])(
    'is read from fc=%s',
    (fc) => {
      expect(retransmitReceiverWindowMultiple(multicastChannel(fc), 2)).toBe(8);
    },
  );

  it.each(['a', '', ' ', 'foo', '0', '-1'])("refuses rrwm:'%s' with Java's exception", (value) => {
    const error = captureError(() => retransmitReceiverWindowMultiple(multicastChannel(`max,rrwm:${value}`), 2));
    expect(error).toBeInstanceOf(ControlProtocolError);
    const javaClass = (error as ControlProtocolError).javaExceptionClass;
    if (value === '0' || value === '-1') {
      expect(javaClass).toBe('java.lang.IllegalArgumentException');
      expect((error as Error).message).toBe(`Invalid retransmit receiver window multiple: ${value}`);
    } else {
      expect(javaClass).toBe('java.lang.NumberFormatException');
      expect((error as Error).message).toBe(`For input string: "${value}"`);
    }
  });

  it.each([
    ['max', () => new MaxMulticastFlowControl()],
    ['min', () => new MinMulticastFlowControl()],
    ['tagged', () => new TaggedMulticastFlowControl()],
  ])('fc=%s: the multicast default 4, the context, then the channel decide the retransmit length', (fc, create) => {
    const lengthWith = (channel: UdpChannel, ctx: FlowControlContext): number => {
      const flowControl = create();
      flowControl.initialize(ctx, newCountersManager(), channel, 0, 0, 0, 0, 0);
      return flowControl.maxRetransmissionLength(0, BIG_NAK, BIG_TERM, MTU_LENGTH);
    };
    expect(lengthWith(multicastChannel(fc), context())).toBe(128 * 1024 * 4);
    expect(lengthWith(multicastChannel(fc), context({ multicastFlowControlRetransmitReceiverWindowMultiple: 2 }))).toBe(
      128 * 1024 * 2,
    );
    const fromUri = multicastChannel(`${fc},rrwm:8`);
    expect(lengthWith(fromUri, context({ multicastFlowControlRetransmitReceiverWindowMultiple: 4 }))).toBe(
      128 * 1024 * 8,
    );
  });

  it('unicast: the unicast default 16, else the context', () => {
    const channel = UdpChannel.parse('aeron:udp?endpoint=localhost:0');
    const flowControl = new UnicastFlowControl();
    flowControl.initialize(context(), newCountersManager(), channel, 0, 0, 0, 0, 0);
    expect(flowControl.maxRetransmissionLength(0, BIG_NAK, BIG_TERM, MTU_LENGTH)).toBe(128 * 1024 * 16);
    flowControl.initialize(
      context({ unicastFlowControlRetransmitReceiverWindowMultiple: 2 }),
      newCountersManager(),
      channel,
      0,
      0,
      0,
      0,
      0,
    );
    expect(flowControl.maxRetransmissionLength(0, BIG_NAK, BIG_TERM, MTU_LENGTH)).toBe(128 * 1024 * 2);
    expect(flowControl.maxRetransmissionLength(BIG_TERM - 64, BIG_NAK, BIG_TERM, MTU_LENGTH)).toBe(64);
  });
});

describe('flow control suppliers', () => {
  const supplier = new DefaultMulticastFlowControlSupplier();
  const uri = (fc: string): UdpChannel =>
    UdpChannel.parse(`aeron:udp?endpoint=224.20.30.39:54326|interface=localhost|fc=${fc}`);

  it.each(['min', 'min,t:100ms', 'min,t:100ms,g:10'])('fc=%s is MinMulticastFlowControl', (fc) => {
    expect(supplier.newInstance(uri(fc), 0, 0)).toBeInstanceOf(MinMulticastFlowControl);
  });

  it.each(['max', 'max,t:100ms', 'max,t:100ms,g:10'])('fc=%s is MaxMulticastFlowControl', (fc) => {
    expect(supplier.newInstance(uri(fc), 0, 0)).toBeInstanceOf(MaxMulticastFlowControl);
  });

  it.each(['tagged', 'tagged,t:100ms', 'tagged,t:100ms,g:10'])('fc=%s is TaggedMulticastFlowControl', (fc) => {
    expect(supplier.newInstance(uri(fc), 0, 0)).toBeInstanceOf(TaggedMulticastFlowControl);
  });

  it.each(['minute', 'maximillian', 'taggedalong', 'foobar'])('refuses fc=%s', (fc) => {
    const error = captureError(() => supplier.newInstance(uri(fc), 0, 0));
    expect(error).toBeInstanceOf(ControlProtocolError);
    expect((error as ControlProtocolError).javaExceptionClass).toBe('java.lang.IllegalArgumentException');
    expect((error as Error).message).toBe(`unsupported multicast flow control strategy: fc=${fc}`);
  });

  it('chooses by channel kind: unicast, multicast (max by default) and MDC', () => {
    expect(newFlowControl(UdpChannel.parse('aeron:udp?endpoint=localhost:0'), 1, 2)).toBeInstanceOf(UnicastFlowControl);
    expect(newFlowControl(multicastChannel(), 1, 2)).toBeInstanceOf(MaxMulticastFlowControl);
    expect(newFlowControl(multicastChannel('tagged,g:7'), 1, 2)).toBeInstanceOf(TaggedMulticastFlowControl);
    const dynamic = UdpChannel.parse('aeron:udp?control=localhost:5000|control-mode=dynamic');
    expect(newFlowControl(dynamic, 1, 2)).toBeInstanceOf(MaxMulticastFlowControl);
    const manual = UdpChannel.parse('aeron:udp?control-mode=manual|fc=min');
    expect(newFlowControl(manual, 1, 2)).toBeInstanceOf(MinMulticastFlowControl);
    expect(new DefaultMulticastFlowControlSupplier('min').newInstance(multicastChannel(), 0, 0)).toBeInstanceOf(
      MinMulticastFlowControl,
    );
  });

  it('refuses fc= on a unicast channel', () => {
    const error = captureError(() =>
      new DefaultUnicastFlowControlSupplier().newInstance(
        UdpChannel.parse('aeron:udp?endpoint=localhost:0|fc=min'),
        0,
        0,
      ),
    );
    expect((error as ControlProtocolError).javaExceptionClass).toBe('java.lang.IllegalArgumentException');
    expect((error as Error).message).toBe('unsupported unicast flow control strategy: fc=min');
  });
});

describe.each([
  ['UnicastFlowControl', () => new UnicastFlowControl(), 'aeron:udp?endpoint=localhost:0'],
  ['MaxMulticastFlowControl', () => new MaxMulticastFlowControl(), 'aeron:udp?endpoint=224.20.30.39:24326|fc=max'],
])('%s: the furthest right edge', (_name, create, uri) => {
  const termLength = 64 * 1024;
  const bits = positionBitsToShift(termLength);
  const initialTermId = 100;

  it('returns max(sender limit, SM position + window), for any receiver, across terms', () => {
    const flowControl = create();
    flowControl.initialize(context(), newCountersManager(), UdpChannel.parse(uri), 1, 2, 3, initialTermId, termLength);
    const sm = (receiverId: bigint, termId: number, termOffset: number) =>
      statusMessage({ receiverId, termId, termOffset, windowLength: 16 * 1024 });
    expect(flowControl.onStatusMessage(sm(1n, 100, 0), null, 0, initialTermId, bits, 0)).toBe(16 * 1024);
    expect(flowControl.onStatusMessage(sm(2n, 102, 4096), null, 16 * 1024, initialTermId, bits, 0)).toBe(
      2 * termLength + 4096 + 16 * 1024,
    );
    // A slower receiver never lowers the limit.
    expect(flowControl.onStatusMessage(sm(1n, 100, 64), null, 200_000, initialTermId, bits, 0)).toBe(200_000);
  });

  it('leaves the limit to SMs: onIdle and onSetup return it unchanged; always has its receivers', () => {
    const flowControl = create();
    expect(flowControl.hasRequiredReceivers()).toBe(true);
    expect(flowControl.onIdle(10 ** 12, 5000, 4000, false)).toBe(5000);
    expect(flowControl.onIdle(10 ** 13, 5000, 5000, true)).toBe(5000);
    expect(flowControl.onSetup(null as never, 5000, 0, bits, 0)).toBe(5000);
    flowControl.onTriggerSendSetup(null as never, null, 0);
    flowControl.onError(null as never, null, 0);
    flowControl.close();
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
