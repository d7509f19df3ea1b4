/**
 * What the receiver asks of the conductor (Java 1.51.0 `DriverConductorProxy`, the receiver's half). In Java these
 * are commands queued to the conductor thread; with the conductor, sender and receiver in one thread (SHARED,
 * INVOKER) they are direct calls, and the role name keeps the seam visible. The conductor (engineer F1's
 * `driver-conductor.ts`) implements it.
 *
 * ```
 *  receiver thread                          conductor
 *    SETUP for a wanted session   ──────▶  createPublicationImage(...)   image log under images/, rcv-hwm, rcv-pos,
 *                                                                        sub-pos per subscription, congestion
 *                                                                        control; then receiver.onNewPublicationImage
 *    endpoint closed by receiver  ──────▶  receiveChannelEndpointClosed  frees the endpoint's counters
 *    control= silent for 5 s      ──────▶  reResolveControl              resolves the name at once (one thread); a
 *                                                                        new address: receiver.onResolutionChange
 * ```
 *
 * The addresses passed are the receiver's copies, owned by the callee from then on (the receiver keeps none of them).
 */
import type { ImageCreationProxy } from './data-packet-dispatcher.ts';
import type { ReceiveChannelEndpoint, ReResolveControlProxy } from './media/receive-channel-endpoint.ts';
import type { SocketAddress } from './media/socket-address.ts';

/** The receiver's commands to the conductor; see the module comment. */
export interface ReceiverConductorProxy extends ImageCreationProxy, ReResolveControlProxy {
  /**
   * A SETUP arrived for a session the endpoint's subscriptions want: create the image (Java
   * `DriverConductorProxy.createPublicationImage` → `DriverConductor.onCreatePublicationImage`).
   *
   * @param sessionId the publication's session id.
   * @param streamId its stream id.
   * @param initialTermId initial term id (SETUP).
   * @param activeTermId active term id (SETUP).
   * @param termOffset term offset in the active term (SETUP).
   * @param termLength term length (SETUP).
   * @param mtuLength MTU of the sender (SETUP).
   * @param transportIndex the transport (destination) it arrived on: 0 without MDS.
   * @param flags SETUP flags (SEND_RESPONSE_SETUP 0x80, GROUP 0x40).
   * @param controlAddress where the image's SM/NAK/RTT/ERR go (the source, or the multicast control group).
   * @param srcAddress the SETUP's source (its `toString()` is the image's source identity).
   * @param channelEndpoint the endpoint it arrived on.
   */
  createPublicationImage(
    sessionId: number,
    streamId: number,
    initialTermId: number,
    activeTermId: number,
    termOffset: number,
    termLength: number,
    mtuLength: number,
    transportIndex: number,
    flags: number,
    controlAddress: SocketAddress,
    srcAddress: SocketAddress,
    channelEndpoint: ReceiveChannelEndpoint,
  ): void;

  /** The receiver has stopped polling the endpoint: it may be closed and its counters freed (Java `receiveChannelEndpointClosed`). */
  receiveChannelEndpointClosed(channelEndpoint: ReceiveChannelEndpoint): void;
}
