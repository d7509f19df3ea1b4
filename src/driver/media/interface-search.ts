/**
 * The `interface` channel parameter (Java: `UnresolvedInterface`, `InterfaceSearchAddress`, `NamedInterface`,
 * `ResolvedInterface`): which local interface and address a UDP channel binds or sends multicast from.
 *
 * ```
 *  interface=192.168.1.10            an address (port 0, prefix 32 / 128)
 *  interface=192.168.1.0/24          a subnet: the first matching interface's address in it
 *  interface=127.0.0.1:40123/8       with a port
 *  interface=[::1]:5000/64           IPv6 in brackets
 *  interface={eth0}  {eth0}:5000     an interface by name: its first address of the channel's family
 *  (absent)                          0.0.0.0:0, prefix 0 (unicast: bind any; multicast: the best interface)
 * ```
 *
 * Resolution for multicast, or for a non-wildcard address: the interfaces with an address in the subnet,
 * non-loopback first then longest prefix first, and of those the first that is up and multicast-capable or
 * loopback; the address is that interface's first address in the subnet, with the given port.
 */

import { type AddressFamily, type InetAddress, InetSocketAddress } from './inet-socket-address.ts';
import { ILLEGAL_ARGUMENT, ILLEGAL_STATE, InvalidChannelError, UNKNOWN_HOST } from './invalid-channel-error.ts';
import { DefaultNameResolver } from './name-resolver.ts';
import {
  filterBySubnet,
  findAddressOnInterface,
  type NetworkInterface,
  type NetworkInterfaceSource,
} from './network-interface.ts';

/** The interface and address a channel resolved its `interface` to. Java: `ResolvedInterface`. */
export interface ResolvedInterface {
  /** The interface, or null for an unresolved wildcard (unicast, no `interface`). */
  readonly localInterface: NetworkInterface | null;
  /** The local address (and port) to bind or send from. */
  readonly address: InetSocketAddress;
}

/** An `interface` value before resolution. Java: `UnresolvedInterface`. */
export interface UnresolvedInterface {
  /**
   * The interface and address for a multicast or unicast channel of `family`.
   * @throws InvalidChannelError with Java's cause and message when nothing matches.
   */
  resolve(multicast: boolean, family: AddressFamily, source: NetworkInterfaceSource): ResolvedInterface;
}

/** Java's `AsciiEncoding.parseIntAscii` for a port or prefix: digits only. */
function parseDigits(text: string, whole: string): number {
  if (!/^[0-9]+$/.test(text)) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `invalid number: ${whole}`);
  return Number(text);
}

/** An address (or subnet) and a port. Java: `InterfaceSearchAddress`. */
export class InterfaceSearchAddress implements UnresolvedInterface {
  /** The address searched for and the port to use. */
  readonly address: InetSocketAddress;
  /** Prefix length of the subnet searched. */
  readonly subnetPrefix: number;

  /** @param address address and port. @param subnetPrefix prefix length in bits. */
  constructor(address: InetSocketAddress, subnetPrefix: number) {
    this.address = address;
    this.subnetPrefix = subnetPrefix;
  }

  /**
   * `0.0.0.0:0/0`, what a channel without `interface` uses; Java's any-local address, named `0.0.0.0` (it prints as
   * `0.0.0.0/0.0.0.0:0`). Java: `InterfaceSearchAddress.wildcard()`.
   */
  static readonly WILDCARD: InterfaceSearchAddress = new InterfaceSearchAddress(
    InetSocketAddress.of('0.0.0.0', 0, '0.0.0.0'),
    0,
  );

  /** Parses `address[:port][/prefix]` (see the module comment). Java: `InterfaceSearchAddress.parse`. */
  static parse(addressAndPort: string): InterfaceSearchAddress {
    if (addressAndPort === '')
      throw new InvalidChannelError(ILLEGAL_ARGUMENT, 'search address string is null or empty');
    let slashIndex = -1;
    let colonIndex = -1;
    let rightBracketIndex = -1;
    for (let i = 0; i < addressAndPort.length; i++) {
      const c = addressAndPort.charAt(i);
      if (c === '/') slashIndex = i;
      else if (c === ':') colonIndex = i;
      else if (c === ']') rightBracketIndex = i;
    }
    let addressEnd = addressAndPort.length;
    if (slashIndex >= 0) addressEnd = slashIndex;
    if (colonIndex >= 0 && colonIndex > rightBracketIndex) addressEnd = colonIndex;
    const hostText = addressAndPort.slice(0, addressEnd);
    const host = DefaultNameResolver.INSTANCE.resolve(hostText, 'interface', false);
    if (host === null) throw new InvalidChannelError(UNKNOWN_HOST, `${hostText}: Name or service not known`);

    let port = 0;
    if (colonIndex >= 0 && rightBracketIndex <= colonIndex) {
      if (addressAndPort.length - 1 === colonIndex) {
        throw new InvalidChannelError(ILLEGAL_ARGUMENT, `invalid port: ${addressAndPort}`);
      }
      port = parseDigits(addressAndPort.slice(colonIndex + 1, slashIndex > 0 ? slashIndex : undefined), addressAndPort);
    }
    let subnetPrefix = host.family === 4 ? 32 : 128;
    if (slashIndex >= 0) {
      if (addressAndPort.length - 1 === slashIndex) {
        throw new InvalidChannelError(ILLEGAL_ARGUMENT, `invalid subnet: ${addressAndPort}`);
      }
      subnetPrefix = parseDigits(addressAndPort.slice(slashIndex + 1), addressAndPort);
    }
    return new InterfaceSearchAddress(inetSocketAddress(host, port), subnetPrefix);
  }

