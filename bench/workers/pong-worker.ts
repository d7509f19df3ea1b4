/**
 * Pong thread of the round-trip cases: its own aeron-ts client (invoker mode), a subscription on the ping
 * stream and an exclusive publication on the pong stream; every ping is echoed at once (offer retried
 * until accepted), busy-polling one fragment at a time until main sets STOP.
 */
import { parentPort, workerData as rawWorkerData } from 'node:worker_threads';
import { Aeron } from '../../src/client/aeron.ts';
import type { ReadableBuffer } from '../../src/logbuffer/index.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';
import { type PongWorkerData, READY, STOP } from './worker-control.ts';

const data = rawWorkerData as PongWorkerData;
const control = data.control;

const aeron = await Aeron.connect({
  aeronDir: data.aeronDir,
  useConductorAgentInvoker: true,
  driverTimeoutMs: 20_000,
  preTouchMappedMemory: true,
});
const subscription = await aeron.addSubscription(data.pingChannel, data.pingStreamId);
const publication = await aeron.addExclusivePublication(data.pongChannel, data.pongStreamId);
const scratch = new Uint8Array(64 * 1024);
Atomics.store(control, READY, 1);

let echoed = 0;
const echo = (buffer: ReadableBuffer, offset: number, length: number): void => {
  // Java's Pong offers straight from the term buffer (one copy): do the same through the term's byte view
  // when the fragment comes from an AtomicBuffer (always, on this path), else copy it out first
  let source: Uint8Array = scratch;
  let sourceOffset = 0;
  if (buffer instanceof AtomicBuffer) {
    source = buffer.bytes;
    sourceOffset = offset;
  } else {
    buffer.getBytes(offset, scratch, 0, length);
  }
  // busy retry, as Java's Pong; the conductor duty cycle keeps running meanwhile (Java's runs on its own
  // thread), so a long stall cannot time this client out
  for (let retries = 1; publication.offer(source, sourceOffset, length) < 0; retries++) {
    if ((retries & 1023) === 0) aeron.doWork();
  }
  echoed++;
};

for (let iteration = 1; ; iteration++) {
  subscription.poll(echo, 1);
  if ((iteration & 4095) === 0) {
    aeron.doWork();
    if (Atomics.load(control, STOP) !== 0) break;
  }
}
subscription.close();
publication.close();
aeron.close();
parentPort!.postMessage({ echoed });
