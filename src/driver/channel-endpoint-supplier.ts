/**
 * Opening the UDP channel endpoints for the conductor (Java `DriverConductor.getOrCreateSendChannelEndpoint` /
 * `getOrCreateReceiveChannelEndpoint` with the `SendChannelEndpointSupplier` / `ReceiveChannelEndpointSupplier`,
 * the debug ones when fault injection is configured): the channel status and local socket address counters
 * allocated, the endpoint built with the driver's options and its test-only fault generators, its socket(s) opened
 * and the status ACTIVE. On failure everything allocated is closed again and a socket error becomes Java's
 * `channel error - …` refusal.
 *
 * ```
 *  send:     snd-channel (INITIALIZING) -> SendChannelEndpoint(counters, faults sendData/sendControl,
 *            MultiSndDestination for MDC) -> snd-local-sockaddr -> mdc-num-dest (MDC only)
 *            -> openChannel(so_sndbuf, so_rcvbuf, ttl) -> ACTIVE
 *  receive:  rcv-channel (INITIALIZING) -> ReceiveChannelEndpoint(dispatcher, faults receiveData/receiveControl,
 *            gtag) -> rcv-local-sockaddr (not for MDS: its destinations have theirs) -> openChannel(...)
 *            -> bound address written, ACTIVE
 * ```
 *
 * Registering the endpoint with the Sender or Receiver and keeping it by canonical form stay with the conductor.
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import {
  allocateLocalSocketAddress,
  allocateMdcDestinations,
  allocateReceiveChannelStatus,
  allocateSendChannelStatus,
  CHANNEL_STATUS_ACTIVE,
  RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
  SEND_LOCAL_SOCKET_ADDRESS_NAME,
  updateBindAddress,
} from './channel-endpoint-status.ts';
import type { DataPacketDispatcher } from './data-packet-dispatcher.ts';
import { debugChannelEndpointConfiguration } from './media/debug/debug-channel-endpoint-configuration.ts';
import { MultiSndDestination } from './media/multi-snd-destination.ts';
import { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import { channelOpenError } from './media/socket-error.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import type { SystemCounters } from './system-counters.ts';

/** What opening an endpoint needs from the conductor. */
export interface ChannelEndpointSupplierContext {
  /** Allocates the endpoints' channel status and local address counters. */
  readonly countersManager: CountersManager;
  /** The driver's system counters the endpoints move. */
  readonly systemCounters: SystemCounters;
  /** Where endpoint errors go (the driver's error log). */
  readonly errorHandler: (error: unknown) => void;
  /** The resolved driver options (socket buffers, ttl, fault injection). */
  readonly driverContext: MediaDriverContext;
  /** The sender's clock (ns), for MDC destinations' activity. */
  readonly nanoClock: () => number;
}

/**
 * A send channel endpoint for `udpChannel`, open and ACTIVE (module comment).
 *
 * @param ctx counters, options, error handler, clock.
 * @param udpChannel the publication's parsed channel.
 * @param registrationId the publication's registration id (the counters' reference).
 * @throws ControlProtocolError GENERIC_ERROR `channel error - …` when the socket cannot open; nothing is left open.
 */
