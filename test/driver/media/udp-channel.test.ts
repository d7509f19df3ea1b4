/**
 * UdpChannel.parse without Java: canonical forms, addresses and their Java text forms, control modes, tags,
 * interface selection over a fake interface list (Java's order: non-loopback first, longest prefix first, up and
 * multicast-capable or loopback), name resolvers, typed refusals, matchesTag, and the spy channel check.
 * udp-channel-java.test.ts compares the same parser with Java's on ~60 URIs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODE_INVALID_CHANNEL } from '../../../src/driver/command/control-protocol.ts';
import { ControlProtocolError } from '../../../src/driver/driver-error.ts';
import { InetAddress, InetSocketAddress } from '../../../src/driver/media/inet-socket-address.ts';
import { InvalidChannelError } from '../../../src/driver/media/invalid-channel-error.ts';
import { DefaultNameResolver, type NameResolver } from '../../../src/driver/media/name-resolver.ts';
import type { NetworkInterface } from '../../../src/driver/media/network-interface.ts';
import {
  canonicalise,
  isMulticastEndpoint,
  UdpChannel,
  validateSpyChannel,
} from '../../../src/driver/media/udp-channel.ts';
import { ChannelUri } from '../../../src/logbuffer/channel-uri.ts';

function ifc(
  name: string,
  addresses: Array<[string, number]>,
  flags: Partial<Pick<NetworkInterface, 'isUp' | 'isLoopback' | 'supportsMulticast'>> = {},
): NetworkInterface {
  return {
    name,
    index: 1,
    addresses: addresses.map(([a, p]) => ({ address: InetAddress.parseNumeric(a)!, prefixLength: p })),
    isUp: flags.isUp ?? true,
    isLoopback: flags.isLoopback ?? false,
    supportsMulticast: flags.supportsMulticast ?? true,
  };
}

function refusal(uri: string, options = {}): InvalidChannelError {
  try {
    UdpChannel.parse(uri, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidChannelError);
    return e as InvalidChannelError;
  }
  throw new Error(`parsed: ${uri}`);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('InetSocketAddress', () => {
  it('prints as Java: host string, toString with and without a name, IPv6 in eight groups', () => {
    const named = InetSocketAddress.of('127.0.0.1', 40123, 'localhost');
    expect([named.hostString(), named.toString(), named.host, named.family]).toEqual([
      'localhost',
      'localhost/127.0.0.1:40123',
      '127.0.0.1',
      4,
    ]);
    const v6 = InetSocketAddress.of('::1', 5);
    expect([v6.hostString(), v6.toString(), v6.formatAddressAndPort()]).toEqual([
      '0:0:0:0:0:0:0:1',
      '/[0:0:0:0:0:0:0:1]:5',
      '[0:0:0:0:0:0:0:1]:5',
    ]);
    expect(InetAddress.parseNumeric('[fe80::fc:ff:fe00:1%eth0]')?.host).toBe('fe80:0:0:0:fc:ff:fe00:1%eth0');
    expect(InetAddress.parseNumeric('::ffff:10.1.2.3')?.host).toBe('10.1.2.3');
    expect(InetAddress.parseNumeric('localhost')).toBeNull();
    expect(() => InetSocketAddress.of('127.0.0.1', 65536)).toThrow('port out of range:65536');
  });

  it('classifies multicast, loopback and wildcard addresses', () => {
    const is = (a: string) => {
      const x = InetAddress.parseNumeric(a)!;
      return [x.isMulticastAddress, x.isLoopbackAddress, x.isAnyLocalAddress];
    };
    expect(is('224.0.0.1')).toEqual([true, false, false]);
    expect(is('239.255.255.255')).toEqual([true, false, false]);
    expect(is('240.0.0.1')).toEqual([false, false, false]);
    expect(is('ff02::1')).toEqual([true, false, false]);
    expect(is('127.0.0.2')).toEqual([false, true, false]);
    expect(is('::')).toEqual([false, false, true]);
  });
});

describe('UdpChannel.parse', () => {
  it('unicast: remote = endpoint, local = wildcard interface, canonical form from the endpoint text', () => {
    const c = UdpChannel.parse('aeron:udp?endpoint=localhost:40123');
    expect(c.canonicalForm).toBe('UDP-0.0.0.0:0-localhost:40123');
    expect(c.remoteData.toString()).toBe('localhost/127.0.0.1:40123');
    expect(c.remoteControl).toBe(c.remoteData);
    expect(c.localData.toString()).toBe('0.0.0.0/0.0.0.0:0');
    expect(c.localControl).toBe(c.localData);
    expect([c.isMulticast, c.hasExplicitControl, c.hasExplicitEndpoint, c.controlMode]).toEqual([
      false,
      false,
      true,
      'NONE',
    ]);
    expect([c.protocolFamily, c.localInterface, c.originalUriString]).toEqual([
      4,
      null,
      'aeron:udp?endpoint=localhost:40123',
    ]);
    expect(c.toString()).toBe(c.canonicalForm);
    expect(c.channelUri.get('endpoint')).toBe('localhost:40123');
  });

  it('multicast: the best interface (non-loopback, longest prefix, up, multicast) and control = data + 1', () => {
    const interfaces = () => [
      ifc('lo', [['127.0.0.1', 8]], { isLoopback: true, supportsMulticast: false }),
      ifc('down0', [['10.0.0.1', 30]], { isUp: false }),
      ifc('eth0', [['192.168.1.5', 24]]),
      ifc('eth1', [['10.1.1.1', 16]]),
    ];
    const c = UdpChannel.parse('aeron:udp?endpoint=224.0.1.1:40456|ttl=3', { networkInterfaces: interfaces });
    expect(c.canonicalForm).toBe('UDP-192.168.1.5:0-224.0.1.1:40456');
    expect([c.isMulticast, c.hasGroupSemantics, c.multicastTtl, c.hasMulticastTtl]).toEqual([true, true, 3, true]);
    expect(c.localInterface?.name).toBe('eth0');
    expect(c.remoteControl.toString()).toBe('/224.0.1.2:40456');
    const onLo = UdpChannel.parse('aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.0/8', {
      networkInterfaces: interfaces,
    });
    expect([onLo.canonicalForm, onLo.localInterface?.name]).toEqual(['UDP-127.0.0.1:0-224.0.1.1:40456', 'lo']);
    expect(
      refusal('aeron:udp?endpoint=224.0.1.1:40456|interface=10.0.0.0/30', { networkInterfaces: interfaces }).message,
    ).toBe(
      'java.lang.IllegalArgumentException: Unable to find multicast or loopback interface matching criteria: /10.0.0.0/30',
    );
    expect(refusal('aeron:udp?endpoint=224.0.1.4:40456').reason).toBe('multicast data address must be odd');
  });

  it('MDC control modes, response channels and their unique suffixes', () => {
    const dynamic = UdpChannel.parse('aeron:udp?control=localhost:40124|control-mode=dynamic');
    expect(dynamic.canonicalForm).toBe('UDP-localhost:40124-0.0.0.0:0');
    expect([dynamic.isDynamicControlMode, dynamic.isMultiDestination, dynamic.hasExplicitControl]).toEqual([
      true,
      true,
      true,
    ]);
    expect(dynamic.localControl.toString()).toBe('localhost/127.0.0.1:40124');
    const a = UdpChannel.parse('aeron:udp?control-mode=manual');
    const b = UdpChannel.parse('aeron:udp?control-mode=manual');
    const suffix = (c: UdpChannel) => Number(/-(\d+)$/.exec(c.canonicalForm)![1]);
    expect(suffix(b)).toBe(suffix(a) + 1);
    expect([a.isManualControlMode, a.equals(b)]).toEqual([true, false]);
    expect(UdpChannel.parse('aeron:udp?control-mode=manual', { isDestination: true }).canonicalForm).toBe(
      'UDP-0.0.0.0:0-0.0.0.0:0',
    );
    const response = UdpChannel.parse('aeron:udp?control-mode=response|control=localhost:10001');
    expect([response.isResponseControlMode, response.isMultiDestination]).toEqual([true, false]);
    expect(refusal('aeron:udp?control-mode=dynamic').reason).toBe(
      'explicit control expected with dynamic control mode: aeron:udp?control-mode=dynamic',
    );
  });

  it('tags, buffer lengths, group tag, nak delay and timestamp offsets', () => {
    const tagged = UdpChannel.parse('aeron:udp?tags=7,99');
    expect([tagged.canonicalForm, tagged.hasTag, tagged.tag]).toEqual(['UDP-0.0.0.0:0-0.0.0.0:0#7', true, 7n]);
    const c = UdpChannel.parse(
      'aeron:udp?endpoint=localhost:40123|so-rcvbuf=128k|so-sndbuf=64k|rcv-wnd=1m|gtag=-5|nak-delay=100us|channel-rcv-ts-offset=reserved|channel-snd-ts-offset=8',
    );
    expect([c.socketRcvbufLength, c.socketSndbufLength, c.receiverWindowLength]).toEqual([131072, 65536, 1048576]);
    expect([c.socketRcvbufLengthOrDefault(1), c.receiverWindowLengthOrDefault(1)]).toEqual([131072, 1048576]);
    expect([c.groupTag, c.nakDelayNs]).toEqual([-5n, 100_000]);
    expect([c.channelReceiveTimestampOffset, c.channelSendTimestampOffset]).toEqual([-8, 8]);
    expect([c.isChannelReceiveTimestampEnabled, c.isChannelSendTimestampEnabled]).toEqual([true, true]);
    const plain = UdpChannel.parse('aeron:udp?endpoint=localhost:40123');
    expect([plain.groupTag, plain.nakDelayNs, plain.hasTag, plain.isChannelSendTimestampEnabled]).toEqual([
      null,
      null,
      false,
      false,
    ]);
    expect(plain.socketSndbufLengthOrDefault(4096)).toBe(4096);
  });

  it('refuses with InvalidChannelError: a ControlProtocolError of ErrorCode INVALID_CHANNEL with Java’s message', () => {
    const e = refusal('aeron:udp?endpoint=localhost');
    expect(e).toBeInstanceOf(ControlProtocolError);
    expect([e.code, e.errorCode, e.javaCause]).toEqual([
      'CONTROL_PROTOCOL',
      ERROR_CODE_INVALID_CHANNEL,
      'java.lang.IllegalArgumentException',
    ]);
    expect(e.message).toBe('java.lang.IllegalArgumentException: address:port is required for ipv4: localhost');
    expect(refusal('aeron:ipc').reason).toBe('UdpChannel only supports UDP media: aeron:ipc');
    expect(refusal('aeron:udp?endpoint=no-such-host-x:1').message).toBe(
      'java.net.UnknownHostException: unresolved - endpoint=no-such-host-x:1, name-resolver=io.aeron.driver.DefaultNameResolver',
    );
    expect(refusal('aeron:udp').reason).toMatch(/^URIs for UDP must specify an endpoint/);
    expect(refusal('not-a-uri').javaCause).toBe('java.lang.IllegalArgumentException');
    expect(refusal('aeron:udp?tags=x').message).toBe('java.lang.NumberFormatException: For input string: "x"');
  });

  it('resolves names through a custom NameResolver, and /etc/hosts-style files in the default one', () => {
    const resolver: NameResolver = {
      resolve: (name) => (name === 'node-a' ? InetAddress.parseNumeric('10.0.0.7')!.withHostname('node-a') : null),
      lookup: (name) => name.replace('alias', 'node-a'),
      name: () => 'TestResolver',
    };
    const c = UdpChannel.parse('aeron:udp?endpoint=alias:4000', { nameResolver: resolver });
    expect([c.remoteData.toString(), c.canonicalForm]).toEqual(['node-a/10.0.0.7:4000', 'UDP-0.0.0.0:0-alias:4000']);
    expect(refusal('aeron:udp?control=zzz:4000|control-mode=dynamic', { nameResolver: resolver }).reason).toBe(
      'unresolved - control=zzz:4000, name-resolver=TestResolver',
    );

    const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-udp-channel-'));
    dirs.push(dir);
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, '# comment\n::5 both\n10.9.8.7 other both # trailing\n');
    const fromFile = new DefaultNameResolver(hosts);
    expect(fromFile.resolve('BOTH', 'endpoint', false)?.toString()).toBe('BOTH/10.9.8.7');
    expect(fromFile.resolve('localhost', 'endpoint', false)?.toString()).toBe('localhost/127.0.0.1');
    expect(fromFile.resolve('', 'endpoint', false)?.toString()).toBe('localhost/127.0.0.1');
    expect(fromFile.resolve('nothing', 'endpoint', false)).toBeNull();
  });

  it('matchesTag as Java: same tag and compatible control mode and addresses, else a typed refusal', () => {
    const original = UdpChannel.parse('aeron:udp?endpoint=localhost:40123|tags=1001');
    const reference = UdpChannel.parse('aeron:udp?tags=1001');
    const other = UdpChannel.parse('aeron:udp?endpoint=localhost:40123|tags=1002');
    expect(reference.matchesTag(original)).toBe(true);
    expect(original.matchesTag(other)).toBe(false);
    expect(original.matchesTag(UdpChannel.parse('aeron:udp?endpoint=localhost:40123|tags=1001'))).toBe(true);
    const mismatch = UdpChannel.parse('aeron:udp?endpoint=localhost:40999|tags=1001');
    expect(() => original.matchesTag(mismatch)).toThrow(InvalidChannelError);
    const manual = UdpChannel.parse('aeron:udp?control-mode=manual|tags=5');
    expect(() => manual.matchesTag(UdpChannel.parse('aeron:udp?tags=5'))).toThrow(/mismatched control-mode/);
  });

  it('static helpers: canonicalise, destinationAddress, multicast endpoint tests, spy channels', () => {
    expect(canonicalise(null, InetSocketAddress.of('10.0.0.1', 1), 'h:2', InetSocketAddress.of('10.0.0.2', 2))).toBe(
      'UDP-10.0.0.1:1-h:2',
    );
    expect(UdpChannel.destinationAddress(ChannelUri.parse('aeron:udp?endpoint=localhost:5'))?.toString()).toBe(
      'localhost/127.0.0.1:5',
    );
    expect(UdpChannel.isMulticastDestinationAddress(ChannelUri.parse('aeron:udp?endpoint=239.1.1.1:5'))).toBe(true);
    expect([
      isMulticastEndpoint('224.0.0.1:1'),
      isMulticastEndpoint('[ff02::1]:1'),
      isMulticastEndpoint('1.2.3.4:1'),
    ]).toEqual([true, true, false]);
    expect(UdpChannel.resolve('localhost:9', 'endpoint', true)?.port).toBe(9);
    expect(validateSpyChannel('aeron-spy:aeron:udp?endpoint=localhost:40123').canonicalForm).toBe(
      'UDP-0.0.0.0:0-localhost:40123',
    );
    expect(() => validateSpyChannel('aeron-spy:aeron:udp?endpoint=localhost')).toThrow(InvalidChannelError);
  });
});
