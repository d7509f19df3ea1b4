/**
 * `UdpSocket`, `SocketAddress` and `allocateDirectBuffer` on loopback: IPv4 and IPv6 round trips from and into
 * every kind of memory an `AtomicBuffer` holds (direct, mapped file, heap), ephemeral ports, connect, socket
 * buffer lengths read back, typed errors with their codes and errnos, close; and the same socket API driven from
 * a worker thread (the SHARED driver's thread). Allocation per datagram: udp-socket-allocation.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaDriverError } from '../../../src/driver/driver-error.ts';
import { DatagramBatch } from '../../../src/driver/media/datagram-batch.ts';
import { allocateDirectBuffer, nativeAddress } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { SocketError } from '../../../src/driver/media/socket-error.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import { readOsSocketBufferLengths } from '../../../src/driver/os-socket-buffers.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { MappedFile } from '../../../src/transport/mapped-file.ts';
import { awaitCondition } from '../../support/wait.ts';

const v4 = (host: string, port = 0): SocketAddress => SocketAddress.of({ host, port, family: 4 });
const v6 = (host: string, port = 0): SocketAddress => SocketAddress.of({ host, port, family: 6 });

/** Polls `receive` until a datagram arrives (loopback delivery is immediate, but stay generous on loaded cores). */
async function receiveOne(socket: UdpSocket, buffer: AtomicBuffer, offset: number, from: SocketAddress) {
  let length = 0;
  await awaitCondition(
    'a datagram',
    () => {
      length = socket.receive(buffer, offset, buffer.capacity - offset, from);
      return length > 0;
    },
    undefined,
    { intervalMs: 1 },
  );
  return length;
}

function expectSocketError(fn: () => unknown, code: string, errno?: number): SocketError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SocketError);
    expect(e).toBeInstanceOf(MediaDriverError);
    const error = e as SocketError;
    expect(error.code).toBe(code);
    if (errno !== undefined) expect(error.errno).toBe(errno);
    return error;
  }
  throw new Error(`expected SocketError ${code}`);
}

