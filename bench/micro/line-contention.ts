/**
 * What a spinning reader on another core costs a writer of 64-byte frames, in plain JS on shared memory (no Aeron
 * code): a worker writes `FRAMES` frames (length word as −length, five header words, eight payload words, then the
 * length; plain stores in that order, as the exclusive appender on x86-64) into a 64 MiB SharedArrayBuffer, while
 * this thread either follows it (`Atomics.load` of each next frame's length, spinning while it is 0, as `Image.poll`)
 * or waits for it to finish (pages pre-touched). Prints the writer's ns per frame for each mode, alternated `REPS` times.
 *
 * ```bash
 * node --import tsx bench/micro/line-contention.ts 5
 * ```
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTsWorker } from '../workers/spawn-ts-worker.ts';

const FRAME_WORDS = 16;
const FRAMES = (64 * 1024 * 1024) / (FRAME_WORDS * 4);

function write(words: Int32Array, control: Int32Array): void {
  while (Atomics.load(control, 0) === 0) {}
  const t0 = performance.now();
  for (let f = 0, w = 0; f < FRAMES; f++, w += FRAME_WORDS) {
    words[w + 1] = 0x01c00000;
    words[w] = -64;
    words[w + 2] = w << 2;
    words[w + 3] = 7;
    words[w + 4] = 1001;
    words[w + 5] = 3;
    for (let i = 8; i < 16; i++) words[w + i] = f + i;
    words[w] = 64;
  }
  parentPort!.postMessage(((performance.now() - t0) * 1e6) / FRAMES);
}

if (!isMainThread) {
  const { sab, control } = workerData as { sab: SharedArrayBuffer; control: SharedArrayBuffer };
  write(new Int32Array(sab), new Int32Array(control));
} else {
  const reps = Number(process.argv[2] ?? 5);
  const results: Record<string, number[]> = { follow: [], alone: [] };
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 === 0 ? ['follow', 'alone'] : ['alone', 'follow']) {
      const sab = new SharedArrayBuffer(FRAMES * FRAME_WORDS * 4);
      const control = new SharedArrayBuffer(4);
      const words = new Int32Array(sab);
      for (let i = 0; i < words.length; i += 1024) words[i] = 0; // pre-touch every 4 KiB page
      const worker = startTsWorker(new URL(import.meta.url), { sab, control });
      worker.on('error', (e) => process.stderr.write(`writer: ${String(e)}\n`));
      const done = new Promise<number>((resolve) => worker.once('message', resolve));
      await new Promise((r2) => setTimeout(r2, 200));
      Atomics.store(new Int32Array(control), 0, 1);
      if (mode === 'follow') {
        let sum = 0;
        for (let w = 0; w < words.length; w += FRAME_WORDS) {
          let length = Atomics.load(words, w);
          while (length <= 0) length = Atomics.load(words, w);
          sum += words[w + 8]!;
        }
        if (sum === 0.5) process.stdout.write('');
      }
      results[mode]!.push(await done);
      await worker.terminate();
    }
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  process.stdout.write(
    `${JSON.stringify({ node: process.version, follow: median(results.follow!), alone: median(results.alone!), results })}\n`,
  );
}
