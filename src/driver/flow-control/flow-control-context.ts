/**
 * The driver settings flow control strategies read in `initialize` (Aeron 1.51.0 `MediaDriver.Context` getters of
 * the same names), with Java's defaults.
 *
 * ```
 *  setting                                               default   Aeron property
 *  flowControlReceiverTimeoutNs                          5 s       aeron.flow.control.receiver.timeout
 *                                                                  (min/tagged; fc=...,t:<duration> per channel)
 *  flowControlGroupTag                                   -1        aeron.flow.control.group.tag (tagged;
 *                                                                  fc=tagged,g:<tag> per channel; -1 is the legacy
 *                                                                  aeron.PreferredMulticastFlowControl.asf default
 *                                                                  FFFFFFFFFFFFFFFF read little-endian)
 *  flowControlGroupMinSize                               0         aeron.flow.control.group.min.size
 *                                                                  (min/tagged; fc=...,g:[<tag>]/<min> per channel)
 *  unicastFlowControlRetransmitReceiverWindowMultiple    16        aeron.unicast.flow.control.rrwm
 *  multicastFlowControlRetransmitReceiverWindowMultiple  4         aeron.multicast.flow.control.rrwm
 * ```
 *
 * A resolved `MediaDriverContext` carrying these fields (same names) can be passed as it is.
 */

/** `aeron.flow.control.receiver.timeout`: a receiver without a status message for this long is dropped (5 s). */
export const FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS = 5_000_000_000;
/** `aeron.flow.control.group.tag` default: -1 (the legacy preferred-ASF bytes FF x 8). */
export const FLOW_CONTROL_GROUP_TAG_DEFAULT = -1n;
/** `aeron.flow.control.group.min.size` default: 0 (no minimum). */
export const FLOW_CONTROL_GROUP_MIN_SIZE_DEFAULT = 0;
/** `aeron.unicast.flow.control.rrwm` default: 16. */
export const UNICAST_FLOW_CONTROL_RRWM_DEFAULT = 16;
/** `aeron.multicast.flow.control.rrwm` default: 4. */
export const MULTICAST_FLOW_CONTROL_RRWM_DEFAULT = 4;

/** What `FlowControl.initialize` reads from the driver (see the module comment). */
export interface FlowControlContext {
  /** Receiver timeout of min/tagged flow control (ns). */
  readonly flowControlReceiverTimeoutNs: number;
  /** Group tag of tagged flow control (a Java long). */
  readonly flowControlGroupTag: bigint;
  /** Receivers min/tagged flow control need before the publication is connected. */
  readonly flowControlGroupMinSize: number;
  /** Retransmit receiver window multiple of unicast flow control. */
  readonly unicastFlowControlRetransmitReceiverWindowMultiple: number;
  /** Retransmit receiver window multiple of the multicast strategies. */
  readonly multicastFlowControlRetransmitReceiverWindowMultiple: number;
}

/** Java's defaults of every flow control setting. */
export const FLOW_CONTROL_CONTEXT_DEFAULTS: FlowControlContext = Object.freeze({
  flowControlReceiverTimeoutNs: FLOW_CONTROL_RECEIVER_TIMEOUT_DEFAULT_NS,
  flowControlGroupTag: FLOW_CONTROL_GROUP_TAG_DEFAULT,
  flowControlGroupMinSize: FLOW_CONTROL_GROUP_MIN_SIZE_DEFAULT,
  unicastFlowControlRetransmitReceiverWindowMultiple: UNICAST_FLOW_CONTROL_RRWM_DEFAULT,
  multicastFlowControlRetransmitReceiverWindowMultiple: MULTICAST_FLOW_CONTROL_RRWM_DEFAULT,
});