export function newSendChannelEndpoint(
  ctx: ChannelEndpointSupplierContext,
  udpChannel: UdpChannel,
  registrationId: number,
): SendChannelEndpoint {
  const manager = ctx.countersManager;
  const driverContext = ctx.driverContext;
  const faults = debugChannelEndpointConfiguration(driverContext.debugFaultProperties);
  const statusIndicator = allocateSendChannelStatus(manager, registrationId, udpChannel.originalUriString);
  let endpoint: SendChannelEndpoint | undefined;
  let localSocketAddress: AtomicCounter | null = null;
  let mdcDestinations: AtomicCounter | null = null;
  try {
    const counters = ctx.systemCounters;
    endpoint = new SendChannelEndpoint(
      udpChannel,
      statusIndicator,
      {
        statusMessagesReceived: counters.get('STATUS_MESSAGES_RECEIVED'),
        statusMessagesRejected: counters.get('STATUS_MESSAGES_REJECTED'),
        nakMessagesReceived: counters.get('NAK_MESSAGES_RECEIVED'),
        errorMessagesReceived: counters.get('ERROR_FRAMES_RECEIVED'),
        invalidPackets: counters.get('INVALID_PACKETS'),
      },
      ctx.errorHandler,
      faults.sendData,
      faults.sendControl,
      udpChannel.isMultiDestination ? new MultiSndDestination(udpChannel.isDynamicControlMode, ctx.nanoClock) : null,
    );
    localSocketAddress = allocateLocalSocketAddress(
      manager,
      registrationId,
      statusIndicator.id,
      SEND_LOCAL_SOCKET_ADDRESS_NAME,
    );
    endpoint.localSocketAddressIndicator = localSocketAddress;
    if (endpoint.multiSndDestination !== null) {
      mdcDestinations = allocateMdcDestinations(manager, registrationId, udpChannel.originalUriString);
      endpoint.mdcDestinationsCounter = mdcDestinations;
    }
    endpoint.openChannel(
      manager,
      driverContext.socketSndbufLength,
      driverContext.socketRcvbufLength,
      driverContext.multicastTtl,
    );
    endpoint.indicateActive(manager);
    return endpoint;
  } catch (e) {
    if (endpoint !== undefined) endpoint.close();
    else statusIndicator.close();
    localSocketAddress?.close();
    mdcDestinations?.close();
    throw channelOpenError(e, udpChannel.originalUriString);
  }
}

/**
 * A receive channel endpoint for `udpChannel`, open and ACTIVE (module comment; an MDS endpoint opens no socket).
 *
 * @param ctx counters, options, error handler.
 * @param udpChannel the subscription's parsed channel.
 * @param registrationId the subscription's registration id (the counters' reference).
 * @param dispatcher the endpoint's dispatcher.
 * @param cachedNanoClock the receiver's duty-cycle clock.
 * @throws ControlProtocolError GENERIC_ERROR `channel error - …` when the socket cannot open; nothing is left open.
 */
export function newReceiveChannelEndpoint(
  ctx: ChannelEndpointSupplierContext,
  udpChannel: UdpChannel,
  registrationId: number,
  dispatcher: DataPacketDispatcher,
  cachedNanoClock: () => number,
): ReceiveChannelEndpoint {
  const manager = ctx.countersManager;
  const driverContext = ctx.driverContext;
  const faults = debugChannelEndpointConfiguration(driverContext.debugFaultProperties);
  const statusIndicator = allocateReceiveChannelStatus(manager, registrationId, udpChannel.originalUriString);
  let endpoint: ReceiveChannelEndpoint | undefined;
  let localSocketAddress: AtomicCounter | null = null;
  try {
    endpoint = new ReceiveChannelEndpoint(udpChannel, dispatcher, statusIndicator, {
      systemCounters: ctx.systemCounters,
      errorHandler: ctx.errorHandler,
      cachedNanoClock,
      lossGenerator: faults.receiveData,
      controlLossGenerator: faults.receiveControl,
      groupTag: udpChannel.groupTag,
    });
    if (!udpChannel.isManualControlMode) {
      // Java: an MDS endpoint has none of its own (each destination has one; Subscription.resolvedEndpoint takes
      // the first ACTIVE one of the channel, so an empty one would hide the destination's)
      localSocketAddress = allocateLocalSocketAddress(
        manager,
        registrationId,
        statusIndicator.id,
        RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
      );
      endpoint.localSocketAddressIndicator = localSocketAddress;
    }
    endpoint.openChannel(
      driverContext.socketSndbufLength,
      driverContext.socketRcvbufLength,
      driverContext.multicastTtl,
    );
    if (localSocketAddress !== null) {
      updateBindAddress(manager, localSocketAddress, endpoint.bindAddressAndPort);
      localSocketAddress.set(CHANNEL_STATUS_ACTIVE);
    }
    endpoint.indicateActive(manager);
    return endpoint;
  } catch (e) {
    if (endpoint !== undefined) endpoint.close();
    else statusIndicator.close();
    localSocketAddress?.close();
    throw channelOpenError(e, udpChannel.originalUriString);
  }
}
