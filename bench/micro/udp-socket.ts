/**
 * How the TS media driver's datagrams should leave and arrive (issue 17, "Sockets"): Node's `dgram` against
 * non-blocking libc sockets through koffi, on loopback, in one process, one thread.
 *
 * ```bash
 * node --import tsx bench/micro/udp-socket.ts [reps=5] [datagramsPerSample=100000]
 * ```
 *
 * Send side, per datagram of 32 B and 1,408 B (Aeron's default MTU payload): `dgram` `send` with a callback
 * (batches of 1,000 in flight, the sample ends when every callback ran), koffi `sendto` with the buffer and
 * destination addresses as number arguments, `UdpSocket.sendTo` (`sendmsg` over native headers, the driver's
 * path), and `UdpSocket.sendBatch` (`sendmmsg`) with batches of 4 (Aeron C's default io vector), 8 and 32. The receiving socket is never read: the
 * kernel drops what does not fit its buffer after the same copy, so every case pays the same kernel path.
 *
 * Receive side: the receiving socket (SO_RCVBUF 4 MiB) is filled to a fixed count by `UdpSocket.sendTo`
 * (untimed), then drained (timed) by `recvfrom` (koffi, addresses as arguments), `UdpSocket.receive` (`recvmsg`),
 * `UdpSocket.receiveBatch` (`recvmmsg`) batches of 4, 8 and 32, and `dgram`'s `'message'` events; plus the cost of an empty poll (EAGAIN),
 * which an idle duty cycle pays every cycle.
 *
 * Each sample times `datagramsPerSample` datagrams (receive: fills of `FILL` datagrams until that many); the
 * cases rotate their order every repetition; the figures are medians over `reps` repetitions: datagrams per
 * second (wall), ns per datagram (wall), CPU µs per datagram (`process.cpuUsage`, user + system), and the
 * heap bytes allocated per datagram (growth of `heapUsed` over a separate probe of 2,000 datagrams with no
 * collection inside it, 5 tries; `gc` when every try collected; includes the sample's own few hundred bytes of
 * timing, < 1 B per datagram). Prints a table and one JSON line.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import { PerformanceObserver } from 'node:perf_hooks';
import { DatagramBatch } from '../../src/driver/media/datagram-batch.ts';
import { libcSocket } from '../../src/driver/media/libc-socket.ts';
import { allocateDirectBuffer, nativeAddress } from '../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../src/driver/media/udp-socket.ts';

const REPS = Number(process.argv[2] ?? 5);
const PER_SAMPLE = Number(process.argv[3] ?? 100_000);
/** Datagrams per sample: PER_SAMPLE when timing, PROBE_SAMPLE for a heap probe. */
let perSample = PER_SAMPLE;
/** Datagrams of a heap probe: few enough that a probe without a collection is likely even at ~300 B each. */
const PROBE_SAMPLE = 2000;
let gcCount = 0;
new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });
const SIZES = [32, 1408] as const;
/** Datagrams put in the receive buffer per fill: fits 4 MiB of SO_RCVBUF at 1,408 B (truesize ~2.3 KiB). */
const FILL = 1000;

interface Sample {
  readonly ns: number;
  readonly cpuNs: number;
  readonly heapBytes: number;
}
type Case = (size: number) => Promise<Sample>;

const c = libcSocket();
const loopback = (port = 0): SocketAddress => SocketAddress.of({ host: '127.0.0.1', port, family: 4 });
const sink = UdpSocket.open({ bind: loopback(), socketRcvbufLength: 4 * 1024 * 1024 });
const sender = UdpSocket.open({ bind: loopback() });
const to = sink.localAddress;
const source = allocateDirectBuffer(64 * 1024);
const sourceBase = nativeAddress(source);
const into = allocateDirectBuffer(64 * 1024 * 32);
const intoBase = nativeAddress(into);
const from = new SocketAddress();
const fromLength = new SocketAddress(); // its socklen slot serves recvfrom
const sendBatch = new DatagramBatch(32);
const receiveBatch = new DatagramBatch(32);
for (let i = 0; i < 32; i++) receiveBatch.set(i, into, i * 65536, 65536, new SocketAddress());

async function timed(count: number, body: () => void | Promise<void>): Promise<Sample> {
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await body();
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const heap = process.memoryUsage().heapUsed - heap0;
  return { ns: ns / count, cpuNs: ((cpu.user + cpu.system) * 1000) / count, heapBytes: heap / count };
}

