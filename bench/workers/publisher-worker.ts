/**
 * Publisher thread of the throughput cases: its own aeron-ts client (invoker mode: the conductor runs
 * inside this loop), one exclusive or concurrent publication, offering one fixed message in a busy loop
 * (like Java's publisher thread) until main sets STOP. It never timestamps and allocates nothing per offer.
 */
import { parentPort, workerData as rawWorkerData } from 'node:worker_threads';
import { Aeron } from '../../src/client/aeron.ts';
import { type PublisherReport, type PublisherWorkerData, READY, STOP } from './worker-control.ts';

const data = rawWorkerData as PublisherWorkerData;
const control = data.control;

const aeron = await Aeron.connect({
  aeronDir: data.aeronDir,
  useConductorAgentInvoker: true,
  driverTimeoutMs: 20_000,
  preTouchMappedMemory: true,
});
const publication = data.exclusive
  ? await aeron.addExclusivePublication(data.channel, data.streamId)
  : await aeron.addPublication(data.channel, data.streamId);
const message = new Uint8Array(data.messageLength);
for (let i = 0; i < message.length; i++) message[i] = i & 0xff;
Atomics.store(control, READY, 1);

let sent = 0;
let backPressured = 0;
const length = message.length;
for (let iteration = 1; ; iteration++) {
  if (publication.offer(message, 0, length) > 0) sent++;
  else backPressured++;
  if ((iteration & 4095) === 0) {
    aeron.doWork();
    if (Atomics.load(control, STOP) !== 0) break;
  }
}
publication.close();
aeron.close();
const report: PublisherReport = { sent, backPressured };
parentPort!.postMessage(report);
