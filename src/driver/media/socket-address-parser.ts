/**
 * `host:port` text of the `endpoint` and `control` channel parameters to an `InetSocketAddress` (Java:
 * `io.aeron.driver.media.SocketAddressParser`), with Java's acceptance rules and messages.
 *
 * ```
 *  IPv4 or name:  <host>:<port>          everything before the first ':' is the host; the port is digits
 *  IPv6:          [<address>[%scope]]:<port>   the scope is dropped, as Java drops it
 * ```
 *
 * The host goes through the `NameResolver`; null from it leaves the address unresolved (`resolved: false`), which
 * `UdpChannel` reports as Java's `UnknownHostException`.
 */
import type { InetAddress } from './inet-socket-address.ts';
import { InetSocketAddress } from './inet-socket-address.ts';
import { ILLEGAL_ARGUMENT, InvalidChannelError, NUMBER_FORMAT } from './invalid-channel-error.ts';
import type { NameResolver } from './name-resolver.ts';

/** A parsed `host:port`: the resolved address, or only the host text when the resolver returned null. */
export type ParsedSocketAddress = ResolvedSocketAddress | UnresolvedSocketAddress;

/** A `host:port` whose host resolved. */
export interface ResolvedSocketAddress {
  /** Always true. */
  readonly resolved: true;
  /** The address and port. */
  readonly address: InetSocketAddress;
}

/** A `host:port` whose host the resolver could not resolve (Java: `InetSocketAddress.createUnresolved`). */
export interface UnresolvedSocketAddress {
  /** Always false. */
  readonly resolved: false;
  /** The host text. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

interface HostAndPort {
  readonly host: string;
  readonly port: number;
}

/** Java's `AsciiEncoding.parseIntAscii` of a digit string (already checked): overflow is a NumberFormatException. */
function parsePort(text: string, from: number): number {
  const digits = text.slice(from);
  const value = Number(digits);
  if (value > 0x7fffffff) throw new InvalidChannelError(NUMBER_FORMAT, `int overflow parsing: ${digits}`);
  return value;
}

/** Java's `tryParseIpV4`: null when the text after the first ':' is not all digits; throws without a port. */
function tryParseIpV4(text: string): HostAndPort | null {
  const separatorIndex = text.indexOf(':');
  if (separatorIndex >= 0) {
    for (let i = separatorIndex + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
    }
  }
  if (separatorIndex !== -1 && text.length - separatorIndex > 1) {
    return { host: text.slice(0, separatorIndex), port: parsePort(text, separatorIndex + 1) };
  }
  throw new InvalidChannelError(ILLEGAL_ARGUMENT, `address:port is required for ipv4: ${text}`);
}

function isHexOrColon(c: string): boolean {
  return c === ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9');
}

function isScopeChar(c: string): boolean {
  return (
    c === '_' ||
    c === '.' ||
    c === '~' ||
    c === '-' ||
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9')
  );
}

/** Java's `tryParseIpV6`: `[addr[%scope]]:port`; null when not of that shape; throws without a port. */
function tryParseIpV6(text: string): HostAndPort | null {
  let state: 'START' | 'HOST' | 'SCOPE' | 'END' | 'PORT' = 'START';
  let portIndex = -1;
  let scopeIndex = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    switch (state) {
      case 'START':
        if (c !== '[') return null;
        state = 'HOST';
        break;
      case 'HOST':
        if (c === ']') state = 'END';
        else if (c === '%') {
          scopeIndex = i;
          state = 'SCOPE';
        } else if (!isHexOrColon(c)) return null;
        break;
      case 'SCOPE':
        if (c === ']') state = 'END';
        else if (!isScopeChar(c)) return null;
        break;
      case 'END':
        if (c !== ':') return null;
        portIndex = i;
        state = 'PORT';
        break;
      case 'PORT':
        if (c < '0' || c > '9') return null;
        break;
    }
  }
  if (portIndex !== -1 && text.length - portIndex > 1) {
    return {
      host: text.slice(1, scopeIndex !== -1 ? scopeIndex : portIndex - 1),
      port: parsePort(text, portIndex + 1),
    };
  }
  throw new InvalidChannelError(ILLEGAL_ARGUMENT, `[address]:port is required for ipv6: ${text}`);
}

/**
 * Parses `value` of channel parameter `uriParamName` and resolves its host. Java: `SocketAddressParser.parse`.
 * @throws InvalidChannelError with Java's cause and message for text of the wrong shape or a port out of range.
 */
export function parseSocketAddress(
  value: string,
  uriParamName: string,
  isReResolution: boolean,
  nameResolver: NameResolver,
): ParsedSocketAddress {
  if (value === '') {
    throw new InvalidChannelError('java.lang.NullPointerException', 'input string must not be null or empty');
  }
  const nameAndPort = nameResolver.lookup?.(value, uriParamName, isReResolution) ?? value;
  const result = tryParseIpV4(nameAndPort) ?? tryParseIpV6(nameAndPort);
  if (result === null) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `invalid format: ${nameAndPort}`);
  if (result.port > 0xffff) throw new InvalidChannelError(ILLEGAL_ARGUMENT, `port out of range:${result.port}`);
  const address: InetAddress | null = nameResolver.resolve(result.host, uriParamName, isReResolution);
  return address === null
    ? { resolved: false, host: result.host, port: result.port }
    : { resolved: true, address: new InetSocketAddress(address, result.port) };
}

/**
 * Whether `hostAndPort` names a multicast group (IPv4 224.0.0.0/4 in dotted form, IPv6 starting `ff`), from the
 * text alone. Java: `SocketAddressParser.isMulticastAddress`.
 */
export function isMulticastAddress(hostAndPort: string): boolean {
  const v4 = tryParseIpV4(hostAndPort);
  if (v4 !== null) {
    const host = v4.host;
    const end = host.length - 1;
    let dotIndex = 0;
    for (let i = 0; i <= end; i++) {
      const c = host.charAt(i);
      if (c === '.' || i === end) {
        const length = i === end ? i - dotIndex : i - 1 - dotIndex;
        if (length <= 0 || length > 3) return false;
        if (dotIndex === 0) {
          const firstByte = Number(host.slice(0, i));
          if (!Number.isInteger(firstByte) || firstByte > 0xff || (firstByte & 0xf0) !== 0xe0) return false;
        }
        dotIndex = i;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
  const v6 = tryParseIpV6(hostAndPort);
  if (v6 !== null) return v6.host.slice(0, 2).toLowerCase() === 'ff';
  throw new InvalidChannelError(ILLEGAL_ARGUMENT, `invalid format: ${hostAndPort}`);
}
