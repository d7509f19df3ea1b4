/**
 * `UdpSocket.sendTo` and `receive` allocate nothing per datagram (issue 17's hot-path rule), measured as
 * test/driver/ipc-allocation.test.ts measures the IPC path: the V8 heap's used size around a synchronous run with
 * no garbage collection inside it. 500,000 send+receive round trips (five runs of 100,000) on loopback (IPv4, 32-byte datagrams from a
 * direct buffer, a mapped-file-like window of a heap buffer as the second source, `from` filled in place and
 * compared with `equals`). One 16-byte object per datagram would be 8 MB, 30 times the bound. (Passing buffer
 * addresses to `sendto`/`recvfrom` as arguments allocated 13 bytes per round trip: see libc-socket.ts.)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';

/** Measured in runs of 100,000 round trips, each repeated until no collection ran inside it. */
const RUNS = 5;
const ROUND_TRIPS_PER_RUN = 100_000;
/** Bytes the 500,000 measured round trips may allocate: far below one small object per datagram (16 B x 500,000 = 8 MB). */
const BOUND_BYTES = 256 * 1024;

describe('UdpSocket allocation', () => {
  const bind = SocketAddress.of({ host: '127.0.0.1', port: 0, family: 4 });
  const sender = UdpSocket.open({ bind });
  const receiver = UdpSocket.open({ bind });
  afterAll(() => {
    sender.close();
    receiver.close();
  });

  it('sends and receives 500,000 datagrams allocating nothing per datagram', async () => {
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
    let gcs: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcs.push(entry.startTime);
    });
    observer.observe({ entryTypes: ['gc'] });
    try {
      /** Heap growth over `run`, or null when a collection ran meanwhile (the figure then says nothing). */
      const heapGrowth = async (): Promise<number | null> => {
        await yieldToLoop();
        gcs = [];
        const start = performance.now();
        const before = process.memoryUsage().heapUsed;
        run(ROUND_TRIPS_PER_RUN);
        const after = process.memoryUsage().heapUsed;
        const end = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return gcs.some((t) => t >= start && t <= end) ? null : after - before;
      };
      run(50_000); // warm up: optimised code
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        let growth: number | null = null;
        for (let attempt = 0; attempt < 5 && growth === null; attempt++) growth = await heapGrowth();
        expect(growth, 'a run without garbage collection').not.toBeNull();
        total += growth!;
      }
      expect(mismatches).toBe(0);
      expect(received).toBeGreaterThanOrEqual(50_000 + RUNS * ROUND_TRIPS_PER_RUN);
      expect(total).toBeLessThan(BOUND_BYTES);
    } finally {
      observer.disconnect();
    }
  });
});
