/**
 * Which flow control strategy a network publication gets (Aeron 1.51.0 `FlowControlSupplier`,
 * `DefaultUnicastFlowControlSupplier`, `DefaultMulticastFlowControlSupplier`, and `DriverConductor`'s choice).
 *
 * ```
 *  channel                     supplier                              fc= absent            fc=<s>[,<args>]
 *  multicast or MDC            DefaultMulticastFlowControlSupplier   its default: max      max | min | tagged,
 *  (control-mode dynamic or                                          (aeron.multicast.     else GENERIC_ERROR
 *   manual)                                                          flow.control.strategy) IllegalArgumentException
 *  unicast (incl. response)    DefaultUnicastFlowControlSupplier     UnicastFlowControl    any fc= is refused
 *  messages: "unsupported multicast flow control strategy: fc=<value>", "unsupported unicast flow control strategy:
 *  fc=<value>" (the client sees "java.lang.IllegalArgumentException : <message>")
 * ```
 *
 * The strategy returned is not initialised: the conductor calls `initialize` next.
 */

import { FLOW_CONTROL_PARAM_NAME } from '../../logbuffer/channel-uri.ts';
import type { UdpChannel } from '../media/udp-channel.ts';
import { type FlowControl, illegalArgument } from './flow-control.ts';
import { MaxMulticastFlowControl } from './max-multicast-flow-control.ts';
import { MinMulticastFlowControl } from './min-multicast-flow-control.ts';
import { TaggedMulticastFlowControl } from './tagged-multicast-flow-control.ts';
import { UnicastFlowControl } from './unicast-flow-control.ts';

/** Supplies a new flow control strategy for a publication (Java `FlowControlSupplier`). */
export interface FlowControlSupplier {
  /**
   * A new, uninitialised strategy.
   *
   * @param udpChannel the publication's channel.
   * @param streamId the publication's stream id.
   * @param registrationId the publication's registration id.
   */
  newInstance(udpChannel: UdpChannel, streamId: number, registrationId: number): FlowControl;
}

/** A multicast strategy by its `fc=` name. */
export type MulticastFlowControlStrategy = 'max' | 'min' | 'tagged';

/** Unicast channels: `UnicastFlowControl`; an `fc=` parameter is refused. */
export class DefaultUnicastFlowControlSupplier implements FlowControlSupplier {
  /** A new `UnicastFlowControl`, or GENERIC_ERROR (IllegalArgumentException) when the channel has `fc=`. */
  newInstance(udpChannel: UdpChannel, _streamId: number, _registrationId: number): FlowControl {
    const fcValue = udpChannel.channelUri.get(FLOW_CONTROL_PARAM_NAME);
    if (fcValue !== undefined) throw illegalArgument(`unsupported unicast flow control strategy: fc=${fcValue}`);
    return new UnicastFlowControl();
  }
}

/** Multicast and MDC channels: the strategy `fc=` names, else the configured default (max). */
export class DefaultMulticastFlowControlSupplier implements FlowControlSupplier {
  readonly #defaultStrategy: MulticastFlowControlStrategy;

  /**
   * @param defaultStrategy the strategy without `fc=` (Java `aeron.multicast.flow.control.strategy`, max).
   */
  constructor(defaultStrategy: MulticastFlowControlStrategy = 'max') {
    this.#defaultStrategy = defaultStrategy;
  }

  /** A new strategy; GENERIC_ERROR (IllegalArgumentException) for an `fc=` naming no strategy. */
  newInstance(udpChannel: UdpChannel, _streamId: number, _registrationId: number): FlowControl {
    const fcValue = udpChannel.channelUri.get(FLOW_CONTROL_PARAM_NAME);
    if (fcValue === undefined) return newMulticastFlowControl(this.#defaultStrategy);
    const delimiter = fcValue.indexOf(',');
    const strategy = delimiter === -1 ? fcValue : fcValue.substring(0, delimiter);
    if (strategy === 'max' || strategy === 'min' || strategy === 'tagged') return newMulticastFlowControl(strategy);
    throw illegalArgument(`unsupported multicast flow control strategy: fc=${fcValue}`);
  }
}

/** The suppliers the conductor chooses from (Java `MediaDriver.Context` unicast/multicast flow control suppliers). */
export interface FlowControlSuppliers {
  /** For unicast channels. */
  readonly unicast: FlowControlSupplier;
  /** For multicast and MDC channels. */
  readonly multicast: FlowControlSupplier;
}

/** Java's default suppliers. */
export const DEFAULT_FLOW_CONTROL_SUPPLIERS: FlowControlSuppliers = Object.freeze({
  unicast: new DefaultUnicastFlowControlSupplier(),
  multicast: new DefaultMulticastFlowControlSupplier(),
});

/**
 * The conductor's choice (Java `DriverConductor.newNetworkPublication`): the multicast supplier for a multicast or
 * MDC channel, else the unicast one. Returns an uninitialised strategy.
 *
 * @param udpChannel the publication's channel.
 * @param streamId the publication's stream id.
 * @param registrationId the publication's registration id.
 * @param suppliers the suppliers (Java's defaults when left out).
 */
export function newFlowControl(
  udpChannel: UdpChannel,
  streamId: number,
  registrationId: number,
  suppliers: FlowControlSuppliers = DEFAULT_FLOW_CONTROL_SUPPLIERS,
): FlowControl {
  const supplier = udpChannel.isMulticast || udpChannel.isMultiDestination ? suppliers.multicast : suppliers.unicast;
  return supplier.newInstance(udpChannel, streamId, registrationId);
}

function newMulticastFlowControl(strategy: MulticastFlowControlStrategy): FlowControl {
  switch (strategy) {
    case 'max':
      return new MaxMulticastFlowControl();
    case 'min':
      return new MinMulticastFlowControl();
    case 'tagged':
      return new TaggedMulticastFlowControl();
  }
}
