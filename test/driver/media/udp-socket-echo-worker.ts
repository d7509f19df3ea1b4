/**
 * Worker-thread side of udp-socket.test.ts: opens a UDP socket in the worker, posts its port, then polls
 * `receive` (no event loop involved: it never yields to it) and echoes `count` datagrams to their source.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';

const { count } = workerData as { count: number };
const socket = UdpSocket.open({ bind: SocketAddress.of({ host: '127.0.0.1', port: 0, family: 4 }) });
const buffer = allocateDirectBuffer(65536);
const from = new SocketAddress();
const park = new Int32Array(new SharedArrayBuffer(4));
parentPort!.postMessage(socket.localAddress.port());
const deadline = Date.now() + 60_000;
let echoed = 0;
while (echoed < count && Date.now() < deadline) {
  const length = socket.receive(buffer, 0, buffer.capacity, from);
  if (length === 0) {
    Atomics.wait(park, 0, 0, 0.1); // the duty cycle's idle strategy, roughly
    continue;
  }
  while (socket.sendTo(buffer, 0, length, from) === 0) Atomics.wait(park, 0, 0, 0.1);
  echoed++;
}
socket.close();
process.exitCode = echoed === count ? 0 : 1;
