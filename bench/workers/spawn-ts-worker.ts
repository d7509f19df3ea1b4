/**
 * Starts a TypeScript module as a `worker_threads` worker. Node 20 does not run the parent's `--import tsx`
 * loader before a worker's entry module, so the worker's entry is a small eval'd bootstrap that registers
 * tsx's ESM hooks and then imports the TS module. `workerData` is handed through unchanged.
 */
import { Worker } from 'node:worker_threads';

const TSX_API = import.meta.resolve('tsx/esm/api');

export function startTsWorker(moduleUrl: URL, workerData: unknown): Worker {
  const code =
    `import(${JSON.stringify(TSX_API)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** Resolves with the worker's first message; rejects if it errors or exits first, or after `timeoutMs`. */
export function firstMessage<T>(worker: Worker, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no message from the worker within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: T): void => {
      cleanup();
      resolve(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`${what}: worker exited with code ${code} before reporting`));
    };
    function cleanup(): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
