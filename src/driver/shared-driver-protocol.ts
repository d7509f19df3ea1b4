/**
 * What the launching thread and a SHARED driver's worker (`shared-driver-worker.ts`) exchange: the worker's
 * start data, its messages, the control word, and errors as plain data (class identity does not survive
 * `postMessage`).
 *
 * ```
 *  control word (SharedArrayBuffer, Int32 x 1):  0 RUNNING  ->  1 STOP (set by close, then Atomics.notify)
 * ```
 */
import { MediaDriverError, type MediaDriverErrorCode } from './driver-error.ts';
import type { MediaDriverOptions } from './media-driver-context.ts';

/** Index of the state in the control word. */
export const CONTROL_STATE_INDEX = 0;
/** The duty cycle runs. */
export const CONTROL_RUNNING = 0;
/** The duty cycle stops, closes the driver and reports `closed`. */
export const CONTROL_STOP = 1;

/** The worker's `workerData`. */
export interface SharedDriverWorkerData {
  /** The options, without clocks (functions do not cross threads). */
  readonly options: MediaDriverOptions;
  /** Where the launching thread saved a stale driver's errors, or null. */
  readonly savedErrorsFile: string | null;
  /** The control word's buffer. */
  readonly control: SharedArrayBuffer;
}

/** An error as plain data. */
export interface ErrorDescription {
  /** The error's class name (`error.name`). */
  readonly name: string;
  /** Its message. */
  readonly message: string;
  /** Its `code`, when it had a string one (every `AeronError` has). */
  readonly code?: string;
  /** Its stack, when it had one. */
  readonly stack?: string;
}

/** A message from the worker. */
export type SharedDriverMessage =
  | {
      /** The files exist and the conductor runs. */
      readonly type: 'ready';
    }
  | {
      /** The duty cycle stopped and the driver closed. */
      readonly type: 'closed';
    }
  | {
      /** The driver could not be created; the worker exits. */
      readonly type: 'failed';
      /** Why. */
      readonly error: ErrorDescription;
    };

const DRIVER_ERROR_CODES: readonly MediaDriverErrorCode[] = [
  'ACTIVE_DRIVER',
  'CNC_NOT_INITIALISED',
  'INVALID_CONFIGURATION',
  'DIRECTORY',
  'CONTROL_PROTOCOL',
  'CLOSED',
  'ABORTED',
];

/** `error` as plain data. */
export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
  };
}

/**
 * A worker's error as a `MediaDriverError` on the launching thread: its own code when it was one, else
 * DIRECTORY (the worker only creates and maps the driver's files), the original named in the message.
 */
export function toMediaDriverError(description: ErrorDescription): MediaDriverError {
  const code = DRIVER_ERROR_CODES.find((c) => c === description.code);
  if (description.name === 'MediaDriverError' && code !== undefined) {
    return new MediaDriverError(code, description.message);
  }
  return new MediaDriverError('DIRECTORY', `${description.name}: ${description.message}`, { cause: description });
}
