/**
 * The host's network interfaces as the channel parser needs them to resolve `interface=` (Java:
 * `java.net.NetworkInterface`, read through `NetworkInterfaceShim`), and the subnet matching of Java's
 * `NetworkUtil` (`isMatchWithPrefix`, `filterBySubnet`, `findAddressOnInterface`).
 *
 * The default source is `os.networkInterfaces()` (addresses and prefix lengths of the interfaces that are up) and
 * Linux's `/sys/class/net/<name>/{flags,ifindex}` (IFF_UP 0x1, IFF_LOOPBACK 0x8, IFF_MULTICAST 0x1000, the index).
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { InetAddress } from './inet-socket-address.ts';

/** One address of an interface and its prefix length. Java: `InterfaceAddress`. */
export interface InterfaceAddress {
  /** The address (IPv6 ones carry the interface name as scope, as Java's do). */
  readonly address: InetAddress;
  /** Network prefix length in bits. Java: `getNetworkPrefixLength()`. */
  readonly prefixLength: number;
}

/** A network interface. Java: `NetworkInterface`. */
export interface NetworkInterface {
  /** Name, e.g. `eth0`. */
  readonly name: string;
  /** Interface index (for IPv6 multicast), or 0 when unknown. */
  readonly index: number;
  /** Its addresses, in the order the system lists them. */
  readonly addresses: readonly InterfaceAddress[];
  /** IFF_UP. */
  readonly isUp: boolean;
  /** IFF_LOOPBACK. */
  readonly isLoopback: boolean;
  /** IFF_MULTICAST. */
  readonly supportsMulticast: boolean;
}

/** Where the interfaces come from (tests give their own). Java: `NetworkInterfaceShim`. */
export type NetworkInterfaceSource = () => readonly NetworkInterface[];

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_MULTICAST = 0x1000;

function readSysNumber(name: string, file: string): number | null {
  try {
    const value = Number(readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** The host's interfaces from `os.networkInterfaces()` and `/sys/class/net` (see the module comment). */
export const systemNetworkInterfaces: NetworkInterfaceSource = () => {
  const result: NetworkInterface[] = [];
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    const addresses: InterfaceAddress[] = [];
    let internal = false;
    for (const info of infos ?? []) {
      internal ||= info.internal;
      // Java scopes every IPv6 interface address by its interface (`0:0:0:0:0:0:0:1%lo`).
      const parsed = InetAddress.parseNumeric(info.family === 'IPv6' ? `${info.address}%${name}` : info.address);
      const prefix = Number(info.cidr?.slice(info.cidr.indexOf('/') + 1));
      if (parsed !== null && Number.isInteger(prefix)) addresses.push({ address: parsed, prefixLength: prefix });
    }
    const flags = readSysNumber(name, 'flags');
    result.push({
      name,
      index: readSysNumber(name, 'ifindex') ?? 0,
      addresses,
      isUp: flags === null ? true : (flags & IFF_UP) !== 0,
      isLoopback: flags === null ? internal : (flags & IFF_LOOPBACK) !== 0,
      supportsMulticast: flags === null ? !internal : (flags & IFF_MULTICAST) !== 0,
    });
  }
  return result;
};

/**
 * True when the first `prefixLength` bits of `candidate` and `expected` agree (addresses of different lengths never
 * match). Java: `NetworkUtil.isMatchWithPrefix`.
 */
export function isMatchWithPrefix(candidate: Uint8Array, expected: Uint8Array, prefixLength: number): boolean {
  if (candidate.length !== expected.length) return false;
  const bits = Math.max(0, Math.min(prefixLength, candidate.length * 8));
  const whole = bits >>> 3;
  for (let i = 0; i < whole; i++) if (candidate[i] !== expected[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (candidate[whole]! & mask) === (expected[whole]! & mask);
}

/** The first address of `networkInterface` in `query`/`prefixLength`, or null. Java: `findAddressOnInterface`. */
export function findAddressOnInterface(
  networkInterface: NetworkInterface,
  query: InetAddress,
  prefixLength: number,
): InterfaceAddress | null {
  const queryBytes = query.bytes();
  for (const interfaceAddress of networkInterface.addresses) {
    if (isMatchWithPrefix(interfaceAddress.address.bytes(), queryBytes, prefixLength)) return interfaceAddress;
  }
  return null;
}

/**
 * The interfaces with an address in `query`/`prefixLength`: non-loopback first, then by the matching address's
 * prefix length, longest first (a stable sort). Java: `NetworkUtil.filterBySubnet`.
 */
export function filterBySubnet(
  source: NetworkInterfaceSource,
  query: InetAddress,
  prefixLength: number,
): NetworkInterface[] {
  const matches: Array<{ networkInterface: NetworkInterface; prefixLength: number }> = [];
  for (const networkInterface of source()) {
    const found = findAddressOnInterface(networkInterface, query, prefixLength);
    if (found !== null) matches.push({ networkInterface, prefixLength: found.prefixLength });
  }
  matches.sort((a, b) => {
    if (a.networkInterface.isLoopback !== b.networkInterface.isLoopback) return a.networkInterface.isLoopback ? 1 : -1;
    return b.prefixLength - a.prefixLength;
  });
  return matches.map((m) => m.networkInterface);
}