describe('UdpSocket', () => {
  const open: UdpSocket[] = [];
  const track = (socket: UdpSocket): UdpSocket => {
    open.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });

  for (const [family, host] of [
    [4, '127.0.0.1'],
    [6, '::1'],
  ] as const) {
    it(`IPv${family}: binds an ephemeral port, sends and receives in place, fills the source address`, async () => {
      const bind = SocketAddress.of({ host, port: 0, family });
      const a = track(UdpSocket.open({ bind }));
      const b = track(UdpSocket.open({ bind }));
      expect(a.family).toBe(family);
      expect(a.localAddress.port()).toBeGreaterThan(0);
      expect(a.localAddress.host()).toBe(host);
      expect(b.localAddress.port()).not.toBe(a.localAddress.port());

      const out = allocateDirectBuffer(4096);
      const into = allocateDirectBuffer(65536);
      const from = new SocketAddress();
      expect(b.receive(into, 0, into.capacity, from)).toBe(0); // nothing yet
      for (let i = 0; i < 1408; i++) out.putInt8(100 + i, i & 0x7f);
      expect(a.sendTo(out, 100, 1408, b.localAddress)).toBe(1408);
      expect(await receiveOne(b, into, 64, from)).toBe(1408);
      expect(Buffer.from(into.bytes.subarray(64, 64 + 1408))).toEqual(Buffer.from(out.bytes.subarray(100, 1508)));
      expect(from.family).toBe(family);
      expect(from.equals(a.localAddress)).toBe(true);
      expect(from.hash()).toBe(a.localAddress.hash());
      expect(from.toString()).toBe(a.localAddress.toString());
      expect(b.receive(into, 0, into.capacity, from)).toBe(0);
    });
  }

  it('sends and receives batches (sendmmsg/recvmmsg): lengths, sources, truncation', async () => {
    const a = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const b = track(UdpSocket.open({ bind: v4('127.0.0.1'), socketRcvbufLength: 1024 * 1024 }));
    const c = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const out = allocateDirectBuffer(8192);
    const into = allocateDirectBuffer(8 * 2048);
    const sendBatch = new DatagramBatch(8);
    const receiveBatch = new DatagramBatch(8);
    const sources = Array.from({ length: 8 }, () => new SocketAddress());
    for (let i = 0; i < 8; i++) receiveBatch.set(i, into, i * 2048, 2048, sources[i]!);
    expect(b.receiveBatch(receiveBatch, 8)).toBe(0);
    for (let i = 0; i < 5; i++) {
      out.putInt32(i * 1024, 1000 + i);
      sendBatch.set(i, out, i * 1024, 100 + i * 100, b.localAddress);
    }
    expect(a.sendBatch(sendBatch, 5)).toBe(5);
    expect(sendBatch.length(4)).toBe(500);
    out.putInt32(0, 77);
    expect(c.sendTo(out, 0, 4000, b.localAddress)).toBe(4000); // longer than a 2,048-byte window
    let got = 0;
    await awaitCondition('six datagrams', () => {
      got += b.receiveBatch(receiveBatch, 8);
      return got === 6;
    });
    for (let i = 0; i < 5; i++) {
      expect(receiveBatch.length(i)).toBe(100 + i * 100);
      expect(into.getInt32(i * 2048)).toBe(1000 + i);
      expect(receiveBatch.address(i)!.equals(a.localAddress)).toBe(true);
      expect(receiveBatch.isTruncated(i)).toBe(false);
    }
    expect(receiveBatch.length(5)).toBe(2048);
    expect(receiveBatch.isTruncated(5)).toBe(true);
    expect(sources[5]!.equals(c.localAddress)).toBe(true);
    expect(() => b.receiveBatch(new DatagramBatch(2), 2)).toThrow(/no source address/);
    expect(() => a.sendBatch(sendBatch, 9)).toThrow(/outside batch/);
    expect(a.sendBatch(sendBatch, 0)).toBe(0);
  });

  it('sends from and receives into mapped-file, heap, shared and direct memory at any byte offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udp-socket-'));
    const file = MappedFile.create(join(dir, 'term'), 3 * 65536);
    try {
      const a = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
      const b = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
      const term = new AtomicBuffer(file.buffer, 65536, 65536); // as raw-log.ts windows a term
      const heap = new AtomicBuffer(new ArrayBuffer(8192), 24, 4096);
      const direct = allocateDirectBuffer(100);
      const shared = new AtomicBuffer(new SharedArrayBuffer(4096) as unknown as ArrayBuffer, 128, 1024);
      expect(nativeAddress(direct) % 4096).toBe(0);
      expect(nativeAddress(term)).toBe(nativeAddress(new AtomicBuffer(file.buffer)) + 65536);
      const from = new SocketAddress();
      for (const [source, target] of [
        [term, heap],
        [heap, term],
        [direct, term],
        [term, direct],
        [shared, heap],
        [direct, shared],
      ] as const) {
        for (let i = 0; i < 64; i++) source.putInt8(8 + i, (i * 7 + source.capacity) & 0x7f);
        expect(a.sendTo(source, 8, 64, b.localAddress)).toBe(64);
        expect(await receiveOne(b, target, 32, from)).toBe(64);
        expect(Buffer.from(target.bytes.subarray(32, 96))).toEqual(Buffer.from(source.bytes.subarray(8, 72)));
      }
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects: sendTo(null) reaches the peer; a refused port counts as nothing sent or received', async () => {
    const peer = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const a = track(UdpSocket.open({ bind: v4('127.0.0.1'), connect: peer.localAddress }));
    expect(a.connectedAddress?.equals(peer.localAddress)).toBe(true);
    const buffer = allocateDirectBuffer(256);
    const from = new SocketAddress();
    expect(a.sendTo(buffer, 0, 32, null)).toBe(32);
    expect(await receiveOne(peer, buffer, 64, from)).toBe(32);
    expect(from.equals(a.localAddress)).toBe(true);

    const gone = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const target = gone.localAddress.clone();
    gone.close();
    const c = track(UdpSocket.open({ connect: target }));
    expect(c.localAddress.port()).toBeGreaterThan(0); // connect binds an ephemeral port
    for (let i = 0; i < 5; i++) {
      expect([0, 16]).toContain(c.sendTo(buffer, 0, 16, null)); // ICMP port unreachable -> ECONNREFUSED -> 0
      expect(c.receive(buffer, 0, 256, from)).toBe(0);
    }
  });

  it('connects again to another peer (a re-resolved endpoint): same bound port, only the new peer heard', async () => {
    const first = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const second = track(UdpSocket.open({ bind: v4('127.0.0.2') }));
    const a = track(UdpSocket.open({ bind: v4('0.0.0.0'), connect: first.localAddress }));
    const local = a.localAddress.clone(); // 127.0.0.1:<ephemeral> once connected
    a.connect(second.localAddress);
    expect(a.connectedAddress?.equals(second.localAddress)).toBe(true);
    const buffer = allocateDirectBuffer(256);
    const from = new SocketAddress();
    expect(a.sendTo(buffer, 0, 24, null)).toBe(24);
    expect(await receiveOne(second, buffer, 64, from)).toBe(24);
    expect(from.port()).toBe(local.port());
    expect(first.receive(buffer, 0, 256, from)).toBe(0);
    // datagrams from the new peer arrive, from the old one no more
    expect(first.sendTo(buffer, 0, 16, local)).toBe(16);
    expect(second.sendTo(buffer, 0, 20, local)).toBe(20);
    expect(await receiveOne(a, buffer, 0, from)).toBe(20);
    expect(from.equals(second.localAddress)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.receive(buffer, 0, 256, from)).toBe(0);
    a.close();
    expect(() => a.connect(first.localAddress)).toThrow(SocketError);
  });

  it('reads back the granted socket buffer lengths as Java does (half of Linux getsockopt)', () => {
    const os = readOsSocketBufferLengths();
    const plain = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    expect(plain.socketSndbufLength).toBe(os.defaultSndbuf);
    expect(plain.socketRcvbufLength).toBe(os.defaultRcvbuf);
    const sized = track(
      UdpSocket.open({ bind: v4('127.0.0.1'), socketRcvbufLength: 256 * 1024, socketSndbufLength: 128 * 1024 }),
    );
    expect(sized.socketRcvbufLength).toBe(Math.min(256 * 1024, os.maxRcvbuf));
    expect(sized.socketSndbufLength).toBe(Math.min(128 * 1024, os.maxSndbuf));
  });

  it('typed errors: port in use (naming the address), reuse, address not available, send refusals', () => {
    const a = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const inUse = expectSocketError(() => UdpSocket.open({ bind: a.localAddress }), 'PORT_IN_USE', 98);
    expect(inUse.message).toBe(`Address already in use (EADDRINUSE): bind ${a.localAddress}`);
    expect(inUse.address).toBe(a.localAddress.toString());
    expect(inUse.errnoName).toBe('EADDRINUSE');

    const shared = track(UdpSocket.open({ bind: v4('127.0.0.1'), reuseAddress: true }));
    track(UdpSocket.open({ bind: shared.localAddress, reuseAddress: true }));

    expectSocketError(() => UdpSocket.open({ bind: v4('192.0.2.1') }), 'ADDRESS_NOT_AVAILABLE', 99);

    const buffer = allocateDirectBuffer(65536);
    expectSocketError(() => a.sendTo(buffer, 0, 16, v4('255.255.255.255', 9)), 'SEND_FAILED', 13); // no SO_BROADCAST
    expectSocketError(() => a.sendTo(buffer, 0, 65536, a.localAddress), 'SEND_FAILED', 90); // EMSGSIZE
    expectSocketError(() => a.sendTo(buffer, 0, 16, null), 'SEND_FAILED'); // not connected
    expect(() => a.sendTo(buffer, 65530, 16, a.localAddress)).toThrow(/outside buffer/);
    expect(() => a.receive(buffer, -1, 16, new SocketAddress())).toThrow(/outside buffer/);
  });

  it('refuses non-numeric hosts, bad ports and mixed families', () => {
    expectSocketError(() => v4('localhost'), 'INVALID_ADDRESS');
    expectSocketError(() => v4('::1'), 'INVALID_ADDRESS');
    expectSocketError(() => v6('127.0.0.1'), 'INVALID_ADDRESS');
    expectSocketError(() => v4('127.0.0.1', 65536), 'INVALID_ADDRESS');
    expectSocketError(() => v6('fe80::1%no-such-interface0'), 'INVALID_ADDRESS');
    expectSocketError(() => UdpSocket.open({ bind: v4('127.0.0.1'), connect: v6('::1', 9) }), 'INVALID_ADDRESS');
  });

  it('close is idempotent and frees the port; use after close is CLOSED', () => {
    const a = UdpSocket.open({ bind: v4('127.0.0.1') });
    const address = a.localAddress.clone();
    a.close();
    a.close();
    expect(a.isClosed).toBe(true);
    expect(a.fd).toBe(-1);
    const buffer = allocateDirectBuffer(64);
    expectSocketError(() => a.sendTo(buffer, 0, 8, address), 'CLOSED');
    expectSocketError(() => a.receive(buffer, 0, 8, new SocketAddress()), 'CLOSED');
    track(UdpSocket.open({ bind: address }));
  });

  it('works from a worker thread: the worker echoes what it polls', async () => {
    const main = track(UdpSocket.open({ bind: v4('127.0.0.1') }));
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./udp-socket-echo-worker.ts', import.meta.url).href;
    const code =
      `import(${JSON.stringify(tsx)})` + `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    const count = 1000;
    const worker = new Worker(code, { eval: true, workerData: { count } });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const echo = v4('127.0.0.1', port);
      const out = allocateDirectBuffer(1024);
      const into = allocateDirectBuffer(65536);
      const from = new SocketAddress();
      for (let i = 0; i < count; i++) {
        out.putInt32(0, i);
        expect(main.sendTo(out, 0, 32 + (i % 200), echo)).toBe(32 + (i % 200));
        expect(await receiveOne(main, into, 0, from)).toBe(32 + (i % 200));
        expect(into.getInt32(0)).toBe(i);
        expect(from.equals(echo)).toBe(true);
      }
      expect(await exited).toBe(0);
    } finally {
      await worker.terminate();
    }
  });
});

describe('SocketAddress', () => {
  it('formats IPv6 as RFC 5952 and compares without regard to the flow label', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['::', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['FE80:0:0:0:0:0:1:2', 'fe80::1:2'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8::', '2001:db8::'],
      ['::ffff:10.1.2.3', '::ffff:10.1.2.3'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      ['[ff02::1]', 'ff02::1'],
      ['fe80::1%1', 'fe80::1%1'],
    ];
    for (const [input, output] of cases) expect(v6(input, 1).host()).toBe(output);
    expect(v6('ff02::1', 40456).toString()).toBe('[ff02::1]:40456');
    expect(v6('ff02::1').isMulticast()).toBe(true);
    expect(v4('224.0.1.1').isMulticast()).toBe(true);
    expect(v4('127.0.0.1').isMulticast()).toBe(false);
    expect(v4('0.0.0.0').isWildcard()).toBe(true);
    expect(v6('::').isWildcard()).toBe(true);
    expect(v4('10.0.0.1').ipv4()).toBe(0x0a000001);
  });

  it('equals, hash, copyFrom, setPort', () => {
    const a = v4('10.1.2.3', 40123);
    const b = new SocketAddress();
    expect(b.toString()).toBe('0.0.0.0:0');
    expect(b.equals(a)).toBe(false);
    b.copyFrom(a);
    expect(b.equals(a)).toBe(true);
    expect(b.hash()).toBe(a.hash());
    b.setPort(40124);
    expect(b.equals(a)).toBe(false);
    expect(b.sameHost(a)).toBe(true);
    expect(v6('::1', 5).equals(v6('::1', 5))).toBe(true);
    expect(v6('::1', 5).equals(v6('::2', 5))).toBe(false);
    expect(v6('::1', 5).equals(v4('127.0.0.1', 5))).toBe(false);
    const c = new SocketAddress().copyFrom(v6('fe80::1%7', 9));
    expect(c.family).toBe(6);
    expect(c.scopeId()).toBe(7);
    expect(c.toString()).toBe('[fe80::1%7]:9');
  });
});
