/**
 * One-thread driver of the IPC data path for profiles and V8 traces: an exclusive or concurrent publication and
 * its image in one process (`harness/ipc-fixture.ts`, no media driver), offering `BATCH` messages of `LEN` bytes
 * then polling them, for `measureMs`; prints ns per offer and per polled fragment (offer and poll timed apart).
 *
 * ```bash
 * node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/micro/data-path-profile.ts exclusive 4000
 * node --import tsx --trace-turbo-inlining bench/micro/data-path-profile.ts exclusive 2000 | grep -i inlin
 * node --import tsx --trace-deopt bench/micro/data-path-profile.ts concurrent 2000
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcFixture } from '../../harness/ipc-fixture.ts';
import type { ReadableBuffer } from '../../src/logbuffer/index.ts';

const [kind = 'exclusive', measureMs = '4000'] = process.argv.slice(2);
const LEN = Number(process.env.LEN ?? 32);
const BATCH = Number(process.env.BATCH ?? 256);
const ADMIN_ACTION = -3;

const dir = mkdtempSync(join(tmpdir(), 'data-path-profile-'));
const fixture = new IpcFixture(kind === 'concurrent' ? 'concurrent' : 'exclusive', dir);
const { publication, subscription, driver } = fixture;
const message = new Uint8Array(LEN);
let received = 0;
const handler = (_b: ReadableBuffer, _o: number, length: number): void => {
  received += length;
};

function offerBatch(): void {
  let n = 0;
  while (n < BATCH) {
    const r = publication.offer(message, 0, LEN);
    if (r > 0) n++;
    else if (r !== ADMIN_ACTION) throw new Error(`offer ${r}`);
  }
}

function pollBatch(): number {
  let fragments = 0;
  for (;;) {
    const n = subscription.poll(handler, BATCH);
    if (n === 0) return fragments;
    fragments += n;
  }
}

let offerNs = 0;
let pollNs = 0;
let offers = 0;
let fragments = 0;
const end = performance.now() + Number(measureMs);
while (performance.now() < end) {
  for (let i = 0; i < 64; i++) {
    const t0 = performance.now();
    offerBatch();
    const t1 = performance.now();
    fragments += pollBatch();
    const t2 = performance.now();
    driver.duty();
    offerNs += (t1 - t0) * 1e6;
    pollNs += (t2 - t1) * 1e6;
    offers += BATCH;
  }
}
fixture.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ kind, node: process.version, offerNs: offerNs / offers, pollNs: pollNs / fragments, offers, received })}\n`,
);