function drainSink(): void {
  while (sink.receive(into, 0, 65536, from) > 0) {}
}

// ---- send side ----

/** The `dgram` sender, bound once (its set-up is not part of a sample). */
const dgramSender = dgram.createSocket('udp4');
dgramSender.bind(0, '127.0.0.1');
await once(dgramSender, 'listening');
const payloads = new Map(SIZES.map((size) => [size as number, Buffer.alloc(size)]));

const sendDgram: Case = async (size) => {
  const payload = payloads.get(size)!;
  const port = to.port();
  const result = await timed(perSample, async () => {
    for (let sent = 0; sent < perSample; sent += 1000) {
      await new Promise<void>((resolve, reject) => {
        let done = 0;
        const callback = (error: Error | null): void => {
          if (error) reject(error);
          else if (++done === 1000) resolve();
        };
        for (let i = 0; i < 1000; i++) dgramSender.send(payload, 0, size, port, '127.0.0.1', callback);
      });
    }
  });
  drainSink();
  return result;
};

const sendSendto: Case = async (size) => {
  const fd = sender.fd;
  const result = await timed(perSample, () => {
    for (let i = 0; i < perSample; i++) {
      if (c.sendto(fd, sourceBase + (i & 7) * 8, size, 0, to.nativeAddress, 16) !== size) throw new Error('sendto');
    }
  });
  drainSink();
  return result;
};

const sendUdpSocket: Case = async (size) => {
  const result = await timed(perSample, () => {
    for (let i = 0; i < perSample; i++) {
      if (sender.sendTo(source, (i & 7) * 8, size, to) !== size) throw new Error('sendTo');
    }
  });
  drainSink();
  return result;
};

function sendMmsg(batch: number): Case {
  return async (size) => {
    const result = await timed(perSample, () => {
      for (let sent = 0; sent < perSample; sent += batch) {
        for (let i = 0; i < batch; i++) sendBatch.set(i, source, i * 8, size, to); // as a sender would per datagram
        if (sender.sendBatch(sendBatch, batch) !== batch) throw new Error('sendmmsg');
      }
    });
    drainSink();
    return result;
  };
}

// ---- receive side ----

function fill(size: number, count: number): void {
  for (let i = 0; i < count; i++) {
    if (sender.sendTo(source, 0, size, to) !== size) throw new Error('fill');
  }
}

/** Fills, then times the drain of FILL datagrams by `drain` (which returns datagrams drained, 0 when empty). */
function receiveCase(drain: (size: number) => number): Case {
  return async (size) => {
    drainSink();
    let ns = 0;
    let cpuNs = 0;
    let heapBytes = 0;
    let total = 0;
    while (total < perSample) {
      fill(size, FILL);
      const sample = await timed(FILL, () => {
        let got = 0;
        while (got < FILL) {
          const n = drain(size);
          if (n === 0) throw new Error(`receive buffer held only ${got} of ${FILL} datagrams of ${size} B`);
          got += n;
        }
      });
      ns += sample.ns * FILL;
      cpuNs += sample.cpuNs * FILL;
      heapBytes += sample.heapBytes * FILL;
      total += FILL;
    }
    return { ns: ns / total, cpuNs: cpuNs / total, heapBytes: heapBytes / total };
  };
}

const receiveRecvfrom = receiveCase((size) => {
  fromLength.setLengthSlot(28);
  const n = c.recvfrom(sink.fd, intoBase, 65536, 0, from.nativeAddress, fromLength.nativeLengthSlot);
  if (n > 0 && n !== size) throw new Error('recvfrom');
  return n > 0 ? 1 : 0;
});

const receiveUdpSocket = receiveCase((size) => {
  const n = sink.receive(into, 0, 65536, from);
  if (n > 0 && n !== size) throw new Error('receive');
  return n > 0 ? 1 : 0;
});

function receiveMmsg(batch: number): Case {
  return receiveCase((size) => {
    const n = sink.receiveBatch(receiveBatch, batch);
    if (n > 0 && receiveBatch.length(0) !== size) throw new Error('recvmmsg');
    return n;
  });
}

