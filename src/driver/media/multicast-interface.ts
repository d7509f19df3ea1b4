/**
 * The local interface a multicast channel endpoint joins its group on and sends from (Java: `UdpChannel
 * .localInterface()` handed to `DatagramChannel.join` and `IP_MULTICAST_IF`), as `UdpSocket.open`'s multicast
 * options take it: one of the interface's addresses of the group's family, and its index.
 *
 * ```
 *  aeron:udp?endpoint=239.1.1.1:40456|interface=10.0.0.2   -> { interfaceAddress: 10.0.0.2:0, interfaceIndex: <if> }
 *  no interface= (the parser's default interface or none)  -> what the parser resolved, else null / 0 (the kernel's
 *                                                              choice: the route to the group)
 * ```
 */
import { SocketAddress } from './socket-address.ts';
import type { UdpChannel } from './udp-channel.ts';

/** The interface part of `UdpMulticastOptions`. */
export interface MulticastInterface {
  /** An address of the interface in the group's family (port 0), or null. */
  readonly interfaceAddress: SocketAddress | null;
  /** The interface index, 0 = none. */
  readonly interfaceIndex: number;
}

/**
 * The interface of a multicast channel for a group of `family` (module comment).
 *
 * @param udpChannel the parsed channel.
 * @param family the group's address family.
 */
export function multicastInterfaceOf(udpChannel: UdpChannel, family: 4 | 6): MulticastInterface {
  const localInterface = udpChannel.localInterface;
  const address = localInterface?.addresses.find((a) => a.address.family === family)?.address ?? null;
  return {
    interfaceAddress: address === null ? null : SocketAddress.of({ host: address.host, port: 0, family }),
    interfaceIndex: localInterface?.index ?? 0,
  };
}
