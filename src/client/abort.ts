/**
 * `AbortSignal` support for the client's control operations (`Aeron.connect`, `add*`, destinations, …).
 *
 * A call given an already aborted signal rejects at once with `AeronAbortedError` (its `cause` is the signal's
 * `reason`) and sends nothing. A signal that aborts while the call waits rejects it at once too, and whatever
 * the call had started is released: a registration still in flight is removed from the driver (the matching
 * REMOVE command, as Java's `ClientConductor` does for an async registration removed before it was ready);
 * `Aeron.connect` unmaps what it mapped and stops its timers.
 */
import { AeronAbortedError } from './errors.ts';

/** Options of the client's asynchronous control operations. */
export interface AbortableOptions {
  /**
   * Aborts the operation: it rejects with `AeronAbortedError` (code `ABORTED`, `cause` = `signal.reason`),
   * at once when the signal is already aborted, else as soon as it aborts while the operation waits.
   */
  readonly signal?: AbortSignal | undefined;
}

/** The error for an operation `what` aborted by `signal`. */
export function abortedError(signal: AbortSignal, what: string): AeronAbortedError {
  return new AeronAbortedError(`${what} aborted`, { cause: signal.reason });
}

/** Throws `AeronAbortedError` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw abortedError(signal, what);
}

/** Resolves after `ms`; rejects with `AeronAbortedError` (and clears the timer) as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(abortedError(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal, what));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
