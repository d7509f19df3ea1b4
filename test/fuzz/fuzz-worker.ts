/** Worker body: runs the targets the parent sends, one at a time, and posts each result. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTarget } from './run-target.ts';
import { findTarget } from './targets.ts';

export interface WorkerJob {
  readonly name: string;
  readonly runs: number;
  readonly seed: number;
  readonly path?: string | undefined;
}

const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress);
const port = parentPort;
if (port === null) throw new Error('fuzz-worker must run in a worker thread');
port.on('message', (job: WorkerJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  Atomics.store(progress, 0, 0);
  // Typed errors are thrown on most inputs: capturing their stacks dominates a fresh run. A replay
  // (--path) keeps full stacks for debugging.
  Error.stackTraceLimit = job.path === undefined ? 0 : 20;
  const result = runTarget(findTarget(job.name), { runs: job.runs, seed: job.seed, path: job.path, progress });
  port.postMessage(result);
});
port.postMessage('ready');
