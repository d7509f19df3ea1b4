/**
 * The receiver side on a multicast channel between two "hosts": network namespaces A and B joined by a veth pair
 * (as test/driver/media/udp-multicast-netns.test.ts sets them up). In B the conductor-less ReceiverFixture subscribes
 * `aeron:udp?endpoint=239.255.43.1:<port>|interface=10.232.0.2` (the endpoint joins the group on B's veth); in A a
 * raw sender sends SETUP and 4,000 DATA frames to the group out of A's veth; B rebuilds and checks every frame
 * across terms and names A's address as the image's source. Both sides are child processes under `ip netns exec`
 * (multicast-netns-peer.ts). Needs root for `ip netns`: skipped without it locally, failing in CI.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitCondition } from '../../support/wait.ts';

const ID = `${process.pid % 100_000}`;
const NS_A = `aeronts-rcv-a-${ID}`;
const NS_B = `aeronts-rcv-b-${ID}`;
const VETH_A = `vrca${ID}`;
const VETH_B = `vrcb${ID}`;
const PEER = fileURLToPath(new URL('./multicast-netns-peer.ts', import.meta.url));
const PORT = 40466;
const COUNT = 4_000;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function netnsUnavailable(): string | null {
  const probe = `aeronts-rprobe-${ID}`;
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
  describe('receiver on a multicast channel across two network namespaces', () => {
    it('can create network namespaces', () => {
      throw new Error(unavailable);
    });
  });
} else {
  describe.skipIf(unavailable !== null)('receiver on a multicast channel across two network namespaces', () => {
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
        ip('-n', ns, 'addr', 'add', `10.232.0.${last}/24`, 'dev', veth);
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', veth, 'up');
        ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', veth);
      }
    });

    afterAll(() => {
      deleteNamespaces();
    });

    it('joins the group on the interface, takes the SETUP, rebuilds 4,000 frames across terms from A', async () => {
      let receiver: Peer | null = null;
      let sender: Peer | null = null;
      try {
        receiver = startPeer(NS_B, ['receive', '239.255.43.1', `${PORT}`, '10.232.0.2', `${COUNT}`]);
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
        sender = startPeer(NS_A, ['send', '239.255.43.1', `${PORT}`, '10.232.0.1', `${COUNT}`]);
        await awaitCondition('the receiver to finish', () => r.child.exitCode !== null, 90_000, { detail });
        expect(r.child.exitCode, detail()).toBe(0);
        expect(r.lines, detail()).toContainEqual(expect.stringMatching(/^REBUILT 4000 10\.232\.0\.1:\d+$/));
      } finally {
        stop(sender);
        stop(receiver);
      }
    });
  });
}
