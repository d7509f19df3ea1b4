/**
 * What the launching thread and a SHARED driver's worker (`shared-driver-worker.ts`) exchange: the worker's
 * start data, its messages, the control word, and errors as plain data (class identity does not survive
 * `postMessage`).
 *
 * ```
 *  control word (SharedArrayBuffer, Int32 x 1):  0 RUNNING  ->  1 STOP (set by close, then Atomics.notify)
 *  worker -> launching thread:
 *    ready | failed { error }                    start-up
 *    termination-request { token }               TERMINATE_DRIVER, when the options have a terminationValidator:
 *                                                the launching thread runs it (and, allowed, closes, then the hook)
 *    error { error }                             a driver error, when the options have an errorHandler: rebuilt
 *                                                as a typed AeronError (toAeronError) for it
 *    closed                                      the duty cycle stopped, the driver closed
 * ```
 *
 * Functions do not cross threads: the options' `terminationValidator`, `terminationHook` and `errorHandler` stay on
 * the launching thread, and the worker data says which of them exist (`forwardTermination`, `forwardErrors`).
 */
import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { ControlProtocolError, MediaDriverError, type MediaDriverErrorCode } from './driver-error.ts';
import type { MediaDriverOptions } from './media-driver-context.ts';

/** Index of the state in the control word. */
export const CONTROL_STATE_INDEX = 0;
/** The duty cycle runs. */
export const CONTROL_RUNNING = 0;
/** The duty cycle stops, closes the driver and reports `closed`. */
export const CONTROL_STOP = 1;

/** The worker's `workerData`. */
export interface SharedDriverWorkerData {
  /** The options, without clocks, validator, hook or error handler (functions do not cross threads). */
  readonly options: MediaDriverOptions;
  /** The options have a `terminationValidator`: TERMINATE_DRIVER tokens are posted as `termination-request`. */
  readonly forwardTermination: boolean;
  /** The options have an `errorHandler`: the driver's errors are posted as `error` too. */
  readonly forwardErrors: boolean;
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
  /** A `ControlProtocolError`'s Aeron error code (`errorCode`). */
  readonly errorCode?: number;
  /** A `ControlProtocolError`'s Java exception class (`javaExceptionClass`), when it had one. */
  readonly javaExceptionClass?: string;
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
    }
  | {
      /** A client's TERMINATE_DRIVER, for the launching thread's `terminationValidator`. */
      readonly type: 'termination-request';
      /** A copy of the command's token. */
      readonly token: Uint8Array;
    }
  | {
      /** An error of the driver's own (already in the distinct error log), for the `errorHandler` option. */
      readonly type: 'error';
      /** The error. */
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
  const description: ErrorDescription = {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
  };
  if (!(error instanceof ControlProtocolError)) return description;
  return {
    ...description,
    errorCode: error.errorCode,
    ...(error.javaExceptionClass !== null ? { javaExceptionClass: error.javaExceptionClass } : {}),
  };
}

/**
 * A worker's driver error as a typed error on the launching thread (for the `errorHandler` option), its stack the
 * worker's: a `ControlProtocolError` with its Aeron error code when it was one, a `MediaDriverError` with its code
 * when it was one, else an `AeronError` with the original `name` and `code` (`DRIVER_ERROR` without one).
 */
export function toAeronError(description: ErrorDescription): AeronError {
  let error: AeronError;
  const code = DRIVER_ERROR_CODES.find((c) => c === description.code);
  if (description.errorCode !== undefined) {
    error = new ControlProtocolError(
      description.errorCode,
      description.message,
      description.javaExceptionClass !== undefined ? { javaExceptionClass: description.javaExceptionClass } : {},
    );
  } else if (description.name === 'MediaDriverError' && code !== undefined) {
    error = new MediaDriverError(code, description.message);
  } else {
    error = new AeronError(description.code ?? 'DRIVER_ERROR', description.message);
    error.name = description.name;
  }
  if (description.stack !== undefined) error.stack = description.stack;
  return error;
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
