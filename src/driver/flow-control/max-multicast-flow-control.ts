/**
 * Max multicast sender flow control (Aeron 1.51.0 `MaxMulticastFlowControl`, `fc=max`), the default for multicast and
 * MDC channels: the sender limit is the furthest right edge any status message has granted (the fastest receiver),
 * no receivers tracked.
 *
 * ```
 *  onStatusMessage  max(senderLimit, SM position + SM receiver window)
 *  onIdle, onSetup  senderLimit unchanged
 *  hasRequiredReceivers  true
 *  retransmit length     calculateRetransmissionLength(..., rrwm: fc=...,rrwm:<n> or the multicast default 4)
 * ```
 */
import { computePosition } from '../../logbuffer/log-buffer-descriptor.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import type { UdpChannel } from '../media/udp-channel.ts';
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import type { SetupFlyweight } from '../protocol/setup-flyweight.ts';
import type { StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { calculateRetransmissionLength, type FlowControl, retransmitReceiverWindowMultiple } from './flow-control.ts';
import { type FlowControlContext, MULTICAST_FLOW_CONTROL_RRWM_DEFAULT } from './flow-control-context.ts';

/** Max of right edges, no receiver tracking; see the module comment. */
export class MaxMulticastFlowControl implements FlowControl {
  /** The `fc=` value choosing this strategy (Java `FC_PARAM_VALUE`). */
  static readonly FC_PARAM_VALUE = 'max';

  #retransmitReceiverWindowMultiple = MULTICAST_FLOW_CONTROL_RRWM_DEFAULT;

  /** Reads `rrwm` (the channel's, else the context's multicast default). */
  initialize(
    context: FlowControlContext,
    _countersManager: CountersManager,
    udpChannel: UdpChannel,
    _streamId: number,
    _sessionId: number,
    _registrationId: number,
    _initialTermId: number,
    _termBufferLength: number,
  ): void {
    this.#retransmitReceiverWindowMultiple = retransmitReceiverWindowMultiple(
      udpChannel,
      context.multicastFlowControlRetransmitReceiverWindowMultiple,
    );
  }

  /** `max(senderLimit, SM position + window)`. */
  onStatusMessage(
    flyweight: StatusMessageFlyweight,
    _receiverAddress: unknown,
    senderLimit: number,
    initialTermId: number,
    positionBitsToShift: number,
    _timeNs: number,
  ): number {
    const position = computePosition(
      flyweight.consumptionTermId(),
      flyweight.consumptionTermOffset(),
      positionBitsToShift,
      initialTermId,
    );
    return Math.max(senderLimit, position + flyweight.receiverWindowLength());
  }

  /** Nothing to do. */
  onTriggerSendSetup(_flyweight: StatusMessageFlyweight, _receiverAddress: unknown, _timeNs: number): void {}

  /** `senderLimit` unchanged. */
  onSetup(
    _flyweight: SetupFlyweight,
    senderLimit: number,
    _senderPosition: number,
    _positionBitsToShift: number,
    _timeNs: number,
  ): number {
    return senderLimit;
  }

  /** Nothing to do. */
  onError(_errorFlyweight: ErrorFlyweight, _receiverAddress: unknown, _timeNs: number): void {}

  /** `senderLimit` unchanged. */
  onIdle(_timeNs: number, senderLimit: number, _senderPosition: number, _isEos: boolean): number {
    return senderLimit;
  }

  /** Always true. */
  hasRequiredReceivers(): boolean {
    return true;
  }

  /** `calculateRetransmissionLength` with this strategy's `rrwm`. */
  maxRetransmissionLength(
    termOffset: number,
    resendLength: number,
    termBufferLength: number,
    _mtuLength: number,
  ): number {
    return calculateRetransmissionLength(
      resendLength,
      termBufferLength,
      termOffset,
      this.#retransmitReceiverWindowMultiple,
    );
  }

  /** Nothing to free. */
  close(): void {}
}
