/**
 * Command client of the `driver-*` cases: a bare client in its own thread that writes ADD_COUNTER on the
 * driver's to-driver ring buffer and busy-polls the to-clients broadcast for its ON_COUNTER_READY, timing
 * each round trip with `performance.now()`; then REMOVE_COUNTER, and a 1 ms pause (`Atomics.wait`) before the
 * next, so the driver is idle between commands as an application's would be. It runs off the main thread so
 * that the main thread can play a busy application (bench/cases/driver-runner-measure.ts).
 *
 * ```
 *  workerData: { aeronDir, warmupMs, measureMs, maxSamples }  ->  posts { samplesUs: number[] }
 * ```
 * Commands are in the Java client's layout: ADD_COUNTER (0x09) = clientId, correlationId, typeId, key length 0,
 * label length, label; REMOVE_COUNTER (0x0A) = clientId, correlationId, registrationId.
 */
import { join } from 'node:path';
import { parentPort, workerData as rawWorkerData } from 'node:worker_threads';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { BroadcastReceiver } from '../../src/transport/broadcast-receiver.ts';
import { CNC_FILE, cncRegions, validateCnc } from '../../src/transport/cnc-descriptor.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';

/** What the worker is given. */
export interface CommandClientWorkerData {
  readonly aeronDir: string;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly maxSamples: number;
}

const ADD_COUNTER = 0x09;
const REMOVE_COUNTER = 0x0a;
const ON_COUNTER_READY = 0x0f08;
const ON_ERROR = 0x0f01;
const COUNTER_TYPE_ID = 1001;
const LABEL = 'bench-command-rtt';
const PAUSE_MS = 1;
const REPLY_DEADLINE_MS = 10_000;

const data = rawWorkerData as CommandClientWorkerData;
const mapping = MappedFile.open(join(data.aeronDir, CNC_FILE));
const cnc = new AtomicBuffer(mapping.buffer);
const regions = cncRegions(cnc, validateCnc(cnc));
const ring = new ManyToOneRingBuffer(regions.toDriver);
const receiver = new BroadcastReceiver(regions.toClients);
const command = new AtomicBuffer(new ArrayBuffer(256));
const pause = new Int32Array(new SharedArrayBuffer(4));
const clientId = ring.nextCorrelationId();

function send(type: number, length: number): void {
  while (!ring.write(type, command, 0, length)) Atomics.wait(pause, 0, 0, PAUSE_MS);
}

function addCounter(correlationId: number): void {
  command.putInt64(0, clientId);
  command.putInt64(8, correlationId);
  command.putInt32(16, COUNTER_TYPE_ID);
  command.putInt32(20, 0);
  send(ADD_COUNTER, 24 + command.putStringAscii(24, LABEL));
}

function removeCounter(registrationId: number): void {
  command.putInt64(0, clientId);
  command.putInt64(8, ring.nextCorrelationId());
  command.putInt64(16, registrationId);
  send(REMOVE_COUNTER, 24);
}

/** Spins on the broadcast until ON_COUNTER_READY for `correlationId`; ON_ERROR for it throws. */
function awaitReady(correlationId: number): void {
  const deadline = performance.now() + REPLY_DEADLINE_MS;
  const buffer = receiver.buffer;
  for (;;) {
    while (receiver.receiveNext()) {
      const type = receiver.typeId();
      const offset = receiver.offset();
      const matches = buffer.getInt64(offset) === correlationId;
      if (!receiver.validate()) continue;
      if (matches && type === ON_COUNTER_READY) return;
      if (matches && type === ON_ERROR) throw new Error(`ADD_COUNTER ${correlationId} refused`);
    }
    if (performance.now() > deadline) throw new Error(`no ON_COUNTER_READY for ${correlationId}`);
  }
}

const samplesUs: number[] = [];
const start = performance.now();
const measureFrom = start + data.warmupMs;
const end = measureFrom + data.measureMs;
for (let now = start; now < end && samplesUs.length < data.maxSamples; now = performance.now()) {
  const correlationId = ring.nextCorrelationId();
  const t0 = performance.now();
  addCounter(correlationId);
  awaitReady(correlationId);
  const t1 = performance.now();
  if (t0 >= measureFrom) samplesUs.push((t1 - t0) * 1000);
  removeCounter(correlationId);
  Atomics.wait(pause, 0, 0, PAUSE_MS);
}
mapping.close();
parentPort!.postMessage({ samplesUs });
