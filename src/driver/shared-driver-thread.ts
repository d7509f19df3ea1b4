/**
 * The launching thread's side of a SHARED driver: starts the `worker_threads` worker that owns the driver
 * (`shared-driver-worker.ts`), waits for it to be ready, and stops it.
 *
 * ```
 *  start:  new Worker(entry, { workerData })  -> 'ready' (resolve) | 'failed' (reject, typed) | exit / deadline
 *          | signal aborted (the worker is stopped, its files closed: reject ABORTED)
 *  close:  control := STOP, Atomics.notify (wakes a park) -> 'closed' and exit
 *          deadline passed (a duty cycle that never returns) -> worker.terminate()
 *  running: 'termination-request' -> handlers.onTerminationRequest(token); 'error' -> handlers.onError(error)
 *           (neither once close has been called)
 * ```
 *
 * From source (`.ts`, under tsx or vitest) the worker's entry is a small eval'd bootstrap that registers tsx's
 * loader first: Node 20 does not apply the parent's `--import tsx` to a worker's entry module. The built
 * package (`.js`) starts the entry directly. The worker keeps the process alive until `close`, as Java's
 * driver threads do.
 */
import { Worker } from 'node:worker_threads';
import { MediaDriverError } from './driver-error.ts';
import type { MediaDriverOptions } from './media-driver-context.ts';
import {
  CONTROL_STATE_INDEX,
  CONTROL_STOP,
  type ErrorDescription,
  type SharedDriverMessage,
  type SharedDriverWorkerData,
  toMediaDriverError,
} from './shared-driver-protocol.ts';

/** What the launching thread does with the worker's messages while the driver runs. */
export interface SharedDriverHandlers {
  /** A client's TERMINATE_DRIVER token (sent only when the options have a `terminationValidator`). */
  readonly onTerminationRequest?: (token: Uint8Array) => void;
  /** A driver error as plain data (sent only when the options have an `errorHandler`). */
  readonly onError?: (error: ErrorDescription) => void;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './shared-driver-worker.ts' : './shared-driver-worker.js', import.meta.url);

/** How long a worker may take to start (a tsx compile on 2 loaded cores) or to stop. */
export const SHARED_DRIVER_THREAD_TIMEOUT_MS = 60_000;

function startWorker(workerData: SharedDriverWorkerData): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsx)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** See the module comment. */
export class SharedDriverThread {
  readonly #worker: Worker;
  readonly #control: Int32Array;
  readonly #exited: Promise<number>;
  #failure: Error | null = null;
  #closing = false;

  private constructor(worker: Worker, control: Int32Array, handlers: SharedDriverHandlers) {
    this.#worker = worker;
    this.#control = control;
    this.#exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('error', (e) => {
      this.#failure = e;
    });
    worker.on('message', (message: SharedDriverMessage) => {
      if (this.#closing) return;
      if (message.type === 'termination-request') handlers.onTerminationRequest?.(message.token);
      else if (message.type === 'error') handlers.onError?.(message.error);
    });
  }

  /**
   * Starts the worker on a prepared directory; resolves once the driver's files exist and its conductor runs.
   * Rejects with `MediaDriverError` (the worker's, or DIRECTORY for a file it could not create; CLOSED when the
   * worker died or did not start within `timeoutMs`). `handlers` get the worker's termination requests and errors
   * while it runs.
   */
  static async start(
    options: MediaDriverOptions,
    savedErrorsFile: string | null,
    timeoutMs = SHARED_DRIVER_THREAD_TIMEOUT_MS,
    signal?: AbortSignal,
    handlers: SharedDriverHandlers = {},
  ): Promise<SharedDriverThread> {
    const {
      epochClock: _epochClock,
      nanoClock: _nanoClock,
      terminationValidator,
      terminationHook: _terminationHook,
      errorHandler,
      ...plainOptions
    } = options;
    const control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const worker = startWorker({
      options: plainOptions,
      forwardTermination: terminationValidator !== undefined,
      forwardErrors: errorHandler !== undefined,
      savedErrorsFile,
      control,
    });
    const thread = new SharedDriverThread(worker, new Int32Array(control), handlers);
    const message = await thread.#next(timeoutMs, signal);
    if (message?.type === 'ready' && signal?.aborted !== true) return thread;
    if (message?.type === 'ready') {
      await thread.close();
    } else {
      await worker.terminate();
    }
    if (signal?.aborted === true) {
      throw new MediaDriverError('ABORTED', 'MediaDriver.launch aborted', { cause: signal.reason });
    }
    if (message?.type === 'failed') throw toMediaDriverError(message.error);
    throw new MediaDriverError('CLOSED', `the driver's worker thread did not start: ${thread.#reason(timeoutMs)}`, {
      cause: thread.#failure,
    });
  }

  /** Stops the duty cycle and waits until the worker has closed the driver and exited. Idempotent. */
  async close(timeoutMs = SHARED_DRIVER_THREAD_TIMEOUT_MS): Promise<void> {
    this.#closing = true;
    Atomics.store(this.#control, CONTROL_STATE_INDEX, CONTROL_STOP);
    Atomics.notify(this.#control, CONTROL_STATE_INDEX);
    const exited = await Promise.race([this.#exited.then(() => true), delay(timeoutMs, false)]);
    if (!exited) await this.#worker.terminate();
  }

  /** The worker's next message, or null when it exits, `timeoutMs` passes or `signal` aborts first. */
  #next(timeoutMs: number, signal: AbortSignal | undefined): Promise<SharedDriverMessage | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const onMessage = (message: SharedDriverMessage): void => {
        if (message.type !== 'termination-request' && message.type !== 'error') done(message);
      };
      const onExit = (): void => done(null);
      const onAbort = (): void => done(null);
      const worker = this.#worker;
      function done(message: SharedDriverMessage | null): void {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        resolve(message);
      }
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      if (signal?.aborted === true) done(null);
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #reason(timeoutMs: number): string {
    return this.#failure !== null ? String(this.#failure) : `no message within ${timeoutMs} ms or the worker exited`;
  }
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(value), ms);
    timer.unref();
  });
}
