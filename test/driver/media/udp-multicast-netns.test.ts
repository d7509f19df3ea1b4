/**
 * Multicast between two "hosts": two network namespaces joined by a veth pair, each end with an address and a
 * multicast route. A `UdpSocket` in namespace B joins the group on its veth's address (`IP_ADD_MEMBERSHIP` /
 * `IPV6_JOIN_GROUP`); a `UdpSocket` in namespace A sends to the group out of its veth (`IP_MULTICAST_IF`,
 * TTL 1, loopback off); B receives the datagram with A's address as its source. Both sides run as child
 * processes under `ip netns exec` (udp-multicast-netns-peer.ts).
 *
 * ```
 *   netns A                                   netns B
 *   vethA 10.231.0.1/24, fd42::1/64  <--veth-->  vethB 10.231.0.2/24, fd42::2/64
 *   route 224.0.0.0/4 dev vethA                route 224.0.0.0/4 dev vethB
 *   send -> 239.255.42.1:40456 / [ff02::4242]:40456     join on 10.231.0.2 / fd42::2, receive
 * ```
 *
 * Needs root (or CAP_NET_ADMIN) for `ip netns`: without it the suite is skipped on a developer's machine and
 * fails with the reason in CI (`CI` set), as describeInterop does for Java.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitCondition } from '../../support/wait.ts';

const ID = `${process.pid % 100_000}`;
const NS_A = `aeronts-mc-a-${ID}`;
const NS_B = `aeronts-mc-b-${ID}`;
const VETH_A = `vmca${ID}`;
const VETH_B = `vmcb${ID}`;
const PEER = fileURLToPath(new URL('./udp-multicast-netns-peer.ts', import.meta.url));
const PORT = 40456;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Null when network namespaces can be created here, else why not. */
function netnsUnavailable(): string | null {
  const probe = `aeronts-probe-${ID}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'delete', probe);
    return null;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    return `network namespaces are not available (ip netns add needs root or CAP_NET_ADMIN): ${stderr.trim()}`;
  }
}

function deleteNamespaces(): void {
  for (const ns of [NS_A, NS_B]) {
    try {
      ip('netns', 'delete', ns);
    } catch {
      // not created
    }
  }
}

interface Peer {
  readonly child: ChildProcess;
  readonly lines: string[];
}

function startPeer(ns: string, args: string[]): Peer {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PEER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString().trim()}`));
  return { child, lines };
}

function stop(peer: Peer | null): void {
  if (peer?.child.pid !== undefined && peer.child.exitCode === null) peer.child.kill('SIGTERM');
}

const unavailable = netnsUnavailable();

if (unavailable !== null && process.env.CI) {
  describe('UDP multicast across two network namespaces', () => {
    it('can create network namespaces', () => {
      throw new Error(unavailable);
    });
  });
} else {
  describe.skipIf(unavailable !== null)('UDP multicast across two network namespaces', () => {
    beforeAll(() => {
      deleteNamespaces();
      ip('netns', 'add', NS_A);
      ip('netns', 'add', NS_B);
      ip('link', 'add', VETH_A, 'type', 'veth', 'peer', 'name', VETH_B);
      ip('link', 'set', VETH_A, 'netns', NS_A);
      ip('link', 'set', VETH_B, 'netns', NS_B);
      for (const [ns, veth, last] of [
        [NS_A, VETH_A, '1'],
        [NS_B, VETH_B, '2'],
      ] as const) {
        ip('-n', ns, 'addr', 'add', `10.231.0.${last}/24`, 'dev', veth);
        ip('-n', ns, '-6', 'addr', 'add', `fd42::${last}/64`, 'dev', veth, 'nodad');
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', veth, 'up');
        ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', veth);
      }
    });

    afterAll(() => {
      deleteNamespaces();
    });

    for (const [family, group, receiverInterface, senderInterface, senderAddress] of [
      ['4', '239.255.42.1', '10.231.0.2', '10.231.0.1', '10.231.0.1'],
      ['4', '239.255.42.2', `@${VETH_B}`, `@${VETH_A}`, '10.231.0.1'],
      ['6', 'ff02::4242', 'fd42::2', 'fd42::1', 'fd42::1'],
    ] as const) {
      const how = receiverInterface.startsWith('@') ? 'interfaces by index' : 'interfaces by address';
      it(`IPv${family}, ${how}: a datagram sent to ${group} in namespace A arrives at the member in namespace B`, async () => {
        let receiver: Peer | null = null;
        let sender: Peer | null = null;
        try {
          receiver = startPeer(NS_B, ['receive', family, group, `${PORT}`, receiverInterface]);
          const r = receiver;
          const detail = (): string => `receiver: ${r.lines.join(' | ')}; sender: ${sender?.lines.join(' | ')}`;
          await awaitCondition(
            'the receiver joined',
            () => r.lines.includes('READY') || r.child.exitCode !== null,
            60_000,
            {
              detail,
            },
          );
          expect(r.lines, detail()).toContain('READY');
          sender = startPeer(NS_A, ['send', family, group, `${PORT}`, senderInterface]);
          await awaitCondition('the receiver to exit', () => r.child.exitCode !== null, 60_000, { detail });
          const received = r.lines.find((line) => line.startsWith('RECEIVED'));
          expect(received, detail()).toBeDefined();
          const [, length, source, ...text] = received!.split(' ');
          expect(text.join(' ')).toMatch(/^multicast \d+$/);
          expect(Number(length)).toBe(text.join(' ').length);
          // IPv6 to a link-local group: the kernel picks the veth's link-local source, or fd42::1 while that is tentative.
          const source6 = /^\[(fd42::1|fe80::[0-9a-f:]+%\d+)\]:\d+$/;
          expect(source).toMatch(
            family === '4' ? new RegExp(`^${senderAddress.replaceAll('.', '\\.')}:\\d+$`) : source6,
          );
          expect(sender.lines[0]).toBe('SENDING ttl=1');
        } finally {
          stop(sender);
          stop(receiver);
        }
      });
    }

    it('IPv4, multicastAll off: a member of another group on the same port does not see the group', async () => {
      const peers: Peer[] = [];
      try {
        const other = startPeer(NS_B, ['receive', '4', '239.255.42.11', `${PORT + 1}`, '10.231.0.2', 'exclusive']);
        const member = startPeer(NS_B, ['receive', '4', '239.255.42.12', `${PORT + 1}`, '10.231.0.2', 'exclusive']);
        peers.push(other, member);
        const detail = (): string => peers.map((p, i) => `peer ${i}: ${p.lines.join(' | ')}`).join('; ');
        await awaitCondition(
          'both joined',
          () => other.lines.includes('READY') && member.lines.includes('READY'),
          60_000,
          {
            detail,
          },
        );
        const sender = startPeer(NS_A, ['send', '4', '239.255.42.12', `${PORT + 1}`, '10.231.0.1']);
        peers.push(sender);
        await awaitCondition('the member to receive', () => member.child.exitCode !== null, 60_000, { detail });
        expect(
          member.lines.some((line) => line.startsWith('RECEIVED')),
          detail(),
        ).toBe(true);
        // The sender keeps sending to the member's group every 50 ms: the other socket must see none of it.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(other.lines, detail()).toEqual(['READY']);
      } finally {
        for (const peer of peers) stop(peer);
      }
    });
  });
}
