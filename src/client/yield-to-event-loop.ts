/**
 * The helper for Java-style polling loops.
 *
 * aeron-ts runs the client conductor (and the archive client's session) on the Node.js event loop, not on a
 * thread of its own. A loop that polls without ever giving the event loop a turn therefore starves them: a
 * Java-style `while (!asyncConnect.poll()) {}` or `while (!subscription.isConnected()) {}` spins forever,
 * because the work that would complete it never runs. Await this between polls instead:
 *
 * ```ts
 * let archive = null;
 * while ((archive = asyncConnect.poll()) === null) await yieldToEventLoop();
 * ```
 *
 * It resolves in the event loop's check phase (`setImmediate`), after pending I/O and timers have run, so a
 * loop that awaits it costs one event-loop turn per iteration and no sleep. Allocates a Promise per call:
 * it is for control loops, not the data path (a data loop is `poll()` inside a timer or `setImmediate`).
 */
import { AeronAbortedError } from './errors.ts';

/**
 * Resolves after the event loop has had one turn (timers, I/O, the Aeron conductor's duty cycle).
 *
 * @param signal rejects with `AeronAbortedError` (code `ABORTED`, the signal's reason as `cause`) when it is
 *   already aborted or aborts before the turn.
 */
export function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AeronAbortedError('aborted', { cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    if (signal === undefined) {
      setImmediate(resolve);
      return;
    }
    const onAbort = (): void => {
      clearImmediate(immediate);
      reject(new AeronAbortedError('aborted', { cause: signal.reason }));
    };
    const immediate = setImmediate(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