const receiveDgram: Case = async (size) => {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const target = loopback(socket.address().port);
  let received = 0;
  let wanted = 0;
  let wake: (() => void) | null = null;
  socket.on('message', (message) => {
    if (message.length !== size) throw new Error('dgram message');
    if (++received === wanted) wake?.();
  });
  try {
    let ns = 0;
    let cpuNs = 0;
    let heapBytes = 0;
    for (let total = 0; total < perSample; total += FILL) {
      for (let i = 0; i < FILL; i++) sender.sendTo(source, 0, size, target);
      received = 0;
      wanted = FILL;
      const sample = await timed(
        FILL,
        () =>
          new Promise<void>((resolve) => {
            wake = resolve;
          }),
      );
      ns += sample.ns * FILL;
      cpuNs += sample.cpuNs * FILL;
      heapBytes += sample.heapBytes * FILL;
    }
    return { ns: ns / perSample, cpuNs: cpuNs / perSample, heapBytes: heapBytes / perSample };
  } finally {
    socket.close();
  }
};

const emptyPoll: Case = async () => {
  drainSink();
  return timed(perSample, () => {
    for (let i = 0; i < perSample; i++) if (sink.receive(into, 0, 65536, from) !== 0) throw new Error('not empty');
  });
};

const CASES: ReadonlyArray<readonly [string, Case, boolean]> = [
  ['send dgram (callback)', sendDgram, true],
  ['send koffi sendto', sendSendto, true],
  ['send UdpSocket.sendTo (sendmsg)', sendUdpSocket, true],
  ['send UdpSocket.sendBatch (sendmmsg) x4', sendMmsg(4), true],
  ['send sendmmsg x8', sendMmsg(8), true],
  ['send sendmmsg x32', sendMmsg(32), true],
  ['receive dgram (message event)', receiveDgram, true],
  ['receive koffi recvfrom', receiveRecvfrom, true],
  ['receive UdpSocket.receive (recvmsg)', receiveUdpSocket, true],
  ['receive UdpSocket.receiveBatch (recvmmsg) x4', receiveMmsg(4), true],
  ['receive recvmmsg x8', receiveMmsg(8), true],
  ['receive recvmmsg x32', receiveMmsg(32), true],
  ['empty poll UdpSocket.receive (EAGAIN)', emptyPoll, false],
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Heap bytes per datagram over a PROBE_SAMPLE run with no collection inside it (5 tries), or null. */
async function heapProbe(run: Case, size: number): Promise<number | null> {
  perSample = PROBE_SAMPLE;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const before = gcCount;
      const sample = await run(size);
      await new Promise((resolve) => setTimeout(resolve, 10)); // gc entries arrive asynchronously
      if (gcCount === before) return sample.heapBytes;
    }
    return null;
  } finally {
    perSample = PER_SAMPLE;
  }
}

async function main(): Promise<void> {
  const samples = new Map<string, Sample[]>();
  // Warm-up: every case once, untimed (JIT).
  for (const [, run, sized] of CASES) for (const size of sized ? SIZES : [0]) await run(size);
  for (let rep = 0; rep < REPS; rep++) {
    const order = CASES.map((_, i) => CASES[(i + rep) % CASES.length]!);
    for (const [name, run, sized] of order) {
      for (const size of sized ? SIZES : [0]) {
        const key = sized ? `${name} | ${size}` : `${name} | -`;
        const sample = await run(size);
        const heapBytes = (await heapProbe(run, size)) ?? Number.NaN;
        samples.set(key, [...(samples.get(key) ?? []), { ...sample, heapBytes }]);
      }
    }
  }
  const rows = [...samples].map(([key, list]) => {
    const ns = median(list.map((s) => s.ns));
    const probes = list.map((s) => s.heapBytes).filter((b) => !Number.isNaN(b));
    const heap = probes.length === 0 ? null : median(probes);
    return {
      case: key,
      datagramsPerSecond: Math.round(1e9 / ns),
      nsPerDatagram: Math.round(ns),
      cpuUsPerDatagram: Number((median(list.map((s) => s.cpuNs)) / 1000).toFixed(2)),
      heapBytesPerDatagram: heap === null ? 'gc' : Number(Math.max(0, heap).toFixed(1)),
    };
  });
  console.log('| case | size | datagrams/s | ns/datagram | CPU µs/datagram | heap B/datagram |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const [name, size] = row.case.split(' | ');
    console.log(
      `| ${name} | ${size} | ${row.datagramsPerSecond.toLocaleString('en-US')} | ${row.nsPerDatagram} | ${row.cpuUsPerDatagram} | ${row.heapBytesPerDatagram} |`,
    );
  }
  console.log(JSON.stringify({ reps: REPS, perSample: PER_SAMPLE, rows }));
  sink.close();
  sender.close();
  dgramSender.close();
}

await main();
