/**
 * `UdpSocket.sendTo`/`receive` and `sendBatch`/`receiveBatch` allocate nothing per datagram (issue 17's hot-path
 * rule), measured as test/driver/ipc-allocation.test.ts measures the IPC path: the V8 heap's used size around a
 * synchronous run with no garbage collection inside it. 500,000 send+receive round trips on loopback per test
 * (five runs of 100,000, each repeated until no collection ran inside it, the least growth of the five counted
 * five times: an allocation per datagram shows in every run, a background compilation finishing late on loaded
 * cores in one run only; IPv4, 32-byte datagrams from a direct
 * buffer and from a window of a heap buffer, `from` filled in place and compared with `equals`). One 16-byte
 * object per datagram would be 8 MB, 30 times the bound. (Passing buffer addresses to `sendto`/`recvfrom` as
 * arguments allocated 13 bytes per round trip: see libc-socket.ts.)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DatagramBatch } from '../../../src/driver/media/datagram-batch.ts';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';

const RUNS = 5;
const DATAGRAMS_PER_RUN = 100_000;
const WARM_UP = 50_000;
/** Bytes the 500,000 measured datagrams may allocate: far below one small object each (16 B x 500,000 = 8 MB). */
const BOUND_BYTES = 256 * 1024;

/**
 * Heap growth of RUNS x DATAGRAMS_PER_RUN datagrams: the least growth of RUNS runs of `run(DATAGRAMS_PER_RUN)`,
 * each without a collection inside it, times RUNS (module comment).
 */
async function heapGrowthWithoutGc(run: (datagrams: number) => void): Promise<number> {
  let gcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    run(WARM_UP); // optimised code
    run(WARM_UP);
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < RUNS; i++) {
      let growth: number | null = null;
      for (let attempt = 0; attempt < 5 && growth === null; attempt++) {
        await yieldToLoop();
        gcs = [];
        const start = performance.now();
        const before = process.memoryUsage().heapUsed;
        run(DATAGRAMS_PER_RUN);
        const after = process.memoryUsage().heapUsed;
        const end = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
        growth = gcs.some((t) => t >= start && t <= end) ? null : after - before;
      }
      expect(growth, 'a run without garbage collection').not.toBeNull();
      least = Math.min(least, growth!);
    }
    return least * RUNS;
  } finally {
    observer.disconnect();
  }
}

describe('UdpSocket allocation', () => {
  const bind = SocketAddress.of({ host: '127.0.0.1', port: 0, family: 4 });
  const sender = UdpSocket.open({ bind });
  const receiver = UdpSocket.open({ bind, socketRcvbufLength: 1024 * 1024 });
  afterAll(() => {
    sender.close();
    receiver.close();
  });

  it('sendTo + receive: 500,000 datagrams allocate nothing per datagram', async () => {
    const direct = allocateDirectBuffer(4096);
    const heap = new AtomicBuffer(new ArrayBuffer(8192), 64, 4096);
    const into = allocateDirectBuffer(65536);
    const from = new SocketAddress();
    const to = receiver.localAddress;
    const source = sender.localAddress;
    let received = 0;
    let mismatches = 0;
    const run = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const buffer = (i & 1) === 0 ? direct : heap;
        buffer.putInt32(8, i);
        while (sender.sendTo(buffer, 8, 32, to) === 0) {} // loopback: a full socket buffer drains at once
        let length = receiver.receive(into, 0, into.capacity, from);
        while (length === 0) length = receiver.receive(into, 0, into.capacity, from);
        if (length !== 32 || into.getInt32(0) !== i || !from.equals(source)) mismatches++;
        received++;
      }
    };
    const growth = await heapGrowthWithoutGc(run);
    expect(mismatches).toBe(0);
    expect(received).toBeGreaterThanOrEqual(WARM_UP + RUNS * DATAGRAMS_PER_RUN);
    expect(growth).toBeLessThan(BOUND_BYTES);
  });

  it('sendBatch + receiveBatch (sendmmsg/recvmmsg, 4 a call): 500,000 datagrams allocate nothing', async () => {
    const out = allocateDirectBuffer(4096);
    const into = allocateDirectBuffer(4 * 2048);
    const sendBatch = new DatagramBatch(4);
    const receiveBatch = new DatagramBatch(4);
    const to = receiver.localAddress;
    const source = sender.localAddress;
    for (let i = 0; i < 4; i++) receiveBatch.set(i, into, i * 2048, 2048, new SocketAddress());
    let mismatches = 0;
    let received = 0;
    const run = (datagrams: number): void => {
      for (let n = 0; n < datagrams; n += 4) {
        for (let i = 0; i < 4; i++) {
          out.putInt32(i * 64, n + i);
          sendBatch.set(i, out, i * 64, 32, to);
        }
        let sent = sender.sendBatch(sendBatch, 4);
        while (sent === 0) sent = sender.sendBatch(sendBatch, 4);
        if (sent !== 4) mismatches++; // loopback never sends part of a batch this small
        let got = 0;
        while (got < 4) {
          const count = receiver.receiveBatch(receiveBatch, 4 - got);
          for (let i = 0; i < count; i++) {
            const ok = receiveBatch.length(i) === 32 && into.getInt32(i * 2048) === n + got + i;
            if (!ok || !receiveBatch.address(i)!.equals(source)) mismatches++;
          }
          got += count;
        }
        received += got;
      }
    };
    const growth = await heapGrowthWithoutGc(run);
    expect(mismatches).toBe(0);
    expect(received).toBeGreaterThanOrEqual(WARM_UP + RUNS * DATAGRAMS_PER_RUN);
    expect(growth).toBeLessThan(BOUND_BYTES);
  });
});
