/**
 * Bounds a Promise the archive client does not control (a call on the Aeron client: connect, add publication,
 * add subscription, next session id) by the archive call's `AbortSignal` and deadline.
 *
 * ```
 *   promise ──resolves first──▶ value
 *   signal aborts / deadline ──▶ ArchiveAbortedError (cause = signal.reason) / ArchiveTimeoutError
 *                                 └ a value that arrives afterwards is handed to `release` (closed), never leaked
 * ```
 */
import { ArchiveAbortedError, ArchiveTimeoutError } from './archive-error.ts';

/** The bounds of one step: the call's signal and the time left until its deadline (ms, Infinity = none). */
export interface StepBounds {
  /** Rejects the step with `ArchiveAbortedError` when it aborts. */
  readonly signal?: AbortSignal | undefined;
  /** Time left until the call's deadline in ms; rejects with `ArchiveTimeoutError` after it (default none). */
  readonly remainingMs?: number;
}

/**
 * Settles with `promise`, or rejects with `ArchiveAbortedError` when `bounds.signal` aborts (at once when it
 * already has) or `ArchiveTimeoutError` when `bounds.remainingMs` passes, naming `what`. A value that arrives after
 * that is passed to `release`.
 */
export function abortable<T>(
  promise: Promise<T>,
  what: string,
  bounds: StepBounds,
  release: (late: T) => void = () => {},
): Promise<T> {
  const { signal } = bounds;
  const remainingMs = bounds.remainingMs ?? Number.POSITIVE_INFINITY;
  if (signal === undefined && remainingMs === Number.POSITIVE_INFINITY) return promise;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== null) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (finish()) reject(new ArchiveAbortedError(`${what} aborted`, { cause: signal?.reason }));
    };
    promise.then(
      (value) => {
        if (finish()) {
          resolve(value);
          return;
        }
        try {
          release(value);
        } catch {
          // quietly, as a close after the fact: the caller has its rejection already
        }
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (remainingMs !== Number.POSITIVE_INFINITY) {
      timer = setTimeout(
        () => {
          if (finish()) reject(new ArchiveTimeoutError(`${what}: deadline passed`));
        },
        Math.max(0, remainingMs),
      );
    }
  });
}
