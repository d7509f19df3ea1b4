/**
 * Entry of the `worker_threads` worker that runs a SHARED driver (`shared-driver-thread.ts` starts it): maps
 * and creates the driver's files in this thread (`MediaDriverCore.create`), reports ready, then runs the duty
 * cycle with the backoff idle strategy until the launching thread flips the control word to STOP.
 *
 * ```
 *  workerData: { options (no functions), forwardTermination, forwardErrors, savedErrorsFile,
 *                control: SharedArrayBuffer (Int32 x 1) }
 *  -> { type: 'ready' }                   files created, conductor started
 *     duty cycle: doWork() -> idle(work) while control[0] == RUNNING (a park wakes on notify)
 *  -> { type: 'termination-request', token }   TERMINATE_DRIVER (forwardTermination; here it is denied: the
 *                                         launching thread decides and stops this worker through close)
 *  -> { type: 'error', error }            each driver error (forwardErrors), beside the error log
 *  -> { type: 'closed' }                  core closed: heartbeat -1, files unmapped, dir deleted if asked
 *  -> { type: 'failed', error }           creation failed (nothing left mapped); the worker then exits
 * ```
 *
 * The duty cycle blocks this thread's event loop on purpose: nothing else runs here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BackoffIdleStrategy } from './backoff-idle-strategy.ts';
import { type MediaDriverContext, resolveMediaDriverContext } from './media-driver-context.ts';
import { MediaDriverCore } from './media-driver-core.ts';
import {
  CONTROL_RUNNING,
  CONTROL_STATE_INDEX,
  describeError,
  type SharedDriverMessage,
  type SharedDriverWorkerData,
} from './shared-driver-protocol.ts';

function post(message: SharedDriverMessage): void {
  parentPort?.postMessage(message);
}

/**
 * The resolved options with the launching thread's functions stood in for by messages: the validator posts the
 * token and denies here; the error handler posts the error.
 */
function workerContext(data: SharedDriverWorkerData): MediaDriverContext {
  const context = resolveMediaDriverContext(data.options);
  return {
    ...context,
    ...(data.forwardTermination
      ? {
          terminationValidator: (token: Uint8Array): boolean => {
            post({ type: 'termination-request', token });
            return false;
          },
        }
      : {}),
    ...(data.forwardErrors
      ? { errorHandler: (error: unknown): void => post({ type: 'error', error: describeError(error) }) }
      : {}),
  };
}

function run(data: SharedDriverWorkerData): void {
  const control = new Int32Array(data.control);
  let core: MediaDriverCore;
  try {
    core = MediaDriverCore.create(workerContext(data), data.savedErrorsFile);
  } catch (e) {
    post({ type: 'failed', error: describeError(e) });
    return;
  }
  post({ type: 'ready' });
  const agent = core.agent;
  const idle = new BackoffIdleStrategy(control, CONTROL_STATE_INDEX, CONTROL_RUNNING);
  while (Atomics.load(control, CONTROL_STATE_INDEX) === CONTROL_RUNNING) {
    let work = 0;
    try {
      work = agent.doWork();
    } catch (e) {
      core.onDutyCycleError(e);
    }
    idle.idle(work);
  }
  try {
    core.close();
  } finally {
    post({ type: 'closed' });
  }
}

run(workerData as SharedDriverWorkerData);