  /** See {@link UnresolvedInterface.resolve}. */
  resolve(multicast: boolean, _family: AddressFamily, source: NetworkInterfaceSource): ResolvedInterface {
    if (!multicast && this.address.address.isAnyLocalAddress) {
      return { localInterface: null, address: this.address };
    }
    const query = this.address.address;
    const candidates = filterBySubnet(source, query, this.subnetPrefix);
    const localInterface = candidates.find((ni) => ni.isUp && (ni.supportsMulticast || ni.isLoopback));
    if (localInterface === undefined) {
      throw new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `Unable to find multicast or loopback interface matching criteria: ${query}/${this.subnetPrefix}`,
      );
    }
    const found = findAddressOnInterface(localInterface, query, this.subnetPrefix);
    if (found === null) {
      throw new InvalidChannelError(
        ILLEGAL_STATE,
        `failed to find ${query}/${this.subnetPrefix} in ${localInterface.name}`,
      );
    }
    return { localInterface, address: inetSocketAddress(found.address, this.address.port) };
  }
}

/** An interface by name and a port: `{eth0}` or `{eth0}:5000`. Java: `NamedInterface`. */
export class NamedInterface implements UnresolvedInterface {
  /** Interface name. */
  readonly name: string;
  /** Port (0 when absent). */
  readonly port: number;

  /** @param name interface name. @param port port, 0-65535. */
  constructor(name: string, port: number) {
    this.name = name;
    this.port = port;
  }

  /** Parses `{name}` or `{name}:port`. Java: `NamedInterface.parse`. */
  static parse(text: string): NamedInterface {
    const refuse = (shown: string) =>
      new InvalidChannelError(
        ILLEGAL_ARGUMENT,
        `expected format is '{interface_name}' or '{interface_name}:port', but got '${shown}'`,
      );
    if (text === '' || text.charAt(0) !== '{') throw refuse(text);
    const nameEnd = text.lastIndexOf('}');
    if (nameEnd <= 1) throw refuse(text);
    const name = text.slice(1, nameEnd);
    let port = 0;
    const trailing = text.length - nameEnd - 1;
    if (trailing > 0) {
      if (trailing === 1 || text.charAt(nameEnd + 1) !== ':') throw refuse(text);
      const digits = text.slice(nameEnd + 2);
      if (!/^[0-9]+$/.test(digits) || Number(digits) > 0xffffffff) throw refuse(text);
      port = Number(digits);
      if (port > 0xffff) throw refuse(`port out of range: ${port}`);
    }
    return new NamedInterface(name, port);
  }

  /** See {@link UnresolvedInterface.resolve}: the interface's first address of `family`. */
  resolve(_multicast: boolean, family: AddressFamily, source: NetworkInterfaceSource): ResolvedInterface {
    const localInterface = source().find((ni) => ni.name === this.name);
    if (localInterface === undefined) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `unknown interface ${this.name}`);
    const found = localInterface.addresses.find((a) => a.address.family === family);
    if (found === undefined) {
      throw new InvalidChannelError(
        ILLEGAL_STATE,
        `no ${family === 4 ? 'INET' : 'INET6'} addresses found on interface ${localInterface.name}`,
      );
    }
    return { localInterface, address: inetSocketAddress(found.address, this.port) };
  }
}

/** Parses an `interface` value: `{name}` forms, else an address search. Java: `UnresolvedInterface.parse`. */
export function parseInterface(text: string): UnresolvedInterface {
  if (text === '') throw new InvalidChannelError(ILLEGAL_ARGUMENT, 'interface is null or empty');
  return text.charAt(0) === '{' ? NamedInterface.parse(text) : InterfaceSearchAddress.parse(text);
}

/** `new InetSocketAddress(address, port)` with Java's port check as an InvalidChannelError. */
function inetSocketAddress(address: InetAddress, port: number): InetSocketAddress {
  if (port > 0xffff) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `port out of range:${port}`);
  return new InetSocketAddress(address, port);
}
