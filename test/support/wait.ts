/**
 * The bounded waits of the tests: every wait has a deadline (generous: the suites share two cores with JVMs), can
 * be ended early by an AbortSignal, and fails with an Error that names what it waited for. None asserts time.
 *
 * Every helper takes what it waits for first, then what it calls, then the deadline:
 * ```
 *   await awaitCondition('the image', () => subscription.imageCount === 1);
 *   await pollUntil('3 messages', () => subscription.poll(handler, 10), () => received >= 3, 60_000, { detail });
 *   const position = await offerUntilAccepted(publication, message);
 *   const answer = await within('getStopPosition', 10_000, archive.getStopPosition(id));
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The deadline of a wait whose caller names none (ms). */
export const WAIT_MS = 30_000;

export interface WaitOptions {
  /** Pause between checks in ms (`awaitCondition`: 10; `pollUntil`: 1, only after a poll that did no work). */
  readonly intervalMs?: number;
  /** Ends the wait early: it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** What is worth knowing when the wait fails (state, counts), appended to its message. */
  readonly detail?: () => string;
}

function timedOut(what: string, timeoutMs: number, detail: (() => string) | undefined): Error {
  return new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail === undefined ? '' : `: ${detail()}`}`);
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return sleep(ms);
  signal.throwIfAborted();
  try {
    await sleep(ms, undefined, { signal });
  } catch (e) {
    throw signal.aborted ? signal.reason : e;
  }
}

/**
 * Checks `condition` (it may be async) until it is true, pausing between checks; throws naming `what` after
 * `timeoutMs`. A number in place of `options` is the interval.
 */
export async function awaitCondition(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = WAIT_MS,
  options: WaitOptions | number = {},
): Promise<void> {
  const { intervalMs = 10, signal, detail } = typeof options === 'number' ? { intervalMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw timedOut(what, timeoutMs, detail);
    await pause(intervalMs, signal);
  }
}

/**
 * Calls `poll` (it returns the work it did: fragments, events) until `done()`; pauses only after a poll that did
 * no work, so a stream is drained at full speed. Throws naming `what` after `timeoutMs`.
 */
export async function pollUntil(
  what: string,
  poll: () => number,
  done: () => boolean,
  timeoutMs = WAIT_MS,
  options: WaitOptions = {},
): Promise<void> {
  const { intervalMs = 1, signal, detail } = options;
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (poll() === 0) {
      if (Date.now() > deadline) throw timedOut(what, timeoutMs, detail);
      await pause(intervalMs, signal);
    }
  }
}

/** `promise`'s outcome, or an Error `no outcome within <ms> ms: <what>` after `ms`; the timer is cleared either way. */
export async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  const ac = new AbortController();
  const timeout = sleep(ms, undefined, { signal: ac.signal }).then(
    () => {
      throw new Error(`no outcome within ${ms} ms: ${what}`);
    },
    () => undefined as never,
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    ac.abort();
  }
}

/** Anything with a publication's `offer` (a publication, an exclusive publication). */
export interface Offerer {
  offer(buffer: Uint8Array, offset?: number, length?: number): number;
}

/**
 * Offers all of `message` until it is accepted, retrying NOT_CONNECTED, BACK_PRESSURED and ADMIN_ACTION; throws on
 * CLOSED or MAX_POSITION_EXCEEDED, or after `timeoutMs`. Returns the new position.
 */
export async function offerUntilAccepted(
  publication: Offerer,
  message: Uint8Array,
  timeoutMs = WAIT_MS,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = publication.offer(message, 0, message.length);
    if (result > 0) return result;
    if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
    if (Date.now() > deadline) throw new Error(`offer not accepted within ${timeoutMs} ms (last result ${result})`);
    await sleep(1);
  }
}
